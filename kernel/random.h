/* random.h: random numbers for the kernel (kernel/random.c): the AT_RANDOM
 * bytes of every new program and the offsets of address-space layout
 * randomisation. Unpredictable enough to make addresses differ from run to
 * run and from program to program; not cryptographic. */
#ifndef RANDOM_H
#define RANDOM_H

#include "types.h"
#include "kernel/trap.h"

/* Mix the time of an interrupt (the time-stamp counter now) into the pool.
 * Called for every hardware interrupt, with interrupts off. */
void random_add_interrupt(int irq);

/* 32 random bits. */
uint32_t random_u32(void);

/* A random number in [0, n), or 0 if n is 0. */
uint32_t random_below(uint32_t n);

/* Fill buf with n random bytes. */
void random_bytes(void *buf, uint32_t n);

/* getrandom(buf, count, flags): count random bytes for a program, from the
 * same pool (so, like everything here, not for keys that must stay
 * secret). The pool is ready from boot, so no flag ever makes it wait. */
long sys_getrandom(struct trapframe *tf);

#endif
