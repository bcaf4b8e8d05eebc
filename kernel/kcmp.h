/* kcmp.h: the system call of kernel/kcmp.c.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef KCMP_KERNEL_H
#define KCMP_KERNEL_H

#include "kernel/trap.h"

long sys_kcmp(struct trapframe *tf);

struct proc;
/* May the caller look into process p as ptrace would: privileged, or p's
 * real, effective and saved user and group ids all the caller's own?
 * (kcmp, pidfd_getfd) */
bool may_inspect_process(const struct proc *p);

#endif
