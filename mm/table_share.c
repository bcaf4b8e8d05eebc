/* table_share.c: page tables shared between address spaces (fork=odf).
 *
 * Copy-on-write fork (mm/fork.c) copies no page, but it still copies every
 * page-table entry and raises every frame's count: its cost grows with the
 * parent's size. On-demand fork (Zhao et al., EuroSys 2021) goes one level
 * up: the child's directory entries point at the parent's page tables
 * themselves. On i386 a directory entry's R/W bit governs all 1024 pages
 * under it (the CPU applies the stricter of the two levels), so clearing it
 * in both directories makes a whole 4 MiB table read-only at once, whatever
 * its entries say. The table's own frame count says how many address spaces
 * use it; no entry and no frame count below it is touched.
 *
 * The rule that keeps this sound: a user directory entry without PTE_W is
 * a table that is, or was, shared, and nobody changes an entry of it.
 * Whoever is about to (a fault that maps a page, munmap, mprotect, mremap,
 * a copy into a child's memory) first calls table_unshare, which gives the
 * address space a table of its own:
 *   - count > 1: copy the table. The frames it maps now have two tables
 *     pointing at them, so each present entry's frame count goes up, and
 *     every writable entry becomes copy-on-write in both the copy and the
 *     table left behind: nobody may keep write access to a frame that is
 *     now shared. (A shared region's pages are marked too; their first
 *     write just makes them writable again: cow_fault, mm/fault.c.)
 *   - count = 1: everyone else has copied or exited: take the table back
 *     by setting PTE_W again. Its entries are right as they are.
 */
#include "mm/paging.h"
#include "mm/frame.h"
#include "linux/errno.h"
#include "param.h"
#include "lib/string.h"
#include "x86.h"

uint32_t table_sharers(pde_t *pgdir, vaddr_t va)
{
    pde_t e = pgdir[PDX(va)];
    if (!(e & PTE_P))
        return 0;
    if (e & PTE_W)
        return 1;                  /* a writable entry: never shared */
    return frame_refcount(PTE_ADDR(e));
}

void table_share(pde_t *from, pde_t *to, uint32_t d)
{
    from[d] &= ~PTE_W;
    frame_incref(PTE_ADDR(from[d]));
    to[d] = from[d];
}

/* Reload CR3 if pgdir is live: a directory entry changed, and the TLB may
 * hold translations made through the old one. */
static void flush_if_live(pde_t *pgdir)
{
    if (pgdir_current() == pgdir)
        pgdir_switch(pgdir);
}

int table_unshare(pde_t *pgdir, vaddr_t va)
{
    /* LAB odf table_unshare: begin */
    pde_t *pde = &pgdir[PDX(va)];
    if (!(*pde & PTE_P) || (*pde & PTE_W))
        return 0;                  /* no table, or one of its own */
    paddr_t old = PTE_ADDR(*pde);
    if (frame_refcount(old) > 1) {
        paddr_t pt = frame_alloc();
        if (!pt)
            return -ENOMEM;
        pte_t *src = P2V(old), *dst = P2V(pt);
        for (uint32_t t = 0; t < 1024; t++) {
            pte_t e = src[t];
            if (e & PTE_P) {
                if (e & PTE_W) {
                    e = (e & ~PTE_W) | PTE_COW;
                    src[t] = e;    /* the table left behind loses write access too */
                }
                user_frame_get(PTE_ADDR(e));
            }
            dst[t] = e;
        }
        frame_decref(old);         /* the others keep it */
        *pde = pt | (*pde & 0xFFF);
    }
    *pde |= PTE_W;
    flush_if_live(pgdir);
    return 1;
    /* LAB odf table_unshare: end */
}

int tables_unshare(pde_t *pgdir, vaddr_t start, vaddr_t end)
{
    for (vaddr_t va = start; va < end; va = table_run_end(va, end))
        if (table_unshare(pgdir, va) < 0)
            return -ENOMEM;
    return 0;
}

int tables_prepare_unmap(pde_t *pgdir, vaddr_t start, vaddr_t end)
{
    /* Copies first (at most the two tables at the ends of the range), so
     * that failing leaves everything as it was... */
    for (vaddr_t va = start; va < end;) {
        vaddr_t stop = table_run_end(va, end);
        bool whole = va % 0x400000u == 0 && (stop - va == 0x400000u);
        if (!whole && table_unshare(pgdir, va) < 0)
            return -ENOMEM;
        va = stop;
    }
    /* ...then the tables the range covers whole: nothing of them stays
     * mapped here, so this address space just lets go of its share. */
    bool dropped = false;
    for (vaddr_t va = start; va < end;) {
        vaddr_t stop = table_run_end(va, end);
        pde_t *pde = &pgdir[PDX(va)];
        if (va % 0x400000u == 0 && stop - va == 0x400000u && (*pde & PTE_P) && !(*pde & PTE_W)) {
            if (frame_refcount(PTE_ADDR(*pde)) > 1) {
                frame_decref(PTE_ADDR(*pde));
                *pde = 0;
                dropped = true;
            } else {
                *pde |= PTE_W;     /* the last user: its entries are its own */
            }
        }
        va = stop;
    }
    if (dropped)
        flush_if_live(pgdir);
    return 0;
}

bool table_drop_shared(pde_t *pgdir, uint32_t d)
{
    pde_t e = pgdir[d];
    if (!(e & PTE_P) || (e & PTE_W) || frame_refcount(PTE_ADDR(e)) == 1)
        return false;
    frame_decref(PTE_ADDR(e));
    pgdir[d] = 0;
    return true;
}
