/* sys_inotify.c: inotify's system calls: decode the arguments, check them
 * in Linux's order, and call fs/inotify.c. */
#include "fs/sys_inotify.h"
#include "fs/inotify.h"
#include "fs/sys_common.h"
#include "linux/errno.h"
#include "linux/fcntl.h"

/* Every bit inotify_add_watch knows (Linux's ALL_INOTIFY_BITS). */
#define IN_KNOWN_BITS (IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | \
                       IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | \
                       IN_MASK_ADD | IN_ISDIR | IN_ONESHOT)

/* A new instance on the lowest free descriptor. */
static long do_inotify_init1(uint32_t flags)
{
    if (flags & ~(uint32_t)(IN_CLOEXEC | IN_NONBLOCK))
        return -EINVAL;
    struct file *f;
    int r = inotify_create(flags, &f);
    if (r < 0)
        return r;
    r = fd_install(fds(), f, 0, fd_limit(), flags & IN_CLOEXEC);
    if (r < 0)
        file_put(f);
    return r;
}

long sys_inotify_init(struct trapframe *tf)
{
    (void)tf;
    return do_inotify_init1(0);
}

long sys_inotify_init1(struct trapframe *tf)
{
    return do_inotify_init1(tf->ebx);
}

/* inotify_add_watch(fd, path, mask): the watch descriptor. The path is
 * followed unless IN_DONT_FOLLOW, must be a directory with IN_ONLYDIR
 * (-ENOTDIR), and readable by the caller (-EACCES). */
static long do_inotify_add_watch(int fd, vaddr_t upath, uint32_t mask)
{
    if (!(mask & IN_KNOWN_BITS))
        return -EINVAL;
    struct file *in = fd_lookup(fds(), fd);
    if (!in)
        return -EBADF;
    if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
        return -EINVAL;
    if (!file_is_inotify(in))
        return -EINVAL;
    struct inode *ip;
    int r = lookup_at(AT_FDCWD, upath, !(mask & IN_DONT_FOLLOW), &ip);
    if (r < 0)
        return r;
    if ((mask & IN_ONLYDIR) && !S_ISDIR(ip->mode))
        r = -ENOTDIR;
    else if ((r = inode_permission(ip, MAY_READ)) == 0)
        r = inotify_watch(in, ip, mask);
    inode_put(ip);
    return r;
}

long sys_inotify_add_watch(struct trapframe *tf)
{
    return do_inotify_add_watch((int)tf->ebx, tf->ecx, tf->edx);
}

long sys_inotify_rm_watch(struct trapframe *tf)
{
    struct file *in = fd_lookup(fds(), (int)tf->ebx);
    if (!in)
        return -EBADF;
    if (!file_is_inotify(in))
        return -EINVAL;
    return inotify_unwatch(in, (int)tf->ecx);
}
