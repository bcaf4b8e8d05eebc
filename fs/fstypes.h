/* fstypes.h: the list of kinds of file system (fs/fstypes.c).
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef FSTYPES_H
#define FSTYPES_H

#include "kernel/trap.h"

/* How many kinds there are, and kind i's name (NULL past the end), in the
 * order /proc/filesystems lists them. */
int fs_type_count(void);
const char *fs_type_name(int i);

/* sysfs(option, arg1, arg2): a kind's index by name, name by index, or
 * their count. */
long sys_sysfs(struct trapframe *tf);

#endif
