/* lock.h: advisory file locks: POSIX record locks, open file description
 * (OFD) locks and flock(2) (fs/lock.c explains the kinds and fork's rules). */
#ifndef LOCK_H
#define LOCK_H

#include "types.h"
#include "fs/file.h"

#include "kernel/trap.h"
struct file_lock;

/* fcntl's lock commands on open file f (the caller's descriptor):
 * F_GETLK/F_SETLK/F_SETLKW with a struct flock at arg (wide false), their
 * 64-bit forms F_GETLK64... and F_OFD_* with a struct flock64 (wide true).
 * 0 or -errno (-EAGAIN conflict, -EDEADLK, -ERESTARTSYS interrupted,
 * -EBADF wrong access mode, -EINVAL, -EFAULT, -EOVERFLOW, -ENOMEM). */
long do_fcntl_lock(struct file *f, uint32_t cmd, vaddr_t arg, bool wide);

/* Descriptor table t closes a descriptor of f: POSIX's rule, every record
 * lock that t's process holds on f's file goes. */
void lock_close_posix(struct fdtable *t, struct file *f);
/* f's last descriptor is gone: its OFD and flock locks go. */
void lock_file_gone(struct file *f);

long sys_flock(struct trapframe *tf);

#endif
