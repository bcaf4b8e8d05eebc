/* sys_stat.h: the system calls of fs/sys_stat.c, which look at files and
 * directories: the stat family, getdents64, getcwd, chdir, access.
 *
 * Each takes the trap frame of the int $0x80 that made the call, decodes
 * its arguments from the saved registers and returns the result or -errno
 * (kernel/syscall.h). kernel/syscall_table.c lists them by number. */
#ifndef SYS_STAT_H
#define SYS_STAT_H

#include "kernel/trap.h"

long sys_stat64(struct trapframe *tf);
long sys_lstat64(struct trapframe *tf);
long sys_fstat64(struct trapframe *tf);
long sys_fstatat64(struct trapframe *tf);
long sys_statx(struct trapframe *tf);
long sys_getdents64(struct trapframe *tf);
long sys_getcwd(struct trapframe *tf);
long sys_chdir(struct trapframe *tf);
long sys_fchdir(struct trapframe *tf);
long sys_access(struct trapframe *tf);
long sys_faccessat(struct trapframe *tf);
long sys_faccessat2(struct trapframe *tf);

#endif
