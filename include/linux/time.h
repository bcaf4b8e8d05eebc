/* time.h: clock ids and the time structures of the Linux i386 ABI.
 * Linux: <linux/time.h> <linux/time_types.h>
 *
 * i386 has two of each time structure: the old one with 32-bit seconds
 * (which overflow in 2038) and a 64-bit one that the "_time64" system calls
 * take; musl uses the 64-bit calls first. */
#ifndef TIME_H
#define TIME_H

#include "types.h"

#define CLOCK_REALTIME           0    /* the time of day */
#define CLOCK_MONOTONIC          1    /* time since boot, never set back */
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7
#define CLOCK_REALTIME_ALARM     8
#define CLOCK_BOOTTIME_ALARM     9
#define CLOCK_TAI                11

/* The CPU-time clocks of other threads and processes (clock_getcpuclockid,
 * pthread_getcpuclockid) have negative ids: ~pid << 3 | kind, with bit 2
 * set for a thread (pid 0: the caller). Linux's encoding, from its own
 * kernel headers (posix-timers_types.h), not its uapi: each line says
 * "bunshin:". */
#define CPUCLOCK_PROF            0   /* bunshin: user + system time */
#define CPUCLOCK_VIRT            1   /* bunshin: user time */
#define CPUCLOCK_SCHED           2   /* bunshin: time on a CPU (here as PROF) */
#define CPUCLOCK_MAX             3   /* bunshin: kinds are below it */
#define CPUCLOCK_CLOCK_MASK      3   /* bunshin: the kind's bits */
#define CPUCLOCK_PERTHREAD_MASK  4   /* bunshin: a thread's clock, not a process's */

#define TIMER_ABSTIME 0x01             /* clock_nanosleep, timer_settime: an
                                          absolute time, not one from now */

/* setitimer's and getitimer's timers. */
#define ITIMER_REAL    0               /* real time: SIGALRM */
#define ITIMER_VIRTUAL 1               /* the process's user CPU time: SIGVTALRM */
#define ITIMER_PROF    2               /* all its CPU time: SIGPROF */


struct old_timespec32 {                /* nanosleep, clock_gettime (32-bit) */
    int32_t tv_sec;
    int32_t tv_nsec;
};

struct __kernel_timespec {             /* clock_gettime64, utimensat_time64 */
    int64_t tv_sec;
    int64_t tv_nsec;
};

struct old_timeval32 {                 /* gettimeofday */
    int32_t tv_sec;
    int32_t tv_usec;
};

struct old_itimerval32 {               /* setitimer, getitimer: the period first */
    struct old_timeval32 it_interval;
    struct old_timeval32 it_value;
};

struct old_itimerspec32 {              /* timer_settime, timer_gettime */
    struct old_timespec32 it_interval;
    struct old_timespec32 it_value;
};

struct __kernel_itimerspec {           /* timer_settime64, timer_gettime64 */
    struct __kernel_timespec it_interval;
    struct __kernel_timespec it_value;
};

struct timezone {
    int32_t tz_minuteswest;
    int32_t tz_dsttime;
};

#endif
