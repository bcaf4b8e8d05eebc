/* file.c: open file descriptions and descriptor tables. */
#include "fs/file.h"
#include "fs/epoll.h"
#include "fs/inotify.h"
#include "fs/lock.h"
#include "fs/ramfs.h"
#include "lib/format.h"
#include "kernel/rlimit.h"
#include "mm/kheap.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "printk.h"
#include "lib/string.h"

int file_open(struct inode *ip, uint32_t flags, struct file **out)
{
    struct file *f = kzalloc(sizeof *f);
    if (!f)
        return -ENOMEM;
    f->refs = 1;
    f->inode = inode_get(ip);
    /* O_NOCTTY is for open alone (a terminal's open looks at it), not an
     * open file's status: F_GETFL does not show it. */
    f->flags = flags & ~(uint32_t)(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
    f->ops = ip->fops;
    if (f->ops && f->ops->open) {
        int r = f->ops->open(f);
        if (r < 0) {
            inode_put(f->inode);
            kfree(f);
            return r;
        }
    }
    f->flags &= ~(uint32_t)O_NOCTTY;
    *out = f;
    return 0;
}

void file_set_path(struct file *f, struct inode *dir, const char *path)
{
    char *buf = kmalloc(PATH_MAX);
    if (!buf)
        return;
    int n = 0;
    if (path[0] != '/') {
        n = dir_path(dir, buf, PATH_MAX);
        if (n < 0) {
            kfree(buf);
            return;
        }
        if (n > 1 && n < PATH_MAX - 1)
            buf[n++] = '/';
        else if (n == 1)
            n = 1;                              /* "/" already ends in a slash */
    }
    strlcpy(buf + n, path, PATH_MAX - (uint32_t)n);
    f->path = buf;
}

int anon_file_open(uint64_t size, const char *name, struct file **out)
{
    struct inode *ip = ramfs_file_new(S_IFREG | 0777);
    if (!ip)
        return -ENOMEM;
    inode_init_owner(ip, 0);               /* the caller's, as any new file */
    int r = inode_truncate(ip, size);
    if (r == 0)
        r = file_open(ip, O_RDWR, out);
    inode_put(ip);                         /* the file holds it now (or it goes) */
    if (r == 0)
        file_set_path(*out, 0, name);
    return r;
}

const char *file_describe(struct file *f, char *buf, uint32_t size)
{
    if (f->path)
        ksnprintf(buf, size, "%s%s", f->path,
                  (f->inode->mode & S_IFMT) == S_IFREG && f->inode->nlink == 0 ? " (deleted)" : "");
    else if ((f->inode->mode & S_IFMT) == S_IFIFO)
        ksnprintf(buf, size, "pipe:[%u]", f->inode->ino);
    else if ((f->inode->mode & S_IFMT) == S_IFSOCK)
        ksnprintf(buf, size, "socket:[%u]", f->inode->ino);
    else
        ksnprintf(buf, size, "anon_inode:[%u]", f->inode->ino);
    return buf;
}

struct file *file_get(struct file *f)
{
    f->refs++;
    return f;
}

void file_put(struct file *f)
{
    assert(f->refs > 0);
    if (--f->refs > 0) {
        if (f->ops && f->ops->dropped)
            f->ops->dropped(f);
        return;
    }
    if (f->watchers)
        epoll_file_gone(f);
    lock_file_gone(f);                 /* its OFD and flock locks */
    fsnotify(f->inode, (f->flags & O_ACCMODE) == O_RDONLY ? IN_CLOSE_NOWRITE : IN_CLOSE_WRITE,
             0, 0);
    if (f->ops && f->ops->release)
        f->ops->release(f);
    kfree(f->path);
    inode_put(f->inode);
    kfree(f);
}

long file_read(struct file *f, void *buf, uint32_t n, bool user)
{
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (f->ops && f->ops->read)
        return f->ops->read(f, buf, n, user);
    if (S_ISDIR(f->inode->mode))
        return -EISDIR;
    long r = inode_read(f->inode, buf, f->pos, n, user);
    if (r > 0) {
        f->pos += (uint64_t)r;
        fsnotify(f->inode, IN_ACCESS, 0, 0);
    }
    return r;
}

long file_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (f->ops && f->ops->write)
        return f->ops->write(f, buf, n, user);
    if (S_ISDIR(f->inode->mode))
        return -EISDIR;
    /* O_APPEND: the end is found at the moment of writing. The kernel runs
     * one process at a time with interrupts off, so no other write can slip
     * in between finding the end and writing there. */
    if (f->flags & O_APPEND)
        f->pos = f->inode->size;
    long room = rlimit_fsize_write(f->pos, n);   /* RLIMIT_FSIZE: n, or less */
    if (room < 0)
        return room;
    long r = inode_write(f->inode, buf, f->pos, (uint32_t)room, user);
    if (r > 0) {
        f->pos += (uint64_t)r;
        inode_kill_suid(f->inode);
        fsnotify(f->inode, IN_MODIFY, 0, 0);
    }
    return r;
}

struct fdtable *fdtable_new(void)
{
    struct fdtable *t = kzalloc(sizeof *t);
    if (t)
        t->refs = 1;
    return t;
}

struct fdtable *fdtable_copy(struct fdtable *old)
{
    struct fdtable *t = fdtable_new();
    if (!t)
        return 0;
    for (int i = 0; i < NOFILE; i++) {
        if (old->fd[i]) {
            t->fd[i] = file_get(old->fd[i]);
            t->cloexec[i] = old->cloexec[i];
        }
    }
    return t;
}

void fdtable_put(struct fdtable *t)
{
    if (--t->refs > 0)
        return;
    for (int i = 0; i < NOFILE; i++)
        if (t->fd[i]) {
            lock_close_posix(t, t->fd[i]);     /* the process's record locks */
            file_put(t->fd[i]);
        }
    kfree(t);
}

int fd_lowest_free(struct fdtable *t, int min, int limit)
{
    if (limit > NOFILE)
        limit = NOFILE;
    for (int i = min < 0 ? 0 : min; i < limit; i++)
        if (!t->fd[i])
            return i;
    return -EMFILE;
}

int fd_install(struct fdtable *t, struct file *f, int min, int limit, bool cloexec)
{
    int fd = fd_lowest_free(t, min, limit);
    if (fd >= 0) {
        t->fd[fd] = f;
        t->cloexec[fd] = cloexec;
    }
    return fd;
}

struct file *fd_lookup(struct fdtable *t, int fd)
{
    if (fd < 0 || fd >= NOFILE)
        return 0;
    return t->fd[fd];
}

int fd_dup_to(struct fdtable *t, int oldfd, int newfd, int limit, bool cloexec)
{
    /* LAB fd fd_dup_to: begin */
    struct file *f = fd_lookup(t, oldfd);
    if (!f || newfd < 0 || newfd >= limit || newfd >= NOFILE)
        return -EBADF;
    struct file *old = t->fd[newfd];
    t->fd[newfd] = file_get(f);
    t->cloexec[newfd] = cloexec;
    if (old) {
        lock_close_posix(t, old);  /* closing drops the record locks (POSIX) */
        file_put(old);             /* after the slot is reused: one step */
    }
    return newfd;
    /* LAB fd fd_dup_to: end */
}

int fd_close(struct fdtable *t, int fd)
{
    struct file *f = fd_lookup(t, fd);
    if (!f)
        return -EBADF;
    t->fd[fd] = 0;
    t->cloexec[fd] = false;
    lock_close_posix(t, f);        /* POSIX: any close drops all the process's
                                      record locks on the file */
    file_put(f);
    return 0;
}

void fd_close_on_exec(struct fdtable *t)
{
    /* LAB fd close_on_exec: begin */
    for (int i = 0; i < NOFILE; i++)
        if (t->fd[i] && t->cloexec[i])
            fd_close(t, i);
    /* LAB fd close_on_exec: end */
}
