/* procfs.h: between the /proc framework (procfs.c) and the per-process
 * files (procfs_pid.c). */
#ifndef PROCFS_H
#define PROCFS_H

#include "fs/fs.h"

/* Add a /proc file to dir whose text gen writes at each open. Returns the
 * inode (with a reference) or NULL. */
struct inode *procfs_add_file(struct inode *dir, const char *name, int pid,
                              int (*gen)(struct inode *, char *, uint32_t));

/* Fill the made-up directory /proc/<pid>. 0 or -ENOMEM. */
int procfs_pid_files(struct inode *dir, int pid);

#endif
