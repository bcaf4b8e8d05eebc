/* sys_hints.c: a program's advice about the cache of a file: fadvise64
 * (how it will read), readahead (read this soon), sync_file_range (write
 * this range back). bunshin's files live in memory with no disk behind
 * them, so there is nothing to read ahead or write back: each call checks
 * what Linux checks, in Linux's order, and then has nothing left to do
 * (as Linux's tmpfs). */
#include "fs/sys_hints.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/sys_common.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/stat.h"

static int64_t split64(uint32_t low, uint32_t high)
{
    return (int64_t)(((uint64_t)high << 32) | low);
}

/* fadvise on fd: -EBADF, -ESPIPE on a pipe (whatever the advice),
 * -EINVAL for a negative length or an unknown advice, else 0. */
static long do_fadvise(int fd, int64_t len, int advice)
{
    struct file *f = fd_lookup(fds(), fd);
    if (!f)
        return -EBADF;
    if (file_is_pipe(f) || S_ISFIFO(f->inode->mode))
        return -ESPIPE;
    if (len < 0 || advice < POSIX_FADV_NORMAL || advice > POSIX_FADV_NOREUSE)
        return -EINVAL;
    return 0;
}

/* fadvise64(fd, offset low, offset high, len, advice): a 32-bit length. */
long sys_fadvise64(struct trapframe *tf)
{
    return do_fadvise((int)tf->ebx, (int64_t)tf->esi, (int)tf->edi);
}

/* fadvise64_64(fd, offset low, high, len low, high, advice). */
long sys_fadvise64_64(struct trapframe *tf)
{
    return do_fadvise((int)tf->ebx, split64(tf->esi, tf->edi), (int)tf->ebp);
}

/* readahead(fd, offset low, offset high, count): only a regular file open
 * for reading (EBADF, EINVAL). */
long sys_readahead(struct trapframe *tf)
{
    struct file *f = fd_lookup(fds(), (int)tf->ebx);
    if (!f || (f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_PATH))
        return -EBADF;
    if (f->ops || !S_ISREG(f->inode->mode))
        return -EINVAL;
    return 0;
}

/* sync_file_range(fd, offset low, high, nbytes low, high, flags): EBADF,
 * then unknown flags or a range that is negative or wraps (EINVAL), then
 * anything but a regular file, directory or symbolic link (ESPIPE). */
long sys_sync_file_range(struct trapframe *tf)
{
    struct file *f = fd_lookup(fds(), (int)tf->ebx);
    if (!f)
        return -EBADF;
    int64_t off = split64(tf->ecx, tf->edx), n = split64(tf->esi, tf->edi);
    uint32_t known = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                     SYNC_FILE_RANGE_WAIT_AFTER;
    if ((tf->ebp & ~known) || off < 0 || n < 0 || off + n < off)
        return -EINVAL;
    uint32_t mode = f->inode->mode;
    if (file_is_pipe(f) || !(S_ISREG(mode) || S_ISDIR(mode) || S_ISLNK(mode)))
        return -ESPIPE;
    return 0;
}
