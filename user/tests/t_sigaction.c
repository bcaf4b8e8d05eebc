// t_sigaction: installing handlers, and what a handler gets, as Linux i386
// has it.
//
//   - rt_sigaction (174) and the old sigaction (67, struct old_sigaction:
//     handler, one word of mask, flags, restorer) set a handler and read it
//     back; a handler installed with the old call runs and comes back
//     through its restorer (sigreturn, 119);
//   - while a handler runs, its sa_mask is blocked, and its own signal too
//     unless SA_NODEFER; a signal raised inside waits until the handler has
//     returned; the mask before the handler comes back; SA_RESETHAND puts
//     SIG_DFL back after one delivery;
//   - SA_SIGINFO: siginfo_t says who sent the signal and how (SI_USER from
//     kill, SI_TKILL from tkill, SI_QUEUE with a value from sigqueue); the
//     frame is laid out as Linux builds it (the siginfo_t and ucontext_t
//     right after the three arguments, the return address the restorer);
//   - the interrupted registers are in the frame (uc_mcontext.gregs for the
//     rt frame, the struct sigcontext after the signal number for the old
//     frame a handler without SA_SIGINFO gets), with the mask before the
//     handler; and what a handler writes there is what the program resumes
//     with: another EIP, other registers, another mask;
//   - bad input: signal numbers 0, 65 and -1, a sigset size other than 8,
//     bad pointers.
// The FPU state is in t_sigfpu, the alternate stack in t_sigaltstack, forged
// frames in t_sigreturn.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"

// A restorer is only this: the instructions the handler returns into. This
// one is the old frame's (the same as musl's __restore): pop the signal
// number the frame still holds, then sigreturn.
__asm__(".text\n"
        ".globl t_sigaction_restore\n"
        "t_sigaction_restore:\n"
        "    popl %eax\n"
        "    movl $119, %eax\n"
        "    int $0x80\n");
extern char t_sigaction_restore[];

// The old sigaction's struct (syscall 67).
struct old_ksigaction {
    void *handler;
    unsigned long mask;
    unsigned long flags;
    void *restorer;
};

static volatile sig_atomic_t hits;
static volatile void *ret_addr;

static long raw_sigaction(int sig, const struct ksigaction *act, struct ksigaction *old)
{
    return syscall(SYS_rt_sigaction, sig, act, old, KSIGSET_SIZE);
}

// --- set and read back -------------------------------------------------------

static void plain_handler(int sig)
{
    (void)sig;
    hits++;
    ret_addr = __builtin_return_address(0);
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    hits++;
}

static void part_readback(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = info_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGRTMIN + 5);
    if (sigaction(SIGUSR1, &sa, NULL) < 0) {
        fail("sigaction.set", "sigaction: %s", errname(errno));
        return;
    }
    struct ksigaction k;
    memset(&k, 0x55, sizeof k);
    long r = raw_sigaction(SIGUSR1, NULL, &k);
    check(r == 0 && k.handler == (void *)info_handler, "sigaction.readback_handler",
          "rt_sigaction gave %ld, handler %p, expected %p", r, k.handler, (void *)info_handler);
    unsigned long want = SA_SIGINFO | SA_RESTART | SA_RESTORER;
    check(k.flags == want && k.restorer != NULL, "sigaction.readback_flags",
          "flags %#lx (expected %#lx: musl adds SA_RESTORER), restorer %p", k.flags, want,
          k.restorer);
    unsigned long w0 = KSIGBIT(SIGUSR2) | KSIGBIT(SIGTERM);
    unsigned long w1 = KSIGBIT(SIGRTMIN + 5);
    check(k.mask[0] == w0 && k.mask[1] == w1, "sigaction.readback_mask",
          "mask %#lx %#lx, expected %#lx %#lx", k.mask[0], k.mask[1], w0, w1);
    // Installing another returns this one as the old action.
    sa.sa_handler = SIG_IGN;
    sa.sa_flags = 0;
    memset(&old, 0, sizeof old);
    r = sigaction(SIGUSR1, &sa, &old);
    check(r == 0 && old.sa_sigaction == info_handler && (old.sa_flags & SA_SIGINFO) &&
              sigismember(&old.sa_mask, SIGTERM) == 1,
          "sigaction.oldact", "the old action: %p flags %#x", (void *)old.sa_sigaction,
          (unsigned)old.sa_flags);

    // The old call, 67: one word of mask. Read what rt_sigaction set...
    struct old_ksigaction o;
    sigaction(SIGUSR1, &(struct sigaction){ .sa_handler = plain_handler, .sa_flags = SA_RESTART },
              NULL);
    memset(&o, 0x55, sizeof o);
    r = syscall(SYS_sigaction, SIGUSR1, NULL, &o);
    check(r == 0 && o.handler == (void *)plain_handler && o.mask == 0 &&
              o.flags == (SA_RESTART | SA_RESTORER) && o.restorer != NULL,
          "sigaction.old_readback", "sigaction(67) gave %ld: handler %p mask %#lx flags %#lx", r,
          o.handler, o.mask, o.flags);
    // ...and set one with it, with our own restorer.
    o.handler = (void *)plain_handler;
    o.mask = KSIGBIT(SIGUSR2);
    o.flags = SA_RESTORER;
    o.restorer = t_sigaction_restore;
    r = syscall(SYS_sigaction, SIGUSR1, &o, NULL);
    memset(&k, 0x55, sizeof k);
    raw_sigaction(SIGUSR1, NULL, &k);
    check(r == 0 && k.handler == (void *)plain_handler && k.mask[0] == KSIGBIT(SIGUSR2) &&
              k.mask[1] == 0 && k.flags == SA_RESTORER &&
              k.restorer == (void *)t_sigaction_restore,
          "sigaction.old_set", "sigaction(67) gave %ld; rt_sigaction reads handler %p mask %#lx "
          "%#lx flags %#lx restorer %p",
          r, k.handler, k.mask[0], k.mask[1], k.flags, k.restorer);
    hits = 0;
    kill(getpid(), SIGUSR1);
    check(hits == 1, "sigaction.old_delivers", "the handler ran %d times", (int)hits);
    check(ret_addr == (void *)t_sigaction_restore, "sigaction.old_returns_to_restorer",
          "the handler's return address %p, the restorer %p", (void *)ret_addr,
          (void *)t_sigaction_restore);
}

// --- the mask during a handler -------------------------------------------------

static char order[16];
static volatile sig_atomic_t norder, depth, max_depth, self_blocked, other_blocked;

static void note(char c)
{
    if (norder < (int)sizeof order - 1)
        order[norder++] = c;
}

static void usr2_note(int sig)
{
    (void)sig;
    note('c');
}

static void usr1_masking(int sig)
{
    note('a');
    self_blocked = is_blocked(sig);
    other_blocked = is_blocked(SIGUSR2);
    raise(SIGUSR2);            // blocked here: runs after this handler
    note('b');
}

static void usr1_nesting(int sig)
{
    hits++;
    if (++depth > max_depth)
        max_depth = depth;
    if (hits == 1) {
        self_blocked = is_blocked(sig);
        raise(sig);
    }
    depth--;
}

static void usr1_once(int sig)
{
    (void)sig;
    hits++;
}

static void second_kill(void *arg)
{
    (void)arg;
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);   // SIG_DFL by now: the child ends here
    _exit(0);
}

static void part_mask(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = usr1_masking;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    set_handler(SIGUSR2, usr2_note, 0);
    kill(getpid(), SIGUSR1);
    check(other_blocked, "sigaction.sa_mask_blocked", "SIGUSR2, in sa_mask, was not blocked "
                                                      "in the handler");
    check(self_blocked, "sigaction.self_blocked", "SIGUSR1 was not blocked in its own handler");
    order[norder] = 0;
    check_str("sigaction.deferred_until_return", "abc", order);
    check(!is_blocked(SIGUSR1) && !is_blocked(SIGUSR2), "sigaction.mask_restored",
          "after the handler: SIGUSR1 blocked %d, SIGUSR2 blocked %d", is_blocked(SIGUSR1),
          is_blocked(SIGUSR2));

    // Without SA_NODEFER, raising the same signal inside waits for the end.
    set_handler(SIGUSR1, usr1_nesting, 0);
    hits = depth = max_depth = 0;
    kill(getpid(), SIGUSR1);
    check(hits == 2 && max_depth == 1, "sigaction.same_signal_deferred",
          "the handler ran %d times, %d deep (expected 2 times, 1 deep)", (int)hits,
          (int)max_depth);
    // With it, the handler interrupts itself.
    set_handler(SIGUSR1, usr1_nesting, SA_NODEFER);
    hits = depth = max_depth = 0;
    self_blocked = 1;
    kill(getpid(), SIGUSR1);
    check(!self_blocked, "sigaction.nodefer_not_blocked", "SIGUSR1 was blocked in its own "
                                                          "handler despite SA_NODEFER");
    check(hits == 2 && max_depth == 2, "sigaction.nodefer_nests",
          "the handler ran %d times, %d deep (expected 2 times, 2 deep)", (int)hits,
          (int)max_depth);

    // SA_RESETHAND: one delivery, then SIG_DFL.
    set_handler(SIGUSR1, usr1_once, SA_RESETHAND);
    hits = 0;
    kill(getpid(), SIGUSR1);
    struct sigaction now;
    sigaction(SIGUSR1, NULL, &now);
    check(hits == 1 && now.sa_handler == SIG_DFL, "sigaction.resethand",
          "the handler ran %d times; afterwards the handler is %p (SIG_DFL is 0)", (int)hits,
          (void *)now.sa_handler);
    set_handler(SIGUSR1, usr1_once, SA_RESETHAND);
    int st = child_timed(second_kill, NULL, SIG_WAIT_MS);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1, "sigaction.resethand_second_kills",
          "a second SIGUSR1 after a SA_RESETHAND handler: the child %s", wstr(st));
}

// --- siginfo_t and the rt frame --------------------------------------------------

static siginfo_t got;
static volatile int layout_ok;
static volatile void *got_uc, *got_info, *got_sigp;

static void recording(int sig, siginfo_t *si, void *uc)
{
    hits++;
    got = *si;
    got_info = si;
    got_uc = uc;
    got_sigp = &sig;
    ret_addr = __builtin_return_address(0);
}

static void part_siginfo(void)
{
    set_info_handler(SIGUSR1, recording, 0);
    pid_t me = getpid();
    uid_t uid = getuid();

    memset(&got, 0x55, sizeof got);
    kill(me, SIGUSR1);
    check(got.si_signo == SIGUSR1 && got.si_errno == 0 && got.si_code == SI_USER,
          "siginfo.kill_code", "si_signo %d si_errno %d si_code %d (SI_USER is 0)",
          got.si_signo, got.si_errno, got.si_code);
    check(got.si_pid == me && got.si_uid == uid, "siginfo.kill_sender",
          "si_pid %d si_uid %d, expected %d %d", (int)got.si_pid, (int)got.si_uid, (int)me,
          (int)uid);

    memset(&got, 0x55, sizeof got);
    syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR1);
    check(got.si_signo == SIGUSR1 && got.si_code == SI_TKILL && got.si_pid == me &&
              got.si_uid == uid,
          "siginfo.tkill", "si_signo %d si_code %d (SI_TKILL is -6) si_pid %d si_uid %d",
          got.si_signo, got.si_code, (int)got.si_pid, (int)got.si_uid);

    memset(&got, 0x55, sizeof got);
    sigqueue(me, SIGUSR1, (union sigval){ .sival_int = 12345 });
    check(got.si_code == SI_QUEUE && got.si_value.sival_int == 12345 && got.si_pid == me &&
              got.si_uid == uid,
          "siginfo.sigqueue", "si_code %d (SI_QUEUE is -1) si_value %d si_pid %d si_uid %d",
          got.si_code, got.si_value.sival_int, (int)got.si_pid, (int)got.si_uid);

    // Linux's rt frame: return address (the restorer), sig, &info, &uc,
    // then info itself (128 bytes), then uc.
    struct ksigaction k;
    raw_sigaction(SIGUSR1, NULL, &k);
    check(got_info == (char *)got_sigp + 12 && got_uc == (char *)got_info + 128,
          "siginfo.frame_layout", "&sig %p, info %p (expected &sig + 12), uc %p (expected "
          "info + 128)",
          (void *)got_sigp, (void *)got_info, (void *)got_uc);
    check(ret_addr == k.restorer, "siginfo.returns_to_restorer",
          "the handler returns to %p, the restorer is %p", (void *)ret_addr, k.restorer);
}

// --- the interrupted registers ------------------------------------------------------

static volatile unsigned long at_eip, at_esp, at_cs, redirect_to;
static ucontext_t got_ctx;
static struct sigcontext got_sc;
static volatile unsigned long set_eip, set_edi, set_eax;
static volatile int add_usr2;

// kill(getpid(), sig) with known values in esi and edi; at_eip is where
// the program goes on after int $0x80, at_esp its stack pointer there. If
// a handler sends it to redirect_to instead, esi becomes 7. Never inlined:
// the labels must be the same in every call.
__attribute__((noinline, noclone)) static unsigned long kill_marked(int sig, unsigned long *edi, unsigned long *eax)
{
    unsigned long si, di, ax;
    int pid = getpid();
    __asm__ volatile("movl %%cs, %%eax\n"
                     "movl %%eax, %[cs]\n"
                     "movl $0x51515151, %%esi\n"
                     "movl $0xd1d1d1d1, %%edi\n"
                     "movl $1f, %[eip]\n"
                     "movl $2f, %[to]\n"
                     "movl %%esp, %[esp]\n"
                     "movl $37, %%eax\n"
                     "int $0x80\n"
                     "1: jmp 3f\n"
                     "2: movl $7, %%esi\n"
                     "3:\n"
                     : "=&S"(si), "=&D"(di), "=&a"(ax), [eip] "=m"(at_eip), [esp] "=m"(at_esp),
                       [cs] "=m"(at_cs), [to] "=m"(redirect_to)
                     : "b"(pid), "c"(sig)
                     : "memory");
    *edi = di;
    *eax = ax;
    return si;
}

static void ctx_rt(int sig, siginfo_t *si, void *p)
{
    (void)sig, (void)si;
    ucontext_t *uc = p;
    got_ctx = *uc;
    if (set_eip)
        uc->uc_mcontext.gregs[REG_EIP] = set_eip;
    if (set_edi)
        uc->uc_mcontext.gregs[REG_EDI] = set_edi;
    if (set_eax)
        uc->uc_mcontext.gregs[REG_EAX] = set_eax;
    if (add_usr2)
        sigaddset(&uc->uc_sigmask, SIGUSR2);
}

// A handler without SA_SIGINFO gets the old frame: its struct sigcontext
// starts right after the signal number.
static void ctx_old(int sig)
{
    uintptr_t where = (uintptr_t)&sig + 4;
    __asm__("" : "+r"(where));      // the compiler knows nothing of the frame
    struct sigcontext *sc = (struct sigcontext *)where;
    got_sc = *sc;
    if (set_eip)
        sc->eip = set_eip;
    if (set_edi)
        sc->edi = set_edi;
    if (set_eax)
        sc->eax = set_eax;
}

static void part_registers(void)
{
    unsigned long edi, eax, esi;
    block_one(SIGUSR2);
    set_info_handler(SIGUSR1, ctx_rt, 0);
    esi = kill_marked(SIGUSR1, &edi, &eax);
    greg_t *g = got_ctx.uc_mcontext.gregs;
    check((unsigned long)g[REG_EIP] == at_eip && (unsigned long)g[REG_ESP] == at_esp,
          "ucontext.eip_esp", "gregs EIP %#x ESP %#x, expected %#lx %#lx", g[REG_EIP],
          g[REG_ESP], at_eip, at_esp);
    check(g[REG_ESI] == 0x51515151 && g[REG_EDI] == (greg_t)0xd1d1d1d1 && g[REG_EAX] == 0,
          "ucontext.gregs", "ESI %#x EDI %#x EAX %#x (kill's result), expected 0x51515151 "
          "0xd1d1d1d1 0",
          g[REG_ESI], g[REG_EDI], g[REG_EAX]);
    check((unsigned long)g[REG_CS] == at_cs && (g[REG_EFL] & 0x200),
          "ucontext.cs_eflags", "CS %#x (expected %#lx), EFLAGS %#x (IF, 0x200, expected)",
          g[REG_CS], at_cs, g[REG_EFL]);
    check(sigismember(&got_ctx.uc_sigmask, SIGUSR2) == 1 &&
              sigismember(&got_ctx.uc_sigmask, SIGUSR1) == 0,
          "ucontext.sigmask", "uc_sigmask must be the mask before the handler: SIGUSR2 %d, "
          "SIGUSR1 %d (expected 1, 0)",
          sigismember(&got_ctx.uc_sigmask, SIGUSR2), sigismember(&got_ctx.uc_sigmask, SIGUSR1));
    // uc_stack is the alternate stack's setting (none here). Its ss_flags
    // is not SS_DISABLE: Linux writes the flags last given to sigaltstack,
    // 0 for a process that never called it.
    check(got_ctx.uc_stack.ss_sp == NULL && got_ctx.uc_stack.ss_size == 0 &&
              got_ctx.uc_link == NULL,
          "ucontext.stack_link", "uc_stack.ss_sp %p ss_size %zu (no alternate stack), "
          "uc_link %p",
          got_ctx.uc_stack.ss_sp, got_ctx.uc_stack.ss_size, (void *)got_ctx.uc_link);
    check(esi == 0x51515151 && edi == 0xd1d1d1d1 && eax == 0, "ucontext.untouched_resume",
          "after the handler: esi %#lx edi %#lx eax %#lx", esi, edi, eax);

    // What the handler writes into the frame is what the program gets.
    set_eip = redirect_to;
    set_edi = 0xfeedface;
    set_eax = 4321;
    add_usr2 = 1;
    unblock_one(SIGUSR2);
    esi = kill_marked(SIGUSR1, &edi, &eax);
    check(esi == 7, "ucontext.set_eip", "the handler set EIP to the other path, but esi is "
                                         "%#lx (7 there)", esi);
    check(edi == 0xfeedface && eax == 4321, "ucontext.set_regs",
          "the handler set EDI 0xfeedface and EAX 4321, the program has %#lx and %lu", edi, eax);
    check(is_blocked(SIGUSR2), "ucontext.set_sigmask", "the handler added SIGUSR2 to "
                                                       "uc_sigmask, but it is not blocked after");

    // The old frame (no SA_SIGINFO: musl's restorer calls sigreturn, 119).
    unblock_one(SIGUSR2);
    block_one(SIGHUP);
    set_eip = set_edi = set_eax = 0;
    set_handler(SIGUSR1, ctx_old, 0);
    esi = kill_marked(SIGUSR1, &edi, &eax);
    check(got_sc.eip == at_eip && got_sc.esp == at_esp && got_sc.esi == 0x51515151 &&
              got_sc.edi == 0xd1d1d1d1 && got_sc.cs == at_cs,
          "sigcontext.regs", "sigcontext eip %#lx esp %#lx esi %#lx edi %#lx cs %#x, expected "
          "%#lx %#lx 0x51515151 0xd1d1d1d1 %#lx",
          got_sc.eip, got_sc.esp, got_sc.esi, got_sc.edi, got_sc.cs, at_eip, at_esp, at_cs);
    check(got_sc.oldmask == KSIGBIT(SIGHUP), "sigcontext.oldmask",
          "oldmask %#lx, expected the mask before the handler, %#lx", got_sc.oldmask,
          KSIGBIT(SIGHUP));
    set_eip = redirect_to;
    set_edi = 0xabad1dea;
    set_eax = 99;
    esi = kill_marked(SIGUSR1, &edi, &eax);
    check(esi == 7 && edi == 0xabad1dea && eax == 99, "sigcontext.set_regs",
          "the handler set eip, edi 0xabad1dea, eax 99 in the sigcontext: esi %#lx (7 if "
          "redirected), edi %#lx, eax %lu",
          esi, edi, eax);
}

// --- bad input -------------------------------------------------------------------------

static void part_bad_input(void)
{
    struct ksigaction k = { .handler = (void *)plain_handler };
    static const int bad[] = { 0, 65, -1 };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check_errno(tname("sigaction.bad_signal_%d", bad[i]), raw_sigaction(bad[i], &k, NULL),
                    EINVAL);
    check_errno("sigaction.bad_signal_old", syscall(SYS_sigaction, 65, NULL, NULL), EINVAL);
    check_errno("sigaction.size_4", syscall(SYS_rt_sigaction, SIGUSR1, &k, NULL, 4), EINVAL);
    check_errno("sigaction.size_16", syscall(SYS_rt_sigaction, SIGUSR1, &k, NULL, 16), EINVAL);
    check_errno("sigaction.efault_act", raw_sigaction(SIGUSR1, (void *)1, NULL), EFAULT);
    check_errno("sigaction.efault_act_kernel", raw_sigaction(SIGUSR1, (void *)0xc0001000, NULL),
                EFAULT);
    check_errno("sigaction.efault_old_act", syscall(SYS_sigaction, SIGUSR1, (void *)1, NULL),
                EFAULT);
    // A bad oldact: Linux installs the new action first, then fails to
    // write the old one. The call says EFAULT, and the handler is in place.
    check_errno("sigaction.efault_oldact", raw_sigaction(SIGUSR1, &k, (void *)1), EFAULT);
    struct ksigaction now;
    raw_sigaction(SIGUSR1, NULL, &now);
    check(now.handler == (void *)plain_handler, "sigaction.efault_oldact_installed",
          "after EFAULT for oldact the handler is %p, expected %p (Linux installs it first)",
          now.handler, (void *)plain_handler);
}

int main(void)
{
    static const struct sig_part parts[] = {
        { "readback", part_readback },   { "mask", part_mask },
        { "siginfo", part_siginfo },     { "registers", part_registers },
        { "bad_input", part_bad_input },
    };
    return sig_run_parts("sigaction", parts, sizeof parts / sizeof parts[0]);
}
