/* vm.h: user address spaces.
 *
 * A struct mm is one address space: a page directory plus the list of
 * regions (text, data, bss, heap, stack, anonymous mappings) that say which
 * user addresses are valid and with what rights. It is reference counted on
 * its own, apart from the process: clone with CLONE_VM shares one mm between
 * processes, fork makes a copy, execve makes a new one.
 *
 * A region is a promise, not memory: its pages get frames on first touch,
 * in the page-fault handler (mm/fault.c). Anonymous memory (the heap, mmap,
 * the bss past the file, the stack) reads as the zero page until it is
 * written; a file mapping's pages are the file's own pages (mm/vm_file.c).
 * Only execve fills pages at once (the program's file bytes and its first
 * stack page), and MAP_POPULATE and mlock ask for it (vm_fault_in). The
 * stack's region itself grows down on demand, up to its limit.
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

struct file;
struct inode;
struct vm_region;

/* What a region that belongs to something else tells its owner (System V
 * shared memory counts its attaches this way, as Linux's vm_ops do): open
 * when a region comes to map the same thing (a new attach, fork's copy, a
 * split), close when one goes (munmap, shmdt, execve, exit). */
struct vm_region_ops {
    void (*open)(struct vm_region *r);
    void (*close)(struct vm_region *r);
};

struct vm_region {
    vaddr_t start, end;            /* page aligned, [start, end) */
    uint32_t prot;                 /* VM_READ | VM_WRITE | VM_EXEC */
    enum vm_kind kind;
    bool shared;                   /* MAP_SHARED: fork gives the child the same
                                      frames, writable, never copy-on-write */
    bool no_write;                 /* mprotect may not add VM_WRITE: a shared
                                      mapping of a file not open for writing */
    bool locked;                   /* mlock: every page has its frame and keeps it */
    bool accounted;                /* counted in the commit total (mm/commit.c) */
    struct file *file;             /* the open file mapped here (one reference,
                                      as Linux's vm_file), or NULL: anonymous
                                      memory. MAP_SHARED | MAP_ANONYMOUS maps a
                                      file with no name (fs: anon_file_open) */
    uint32_t pgoff;                /* the file's page number at start */
    const struct vm_region_ops *ops;   /* or NULL: nobody to tell */
    void *ops_data;                /* the owner's object (a shm segment) */
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
    bool lock_future;              /* mlockall(MCL_FUTURE): new regions are locked */
    char exe[64];                  /* the program's path, for /proc/<pid>/maps */
    vaddr_t arg_start, arg_end;    /* the argv strings execve put on the stack,
                                      and the envp strings after them: what
                                      /proc/<pid>/cmdline and environ read */
    vaddr_t env_start, env_end;
    vaddr_t start_stack;           /* the initial esp (argc's address), for
                                      /proc/<pid>/stat's startstack */
    uint16_t membarrier_registered;   /* the MEMBARRIER_CMD_REGISTER_* done
                                         (kernel/membarrier.c) */
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
    uint32_t locked_pages;         /* in mlocked regions (VmLck) */
    uint32_t anon_pages;           /* RSS in frames of its own (RssAnon) */
    uint32_t file_pages;           /* RSS in a file's frames (RssFile, RssShmem) */
};
void vm_usage(struct mm *mm, struct vm_usage *u);

/* ---- mm/vm.c (regions), mm/vm_layout.c (layout, stack, break),
 *      mm/vm_change.c (unmap, protect, split, discard) ---- */

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

/* May mm grow by pages more pages (data: private writable memory, not the
 * stack)? 0, or -ENOMEM past the calling process's RLIMIT_AS (all regions)
 * or, for data, RLIMIT_DATA (its private writable regions), as Linux's
 * may_expand_vm. vm_map, vm_map_file, vm_brk and stack growth ask. */
int vm_may_grow(struct mm *mm, uint32_t pages, bool data);

/* Add a region [start, end) of anonymous private memory with prot and kind.
 * With populate, map a zeroed frame on every page now (execve, which fills
 * them); without, the pages come on first touch. Returns 0, -ENOMEM (no
 * frame or no memory for the region), or -EINVAL (overlaps another region,
 * or not page aligned). On failure nothing is left behind. */
int vm_map(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot,
           enum vm_kind kind, bool populate);

/* The same, saying whether the region is charged to the commit total
 * (vm_map charges writable memory; mmap's MAP_NORESERVE asks not to). */
int vm_map_anon(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot,
                enum vm_kind kind, bool populate, bool account);

/* Map file f from its page pgoff at [start, end) (a free, page-aligned
 * range), shared or private, with prot; no_write: mprotect may never add
 * write (a shared mapping of a file not open for writing). The region takes
 * a reference on f. 0, -ENOMEM, -EINVAL. */
int vm_map_file(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot,
                struct file *f, uint32_t pgoff, bool shared, bool no_write);

/* Give every page of [start, end) its frame now, as a touch by the program
 * would (a write where the region is writable, else a read): MAP_POPULATE
 * and mlock. 0, -ENOMEM (out of frames: pages made so far stay, as on
 * Linux), -EFAULT (a page in no region, or one past a file's end). */
int vm_fault_in(struct mm *mm, vaddr_t start, vaddr_t end);

/* Map a zeroed frame on every page of [start, end) with the rights prot.
 * The pages must not be mapped yet. 0, or -ENOMEM with nothing mapped. */
int vm_populate(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot);

/* Make [start, end) valid for one of a program's segments with prot
 * (execve's loader): with populate every page backed by a zeroed frame now
 * (the part the file fills), without on first touch (the bss beyond it).
 * Two segments may share a page, in either order in the file: pages already
 * in a region keep it and the region gets the union of the rights (the whole
 * earlier region is widened, a simplification); the other pages get new
 * regions of kind. 0, -ENOMEM, or -EINVAL (not page aligned, or outside user
 * space). */
int vm_map_segment(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot,
                   enum vm_kind kind, bool populate);

/* Make every region inside [start, end) one of kind (execve: the segments
 * of a program's interpreter are a mapping, not the program's text). */
void vm_set_kind(struct mm *mm, vaddr_t start, vaddr_t end, enum vm_kind kind);

/* Remove every mapping in [start, end), splitting regions as needed. */
int vm_unmap(struct mm *mm, vaddr_t start, vaddr_t end);

/* If va lies inside a region (not at its start), split the region there,
 * so that va starts one. 0 or -ENOMEM. */
int vm_split_at(struct mm *mm, vaddr_t va);

/* Change the rights of [start, end) to prot, splitting regions as needed.
 * Every page must be in some region (-ENOMEM otherwise, as on Linux). */
int vm_protect(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot);

/* If va lies in a shared region (MAP_SHARED) of mm, the physical address
 * of its byte, which names the same word in every process that maps it
 * (a futex shared between processes is found by it): true and *pa. The
 * page is faulted in if it has no frame yet. */
bool vm_shared_address(struct mm *mm, vaddr_t va, paddr_t *pa);

/* Drop the frames of [start, end) but keep the regions: the next touch of
 * a page faults it in again, as the zero page, or from the file (madvise
 * MADV_DONTNEED). A shared region's contents stay in its file, so the next
 * touch sees them again. -ENOMEM if part of the range is in no region, as
 * on Linux; -EINVAL if private_only (MADV_FREE) and part of it is shared
 * or locked. */
int vm_discard(struct mm *mm, vaddr_t start, vaddr_t end, bool private_only);

/* A copy of region r, off every list, with its own reference on r's file
 * (fork, a split). NULL if out of memory. The caller sees to its charge. */
struct vm_region *vm_region_dup(const struct vm_region *r);

/* Region r's fields were just copied from another region's (a split): take
 * what a region holds, a reference on its file, and tell its owner
 * (ops->open). vm_region_dup does this itself. */
void vm_region_hold(struct vm_region *r);

/* Free a region that is off every list, giving back its commit charge (if
 * accounted) and its reference on the file, after telling its owner
 * (ops->close). */
void vm_region_free(struct vm_region *r);

/* Put region nr (whose range is free) in mm's list, in address order. */
void vm_insert_region(struct mm *mm, struct vm_region *nr);

/* Does no region of mm overlap [start, end)? (shmat asks, as mmap's
 * MAP_FIXED_NOREPLACE does.) */
bool range_is_free(struct mm *mm, vaddr_t start, vaddr_t end);

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

/* Read up to n bytes at user address va of mm (need not be the live one)
 * into dst, faulting pages in as mm's program would: returns how many were
 * read before the first page that is not mapped readable. (process_vm_readv) */
uint32_t vm_copy_in(struct mm *mm, vaddr_t va, void *dst, uint32_t n);

/* ---- mm/fault.c ---- */

/* Handle a page fault at addr in mm (err: the CPU's error code). Grows the
 * stack or (with copy-on-write) copies a shared page. Returns 0 if the access
 * may now be retried, -EFAULT if nothing is mapped at addr, -EACCES if a
 * region is but does not allow this access, -ENOMEM if no frame.
 * (The address space's side; the policy for the process is page_fault.) */
int vm_fault(struct mm *mm, vaddr_t addr, uint32_t err);

/* ---- mm/vm_file.c ---- */

/* The first touch of page va of file region r (a write if write): the
 * file's page, or a private copy of it. 0, -ENOMEM, or -ENXIO if the page
 * lies wholly past the end of the file (the fault becomes SIGBUS). */
int file_fault(struct mm *mm, struct vm_region *r, vaddr_t va, bool write);

/* Is page va of region r in memory (mincore)? A present entry, or a file
 * page the file has. */
bool vm_page_resident(struct mm *mm, struct vm_region *r, vaddr_t va);

/* File ip is now size bytes long (ftruncate): every page wholly past the
 * new end leaves every mapping of ip, private copies too, so that the next
 * touch finds nothing there (SIGBUS), as on Linux. */
void vm_file_cut(struct inode *ip, uint64_t size);

/* How fork copies an address space: mm/fork.h. */

#endif
