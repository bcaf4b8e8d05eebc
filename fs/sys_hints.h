/* sys_hints.h: the system calls of fs/sys_hints.c: advice about a file's
 * cache (fadvise64, fadvise64_64, readahead, sync_file_range).
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_HINTS_H
#define SYS_HINTS_H

#include "kernel/trap.h"

long sys_fadvise64(struct trapframe *tf);
long sys_fadvise64_64(struct trapframe *tf);
long sys_readahead(struct trapframe *tf);
long sys_sync_file_range(struct trapframe *tf);

#endif
