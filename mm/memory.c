/* memory.c: from the boot memory map to a working frame allocator. */
#include "mm/memory.h"
#include "mm/paging.h"
#include "param.h"
#include "printk.h"

#define MAX_RANGES 32

static uint64_t mapped_top;

uint32_t memory_mapped_end(void)
{
    return KERNEL_BASE + (uint32_t)mapped_top;
}

void memory_init(const struct phys_range *usable, int nusable,
                 const struct phys_range *reserved, int nreserved,
                 struct memory_report *report)
{
    struct phys_range ram[MAX_RANGES];
    struct phys_range busy[MAX_RANGES + 1];
    int nram = 0;

    report->ram_bytes = 0;
    report->unused_bytes = 0;
    report->top = 0;

    /* Only memory the kernel can reach through the direct map is managed. */
    for (int i = 0; i < nusable && nram < MAX_RANGES; i++) {
        report->ram_bytes += usable[i].end - usable[i].start;
        struct phys_range r = usable[i];
        if (r.end > DIRECT_MAP_LIMIT) {
            uint64_t cut_from = r.start > DIRECT_MAP_LIMIT ? r.start : DIRECT_MAP_LIMIT;
            report->unused_bytes += r.end - cut_from;
            r.end = DIRECT_MAP_LIMIT;
        }
        if (r.start >= r.end)
            continue;
        ram[nram++] = r;
        if (r.end > report->top)
            report->top = r.end;
    }
    report->top = PAGE_ROUND_UP(report->top);

    int nbusy = 0;
    for (int i = 0; i < nreserved && nbusy < MAX_RANGES; i++)
        busy[nbusy++] = reserved[i];

    report->table_bytes = frames_table_size(report->top);
    report->table_at = frames_table_place(ram, nram, busy, nbusy, report->table_bytes);
    if (report->table_at == 0)
        panic("no room for the frame table (%u bytes)", (unsigned)report->table_bytes);
    busy[nbusy].start = report->table_at;
    busy[nbusy].end = report->table_at + report->table_bytes;
    nbusy++;

    frames_init(ram, nram, busy, nbusy, report->top, P2V(report->table_at));
    paging_init(report->top);
    zero_frame_init();
    /* paging_init maps whole 4 MiB pages. */
    mapped_top = (report->top + (4u << 20) - 1) & ~(uint64_t)((4u << 20) - 1);
}
