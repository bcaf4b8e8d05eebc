/* sys_pio.h: the system calls of fs/sys_pio.c, reads and writes at an
 * offset. (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_PIO_H
#define SYS_PIO_H

#include "kernel/trap.h"

long sys_pread64(struct trapframe *tf);
long sys_pwrite64(struct trapframe *tf);
long sys_preadv(struct trapframe *tf);
long sys_pwritev(struct trapframe *tf);
long sys_preadv2(struct trapframe *tf);
long sys_pwritev2(struct trapframe *tf);

#endif
