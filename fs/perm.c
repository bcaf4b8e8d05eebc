/* perm.c: who may do what to a file: the mode bits checked against the
 * caller's ids, as Linux checks them (generic_permission).
 *
 * A file's mode has three sets of rwx bits: for its owner, its group and
 * everyone else. Exactly one set applies to a process: the owner's if the
 * process's fs uid owns the file, else the group's if the file's group is
 * the process's fs gid or one of its supplementary groups, else the
 * others'. (So an owner with fewer rights than the others has fewer: the
 * sets are not added up.) Root, with fs uid 0, passes every read and write
 * check and may search every directory, but may execute a file only if some
 * x bit is set: an x bit says "this is a program", which root should not
 * run by mistake either.
 *
 * On a directory, r lists the names, w adds and removes names (with x), and
 * x searches: every directory a path goes through needs x (namei). The
 * sticky bit on a directory (/tmp) lets only a file's owner, the
 * directory's owner or root remove or rename a name in it. */
#include "fs/fs.h"
#include "fs/mount.h"
#include "kernel/cred.h"
#include "linux/errno.h"

/* The check with the given ids: uid, and whether gid-membership holds. */
static int check_mode(const struct inode *ip, int mask, uint32_t uid, bool in_group)
{
    uint32_t mode = ip->mode;
    if (uid == 0) {
        if (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111))
            return 0;
        return -EACCES;
    }
    uint32_t bits;
    if (uid == ip->uid)
        bits = (mode >> 6) & 7;
    else if (in_group)
        bits = (mode >> 3) & 7;
    else
        bits = mode & 7;
    return ((uint32_t)mask & ~bits) ? -EACCES : 0;
}

int inode_permission(const struct inode *ip, int mask)
{
    /* A file system mounted read-only refuses every change, root's too
     * (Linux's sb_permission, before any id is looked at). */
    if ((mask & MAY_WRITE) && (S_ISREG(ip->mode) || S_ISDIR(ip->mode) || S_ISLNK(ip->mode)) &&
        mount_readonly(ip))
        return -EROFS;
    const struct cred *c = current_cred();
    return check_mode(ip, mask, c->fsuid, cred_in_group(c, ip->gid));
}

bool inode_owner_or_privileged(const struct inode *ip)
{
    uint32_t fsuid = current_cred()->fsuid;
    return fsuid == 0 || fsuid == ip->uid;
}

int inode_may_delete(const struct inode *dir, const struct inode *victim)
{
    int r = inode_permission(dir, MAY_WRITE | MAY_EXEC);
    if (r < 0)
        return r;
    uint32_t fsuid = current_cred()->fsuid;
    if ((dir->mode & S_ISVTX) && fsuid != 0 && fsuid != victim->uid && fsuid != dir->uid)
        return -EPERM;
    return 0;
}

void inode_init_owner(struct inode *ip, const struct inode *dir)
{
    const struct cred *c = current_cred();
    ip->uid = c->fsuid;
    ip->gid = c->fsgid;
    /* A set-group-ID directory hands its group down (files made there
     * belong to the project, not to whoever made them), and the bit to its
     * subdirectories. */
    if (dir && (dir->mode & S_ISGID)) {
        ip->gid = dir->gid;
        if (S_ISDIR(ip->mode))
            ip->mode |= S_ISGID;
    }
}

void inode_kill_suid(struct inode *ip)
{
    /* A write by anyone but root clears set-user-ID (and set-group-ID where
     * group execute makes it one): a changed program must not keep its
     * owner's rights. */
    if (current_cred()->fsuid == 0 || !S_ISREG(ip->mode))
        return;
    ip->mode &= ~(uint32_t)S_ISUID;
    if (ip->mode & S_IXGRP)
        ip->mode &= ~(uint32_t)S_ISGID;
}
