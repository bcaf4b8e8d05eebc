/* bootinfo.c: read the Multiboot information structure. */
#include "boot/bootinfo.h"
#include "multiboot.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"

struct bootinfo bootinfo;

/* Copy a NUL-terminated string at physical address pa into buf. */
static void copy_phys_string(char *buf, size_t size, paddr_t pa)
{
    const char *s = (const char *)P2V(pa);
    strlcpy(buf, s, size);
}

static void read_memory_map(const struct multiboot_info *mbi)
{
    uint32_t off = 0;
    while (off + sizeof(struct multiboot_mmap_entry) <= mbi->mmap_length) {
        const struct multiboot_mmap_entry *e = P2V(mbi->mmap_addr + off);
        if (e->type == MB_MEMORY_AVAILABLE && e->len > 0 &&
            bootinfo.nusable < BOOT_MAX_RANGES) {
            struct phys_range *r = &bootinfo.usable[bootinfo.nusable++];
            r->start = e->addr;
            r->end = e->addr + e->len;
            bootinfo.ram_bytes += e->len;
        }
        off += e->size + 4;
    }
}

void bootinfo_read(uint32_t magic, paddr_t mbi_phys)
{
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
        panic("not started by a Multiboot loader (eax = %#x)", magic);

    const struct multiboot_info *mbi = P2V(mbi_phys);

    if (mbi->flags & MB_INFO_LOADER)
        copy_phys_string(bootinfo.loader, sizeof bootinfo.loader, mbi->boot_loader_name);
    else
        strlcpy(bootinfo.loader, "unknown loader", sizeof bootinfo.loader);

    if (mbi->flags & MB_INFO_CMDLINE)
        copy_phys_string(bootinfo.cmdline, sizeof bootinfo.cmdline, mbi->cmdline);

    if (mbi->flags & MB_INFO_MMAP) {
        read_memory_map(mbi);
    } else if (mbi->flags & MB_INFO_MEMORY) {
        /* No map: fall back to "mem_upper KiB from 1 MiB". */
        bootinfo.usable[0].start = 0x100000;
        bootinfo.usable[0].end = 0x100000 + (uint64_t)mbi->mem_upper * 1024;
        bootinfo.nusable = 1;
        bootinfo.ram_bytes = (uint64_t)mbi->mem_upper * 1024;
    } else {
        panic("the boot loader gave no memory information");
    }

    if (mbi->flags & MB_INFO_MODS) {
        const struct multiboot_module *m = P2V(mbi->mods_addr);
        for (uint32_t i = 0; i < mbi->mods_count && i < BOOT_MAX_MODULES; i++) {
            struct boot_module *bm = &bootinfo.modules[bootinfo.nmodules++];
            bm->start = m[i].mod_start;
            bm->end = m[i].mod_end;
            if (m[i].string)
                copy_phys_string(bm->name, sizeof bm->name, m[i].string);
        }
    }
}
