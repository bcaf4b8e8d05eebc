/* dir.c: directories of any kind, as the system calls see them. Each call
 * checks what POSIX says of every directory (names, ".", the rules of
 * rename), and Linux's rules between file systems (fs.h: FS_DEV_*), and
 * hands the rest to the directory's kind through its inode_ops:
 * fs/ramfs_dir.c for the in-memory file system, fs/procfs*.c for /proc. A
 * kind that cannot do something leaves that function NULL, and the call
 * fails as it does on Linux (EPERM; ENOENT for a name /proc does not have). */
#include "fs/fs.h"
#include "fs/inotify.h"
#include "fs/mount.h"
#include "kernel/proc.h"
#include "linux/errno.h"
#include "lib/string.h"

uint8_t dirent_type(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR: return DT_DIR;
    case S_IFREG: return DT_REG;
    case S_IFLNK: return DT_LNK;
    case S_IFCHR: return DT_CHR;
    case S_IFSOCK: return DT_SOCK;
    default: return DT_UNKNOWN;
    }
}

struct inode *dir_lookup(struct inode *dp, const char *name)
{
    if (!S_ISDIR(dp->mode) || !dp->ops->lookup)
        return 0;
    if (strcmp(name, ".") == 0 || name[0] == 0)
        return inode_get(dp);
    return dp->ops->lookup(dp, name);
}

int dir_readdir(struct inode *dp, uint32_t index, struct dir_entry *out)
{
    if (!S_ISDIR(dp->mode) || !dp->ops->readdir)
        return 0;
    return dp->ops->readdir(dp, index, out);
}

bool dir_is_empty(struct inode *dp)
{
    struct dir_entry e;
    return !dir_readdir(dp, 0, &e);
}

/* May a new entry be called name? -ENAMETOOLONG, or -EEXIST for the names
 * every directory has already. */
static int check_new_name(const char *name)
{
    if (strlen(name) > NAME_MAX)
        return -ENAMETOOLONG;
    if (name[0] == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return -EEXIST;
    return 0;
}

/* A directory whose kind makes no names (/proc, /proc/<pid>...) has only
 * the names it makes up: Linux's lookup of any other name there fails with
 * ENOENT, before mkdir, creat, link or symlink could even ask the kind. So:
 * -EEXIST for a name it has, -ENOENT for one it has not. */
static int no_new_names(struct inode *dp, const char *name)
{
    struct inode *ip = dir_lookup(dp, name);
    if (!ip)
        return -ENOENT;
    inode_put(ip);
    return -EEXIST;
}

/* May the caller add name to dp? Not if it is there (-EEXIST, which Linux
 * answers before looking at permissions), and only with write and search
 * permission on dp (-EACCES). */
static int may_add_name(struct inode *dp, const char *name)
{
    if (dp->nlink == 0)
        return -ENOENT;                    /* a removed directory (someone's cwd) */
    struct inode *old = dp->ops->lookup ? dir_lookup(dp, name) : 0;
    if (old) {
        inode_put(old);
        return -EEXIST;
    }
    return inode_permission(dp, MAY_WRITE | MAY_EXEC);
}

int dir_link(struct inode *dp, const char *name, struct inode *ip)
{
    int r = check_new_name(name);
    if (r < 0)
        return r;
    if (dp->ops->link && (r = may_add_name(dp, name)) < 0)
        return r;
    if (!dp->ops->link)
        return no_new_names(dp, name);
    if (ip->dev != dp->dev)
        return -EXDEV;                     /* from /proc or /dev to elsewhere */
    if ((r = dp->ops->link(dp, name, ip)) == 0) {
        fsnotify_link_count(ip);
        fsnotify(dp, IN_CREATE, name, 0);
    }
    return r;
}

int dir_add_kernel(struct inode *dp, const char *name, struct inode *ip)
{
    if (!dp->ops->link)
        return -EPERM;
    return dp->ops->link(dp, name, ip);
}

int dir_remove_kernel(struct inode *dp, const char *name)
{
    if (!dp->ops->unlink)
        return -EPERM;
    return dp->ops->unlink(dp, name);
}

int dir_unlink(struct inode *dp, const char *name)
{
    if (!dp->ops->unlink)
        return -EPERM;
    struct inode *victim = dir_lookup(dp, name);
    int r = victim ? inode_may_delete(dp, victim) : 0;
    if (r == 0)
        r = dp->ops->unlink(dp, name);
    /* Linux's order: the file's link count, its end (IN_DELETE_SELF, when
     * the last reference goes), then the directory's IN_DELETE. */
    if (r == 0 && victim && !S_ISDIR(victim->mode))
        fsnotify_link_count(victim);
    bool isdir = victim && S_ISDIR(victim->mode);
    if (victim)
        inode_put(victim);
    if (r == 0)
        fsnotify(dp, IN_DELETE | (isdir ? IN_ISDIR : 0), name, 0);
    return r;
}

int dir_create(struct inode *dp, const char *name, uint32_t mode, struct inode **out)
{
    int r = check_new_name(name);
    if (r < 0)
        return r;
    if (!dp->ops->create)
        return no_new_names(dp, name);
    if ((r = may_add_name(dp, name)) < 0)
        return r;
    if ((r = dp->ops->create(dp, name, mode, out)) == 0) {
        inode_init_owner(*out, dp);
        fsnotify(dp, IN_CREATE | (S_ISDIR(mode) ? IN_ISDIR : 0), name, 0);
    }
    return r;
}

int dir_symlink(struct inode *dp, const char *name, const char *target, struct inode **out)
{
    int r = check_new_name(name);
    if (r < 0)
        return r;
    if (!dp->ops->symlink)
        return no_new_names(dp, name);
    if ((r = may_add_name(dp, name)) < 0)
        return r;
    if ((r = dp->ops->symlink(dp, name, target, out)) == 0) {
        inode_init_owner(*out, dp);
        fsnotify(dp, IN_CREATE, name, 0);
    }
    return r;
}

/* The name that directory dp has in directory parent, into e. */
static bool name_in(struct inode *parent, struct inode *dp, struct dir_entry *e)
{
    for (uint32_t i = 0; dir_readdir(parent, i, e); i++)
        if (e->ino == dp->ino)
            return true;
    return false;
}

int dir_path(struct inode *dp, char *buf, uint32_t size)
{
    struct proc *me = current_proc();
    return dir_path_below(dp, me && me->fs ? me->fs->root : root_inode, buf, size);
}

int dir_path_below(struct inode *dp, struct inode *top, char *buf, uint32_t size)
{
    /* Build the path backwards from the end of buf, then move it down. */
    if (size < 2)
        return -ENAMETOOLONG;
    if (dp->nlink == 0)
        return -ENOENT;                    /* removed */
    uint32_t pos = size - 1;
    buf[pos] = 0;
    struct dir_entry e;
    int r = 0;
    /* Up to / or top, from the top of a tmpfs through the directory it
     * covers (fs/mount.h). */
    struct inode *ip = inode_get(dp);
    while (ip != root_inode && ip != top) {
        if ((ip = mount_up(ip)) == root_inode || ip == top)
            break;
        struct inode *parent = dir_lookup(ip, "..");
        if (!parent || !name_in(parent, ip, &e)) {
            r = -ENOENT;
        } else {
            uint32_t len = strlen(e.name);
            if (len + 1 > pos) {
                r = -ENAMETOOLONG;
            } else {
                pos -= len;
                memcpy(buf + pos, e.name, len);
                buf[--pos] = '/';
            }
        }
        inode_put(ip);
        ip = parent;
        if (r < 0)
            break;
    }
    if (ip)
        inode_put(ip);
    if (r < 0)
        return r;
    if (pos == size - 1)
        buf[--pos] = '/';
    uint32_t len = size - 1 - pos;
    memmove(buf, buf + pos, len + 1);
    return (int)len;
}

/* Is dir a or inside a (following ".." up to the root)? */
static bool is_within(struct inode *dir, struct inode *a)
{
    struct inode *ip = inode_get(dir);
    while (ip != a && ip != root_inode) {
        struct inode *up = dir_lookup(ip, "..");
        inode_put(ip);
        if (!up)
            return false;
        if (up == ip)
            break;                         /* the top of a tmpfs: its ".." is itself */
        ip = up;
    }
    inode_put(ip);
    return ip == a;
}

int dir_exchange(struct inode *adir, const char *aname, struct inode *bdir, const char *bname)
{
    if (!strcmp(aname, ".") || !strcmp(aname, "..") || !strcmp(bname, ".") ||
        !strcmp(bname, ".."))
        return -EBUSY;
    if (adir->dev != bdir->dev)
        return -EXDEV;
    struct inode *a = dir_lookup(adir, aname);
    struct inode *b = a ? dir_lookup(bdir, bname) : 0;
    int r = 0;
    if (!a || !b) {
        r = -ENOENT;
        goto out;
    }
    if (a == b)
        goto out;                          /* the same file: nothing to do */
    /* Each must be free to leave its directory, and neither may land in
     * itself; a directory that changes parent must be writable (its ".."
     * changes). */
    if ((S_ISDIR(a->mode) && is_within(bdir, a)) || (S_ISDIR(b->mode) && is_within(adir, b))) {
        r = -EINVAL;
        goto out;
    }
    if ((r = inode_may_delete(adir, a)) < 0 || (r = inode_may_delete(bdir, b)) < 0)
        goto out;
    if (adir != bdir && ((S_ISDIR(a->mode) && (r = inode_permission(a, MAY_WRITE)) < 0) ||
                         (S_ISDIR(b->mode) && (r = inode_permission(b, MAY_WRITE)) < 0)))
        goto out;
    if (a->dev != adir->dev || b->dev != bdir->dev || mount_is_covered(a) ||
        mount_is_covered(b)) {
        r = -EBUSY;
        goto out;
    }
    r = adir->ops->exchange ? adir->ops->exchange(adir, aname, bdir, bname) : -EINVAL;
    if (r == 0) {
        uint32_t c1 = fsnotify_cookie(), c2 = fsnotify_cookie();
        fsnotify(adir, IN_MOVED_FROM | (S_ISDIR(a->mode) ? IN_ISDIR : 0), aname, c1);
        fsnotify(bdir, IN_MOVED_TO | (S_ISDIR(a->mode) ? IN_ISDIR : 0), bname, c1);
        fsnotify(bdir, IN_MOVED_FROM | (S_ISDIR(b->mode) ? IN_ISDIR : 0), bname, c2);
        fsnotify(adir, IN_MOVED_TO | (S_ISDIR(b->mode) ? IN_ISDIR : 0), aname, c2);
    }
out:
    if (b)
        inode_put(b);
    if (a)
        inode_put(a);
    return r;
}

int dir_rename(struct inode *olddir, const char *oldname, struct inode *newdir,
               const char *newname)
{
    if (!strcmp(oldname, ".") || !strcmp(oldname, "..") || !strcmp(newname, ".") ||
        !strcmp(newname, ".."))
        return -EBUSY;
    if (strlen(newname) > NAME_MAX)
        return -ENAMETOOLONG;
    if (olddir->dev != newdir->dev)
        return -EXDEV;                     /* between file systems: copy, then remove */
    if (newdir->nlink == 0)
        return -ENOENT;                    /* into a removed directory */
    struct inode *ip = dir_lookup(olddir, oldname);
    if (!ip)
        return -ENOENT;
    struct inode *target = dir_lookup(newdir, newname);
    int r = 0;
    if (target == ip)
        goto out;                          /* the same file: nothing to do */
    if (!target && !newdir->ops->create) {
        r = -ENOENT;                       /* a kind with made-up names only (/proc) */
        goto out;
    }
    if (S_ISDIR(ip->mode) && is_within(newdir, ip)) {
        r = -EINVAL;                       /* a directory into itself */
        goto out;
    }
    /* Permission: taking the old name as unlink would, adding the new one
     * (or replacing what it names, as unlink would), and a directory that
     * changes parent must be writable itself (its ".." changes). */
    if ((r = inode_may_delete(olddir, ip)) < 0 ||
        (r = target ? inode_may_delete(newdir, target)
                    : inode_permission(newdir, MAY_WRITE | MAY_EXEC)) < 0 ||
        (S_ISDIR(ip->mode) && olddir != newdir && (r = inode_permission(ip, MAY_WRITE)) < 0))
        goto out;
    if (target) {
        if (S_ISDIR(ip->mode) && !S_ISDIR(target->mode))
            r = -ENOTDIR;
        else if (!S_ISDIR(ip->mode) && S_ISDIR(target->mode))
            r = -EISDIR;
        else if (S_ISDIR(target->mode) && !dir_is_empty(target))
            r = -ENOTEMPTY;
        if (r < 0)
            goto out;
    }
    if (ip->dev != olddir->dev || (target && target->dev != newdir->dev) ||
        mount_is_covered(ip) || (target && mount_is_covered(target))) {
        r = -EBUSY;                        /* /proc or /dev: a mount point on Linux */
        goto out;
    }
    r = olddir->ops->rename ? olddir->ops->rename(olddir, oldname, newdir, newname) : -EPERM;
    if (r == 0) {
        /* Linux's order; a replaced file's end follows, when it is put. */
        uint32_t cookie = fsnotify_cookie(), isdir = S_ISDIR(ip->mode) ? IN_ISDIR : 0;
        fsnotify(olddir, IN_MOVED_FROM | isdir, oldname, cookie);
        fsnotify(newdir, IN_MOVED_TO | isdir, newname, cookie);
        if (target && !S_ISDIR(target->mode))
            fsnotify_link_count(target);
        fsnotify(ip, IN_MOVE_SELF, 0, 0);
    }
out:
    if (target)
        inode_put(target);
    inode_put(ip);
    return r;
}
