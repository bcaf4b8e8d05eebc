/* futex_robust.h: robust mutexes (kernel/futex_robust.c).
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef FUTEX_ROBUST_H
#define FUTEX_ROBUST_H

#include "kernel/trap.h"

struct proc;

long sys_set_robust_list(struct trapframe *tf);
long sys_get_robust_list(struct trapframe *tf);

/* Thread p is ending or execs, its address space still in place: every
 * robust mutex it holds is marked FUTEX_OWNER_DIED and one sleeper woken,
 * and its list is forgotten. */
void futex_robust_release(struct proc *p);

#endif
