/* process_vm.h: the system calls of mm/process_vm.c.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef PROCESS_VM_H
#define PROCESS_VM_H

#include "kernel/trap.h"

/* process_vm_readv/writev(pid, local_iov, liovcnt, remote_iov, riovcnt,
 * flags): copy between the caller's memory and process pid's. */
long sys_process_vm_readv(struct trapframe *tf);
long sys_process_vm_writev(struct trapframe *tf);

#endif
