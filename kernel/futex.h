/* futex.h: the kernel half of the fast user-space mutex (kernel/futex.c). */
#ifndef FUTEX_KERNEL_H
#define FUTEX_KERNEL_H

#include "kernel/trap.h"

struct mm;

/* futex(2): wait on or wake a word of user memory (kernel/syscall_table.c). */
long sys_futex(struct trapframe *tf);
/* futex_time64(2): the same, the timeout a struct __kernel_timespec. */
long sys_futex_time64(struct trapframe *tf);

/* Wake up to n threads waiting in FUTEX_WAIT on address uaddr of mm.
 * Returns how many woke. (exit wakes pthread_join this way.) */
int futex_wake(struct mm *mm, vaddr_t uaddr, int n);

/* ---- shared by kernel/futex.c and kernel/futex_pi.c ---- */
struct proc;
/* The key of the word at uaddr of mm: (mm, uaddr), or (the shared space,
 * physical address) for a word in MAP_SHARED memory unless private (the
 * operation had FUTEX_PRIVATE_FLAG). */
void futex_key(struct mm *mm, vaddr_t uaddr, bool private, struct mm **kmm, vaddr_t *kaddr);
/* Is p waiting (or woken by a signal but not gone yet) on the word with
 * key (mm, uaddr)? */
bool futex_waits_on(struct proc *p, struct mm *mm, vaddr_t uaddr);

/* kernel/futex_pi.c: FUTEX_LOCK_PI, LOCK_PI2 and TRYLOCK_PI (trylock),
 * until the timer tick deadline (0: none); FUTEX_UNLOCK_PI. */
long futex_lock_pi(vaddr_t uaddr, uint64_t deadline, bool trylock, bool private);
long futex_unlock_pi(vaddr_t uaddr, bool private);
/* Thread p is ending: wake the PI waiters on locks it holds, so that one
 * takes each lock over (kernel/exit.c, after the robust list). */
void futex_pi_owner_exit(struct proc *p);

#endif
