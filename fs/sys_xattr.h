/* sys_xattr.h: the extended attribute calls (fs/sys_xattr.c). */
#ifndef SYS_XATTR_H
#define SYS_XATTR_H

#include "kernel/trap.h"

long sys_setxattr(struct trapframe *tf);
long sys_lsetxattr(struct trapframe *tf);
long sys_fsetxattr(struct trapframe *tf);
long sys_getxattr(struct trapframe *tf);
long sys_lgetxattr(struct trapframe *tf);
long sys_fgetxattr(struct trapframe *tf);
long sys_listxattr(struct trapframe *tf);
long sys_llistxattr(struct trapframe *tf);
long sys_flistxattr(struct trapframe *tf);
long sys_removexattr(struct trapframe *tf);
long sys_lremovexattr(struct trapframe *tf);
long sys_fremovexattr(struct trapframe *tf);

#endif
