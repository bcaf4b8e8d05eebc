/* trap.c: the interrupt descriptor table, and what happens on each trap. */
#include "kernel/trap.h"
#include "kernel/gdt.h"
#include "drivers/pic.h"
#include "kernel/proc.h"
#include "kernel/fpu.h"
#include "kernel/signal.h"
#include "kernel/random.h"
#include "kernel/syscall.h"
#include "mm/memory.h"
#include "mm/fault.h"
#include "mm/kstack.h"
#include "mm/probe.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "param.h"
#include "printk.h"
#include "x86.h"

/* An interrupt gate (Intel SDM vol. 3, 6.11). Interrupt gates, unlike trap
 * gates, clear IF on entry: the kernel runs each handler with interrupts off
 * until it chooses otherwise. */
struct gatedesc {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t zero;
    uint8_t type_attr;      /* present, DPL, type 0xE = 32-bit interrupt gate */
    uint16_t offset_high;
} __attribute__((packed));

static struct gatedesc idt[256];
static void (*irq_handlers[NIRQS])(struct trapframe *tf);

extern uint32_t trap_vectors[IRQ_BASE + NIRQS];   /* trap_entry.asm */

static void set_gate(int vector, uint32_t handler, int dpl)
{
    idt[vector].offset_low = (uint16_t)(handler & 0xFFFF);
    idt[vector].selector = KERNEL_CS;
    idt[vector].zero = 0;
    idt[vector].type_attr = (uint8_t)(0x80 | (dpl << 5) | 0x0E);
    idt[vector].offset_high = (uint16_t)(handler >> 16);
}

void trap_init(void)
{
    for (int v = 0; v < IRQ_BASE + NIRQS; v++)
        set_gate(v, trap_vectors[v], 0);
    /* int $0x80 may be used from ring 3: its gate has DPL 3. Every other
     * gate has DPL 0, so a program's "int $14" is a protection fault. */
    extern uint32_t trap_vector_syscall;
    set_gate(T_SYSCALL, trap_vector_syscall, 3);
    /* int3 (a debugger's breakpoint) and into may come from programs too,
     * and end them with SIGTRAP and SIGSEGV, as on Linux. */
    set_gate(T_BREAKPOINT, trap_vectors[T_BREAKPOINT], 3);
    set_gate(4, trap_vectors[4], 3);
    /* A double fault switches to a task of its own (kernel/gdt.c): a task
     * gate names a TSS, not a handler. The CPU takes a new stack from it, so
     * the report works even when the fault was a kernel stack overflow. */
    idt[T_DOUBLE].offset_low = 0;
    idt[T_DOUBLE].selector = DF_TSS_SEL;
    idt[T_DOUBLE].zero = 0;
    idt[T_DOUBLE].type_attr = 0x85;        /* present, DPL 0, type 5 = task gate */
    idt[T_DOUBLE].offset_high = 0;
    struct {
        uint16_t limit;
        uint32_t base;
    } __attribute__((packed)) ip = { sizeof idt - 1, (uint32_t)idt };
    __asm__ volatile("lidt %0" : : "m"(ip));
    /* Alignment checking, as on Linux: a program that sets EFLAGS.AC gets
     * #AC (SIGBUS) for a misaligned access. Only ring 3 is checked, so the
     * kernel's own use of AC (SMAP's stac/clac) is not affected. */
    write_cr0(read_cr0() | CR0_AM);
}

void irq_register(int irq, void (*handler)(struct trapframe *tf))
{
    irq_handlers[irq] = handler;
    pic_unmask(irq);
}

static const char *const exception_names[T_NEXCEPTIONS] = {
    "Divide error (#DE)",                   "Debug (#DB)",
    "Non-maskable interrupt",               "Breakpoint (#BP)",
    "Overflow (#OF)",                       "BOUND range exceeded (#BR)",
    "Invalid opcode (#UD)",                 "Device not available (#NM)",
    "Double fault (#DF)",                   "Coprocessor segment overrun",
    "Invalid TSS (#TS)",                    "Segment not present (#NP)",
    "Stack-segment fault (#SS)",            "General protection fault (#GP)",
    "Page fault (#PF)",                     "Reserved exception 15",
    "x87 floating-point error (#MF)",       "Alignment check (#AC)",
    "Machine check (#MC)",                  "SIMD floating-point exception (#XM)",
    "Virtualization exception (#VE)",       "Control protection exception (#CP)",
    "Reserved exception 22",                "Reserved exception 23",
    "Reserved exception 24",                "Reserved exception 25",
    "Reserved exception 26",                "Reserved exception 27",
    "Hypervisor injection exception (#HV)", "VMM communication exception (#VC)",
    "Security exception (#SX)",             "Reserved exception 31",
};

static const char *trap_name(uint32_t trapno)
{
    if (trapno < T_NEXCEPTIONS)
        return exception_names[trapno];
    if (trapno >= IRQ_BASE && trapno < IRQ_BASE + NIRQS)
        return "Hardware interrupt";
    return "Unknown trap";
}

/* Follow the chain of saved frame pointers (the kernel is built with
 * -fno-omit-frame-pointer): [ebp] is the caller's ebp, [ebp+4] the return
 * address. Turn addresses into lines with `addr2line -e build/kernel.elf`. */
static void print_backtrace(uint32_t eip, uint32_t ebp)
{
    printk("  backtrace: %08x", eip);
    for (int depth = 0; depth < 16; depth++) {
        /* Only follow frame pointers into mapped kernel memory (the direct
         * map, or a kernel stack): a report must not fault while reporting. */
        bool mapped = (ebp >= KERNEL_BASE && ebp + 8 <= memory_mapped_end()) ||
                      kstack_contains(ebp, 8);
        if (!mapped || (ebp & 3))
            break;
        uint32_t *frame = (uint32_t *)ebp;
        if (frame[1] == 0)
            break;
        printk(" %08x", frame[1]);
        ebp = frame[0];
    }
    printk("\n");
}

/* For a page fault in kernel mode, what broke which rule, in words. */
static const char *kernel_fault_cause(const struct trapframe *tf)
{
    extern char _kernel_start[], _data_start[];
    uint32_t addr = read_cr2();
    if (addr < USER_TOP && (tf->err & PF_INSTR) && smep_enabled)
        return "SMEP: the kernel jumped into a user page";
    if (addr < USER_TOP && (tf->err & PF_PRESENT) && smap_enabled && !(tf->eflags & EFLAGS_AC))
        return "SMAP: the kernel touched a user page outside copy_from_user/copy_to_user";
    if ((tf->err & PF_WRITE) && addr >= (uint32_t)_kernel_start - PAGE_SIZE &&
        addr < (uint32_t)_data_start)
        return "a write to the kernel's read-only code or constants";
    if (kstack_guard_slot(addr) >= 0)
        return "a kernel stack's guard page";
    return 0;
}

void trap_report(const struct trapframe *tf)
{
    bool user = trap_from_user(tf);
    printk("\n%s, vector %u, in %s mode\n", trap_name(tf->trapno), tf->trapno,
           user ? "user" : "kernel");
    printk("  error code %#x", tf->err);
    if (tf->trapno == T_PGFLT) {
        printk(" (%s, %s, %s)\n", tf->err & PF_PRESENT ? "protection violation" : "page not present",
               tf->err & PF_INSTR ? "instruction fetch" : tf->err & PF_WRITE ? "write" : "read",
               tf->err & PF_USER ? "user" : "kernel");
        printk("  cr2 %08x   (the address that faulted)\n", read_cr2());
        const char *cause = user ? 0 : kernel_fault_cause(tf);
        if (cause)
            printk("  %s\n", cause);
    } else {
        printk("\n");
    }
    /* From ring 0 the CPU pushes no esp/ss: the old stack ended where the
     * frame's user_esp field would start. */
    uint32_t esp = user ? tf->user_esp : (uint32_t)&tf->user_esp;
    uint32_t ss = user ? tf->user_ss : KERNEL_DS;
    printk("  eip %08x  cs %04x  eflags %08x\n", tf->eip, tf->cs & 0xFFFF, tf->eflags);
    printk("  eax %08x  ebx %08x  ecx %08x  edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
    printk("  esi %08x  edi %08x  ebp %08x  esp %08x\n", tf->esi, tf->edi, tf->ebp, esp);
    printk("  ds %04x  es %04x  fs %04x  gs %04x  ss %04x  cr3 %08x\n",
           tf->ds & 0xFFFF, tf->es & 0xFFFF, tf->fs & 0xFFFF, tf->gs & 0xFFFF,
           ss & 0xFFFF, read_cr3());
    if (!user)
        print_backtrace(tf->eip, tf->ebp);
}

void double_fault(void)
{
    uint32_t eip, esp, ebp, addr = read_cr2();
    tss_interrupted(&eip, &esp, &ebp);
    printk("\nDouble fault (#DF), vector 8: a fault while the CPU was starting to\n"
           "handle another one\n");
    printk("  eip %08x  esp %08x  ebp %08x  cr2 %08x\n", eip, esp, ebp, addr);
    int slot = kstack_guard_slot(addr);
    if (slot >= 0) {
        /* A push ran into the guard page, and so did the CPU's push of the
         * page fault's frame: the stack had no room left. */
        struct proc *p = &procs[slot];
        vaddr_t bottom = KSTACK_AREA + (uint32_t)slot * KSTACK_SLOT + PAGE_SIZE;
        printk("  kernel stack overflow: slot %d (pid %d, %s) used all %u bytes of its\n"
               "  kernel stack [%08x, %08x) and ran into the guard page below it\n",
               slot, p->pid, p->state == PROC_UNUSED ? "no process" : p->name, KSTACK_SIZE,
               bottom, bottom + KSTACK_SIZE);
    }
    print_backtrace(eip, ebp);
    panic("Double fault (#DF) in the kernel at eip %08x", eip);
}

static void irq_dispatch(struct trapframe *tf)
{
    int irq = (int)tf->trapno - IRQ_BASE;
    if (pic_spurious(irq))
        return;
    /* EOI first: a handler that switches to another process (the timer's,
     * when a time slice ends) must not leave the PIC waiting. Interrupts stay off meanwhile. */
    pic_eoi(irq);
    random_add_interrupt(irq);         /* its timing feeds kernel/random.c's pool */
    if (irq_handlers[irq])
        irq_handlers[irq](tf);
}

/* An exception in user mode: the program did something the CPU refuses.
 * It gets the signal Linux sends for it, with Linux's si_code and address
 * (a handler may fix things up and go on; by default the process dies). */
static void user_exception(struct trapframe *tf)
{
    int sig = SIGSEGV, code = SI_KERNEL;
    vaddr_t addr = 0;
    switch (tf->trapno) {
    case T_DIVIDE:
        sig = SIGFPE, code = FPE_INTDIV, addr = tf->eip;
        break;
    case T_DEBUG: {                            /* a single step, or icebp */
        uint32_t dr6 = read_dr6();
        write_dr6(0);                          /* its bits stay set until cleared */
        sig = SIGTRAP, code = (dr6 & DR6_BS) ? TRAP_TRACE : TRAP_BRKPT, addr = tf->eip;
        break;
    }
    case T_BREAKPOINT:                         /* int3 */
        sig = SIGTRAP;
        break;
    case T_INVALID_OP:
        sig = SIGILL, code = ILL_ILLOPN, addr = tf->eip;
        break;
    case T_SEGNP:
    case T_STACK:
        sig = SIGBUS;
        break;
    case T_ALIGN:
        sig = SIGBUS, code = BUS_ADRALN;
        break;
    case T_FPERR:
    case T_SIMDERR:
        /* Which floating-point exception it was is in the FPU's status. */
        fpu_save(current_proc()->fpu);
        code = fpu_exception_code(current_proc()->fpu, tf->trapno == T_SIMDERR);
        if (!code)
            return;                            /* none unmasked: nothing to report */
        sig = SIGFPE, addr = tf->eip;
        break;
    default:                                   /* #GP, #OF, #BR, #TS... */
        break;
    }
    signal_fault(tf, sig, code, addr, trap_name(tf->trapno));
}

/* Did this kernel fault happen while trap_return was loading a program's
 * segment registers or iret-ing to it? Then the program's saved state is
 * what is wrong, not the kernel. */
static bool fault_in_return_to_user(const struct trapframe *tf)
{
    extern char trap_return_segments[], trap_return_iret[];
    return tf->eip >= (uint32_t)trap_return_segments && tf->eip <= (uint32_t)trap_return_iret;
}

void trap_kernel_fault(struct trapframe *tf)
{
    struct proc *p = current_proc();
    if (p && fault_in_return_to_user(tf)) {
        printk("bunshin: pid %d (%s) killed by signal %d: bad segment selector "
               "(gs %04x fs %04x es %04x ds %04x) on return to user mode\n", p->pid, p->name,
               SIGSEGV, p->tf->gs & 0xFFFF, p->tf->fs & 0xFFFF, p->tf->es & 0xFFFF,
               p->tf->ds & 0xFFFF);
        do_exit_group(W_SIGNALED(SIGSEGV));   /* never returns to either frame */
    }
    bool report;
    uint32_t resume = tf->trapno == T_PGFLT ? probe_fixup(tf->eip, &report) : 0;
    if (resume) {
        if (report) {
            trap_report(tf);
            printk("  caught by a probe: resuming at %08x with -EFAULT\n", resume);
        }
        tf->eip = resume;
        return;
    }
    trap_report(tf);
    panic("%s in the kernel at eip %08x", trap_name(tf->trapno), tf->eip);
}

void trap_dispatch(struct trapframe *tf)
{
    /* SMAP: a program may have left EFLAGS.AC set (popf can), which would let
     * the kernel touch user pages anywhere. Clear it first thing: then only
     * the copy functions, between user_access_begin and _end, can. */
    user_access_end();

    struct proc *p = current_proc();
    bool user = trap_from_user(tf);

    if (tf->trapno == T_SYSCALL) {
        p->syscall_nr = (int)tf->eax;      /* what a restart issues again */
        syscall_dispatch(tf);
    } else if (tf->trapno >= IRQ_BASE && tf->trapno < IRQ_BASE + NIRQS) {
        irq_dispatch(tf);
    } else if (tf->trapno == T_PGFLT) {
        page_fault(tf);                    /* mm/fault.c decides */
    } else if (user) {
        user_exception(tf);
    } else {
        trap_kernel_fault(tf);
    }

    /* On the way back to user mode: give up the CPU if the time slice is
     * over, then do what pending signals say (die, stop, run a handler). */
    if (p && user) {
        if (sched_need_resched())
            yield();
        signal_deliver(tf);
    }
}
