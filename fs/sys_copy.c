/* sys_copy.c: bytes from one descriptor to another without a trip through
 * user memory (sendfile, sendfile64, copy_file_range), and fallocate.
 *
 * Linux moves the bytes by splicing pages; bunshin copies them through one
 * kernel page, in chunks, with the same file rules and errors. The checks
 * come in Linux's order (fs/read_write.c, fs/open.c), since a program may
 * see which error wins when several apply. */
#include "fs/sys_copy.h"
#include "fs/sys_file.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "kernel/signal.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/ramfs.h"
#include "fs/sys_common.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/falloc.h"
#include "linux/fcntl.h"
#include "linux/resource.h"
#include "linux/signal.h"
#include "linux/stat.h"
#include "param.h"

#define MAX_NON_LFS 0x7FFFFFFFull      /* the largest offset a 32-bit off_t holds */
#define RAMFS_MAX   RAMFS_MAX_BYTES    /* the largest file (fs/ramfs.h) */

/* Can f be read at an offset of our choosing (Linux's FMODE_PREAD)? An
 * in-memory file, or a /proc file (its snapshot has a size). */
static bool file_seekable(struct file *f)
{
    return !f->ops || f->ops->size;
}

long file_send_bytes(struct file *in, uint64_t *pos, struct file *out, uint32_t count)
{
    uint8_t *buf = kmalloc(PAGE_SIZE);
    if (!buf)
        return -ENOMEM;
    long done = 0, r = 0;
    while ((uint32_t)done < count) {
        uint32_t chunk = count - (uint32_t)done < PAGE_SIZE ? count - (uint32_t)done : PAGE_SIZE;
        r = inode_read(in->inode, buf, *pos, chunk, false);
        if (r <= 0)
            break;
        long w = file_write(out, buf, (uint32_t)r, false);
        if (w <= 0) {
            r = w;
            break;
        }
        *pos += (uint64_t)w;
        done += w;
        if (w < r)
            break;
    }
    kfree(buf);
    return done ? done : r;
}

/* sendfile: count bytes of in_fd from *ppos (or from in_fd's own offset
 * when ppos is NULL, which then moves) to out_fd. max is the largest offset
 * the call may reach (a 32-bit off_t's for sendfile). */
static long do_sendfile(int out_fd, int in_fd, uint64_t *ppos, uint32_t count, uint64_t max)
{
    struct file *in = fd_lookup(fds(), in_fd);
    if (!in || (in->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (ppos && !file_seekable(in))
        return -ESPIPE;
    uint64_t pos = ppos ? *ppos : in->pos;
    if ((int64_t)pos < 0)
        return -EINVAL;
    struct file *out = fd_lookup(fds(), out_fd);
    if (!out || (out->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (count > MAX_RW)
        count = MAX_RW;
    long over = 0;
    if (pos + count > max) {
        if (pos >= max)
            return -EOVERFLOW;
        count = (uint32_t)(max - pos);
        over = -EOVERFLOW;
    }
    if (!S_ISFIFO(out->inode->mode) && (out->flags & O_APPEND))
        return -EINVAL;
    if (count == 0)
        return 0;
    /* Only in-memory files: pipes, devices and directories have no
     * splice_read on Linux, and neither have /proc/<pid>'s files. */
    if (!S_ISREG(in->inode->mode) || in->ops)
        return -EINVAL;
    /* A pipe or a terminal may sleep; a thread sharing the table may close
     * the descriptors meanwhile. */
    file_get(in);
    file_get(out);
    long r = file_send_bytes(in, &pos, out, count);
    if (r >= 0) {
        if (ppos)
            *ppos = pos;
        else
            in->pos = pos;
    }
    file_put(out);
    file_put(in);
    return r == 0 && over ? over : r;
}

/* sendfile(out_fd, in_fd, off_t *offset, count): the offset is 32 bits. */
long sys_sendfile(struct trapframe *tf)
{
    vaddr_t uoff = tf->edx;
    if (!uoff)
        return do_sendfile((int)tf->ebx, (int)tf->ecx, 0, tf->esi, MAX_NON_LFS);
    int32_t off32;
    if (copy_from_user(&off32, uoff, sizeof off32) < 0)
        return -EFAULT;
    uint64_t pos = (uint64_t)(int64_t)off32;
    long r = do_sendfile((int)tf->ebx, (int)tf->ecx, &pos, tf->esi, MAX_NON_LFS);
    off32 = (int32_t)pos;
    if (r >= 0 && copy_to_user(uoff, &off32, sizeof off32) < 0)
        return -EFAULT;
    return r;
}

/* sendfile64(out_fd, in_fd, loff_t *offset, count). */
long sys_sendfile64(struct trapframe *tf)
{
    vaddr_t uoff = tf->edx;
    if (!uoff)
        return do_sendfile((int)tf->ebx, (int)tf->ecx, 0, tf->esi, ~0ull >> 1);
    uint64_t pos;
    if (copy_from_user(&pos, uoff, sizeof pos) < 0)
        return -EFAULT;
    long r = do_sendfile((int)tf->ebx, (int)tf->ecx, &pos, tf->esi, ~0ull >> 1);
    if (r >= 0 && copy_to_user(uoff, &pos, sizeof pos) < 0)
        return -EFAULT;
    return r;
}

/* copy_file_range's checks after the descriptors (Linux's
 * generic_copy_file_checks): both regular files of one file system, in
 * readable, out writable and not O_APPEND, the count cut at in's end and at
 * out's limits, no overlap within one file. 0 and *count, or -errno. */
static int copy_checks(struct file *in, int64_t pin, struct file *out, int64_t pout,
                       uint32_t *count)
{
    struct inode *ii = in->inode, *oi = out->inode;
    if (S_ISDIR(ii->mode) || S_ISDIR(oi->mode))
        return -EISDIR;
    if (!S_ISREG(ii->mode) || !S_ISREG(oi->mode))
        return -EINVAL;
    if ((in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY ||
        (out->flags & O_APPEND))
        return -EBADF;
    /* Modern Linux copies across file systems only where both have the same
     * copy_file_range method (NFS, CIFS); bunshin's have none. */
    if (ii->dev != oi->dev)
        return -EXDEV;
    uint64_t n = *count;
    if (pin >= (int64_t)ii->size)
        n = 0;
    else if (n > ii->size - (uint64_t)pin)
        n = ii->size - (uint64_t)pin;
    uint64_t limit = rlimit_cur(current_proc(), RLIMIT_FSIZE);
    if (limit != RLIM64_INFINITY) {
        if (pout >= 0 && (uint64_t)pout >= limit) {
            signal_raise(SIGXFSZ);
            return -EFBIG;
        }
        if (pout >= 0 && n > limit - (uint64_t)pout)
            n = limit - (uint64_t)pout;
    }
    if (pout >= (int64_t)RAMFS_MAX)
        return -EFBIG;
    if (pout >= 0 && n > RAMFS_MAX - (uint64_t)pout)
        n = RAMFS_MAX - (uint64_t)pout;
    if (ii == oi && pout + (int64_t)n > pin && pout < pin + (int64_t)n)
        return -EINVAL;
    if (pin < 0 || pout < 0)
        return -EINVAL;
    *count = (uint32_t)n;
    return 0;
}

/* Copy count bytes of in's stored bytes at pin to out's at pout. Returns
 * the bytes copied, or -errno if none were. */
static long copy_bytes(struct inode *in, uint64_t pin, struct inode *out, uint64_t pout,
                       uint32_t count)
{
    uint8_t *buf = kmalloc(PAGE_SIZE);
    if (!buf)
        return -ENOMEM;
    long done = 0, r = 0;
    while ((uint32_t)done < count) {
        uint32_t chunk = count - (uint32_t)done < PAGE_SIZE ? count - (uint32_t)done : PAGE_SIZE;
        r = inode_read(in, buf, pin + (uint64_t)done, chunk, false);
        if (r <= 0)
            break;
        long w = inode_write(out, buf, pout + (uint64_t)done, (uint32_t)r, false);
        if (w <= 0) {
            r = w;
            break;
        }
        done += w;
        if (w < r)
            break;
    }
    kfree(buf);
    if (done > 0)
        inode_kill_suid(out);
    return done ? done : r;
}

/* copy_file_range(fd_in, loff_t *off_in, fd_out, loff_t *off_out, len,
 * flags): an offset pointer given is read and moved on; a NULL one means
 * the file's own offset, which moves instead. */
static long do_copy_file_range(int fd_in, vaddr_t uoff_in, int fd_out, vaddr_t uoff_out,
                               uint32_t len, uint32_t flags)
{
    struct file *in = fd_lookup(fds(), fd_in);
    if (!in)
        return -EBADF;
    struct file *out = fd_lookup(fds(), fd_out);
    if (!out)
        return -EBADF;
    int64_t pin = (int64_t)in->pos, pout = (int64_t)out->pos;
    if (uoff_in && copy_from_user(&pin, uoff_in, sizeof pin) < 0)
        return -EFAULT;
    if (uoff_out && copy_from_user(&pout, uoff_out, sizeof pout) < 0)
        return -EFAULT;
    if (flags)
        return -EINVAL;
    if (len > MAX_RW)
        len = MAX_RW;
    int r = copy_checks(in, pin, out, pout, &len);
    if (r < 0)
        return r;
    if (len == 0)
        return 0;
    long n = copy_bytes(in->inode, (uint64_t)pin, out->inode, (uint64_t)pout, len);
    if (n <= 0)
        return n;
    pin += n;
    pout += n;
    if (!uoff_in)
        in->pos = (uint64_t)pin;
    else if (copy_to_user(uoff_in, &pin, sizeof pin) < 0)
        n = -EFAULT;
    if (!uoff_out)
        out->pos = (uint64_t)pout;
    else if (copy_to_user(uoff_out, &pout, sizeof pout) < 0)
        n = -EFAULT;
    return n;
}

long sys_copy_file_range(struct trapframe *tf)
{
    return do_copy_file_range((int)tf->ebx, tf->ecx, (int)tf->edx, tf->esi, tf->edi, tf->ebp);
}

/* fallocate's operations: one at a time, KEEP_SIZE beside some of them
 * (Linux 6.13's rules, which replaced a list of forbidden mixes). */
#define FALLOC_OPS (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | \
                    FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE)

/* fallocate(fd, mode, offset, len): Linux's vfs_fallocate checks, then the
 * file's kind does it (fs/ramfs_file.c; only in-memory files can). */
static long do_fallocate(int fd, uint32_t mode, int64_t off, int64_t len)
{
    struct file *f = fd_lookup(fds(), fd);
    if (!f)
        return -EBADF;
    if (off < 0 || len <= 0)
        return -EINVAL;
    if (mode & ~(uint32_t)(FALLOC_OPS | FALLOC_FL_KEEP_SIZE))
        return -EOPNOTSUPP;
    switch (mode & FALLOC_OPS) {
    case 0:                                /* allocate */
    case FALLOC_FL_UNSHARE_RANGE:
    case FALLOC_FL_ZERO_RANGE:
        break;
    case FALLOC_FL_PUNCH_HOLE:
        if (!(mode & FALLOC_FL_KEEP_SIZE))
            return -EOPNOTSUPP;
        break;
    case FALLOC_FL_COLLAPSE_RANGE:
    case FALLOC_FL_INSERT_RANGE:
        if (mode & FALLOC_FL_KEEP_SIZE)
            return -EOPNOTSUPP;
        break;
    default:                               /* two operations at once */
        return -EOPNOTSUPP;
    }
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    struct inode *ip = f->inode;
    if (S_ISFIFO(ip->mode))
        return -ESPIPE;
    if (S_ISDIR(ip->mode))
        return -EISDIR;
    if (!S_ISREG(ip->mode))
        return -ENODEV;
    if (off + len < 0 || (uint64_t)(off + len) > RAMFS_MAX)
        return -EFBIG;
    if (f->ops || !ip->ops->fallocate)
        return -EOPNOTSUPP;                /* a /proc file */
    if (mode & ~(uint32_t)(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
        return -EOPNOTSUPP;                /* what tmpfs cannot do either */
    if (!(mode & FALLOC_FL_PUNCH_HOLE)) {
        /* RLIMIT_FSIZE, even with KEEP_SIZE (tmpfs checks it so). */
        int r = rlimit_fsize_truncate(ip->size, (uint64_t)(off + len));
        if (r < 0)
            return r;
    }
    return ip->ops->fallocate(ip, mode, (uint64_t)off, (uint64_t)len);
}

/* fallocate(fd, mode, offset, len): on i386 each 64-bit argument comes in
 * two registers, low half first. */
long sys_fallocate(struct trapframe *tf)
{
    int64_t off = (int64_t)(((uint64_t)tf->esi << 32) | tf->edx);
    int64_t len = (int64_t)(((uint64_t)tf->ebp << 32) | tf->edi);
    return do_fallocate((int)tf->ebx, tf->ecx, off, len);
}
