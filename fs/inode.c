/* inode.c: inodes of the in-memory file system, and file contents.
 * A regular file's bytes live in whole pages, found through pages[]: page k
 * holds bytes [k*4096, (k+1)*4096). Pages are allocated when first written;
 * a hole (after truncate up, or a seek past the end) reads as zeros. */
#include "fs/fs.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "drivers/clock.h"
#include "linux/errno.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"

struct inode *root_inode;
static uint32_t next_ino = 1;

uint32_t fs_now(void)
{
    return clock_realtime_seconds();
}

struct inode *inode_new(uint32_t mode)
{
    struct inode *ip = kzalloc(sizeof *ip);
    if (!ip)
        return 0;
    ip->ino = next_ino++;
    ip->mode = mode;
    ip->refs = 1;
    ip->atime = ip->mtime = ip->ctime = fs_now();
    return ip;
}

struct inode *inode_get(struct inode *ip)
{
    ip->refs++;
    return ip;
}

static void free_pages_from(struct inode *ip, uint32_t first)
{
    for (uint32_t k = first; k < ip->npages; k++) {
        if (ip->pages[k]) {
            frame_decref(V2P(ip->pages[k]));
            ip->pages[k] = 0;
        }
    }
}

void inode_put(struct inode *ip)
{
    assert(ip->refs > 0);
    if (--ip->refs > 0 || ip->nlink > 0)
        return;
    /* No name and no user left: the inode and its contents go. */
    free_pages_from(ip, 0);
    kfree(ip->pages);
    kfree(ip->link);
    /* Only a directory that never had a name (a /proc/<pid> made up on
     * lookup) can go while it still has entries: they go with it. */
    while (ip->entries)
        dir_unlink(ip, ip->entries->name);
    kfree(ip);
}

/* Make pages[] hold at least n slots. */
static int grow_page_array(struct inode *ip, uint32_t n)
{
    if (n <= ip->npages)
        return 0;
    uint32_t cap = ip->npages ? ip->npages : 4;
    while (cap < n)
        cap *= 2;
    uint8_t **p = kzalloc(cap * sizeof *p);
    if (!p)
        return -ENOMEM;
    if (ip->pages)
        memcpy(p, ip->pages, ip->npages * sizeof *p);
    kfree(ip->pages);
    ip->pages = p;
    ip->npages = cap;
    return 0;
}

long inode_read(struct inode *ip, void *buf, uint64_t off, uint32_t n, bool user)
{
    if (off >= ip->size)
        return 0;
    if (n > ip->size - off)
        n = (uint32_t)(ip->size - off);
    uint32_t done = 0;
    static const uint8_t zeros[PAGE_SIZE];
    while (done < n) {
        uint32_t k = (uint32_t)((off + done) / PAGE_SIZE);
        uint32_t in = (uint32_t)((off + done) % PAGE_SIZE);
        uint32_t chunk = PAGE_SIZE - in < n - done ? PAGE_SIZE - in : n - done;
        const uint8_t *src = (k < ip->npages && ip->pages[k]) ? ip->pages[k] + in : zeros;
        if (user) {
            if (copy_to_user((vaddr_t)buf + done, src, chunk) < 0)
                return done ? (long)done : -EFAULT;
        } else {
            memcpy((uint8_t *)buf + done, src, chunk);
        }
        done += chunk;
    }
    ip->atime = fs_now();
    return done;
}

long inode_write(struct inode *ip, const void *buf, uint64_t off, uint32_t n, bool user)
{
    if (n == 0)
        return 0;
    uint64_t end = off + n;
    if (end > 0x7FFFFFFFu)                 /* files up to 2 GiB */
        return -EFBIG;
    if (grow_page_array(ip, (uint32_t)((end + PAGE_SIZE - 1) / PAGE_SIZE)) < 0)
        return -ENOMEM;
    uint32_t done = 0;
    while (done < n) {
        uint32_t k = (uint32_t)((off + done) / PAGE_SIZE);
        uint32_t in = (uint32_t)((off + done) % PAGE_SIZE);
        uint32_t chunk = PAGE_SIZE - in < n - done ? PAGE_SIZE - in : n - done;
        if (!ip->pages[k]) {
            paddr_t pa = frame_alloc();
            if (!pa)
                break;
            ip->pages[k] = P2V(pa);
            memset(ip->pages[k], 0, PAGE_SIZE);
        }
        if (user) {
            if (copy_from_user(ip->pages[k] + in, (vaddr_t)buf + done, chunk) < 0) {
                if (done == 0)
                    return -EFAULT;
                break;
            }
        } else {
            memcpy(ip->pages[k] + in, (const uint8_t *)buf + done, chunk);
        }
        done += chunk;
    }
    if (done == 0)
        return -ENOSPC;
    if (off + done > ip->size)
        ip->size = off + done;
    ip->mtime = ip->ctime = fs_now();
    return done;
}

int inode_truncate(struct inode *ip, uint64_t size)
{
    if (size > 0x7FFFFFFFu)
        return -EFBIG;
    if (size < ip->size) {
        uint32_t keep = (uint32_t)((size + PAGE_SIZE - 1) / PAGE_SIZE);
        free_pages_from(ip, keep);
        /* Zero the tail of the last kept page, so growing again reads zeros. */
        if (size % PAGE_SIZE && keep - 1 < ip->npages && ip->pages[keep - 1])
            memset(ip->pages[keep - 1] + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
    }
    ip->size = size;
    ip->mtime = ip->ctime = fs_now();
    return 0;
}

void inode_stat(struct inode *ip, struct stat64 *st)
{
    memset(st, 0, sizeof *st);
    st->st_dev = 1;
    st->st_ino32 = ip->ino;
    st->st_ino = ip->ino;
    st->st_mode = ip->mode;
    st->st_nlink = ip->nlink;
    st->st_uid = ip->uid;
    st->st_gid = ip->gid;
    st->st_rdev = ip->rdev;
    st->st_size = (int64_t)ip->size;
    st->st_blksize = PAGE_SIZE;
    uint64_t blocks = 0;
    for (uint32_t k = 0; k < ip->npages; k++)
        if (ip->pages[k])
            blocks += PAGE_SIZE / 512;
    st->st_blocks = blocks;
    st->st_atime = ip->atime;
    st->st_mtime = ip->mtime;
    st->st_ctime = ip->ctime;
}

struct fs_info *fs_info_new(struct inode *cwd, uint32_t umask)
{
    struct fs_info *fs = kmalloc(sizeof *fs);
    if (!fs)
        return 0;
    fs->refs = 1;
    fs->cwd = inode_get(cwd);
    fs->umask = umask;
    return fs;
}

struct fs_info *fs_info_copy(struct fs_info *fs)
{
    return fs_info_new(fs->cwd, fs->umask);
}

void fs_info_put(struct fs_info *fs)
{
    if (--fs->refs > 0)
        return;
    inode_put(fs->cwd);
    kfree(fs);
}

void fs_init(void)
{
    root_inode = inode_new(S_IFDIR | 0755);
    assert(root_inode);
    root_inode->nlink = 2;          /* its "." and the root's own ".." */
    root_inode->parent = root_inode;
}
