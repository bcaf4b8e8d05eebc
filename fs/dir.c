/* dir.c: directories of the in-memory file system: a list of names. */
#include "fs/fs.h"
#include "mm/kheap.h"
#include "errno.h"
#include "string.h"


struct inode *dir_lookup(struct inode *dp, const char *name)
{
    if (!S_ISDIR(dp->mode))
        return 0;
    if (strcmp(name, ".") == 0 || name[0] == 0)
        return inode_get(dp);
    if (strcmp(name, "..") == 0)
        return inode_get(dp->parent);
    for (struct dirent_node *d = dp->entries; d; d = d->next)
        if (strcmp(d->name, name) == 0)
            return inode_get(d->inode);
    if (dp->lookup)
        return dp->lookup(dp, name);
    return 0;
}

int dir_link(struct inode *dp, const char *name, struct inode *ip)
{
    size_t len = strlen(name);
    if (len > NAME_MAX)
        return -ENAMETOOLONG;
    if (len == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return -EEXIST;
    for (struct dirent_node *d = dp->entries; d; d = d->next)
        if (strcmp(d->name, name) == 0)
            return -EEXIST;
    struct dirent_node *d = kmalloc(sizeof *d);
    char *copy = kmalloc(len + 1);
    if (!d || !copy) {
        kfree(d);
        kfree(copy);
        return -ENOMEM;
    }
    memcpy(copy, name, len + 1);
    d->name = copy;
    d->inode = ip;
    /* Keep entries in creation order: ls sorts, getdents shows this order. */
    d->next = 0;
    struct dirent_node **pp = &dp->entries;
    while (*pp)
        pp = &(*pp)->next;
    *pp = d;
    ip->nlink++;
    if (S_ISDIR(ip->mode)) {
        ip->parent = dp;
        dp->nlink++;                 /* the child's ".." */
    }
    dp->mtime = dp->ctime = fs_now();
    return 0;
}

int dir_unlink(struct inode *dp, const char *name)
{
    for (struct dirent_node **pp = &dp->entries; *pp; pp = &(*pp)->next) {
        struct dirent_node *d = *pp;
        if (strcmp(d->name, name) != 0)
            continue;
        *pp = d->next;
        struct inode *ip = d->inode;
        kfree(d->name);
        kfree(d);
        ip->nlink--;
        if (S_ISDIR(ip->mode)) {
            dp->nlink--;
            ip->nlink--;             /* its own "." goes too */
        }
        ip->ctime = dp->mtime = dp->ctime = fs_now();
        /* The entry held the inode alive; a reference may still do so. */
        ip->refs++;
        inode_put(ip);
        return 0;
    }
    return -ENOENT;
}

int dir_create(struct inode *dp, const char *name, uint32_t mode, struct inode **out)
{
    struct inode *ip = inode_new(mode);
    if (!ip)
        return -ENOMEM;
    if (S_ISDIR(mode))
        ip->nlink = 1;               /* its "." */
    int r = dir_link(dp, name, ip);
    if (r < 0) {
        ip->nlink = 0;
        inode_put(ip);
        return r;
    }
    *out = ip;
    return 0;
}
