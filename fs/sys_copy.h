/* sys_copy.h: the system calls of fs/sys_copy.c, that move bytes between
 * descriptors inside the kernel (sendfile, copy_file_range) or reserve
 * them (fallocate). (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_COPY_H
#define SYS_COPY_H

#include "kernel/trap.h"

long sys_sendfile(struct trapframe *tf);
long sys_sendfile64(struct trapframe *tf);
long sys_copy_file_range(struct trapframe *tf);
long sys_fallocate(struct trapframe *tf);

#endif
