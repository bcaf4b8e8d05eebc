/* vm.h: user address spaces.
 *
 * A struct mm is one address space: a page directory plus the list of
 * regions (text, data, bss, heap, stack, anonymous mappings) that say which
 * user addresses are valid and with what rights. It is reference counted on
 * its own, apart from the process: clone with CLONE_VM shares one mm between
 * processes, fork makes a copy, execve makes a new one.
 *
 * Memory for ELF segments, brk and mmap is allocated when the region is made,
 * so those calls either get every frame or fail with -ENOMEM, with nothing
 * left half done. Only the stack grows later, on demand, in the page-fault
 * handler, up to STACK_LIMIT below the stack's top.
 *
 * Where the stack, the mmap area and the break are is chosen at execve
 * (vm_layout): at random unless the kernel was booted with aslr=off, and
 * kept in the mm, so that fork's copy has the same layout.
 */
#ifndef VM_H
#define VM_H

#include "types.h"
#include "mm/paging.h"

/* Region rights and kinds. */
#define VM_READ   0x1
#define VM_WRITE  0x2
#define VM_EXEC   0x4
enum vm_kind { VM_KIND_TEXT, VM_KIND_DATA, VM_KIND_HEAP, VM_KIND_STACK, VM_KIND_MMAP };

struct vm_region {
    vaddr_t start, end;            /* page aligned, [start, end) */
    uint32_t prot;                 /* VM_READ | VM_WRITE | VM_EXEC */
    enum vm_kind kind;
    bool shared;                   /* MAP_SHARED: fork gives the child the same
                                      frames, writable, never copy-on-write */
    struct vm_region *next;        /* sorted by address */
};

struct mm {
    int refs;                      /* processes using this address space */
    pde_t *pgdir;
    struct vm_region *regions;
    vaddr_t stack_top;             /* the stack grows down from here */
    vaddr_t mmap_base;             /* mmap places mappings below this */
    vaddr_t brk_start;             /* the heap starts here (end of bss) */
    vaddr_t brk;                   /* current break (not page aligned) */
    uint32_t cow_faults;           /* copy-on-write faults taken (for /proc) */
    char exe[64];                  /* the program's path, for /proc/<pid>/maps */
    bool undumpable;               /* prctl(PR_SET_DUMPABLE, 0): no core, whatever
                                      RLIMIT_CORE says. Kept with the memory, as
                                      Linux keeps it in mm->flags: threads and a
                                      vfork child share it, fork copies it, and an
                                      execve's new address space starts without it */
};

/* What an address space uses, for /proc/<pid>/status and smaps_rollup. */
struct vm_usage {
    uint32_t size_pages;           /* all regions (VmSize) */
    uint32_t rss_pages;            /* pages with a frame (VmRSS, Rss) */
    uint32_t shared_pages;         /* ...whose frame others map too */
    uint64_t pss_4k;               /* sum of PAGE_SIZE/refcount over those pages,
                                      in bytes (Pss: a frame shared by n counts 1/n) */
    uint32_t data_pages, stack_pages, text_pages;   /* VmData, VmStk, VmExe */
};
void vm_usage(struct mm *mm, struct vm_usage *u);

/* ---- mm/vm.c ---- */

/* A new empty address space with one reference, or NULL. */
struct mm *mm_create(void);
/* Drop a reference; the last one frees every frame, table and region. */
void mm_put(struct mm *mm);
/* Choose the layout of a new program's address space whose segments end at
 * elf_end: mm->stack_top, mm->mmap_base and the break (brk_start, brk).
 * With randomise, each is moved by a random amount (the amounts are in
 * vm.c); without, they are the fixed addresses of param.h and the break
 * starts at elf_end. Before the stack is mapped. */
void vm_layout(struct mm *mm, vaddr_t elf_end, bool randomise);

/* Make mm the CPU's address space (load its page directory into CR3,
 * unless it is there already). */
void mm_activate(struct mm *mm);

/* Add a region [start, end) with prot and kind. With populate, map a zeroed
 * frame on every page now. Returns 0, -ENOMEM (no frame or no memory for the
 * region), or -EINVAL (overlaps another region, or not page aligned). On
 * failure nothing is left behind. */
int vm_map(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot,
           enum vm_kind kind, bool populate);

/* Map a zeroed frame on every page of [start, end) with the rights prot.
 * The pages must not be mapped yet. 0, or -ENOMEM with nothing mapped. */
int vm_populate(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot);

/* Make [start, end) valid for one of a program's segments with prot, every
 * page backed by a zeroed frame (execve's loader). Two segments may share a
 * page, in either order in the file: pages already in a region keep it and
 * the region gets the union of the rights (the whole earlier region is
 * widened, a simplification); the other pages get new regions of kind.
 * 0, -ENOMEM, or -EINVAL (not page aligned, or outside user space). */
int vm_map_segment(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot, enum vm_kind kind);

/* Remove every mapping in [start, end), splitting regions as needed. */
int vm_unmap(struct mm *mm, vaddr_t start, vaddr_t end);

/* Change the rights of [start, end) to prot, splitting regions as needed.
 * Every page must be in some region (-ENOMEM otherwise, as on Linux). */
int vm_protect(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot);

/* If va lies in a shared region (MAP_SHARED) of mm, the physical address
 * of its byte, which names the same word in every process that maps it
 * (a futex shared between processes is found by it): true and *pa. */
bool vm_shared_address(struct mm *mm, vaddr_t va, paddr_t *pa);

/* Drop the frames of [start, end) but keep the regions: the next touch of
 * a page maps a zeroed frame (madvise MADV_DONTNEED). A shared region's
 * pages are kept: their contents belong to every process mapping them.
 * -ENOMEM if part of the range is in no region, as on Linux; -EINVAL if
 * private_only (MADV_FREE) and part of it is shared. */
int vm_discard(struct mm *mm, vaddr_t start, vaddr_t end, bool private_only);

/* The region holding va, or NULL. */
struct vm_region *vm_find(struct mm *mm, vaddr_t va);

/* Find a free range of len bytes for mmap, top-down from mm->mmap_base.
 * Returns its start or 0. */
vaddr_t vm_find_free(struct mm *mm, uint32_t len);

/* If addr lies below the stack region but within STACK_LIMIT of its top
 * (mm->stack_top), with nothing else in between, grow the region down to
 * addr's page and return it; else NULL. (The page itself is mapped by the
 * fault.) */
struct vm_region *vm_stack_grow(struct mm *mm, vaddr_t addr);

/* brk(2): move the break to new_brk if it is valid and memory allows;
 * returns the break in force afterwards (Linux's semantics). */
vaddr_t vm_brk(struct mm *mm, vaddr_t new_brk);

/* ---- mm/vm_copy.c ---- */

/* The kernel address (in the direct map) of the byte at user address va of
 * mm, which need not be the live address space. The page must be mapped;
 * the address is good up to the end of that page. */
void *vm_kernel_address(struct mm *mm, vaddr_t va);

/* Copy n bytes from kernel memory into mm's pages at user address va,
 * through the direct map (mm need not be the live address space). The pages
 * must be mapped. Used by execve to fill a new image before switching to it. */
void vm_write(struct mm *mm, vaddr_t va, const void *src, uint32_t n);

/* Write n bytes into user address va of mm, which need not be the live
 * address space: copy-on-write pages are copied and stack pages made, as a
 * write by mm's own program would. 0 or -EFAULT. (clone's
 * CLONE_CHILD_SETTID writes into a new child this way.) */
int vm_copy_out(struct mm *mm, vaddr_t va, const void *src, uint32_t n);

/* ---- mm/fault.c ---- */

/* Handle a page fault at addr in mm (err: the CPU's error code). Grows the
 * stack or (with copy-on-write) copies a shared page. Returns 0 if the access
 * may now be retried, -EFAULT if nothing is mapped at addr, -EACCES if a
 * region is but does not allow this access, -ENOMEM if no frame.
 * (The address space's side; the policy for the process is page_fault.) */
int vm_fault(struct mm *mm, vaddr_t addr, uint32_t err);

/* How fork copies an address space: mm/fork.h. */

#endif
