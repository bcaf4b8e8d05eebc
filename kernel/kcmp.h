/* kcmp.h: the system call of kernel/kcmp.c.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef KCMP_KERNEL_H
#define KCMP_KERNEL_H

#include "kernel/trap.h"

long sys_kcmp(struct trapframe *tf);

#endif
