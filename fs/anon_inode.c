/* anon_inode.c: open files of nameless, typeless inodes (anon_inode.h). */
#include "fs/anon_inode.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "mm/kheap.h"
#include "lib/string.h"
#include "linux/errno.h"
#include "linux/fcntl.h"

/* Every anonymous inode is its kind's file_ops and a private struct with
 * nothing to free but itself (inode_put frees priv). */
static const struct inode_ops anon_inode_ops = { 0 };

int anon_inode_open(const char *name, const struct file_ops *fops, size_t priv_size,
                    uint32_t nonblock, struct file **out)
{
    /* Mode 0600 and no file type, as Linux's anonymous inodes. */
    struct inode *ip = inode_new(0600, &anon_inode_ops, priv_size);
    if (!ip)
        return -ENOMEM;
    inode_init_owner(ip, 0);               /* fstat shows who made it */
    ip->fops = fops;
    int r = file_open(ip, O_RDWR | (nonblock & O_NONBLOCK), out);
    inode_put(ip);             /* the file holds it now (or, failing, it goes) */
    if (r < 0)
        return r;
    /* The name /proc/<pid>/fd/<n> shows (fs/procfs_fd.c). Without memory
     * the link is "anon_inode:[ino]", which does no harm. */
    size_t len = strlen(name) + 1;
    (*out)->path = kmalloc(len);
    if ((*out)->path)
        strlcpy((*out)->path, name, len);
    return 0;
}

int anon_inode_install(struct file *f, bool cloexec)
{
    struct proc *me = current_proc();
    int fd = fd_install(me->files, f, 0, rlimit_nofile(me), cloexec);
    if (fd < 0)
        file_put(f);
    return fd;
}
