/* sys_stat.h: the system calls of fs/sys_stat.c, which look at files and
 * directories: the stat family, getdents64, getcwd, chdir, access.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_STAT_H
#define SYS_STAT_H

#include "kernel/trap.h"

long sys_stat64(struct trapframe *tf);
long sys_lstat64(struct trapframe *tf);
long sys_fstat64(struct trapframe *tf);
long sys_fstatat64(struct trapframe *tf);
long sys_statx(struct trapframe *tf);
long sys_getdents64(struct trapframe *tf);
long sys_getdents(struct trapframe *tf);
long sys_stat(struct trapframe *tf);
long sys_lstat(struct trapframe *tf);
long sys_fstat(struct trapframe *tf);
long sys_oldstat(struct trapframe *tf);
long sys_oldlstat(struct trapframe *tf);
long sys_oldfstat(struct trapframe *tf);
long sys_getcwd(struct trapframe *tf);
long sys_chdir(struct trapframe *tf);
long sys_fchdir(struct trapframe *tf);
long sys_access(struct trapframe *tf);
long sys_faccessat(struct trapframe *tf);
long sys_faccessat2(struct trapframe *tf);

#endif
