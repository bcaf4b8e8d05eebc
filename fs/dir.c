/* dir.c: directories of the in-memory file system: a list of names. */
#include "fs/fs.h"
#include "mm/kheap.h"
#include "linux/errno.h"
#include "lib/string.h"


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

/* The name dp has in its parent, or NULL. */
static const char *name_in_parent(struct inode *dp)
{
    for (struct dirent_node *d = dp->parent->entries; d; d = d->next)
        if (d->inode == dp)
            return d->name;
    return 0;
}

int dir_path(struct inode *dp, char *buf, uint32_t size)
{
    /* Build the path backwards from the end of buf, then move it down. */
    if (size < 2)
        return -ENAMETOOLONG;
    if (dp->nlink == 0)
        return -ENOENT;                    /* removed */
    uint32_t pos = size - 1;
    buf[pos] = 0;
    for (struct inode *ip = dp; ip != root_inode; ip = ip->parent) {
        const char *name = name_in_parent(ip);
        if (!name)
            return -ENOENT;
        uint32_t len = strlen(name);
        if (len + 1 > pos)
            return -ENAMETOOLONG;
        pos -= len;
        memcpy(buf + pos, name, len);
        buf[--pos] = '/';
    }
    if (pos == size - 1)
        buf[--pos] = '/';
    uint32_t len = size - 1 - pos;
    memmove(buf, buf + pos, len + 1);
    return (int)len;
}

/* Is dir a or inside a (following parents up to the root)? */
static bool is_within(struct inode *dir, struct inode *a)
{
    for (struct inode *ip = dir;; ip = ip->parent) {
        if (ip == a)
            return true;
        if (ip == root_inode)
            return false;
    }
}

int dir_rename(struct inode *olddir, const char *oldname, struct inode *newdir,
               const char *newname)
{
    if (!strcmp(oldname, ".") || !strcmp(oldname, "..") || !strcmp(newname, ".") ||
        !strcmp(newname, ".."))
        return -EBUSY;
    if (strlen(newname) > NAME_MAX)
        return -ENAMETOOLONG;
    struct dirent_node **pp = &olddir->entries;
    while (*pp && strcmp((*pp)->name, oldname) != 0)
        pp = &(*pp)->next;
    if (!*pp)
        return -ENOENT;
    struct dirent_node *d = *pp;
    struct inode *ip = d->inode;
    struct inode *target = dir_lookup(newdir, newname);
    int r = 0;
    if (target == ip) {
        r = 0;                             /* the same file: nothing to do */
        goto out;
    }
    if (S_ISDIR(ip->mode) && is_within(newdir, ip)) {
        r = -EINVAL;                       /* a directory into itself */
        goto out;
    }
    if (target) {
        if (S_ISDIR(ip->mode) && !S_ISDIR(target->mode))
            r = -ENOTDIR;
        else if (!S_ISDIR(ip->mode) && S_ISDIR(target->mode))
            r = -EISDIR;
        else if (S_ISDIR(target->mode) && target->entries)
            r = -ENOTEMPTY;
        if (r < 0)
            goto out;
    }
    char *name = kmalloc(strlen(newname) + 1);
    if (!name) {
        r = -ENOMEM;
        goto out;
    }
    strlcpy(name, newname, strlen(newname) + 1);
    /* From here nothing can fail. Remove what newname named... */
    if (target)
        dir_unlink(newdir, newname);
    /* ...and move the entry itself, keeping the inode's link count. */
    for (pp = &olddir->entries; *pp != d; pp = &(*pp)->next)
        ;
    *pp = d->next;
    kfree(d->name);
    d->name = name;
    d->next = 0;
    struct dirent_node **tail = &newdir->entries;
    while (*tail)
        tail = &(*tail)->next;
    *tail = d;
    if (S_ISDIR(ip->mode) && olddir != newdir) {
        ip->parent = newdir;               /* its ".." now names newdir */
        olddir->nlink--;
        newdir->nlink++;
    }
    ip->ctime = olddir->mtime = olddir->ctime = newdir->mtime = newdir->ctime = fs_now();
out:
    if (target)
        inode_put(target);
    return r;
}
