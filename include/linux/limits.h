/* limits.h: the sizes POSIX lets programs rely on, with Linux's values.
 * Linux: <linux/limits.h> */
#ifndef LIMITS_H
#define LIMITS_H

#define NGROUPS_MAX 65536
#define ARG_MAX     131072     /* bytes of argv + envp strings execve takes (bunshin's limit) */
#define NAME_MAX    255        /* bytes in one file name */
#define PATH_MAX    4096       /* bytes in a path, with its NUL */
#define PIPE_BUF    4096       /* a pipe write this small is atomic */
#define XATTR_NAME_MAX 255     /* bytes in an extended attribute's name */
#define XATTR_SIZE_MAX 65536   /* bytes in an extended attribute's value */
#define XATTR_LIST_MAX 65536   /* bytes of names listxattr gives at most */

#endif
