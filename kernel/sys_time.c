/* sys_time.c: clocks and sleeping. */
#include "kernel/sys_time.h"
#include "drivers/clock.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "drivers/timer.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "param.h"
#include "linux/time.h"

/* The time on clock id, in seconds and nanoseconds. */
static int clock_read(uint32_t id, int64_t *sec, int64_t *nsec)
{
    uint64_t ns = clock_monotonic_ns();
    switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        *sec = clock_realtime_seconds();
        *nsec = (int64_t)(ns % 1000000000u);
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    case CLOCK_PROCESS_CPUTIME_ID:     /* no CPU accounting yet: time since boot */
    case CLOCK_THREAD_CPUTIME_ID:
        *sec = (int64_t)(ns / 1000000000u);
        *nsec = (int64_t)(ns % 1000000000u);
        return 0;
    default:
        return -EINVAL;
    }
}

/* clock_gettime(id, struct old_timespec32 *): 32-bit seconds. */
long sys_clock_gettime(struct trapframe *tf)
{
    int64_t s, ns;
    int r = clock_read(tf->ebx, &s, &ns);
    if (r < 0)
        return r;
    struct old_timespec32 ts = { (int32_t)s, (int32_t)ns };
    return copy_to_user(tf->ecx, &ts, sizeof ts);
}

/* clock_gettime64(id, struct __kernel_timespec *): 64-bit fields (musl tries
 * this first on i386, for dates after 2038). */
long sys_clock_gettime64(struct trapframe *tf)
{
    struct __kernel_timespec ts;
    int r = clock_read(tf->ebx, &ts.tv_sec, &ts.tv_nsec);
    if (r < 0)
        return r;
    return copy_to_user(tf->ecx, &ts, sizeof ts);
}

long sys_clock_getres(struct trapframe *tf)
{
    int64_t s, ns;
    if (clock_read(tf->ebx, &s, &ns) < 0)
        return -EINVAL;
    struct old_timespec32 res = { 0, 1000000000 / HZ };   /* one timer tick */
    if (tf->ecx && copy_to_user(tf->ecx, &res, sizeof res) < 0)
        return -EFAULT;
    return 0;
}

long sys_time(struct trapframe *tf)
{
    int32_t t = (int32_t)clock_realtime_seconds();
    if (tf->ebx && copy_to_user(tf->ebx, &t, sizeof t) < 0)
        return -EFAULT;
    return t;
}

long sys_gettimeofday(struct trapframe *tf)
{
    int64_t s, ns;
    clock_read(CLOCK_REALTIME, &s, &ns);
    struct old_timeval32 tv = { (int32_t)s, (int32_t)(ns / 1000) };
    if (tf->ebx && copy_to_user(tf->ebx, &tv, sizeof tv) < 0)
        return -EFAULT;
    if (tf->ecx) {
        struct timezone tz = { 0, 0 };           /* UTC, no daylight saving */
        if (copy_to_user(tf->ecx, &tz, sizeof tz) < 0)
            return -EFAULT;
    }
    return 0;
}

static long nanosleep_restart(struct restart_block *rb);

/* Sleep until the timer tick deadline, or a signal. 0 when the time is
 * up; else -ERESTART_RESTARTBLOCK, after writing the time left to rem (if
 * not 0): with no handler run, restart_syscall goes on sleeping to the
 * same deadline; after a handler, the program sees EINTR and rem. */
static long sleep_until(uint32_t deadline, vaddr_t rem)
{
    struct proc *p = current_proc();
    while ((int32_t)(timer_ticks() - deadline) < 0) {
        if (signal_pending(p)) {
            if (rem) {
                uint64_t left = (uint64_t)(deadline - timer_ticks()) * (1000000000u / HZ);
                struct old_timespec32 ts = { (int32_t)(left / 1000000000u),
                                             (int32_t)(left % 1000000000u) };
                if (copy_to_user(rem, &ts, sizeof ts) < 0)
                    return -EFAULT;
            }
            p->restart.fn = nanosleep_restart;
            p->restart.deadline = deadline;
            p->restart.uaddr = rem;
            return -ERESTART_RESTARTBLOCK;
        }
        sleep_on_until(&p->wake_tick, deadline);    /* a channel nobody else wakes */
    }
    return 0;
}

static long nanosleep_restart(struct restart_block *rb)
{
    return sleep_until(rb->deadline, rb->uaddr);
}

/* nanosleep(req, rem): sleep at least the time asked, rounded up to ticks.
 * rem is written only when a signal cuts the sleep short, as on Linux. */
long sys_nanosleep(struct trapframe *tf)
{
    struct old_timespec32 req;
    if (copy_from_user(&req, tf->ebx, sizeof req) < 0)
        return -EFAULT;
    if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= 1000000000)
        return -EINVAL;
    uint64_t ns = (uint64_t)req.tv_sec * 1000000000u + (uint32_t)req.tv_nsec;
    uint32_t until = ns ? timer_deadline(ns) : timer_ticks();
    return sleep_until(until, tf->ecx);
}
