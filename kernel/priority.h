/* priority.h: the system calls of kernel/priority.c (nice values, I/O
 * priorities).
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef PRIORITY_H
#define PRIORITY_H

#include "kernel/trap.h"

long sys_getpriority(struct trapframe *tf);
long sys_setpriority(struct trapframe *tf);
long sys_nice(struct trapframe *tf);
long sys_ioprio_get(struct trapframe *tf);
long sys_ioprio_set(struct trapframe *tf);

#endif
