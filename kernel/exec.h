/* exec.h: execve, replacing a process's program with one from a file. */
#ifndef EXEC_H
#define EXEC_H

#include "types.h"

/* execve(2) with user pointers: path, argv[], envp[] in the caller's memory. */
int do_execve(vaddr_t path, vaddr_t argv, vaddr_t envp);
/* The same with kernel strings: how the kernel starts /bin/init. */
int exec_kernel(const char *path, char *const argv[], char *const envp[]);

#endif
