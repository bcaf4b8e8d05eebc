// t_sigreturn: sigreturn and rt_sigreturn with forged frames.
//
// sigreturn believes the frame on the user stack, and the user can write
// anything there: it need not even have had a signal. So a program forges
// one (a ucontext_t at the place rt_sigreturn reads it, esp - 4 + 144; a
// struct sigcontext at esp - 8 + 8 for the old sigreturn, with the rest of
// the mask 720 bytes further) and calls the system call with int $0x80.
// The kernel takes from it what a program may have and nothing more:
//   - a plain forged frame works: the program goes on at the EIP, with the
//     registers, stack pointer and mask the frame gives (both kinds), but
//     SIGKILL and SIGSTOP stay unblockable;
//   - EFLAGS asking for IOPL 3 (or virtual-8086 mode) does not get it: the
//     program lands with IOPL 0, and cli still ends it with SIGSEGV;
//   - a CS or SS asking for ring 0 (RPL 0) lands with RPL 3;
//   - a selector the program may not use (the kernel's code segment, one
//     beyond the GDT, a null SS, an LDT one when there is no LDT) in CS, SS,
//     DS, ES or GS ends the process with SIGSEGV, and so does a frame on an
//     unmapped page: never a kernel fault.
// Each frame is forged in a child of its own.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"

// Linux's i386 rt frame, as rt_sigreturn reads it at esp - 4.
struct rt_frame {
    uint32_t pretcode, sig, pinfo, puc;
    siginfo_t info;          // 128 bytes
    ucontext_t uc;           // the kernel reads up to uc_sigmask's first 8 bytes
};
// The old frame, as sigreturn reads it at esp - 8: the sigcontext (the same
// words as mcontext_t), the 624-byte _fpstate_32 Linux keeps there, then
// the high word of the mask.
struct old_frame {
    uint32_t pretcode, sig;
    mcontext_t sc;
    unsigned char fpstate[624];
    uint32_t extramask;
};

static union {
    struct rt_frame rt;
    struct old_frame old;
} frame __attribute__((aligned(16)));
static uint32_t landstack[2048] __attribute__((aligned(16)));

// Where the program lands: the registers as they arrived, then C.
volatile uint32_t l_esi, l_edi, l_eax, l_esp, l_efl, l_cs, l_ss;
void t_sigreturn_landed(void);
__asm__(".text\n"
        ".globl t_sigreturn_land\n"
        "t_sigreturn_land:\n"
        "    movl %esi, l_esi\n"
        "    movl %edi, l_edi\n"
        "    movl %eax, l_eax\n"
        "    movl %esp, l_esp\n"
        "    pushfl\n"
        "    popl l_efl\n"
        "    movl %cs, %eax\n"
        "    movl %eax, l_cs\n"
        "    movl %ss, %eax\n"
        "    movl %eax, l_ss\n"
        "    call t_sigreturn_landed\n"
        "    hlt\n");
extern char t_sigreturn_land[];

enum what { PLAIN, PLAIN_OLD, IOPL, IOPL_CLI, IOPL_OLD, VM86, CS_RPL0, SS_RPL0 };
static enum what what;
static uint32_t my_cs, my_ss;

#define LAND_ESP ((uintptr_t)&landstack[2048 - 4])

void t_sigreturn_landed(void)
{
    const char *k = what == PLAIN_OLD || what == IOPL_OLD ? "old" : "rt";
    switch (what) {
    case PLAIN:
    case PLAIN_OLD:
        check(l_esi == 0x51515151 && l_edi == 0xd1d1d1d1 && l_eax == 0xaaaa &&
                  l_esp == LAND_ESP,
              tname("sigreturn.%s_forged_regs", k),
              "landed with esi %#x edi %#x eax %#x esp %#x, the frame said 0x51515151 "
              "0xd1d1d1d1 0xaaaa %#x",
              l_esi, l_edi, l_eax, l_esp, (unsigned)LAND_ESP);
        check(is_blocked(SIGUSR2) && is_blocked(SIGRTMIN + 5) && !is_blocked(SIGUSR1),
              tname("sigreturn.%s_forged_mask", k),
              "the frame's mask blocks SIGUSR2 and SIGRTMIN+5; after: %d %d, SIGUSR1 %d",
              is_blocked(SIGUSR2), is_blocked(SIGRTMIN + 5), is_blocked(SIGUSR1));
        {
            sigset_t now;
            syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &now, KSIGSET_SIZE);
            check(!sigismember(&now, SIGKILL) && !sigismember(&now, SIGSTOP),
                  tname("sigreturn.%s_forged_kill_stop", k),
                  "the frame's mask blocks SIGKILL and SIGSTOP too; after: %d %d",
                  sigismember(&now, SIGKILL), sigismember(&now, SIGSTOP));
        }
        break;
    case IOPL:
    case IOPL_OLD:
        check((l_efl & 0x3000) == 0, tname("sigreturn.%s_no_iopl", k),
              "the frame asked for IOPL 3 and the program has EFLAGS %#x (IOPL %u)", l_efl,
              (l_efl >> 12) & 3);
        break;
    case IOPL_CLI:
        __asm__ volatile("cli");    // ends here with SIGSEGV
        break;
    case VM86:
        check((l_efl & 0x20000) == 0, "sigreturn.rt_no_vm86",
              "EFLAGS %#x after a frame that asked for virtual-8086 mode", l_efl);
        break;
    case CS_RPL0:
        check(l_cs == my_cs, "sigreturn.rt_cs_rpl3", "the frame's CS %#x with RPL 0 landed as "
                                                     "%#x, expected %#x",
              my_cs & ~3u, l_cs, my_cs);
        break;
    case SS_RPL0:
        check(l_ss == my_ss, "sigreturn.rt_ss_rpl3", "the frame's SS %#x with RPL 0 landed as "
                                                     "%#x, expected %#x",
              my_ss & ~3u, l_ss, my_ss);
        break;
    }
    _exit(test_status());
}

// Fill m with this program's own segment registers and flags, and the
// landing place.
static void fill(mcontext_t *m)
{
    uint32_t v;
    greg_t *g = m->gregs;
    __asm__("movl %%gs, %0" : "=r"(v));
    g[REG_GS] = v;
    __asm__("movl %%fs, %0" : "=r"(v));
    g[REG_FS] = v;
    __asm__("movl %%es, %0" : "=r"(v));
    g[REG_ES] = v;
    __asm__("movl %%ds, %0" : "=r"(v));
    g[REG_DS] = v;
    __asm__("movl %%cs, %0" : "=r"(v));
    g[REG_CS] = my_cs = v;
    __asm__("movl %%ss, %0" : "=r"(v));
    g[REG_SS] = my_ss = v;
    __asm__ volatile("pushfl; popl %0" : "=r"(v));
    g[REG_EFL] = v;
    g[REG_ESI] = 0x51515151;
    g[REG_EDI] = 0xd1d1d1d1;
    g[REG_EAX] = 0xaaaa;
    g[REG_EIP] = (uintptr_t)t_sigreturn_land;
    g[REG_ESP] = g[REG_UESP] = LAND_ESP;
    m->fpregs = NULL;         // no FPU state: a clean one
}

// Forge a frame, change register reg to value (reg < 0: none; REG_EFL:
// OR value in), and return through it. Does not return.
static void forge(int old, int reg, uint32_t value, uintptr_t at)
{
    memset(&frame, 0, sizeof frame);
    mcontext_t *m = old ? &frame.old.sc : &frame.rt.uc.uc_mcontext;
    fill(m);
    if (reg == REG_EFL)
        m->gregs[REG_EFL] |= value;
    else if (reg >= 0)
        m->gregs[reg] = value;
    unsigned long w0 = KSIGBIT(SIGUSR2) | KSIGBIT(SIGKILL) | KSIGBIT(SIGSTOP);
    unsigned long w1 = KSIGBIT(SIGRTMIN + 5);
    if (old) {
        m->oldmask = w0;
        frame.old.extramask = w1;
    } else {
        unsigned long *mask = (unsigned long *)&frame.rt.uc.uc_sigmask;
        mask[0] = w0;
        mask[1] = w1;
        frame.rt.uc.uc_stack.ss_flags = SS_DISABLE;
    }
    uintptr_t sp = at ? at : (uintptr_t)&frame + (old ? 8 : 4);
    __asm__ volatile("movl %0, %%esp\n"
                     "movl %1, %%eax\n"
                     "int $0x80\n"
                     "hlt\n"
                     :
                     : "r"(sp), "r"(old ? SYS_sigreturn : SYS_rt_sigreturn)
                     : "eax", "memory");
    __builtin_unreachable();
}

struct forged {
    const char *name;
    enum what what;
    int old, reg;
    uint32_t value;
    int sig;                  // 0: lands (and checks in the child), else dies by it
};

static const struct forged cases[] = {
    { "rt_plain", PLAIN, 0, -1, 0, 0 },
    { "old_plain", PLAIN_OLD, 1, -1, 0, 0 },
    { "rt_iopl", IOPL, 0, REG_EFL, 0x3000, 0 },
    { "old_iopl", IOPL_OLD, 1, REG_EFL, 0x3000, 0 },
    { "rt_iopl_cli", IOPL_CLI, 0, REG_EFL, 0x3000, SIGSEGV },
    { "rt_vm86", VM86, 0, REG_EFL, 0x20000, 0 },
    { "rt_cs_rpl0", CS_RPL0, 0, -2, 0, 0 },
    { "rt_ss_rpl0", SS_RPL0, 0, -3, 0, 0 },
    // The kernel's code segment (index 1 on bunshin, and the 32-bit kernel
    // code segment on x86-64 Linux): its DPL is 0.
    { "rt_kernel_cs", PLAIN, 0, REG_CS, 0x08, SIGSEGV },
    { "old_kernel_cs", PLAIN_OLD, 1, REG_CS, 0x08, SIGSEGV },
    { "rt_cs_beyond_gdt", PLAIN, 0, REG_CS, 0xfffb, SIGSEGV },
    { "rt_null_ss", PLAIN, 0, REG_SS, 0, SIGSEGV },
    { "rt_ds_beyond_gdt", PLAIN, 0, REG_DS, 0xfffb, SIGSEGV },
    { "rt_es_ldt", PLAIN, 0, REG_ES, 0x7, SIGSEGV },
    { "rt_gs_beyond_gdt", PLAIN, 0, REG_GS, 0xfffb, SIGSEGV },
};

static void run_case(const struct forged *c, uintptr_t at)
{
    pid_t pid = xfork();
    if (pid == 0) {
        what = c->what;
        int reg = c->reg;
        uint32_t value = c->value;
        if (reg == -2) {        // CS with RPL 0
            __asm__("movl %%cs, %0" : "=r"(value));
            value &= ~3u;
            reg = REG_CS;
        } else if (reg == -3) {
            __asm__("movl %%ss, %0" : "=r"(value));
            value &= ~3u;
            reg = REG_SS;
        }
        forge(c->old, reg, value, at);
    }
    int st = wait_timed(pid, SIG_WAIT_MS);
    if (c->sig)
        check(WIFSIGNALED(st) && WTERMSIG(st) == c->sig, tname("sigreturn.%s", c->name),
              "expected the process to end by %s, but it %s", signame(c->sig), wstr(st));
    else if (st != 0 && st != 1 << 8)   // 1: the child said FAIL itself
        fail(tname("sigreturn.%s", c->name), "the forged frame should land; the process %s",
             wstr(st));
}

static void part_forged(void)
{
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i], 0);
    // A frame on a page that is not there.
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        fail("sigreturn.mmap", "mmap: %s", errname(errno));
        return;
    }
    munmap(p, 4096);
    static const struct forged unmapped[] = {
        { "rt_unmapped_frame", PLAIN, 0, -1, 0, SIGSEGV },
        { "old_unmapped_frame", PLAIN_OLD, 1, -1, 0, SIGSEGV },
    };
    run_case(&unmapped[0], (uintptr_t)p + 2048);
    run_case(&unmapped[1], (uintptr_t)p + 2048);
    // A frame in the kernel's half (on the x86-64 host, an unmapped address
    // of the 32-bit program's 4 GiB).
    static const struct forged kernel = { "rt_kernel_frame", PLAIN, 0, -1, 0, SIGSEGV };
    run_case(&kernel, 0xc0001000);
}

int main(void)
{
    static const struct sig_part parts[] = { { "forged", part_forged } };
    return sig_run_parts("sigreturn", parts, 1);
}
