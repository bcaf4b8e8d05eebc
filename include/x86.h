/* x86.h: one small inline function per x86 instruction the C code needs.
 * Kept in one place so that the rest of the kernel reads as plain C. */
#ifndef X86_H
#define X86_H

#include "types.h"

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }

/* Enable interrupts and halt in one step: an interrupt that arrives between
 * the two instructions still wakes the hlt (sti takes effect one instruction
 * late), so no tick is lost while going idle. */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

static inline uint32_t read_eflags(void)
{
    uint32_t f;
    __asm__ volatile("pushfl; popl %0" : "=r"(f));
    return f;
}
#define EFLAGS_CF 0x1u         /* the arithmetic flags: carry, */
#define EFLAGS_PF 0x4u         /* parity, */
#define EFLAGS_AF 0x10u        /* adjust, */
#define EFLAGS_ZF 0x40u        /* zero, */
#define EFLAGS_SF 0x80u        /* sign */
#define EFLAGS_TF 0x100u       /* trap: single-step */
#define EFLAGS_IF 0x200u
#define EFLAGS_DF 0x400u       /* direction: string instructions count down */
#define EFLAGS_OF 0x800u       /* overflow */
#define EFLAGS_RF 0x10000u     /* resume: no debug fault on the next instruction */
#define EFLAGS_VM 0x20000u     /* virtual-8086 mode */
#define EFLAGS_AC 0x40000u     /* alignment check; with SMAP: user pages allowed */

/* Turn interrupts off and say whether they were on, for irq_restore. A pair
 * of these brackets a few lines that an interrupt handler must not see half
 * done, and nests safely. */
static inline uint32_t irq_save(void)
{
    uint32_t f = read_eflags();
    cli();
    return f;
}

static inline void irq_restore(uint32_t flags)
{
    if (flags & EFLAGS_IF)
        sti();
}

static inline uint32_t read_cr0(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}
static inline void write_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }

static inline uint32_t read_cr2(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint32_t read_cr3(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}
static inline void write_cr3(uint32_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }

static inline uint32_t read_cr4(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}
static inline void write_cr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

/* cpuid with leaf in eax and subleaf in ecx (Intel SDM vol. 2, CPUID). */
static inline void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *a, uint32_t *b,
                         uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(subleaf));
}

/* SMAP's two instructions: set and clear EFLAGS.AC, which lets ring 0 touch
 * user pages while set. They exist only on CPUs with SMAP (#UD otherwise). */
static inline void stac(void) { __asm__ volatile("stac" ::: "memory"); }
static inline void clac(void) { __asm__ volatile("clac" ::: "memory"); }

/* Drop the TLB entry for one virtual address. */
static inline void invlpg(vaddr_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint32_t read_ebp(void)
{
    uint32_t v;
    __asm__ volatile("mov %%ebp, %0" : "=r"(v));
    return v;
}

/* The debug status register: why #DB came. The CPU never clears it. */
static inline uint32_t read_dr6(void)
{
    uint32_t v;
    __asm__ volatile("mov %%dr6, %0" : "=r"(v));
    return v;
}
static inline void write_dr6(uint32_t v) { __asm__ volatile("mov %0, %%dr6" : : "r"(v)); }
#define DR6_BS 0x4000u         /* single step (EFLAGS.TF) */

/* Page-fault error-code bits (Intel SDM vol. 3, 4.7). */
#define PF_PRESENT 0x1         /* 0: page not present; 1: protection violation */
#define PF_WRITE   0x2         /* the access was a write */
#define PF_USER    0x4         /* it happened in ring 3 */
#define PF_INSTR   0x10        /* an instruction fetch (reported with SMEP or NX) */

/* Control-register bits the kernel sets. */
#define CR0_WP  0x00010000u   /* write protect: ring 0 honours read-only pages too */
#define CR0_AM  0x00040000u   /* alignment mask: ring 3 with EFLAGS.AC gets #AC */
#define CR0_PG  0x80000000u   /* paging */
#define CR4_PSE 0x00000010u   /* 4 MiB pages */
#define CR4_PGE 0x00000080u   /* global pages survive a CR3 reload */
#define CR4_SMEP 0x00100000u  /* ring 0 may not execute user pages */
#define CR4_SMAP 0x00200000u  /* ring 0 may not touch user pages unless EFLAGS.AC */

/* CPUID leaf 7, subleaf 0, ebx: structured extended features. */
#define CPUID7_SMEP (1u << 7)
#define CPUID7_SMAP (1u << 20)

#endif
