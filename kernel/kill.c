/* kill.c: who a signal goes to. The system calls that send name their
 * target in several ways, and this file turns each into signal_send calls
 * (kernel/signal.c), with the siginfo that says who sent it:
 *   kill(pid > 0)     the process pid;       kill(0)     the caller's group;
 *   kill(-pgid)       every process of pgid; kill(-1)    every process but
 *                                                        init and the caller;
 *   tkill, tgkill     one thread;            sigqueue    a process, with a value.
 * Linux's order of checks is kept, so that a call with two things wrong
 * fails as it does there. kill(pid, 0) sends nothing: it only asks whether
 * the target exists, and whether the caller may signal it.
 *
 * Permission (kill(2)): root may signal anyone; any other process only one
 * whose real or saved uid is its own real or effective uid (the saved uid
 * counts so that a set-user-ID program that has dropped back to its user
 * can still be stopped by that user). SIGCONT may go to any process of the
 * caller's session: a shell continues the jobs it stopped, whoever they run
 * as now.
 */
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "kernel/cred.h"
#include "linux/errno.h"
#include "lib/string.h"

/* The siginfo of kill(2) and friends: who sent it. */
static void sender_info(struct siginfo *info, int sig, int code)
{
    memset(info, 0, sizeof *info);
    info->si_signo = sig;
    info->si_code = code;
    info->f.kill.pid = current_proc()->tgid;
    info->f.kill.uid = current_cred()->uid;   /* the sender's real uid */
}

void signal_raise(int sig)
{
    struct siginfo info;
    sender_info(&info, sig, SI_USER);
    signal_send(current_proc(), sig, &info, false);
}

/* May the caller send sig to p (see the top of the file)? */
static bool may_signal(struct proc *p, int sig)
{
    struct proc *me = current_proc();
    if (sig == SIGCONT && p->group && me->group && p->group->sid == me->group->sid)
        return true;
    return cred_may_signal(p);
}

/* Send sig (0: only check) to process p. As on Linux, a bad signal number
 * is found out only once there is a target: kill(no such pid, 1000) says
 * ESRCH, kill(getpid(), 1000) EINVAL. */
static int kill_process(struct proc *p, int sig, const struct siginfo *info)
{
    if (sig < 0 || sig > _NSIG)
        return -EINVAL;
    if (!may_signal(p, sig))
        return -EPERM;
    return sig ? signal_send(p, sig, info, true) : 0;
}

/* The process (its first thread) that pid names: a thread's id names its
 * process too, as on Linux. NULL if none, or if it is a zombie whose
 * threads are all gone... which kill still finds: a zombie can be
 * signalled (for nothing), until it is reaped. */
static struct proc *find_process(int pid)
{
    struct proc *p = proc_find(pid);
    if (p && p->tgid != p->pid)
        p = proc_find(p->tgid);
    return p;
}

int do_kill(int pid, int sig)
{
    struct proc *me = current_proc();
    struct siginfo info;
    sender_info(&info, sig, SI_USER);
    if (pid > 0) {
        struct proc *p = find_process(pid);
        return p ? kill_process(p, sig, &info) : -ESRCH;
    }
    if (pid == -2147483647 - 1)
        return -ESRCH;                     /* -pid would not be a number */
    /* -1: every process but init and the caller's own; 0: the caller's
     * process group; < -1: process group -pid. Succeeds if one of them
     * got it. */
    int pgid = pid == 0 ? me->group->pgid : -pid;
    int count = 0, sent = 0, err = -ESRCH, all_err = 0;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *p = &procs[i];
        if (p->state == PROC_UNUSED || p->tgid != p->pid || !p->group)
            continue;
        if (pid == -1 ? (p->pid == 1 || p->tgid == me->tgid) : p->group->pgid != pgid)
            continue;
        count++;
        int r = kill_process(p, sig, &info);
        if (r == 0)
            sent++;
        else
            err = r;
        if (r != -EPERM)
            all_err = r;
    }
    if (!count)
        return -ESRCH;
    /* kill(-1): the processes the caller may not signal are passed over
     * silently (Linux's rule); a group: any one that got it is success. */
    if (pid == -1)
        return all_err;
    return sent ? 0 : err;
}

int signal_send_pgrp(int pgid, int sig)
{
    int found = -ESRCH;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *p = &procs[i];
        if (p->state != PROC_UNUSED && p->tgid == p->pid && p->group && p->group->pgid == pgid) {
            signal_send(p, sig, 0, true);
            found = 0;
        }
    }
    return found;
}

/* The thread tid, of process tgid if tgid > 0: 0 or -errno. */
static int send_to_thread(int tgid, int tid, int sig, const struct siginfo *info)
{
    struct proc *t = proc_find(tid);
    if (!t || t->state == PROC_ZOMBIE || (tgid > 0 && t->tgid != tgid))
        return -ESRCH;
    if (sig < 0 || sig > _NSIG)
        return -EINVAL;
    if (!may_signal(t, sig))
        return -EPERM;
    return sig ? signal_send(t, sig, info, false) : 0;
}

int do_tkill(int tgid, int tid, int sig)
{
    if (tid <= 0)
        return -EINVAL;
    struct siginfo info;
    sender_info(&info, sig, SI_TKILL);
    return send_to_thread(tgid, tid, sig, &info);
}

/* A program may make up a siginfo only for itself, or with a negative
 * si_code other than SI_TKILL: it may not pretend to be the kernel or
 * kill(2) to another process (Linux's rule). */
static bool sigqueue_allowed(int pid, const struct siginfo *info)
{
    return (info->si_code < 0 && info->si_code != SI_TKILL) || pid == current_proc()->pid;
}

int do_sigqueue(int pid, int sig, struct siginfo *info)
{
    if (!sigqueue_allowed(pid, info))
        return -EPERM;
    info->si_signo = sig;
    struct proc *p = find_process(pid);
    return p ? kill_process(p, sig, info) : -ESRCH;
}

int do_tgsigqueue(int tgid, int tid, int sig, struct siginfo *info)
{
    if (tgid <= 0 || tid <= 0)
        return -EINVAL;
    if (!sigqueue_allowed(tid, info))
        return -EPERM;
    info->si_signo = sig;
    return send_to_thread(tgid, tid, sig, info);
}
