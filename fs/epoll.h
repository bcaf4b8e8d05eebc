/* epoll.h: epoll instances (fs/epoll.c): a set of descriptors a program
 * registers once and then waits on together, as often as it likes. poll
 * and select are handed their whole list on every call; an epoll keeps it
 * in the kernel. fs/sys_poll.c decodes the system calls and calls these.
 */
#ifndef FS_EPOLL_H
#define FS_EPOLL_H

#include "types.h"
#include "fs/file.h"
#include "linux/eventpoll.h"

/* A new epoll instance, as an open file (O_RDWR): 0 and *out, or -ENOMEM. */
int epoll_create(struct file **out);

/* epoll_ctl on the instance ep (an open file of epoll_create's; else
 * -EINVAL): op EPOLL_CTL_ADD, MOD or DEL the entry for descriptor fd, which
 * names the open file target; ev (kernel memory) is ignored for DEL. 0, or
 * the error Linux gives: -EEXIST, -ENOENT, -EPERM (a kind of file that
 * cannot be waited for), -EINVAL, -ELOOP, -ENOMEM. */
int epoll_control(struct file *ep, int op, int fd, struct file *target,
                  const struct epoll_event *ev);

/* epoll_wait: copy out up to max events to the user's array at events
 * (its range already checked), waiting until there is one, deadline passes
 * (a poll deadline, fs/poll.h) or a signal comes. The number of events, 0
 * (time up), -EFAULT (not even the first event could be written; nothing
 * is used up), or -EINTR: epoll_wait is never restarted after a handler,
 * SA_RESTART or not (signal(7)). */
int epoll_wait_events(struct file *ep, vaddr_t events, int max, uint64_t deadline);

/* Is f an epoll instance? */
bool file_is_epoll(struct file *f);

/* The last description of f is going (file_put): drop every epoll entry
 * that watches it, as Linux does. Only then: an entry belongs to the open
 * file, not to the descriptor, so closing one of two duplicates leaves it. */
void epoll_file_gone(struct file *f);

#endif
