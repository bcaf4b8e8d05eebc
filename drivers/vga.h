/* vga.h: the 80x25 VGA text screen. */
#ifndef VGA_H
#define VGA_H

void vga_init(void);
/* Show one character at the cursor, as Linux's console would: control
 * characters (\n, \r, \b, \t) move the cursor, ANSI escape sequences move
 * it, erase and colour (vga.c lists them); the screen scrolls when full. */
void vga_putc(char c);

#endif
