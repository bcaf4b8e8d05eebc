/* ktimer.c: the list of armed kernel timers (ktimer.h). */
#include "kernel/ktimer.h"
#include "drivers/timer.h"

static struct ktimer *armed_head;  /* sorted by tick, soonest first */

void ktimer_disarm(struct ktimer *kt)
{
    if (!kt->armed)
        return;
    struct ktimer **pp = &armed_head;
    while (*pp != kt)
        pp = &(*pp)->next;
    *pp = kt->next;
    kt->next = 0;
    kt->armed = false;
}

void ktimer_arm(struct ktimer *kt, uint64_t expires)
{
    ktimer_disarm(kt);
    /* The first tick whose start is at or after expires. */
    kt->tick = expires / TICK_NS + (expires % TICK_NS != 0);
    /* Behind every timer due at the same tick or before: equal timers fire
     * in the order they were armed. */
    struct ktimer **pp = &armed_head;
    while (*pp && (*pp)->tick <= kt->tick)
        pp = &(*pp)->next;
    kt->next = *pp;
    *pp = kt;
    kt->armed = true;
}

void ktimer_run(uint64_t now)
{
    while (armed_head && armed_head->tick <= now) {
        struct ktimer *kt = armed_head;
        armed_head = kt->next;
        kt->next = 0;
        kt->armed = false;
        kt->fn(kt);
    }
}

uint64_t ktimer_now(void)
{
    return (timer_ticks() + 1) * TICK_NS;
}

uint64_t ns_add(uint64_t a, uint64_t b)
{
    return (a > NS_MAX || b > NS_MAX - a) ? NS_MAX : a + b;
}

uint64_t ktimer_forward(uint64_t *expires, uint64_t now, uint64_t interval)
{
    if (now < *expires)
        return 0;
    uint64_t periods = (now - *expires) / interval + 1;
    /* periods * interval is at most now - *expires + interval: no overflow
     * while both times are below NS_MAX. */
    *expires = ns_add(*expires, periods * interval);
    return periods;
}
