/* main.c: kmain, where the kernel's C code begins. boot/boot.asm calls it
 * with paging on, running at 0xC01xxxxx on the boot stack, interrupts off. */
#include "boot/bootinfo.h"
#include "drivers/clock.h"
#include "boot/cmdline.h"
#include "drivers/console.h"
#include "kernel/fpu.h"
#include "kernel/gdt.h"
#include "drivers/pic.h"
#include "kernel/proc.h"
#include "drivers/qemu.h"
#include "kernel/selftest.h"
#include "drivers/timer.h"
#include "kernel/trap.h"
#include "drivers/tty.h"
#include "fs/fs.h"
#include "mm/frame.h"
#include "mm/memory.h"
#include "mm/commit.h"
#include "mm/paging.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

#include "version.h"             /* build/version.h, written by the Makefile */

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
    printk("protection: SMEP %s, SMAP %s (docs/hardening.md)\n",
           smep_enabled ? "on" : "off: not in this CPU",
           smap_enabled ? "on" : "off: not in this CPU");
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

/* Fill the root file system: /dev, /proc, then the initrd (the first module,
 * or the one GRUB's menu calls "initrd"), whose frames are then given back. */
static void root_fs_init(void)
{
    fs_init();
    devfs_init();
    procfs_init();
    struct boot_module *initrd = 0;
    for (int i = 0; i < bootinfo.nmodules; i++)
        if (!initrd || strcmp(bootinfo.modules[i].name, "initrd") == 0)
            initrd = &bootinfo.modules[i];
    if (!initrd) {
        printk("initrd: none given; the root file system has only /dev and /proc\n");
        return;
    }
    uint32_t free0 = frames_free();
    int n = initrd_unpack(P2V(initrd->start), initrd->end - initrd->start);
    uint32_t used = free0 - frames_free();
    frames_release(PAGE_ROUND_DOWN(initrd->start), PAGE_ROUND_UP(initrd->end));
    printk("initrd: %d files and directories unpacked (%u KiB), module frames given back\n",
           n, used * (PAGE_SIZE / 1024));
}

/* /bin/init's arguments: the program to run (init=, default /bin/sh) and the
 * words after -- on the command line. */
static char *init_argv[CMDLINE_MAX_ARGS + 3];

static void start_init(void)
{
    int n = 0;
    init_argv[n++] = "/bin/init";
    init_argv[n++] = boot_options.init[0] ? boot_options.init : "/bin/sh";
    for (int i = 0; i < boot_options.init_argc; i++)
        init_argv[n++] = boot_options.init_argv[i];
    init_argv[n] = 0;
    proc_start_init("/bin/init", init_argv);
}

void kmain(uint32_t magic, paddr_t mbi)
{
    struct phys_range reserved[1 + BOOT_MAX_MODULES];

    console_init();
    bootinfo_read(magic, mbi);
    cmdline_parse(bootinfo.cmdline, &boot_options);
    overcommit_mode = boot_options.overcommit;
    gdt_init();
    trap_init();
    int nreserved = list_reserved(reserved);
    memory_init(bootinfo.usable, bootinfo.nusable, reserved, nreserved, &memory);
    proc_init(frames_total());
    print_banner();
    fpu_init();
    pic_init();
    timer_init(HZ);
    wait_first_tick();
    clock_init();

    if (boot_options.selftest) {
        int failed = selftest_run(boot_options.selftest_names);
        printk("bunshin: self tests done, %d failed; leaving QEMU with status %d\n",
               failed, failed ? 1 : 0);
        qemu_exit(failed ? 1 : 0);
    }

    root_fs_init();
    tty_init();
    start_init();
    scheduler();
}
