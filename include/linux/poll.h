/* poll.h: what poll(2) asks and answers about a descriptor, and the size of
 * select(2)'s descriptor sets, with Linux's i386 values.
 * Linux: <linux/poll.h> <linux/posix_types.h>
 * Linux struct: pollfd fd events revents
 *
 * A program hands poll an array of struct pollfd: a descriptor and the
 * events it waits for; the kernel fills in revents with what is true now.
 * POLLERR, POLLHUP and POLLNVAL are reported whether asked for or not.
 * select's sets are bitmaps of descriptors, one bit per descriptor, in
 * 32-bit words on i386. */
#ifndef POLL_H
#define POLL_H

#include "types.h"

#define POLLIN     0x0001     /* a read would not wait */
#define POLLPRI    0x0002     /* urgent data (none of bunshin's files has any) */
#define POLLOUT    0x0004     /* a write would not wait */
#define POLLERR    0x0008     /* an error: a pipe's write end with no reader left */
#define POLLHUP    0x0010     /* hung up: a pipe's read end with no writer left */
#define POLLNVAL   0x0020     /* the descriptor is not open */
#define POLLRDNORM 0x0040     /* POLLIN's twin, for ordinary data */
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100     /* POLLOUT's twin, for ordinary data */
#define POLLWRBAND 0x0200
#define POLLMSG    0x0400
#define POLLREMOVE 0x1000
#define POLLRDHUP  0x2000

/* select's fd_set: 1024 bits, whatever the process's limit. */
#define __FD_SETSIZE 1024

struct pollfd {
    int32_t fd;                /* negative: ignored (revents 0) */
    int16_t events;            /* POLL* bits asked for */
    int16_t revents;           /* POLL* bits true, filled in by the kernel */
};
_Static_assert(sizeof(struct pollfd) == 8, "struct pollfd is 8 bytes");

#endif
