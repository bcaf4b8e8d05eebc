/* sys_file.c: system calls on descriptors: read, write, open, close,
 * lseek, ioctl, fcntl, pipe, dup (and at an offset: fs/sys_pio.c). Each
 * sys_ function decodes its arguments;
 * the do_ functions do the work. */
#include "fs/sys_file.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "fs/file.h"
#include "fs/fown.h"
#include "fs/fs.h"
#include "fs/sys_common.h"
#include "fs/lock.h"
#include "fs/inotify.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/stat.h"
#include "linux/termios.h"
#include "param.h"
#include "lib/string.h"

/* ---- reading and writing ---- */

/* One read or write of n bytes at buf on f, which the caller holds. */
static long rw_file(struct file *f, vaddr_t buf, uint32_t n, bool write)
{
    if (n > MAX_RW)
        n = MAX_RW;
    if (user_range_ok(buf, n, !write) < 0)
        return -EFAULT;
    return write ? file_write(f, (const void *)buf, n, true) : file_read(f, (void *)buf, n, true);
}

static long do_rw(int fd, vaddr_t buf, uint32_t n, bool write)
{
    struct file *f = fd_lookup(fds(), fd);
    if (!f)
        return -EBADF;
    /* A pipe or a terminal may make us sleep, and meanwhile a thread that
     * shares the descriptor table may close fd: the description must stay
     * until we are done with it. */
    file_get(f);
    long r = rw_file(f, buf, n, write);
    file_put(f);
    return r;
}

long sys_read(struct trapframe *tf)
{
    return do_rw((int)tf->ebx, tf->ecx, tf->edx, false);
}

long sys_write(struct trapframe *tf)
{
    return do_rw((int)tf->ebx, tf->ecx, tf->edx, true);
}

long iov_walk(struct file *f, vaddr_t uiov, int count, iov_one_fn one, void *arg)
{
    uint32_t iov[2 * 16];                  /* 16 struct iovecs at a time */
    long total = 0;
    for (int i = 0; i < count; i += 16) {
        int n = count - i < 16 ? count - i : 16;
        if (copy_from_user(iov, uiov + (uint32_t)i * 8, (uint32_t)n * 8) < 0)
            return -EFAULT;
        for (int k = 0; k < n; k++) {
            if (iov[2 * k + 1] == 0)
                continue;
            long r = one(f, iov[2 * k], iov[2 * k + 1], total, arg);
            if (r < 0)
                return total ? total : r;
            total += r;
            if ((uint32_t)r < iov[2 * k + 1])
                return total;
        }
    }
    return total;
}

/* readv/writev's buffer: arg says which. */
static long rw_one(struct file *f, vaddr_t base, uint32_t len, long done, void *arg)
{
    (void)done;
    return rw_file(f, base, len, *(bool *)arg);
}

long do_rwv(int fd, vaddr_t uiov, int count, bool write)
{
    struct file *f = fd_lookup(fds(), fd);
    if (!f)
        return -EBADF;
    if (count < 0 || count > 1024)
        return -EINVAL;
    /* One buffer after another on the same open file description, held
     * throughout: a wait in one buffer may let another thread close fd, or
     * close it and open something else on its number, and the rest must
     * still go where the first part went, as on Linux. */
    file_get(f);
    long r = iov_walk(f, uiov, count, rw_one, &write);
    file_put(f);
    return r;
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
                          O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | \
                          O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH)

static int do_openat(int dirfd, vaddr_t upath, uint32_t flags, uint32_t mode, uint32_t resolve)
{
    char *path;
    struct inode *start, *ip = 0;
    int r = get_path(upath, &path);
    if (r < 0)
        return r;
    /* Linux takes the descriptor before it looks at the path: at the
     * RLIMIT_NOFILE limit, open fails with EMFILE and O_CREAT makes no file. */
    if ((r = fd_lowest_free(fds(), 0, fd_limit())) < 0)
        goto out;
    /* Under RESOLVE_ flags even an absolute path has dirfd as its start:
     * RESOLVE_IN_ROOT's root, RESOLVE_BENEATH's floor. */
    if ((r = at_start(dirfd, resolve ? "." : path, &start)) < 0)
        goto out;
    if ((flags & O_ACCMODE) == 3) {
        r = -EINVAL;
        goto out;
    }

    bool created = false;
    if (flags & O_CREAT) {
        struct inode *dir;
        char name[NAME_MAX + 1];
        if ((r = namei_parent_resolve(start, path, resolve, &dir, name)) < 0) {
            if (r == -EEXIST)           /* "/" or "." with O_CREAT */
                r = -EISDIR;
            goto out;
        }
        ip = dir_lookup(dir, name);
        if (ip && S_ISLNK(ip->mode) && !(flags & (O_EXCL | O_NOFOLLOW))) {
            inode_put(ip);
            ip = 0;
            r = namei_resolve(start, path, true, resolve, &ip);
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
            created = r == 0;
        } else {
            r = 0;
        }
        inode_put(dir);
        if (r < 0)
            goto out;
    } else {
        if ((r = namei_resolve(start, path, !(flags & O_NOFOLLOW), resolve, &ip)) < 0)
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
    /* A file this open made is not checked against its mode (open(2): a
     * new file may be made read-only and still be written through this
     * descriptor); any other against the access asked for. */
    if (!created && !S_ISLNK(ip->mode)) {
        int mask = (flags & O_ACCMODE) == O_RDONLY ? MAY_READ
                   : (flags & O_ACCMODE) == O_WRONLY ? MAY_WRITE : MAY_READ | MAY_WRITE;
        if (flags & O_TRUNC)
            mask |= MAY_WRITE;
        if ((r = inode_permission(ip, mask)) < 0)
            goto out;
    }
    if ((flags & O_TRUNC) && S_ISREG(ip->mode) && (flags & O_ACCMODE) != O_RDONLY)
        inode_truncate(ip, 0);         /* a /proc file cannot: no matter */

    struct file *f;
    if ((r = file_open(ip, flags & OPEN_FLAGS_KNOWN, &f)) < 0)
        goto out;
    file_set_path(f, start ? start : current_proc()->fs->cwd, path);
    fsnotify(ip, IN_OPEN, 0, 0);
    r = fd_install(fds(), f, 0, fd_limit(), flags & O_CLOEXEC);
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
    return do_openat(AT_FDCWD, tf->ebx, tf->ecx, tf->edx, 0);
}

long sys_openat(struct trapframe *tf)
{
    return do_openat((int)tf->ebx, tf->ecx, tf->edx, tf->esi, 0);
}

/* openat2(dirfd, path, struct open_how *, size): openat with its flags
 * checked strictly (an unknown flag is EINVAL, not ignored; a mode only
 * with O_CREAT) and RESOLVE_* limits on the walk (fs/namei.c). The struct
 * may be larger than the 24 bytes known if the rest is zero (E2BIG if not,
 * or past a page; EINVAL below 24). RESOLVE_NO_MAGICLINKS refuses
 * /proc/<pid>/fd/N (ELOOP), the only magic links. Every lookup is
 * "cached" (in memory), so RESOLVE_CACHED only refuses what would write:
 * O_CREAT, O_TRUNC (EAGAIN, as Linux). */
long sys_openat2(struct trapframe *tf)
{
    uint32_t size = tf->esi;
    if (size < sizeof(struct open_how))
        return -EINVAL;
    if (size > PAGE_SIZE)
        return -E2BIG;
    struct open_how how;
    if (copy_from_user(&how, tf->edx, sizeof how) < 0)
        return -EFAULT;
    for (uint32_t at = sizeof how; at < size; at++) {
        uint8_t b;
        if (copy_from_user(&b, tf->edx + at, 1) < 0)
            return -EFAULT;
        if (b)
            return -E2BIG;
    }
    uint32_t resolve_known = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS |
                             RESOLVE_BENEATH | RESOLVE_IN_ROOT | RESOLVE_CACHED;
    if ((how.flags & ~(uint64_t)OPEN_FLAGS_KNOWN) || (how.resolve & ~(uint64_t)resolve_known))
        return -EINVAL;
    uint32_t flags = (uint32_t)how.flags, resolve = (uint32_t)how.resolve;
    if ((flags & O_PATH) && (flags & ~(uint32_t)(O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)))
        return -EINVAL;
    if ((flags & O_CREAT) ? (how.mode & ~(uint64_t)07777) != 0 : how.mode != 0)
        return -EINVAL;
    if ((resolve & RESOLVE_BENEATH) && (resolve & RESOLVE_IN_ROOT))
        return -EINVAL;
    if ((resolve & RESOLVE_CACHED) && (flags & (O_CREAT | O_TRUNC)))
        return -EAGAIN;
    return do_openat((int)tf->ebx, tf->ecx, flags, (uint32_t)how.mode,
                     resolve & ~(uint32_t)RESOLVE_CACHED);
}

/* creat(path, mode): open(path, O_CREAT|O_WRONLY|O_TRUNC, mode). */
long sys_creat(struct trapframe *tf)
{
    return do_openat(AT_FDCWD, tf->ebx, O_CREAT | O_WRONLY | O_TRUNC, tf->ecx, 0);
}

/* close_range(first, last, flags): close every open descriptor from first
 * to last (unsigned; last may be ~0), or with CLOSE_RANGE_CLOEXEC mark them
 * close-on-exec. CLOSE_RANGE_UNSHARE first gives the caller a table of its
 * own if it shares one (CLONE_FILES), as unshare(CLONE_FILES) would. */
long sys_close_range(struct trapframe *tf)
{
    uint32_t first = tf->ebx, last = tf->ecx, flags = tf->edx;
    if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) || first > last)
        return -EINVAL;
    struct proc *p = current_proc();
    if ((flags & CLOSE_RANGE_UNSHARE) && p->files->refs > 1) {
        struct fdtable *own = fdtable_copy(p->files);
        if (!own)
            return -ENOMEM;
        fdtable_put(p->files);
        p->files = own;
    }
    struct fdtable *t = p->files;
    for (uint32_t fd = first; fd < NOFILE && fd <= last; fd++) {
        if (!t->fd[fd])
            continue;
        if (flags & CLOSE_RANGE_CLOEXEC)
            t->cloexec[fd] = true;
        else
            fd_close(t, (int)fd);
    }
    return 0;
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
    if (f->ops && !f->ops->size)           /* devices, pipes: no position */
        return -ESPIPE;
    int64_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)f->pos; break;
    case SEEK_END: base = (int64_t)(f->ops ? f->ops->size(f) : f->inode->size); break;
    case SEEK_DATA:
    case SEEK_HOLE: {
        /* The file's kind knows its holes (the in-memory files' are pages
         * with no frame, as Linux's tmpfs); else Linux's generic answer: a
         * file is all data, with a hole at its end. An offset at or past
         * the end is ENXIO. */
        if (!S_ISREG(f->inode->mode))
            return -EINVAL;
        uint64_t size = f->ops ? f->ops->size(f) : f->inode->size;
        if (off < 0 || (uint64_t)off >= size)
            return -ENXIO;
        int64_t at = whence == SEEK_DATA ? off : (int64_t)size;
        if (f->inode->ops->seek_data)
            at = f->inode->ops->seek_data(f->inode, (uint64_t)off, whence == SEEK_HOLE);
        if (at < 0)
            return at;
        f->pos = (uint64_t)at;
        return at;
    }
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

/* ioctl(fd, cmd, arg): first the requests every kind of file answers
 * alike (Linux's do_vfs_ioctl): close-on-exec on and off, O_NONBLOCK, and
 * a regular file's unread byte count; then the file's own (a terminal's). */
long sys_ioctl(struct trapframe *tf)
{
    int fd = (int)tf->ebx;
    struct fdtable *t = fds();
    struct file *f = fd_lookup(t, fd);
    if (!f)
        return -EBADF;
    switch (tf->ecx) {
    case FIOCLEX:
    case FIONCLEX:
        t->cloexec[fd] = tf->ecx == FIOCLEX;
        return 0;
    case FIONBIO: {
        int on;
        if (copy_from_user(&on, tf->edx, sizeof on) < 0)
            return -EFAULT;
        f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~(uint32_t)O_NONBLOCK;
        return 0;
    }
    case FIONREAD:
        if (S_ISREG(f->inode->mode)) {
            /* size - offset, negative past the end: Linux does not clamp it. */
            int left = (int)(f->inode->size - f->pos);
            return copy_to_user(tf->edx, &left, sizeof left) < 0 ? -EFAULT : 0;
        }
        break;
    }
    if (!f->ops || !f->ops->ioctl)
        return -ENOTTY;
    return f->ops->ioctl(f, tf->ecx, tf->edx);
}

/* ---- fcntl ---- */

/* A lock command on f, descriptor fd of t. F_SETLKW may sleep, and a
 * thread sharing t may close fd meanwhile: the description is held until
 * the call ends (its flock and OFD locks then go with it, if that was its
 * last reference), and a POSIX lock taken after its descriptor was closed
 * is dropped again with EBADF, as Linux's fcntl_setlk does (the close
 * could not drop a lock that did not exist yet). */
static long fcntl_lock(struct fdtable *t, int fd, struct file *f, uint32_t cmd, vaddr_t arg,
                       bool wide)
{
    file_get(f);
    long r = do_fcntl_lock(f, cmd, arg, wide);
    bool posix_set = cmd == F_SETLK || cmd == F_SETLKW || cmd == F_SETLK64 || cmd == F_SETLKW64;
    int16_t type;
    if (r == 0 && posix_set && fd_lookup(t, fd) != f &&
        copy_from_user(&type, arg, sizeof type) == 0 && type != F_UNLCK) {
        lock_close_posix(t, f);
        r = -EBADF;
    }
    file_put(f);
    return r;
}

/* fcntl64 (is64) and fcntl: the same but for the lock commands (below). */
static long do_fcntl(struct trapframe *tf, bool is64)
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
        if (arg >= (uint32_t)fd_limit())   /* (a negative arg too) */
            return -EINVAL;
        int r = fd_install(t, file_get(f), (int)arg, fd_limit(), tf->ecx == F_DUPFD_CLOEXEC);
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
        uint32_t changeable = O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME;
        f->flags = (f->flags & ~changeable) | (arg & changeable);
        return 0;
    }
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
        return fcntl_lock(t, fd, f, tf->ecx, arg, false);   /* struct flock */
    case F_GETLK64:
    case F_SETLK64:
    case F_SETLKW64:
    case F_OFD_GETLK:
    case F_OFD_SETLK:
    case F_OFD_SETLKW:
        if (!is64)
            return -EINVAL;
        return fcntl_lock(t, fd, f, tf->ecx, arg, true);    /* struct flock64 */
    case F_SETOWN:
    case F_GETOWN:
    case F_SETOWN_EX:
    case F_GETOWN_EX:
    case F_SETSIG:
    case F_GETSIG:
        return do_fcntl_owner(f, tf->ecx, arg);
    case F_SETPIPE_SZ:
        return pipe_set_size(f, arg);
    case F_GETPIPE_SZ:
        return pipe_get_size(f);
    default:
        return -EINVAL;
    }
}

long sys_fcntl64(struct trapframe *tf)
{
    return do_fcntl(tf, true);
}

/* fcntl (55), the old number, which Go's runtime still calls on i386: the
 * two differ only in the record locks' struct. Both read F_GETLK/F_SETLK/
 * F_SETLKW's as a struct flock (32-bit offsets); fcntl64 alone knows the
 * F_*LK64 and F_OFD_* commands, which take a struct flock64 (as Linux on a
 * 32-bit machine: fcntl says EINVAL to them). */
long sys_fcntl(struct trapframe *tf)
{
    return do_fcntl(tf, false);
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
    fd[0] = fd_install(t, rd, 0, fd_limit(), flags & O_CLOEXEC);
    fd[1] = fd[0] < 0 ? -EMFILE : fd_install(t, wr, 0, fd_limit(), flags & O_CLOEXEC);
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
    int r = fd_install(t, file_get(f), 0, fd_limit(), false);
    if (r < 0)
        file_put(f);
    return r;
}

/* dup2(old, new): new becomes old; if they are equal, just check old. */
long sys_dup2(struct trapframe *tf)
{
    int oldfd = (int)tf->ebx, newfd = (int)tf->ecx;
    /* LAB fd dup2: begin */
    if (oldfd == newfd)
        return fd_lookup(fds(), oldfd) ? newfd : -EBADF;
    return fd_dup_to(fds(), oldfd, newfd, fd_limit(), false);
    /* LAB fd dup2: end */
}

/* dup3(old, new, flags): dup2 that may set close-on-exec, and refuses
 * equal descriptors (Linux's rule). */
long sys_dup3(struct trapframe *tf)
{
    int oldfd = (int)tf->ebx, newfd = (int)tf->ecx;
    uint32_t flags = tf->edx;
    /* LAB fd dup3: begin */
    if (flags & ~(uint32_t)O_CLOEXEC)
        return -EINVAL;
    if (oldfd == newfd)
        return -EINVAL;
    return fd_dup_to(fds(), oldfd, newfd, fd_limit(), flags & O_CLOEXEC);
    /* LAB fd dup3: end */
}
