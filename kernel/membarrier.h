/* membarrier.h: the system call of kernel/membarrier.c.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef MEMBARRIER_KERNEL_H
#define MEMBARRIER_KERNEL_H

#include "kernel/trap.h"

long sys_membarrier(struct trapframe *tf);

#endif
