/* mremap.h: mremap(2) (mm/mremap.c). */
#ifndef MREMAP_H
#define MREMAP_H

#include "kernel/trap.h"

long sys_mremap(struct trapframe *tf);

#endif
