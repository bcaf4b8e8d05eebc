/* sys_time.h: the system calls of kernel/sys_time.c: clocks and sleeping.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_TIME_H
#define SYS_TIME_H

#include "kernel/trap.h"

long sys_clock_gettime(struct trapframe *tf);
long sys_clock_gettime64(struct trapframe *tf);
long sys_clock_getres(struct trapframe *tf);
long sys_time(struct trapframe *tf);
long sys_clock_getres_time64(struct trapframe *tf);
long sys_clock_settime(struct trapframe *tf);
long sys_clock_settime64(struct trapframe *tf);
long sys_settimeofday(struct trapframe *tf);
long sys_stime(struct trapframe *tf);
long sys_adjtimex(struct trapframe *tf);
long sys_clock_adjtime(struct trapframe *tf);
long sys_gettimeofday(struct trapframe *tf);
long sys_nanosleep(struct trapframe *tf);
long sys_clock_nanosleep(struct trapframe *tf);
long sys_clock_nanosleep_time64(struct trapframe *tf);

#endif
