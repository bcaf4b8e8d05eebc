/* clocks.h: the clocks a program names by id (CLOCK_REALTIME, CLOCK_MONOTONIC,
 * the CPU-time clocks...): what each one is, and reading it.
 *
 * bunshin's clocks all count timer ticks. CLOCK_MONOTONIC and CLOCK_BOOTTIME
 * are the time since boot (the machine never suspends); CLOCK_REALTIME and
 * CLOCK_TAI are the time of day, which nothing sets, so they keep a fixed
 * distance from CLOCK_MONOTONIC (clock_offset); the CPU-time clocks count
 * the ticks that found a thread running (kernel/cputime.c). */
#ifndef CLOCKS_H
#define CLOCKS_H

#include "types.h"

/* What a clock id is, for the calls that take one. Linux's answers for the
 * clocks that cannot do something: clock_nanosleep and timer_create refuse
 * CLOCK_READ_ONLY with EOPNOTSUPP at once; the alarm clocks need a
 * real-time-clock device that can wake the machine, which bunshin has not
 * (nor has a Linux machine without one): EOPNOTSUPP, after the call's other
 * checks. */
enum clock_kind {
    CLOCK_NONE,                    /* no such clock: EINVAL */
    CLOCK_WALL,                    /* REALTIME, TAI: the time of day */
    CLOCK_BOOT,                    /* MONOTONIC, BOOTTIME: time since boot */
    CLOCK_READ_ONLY,               /* MONOTONIC_RAW and the COARSE clocks */
    CLOCK_PROCESS_CPU,             /* CPU time of the caller's process */
    CLOCK_THREAD_CPU,              /* CPU time of the calling thread */
    CLOCK_ALARM,                   /* REALTIME_ALARM, BOOTTIME_ALARM */
};

enum clock_kind clock_kind(int id);

/* The time on clock id now (for the calling thread, for the CPU clocks),
 * in ns: 0, or -EINVAL if id is not a clock one can read. */
int clock_now(int id, uint64_t *ns);

/* What to subtract from a time on wall or boot clock id to have it on the
 * monotonic clock, where kernel timers count (kernel/ktimer.h). */
uint64_t clock_offset(int id);

/* A timespec's two fields as ns (sec >= 0, 0 <= nsec < 10^9), cut to
 * NS_MAX as Linux's timespec64_to_ktime does. */
uint64_t timespec_to_ns(int64_t sec, int64_t nsec);

/* A timespec at user address u as ns: a struct __kernel_timespec if time64
 * (the *_time64 calls; only the low 32 bits of tv_nsec count, as on Linux
 * for i386 programs), else a struct old_timespec32. 0, -EFAULT, or -EINVAL
 * for a negative time or tv_nsec out of range (timespec64_valid). For the
 * timeouts and requests of futex, nanosleep and clock_nanosleep. */
int timespec_from_user(vaddr_t u, bool time64, uint64_t *ns);

#endif
