/* sys_statfs.h: statfs, fstatfs, their 64-bit forms, and the sync family
 * (fs/sys_statfs.c). */
#ifndef SYS_STATFS_H
#define SYS_STATFS_H

#include "kernel/trap.h"

long sys_statfs(struct trapframe *tf);
long sys_fstatfs(struct trapframe *tf);
long sys_statfs64(struct trapframe *tf);
long sys_fstatfs64(struct trapframe *tf);
long sys_sync(struct trapframe *tf);
long sys_fsync(struct trapframe *tf);
long sys_syncfs(struct trapframe *tf);

#endif
