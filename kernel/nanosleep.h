/* nanosleep.h: sleeping until a time on a clock: nanosleep(2) and
 * clock_nanosleep(2) (kernel/nanosleep.c). */
#ifndef NANOSLEEP_H
#define NANOSLEEP_H

#include "types.h"

/* Can clock id sleep at all? 0, -EINVAL (no such clock) or -EOPNOTSUPP
 * (one that can only be read, or the calling thread's CPU clock):
 * clock_nanosleep's first checks, made before it reads the time asked for,
 * as on Linux. */
int nanosleep_clock_check(int id);

/* clock_nanosleep(id, flags, ns, rem): sleep ns on clock id (from now, or
 * until that time with TIMER_ABSTIME). A signal that cuts a relative sleep
 * short writes the time left to rem (if not 0; a __kernel_timespec if
 * rem64, else an old_timespec32) and returns -ERESTART_RESTARTBLOCK: after
 * a handler the program sees EINTR, else restart_syscall sleeps on to the
 * same end. An absolute sleep returns -ERESTARTNOHAND: EINTR after a
 * handler, else the call starts again with its own deadline. */
long do_clock_nanosleep(int id, int flags, uint64_t ns, vaddr_t rem, bool rem64);

#endif
