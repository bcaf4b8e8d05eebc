/* rusage.h: what a process has used: times, getrusage, and the rusage of
 * wait4 and waitid (kernel/rusage.c).
 *
 * CPU time is counted per tick (kernel/cputime.c) into the thread group,
 * page faults served into the thread group too (mm/fault.c); when a parent
 * reaps a child, the child's totals, with those of the children it reaped,
 * are added to the parent's "children" totals (rusage_reap). A fork child
 * starts at zero (fork(2)): thread_group_copy gives it a fresh group. */
#ifndef RUSAGE_H
#define RUSAGE_H

#include "kernel/trap.h"
#include "linux/resource.h"

struct proc;

/* The rusage of child p, its own and its reaped children's (what wait4
 * gives), into *ru; and add it to the reaping process's children's totals.
 * Called while p's thread group still exists. */
void rusage_reap(struct proc *p, struct rusage *ru);

long sys_times(struct trapframe *tf);
long sys_getrusage(struct trapframe *tf);

#endif
