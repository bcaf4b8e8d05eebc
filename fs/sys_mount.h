/* sys_mount.h: mount, umount, umount2, chroot and pivot_root
 * (fs/sys_mount.c; the mount table is fs/mount.h's). */
#ifndef SYS_MOUNT_H
#define SYS_MOUNT_H

#include "kernel/trap.h"

long sys_mount(struct trapframe *tf);
long sys_umount(struct trapframe *tf);
long sys_umount2(struct trapframe *tf);
long sys_chroot(struct trapframe *tf);
long sys_pivot_root(struct trapframe *tf);

#endif
