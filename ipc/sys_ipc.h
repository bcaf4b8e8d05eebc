/* sys_ipc.h: the system calls of System V IPC (ipc/sys_ipc.c): the ipc(2)
 * multiplexer that C libraries on i386 use, and the direct calls Linux
 * added later (393-402, 420). They decode arguments; the work is in
 * ipc/shm.c, ipc/sem.c and ipc/msg.c. */
#ifndef SYS_IPC_H
#define SYS_IPC_H

#include "kernel/trap.h"

long sys_ipc(struct trapframe *tf);
long sys_semget(struct trapframe *tf);
long sys_semctl(struct trapframe *tf);
long sys_semtimedop_time64(struct trapframe *tf);
long sys_shmget(struct trapframe *tf);
long sys_shmctl(struct trapframe *tf);
long sys_shmat(struct trapframe *tf);
long sys_shmdt(struct trapframe *tf);
long sys_msgget(struct trapframe *tf);
long sys_msgsnd(struct trapframe *tf);
long sys_msgrcv(struct trapframe *tf);
long sys_msgctl(struct trapframe *tf);

#endif
