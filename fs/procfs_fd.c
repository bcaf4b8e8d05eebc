/* procfs_fd.c: /proc/<pid>/fd, one symbolic link per open descriptor of the
 * process, pointing at what the descriptor has open.
 *
 * Two kinds of inode live here. The directory's private part is the pid;
 * its ".." is found again through fs/procfs.c rather than kept, so that the
 * directory holds nothing of /proc/<pid> (which holds it). The links are made
 * up at each lookup, with no name: they go when the looker lets them go.
 * Their private part is the pid and the descriptor number, and their target
 * is made up each time it is read, from the process's descriptor table.
 */
#include "fs/procfs.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "mm/kheap.h"
#include "lib/format.h"
#include "param.h"
#include "lib/string.h"

struct fd_dir {
    int pid;
};

struct fd_link {
    int pid;
    int fd;
};

/* What descriptor fd of process pid has open, or NULL. */
static struct file *proc_fd_file(int pid, int fd)
{
    struct proc *p = proc_find(pid);
    if (!p || !p->files)
        return 0;
    return fd_lookup(p->files, fd);
}

/* ---- the links ---- */

/* Where /proc/<pid>/fd/<n> points: the path the file was opened by, or
 * Linux's "pipe:[inode]" for a pipe (file_describe). */
static const char *fd_get_link(struct inode *ip, char *buf, uint32_t size)
{
    struct fd_link *l = ip->priv;
    struct file *f = proc_fd_file(l->pid, l->fd);
    if (!f)
        ksnprintf(buf, size, "(closed)");
    else
        file_describe(f, buf, size);
    return buf;
}

/* Following /proc/<pid>/fd/<n> reaches what the descriptor has open, as on
 * Linux: open of it opens that file again (a new open file description,
 * with the new flags), even a pipe, which has no name, or a file removed
 * since. Only files a path could name: a socket or an anonymous inode
 * (eventfd, epoll...) follows the text, which names nothing. */
static struct inode *fd_follow_inode(struct inode *ip)
{
    struct fd_link *l = ip->priv;
    struct file *f = proc_fd_file(l->pid, l->fd);
    if (!f || !f->inode)
        return 0;
    uint32_t type = f->inode->mode & S_IFMT;
    if (type != S_IFREG && type != S_IFDIR && type != S_IFIFO && type != S_IFCHR &&
        type != S_IFBLK)
        return 0;
    return inode_get(f->inode);
}

static const struct inode_ops fd_link_ops = {
    .get_link = fd_get_link,
    .follow_inode = fd_follow_inode,
    .chmod = procfs_chmod_refused,
};

/* ---- the directory ---- */

/* ".." is /proc/<pid> again; a number that is an open descriptor gets a new
 * link, which goes when the caller lets it go. */
static struct inode *fd_dir_lookup(struct inode *dp, const char *name)
{
    struct fd_dir *d = dp->priv;
    if (strcmp(name, "..") == 0)
        return procfs_pid_dir(d->pid);
    int fd = 0;
    if (!*name)
        return 0;
    for (const char *c = name; *c; c++) {
        if (*c < '0' || *c > '9' || fd > NOFILE)
            return 0;
        fd = fd * 10 + (*c - '0');
    }
    if (!proc_fd_file(d->pid, fd))
        return 0;
    /* made up: no name, so it goes with its last reference */
    struct inode *ip = procfs_inode_new(S_IFLNK | 0700, &fd_link_ops, sizeof(struct fd_link));
    if (!ip)
        return 0;
    struct fd_link *l = ip->priv;
    l->pid = d->pid;
    l->fd = fd;
    return ip;
}

/* The index-th open descriptor, as a directory entry. */
static int fd_dir_readdir(struct inode *dp, uint32_t index, struct dir_entry *out)
{
    struct fd_dir *d = dp->priv;
    struct proc *p = proc_find(d->pid);
    if (!p || !p->files)
        return 0;
    uint32_t seen = 0;
    for (int fd = 0; fd < NOFILE; fd++) {
        if (!p->files->fd[fd])
            continue;
        if (seen++ == index) {
            ksnprintf(out->name, sizeof out->name, "%d", fd);
            out->ino = 0x20000u + (uint32_t)fd;
            out->type = DT_LNK;
            return 1;
        }
    }
    return 0;
}

static const struct inode_ops fd_dir_ops = {
    .lookup = fd_dir_lookup,
    .readdir = fd_dir_readdir,
    .chmod = procfs_chmod_refused,
};

struct inode *procfs_fd_dir_new(int pid)
{
    struct inode *dp = procfs_inode_new(S_IFDIR | 0500, &fd_dir_ops, sizeof(struct fd_dir));
    if (!dp)
        return 0;
    struct fd_dir *d = dp->priv;
    d->pid = pid;
    return dp;
}
