/* sys_dirs.c: system calls that make, change and remove names and inodes:
 * mkdir, mknod (named pipes), unlink, rmdir, rename, link, symlink, readlink,
 * truncate, chmod, utimensat, umask. */
#include "fs/sys_dirs.h"
#include "fs/inotify.h"
#include "fs/mount.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/sys_common.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "param.h"
#include "lib/string.h"

/* ---- making and removing names ---- */

static int do_mkdirat(int dirfd, vaddr_t upath, uint32_t mode)
{
    char name[NAME_MAX + 1];
    struct inode *dir, *ip;
    int r = parent_at(dirfd, upath, &dir, name);
    if (r < 0)
        return r;
    r = dir_create(dir, name, S_IFDIR | (mode & 07777 & ~current_proc()->fs->umask), &ip);
    if (r == 0)
        inode_put(ip);
    inode_put(dir);
    return r;
}

long sys_mkdir(struct trapframe *tf)
{
    return do_mkdirat(AT_FDCWD, tf->ebx, tf->ecx);
}

long sys_mkdirat(struct trapframe *tf)
{
    return do_mkdirat((int)tf->ebx, tf->ecx, tf->edx);
}

/* mknodat(dirfd, path, mode, dev): a named pipe (S_IFIFO: mkfifo) or an
 * empty regular file (S_IFREG, or no type). Linux's order of errors: a
 * directory is EPERM and an unknown type EINVAL before the path is looked
 * at; then the path's errors (EEXIST...). Device and socket nodes are
 * EPERM: bunshin's devices are the ones its kernel makes in /dev (Linux
 * lets root make them; bunshin has no driver to give a new one). */
static int do_mknodat(int dirfd, vaddr_t upath, uint32_t mode)
{
    uint32_t type = mode & S_IFMT;
    if (type == S_IFDIR)
        return -EPERM;
    if (type != 0 && type != S_IFREG && type != S_IFIFO && type != S_IFCHR &&
        type != S_IFBLK && type != S_IFSOCK)
        return -EINVAL;
    char name[NAME_MAX + 1];
    struct inode *dir, *ip;
    int r = parent_at(dirfd, upath, &dir, name);
    if (r < 0)
        return r;
    if (type == S_IFCHR || type == S_IFBLK || type == S_IFSOCK) {
        /* As Linux: the name, then the directory's permission, first. */
        ip = dir_lookup(dir, name);
        r = ip ? -EEXIST : inode_permission(dir, MAY_WRITE | MAY_EXEC);
        if (ip)
            inode_put(ip);
        if (r == 0)
            r = -EPERM;
    } else {
        uint32_t perm = mode & 07777 & ~current_proc()->fs->umask;
        r = dir_create(dir, name, (type == S_IFIFO ? S_IFIFO : S_IFREG) | perm, &ip);
        if (r == 0)
            inode_put(ip);
    }
    inode_put(dir);
    return r;
}

long sys_mknod(struct trapframe *tf)
{
    return do_mknodat(AT_FDCWD, tf->ebx, tf->ecx);
}

long sys_mknodat(struct trapframe *tf)
{
    return do_mknodat((int)tf->ebx, tf->ecx, tf->edx);
}

static int do_unlinkat(int dirfd, vaddr_t upath, uint32_t flags)
{
    if (flags & ~(uint32_t)AT_REMOVEDIR)
        return -EINVAL;
    char name[NAME_MAX + 1];
    struct inode *dir, *ip;
    int r = parent_at(dirfd, upath, &dir, name);
    if (r < 0)
        return r == -EEXIST ? -EBUSY : r;
    ip = dir_lookup(dir, name);
    if (flags & AT_REMOVEDIR && !strcmp(name, "."))
        r = -EINVAL;                   /* rmdir(".") */
    else if (flags & AT_REMOVEDIR && !strcmp(name, ".."))
        r = -ENOTEMPTY;
    else if (!ip) {
        r = -ENOENT;
    } else if (flags & AT_REMOVEDIR) {
        /* Linux's order: the type, whether the directory's kind removes
         * names at all, a mount point (/proc, /dev), then emptiness. */
        if (!S_ISDIR(ip->mode))
            r = -ENOTDIR;
        else if (!dir->ops->unlink)
            r = -EPERM;
        else if (ip->dev != dir->dev || mount_is_covered(ip))
            r = -EBUSY;
        else if (!dir_is_empty(ip))
            r = -ENOTEMPTY;
        else if (ip == root_inode || ip == current_proc()->fs->root)
            r = -EBUSY;                    /* a root; a current directory may go (Linux) */
    } else if (S_ISDIR(ip->mode)) {
        r = -EISDIR;
    }
    if (ip)
        inode_put(ip);
    if (r == 0)
        r = dir_unlink(dir, name);
    inode_put(dir);
    return r;
}

long sys_unlink(struct trapframe *tf)
{
    return do_unlinkat(AT_FDCWD, tf->ebx, 0);
}

long sys_unlinkat(struct trapframe *tf)
{
    return do_unlinkat((int)tf->ebx, tf->ecx, tf->edx);
}

long sys_umask(struct trapframe *tf)
{
    struct fs_info *fs = current_proc()->fs;
    uint32_t old = fs->umask;
    fs->umask = tf->ebx & 0777;
    return old;
}


/* ---- rmdir, rename, link, symlink, readlink ---- */

long sys_rmdir(struct trapframe *tf)
{
    return do_unlinkat(AT_FDCWD, tf->ebx, AT_REMOVEDIR);
}

/* renameat2: RENAME_NOREPLACE refuses to replace, RENAME_EXCHANGE swaps two
 * names (not both; RENAME_WHITEOUT is an overlay file system's). */
static int do_renameat2(int olddirfd, vaddr_t oldpath, int newdirfd, vaddr_t newpath,
                        uint32_t flags)
{
    if (flags & ~(uint32_t)(RENAME_NOREPLACE | RENAME_EXCHANGE))
        return -EINVAL;
    if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
        return -EINVAL;
    char oldname[NAME_MAX + 1], newname[NAME_MAX + 1];
    struct inode *olddir, *newdir;
    int r = parent_at(olddirfd, oldpath, &olddir, oldname);
    if (r < 0)
        return r == -EEXIST ? -EBUSY : r;
    r = parent_at(newdirfd, newpath, &newdir, newname);
    if (r < 0) {
        inode_put(olddir);
        return r == -EEXIST ? -EBUSY : r;
    }
    if (flags & RENAME_NOREPLACE) {
        struct inode *there = dir_lookup(newdir, newname);
        if (there) {
            inode_put(there);
            r = -EEXIST;
        }
    }
    if (r == 0)
        r = flags & RENAME_EXCHANGE ? dir_exchange(olddir, oldname, newdir, newname)
                                    : dir_rename(olddir, oldname, newdir, newname);
    inode_put(olddir);
    inode_put(newdir);
    return r;
}

long sys_rename(struct trapframe *tf)
{
    return do_renameat2(AT_FDCWD, tf->ebx, AT_FDCWD, tf->ecx, 0);
}

long sys_renameat(struct trapframe *tf)
{
    return do_renameat2((int)tf->ebx, tf->ecx, (int)tf->edx, tf->esi, 0);
}

long sys_renameat2(struct trapframe *tf)
{
    return do_renameat2((int)tf->ebx, tf->ecx, (int)tf->edx, tf->esi, tf->edi);
}

/* linkat's AT_EMPTY_PATH: with an empty oldpath the file is the one open on
 * olddirfd (*ip, a new reference), 0; Linux allows it only with
 * CAP_DAC_READ_SEARCH (ENOENT without), and not for a file with no name
 * left (ENOENT). 1 if oldpath is not empty: an ordinary lookup. */
static int link_source_fd(int olddirfd, vaddr_t oldpath, struct inode **ip)
{
    char first;
    if (copy_from_user(&first, oldpath, 1) < 0)
        return -EFAULT;
    if (first)
        return 1;
    if (!cred_privileged(current_cred()))
        return -ENOENT;
    if (olddirfd == AT_FDCWD) {
        *ip = inode_get(current_proc()->fs->cwd);
        return 0;
    }
    struct file *f = fd_lookup(fds(), olddirfd);
    if (!f)
        return -EBADF;
    if (f->inode->nlink == 0)
        return -ENOENT;
    *ip = inode_get(f->inode);
    return 0;
}

/* link: a second name for a file (not a directory: that could make loops). */
static int do_linkat(int olddirfd, vaddr_t oldpath, int newdirfd, vaddr_t newpath, uint32_t flags)
{
    if (flags & ~(uint32_t)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct inode *ip, *dir;
    char name[NAME_MAX + 1];
    int r = (flags & AT_EMPTY_PATH) ? link_source_fd(olddirfd, oldpath, &ip) : 1;
    if (r == 1)
        r = lookup_at(olddirfd, oldpath, flags & AT_SYMLINK_FOLLOW, &ip);
    if (r < 0)
        return r;
    if (S_ISDIR(ip->mode)) {
        inode_put(ip);
        return -EPERM;
    }
    r = parent_at(newdirfd, newpath, &dir, name);
    if (r == 0) {
        r = dir_link(dir, name, ip);
        if (r == 0)
            ip->ctime = fs_now();
        inode_put(dir);
    }
    inode_put(ip);
    return r;
}

long sys_link(struct trapframe *tf)
{
    return do_linkat(AT_FDCWD, tf->ebx, AT_FDCWD, tf->ecx, 0);
}

long sys_linkat(struct trapframe *tf)
{
    return do_linkat((int)tf->ebx, tf->ecx, (int)tf->edx, tf->esi, tf->edi);
}

/* symlink(target, linkpath): a file whose contents are a path. The target
 * is not checked: it may name nothing (yet). */
static int do_symlinkat(vaddr_t utarget, int dirfd, vaddr_t linkpath)
{
    char *target;
    char name[NAME_MAX + 1];
    struct inode *dir, *ip;
    int r = get_path(utarget, &target);
    if (r < 0)
        return r;
    if (target[0] == 0) {
        kfree(target);
        return -ENOENT;
    }
    r = parent_at(dirfd, linkpath, &dir, name);
    if (r == 0) {
        r = dir_symlink(dir, name, target, &ip);
        if (r == 0)
            inode_put(ip);
        inode_put(dir);
    }
    kfree(target);
    return r;
}

long sys_symlink(struct trapframe *tf)
{
    return do_symlinkat(tf->ebx, AT_FDCWD, tf->ecx);
}

long sys_symlinkat(struct trapframe *tf)
{
    return do_symlinkat(tf->ebx, (int)tf->ecx, tf->edx);
}

/* readlink(path, buf, size): the link's target, not NUL-terminated, cut to
 * size; returns the bytes placed. */
static long do_readlinkat(int dirfd, vaddr_t upath, vaddr_t ubuf, int32_t size)
{
    if (size <= 0)
        return -EINVAL;
    struct inode *ip;
    int r = lookup_at(dirfd, upath, false, &ip);
    if (r < 0)
        return r;
    long n = -EINVAL;
    if (S_ISLNK(ip->mode)) {
        char made_up[PATH_MAX < 256 ? PATH_MAX : 256];
        const char *target = inode_link_target(ip, made_up, sizeof made_up);
        /* A made-up link with nothing to point at (a zombie's
         * /proc/<pid>/exe) is ENOENT, as on Linux. */
        uint32_t len = target ? strlen(target) : 0;
        if (len > (uint32_t)size)
            len = (uint32_t)size;
        if (!target)
            n = -ENOENT;
        else
            n = copy_to_user(ubuf, target, len) < 0 ? -EFAULT : (long)len;
    }
    inode_put(ip);
    return n;
}

long sys_readlink(struct trapframe *tf)
{
    return do_readlinkat(AT_FDCWD, tf->ebx, tf->ecx, (int32_t)tf->edx);
}

long sys_readlinkat(struct trapframe *tf)
{
    return do_readlinkat((int)tf->ebx, tf->ecx, tf->edx, (int32_t)tf->esi);
}

/* ---- truncate, chmod, utimensat ---- */

static int truncate_inode(struct inode *ip, int64_t length)
{
    if (length < 0)
        return -EINVAL;
    if (S_ISDIR(ip->mode))
        return -EISDIR;
    if (!S_ISREG(ip->mode))
        return -EINVAL;
    int r = rlimit_fsize_truncate(ip->size, (uint64_t)length);   /* SIGXFSZ, EFBIG */
    if (r < 0)
        return r;
    return inode_truncate(ip, (uint64_t)length);     /* -EINVAL for /proc files */
}

static int do_truncate(vaddr_t upath, int64_t length)
{
    struct inode *ip;
    int r = lookup_at(AT_FDCWD, upath, true, &ip);
    if (r < 0)
        return r;
    if (S_ISDIR(ip->mode))
        r = -EISDIR;
    else if ((r = inode_permission(ip, MAY_WRITE)) == 0)
        r = truncate_inode(ip, length);
    inode_put(ip);
    return r;
}

static int do_ftruncate(int fd, int64_t length)
{
    struct file *f = fd_lookup(fds(), fd);
    if (!f)
        return -EBADF;
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -EINVAL;                /* Linux: not open for writing */
    return truncate_inode(f->inode, length);
}

long sys_truncate(struct trapframe *tf)
{
    return do_truncate(tf->ebx, (int32_t)tf->ecx);
}

long sys_ftruncate(struct trapframe *tf)
{
    return do_ftruncate((int)tf->ebx, (int32_t)tf->ecx);
}

/* The 64-bit forms take the length in two registers, low word first. */
long sys_truncate64(struct trapframe *tf)
{
    return do_truncate(tf->ebx, (int64_t)(((uint64_t)tf->edx << 32) | tf->ecx));
}

long sys_ftruncate64(struct trapframe *tf)
{
    return do_ftruncate((int)tf->ebx, (int64_t)(((uint64_t)tf->edx << 32) | tf->ecx));
}

static int do_fchmodat(int dirfd, vaddr_t upath, uint32_t mode)
{
    struct inode *ip;
    int r = lookup_at(dirfd, upath, true, &ip);
    if (r < 0)
        return r;
    r = inode_chmod(ip, mode);
    inode_put(ip);
    return r;
}

long sys_chmod(struct trapframe *tf)
{
    return do_fchmodat(AT_FDCWD, tf->ebx, tf->ecx);
}

long sys_fchmodat(struct trapframe *tf)
{
    return do_fchmodat((int)tf->ebx, tf->ecx, tf->edx);
}

long sys_fchmod(struct trapframe *tf)
{
    struct file *f = fd_lookup(fds(), (int)tf->ebx);
    if (!f)
        return -EBADF;
    return inode_chmod(f->inode, tf->ecx);
}

/* Set the access and modification times of dirfd/upath (of dirfd's own
 * file when upath is NULL: how futimens works) to t: seconds and
 * nanoseconds of each, a nanosecond value UTIME_NOW or UTIME_OMIT meaning
 * what utimensat(2) says. The caller checked the nanoseconds. */
static int set_file_times(int dirfd, vaddr_t upath, const int64_t t[4], uint32_t flags)
{
    struct inode *ip;
    int r;
    if (!upath) {
        struct file *f = fd_lookup(fds(), dirfd);
        if (!f)
            return -EBADF;
        ip = inode_get(f->inode);
    } else if ((r = lookup_at(dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW), &ip)) < 0) {
        return r;
    }
    /* Setting both to now needs ownership or write permission; any other
     * time ownership alone (root passes both): utimensat(2). */
    bool only_now = (t[1] == UTIME_NOW || t[1] == UTIME_OMIT) &&
                    (t[3] == UTIME_NOW || t[3] == UTIME_OMIT);
    if (!inode_owner_or_privileged(ip)) {
        r = only_now ? inode_permission(ip, MAY_WRITE) : -EPERM;
        if (r < 0) {
            inode_put(ip);
            return r;
        }
    }
    struct fs_time now = fs_now();
    struct fs_time at = { t[0], (uint32_t)t[1] }, mt = { t[2], (uint32_t)t[3] };
    if (t[1] != UTIME_OMIT)
        ip->atime = t[1] == UTIME_NOW ? now : at;
    if (t[3] != UTIME_OMIT)
        ip->mtime = t[3] == UTIME_NOW ? now : mt;
    ip->ctime = now;
    /* Linux's event: both times are a utime call, one alone an access or
     * a modification. */
    uint32_t event = t[1] != UTIME_OMIT ? (t[3] != UTIME_OMIT ? IN_ATTRIB : IN_ACCESS)
                                        : (t[3] != UTIME_OMIT ? IN_MODIFY : 0);
    if (event)
        fsnotify(ip, event, 0, 0);
    inode_put(ip);
    return 0;
}

/* utimensat(dirfd, path, times[2], flags): set access and modification
 * times (64-bit seconds and nanoseconds, as given). times NULL: now. A NULL
 * path changes dirfd's own file (how futimens works). */
static int do_utimensat(int dirfd, vaddr_t upath, vaddr_t utimes, uint32_t flags, bool time64)
{
    if (flags & ~(uint32_t)AT_SYMLINK_NOFOLLOW)
        return -EINVAL;
    int64_t t[4] = { 0, UTIME_NOW, 0, UTIME_NOW };      /* sec, nsec, sec, nsec */
    if (utimes) {
        if (time64) {
            if (copy_from_user(t, utimes, sizeof t) < 0)
                return -EFAULT;
        } else {
            int32_t t32[4];
            if (copy_from_user(t32, utimes, sizeof t32) < 0)
                return -EFAULT;
            for (int i = 0; i < 4; i++)
                t[i] = t32[i];
        }
        for (int i = 1; i < 4; i += 2)
            if (t[i] != UTIME_NOW && t[i] != UTIME_OMIT && (t[i] < 0 || t[i] >= 1000000000))
                return -EINVAL;
    }
    return set_file_times(dirfd, upath, t, flags);
}

/* futimesat(dirfd, path, struct timeval times[2]) and utimes: microseconds,
 * each in 0..999999 (else EINVAL); times NULL: now. */
static int do_futimesat(int dirfd, vaddr_t upath, vaddr_t utimes)
{
    int64_t t[4] = { 0, UTIME_NOW, 0, UTIME_NOW };
    if (utimes) {
        int32_t tv[4];
        if (copy_from_user(tv, utimes, sizeof tv) < 0)
            return -EFAULT;
        for (int i = 0; i < 4; i += 2) {
            if (tv[i + 1] < 0 || tv[i + 1] >= 1000000)
                return -EINVAL;
            t[i] = tv[i];
            t[i + 1] = (int64_t)tv[i + 1] * 1000;
        }
    }
    return set_file_times(dirfd, upath, t, 0);
}

long sys_futimesat(struct trapframe *tf)
{
    return do_futimesat((int)tf->ebx, tf->ecx, tf->edx);
}

long sys_utimes(struct trapframe *tf)
{
    return do_futimesat(AT_FDCWD, tf->ebx, tf->ecx);
}

/* utime(path, struct utimbuf *): whole seconds (32-bit actime, modtime);
 * NULL: now. */
long sys_utime(struct trapframe *tf)
{
    int64_t t[4] = { 0, UTIME_NOW, 0, UTIME_NOW };
    if (tf->ecx) {
        int32_t ut[2];
        if (copy_from_user(ut, tf->ecx, sizeof ut) < 0)
            return -EFAULT;
        t[0] = ut[0];
        t[1] = 0;
        t[2] = ut[1];
        t[3] = 0;
    }
    return set_file_times(AT_FDCWD, tf->ebx, t, 0);
}

long sys_utimensat(struct trapframe *tf)
{
    return do_utimensat((int)tf->ebx, tf->ecx, tf->edx, tf->esi, false);
}

long sys_utimensat_time64(struct trapframe *tf)
{
    return do_utimensat((int)tf->ebx, tf->ecx, tf->edx, tf->esi, true);
}
