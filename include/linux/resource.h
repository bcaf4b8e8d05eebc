/* resource.h: resource limits and usage, with Linux's i386 values.
 * Linux: <linux/resource.h> <asm/resource.h> */
#ifndef RESOURCE_H
#define RESOURCE_H

#include "linux/time.h"

#define RLIMIT_CPU        0
#define RLIMIT_FSIZE      1
#define RLIMIT_DATA       2
#define RLIMIT_STACK      3     /* how far the stack may grow */
#define RLIMIT_CORE       4
#define RLIMIT_RSS        5
#define RLIMIT_NPROC      6     /* processes per user */
#define RLIMIT_NOFILE     7     /* descriptors per process: one more than the highest */
#define RLIMIT_MEMLOCK    8
#define RLIMIT_AS         9
#define RLIMIT_LOCKS      10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE   12
#define RLIMIT_NICE       13
#define RLIMIT_RTPRIO     14
#define RLIMIT_RTTIME     15
#define RLIM_NLIMITS      16

#define RLIM_INFINITY   0xFFFFFFFFu           /* ~0UL: "no limit" in a 32-bit rlimit */
#define RLIM64_INFINITY 0xFFFFFFFFFFFFFFFFull /* ~0ULL: the same in prlimit64's */

/* getpriority/setpriority: whom "who" names, and the nice values' range
 * (a value past either end is taken as that end). */
#define PRIO_PROCESS    0
#define PRIO_PGRP       1
#define PRIO_USER       2
#define PRIO_MIN        (-20)
#define PRIO_MAX        20

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD   1

/* What wait4 and getrusage fill in: times and 14 counters. */
struct rusage {
    struct old_timeval32 ru_utime;     /* user CPU time */
    struct old_timeval32 ru_stime;     /* system CPU time */
    int32_t ru_maxrss, ru_ixrss, ru_idrss, ru_isrss;
    int32_t ru_minflt, ru_majflt, ru_nswap, ru_inblock, ru_oublock;
    int32_t ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};
_Static_assert(sizeof(struct rusage) == 72, "struct rusage is 72 bytes on i386");

#endif
