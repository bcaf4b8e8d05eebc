/* frame.c: the physical frame allocator.
 *
 * Design: one array, refs[], with a 16-bit count for every frame below the
 * top of managed memory. 0 means free, FRAME_RESERVED means never to be
 * handed out, anything else is the number of users. The same array answers
 * "is it free?" and "how many share it?", which is all that copy-on-write
 * fork needs. Allocation is next-fit: the search for a free entry starts where
 * the previous one stopped, so after boot (memory mostly free, in one piece)
 * it usually succeeds at once. We chose this over a free list because it
 * needs no pointers inside free frames, can find contiguous runs, and can be
 * checked entry by entry from gdb (`p refs[0x1234]`).
 */
#include "mm/frame.h"
#include "param.h"
#include "printk.h"

#define FRAME_LOW_LIMIT 0x100000u   /* nothing below 1 MiB is handed out */

static uint16_t *refs;              /* one count per frame, index = pa >> 12 */
static uint32_t nframes;            /* entries in refs */
static uint32_t nmanaged;           /* entries that are not reserved */
static uint32_t nfree;              /* entries that are 0 */
static uint32_t next_search;        /* where frame_alloc starts looking */

size_t frames_table_size(uint64_t top)
{
    return (size_t)((top + PAGE_SIZE - 1) / PAGE_SIZE) * sizeof(uint16_t);
}

/* Page rounding in 64 bits: the memory map may describe RAM above 4 GiB. */
static uint64_t round_up64(uint64_t x)
{
    return (x + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

static uint64_t round_down64(uint64_t x)
{
    return x & ~(uint64_t)(PAGE_SIZE - 1);
}

static bool overlaps(uint64_t start, uint64_t end, const struct phys_range *r)
{
    return start < r->end && r->start < end;
}

paddr_t frames_table_place(const struct phys_range *usable, int nusable,
                           const struct phys_range *reserved, int nreserved,
                           size_t bytes)
{
    uint64_t best = 0;
    for (int i = 0; i < nusable; i++) {
        uint64_t at = round_up64(usable[i].start);
        if (at < FRAME_LOW_LIMIT)
            at = FRAME_LOW_LIMIT;
        /* Slide past every reserved range in the way until the spot is clear. */
        bool moved = true;
        while (moved && at + bytes <= usable[i].end) {
            moved = false;
            for (int j = 0; j < nreserved; j++) {
                if (overlaps(at, at + bytes, &reserved[j])) {
                    at = round_up64(reserved[j].end);
                    moved = true;
                }
            }
        }
        /* The table must have a 32-bit physical address. */
        if (at + bytes <= usable[i].end && at + bytes <= 0x100000000ull &&
            (best == 0 || at < best))
            best = at;
    }
    return (paddr_t)best;
}

void frames_init(const struct phys_range *usable, int nusable,
                 const struct phys_range *reserved, int nreserved,
                 uint64_t top, uint16_t *table)
{
    refs = table;
    nframes = (uint32_t)((top + PAGE_SIZE - 1) / PAGE_SIZE);
    nmanaged = nfree = 0;
    next_search = 0;

    /* Start with every frame reserved, then free the ones that are plain RAM. */
    for (uint32_t i = 0; i < nframes; i++)
        refs[i] = FRAME_RESERVED;

    for (int u = 0; u < nusable; u++) {
        /* Only whole frames inside the range count. */
        uint64_t start = round_up64(usable[u].start);
        uint64_t end = round_down64(usable[u].end);
        if (start < FRAME_LOW_LIMIT)
            start = FRAME_LOW_LIMIT;
        if (end > top)
            end = top;
        for (uint64_t pa = start; pa < end; pa += PAGE_SIZE) {
            bool taken = false;
            for (int r = 0; r < nreserved && !taken; r++)
                taken = overlaps(pa, pa + PAGE_SIZE, &reserved[r]);
            uint32_t i = (uint32_t)(pa / PAGE_SIZE);
            if (!taken && refs[i] == FRAME_RESERVED) {
                refs[i] = 0;
                nfree++;
                nmanaged++;
            }
        }
    }
}

paddr_t frame_alloc(void)
{
    if (nfree == 0)
        return 0;
    for (uint32_t k = 0; k < nframes; k++) {
        uint32_t i = next_search + k;
        if (i >= nframes)
            i -= nframes;
        if (refs[i] == 0) {
            refs[i] = 1;
            nfree--;
            next_search = i + 1 < nframes ? i + 1 : 0;
            return (paddr_t)i * PAGE_SIZE;
        }
    }
    panic("frame_alloc: %u frames counted free but none found", nfree);
}

/* Look for n free frames in a row among frames [from, nframes). */
static paddr_t take_run(uint32_t from, uint32_t n)
{
    uint32_t run = 0;
    for (uint32_t i = from; i < nframes; i++) {
        run = refs[i] == 0 ? run + 1 : 0;
        if (run == n) {
            uint32_t first = i + 1 - n;
            for (uint32_t j = first; j <= i; j++)
                refs[j] = 1;
            nfree -= n;
            next_search = i + 1 < nframes ? i + 1 : 0;
            return (paddr_t)first * PAGE_SIZE;
        }
    }
    return 0;
}

paddr_t frames_alloc_contig(uint32_t n)
{
    if (n == 0 || n > nfree)
        return 0;
    /* Next-fit, like frame_alloc: from where the last search stopped, then
     * once more from frame 0 (a run does not wrap around the end). */
    paddr_t pa = take_run(next_search, n);
    return pa ? pa : take_run(0, n);
}

/* The refs[] index for pa, after checking that pa is a frame we manage. */
static uint32_t frame_index(paddr_t pa, const char *who)
{
    uint32_t i = pa / PAGE_SIZE;
    if (pa % PAGE_SIZE != 0 || i >= nframes)
        panic("%s: %#x is not a managed frame address", who, pa);
    return i;
}

uint32_t frame_incref(paddr_t pa)
{
    uint32_t i = frame_index(pa, "frame_incref");
    if (refs[i] == 0 || refs[i] == FRAME_RESERVED)
        panic("frame_incref: frame %#x is %s", pa, refs[i] ? "reserved" : "free");
    if (refs[i] == FRAME_RESERVED - 1)
        panic("frame_incref: frame %#x has too many users", pa);
    return ++refs[i];
}

uint32_t frame_decref(paddr_t pa)
{
    uint32_t i = frame_index(pa, "frame_decref");
    if (refs[i] == 0 || refs[i] == FRAME_RESERVED)
        panic("frame_decref: frame %#x is %s", pa, refs[i] ? "reserved" : "already free");
    if (--refs[i] == 0)
        nfree++;
    return refs[i];
}

uint32_t frame_refcount(paddr_t pa)
{
    uint32_t i = pa / PAGE_SIZE;
    return i < nframes ? refs[i] : FRAME_RESERVED;
}

void frames_release(paddr_t start, paddr_t end)
{
    for (uint64_t pa = round_up64(start); pa + PAGE_SIZE <= end; pa += PAGE_SIZE) {
        uint32_t i = (uint32_t)(pa / PAGE_SIZE);
        if (i < nframes && refs[i] == FRAME_RESERVED && pa >= FRAME_LOW_LIMIT) {
            refs[i] = 0;
            nfree++;
            nmanaged++;
        }
    }
}

uint32_t frames_free(void)
{
    return nfree;
}

uint32_t frames_total(void)
{
    return nmanaged;
}
