/* cow.c: copy-on-write, the way fork shares memory.
 *
 * fork does not copy a single page of user memory. It copies the page
 * tables: the child's entries point at the parent's frames, each frame's
 * reference count goes up by one, and every writable page becomes read-only
 * in both, marked PTE_COW (a bit the CPU leaves to the OS). Until someone
 * writes, parent and child read the same frames.
 *
 * The first write to such a page faults (the page is read-only). cow_fault
 * then looks at the frame's reference count:
 *   count > 1: others still use the frame, so copy it into a new frame,
 *              map the copy writable here, and drop one reference on the old;
 *   count = 1: everyone else has already copied or exited, so this is the
 *              last user: make the page writable again, no copy needed.
 * A page that fork found read-only (program text) is simply shared.
 */
#include "mm/vm.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "linux/errno.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

/* Share the pages of one region [start, end) of old's tables with new's,
 * making new's page tables as needed. Only the region's entries are looked
 * at: a small program has a few dozen pages in tables of 1024 entries, and
 * walking those tables whole would be most of the cost of fork.
 * Returns 0 or -ENOMEM (tables made so far stay in new, for mm_put). */
static int share_region(pde_t *old, pde_t *new, vaddr_t start, vaddr_t end)
{
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
            if (e & PTE_W) {
                e = (e & ~PTE_W) | PTE_COW;
                src[t] = e;                /* the parent loses write access too */
            }
            frame_incref(PTE_ADDR(e));
            dst[t] = e;
        }
    }
    return 0;
}

struct mm *mm_fork_cow(struct mm *old)
{
    struct mm *mm = mm_new_like(old);
    if (!mm)
        return 0;
    int r = 0;
    for (struct vm_region *reg = old->regions; reg && r == 0; reg = reg->next)
        r = share_region(old->pgdir, mm->pgdir, reg->start, reg->end);
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

int cow_fault(struct mm *mm, vaddr_t addr, pte_t *pte)
{
    vaddr_t va = PAGE_ROUND_DOWN(addr);
    paddr_t old = PTE_ADDR(*pte);
    uint32_t flags = (*pte & 0xFFF & ~PTE_COW) | PTE_W;

    mm->cow_faults++;
    if (frame_refcount(old) == 1) {
        *pte = old | flags;               /* the last user: just take it back */
    } else {
        paddr_t copy = frame_alloc();
        if (!copy)
            return -ENOMEM;
        memcpy(P2V(copy), P2V(old), PAGE_SIZE);
        *pte = copy | flags;
        frame_decref(old);
    }
    if (pgdir_current() == mm->pgdir)
        invlpg(va);
    return 0;
}
