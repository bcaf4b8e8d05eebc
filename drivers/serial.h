/* serial.h: the COM1 serial port (8250/16550 UART). */
#ifndef SERIAL_H
#define SERIAL_H

void serial_init(void);
/* Send one byte, waiting until the UART can take it. */
void serial_putc(char c);
/* Deliver received bytes to the tty, through IRQ 4. */
void serial_enable_input(void);

#endif
