// sigdemo: a signal handler, the frame the kernel builds for it, and the way
// back through sigreturn. The program installs an SA_SIGINFO handler for
// SIGUSR1 and sends itself the signal with kill(): the kernel delivers it on
// the way out of that very system call. The handler reports what its
// siginfo_t and ucontext_t say; then main goes on after the kill() as if
// nothing had happened.
// docs/signals.md follows it with gdb; on bunshin run it with
// make qemu-nox ARGS='init=/demo/sigdemo'; on Linux run build/user/demo/sigdemo.
#define _GNU_SOURCE                 // REG_EIP, REG_ESP
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    got = sig;
    dprintf(1, "handler: signal %d from pid %d (si_code %d); interrupted at eip %#lx, "
            "esp %#lx; my frame at %p\n", sig, (int)si->si_pid, si->si_code,
            (unsigned long)uc->uc_mcontext.gregs[REG_EIP],
            (unsigned long)uc->uc_mcontext.gregs[REG_ESP], (void *)&sig);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    dprintf(1, "sigdemo: pid %d, handler at %p\n", (int)getpid(), (void *)on_usr1);
    int r = kill(getpid(), SIGUSR1);
    dprintf(1, "sigdemo: kill returned %d, back in main; the handler saw signal %d\n", r,
            (int)got);
    return 0;
}
