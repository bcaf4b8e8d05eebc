/* bootinfo.h: what the boot loader told us, copied out of the Multiboot
 * structure into kernel variables before any memory is handed out (the loader
 * may have put that structure in memory the frame allocator will reuse). */
#ifndef BOOTINFO_H
#define BOOTINFO_H

#include "types.h"
#include "mm/frame.h"

#define BOOT_MAX_RANGES  32
#define BOOT_MAX_MODULES 8
#define BOOT_CMDLINE_MAX 1024

struct boot_module {
    paddr_t start, end;         /* [start, end), page aligned start */
    char name[64];              /* the module's command line, e.g. "initrd" */
};

struct bootinfo {
    char loader[64];                              /* "GRUB 2.06", "qemu" */
    char cmdline[BOOT_CMDLINE_MAX];
    struct phys_range usable[BOOT_MAX_RANGES];    /* RAM the map calls available */
    int nusable;
    struct boot_module modules[BOOT_MAX_MODULES];
    int nmodules;
    uint64_t ram_bytes;                           /* sum of the usable ranges */
};

extern struct bootinfo bootinfo;

/* Copy the Multiboot information at physical address mbi_phys into bootinfo.
 * Must run while the boot page directory still maps all of low memory. */
void bootinfo_read(uint32_t magic, paddr_t mbi_phys);

#endif
