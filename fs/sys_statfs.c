/* sys_statfs.c: questions about a whole file system: statfs and fstatfs (in
 * their 32- and 64-bit forms), and the sync family, which in a file system
 * kept in memory has nothing to write back.
 *
 * bunshin's file systems (fs.h's FS_DEV_*) all keep their data in memory:
 * the root and /dev/shm are like Linux's ramfs and tmpfs, whose blocks are
 * free memory; /proc is made up when read. statfs answers with what Linux
 * answers for those kinds: the magic number, 4096-byte blocks, and memory's
 * frames as the blocks (free ones free). */
#include "fs/sys_statfs.h"
#include "fs/sys_common.h"
#include "fs/mount.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/statfs.h"
#include "lib/string.h"
#include "param.h"

#define STATFS_VALID 0x0020        /* Linux's ST_VALID: f_flags is filled in */

/* What statfs says about the file system ip is on. */
static void fill(const struct inode *ip, struct statfs64 *st)
{
    memset(st, 0, sizeof *st);
    st->f_bsize = st->f_frsize = PAGE_SIZE;
    st->f_namelen = NAME_MAX;
    st->f_flags = STATFS_VALID;
    st->f_fsid.val[0] = (int32_t)ip->dev;
    if (ip->dev == FS_DEV_PROC) {
        st->f_type = PROC_SUPER_MAGIC;    /* no blocks: made up when read */
        return;
    }
    st->f_type = ip->dev == FS_DEV_ROOT ? RAMFS_MAGIC : TMPFS_MAGIC;
    if (mount_magic(ip->dev))
        st->f_type = mount_magic(ip->dev);    /* a tmpfs or ramfs mount (fs/mount.c) */
    st->f_blocks = frames_total();
    st->f_bfree = st->f_bavail = frames_free();
    /* A tmpfs with size=: that many blocks, less what its files hold, and
     * never more free than memory has (fs/mount.c). */
    uint32_t size = mount_size_pages(ip->dev);
    if (size) {
        uint32_t used = mount_used_pages(ip->dev);
        uint32_t left = used < size ? size - used : 0;
        st->f_blocks = size;
        if (st->f_bfree > left)
            st->f_bfree = st->f_bavail = left;
    }
}

/* Give st to the caller in the form asked for: the 64-bit struct (size
 * must be its size, as Linux checks), or the old one, whose counts must
 * fit in 32 bits (EOVERFLOW otherwise). */
static long put_statfs(const struct statfs64 *st, vaddr_t ubuf, bool wide, uint32_t size)
{
    if (wide) {
        if (size != sizeof *st)
            return -EINVAL;
        return copy_to_user(ubuf, st, sizeof *st) < 0 ? -EFAULT : 0;
    }
    struct statfs old;
    memset(&old, 0, sizeof old);
    if (st->f_blocks > 0xFFFFFFFFu || st->f_files > 0xFFFFFFFFu)
        return -EOVERFLOW;
    old.f_type = st->f_type;
    old.f_bsize = st->f_bsize;
    old.f_blocks = (uint32_t)st->f_blocks;
    old.f_bfree = (uint32_t)st->f_bfree;
    old.f_bavail = (uint32_t)st->f_bavail;
    old.f_files = (uint32_t)st->f_files;
    old.f_ffree = (uint32_t)st->f_ffree;
    old.f_fsid = st->f_fsid;
    old.f_namelen = st->f_namelen;
    old.f_frsize = st->f_frsize;
    old.f_flags = st->f_flags;
    return copy_to_user(ubuf, &old, sizeof old) < 0 ? -EFAULT : 0;
}

static long statfs_path(vaddr_t upath, vaddr_t ubuf, bool wide, uint32_t size)
{
    struct inode *ip;
    int r = lookup_at(AT_FDCWD, upath, true, &ip);
    if (r < 0)
        return r;
    struct statfs64 st;
    fill(ip, &st);
    inode_put(ip);
    return put_statfs(&st, ubuf, wide, size);
}

static long statfs_fd(int fd, vaddr_t ubuf, bool wide, uint32_t size)
{
    struct file *f = fd_lookup(fds(), fd);
    if (!f)
        return -EBADF;
    struct statfs64 st;
    fill(f->inode, &st);
    return put_statfs(&st, ubuf, wide, size);
}

long sys_statfs(struct trapframe *tf)
{
    return statfs_path(tf->ebx, tf->ecx, false, 0);
}

long sys_fstatfs(struct trapframe *tf)
{
    return statfs_fd((int)tf->ebx, tf->ecx, false, 0);
}

/* statfs64(path, size, buf) and fstatfs64(fd, size, buf). */
long sys_statfs64(struct trapframe *tf)
{
    return statfs_path(tf->ebx, tf->edx, true, tf->ecx);
}

long sys_fstatfs64(struct trapframe *tf)
{
    return statfs_fd((int)tf->ebx, tf->edx, true, tf->ecx);
}

/* sync(): everything is in memory already; nothing to wait for. */
long sys_sync(struct trapframe *tf)
{
    (void)tf;
    return 0;
}

/* fsync(fd), fdatasync(fd), syncfs(fd): a file's data is in memory, so
 * there is nothing to write; what is left are Linux's answers: EBADF for a
 * closed descriptor, EINVAL for a file that cannot be synced (a pipe, a
 * terminal: no fsync in its file operations). */
long sys_fsync(struct trapframe *tf)
{
    struct file *f = fd_lookup(fds(), (int)tf->ebx);
    if (!f)
        return -EBADF;
    return f->ops ? -EINVAL : 0;
}

long sys_syncfs(struct trapframe *tf)
{
    return fd_lookup(fds(), (int)tf->ebx) ? 0 : -EBADF;
}
