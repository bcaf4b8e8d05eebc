/* capability.h: the system calls of kernel/capability.c (capget, capset).
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef CAPABILITY_KERNEL_H
#define CAPABILITY_KERNEL_H

#include "kernel/trap.h"

long sys_capget(struct trapframe *tf);
long sys_capset(struct trapframe *tf);

#endif
