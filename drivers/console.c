/* console.c: one output for two devices. Everything the kernel prints goes to
 * the serial port (what `make qemu-nox`, the tests and a terminal see) and to
 * the VGA screen (what the QEMU window shows). Input comes the other way,
 * through the line discipline (drivers/tty.c).
 *
 * Two ways out: console_write for the kernel's own messages (printk),
 * which turns \n into \r\n itself, and console_put for the terminal's
 * output, which sends bytes as they are: the tty's line discipline has
 * already decided (ONLCR) whether a newline takes a carriage return. */
#include "drivers/console.h"
#include "drivers/serial.h"
#include "drivers/vga.h"

void console_init(void)
{
    serial_init();
    vga_init();
}

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            serial_putc('\r');   /* terminals want CR LF */
            vga_putc('\r');
        }
        serial_putc(s[i]);
        vga_putc(s[i]);
    }
}

void console_put(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        serial_putc(s[i]);
        vga_putc(s[i]);
    }
}
