// timer_common.h: what t_timer and t_ptimer share: Linux i386's numbers and
// structures for the timer calls, made raw (the ABI is the subject: 32-bit
// longs, -errno), a handler that keeps the last siginfo, and helpers.
#ifndef TIMER_COMMON_H
#define TIMER_COMMON_H

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

// Linux i386's numbers (spelled out: musl's names for the time64 calls vary).
#define NR_alarm 27
#define NR_setitimer 104
#define NR_getitimer 105
#define NR_timer_create 259
#define NR_timer_settime 260
#define NR_timer_gettime 261
#define NR_timer_getoverrun 262
#define NR_timer_delete 263
#define NR_clock_nanosleep 267
#define NR_clock_nanosleep_time64 407
#define NR_timer_gettime64 408
#define NR_timer_settime64 409

#define MS 1000000LL
#define SEC 1000000000LL
#define BAD ((long)1)                  // an address that is never mapped

struct kitimerval { int32_t isec, iusec, vsec, vusec; };    // interval first
struct kts32 { int32_t sec, nsec; };
struct kits32 { struct kts32 interval, value; };
struct kts64 { int64_t sec, nsec; };
struct kits64 { struct kts64 interval, value; };
struct ksigevent { int32_t value, signo, notify, tid; int32_t pad[12]; };   // 64 bytes

// A system call's result, or -errno.
static inline long rs(long nr, long a, long b, long c, long d)
{
    long r = syscall(nr, a, b, c, d);
    return r < 0 ? -errno : r;
}

// ok if a raw call (rs) gave -err.
static inline void check_err(const char *name, long r, int err)
{
    check(r == -err, name, "expected %s, got %s", errname(err),
          r < 0 ? errname((int)-r) : tname("%ld (success)", r));
}

static inline long long ts32_ns(struct kts32 t) { return t.sec * SEC + t.nsec; }
static inline long long now_ns(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (long long)t.tv_sec * SEC + t.tv_nsec;
}

static volatile sig_atomic_t hits, hit_tid;
static siginfo_t last;
static inline void on_sig(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    last = *si;
    hit_tid = (sig_atomic_t)syscall(SYS_gettid);
    hits++;
}

static inline void burn_until(volatile sig_atomic_t *v, int want, long long ms)
{
    long long end = now_ns(CLOCK_MONOTONIC) + ms * MS;
    while (*v < want && now_ns(CLOCK_MONOTONIC) < end)
        for (volatile int i = 0; i < 10000; i++)
            ;
}

static inline int set_itimer(int which, long long value_ms, long long interval_ms, struct kitimerval *old)
{
    struct kitimerval v = { (int32_t)(interval_ms / 1000), (int32_t)(interval_ms % 1000 * 1000),
                            (int32_t)(value_ms / 1000), (int32_t)(value_ms % 1000 * 1000) };
    return (int)rs(NR_setitimer, which, (long)&v, (long)old, 0);
}

static inline long long itimer_left_ms(int which, long long *interval_ms)
{
    struct kitimerval v;
    if (rs(NR_getitimer, which, (long)&v, 0, 0) < 0)
        return -1;
    if (interval_ms)
        *interval_ms = v.isec * 1000LL + v.iusec / 1000;
    return v.vsec * 1000LL + (v.vusec + 999) / 1000;
}

#endif
