/* kheap.c: kmalloc/kfree on top of the frame allocator.
 *
 * Small blocks (16 to 2048 bytes, powers of two) come from slabs: a slab is
 * one frame holding a header and equal-sized blocks. The free blocks of a slab
 * form a list threaded through the blocks themselves. Each size class keeps a
 * list of the slabs that still have a free block. Because a slab is exactly one
 * page-aligned frame, kfree finds the header of any block by rounding its
 * address down to the page: no size needs to be passed back.
 *
 * Larger requests get whole contiguous frames with a small header in front.
 *
 * A slab whose blocks are all free goes straight back to the frame allocator.
 * That costs a frame_alloc when the next block of that size is wanted, but it
 * means the free-frame count returns exactly to where it was, which the tests
 * (and a student hunting a leak) rely on.
 */
#include "mm/kheap.h"
#include "mm/frame.h"
#include "mm/paging.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

#define SLAB_MAGIC  0x534C4142u    /* "SLAB" */
#define BIG_MAGIC   0x42494721u    /* "BIG!" */
#define FREE_MAGIC  0xF4EEB10Cu    /* written into every free block */
#define NCLASSES    8              /* 16, 32, ..., 2048 */
#define MIN_SHIFT   4

struct free_block {
    struct free_block *next;
    uint32_t magic;                /* FREE_MAGIC while on the free list */
};

struct slab {
    uint32_t magic;                /* SLAB_MAGIC */
    uint32_t size;                 /* block size of this slab */
    uint32_t nfree;                /* free blocks */
    uint32_t capacity;             /* blocks in all */
    struct free_block *free;       /* list of free blocks */
    struct slab *prev, *next;      /* in classes[c] while nfree > 0 */
};

/* Blocks start after the header, at a 16-byte boundary. */
#define SLAB_HEADER 32

struct big {
    uint32_t magic;                /* BIG_MAGIC */
    uint32_t npages;
    uint32_t pad[2];               /* keeps the block 16-byte aligned */
};

static struct slab *classes[NCLASSES];   /* slabs with free blocks, per class */
static uint32_t blocks_in_use, frames_held;

static int size_class(size_t size)
{
    int c = 0;
    while (((size_t)1 << (c + MIN_SHIFT)) < size)
        c++;
    return c;
}

static void list_remove(struct slab **head, struct slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        *head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->prev = s->next = 0;
}

static void list_push(struct slab **head, struct slab *s)
{
    s->prev = 0;
    s->next = *head;
    if (*head)
        (*head)->prev = s;
    *head = s;
}

/* A new slab for class c, all blocks free, already on the class list. */
static struct slab *slab_create(int c)
{
    paddr_t pa = frame_alloc();
    if (!pa)
        return 0;
    frames_held++;
    struct slab *s = P2V(pa);
    s->magic = SLAB_MAGIC;
    s->size = 1u << (c + MIN_SHIFT);
    s->capacity = (PAGE_SIZE - SLAB_HEADER) / s->size;
    s->nfree = s->capacity;
    s->free = 0;
    /* Thread the list from the last block down, so blocks go out in address order. */
    for (int i = (int)s->capacity - 1; i >= 0; i--) {
        struct free_block *b = (void *)((uint8_t *)s + SLAB_HEADER + (uint32_t)i * s->size);
        b->next = s->free;
        b->magic = FREE_MAGIC;
        s->free = b;
    }
    s->prev = s->next = 0;
    list_push(&classes[c], s);
    return s;
}

static void *big_alloc(size_t size)
{
    uint32_t npages = (uint32_t)((size + sizeof(struct big) + PAGE_SIZE - 1) / PAGE_SIZE);
    paddr_t pa = frames_alloc_contig(npages);
    if (!pa)
        return 0;
    frames_held += npages;
    struct big *h = P2V(pa);
    h->magic = BIG_MAGIC;
    h->npages = npages;
    return h + 1;
}

void *kmalloc(size_t size)
{
    if (size == 0 || size > DIRECT_MAP_LIMIT)
        return 0;
    uint32_t flags = irq_save();
    void *p = 0;
    if (size > KHEAP_MAX_SMALL) {
        p = big_alloc(size);
    } else {
        int c = size_class(size);
        struct slab *s = classes[c] ? classes[c] : slab_create(c);
        if (s) {
            struct free_block *b = s->free;
            s->free = b->next;
            b->magic = 0;
            if (--s->nfree == 0)
                list_remove(&classes[c], s);
            p = b;
        }
    }
    if (p)
        blocks_in_use++;
    irq_restore(flags);
    return p;
}

void *kzalloc(size_t size)
{
    void *p = kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void kfree(void *p)
{
    if (!p)
        return;
    uint32_t flags = irq_save();
    uintptr_t page = (uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1);
    struct big *h = (void *)page;
    struct slab *s = (void *)page;

    if (h->magic == BIG_MAGIC && (void *)(h + 1) == p) {
        uint32_t n = h->npages;
        h->magic = 0;
        for (uint32_t i = 0; i < n; i++)
            frame_decref(V2P(page) + i * PAGE_SIZE);
        frames_held -= n;
    } else if (s->magic == SLAB_MAGIC) {
        uintptr_t off = (uintptr_t)p - page;
        if (off < SLAB_HEADER || (off - SLAB_HEADER) % s->size != 0)
            panic("kfree(%p): not the start of a block", p);
        struct free_block *b = p;
        if (b->magic == FREE_MAGIC) {
            for (struct free_block *f = s->free; f; f = f->next)
                if (f == b)
                    panic("kfree(%p): freed twice", p);
        }
        int c = size_class(s->size);
        b->next = s->free;
        b->magic = FREE_MAGIC;
        s->free = b;
        if (s->nfree++ == 0)
            list_push(&classes[c], s);
        if (s->nfree == s->capacity) {      /* all free: give the frame back */
            list_remove(&classes[c], s);
            s->magic = 0;
            frame_decref(V2P(s));
            frames_held--;
        }
    } else {
        panic("kfree(%p): not a kmalloc block", p);
    }
    blocks_in_use--;
    irq_restore(flags);
}

uint32_t kheap_blocks_in_use(void)
{
    return blocks_in_use;
}

uint32_t kheap_frames_held(void)
{
    return frames_held;
}
