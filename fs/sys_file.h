/* sys_file.h: the system calls of fs/sys_file.c, on descriptors: read,
 * write, open, close, seeking, ioctl, fcntl, pipes, the dup family.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_FILE_H
#define SYS_FILE_H

#include "kernel/trap.h"

long sys_read(struct trapframe *tf);
long sys_write(struct trapframe *tf);
long sys_readv(struct trapframe *tf);
long sys_writev(struct trapframe *tf);
long sys_open(struct trapframe *tf);
long sys_openat(struct trapframe *tf);
long sys_openat2(struct trapframe *tf);
long sys_close(struct trapframe *tf);
long sys_close_range(struct trapframe *tf);
long sys_lseek(struct trapframe *tf);
long sys_llseek(struct trapframe *tf);
long sys_ioctl(struct trapframe *tf);
long sys_fcntl64(struct trapframe *tf);
long sys_fcntl(struct trapframe *tf);
long sys_pipe(struct trapframe *tf);
long sys_pipe2(struct trapframe *tf);
long sys_dup(struct trapframe *tf);
long sys_dup2(struct trapframe *tf);
long sys_dup3(struct trapframe *tf);
long sys_pread64(struct trapframe *tf);
long sys_pwrite64(struct trapframe *tf);
long sys_preadv(struct trapframe *tf);
long sys_pwritev(struct trapframe *tf);
long sys_preadv2(struct trapframe *tf);
long sys_pwritev2(struct trapframe *tf);
long sys_creat(struct trapframe *tf);

#endif
