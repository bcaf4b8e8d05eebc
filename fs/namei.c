/* namei.c: from a path name to an inode, one component at a time. */
#include "fs/fs.h"
#include "fs/mount.h"
#include "kernel/proc.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "param.h"
#include "lib/string.h"

#define MAX_SYMLINKS 8             /* Linux allows 40; a loop is caught either way */

/* Copy the next component of *path into name and advance *path past it and
 * any slashes after it. Returns the component's length (0 at the end) or
 * -ENAMETOOLONG. */
static int next_component(const char **path, char *name)
{
    const char *p = *path;
    while (*p == '/')
        p++;
    const char *start = p;
    while (*p && *p != '/')
        p++;
    size_t len = (size_t)(p - start);
    if (len > NAME_MAX)
        return -ENAMETOOLONG;
    memcpy(name, start, len);
    name[len] = 0;
    while (*p == '/')
        p++;
    *path = p;
    return (int)len;
}

/* The caller's root directory: / unless it called chroot. */
static struct inode *process_root(void)
{
    struct proc *p = current_proc();
    return p && p->fs ? p->fs->root : root_inode;
}

static struct inode *start_dir(struct inode *start, const char *path)
{
    if (path[0] == '/')
        return inode_get(process_root());
    if (start)
        return inode_get(start);
    return inode_get(current_proc()->fs->cwd);
}

/* openat2's restrictions on a walk (RESOLVE_*), and what they need to
 * know: the directory the walk began at (the root, for RESOLVE_IN_ROOT),
 * how many levels below it the walk is now, and its file system. */
struct resolve {
    uint32_t flags;
    struct inode *top;
    int level;
    uint32_t dev;
};

/* Walk path from its starting directory. With parent_only, stop before the
 * last component and return the directory holding it. A path that ends in
 * a slash names a directory (POSIX): its last component's link is followed
 * even without follow (lstat("link/") looks at the directory the link
 * names, as on Linux), and anything but a directory there is ENOTDIR. */
static int walk(struct inode *start, const char *path, bool follow, bool parent_only,
                int depth, struct inode **out, char *last, struct resolve *rs)
{
    char name[NAME_MAX + 1];
    if (depth > MAX_SYMLINKS)
        return -ELOOP;
    if (path[0] == 0)
        return -ENOENT;
    size_t path_len = strnlen(path, PATH_MAX);
    if (path_len >= PATH_MAX)
        return -ENAMETOOLONG;
    bool dir_wanted = path[path_len - 1] == '/';

    struct inode *ip;
    if (rs && path[0] == '/' && (rs->flags & RESOLVE_BENEATH))
        return -EXDEV;                      /* an absolute path leaves at once */
    if (rs && path[0] == '/' && (rs->flags & RESOLVE_IN_ROOT)) {
        ip = inode_get(rs->top);            /* "/" is the walk's own root */
        rs->level = 0;
    } else {
        ip = start_dir(start, path);
    }
    if (rs && (rs->flags & RESOLVE_NO_XDEV) && ip->dev != rs->dev) {
        inode_put(ip);
        return -EXDEV;
    }
    const char *p = path;
    for (;;) {
        int len = next_component(&p, name);
        if (len < 0) {
            inode_put(ip);
            return len;
        }
        if (len == 0)                       /* path ended (or was just "/") */
            break;
        if (!S_ISDIR(ip->mode)) {
            inode_put(ip);
            return -ENOTDIR;
        }
        bool is_last = *p == 0;
        if (parent_only && is_last) {
            memcpy(last, name, (size_t)len + 1);
            *out = ip;
            return 0;
        }
        /* Going through a directory needs its search (x) permission. */
        int perm = inode_permission(ip, MAY_EXEC);
        if (perm < 0) {
            inode_put(ip);
            return perm;
        }
        bool dotdot = !strcmp(name, "..");
        if (rs && dotdot && rs->level == 0 && (rs->flags & (RESOLVE_BENEATH | RESOLVE_IN_ROOT))) {
            if (rs->flags & RESOLVE_BENEATH) {
                inode_put(ip);
                return -EXDEV;              /* above the starting directory */
            }
            continue;                       /* RESOLVE_IN_ROOT: ".." of the root is itself */
        }
        /* ".." stays at the process's root, and at the top of a tmpfs
         * goes up from the directory it covers (fs/mount.h). */
        struct inode *next;
        if (dotdot && ip == process_root())
            next = inode_get(ip);
        else if (dotdot && (ip = mount_up(ip)) == process_root())
            next = inode_get(ip);
        else
            next = dir_lookup(ip, name);
        /* A mounted file system's root instead; but "." stays where it
         * is (a current directory that a mount covered later is below it). */
        if (next && strcmp(name, ".") != 0)
            next = mount_cross(next);
        if (!next) {
            inode_put(ip);
            return -ENOENT;
        }
        if (rs && (rs->flags & RESOLVE_NO_XDEV) && next->dev != rs->dev) {
            inode_put(next);
            inode_put(ip);
            return -EXDEV;
        }
        bool follow_link = S_ISLNK(next->mode) && (!is_last || follow || dir_wanted);
        if (rs && follow_link && (rs->flags & RESOLVE_NO_SYMLINKS)) {
            inode_put(next);
            inode_put(ip);
            return -ELOOP;
        }
        if (rs && !follow_link && strcmp(name, "."))
            rs->level += dotdot ? -1 : 1;
        struct inode *magic = follow_link && next->ops->follow_inode ?
                              next->ops->follow_inode(next) : 0;
        if (magic && rs && (rs->flags & RESOLVE_NO_MAGICLINKS)) {
            inode_put(magic);
            inode_put(next);
            inode_put(ip);
            return -ELOOP;
        }
        if (magic) {
            /* A magic link: what it stands for, whatever its text says. */
            inode_put(next);
            inode_put(ip);
            next = magic;
        } else if (follow_link) {
            /* Continue from the link's target, relative to this directory. */
            struct inode *target;
            char made_up[256];
            const char *link = inode_link_target(next, made_up, sizeof made_up);
            int r = link ? walk(ip, link, true, false, depth + 1, &target, 0, rs) : -ENOENT;
            inode_put(next);
            inode_put(ip);
            if (r < 0)
                return r;
            next = target;
        } else {
            inode_put(ip);
        }
        ip = next;
    }
    if (parent_only) {                      /* "/" or "." has no last name */
        inode_put(ip);
        return -EEXIST;
    }
    if (dir_wanted && !S_ISDIR(ip->mode)) {
        inode_put(ip);
        return -ENOTDIR;
    }
    *out = ip;
    return 0;
}

int namei(struct inode *start, const char *path, bool follow, struct inode **out)
{
    return walk(start, path, follow, false, 0, out, 0, 0);
}

int namei_parent(struct inode *start, const char *path, struct inode **dir, char *name)
{
    return walk(start, path, true, true, 0, dir, name, 0);
}

/* The walk's restrictions, starting at start (NULL: the cwd). */
static struct resolve resolve_from(struct inode *start, uint32_t flags)
{
    struct inode *top = start ? start : current_proc()->fs->cwd;
    struct resolve rs = { flags, top, 0, top->dev };
    return rs;
}

int namei_resolve(struct inode *start, const char *path, bool follow, uint32_t resolve,
                  struct inode **out)
{
    struct resolve rs = resolve_from(start, resolve);
    return walk(start, path, follow, false, 0, out, 0, resolve ? &rs : 0);
}

int namei_parent_resolve(struct inode *start, const char *path, uint32_t resolve,
                         struct inode **dir, char *name)
{
    struct resolve rs = resolve_from(start, resolve);
    return walk(start, path, true, true, 0, dir, name, resolve ? &rs : 0);
}
