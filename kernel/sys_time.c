/* sys_time.c: clocks and sleeping. */
#include "kernel/sys_time.h"
#include "drivers/clock.h"
#include "kernel/proc.h"
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

/* nanosleep(req, rem): sleep at least the time asked, rounded up to ticks. */
long sys_nanosleep(struct trapframe *tf)
{
    struct old_timespec32 req;
    if (copy_from_user(&req, tf->ebx, sizeof req) < 0)
        return -EFAULT;
    if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= 1000000000)
        return -EINVAL;
    uint64_t ns = (uint64_t)req.tv_sec * 1000000000u + (uint32_t)req.tv_nsec;
    uint32_t until = ns ? timer_deadline(ns) : timer_ticks();
    struct proc *p = current_proc();
    while ((int32_t)(timer_ticks() - until) < 0) {
        if (p->killed)
            return -EINTR;
        sleep_on_until(&p->wake_tick, until);    /* a channel nobody else wakes */
    }
    if (tf->ecx) {
        struct old_timespec32 rem = { 0, 0 };
        if (copy_to_user(tf->ecx, &rem, sizeof rem) < 0)
            return -EFAULT;
    }
    return 0;
}
