/* mqueue.h: POSIX message queues (ipc/mqueue.c). ipc/sys_mqueue.c decodes
 * the system calls and calls these.
 *
 * A queue has a name (a string with no '/', which the C library gives
 * without its leading slash) in one namespace of queues, and is an open
 * file like any other: mq_open returns a descriptor, poll and epoll see it
 * readable while it holds a message and writable while it has room. It
 * lives until its name is removed (mq_unlink) and its last descriptor is
 * closed. /dev/mqueue lists the named queues.
 */
#ifndef IPC_MQUEUE_H
#define IPC_MQUEUE_H

#include "types.h"
#include "fs/file.h"
#include "linux/mqueue.h"
#include "linux/siginfo.h"

/* mq_open: open the queue called name (kernel memory) with oflag (O_RDONLY,
 * O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_NONBLOCK); a new one gets the
 * permission bits of mode (less the umask) and attr's mq_maxmsg and
 * mq_msgsize (attr NULL: 10 and 8192). 0 and *out, or -ENOENT, -EEXIST,
 * -EACCES (a bad name or no permission), -ENAMETOOLONG, -EINVAL (attr),
 * -EMFILE (RLIMIT_MSGQUEUE), -ENOSPC (queues_max), -ENOMEM. */
int mq_open_name(const char *name, uint32_t oflag, uint32_t mode, const struct mq_attr *attr,
                 struct file **out);
/* mq_unlink: remove the name; the queue goes with its last descriptor.
 * 0 or -ENOENT, -EACCES, -ENAMETOOLONG, -EPERM (not the owner). */
int mq_unlink_name(const char *name);
/* Is f a message queue? */
bool file_is_mqueue(struct file *f);
/* Send len bytes at user address buf with priority prio, waiting for room
 * until deadline (a timer tick; 0: for ever) unless O_NONBLOCK. 0 or
 * -EBADF, -EMSGSIZE, -EFAULT, -EAGAIN, -ETIMEDOUT, -ERESTARTSYS. */
long mq_send(struct file *f, vaddr_t buf, uint32_t len, uint32_t prio, uint64_t deadline);
/* Receive the oldest message of the highest priority into buf (len bytes,
 * at least mq_msgsize), its priority to uprio unless 0: its length, or
 * -EBADF, -EMSGSIZE, -EFAULT (the message is lost, as on Linux), -EAGAIN,
 * -ETIMEDOUT, -ERESTARTSYS. */
long mq_receive(struct file *f, vaddr_t buf, uint32_t len, vaddr_t uprio, uint64_t deadline);
/* mq_notify: register the caller for a notification (ev: SIGEV_SIGNAL or
 * SIGEV_NONE), or drop its registration (ev NULL). 0 or -EBUSY. */
int mq_set_notify(struct file *f, const struct sigevent_head *ev);
/* The queue's attributes, with mq_flags the open file's O_NONBLOCK. */
void mq_get_attr(struct file *f, struct mq_attr *out);

/* Make /dev/mqueue, the directory of named queues, in dev (fs/dev.c). */
void mqueue_dir_init(struct inode *dev);

/* The limits /proc/sys/fs/mqueue shows (Linux's defaults). */
#define MQ_MSG_DEFAULT     10
#define MQ_MSGSIZE_DEFAULT 8192
#define MQ_MSG_MAX         10      /* for a caller that is not root */
#define MQ_MSGSIZE_MAX     8192
#define MQ_HARD_MSGMAX     65536   /* for root */
#define MQ_HARD_MSGSIZEMAX (16 * 1024 * 1024)
#define MQ_QUEUES_MAX      256     /* queues in all, for a caller that is not root */

#endif
