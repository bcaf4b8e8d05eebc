/* sys_timer.h: the system calls of kernel/sys_timer.c: alarm, the interval
 * timers and POSIX timers. (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_TIMER_H
#define SYS_TIMER_H

#include "kernel/trap.h"

long sys_alarm(struct trapframe *tf);
long sys_setitimer(struct trapframe *tf);
long sys_getitimer(struct trapframe *tf);
long sys_timer_create(struct trapframe *tf);
long sys_timer_settime(struct trapframe *tf);
long sys_timer_settime64(struct trapframe *tf);
long sys_timer_gettime(struct trapframe *tf);
long sys_timer_gettime64(struct trapframe *tf);
long sys_timer_getoverrun(struct trapframe *tf);
long sys_timer_delete(struct trapframe *tf);

#endif
