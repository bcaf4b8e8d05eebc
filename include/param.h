/* param.h: sizes and addresses that the whole kernel agrees on. */
#ifndef PARAM_H
#define PARAM_H

#define PAGE_SIZE       4096u
#define PAGE_SHIFT      12
#define PAGE_ROUND_DOWN(a) ((a) & ~(PAGE_SIZE - 1))
#define PAGE_ROUND_UP(a)   (((a) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

/*
 * The 3 GiB / 1 GiB split (as on Linux i386): user space is 0x00000000 to
 * 0xBFFFFFFF, the kernel lives above KERNEL_BASE, and physical address p is
 * mapped at KERNEL_BASE + p. Only the first DIRECT_MAP_LIMIT bytes of physical
 * memory are mapped that way (896 MiB, Linux's "low memory"): the top 128 MiB
 * of the address space stay free for device memory. Frames above the limit are
 * not used; the banner says so.
 */
#define KERNEL_BASE      0xC0000000u
#define DIRECT_MAP_LIMIT 0x38000000u

/* Physical <-> kernel virtual through the direct map (valid below the limit). */
#define P2V(pa) ((void *)((uintptr_t)(pa) + KERNEL_BASE))
#define V2P(va) ((uint32_t)((uintptr_t)(va) - KERNEL_BASE))

/* The kernel image is loaded at 1 MiB; nothing below 1 MiB is ever allocated. */
#define KERNEL_LOAD_PHYS 0x00100000u

/* Timer interrupts per second. */
#define HZ 100

/* Status the kernel leaves QEMU with after a panic (sysexits.h: EX_SOFTWARE). */
#define PANIC_EXIT_STATUS 70

/* ---- processes and user address spaces ---- */

#define KSTACK_PAGES   2             /* kernel stack of each process: 8 KiB */
#define USER_TOP       KERNEL_BASE   /* user addresses are below this */
#define USER_STACK_TOP USER_TOP      /* the stack grows down from here */
#define STACK_LIMIT    (8u << 20)    /* how far it may grow: 8 MiB, Linux's default */
#define STACK_INITIAL  (32u * 1024)  /* mapped at execve (arguments go here) */
#define STACK_GUARD_GAP (1u << 20)   /* kept free below the stack limit */
/* mmap places mappings below the stack's reach, from here downwards. */
#define MMAP_BASE      (USER_STACK_TOP - STACK_LIMIT - STACK_GUARD_GAP)
/* A position-independent program (ET_DYN: a PIE, or a static PIE) is
 * placed here, plus a random amount (Linux's ELF_ET_DYN_BASE for 32-bit
 * programs); its interpreter goes in the mmap area. */
#define ELF_ET_DYN_BASE 0x00400000u
#define NOFILE         256           /* file descriptors per process */

#endif
