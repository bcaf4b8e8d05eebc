/* sys_owner.h: chown and its forms (fs/sys_owner.c). */
#ifndef SYS_OWNER_H
#define SYS_OWNER_H

#include "kernel/trap.h"

long sys_chown16(struct trapframe *tf);
long sys_lchown16(struct trapframe *tf);
long sys_fchown16(struct trapframe *tf);
long sys_chown(struct trapframe *tf);
long sys_lchown(struct trapframe *tf);
long sys_fchown(struct trapframe *tf);
long sys_fchownat(struct trapframe *tf);

#endif
