/* sys_signal.h: the system calls of kernel/sys_signal.c: handlers
 * (sigaction, signal), the mask (sigprocmask), waiting (sigsuspend, pause,
 * sigtimedwait), sending (kill, tkill, sigqueue), the alternate stack, the
 * end of a handler (sigreturn) and restart_syscall.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_SIGNAL_H
#define SYS_SIGNAL_H

#include "kernel/trap.h"

long sys_rt_sigaction(struct trapframe *tf);
long sys_sigaction(struct trapframe *tf);
long sys_signal(struct trapframe *tf);
long sys_rt_sigprocmask(struct trapframe *tf);
long sys_sigprocmask(struct trapframe *tf);
long sys_sgetmask(struct trapframe *tf);
long sys_ssetmask(struct trapframe *tf);
long sys_rt_sigpending(struct trapframe *tf);
long sys_sigpending(struct trapframe *tf);
long sys_rt_sigsuspend(struct trapframe *tf);
long sys_sigsuspend(struct trapframe *tf);
long sys_pause(struct trapframe *tf);
long sys_rt_sigtimedwait(struct trapframe *tf);
long sys_rt_sigtimedwait_time64(struct trapframe *tf);
long sys_kill(struct trapframe *tf);
long sys_tkill(struct trapframe *tf);
long sys_tgkill(struct trapframe *tf);
long sys_rt_sigqueueinfo(struct trapframe *tf);
long sys_rt_tgsigqueueinfo(struct trapframe *tf);
long sys_sigaltstack(struct trapframe *tf);
long sys_sigreturn(struct trapframe *tf);
long sys_rt_sigreturn(struct trapframe *tf);
long sys_restart_syscall(struct trapframe *tf);

#endif
