/* poll.c: waiting for any of several descriptors: poll and select.
 *
 * Each kind of file says what a read or a write would do now through the
 * poll operation of its file_ops (a pipe: "data to read", "room to write",
 * "no writer left"...; fs/fs.h). poll and select look at every descriptor
 * they were given; if none is ready, they sleep, and look again when woken.
 *
 * How they are woken. sleep_on waits on one channel, but a poll waits for
 * many objects at once. Linux gives every object a wait queue and hangs an
 * entry on each one the poll looks at. bunshin does something simpler:
 * every poll and select sleeps on one channel, poll_chan, and every object
 * whose readiness can change calls poll_wake() when it does, besides waking
 * its own readers and writers (fs/pipe.c, drivers/tty.c). A signal wakes
 * the sleeper as it wakes any (signal_wake), and the deadline through the
 * timer (sleep_on_until). So:
 *   - no memory per call or per object, nothing to hang and unhang: a
 *     poller is only ever on one channel, as every other sleeper;
 *   - no wakeup is lost: the kernel runs with interrupts off, so nothing can
 *     change between the last look and the sleep;
 *   - the price: a change to any object wakes every poller, and each looks
 *     at all its descriptors again, even if the change was not about one
 *     of them. With a handful of processes that costs nothing; with many
 *     pollers, per-object wait lists would be the next step.
 * No poller ever wakes up just to find that nothing happened on a timer:
 * between changes it sleeps.
 */
#include "fs/poll.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "drivers/timer.h"
#include "linux/errno.h"
#include "lib/string.h"

_Static_assert(NOFILE % 32 == 0, "select's sets are whole 32-bit words");

/* What select counts as readable, writable and exceptional (Linux's
 * POLLIN_SET, POLLOUT_SET, POLLEX_SET): a read end whose writers are gone
 * (POLLHUP) reads end of file at once, so it is readable; an error is both. */
#define SELECT_IN  (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define SELECT_OUT (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define SELECT_EX  POLLPRI

/* The channel every poll and select sleeps on. */
static int poll_chan;
static uint32_t generation;

void poll_wake(void)
{
    generation++;
    wakeup(&poll_chan);
}

uint32_t poll_generation(void)
{
    return generation;
}

void poll_sleep(uint64_t deadline)
{
    sleep_on_until(&poll_chan, deadline);
}

uint32_t file_poll(struct file *f)
{
    if (f->ops && f->ops->poll)
        return f->ops->poll(f);
    return POLL_READY;         /* in-memory files, directories: never wait */
}

uint32_t file_poll_ready(struct file *f)
{
    (void)f;
    return POLL_READY;
}

uint64_t poll_deadline(int64_t sec, int32_t nsec)
{
    uint64_t now = timer_ticks();
    if (sec == 0 && nsec == 0)
        return now ? now : 1;      /* look once: a deadline already here (0 is none) */
    if (sec >= POLL_MAX_SEC)
        return 0;                                 /* bunshin: over 124 days is for ever */
    return timer_deadline((uint64_t)sec * 1000000000u + (uint32_t)nsec);
}

uint64_t poll_time_left(uint64_t deadline)
{
    /* The whole ticks before the deadline's own: timer_deadline added one
     * for the tick already under way. */
    uint64_t now = timer_ticks();
    return deadline - 1 > now ? (deadline - 1 - now) * TICK_NS : 0;
}

bool poll_time_up(uint64_t deadline)
{
    return deadline && timer_ticks() >= deadline;
}

/* One entry of poll's array: what is true of fd among the events asked
 * for, plus an error or a hang-up, which are always told. */
static uint32_t poll_one(struct fdtable *t, const struct pollfd *pfd)
{
    if (pfd->fd < 0)
        return 0;                                 /* ignored */
    struct file *f = fd_lookup(t, pfd->fd);
    if (!f)
        return POLLNVAL;
    return file_poll(f) & ((uint16_t)pfd->events | POLLERR | POLLHUP);
}

int do_poll(struct pollfd *fds, uint32_t n, uint64_t deadline)
{
    struct proc *p = current_proc();
    for (;;) {
        int count = 0;
        for (uint32_t i = 0; i < n; i++) {
            fds[i].revents = (int16_t)poll_one(p->files, &fds[i]);
            if (fds[i].revents)
                count++;
        }
        /* Ready descriptors win over a signal, and a signal over the time
         * limit, as on Linux. */
        if (count)
            return count;
        if (signal_pending(p))
            return -ERESTARTNOHAND;
        if (poll_time_up(deadline))
            return 0;
        sleep_on_until(&poll_chan, deadline);
    }
}

static bool in_set(const uint32_t *set, int fd)
{
    return (set[fd / 32] >> (fd % 32)) & 1;
}

static void add_to_set(uint32_t *set, int fd)
{
    set[fd / 32] |= 1u << (fd % 32);
}

/* Is fd in any of the three sets? */
static bool wanted(const struct fdsets *s, int fd)
{
    return in_set(s->in, fd) || in_set(s->out, fd) || in_set(s->ex, fd);
}

/* One look at every descriptor of want: the ready ones go into *ready.
 * Returns the number of bits set (a descriptor both readable and writable
 * counts twice, as on Linux). */
static int select_look(struct fdtable *t, int n, const struct fdsets *want,
                       struct fdsets *ready)
{
    int count = 0;
    memset(ready, 0, sizeof *ready);
    for (int fd = 0; fd < n; fd++) {
        if (!wanted(want, fd))
            continue;
        struct file *f = fd_lookup(t, fd);
        uint32_t mask = f ? file_poll(f) : POLLNVAL;   /* closed by a thread meanwhile */
        if ((mask & SELECT_IN) && in_set(want->in, fd)) {
            add_to_set(ready->in, fd);
            count++;
        }
        if ((mask & SELECT_OUT) && in_set(want->out, fd)) {
            add_to_set(ready->out, fd);
            count++;
        }
        if ((mask & SELECT_EX) && in_set(want->ex, fd)) {
            add_to_set(ready->ex, fd);
            count++;
        }
    }
    return count;
}

int do_select(int n, const struct fdsets *want, struct fdsets *ready, uint64_t deadline)
{
    struct proc *p = current_proc();
    /* Every descriptor asked about must be open, or nothing is waited for. */
    for (int fd = 0; fd < n; fd++)
        if (wanted(want, fd) && !fd_lookup(p->files, fd))
            return -EBADF;
    for (;;) {
        int count = select_look(p->files, n, want, ready);
        if (count)
            return count;
        if (signal_pending(p))
            return -ERESTARTNOHAND;
        if (poll_time_up(deadline))
            return 0;
        sleep_on_until(&poll_chan, deadline);
    }
}

void poll_mask_begin(uint64_t mask)
{
    struct proc *p = current_proc();
    p->saved_mask = p->blocked;
    p->restore_mask = true;
    p->blocked = mask & ~SIG_UNBLOCKABLE;
}

void poll_mask_end(bool interrupted)
{
    struct proc *p = current_proc();
    if (interrupted)
        return;                /* signal_deliver puts it back, after the handler */
    p->blocked = p->saved_mask;
    p->restore_mask = false;
}
