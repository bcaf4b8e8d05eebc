/* sysinfo.h: the system call of kernel/sysinfo.c.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYSINFO_KERNEL_H
#define SYSINFO_KERNEL_H

#include "kernel/trap.h"

long sys_sysinfo(struct trapframe *tf);

#endif
