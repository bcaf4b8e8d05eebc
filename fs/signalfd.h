/* signalfd.h: signalfd(2) and signalfd4 (fs/signalfd.c). */
#ifndef SIGNALFD_H
#define SIGNALFD_H

#include "kernel/trap.h"

long sys_signalfd(struct trapframe *tf);
long sys_signalfd4(struct trapframe *tf);

#endif
