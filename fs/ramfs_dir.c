/* ramfs_dir.c: directories of the in-memory file system: a list of names.
 *
 * A directory's private part is its entries, kept in creation order (ls
 * sorts; getdents shows this order), and its parent, which ".." names. The
 * parent is set when the directory is made (mkdir makes it inside its
 * parent) and changed only by rename. A directory holds a reference to its
 * parent, so that ".." stays valid in a removed directory that a process
 * still has as its current directory. An entry may name an inode of any
 * kind: a device in /dev, the /proc directory in /.
 */
#include "fs/file.h"
#include "fs/ramfs.h"
#include "mm/kheap.h"
#include "linux/errno.h"
#include "lib/string.h"

struct dirent_node {                       /* one name in a directory */
    char *name;
    struct inode *inode;
    struct dirent_node *next;
};

struct ramfs_dir {
    struct dirent_node *entries;
    struct inode *parent;          /* ".." (a reference; the root's is itself, without) */
};

static const struct inode_ops ramfs_dir_ops;

static struct ramfs_dir *dir_of(struct inode *dp)
{
    return dp->priv;
}

/* The link in dp's list that points at the entry called name (or at NULL,
 * the end of the list, when there is none). */
static struct dirent_node **find_slot(struct ramfs_dir *d, const char *name)
{
    struct dirent_node **pp = &d->entries;
    while (*pp && strcmp((*pp)->name, name) != 0)
        pp = &(*pp)->next;
    return pp;
}

/* The inode called name in dp, or its parent for "..", with a new reference. */
static struct inode *ramfs_dir_lookup(struct inode *dp, const char *name)
{
    struct ramfs_dir *d = dir_of(dp);
    if (strcmp(name, "..") == 0)
        return inode_get(d->parent);
    struct dirent_node *e = *find_slot(d, name);
    return e ? inode_get(e->inode) : 0;
}

/* Entry number index, counting from the first made: 1, or 0 past the end. */
static int ramfs_dir_readdir(struct inode *dp, uint32_t index, struct dir_entry *out)
{
    struct dirent_node *e = dir_of(dp)->entries;
    for (; e && index > 0; index--)
        e = e->next;
    if (!e)
        return 0;
    strlcpy(out->name, e->name, sizeof out->name);
    out->ino = e->inode->ino;
    out->type = dirent_type(e->inode->mode);
    return 1;
}

/* Add name -> ip at the end of the list. A directory named here must already
 * have dp as its ".." (it was made here), so only the link counts change. */
static int ramfs_dir_link(struct inode *dp, const char *name, struct inode *ip)
{
    struct ramfs_dir *d = dir_of(dp);
    struct dirent_node **tail = find_slot(d, name);   /* no such name: the end */
    if (*tail)
        return -EEXIST;
    size_t len = strlen(name);
    struct dirent_node *e = kmalloc(sizeof *e);
    char *copy = kmalloc(len + 1);
    if (!e || !copy) {
        kfree(e);
        kfree(copy);
        return -ENOMEM;
    }
    memcpy(copy, name, len + 1);
    e->name = copy;
    e->inode = ip;
    e->next = 0;
    *tail = e;
    ip->nlink++;
    if (S_ISDIR(ip->mode))
        dp->nlink++;                 /* the child's ".." */
    dp->mtime = dp->ctime = fs_now();
    return 0;
}

/* Remove the entry called name; its inode goes too if nothing else names or
 * holds it. A directory's "." and its ".." in dp go with the entry. */
static int ramfs_dir_unlink(struct inode *dp, const char *name)
{
    struct dirent_node **pp = find_slot(dir_of(dp), name);
    struct dirent_node *e = *pp;
    if (!e)
        return -ENOENT;
    *pp = e->next;
    struct inode *ip = e->inode;
    kfree(e->name);
    kfree(e);
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

/* Name a new inode: on failure it goes again. */
static int link_new(struct inode *dp, const char *name, struct inode *ip, struct inode **out)
{
    if (!ip)
        return -ENOMEM;
    ip->dev = dp->dev;                     /* made in /dev: on /dev's file system */
    int r = ramfs_dir_link(dp, name, ip);
    if (r < 0) {
        ip->nlink = 0;
        inode_put(ip);
        return r;
    }
    *out = ip;
    return 0;
}

/* A new file or directory of the in-memory file system, by mode. */
static int ramfs_dir_create(struct inode *dp, const char *name, uint32_t mode,
                            struct inode **out)
{
    if (S_ISDIR(mode))
        return link_new(dp, name, ramfs_dir_new(dp, mode), out);
    if (S_ISREG(mode))
        return link_new(dp, name, ramfs_file_new(mode), out);
    if (S_ISFIFO(mode))
        return link_new(dp, name, fifo_new(mode), out);
    return -EINVAL;
}

static int ramfs_dir_symlink(struct inode *dp, const char *name, const char *target,
                             struct inode **out)
{
    return link_new(dp, name, ramfs_symlink_new(target), out);
}

/* Move the entry olddir/oldname to newdir/newname, replacing what newname
 * named; fs/dir.c has checked what rename(2) allows. */
static int ramfs_dir_rename(struct inode *olddir, const char *oldname, struct inode *newdir,
                            const char *newname)
{
    if (newdir->ops != &ramfs_dir_ops)
        return -EXDEV;                     /* a directory of another kind (/proc) */
    struct ramfs_dir *od = dir_of(olddir), *nd = dir_of(newdir);
    struct dirent_node **pp = find_slot(od, oldname);
    struct dirent_node *d = *pp;
    if (!d)
        return -ENOENT;
    struct inode *ip = d->inode;
    bool new_parent = S_ISDIR(ip->mode) && olddir != newdir;
    /* A directory of another kind (/proc) keeps its place, as a mount point
     * does on Linux: its ".." is not ours to change. */
    if (new_parent && ip->ops != &ramfs_dir_ops)
        return -EBUSY;
    uint32_t len = strlen(newname);
    char *name = kmalloc(len + 1);
    if (!name)
        return -ENOMEM;
    memcpy(name, newname, len + 1);
    /* From here nothing can fail. Remove what newname named... */
    if (*find_slot(nd, newname))
        ramfs_dir_unlink(newdir, newname);
    /* ...and move the entry itself, keeping the inode's link count. */
    for (pp = &od->entries; *pp != d; pp = &(*pp)->next)
        ;
    *pp = d->next;
    kfree(d->name);
    d->name = name;
    d->next = 0;
    struct dirent_node **tail = &nd->entries;
    while (*tail)
        tail = &(*tail)->next;
    *tail = d;
    if (new_parent) {
        struct ramfs_dir *child = dir_of(ip);
        child->parent = inode_get(newdir);  /* its ".." now names newdir */
        inode_put(olddir);                  /* (the caller still holds one) */
        olddir->nlink--;
        newdir->nlink++;
    }
    ip->ctime = olddir->mtime = olddir->ctime = newdir->mtime = newdir->ctime = fs_now();
    return 0;
}

/* A directory that moves from one parent to another: its ".." and both
 * parents' link counts follow. */
static void reparent(struct inode *ip, struct inode *from, struct inode *to)
{
    if (!S_ISDIR(ip->mode) || from == to || ip->ops != &ramfs_dir_ops)
        return;
    struct ramfs_dir *child = dir_of(ip);
    child->parent = inode_get(to);
    inode_put(from);
    from->nlink--;
    to->nlink++;
}

/* Swap the inodes two entries name; fs/dir.c checked renameat2's rules. A
 * directory of another kind (/proc) keeps its place. */
static int ramfs_dir_exchange(struct inode *adir, const char *aname, struct inode *bdir,
                              const char *bname)
{
    if (bdir->ops != &ramfs_dir_ops)
        return -EXDEV;
    struct dirent_node *da = *find_slot(dir_of(adir), aname);
    struct dirent_node *db = *find_slot(dir_of(bdir), bname);
    if (!da || !db)
        return -ENOENT;
    struct inode *a = da->inode, *b = db->inode;
    if (adir != bdir && ((S_ISDIR(a->mode) && a->ops != &ramfs_dir_ops) ||
                         (S_ISDIR(b->mode) && b->ops != &ramfs_dir_ops)))
        return -EBUSY;
    da->inode = b;
    db->inode = a;
    reparent(a, adir, bdir);
    reparent(b, bdir, adir);
    a->ctime = b->ctime = adir->mtime = adir->ctime = bdir->mtime = bdir->ctime = fs_now();
    return 0;
}

/* The directory has no name and no user left: its list goes, and it lets go
 * of its parent. */
static void ramfs_dir_destroy(struct inode *dp)
{
    struct ramfs_dir *d = dir_of(dp);
    /* rmdir removes only empty directories; were names left, they go too. */
    while (d->entries)
        ramfs_dir_unlink(dp, d->entries->name);
    if (d->parent != dp)
        inode_put(d->parent);
}

void ramfs_dir_clear(struct inode *dp)
{
    struct ramfs_dir *d = dir_of(dp);
    while (d->entries) {
        struct inode *ip = d->entries->inode;
        if (S_ISDIR(ip->mode) && ip->ops == &ramfs_dir_ops)
            ramfs_dir_clear(ip);           /* its names first: it holds dp as ".." */
        ramfs_dir_unlink(dp, d->entries->name);
    }
}

static const struct inode_ops ramfs_dir_ops = {
    .lookup = ramfs_dir_lookup,
    .readdir = ramfs_dir_readdir,
    .create = ramfs_dir_create,
    .symlink = ramfs_dir_symlink,
    .link = ramfs_dir_link,
    .unlink = ramfs_dir_unlink,
    .rename = ramfs_dir_rename,
    .exchange = ramfs_dir_exchange,
    .destroy = ramfs_dir_destroy,
};

struct inode *ramfs_dir_new(struct inode *parent, uint32_t mode)
{
    struct inode *dp = inode_new(mode, &ramfs_dir_ops, sizeof(struct ramfs_dir));
    if (!dp)
        return 0;
    struct ramfs_dir *d = dp->priv;
    d->parent = parent ? inode_get(parent) : dp;
    dp->nlink = 1;                         /* its "." */
    return dp;
}
