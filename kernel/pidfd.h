/* pidfd.h: the system calls of kernel/pidfd.c (pidfd_open,
 * pidfd_send_signal).
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef PIDFD_H
#define PIDFD_H

#include "kernel/trap.h"

long sys_pidfd_open(struct trapframe *tf);
long sys_pidfd_send_signal(struct trapframe *tf);

#endif
