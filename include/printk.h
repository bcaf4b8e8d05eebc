/* printk.h: the kernel's console output and its last resort. */
#ifndef PRINTK_H
#define PRINTK_H

#include "types.h"

/* Format and print on every console (serial and VGA). Safe from interrupt
 * handlers: it only polls hardware and never sleeps. */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);

/* Print "kernel panic: ...", then stop: halt for good (so a person can read
 * the screen or attach gdb), or leave QEMU with PANIC_EXIT_STATUS when the
 * command line says panic=exit (the test runners do). Never returns. */
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Check a condition that must hold; panic with the place it failed if not. */
#define assert(cond) \
    ((cond) ? (void)0 : panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__))

#endif
