/* clock.h: the time of day and time since boot. */
#ifndef CLOCK_H
#define CLOCK_H

#include "types.h"

/* Read the CMOS real-time clock once at boot. */
void clock_init(void);
/* Seconds since 1970-01-01 UTC (CLOCK_REALTIME). */
uint32_t clock_realtime_seconds(void);
/* The same in nanoseconds, in steps of one timer tick: CLOCK_MONOTONIC
 * plus an offset, which only clock_set_realtime_ns changes. */
uint64_t clock_realtime_ns(void);
/* Set the time of day (clock_settime, settimeofday, stime): from now on
 * clock_realtime_ns counts on from ns. Timers on CLOCK_MONOTONIC do not
 * notice; absolute CLOCK_REALTIME ones set before are not moved. */
void clock_set_realtime_ns(uint64_t ns);
/* Nanoseconds since boot (CLOCK_MONOTONIC), in steps of one timer tick. */
uint64_t clock_monotonic_ns(void);

#endif
