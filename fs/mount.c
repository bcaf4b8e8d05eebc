/* mount.c: the mount table (fs/mount.h), and mounting and unmounting.
 *
 * A mount is a pair of inodes, the one it covers and the root it shows
 * there, with its type, source and flags. The table is short (MAX_MOUNTS)
 * and the walker looks through it at each step, only while it is not
 * empty. A tmpfs mount gets a device number of its own, which every file
 * made in it inherits (fs/ramfs_dir.c's link_new): that is how statfs,
 * execve (noexec) and umount's busy check tell its files from others.
 */
#include "fs/mount.h"
#include "fs/file.h"
#include "fs/ramfs.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "mm/kheap.h"
#include "lib/format.h"
#include "lib/string.h"
#include "linux/errno.h"
#include "linux/mount.h"
#include "linux/statfs.h"
#include "fs/procfs.h"
#include "param.h"

#define MAX_MOUNTS 16
#define FIRST_TMPFS_DEV 16         /* after fs.h's FS_DEV_* */

enum mount_kind { KIND_TMPFS, KIND_RAMFS, KIND_PROC, KIND_DEVTMPFS, KIND_BIND };
static const char *const kind_names[] = { "tmpfs", "ramfs", "proc", "devtmpfs", 0 };

struct mount {
    bool used;
    enum mount_kind kind;
    struct inode *covered;         /* a reference */
    struct inode *root;            /* a reference */
    uint32_t dev;                  /* a tmpfs's own device number, else 0 */
    uint32_t flags;                /* MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC */
    uint32_t size_pages;           /* a tmpfs's size= option, in pages (0: none) */
    uint32_t seq;                  /* the order mounts were made in, from 1 */
    bool expiring;                 /* marked by umount2's MNT_EXPIRE */
    char *source;                  /* kmalloc'd */
    char *path;                    /* where, as /proc/mounts shows it (kmalloc'd) */
    char *fstype;                  /* as /proc/mounts shows it (the source's for a bind) */
};

static struct mount mounts[MAX_MOUNTS];
static int nmounts;
static uint32_t next_dev = FIRST_TMPFS_DEV;
static uint32_t next_seq = 1;

/* The mount on ip made last, with a sequence number above after (NULL:
 * none). */
static struct mount *latest_on(const struct inode *ip, uint32_t after)
{
    struct mount *found = 0;
    for (int i = 0; i < MAX_MOUNTS; i++)
        if (mounts[i].used && mounts[i].covered == ip && mounts[i].seq > after &&
            (!found || mounts[i].seq > found->seq))
            found = &mounts[i];
    return found;
}

/* The topmost mount covering ip, or NULL: the last one made on it, then
 * any made later on that one's root (stacked mounts), and so on. Only
 * later ones count, so that a directory bound onto itself (mount --bind
 * /a /a: its root is what it covers) is one step, not a loop. */
static struct mount *covering(const struct inode *ip)
{
    if (!nmounts)
        return 0;
    struct mount *top = latest_on(ip, 0), *above;
    while (top && (above = latest_on(top->root, top->seq)))
        top = above;
    return top;
}

static bool has_own_tree(const struct mount *m)
{
    return m->kind == KIND_TMPFS || m->kind == KIND_RAMFS;
}

struct inode *mount_cross(struct inode *ip)
{
    if (!nmounts)
        return ip;
    struct mount *m = covering(ip);
    if (!m)
        return ip;
    inode_put(ip);
    return inode_get(m->root);
}

struct inode *mount_up(struct inode *ip)
{
    for (int i = 0; nmounts && i < MAX_MOUNTS; i++) {
        struct mount *m = &mounts[i];
        if (m->used && has_own_tree(m) && m->root == ip) {
            struct inode *up = inode_get(m->covered);
            inode_put(ip);
            return mount_up(up);
        }
    }
    return ip;
}

bool mount_is_covered(const struct inode *ip)
{
    for (int i = 0; nmounts && i < MAX_MOUNTS; i++)
        if (mounts[i].used && mounts[i].covered == ip)
            return true;
    return false;
}

static struct mount *by_dev(uint32_t dev)
{
    for (int i = 0; nmounts && i < MAX_MOUNTS; i++)
        if (mounts[i].used && mounts[i].dev && mounts[i].dev == dev)
            return &mounts[i];
    return 0;
}

bool mount_noexec(const struct inode *ip)
{
    struct mount *m = by_dev(ip->dev);
    return m && (m->flags & MS_NOEXEC);
}

bool mount_readonly(const struct inode *ip)
{
    struct mount *m = by_dev(ip->dev);
    return m && (m->flags & MS_RDONLY);
}

bool mount_nosuid(const struct inode *ip)
{
    struct mount *m = by_dev(ip->dev);
    return m && (m->flags & MS_NOSUID);
}

uint32_t mount_size_pages(uint32_t dev)
{
    struct mount *m = by_dev(dev);
    return m ? m->size_pages : 0;
}

#define MAX_COUNT_DEPTH 8          /* each level holds a dir_entry on the kernel stack */

/* The pages of stored bytes in the files under directory dp on its own
 * file system (a file with two names counts twice; directories nested
 * deeper than MAX_COUNT_DEPTH are not counted). */
static uint32_t tree_pages(struct inode *dp, int depth)
{
    uint32_t pages = 0;
    struct dir_entry e;
    for (uint32_t i = 0; dir_readdir(dp, i, &e); i++) {
        struct inode *ip = dir_lookup(dp, e.name);
        if (!ip)
            continue;
        if (S_ISDIR(ip->mode) && ip->dev == dp->dev && depth < MAX_COUNT_DEPTH)
            pages += tree_pages(ip, depth + 1);
        else if (!S_ISDIR(ip->mode) && ip->ops->blocks)
            pages += (uint32_t)(ip->ops->blocks(ip) / (PAGE_SIZE / 512));
        inode_put(ip);
    }
    return pages;
}

uint32_t mount_used_pages(uint32_t dev)
{
    struct mount *m = by_dev(dev);
    return m ? tree_pages(m->root, 0) : 0;
}

uint32_t mount_magic(uint32_t dev)
{
    struct mount *m = by_dev(dev);
    if (!m)
        return 0;
    return m->kind == KIND_RAMFS ? RAMFS_MAGIC : TMPFS_MAGIC;
}

/* The options field of a mount's lines. */
static void put_options(char *buf, uint32_t size, uint32_t *n, uint32_t f)
{
    procfs_put(buf, size, n, "%s%s%s%s,relatime", f & MS_RDONLY ? "ro" : "rw",
               f & MS_NOSUID ? ",nosuid" : "", f & MS_NODEV ? ",nodev" : "",
               f & MS_NOEXEC ? ",noexec" : "");
}

/* mountinfo's number for the mount that holds ip: a table mount's 10 +
 * its slot, else the fixed tree's (1 /, 2 /proc, 3 /dev). */
static int mount_id_of(const struct inode *ip)
{
    for (int i = 0; i < MAX_MOUNTS; i++)
        if (mounts[i].used && (mounts[i].root == ip || (mounts[i].dev && ip->dev == mounts[i].dev)))
            return 10 + i;
    return ip->dev == FS_DEV_PROC ? 2 : ip->dev == FS_DEV_DEV ? 3 : 1;
}

bool mount_on_root_fs(const struct inode *ip)
{
    return mount_id_of(ip) == 1;
}

/* Where a mount is, as the reader sees it: its path below the reader's
 * root, whose real path is root_path ("" for /). NULL: outside that root
 * (Linux leaves such mounts out). */
static const char *seen_path(const struct mount *m, const char *root_path)
{
    size_t len = strlen(root_path);
    if (strncmp(m->path, root_path, len) != 0 || (m->path[len] && m->path[len] != '/'))
        return 0;
    return m->path[len] ? m->path + len : "/";
}

void mount_list(char *buf, uint32_t size, uint32_t *n, bool info)
{
    /* A chrooted reader sees the paths below its root. */
    struct proc *me = current_proc();
    char *root_path = kmalloc(PATH_MAX);
    if (!root_path)
        return;
    root_path[0] = 0;
    if (me && me->fs && me->fs->root != root_inode &&
        dir_path_below(me->fs->root, root_inode, root_path, PATH_MAX) < 0)
        root_path[0] = 0;
    for (int i = 0; i < MAX_MOUNTS; i++) {
        struct mount *m = &mounts[i];
        const char *path = m->used ? seen_path(m, root_path) : 0;
        if (!path)
            continue;
        if (!info) {
            procfs_put(buf, size, n, "%s %s %s ", m->source, path, m->fstype);
            put_options(buf, size, n, m->flags);
            procfs_put(buf, size, n, " 0 0\n");
            continue;
        }
        /* "ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS - TYPE SOURCE
         * SUPER-OPTIONS" (man 5 proc); ROOT is the shown directory within
         * its file system: a bind's source as given. */
        procfs_put(buf, size, n, "%d %d 0:%u %s %s ", 10 + i, mount_id_of(m->covered),
                   m->root->dev, m->kind == KIND_BIND ? m->source : "/", path);
        put_options(buf, size, n, m->flags);
        procfs_put(buf, size, n, " - %s %s %s\n", m->fstype, m->source,
                   m->flags & MS_RDONLY ? "ro" : "rw");
    }
    kfree(root_path);
}

/* ---- mounting ---- */

/* A string copy in the kernel heap (NULL: no memory). */
static char *dup_string(const char *s)
{
    size_t len = strlen(s);
    char *d = kmalloc(len + 1);
    if (d)
        memcpy(d, s, len + 1);
    return d;
}

/* The absolute path target names, for /proc/mounts: a directory's own
 * path (a last symbolic link followed), else its directory's path and its
 * last name; from the real / (a chrooted mounter's /p is /jail/p). NULL:
 * no memory or no such path. */
static char *path_of(const char *target)
{
    struct inode *dir;
    char name[NAME_MAX + 1];
    char *buf = kmalloc(PATH_MAX);
    if (!buf)
        return 0;
    int r = namei(0, target, true, &dir);
    if (r == 0) {
        r = S_ISDIR(dir->mode) ? dir_path_below(dir, root_inode, buf, PATH_MAX) : -ENOENT;
        inode_put(dir);
    }
    if (r < 0 && (r = namei_parent(0, target, &dir, name)) == 0) {
        r = dir_path_below(dir, root_inode, buf, PATH_MAX);
        inode_put(dir);
        uint32_t len = r < 0 ? 0 : (uint32_t)r;
        if (r >= 0 && len + strlen(name) + 2 <= PATH_MAX)
            ksnprintf(buf + len, PATH_MAX - len, "%s%s", len > 1 ? "/" : "", name);
    }
    char *path = r < 0 ? 0 : dup_string(buf);
    kfree(buf);
    return path;
}

/* tmpfs's options: mode=OCTAL is the root's mode; size=N[kmg] is what
 * statfs reports as its blocks (not a limit: the memory is all of RAM's,
 * as ramfs's); the others are accepted and not kept. */
static uint32_t parse_options(const char *data, uint32_t *size_pages)
{
    uint32_t mode = 01777;                 /* Linux's tmpfs root */
    *size_pages = 0;
    for (const char *p = data; p && *p;) {
        if (strncmp(p, "mode=", 5) == 0) {
            mode = 0;
            for (p += 5; *p >= '0' && *p <= '7'; p++)
                mode = mode * 8 + (uint32_t)(*p - '0');
            mode &= 07777;
        } else if (strncmp(p, "size=", 5) == 0) {
            uint64_t bytes = 0;
            for (p += 5; *p >= '0' && *p <= '9' && bytes < (1ull << 40); p++)
                bytes = bytes * 10 + (uint64_t)(*p - '0');
            if (*p == 'k' || *p == 'K')
                bytes <<= 10;
            else if (*p == 'm' || *p == 'M')
                bytes <<= 20;
            else if (*p == 'g' || *p == 'G')
                bytes <<= 30;
            uint64_t pages = (bytes + 4095) / 4096;
            *size_pages = pages > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)pages;
        }
        while (*p && *p != ',')
            p++;
        if (*p == ',')
            p++;
    }
    return mode;
}

static struct mount *free_slot(void)
{
    for (int i = 0; i < MAX_MOUNTS; i++)
        if (!mounts[i].used)
            return &mounts[i];
    return 0;
}

/* The root a new mount of kind shows: a new tmpfs root, /proc's, /dev's,
 * or the tree at source (bind). A new reference in *root. */
static int mount_root(enum mount_kind kind, const char *source, const char *data,
                      struct inode **root, uint32_t *size_pages)
{
    switch (kind) {
    case KIND_TMPFS:
    case KIND_RAMFS:
        if (!(*root = ramfs_dir_new(0, S_IFDIR | parse_options(data, size_pages))))
            return -ENOMEM;
        (*root)->nlink = 2;                /* its "." and its own ".." */
        (*root)->dev = next_dev++;
        return 0;
    case KIND_PROC:
    case KIND_DEVTMPFS:
        /* The fixed tree's own, by name in / itself: not through the
         * caller's root (chroot) or a mount on it. Neither can be renamed
         * or removed (EBUSY), so the name always finds it. */
        *root = dir_lookup(root_inode, kind == KIND_PROC ? "proc" : "dev");
        if (*root && (*root)->dev == (kind == KIND_PROC ? FS_DEV_PROC : FS_DEV_DEV))
            return 0;
        if (*root)
            inode_put(*root);
        return -ENODEV;
    case KIND_BIND:
        return namei(0, source, true, root);
    }
    return -EINVAL;
}

static int mount_kind_of(const char *type, uint32_t flags, enum mount_kind *kind)
{
    if (flags & MS_BIND) {
        *kind = KIND_BIND;
        return 0;
    }
    if (!type)
        return -EFAULT;
    for (int k = 0; kind_names[k]; k++)
        if (strcmp(type, kind_names[k]) == 0) {
            *kind = (enum mount_kind)k;
            return 0;
        }
    return -ENODEV;                        /* sysfs, ext2...: not here */
}

#define KEPT_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)

/* The topmost mount on the place target names (remount and umount), or
 * NULL: the mount covering the inode its last name has in its directory.
 * (Not the mount whose root target's inode is: /proc's directory is the
 * root of a proc mount elsewhere too.) follow: a last symbolic link is
 * followed, and the mount whose root it leads to is taken. */
static int mount_at(const char *target, bool follow, struct mount **out)
{
    struct inode *dir, *ip;
    char name[NAME_MAX + 1];
    *out = 0;
    int r = namei_parent(0, target, &dir, name);
    if (r == -EEXIST || (r == 0 && strcmp(name, "..") == 0)) {
        if (r == 0)
            inode_put(dir);
        goto by_root;                      /* "/", "." or "..": by the root it leads to */
    }
    if (r < 0)
        return r;
    ip = dir_lookup(dir, name);
    inode_put(dir);
    if (!ip)
        return -ENOENT;
    bool link = S_ISLNK(ip->mode);
    if (!link || !follow)
        *out = covering(ip);
    inode_put(ip);
    if (!link || !follow)
        return 0;
by_root:
    if ((r = namei(0, target, follow, &ip)) < 0)
        return r;
    for (int i = MAX_MOUNTS - 1; i >= 0 && !*out; i--)
        if (mounts[i].used && mounts[i].root == ip && !covering(ip))
            *out = &mounts[i];
    inode_put(ip);
    return 0;
}

int do_mount(const char *source, const char *target, const char *type, uint32_t flags,
             const char *data)
{
    if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
        flags &= ~(uint32_t)MS_MGC_MSK;    /* the old magic: ignored, as Linux does */
    struct inode *at;
    int r = namei(0, target, true, &at);
    if (r < 0)
        return r;
    if (!cred_privileged(current_cred())) {
        r = -EPERM;
        goto out;
    }
    if (flags & MS_REMOUNT) {
        struct mount *m;
        if ((r = mount_at(target, true, &m)) == 0 && !m)
            r = -EINVAL;
        if (r < 0)
            goto out;
        m->flags = flags & KEPT_FLAGS;
        goto out;
    }
    if (flags & MS_MOVE) {
        r = -EINVAL;                       /* not done here */
        goto out;
    }
    enum mount_kind kind;
    if ((r = mount_kind_of(type, flags, &kind)) < 0)
        goto out;
    if (kind != KIND_BIND && !S_ISDIR(at->mode)) {
        r = -ENOTDIR;
        goto out;
    }
    if (kind == KIND_BIND && !source) {
        r = -EFAULT;
        goto out;
    }
    struct mount *m = free_slot();
    if (!m) {
        r = -ENOSPC;                       /* Linux: more than fs.mount-max */
        goto out;
    }
    struct inode *root;
    uint32_t size_pages = 0;
    if ((r = mount_root(kind, source, data, &root, &size_pages)) < 0)
        goto out;
    if (S_ISDIR(root->mode) != S_ISDIR(at->mode)) {
        inode_put(root);
        r = -ENOTDIR;
        goto out;
    }
    const char *fstype = kind == KIND_BIND ? (root->dev == FS_DEV_PROC  ? "proc"
                                              : root->dev == FS_DEV_DEV ? "devtmpfs"
                                              : by_dev(root->dev)       ? by_dev(root->dev)->fstype
                                                                        : "rootfs")
                                           : kind_names[kind];
    m->source = dup_string(source ? source : "none");
    m->fstype = dup_string(fstype);
    m->path = path_of(target);
    if (!m->source || !m->fstype || !m->path) {
        kfree(m->source);
        kfree(m->fstype);
        kfree(m->path);
        inode_put(root);
        r = -ENOMEM;
        goto out;
    }
    m->kind = kind;
    m->root = root;
    m->covered = at;                       /* the reference namei gave */
    m->dev = has_own_tree(m) ? root->dev : 0;
    m->flags = flags & KEPT_FLAGS;
    m->size_pages = size_pages;
    m->seq = next_seq++;
    m->used = true;
    nmounts++;
    return 0;
out:
    inode_put(at);
    return r;
}

/* ---- unmounting ---- */

/* Is ip inside mount m: on its tmpfs, or the root m shows? */
static bool inside(const struct mount *m, const struct inode *ip)
{
    return ip && (ip == m->root || (m->dev && ip->dev == m->dev));
}

/* Does a process have its current directory, root or an open file inside
 * m, or another mount cover something inside it? */
static bool busy(const struct mount *m)
{
    for (int i = 0; i < MAX_MOUNTS; i++)
        if (mounts[i].used && &mounts[i] != m && inside(m, mounts[i].covered))
            return true;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *p = &procs[i];
        if (p->state == PROC_UNUSED)
            continue;
        if (p->fs && (inside(m, p->fs->cwd) || inside(m, p->fs->root)))
            return true;
        for (int fd = 0; p->files && fd < NOFILE; fd++)
            if (p->files->fd[fd] && inside(m, p->files->fd[fd]->inode))
                return true;
    }
    return false;
}

/* Take m out of the table, and with it every mount inside it; a tmpfs's
 * names go (files still open or in use live on until let go, as unlinked
 * files do), and so its memory comes back. */
static void release(struct mount *m)
{
    m->used = false;
    nmounts--;
    for (int i = 0; i < MAX_MOUNTS; i++)
        if (mounts[i].used && inside(m, mounts[i].covered))
            release(&mounts[i]);
    if (has_own_tree(m)) {
        ramfs_dir_clear(m->root);
        m->root->nlink = 0;
    }
    inode_put(m->root);
    inode_put(m->covered);
    kfree(m->source);
    kfree(m->fstype);
    kfree(m->path);
    memset(m, 0, sizeof *m);
}

int do_umount(const char *target, uint32_t flags)
{
    if (flags & ~(uint32_t)(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
        return -EINVAL;
    if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
        return -EINVAL;
    struct mount *m;
    int r = mount_at(target, !(flags & UMOUNT_NOFOLLOW), &m);
    if (r < 0)
        return r;
    if (!cred_privileged(current_cred()))
        return -EPERM;
    if (!m)
        return -EINVAL;                    /* not a mount point (or the fixed tree's) */
    /* MNT_EXPIRE: the first call only marks the mount (EAGAIN); a second
     * one unmounts it if it is not busy. (Linux also clears the mark when
     * the mount is used in between; here it stays.) */
    if ((flags & MNT_EXPIRE) && !m->expiring) {
        m->expiring = true;
        return -EAGAIN;
    }
    if (!(flags & MNT_DETACH) && busy(m))
        return -EBUSY;
    release(m);
    return 0;
}
