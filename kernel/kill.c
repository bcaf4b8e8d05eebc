/* kill.c: sending signals, before programs can catch them.
 *
 * No process can install a signal handler yet, so every signal takes its
 * default action, exactly as on Linux for a program that installed none:
 * most signals end the process (wait4 then reports WIFSIGNALED with the
 * signal's number); SIGCHLD, SIGURG, SIGWINCH and SIGCONT are ignored;
 * the stop signals are not supported yet and are refused. Signal 0 sends
 * nothing: it only asks whether the process exists.
 */
#include "kernel/proc.h"
#include "linux/errno.h"

static bool ignored_by_default(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

/* Deliver sig's default action to p: ignore it, or end p (proc_kill wakes
 * a sleeping p; the way back to user mode ends it). */
static void signal_one(struct proc *p, int sig)
{
    if (sig == 0 || ignored_by_default(sig))
        return;
    proc_kill(p, W_SIGNALED(sig));
}

int do_kill(int pid, int sig)
{
    if (sig < 0 || sig > _NSIG)
        return -EINVAL;
    if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
        return -EINVAL;                 /* job control comes later */
    struct proc *me = current_proc();
    if (pid > 0) {
        /* A signal to a process reaches all its threads (their default
         * action ends the whole process). */
        struct proc *p = proc_find(pid);
        if (!p)
            return -ESRCH;
        for (int i = 0; i < proc_table_end; i++)
            if (procs[i].state != PROC_UNUSED && procs[i].tgid == p->tgid)
                signal_one(&procs[i], sig);
        return 0;
    }
    /* pid -1: everyone but init and the caller. 0 and < -1 name process
     * groups; there is one group so far, so they mean everyone but init. */
    bool found = false;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *p = &procs[i];
        if (p->state == PROC_UNUSED || p->pid == 1 || (pid == -1 && p == me))
            continue;
        found = true;
        signal_one(p, sig);
    }
    return found ? 0 : -ESRCH;
}
