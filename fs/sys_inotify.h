/* sys_inotify.h: the system calls of fs/sys_inotify.c: inotify_init,
 * inotify_init1, inotify_add_watch and inotify_rm_watch.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_INOTIFY_H
#define SYS_INOTIFY_H

#include "kernel/trap.h"

long sys_inotify_init(struct trapframe *tf);
long sys_inotify_init1(struct trapframe *tf);
long sys_inotify_add_watch(struct trapframe *tf);
long sys_inotify_rm_watch(struct trapframe *tf);

#endif
