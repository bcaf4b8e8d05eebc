/* vm_layout.c: where things go in an address space: its layout at execve
 * (randomised), free room for mmap, the stack's growth and the break. */
#include "mm/vm.h"
#include "mm/vm_internal.h"
#include "mm/commit.h"
#include "kernel/random.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "linux/errno.h"
#include "param.h"

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
        /* LAB lazy brk: begin */
        if (mm->lock_future && vm_fault_in(mm, old_end, new_end) < 0) {
            vm_unmap(mm, old_end, new_end);        /* give back what was made */
            return mm->brk;
        }
        /* LAB lazy brk: end */
    } else if (new_end < old_end && h) {
        if (new_end <= heap_start)
            vm_unmap(mm, heap_start, old_end);
        else {
            if (tables_prepare_unmap(mm->pgdir, new_end, old_end) < 0)
                return mm->brk;                /* fork=odf: no frame for a table */
            unmap_pages(mm, new_end, old_end);
            commit_uncharge((old_end - new_end) / PAGE_SIZE);
            h->end = new_end;
        }
    }
    mm->brk = new_brk;
    return mm->brk;
}
