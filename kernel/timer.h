/* timer.h: the 8253/8254 programmable interval timer, and kernel time. */
#ifndef TIMER_H
#define TIMER_H

#include "types.h"

/* Program PIT channel 0 to interrupt hz times a second, and count the ticks. */
void timer_init(uint32_t hz);

/* Timer interrupts since timer_init. */
uint32_t timer_ticks(void);

#endif
