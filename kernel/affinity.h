/* affinity.h: the system calls of kernel/affinity.c (one CPU).
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef AFFINITY_H
#define AFFINITY_H

#include "kernel/trap.h"

long sys_sched_getaffinity(struct trapframe *tf);
long sys_sched_setaffinity(struct trapframe *tf);
long sys_getcpu(struct trapframe *tf);

#endif
