/* sys_file.c: system calls on files and directories. Each sys_ function
 * decodes its arguments; the do_ functions below do the work. */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "errno.h"
#include "fcntl.h"
#include "param.h"
#include "string.h"

#define MAX_RW 0x7FFFF000u            /* Linux's largest single read or write */

static struct fdtable *fds(void)
{
    return current_proc()->files;
}

/* Copy a path from user memory into a kmalloc'd buffer (freed by the caller). */
static int get_path(vaddr_t upath, char **out)
{
    char *buf = kmalloc(MAXPATH);
    if (!buf)
        return -ENOMEM;
    int r = strncpy_from_user(buf, upath, MAXPATH);
    if (r < 0) {
        kfree(buf);
        return r;
    }
    *out = buf;
    return 0;
}

/* The directory a *at() call starts from: the cwd for AT_FDCWD, else the
 * directory open on dirfd. Returns a borrowed pointer (NULL = cwd). */
static int at_start(int dirfd, const char *path, struct inode **start)
{
    *start = 0;
    if (path[0] == '/' || dirfd == AT_FDCWD)
        return 0;
    struct file *f = fd_lookup(fds(), dirfd);
    if (!f)
        return -EBADF;
    if (!S_ISDIR(f->inode->mode))
        return -ENOTDIR;
    *start = f->inode;
    return 0;
}

/* ---- reading and writing ---- */

static long do_rw(int fd, vaddr_t buf, uint32_t n, bool write)
{
    struct file *f = fd_lookup(fds(), fd);
    if (!f)
        return -EBADF;
    if (n > MAX_RW)
        n = MAX_RW;
    if (user_range_ok(buf, n, !write) < 0)
        return -EFAULT;
    return write ? file_write(f, (const void *)buf, n, true) : file_read(f, (void *)buf, n, true);
}

long sys_read(struct trapframe *tf)
{
    return do_rw((int)tf->ebx, tf->ecx, tf->edx, false);
}

long sys_write(struct trapframe *tf)
{
    return do_rw((int)tf->ebx, tf->ecx, tf->edx, true);
}

/* readv/writev: one buffer after another, stopping at a short transfer. */
static long do_rwv(int fd, vaddr_t uiov, int count, bool write)
{
    if (!fd_lookup(fds(), fd))
        return -EBADF;
    if (count < 0 || count > 1024)
        return -EINVAL;
    uint32_t iov[2 * 16];
    long total = 0;
    for (int i = 0; i < count; i += 16) {
        int n = count - i < 16 ? count - i : 16;
        if (copy_from_user(iov, uiov + (uint32_t)i * 8, (uint32_t)n * 8) < 0)
            return -EFAULT;
        for (int k = 0; k < n; k++) {
            if (iov[2 * k + 1] == 0)
                continue;
            long r = do_rw(fd, iov[2 * k], iov[2 * k + 1], write);
            if (r < 0)
                return total ? total : r;
            total += r;
            if ((uint32_t)r < iov[2 * k + 1])
                return total;
        }
    }
    return total;
}

long sys_readv(struct trapframe *tf)
{
    return do_rwv((int)tf->ebx, tf->ecx, (int)tf->edx, false);
}

long sys_writev(struct trapframe *tf)
{
    return do_rwv((int)tf->ebx, tf->ecx, (int)tf->edx, true);
}

/* ---- opening and closing ---- */

#define OPEN_FLAGS_KNOWN (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | \
                          O_NONBLOCK | O_DSYNC | O_ASYNC | O_DIRECT | O_LARGEFILE | \
                          O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH)

static int do_openat(int dirfd, vaddr_t upath, uint32_t flags, uint32_t mode)
{
    char *path;
    struct inode *start, *ip = 0;
    int r = get_path(upath, &path);
    if (r < 0)
        return r;
    if ((r = at_start(dirfd, path, &start)) < 0)
        goto out;
    if ((flags & O_ACCMODE) == 3) {
        r = -EINVAL;
        goto out;
    }

    if (flags & O_CREAT) {
        struct inode *dir;
        char name[NAME_MAX + 1];
        if ((r = namei_parent(start, path, &dir, name)) < 0) {
            if (r == -EEXIST)           /* "/" or "." with O_CREAT */
                r = -EISDIR;
            goto out;
        }
        ip = dir_lookup(dir, name);
        if (ip && S_ISLNK(ip->mode) && !(flags & (O_EXCL | O_NOFOLLOW))) {
            inode_put(ip);
            ip = 0;
            r = namei(start, path, true, &ip);
            if (r < 0 && r != -ENOENT) {
                inode_put(dir);
                goto out;
            }
        }
        if (ip && (flags & O_EXCL)) {
            r = -EEXIST;
        } else if (!ip) {
            uint32_t perm = mode & 07777 & ~current_proc()->fs->umask;
            r = dir_create(dir, name, S_IFREG | perm, &ip);
        } else {
            r = 0;
        }
        inode_put(dir);
        if (r < 0)
            goto out;
    } else {
        if ((r = namei(start, path, !(flags & O_NOFOLLOW), &ip)) < 0)
            goto out;
    }

    if (S_ISLNK(ip->mode) && (flags & O_NOFOLLOW)) {
        r = -ELOOP;
        goto out;
    }
    if ((flags & O_DIRECTORY) && !S_ISDIR(ip->mode)) {
        r = -ENOTDIR;
        goto out;
    }
    if (S_ISDIR(ip->mode) && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))) {
        r = -EISDIR;
        goto out;
    }
    if ((flags & O_TRUNC) && S_ISREG(ip->mode) && (flags & O_ACCMODE) != O_RDONLY && !ip->fops)
        inode_truncate(ip, 0);

    struct file *f;
    if ((r = file_open(ip, flags & OPEN_FLAGS_KNOWN, &f)) < 0)
        goto out;
    r = fd_install(fds(), f, 0, flags & O_CLOEXEC);
    if (r < 0)
        file_put(f);
out:
    if (ip)
        inode_put(ip);
    kfree(path);
    return r;
}

long sys_open(struct trapframe *tf)
{
    return do_openat(AT_FDCWD, tf->ebx, tf->ecx, tf->edx);
}

long sys_openat(struct trapframe *tf)
{
    return do_openat((int)tf->ebx, tf->ecx, tf->edx, tf->esi);
}

long sys_close(struct trapframe *tf)
{
    return fd_close(fds(), (int)tf->ebx);
}

/* ---- seeking ---- */

static int64_t do_lseek(int fd, int64_t off, uint32_t whence)
{
    struct file *f = fd_lookup(fds(), fd);
    if (!f)
        return -EBADF;
    if (f->ops && !f->text)                /* devices: no position */
        return -ESPIPE;
    int64_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)f->pos; break;
    case SEEK_END: base = f->text ? (int64_t)f->text_len : (int64_t)f->inode->size; break;
    default: return -EINVAL;
    }
    int64_t pos = base + off;
    if (pos < 0)
        return -EINVAL;
    f->pos = (uint64_t)pos;
    return pos;
}

long sys_lseek(struct trapframe *tf)
{
    int64_t r = do_lseek((int)tf->ebx, (int32_t)tf->ecx, tf->edx);
    if (r > 0x7FFFFFFF)
        return -EOVERFLOW;
    return (long)r;
}

/* _llseek(fd, offset_high, offset_low, loff_t *result, whence) */
long sys_llseek(struct trapframe *tf)
{
    int64_t off = (int64_t)(((uint64_t)tf->ecx << 32) | tf->edx);
    int64_t r = do_lseek((int)tf->ebx, off, tf->edi);
    if (r < 0)
        return (long)r;
    return copy_to_user(tf->esi, &r, sizeof r);
}

/* ---- stat ---- */

/* stat the file at dirfd/path (or dirfd itself with AT_EMPTY_PATH). */
static int stat_at(int dirfd, vaddr_t upath, uint32_t flags, struct stat64 *st)
{
    if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | 0x6000))
        return -EINVAL;
    char *path;
    int r = get_path(upath, &path);
    if (r < 0)
        return r;
    struct inode *start, *ip;
    if (path[0] == 0 && (flags & AT_EMPTY_PATH)) {
        kfree(path);
        if (dirfd == AT_FDCWD) {
            inode_stat(current_proc()->fs->cwd, st);
            return 0;
        }
        struct file *f = fd_lookup(fds(), dirfd);
        if (!f)
            return -EBADF;
        inode_stat(f->inode, st);
        return 0;
    }
    if ((r = at_start(dirfd, path, &start)) == 0 &&
        (r = namei(start, path, !(flags & AT_SYMLINK_NOFOLLOW), &ip)) == 0) {
        inode_stat(ip, st);
        inode_put(ip);
    }
    kfree(path);
    return r;
}

static long stat_to_user(int r, const struct stat64 *st, vaddr_t ubuf)
{
    if (r < 0)
        return r;
    return copy_to_user(ubuf, st, sizeof *st);
}

long sys_stat64(struct trapframe *tf)
{
    struct stat64 st;
    return stat_to_user(stat_at(AT_FDCWD, tf->ebx, 0, &st), &st, tf->ecx);
}

long sys_lstat64(struct trapframe *tf)
{
    struct stat64 st;
    return stat_to_user(stat_at(AT_FDCWD, tf->ebx, AT_SYMLINK_NOFOLLOW, &st), &st, tf->ecx);
}

long sys_fstat64(struct trapframe *tf)
{
    struct file *f = fd_lookup(fds(), (int)tf->ebx);
    if (!f)
        return -EBADF;
    struct stat64 st;
    inode_stat(f->inode, &st);
    return copy_to_user(tf->ecx, &st, sizeof st);
}

long sys_fstatat64(struct trapframe *tf)
{
    struct stat64 st;
    return stat_to_user(stat_at((int)tf->ebx, tf->ecx, tf->esi, &st), &st, tf->edx);
}

/* statx(dirfd, path, flags, mask, struct statx *): the same facts, newer shape. */
long sys_statx(struct trapframe *tf)
{
    struct stat64 st;
    int r = stat_at((int)tf->ebx, tf->ecx, tf->edx & ~0x6000u, &st);
    if (r < 0)
        return r;
    struct statx sx;
    memset(&sx, 0, sizeof sx);
    sx.stx_mask = STATX_BASIC_STATS;
    sx.stx_blksize = st.st_blksize;
    sx.stx_nlink = st.st_nlink;
    sx.stx_uid = st.st_uid;
    sx.stx_gid = st.st_gid;
    sx.stx_mode = (uint16_t)st.st_mode;
    sx.stx_ino = st.st_ino;
    sx.stx_size = (uint64_t)st.st_size;
    sx.stx_blocks = st.st_blocks;
    sx.stx_atime.tv_sec = st.st_atime;
    sx.stx_mtime.tv_sec = st.st_mtime;
    sx.stx_ctime.tv_sec = st.st_ctime;
    sx.stx_rdev_major = (uint32_t)(st.st_rdev >> 8);
    sx.stx_rdev_minor = (uint32_t)(st.st_rdev & 0xFF);
    sx.stx_dev_major = 0;
    sx.stx_dev_minor = (uint32_t)st.st_dev;
    return copy_to_user(tf->edi, &sx, sizeof sx);
}

/* ---- directories ---- */

static uint8_t dirent_type(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR: return DT_DIR;
    case S_IFREG: return DT_REG;
    case S_IFLNK: return DT_LNK;
    case S_IFCHR: return DT_CHR;
    default: return DT_UNKNOWN;
    }
}

/* getdents64(fd, buf, count): as many entries as fit. The file position
 * counts entries: 0 is ".", 1 is "..", then the directory's list. */
long sys_getdents64(struct trapframe *tf)
{
    struct file *f = fd_lookup(fds(), (int)tf->ebx);
    if (!f)
        return -EBADF;
    struct inode *dp = f->inode;
    if (!S_ISDIR(dp->mode))
        return -ENOTDIR;
    vaddr_t ubuf = tf->ecx;
    uint32_t count = tf->edx;
    if (user_range_ok(ubuf, count, true) < 0)
        return -EFAULT;

    uint8_t rec[sizeof(struct linux_dirent64) + NAME_MAX + 8];
    char made_up[NAME_MAX + 1];
    uint32_t used = 0;
    uint64_t index = 0, listed = 0;
    struct dirent_node *d = dp->entries;
    for (;; index++) {
        const char *name;
        uint32_t ino;
        uint8_t type;
        if (index == 0) {
            name = ".";
            ino = dp->ino;
            type = DT_DIR;
        } else if (index == 1) {
            name = "..";
            ino = dp->parent->ino;
            type = DT_DIR;
        } else if (d) {
            name = d->name;
            ino = d->inode->ino;
            type = dirent_type(d->inode->mode);
            d = d->next;
        } else if (dp->list && dp->list(dp, (uint32_t)listed++, made_up, &ino, &type)) {
            name = made_up;               /* /proc/<pid>: made up as listed */
        } else {
            break;
        }
        if (index < f->pos)
            continue;
        uint32_t namelen = strlen(name);
        uint32_t reclen = (uint32_t)(sizeof(struct linux_dirent64) + namelen + 1 + 7) & ~7u;
        if (used + reclen > count) {
            if (used == 0)
                return -EINVAL;        /* the buffer cannot hold one entry */
            break;
        }
        struct linux_dirent64 *de = (struct linux_dirent64 *)rec;
        memset(rec, 0, reclen);
        de->d_ino = ino;
        de->d_off = (int64_t)index + 1;
        de->d_reclen = (uint16_t)reclen;
        de->d_type = type;
        memcpy(de->d_name, name, namelen + 1);
        if (copy_to_user(ubuf + used, rec, reclen) < 0)
            return -EFAULT;
        used += reclen;
        f->pos = index + 1;
    }
    return used;
}

/* The name of directory dp inside its parent. */
static const char *name_in_parent(struct inode *dp)
{
    for (struct dirent_node *d = dp->parent->entries; d; d = d->next)
        if (d->inode == dp)
            return d->name;
    return 0;
}

/* getcwd(buf, size): the path from / to the current directory. Returns the
 * length including the NUL, as Linux's system call does. */
long sys_getcwd(struct trapframe *tf)
{
    char *path = kmalloc(MAXPATH);
    if (!path)
        return -ENOMEM;
    uint32_t pos = MAXPATH - 1;
    path[pos] = 0;
    struct inode *ip = current_proc()->fs->cwd;
    long r = 0;
    if (ip->nlink == 0)
        r = -ENOENT;                   /* the directory was removed */
    while (r == 0 && ip != root_inode) {
        const char *name = name_in_parent(ip);
        uint32_t len = name ? strlen(name) : 0;
        if (!name || len + 1 > pos) {
            r = name ? -ENAMETOOLONG : -ENOENT;
            break;
        }
        pos -= len;
        memcpy(path + pos, name, len);
        path[--pos] = '/';
        ip = ip->parent;
    }
    if (r == 0 && pos == MAXPATH - 1)
        path[--pos] = '/';
    if (r == 0) {
        uint32_t len = MAXPATH - pos;  /* with the NUL */
        if (len > tf->ecx)
            r = -ERANGE;
        else if (copy_to_user(tf->ebx, path + pos, len) < 0)
            r = -EFAULT;
        else
            r = (long)len;
    }
    kfree(path);
    return r;
}

static int change_dir(struct inode *ip)
{
    if (!S_ISDIR(ip->mode)) {
        inode_put(ip);
        return -ENOTDIR;
    }
    struct proc *p = current_proc();
    inode_put(p->fs->cwd);
    p->fs->cwd = ip;
    return 0;
}

long sys_chdir(struct trapframe *tf)
{
    char *path;
    struct inode *ip;
    int r = get_path(tf->ebx, &path);
    if (r < 0)
        return r;
    r = namei(0, path, true, &ip);
    kfree(path);
    return r < 0 ? r : change_dir(ip);
}

long sys_fchdir(struct trapframe *tf)
{
    struct file *f = fd_lookup(fds(), (int)tf->ebx);
    if (!f)
        return -EBADF;
    return change_dir(inode_get(f->inode));
}

/* access: everyone is root, who may read and write anything; executing
 * needs an x bit somewhere (or a directory). */
static int do_access(int dirfd, vaddr_t upath, uint32_t mode, uint32_t flags)
{
    if (mode & ~7u)
        return -EINVAL;
    if (flags & ~(uint32_t)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    char *path;
    struct inode *start, *ip;
    int r = get_path(upath, &path);
    if (r < 0)
        return r;
    if ((r = at_start(dirfd, path, &start)) == 0 &&
        (r = namei(start, path, !(flags & AT_SYMLINK_NOFOLLOW), &ip)) == 0) {
        if ((mode & X_OK) && !S_ISDIR(ip->mode) && !(ip->mode & 0111))
            r = -EACCES;
        inode_put(ip);
    }
    kfree(path);
    return r;
}

long sys_access(struct trapframe *tf)
{
    return do_access(AT_FDCWD, tf->ebx, tf->ecx, 0);
}

long sys_faccessat(struct trapframe *tf)
{
    return do_access((int)tf->ebx, tf->ecx, tf->edx, 0);
}

long sys_faccessat2(struct trapframe *tf)
{
    return do_access((int)tf->ebx, tf->ecx, tf->edx, tf->esi);
}

long sys_ioctl(struct trapframe *tf)
{
    struct file *f = fd_lookup(fds(), (int)tf->ebx);
    if (!f)
        return -EBADF;
    if (!f->ops || !f->ops->ioctl)
        return -ENOTTY;
    return f->ops->ioctl(f, tf->ecx, tf->edx);
}

/* ---- making and removing names ---- */

static int do_mkdirat(int dirfd, vaddr_t upath, uint32_t mode)
{
    char *path;
    char name[NAME_MAX + 1];
    struct inode *start, *dir, *ip;
    int r = get_path(upath, &path);
    if (r < 0)
        return r;
    if ((r = at_start(dirfd, path, &start)) == 0 &&
        (r = namei_parent(start, path, &dir, name)) == 0) {
        r = dir_create(dir, name, S_IFDIR | (mode & 07777 & ~current_proc()->fs->umask), &ip);
        if (r == 0)
            inode_put(ip);
        inode_put(dir);
    }
    kfree(path);
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

static int do_unlinkat(int dirfd, vaddr_t upath, uint32_t flags)
{
    if (flags & ~(uint32_t)AT_REMOVEDIR)
        return -EINVAL;
    char *path;
    char name[NAME_MAX + 1];
    struct inode *start, *dir, *ip;
    int r = get_path(upath, &path);
    if (r < 0)
        return r;
    if ((r = at_start(dirfd, path, &start)) < 0 ||
        (r = namei_parent(start, path, &dir, name)) < 0) {
        kfree(path);
        return r == -EEXIST ? -EBUSY : r;
    }
    kfree(path);
    ip = dir_lookup(dir, name);
    if (!ip) {
        r = -ENOENT;
    } else if (flags & AT_REMOVEDIR) {
        if (!S_ISDIR(ip->mode))
            r = -ENOTDIR;
        else if (ip->entries)
            r = -ENOTEMPTY;
        else if (ip == current_proc()->fs->cwd || ip == root_inode)
            r = -EBUSY;
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

/* ---- fcntl ---- */

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

long sys_fcntl64(struct trapframe *tf)
{
    int fd = (int)tf->ebx;
    uint32_t arg = tf->edx;
    struct fdtable *t = fds();
    struct file *f = fd_lookup(t, fd);
    if (!f)
        return -EBADF;
    switch (tf->ecx) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        if ((int)arg < 0 || arg >= NOFILE)
            return -EINVAL;
        int r = fd_install(t, file_get(f), (int)arg, tf->ecx == F_DUPFD_CLOEXEC);
        if (r < 0)
            file_put(f);
        return r;
    }
    case F_GETFD:
        return t->cloexec[fd] ? FD_CLOEXEC : 0;
    case F_SETFD:
        t->cloexec[fd] = arg & FD_CLOEXEC;
        return 0;
    case F_GETFL:
        return (long)(f->flags | O_LARGEFILE);
    case F_SETFL: {
        /* Only these status flags may change after open. */
        uint32_t changeable = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;
        f->flags = (f->flags & ~changeable) | (arg & changeable);
        return 0;
    }
    default:
        return -EINVAL;
    }
}

/* umask(mask): set the bits creat() takes away; returns the old mask. */
long sys_umask(struct trapframe *tf)
{
    struct fs_info *fs = current_proc()->fs;
    uint32_t old = fs->umask;
    fs->umask = tf->ebx & 0777;
    return old;
}

/* pipe2(int fds[2], flags): a pipe's read end in fds[0], write end in fds[1]. */
static int do_pipe2(vaddr_t ufds, uint32_t flags)
{
    if (flags & ~(uint32_t)(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
        return -EINVAL;
    if (user_range_ok(ufds, 8, true) < 0)
        return -EFAULT;
    struct file *rd, *wr;
    int r = pipe_create(flags, &rd, &wr);
    if (r < 0)
        return r;
    struct fdtable *t = fds();
    int fd[2];
    fd[0] = fd_install(t, rd, 0, flags & O_CLOEXEC);
    fd[1] = fd[0] < 0 ? -EMFILE : fd_install(t, wr, 0, flags & O_CLOEXEC);
    if (fd[1] < 0) {
        if (fd[0] >= 0)
            fd_close(t, fd[0]);
        else
            file_put(rd);
        file_put(wr);
        return -EMFILE;
    }
    if (copy_to_user(ufds, fd, sizeof fd) < 0) {
        fd_close(t, fd[0]);
        fd_close(t, fd[1]);
        return -EFAULT;
    }
    return 0;
}

long sys_pipe(struct trapframe *tf)
{
    return do_pipe2(tf->ebx, 0);
}

long sys_pipe2(struct trapframe *tf)
{
    return do_pipe2(tf->ebx, tf->ecx);
}

/* dup(fd): the lowest free descriptor, close-on-exec off. */
long sys_dup(struct trapframe *tf)
{
    struct fdtable *t = fds();
    struct file *f = fd_lookup(t, (int)tf->ebx);
    if (!f)
        return -EBADF;
    int r = fd_install(t, file_get(f), 0, false);
    if (r < 0)
        file_put(f);
    return r;
}

/* dup2(old, new): new becomes old; if they are equal, just check old. */
long sys_dup2(struct trapframe *tf)
{
    int oldfd = (int)tf->ebx, newfd = (int)tf->ecx;
    if (oldfd == newfd)
        return fd_lookup(fds(), oldfd) ? newfd : -EBADF;
    return fd_dup_to(fds(), oldfd, newfd, false);
}

/* dup3(old, new, flags): dup2 that may set close-on-exec, and refuses
 * equal descriptors (Linux's rule). */
long sys_dup3(struct trapframe *tf)
{
    int oldfd = (int)tf->ebx, newfd = (int)tf->ecx;
    uint32_t flags = tf->edx;
    if (flags & ~(uint32_t)O_CLOEXEC)
        return -EINVAL;
    if (oldfd == newfd)
        return -EINVAL;
    return fd_dup_to(fds(), oldfd, newfd, flags & O_CLOEXEC);
}
