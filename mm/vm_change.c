/* vm_change.c: changing what is mapped: unmapping (and giving back the page
 * tables no region covers), splitting regions, changing rights, dropping
 * pages (madvise), and the physical address behind a shared word. */
#include "mm/vm.h"
#include "mm/vm_internal.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/commit.h"
#include "fs/file.h"
#include "linux/errno.h"
#include "param.h"

/* Give back the page tables of [start, end) that no region covers any more:
 * they map nothing (every user mapping lies in a region), and a process
 * that maps and unmaps big ranges would otherwise keep a table for every
 * 4 MiB it ever touched, and every later munmap there would walk them
 * (Linux's free_pgtables). */
static void free_empty_tables(struct mm *mm, vaddr_t start, vaddr_t end)
{
    bool freed = false;
    for (uint32_t d = PDX(start); d <= PDX(end - 1); d++) {
        vaddr_t lo = (vaddr_t)d << 22;
        if (!(mm->pgdir[d] & PTE_P) || !range_is_free(mm, lo, lo + 0x400000u))
            continue;
        frame_decref(PTE_ADDR(mm->pgdir[d]));
        mm->pgdir[d] = 0;
        freed = true;
    }
    if (freed && pgdir_current() == mm->pgdir)
        pgdir_switch(mm->pgdir);               /* the CPU may cache directory entries */
}

int vm_unmap(struct mm *mm, vaddr_t start, vaddr_t end)
{
    if (start % PAGE_SIZE || start >= end || end > USER_TOP)
        return -EINVAL;
    end = PAGE_ROUND_UP(end);

    /* A hole in the middle of a region splits it in two: get the second
     * region's memory first, so that failing changes nothing. */
    struct vm_region *spare = 0;
    for (struct vm_region *r = mm->regions; r; r = r->next) {
        if (r->start < start && r->end > end) {
            spare = kmalloc(sizeof *spare);
            if (!spare)
                return -ENOMEM;
        }
    }
    /* Page tables shared with another address space (fork=odf): this one
     * gets its own where part of a table stays mapped. */
    if (tables_prepare_unmap(mm->pgdir, start, end) < 0) {
        kfree(spare);
        return -ENOMEM;
    }

    struct vm_region **pp = &mm->regions;
    while (*pp) {
        struct vm_region *r = *pp;
        if (r->end <= start || r->start >= end) {      /* untouched */
            pp = &r->next;
            continue;
        }
        vaddr_t from = r->start > start ? r->start : start;
        vaddr_t to = r->end < end ? r->end : end;
        unmap_pages(mm, from, to);
        if (from == r->start && to == r->end) {        /* all of it */
            *pp = r->next;
            vm_region_free(r);
            continue;
        }
        if (r->accounted)
            commit_uncharge((to - from) / PAGE_SIZE);
        if (from == r->start) {                        /* its head */
            r->pgoff += (to - r->start) / PAGE_SIZE;
            r->start = to;
        } else if (to == r->end) {                     /* its tail */
            r->end = from;
        } else {                                       /* its middle */
            *spare = *r;
            vm_region_hold(spare);
            spare->pgoff += (to - r->start) / PAGE_SIZE;
            spare->start = to;
            r->end = from;
            r->next = spare;
            spare = 0;
        }
        pp = &r->next;
    }
    kfree(spare);
    free_empty_tables(mm, start, end);
    return 0;
}

/* Split region r at va (inside it): r keeps [start, va), spare gets the rest. */
static void split_region(struct vm_region *r, vaddr_t va, struct vm_region *spare)
{
    *spare = *r;
    vm_region_hold(spare);
    spare->pgoff += (va - r->start) / PAGE_SIZE;
    spare->start = va;
    r->end = va;
    r->next = spare;
}

int vm_split_at(struct mm *mm, vaddr_t va)
{
    struct vm_region *r = vm_find(mm, va);
    if (!r || r->start == va)
        return 0;
    struct vm_region *spare = kmalloc(sizeof *spare);
    if (!spare)
        return -ENOMEM;
    split_region(r, va, spare);
    return 0;
}

int vm_protect(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot)
{
    if (start % PAGE_SIZE || start >= USER_TOP || end > USER_TOP || end <= start)
        return -EINVAL;
    end = PAGE_ROUND_UP(end);
    uint32_t charge = 0;
    for (vaddr_t va = start; va < end;) {          /* no holes allowed */
        struct vm_region *r = vm_find(mm, va);
        if (!r)
            return -ENOMEM;
        vaddr_t to = r->end < end ? r->end : end;
        /* A shared mapping of a file opened read-only stays read-only. */
        if ((prot & VM_WRITE) && r->no_write)
            return -EACCES;
        /* Private memory becoming writable may come to need a frame of its
         * own for every page: charge it to the commit total now. */
        if ((prot & VM_WRITE) && !r->shared && !r->accounted && !(r->prot & VM_WRITE))
            charge += (to - (va > r->start ? va : r->start)) / PAGE_SIZE;
        va = r->end;
    }
    if (charge && commit_charge(charge) < 0)
        return -ENOMEM;
    /* At most two splits (at start and at end): get their memory first,
     * and page tables of this address space's own (fork=odf). */
    struct vm_region *spare[2] = { kmalloc(sizeof(struct vm_region)), kmalloc(sizeof(struct vm_region)) };
    if (!spare[0] || !spare[1] || tables_unshare(mm->pgdir, start, end) < 0) {
        kfree(spare[0]);
        kfree(spare[1]);
        if (charge)
            commit_uncharge(charge);
        return -ENOMEM;
    }
    int used = 0;
    struct vm_region *r = vm_find(mm, start);
    if (r->start < start) {
        split_region(r, start, spare[used++]);
        r = r->next;
    }
    r = vm_find(mm, end - 1);
    if (r->end > end)
        split_region(r, end, spare[used++]);
    while (used < 2)
        kfree(spare[used++]);

    for (r = vm_find(mm, start); r && r->start < end; r = r->next) {
        if ((prot & VM_WRITE) && !r->shared && !r->accounted && !(r->prot & VM_WRITE))
            r->accounted = true;               /* charged above */
        r->prot = prot;
        for (vaddr_t va = r->start; va < r->end; va += PAGE_SIZE) {
            pte_t *pte = page_walk(mm->pgdir, va, false);
            if (!pte || !(*pte & PTE_P))
                continue;
            /* No read right: not even user-accessible (PROT_NONE guard pages).
             * Write right on a frame another process also maps (a page fork
             * shared while it was read-only): not writable, but marked
             * copy-on-write, so the first write copies it. */
            pte_t e = *pte & ~(PTE_U | PTE_W);
            if (prot & VM_READ)
                e |= PTE_U;
            if ((prot & VM_WRITE) && !(e & PTE_COW)) {
                if (frame_refcount(PTE_ADDR(e)) > 1 && !r->shared)
                    e |= PTE_COW;
                else
                    e |= PTE_W;
            }
            *pte = e;
        }
    }
    if (pgdir_current() == mm->pgdir)
        pgdir_switch(mm->pgdir);                   /* drop the old rights from the TLB */
    return 0;
}

bool vm_shared_address(struct mm *mm, vaddr_t va, paddr_t *pa)
{
    struct vm_region *r = vm_find(mm, va);
    if (!r || !r->shared)
        return false;
    pte_t *pte = page_walk(mm->pgdir, va, false);
    if (!pte || !(*pte & PTE_P)) {
        if (vm_fault(mm, va, 0) < 0)       /* its frame: the file's page */
            return false;
        pte = page_walk(mm->pgdir, va, false);
    }
    *pa = PTE_ADDR(*pte) | (va & (PAGE_SIZE - 1));
    return true;
}

int vm_discard(struct mm *mm, vaddr_t start, vaddr_t end, bool private_only)
{
    for (vaddr_t va = start; va < end;) {          /* all of it must be mapped */
        struct vm_region *r = vm_find(mm, va);
        if (!r)
            return -ENOMEM;
        if (r->locked || (r->shared && private_only))
            return -EINVAL;
        va = r->end;
    }
    /* Every page goes, a shared region's too: its contents stay in its file,
     * and the next touch maps the file's page again. */
    if (tables_prepare_unmap(mm->pgdir, start, end) < 0)
        return -ENOMEM;
    unmap_pages(mm, start, end);
    return 0;
}
