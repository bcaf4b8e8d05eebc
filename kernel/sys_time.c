/* sys_time.c: clocks and sleeping. */
#include "kernel/sys_time.h"
#include "kernel/clocks.h"
#include "kernel/cred.h"
#include "kernel/ktimer.h"
#include "kernel/nanosleep.h"
#include "drivers/clock.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "param.h"
#include "linux/time.h"
#include "linux/timex.h"
#include "lib/string.h"

/* The time on clock id, in seconds and nanoseconds (kernel/clocks.c). */
static int clock_read(uint32_t id, int64_t *sec, int64_t *nsec)
{
    uint64_t ns;
    int r = clock_now((int)id, &ns);
    if (r < 0)
        return r;
    *sec = (int64_t)(ns / 1000000000u);
    *nsec = (int64_t)(ns % 1000000000u);
    return 0;
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

long sys_clock_getres_time64(struct trapframe *tf)
{
    int64_t s, ns;
    if (clock_read(tf->ebx, &s, &ns) < 0)
        return -EINVAL;
    struct __kernel_timespec res = { 0, 1000000000 / HZ };
    if (tf->ecx && copy_to_user(tf->ecx, &res, sizeof res) < 0)
        return -EFAULT;
    return 0;
}

/* ---- setting the time of day ---- */

/* Set CLOCK_REALTIME to sec, nsec: -EINVAL for a negative time or nsec out
 * of range (checked before privilege, as Linux does), -EPERM without
 * privilege (Linux's CAP_SYS_TIME). */
static int set_realtime(int64_t sec, int64_t nsec)
{
    if (sec < 0 || nsec < 0 || nsec >= 1000000000 || (uint64_t)sec >= NS_MAX / 1000000000u)
        return -EINVAL;
    if (!cred_privileged(current_cred()))
        return -EPERM;
    clock_set_realtime_ns(timespec_to_ns(sec, nsec));
    return 0;
}

/* clock_settime(id, timespec): only CLOCK_REALTIME may be set; any other
 * clock is EINVAL (before the time is read, as on Linux), but for the CPU
 * clock of a thread or process that exists (a negative id): Linux reads
 * the time, then says EPERM. */
static long do_clock_settime(uint32_t id, vaddr_t uts, bool time64)
{
    uint64_t cpu_ns;
    bool cpu_clock = (int32_t)id < 0;
    if (cpu_clock && clock_now((int)id, &cpu_ns) < 0)
        return -EINVAL;
    if (id != CLOCK_REALTIME && !cpu_clock)
        return -EINVAL;
    int64_t sec, nsec;
    if (time64) {
        struct __kernel_timespec ts;
        if (copy_from_user(&ts, uts, sizeof ts) < 0)
            return -EFAULT;
        sec = ts.tv_sec;
        nsec = (int32_t)ts.tv_nsec;        /* i386 programs: the low 32 bits */
    } else {
        struct old_timespec32 ts;
        if (copy_from_user(&ts, uts, sizeof ts) < 0)
            return -EFAULT;
        sec = ts.tv_sec;
        nsec = ts.tv_nsec;
    }
    if (cpu_clock)
        return -EPERM;
    return set_realtime(sec, nsec);
}

long sys_clock_settime(struct trapframe *tf)
{
    return do_clock_settime(tf->ebx, tf->ecx, false);
}

long sys_clock_settime64(struct trapframe *tf)
{
    return do_clock_settime(tf->ebx, tf->ecx, true);
}

/* settimeofday(timeval, timezone): either may be NULL. The time zone is
 * checked (EFAULT; after privilege, EINVAL past 15 hours) but not kept:
 * gettimeofday answers UTC. Even with both NULL it needs privilege, as on
 * Linux. */
long sys_settimeofday(struct trapframe *tf)
{
    struct old_timeval32 tv;
    struct timezone tz;
    if (tf->ebx) {
        if (copy_from_user(&tv, tf->ebx, sizeof tv) < 0)
            return -EFAULT;
        if (tv.tv_usec < 0 || tv.tv_usec >= 1000000 || tv.tv_sec < 0)
            return -EINVAL;
    }
    if (tf->ecx && copy_from_user(&tz, tf->ecx, sizeof tz) < 0)
        return -EFAULT;
    if (!cred_privileged(current_cred()))
        return -EPERM;
    if (tf->ecx && (tz.tz_minuteswest < -15 * 60 || tz.tz_minuteswest > 15 * 60))
        return -EINVAL;
    return tf->ebx ? set_realtime(tv.tv_sec, (int64_t)tv.tv_usec * 1000) : 0;
}

/* stime(time_t *): whole seconds. */
long sys_stime(struct trapframe *tf)
{
    int32_t t;
    if (copy_from_user(&t, tf->ebx, sizeof t) < 0)
        return -EFAULT;
    return set_realtime(t, 0);
}

/* ---- adjtimex, clock_adjtime: read only ---- */

/* adjtimex on CLOCK_REALTIME: bunshin has no NTP discipline, so it answers
 * what Linux answers on a clock nobody has synchronized (its values after
 * boot: unsynchronized, maximum error 16 s, a tick of 10000 us) and returns
 * TIME_ERROR. Reading (modes 0 or ADJ_OFFSET_SS_READ) is for everyone;
 * any change is EPERM without privilege and EOPNOTSUPP with it: there is
 * nothing here to adjust. */
static long do_adjtimex(vaddr_t utx)
{
    struct timex32 tx;
    if (copy_from_user(&tx, utx, sizeof tx) < 0)
        return -EFAULT;
    if (tx.modes && tx.modes != ADJ_OFFSET_SS_READ)
        return cred_privileged(current_cred()) ? -EOPNOTSUPP : -EPERM;
    int64_t s, ns;
    clock_read(CLOCK_REALTIME, &s, &ns);
    memset(&tx, 0, sizeof tx);
    tx.maxerror = tx.esterror = 16000000;          /* NTP_PHASE_LIMIT, us */
    tx.status = STA_UNSYNC | STA_NANO;
    tx.constant = 2;
    tx.precision = 1;
    tx.tolerance = 500 << 16;                      /* 500 ppm, scaled */
    tx.time_sec = (int32_t)s;
    tx.time_usec = (int32_t)ns;                    /* nanoseconds: STA_NANO */
    tx.tick = 1000000 / HZ;
    if (copy_to_user(utx, &tx, sizeof tx) < 0)
        return -EFAULT;
    return TIME_ERROR;
}

long sys_adjtimex(struct trapframe *tf)
{
    return do_adjtimex(tf->ebx);
}

/* clock_adjtime(id, timex): CLOCK_REALTIME as adjtimex; another clock
 * that exists cannot be adjusted (EOPNOTSUPP), an unknown one is EINVAL. */
long sys_clock_adjtime(struct trapframe *tf)
{
    int64_t s, ns;
    if (tf->ebx == CLOCK_REALTIME)
        return do_adjtimex(tf->ecx);
    return clock_read(tf->ebx, &s, &ns) < 0 ? -EINVAL : -EOPNOTSUPP;
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

/* nanosleep(req, rem): a relative sleep on CLOCK_MONOTONIC. rem is written
 * only when a signal cuts the sleep short, as on Linux. */
long sys_nanosleep(struct trapframe *tf)
{
    uint64_t ns;
    int r = timespec_from_user(tf->ebx, false, &ns);
    if (r < 0)
        return r;
    return do_clock_nanosleep(CLOCK_MONOTONIC, 0, ns, tf->ecx, false);
}

/* clock_nanosleep(id, flags, req, rem) in either layout. The order of the
 * checks is Linux's: the clock, then req. An absolute sleep never writes
 * rem. */
static long clock_nanosleep_user(struct trapframe *tf, bool time64)
{
    uint64_t ns;
    int r = nanosleep_clock_check((int)tf->ebx);
    if (r < 0)
        return r;
    if ((r = timespec_from_user(tf->edx, time64, &ns)) < 0)
        return r;
    vaddr_t rem = (tf->ecx & TIMER_ABSTIME) ? 0 : tf->esi;
    return do_clock_nanosleep((int)tf->ebx, (int)tf->ecx, ns, rem, time64);
}

/* clock_nanosleep (267): struct old_timespec32. */
long sys_clock_nanosleep(struct trapframe *tf)
{
    return clock_nanosleep_user(tf, false);
}

/* clock_nanosleep_time64 (407): struct __kernel_timespec. */
long sys_clock_nanosleep_time64(struct trapframe *tf)
{
    return clock_nanosleep_user(tf, true);
}
