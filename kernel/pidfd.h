/* pidfd.h: the system calls of kernel/pidfd.c (pidfd_open,
 * pidfd_send_signal, pidfd_getfd).
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef PIDFD_H
#define PIDFD_H

#include "kernel/trap.h"

long sys_pidfd_open(struct trapframe *tf);
long sys_pidfd_send_signal(struct trapframe *tf);
/* pidfd_getfd(pidfd, targetfd, flags): duplicate another process's descriptor. */
long sys_pidfd_getfd(struct trapframe *tf);

struct proc;
struct file;
/* A new close-on-exec pidfd for group leader p in the caller's table
 * (flags 0 or O_NONBLOCK): the descriptor, -ENOMEM or -EMFILE. clone3's
 * CLONE_PIDFD makes its descriptor so. */
int pidfd_create(struct proc *p, uint32_t flags);
/* The process pidfd file f names; NULL with *err -EBADF (not a pidfd) or
 * -ESRCH (reaped). */
struct proc *pidfd_process(struct file *f, int *err);

#endif
