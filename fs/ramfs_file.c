/* ramfs_file.c: regular files of the in-memory file system.
 *
 * A file's bytes live in whole pages, found through pages[]: page k holds
 * bytes [k*4096, (k+1)*4096). Pages are allocated when first written; a hole
 * (after truncate up, or a seek past the end) reads as zeros. The pages are
 * the file's private part (ip->priv); the size is the inode's own.
 */
#include "fs/ramfs.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/falloc.h"
#include "param.h"
#include "lib/string.h"

struct ramfs_file {
    uint8_t **pages;               /* NULL slots are holes */
    uint32_t npages;               /* slots in pages[] */
};

static struct ramfs_file *file_of(struct inode *ip)
{
    return ip->priv;
}

static void free_pages_from(struct ramfs_file *rf, uint32_t first)
{
    for (uint32_t k = first; k < rf->npages; k++) {
        if (rf->pages[k]) {
            frame_decref(V2P(rf->pages[k]));
            rf->pages[k] = 0;
        }
    }
}

/* Make pages[] hold at least n slots. */
static int grow_page_array(struct ramfs_file *rf, uint32_t n)
{
    if (n <= rf->npages)
        return 0;
    uint32_t cap = rf->npages ? rf->npages : 4;
    while (cap < n)
        cap *= 2;
    uint8_t **p = kzalloc(cap * sizeof *p);
    if (!p)
        return -ENOMEM;
    if (rf->pages)
        memcpy(p, rf->pages, rf->npages * sizeof *p);
    kfree(rf->pages);
    rf->pages = p;
    rf->npages = cap;
    return 0;
}

/* Copy up to n bytes at off (not past the end) into buf; holes read as zeros. */
static long ramfs_file_read(struct inode *ip, void *buf, uint64_t off, uint32_t n, bool user)
{
    struct ramfs_file *rf = file_of(ip);
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
        const uint8_t *src = (k < rf->npages && rf->pages[k]) ? rf->pages[k] + in : zeros;
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

/* Copy n bytes from buf to off, allocating pages as needed; the file grows
 * if they reach past its end. -ENOSPC when not one byte fitted. */
static long ramfs_file_write(struct inode *ip, const void *buf, uint64_t off, uint32_t n,
                             bool user)
{
    struct ramfs_file *rf = file_of(ip);
    if (n == 0)
        return 0;
    uint64_t end = off + n;
    if (end > 0x7FFFFFFFu)                 /* files up to 2 GiB */
        return -EFBIG;
    if (grow_page_array(rf, (uint32_t)((end + PAGE_SIZE - 1) / PAGE_SIZE)) < 0)
        return -ENOMEM;
    uint32_t done = 0;
    while (done < n) {
        uint32_t k = (uint32_t)((off + done) / PAGE_SIZE);
        uint32_t in = (uint32_t)((off + done) % PAGE_SIZE);
        uint32_t chunk = PAGE_SIZE - in < n - done ? PAGE_SIZE - in : n - done;
        if (!rf->pages[k]) {
            paddr_t pa = frame_alloc();
            if (!pa)
                break;
            rf->pages[k] = P2V(pa);
            memset(rf->pages[k], 0, PAGE_SIZE);
        }
        if (user) {
            if (copy_from_user(rf->pages[k] + in, (vaddr_t)buf + done, chunk) < 0) {
                if (done == 0)
                    return -EFAULT;
                break;
            }
        } else {
            memcpy(rf->pages[k] + in, (const uint8_t *)buf + done, chunk);
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

/* Make the file size bytes long: pages past the end go, a longer file reads
 * zeros in its new part. */
static int ramfs_file_truncate(struct inode *ip, uint64_t size)
{
    struct ramfs_file *rf = file_of(ip);
    if (size > 0x7FFFFFFFu)
        return -EFBIG;
    if (size < ip->size) {
        uint32_t keep = (uint32_t)((size + PAGE_SIZE - 1) / PAGE_SIZE);
        free_pages_from(rf, keep);
        /* Zero the tail of the last kept page, so growing again reads zeros. */
        if (size % PAGE_SIZE && keep - 1 < rf->npages && rf->pages[keep - 1])
            memset(rf->pages[keep - 1] + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
    }
    ip->size = size;
    ip->mtime = ip->ctime = fs_now();
    return 0;
}

/* Page index of the file, for a mapping: its frame with a new reference.
 * A hole is -ENOENT, or with create a new zeroed page (the file's size does
 * not change: a shared mapping writes into the file's pages, never past
 * its end). */
static int ramfs_file_getpage(struct inode *ip, uint32_t index, bool create, paddr_t *pa)
{
    struct ramfs_file *rf = file_of(ip);
    if (index >= rf->npages || !rf->pages[index]) {
        if (!create)
            return -ENOENT;
        if (grow_page_array(rf, index + 1) < 0)
            return -ENOMEM;
        paddr_t fresh = frame_alloc();
        if (!fresh)
            return -ENOMEM;
        rf->pages[index] = P2V(fresh);
        memset(rf->pages[index], 0, PAGE_SIZE);
    }
    *pa = V2P(rf->pages[index]);
    frame_incref(*pa);
    return 0;
}

/* fallocate: mode 0 and KEEP_SIZE give every page of [off, off + len) a
 * zeroed frame (so st_blocks counts them) and, without KEEP_SIZE, make the
 * file at least off + len long; PUNCH_HOLE | KEEP_SIZE zeroes the range
 * and frees the pages wholly inside it that no mapping holds. Linux's
 * tmpfs does just these two; the other modes are -EOPNOTSUPP. A failed
 * allocation keeps the pages it got, as tmpfs would not, but they are
 * zeros inside the file and go with it. */
static int ramfs_file_fallocate(struct inode *ip, uint32_t mode, uint64_t off, uint64_t len)
{
    struct ramfs_file *rf = file_of(ip);
    uint64_t end = off + len;
    if (mode == (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)) {
        if (end > ip->size)
            end = ip->size;
        for (uint64_t at = off; at < end;) {
            uint32_t k = (uint32_t)(at / PAGE_SIZE), in = (uint32_t)(at % PAGE_SIZE);
            uint32_t chunk = PAGE_SIZE - in < end - at ? PAGE_SIZE - in : (uint32_t)(end - at);
            if (k < rf->npages && rf->pages[k]) {
                paddr_t pa = V2P(rf->pages[k]);
                if (chunk == PAGE_SIZE && frame_refcount(pa) == 1) {
                    frame_decref(pa);          /* a whole page nobody maps: a hole */
                    rf->pages[k] = 0;
                } else {
                    memset(rf->pages[k] + in, 0, chunk);
                }
            }
            at += chunk;
        }
        ip->mtime = ip->ctime = fs_now();
        return 0;
    }
    if (mode & ~(uint32_t)FALLOC_FL_KEEP_SIZE)
        return -EOPNOTSUPP;
    if (end > 0x7FFFFFFFu)                 /* files up to 2 GiB */
        return -EFBIG;
    if (grow_page_array(rf, (uint32_t)((end + PAGE_SIZE - 1) / PAGE_SIZE)) < 0)
        return -ENOMEM;
    for (uint32_t k = (uint32_t)(off / PAGE_SIZE); (uint64_t)k * PAGE_SIZE < end; k++) {
        if (rf->pages[k])
            continue;
        paddr_t pa = frame_alloc();
        if (!pa)
            return -ENOSPC;
        rf->pages[k] = P2V(pa);
        memset(rf->pages[k], 0, PAGE_SIZE);
    }
    if (!(mode & FALLOC_FL_KEEP_SIZE) && end > ip->size) {
        ip->size = end;
        ip->mtime = ip->ctime = fs_now();
    }
    return 0;
}

/* stat's st_blocks: the pages allocated, in 512-byte units (holes cost none). */
static uint64_t ramfs_file_blocks(struct inode *ip)
{
    struct ramfs_file *rf = file_of(ip);
    uint64_t blocks = 0;
    for (uint32_t k = 0; k < rf->npages; k++)
        if (rf->pages[k])
            blocks += PAGE_SIZE / 512;
    return blocks;
}

/* The file has no name and no user left: its pages go back. */
static void ramfs_file_destroy(struct inode *ip)
{
    struct ramfs_file *rf = file_of(ip);
    free_pages_from(rf, 0);
    kfree(rf->pages);
}

static const struct inode_ops ramfs_file_ops = {
    .read = ramfs_file_read,
    .write = ramfs_file_write,
    .truncate = ramfs_file_truncate,
    .blocks = ramfs_file_blocks,
    .fallocate = ramfs_file_fallocate,
    .getpage = ramfs_file_getpage,
    .destroy = ramfs_file_destroy,
};

struct inode *ramfs_file_new(uint32_t mode)
{
    return inode_new(mode, &ramfs_file_ops, sizeof(struct ramfs_file));
}
