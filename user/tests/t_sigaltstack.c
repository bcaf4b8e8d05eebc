// t_sigaltstack: SA_ONSTACK handlers on an alternate signal stack.
//
// A handler installed with SA_ONSTACK runs on the stack sigaltstack named:
// the address of one of its locals is inside it, sigaltstack says
// SS_ONSTACK there (and refuses to change it, EPERM), the frame's uc_stack
// holds the setting and its ESP the interrupted stack pointer outside it; a
// second SA_ONSTACK signal taken inside goes on below the first, not back to
// the top. A handler without SA_ONSTACK, or any handler after SS_DISABLE,
// runs on the ordinary stack. Bad input: a size below MINSIGSTKSZ (2048 on
// i386) is ENOMEM, unknown flags EINVAL, a bad pointer EFAULT (these through
// the raw system call: musl checks the size and SS_ONSTACK itself). Linux
// still accepts SS_ONSTACK as a flag when setting, as it always has.
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

#define ALT_SIZE (64 * 1024)
static char alt[ALT_SIZE] __attribute__((aligned(16)));

static volatile uintptr_t local1, local2, frame_esp;
static volatile int flags_inside, eperm_inside, usr2_inside;
static volatile void *uc_sp;
static volatile size_t uc_size;

static int on_alt(uintptr_t a)
{
    return a >= (uintptr_t)alt && a < (uintptr_t)alt + ALT_SIZE;
}

static void usr2_handler(int sig)
{
    volatile char here;
    (void)sig;
    local2 = (uintptr_t)&here;
    usr2_inside = 1;
}

static void usr1_handler(int sig, siginfo_t *si, void *p)
{
    volatile char here;
    (void)sig, (void)si;
    ucontext_t *uc = p;
    local1 = (uintptr_t)&here;
    frame_esp = uc->uc_mcontext.gregs[REG_ESP];
    uc_sp = uc->uc_stack.ss_sp;
    uc_size = uc->uc_stack.ss_size;
    stack_t cur;
    flags_inside = sigaltstack(NULL, &cur) == 0 ? cur.ss_flags : -1;
    // Changing the stack one is running on is refused.
    stack_t other = { .ss_sp = alt, .ss_size = ALT_SIZE / 2, .ss_flags = 0 };
    long r = syscall(SYS_sigaltstack, &other, NULL);
    eperm_inside = r == -1 && errno == EPERM;
    // A second SA_ONSTACK signal, taken here.
    raise(SIGUSR2);
}

static void part_onstack(void)
{
    stack_t ss, cur;
    memset(&cur, 0, sizeof cur);
    check(sigaltstack(NULL, &cur) == 0 && cur.ss_flags == SS_DISABLE,
          "altstack.none_at_start", "a new process: ss_flags %d, expected SS_DISABLE (2)",
          cur.ss_flags);
    ss.ss_sp = alt;
    ss.ss_size = ALT_SIZE;
    ss.ss_flags = 0;
    if (!check(sigaltstack(&ss, NULL) == 0, "altstack.set", "sigaltstack: %s", errname(errno)))
        return;
    memset(&cur, 0, sizeof cur);
    sigaltstack(NULL, &cur);
    check(cur.ss_sp == alt && cur.ss_size == ALT_SIZE && cur.ss_flags == 0, "altstack.readback",
          "ss_sp %p ss_size %zu ss_flags %d, expected %p %d 0", cur.ss_sp, cur.ss_size,
          cur.ss_flags, (void *)alt, ALT_SIZE);

    set_info_handler(SIGUSR1, usr1_handler, SA_ONSTACK);
    set_handler(SIGUSR2, usr2_handler, SA_ONSTACK);
    volatile char mine;
    kill(getpid(), SIGUSR1);
    check(on_alt(local1), "altstack.handler_on_it",
          "a local of the handler is at %#lx, the alternate stack is %p..%p",
          (unsigned long)local1, (void *)alt, (void *)(alt + ALT_SIZE));
    check(flags_inside == SS_ONSTACK, "altstack.ss_onstack_inside",
          "sigaltstack in the handler: ss_flags %d, expected SS_ONSTACK (1)", flags_inside);
    check(eperm_inside, "altstack.eperm_inside",
          "changing the alternate stack while on it did not fail with EPERM");
    check(uc_sp == alt && uc_size == ALT_SIZE, "altstack.uc_stack",
          "uc_stack.ss_sp %p ss_size %zu, expected %p %d", (void *)uc_sp, uc_size, (void *)alt,
          ALT_SIZE);
    check(!on_alt(frame_esp) && frame_esp < (uintptr_t)&mine + 4096 &&
              frame_esp + 4096 > (uintptr_t)&mine,
          "altstack.frame_esp", "the frame's ESP %#lx is not the interrupted stack (a local "
          "there is at %p)",
          (unsigned long)frame_esp, (void *)&mine);
    check(usr2_inside && on_alt(local2) && local2 < local1, "altstack.nested_below",
          "SIGUSR2 inside: ran %d, its local at %#lx, the first handler's at %#lx (expected "
          "below it, on the alternate stack)",
          usr2_inside, (unsigned long)local2, (unsigned long)local1);
    memset(&cur, 0, sizeof cur);
    sigaltstack(NULL, &cur);
    check(cur.ss_flags == 0, "altstack.off_after", "after the handler ss_flags is %d, "
                                                   "expected 0", cur.ss_flags);

    // Without SA_ONSTACK the ordinary stack serves.
    local2 = 0;
    set_handler(SIGUSR2, usr2_handler, 0);
    raise(SIGUSR2);
    check(local2 && !on_alt(local2), "altstack.without_flag",
          "a handler without SA_ONSTACK ran with a local at %#lx", (unsigned long)local2);

    // SS_DISABLE: SA_ONSTACK handlers use the ordinary stack again.
    ss.ss_flags = SS_DISABLE;
    check(sigaltstack(&ss, NULL) == 0, "altstack.disable", "SS_DISABLE: %s", errname(errno));
    memset(&cur, 0, sizeof cur);
    sigaltstack(NULL, &cur);
    check(cur.ss_flags == SS_DISABLE, "altstack.disabled_readback",
          "after SS_DISABLE ss_flags is %d", cur.ss_flags);
    local2 = 0;
    set_handler(SIGUSR2, usr2_handler, SA_ONSTACK);
    raise(SIGUSR2);
    check(local2 && !on_alt(local2), "altstack.disabled_ordinary",
          "after SS_DISABLE, a SA_ONSTACK handler ran with a local at %#lx",
          (unsigned long)local2);
}

static void part_bad_input(void)
{
    stack_t ss = { .ss_sp = alt, .ss_size = 1024, .ss_flags = 0 };
    check_errno("altstack.enomem_1024", syscall(SYS_sigaltstack, &ss, NULL), ENOMEM);
    ss.ss_size = MINSIGSTKSZ - 1;
    check_errno("altstack.enomem_2047", syscall(SYS_sigaltstack, &ss, NULL), ENOMEM);
    ss.ss_size = MINSIGSTKSZ;
    check_eq("altstack.minsigstksz", 0, syscall(SYS_sigaltstack, &ss, NULL));
    ss.ss_size = ALT_SIZE;
    ss.ss_flags = 0x1234;
    check_errno("altstack.bad_flags", syscall(SYS_sigaltstack, &ss, NULL), EINVAL);
    ss.ss_flags = SS_ONSTACK;
    long r = syscall(SYS_sigaltstack, &ss, NULL);
    stack_t cur;
    memset(&cur, 0, sizeof cur);
    sigaltstack(NULL, &cur);
    check(r == 0 && cur.ss_sp == alt && cur.ss_flags == 0, "altstack.ss_onstack_accepted",
          "setting with SS_ONSTACK gave %ld (%s); read back: ss_sp %p ss_flags %d", r,
          r ? errname(errno) : "", cur.ss_sp, cur.ss_flags);
    check_errno("altstack.efault", syscall(SYS_sigaltstack, (void *)1, NULL), EFAULT);
    check_errno("altstack.efault_old", syscall(SYS_sigaltstack, NULL, (void *)1), EFAULT);
}

int main(void)
{
    static const struct sig_part parts[] = {
        { "onstack", part_onstack },
        { "bad_input", part_bad_input },
    };
    return sig_run_parts("sigaltstack", parts, sizeof parts / sizeof parts[0]);
}
