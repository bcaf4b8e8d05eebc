/* console.h: the kernel's output device, COM1 and VGA together. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include "types.h"

void console_init(void);
/* Write n bytes to the serial line and the screen; \n becomes \r\n on serial. */
void console_write(const char *s, size_t n);
/* Write n bytes as they are (the tty's output, already through OPOST). */
void console_put(const char *s, size_t n);

#endif
