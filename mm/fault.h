/* fault.h: what the kernel does about a page fault (mm/fault.c). */
#ifndef FAULT_H
#define FAULT_H

#include "kernel/trap.h"

/* The page-fault policy: trap_dispatch calls it for every page fault
 * (vector 14), from user or kernel mode, with cr2 still holding the address.
 * A fault the address space can serve (stack growth, copy-on-write) is
 * served and the access retried; any other ends the faulting process with
 * SIGSEGV (SIGKILL if memory ran out), or, in the kernel, goes to
 * trap_kernel_fault (a user copy's -EFAULT exit, or a panic). */
void page_fault(struct trapframe *tf);

#endif
