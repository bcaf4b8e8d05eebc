/* sys_timer.c: alarm, setitimer, getitimer and the POSIX timer calls:
 * decode the arguments, copy them in and out, and call the workers
 * (kernel/itimer.c, kernel/posix_timer.c). The order of the checks is
 * Linux's, so that a call with two things wrong fails as it does there: the
 * new setting is read and checked (EFAULT, EINVAL) before the timer is
 * looked up, and the old one is written (EFAULT) after the change is made.
 */
#include "kernel/sys_timer.h"
#include "kernel/clocks.h"
#include "kernel/itimer.h"
#include "kernel/posix_timer.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/time.h"

#define NS_PER_SEC 1000000000u

/* alarm(seconds): the seconds the old alarm had left. */
long sys_alarm(struct trapframe *tf)
{
    return (long)do_alarm(tf->ebx);
}

/* A timeval as ns, or false if it is not valid (timeval_valid: no negative
 * seconds, microseconds below a million). */
static bool timeval_ns(const struct old_timeval32 *tv, uint64_t *ns)
{
    if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
        return false;
    *ns = (uint64_t)tv->tv_sec * NS_PER_SEC + (uint64_t)tv->tv_usec * 1000;
    return true;
}

/* ns as a timeval, the microseconds cut down as Linux's are. */
static struct old_timeval32 ns_timeval(uint64_t ns)
{
    struct old_timeval32 tv = { (int32_t)(ns / NS_PER_SEC),
                                (int32_t)(ns % NS_PER_SEC / 1000) };
    return tv;
}

static int put_itimerval(vaddr_t u, const struct timer_setting *s)
{
    struct old_itimerval32 v = { ns_timeval(s->interval), ns_timeval(s->value) };
    return copy_to_user(u, &v, sizeof v) < 0 ? -EFAULT : 0;
}

/* setitimer(which, new, old). A NULL new disarms the timer: an old misuse
 * Linux still accepts. */
long sys_setitimer(struct trapframe *tf)
{
    struct timer_setting v = { 0, 0 }, old;
    if (tf->ecx) {
        struct old_itimerval32 uv;
        if (copy_from_user(&uv, tf->ecx, sizeof uv) < 0)
            return -EFAULT;
        if (!timeval_ns(&uv.it_value, &v.value) || !timeval_ns(&uv.it_interval, &v.interval))
            return -EINVAL;
    }
    int r = do_setitimer((int)tf->ebx, &v, tf->edx ? &old : 0);
    if (r < 0 || !tf->edx)
        return r;
    return put_itimerval(tf->edx, &old);
}

/* getitimer(which, cur) */
long sys_getitimer(struct trapframe *tf)
{
    struct timer_setting cur;
    int r = do_getitimer((int)tf->ebx, &cur);
    if (r < 0)
        return r;
    return put_itimerval(tf->ecx, &cur);
}

/* timer_create(clockid, sevp, timerid). If the id cannot be written, the
 * timer is deleted again (Linux does the same). */
long sys_timer_create(struct trapframe *tf)
{
    struct sigevent_head ev;
    if (tf->ecx && copy_from_user(&ev, tf->ecx, sizeof ev) < 0)
        return -EFAULT;
    int id;
    int r = do_timer_create((int)tf->ebx, tf->ecx ? &ev : 0, &id);
    if (r < 0)
        return r;
    if (copy_to_user(tf->edx, &id, sizeof id) < 0) {
        do_timer_delete(id);
        return -EFAULT;
    }
    return 0;
}

/* The shared part of timer_settime and timer_settime64, once the new
 * setting is read: check it, set the timer, write the old setting out
 * (a __kernel_itimerspec if wide, else an old_itimerspec32). */
static long settime(struct trapframe *tf, int64_t isec, int64_t insec, int64_t vsec,
                    int64_t vnsec, bool wide)
{
    struct timer_setting v, old;
    if (!timespec_ns_ok(isec, insec, &v.interval) || !timespec_ns_ok(vsec, vnsec, &v.value))
        return -EINVAL;
    int r = do_timer_settime((int)tf->ebx, (int)tf->ecx, &v, tf->esi ? &old : 0);
    if (r < 0 || !tf->esi)
        return r;
    return timer_setting_put(tf->esi, &old, wide);
}

/* timer_settime(id, flags, new, old) with struct old_itimerspec32. */
long sys_timer_settime(struct trapframe *tf)
{
    struct old_itimerspec32 n;
    if (!tf->edx)
        return -EINVAL;
    if (copy_from_user(&n, tf->edx, sizeof n) < 0)
        return -EFAULT;
    return settime(tf, n.it_interval.tv_sec, n.it_interval.tv_nsec, n.it_value.tv_sec,
                   n.it_value.tv_nsec, false);
}

/* timer_settime64: the same with struct __kernel_itimerspec; only the low
 * 32 bits of each tv_nsec count, as on Linux for i386 programs. */
long sys_timer_settime64(struct trapframe *tf)
{
    struct __kernel_itimerspec n;
    if (!tf->edx)
        return -EINVAL;
    if (copy_from_user(&n, tf->edx, sizeof n) < 0)
        return -EFAULT;
    return settime(tf, n.it_interval.tv_sec, (int32_t)n.it_interval.tv_nsec,
                   n.it_value.tv_sec, (int32_t)n.it_value.tv_nsec, true);
}

/* timer_gettime(id, cur), timer_gettime64(id, cur) */
static long gettime(struct trapframe *tf, bool wide)
{
    struct timer_setting c;
    int r = do_timer_gettime((int)tf->ebx, &c);
    if (r < 0)
        return r;
    return timer_setting_put(tf->ecx, &c, wide);
}

long sys_timer_gettime(struct trapframe *tf)
{
    return gettime(tf, false);
}

long sys_timer_gettime64(struct trapframe *tf)
{
    return gettime(tf, true);
}

long sys_timer_getoverrun(struct trapframe *tf)
{
    return do_timer_getoverrun((int)tf->ebx);
}

long sys_timer_delete(struct trapframe *tf)
{
    return do_timer_delete((int)tf->ebx);
}
