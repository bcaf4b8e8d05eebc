/* klog.h: the kernel's log, what dmesg reads (kernel/klog.c).
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef KLOG_H
#define KLOG_H

#include "kernel/trap.h"

/* Keep n bytes the console printed in the log (printk calls it; any
 * context, interrupt handlers too: it never sleeps). */
void klog_write(const char *s, uint32_t n);

long sys_syslog(struct trapframe *tf);

#endif
