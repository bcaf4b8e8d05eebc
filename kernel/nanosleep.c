/* nanosleep.c: sleeping until a time on a clock (nanosleep.h).
 *
 * A sleep on a real-time clock turns its end into a time on the monotonic
 * clock and sleeps to the first timer tick at or after it (sleep_on_until),
 * so it never ends early and at most a tick late. A sleep on the process's
 * CPU clock looks at that clock at every tick: it goes on only while other
 * threads of the process run.
 */
#include "kernel/nanosleep.h"
#include "kernel/clocks.h"
#include "kernel/cputime.h"
#include "kernel/ktimer.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "drivers/clock.h"
#include "drivers/timer.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/time.h"

int nanosleep_clock_check(int id)
{
    switch (clock_kind(id)) {
    case CLOCK_NONE:
        return -EINVAL;
    case CLOCK_READ_ONLY:
    case CLOCK_THREAD_CPU:         /* the caller's own clock would never move */
        return -EOPNOTSUPP;
    default:
        return 0;
    }
}

/* The time now on the clock of a sleep: the monotonic clock for the
 * real-time ones, or the process's CPU time. */
static uint64_t sleep_clock_now(int kind)
{
    if (kind == CLOCK_PROCESS_CPU)
        return cputime_process_ns(current_proc()->group);
    return clock_monotonic_ns();
}

/* Write ns to rem in the layout the call uses. */
static int rem_write(vaddr_t rem, bool rem64, uint64_t ns)
{
    if (rem64) {
        struct __kernel_timespec ts = { (int64_t)(ns / 1000000000u),
                                        (int64_t)(ns % 1000000000u) };
        return copy_to_user(rem, &ts, sizeof ts);
    }
    struct old_timespec32 ts = { (int32_t)(ns / 1000000000u), (int32_t)(ns % 1000000000u) };
    return copy_to_user(rem, &ts, sizeof ts);
}

static long sleep_restart(struct restart_block *rb);

/* Sleep until the clock of kind reads expires (monotonic ns, or CPU ns),
 * or a signal comes. abs: an absolute sleep (no rem, no restart block). */
static long sleep_until(int kind, uint64_t expires, bool abs, vaddr_t rem, bool rem64)
{
    struct proc *p = current_proc();
    while (sleep_clock_now(kind) < expires) {
        if (signal_pending(p)) {
            if (abs)
                return -ERESTARTNOHAND;
            /* The time left, counted from the end of this tick so that it
             * is never more than was asked for; none left: done. */
            uint64_t now = kind == CLOCK_PROCESS_CPU ? sleep_clock_now(kind) : ktimer_now();
            if (expires <= now)
                return 0;
            if (rem && rem_write(rem, rem64, expires - now) < 0)
                return -EFAULT;
            p->restart.fn = sleep_restart;
            p->restart.clockid = kind;
            p->restart.expires = expires;
            p->restart.uaddr = rem;
            p->restart.rem64 = rem64;
            return -ERESTART_RESTARTBLOCK;
        }
        /* The tick the time comes at; a CPU clock is looked at each tick.
         * p->wake_tick is a channel nobody else wakes. */
        uint64_t tick = kind == CLOCK_PROCESS_CPU
                            ? timer_ticks() + 1
                            : expires / TICK_NS + (expires % TICK_NS != 0);
        sleep_on_until(&p->wake_tick, tick);
    }
    return 0;
}

/* restart_syscall's way back into a relative sleep: to the same end. */
static long sleep_restart(struct restart_block *rb)
{
    return sleep_until(rb->clockid, rb->expires, false, rb->uaddr, rb->rem64);
}

long do_clock_nanosleep(int id, int flags, uint64_t ns, vaddr_t rem, bool rem64)
{
    int kind = clock_kind(id);
    if (kind == CLOCK_ALARM)
        return -EOPNOTSUPP;        /* no wake-up clock device (clocks.h) */
    if (flags & TIMER_ABSTIME) {
        if (kind != CLOCK_PROCESS_CPU) {
            uint64_t off = clock_offset(id);
            ns = ns > off ? ns - off : 0;
        }
        return sleep_until(kind, ns, true, 0, false);
    }
    if (ns == 0)
        return 0;
    /* From the end of the current tick: the tick under way may be all but
     * over. */
    uint64_t now = kind == CLOCK_PROCESS_CPU ? sleep_clock_now(kind) : ktimer_now();
    return sleep_until(kind, ns_add(now, ns), false, rem, rem64);
}
