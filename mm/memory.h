/* memory.h: bringing up physical memory at boot. */
#ifndef MEMORY_H
#define MEMORY_H

#include "mm/frame.h"

/* What memory_init found, for the boot banner. */
struct memory_report {
    uint64_t ram_bytes;        /* RAM in the boot loader's map */
    uint64_t top;              /* end of managed memory (<= DIRECT_MAP_LIMIT) */
    uint64_t unused_bytes;     /* RAM above the direct-map limit, left alone */
    paddr_t table_at;          /* where the frame table went */
    size_t table_bytes;
};

/* Start the frame allocator from the boot memory map and finish the kernel's
 * page directory. `reserved` lists what is already in use (kernel image,
 * boot modules); the frame table is placed clear of it. Panics if no room. */
void memory_init(const struct phys_range *usable, int nusable,
                 const struct phys_range *reserved, int nreserved,
                 struct memory_report *report);

/* The end of the direct map: kernel virtual addresses from KERNEL_BASE up to
 * this are mapped (for checks such as the backtrace's). */
uint32_t memory_mapped_end(void);

#endif
