/* ramfs_file.c: regular files of the in-memory file system.
 *
 * A file's bytes live in whole pages, found through a two-level table of
 * slots (below): page k holds bytes [k*4096, (k+1)*4096). Pages are allocated when first written; a hole
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

/* pages[] in two levels, so that a file may be sparse and huge (a byte
 * written at 3 GiB costs one leaf and one page, not a slot for every page
 * before it): leaves[i] holds the slots of pages [i*LEAF_SLOTS,
 * (i+1)*LEAF_SLOTS), a NULL slot is a hole and a NULL leaf is all holes.
 * Leaf 0 grows by doubling like a small array (a small file costs a few
 * bytes, not a frame); every other leaf is allocated whole. */
#define LEAF_SLOTS 1024u               /* a leaf: 4 KiB of slots, 4 MiB of file */

struct ramfs_file {
    uint8_t ***leaves;
    uint32_t nleaves;              /* slots in leaves[] */
    uint32_t leaf0_slots;          /* slots in leaves[0] (the others: LEAF_SLOTS) */
};

static struct ramfs_file *file_of(struct inode *ip)
{
    return ip->priv;
}

static uint32_t leaf_slots(struct ramfs_file *rf, uint32_t leaf)
{
    if (leaf >= rf->nleaves || !rf->leaves[leaf])
        return 0;
    return leaf == 0 ? rf->leaf0_slots : LEAF_SLOTS;
}

/* A zeroed copy of old (of old_n slots) with n slots; old is freed.
 * NULL when out of memory (old stays). */
static void *grow_slots(void *old, uint32_t old_n, uint32_t n, uint32_t slot_size)
{
    uint8_t *p = kzalloc(n * slot_size);
    if (!p)
        return 0;
    if (old)
        memcpy(p, old, old_n * slot_size);
    kfree(old);
    return p;
}

/* The slot of page k: NULL if it has none, or with create one is made
 * (NULL then only when out of memory). */
static uint8_t **page_slot(struct ramfs_file *rf, uint32_t k, bool create)
{
    uint32_t leaf = k / LEAF_SLOTS, in = k % LEAF_SLOTS;
    if (in < leaf_slots(rf, leaf))
        return &rf->leaves[leaf][in];
    if (!create)
        return 0;
    if (leaf >= rf->nleaves) {
        uint32_t n = rf->nleaves ? rf->nleaves : 1;
        while (n <= leaf)
            n *= 2;
        uint8_t ***l = grow_slots(rf->leaves, rf->nleaves, n, sizeof *l);
        if (!l)
            return 0;
        rf->leaves = l;
        rf->nleaves = n;
    }
    uint32_t have = leaf_slots(rf, leaf), want = LEAF_SLOTS;
    if (leaf == 0) {
        want = have ? have : 4;
        while (want <= in)
            want *= 2;
    }
    uint8_t **slots = grow_slots(rf->leaves[leaf], have, want, sizeof *slots);
    if (!slots)
        return 0;
    rf->leaves[leaf] = slots;
    if (leaf == 0)
        rf->leaf0_slots = want;
    return &slots[in];
}

/* The page holding byte k * PAGE_SIZE, or NULL for a hole. */
static uint8_t *page_at(struct ramfs_file *rf, uint32_t k)
{
    uint8_t **slot = page_slot(rf, k, false);
    return slot ? *slot : 0;
}

/* Free every page from index first on (the leaves stay, for the file may
 * grow again; destroy frees them). */
static void free_pages_from(struct ramfs_file *rf, uint32_t first)
{
    for (uint32_t leaf = first / LEAF_SLOTS; leaf < rf->nleaves; leaf++) {
        uint32_t n = leaf_slots(rf, leaf);
        uint32_t in = leaf == first / LEAF_SLOTS ? first % LEAF_SLOTS : 0;
        for (; in < n; in++) {
            if (rf->leaves[leaf][in]) {
                frame_decref(V2P(rf->leaves[leaf][in]));
                rf->leaves[leaf][in] = 0;
            }
        }
    }
}

/* A zeroed page at index k (or the one there already); NULL when out of memory. */
static uint8_t *page_create(struct ramfs_file *rf, uint32_t k)
{
    uint8_t **slot = page_slot(rf, k, true);
    if (!slot)
        return 0;
    if (!*slot) {
        paddr_t pa = frame_alloc();
        if (!pa)
            return 0;
        *slot = P2V(pa);
        memset(*slot, 0, PAGE_SIZE);
    }
    return *slot;
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
        const uint8_t *page = page_at(rf, k);
        const uint8_t *src = page ? page + in : zeros;
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
    if (off >= RAMFS_MAX_BYTES)
        return -EFBIG;
    if (n > RAMFS_MAX_BYTES - off)
        n = (uint32_t)(RAMFS_MAX_BYTES - off);   /* a short write up to the limit */
    uint32_t done = 0;
    while (done < n) {
        uint32_t k = (uint32_t)((off + done) / PAGE_SIZE);
        uint32_t in = (uint32_t)((off + done) % PAGE_SIZE);
        uint32_t chunk = PAGE_SIZE - in < n - done ? PAGE_SIZE - in : n - done;
        uint8_t *page = page_create(rf, k);
        if (!page)
            break;
        if (user) {
            if (copy_from_user(page + in, (vaddr_t)buf + done, chunk) < 0) {
                if (done == 0)
                    return -EFAULT;
                break;
            }
        } else {
            memcpy(page + in, (const uint8_t *)buf + done, chunk);
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
    if (size > RAMFS_MAX_BYTES)
        return -EFBIG;
    if (size < ip->size) {
        uint32_t keep = (uint32_t)((size + PAGE_SIZE - 1) / PAGE_SIZE);
        free_pages_from(rf, keep);
        /* Zero the tail of the last kept page, so growing again reads zeros. */
        uint8_t *last = size % PAGE_SIZE ? page_at(rf, keep - 1) : 0;
        if (last)
            memset(last + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
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
    uint8_t *page = page_at(rf, index);
    if (!page) {
        if (!create)
            return -ENOENT;
        page = page_create(rf, index);
        if (!page)
            return -ENOMEM;
    }
    *pa = V2P(page);
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
            uint8_t **slot = page_slot(rf, k, false);
            if (slot && *slot) {
                paddr_t pa = V2P(*slot);
                if (chunk == PAGE_SIZE && frame_refcount(pa) == 1) {
                    frame_decref(pa);          /* a whole page nobody maps: a hole */
                    *slot = 0;
                } else {
                    memset(*slot + in, 0, chunk);
                }
            }
            at += chunk;
        }
        ip->mtime = ip->ctime = fs_now();
        return 0;
    }
    if (mode & ~(uint32_t)FALLOC_FL_KEEP_SIZE)
        return -EOPNOTSUPP;
    if (end > RAMFS_MAX_BYTES)
        return -EFBIG;
    for (uint32_t k = (uint32_t)(off / PAGE_SIZE); (uint64_t)k * PAGE_SIZE < end; k++)
        if (!page_create(rf, k))
            return -ENOSPC;
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
    for (uint32_t leaf = 0; leaf < rf->nleaves; leaf++)
        for (uint32_t in = 0; in < leaf_slots(rf, leaf); in++)
            if (rf->leaves[leaf][in])
                blocks += PAGE_SIZE / 512;
    return blocks;
}

/* The file has no name and no user left: its pages go back. */
static void ramfs_file_destroy(struct inode *ip)
{
    struct ramfs_file *rf = file_of(ip);
    free_pages_from(rf, 0);
    for (uint32_t leaf = 0; leaf < rf->nleaves; leaf++)
        kfree(rf->leaves[leaf]);
    kfree(rf->leaves);
}

/* SEEK_DATA and SEEK_HOLE, a page at a time as Linux's tmpfs: a page with
 * no frame is a hole (a leaf with none is 4 MiB of hole at once). */
static int64_t ramfs_file_seek_data(struct inode *ip, uint64_t off, bool hole)
{
    struct ramfs_file *rf = file_of(ip);
    uint64_t size = ip->size;
    if (off >= size)
        return -ENXIO;
    uint64_t last = (size - 1) / PAGE_SIZE;
    for (uint64_t k = off / PAGE_SIZE; k <= last;) {
        uint32_t leaf = (uint32_t)(k / LEAF_SLOTS);
        if (!hole && (uint32_t)(k % LEAF_SLOTS) >= leaf_slots(rf, leaf)) {
            k = (uint64_t)(leaf + 1) * LEAF_SLOTS;    /* nothing more in this leaf */
            continue;
        }
        bool data = page_at(rf, (uint32_t)k) != 0;
        if (data != hole) {
            uint64_t at = k * PAGE_SIZE;
            return (int64_t)(at > off ? at : off);
        }
        k++;
    }
    return hole ? (int64_t)size : -ENXIO;
}

static const struct inode_ops ramfs_file_ops = {
    .read = ramfs_file_read,
    .write = ramfs_file_write,
    .truncate = ramfs_file_truncate,
    .blocks = ramfs_file_blocks,
    .fallocate = ramfs_file_fallocate,
    .getpage = ramfs_file_getpage,
    .seek_data = ramfs_file_seek_data,
    .destroy = ramfs_file_destroy,
};

struct inode *ramfs_file_new(uint32_t mode)
{
    return inode_new(mode, &ramfs_file_ops, sizeof(struct ramfs_file));
}
