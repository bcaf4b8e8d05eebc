/* vm.c: address spaces and their regions: making and freeing them, making
 * regions (anonymous, file, a program's segments), the limits on growing,
 * and what they use. (Their layout, the stack's growth and the break are in
 * vm_layout.c; unmapping, protecting, splitting and discarding in
 * vm_change.c; how fork copies one in fork.c; page faults in fault.c;
 * reaching into one that is not live in vm_copy.c.) */
#include "mm/vm.h"
#include "mm/vm_internal.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/commit.h"
#include "fs/file.h"
#include "kernel/random.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "linux/errno.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

struct mm *mm_create(void)
{
    struct mm *mm = kzalloc(sizeof *mm);
    if (!mm)
        return 0;
    mm->pgdir = pgdir_create();
    if (!mm->pgdir) {
        kfree(mm);
        return 0;
    }
    mm->refs = 1;
    mm->stack_top = USER_STACK_TOP;
    mm->mmap_base = MMAP_BASE;
    return mm;
}

/* Drop every user mapping and page table of mm, walking only its regions
 * (every user mapping lies in one), not all 768 x 1024 entries. */
static void free_user_pages(struct mm *mm)
{
    pde_t *pgdir = mm->pgdir;
    /* A page table others share too (fork=odf) is theirs: let go of it
     * first, without touching its entries. */
    for (struct vm_region *r = mm->regions; r; r = r->next)
        for (uint32_t d = PDX(r->start); d <= PDX(r->end - 1); d++)
            table_drop_shared(pgdir, d);
    for (struct vm_region *r = mm->regions; r; r = r->next) {
        vaddr_t va = r->start;
        while (va < r->end) {
            uint32_t d = PDX(va);
            vaddr_t stop = table_run_end(va, r->end);
            if (pgdir[d] & PTE_P) {
                pte_t *table = P2V(PTE_ADDR(pgdir[d]));
                for (; va < stop; va += PAGE_SIZE) {
                    pte_t e = table[PTX(va)];
                    if (e & PTE_P) {
                        user_frame_put(PTE_ADDR(e));
                        table[PTX(va)] = 0;
                    }
                }
            }
            va = stop;
        }
    }
    /* Now the tables under the regions are empty: free them. */
    for (struct vm_region *r = mm->regions; r; r = r->next) {
        for (uint32_t d = PDX(r->start); d <= PDX(r->end - 1); d++) {
            if (pgdir[d] & PTE_P) {
                frame_decref(PTE_ADDR(pgdir[d]));
                pgdir[d] = 0;
            }
        }
    }
}

/* A copy of region r (not linked to any list), holding its own reference
 * on r's file. NULL if out of memory. */
struct vm_region *vm_region_dup(const struct vm_region *r)
{
    struct vm_region *nr = kmalloc(sizeof *nr);
    if (!nr)
        return 0;
    *nr = *r;
    nr->next = 0;
    vm_region_hold(nr);
    return nr;
}

void vm_region_hold(struct vm_region *r)
{
    if (r->file)
        file_get(r->file);
    if (r->ops)
        r->ops->open(r);
}

void vm_region_free(struct vm_region *r)
{
    if (r->ops)
        r->ops->close(r);
    if (r->accounted)
        commit_uncharge((r->end - r->start) / PAGE_SIZE);
    if (r->file)
        file_put(r->file);
    kfree(r);
}

void mm_put(struct mm *mm)
{
    if (--mm->refs > 0)
        return;
    /* The directory may be the live one if the last user is the current
     * process: run on the kernel's own directory while freeing it. */
    if (pgdir_current() == mm->pgdir)
        pgdir_switch(kernel_pgdir);
    free_user_pages(mm);
    struct vm_region *r = mm->regions;
    while (r) {
        struct vm_region *next = r->next;
        vm_region_free(r);
        r = next;
    }
    pgdir_free(mm->pgdir);         /* whatever is left: only the directory */
    kfree(mm);
}

struct vm_region *vm_find(struct mm *mm, vaddr_t va)
{
    for (struct vm_region *r = mm->regions; r; r = r->next)
        if (va >= r->start && va < r->end)
            return r;
    return 0;
}

void vm_set_kind(struct mm *mm, vaddr_t start, vaddr_t end, enum vm_kind kind)
{
    for (struct vm_region *r = mm->regions; r; r = r->next)
        if (r->start >= start && r->end <= end)
            r->kind = kind;
}

void mm_activate(struct mm *mm)
{
    /* Loading CR3 flushes the TLB: skip it when mm is live already (a
     * switch between two threads of one process). */
    if (pgdir_current() != mm->pgdir)
        pgdir_switch(mm->pgdir);
}

bool range_is_free(struct mm *mm, vaddr_t start, vaddr_t end)
{
    for (struct vm_region *r = mm->regions; r; r = r->next)
        if (start < r->end && r->start < end)
            return false;
    return true;
}

bool range_is_mapped(struct mm *mm, vaddr_t start, vaddr_t end)
{
    for (vaddr_t va = start; va < end;) {      /* region by region, not page by page */
        struct vm_region *r = vm_find(mm, va);
        if (!r)
            return false;
        va = r->end;
    }
    return true;
}

void vm_insert_region(struct mm *mm, struct vm_region *nr)
{
    struct vm_region **pp = &mm->regions;
    while (*pp && (*pp)->start < nr->start)
        pp = &(*pp)->next;
    nr->next = *pp;
    *pp = nr;
}

/* Page-table flags for a region's rights. i386 without PAE cannot forbid
 * execution, so VM_EXEC needs no bit; VM_READ is implied by present. */
static uint32_t pte_flags(uint32_t prot)
{
    return PTE_U | ((prot & VM_WRITE) ? PTE_W : 0);
}

/* Unmap every page in [start, end), giving back the frames. A stretch with
 * no page table has nothing mapped: it is skipped whole (a 1 GiB
 * reservation that was never touched is 256 tables' worth of nothing). */
void unmap_pages(struct mm *mm, vaddr_t start, vaddr_t end)
{
    vaddr_t va = start;
    while (va < end) {
        vaddr_t stop = table_run_end(va, end);
        if (mm->pgdir[PDX(va)] & PTE_P)
            for (; va < stop; va += PAGE_SIZE)
                page_unmap(mm->pgdir, va);
        va = stop;
    }
}

int vm_populate(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot)
{
    for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
        paddr_t pa = frame_alloc();
        if (!pa || page_map(mm->pgdir, va, pa, pte_flags(prot)) < 0) {
            if (pa)
                frame_decref(pa);
            unmap_pages(mm, start, va);
            return -ENOMEM;
        }
        memset(P2V(pa), 0, PAGE_SIZE);
    }
    return 0;
}

/* A new region for [start, end) if the range is valid and free, charged to
 * the commit total when account says so; NULL and *err otherwise. Not yet
 * in mm's list. */
static struct vm_region *region_new(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot,
                                    enum vm_kind kind, bool account, int *err)
{
    *err = -EINVAL;
    if (start % PAGE_SIZE || end % PAGE_SIZE || start >= end || end > USER_TOP || start == 0)
        return 0;
    if (!range_is_free(mm, start, end))
        return 0;
    *err = -ENOMEM;
    if (account && commit_charge((end - start) / PAGE_SIZE) < 0)
        return 0;
    struct vm_region *r = kzalloc(sizeof *r);
    if (!r) {
        if (account)
            commit_uncharge((end - start) / PAGE_SIZE);
        return 0;
    }
    r->start = start;
    r->end = end;
    r->prot = prot;
    r->kind = kind;
    r->accounted = account;
    r->locked = mm->lock_future;
    return r;
}

/* Is a private writable region not the stack: what RLIMIT_DATA counts
 * (Linux's is_data_mapping)? */
static bool is_data(uint32_t prot, bool shared, enum vm_kind kind)
{
    return (prot & VM_WRITE) && !shared && kind != VM_KIND_STACK;
}

int vm_may_grow(struct mm *mm, uint32_t pages, bool data)
{
    uint64_t total = pages, data_pages = data ? pages : 0;
    for (struct vm_region *r = mm->regions; r; r = r->next) {
        total += (r->end - r->start) / PAGE_SIZE;
        if (is_data(r->prot, r->shared, r->kind))
            data_pages += (r->end - r->start) / PAGE_SIZE;
    }
    struct proc *p = current_proc();
    if (total * PAGE_SIZE > rlimit_cur(p, RLIMIT_AS))
        return -ENOMEM;
    if (data && data_pages * PAGE_SIZE > rlimit_cur(p, RLIMIT_DATA))
        return -ENOMEM;
    return 0;
}

int vm_map(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot,
           enum vm_kind kind, bool fill)
{
    return vm_map_anon(mm, start, end, prot, kind, fill, (prot & VM_WRITE) != 0);
}

int vm_map_anon(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot,
                enum vm_kind kind, bool fill, bool account)
{
    int err;
    if (end > start && vm_may_grow(mm, (end - start) / PAGE_SIZE, is_data(prot, false, kind)) < 0)
        return -ENOMEM;
    struct vm_region *r = region_new(mm, start, end, prot, kind, account, &err);
    if (!r)
        return err;
    /* LAB lazy vm_map_anon: begin */
    if (fill && vm_populate(mm, start, end, prot) < 0) {
        vm_region_free(r);
        return -ENOMEM;
    }
    /* LAB lazy vm_map_anon: end */
    vm_insert_region(mm, r);
    return 0;
}

int vm_map_file(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot,
                struct file *f, uint32_t pgoff, bool shared, bool no_write)
{
    /* A private writable mapping may come to hold a copy of every page: it
     * is charged as anonymous memory is. A shared one's pages are the
     * file's, already in memory. */
    int err;
    bool account = !shared && (prot & VM_WRITE);
    if (end > start &&
        vm_may_grow(mm, (end - start) / PAGE_SIZE, is_data(prot, shared, VM_KIND_MMAP)) < 0)
        return -ENOMEM;
    struct vm_region *r = region_new(mm, start, end, prot, VM_KIND_MMAP, account, &err);
    if (!r)
        return err;
    r->file = file_get(f);
    r->pgoff = pgoff;
    r->shared = shared;
    r->no_write = no_write;
    vm_insert_region(mm, r);
    return 0;
}

int vm_fault_in(struct mm *mm, vaddr_t start, vaddr_t end)
{
    for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
        struct vm_region *r = vm_find(mm, va);
        if (!r)
            return -EFAULT;
        if (!(r->prot & VM_READ))
            continue;                  /* PROT_NONE: nothing to touch */
        pte_t *pte = page_walk(mm->pgdir, va, false);
        bool present = pte && (*pte & PTE_P);
        if (r->prot & VM_WRITE) {
            if (present && !(*pte & PTE_COW) && table_sharers(mm->pgdir, va) == 1)
                continue;
            int e = vm_fault(mm, va, PF_WRITE | (present ? PF_PRESENT : 0));
            if (e < 0)
                return e == -ENOMEM ? e : -EFAULT;
        } else if (!present) {
            int e = vm_fault(mm, va, 0);
            if (e < 0)
                return e == -ENOMEM ? e : -EFAULT;
        }
    }
    return 0;
}

int vm_map_segment(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot,
                   enum vm_kind kind, bool populate)
{
    if (tables_unshare(mm->pgdir, start, end) < 0)   /* entries change below */
        return -ENOMEM;
    vaddr_t va = start;
    while (va < end) {
        struct vm_region *r = vm_find(mm, va);
        if (r) {
            if ((prot & VM_WRITE) && !r->accounted) {
                if (commit_charge((r->end - r->start) / PAGE_SIZE) < 0)
                    return -ENOMEM;
                r->accounted = true;
            }
            r->prot |= prot;
            for (; va < r->end && va < end; va += PAGE_SIZE) {
                pte_t *pte = page_walk(mm->pgdir, va, false);
                if (pte && (*pte & PTE_P) && (r->prot & VM_WRITE))
                    *pte |= PTE_W;
                else if (populate && (!pte || !(*pte & PTE_P)) &&
                         vm_populate(mm, va, va + PAGE_SIZE, r->prot) < 0)
                    return -ENOMEM;
            }
            continue;
        }
        vaddr_t run = va;                       /* a run of pages in no region */
        while (run < end && !vm_find(mm, run))
            run += PAGE_SIZE;
        int e = vm_map(mm, va, run, prot, kind, populate);
        if (e < 0)
            return e;
        va = run;
    }
    return 0;
}

void vm_usage(struct mm *mm, struct vm_usage *u)
{
    memset(u, 0, sizeof *u);
    for (struct vm_region *r = mm->regions; r; r = r->next) {
        uint32_t pages = (r->end - r->start) / PAGE_SIZE;
        u->size_pages += pages;
        if (r->kind == VM_KIND_STACK)
            u->stack_pages += pages;
        else if (r->kind == VM_KIND_TEXT)
            u->text_pages += pages;
        else if (r->prot & VM_WRITE)
            u->data_pages += pages;
        if (r->locked)
            u->locked_pages += pages;
        for (vaddr_t va = r->start; va < r->end; va += PAGE_SIZE) {
            pte_t *pte = page_walk(mm->pgdir, va, false);
            /* The zero page is nobody's memory: Linux does not count it. */
            if (!pte || !(*pte & PTE_P) || PTE_ADDR(*pte) == zero_frame)
                continue;
            /* Who maps the frame: each page table pointing at it holds one
             * reference, and a table shared by n address spaces (fork=odf)
             * maps it n times. Exact while at most one of the tables that
             * map it is shared, which is what fork leaves. */
            uint32_t refs = frame_refcount(PTE_ADDR(*pte)) + table_sharers(mm->pgdir, va) - 1;
            u->rss_pages++;
            if (r->file && (r->shared || !(*pte & PTE_W) || (*pte & PTE_COW)))
                u->file_pages++;           /* still the file's own page */
            else
                u->anon_pages++;
            if (refs > 1)
                u->shared_pages++;
            u->pss_4k += refs ? PAGE_SIZE / refs : PAGE_SIZE;
        }
    }
}
