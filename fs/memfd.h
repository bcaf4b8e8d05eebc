/* memfd.h: memfd_create(2) (fs/memfd.c). */
#ifndef MEMFD_H
#define MEMFD_H

#include "kernel/trap.h"

long sys_memfd_create(struct trapframe *tf);

#endif
