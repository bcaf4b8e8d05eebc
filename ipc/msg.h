/* msg.h: System V message queues (ipc/msg.c).
 *
 * A queue holds messages, each a type (a positive long) and up to MSGMAX
 * bytes of text, in the order they were sent, up to msg_qbytes bytes of
 * text in all (MSGMNB at first). msgsnd waits while there is no room,
 * msgrcv while there is no message it wants: the first of any type
 * (msgtyp 0), of type msgtyp (> 0; with MSG_EXCEPT, of any other type), or
 * of the lowest type up to -msgtyp (< 0). IPC_NOWAIT says EAGAIN (msgsnd)
 * or ENOMSG (msgrcv) instead; a signal ends the wait with EINTR (or a
 * restart, if no handler ran), the queue's removal with EIDRM. */
#ifndef IPC_MSG_H
#define IPC_MSG_H

#include "types.h"

/* msgget(key, flags): the queue's id or -errno. */
long do_msgget(int32_t key, int flags);
/* msgsnd(id, msgp, msgsz, flags): 0 or -errno. */
long do_msgsnd(int id, vaddr_t msgp, uint32_t msgsz, int flags);
/* msgrcv(id, msgp, msgsz, msgtyp, flags): the bytes of text received. */
long do_msgrcv(int id, vaddr_t msgp, uint32_t msgsz, int32_t msgtyp, int flags);
/* msgctl(id, cmd, buf); v64: IPC_64 layouts. */
long do_msgctl(int id, int cmd, vaddr_t buf, bool v64);
/* /proc/sysvipc/msg: a line per queue, as Linux writes them. */
int msg_proc_show(int pid, char *buf, uint32_t size);

#endif
