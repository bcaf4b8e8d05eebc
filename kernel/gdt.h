/* gdt.h: segments and the task-state segment.
 *
 * bunshin uses flat segments (base 0, limit 4 GiB): memory protection comes
 * from paging, not segmentation. The GDT still matters for two things: the
 * privilege level (ring 0 for the kernel, ring 3 for programs) is the low two
 * bits of the selector in CS, and the TSS tells the CPU which stack to switch
 * to when an interrupt arrives in ring 3. The TLS descriptor is entry 6, the
 * first of Linux's i386 TLS slots: musl asks for "any slot" (-1) and loads
 * whatever number comes back into gs, so the same program works on both.
 */
#ifndef GDT_H
#define GDT_H

#include "types.h"

#define GDT_KERNEL_CODE 1
#define GDT_KERNEL_DATA 2
#define GDT_USER_CODE   3
#define GDT_USER_DATA   4
#define GDT_TSS         5
#define GDT_TLS         6
#define GDT_DF_TSS      7     /* the double fault's own task (kernel/trap.c) */
#define GDT_ENTRIES     8

/* Selector = index * 8 | requested privilege level. */
#define KERNEL_CS  (GDT_KERNEL_CODE << 3)
#define KERNEL_DS  (GDT_KERNEL_DATA << 3)
#define USER_CS    ((GDT_USER_CODE << 3) | 3)
#define USER_DS    ((GDT_USER_DATA << 3) | 3)
#define TSS_SEL    (GDT_TSS << 3)
#define DF_TSS_SEL (GDT_DF_TSS << 3)

/* Load the GDT and TSS and reload every segment register. */
void gdt_init(void);

/* The kernel stack the CPU switches to on an interrupt from ring 3: set to
 * the running process's kernel stack top at every switch. */
void tss_set_kernel_stack(uint32_t esp0);

/* Where the CPU was when it switched to the double fault's task: the
 * registers it saved in the kernel's TSS (kernel/trap.c reports them). */
void tss_interrupted(uint32_t *eip, uint32_t *esp, uint32_t *ebp);

/* Load a process's TLS descriptor (Linux's struct user_desc, from
 * set_thread_area) into GDT entry 6. The CPU reads the entry again when the
 * program's gs is reloaded on the way back to user mode. */
struct user_desc;
void gdt_set_tls(const struct user_desc *u);
/* Build the 8 descriptor bytes for u; false if u asks for something not
 * allowed (a system segment). Used to check set_thread_area's argument. */
bool gdt_tls_valid(const struct user_desc *u);

#endif
