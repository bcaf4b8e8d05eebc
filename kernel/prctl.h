/* prctl.h: the system call of kernel/prctl.c.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef PRCTL_KERNEL_H
#define PRCTL_KERNEL_H

#include "kernel/trap.h"

long sys_prctl(struct trapframe *tf);
long sys_personality(struct trapframe *tf);
long sys_arch_prctl(struct trapframe *tf);

#endif
