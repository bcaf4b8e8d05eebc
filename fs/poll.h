/* poll.h: waiting for any of several descriptors at once (fs/poll.c): the
 * readiness of an open file, the one channel pollers sleep on, and the
 * workers of poll and select. fs/sys_poll.c decodes the system calls
 * (poll, ppoll, select, pselect6) and calls these. */
#ifndef FS_POLL_H
#define FS_POLL_H

#include "types.h"
#include "param.h"
#include "fs/file.h"
#include "linux/poll.h"

/* What a file that never makes a reader or writer wait answers: ready for
 * both (Linux's DEFAULT_POLLMASK). */
#define POLL_READY (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM)

/* Something a poller may be waiting for has changed: data or room in a
 * pipe, an end closed, a line typed. Every sleeping poll and select wakes
 * and looks at its descriptors again. May be called from an interrupt
 * handler. */
void poll_wake(void);
/* How many times poll_wake has been called (wrapping round): a change
 * since a moment is a different value (epoll's edge-triggered entries). */
uint32_t poll_generation(void);

/* What a read or write of f would do now: its kind's poll, or POLL_READY
 * for a kind with none. */
uint32_t file_poll(struct file *f);
/* A poll operation for the file_ops of kinds that never wait (/dev/null,
 * /proc files): POLL_READY. */
uint32_t file_poll_ready(struct file *f);

/* Timeouts. A wait ends at a timer tick, its deadline; 0 is no deadline:
 * wait for ever. */
/* The longest timeout counted in ticks; a longer one waits for ever. */
#define POLL_MAX_SEC ((1u << 30) / HZ)
/* The deadline of a wait of sec seconds and nsec nanoseconds (both valid)
 * starting now. Zero time gives a tick already past: look once. */
uint64_t poll_deadline(int64_t sec, int32_t nsec);
/* The time left before deadline (not 0), in nanoseconds; 0 once it has
 * come. */
uint64_t poll_time_left(uint64_t deadline);
/* Has deadline come (never, for 0)? */
bool poll_time_up(uint64_t deadline);
/* Sleep until poll_wake, a signal or deadline: the wait of every poller. */
void poll_sleep(uint64_t deadline);

/* select's three sets, as bitmaps of NOFILE bits in 32-bit words: bit fd%32
 * of word fd/32 stands for descriptor fd. */
#define FDSET_WORDS (NOFILE / 32)
struct fdsets {
    uint32_t in[FDSET_WORDS];      /* readable */
    uint32_t out[FDSET_WORDS];     /* writable */
    uint32_t ex[FDSET_WORDS];      /* an exceptional condition (POLLPRI) */
};

/* poll: fill in the revents of the n entries of fds (kernel memory), waiting
 * until one is not 0, the deadline passes or a signal comes. Returns the
 * number of entries with revents, 0 (time up) or -ERESTARTNOHAND. */
int do_poll(struct pollfd *fds, uint32_t n, uint64_t deadline);
/* select: descriptors below n of the sets in want, waiting as do_poll
 * does; those found ready are set in *ready. Returns how many bits are set
 * in *ready, 0, -EBADF (a descriptor in want is not open) or
 * -ERESTARTNOHAND. */
int do_select(int n, const struct fdsets *want, struct fdsets *ready, uint64_t deadline);

/* ppoll, pselect6 and epoll_pwait wait with a signal mask of their own:
 * begin puts mask in force and keeps the old one; end puts the old one
 * back, unless the call was interrupted by a signal (-ERESTARTNOHAND, or
 * epoll's -EINTR): then it comes back after the handler (its frame saves
 * it) or, if none runs, on the way out, as for sigsuspend. */
void poll_mask_begin(uint64_t mask);
void poll_mask_end(bool interrupted);

#endif
