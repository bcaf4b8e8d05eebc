/* inode.c: what every inode has, whatever its kind: numbers, references,
 * times, stat. Reading, writing and truncating go to the kind's inode_ops;
 * the bytes of in-memory files are in fs/ramfs_file.c. */
#include "fs/fs.h"
#include "fs/inotify.h"
#include "fs/xattr.h"
#include "kernel/cred.h"
#include "mm/vm.h"
#include "fs/ramfs.h"
#include "mm/kheap.h"
#include "drivers/clock.h"
#include "linux/errno.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"

struct inode *root_inode;
static uint32_t next_ino = 1;

struct fs_time fs_now(void)
{
    uint64_t ns = clock_realtime_ns();
    struct fs_time t = { (int64_t)(ns / 1000000000u), (uint32_t)(ns % 1000000000u) };
    return t;
}

struct inode *inode_new(uint32_t mode, const struct inode_ops *ops, size_t priv_size)
{
    struct inode *ip = kzalloc(sizeof *ip);
    void *priv = priv_size ? kzalloc(priv_size) : 0;
    if (!ip || (priv_size && !priv)) {
        kfree(ip);
        kfree(priv);
        return 0;
    }
    ip->priv = priv;
    ip->dev = FS_DEV_ROOT;          /* the kinds of /proc and /dev say otherwise */
    ip->ino = next_ino++;
    ip->mode = mode;
    ip->refs = 1;
    ip->atime = ip->mtime = ip->ctime = fs_now();
    ip->ops = ops;
    return ip;
}

struct inode *inode_get(struct inode *ip)
{
    ip->refs++;
    return ip;
}

void inode_put(struct inode *ip)
{
    assert(ip->refs > 0);
    if (--ip->refs > 0 || ip->nlink > 0)
        return;
    /* No name and no user left: the inode and its kind's part go. */
    assert(!ip->locks);            /* each lock went with its open file (fs/lock.c) */
    fsnotify_inode_gone(ip);       /* IN_DELETE_SELF to its inotify watches */
    if (ip->ops->destroy)
        ip->ops->destroy(ip);
    xattr_free_all(ip);
    kfree(ip->priv);
    kfree(ip);
}

long inode_read(struct inode *ip, void *buf, uint64_t off, uint32_t n, bool user)
{
    if (!ip->ops->read)
        return -EINVAL;
    return ip->ops->read(ip, buf, off, n, user);
}

long inode_write(struct inode *ip, const void *buf, uint64_t off, uint32_t n, bool user)
{
    if (!ip->ops->write)
        return -EINVAL;
    return ip->ops->write(ip, buf, off, n, user);
}

int inode_truncate(struct inode *ip, uint64_t size)
{
    if (!ip->ops->truncate)
        return -EINVAL;
    uint64_t old = ip->size;
    int r = ip->ops->truncate(ip, size);
    if (r == 0 && size < old && ip->ops->getpage)
        vm_file_cut(ip, size);
    if (r == 0)
        fsnotify(ip, IN_MODIFY, 0, 0);
    return r;
}

int inode_page(struct inode *ip, uint32_t index, bool create, paddr_t *pa)
{
    if (!ip->ops->getpage)
        return -ENODEV;
    return ip->ops->getpage(ip, index, create, pa);
}

bool inode_mappable(struct inode *ip)
{
    return ip->ops->getpage != 0;
}

int inode_chmod(struct inode *ip, uint32_t mode)
{
    /* Only the owner (or root) changes a mode; and one who is not in the
     * file's group cannot make it set-group-ID (the bit is dropped, not
     * refused: chmod(2)). */
    if (!inode_owner_or_privileged(ip))
        return -EPERM;
    const struct cred *c = current_cred();
    if (c->fsuid != 0 && !cred_in_group(c, ip->gid))
        mode &= ~(uint32_t)S_ISGID;
    int r = 0;
    if (ip->ops->chmod) {
        r = ip->ops->chmod(ip, mode);
    } else {
        ip->mode = (ip->mode & S_IFMT) | (mode & 07777);
        ip->ctime = fs_now();
    }
    if (r == 0)
        fsnotify(ip, IN_ATTRIB, 0, 0);
    return r;
}

const char *inode_link_target(struct inode *ip, char *buf, uint32_t size)
{
    if (!S_ISLNK(ip->mode) || !ip->ops->get_link)
        return 0;
    return ip->ops->get_link(ip, buf, size);
}

void inode_stat(struct inode *ip, struct stat64 *st)
{
    memset(st, 0, sizeof *st);
    st->st_dev = ip->dev;
    st->st_ino32 = ip->ino;
    st->st_ino = ip->ino;
    st->st_mode = ip->mode;
    st->st_nlink = ip->nlink;
    st->st_uid = ip->uid;
    st->st_gid = ip->gid;
    st->st_rdev = ip->rdev;
    st->st_size = (int64_t)ip->size;
    st->st_blksize = PAGE_SIZE;
    st->st_blocks = ip->ops->blocks ? ip->ops->blocks(ip) : 0;
    /* stat64's seconds are 32 bits: a time past 2038 keeps its low 32
     * bits, as Linux's stat64 does (statx has all 64). */
    st->st_atime = (uint32_t)ip->atime.sec;
    st->st_atime_nsec = ip->atime.nsec;
    st->st_mtime = (uint32_t)ip->mtime.sec;
    st->st_mtime_nsec = ip->mtime.nsec;
    st->st_ctime = (uint32_t)ip->ctime.sec;
    st->st_ctime_nsec = ip->ctime.nsec;
}

struct fs_info *fs_info_new(struct inode *cwd, uint32_t umask)
{
    struct fs_info *fs = kmalloc(sizeof *fs);
    if (!fs)
        return 0;
    fs->refs = 1;
    fs->cwd = inode_get(cwd);
    fs->root = inode_get(root_inode);
    fs->umask = umask;
    return fs;
}

struct fs_info *fs_info_copy(struct fs_info *fs)
{
    struct fs_info *copy = fs_info_new(fs->cwd, fs->umask);
    if (copy) {
        inode_put(copy->root);
        copy->root = inode_get(fs->root);
    }
    return copy;
}

void fs_info_put(struct fs_info *fs)
{
    if (--fs->refs > 0)
        return;
    inode_put(fs->cwd);
    inode_put(fs->root);
    kfree(fs);
}

void fs_init(void)
{
    root_inode = ramfs_dir_new(0, S_IFDIR | 0755);
    assert(root_inode);
    root_inode->nlink = 2;          /* its "." and the root's own ".." */
}
