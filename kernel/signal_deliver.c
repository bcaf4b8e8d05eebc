/* signal_deliver.c: what a pending signal does, on the way back to user mode.
 *
 * trap_dispatch calls signal_deliver last, just before the return to user
 * mode: the one moment when the kernel can change what the program does
 * next. It takes the pending signals the thread does not block, one at a
 * time, and does what each one's action says: nothing (ignored), the
 * default action (end the process, stop it), or run a handler, by building
 * a frame on the user stack (kernel/signal_frame.c).
 *
 * A system call that a signal interrupted is settled here too. A blocking
 * call that sees a signal pending gives up and returns -ERESTARTSYS (or a
 * relative); if no handler runs, it is restarted unseen, by backing eip up
 * onto the int $0x80 with the call's number in eax again; if a handler
 * runs, the call fails with EINTR, or restarts after the handler when the
 * handler was installed with SA_RESTART.
 */
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "kernel/pgrp.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/wait.h"
#include "printk.h"
#include "lib/string.h"

/* Every thread of p's process. */
static bool same_group(const struct proc *t, const struct proc *p)
{
    return t->state != PROC_UNUSED && t->tgid == p->tgid;
}

/* Stop this thread until SIGCONT (or SIGKILL). The first thread of the
 * process to take the stop signal stops them all and tells the parent. */
static void stop_here(struct proc *p, int sig)
{
    struct thread_group *g = p->group;
    if (!g->stopped) {
        g->stopped = true;
        g->stop_signal = sig;
        g->wait_report = CLD_STOPPED;
        for (int i = 0; i < proc_table_end; i++)
            if (same_group(&procs[i], p) && &procs[i] != p)
                signal_wake(&procs[i]);   /* each stops on its way to user mode */
        struct proc *leader = proc_find(p->tgid);
        if (leader)
            signal_notify_parent(leader, CLD_STOPPED, sig);
    }
    p->state = PROC_STOPPED;
    sched();                               /* until SIGCONT makes us RUNNABLE */
}

/* Back up onto the int $0x80 (2 bytes) with the call's number in eax: the
 * program issues the call again. */
static void restart_call(struct trapframe *tf, int nr)
{
    tf->eax = (uint32_t)nr;
    tf->eip -= 2;
}

/* A handler is about to run: the interrupted call fails with EINTR, or is
 * restarted after the handler if it was installed with SA_RESTART. */
static void settle_for_handler(struct proc *p, struct trapframe *tf, const struct sigaction_rt *ka)
{
    int r = (int)tf->eax;
    if (r == -ERESTARTNOHAND || r == -ERESTART_RESTARTBLOCK ||
        (r == -ERESTARTSYS && !(ka->flags & SA_RESTART)))
        tf->eax = (uint32_t)-EINTR;
    else if (r == -ERESTARTSYS || r == -ERESTARTNOINTR)
        restart_call(tf, p->syscall_nr);
}

/* No handler ran: the interrupted call goes on as if nothing happened. A
 * sleep to a deadline goes on through restart_syscall, which knows it. */
static void settle_quietly(struct proc *p, struct trapframe *tf)
{
    int r = (int)tf->eax;
    if (r == -ERESTARTSYS || r == -ERESTARTNOHAND || r == -ERESTARTNOINTR)
        restart_call(tf, p->syscall_nr);
    else if (r == -ERESTART_RESTARTBLOCK)
        restart_call(tf, 0);               /* restart_syscall */
}

/* Run sig's handler ka: settle the interrupted call, build the frame, and
 * block what the handler asked. */
static void run_handler(struct proc *p, struct trapframe *tf, int sig,
                        const struct siginfo *info, struct sigaction_rt *ka)
{
    if (p->syscall_nr >= 0) {
        settle_for_handler(p, tf, ka);
        p->syscall_nr = -1;
    }
    /* The mask sigreturn puts back: sigsuspend's, if that is what waited. */
    uint64_t oldmask = p->restore_mask ? p->saved_mask : p->blocked;
    p->restore_mask = false;
    if (signal_frame_setup(p, tf, sig, info, ka, oldmask) < 0) {
        /* No room for the frame (a bad stack pointer, a full alternate
         * stack): the handler cannot run, and the process dies of SIGSEGV,
         * as on Linux. */
        printk("bunshin: pid %d (%s) killed by signal %d: no room for a signal frame "
               "at esp %08x\n", p->pid, p->name, SIGSEGV, tf->user_esp);
        do_exit_group(W_SIGNALED(SIGSEGV));
    }
    p->blocked |= ka->mask;
    if (!(ka->flags & SA_NODEFER))
        p->blocked |= SIGMASK(sig);
    p->blocked &= ~SIG_UNBLOCKABLE;
    if (ka->flags & SA_RESETHAND)
        ka->handler = SIG_DFL;             /* from now on; Linux keeps the flags
                                              and mask, which sigaction reads */
}

void signal_deliver(struct trapframe *tf)
{
    struct proc *p = current_proc();
    /* The common case, on every system call and interrupt: nothing to do.
     * This is signal_pending written out, to keep the test short on the
     * path every trap takes. */
    uint64_t pending = p->pending.set | p->group->shared.set;
    if (!(pending & ~p->blocked) && !p->killed && !p->group->stopped && !p->restore_mask) {
        p->syscall_nr = -1;
        return;
    }
    bool handled = false;
    for (;;) {
        if (p->killed)
            do_exit(p->kill_status);
        if (p->group->stopped) {
            p->state = PROC_STOPPED;       /* another thread stopped the process */
            sched();
            continue;
        }
        struct siginfo info;
        int sig = signal_dequeue(p, ~p->blocked, &info);
        if (!sig)
            break;
        struct sigaction_rt *ka = &p->sighand->action[sig - 1];
        if (ka->handler == SIG_IGN)
            continue;
        if (ka->handler != SIG_DFL) {
            /* Each handler's frame goes below the last one's: the handler
             * of the last signal taken runs first. */
            run_handler(p, tf, sig, &info, ka);
            handled = true;
            continue;
        }
        switch (signal_default_action(sig)) {
        case ACT_IGNORE:
        case ACT_CONT:                     /* continuing was done when it was sent */
            break;
        case ACT_STOP:
            /* The terminal's stop signals do not stop an orphaned group:
             * no shell is left to continue it (POSIX). SIGSTOP always does. */
            if (sig != SIGSTOP && pgrp_orphaned(p->group->pgid))
                break;
            stop_here(p, sig);
            break;
        case ACT_TERM:
        case ACT_CORE:
            /* "Terminate with a core dump". With RLIMIT_CORE at 0 (the
             * default), Linux writes none and the wait status says so;
             * above 0 it writes the file "core" and sets the core bit
             * (0x80). bunshin sets the bit then too, but writes no file. */
            do_exit_group(W_SIGNALED(sig) |
                          (signal_default_action(sig) == ACT_CORE && p->group->rlim[RLIMIT_CORE].cur &&
                           !p->mm->undumpable ? 0x80 : 0));
        }
    }
    if (p->syscall_nr >= 0 && !handled)
        settle_quietly(p, tf);
    p->syscall_nr = -1;
    if (p->restore_mask) {
        p->blocked = p->saved_mask;        /* sigsuspend, woken with no handler run */
        p->restore_mask = false;
    }
}
