/* ramfs_symlink.c: symbolic links of the in-memory file system. The private
 * part is the target itself, a NUL-terminated string; the inode's size is
 * its length, as stat shows on Linux. */
#include "fs/ramfs.h"
#include "mm/kheap.h"
#include "lib/string.h"

static const char *ramfs_symlink_get_link(struct inode *ip, char *buf, uint32_t size)
{
    (void)buf, (void)size;
    return ip->priv;                       /* kept, nothing to make up */
}

static void ramfs_symlink_destroy(struct inode *ip)
{
    kfree(ip->priv);
}

static const struct inode_ops ramfs_symlink_ops = {
    .get_link = ramfs_symlink_get_link,
    .destroy = ramfs_symlink_destroy,
};

struct inode *ramfs_symlink_new(const char *target)
{
    struct inode *ip = inode_new(S_IFLNK | 0777, &ramfs_symlink_ops);
    if (!ip)
        return 0;
    uint32_t len = strlen(target);
    char *copy = kmalloc(len + 1);
    if (!copy) {
        inode_put(ip);
        return 0;
    }
    memcpy(copy, target, len + 1);
    ip->priv = copy;
    ip->size = len;
    return ip;
}
