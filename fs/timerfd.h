/* timerfd.h: timerfd_create, timerfd_settime, timerfd_gettime and their
 * time64 forms (fs/timerfd.c). */
#ifndef TIMERFD_H
#define TIMERFD_H

#include "kernel/trap.h"

long sys_timerfd_create(struct trapframe *tf);
long sys_timerfd_settime(struct trapframe *tf);
long sys_timerfd_settime64(struct trapframe *tf);
long sys_timerfd_gettime(struct trapframe *tf);
long sys_timerfd_gettime64(struct trapframe *tf);

#endif
