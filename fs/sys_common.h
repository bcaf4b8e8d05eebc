/* sys_common.h: helpers shared by fs/sys_*.c (inside fs/ only). */
#ifndef SYS_COMMON_H
#define SYS_COMMON_H

#include "fs/file.h"

/* The calling process's descriptor table. */
struct fdtable *fds(void);
/* The lowest descriptor it may not make: its RLIMIT_NOFILE soft limit,
 * which every call that makes a descriptor hands the allocator. */
int fd_limit(void);
/* Copy a path from user memory into a kmalloc'd buffer (the caller frees it).
 * 0, -EFAULT, -ENAMETOOLONG or -ENOMEM. */
int get_path(vaddr_t upath, char **out);
/* The directory a *at() call starts from: NULL (the cwd) for AT_FDCWD or
 * an absolute path, else the directory open on dirfd (borrowed). */
int at_start(int dirfd, const char *path, struct inode **start);
/* Copy a path from user memory and resolve all but its last component
 * from dirfd: *dir (a reference) and the last name (NAME_MAX + 1 bytes). */
int parent_at(int dirfd, vaddr_t upath, struct inode **dir, char *name);
/* Copy a path from user memory and look it up from dirfd (follow: follow
 * a final symbolic link). 0 and *out with a reference, or -errno. */
int lookup_at(int dirfd, vaddr_t upath, bool follow, struct inode **out);

#endif
