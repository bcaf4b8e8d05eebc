/* signal_frame.c: the frame a signal handler runs on, and sigreturn.
 *
 * To run a handler, the kernel makes the program look as if it had called
 * it: below the interrupted stack pointer it writes what the program was
 * doing (its registers, FPU state and signal mask) and, at the bottom, a
 * return address and the handler's arguments; then it points eip at the
 * handler. When the handler returns, it "returns" to code that calls
 * sigreturn, which reads the saved state back from the same frame. The
 * layouts are Linux's i386 ones, so that a C library built for Linux (its
 * restorer, its ucontext_t) finds everything where it expects:
 *
 *      higher addresses: the interrupted stack (or the alternate stack's top)
 *      FPU state: a 112-byte FSAVE header, then the 512-byte fxsave image,
 *                 64-byte aligned
 *      the frame: struct sigframe, or struct rt_sigframe for SA_SIGINFO
 *  esp ->         (its first word: the return address, pretcode)
 */
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "kernel/fpu.h"
#include "kernel/gdt.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "lib/string.h"
#include "x86.h"

#define NR_sigreturn    119
#define NR_rt_sigreturn 173

/* The frame of a handler without SA_SIGINFO: handler(sig). */
struct sigframe {
    uint32_t pretcode;             /* where the handler returns: the restorer */
    int32_t sig;                   /* the handler's argument */
    struct sigcontext sc;
    struct _fpstate fpstate_unused;   /* kept for the offset of extramask (the
                                         real FPU state lies above the frame) */
    uint32_t extramask[1];         /* the mask's high 32 bits */
    uint8_t retcode[8];            /* popl %eax; movl $119,%eax; int $0x80 */
};
_Static_assert(sizeof(struct sigframe) == 732, "Linux's i386 sigframe");

/* The frame of an SA_SIGINFO handler: handler(sig, &info, &uc). */
struct rt_sigframe {
    uint32_t pretcode;
    int32_t sig;
    uint32_t pinfo;                /* the arguments: &info */
    uint32_t puc;                  /* and &uc */
    struct siginfo info;
    struct ucontext uc;
    uint8_t retcode[8];            /* movl $173,%eax; int $0x80 */
};
_Static_assert(sizeof(struct rt_sigframe) == 268, "Linux's i386 rt_sigframe");

#define FSAVE_HEADER 112           /* struct _fpstate's bytes before the fxsave image */
#define ENV_SIZE     108           /* the header's registers: cw..datasel, _st[8] */
#define FX_SW_RESERVED 464         /* fxsave bytes 464-511: the OS's; Linux writes 0
                                      there when the CPU has no xsave */

/* Byte offsets into an fxsave image (Intel SDM vol. 1, table 10-2). */
#define FX_FCW 0
#define FX_FSW 2
#define FX_FTW 4                   /* one bit per register: 1 = in use */
#define FX_FOP 6
#define FX_FIP 8
#define FX_FCS 12
#define FX_FDP 16
#define FX_FDS 20
#define FX_MXCSR 24
#define FX_ST  32                  /* st(i) at FX_ST + 16 * i, 10 bytes used */

static uint16_t get16(const uint8_t *b, int off) { uint16_t v; memcpy(&v, b + off, 2); return v; }
static uint32_t get32(const uint8_t *b, int off) { uint32_t v; memcpy(&v, b + off, 4); return v; }
static void put16(uint8_t *b, int off, uint16_t v) { memcpy(b + off, &v, 2); }
static void put32(uint8_t *b, int off, uint32_t v) { memcpy(b + off, &v, 4); }

/* fxsave keeps one "in use" bit per register; FSAVE's tag word two bits,
 * saying what the register holds: 0 valid, 1 zero, 2 special (NaN,
 * infinity, denormal), 3 empty. Work them out from the registers. The
 * tag word counts physical registers; st(i) is physical (top + i) % 8. */
static uint32_t tag_word_full(const uint8_t *fx)
{
    int top = (get16(fx, FX_FSW) >> 11) & 7;
    uint8_t used = fx[FX_FTW];
    uint32_t tags = 0;
    for (int phys = 0; phys < 8; phys++) {
        uint32_t tag = 3;
        if (used & (1u << phys)) {
            const uint8_t *st = fx + FX_ST + 16 * ((phys - top) & 7);
            uint16_t exponent = get16(st, 8) & 0x7FFF;
            uint32_t lo = get32(st, 0), hi = get32(st, 4);
            if (exponent == 0x7FFF)
                tag = 2;
            else if (exponent == 0)
                tag = (lo == 0 && hi == 0) ? 1 : 2;
            else
                tag = (hi & 0x80000000u) ? 0 : 2;   /* no integer bit: unnormal */
        }
        tags |= tag << (2 * phys);
    }
    return tags | 0xFFFF0000u;
}

/* And back: a register is in use unless its tag says empty (3). */
static uint8_t tag_word_abridged(uint32_t tags)
{
    uint8_t used = 0;
    for (int phys = 0; phys < 8; phys++)
        if (((tags >> (2 * phys)) & 3) != 3)
            used |= 1u << phys;
    return used;
}

/* The FPU state as the frame holds it: the FSAVE-style header (what
 * programs written for the 387 read), then the fxsave image itself. */
static void fpstate_from_fxsave(uint8_t out[sizeof(struct _fpstate)], const uint8_t *fx)
{
    struct _fpstate *fs = (struct _fpstate *)out;
    memset(out, 0, sizeof(struct _fpstate));
    fs->cw = get16(fx, FX_FCW) | 0xFFFF0000u;
    fs->sw = get16(fx, FX_FSW) | 0xFFFF0000u;
    fs->tag = tag_word_full(fx);
    fs->ipoff = get32(fx, FX_FIP);
    fs->cssel = get16(fx, FX_FCS) | ((uint32_t)get16(fx, FX_FOP) << 16);
    fs->dataoff = get32(fx, FX_FDP);
    fs->datasel = get32(fx, FX_FDS);
    for (int i = 0; i < 8; i++)
        memcpy(&fs->_st[i], fx + FX_ST + 16 * i, 10);
    fs->status = get16(fx, FX_FSW);
    fs->magic = X86_FXSR_MAGIC;
    memcpy(fs->fxsave, fx, FPU_AREA_SIZE);
    memset(fs->fxsave + FX_SW_RESERVED, 0, FPU_AREA_SIZE - FX_SW_RESERVED);
}

/* Read the FPU state a frame holds into the fxsave image fx: the image,
 * then the header's registers over it, as Linux does (so a handler that
 * edits either the header or the image is obeyed). 0 or -EFAULT. */
static int fpstate_to_fxsave(uint8_t *fx, vaddr_t ufp)
{
    struct _fpstate fs;
    if (copy_from_user(&fs, ufp, sizeof fs) < 0)
        return -EFAULT;
    memcpy(fx, fs.fxsave, FPU_AREA_SIZE);
    put32(fx, FX_MXCSR, get32(fx, FX_MXCSR) & fpu_mxcsr_mask());   /* else fxrstor faults */
    put16(fx, FX_FCW, (uint16_t)fs.cw);
    put16(fx, FX_FSW, (uint16_t)fs.sw);
    fx[FX_FTW] = tag_word_abridged(fs.tag);
    put16(fx, FX_FOP, (uint16_t)(fs.cssel >> 16));
    put32(fx, FX_FIP, fs.ipoff);
    put32(fx, FX_FCS, fs.cssel & 0xFFFF);
    put32(fx, FX_FDP, fs.dataoff);
    put32(fx, FX_FDS, fs.datasel);
    for (int i = 0; i < 8; i++)
        memcpy(fx + FX_ST + 16 * i, &fs._st[i], 10);
    return 0;
}

/* ---- the alternate stack ---- */

/* Is sp on p's alternate stack? (It grows down: its top, ss_sp + ss_size,
 * counts as on it; its bottom does not.) */
static bool on_altstack(const struct proc *p, vaddr_t sp)
{
    return p->altstack.ss_size && sp > p->altstack.ss_sp &&
           sp - p->altstack.ss_sp <= p->altstack.ss_size;
}

/* sigaltstack's ss_flags as the program reads them. */
static int32_t altstack_flags(const struct proc *p, vaddr_t sp)
{
    int32_t mode = !p->altstack.ss_size ? SS_DISABLE : on_altstack(p, sp) ? SS_ONSTACK : 0;
    return mode | (p->altstack.ss_flags & (int32_t)SS_AUTODISARM);
}

int do_sigaltstack(struct proc *p, const stack_t *ss, stack_t *old, vaddr_t sp)
{
    if (old) {
        old->ss_sp = p->altstack.ss_sp;
        old->ss_size = p->altstack.ss_size;
        old->ss_flags = altstack_flags(p, sp);
    }
    if (!ss)
        return 0;
    /* Not while a handler runs on it: the change would pull it away. */
    if (on_altstack(p, sp))
        return -EPERM;
    int32_t mode = ss->ss_flags & ~(int32_t)SS_AUTODISARM;
    if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
        return -EINVAL;
    if (mode == SS_DISABLE) {
        p->altstack.ss_sp = 0;
        p->altstack.ss_size = 0;
    } else {
        if (ss->ss_size < MINSIGSTKSZ)
            return -ENOMEM;
        p->altstack.ss_sp = ss->ss_sp;
        p->altstack.ss_size = ss->ss_size;
    }
    p->altstack.ss_flags = ss->ss_flags;
    return 0;
}

/* ---- delivery ---- */

/* Where the frame of frame_size bytes goes, and its FPU state (*fpstate):
 * below the interrupted esp, or from the alternate stack's top if the
 * handler asked for it (SA_ONSTACK) and it is set up and not already in
 * use. 0 if the frame would not fit on the alternate stack. */
static vaddr_t frame_place(struct proc *p, const struct trapframe *tf,
                           const struct sigaction_rt *ka, uint32_t frame_size, vaddr_t *fpstate)
{
    vaddr_t sp = tf->user_esp;
    bool alt = on_altstack(p, sp);
    if ((ka->flags & SA_ONSTACK) && p->altstack.ss_size && !alt) {
        sp = p->altstack.ss_sp + p->altstack.ss_size;
        alt = true;
    }
    vaddr_t fx = (sp - FPU_AREA_SIZE) & ~63u;     /* fxsave wants 16; Linux gives 64 */
    *fpstate = fx - FSAVE_HEADER;
    sp = *fpstate - frame_size;
    /* As if the handler had been called: esp + 4 a multiple of 16 (the
     * i386 ABI's alignment at a function's entry). */
    sp = ((sp + 4) & ~15u) - 4;
    if (alt && !on_altstack(p, sp))
        return 0;
    if (sp > tf->user_esp && !alt)
        return 0;                                  /* wrapped around address 0 */
    return sp;
}

static void save_registers(struct sigcontext *sc, const struct proc *p,
                           const struct trapframe *tf, vaddr_t fpstate, uint64_t mask)
{
    memset(sc, 0, sizeof *sc);
    sc->gs = (uint16_t)tf->gs;
    sc->fs = (uint16_t)tf->fs;
    sc->es = (uint16_t)tf->es;
    sc->ds = (uint16_t)tf->ds;
    sc->di = tf->edi;
    sc->si = tf->esi;
    sc->bp = tf->ebp;
    sc->sp = tf->user_esp;
    sc->bx = tf->ebx;
    sc->dx = tf->edx;
    sc->cx = tf->ecx;
    sc->ax = tf->eax;
    sc->trapno = p->fault_trapno;
    sc->err = p->fault_err;
    sc->ip = tf->eip;
    sc->cs = (uint16_t)tf->cs;
    sc->flags = tf->eflags;
    sc->sp_at_signal = tf->user_esp;
    sc->ss = (uint16_t)tf->user_ss;
    sc->fpstate = fpstate;
    sc->oldmask = (uint32_t)mask;
    sc->cr2 = p->fault_addr;
}

int signal_frame_setup(struct proc *p, struct trapframe *tf, int sig,
                       const struct siginfo *info, const struct sigaction_rt *ka,
                       uint64_t oldmask)
{
    /* LAB signals frame_setup: begin */
    bool rt = (ka->flags & SA_SIGINFO) != 0;
    vaddr_t ufp;
    vaddr_t frame = frame_place(p, tf, ka, rt ? sizeof(struct rt_sigframe)
                                              : sizeof(struct sigframe), &ufp);
    if (!frame)
        return -EFAULT;

    /* The FPU registers are live in the CPU: save them, then copy. (The
     * frames are built in static buffers, not on the 8 KiB kernel stack:
     * with one CPU and no preemption, one of each is enough.) */
    static uint8_t fpimage[sizeof(struct _fpstate)];
    fpu_save(p->fpu);
    fpstate_from_fxsave(fpimage, p->fpu);
    if (copy_to_user(ufp, fpimage, sizeof fpimage) < 0)
        return -EFAULT;

    /* Without SA_RESTORER (the C library's own sigreturn code), the
     * handler returns into the frame's retcode, which calls sigreturn. */
    uint32_t restorer = (ka->flags & SA_RESTORER) ? ka->restorer : 0;
    if (rt) {
        static struct rt_sigframe f;
        memset(&f, 0, sizeof f);
        f.sig = sig;
        f.pinfo = frame + offsetof(struct rt_sigframe, info);
        f.puc = frame + offsetof(struct rt_sigframe, uc);
        f.info = *info;
        f.uc.uc_flags = 0;
        f.uc.uc_link = 0;
        f.uc.uc_stack.ss_sp = p->altstack.ss_sp;
        f.uc.uc_stack.ss_size = p->altstack.ss_size;
        f.uc.uc_stack.ss_flags = altstack_flags(p, tf->user_esp);
        save_registers(&f.uc.uc_mcontext, p, tf, ufp, oldmask);
        f.uc.uc_sigmask = oldmask;
        static const uint8_t code[8] = { 0xB8, NR_rt_sigreturn, 0, 0, 0, 0xCD, 0x80, 0 };
        memcpy(f.retcode, code, sizeof code);
        f.pretcode = restorer ? restorer : frame + offsetof(struct rt_sigframe, retcode);
        if (copy_to_user(frame, &f, sizeof f) < 0)
            return -EFAULT;
        tf->edx = f.pinfo;
        tf->ecx = f.puc;
    } else {
        static struct sigframe f;
        memset(&f, 0, sizeof f);
        f.sig = sig;
        save_registers(&f.sc, p, tf, ufp, oldmask);
        f.extramask[0] = (uint32_t)(oldmask >> 32);
        static const uint8_t code[8] = { 0x58, 0xB8, NR_sigreturn, 0, 0, 0, 0xCD, 0x80 };
        memcpy(f.retcode, code, sizeof code);
        f.pretcode = restorer ? restorer : frame + offsetof(struct sigframe, retcode);
        if (copy_to_user(frame, &f, sizeof f) < 0)
            return -EFAULT;
        tf->edx = 0;
        tf->ecx = 0;
    }
    /* Point of no return: the frame is written. An SS_AUTODISARM stack is
     * let go while its handler runs (the frame saved it for sigreturn). */
    if (on_altstack(p, frame) && (p->altstack.ss_flags & (int32_t)SS_AUTODISARM)) {
        p->altstack.ss_sp = 0;
        p->altstack.ss_size = 0;
        p->altstack.ss_flags = SS_DISABLE;
    }
    tf->eax = (uint32_t)sig;
    tf->eip = ka->handler;
    tf->user_esp = frame;
    tf->ds = tf->es = tf->user_ss = USER_DS;
    tf->cs = USER_CS;
    /* The handler starts as a function should: direction flag clear, not
     * single-stepping; and with a clean FPU. */
    tf->eflags &= ~(EFLAGS_DF | EFLAGS_RF | EFLAGS_TF);
    fpu_init_state(p->fpu);
    fpu_restore(p->fpu);
    return 0;
    /* LAB signals frame_setup: end */
}

/* ---- sigreturn ---- */

/* The flags a program may set through sigreturn: the arithmetic ones and
 * a few harmless others, never IF, IOPL or VM (Linux's FIX_EFLAGS). */
#define SIGRETURN_EFLAGS (EFLAGS_AC | EFLAGS_OF | EFLAGS_DF | EFLAGS_TF | EFLAGS_SF | \
                          EFLAGS_ZF | EFLAGS_AF | EFLAGS_PF | EFLAGS_CF | EFLAGS_RF)

long signal_frame_restore(struct proc *p, struct trapframe *tf, bool rt)
{
    /* LAB signals frame_restore: begin */
    struct sigcontext sc;
    uint64_t mask;
    stack_t ss;
    static uint8_t fx[FPU_AREA_SIZE] __attribute__((aligned(16)));

    /* Read everything first; change nothing until all of it was readable.
     * The handler's ret popped pretcode (and the old restorer's popl also
     * the signal number): the frame starts just below esp. */
    if (rt) {
        vaddr_t uc = tf->user_esp - 4 + offsetof(struct rt_sigframe, uc);
        if (copy_from_user(&sc, uc + offsetof(struct ucontext, uc_mcontext), sizeof sc) < 0 ||
            copy_from_user(&mask, uc + offsetof(struct ucontext, uc_sigmask), sizeof mask) < 0 ||
            copy_from_user(&ss, uc + offsetof(struct ucontext, uc_stack), sizeof ss) < 0)
            goto bad;
    } else {
        vaddr_t frame = tf->user_esp - 8;
        uint32_t high;
        if (copy_from_user(&sc, frame + offsetof(struct sigframe, sc), sizeof sc) < 0 ||
            copy_from_user(&high, frame + offsetof(struct sigframe, extramask), 4) < 0)
            goto bad;
        mask = sc.oldmask | (uint64_t)high << 32;
    }
    if (sc.fpstate) {
        if (fpstate_to_fxsave(fx, sc.fpstate) < 0)
            goto bad;
    } else {
        fpu_init_state(fx);                        /* no FPU state saved: a clean one */
    }

    /* Point of no return. Segment registers are taken as given: a bad
     * selector faults on the way out to user mode, and the program dies of
     * SIGSEGV there (trap_kernel_fault). CS and SS keep ring 3 whatever
     * the frame says. */
    p->blocked = mask & ~SIG_UNBLOCKABLE;
    tf->gs = sc.gs;
    tf->fs = sc.fs;
    tf->es = sc.es;
    tf->ds = sc.ds;
    tf->edi = sc.di;
    tf->esi = sc.si;
    tf->ebp = sc.bp;
    tf->user_esp = sc.sp;
    tf->ebx = sc.bx;
    tf->edx = sc.dx;
    tf->ecx = sc.cx;
    tf->eip = sc.ip;
    tf->cs = sc.cs | 3;
    tf->user_ss = sc.ss | 3;
    tf->eflags = (tf->eflags & ~SIGRETURN_EFLAGS) | (sc.flags & SIGRETURN_EFLAGS);
    memcpy(p->fpu, fx, FPU_AREA_SIZE);
    fpu_restore(p->fpu);
    if (rt)
        do_sigaltstack(p, &ss, 0, tf->user_esp);   /* errors ignored, as on Linux */
    /* The interrupted call, if any, was settled when the frame was made:
     * eax is its result. Not a call to restart now, nor to go on with. */
    p->syscall_nr = -1;
    p->restart.fn = 0;
    return (long)sc.ax;
    /* LAB signals frame_restore: end */

bad:
    signal_fault(tf, SIGSEGV, SI_KERNEL, 0, "bad signal frame at sigreturn");
    return (long)tf->eax;
}
