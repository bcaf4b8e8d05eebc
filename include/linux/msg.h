/* msg.h: System V message queues, as Linux i386 has them: msgrcv's flags,
 * msgctl's commands, the limits Linux starts with, and the structs.
 * Linux: <linux/msg.h>
 * Linux struct: msqid64_ds msg_perm msg_stime msg_stime_high msg_rtime msg_rtime_high msg_ctime msg_ctime_high msg_cbytes msg_qnum msg_qbytes msg_lspid msg_lrpid __unused4 __unused5
 * Linux struct: msginfo msgpool msgmap msgmax msgmnb msgmni msgssz msgtql msgseg
 * Linux struct: msqid_ds msg_perm msg_first msg_last msg_stime msg_rtime msg_ctime msg_lcbytes msg_lqbytes msg_cbytes msg_qnum msg_qbytes msg_lspid msg_lrpid
 */
#ifndef LINUX_MSG_H
#define LINUX_MSG_H

#include "linux/ipc.h"

/* msgctl's own commands. */
#define MSG_STAT 11
#define MSG_INFO 12
#define MSG_STAT_ANY 13

/* msgrcv's flags (with IPC_NOWAIT). */
#define MSG_NOERROR 010000         /* cut a message that is too long */
#define MSG_EXCEPT  020000         /* the first of any type but msgtyp */
#define MSG_COPY    040000         /* copy message number msgtyp, leave it */

/* Linux's default limits (its /proc/sys/kernel/msg*). */
#define MSGMNI 32000               /* queues in the system */
#define MSGMAX 8192                /* the longest message, bytes */
#define MSGMNB 16384               /* a new queue's room, bytes */
#define MSGPOOL (MSGMNI * MSGMNB / 1024)
#define MSGTQL MSGMNB
#define MSGMAP MSGMNB
#define MSGSSZ 16
#define MSGSEG 0xffff

struct msqid64_ds {
    struct ipc64_perm msg_perm;
    uint32_t msg_stime, msg_stime_high;   /* last msgsnd */
    uint32_t msg_rtime, msg_rtime_high;   /* last msgrcv */
    uint32_t msg_ctime, msg_ctime_high;   /* made, or last IPC_SET */
    uint32_t msg_cbytes;           /* bytes of text queued */
    uint32_t msg_qnum;             /* messages queued */
    uint32_t msg_qbytes;           /* room: the most bytes it may hold */
    int32_t msg_lspid, msg_lrpid;  /* the last sender, receiver */
    uint32_t __unused4, __unused5;
};
_Static_assert(sizeof(struct msqid64_ds) == 88, "struct msqid64_ds is 88 bytes on i386");

/* The old layout (ipc(2) without IPC_64): 16-bit counts, with the
 * 32-bit ones in what were pointers' and spare words. */
struct msqid_ds {
    struct ipc_perm msg_perm;
    uint32_t msg_first, msg_last;
    int32_t msg_stime, msg_rtime, msg_ctime;
    uint32_t msg_lcbytes, msg_lqbytes;
    uint16_t msg_cbytes, msg_qnum, msg_qbytes;
    uint16_t msg_lspid, msg_lrpid;
};

/* IPC_INFO and MSG_INFO's answer. */
struct msginfo {
    int32_t msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
    uint16_t msgseg;
};

#endif
