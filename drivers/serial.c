/* serial.c: COM1 output at 115200 baud, 8 data bits, no parity, 1 stop bit.
 * QEMU's -serial stdio (or mon:stdio) connects it to the terminal, which is
 * what makes `make qemu-nox` and the test runners work. Output is polled: the
 * kernel waits for the transmit register to empty before each byte, simple
 * and safe to call from anywhere, even from a panic. */
#include "drivers/serial.h"
#include "kernel/trap.h"
#include "drivers/tty.h"
#include "x86.h"

#define COM1 0x3F8
/* Register offsets from the base port (16550 data sheet). */
#define UART_DATA 0          /* transmit/receive; divisor low when DLAB = 1 */
#define UART_IER  1          /* interrupt enable; divisor high when DLAB = 1 */
#define UART_FCR  2          /* FIFO control */
#define UART_LCR  3          /* line control; bit 7 is DLAB */
#define UART_MCR  4          /* modem control */
#define UART_LSR  5          /* line status */
#define LSR_DATA_READY 0x01  /* a received byte is waiting */
#define LSR_THR_EMPTY 0x20   /* the transmit holding register can take a byte */

static int serial_present;

/* The FIFOs are left as the loader left them (off after a reset; GRUB may
 * have turned them on): switching them on or off throws away what was
 * received, and bytes typed before the kernel started may be arriving at
 * that moment. Either way QEMU hands the UART a byte only when it has room
 * for it, so nothing typed early is lost. */
void serial_init(void)
{
    outb(COM1 + UART_IER, 0x00);        /* no interrupts yet */
    outb(COM1 + UART_LCR, 0x80);        /* DLAB on: next two writes set the divisor */
    outb(COM1 + UART_DATA, 1);          /* 115200 / 1 = 115200 baud */
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, 0x03);        /* DLAB off; 8 bits, no parity, 1 stop bit */
    outb(COM1 + UART_MCR, 0x0B);        /* DTR, RTS, OUT2 (OUT2 gates the IRQ line) */
    /* A missing UART reads back 0xFF from every register. */
    serial_present = inb(COM1 + UART_LSR) != 0xFF;
}

void serial_putc(char c)
{
    if (!serial_present)
        return;
    /* A bounded wait: a UART that never becomes ready must not hang the kernel. */
    for (int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_THR_EMPTY); i++)
        ;
    outb(COM1 + UART_DATA, (uint8_t)c);
}

/* IRQ 4: bytes have arrived. Pass each to the terminal. */
static void serial_interrupt(struct trapframe *tf)
{
    (void)tf;
    while (inb(COM1 + UART_LSR) & LSR_DATA_READY)
        tty_input((char)inb(COM1 + UART_DATA));
}

/* A byte that arrived before input was turned on waits in the UART (and
 * the rest behind it, in QEMU): it goes to the tty first, so that nothing
 * typed early is lost. */
void serial_enable_input(void)
{
    if (!serial_present)
        return;
    irq_register(IRQ_COM1, serial_interrupt);
    outb(COM1 + UART_IER, 0x01);        /* interrupt when data is received */
    serial_interrupt(0);
}
