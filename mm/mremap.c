/* mremap.c: mremap(2): make a mapping bigger or smaller, moving it if need
 * be.
 *
 * Shrinking unmaps the tail. Growing extends the region in place when the
 * pages after it are free; otherwise, with MREMAP_MAYMOVE, the mapping
 * moves to a free range: its page-table entries are moved, not its pages,
 * so a move of any size copies no byte (which is why C libraries' realloc
 * of a big block uses it). A mapping moves whole: the range must lie in
 * one region.
 */
#include "mm/mremap.h"
#include "mm/vm.h"
#include "mm/vm_internal.h"
#include "mm/commit.h"
#include "kernel/proc.h"
#include "linux/errno.h"
#include "linux/mman.h"
#include "param.h"

/* Move the present entries of [from, from + len) to [to, to + len) of mm,
 * with their frame references. 0, or -ENOMEM (no page table; entries moved
 * so far are moved back). */
static int move_entries(struct mm *mm, vaddr_t from, vaddr_t to, uint32_t len)
{
    if (tables_unshare(mm->pgdir, from, from + len) < 0)   /* fork=odf */
        return -ENOMEM;
    for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
        pte_t *src = page_walk(mm->pgdir, from + off, false);
        if (!src || !(*src & PTE_P))
            continue;
        pte_t *dst = page_walk(mm->pgdir, to + off, true);
        if (!dst) {
            move_entries(mm, to, from, off);
            return -ENOMEM;
        }
        *dst = *src;
        *src = 0;
    }
    if (pgdir_current() == mm->pgdir)
        pgdir_switch(mm->pgdir);           /* the old addresses leave the TLB */
    return 0;
}

/* Move region r (exactly the old mapping) to [to, to + new_len): a new
 * region there with r's file and rights, its entries, then r goes. The
 * commit charge moves with it; growth is charged first. 0 or -ENOMEM. */
static int move_region(struct mm *mm, struct vm_region *r, vaddr_t to, uint32_t new_len)
{
    uint32_t old_len = r->end - r->start;
    if (new_len > old_len &&
        vm_may_grow(mm, (new_len - old_len) / PAGE_SIZE, (r->prot & VM_WRITE) && !r->shared) < 0)
        return -ENOMEM;                    /* RLIMIT_AS, RLIMIT_DATA */
    if (r->accounted && new_len > old_len && commit_charge((new_len - old_len) / PAGE_SIZE) < 0)
        return -ENOMEM;
    struct vm_region *nr = vm_region_dup(r);
    if (!nr || move_entries(mm, r->start, to, old_len < new_len ? old_len : new_len) < 0) {
        if (nr) {
            nr->accounted = false;         /* its charge is still r's */
            vm_region_free(nr);
        }
        if (r->accounted && new_len > old_len)
            commit_uncharge((new_len - old_len) / PAGE_SIZE);
        return -ENOMEM;
    }
    /* The charge for the old pages is the new region's now; the old
     * region leaves with nothing to give back (its pages past new_len,
     * when shrinking, are unmapped with it). */
    if (r->accounted && new_len < old_len)
        commit_uncharge((old_len - new_len) / PAGE_SIZE);
    r->accounted = false;
    vaddr_t old_start = r->start, old_end = r->end;
    nr->start = to;
    nr->end = to + new_len;
    /* The new region goes in first: unmapping the old range frees the page
     * tables that no region covers, and one of them may hold moved entries
     * (the two ranges can share 4 MiB). */
    vm_insert_region(mm, nr);
    vm_unmap(mm, old_start, old_end);
    return 0;
}

/* mremap(old_address, old_size, new_size, flags, new_address). */
long sys_mremap(struct trapframe *tf)
{
    vaddr_t old = tf->ebx, want = tf->edi;
    uint32_t old_len = PAGE_ROUND_UP(tf->ecx), new_len = PAGE_ROUND_UP(tf->edx), flags = tf->esi;
    struct mm *mm = current_proc()->mm;

    if (flags & ~(uint32_t)(MREMAP_MAYMOVE | MREMAP_FIXED))
        return -EINVAL;
    if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
        return -EINVAL;
    if (old % PAGE_SIZE || new_len == 0 || (tf->edx && new_len < tf->edx))
        return -EINVAL;
    if (old_len < tf->ecx)
        return -EINVAL;
    struct vm_region *r = vm_find(mm, old);
    if (!r)
        return -EFAULT;
    if (old_len == 0)
        return -EINVAL;                    /* a second view of shared pages: not here */
    if (!(flags & MREMAP_FIXED) && new_len <= old_len) {
        /* Shrinking only unmaps the tail, as munmap would: Linux allows it
         * whatever regions (mprotect'ed parts...) the old range spans. */
        if (new_len < old_len) {
            int e = vm_unmap(mm, old + new_len, old + old_len);
            if (e < 0)
                return e;
        }
        return (long)old;
    }
    if (old_len > r->end - old)
        return -EFAULT;                    /* the old mapping spans regions */
    if (flags & MREMAP_FIXED) {
        if (want % PAGE_SIZE || want == 0 || want >= USER_TOP || new_len > USER_TOP - want)
            return -EINVAL;
        if (want < old + old_len && old < want + new_len)
            return -EINVAL;                /* the two ranges overlap */
    }

    /* The old mapping becomes a region of its own. */
    if (vm_split_at(mm, old) < 0 || vm_split_at(mm, old + old_len) < 0)
        return -ENOMEM;
    r = vm_find(mm, old);

    if (flags & MREMAP_FIXED) {
        int e = vm_unmap(mm, want, want + new_len);
        if (e < 0)
            return e;
        e = move_region(mm, r, want, new_len);
        return e < 0 ? e : (long)want;
    }
    /* Grow in place if nothing is in the way. */
    vaddr_t grow_end = old + new_len;
    bool room = grow_end > old && grow_end <= USER_TOP &&
                range_is_free(mm, old + old_len, grow_end);
    if (room) {
        uint32_t more = (new_len - old_len) / PAGE_SIZE;
        if (vm_may_grow(mm, more, (r->prot & VM_WRITE) && !r->shared) < 0)
            return -ENOMEM;
        if (r->accounted && commit_charge(more) < 0)
            return -ENOMEM;
        r->end = grow_end;
        if (r->locked)
            vm_fault_in(mm, old + old_len, grow_end);
        return (long)old;
    }
    if (!(flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    vaddr_t to = vm_find_free(mm, new_len);
    if (!to)
        return -ENOMEM;
    int e = move_region(mm, r, to, new_len);
    if (e < 0)
        return e;
    r = vm_find(mm, to);
    if (r->locked)
        vm_fault_in(mm, to + old_len, to + new_len);
    return (long)to;
}
