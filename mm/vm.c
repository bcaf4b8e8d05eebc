/* vm.c: address spaces and their regions: making and freeing them, their
 * layout (randomised: vm_layout), mapping, unmapping and protecting ranges,
 * the break, and what they use. (How fork copies one is in fork.c, page
 * faults in fault.c, reaching into one that is not live in vm_copy.c.) */
#include "mm/vm.h"
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
    if (nr->file)
        file_get(nr->file);
    return nr;
}

void vm_region_free(struct vm_region *r)
{
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

void mm_activate(struct mm *mm)
{
    /* Loading CR3 flushes the TLB: skip it when mm is live already (a
     * switch between two threads of one process). */
    if (pgdir_current() != mm->pgdir)
        pgdir_switch(mm->pgdir);
}

/*
 * Address-space layout randomisation (ASLR). A program that knows where its
 * stack, its heap and its mappings are will find them at the same addresses
 * in every run, and so does an attacker who needs one of them (to return
 * into a buffer on the stack, say). So each execve moves the three by a
 * random number of pages, drawn from kernel/random.c, with Linux i386's
 * amounts:
 *
 *   the stack top   USER_STACK_TOP minus 0 to 2047 pages (8 MiB, 11 bits:
 *                   Linux's STACK_RND_MASK 0x7ff for 32-bit programs);
 *                   exec_stack.c adds a gap of 0 to 4080 bytes below the
 *                   strings (8 more bits, in 16-byte steps), as Linux's
 *                   arch_align_stack does with 8 KiB;
 *   the mmap base   below the lowest place the stack could reach (its
 *                   largest random offset, its 8 MiB limit and the guard
 *                   gap: where the stack really is does not show through),
 *                   minus 0 to 255 pages (1 MiB, 8 bits: Linux's
 *                   mmap_rnd_bits on 32-bit);
 *   the break       the end of the bss rounded up to a page, plus 0 to 8191
 *                   pages (32 MiB, 13 bits: Linux's arch_randomize_brk).
 *
 * The text stays at 0x08048000: a program linked for a fixed address
 * (ET_EXEC) cannot move. fork copies the mm with its layout: every child
 * of a process has its addresses (which is what makes fork-based servers
 * weaker against guessing), and only execve draws new ones.
 *
 * With aslr=off the layout is the fixed one of param.h: the stack top at
 * USER_STACK_TOP, the mmap base at MMAP_BASE, the break at the end of the
 * bss (gdb walk-throughs and make bench need addresses that repeat).
 */
#define STACK_RANDOM_PAGES 2048u
#define MMAP_RANDOM_PAGES  256u
#define BRK_RANDOM_PAGES   8192u

void vm_layout(struct mm *mm, vaddr_t elf_end, bool randomise)
{
    vaddr_t end_page = PAGE_ROUND_UP(elf_end);
    if (!randomise) {
        mm->stack_top = USER_STACK_TOP;
        mm->mmap_base = MMAP_BASE;
        mm->brk_start = mm->brk = elf_end;
        return;
    }
    /* The stack's whole reach (STACK_LIMIT below its top) stays above the
     * program: elf_check_segment keeps segments below USER_STACK_TOP -
     * STACK_LIMIT, which leaves no room for an offset only if a program is
     * loaded right up against that line. */
    vaddr_t lowest = USER_STACK_TOP - STACK_LIMIT;
    uint32_t room = lowest > end_page ? (lowest - end_page) / PAGE_SIZE : 0;
    uint32_t pages = room < STACK_RANDOM_PAGES ? room : STACK_RANDOM_PAGES;
    mm->stack_top = USER_STACK_TOP - random_below(pages) * PAGE_SIZE;

    mm->mmap_base = USER_STACK_TOP - STACK_RANDOM_PAGES * PAGE_SIZE - STACK_LIMIT -
                    STACK_GUARD_GAP - random_below(MMAP_RANDOM_PAGES) * PAGE_SIZE;

    /* The break stays below the mmap base (vm_brk never grows it past it). */
    room = mm->mmap_base > end_page ? (mm->mmap_base - end_page) / PAGE_SIZE : 0;
    pages = room < BRK_RANDOM_PAGES ? room : BRK_RANDOM_PAGES;
    mm->brk_start = mm->brk = end_page + random_below(pages) * PAGE_SIZE;
}

static bool range_is_free(struct mm *mm, vaddr_t start, vaddr_t end)
{
    for (struct vm_region *r = mm->regions; r; r = r->next)
        if (start < r->end && r->start < end)
            return false;
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
static void unmap_pages(struct mm *mm, vaddr_t start, vaddr_t end)
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
    if (fill && vm_populate(mm, start, end, prot) < 0) {
        vm_region_free(r);
        return -ENOMEM;
    }
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
            if (present && !(*pte & PTE_COW))
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
            if (spare->file)
                file_get(spare->file);
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
    if (spare->file)
        file_get(spare->file);
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
    /* At most two splits (at start and at end): get their memory first. */
    struct vm_region *spare[2] = { kmalloc(sizeof(struct vm_region)), kmalloc(sizeof(struct vm_region)) };
    if (!spare[0] || !spare[1]) {
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
    unmap_pages(mm, start, end);
    return 0;
}

vaddr_t vm_find_free(struct mm *mm, uint32_t len)
{
    len = PAGE_ROUND_UP(len);
    if (len == 0 || len > mm->mmap_base)
        return 0;
    /* Top-down first fit: try just below the mmap base, and below each
     * region that is in the way. */
    vaddr_t top = mm->mmap_base;
    for (;;) {
        if (top < len + PAGE_SIZE)        /* never down to page 0 */
            return 0;
        vaddr_t start = top - len;
        struct vm_region *blocker = 0;
        for (struct vm_region *r = mm->regions; r; r = r->next)
            if (start < r->end && r->start < top && (!blocker || r->start < blocker->start))
                blocker = r;
        if (!blocker)
            return start;
        top = blocker->start;
    }
}







/* The (first) region of a kind: the stack, the heap. */
static struct vm_region *region_of_kind(struct mm *mm, enum vm_kind kind)
{
    for (struct vm_region *r = mm->regions; r; r = r->next)
        if (r->kind == kind)
            return r;
    return 0;
}

struct vm_region *vm_stack_grow(struct mm *mm, vaddr_t addr)
{
    struct vm_region *s = region_of_kind(mm, VM_KIND_STACK);
    vaddr_t page = PAGE_ROUND_DOWN(addr);
    /* RLIMIT_STACK says how far the stack may reach below its top (8 MiB
     * by default, as STACK_LIMIT, below which vm_layout put the mmap area). */
    uint64_t limit = rlimit_cur(current_proc(), RLIMIT_STACK);
    if (!s || addr >= s->start || (uint64_t)(mm->stack_top - page) > limit)
        return 0;
    if (!range_is_free(mm, page, s->start))
        return 0;                              /* something else is in the way */
    if (vm_may_grow(mm, (s->start - page) / PAGE_SIZE, false) < 0)
        return 0;                              /* RLIMIT_AS */
    if (s->accounted && commit_charge((s->start - page) / PAGE_SIZE) < 0)
        return 0;
    s->start = page;
    return s;
}

int vm_map_segment(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot,
                   enum vm_kind kind, bool populate)
{
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

vaddr_t vm_brk(struct mm *mm, vaddr_t new_brk)
{
    if (new_brk < mm->brk_start || new_brk > mm->mmap_base)
        return mm->brk;
    vaddr_t heap_start = PAGE_ROUND_UP(mm->brk_start);
    vaddr_t old_end = PAGE_ROUND_UP(mm->brk);
    vaddr_t new_end = PAGE_ROUND_UP(new_brk);
    struct vm_region *h = region_of_kind(mm, VM_KIND_HEAP);

    /* The heap's new pages come on first touch (unless mlockall asked for
     * MCL_FUTURE); the break only moves the end of its region. */
    if (new_end > old_end) {
        if (!range_is_free(mm, old_end, new_end))
            return mm->brk;
        if (vm_may_grow(mm, (new_end - old_end) / PAGE_SIZE, true) < 0)
            return mm->brk;                        /* RLIMIT_AS, RLIMIT_DATA */
        if (!h) {
            if (vm_map(mm, heap_start, new_end, VM_READ | VM_WRITE, VM_KIND_HEAP, false) < 0)
                return mm->brk;
        } else {
            if (commit_charge((new_end - old_end) / PAGE_SIZE) < 0)
                return mm->brk;
            h->end = new_end;
        }
        if (mm->lock_future && vm_fault_in(mm, old_end, new_end) < 0) {
            vm_unmap(mm, old_end, new_end);        /* give back what was made */
            return mm->brk;
        }
    } else if (new_end < old_end && h) {
        if (new_end <= heap_start)
            vm_unmap(mm, heap_start, old_end);
        else {
            unmap_pages(mm, new_end, old_end);
            commit_uncharge((old_end - new_end) / PAGE_SIZE);
            h->end = new_end;
        }
    }
    mm->brk = new_brk;
    return mm->brk;
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
            uint32_t refs = frame_refcount(PTE_ADDR(*pte));
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
