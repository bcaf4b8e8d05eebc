/* console.c: one output for two devices. Everything the kernel prints goes to
 * the serial port (what `make qemu-nox`, the tests and a terminal see) and to
 * the VGA screen (what the QEMU window shows). Input comes the other way,
 * through the line discipline (drivers/tty.c). */
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
        if (s[i] == '\n')
            serial_putc('\r');   /* terminals want CR LF */
        serial_putc(s[i]);
        vga_putc(s[i]);
    }
}
