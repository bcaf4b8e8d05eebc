/* timer.h: the 8253/8254 programmable interval timer, and kernel time. */
#ifndef TIMER_H
#define TIMER_H

#include "types.h"
#include "param.h"

/* Nanoseconds in one timer tick. */
#define TICK_NS (1000000000u / HZ)

/* Program PIT channel 0 to interrupt hz times a second, and count the ticks. */
void timer_init(uint32_t hz);

/* Timer interrupts since timer_init. 64 bits: at 100 a second the count
 * never wraps, so a deadline is a plain number compared with <, however
 * far away it is. */
uint64_t timer_ticks(void);

/* The time stamp counter's cycles a second, measured against the timer
 * (for /proc/cpuinfo's cpu MHz and bogomips); 0 in the first ticks. */
uint64_t timer_tsc_hz(void);

/* The tick value by which at least ns nanoseconds will have passed: rounded
 * up to whole ticks, plus one because the current tick is partly over. */
uint64_t timer_deadline(uint64_t ns);

#endif
