/* clone3.h: the clone3 system call (kernel/clone3.c).
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef CLONE3_H
#define CLONE3_H

#include "kernel/trap.h"

/* clone3(args, size): clone with a struct clone_args. */
long sys_clone3(struct trapframe *tf);

#endif
