/* fcntl.h: open flags, fcntl commands and *at() constants, Linux's i386
 * values.
 * Linux: <asm/fcntl.h> <linux/fcntl.h> <linux/fs.h> <unistd.h> <linux/close_range.h> <linux/fadvise.h> <linux/openat2.h>
 * Linux struct: open_how flags mode resolve
 * Linux struct: flock l_type l_whence l_start l_len l_pid
 * Linux struct: flock64 l_type l_whence l_start l_len l_pid
 */
#ifndef FCNTL_H
#define FCNTL_H

#include "types.h"

#define O_ACCMODE   0003
#define O_RDONLY    00
#define O_WRONLY    01
#define O_RDWR      02
#define O_CREAT     0100
#define O_EXCL      0200
#define O_NOCTTY    0400
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NONBLOCK  04000
#define O_DSYNC     010000
#define FASYNC      020000      /* C libraries call it O_ASYNC */
#define O_DIRECT    040000
#define O_LARGEFILE 0100000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_NOATIME   01000000
#define O_CLOEXEC   02000000
#define O_SYNC      04010000
#define O_PATH      010000000

#define AT_FDCWD            (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR        0x200
#define AT_EACCESS          0x200
#define AT_SYMLINK_FOLLOW   0x400
#define AT_NO_AUTOMOUNT     0x800
#define AT_EMPTY_PATH       0x1000
#define AT_STATX_SYNC_TYPE  0x6000   /* statx: how hard to sync (nothing to sync here) */

/* fcntl commands */
#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_GETLK         5
#define F_SETLK         6
#define F_SETLKW        7
#define F_SETOWN        8
#define F_GETOWN        9
#define F_GETLK64       12
#define F_SETLK64       13
#define F_SETLKW64      14
#define F_OFD_GETLK     36    /* open file description locks: struct flock64 */
#define F_OFD_SETLK     37
#define F_OFD_SETLKW    38
#define F_DUPFD_CLOEXEC 1030
#define F_GETPIPE_SZ    1032   /* a pipe's capacity in bytes */
#define FD_CLOEXEC      1     /* F_GETFD/F_SETFD: the descriptor's close-on-exec flag */

/* record lock types (struct flock's l_type) */
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2

/* flock(2) operations */
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4       /* or-ed in: fail with EWOULDBLOCK instead of waiting */
#define LOCK_UN 8

/* fcntl F_GETLK/F_SETLK/F_SETLKW: a byte range, 32-bit offsets (16 bytes). */
struct flock {
    short l_type;          /* F_RDLCK, F_WRLCK, F_UNLCK */
    short l_whence;        /* SEEK_SET, SEEK_CUR, SEEK_END: what l_start counts from */
    int32_t l_start;
    int32_t l_len;         /* 0: to the end of the file, and beyond; negative: before l_start */
    int32_t l_pid;         /* F_GETLK: the holder's pid */
};

/* F_GETLK64.../F_OFD_*: the same with 64-bit offsets (24 bytes: i386 aligns
 * a 64-bit member at 4). */
struct flock64 {
    short l_type;
    short l_whence;
    int64_t l_start;
    int64_t l_len;
    int32_t l_pid;
};

/* renameat2 flags */
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE  2
#define RENAME_WHITEOUT  4

/* splice, tee and vmsplice's flags. Linux keeps them in a kernel header
 * that is not part of its user ABI headers (include/linux/splice.h);
 * programs have them from the C library's <fcntl.h>, with these values
 * (so tests/static/abi.sh, which reads the ABI headers, cannot compare
 * them: each line says "bunshin:"). */
#define SPLICE_F_MOVE     1   /* bunshin: a hint (pages moved, not copied) */
#define SPLICE_F_NONBLOCK 2   /* bunshin: do not wait on the pipes */
#define SPLICE_F_MORE     4   /* bunshin: a hint (more data follows) */
#define SPLICE_F_GIFT     8   /* bunshin: a hint for vmsplice */
#define SPLICE_F_ALL      15  /* bunshin: every flag there is */

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

/* preadv2/pwritev2 flags (<linux/fs.h>). */
#define RWF_HIPRI  0x01
#define RWF_DSYNC  0x02
#define RWF_SYNC   0x04
#define RWF_NOWAIT 0x08
#define RWF_APPEND 0x10
#define RWF_NOAPPEND 0x20   /* bunshin: Linux 6.0's, newer than some headers */
#define RWF_NOSIGNAL 0x100  /* bunshin: Linux 6.x's, newer than some headers */

/* sync_file_range's flags (<linux/fs.h>). */
#define SYNC_FILE_RANGE_WAIT_BEFORE 1
#define SYNC_FILE_RANGE_WRITE       2
#define SYNC_FILE_RANGE_WAIT_AFTER  4

/* fadvise64's advice (<linux/fadvise.h>). */
#define POSIX_FADV_NORMAL     0
#define POSIX_FADV_RANDOM     1
#define POSIX_FADV_SEQUENTIAL 2
#define POSIX_FADV_WILLNEED   3
#define POSIX_FADV_DONTNEED   4
#define POSIX_FADV_NOREUSE    5

/* openat2's RESOLVE_ flags (<linux/openat2.h>). */
#define RESOLVE_NO_XDEV       0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS   0x04
#define RESOLVE_BENEATH       0x08
#define RESOLVE_IN_ROOT       0x10
#define RESOLVE_CACHED        0x20

/* close_range's flags (<linux/close_range.h>). */
#define CLOSE_RANGE_UNSHARE (1U << 1)
#define CLOSE_RANGE_CLOEXEC (1U << 2)

/* openat2's request (<linux/openat2.h>): 24 bytes in its first version;
 * a larger size is accepted when the bytes past these are zero. */
struct open_how {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};

#endif
