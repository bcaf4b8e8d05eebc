/* tty.h: the console terminal: one device for the serial line and the
 * keyboard + screen, with a line discipline (echo, erase, kill line, ^C, ^D). */
#ifndef TTY_H
#define TTY_H

#include "types.h"
#include "fs/fs.h"

/* Start input: serial receive interrupts and the PS/2 keyboard. */
void tty_init(void);
/* One character typed, from an interrupt handler (serial or keyboard). */
void tty_input(char c);
/* The console's file operations (for /dev/console and init's fds 0-2). */
extern const struct file_ops tty_ops;

#endif
