/* fork.c: the ways fork gives a child its memory, behind mm_fork.
 *
 * Both ways start the same: a new address space with a copy of the parent's
 * list of regions (mm_new_like). They differ in what the child's page tables
 * point at.
 *
 * FORK_COPY (boot option fork=copy) copies every page the parent has into a
 * new frame now: simple, and as slow as the parent is big.
 *
 * In both, a shared region (mmap's MAP_SHARED) is not the parent's own
 * memory but memory it shares: the child maps the same frames, writable,
 * and every write is seen by all.
 *
 * FORK_COW (the default) copies no page at all. It copies the page tables:
 * the child's entries point at the parent's frames, each frame's reference
 * count goes up by one, and every writable page becomes read-only in both,
 * marked PTE_COW (a bit the CPU leaves to the OS). Until someone writes,
 * parent and child read the same frames. The first write to such a page
 * faults, and cow_fault (mm/fault.c) copies it then, or takes it back if
 * everyone else has already gone. A page that fork found read-only
 * (program text) is simply shared.
 */
#include "mm/fork.h"
#include "mm/vm.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/commit.h"
#include "linux/errno.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

/* A new address space with the same regions, layout, break and program
 * name as old, but no pages mapped yet: the start of every way of forking.
 * The child's private writable regions are promised again, since each may
 * come to need a copy of every page: under overcommit=never this is where
 * the fork of a big parent fails (mm/commit.h). Memory locks are not
 * copied (fork(2)). NULL if out of memory or promise. */
static struct mm *mm_new_like(struct mm *old)
{
    struct mm *mm = mm_create();
    if (!mm)
        return 0;
    mm->stack_top = old->stack_top;    /* the same layout: see vm_layout */
    mm->mmap_base = old->mmap_base;
    mm->brk_start = old->brk_start;
    mm->brk = old->brk;
    memcpy(mm->exe, old->exe, sizeof mm->exe);
    mm->arg_start = old->arg_start;    /* the same strings, copied with the stack */
    mm->arg_end = old->arg_end;
    mm->env_start = old->env_start;
    mm->env_end = old->env_end;
    mm->start_stack = old->start_stack;
    mm->undumpable = old->undumpable;
    struct vm_region **tail = &mm->regions;
    for (struct vm_region *r = old->regions; r; r = r->next) {
        struct vm_region *nr = vm_region_dup(r);
        if (!nr) {
            mm_put(mm);
            return 0;
        }
        nr->locked = false;
        nr->accounted = false;
        *tail = nr;
        tail = &nr->next;
        if (r->accounted && !r->shared) {
            if (commit_charge((r->end - r->start) / PAGE_SIZE) < 0) {
                mm_put(mm);
                return 0;
            }
            nr->accounted = true;
        }
    }
    return mm;
}

/* Copy the pages of one region [start, end) of old's tables into new
 * frames mapped in new's: a private copy of each present page. A shared
 * region's pages (MAP_SHARED), and the zero page, are mapped as they are:
 * shared memory stays one memory, and the zero page is everyone's.
 * Returns 0 or -ENOMEM (pages copied so far stay in new, for mm_put). */
static int copy_region(pde_t *old, pde_t *new, vaddr_t start, vaddr_t end, bool shared)
{
    for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
        pte_t *pte = page_walk(old, va, false);
        if (!pte || !(*pte & PTE_P))
            continue;
        if (shared || PTE_ADDR(*pte) == zero_frame) {
            user_frame_get(PTE_ADDR(*pte));
            if (page_map(new, va, PTE_ADDR(*pte), *pte & (PTE_U | PTE_W | PTE_COW)) < 0) {
                user_frame_put(PTE_ADDR(*pte));
                return -ENOMEM;
            }
            continue;
        }
        paddr_t pa = frame_alloc();
        if (!pa)
            return -ENOMEM;
        memcpy(P2V(pa), P2V(PTE_ADDR(*pte)), PAGE_SIZE);
        /* The copy is private: a copy-on-write page becomes plainly writable. */
        uint32_t flags = *pte & (PTE_U | PTE_W);
        if (*pte & PTE_COW)
            flags |= PTE_W;
        if (page_map(new, va, pa, flags) < 0) {
            frame_decref(pa);
            return -ENOMEM;
        }
    }
    return 0;
}

/* FORK_COPY: every present page of old copied into a new frame of the
 * child. Returns the copy or NULL (mm_put frees what was made). */
static struct mm *fork_copy(struct mm *old)
{
    struct mm *mm = mm_new_like(old);
    if (!mm)
        return 0;
    for (struct vm_region *r = old->regions; r; r = r->next) {
        if (copy_region(old->pgdir, mm->pgdir, r->start, r->end, r->shared) < 0) {
            mm_put(mm);
            return 0;
        }
    }
    return mm;
}

/* Share the pages of one region [start, end) of old's tables with new's,
 * making new's page tables as needed. A private region's writable pages
 * become copy-on-write in both; a shared region's (MAP_SHARED) stay
 * writable in both: its frames are one memory for every process. Only the region's entries are looked
 * at: a small program has a few dozen pages in tables of 1024 entries, and
 * walking those tables whole would be most of the cost of fork.
 * Returns 0 or -ENOMEM (tables made so far stay in new, for mm_put). */
static int share_region(pde_t *old, pde_t *new, vaddr_t start, vaddr_t end, bool shared)
{
    /* LAB cow share_region: begin */
    vaddr_t va = start;
    while (va < end) {
        uint32_t d = PDX(va);
        vaddr_t stop = table_run_end(va, end);
        if (!(old[d] & PTE_P)) {
            va = stop;
            continue;
        }
        if (!(new[d] & PTE_P)) {
            paddr_t pt = frame_alloc();
            if (!pt)
                return -ENOMEM;
            memset(P2V(pt), 0, PAGE_SIZE);
            new[d] = pt | (old[d] & 0xFFF);
        }
        pte_t *src = P2V(PTE_ADDR(old[d]));
        pte_t *dst = P2V(PTE_ADDR(new[d]));
        for (; va < stop; va += PAGE_SIZE) {
            uint32_t t = PTX(va);
            pte_t e = src[t];
            if (!(e & PTE_P))
                continue;
            if ((e & PTE_W) && !shared) {
                e = (e & ~PTE_W) | PTE_COW;
                src[t] = e;                /* the parent loses write access too */
            }
            user_frame_get(PTE_ADDR(e));
            dst[t] = e;
        }
    }
    return 0;
    /* LAB cow share_region: end */
}

/* FORK_COW: the child's page tables share old's frames, copy-on-write. */
static struct mm *fork_cow(struct mm *old)
{
    struct mm *mm = mm_new_like(old);
    if (!mm)
        return 0;
    int r = 0;
    for (struct vm_region *reg = old->regions; reg && r == 0; reg = reg->next)
        r = share_region(old->pgdir, mm->pgdir, reg->start, reg->end, reg->shared);
    /* The parent's entries changed from writable to read-only: its TLB may
     * still hold the writable ones. Reloading CR3 drops them all (the
     * kernel's global pages stay). Pages already shared when this failed
     * stay copy-on-write, which is harmless. */
    if (pgdir_current() == old->pgdir)
        pgdir_switch(old->pgdir);
    if (r < 0) {
        mm_put(mm);
        return 0;
    }
    return mm;
}

/* FORK_ODF: the child's directory shares every page table of old's
 * regions. Cannot fail once the regions are copied. */
static struct mm *fork_odf(struct mm *old)
{
    /* LAB odf fork_odf: begin */
    struct mm *mm = mm_new_like(old);
    if (!mm)
        return 0;
    for (struct vm_region *r = old->regions; r; r = r->next)
        for (uint32_t d = PDX(r->start); d <= PDX(r->end - 1); d++)
            if ((old->pgdir[d] & PTE_P) && !(mm->pgdir[d] & PTE_P))
                table_share(old->pgdir, mm->pgdir, d);
    /* The parent's directory entries lost PTE_W: drop what its TLB holds. */
    if (pgdir_current() == old->pgdir)
        pgdir_switch(old->pgdir);
    return mm;
    /* LAB odf fork_odf: end */
}

struct mm *mm_fork(struct mm *old, enum fork_mode mode)
{
    switch (mode) {
    case FORK_COPY:
        return fork_copy(old);
    case FORK_COW:
        return fork_cow(old);
    case FORK_ODF:
        return fork_odf(old);
    }
    panic("mm_fork: unknown mode %d", (int)mode);
}
