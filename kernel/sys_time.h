/* sys_time.h: the system calls of kernel/sys_time.c: clocks and sleeping.
 *
 * Each takes the trap frame of the int $0x80 that made the call, decodes
 * its arguments from the saved registers and returns the result or -errno
 * (kernel/syscall.h). kernel/syscall_table.c lists them by number. */
#ifndef SYS_TIME_H
#define SYS_TIME_H

#include "kernel/trap.h"

long sys_clock_gettime(struct trapframe *tf);
long sys_clock_gettime64(struct trapframe *tf);
long sys_clock_getres(struct trapframe *tf);
long sys_time(struct trapframe *tf);
long sys_gettimeofday(struct trapframe *tf);
long sys_nanosleep(struct trapframe *tf);

#endif
