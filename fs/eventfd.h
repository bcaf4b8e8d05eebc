/* eventfd.h: eventfd(2) and eventfd2 (fs/eventfd.c). */
#ifndef EVENTFD_H
#define EVENTFD_H

#include "kernel/trap.h"

long sys_eventfd(struct trapframe *tf);
long sys_eventfd2(struct trapframe *tf);

#endif
