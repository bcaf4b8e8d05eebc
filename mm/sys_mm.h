/* sys_mm.h: the system calls of mm/sys_mm.c, which change the address
 * space: brk, mmap2, munmap, mprotect, madvise.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_MM_H
#define SYS_MM_H

#include "kernel/trap.h"

long sys_brk(struct trapframe *tf);
long sys_mmap2(struct trapframe *tf);
long sys_munmap(struct trapframe *tf);
long sys_mprotect(struct trapframe *tf);
long sys_madvise(struct trapframe *tf);

#endif
