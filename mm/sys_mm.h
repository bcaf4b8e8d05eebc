/* sys_mm.h: the system calls of mm/sys_mm.c, which change the address
 * space: brk, mmap2, mmap, munmap, mprotect, madvise, msync, mincore. (The
 * memory locks: mlock.h; mremap: mremap.h.)
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_MM_H
#define SYS_MM_H

#include "kernel/trap.h"

long sys_brk(struct trapframe *tf);
long sys_mmap2(struct trapframe *tf);
long sys_munmap(struct trapframe *tf);
long sys_mprotect(struct trapframe *tf);
long sys_madvise(struct trapframe *tf);
long sys_old_mmap(struct trapframe *tf);
long sys_msync(struct trapframe *tf);
long sys_mincore(struct trapframe *tf);


#endif
