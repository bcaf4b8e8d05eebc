/* vga.h: the 80x25 VGA text screen. */
#ifndef VGA_H
#define VGA_H

void vga_init(void);
/* Show one character at the cursor, handling \n, \r, \b and \t, scrolling
 * when the screen is full. */
void vga_putc(char c);

#endif
