/* clock.h: the time of day and time since boot. */
#ifndef CLOCK_H
#define CLOCK_H

#include "types.h"

/* Read the CMOS real-time clock once at boot. */
void clock_init(void);
/* Seconds since 1970-01-01 UTC (CLOCK_REALTIME). */
uint32_t clock_realtime_seconds(void);
/* The same in nanoseconds, in steps of one timer tick. Nothing sets the
 * clock, so it moves in step with CLOCK_MONOTONIC: the difference between
 * the two never changes. */
uint64_t clock_realtime_ns(void);
/* Nanoseconds since boot (CLOCK_MONOTONIC), in steps of one timer tick. */
uint64_t clock_monotonic_ns(void);

#endif
