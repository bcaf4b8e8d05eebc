/* trap.h: interrupts, exceptions and the trap frame.
 *
 * Every interrupt, exception and system call enters the kernel
 * through kernel/trap_entry.asm, which saves the interrupted registers on the
 * kernel stack in the layout of struct trapframe and calls trap_dispatch. On
 * the way out the same frame is popped back, so whatever a handler writes
 * into it (eax for a system call's result, eip to skip an instruction) is
 * what the interrupted code sees.
 */
#ifndef TRAP_H
#define TRAP_H

#include "types.h"
#include "x86.h"

struct trapframe {
    /* pushed by pusha in trap_entry.asm (lowest address first) */
    uint32_t edi, esi, ebp;
    uint32_t esp_pusha;        /* esp as pusha saw it: not used on return */
    uint32_t ebx, edx, ecx, eax;
    /* pushed by trap_entry.asm */
    uint32_t gs, fs, es, ds;
    uint32_t trapno;
    uint32_t err;              /* the CPU's error code, or 0 */
    /* pushed by the CPU */
    uint32_t eip, cs, eflags;
    /* pushed by the CPU only when coming from ring 3 */
    uint32_t user_esp, user_ss;
};

/* Exception vectors (Intel SDM vol. 3, table 6-1). */
#define T_DIVIDE     0
#define T_DEBUG      1
#define T_NMI        2
#define T_BREAKPOINT 3
#define T_INVALID_OP 6
#define T_DOUBLE     8
#define T_SEGNP      11     /* segment not present */
#define T_STACK      12     /* stack-segment fault */
#define T_GPFLT      13
#define T_PGFLT      14
#define T_FPERR      16     /* x87 floating-point error */
#define T_ALIGN      17     /* alignment check */
#define T_SIMDERR    19     /* SSE floating-point error */
#define T_NEXCEPTIONS 32

/* The 8259 PICs deliver IRQ n at vector IRQ_BASE + n. */
#define IRQ_BASE     32
#define IRQ_TIMER    0
#define IRQ_KEYBOARD 1
#define IRQ_COM1     4
#define NIRQS        16

/* Fill the IDT and load it. */
void trap_init(void);

/* Called by trap_entry.asm for every trap, with interrupts off. */
void trap_dispatch(struct trapframe *tf);

/* Run handler(tf) for IRQ irq (0..15), and unmask that line at the PIC. */
void irq_register(int irq, void (*handler)(struct trapframe *tf));

/* A fault in kernel mode that no one else explains: expected at a probe or
 * user-copy instruction (resume at its exit), caused by a program's own bad
 * segment selectors on the way back to it (end that program), or a bug
 * anywhere else (report and panic). */
void trap_kernel_fault(struct trapframe *tf);

/* The double fault's handler: the entry point of a task of its own (a task
 * gate, vector 8), so that it runs on its own stack even when the fault
 * came from a kernel stack with no room left. Reports and panics. */
void double_fault(void) __attribute__((noreturn));

/* Print the exception report: name, error code, eip, cr2, registers. */
void trap_report(const struct trapframe *tf);

/* True if the frame was interrupted in user mode: ring 3, or virtual-8086
 * mode, which runs in ring 3 with a real-mode CS whose low bits can be
 * anything. bunshin never enters that mode, but QEMU's emulator lets a
 * program's own iret set EFLAGS.VM (a real CPU ignores it outside ring 0);
 * the program must then die by a signal like any other (Linux's
 * user_mode() looks at the flag too). */
static inline bool trap_from_user(const struct trapframe *tf)
{
    return (tf->cs & 3) == 3 || (tf->eflags & EFLAGS_VM);
}

#endif
