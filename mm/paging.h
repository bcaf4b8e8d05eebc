/* paging.h: i386 two-level page tables.
 *
 * A virtual address splits into 10 bits of directory index, 10 bits of table
 * index and 12 bits of offset. The page directory (one frame, 1024 entries)
 * points at page tables (one frame each, 1024 entries), which point at frames.
 * Entries 768..1023 of every directory belong to the kernel: they map physical
 * memory at KERNEL_BASE with 4 MiB pages, copied from kernel_pgdir into each
 * new directory, so the kernel is at the same place in every address space.
 *
 * Ownership rule: a present user page-table entry holds one reference on its
 * frame (frame.h). page_map takes over the caller's reference; page_unmap and
 * pgdir_free drop it.
 */
#ifndef PAGING_H
#define PAGING_H

#include "types.h"
#include "param.h"

typedef uint32_t pde_t;
typedef uint32_t pte_t;

#define PTE_P   0x001u   /* present */
#define PTE_W   0x002u   /* writable */
#define PTE_U   0x004u   /* user may access */
#define PTE_A   0x020u   /* accessed (set by the CPU) */
#define PTE_D   0x040u   /* dirty (set by the CPU) */
#define PTE_PS  0x080u   /* in a directory entry: a 4 MiB page */
#define PTE_G   0x100u   /* global: kept in the TLB across CR3 loads */
#define PTE_COW 0x200u   /* one of the three bits the CPU leaves to software:
                            bunshin's copy-on-write mark */

#define PDX(va)      (((vaddr_t)(va) >> 22) & 0x3FF)   /* directory index */
#define PTX(va)      (((vaddr_t)(va) >> 12) & 0x3FF)   /* table index */
#define PTE_ADDR(e)  ((paddr_t)(e) & ~0xFFFu)           /* frame address in an entry */
#define KERNEL_PDX   PDX(KERNEL_BASE)                   /* 768: first kernel entry */

/* The end of the stretch [va, end) that one page table covers: end, or the
 * next 4 MiB boundary if that comes first. For loops that walk a range one
 * page table at a time. */
static inline vaddr_t table_run_end(vaddr_t va, vaddr_t end)
{
    vaddr_t next = (va & ~0x3FFFFFu) + 0x400000u;
    return (next == 0 || end < next) ? end : next;     /* next == 0: wrapped at 4 GiB */
}

/* The zero page: one frame of zeros, made at boot. A read of anonymous
 * memory that was never written maps it, read-only (copy-on-write where the
 * region is writable), in place of a frame of its own: reading a big
 * reservation costs no memory. It is mapped at any number of places, more
 * than a frame's 16-bit count could hold, so it is never counted: its count
 * stays 2 for good, which also makes every "count > 1" test treat it as
 * shared. */
extern paddr_t zero_frame;

/* Take or drop the reference a present user page-table entry holds on its
 * frame pa (frame_incref, frame_decref), except for the zero page. */
void user_frame_get(paddr_t pa);
void user_frame_put(paddr_t pa);

/* The kernel's own directory, filled by boot/boot.asm. */
extern pde_t kernel_pgdir[1024];

/* Finish the kernel's directory: remove the boot identity map, unmap the
 * direct map beyond ram_top, make the kernel's text and read-only data
 * read-only, mark kernel pages global, and turn on SMEP and SMAP where the
 * CPU has them. */
void paging_init(uint64_t ram_top);
/* Make the zero page (after the frame allocator is up). */
void zero_frame_init(void);

/* 1 when SMAP is on (trap_entry.asm reads it too): the kernel must then
 * bracket its own accesses to user pages with stac and clac. */
extern uint32_t smap_enabled;
/* True when SMEP is on: the kernel cannot execute user pages. */
extern bool smep_enabled;

/* The page-table entry for va in pgdir. Without a page table there, returns
 * NULL, or with create allocates a zeroed one (NULL if out of frames).
 * With create the caller means to change the entry: a shared table is
 * unshared first (NULL if out of frames). Without it, the entry is for
 * reading, or for changing only where the caller unshared the table.
 * va must be a user address. */
pte_t *page_walk(pde_t *pgdir, vaddr_t va, bool create);

/* Map the page at user address va to frame pa with flags (PTE_W, PTE_U...).
 * Takes over one reference to pa. Returns 0, -ENOMEM (no frame for a page
 * table) or -EEXIST (va already mapped; nothing changed). */
int page_map(pde_t *pgdir, vaddr_t va, paddr_t pa, uint32_t flags);

/* Remove the mapping of va, dropping its frame reference and flushing the TLB
 * entry. Returns the old entry (0 if nothing was mapped). */
pte_t page_unmap(pde_t *pgdir, vaddr_t va);

/* Page tables shared between address spaces (fork=odf; mm/table_share.c).
 * A user directory entry without PTE_W points at a table that is, or was,
 * shared: its frame's count is the number of directories pointing at it,
 * and nobody changes its entries. Before changing an entry under va, call
 * table_unshare. */

/* How many address spaces use the page table under va: 0 (none there), 1,
 * or more when it is shared. */
uint32_t table_sharers(pde_t *pgdir, vaddr_t va);

/* Share table d of from with to (whose entry d must be empty): both
 * directory entries lose PTE_W, the table's count goes up. The caller
 * flushes from's TLB. */
void table_share(pde_t *from, pde_t *to, uint32_t d);

/* Give pgdir a page table of its own under va: copy a shared one (frame
 * counts up, writable entries copy-on-write in both), or take back one that
 * nobody else uses any more. Returns 1 if the directory entry changed (the
 * TLB is flushed if pgdir is live), 0 if there was nothing to do, -ENOMEM. */
int table_unshare(pde_t *pgdir, vaddr_t va);

/* table_unshare for every table under [start, end): 0 or -ENOMEM (tables
 * given so far stay given: harmless). */
int tables_unshare(pde_t *pgdir, vaddr_t start, vaddr_t end);

/* Before unmapping [start, end): unshare the tables it covers in part, and
 * let go of the shared tables it covers whole (nothing of them stays mapped
 * here). 0, or -ENOMEM with nothing changed that anyone could see. */
int tables_prepare_unmap(pde_t *pgdir, vaddr_t start, vaddr_t end);

/* If directory entry d of pgdir is a table others share too, drop this
 * directory's share (its entries are theirs) and return true. For freeing
 * a whole address space. */
bool table_drop_shared(pde_t *pgdir, uint32_t d);

/* A new, empty address space: a directory whose kernel half is a copy of
 * kernel_pgdir. Returns its kernel virtual address, or NULL if out of frames. */
pde_t *pgdir_create(void);

/* Free an address space made by pgdir_create: drop every user mapping, free
 * its page tables and the directory. It must not be the one in CR3. */
void pgdir_free(pde_t *pgdir);

/* Make pgdir the current address space (load CR3). */
void pgdir_switch(pde_t *pgdir);

/* The directory in CR3 now, as a kernel virtual address. */
pde_t *pgdir_current(void);

#endif
