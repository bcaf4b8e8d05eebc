/* sys_dirs.h: the system calls of fs/sys_dirs.c, which make, change and
 * remove names and inodes: mkdir, mknod, unlink, rename, link, symlink, readlink,
 * truncate, chmod, utimensat, umask.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_DIRS_H
#define SYS_DIRS_H

#include "kernel/trap.h"

long sys_mkdir(struct trapframe *tf);
long sys_mkdirat(struct trapframe *tf);
long sys_mknod(struct trapframe *tf);
long sys_mknodat(struct trapframe *tf);
long sys_unlink(struct trapframe *tf);
long sys_unlinkat(struct trapframe *tf);
long sys_umask(struct trapframe *tf);
long sys_rmdir(struct trapframe *tf);
long sys_rename(struct trapframe *tf);
long sys_renameat(struct trapframe *tf);
long sys_renameat2(struct trapframe *tf);
long sys_link(struct trapframe *tf);
long sys_linkat(struct trapframe *tf);
long sys_symlink(struct trapframe *tf);
long sys_symlinkat(struct trapframe *tf);
long sys_readlink(struct trapframe *tf);
long sys_readlinkat(struct trapframe *tf);
long sys_truncate(struct trapframe *tf);
long sys_ftruncate(struct trapframe *tf);
long sys_truncate64(struct trapframe *tf);
long sys_ftruncate64(struct trapframe *tf);
long sys_chmod(struct trapframe *tf);
long sys_fchmodat(struct trapframe *tf);
long sys_fchmod(struct trapframe *tf);
long sys_utimensat(struct trapframe *tf);
long sys_utimensat_time64(struct trapframe *tf);
long sys_utime(struct trapframe *tf);
long sys_utimes(struct trapframe *tf);
long sys_futimesat(struct trapframe *tf);

#endif
