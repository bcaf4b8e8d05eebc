/* sys_proc.h: the system calls of kernel/sys_proc.c: processes (exit, fork,
 * vfork, clone, execve, wait), their ids, process groups and sessions,
 * thread set-up, uname and reboot. (Resource limits: kernel/rlimit.h.)
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_PROC_H
#define SYS_PROC_H

#include "kernel/trap.h"

/* What uname says about the system (and /proc/sys/kernel/ostype, osrelease
 * and hostname): tests tell Linux from bunshin by the system's name. */
#define UTS_SYSNAME  "bunshin"
#define UTS_NODENAME "bunshin"
#define UTS_RELEASE  "0.1"

long sys_exit(struct trapframe *tf);
long sys_exit_group(struct trapframe *tf);
long sys_fork(struct trapframe *tf);
long sys_vfork(struct trapframe *tf);
long sys_clone(struct trapframe *tf);
long sys_execveat(struct trapframe *tf);
long sys_execve(struct trapframe *tf);
long sys_wait4(struct trapframe *tf);
long sys_waitpid(struct trapframe *tf);
long sys_waitid(struct trapframe *tf);
long sys_getpid(struct trapframe *tf);
long sys_getppid(struct trapframe *tf);
long sys_setpgid(struct trapframe *tf);
long sys_getpgid(struct trapframe *tf);
long sys_getpgrp(struct trapframe *tf);
long sys_setsid(struct trapframe *tf);
long sys_getsid(struct trapframe *tf);
long sys_gettid(struct trapframe *tf);
long sys_set_tid_address(struct trapframe *tf);
long sys_set_thread_area(struct trapframe *tf);
long sys_get_thread_area(struct trapframe *tf);
long sys_uname(struct trapframe *tf);
long sys_olduname(struct trapframe *tf);
long sys_oldolduname(struct trapframe *tf);
long sys_sched_yield(struct trapframe *tf);
long sys_reboot(struct trapframe *tf);

#endif
