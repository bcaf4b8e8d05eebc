/* sys_mqueue.h: the system calls of ipc/sys_mqueue.c, POSIX message
 * queues: mq_open, mq_unlink, mq_timedsend, mq_timedreceive (and their
 * _time64 forms), mq_notify and mq_getsetattr.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_MQUEUE_H
#define SYS_MQUEUE_H

#include "kernel/trap.h"

long sys_mq_open(struct trapframe *tf);
long sys_mq_unlink(struct trapframe *tf);
long sys_mq_timedsend(struct trapframe *tf);
long sys_mq_timedreceive(struct trapframe *tf);
long sys_mq_timedsend_time64(struct trapframe *tf);
long sys_mq_timedreceive_time64(struct trapframe *tf);
long sys_mq_notify(struct trapframe *tf);
long sys_mq_getsetattr(struct trapframe *tf);

#endif
