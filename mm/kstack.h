/* kstack.h: kernel stacks, each with an unmapped guard page below it.
 *
 * Each process has a kernel stack of KSTACK_PAGES pages: its system calls
 * and traps run there. If kernel stacks lay in the direct map, as the rest
 * of the kernel's memory does, one that overflowed would quietly overwrite
 * whatever frame came below it. So they live apart, in an area of virtual
 * addresses above the direct map, one slot per process-table slot: a page
 * that is never mapped (the guard), then the stack's pages. An overflow
 * touches the guard page and faults; the CPU cannot push that fault's frame
 * on the same stack either, so it raises a double fault, which runs on a
 * stack of its own (kernel/trap.c) and reports it.
 */
#ifndef KSTACK_H
#define KSTACK_H

#include "types.h"
#include "param.h"

#define KSTACK_AREA  (KERNEL_BASE + DIRECT_MAP_LIMIT)   /* 0xF8000000 */
#define KSTACK_SIZE  (KSTACK_PAGES * PAGE_SIZE)
#define KSTACK_SLOT  (PAGE_SIZE + KSTACK_SIZE)          /* the guard page, then the stack */
#define KSTACK_AREA_END 0xFFFFF000u                    /* the last page stays unmapped */
#define KSTACK_MAX_SLOTS ((KSTACK_AREA_END - KSTACK_AREA) / KSTACK_SLOT)

/* Make the page tables for nslots slots and put them in kernel_pgdir. Runs
 * at boot, before any page directory is made: each copies the kernel's
 * entries, these among them. Panics if memory or addresses run out. */
void kstack_init(uint32_t nslots);

/* Map fresh frames for the stack of slot; returns its lowest address (the
 * stack grows down from that + KSTACK_SIZE), or NULL if out of frames. */
uint8_t *kstack_alloc(uint32_t slot);

/* Unmap slot's stack and give its frames back. */
void kstack_free(uint32_t slot);

/* The slot whose guard page holds addr, or -1. */
int kstack_guard_slot(vaddr_t addr);

/* True if [addr, addr + n) lies in the mapped part of one slot's stack. */
bool kstack_contains(vaddr_t addr, uint32_t n);

#endif
