/* main.c: kmain, where the kernel's C code begins. boot/boot.asm calls it
 * with paging on, running at 0xC01xxxxx on the boot stack, interrupts off. */
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/gdt.h"
#include "kernel/pic.h"
#include "kernel/qemu.h"
#include "kernel/selftest.h"
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "mm/frame.h"
#include "mm/memory.h"
#include "mm/paging.h"
#include "param.h"
#include "printk.h"
#include "x86.h"

#ifndef BUNSHIN_VERSION
#define BUNSHIN_VERSION "unknown"
#endif

/* Linker-script symbols: their addresses are the image's bounds. */
extern char _kernel_start[], _kernel_end[];

static struct memory_report memory;

/* Everything that is in use before the frame allocator starts: the kernel
 * image from 1 MiB on (its .boot part sits below _kernel_start) and the
 * modules. The Multiboot structures themselves were copied out already. */
static int list_reserved(struct phys_range *r)
{
    int n = 0;
    r[n].start = KERNEL_LOAD_PHYS;
    r[n].end = V2P(_kernel_end);
    n++;
    for (int i = 0; i < bootinfo.nmodules; i++) {
        r[n].start = PAGE_ROUND_DOWN(bootinfo.modules[i].start);
        r[n].end = PAGE_ROUND_UP((uint64_t)bootinfo.modules[i].end);
        n++;
    }
    return n;
}

static void print_banner(void)
{
    printk("bunshin %s: a teaching kernel about making processes\n", BUNSHIN_VERSION);
    printk("booted by %s\n", bootinfo.loader);
    printk("memory: %llu KiB of RAM in %d ranges:\n", bootinfo.ram_bytes / 1024, bootinfo.nusable);
    for (int i = 0; i < bootinfo.nusable; i++)
        printk("  0x%08llx-0x%08llx  %llu KiB\n", bootinfo.usable[i].start,
               bootinfo.usable[i].end - 1,
               (bootinfo.usable[i].end - bootinfo.usable[i].start) / 1024);
    printk("kernel: %#x-%#x (%u KiB)\n", KERNEL_LOAD_PHYS, V2P(_kernel_end),
           (V2P(_kernel_end) - KERNEL_LOAD_PHYS) / 1024);
    printk("frames: %u free of %u managed (%u KiB), table of %u bytes at %#x\n",
           frames_free(), frames_total(), frames_total() * (PAGE_SIZE / 1024),
           (unsigned)memory.table_bytes, memory.table_at);
    if (memory.unused_bytes)
        printk("frames: %llu KiB above %u MiB not used (beyond the direct map)\n",
               memory.unused_bytes / 1024, DIRECT_MAP_LIMIT >> 20);
    printk("command line: %s\n", bootinfo.cmdline[0] ? bootinfo.cmdline : "(none)");
    printk("modules: %d\n", bootinfo.nmodules);
    for (int i = 0; i < bootinfo.nmodules; i++)
        printk("  module %d: %#x-%#x (%u bytes) %s\n", i, bootinfo.modules[i].start,
               bootinfo.modules[i].end, bootinfo.modules[i].end - bootinfo.modules[i].start,
               bootinfo.modules[i].name);
    for (int i = 0; i < boot_options.nerrors && i < CMDLINE_MAX_ERRORS; i++)
        printk("command line: error: %s\n", boot_options.errors[i]);
    if (boot_options.nerrors > CMDLINE_MAX_ERRORS)
        printk("command line: error: ... and %d more\n", boot_options.nerrors - CMDLINE_MAX_ERRORS);
}

/* Wait for the first timer interrupt, to show that interrupts work. */
static void wait_first_tick(void)
{
    uint64_t start = rdtsc();
    sti();
    while (timer_ticks() == 0)
        hlt();
    printk("timer: %d Hz, first tick after %llu TSC cycles\n", HZ, rdtsc() - start);
}

void kmain(uint32_t magic, paddr_t mbi)
{
    struct phys_range reserved[1 + BOOT_MAX_MODULES];

    console_init();
    bootinfo_read(magic, mbi);
    cmdline_parse(bootinfo.cmdline, &boot_options);
    gdt_init();
    trap_init();
    memory_init(bootinfo.usable, bootinfo.nusable, reserved, list_reserved(reserved), &memory);
    print_banner();
    pic_init();
    timer_init(HZ);
    wait_first_tick();

    if (boot_options.selftest) {
        int failed = selftest_run(boot_options.selftest_names);
        printk("bunshin: self tests done, %d failed; leaving QEMU with status %d\n",
               failed, failed ? 1 : 0);
        qemu_exit(failed ? 1 : 0);
    }

    printk("bunshin: booted; no user programs yet, so the kernel idles "
           "(quit QEMU with Ctrl-A X)\n");
    for (;;)
        sti_hlt();
}
