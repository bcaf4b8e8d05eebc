/* mlock.h: the memory-lock system calls (mm/mlock.c). */
#ifndef MLOCK_H
#define MLOCK_H

#include "kernel/trap.h"

long sys_mlock(struct trapframe *tf);
long sys_mlock2(struct trapframe *tf);
long sys_munlock(struct trapframe *tf);
long sys_mlockall(struct trapframe *tf);
long sys_munlockall(struct trapframe *tf);

#endif
