/* timerfd.c: timerfd_create(2) and its calls: a timer that is a file.
 * Instead of a signal, its expiries are counted, and read(2) gives the
 * count (8 bytes) and resets it, waiting while it is 0; poll and epoll see
 * it readable while it is not 0.
 *
 * The timer is a kernel timer (kernel/ktimer.c) with its expiry on the
 * monotonic clock, as POSIX timers keep theirs (kernel/posix_timer.c):
 * nothing sets bunshin's time of day, so an absolute CLOCK_REALTIME time
 * is a fixed distance from a monotonic one. A periodic timer counts the
 * periods that passed at each expiry and is armed again at once. The timer
 * goes with the file: the last close disarms it, and the inode frees it.
 */
#include "fs/timerfd.h"
#include "fs/anon_inode.h"
#include "fs/poll.h"
#include "kernel/clocks.h"
#include "kernel/cred.h"
#include "kernel/itimer.h"
#include "kernel/ktimer.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "drivers/clock.h"
#include "mm/usercopy.h"
#include "lib/string.h"
#include "linux/errno.h"
#include "linux/time.h"
#include "linux/timerfd.h"

#define NS_PER_SEC 1000000000u

struct timerfd {
    struct ktimer kt;              /* armed while a one-shot is due or periodic */
    int clockid;                   /* the clock its absolute times are on */
    uint64_t expires;              /* the next expiry, monotonic ns (0: disarmed) */
    uint64_t interval;             /* ns between expiries; 0: one-shot */
    uint64_t ticks;                /* expiries not yet read */
};

static struct timerfd *timerfd_of(struct file *f)
{
    return f->inode->priv;
}

/* t expired (from the timer interrupt, or at once when set in the past):
 * count it, with the periods missed, and go on if periodic. */
static void timerfd_expired(struct timerfd *t)
{
    if (t->interval) {
        /* expires moves past now, so the timer is never due again at
         * this tick (what ktimer_run asks of fn). */
        uint64_t n = ktimer_forward(&t->expires, clock_monotonic_ns(), t->interval);
        t->ticks += n ? n : 1;
        ktimer_arm(&t->kt, t->expires);
    } else {
        t->ticks++;
        t->expires = 0;
    }
    wakeup(t);
    poll_wake();
}

static void ktimer_fired(struct ktimer *kt)
{
    timerfd_expired(kt->data);
}

/* read: the 8-byte count of expiries, reset to 0; waits while it is 0. */
static long timerfd_read(struct file *f, void *buf, uint32_t n, bool user)
{
    struct timerfd *t = timerfd_of(f);
    if (n < sizeof t->ticks)
        return -EINVAL;
    while (t->ticks == 0) {
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (signal_pending(current_proc()))
            return -ERESTARTSYS;
        sleep_on(t);
    }
    uint64_t v = t->ticks;
    if (user) {
        if (copy_to_user((vaddr_t)buf, &v, sizeof v) < 0)
            return -EFAULT;
    } else {
        memcpy(buf, &v, sizeof v);
    }
    t->ticks = 0;
    return sizeof v;
}

static long timerfd_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    (void)f, (void)buf, (void)n, (void)user;
    return -EINVAL;                        /* as Linux: a timerfd has no write */
}

static uint32_t timerfd_poll(struct file *f)
{
    return timerfd_of(f)->ticks ? POLLIN | POLLRDNORM : 0;
}

/* The last close: the timer must not fire into a freed inode. */
static void timerfd_release(struct file *f)
{
    ktimer_disarm(&timerfd_of(f)->kt);
}

static const struct file_ops timerfd_ops = {
    .read = timerfd_read,
    .write = timerfd_write,
    .poll = timerfd_poll,
    .release = timerfd_release,
};

/* The clock an id names for a timerfd: itself, or for an alarm clock the
 * clock it counts like (there is no suspend to wake from); -1 if timerfd
 * does not take it (Linux takes these five). */
static int timerfd_clock(int clockid)
{
    switch (clockid) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_BOOTTIME:
        return clockid;
    case CLOCK_REALTIME_ALARM:
        return CLOCK_REALTIME;
    case CLOCK_BOOTTIME_ALARM:
        return CLOCK_BOOTTIME;
    default:
        return -1;
    }
}

/* timerfd_create(clockid, flags): a new disarmed timer on a new
 * descriptor. -EINVAL (clock, flags), -EPERM (an alarm clock without
 * privilege: Linux's CAP_WAKE_ALARM), -EMFILE, -ENOMEM. */
long sys_timerfd_create(struct trapframe *tf)
{
    int clockid = (int)tf->ebx;
    uint32_t flags = tf->ecx;
    int base = timerfd_clock(clockid);
    if (base < 0 || (flags & ~(uint32_t)(TFD_CLOEXEC | TFD_NONBLOCK)))
        return -EINVAL;
    if (base != clockid && !cred_privileged(&current_proc()->cred))
        return -EPERM;
    struct file *f;
    int r = anon_inode_open("anon_inode:[timerfd]", &timerfd_ops, sizeof(struct timerfd),
                            flags & TFD_NONBLOCK, &f);
    if (r < 0)
        return r;
    struct timerfd *t = timerfd_of(f);
    t->clockid = base;
    t->kt.fn = ktimer_fired;
    t->kt.data = t;
    return anon_inode_install(f, (flags & TFD_CLOEXEC) != 0);
}

/* The timer of descriptor fd: -EBADF (not open), -EINVAL (not a timerfd). */
static int timerfd_lookup(int fd, struct timerfd **out)
{
    struct file *f = fd_lookup(current_proc()->files, fd);
    if (!f)
        return -EBADF;
    if (f->ops != &timerfd_ops)
        return -EINVAL;
    *out = timerfd_of(f);
    return 0;
}

/* t's setting now: the time left before the next expiry (0: disarmed),
 * and the interval. */
static void timerfd_get(struct timerfd *t, struct timer_setting *cur)
{
    cur->interval = t->interval;
    cur->value = 0;
    if (t->expires) {
        uint64_t now = ktimer_now();
        /* Due but not yet fired (this tick): 1 ns, as POSIX timers say. */
        cur->value = t->expires > now ? t->expires - now : 1;
    }
}

/* timerfd_settime's worker, with the new setting read and checked: the
 * old setting into *old, the count reset, then armed (value not 0) for
 * value from now or, with TFD_TIMER_ABSTIME, at value on t's clock. */
static int do_timerfd_settime(int fd, uint32_t flags, const struct timer_setting *v,
                              struct timer_setting *old)
{
    struct timerfd *t;
    int r = timerfd_lookup(fd, &t);
    if (r < 0)
        return r;
    timerfd_get(t, old);
    ktimer_disarm(&t->kt);
    t->ticks = 0;
    t->expires = 0;
    t->interval = v->interval;             /* kept even when disarmed (gettime), as Linux */
    if (!v->value)
        return 0;
    if (flags & TFD_TIMER_ABSTIME) {
        /* TFD_TIMER_CANCEL_ON_SET: nothing sets the clock here, so it
         * never cancels. */
        uint64_t off = clock_offset(t->clockid);
        t->expires = v->value > off ? v->value - off : 1;
    } else {
        t->expires = ns_add(ktimer_now(), v->value);
    }
    if (t->expires <= clock_monotonic_ns())
        timerfd_expired(t);                /* already past: at once */
    else
        ktimer_arm(&t->kt, t->expires);
    return 0;
}

/* The shared part of timerfd_settime and its time64 form, once the new
 * setting is read: Linux's order of checks (flags, the times, then the
 * descriptor); the old setting is written after the change. */
static long settime(struct trapframe *tf, int64_t isec, int64_t insec, int64_t vsec,
                    int64_t vnsec, bool wide)
{
    struct timer_setting v, old;
    if (tf->ecx & ~(uint32_t)(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
        return -EINVAL;
    if (!timespec_ns_ok(isec, insec, &v.interval) || !timespec_ns_ok(vsec, vnsec, &v.value))
        return -EINVAL;
    int r = do_timerfd_settime((int)tf->ebx, tf->ecx, &v, &old);
    if (r < 0 || !tf->esi)
        return r;
    return timer_setting_put(tf->esi, &old, wide);
}

/* timerfd_settime(fd, flags, new, old) with struct old_itimerspec32. */
long sys_timerfd_settime(struct trapframe *tf)
{
    struct old_itimerspec32 n;
    if (copy_from_user(&n, tf->edx, sizeof n) < 0)
        return -EFAULT;
    return settime(tf, n.it_interval.tv_sec, n.it_interval.tv_nsec, n.it_value.tv_sec,
                   n.it_value.tv_nsec, false);
}

/* timerfd_settime64: struct __kernel_itimerspec; only the low 32 bits of
 * each tv_nsec count, as on Linux for i386 programs. */
long sys_timerfd_settime64(struct trapframe *tf)
{
    struct __kernel_itimerspec n;
    if (copy_from_user(&n, tf->edx, sizeof n) < 0)
        return -EFAULT;
    return settime(tf, n.it_interval.tv_sec, (int32_t)n.it_interval.tv_nsec,
                   n.it_value.tv_sec, (int32_t)n.it_value.tv_nsec, true);
}

/* timerfd_gettime(fd, cur) and timerfd_gettime64(fd, cur) */
static long gettime(struct trapframe *tf, bool wide)
{
    struct timerfd *t;
    int r = timerfd_lookup((int)tf->ebx, &t);
    if (r < 0)
        return r;
    struct timer_setting cur;
    timerfd_get(t, &cur);
    return timer_setting_put(tf->ecx, &cur, wide);
}

long sys_timerfd_gettime(struct trapframe *tf)
{
    return gettime(tf, false);
}

long sys_timerfd_gettime64(struct trapframe *tf)
{
    return gettime(tf, true);
}
