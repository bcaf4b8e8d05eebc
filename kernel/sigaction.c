/* sigaction.c: how a process takes signals: its handlers (sigaction), its
 * mask (sigprocmask), and waiting for one (sigsuspend, pause,
 * sigtimedwait). The system calls' workers; kernel/sys_signal.c decodes
 * their arguments.
 */
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "drivers/timer.h"
#include "linux/errno.h"
#include "lib/string.h"

/* The sa_flags bits Linux knows (its UAPI_SA_FLAGS): the others are
 * cleared, which is how a program finds out that a flag is not supported. */
#define SA_KNOWN (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | \
                  SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER)

int do_sigaction(int sig, const struct sigaction_rt *act, struct sigaction_rt *old)
{
    struct proc *p = current_proc();
    if (sig < 1 || sig > _NSIG || (act && (sig == SIGKILL || sig == SIGSTOP)))
        return -EINVAL;
    struct sigaction_rt *ka = &p->sighand->action[sig - 1];
    if (old) {
        *old = *ka;
        old->flags &= SA_KNOWN;
    }
    if (act) {
        *ka = *act;
        ka->flags &= SA_KNOWN;
        ka->mask &= ~SIG_UNBLOCKABLE;
        /* POSIX: setting a pending signal's action to "ignore" discards it,
         * in every thread, blocked or not. */
        if (signal_ignored(p, sig))
            signal_discard(p, SIGMASK(sig));
    }
    return 0;
}

int do_sigprocmask(int how, const uint64_t *set, uint64_t *old)
{
    struct proc *p = current_proc();
    uint64_t blocked = p->blocked;
    if (set) {
        switch (how) {
        case SIG_BLOCK: blocked |= *set; break;
        case SIG_UNBLOCK: blocked &= ~*set; break;
        case SIG_SETMASK: blocked = *set; break;
        default: return -EINVAL;
        }
    }
    if (old)
        *old = p->blocked;
    /* A signal unblocked now is delivered on the way out of this call. */
    p->blocked = blocked & ~SIG_UNBLOCKABLE;
    return 0;
}

uint64_t do_sigpending(void)
{
    struct proc *p = current_proc();
    return signal_pending_set(p) & p->blocked;
}

int do_sigsuspend(uint64_t mask)
{
    struct proc *p = current_proc();
    /* Wait with this mask; the old one comes back after the handler (the
     * frame saves it) or, if none runs, on the way out (signal_deliver). */
    p->saved_mask = p->blocked;
    p->restore_mask = true;
    p->blocked = mask & ~SIG_UNBLOCKABLE;
    while (!signal_pending(p))
        sleep_on(&p->restore_mask);        /* a channel nobody wakes: only signals */
    return -ERESTARTNOHAND;                /* EINTR once the handler has run */
}

int do_pause(void)
{
    struct proc *p = current_proc();
    while (!signal_pending(p))
        sleep_on(&p->restore_mask);
    return -ERESTARTNOHAND;
}

int do_sigtimedwait(uint64_t set, struct siginfo *info, const uint64_t *timeout_ns)
{
    struct proc *p = current_proc();
    set &= ~SIG_UNBLOCKABLE;
    int sig = signal_dequeue(p, set, info);
    if (sig)
        return sig;
    if (timeout_ns && *timeout_ns == 0)
        return -EAGAIN;                    /* only a look */

    /* Sleep with the awaited signals unblocked, so that sending one wakes
     * us; then take it before it can be delivered. */
    uint64_t deadline = timeout_ns ? timer_deadline(*timeout_ns) : 0;
    p->real_blocked = p->blocked;          /* still counts as blocked for sending */
    p->blocked &= ~set;
    while (!signal_pending(p) &&
           (!deadline || timer_ticks() < deadline))
        sleep_on_until(&p->restore_mask, deadline);
    p->blocked = p->real_blocked;
    p->real_blocked = 0;
    sig = signal_dequeue(p, set, info);
    if (sig)
        return sig;
    /* Another signal interrupted the wait: EINTR, never restarted. */
    return signal_pending(p) ? -EINTR : -EAGAIN;
}
