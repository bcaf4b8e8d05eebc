/* exit.c: how processes end, and how their parents learn of it. */
#include "kernel/proc.h"
#include "fs/poll.h"
#include "kernel/signal.h"
#include "kernel/pgrp.h"
#include "kernel/posix_timer.h"
#include "kernel/futex.h"
#include "kernel/futex_robust.h"
#include "ipc/sem.h"
#include "drivers/qemu.h"
#include "drivers/tty.h"
#include "fs/file.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/resource.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

static struct proc *init_proc(void)
{
    return proc_find(1);
}

/* What init's end means for the whole machine: leave QEMU with its status. */
static void init_exited(int wstatus)
{
    int code = (wstatus & 0x7F) ? 128 + (wstatus & 0x7F) : (wstatus >> 8) & 0xFF;
    printk("bunshin: init exited with status %d; leaving QEMU\n", code);
    qemu_exit(code & 0x7F);
}

bool proc_threads_alive(struct proc *p)
{
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *q = &procs[i];
        if (q != p && q->tgid == p->tgid && q->state != PROC_UNUSED && q->state != PROC_ZOMBIE)
            return true;
    }
    return false;
}

/* A live thread of process tgid other than p, or NULL. */
static struct proc *live_thread_but(int tgid, const struct proc *p)
{
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *q = &procs[i];
        if (q != p && q->tgid == tgid && q->state != PROC_UNUSED && q->state != PROC_ZOMBIE)
            return q;
    }
    return 0;
}

/* Who takes over the children of p, which is ending, as Linux's
 * find_new_reaper: another live thread of its process (they share their
 * children), else the nearest ancestor that made itself a child subreaper
 * (prctl PR_SET_CHILD_SUBREAPER) and has a live thread, else init. */
static struct proc *new_parent(struct proc *p)
{
    struct proc *q = live_thread_but(p->tgid, p);
    if (q)
        return q;
    /* Up the parents, which lead to init (the table's size bounds the walk). */
    struct proc *a = p->parent;
    for (int steps = 0; a && a->tgid != 1 && steps < proc_table_end; steps++) {
        if (a->group && a->group->child_subreaper && (q = live_thread_but(a->tgid, 0)))
            return q;
        a = a->parent;
    }
    return init_proc();
}

/* The last thread of a process is gone (last): the process has ended. Its
 * status is the group's if exit_group or a fatal signal ended it, else its
 * first thread's own. Tell the parent; if the parent will not wait for it
 * (it ignores SIGCHLD), the process goes at once, never a zombie. */
static void process_ended(struct proc *last)
{
    struct proc *leader = proc_find(last->tgid);
    if (!leader)
        return;
    if (last->group->exiting)
        leader->exit_status = last->group->exit_status;
    int st = leader->exit_status;
    bool signaled = (st & 0x7F) != 0;
    int why = !signaled ? CLD_EXITED : (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
    if (!signal_notify_parent(leader, why, signaled ? (st & 0x7F) : (st >> 8) & 0xFF))
        return;
    if (leader == last)
        leader->reap_at_exit = true;       /* the scheduler frees it, once off its stack */
    else
        proc_free(leader);
}

void do_exit(int wstatus)
{
    struct proc *p = current_proc();
    if (p->pid == 1)
        init_exited(wstatus);

    /* Robust mutexes it holds are marked as their owner's death (Linux does
     * this before the tid word below). */
    futex_robust_release(p);
    futex_pi_owner_exit(p);            /* the PI locks it holds go to a waiter */
    /* CLONE_CHILD_CLEARTID: zero the thread library's tid word and wake
     * whoever waits on it (pthread_join). Errors are ignored, as on Linux. */
    if (p->clear_child_tid && p->mm) {
        int zero = 0;
        if (copy_to_user(p->clear_child_tid, &zero, sizeof zero) == 0)
            futex_wake(p->mm, p->clear_child_tid, 1);
    }
    vfork_release(p);

    /* Give back what the process holds. Its kernel stack (which we are
     * running on) and its slot stay until it is reaped. */
    if (p->files)
        fdtable_put(p->files);
    p->files = 0;
    if (p->fs)
        fs_info_put(p->fs);
    p->fs = 0;
    if (p->mm)
        mm_put(p->mm);
    p->mm = 0;

    /* The last thread of the process: a session leader's terminal is hung
     * up (drivers/tty_jobctl.c); its end may orphan process groups with
     * stopped jobs, which are hung up too (kernel/pgrp.c). */
    if (!proc_threads_alive(p)) {
        if (p->group->session_leader)
            tty_session_leader_exit(p->group);
        pgrp_exit_check(p);
        /* Its timers stop now, not when it is reaped: a zombie gets no
         * signals. */
        posix_timer_delete_all(p->group);
        itimer_exit(p->group);
        /* Its semaphore operations with SEM_UNDO are undone. */
        sem_exit(p->tgid);
    }

    /* Children go to another thread of the process or, with none left, to
     * init, which reaps them; wake it if any already ended. An orphan's exit
     * signal becomes SIGCHLD, as Linux's reparent_leader does: init waits
     * with a plain wait4, which would never see a "clone child", and it
     * would stay a zombie for good. */
    struct proc *heir = new_parent(p);
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *c = &procs[i];
        if (c->state != PROC_UNUSED && c->parent == p) {
            c->parent = heir;
            if (c->tgid == c->pid && heir->tgid != p->tgid)
                c->exit_signal = SIGCHLD;
            if (c->state == PROC_ZOMBIE)
                wakeup(heir);
            /* prctl(PR_SET_PDEATHSIG): the child asked to hear of this,
             * the end of the thread that made it (not of its process). */
            if (c->pdeath_signal && c->state != PROC_ZOMBIE) {
                struct siginfo info = { .si_signo = c->pdeath_signal, .si_code = SI_USER };
                info.f.kill.pid = p->tgid;
                signal_send(c, c->pdeath_signal, &info, true);
            }
        }
    }

    p->exit_status = wstatus;
    p->state = PROC_ZOMBIE;
    poll_wake();                       /* a pidfd of it may be polled (kernel/pidfd.c) */
    signal_flush(p);
    /* The parent hears of a process's end when its last thread is gone.
     * A thread other than the first is reaped by the scheduler itself. */
    if (!proc_threads_alive(p))
        process_ended(p);
    sched();
    panic("a zombie ran again");
}

void do_exit_group(int wstatus)
{
    struct proc *me = current_proc();
    if (!me->group->exiting) {
        me->group->exiting = true;         /* the first reason wins */
        me->group->exit_status = wstatus;
    }
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *q = &procs[i];
        if (q != me && q->tgid == me->tgid)
            proc_kill(q, wstatus);
    }
    do_exit(wstatus);
}
