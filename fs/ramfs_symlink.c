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

static const struct inode_ops ramfs_symlink_ops = {
    .get_link = ramfs_symlink_get_link,
};

struct inode *ramfs_symlink_new(const char *target)
{
    uint32_t len = strlen(target);
    struct inode *ip = inode_new(S_IFLNK | 0777, &ramfs_symlink_ops, len + 1);
    if (!ip)
        return 0;
    memcpy(ip->priv, target, len + 1);
    ip->size = len;
    return ip;
}
