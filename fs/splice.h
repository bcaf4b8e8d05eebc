/* splice.h: the system calls of fs/splice.c, which move bytes into, out of
 * and between pipes: splice, tee, vmsplice. (How a sys_ function is
 * called: kernel/syscall.h.) */
#ifndef SPLICE_H
#define SPLICE_H

#include "kernel/trap.h"

long sys_splice(struct trapframe *tf);
long sys_tee(struct trapframe *tf);
long sys_vmsplice(struct trapframe *tf);

#endif
