// t_sigfault: faults arrive as signals, with their details, as Linux i386
// gives them (its x86-64 kernel gives a 32-bit program the same).
//
//   - SIGSEGV: an unmapped address or NULL is SEGV_MAPERR, a write to a
//     read-only page or to the program's code SEGV_ACCERR, with si_addr and
//     the sigcontext's cr2 the address, trapno 14, and err the page fault's
//     error code (bit 1: a write, bit 2: from user mode); EIP is the
//     faulting instruction. A general protection fault (cli, hlt) is
//     si_code SI_KERNEL (0x80), si_addr 0, trapno 13;
//   - SIGFPE: a divide by zero and INT_MIN / -1 are FPE_INTDIV, si_addr the
//     div instruction (trapno 0);
//   - SIGILL: ud2 is ILL_ILLOPN, si_addr the instruction (trapno 6); a
//     handler that moves EIP past it lets the program go on;
//   - SIGTRAP: int3 is SI_KERNEL with si_addr 0 and EIP after the int3
//     (trapno 3), so returning goes on; a single step (EFLAGS.TF) is
//     TRAP_TRACE with si_addr the next instruction (trapno 1);
//   - SIGBUS: an unaligned access with EFLAGS.AC set is BUS_ADRALN, si_addr
//     0 (trapno 17); a page of a file mapping past the end of the file is
//     BUS_ADRERR (skipped where mmap has no file mappings);
//   - a handler recovers with siglongjmp (the mask comes back, and the next
//     fault is caught too); a fault with SIGSEGV blocked or ignored ends the
//     process all the same;
//   - a frame the kernel cannot write (esp on an unmapped or read-only
//     page, no alternate stack) ends the process with SIGSEGV, also when a
//     SIGSEGV handler is installed; with an alternate stack the SIGSEGV
//     handler runs and recovers, from a bad esp and from a real overflow.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"

static sigjmp_buf jb;
static volatile int g_sig, g_code, g_trapno, g_err, g_n, g_skip, g_clear;
static volatile uintptr_t g_addr, g_eip, g_cr2, lab;

// Record the fault; then leave by siglongjmp, or move EIP by g_skip bytes,
// or (g_clear) clear TF and AC, and return.
static void on_fault(int sig, siginfo_t *si, void *p)
{
    ucontext_t *uc = p;
    g_sig = sig;
    g_code = si->si_code;
    g_addr = (uintptr_t)si->si_addr;
    g_trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
    g_err = uc->uc_mcontext.gregs[REG_ERR];
    g_eip = uc->uc_mcontext.gregs[REG_EIP];
    g_cr2 = uc->uc_mcontext.cr2;
    g_n++;
    if (g_skip) {
        uc->uc_mcontext.gregs[REG_EIP] += g_skip;
        return;
    }
    if (g_clear) {
        uc->uc_mcontext.gregs[REG_EFL] &= ~(0x100 | 0x40000);
        return;
    }
    siglongjmp(jb, 1);
}

static void catch_all(void)
{
    static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };
    for (int i = 0; i < 5; i++)
        set_info_handler(sigs[i], on_fault, SA_NODEFER);
}

static void reset(void)
{
    g_sig = g_code = g_trapno = g_err = g_n = g_skip = g_clear = 0;
    g_addr = g_eip = g_cr2 = lab = 0;
}

// Reads and writes at a known instruction (lab).
__attribute__((noinline, noclone)) static void read_at(uintptr_t a)
{
    __asm__ volatile("movl $1f, %0\n1: movl (%1), %%eax" : "=m"(lab) : "r"(a) : "eax", "memory");
}
__attribute__((noinline, noclone)) static void write_at(uintptr_t a)
{
    __asm__ volatile("movl $1f, %0\n1: movl $1, (%1)" : "=m"(lab) : "r"(a) : "memory");
}

static uintptr_t unmapped_page(void)
{
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    munmap(p, 4096);
    return (uintptr_t)p;
}

static void segv_case(const char *name, int write, uintptr_t a, int code)
{
    reset();
    if (!sigsetjmp(jb, 1)) {
        if (write)
            write_at(a);
        else
            read_at(a);
    }
    check(g_sig == SIGSEGV && g_code == code && g_addr == a, tname("sigfault.%s", name),
          "signal %d si_code %d si_addr %#lx, expected SIGSEGV, %d, %#lx", g_sig, g_code,
          (unsigned long)g_addr, code, (unsigned long)a);
    check(g_eip == lab && g_cr2 == a && g_trapno == 14 && (g_err & 4) &&
              !!(g_err & 2) == write,
          tname("sigfault.%s_context", name),
          "EIP %#lx (the access is at %#lx), cr2 %#lx, trapno %d (14), err %#x (4: user, 2: "
          "write)",
          (unsigned long)g_eip, (unsigned long)lab, (unsigned long)g_cr2, g_trapno, g_err);
}

static void part_segv(void)
{
    catch_all();
    uintptr_t gone = unmapped_page();
    segv_case("segv_unmapped_read", 0, gone + 123, SEGV_MAPERR);
    segv_case("segv_unmapped_write", 1, gone + 8, SEGV_MAPERR);
    segv_case("segv_null", 0, 0, SEGV_MAPERR);
    segv_case("segv_kernel_half", 0, 0xc0100000, SEGV_MAPERR);
    void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    (void)*(volatile char *)ro;     // present: the write is a protection fault
    segv_case("segv_readonly", 1, (uintptr_t)ro + 64, SEGV_ACCERR);
    segv_case("segv_code", 1, (uintptr_t)read_at, SEGV_ACCERR);

    static const char *const gp[] = { "cli", "hlt" };
    for (int i = 0; i < 2; i++) {
        reset();
        if (!sigsetjmp(jb, 1)) {
            if (i == 0)
                __asm__ volatile("movl $1f, %0\n1: cli" : "=m"(lab)::"memory");
            else
                __asm__ volatile("movl $1f, %0\n1: hlt" : "=m"(lab)::"memory");
        }
        check(g_sig == SIGSEGV && g_code == SI_KERNEL && g_addr == 0 && g_trapno == 13 &&
                  g_eip == lab,
              tname("sigfault.gp_%s", gp[i]),
              "signal %d si_code %d (SI_KERNEL is 128) si_addr %#lx trapno %d (13) EIP %#lx "
              "(%#lx)",
              g_sig, g_code, (unsigned long)g_addr, g_trapno, (unsigned long)g_eip,
              (unsigned long)lab);
    }

    // siglongjmp put the mask back (SIGSEGV is not blocked), and the next
    // fault is caught as well.
    check(!is_blocked(SIGSEGV), "sigfault.siglongjmp_mask",
          "SIGSEGV is still blocked after leaving its handler by siglongjmp");
    set_info_handler(SIGSEGV, on_fault, 0);   // no SA_NODEFER: blocked in the handler
    static volatile int caught, i;     // static: kept across siglongjmp
    for (caught = 0, i = 0; i < 2; i++) {
        reset();
        if (!sigsetjmp(jb, 1))
            read_at(0);
        caught += g_sig == SIGSEGV;
    }
    check(caught == 2 && !is_blocked(SIGSEGV), "sigfault.caught_again",
          "two faults in a row: %d caught, SIGSEGV blocked after: %d", caught,
          is_blocked(SIGSEGV));
}

static void part_fpe_ill_trap(void)
{
    catch_all();
    reset();
    if (!sigsetjmp(jb, 1))
        __asm__ volatile("movl $1f, %0\n xorl %%edx, %%edx\n movl $1, %%eax\n xorl %%ecx, %%ecx\n"
                         "1: divl %%ecx"
                         : "=m"(lab)::"eax", "ecx", "edx", "memory");
    check(g_sig == SIGFPE && g_code == FPE_INTDIV && g_addr == lab && g_eip == lab &&
              g_trapno == 0,
          "sigfault.fpe_div_zero", "signal %d si_code %d (FPE_INTDIV is 1) si_addr %#lx EIP "
                                   "%#lx (the div is at %#lx) trapno %d",
          g_sig, g_code, (unsigned long)g_addr, (unsigned long)g_eip, (unsigned long)lab,
          g_trapno);
    reset();
    if (!sigsetjmp(jb, 1))
        __asm__ volatile("movl $1f, %0\n movl $0x80000000, %%eax\n cltd\n movl $-1, %%ecx\n"
                         "1: idivl %%ecx"
                         : "=m"(lab)::"eax", "ecx", "edx", "memory");
    check(g_sig == SIGFPE && g_code == FPE_INTDIV && g_addr == lab, "sigfault.fpe_overflow",
          "INT_MIN / -1: signal %d si_code %d si_addr %#lx (the idiv is at %#lx)", g_sig,
          g_code, (unsigned long)g_addr, (unsigned long)lab);

    reset();
    if (!sigsetjmp(jb, 1))
        __asm__ volatile("movl $1f, %0\n1: ud2" : "=m"(lab)::"memory");
    check(g_sig == SIGILL && g_code == ILL_ILLOPN && g_addr == lab && g_eip == lab &&
              g_trapno == 6,
          "sigfault.ill_ud2", "signal %d si_code %d (ILL_ILLOPN is 2) si_addr %#lx EIP %#lx "
                              "(ud2 is at %#lx) trapno %d",
          g_sig, g_code, (unsigned long)g_addr, (unsigned long)g_eip, (unsigned long)lab,
          g_trapno);
    // A handler that steps over the two bytes of ud2.
    reset();
    g_skip = 2;
    volatile int after = 0;
    __asm__ volatile("ud2\n movl $1, %0" : "=m"(after)::"memory");
    check(g_n == 1 && after == 1, "sigfault.ill_skip", "the handler moved EIP past ud2: it "
                                                       "ran %d times, the next instruction %s",
          g_n, after ? "ran" : "did not run");

    reset();
    g_clear = 1;
    __asm__ volatile("int3\n1: movl $1b, %0" : "=m"(lab)::"memory");
    check(g_sig == SIGTRAP && g_code == SI_KERNEL && g_addr == 0 && g_eip == lab &&
              g_trapno == 3,
          "sigfault.trap_int3", "signal %d si_code %d (SI_KERNEL is 128) si_addr %#lx EIP %#lx "
                                "(after the int3: %#lx) trapno %d",
          g_sig, g_code, (unsigned long)g_addr, (unsigned long)g_eip, (unsigned long)lab,
          g_trapno);
    // Single step: popf sets TF, the instruction after it runs, then #DB.
    reset();
    g_clear = 1;
    __asm__ volatile("pushfl\n orl $0x100, (%%esp)\n popfl\n nop\n1: nop\n movl $1b, %0"
                     : "=m"(lab)::"memory", "cc");
    check(g_n == 1 && g_sig == SIGTRAP && g_code == TRAP_TRACE && g_addr == lab &&
              g_eip == lab && g_trapno == 1,
          "sigfault.trap_single_step", "%d signals: %d si_code %d (TRAP_TRACE is 2) si_addr "
                                       "%#lx EIP %#lx (expected %#lx) trapno %d",
          g_n, g_sig, g_code, (unsigned long)g_addr, (unsigned long)g_eip, (unsigned long)lab,
          g_trapno);
}

static void part_bus(void)
{
    catch_all();
    reset();
    g_clear = 1;   // clear AC and go on: the access runs again, aligned checks off
    static char buf[16] __attribute__((aligned(16)));
    __asm__ volatile("pushfl\n orl $0x40000, (%%esp)\n popfl\n"
                     "movl $1f, %0\n1: movl 1(%1), %%eax\n"
                     "pushfl\n andl $~0x40000, (%%esp)\n popfl\n"
                     : "=m"(lab)
                     : "r"(buf)
                     : "eax", "memory", "cc");
    if (on_bunshin() && g_sig == 0) {
        // bunshin sets CR0.AM as Linux does, but QEMU's emulator (TCG), where
        // bunshin's tests run, does not implement alignment checking: the
        // access just works.
        skip("sigfault.bus_unaligned", "QEMU's TCG raises no #AC for a misaligned access");
    } else {
        check(g_sig == SIGBUS && g_code == BUS_ADRALN && g_addr == 0 && g_eip == lab &&
                  g_trapno == 17,
              "sigfault.bus_unaligned", "signal %d si_code %d (BUS_ADRALN is 1) si_addr %#lx "
                                        "EIP %#lx (%#lx) trapno %d (17)",
              g_sig, g_code, (unsigned long)g_addr, (unsigned long)g_eip, (unsigned long)lab,
              g_trapno);
    }

    const char *path = scratch_path(tname("t_sigfault.%d", (int)getpid()));
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    unlink(path);
    if (fd < 0 || write(fd, "short file", 10) != 10) {
        fail("sigfault.bus_file", "a scratch file: %s", errname(errno));
        return;
    }
    char *m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        skip("sigfault.bus_past_eof", "mmap of a file: %s (no file mappings here yet)",
             errname(errno));
        close(fd);
        return;
    }
    reset();
    if (!sigsetjmp(jb, 1))
        read_at((uintptr_t)m + 4096 + 16);
    check(g_sig == SIGBUS && g_code == BUS_ADRERR && g_addr == (uintptr_t)m + 4096 + 16,
          "sigfault.bus_past_eof", "a page past the end of a 10-byte file: signal %d si_code %d "
                                   "(BUS_ADRERR is 2) si_addr %#lx (%p)",
          g_sig, g_code, (unsigned long)g_addr, (void *)(m + 4096 + 16));
    munmap(m, 8192);
    close(fd);
}

// --- what cannot be caught ------------------------------------------------------------

static void fault_blocked(void *arg)
{
    (void)arg;
    catch_all();
    block_one(SIGSEGV);
    read_at(0);
    _exit(0);
}

static void fault_ignored(void *arg)
{
    (void)arg;
    signal(SIGSEGV, SIG_IGN);
    read_at(0);
    _exit(0);
}

// kill(getpid(), SIGUSR1) with esp at a: the frame goes there.
static void usr1_on_stack(uintptr_t a)
{
    int pid = getpid();
    __asm__ volatile("movl %%esp, %%esi\n"
                     "movl %2, %%esp\n"
                     "movl $37, %%eax\n"
                     "int $0x80\n"
                     "movl %%esi, %%esp\n"
                     :
                     : "b"(pid), "c"(SIGUSR1), "r"(a)
                     : "eax", "esi", "memory");
}

static volatile int stack_kind;
static void nothing(int sig)
{
    (void)sig;
}

static void bad_stack_signal(void *arg)
{
    (void)arg;
    set_handler(SIGUSR1, nothing, 0);
    if (stack_kind == 3)
        catch_all();            // a SIGSEGV handler: no place for its frame either
    uintptr_t a;
    if (stack_kind == 0 || stack_kind == 3)
        a = unmapped_page() + 2048;
    else if (stack_kind == 1)
        a = (uintptr_t)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) + 2048;
    else
        a = 0xc0100000;
    usr1_on_stack(a);
    _exit(0);                   // the signal came back: the frame went somewhere
}

// With an alternate stack the SIGSEGV handler has somewhere to run.
static char alt[65536] __attribute__((aligned(16)));

static void rescue_bad_esp(void *arg)
{
    (void)arg;
    stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    set_info_handler(SIGSEGV, on_fault, SA_ONSTACK | SA_NODEFER);
    uintptr_t a = unmapped_page() + 2048;
    reset();
    if (!sigsetjmp(jb, 1))
        __asm__ volatile("movl %0, %%esp\n pushl $0\n" : : "r"(a) : "memory");
    _exit(g_sig == SIGSEGV && g_addr == a - 4 ? 0 : 1);
}

static volatile int depth, no_end = 1 << 30;
__attribute__((noinline)) static int recurse(int n)
{
    volatile char frame[1024];
    frame[0] = (char)n;
    depth = n;
    return n < no_end ? recurse(n + 1) + frame[0] : 0;
}

static void rescue_overflow(void *arg)
{
    (void)arg;
    stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    set_info_handler(SIGSEGV, on_fault, SA_ONSTACK | SA_NODEFER);
    reset();
    if (!sigsetjmp(jb, 1))
        recurse(0);
    _exit(g_sig == SIGSEGV && depth > 1000 ? 0 : 1);
}

static void part_uncatchable(void)
{
    int st = child_timed(fault_blocked, NULL, SIG_WAIT_MS);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "sigfault.blocked_kills",
          "a NULL read with SIGSEGV blocked (a handler installed): the child %s", wstr(st));
    st = child_timed(fault_ignored, NULL, SIG_WAIT_MS);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "sigfault.ignored_kills",
          "a NULL read with SIGSEGV ignored: the child %s", wstr(st));

    static const char *const kinds[] = { "frame_unmapped_stack", "frame_readonly_stack",
                                         "frame_kernel_stack", "frame_segv_handler" };
    for (int k = 0; k < 4; k++) {
        stack_kind = k;
        st = child_timed(bad_stack_signal, NULL, SIG_WAIT_MS);
        check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, tname("sigfault.%s", kinds[k]),
              "SIGUSR1 with esp on %s: the child %s, expected killed by SIGSEGV",
              k == 0 || k == 3 ? "an unmapped page" : k == 1 ? "a read-only page"
                                                             : "a kernel address",
              wstr(st));
    }
    st = child_timed(rescue_bad_esp, NULL, SIG_WAIT_MS);
    check(st == 0, "sigfault.altstack_bad_esp", "a push with esp unmapped, a SIGSEGV handler "
                                                "on an alternate stack: the child %s (exit 1: "
                                                "not caught as expected)",
          wstr(st));
    st = child_timed(rescue_overflow, NULL, SIG_WAIT_MS * 4);
    check(st == 0, "sigfault.altstack_overflow", "endless recursion, a SIGSEGV handler on an "
                                                 "alternate stack: the child %s",
          wstr(st));
}

int main(void)
{
    static const struct sig_part parts[] = {
        { "segv", part_segv },
        { "fpe_ill_trap", part_fpe_ill_trap },
        { "bus", part_bus },
        { "uncatchable", part_uncatchable },
    };
    return sig_run_parts("sigfault", parts, sizeof parts / sizeof parts[0]);
}
