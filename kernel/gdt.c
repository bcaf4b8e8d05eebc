/* gdt.c: build the global descriptor table and the TSS. */
#include "kernel/gdt.h"
#include "kernel/proc.h"
#include "kernel/trap.h"
#include "mm/paging.h"
#include "lib/string.h"

/* One 8-byte segment descriptor, in the CPU's scattered layout
 * (Intel SDM vol. 3, 3.4.5). */
struct segdesc {
    uint16_t limit_low;
    uint16_t base_low;
    uint8_t base_mid;
    uint8_t access;        /* present, privilege, type */
    uint8_t limit_flags;   /* limit 19:16, then granularity and size bits */
    uint8_t base_high;
} __attribute__((packed));

/* The 32-bit TSS (Intel SDM vol. 3, 7.2.1). bunshin switches processes in
 * software, so the kernel's TSS serves for ss0:esp0 (the stack of a trap
 * from ring 3) and the I/O map base. The one hardware task switch is the
 * double fault's: the CPU saves every register in the kernel's TSS and
 * loads them all from df_tss, which gives the handler a stack of its own. */
struct tss {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2;
    uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap_base;
} __attribute__((packed));

struct gdt_pointer {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

/* Access-byte values. */
#define SEG_PRESENT  0x80
#define SEG_DPL(n)   ((n) << 5)
#define SEG_CODEDATA 0x10      /* a code or data segment (not a system one) */
#define SEG_CODE     0x0A      /* execute/read */
#define SEG_DATA     0x02      /* read/write */
#define SEG_TSS32    0x09      /* available 32-bit TSS */
/* Flags nibble: 4 KiB granularity, 32-bit. */
#define SEG_FLAGS_4K_32 0xC

static struct segdesc gdt[GDT_ENTRIES];
static struct tss tss;
static struct tss df_tss;
static uint8_t df_stack[4096] __attribute__((aligned(16)));

extern pde_t kernel_pgdir[1024];

static struct segdesc make_desc(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    struct segdesc d;
    d.limit_low = (uint16_t)(limit & 0xFFFF);
    d.base_low = (uint16_t)(base & 0xFFFF);
    d.base_mid = (uint8_t)((base >> 16) & 0xFF);
    d.access = access;
    d.limit_flags = (uint8_t)(((limit >> 16) & 0x0F) | (flags << 4));
    d.base_high = (uint8_t)(base >> 24);
    return d;
}

void gdt_init(void)
{
    /* Flat segments: base 0, limit 0xFFFFF pages = 4 GiB. */
    gdt[GDT_KERNEL_CODE] = make_desc(0, 0xFFFFF,
        SEG_PRESENT | SEG_DPL(0) | SEG_CODEDATA | SEG_CODE, SEG_FLAGS_4K_32);
    gdt[GDT_KERNEL_DATA] = make_desc(0, 0xFFFFF,
        SEG_PRESENT | SEG_DPL(0) | SEG_CODEDATA | SEG_DATA, SEG_FLAGS_4K_32);
    gdt[GDT_USER_CODE] = make_desc(0, 0xFFFFF,
        SEG_PRESENT | SEG_DPL(3) | SEG_CODEDATA | SEG_CODE, SEG_FLAGS_4K_32);
    gdt[GDT_USER_DATA] = make_desc(0, 0xFFFFF,
        SEG_PRESENT | SEG_DPL(3) | SEG_CODEDATA | SEG_DATA, SEG_FLAGS_4K_32);

    memset(&tss, 0, sizeof tss);
    tss.ss0 = KERNEL_DS;
    tss.iomap_base = sizeof tss;   /* beyond the limit: no I/O permission map */
    gdt[GDT_TSS] = make_desc((uint32_t)&tss, sizeof tss - 1,
                             SEG_PRESENT | SEG_DPL(0) | SEG_TSS32, 0);
    /* gdt[GDT_TLS] stays empty (not present) until a program sets it. */

    /* The double fault's task: kernel segments, the kernel's page
     * directory, interrupts off, its own stack, starting in double_fault. */
    memset(&df_tss, 0, sizeof df_tss);
    df_tss.eip = (uint32_t)double_fault;
    df_tss.esp = (uint32_t)(df_stack + sizeof df_stack);
    df_tss.cs = KERNEL_CS;
    df_tss.ds = df_tss.es = df_tss.fs = df_tss.gs = df_tss.ss = KERNEL_DS;
    df_tss.cr3 = V2P(kernel_pgdir);
    df_tss.eflags = 0x2;                   /* bit 1 is always set; IF clear */
    df_tss.iomap_base = sizeof df_tss;
    gdt[GDT_DF_TSS] = make_desc((uint32_t)&df_tss, sizeof df_tss - 1,
                                SEG_PRESENT | SEG_DPL(0) | SEG_TSS32, 0);

    struct gdt_pointer gp = { sizeof gdt - 1, (uint32_t)gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "ljmp %1, $1f\n"          /* a far jump is the only way to reload CS */
        "1:\n\t"
        "mov %2, %%ax\n\t"
        "mov %%ax, %%ds\n\t"
        "mov %%ax, %%es\n\t"
        "mov %%ax, %%fs\n\t"
        "mov %%ax, %%gs\n\t"
        "mov %%ax, %%ss\n\t"
        "mov %3, %%ax\n\t"
        "ltr %%ax"
        : : "m"(gp), "i"(KERNEL_CS), "i"(KERNEL_DS), "i"(TSS_SEL) : "eax", "memory");
}

void tss_set_kernel_stack(uint32_t esp0)
{
    tss.esp0 = esp0;
}

void tss_interrupted(uint32_t *eip, uint32_t *esp, uint32_t *ebp)
{
    *eip = tss.eip;
    *esp = tss.esp;
    *ebp = tss.ebp;
}

/* Bits of user_desc.flags (Linux's asm/ldt.h). */
#define UD_SEG_32BIT       0x01
#define UD_CONTENTS        0x06     /* 0 data, 1 data expand-down, 2 code */
#define UD_READ_EXEC_ONLY  0x08
#define UD_LIMIT_IN_PAGES  0x10
#define UD_SEG_NOT_PRESENT 0x20
#define UD_USEABLE         0x40

bool gdt_tls_valid(const struct user_desc *u)
{
    /* contents 3 (conforming code) is refused by Linux too. */
    return ((u->flags & UD_CONTENTS) >> 1) != 3;
}

void gdt_set_tls(const struct user_desc *u)
{
    if (u->flags & UD_SEG_NOT_PRESENT || (u->base_addr == 0 && u->limit == 0 && u->flags == 0)) {
        memset(&gdt[GDT_TLS], 0, sizeof gdt[GDT_TLS]);   /* an empty slot */
        return;
    }
    uint32_t contents = (u->flags & UD_CONTENTS) >> 1;
    uint8_t type = contents == 2 ? SEG_CODE : SEG_DATA;
    if (u->flags & UD_READ_EXEC_ONLY)
        type &= (uint8_t)~0x2;            /* data: read-only; code: execute-only */
    if (contents == 1)
        type |= 0x4;                      /* expand-down data */
    uint8_t flags = (uint8_t)(((u->flags & UD_LIMIT_IN_PAGES) ? 0x8 : 0) |
                              ((u->flags & UD_SEG_32BIT) ? 0x4 : 0) |
                              ((u->flags & UD_USEABLE) ? 0x1 : 0));
    gdt[GDT_TLS] = make_desc(u->base_addr, u->limit,
                             SEG_PRESENT | SEG_DPL(3) | SEG_CODEDATA | type, flags);
}
