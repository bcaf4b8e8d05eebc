/* vm_file.c: file mappings: a region whose pages are a file's pages.
 *
 * A file of the in-memory file system keeps its bytes in frames, a page at a
 * time (fs/ramfs_file.c). Mapping the file maps those very frames:
 *
 *   MAP_SHARED   the region's entries point at the file's frames, writable
 *                where the region is. A store is a store into the file:
 *                read(2) sees it at once, so does every other mapping, and
 *                there is nothing to write back (msync has nothing to do).
 *   MAP_PRIVATE  the entries point at the file's frames too, but read-only
 *                and marked copy-on-write where the region is writable: the
 *                first store copies the page (fault.c's cow_fault, since the
 *                file holds a reference, the count is above 1), and the file
 *                never changes. Until then the mapping sees write(2)s to the
 *                file, as on Linux.
 *
 * A page of the file that was never written (a hole) reads as zeros: a
 * private mapping maps the zero page there; a shared one makes the file's
 * page (so that every mapping sees the same one). A page wholly past the
 * end of the file is nothing: touching it is SIGBUS. Shrinking the file
 * must take such pages out of every mapping (vm_file_cut); Linux finds the
 * mappings through a reverse map kept on the file (i_mmap); bunshin, with a
 * few hundred processes at most, walks every address space instead.
 */
#include "mm/vm.h"
#include "mm/frame.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "linux/errno.h"
#include "param.h"
#include "lib/string.h"

/* Map frame pa (whose reference the caller hands over) at va with flags,
 * or give the reference back if there is no page table for it. */
static int map_or_drop(struct mm *mm, vaddr_t va, paddr_t pa, uint32_t flags)
{
    if (page_map(mm->pgdir, va, pa, flags) < 0) {
        user_frame_put(pa);
        return -ENOMEM;
    }
    return 0;
}

int file_fault(struct mm *mm, struct vm_region *r, vaddr_t va, bool write)
{
    struct inode *ip = r->file->inode;
    uint32_t index = r->pgoff + (va - r->start) / PAGE_SIZE;
    if ((uint64_t)index * PAGE_SIZE >= ip->size)
        return -ENXIO;                             /* past the end: SIGBUS */

    paddr_t pa;
    if (r->shared) {
        int e = inode_page(ip, index, true, &pa);
        if (e < 0)
            return e;
        return map_or_drop(mm, va, pa, PTE_U | ((r->prot & VM_WRITE) ? PTE_W : 0));
    }

    int e = inode_page(ip, index, false, &pa);
    if (e == -ENOENT) {
        pa = zero_frame;                           /* a hole reads as zeros */
    } else if (e < 0) {
        return e;
    }
    if (!write) {
        /* The file's page (or the zero page), copy-on-write if the region
         * may be written: a store must not reach the file. */
        return map_or_drop(mm, va, pa, PTE_U | ((r->prot & VM_WRITE) ? PTE_COW : 0));
    }
    /* A store before any read: copy the file's page into a frame of this
     * process's own at once (no need to map the file's first). */
    paddr_t copy = frame_alloc();
    if (!copy) {
        user_frame_put(pa);
        return -ENOMEM;
    }
    memcpy(P2V(copy), P2V(pa), PAGE_SIZE);
    user_frame_put(pa);
    return map_or_drop(mm, va, copy, PTE_U | PTE_W);
}

bool vm_page_resident(struct mm *mm, struct vm_region *r, vaddr_t va)
{
    pte_t *pte = page_walk(mm->pgdir, va, false);
    if (pte && (*pte & PTE_P))
        return true;
    paddr_t pa;
    if (!r->file || inode_page(r->file->inode, r->pgoff + (va - r->start) / PAGE_SIZE, false, &pa) < 0)
        return false;
    frame_decref(pa);
    return true;
}

/* Unmap the pages of region r of mm that hold file pages >= first. */
static void cut_region(struct mm *mm, struct vm_region *r, uint32_t first)
{
    uint32_t pages = (r->end - r->start) / PAGE_SIZE;
    if (r->pgoff + pages <= first)
        return;
    vaddr_t from = first > r->pgoff ? r->start + (first - r->pgoff) * PAGE_SIZE : r->start;
    for (vaddr_t va = from; va < r->end; va += PAGE_SIZE)
        page_unmap(mm->pgdir, va);
}

void vm_file_cut(struct inode *ip, uint64_t size)
{
    uint32_t first = (uint32_t)((size + PAGE_SIZE - 1) / PAGE_SIZE);
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *p = &procs[i];
        if (p->state == PROC_UNUSED || !p->mm)
            continue;
        /* Threads share one mm: a second pass over it finds nothing left. */
        for (struct vm_region *r = p->mm->regions; r; r = r->next)
            if (r->file && r->file->inode == ip)
                cut_region(p->mm, r, first);
    }
}
