/* sys_pio.c: reading and writing at an offset: pread64, pwrite64, preadv,
 * pwritev and their "2" forms, which leave the file's own offset where it
 * is (and preadv2's offset -1, which means it after all). */
#include "fs/sys_pio.h"
#include "fs/sys_file.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/sys_common.h"
#include "fs/inotify.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/stat.h"
#include "param.h"

/* One read or write of n bytes at buf on f at offset off, leaving the
 * file's own position alone. */
static long prw_file(struct file *f, vaddr_t buf, uint32_t n, int64_t off, bool write)
{
    if (off < 0)
        return -EINVAL;
    if (f->ops || !S_ISREG(f->inode->mode))
        return S_ISDIR(f->inode->mode) ? -EISDIR : -ESPIPE;
    if ((f->flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
        return -EBADF;
    if (n > MAX_RW)
        n = MAX_RW;
    if (user_range_ok(buf, n, !write) < 0)
        return -EFAULT;
    long room = write ? rlimit_fsize_write((uint64_t)off, n) : (long)n;   /* RLIMIT_FSIZE */
    if (room < 0)
        return room;
    long r;
    if (!write) {
        r = inode_read(f->inode, (void *)buf, (uint64_t)off, n, true);
    } else if ((r = inode_write(f->inode, (const void *)buf, (uint64_t)off, (uint32_t)room,
                                true)) > 0) {
        inode_kill_suid(f->inode);
    }
    if (r > 0)
        fsnotify(f->inode, write ? IN_MODIFY : IN_ACCESS, 0, 0);
    return r;
}

/* pread64/pwrite64(fd, buf, count, offset_low, offset_high). */
static long do_prw(int fd, vaddr_t buf, uint32_t n, int64_t off, bool write)
{
    struct file *f = fd_lookup(fds(), fd);
    return f ? prw_file(f, buf, n, off, write) : -EBADF;
}

long sys_pread64(struct trapframe *tf)
{
    return do_prw((int)tf->ebx, tf->ecx, tf->edx, (int64_t)(((uint64_t)tf->edi << 32) | tf->esi), false);
}

long sys_pwrite64(struct trapframe *tf)
{
    return do_prw((int)tf->ebx, tf->ecx, tf->edx, (int64_t)(((uint64_t)tf->edi << 32) | tf->esi), true);
}

/* preadv/pwritev and their "2" forms: readv/writev at an offset, one
 * buffer after another, stopping at a short transfer. Offset -1 (the 2
 * forms only) means the file's own position: plain readv/writev. */
/* The RWF_ flags Linux's tmpfs takes: the sync ones and HIPRI mean nothing
 * to a file in memory; NOWAIT only where a call could wait (a pipe, with
 * offset -1), EOPNOTSUPP on a regular file, as on Linux; others EOPNOTSUPP. */
#define RWF_KNOWN (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND | \
                   RWF_NOSIGNAL)

/* What preadv's buffers share: the offset of the first, the flags. */
struct prwv_at {
    int64_t off;
    uint32_t flags;
    bool write;
};

/* preadv/pwritev's buffer: at the offset past the buffers before it (at the
 * end of the file with RWF_APPEND). */
static long prw_one(struct file *f, vaddr_t base, uint32_t len, long done, void *arg)
{
    const struct prwv_at *at = arg;
    int64_t off = at->off + done;
    if (at->write && (at->flags & RWF_APPEND))
        off = (int64_t)f->inode->size;
    return prw_file(f, base, len, off, at->write);
}

static long do_prwv(int fd, vaddr_t uiov, int count, int64_t off, uint32_t flags, bool write,
                    bool v2)
{
    if (v2 && off == -1) {
        struct file *f = fd_lookup(fds(), fd);
        if (!f)
            return -EBADF;
        if ((flags & ~(uint32_t)RWF_KNOWN) ||
            ((flags & RWF_NOWAIT) && !f->ops && S_ISREG(f->inode->mode)))
            return -EOPNOTSUPP;
        if (!(flags & RWF_NOWAIT))
            return do_rwv(fd, uiov, count, write);
        /* This call only does not wait: O_NONBLOCK for its length. It
         * cannot sleep meanwhile, so no one else sees the flag. */
        uint32_t saved = f->flags;
        f->flags |= O_NONBLOCK;
        long r = do_rwv(fd, uiov, count, write);
        f->flags = saved;
        return r;
    }
    if (off < 0)
        return -EINVAL;          /* Linux checks the offset before the descriptor */
    struct file *f = fd_lookup(fds(), fd);
    if (!f)
        return -EBADF;
    if ((f->flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
        return -EBADF;
    if ((flags & ~(uint32_t)RWF_KNOWN) || (flags & RWF_NOWAIT))
        return -EOPNOTSUPP;      /* NOWAIT: see RWF_KNOWN; pipes are ESPIPE below anyway */
    if (count < 0 || count > 1024)
        return -EINVAL;
    struct prwv_at at = { off, flags, write };
    file_get(f);                 /* every buffer to the same file, as readv's */
    long r = iov_walk(f, uiov, count, prw_one, &at);
    file_put(f);
    return r;
}

static int64_t split_offset(uint32_t low, uint32_t high)
{
    return (int64_t)(((uint64_t)high << 32) | low);
}

long sys_preadv(struct trapframe *tf)
{
    return do_prwv((int)tf->ebx, tf->ecx, (int)tf->edx, split_offset(tf->esi, tf->edi), 0, false, false);
}

long sys_pwritev(struct trapframe *tf)
{
    return do_prwv((int)tf->ebx, tf->ecx, (int)tf->edx, split_offset(tf->esi, tf->edi), 0, true, false);
}

long sys_preadv2(struct trapframe *tf)
{
    return do_prwv((int)tf->ebx, tf->ecx, (int)tf->edx, split_offset(tf->esi, tf->edi), tf->ebp, false, true);
}

long sys_pwritev2(struct trapframe *tf)
{
    return do_prwv((int)tf->ebx, tf->ecx, (int)tf->edx, split_offset(tf->esi, tf->edi), tf->ebp, true, true);
}
