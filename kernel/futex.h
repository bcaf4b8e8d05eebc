/* futex.h: the kernel half of the fast user-space mutex (kernel/futex.c). */
#ifndef FUTEX_KERNEL_H
#define FUTEX_KERNEL_H

#include "kernel/trap.h"

struct mm;

/* futex(2): wait on or wake a word of user memory (kernel/syscall_table.c). */
long sys_futex(struct trapframe *tf);

/* Wake up to n threads waiting in FUTEX_WAIT on address uaddr of mm.
 * Returns how many woke. (exit wakes pthread_join this way.) */
int futex_wake(struct mm *mm, vaddr_t uaddr, int n);

#endif
