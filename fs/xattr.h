/* xattr.h: extended attributes, the (name, value) pairs an inode keeps
 * beside its bytes (fs/xattr.c; the system calls are in fs/sys_xattr.c). */
#ifndef XATTR_FS_H
#define XATTR_FS_H

#include "fs/fs.h"

/* All of bunshin's extended attributes together may hold this many bytes
 * (names, values and bookkeeping): past it setxattr fails with ENOSPC, so
 * that a runaway program cannot take the kernel's memory. */
#define XATTR_TOTAL_MAX (256 * 1024)

/* Set name (a NUL-terminated kernel string, 1..XATTR_NAME_MAX bytes) to the
 * size bytes at value (a kernel buffer) on ip, with setxattr(2)'s flags
 * (XATTR_CREATE, XATTR_REPLACE, checked by the caller). 0 or -EPERM,
 * -EACCES, -EOPNOTSUPP, -EINVAL, -EEXIST, -ENODATA, -ENOSPC, -ENOMEM. */
int xattr_set(struct inode *ip, const char *name, const void *value, uint32_t size,
              int flags);
/* Copy name's value into buf (size bytes; 0: only say how long it is).
 * Its length, or -ENODATA, -ERANGE (buf too small), -EACCES, -EOPNOTSUPP. */
long xattr_get(struct inode *ip, const char *name, void *buf, uint32_t size);
/* The names the caller may see, each with its NUL, into buf (size bytes;
 * 0: only the length). The length, or -ERANGE. */
long xattr_list(struct inode *ip, char *buf, uint32_t size);
/* Remove name. 0 or -ENODATA and the errors of xattr_set. */
int xattr_remove(struct inode *ip, const char *name);
/* The inode is going: free every attribute it has. */
void xattr_free_all(struct inode *ip);

#endif
