/* xattr.c: extended attributes, kept as Linux's tmpfs keeps them: a list
 * of (name, value) pairs in memory on each inode, freed with it.
 *
 * A name starts with its namespace, which says who may do what (man 7
 * xattr):
 *   user.      anyone with read permission on the file reads it, anyone
 *              with write permission changes it; only on regular files and
 *              directories (a symlink's or a device's permission bits do not
 *              say who owns its contents), elsewhere EPERM to set and
 *              ENODATA to get; in a sticky directory only its owner
 *              changes them;
 *   trusted.   root only: others cannot set it (EPERM) or even see it
 *              (ENODATA, and listxattr leaves it out);
 *   security.  anyone may read it whatever the file's mode, only root may
 *              change it (Linux's capability module asks for CAP_SYS_ADMIN);
 *   system.    ACLs on Linux, which bunshin does not have: EOPNOTSUPP to
 *              set, and nothing there to get (ENODATA);
 * and any other prefix is EOPNOTSUPP, a bare prefix ("user.") EINVAL. */
#include "fs/xattr.h"
#include "fs/inotify.h"
#include "kernel/cred.h"
#include "mm/kheap.h"
#include "lib/string.h"
#include "linux/errno.h"
#include "linux/limits.h"
#include "linux/xattr.h"

struct xattr {
    struct xattr *next;
    uint32_t size;                 /* bytes of value */
    char *value;                   /* just after name's NUL, in this block */
    char name[];                   /* NUL-terminated */
};

static uint32_t total_bytes;       /* what every xattr block holds, for XATTR_TOTAL_MAX */

enum space { NS_USER, NS_TRUSTED, NS_SECURITY, NS_SYSTEM, NS_UNKNOWN };

static bool has_prefix(const char *name, const char *prefix)
{
    return strncmp(name, prefix, strlen(prefix)) == 0;
}

/* Which namespace name is in; *bare is set when name is the prefix alone. */
static enum space name_space(const char *name, bool *bare)
{
    static const struct { const char *prefix; enum space ns; } spaces[] = {
        { "user.", NS_USER }, { "trusted.", NS_TRUSTED },
        { "security.", NS_SECURITY }, { "system.", NS_SYSTEM },
    };
    for (uint32_t i = 0; i < sizeof spaces / sizeof spaces[0]; i++) {
        if (has_prefix(name, spaces[i].prefix)) {
            *bare = name[strlen(spaces[i].prefix)] == 0;
            return spaces[i].ns;
        }
    }
    *bare = false;
    return NS_UNKNOWN;
}

static bool privileged(void)
{
    return current_cred()->euid == 0;
}

/* May the caller read (MAY_READ) or change (MAY_WRITE) attribute name of
 * ip? Linux's xattr_permission, then its check of the namespace: 0 or
 * -errno. */
static int may_access(struct inode *ip, const char *name, int mask)
{
    bool bare;
    enum space ns = name_space(name, &bare);
    bool write = mask & MAY_WRITE;
    if (ns == NS_TRUSTED && !privileged())
        return write ? -EPERM : -ENODATA;
    if (ns == NS_USER && !S_ISREG(ip->mode) && !S_ISDIR(ip->mode))
        return write ? -EPERM : -ENODATA;
    /* A sticky directory (/tmp) is written by everyone: only its owner
     * (or root) may change its user. attributes. */
    if (ns == NS_USER && write && S_ISDIR(ip->mode) && (ip->mode & S_ISVTX) &&
        !inode_owner_or_privileged(ip))
        return -EPERM;
    if (ns == NS_SECURITY && write && !privileged())
        return -EPERM;
    /* Linux leaves security. and system. to their own checks (above):
     * the file's mode bits do not apply to them. */
    if (ns != NS_SECURITY && ns != NS_SYSTEM) {
        int r = inode_permission(ip, mask);
        if (r < 0)
            return r;
    }
    if (ns == NS_UNKNOWN)
        return -EOPNOTSUPP;
    if (bare)
        return -EINVAL;
    if (ns == NS_SYSTEM && write)
        return -EOPNOTSUPP;
    if (ip->dev == FS_DEV_PROC)
        return -EOPNOTSUPP;        /* Linux's /proc keeps no attributes */
    return 0;
}

/* The link in ip's list that points at name's attribute (or at NULL). */
static struct xattr **find(struct inode *ip, const char *name)
{
    struct xattr **pp = &ip->xattrs;
    while (*pp && strcmp((*pp)->name, name) != 0)
        pp = &(*pp)->next;
    return pp;
}

static uint32_t block_size(uint32_t namelen, uint32_t size)
{
    return (uint32_t)sizeof(struct xattr) + namelen + 1 + size;
}

static void free_xattr(struct xattr *x)
{
    total_bytes -= block_size(strlen(x->name), x->size);
    kfree(x);
}

/* Something changed: ctime moves and inotify watchers hear IN_ATTRIB. */
static void changed(struct inode *ip)
{
    ip->ctime = fs_now();
    fsnotify(ip, IN_ATTRIB, 0, 0);
}

int xattr_set(struct inode *ip, const char *name, const void *value, uint32_t size, int flags)
{
    int r = may_access(ip, name, MAY_WRITE);
    if (r < 0)
        return r;
    struct xattr **pp = find(ip, name);
    if (!*pp && (flags & XATTR_REPLACE))
        return -ENODATA;
    if (*pp && (flags & XATTR_CREATE))
        return -EEXIST;
    uint32_t namelen = strlen(name), need = block_size(namelen, size);
    uint32_t old = *pp ? block_size(namelen, (*pp)->size) : 0;
    if (total_bytes - old + need > XATTR_TOTAL_MAX)
        return -ENOSPC;
    struct xattr *x = kmalloc(need);
    if (!x)
        return -ENOMEM;
    memcpy(x->name, name, namelen + 1);
    x->value = x->name + namelen + 1;
    memcpy(x->value, value, size);
    x->size = size;
    total_bytes += need;
    if (*pp) {                     /* the new one takes the old one's place */
        x->next = (*pp)->next;
        free_xattr(*pp);
    } else {
        x->next = 0;
    }
    *pp = x;
    changed(ip);
    return 0;
}

long xattr_get(struct inode *ip, const char *name, void *buf, uint32_t size)
{
    int r = may_access(ip, name, MAY_READ);
    if (r < 0)
        return r;
    struct xattr *x = *find(ip, name);
    if (!x)
        return -ENODATA;
    if (size == 0)
        return x->size;
    if (x->size > size)
        return -ERANGE;
    memcpy(buf, x->value, x->size);
    return x->size;
}

long xattr_list(struct inode *ip, char *buf, uint32_t size)
{
    uint32_t len = 0;
    for (struct xattr *x = ip->xattrs; x; x = x->next) {
        bool bare;
        if (name_space(x->name, &bare) == NS_TRUSTED && !privileged())
            continue;
        uint32_t n = strlen(x->name) + 1;
        if (size && len + n > size)
            return -ERANGE;
        if (size)
            memcpy(buf + len, x->name, n);
        len += n;
    }
    return len;
}

int xattr_remove(struct inode *ip, const char *name)
{
    int r = may_access(ip, name, MAY_WRITE);
    if (r < 0)
        return r;
    struct xattr **pp = find(ip, name);
    if (!*pp)
        return -ENODATA;
    struct xattr *x = *pp;
    *pp = x->next;
    free_xattr(x);
    changed(ip);
    return 0;
}

void xattr_free_all(struct inode *ip)
{
    while (ip->xattrs) {
        struct xattr *x = ip->xattrs;
        ip->xattrs = x->next;
        free_xattr(x);
    }
}
