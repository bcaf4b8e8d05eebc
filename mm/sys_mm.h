/* sys_mm.h: the system calls of mm/sys_mm.c, which change the address
 * space: brk, mmap2, munmap, mprotect, madvise.
 *
 * Each takes the trap frame of the int $0x80 that made the call, decodes
 * its arguments from the saved registers and returns the result or -errno
 * (kernel/syscall.h). kernel/syscall_table.c lists them by number. */
#ifndef SYS_MM_H
#define SYS_MM_H

#include "kernel/trap.h"

long sys_brk(struct trapframe *tf);
long sys_mmap2(struct trapframe *tf);
long sys_munmap(struct trapframe *tf);
long sys_mprotect(struct trapframe *tf);
long sys_madvise(struct trapframe *tf);

#endif
