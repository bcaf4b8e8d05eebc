/* sys_cred.h: the id system calls (kernel/sys_cred.c): the 32-bit ones
 * (getuid32 and the rest, what C libraries call) and Linux's old 16-bit
 * ones, which show an id above 65535 as 65534 and take 0xFFFF for -1. */
#ifndef SYS_CRED_H
#define SYS_CRED_H

#include "kernel/trap.h"

long sys_getuid(struct trapframe *tf);
long sys_geteuid(struct trapframe *tf);
long sys_getgid(struct trapframe *tf);
long sys_getegid(struct trapframe *tf);
long sys_getuid16(struct trapframe *tf);
long sys_geteuid16(struct trapframe *tf);
long sys_getgid16(struct trapframe *tf);
long sys_getegid16(struct trapframe *tf);
long sys_setuid(struct trapframe *tf);
long sys_setgid(struct trapframe *tf);
long sys_setuid16(struct trapframe *tf);
long sys_setgid16(struct trapframe *tf);
long sys_setreuid(struct trapframe *tf);
long sys_setregid(struct trapframe *tf);
long sys_setreuid16(struct trapframe *tf);
long sys_setregid16(struct trapframe *tf);
long sys_setresuid(struct trapframe *tf);
long sys_setresgid(struct trapframe *tf);
long sys_setresuid16(struct trapframe *tf);
long sys_setresgid16(struct trapframe *tf);
long sys_getresuid(struct trapframe *tf);
long sys_getresgid(struct trapframe *tf);
long sys_getresuid16(struct trapframe *tf);
long sys_getresgid16(struct trapframe *tf);
long sys_setfsuid(struct trapframe *tf);
long sys_setfsgid(struct trapframe *tf);
long sys_setfsuid16(struct trapframe *tf);
long sys_setfsgid16(struct trapframe *tf);
long sys_getgroups(struct trapframe *tf);
long sys_getgroups16(struct trapframe *tf);
long sys_setgroups(struct trapframe *tf);
long sys_setgroups16(struct trapframe *tf);

#endif
