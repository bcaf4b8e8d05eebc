/* sys_stat.c: system calls that look at files and directories: the stat
 * family, getdents64, getcwd, chdir, access. */
#include "fs/sys_stat.h"
#include "kernel/proc.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/sys_common.h"
#include "fs/inotify.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "param.h"
#include "lib/string.h"

/* ---- stat ---- */

/* stat64 of ip, and its full 64-bit times in times[3] (atime, mtime,
 * ctime) when times is not NULL (statx). */
static void stat_fill(struct inode *ip, struct stat64 *st, struct fs_time *times)
{
    inode_stat(ip, st);
    if (times) {
        times[0] = ip->atime;
        times[1] = ip->mtime;
        times[2] = ip->ctime;
    }
}

/* stat the file at dirfd/path (or dirfd itself with AT_EMPTY_PATH). */
static int stat_at(int dirfd, vaddr_t upath, uint32_t flags, struct stat64 *st,
                   struct fs_time *times)
{
    if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
        return -EINVAL;
    char *path;
    int r = get_path(upath, &path);
    if (r < 0)
        return r;
    struct inode *start, *ip;
    if (path[0] == 0 && (flags & AT_EMPTY_PATH)) {
        kfree(path);
        if (dirfd == AT_FDCWD) {
            stat_fill(current_proc()->fs->cwd, st, times);
            return 0;
        }
        struct file *f = fd_lookup(fds(), dirfd);
        if (!f)
            return -EBADF;
        stat_fill(f->inode, st, times);
        return 0;
    }
    if ((r = at_start(dirfd, path, &start)) == 0 &&
        (r = namei(start, path, !(flags & AT_SYMLINK_NOFOLLOW), &ip)) == 0) {
        stat_fill(ip, st, times);
        inode_put(ip);
    }
    kfree(path);
    return r;
}

static int fd_stat(int fd, struct stat64 *st);

static long stat_to_user(int r, const struct stat64 *st, vaddr_t ubuf)
{
    if (r < 0)
        return r;
    return copy_to_user(ubuf, st, sizeof *st);
}

long sys_stat64(struct trapframe *tf)
{
    struct stat64 st;
    return stat_to_user(stat_at(AT_FDCWD, tf->ebx, 0, &st, 0), &st, tf->ecx);
}

long sys_lstat64(struct trapframe *tf)
{
    struct stat64 st;
    return stat_to_user(stat_at(AT_FDCWD, tf->ebx, AT_SYMLINK_NOFOLLOW, &st, 0), &st, tf->ecx);
}

long sys_fstat64(struct trapframe *tf)
{
    struct stat64 st;
    return stat_to_user(fd_stat((int)tf->ebx, &st), &st, tf->ecx);
}

/* ---- the old stat forms ---- */

/* A 32-bit uid or gid as a 16-bit field: Linux's overflow id 65534 when it
 * does not fit (high2lowuid). */
static uint16_t id16(uint32_t id)
{
    return id > 0xFFFF ? 65534 : (uint16_t)id;
}

/* stat64 as i386's struct stat, or -EOVERFLOW where a number, a link count
 * or the size does not fit (Linux's cp_new_stat). */
static long old_stat_to_user(int r, const struct stat64 *st, vaddr_t ubuf)
{
    if (r < 0)
        return r;
    if (st->st_ino > 0xFFFFFFFFu || st->st_nlink > 0xFFFF || st->st_size > 0x7FFFFFFF ||
        st->st_dev > 0xFFFF || st->st_rdev > 0xFFFF)
        return -EOVERFLOW;
    struct stat o;
    memset(&o, 0, sizeof o);
    o.st_dev = (uint32_t)st->st_dev;
    o.st_ino = (uint32_t)st->st_ino;
    o.st_mode = (uint16_t)st->st_mode;
    o.st_nlink = (uint16_t)st->st_nlink;
    o.st_uid = id16(st->st_uid);
    o.st_gid = id16(st->st_gid);
    o.st_rdev = (uint32_t)st->st_rdev;
    o.st_size = (uint32_t)st->st_size;
    o.st_blksize = st->st_blksize;
    o.st_blocks = (uint32_t)st->st_blocks;
    o.st_atime = st->st_atime;
    o.st_atime_nsec = st->st_atime_nsec;
    o.st_mtime = st->st_mtime;
    o.st_mtime_nsec = st->st_mtime_nsec;
    o.st_ctime = st->st_ctime;
    o.st_ctime_nsec = st->st_ctime_nsec;
    return copy_to_user(ubuf, &o, sizeof o);
}

/* The oldest form, struct __old_kernel_stat: 16-bit numbers (Linux's
 * cp_old_stat: EOVERFLOW for an inode number or link count past 16 bits). */
static long oldest_stat_to_user(int r, const struct stat64 *st, vaddr_t ubuf)
{
    if (r < 0)
        return r;
    if (st->st_ino > 0xFFFF || st->st_nlink > 0xFFFF || st->st_size > 0x7FFFFFFF)
        return -EOVERFLOW;
    struct __old_kernel_stat o;
    memset(&o, 0, sizeof o);
    o.st_dev = (uint16_t)st->st_dev;
    o.st_ino = (uint16_t)st->st_ino;
    o.st_mode = (uint16_t)st->st_mode;
    o.st_nlink = (uint16_t)st->st_nlink;
    o.st_uid = id16(st->st_uid);
    o.st_gid = id16(st->st_gid);
    o.st_rdev = (uint16_t)st->st_rdev;
    o.st_size = (uint32_t)st->st_size;
    o.st_atime = st->st_atime;
    o.st_mtime = st->st_mtime;
    o.st_ctime = st->st_ctime;
    return copy_to_user(ubuf, &o, sizeof o);
}

/* fstat's look-up: 0 and *st, or -EBADF. */
static int fd_stat(int fd, struct stat64 *st)
{
    struct file *f = fd_lookup(fds(), fd);
    if (!f)
        return -EBADF;
    inode_stat(f->inode, st);
    return 0;
}

long sys_stat(struct trapframe *tf)
{
    struct stat64 st;
    return old_stat_to_user(stat_at(AT_FDCWD, tf->ebx, 0, &st, 0), &st, tf->ecx);
}

long sys_lstat(struct trapframe *tf)
{
    struct stat64 st;
    return old_stat_to_user(stat_at(AT_FDCWD, tf->ebx, AT_SYMLINK_NOFOLLOW, &st, 0), &st, tf->ecx);
}

long sys_fstat(struct trapframe *tf)
{
    struct stat64 st;
    return old_stat_to_user(fd_stat((int)tf->ebx, &st), &st, tf->ecx);
}

long sys_oldstat(struct trapframe *tf)
{
    struct stat64 st;
    return oldest_stat_to_user(stat_at(AT_FDCWD, tf->ebx, 0, &st, 0), &st, tf->ecx);
}

long sys_oldlstat(struct trapframe *tf)
{
    struct stat64 st;
    return oldest_stat_to_user(stat_at(AT_FDCWD, tf->ebx, AT_SYMLINK_NOFOLLOW, &st, 0), &st, tf->ecx);
}

long sys_oldfstat(struct trapframe *tf)
{
    struct stat64 st;
    return oldest_stat_to_user(fd_stat((int)tf->ebx, &st), &st, tf->ecx);
}

long sys_fstatat64(struct trapframe *tf)
{
    struct stat64 st;
    return stat_to_user(stat_at((int)tf->ebx, tf->ecx, tf->esi, &st, 0), &st, tf->edx);
}

/* statx(dirfd, path, flags, mask, struct statx *): the same facts, newer shape. */
long sys_statx(struct trapframe *tf)
{
    struct stat64 st;
    struct fs_time times[3];
    int r = stat_at((int)tf->ebx, tf->ecx, tf->edx & ~(uint32_t)AT_STATX_SYNC_TYPE, &st, times);
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
    sx.stx_atime.tv_sec = times[0].sec;
    sx.stx_atime.tv_nsec = times[0].nsec;
    sx.stx_mtime.tv_sec = times[1].sec;
    sx.stx_mtime.tv_nsec = times[1].nsec;
    sx.stx_ctime.tv_sec = times[2].sec;
    sx.stx_ctime.tv_nsec = times[2].nsec;
    sx.stx_rdev_major = (uint32_t)(st.st_rdev >> 8);
    sx.stx_rdev_minor = (uint32_t)(st.st_rdev & 0xFF);
    sx.stx_dev_major = 0;
    sx.stx_dev_minor = (uint32_t)st.st_dev;
    return copy_to_user(tf->edi, &sx, sizeof sx);
}

/* ---- directories ---- */

/* One entry as a getdents64 record (old false) or an old getdents record
 * (old true) in rec; its length, or -EOVERFLOW (an old record's 32-bit
 * inode number cannot hold ino). */
static long dirent_record(const struct dir_entry *e, uint64_t next, bool old, uint8_t *rec)
{
    uint32_t namelen = strlen(e->name);
    if (old) {
        /* name, NUL, then the type in the record's last byte */
        uint32_t reclen = (uint32_t)(sizeof(struct linux_dirent) + namelen + 2 + 3) & ~3u;
        struct linux_dirent *de = (struct linux_dirent *)rec;
        memset(rec, 0, reclen);
        de->d_ino = e->ino;
        de->d_off = (uint32_t)next;
        de->d_reclen = (uint16_t)reclen;
        memcpy(de->d_name, e->name, namelen + 1);
        rec[reclen - 1] = e->type;
        return reclen;
    }
    uint32_t reclen = (uint32_t)(sizeof(struct linux_dirent64) + namelen + 1 + 7) & ~7u;
    struct linux_dirent64 *de = (struct linux_dirent64 *)rec;
    memset(rec, 0, reclen);
    de->d_ino = e->ino;
    de->d_off = (int64_t)next;
    de->d_reclen = (uint16_t)reclen;
    de->d_type = e->type;
    memcpy(de->d_name, e->name, namelen + 1);
    return reclen;
}

/* getdents64(fd, buf, count) and getdents: as many entries as fit. The
 * file position counts entries: 0 is ".", 1 is "..", then what the
 * directory's kind lists (its readdir), from index 0. */
static long do_getdents(int fd, vaddr_t ubuf, uint32_t count, bool old)
{
    struct file *f = fd_lookup(fds(), fd);
    if (!f)
        return -EBADF;
    struct inode *dp = f->inode;
    if (!S_ISDIR(dp->mode))
        return -ENOTDIR;
    if (user_range_ok(ubuf, count, true) < 0)
        return -EFAULT;

    uint8_t rec[sizeof(struct linux_dirent64) + NAME_MAX + 8];
    struct dir_entry e;
    uint32_t used = 0;
    for (uint64_t index = f->pos;; index++) {
        if (index == 0) {
            strlcpy(e.name, ".", sizeof e.name);
            e.ino = dp->ino;
            e.type = DT_DIR;
        } else if (index == 1) {
            struct inode *parent = dir_lookup(dp, "..");
            strlcpy(e.name, "..", sizeof e.name);
            e.ino = parent ? parent->ino : dp->ino;
            e.type = DT_DIR;
            if (parent)
                inode_put(parent);
        } else if (index - 2 >= 0xFFFFFFFFu || !dir_readdir(dp, (uint32_t)(index - 2), &e)) {
            break;
        }
        uint32_t reclen = (uint32_t)dirent_record(&e, index + 1, old, rec);
        if (used + reclen > count) {
            if (used == 0)
                return -EINVAL;        /* the buffer cannot hold one entry */
            break;
        }
        if (copy_to_user(ubuf + used, rec, reclen) < 0)
            return -EFAULT;
        used += reclen;
        f->pos = index + 1;
    }
    fsnotify(dp, IN_ACCESS, 0, 0);     /* Linux reports every listing */
    return used;
}

long sys_getdents64(struct trapframe *tf)
{
    return do_getdents((int)tf->ebx, tf->ecx, tf->edx, false);
}

long sys_getdents(struct trapframe *tf)
{
    return do_getdents((int)tf->ebx, tf->ecx, tf->edx, true);
}

/* The name of directory dp inside its parent. */
/* getcwd(buf, size): the path from / to the current directory. Returns the
 * length including the NUL, as Linux's system call does. */
long sys_getcwd(struct trapframe *tf)
{
    char *path = kmalloc(PATH_MAX);
    if (!path)
        return -ENOMEM;
    long r = dir_path(current_proc()->fs->cwd, path, PATH_MAX);
    if (r >= 0) {
        uint32_t len = (uint32_t)r + 1;          /* with the NUL */
        if (len > tf->ecx)
            r = -ERANGE;
        else if (copy_to_user(tf->ebx, path, len) < 0)
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
    int r = inode_permission(ip, MAY_EXEC);   /* a directory one may search */
    if (r < 0) {
        inode_put(ip);
        return r;
    }
    struct proc *p = current_proc();
    inode_put(p->fs->cwd);
    p->fs->cwd = ip;
    return 0;
}

long sys_chdir(struct trapframe *tf)
{
    struct inode *ip;
    int r = lookup_at(AT_FDCWD, tf->ebx, true, &ip);
    return r < 0 ? r : change_dir(ip);
}

long sys_fchdir(struct trapframe *tf)
{
    struct file *f = fd_lookup(fds(), (int)tf->ebx);
    if (!f)
        return -EBADF;
    return change_dir(inode_get(f->inode));
}

/* access(path, mode): may the process read, write or execute the file?
 * Asked with the real ids, not the effective ones (unless AT_EACCESS): a
 * set-user-ID program asks whether the user who ran it could open the
 * file. As Linux does, the fs ids are swapped for the real ones for the
 * whole look-up, so that every directory on the way is searched as that
 * user too, and put back. */
static int do_access(int dirfd, vaddr_t upath, uint32_t mode, uint32_t flags)
{
    if (mode & ~7u)
        return -EINVAL;
    if (flags & ~(uint32_t)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct cred *c = &current_proc()->cred;
    uint32_t fsuid = c->fsuid, fsgid = c->fsgid;
    if (!(flags & AT_EACCESS)) {
        c->fsuid = c->uid;
        c->fsgid = c->gid;
    }
    struct inode *ip;
    int r = lookup_at(dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW), &ip);
    if (r == 0) {
        int mask = ((mode & R_OK) ? MAY_READ : 0) | ((mode & W_OK) ? MAY_WRITE : 0) |
                   ((mode & X_OK) ? MAY_EXEC : 0);
        r = inode_permission(ip, mask);
        inode_put(ip);
    }
    c->fsuid = fsuid;
    c->fsgid = fsgid;
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

