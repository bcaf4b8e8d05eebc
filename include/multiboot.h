/* multiboot.h: the parts of the Multiboot 1 information structure that
 * bunshin reads (Multiboot Specification 0.6.96, section 3.3). All addresses
 * in it are physical. */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H

#include "types.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u

/* Bits of multiboot_info.flags: which fields are valid. */
#define MB_INFO_MEMORY   (1u << 0)   /* mem_lower, mem_upper */
#define MB_INFO_CMDLINE  (1u << 2)
#define MB_INFO_MODS     (1u << 3)
#define MB_INFO_MMAP     (1u << 6)
#define MB_INFO_LOADER   (1u << 9)   /* boot_loader_name */

struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;   /* KiB below 1 MiB, KiB above 1 MiB */
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
} __attribute__((packed));

struct multiboot_module {
    uint32_t mod_start, mod_end;     /* [start, end) */
    uint32_t string;                 /* the words after the module's path */
    uint32_t reserved;
} __attribute__((packed));

/* One memory-map entry. "size" does not count itself: the next entry starts
 * size + 4 bytes further on. */
struct multiboot_mmap_entry {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __attribute__((packed));

#define MB_MEMORY_AVAILABLE 1

#endif
