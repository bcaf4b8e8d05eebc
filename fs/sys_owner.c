/* sys_owner.c: chown and its forms: who owns a file.
 *
 * Only root gives a file away (changes its owner): otherwise a user could
 * make a file count against someone else, or leave a set-user-ID program
 * behind that runs as them. The owner may change the file's group, but only
 * to a group it is in itself. Any chown of a file that is not a directory
 * clears set-user-ID (and set-group-ID where group execute makes it one):
 * rights granted by the old owner must not pass to the new one. Linux does
 * this even for root, and even when the ids do not change (chown(2)).
 *
 * The old calls (chown 182, lchown 16, fchown 95) take 16-bit ids, 0xFFFF
 * for -1; chown32, lchown32, fchown32 and fchownat take 32-bit ones. */
#include "fs/sys_owner.h"
#include "fs/sys_common.h"
#include "fs/inotify.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "mm/kheap.h"
#include "linux/errno.h"
#include "linux/fcntl.h"

#define KEEP 0xFFFFFFFFu           /* (uid_t)-1: leave it */

/* Change ip's owner and group (KEEP: that one stays), with chown(2)'s
 * rules. 0, -EPERM. */
static int do_chown(struct inode *ip, uint32_t uid, uint32_t gid)
{
    const struct cred *c = current_cred();
    bool owner = c->fsuid == ip->uid, priv = c->fsuid == 0;
    if (uid != KEEP && !priv && !(owner && uid == ip->uid))
        return -EPERM;
    if (gid != KEEP && !priv && !(owner && (gid == ip->gid || cred_in_group(c, gid))))
        return -EPERM;
    if (ip->dev == FS_DEV_PROC)
        return -EPERM;                 /* /proc's files keep their owners */
    if (uid != KEEP)
        ip->uid = uid;
    if (gid != KEEP)
        ip->gid = gid;
    if (!S_ISDIR(ip->mode)) {
        ip->mode &= ~(uint32_t)S_ISUID;
        if (ip->mode & S_IXGRP)
            ip->mode &= ~(uint32_t)S_ISGID;
    }
    ip->ctime = fs_now();
    fsnotify(ip, IN_ATTRIB, 0, 0);
    return 0;
}

/* A 16-bit id as a 32-bit one: 0xFFFF is -1. */
static uint32_t id32(uint32_t id)
{
    id &= 0xFFFF;
    return id == 0xFFFF ? KEEP : id;
}

/* fchownat(dirfd, path, uid, gid, flags); an empty path with AT_EMPTY_PATH
 * is dirfd's own file. */
static int chown_at(int dirfd, vaddr_t upath, uint32_t uid, uint32_t gid, uint32_t flags)
{
    if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    char *path;
    int r = get_path(upath, &path);
    if (r < 0)
        return r;
    struct inode *ip = 0, *start;
    if (path[0] == 0 && (flags & AT_EMPTY_PATH)) {
        struct file *f = dirfd == AT_FDCWD ? 0 : fd_lookup(fds(), dirfd);
        if (dirfd == AT_FDCWD)
            ip = inode_get(current_proc()->fs->cwd);
        else if (f)
            ip = inode_get(f->inode);
        else
            r = -EBADF;
    } else if ((r = at_start(dirfd, path, &start)) == 0) {
        r = namei(start, path, !(flags & AT_SYMLINK_NOFOLLOW), &ip);
    }
    kfree(path);
    if (r < 0)
        return r;
    r = do_chown(ip, uid, gid);
    inode_put(ip);
    return r;
}

static int chown_fd(int fd, uint32_t uid, uint32_t gid)
{
    struct file *f = fd_lookup(fds(), fd);
    return f ? do_chown(f->inode, uid, gid) : -EBADF;
}

long sys_chown16(struct trapframe *tf)
{
    return chown_at(AT_FDCWD, tf->ebx, id32(tf->ecx), id32(tf->edx), 0);
}

long sys_lchown16(struct trapframe *tf)
{
    return chown_at(AT_FDCWD, tf->ebx, id32(tf->ecx), id32(tf->edx), AT_SYMLINK_NOFOLLOW);
}

long sys_fchown16(struct trapframe *tf)
{
    return chown_fd((int)tf->ebx, id32(tf->ecx), id32(tf->edx));
}

long sys_chown(struct trapframe *tf)
{
    return chown_at(AT_FDCWD, tf->ebx, tf->ecx, tf->edx, 0);
}

long sys_lchown(struct trapframe *tf)
{
    return chown_at(AT_FDCWD, tf->ebx, tf->ecx, tf->edx, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown(struct trapframe *tf)
{
    return chown_fd((int)tf->ebx, tf->ecx, tf->edx);
}

long sys_fchownat(struct trapframe *tf)
{
    return chown_at((int)tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi);
}
