/* frame.h: physical memory, one 4 KiB frame at a time.
 *
 * Every frame has a reference count: how many mappings or kernel objects use
 * it. A fresh frame has count 1; frame_incref adds a user (fork shares a page
 * between parent and child this way); frame_decref drops one and frees the
 * frame when the count reaches 0. Copy-on-write reads the count to decide
 * whether a write fault must copy (count > 1) or may just take the page back.
 *
 * Frames that are not RAM, or hold the kernel, the boot modules or this
 * allocator's own table, are marked reserved and never handed out. The first
 * MiB is always reserved (BIOS data, VGA memory, ROMs).
 *
 * Pure bookkeeping: no hardware access, so tests/unit builds it on the host. */
#ifndef FRAME_H
#define FRAME_H

#include "types.h"

/* A range of physical addresses [start, end). 64-bit: the memory map may list
 * RAM above 4 GiB, which bunshin skips. */
struct phys_range {
    uint64_t start, end;
};

/* Bytes of table frames_init needs to manage frames below top (a physical
 * address, rounded up to a page). */
size_t frames_table_size(uint64_t top);

/* Choose where the table goes: the lowest page-aligned spot of `bytes` bytes
 * inside a usable range that overlaps no reserved range. Returns its physical
 * address, or 0 if no such spot exists. */
paddr_t frames_table_place(const struct phys_range *usable, int nusable,
                           const struct phys_range *reserved, int nreserved,
                           size_t bytes);

/* Start the allocator. `table` must hold frames_table_size(top) bytes; it is
 * one 16-bit count per frame. Frames fully inside a usable range, below top,
 * at or above 1 MiB and in no reserved range become free; all others reserved.
 * The caller lists the table itself among the reserved ranges. */
void frames_init(const struct phys_range *usable, int nusable,
                 const struct phys_range *reserved, int nreserved,
                 uint64_t top, uint16_t *table);

/* Take a free frame (count 1). Returns its physical address, or 0 when none
 * is free (0 is never a valid frame: the first MiB is reserved). The frame's
 * contents are whatever was there before. */
paddr_t frame_alloc(void);

/* Take n physically contiguous free frames, each with count 1; 0 if there is
 * no run that long. For kernel stacks and other multi-page kernel objects. */
paddr_t frames_alloc_contig(uint32_t n);

/* Add a user to an allocated frame. Returns the new count. */
uint32_t frame_incref(paddr_t pa);

/* Drop a user; the frame is free again when the count reaches 0. Returns the
 * new count. Dropping a free or reserved frame is a kernel bug: it panics. */
uint32_t frame_decref(paddr_t pa);

/* The count of the frame at pa: 0 free, FRAME_RESERVED reserved. */
uint32_t frame_refcount(paddr_t pa);
#define FRAME_RESERVED 0xFFFFu

/* Hand reserved frames in [start, end) to the allocator as free (for boot
 * memory that is no longer needed, such as the unpacked initrd). */
void frames_release(paddr_t start, paddr_t end);

uint32_t frames_free(void);      /* frames free now */
uint32_t frames_total(void);     /* frames the allocator manages (free or in use) */

#endif
