/* unshare.h: the system call of kernel/unshare.c.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef UNSHARE_H
#define UNSHARE_H

#include "kernel/trap.h"

long sys_unshare(struct trapframe *tf);

#endif
