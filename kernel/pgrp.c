/* pgrp.c: process groups and sessions, the units of job control.
 *
 * A session is what one login (one terminal) runs; a process group is what
 * a shell calls a job: the processes of one pipeline, which the terminal
 * signals together (^C, ^Z) and which take turns being its foreground.
 * Each process records its group and session ids (struct thread_group);
 * the ids are pids: a group is named after the process that made it (its
 * leader), a session after the process that called setsid.
 */
#include "kernel/pgrp.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "linux/errno.h"

/* A process (a first thread: the ids belong to processes), alive or not yet
 * reaped, as kill and setpgid see them. */
static bool is_process(const struct proc *p)
{
    return p->state != PROC_UNUSED && p->tgid == p->pid && p->group;
}

/* Some process of group pgid, or NULL: a group exists while one does. */
static struct proc *pgrp_member(int pgid)
{
    for (int i = 0; i < proc_table_end; i++)
        if (is_process(&procs[i]) && procs[i].group->pgid == pgid)
            return &procs[i];
    return 0;
}

int pgrp_session(int pgid)
{
    struct proc *p = pgrp_member(pgid);
    return p ? p->group->sid : -1;
}

int do_setpgid(int pid, int pgid)
{
    struct proc *me = proc_find(current_proc()->tgid);
    if (pid == 0)
        pid = me->tgid;
    if (pgid == 0)
        pgid = pid;
    if (pgid < 0)
        return -EINVAL;
    struct proc *p = proc_find(pid);
    if (!p || p->state == PROC_ZOMBIE)
        return -ESRCH;
    if (p->tgid != p->pid)
        return -EINVAL;                    /* a thread's id: only processes have groups */
    if (p->parent && p->parent->tgid == me->tgid) {
        /* A child: only in our session, and only before it runs a new
         * program (a shell must set up the job before the exec). */
        if (p->group->sid != me->group->sid)
            return -EPERM;
        if (p->group->execed)
            return -EACCES;
    } else if (p != me) {
        return -ESRCH;
    }
    if (p->group->session_leader)
        return -EPERM;                     /* a session leader stays its group's */
    /* Join an existing group of our session, or make a new one named pid. */
    if (pgid != pid && pgrp_session(pgid) != me->group->sid)
        return -EPERM;
    p->group->pgid = pgid;
    return 0;
}

int do_getpgid(int pid)
{
    struct proc *p = pid ? proc_find(pid) : current_proc();
    if (!p || !p->group)
        return -ESRCH;
    return p->group->pgid;
}

int do_getsid(int pid)
{
    struct proc *p = pid ? proc_find(pid) : current_proc();
    if (!p || !p->group)
        return -ESRCH;
    return p->group->sid;
}

int do_setsid(void)
{
    struct proc *me = current_proc();
    struct thread_group *g = me->group;
    /* Not a group leader: a group named after us must not be left behind
     * in the old session while we lead a new one of the same number. */
    if (g->session_leader || pgrp_member(me->tgid))
        return -EPERM;
    g->session_leader = true;
    g->sid = me->tgid;
    g->pgid = me->tgid;
    g->tty = 0;                            /* a new session has no terminal yet */
    return g->sid;
}

/* Is group pgid orphaned, leaving out process gone (a tgid; 0: none),
 * which is ending: does no member have a parent in another group of the
 * same session, a shell that could continue it? */
static bool orphaned_without(int pgid, int gone)
{
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *q = &procs[i];
        if (!is_process(q) || q->tgid == gone || q->state == PROC_ZOMBIE ||
            q->group->pgid != pgid)
            continue;
        struct proc *par = q->parent;
        if (par && par->tgid != gone && par->group && par->group->pgid != pgid &&
            par->group->sid == q->group->sid)
            return false;
    }
    return true;
}

bool pgrp_orphaned(int pgid)
{
    return orphaned_without(pgid, 0);
}

/* Does group pgid have a stopped process? */
static bool has_stopped(int pgid)
{
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *q = &procs[i];
        if (is_process(q) && q->group->pgid == pgid && q->group->stopped)
            return true;
    }
    return false;
}

/* A group just orphaned, with stopped jobs: nobody is left to continue
 * them, so wake them with SIGHUP (which ends them, by default) and SIGCONT,
 * as POSIX asks. */
static void hangup_orphan(int pgid)
{
    signal_send_pgrp(pgid, SIGHUP);
    signal_send_pgrp(pgid, SIGCONT);
}

void pgrp_exit_check(struct proc *last)
{
    struct thread_group *g = last->group;
    int me = last->tgid;
    /* Our own group, if our parent was its link to the session's shell. */
    struct proc *par = last->parent;
    if (par && par->group && par->group->pgid != g->pgid && par->group->sid == g->sid &&
        orphaned_without(g->pgid, me) && has_stopped(g->pgid))
        hangup_orphan(g->pgid);
    /* Our children's groups, which we linked. */
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *c = &procs[i];
        if (!is_process(c) || !c->parent || c->parent->tgid != me)
            continue;
        int cpg = c->group->pgid;
        if (cpg != g->pgid && c->group->sid == g->sid && orphaned_without(cpg, me) &&
            has_stopped(cpg))
            hangup_orphan(cpg);
    }
}

/* ---- the controlling terminal's side (drivers/tty_jobctl.c calls these;
 * the contracts are in pgrp.h). They walk the process table as the rest of
 * this file does: a terminal keeps no list of the processes that have it. */

int pgrp_or_pid_session(int id)
{
    int sid = pgrp_session(id);
    if (sid >= 0)
        return sid;
    struct proc *p = proc_find(id);
    return p && p->group ? p->group->sid : -1;
}

void session_hangup(int sid, struct tty *tty, int fg)
{
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *p = &procs[i];
        if (!is_process(p) || p->group->sid != sid)
            continue;
        if (p->group->tty == tty)
            p->group->tty = 0;
        /* A leader that is ending (its exit caused the hangup) gets them
         * too, as on Linux; it will not take them. */
        if (p->group->session_leader && p->state != PROC_ZOMBIE) {
            signal_send(p, SIGHUP, 0, true);
            signal_send(p, SIGCONT, 0, true);
            p->group->tty_old_pgrp = fg;
        }
    }
}

void session_clear_tty(int sid)
{
    for (int i = 0; i < proc_table_end; i++)
        if (is_process(&procs[i]) && procs[i].group->sid == sid)
            procs[i].group->tty = 0;
}

void pgrp_forget_tty(struct tty *tty)
{
    for (int i = 0; i < proc_table_end; i++)
        if (is_process(&procs[i]) && procs[i].group->tty == tty)
            procs[i].group->tty = 0;
}
