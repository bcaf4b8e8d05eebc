/* printk.c: formatted console output (kept in the log too: kernel/klog.c),
 * and panic. */
#include "printk.h"
#include "lib/format.h"
#include "boot/cmdline.h"
#include "drivers/console.h"
#include "drivers/qemu.h"
#include "kernel/klog.h"
#include "param.h"
#include "x86.h"

void vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int n = kvsnprintf(buf, sizeof buf, fmt, ap);
    if (n >= (int)sizeof buf)
        n = sizeof buf - 1;         /* cut long lines rather than lose them */
    /* Keep one message whole even if an interrupt handler prints too. */
    uint32_t flags = irq_save();
    console_write(buf, (size_t)n);
    klog_write(buf, (uint32_t)n);   /* and in the log dmesg reads */
    irq_restore(flags);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    static int panicking;
    va_list ap;

    cli();
    if (panicking++) {              /* a panic while panicking: just stop */
        for (;;)
            hlt();
    }
    printk("\nkernel panic: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    if (boot_options.panic_exit) {
        printk("bunshin: leaving QEMU with status %d\n", PANIC_EXIT_STATUS);
        qemu_exit(PANIC_EXIT_STATUS);
    }
    printk("bunshin: halted (attach gdb with `make gdb`, or quit QEMU with Ctrl-A X)\n");
    for (;;)
        hlt();
}
