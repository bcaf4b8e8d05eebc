/* ktimer.h: timers inside the kernel: a function called at a timer tick.
 *
 * An armed ktimer waits on one list, sorted by the tick it is due at. On
 * every timer interrupt sched_tick calls ktimer_run, which looks at the head
 * of the list only: a tick costs one comparison when no timer is due, and
 * nothing more when there is no timer at all. ITIMER_REAL (kernel/itimer.c)
 * and POSIX timers (kernel/posix_timer.c) are built on it.
 *
 * Times are kept in nanoseconds on the monotonic clock (time since boot) and
 * rounded up to ticks only to decide when to fire: a periodic timer of 15 ms
 * fires at 20, 30, 50, 60 ms..., 15 ms apart on average. Everything is 64
 * bits, so no deadline ever wraps round. Interrupts are off in the kernel
 * and there is one CPU: no locks.
 */
#ifndef KTIMER_H
#define KTIMER_H

#include "types.h"

/* The largest time the timers take, in ns (Linux's KTIME_MAX, 292 years):
 * longer times are cut to it. */
#define NS_MAX 0x7fffffffffffffffull

struct ktimer {
    struct ktimer *next;           /* the next armed timer, due at or after this one */
    uint64_t tick;                 /* due at this timer tick */
    bool armed;                    /* on the list */
    void (*fn)(struct ktimer *kt); /* called from the timer interrupt, unarmed by then */
    void *data;                    /* the object the timer belongs to, for fn */
};

/* Put kt on the list, due at the first tick at which the monotonic clock
 * reads at least expires (ns); if it was armed, it moves. */
void ktimer_arm(struct ktimer *kt, uint64_t expires);
/* Take kt off the list, if it is on it. */
void ktimer_disarm(struct ktimer *kt);
/* The timer interrupt's part (sched_tick): call the fn of every timer due at
 * or before tick now, in order. An fn must not arm a timer that is due by now. */
void ktimer_run(uint64_t now);

/* "Now" for timers: the end of the current tick, the latest the time can
 * be. A timer set to go off d ns from now is due at ktimer_now() + d: never
 * early, at most one tick late; the time left is its due time minus
 * ktimer_now(). */
uint64_t ktimer_now(void);

/* Move *expires forward by whole periods of interval until it is after
 * now, as Linux's hrtimer_forward does: the number of periods added (0 if
 * *expires was already after now). */
uint64_t ktimer_forward(uint64_t *expires, uint64_t now, uint64_t interval);

/* a + b, at most NS_MAX. */
uint64_t ns_add(uint64_t a, uint64_t b);

#endif
