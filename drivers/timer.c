/* timer.c: PIT channel 0 as the kernel's clock.
 *
 * The PIT counts down from a divisor at 1.193182 MHz and raises IRQ 0 each
 * time it reaches zero (mode 2, "rate generator"). A divisor of 11932 gives
 * 100 interrupts a second. Each interrupt adds one to `ticks` and tells the
 * scheduler (sched_tick), which ends time slices and timed sleeps by it,
 * runs the timers that are due and counts the tick as the CPU time of the
 * thread it interrupted. */
#include "drivers/timer.h"
#include "kernel/proc.h"
#include "kernel/trap.h"
#include "param.h"
#include "x86.h"

#define PIT_HZ       1193182u
#define PIT_CHANNEL0 0x40
#define PIT_COMMAND  0x43

static volatile uint64_t ticks;

/* The TSC's rate, measured over the second tick after boot (the time
 * before the first is not a whole tick); one tick is enough, as the count
 * starts and ends on a tick, and it is ready 20 ms after boot. */
#define TSC_TICKS 1
static uint64_t tsc_first, tsc_hz;

static void timer_interrupt(struct trapframe *tf)
{
    ticks++;
    if (ticks == 1)
        tsc_first = rdtsc();
    else if (ticks == 1 + TSC_TICKS)
        tsc_hz = (rdtsc() - tsc_first) * (HZ / TSC_TICKS);
    sched_tick(ticks, trap_from_user(tf));
}

void timer_init(uint32_t hz)
{
    uint32_t divisor = (PIT_HZ + hz / 2) / hz;
    /* Command 0x34: channel 0, write low byte then high byte, mode 2, binary. */
    outb(PIT_COMMAND, 0x34);
    outb(PIT_CHANNEL0, (uint8_t)(divisor & 0xFF));
    outb(PIT_CHANNEL0, (uint8_t)(divisor >> 8));
    irq_register(IRQ_TIMER, timer_interrupt);
}

uint64_t timer_tsc_hz(void)
{
    return tsc_hz;
}

uint64_t timer_ticks(void)
{
    return ticks;
}

uint64_t timer_deadline(uint64_t ns)
{
    /* (ns + TICK_NS - 1 cannot overflow: callers' times are below 2^63.) */
    return ticks + (ns + TICK_NS - 1) / TICK_NS + 1;
}
