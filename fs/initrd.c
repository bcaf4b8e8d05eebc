/* initrd.c: fill the file system from the initrd's cpio archive. */
#include "fs/fs.h"
#include "fs/cpio.h"
#include "mm/kheap.h"
#include "linux/errno.h"
#include "printk.h"
#include "lib/string.h"

/* Create one archive entry at its path (relative to /). */
static int unpack_entry(const struct cpio_entry *e, const char *path)
{
    struct inode *dir, *ip;
    char name[NAME_MAX + 1];
    int r = namei_parent(root_inode, path, &dir, name);
    if (r < 0)
        return r;
    uint32_t type = e->mode & S_IFMT;
    if (type != S_IFDIR && type != S_IFREG && type != S_IFLNK) {
        inode_put(dir);
        return 0;                       /* devices, fifos: not from the archive */
    }
    ip = dir_lookup(dir, name);
    if (ip && S_ISDIR(ip->mode) && type == S_IFDIR) {
        ip->mode = e->mode;             /* already there (e.g. made earlier) */
        inode_put(ip);
        inode_put(dir);
        return 0;
    }
    if (ip) {
        inode_put(ip);
        inode_put(dir);
        return -EEXIST;
    }
    if (type == S_IFLNK) {
        /* The target is the entry's data, which has no NUL of its own. */
        char *target = kmalloc(e->size + 1);
        if (!target) {
            inode_put(dir);
            return -ENOMEM;
        }
        memcpy(target, e->data, e->size);
        target[e->size] = 0;
        r = dir_symlink(dir, name, target, &ip);
        kfree(target);
    } else {
        r = dir_create(dir, name, e->mode, &ip);
    }
    inode_put(dir);
    if (r < 0)
        return r;
    if (type == S_IFREG && e->size > 0) {
        long w = inode_write(ip, e->data, 0, e->size, false);
        if (w != (long)e->size)
            r = w < 0 ? (int)w : -ENOSPC;
    }
    ip->uid = e->uid;
    ip->gid = e->gid;
    struct fs_time t = { e->mtime, 0 };
    ip->atime = ip->mtime = ip->ctime = t;
    inode_put(ip);
    return r;
}

int initrd_unpack(const uint8_t *data, uint32_t size)
{
    uint32_t off = 0;
    int count = 0;
    struct cpio_entry e;
    int r;
    while ((r = cpio_next(data, size, &off, &e)) == 1) {
        const char *path = e.name;
        while (path[0] == '.' && path[1] == '/')
            path += 2;
        while (path[0] == '/')
            path++;
        if (path[0] == 0 || strcmp(path, ".") == 0)
            continue;
        int u = unpack_entry(&e, path);
        if (u < 0)
            printk("initrd: %s: error %d\n", e.name, u);
        else
            count++;
    }
    if (r < 0) {
        printk("initrd: malformed archive at byte %u\n", off);
        return -EINVAL;
    }
    return count;
}
