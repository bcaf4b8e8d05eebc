/* eventpoll.h: epoll's constants and its event record, as Linux's
 * <linux/eventpoll.h> has them for i386.
 * Linux: <linux/eventpoll.h>
 * Linux struct: epoll_event events data
 *
 * A program registers descriptors with an epoll instance (epoll_ctl) and
 * then waits on all of them at once (epoll_wait), each reported with the
 * 64-bit data word it was registered with. The event bits are poll's
 * (linux/poll.h); the flags below say how an entry is reported.
 */
#ifndef LINUX_EVENTPOLL_H
#define LINUX_EVENTPOLL_H

#include "types.h"

/* epoll_ctl's operations. */
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

/* epoll_create1's one flag: close-on-exec (O_CLOEXEC's value). */
#define EPOLL_CLOEXEC 02000000

/* How an entry is reported, besides the poll bits it waits for. */
#define EPOLLEXCLUSIVE (1u << 28)  /* wake one of several epolls (bunshin: all) */
#define EPOLLWAKEUP    (1u << 29)  /* keep the machine awake (no suspend here) */
#define EPOLLONESHOT   (1u << 30)  /* report once, then nothing until EPOLL_CTL_MOD */
#define EPOLLET        (1u << 31)  /* edge-triggered: report changes, not states */

/* On i386 a 64-bit member needs only 4-byte alignment: 12 bytes, no hole,
 * the same layout x86-64 gets from its packed attribute. */
struct epoll_event {
    uint32_t events;
    uint64_t data;
} __attribute__((packed));

_Static_assert(sizeof(struct epoll_event) == 12, "struct epoll_event is 12 bytes");

#endif
