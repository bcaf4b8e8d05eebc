/* timer.h: the 8253/8254 programmable interval timer, and kernel time. */
#ifndef TIMER_H
#define TIMER_H

#include "types.h"

/* Program PIT channel 0 to interrupt hz times a second, and count the ticks. */
void timer_init(uint32_t hz);

/* Timer interrupts since timer_init. */
uint32_t timer_ticks(void);

/* The tick value by which at least ns nanoseconds will have passed: rounded
 * up to whole ticks, plus one because the current tick is partly over. */
uint32_t timer_deadline(uint64_t ns);

#endif
