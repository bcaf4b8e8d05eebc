/* sched_policy.h: the system calls of kernel/sched_policy.c (scheduling
 * policies and real-time priorities: the sched_* family).
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SCHED_POLICY_H
#define SCHED_POLICY_H

#include "kernel/proc.h"
#include "kernel/trap.h"

/* fork's part: a child of a SCHED_RESET_ON_FORK thread starts as
 * SCHED_NORMAL with a nice value of at least 0, without the flag. */
void sched_policy_fork(struct proc *child);

long sys_sched_setparam(struct trapframe *tf);
long sys_sched_getparam(struct trapframe *tf);
long sys_sched_setscheduler(struct trapframe *tf);
long sys_sched_getscheduler(struct trapframe *tf);
long sys_sched_get_priority_max(struct trapframe *tf);
long sys_sched_get_priority_min(struct trapframe *tf);
long sys_sched_rr_get_interval(struct trapframe *tf);
long sys_sched_rr_get_interval_time64(struct trapframe *tf);
long sys_sched_setattr(struct trapframe *tf);
long sys_sched_getattr(struct trapframe *tf);

#endif
