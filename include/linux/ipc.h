/* ipc.h: System V IPC: what every kind (shared memory, semaphores, message
 * queues) shares: the get flags, the control commands, the owner and mode
 * of an object (struct ipc64_perm, the 64-bit form C libraries ask for with
 * IPC_64), and the call numbers of the ipc(2) multiplexer, as Linux i386
 * has them.
 * Linux: <linux/ipc.h>
 * Linux struct: ipc64_perm key uid gid cuid cgid mode seq __unused1 __unused2
 * Linux struct: ipc_kludge msgp msgtyp
 * Linux struct: ipc_perm key uid gid cuid cgid mode seq
 */
#ifndef LINUX_IPC_H
#define LINUX_IPC_H

#include "types.h"

#define IPC_PRIVATE 0              /* a new object that no key names */

/* The get calls' flags (with the mode's nine permission bits below them). */
#define IPC_CREAT  00001000
#define IPC_EXCL   00002000
#define IPC_NOWAIT 00004000

/* The control commands every kind has. */
#define IPC_RMID 0
#define IPC_SET  1
#define IPC_STAT 2
#define IPC_INFO 3

/* Or'ed into a control command: the 64-bit structs (ipc64_perm...); without
 * it, ipc(2) means the old 16-bit-id layouts. */
#define IPC_OLD 0
#define IPC_64  0x0100

/* ipc(2)'s call numbers (its first argument's low 16 bits; the high 16 are
 * a version). */
#define SEMOP      1
#define SEMGET     2
#define SEMCTL     3
#define SEMTIMEDOP 4
#define MSGSND     11
#define MSGRCV     12
#define MSGGET     13
#define MSGCTL     14
#define SHMAT      21
#define SHMDT      22
#define SHMGET     23
#define SHMCTL     24

/* Who owns an object and who may use it (IPC_STAT shows it, IPC_SET
 * changes uid, gid and mode's low nine bits). i386: 48 bytes. */
struct ipc64_perm {
    int32_t key;
    uint32_t uid, gid;             /* owner */
    uint32_t cuid, cgid;           /* creator */
    uint16_t mode;
    uint8_t __pad1[2];
    uint16_t seq;
    uint16_t __pad2;
    uint32_t __unused1, __unused2;
};
_Static_assert(sizeof(struct ipc64_perm) == 36, "struct ipc64_perm is 36 bytes on i386");

/* The old layout (ipc(2) without IPC_64): 16-bit ids. i386: 16 bytes. */
struct ipc_perm {
    int32_t key;
    uint16_t uid, gid, cuid, cgid;
    uint16_t mode;
    uint16_t seq;
};

/* ipc(MSGRCV) version 0 passes msgp and msgtyp through this. */
struct ipc_kludge {
    uint32_t msgp;                 /* a user address */
    int32_t msgtyp;
};

#endif
