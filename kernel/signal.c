/* signal.c: signals, from sending to the pending sets (signal.h).
 *
 * Sending puts the signal in a pending set, with its siginfo, and wakes a
 * thread that can take it; nothing else happens yet, except for the few
 * things that cannot wait: SIGKILL ends the process at once, SIGCONT
 * continues a stopped one. The signal takes effect when a thread of the
 * target next returns to user mode (kernel/signal_deliver.c).
 */
#include "kernel/signal.h"
#include "kernel/itimer.h"
#include "kernel/posix_timer.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"
#include "fs/poll.h"
#include "mm/kheap.h"
#include "linux/errno.h"
#include "linux/resource.h"
#include "linux/wait.h"
#include "printk.h"
#include "lib/string.h"

/* ---- the objects ---- */

struct thread_group *thread_group_new(int pgid, int sid)
{
    struct thread_group *g = kzalloc(sizeof *g);
    if (!g)
        return 0;
    g->refs = 1;
    g->pgid = pgid;
    g->sid = sid;
    rlimit_init(g->rlim);                  /* init's; fork copies the parent's */
    return g;
}

struct thread_group *thread_group_copy(const struct thread_group *parent)
{
    struct thread_group *g = thread_group_new(parent->pgid, parent->sid);
    if (g) {
        g->tty = parent->tty;
        memcpy(g->rlim, parent->rlim, sizeof g->rlim);   /* limits are inherited */
    }
    return g;
}

/* How many siginfos are queued, everywhere: a program that sends itself
 * real-time signals without ever taking them must not eat the kernel's
 * heap. Linux counts them per user, against the RLIMIT_SIGPENDING of the
 * process they are queued for; bunshin keeps one count for all users (a
 * simplification: one user's queue can use up another's share). */
static uint32_t sigqueue_used;

bool sigqueue_reserve(void)
{
    if (sigqueue_used >= rlimit_cur(current_proc(), RLIMIT_SIGPENDING))
        return false;
    sigqueue_used++;
    return true;
}

void sigqueue_unreserve(void)
{
    sigqueue_used--;
}

/* q has left its pending set without being delivered: free it, or tell its
 * timer (which may free itself with it). */
static void sigqueue_drop(struct sigqueue *q)
{
    if (q->timer) {
        q->queued_in = 0;
        q->next = 0;
        posix_timer_unqueued(q->timer);
    } else {
        kfree(q);
        sigqueue_used--;
    }
}

static void pending_flush(struct sigpending *sp)
{
    while (sp->head) {
        struct sigqueue *q = sp->head;
        sp->head = q->next;
        sigqueue_drop(q);
    }
    sp->set = 0;
}

void thread_group_put(struct thread_group *g)
{
    if (--g->refs > 0)
        return;
    /* The timers first: a timer dropped with its signal would go on. */
    posix_timer_delete_all(g);
    itimer_exit(g);
    pending_flush(&g->shared);
    kfree(g);
}

struct sighand *sighand_new(void)
{
    struct sighand *sh = kzalloc(sizeof *sh);
    if (sh)
        sh->refs = 1;
    return sh;
}

struct sighand *sighand_copy(struct sighand *old)
{
    struct sighand *sh = kmalloc(sizeof *sh);
    if (!sh)
        return 0;
    *sh = *old;
    sh->refs = 1;
    return sh;
}

void sighand_put(struct sighand *sh)
{
    if (--sh->refs == 0)
        kfree(sh);
}

void signal_flush(struct proc *p)
{
    pending_flush(&p->pending);
}

/* ---- what each signal does by default ---- */

enum default_action signal_default_action(int sig)
{
    switch (sig) {
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE:
    case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
        return ACT_CORE;
    case SIGCHLD: case SIGURG: case SIGWINCH:
        return ACT_IGNORE;
    case SIGCONT:
        return ACT_CONT;
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
        return ACT_STOP;
    default:
        return ACT_TERM;           /* the rest, real-time signals included */
    }
}

bool signal_ignored(struct proc *p, int sig)
{
    uint32_t h = p->sighand->action[sig - 1].handler;
    if (h == SIG_IGN)
        return true;
    if (h != SIG_DFL)
        return false;
    enum default_action a = signal_default_action(sig);
    return a == ACT_IGNORE || a == ACT_CONT;   /* SIGCONT's work is done when sent */
}

bool signal_blocked_or_ignored(struct proc *p, int sig)
{
    return (p->blocked & SIGMASK(sig)) || p->sighand->action[sig - 1].handler == SIG_IGN;
}

/* ---- pending sets ---- */

/* Add sig with info to sp. A standard signal already pending is not
 * queued again (two SIGINTs make one); a real-time one queues behind the
 * others. limit is the target's RLIMIT_SIGPENDING; as on Linux, a standard
 * signal from the kernel or kill (si_code >= 0) gets its siginfo past it.
 * Past it a real-time signal from sigqueue (whose value would be lost)
 * fails with -EAGAIN; anything else is still marked pending, without its
 * siginfo. */
static int pending_add(struct sigpending *sp, int sig, const struct siginfo *info,
                       uint64_t limit)
{
    if (sig < SIGRTMIN && (sp->set & SIGMASK(sig)))
        return 0;
    bool rt_value = sig >= SIGRTMIN && info->si_code != SI_USER && info->si_code != SI_KERNEL;
    struct sigqueue *q = 0;
    if ((sig < SIGRTMIN && info->si_code >= 0) || sigqueue_used < limit)
        q = kmalloc(sizeof *q);
    if (!q) {
        if (rt_value)
            return -EAGAIN;
        sp->set |= SIGMASK(sig);
        return 0;
    }
    sigqueue_used++;
    q->info = *info;
    q->timer = 0;
    q->next = 0;
    struct sigqueue **pp = &sp->head;
    while (*pp)
        pp = &(*pp)->next;
    *pp = q;
    sp->set |= SIGMASK(sig);
    return 0;
}

/* Add a timer's own sigqueue q to sp, behind the others, unless it waits
 * there already. Unlike pending_add, it goes in even if a standard signal of
 * its number is pending (sent by kill, say): Linux does the same, and the
 * signal is then delivered twice. */
static void pending_link(struct sigpending *sp, struct sigqueue *q)
{
    if (!q->queued_in) {
        struct sigqueue **pp = &sp->head;
        while (*pp)
            pp = &(*pp)->next;
        q->next = 0;
        *pp = q;
        q->queued_in = sp;
    }
    sp->set |= SIGMASK(q->info.si_signo);
}

/* Take the first sig out of sp, with its siginfo (made up if none was
 * kept). A timer's own sigqueue is not freed but returned, for the caller to
 * hand back to its timer; NULL for any other. */
static struct sigqueue *pending_take(struct sigpending *sp, int sig, struct siginfo *info)
{
    struct sigqueue *timer_q = 0;
    struct sigqueue **pp = &sp->head;
    while (*pp && (*pp)->info.si_signo != sig)
        pp = &(*pp)->next;
    if (*pp) {
        struct sigqueue *q = *pp;
        *info = q->info;
        *pp = q->next;
        if (q->timer) {
            q->queued_in = 0;
            q->next = 0;
            timer_q = q;
        } else {
            kfree(q);
            sigqueue_used--;
        }
    } else {
        memset(info, 0, sizeof *info);
        info->si_signo = sig;
        info->si_code = SI_USER;   /* what Linux says when the siginfo was lost */
    }
    /* A real-time signal stays pending while more of it are queued. */
    bool more = false;
    for (struct sigqueue *q = sp->head; q; q = q->next)
        more |= q->info.si_signo == sig;
    if (!more)
        sp->set &= ~SIGMASK(sig);
    return timer_q;
}

/* Drop every pending signal of mask from sp. */
static void pending_drop(struct sigpending *sp, uint64_t mask)
{
    for (int sig = 1; sig <= _NSIG; sig++) {
        while (sp->set & mask & SIGMASK(sig)) {
            struct siginfo info;
            struct sigqueue *timer_q = pending_take(sp, sig, &info);
            if (timer_q)
                posix_timer_unqueued(timer_q->timer);
        }
    }
}

/* Every thread of p's process, alive or zombie. */
static bool same_group(const struct proc *t, const struct proc *p)
{
    return t->state != PROC_UNUSED && t->tgid == p->tgid;
}

void signal_summarize(struct proc *p, struct signal_summary *s)
{
    s->queued = sigqueue_used;
    s->ignored = s->caught = 0;
    for (int sig = 1; sig <= _NSIG; sig++) {
        uint32_t h = p->sighand->action[sig - 1].handler;
        if (h == SIG_IGN)
            s->ignored |= SIGMASK(sig);
        else if (h != SIG_DFL)
            s->caught |= SIGMASK(sig);
    }
}

void signal_discard(struct proc *p, uint64_t mask)
{
    pending_drop(&p->group->shared, mask);
    for (int i = 0; i < proc_table_end; i++)
        if (same_group(&procs[i], p))
            pending_drop(&procs[i].pending, mask);
}

/* The lowest-numbered signal of set, or 0. (__builtin_ctzll counts the
 * zero bits below the lowest one: the bsf instruction, instead of a loop
 * over 64 bits on every delivery.) */
static int first_signal(uint64_t set)
{
    return set ? __builtin_ctzll(set) + 1 : 0;
}

int signal_dequeue(struct proc *p, uint64_t allowed, struct siginfo *info)
{
    for (;;) {
        /* Standard signals before real-time ones, lowest number first; the
         * thread's own before the process's (Linux's order). */
        struct sigqueue *timer_q;
        int sig = first_signal(p->pending.set & allowed);
        if (sig) {
            timer_q = pending_take(&p->pending, sig, info);
        } else {
            sig = first_signal(p->group->shared.set & allowed);
            if (!sig)
                return 0;
            timer_q = pending_take(&p->group->shared, sig, info);
            if (sig == SIGALRM)
                itimer_sigalrm_taken(p);   /* an interval timer goes on now */
        }
        /* A periodic timer is set going again, and its overrun count put
         * in info; a signal its timer no longer wants is thrown away. */
        if (!timer_q || posix_timer_deliver(timer_q->timer, info))
            return sig;
    }
}

uint64_t signal_pending_set(struct proc *p)
{
    return p->pending.set | p->group->shared.set;
}

/* ---- sending ---- */

bool signal_pending(struct proc *p)
{
    if (p->killed || (p->group && p->group->stopped))
        return true;
    if (!p->group)
        return false;
    return (signal_pending_set(p) & ~p->blocked) != 0;
}

void signal_wake(struct proc *p)
{
    if (p->state == PROC_SLEEPING)
        p->state = PROC_RUNNABLE;
}

/* Stop signals and SIGCONT undo each other, at the moment they are sent
 * (not when they are delivered): SIGCONT continues a stopped process even
 * if it blocks or catches SIGCONT. */
static void stop_or_continue(struct proc *p, int sig)
{
    const uint64_t stops = SIGMASK(SIGSTOP) | SIGMASK(SIGTSTP) | SIGMASK(SIGTTIN) |
                           SIGMASK(SIGTTOU);
    if (sig != SIGCONT && !(stops & SIGMASK(sig)))
        return;
    signal_discard(p, sig == SIGCONT ? stops : SIGMASK(SIGCONT));
    if (sig == SIGCONT && p->group->stopped) {
        /* Every thread runs again; the parent hears of it. */
        p->group->stopped = false;
        p->group->wait_report = CLD_CONTINUED;
        for (int i = 0; i < proc_table_end; i++)
            if (same_group(&procs[i], p) && procs[i].state == PROC_STOPPED)
                procs[i].state = PROC_RUNNABLE;
        struct proc *leader = proc_find(p->tgid);
        if (leader)
            signal_notify_parent(leader, CLD_CONTINUED, SIGCONT);
    }
}

/* Does the target drop sig at once? A signal it ignores, unless blocked
 * (a blocked signal stays pending: the handler may change before it is
 * unblocked). Init, the one process that must not die, drops every signal
 * it has no handler for, SIGKILL too, unless the kernel forces it (a
 * fault). */
static bool dropped(struct proc *p, int sig, bool force)
{
    uint32_t h = p->sighand->action[sig - 1].handler;
    if (p->tgid == 1 && h == SIG_DFL && !force)
        return true;
    if (sig == SIGKILL || sig == SIGSTOP)
        return false;
    /* real_blocked: the mask sigtimedwait took the awaited signals out of,
     * which still counts: a signal waited for is never "ignored". */
    uint64_t blocked = p->blocked | p->real_blocked;
    return !(blocked & SIGMASK(sig)) && signal_ignored(p, sig);
}

/* What sending sig to p does before anything is queued. */
enum send_step {
    SEND_QUEUE,                    /* go on: queue it */
    SEND_DONE,                     /* nothing to queue: p is dead, or SIGKILL did its work */
    SEND_IGNORED,                  /* p ignores it: dropped */
};

/* The part of sending that comes before queueing: a dead target or an
 * ignored signal ends it here; SIGKILL ends the process now; stop signals
 * and SIGCONT undo each other. force: the kernel's own signals (faults). */
static enum send_step send_prepare(struct proc *p, int sig, bool force)
{
    if (p->state == PROC_UNUSED || p->state == PROC_ZOMBIE || !p->group)
        return SEND_DONE;                  /* already dead: nothing to do */
    if (p->tgid == 1 && p->sighand->action[sig - 1].handler == SIG_DFL && !force)
        return SEND_IGNORED;               /* init: see dropped() */
    if (sig == SIGKILL) {
        /* Cannot be caught, blocked or ignored: every thread ends now,
         * stopped or not, and the process's status says SIGKILL (the
         * first thread may have exited before, with a status of its own). */
        if (!p->group->exiting) {
            p->group->exiting = true;
            p->group->exit_status = W_SIGNALED(SIGKILL);
        }
        for (int i = 0; i < proc_table_end; i++)
            if (same_group(&procs[i], p))
                proc_kill(&procs[i], W_SIGNALED(SIGKILL));
        return SEND_DONE;
    }
    /* First the work a stop signal or SIGCONT does when sent, even if the
     * signal itself is then dropped as ignored (SIGCONT by default is). */
    stop_or_continue(p, sig);
    if (dropped(p, sig, force))
        return SEND_IGNORED;
    return SEND_QUEUE;
}

/* sig is now pending for p (group: for its process): wake a thread that
 * can take it. */
static void send_wake(struct proc *p, int sig, bool group)
{
    /* p if it does not block it, else (a signal to the process) any other
     * thread that does not. */
    if (!(p->blocked & SIGMASK(sig))) {
        signal_wake(p);
    } else if (group) {
        for (int i = 0; i < proc_table_end; i++) {
            struct proc *t = &procs[i];
            if (same_group(t, p) && !(t->blocked & SIGMASK(sig))) {
                signal_wake(t);
                break;
            }
        }
    }
}

/* signal_send, with force for the kernel's own signals (faults). */
static int send(struct proc *p, int sig, const struct siginfo *info, bool group, bool force)
{
    if (send_prepare(p, sig, force) != SEND_QUEUE)
        return 0;
    struct siginfo copy;
    if (info) {
        copy = *info;
    } else {
        memset(&copy, 0, sizeof copy);
        copy.si_code = SI_KERNEL;
    }
    copy.si_signo = sig;
    int r = pending_add(group ? &p->group->shared : &p->pending, sig, &copy,
                        rlimit_cur(p, RLIMIT_SIGPENDING));
    if (r < 0)
        return r;
    send_wake(p, sig, group);
    poll_wake();               /* a signalfd's reader or poller (fs/signalfd.c) */
    return 0;
}

/* The thread a signal for p's process goes to: p, or if p is the first
 * thread and has exited while others run on (a zombie leader), a live
 * thread of the process. As on Linux, a process lives as long as one of
 * its threads does, and kill() reaches it (SIGKILL too). */
static struct proc *group_target(struct proc *p, bool group)
{
    if (!group || p->state != PROC_ZOMBIE)
        return p;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *t = &procs[i];
        if (same_group(t, p) && t->state != PROC_ZOMBIE && t->group)
            return t;
    }
    return p;
}

int signal_send(struct proc *p, int sig, const struct siginfo *info, bool group)
{
    return send(group_target(p, group), sig, info, group, false);
}

int signal_send_timer(struct proc *p, struct sigqueue *q, bool group)
{
    p = group_target(p, group);
    int sig = q->info.si_signo;
    enum send_step step = send_prepare(p, sig, false);
    if (step != SEND_QUEUE)
        return step == SEND_IGNORED;
    pending_link(group ? &p->group->shared : &p->pending, q);
    send_wake(p, sig, group);
    poll_wake();
    return 0;
}

/* ---- faults ---- */

void signal_fault(struct trapframe *tf, int sig, int code, vaddr_t addr, const char *why)
{
    struct proc *p = current_proc();
    struct sigaction_rt *ka = &p->sighand->action[sig - 1];
    /* A fault cannot wait: if the thread blocks or ignores the signal, it
     * gets the default action instead (Linux's force_sig). */
    if ((p->blocked & SIGMASK(sig)) || ka->handler == SIG_IGN) {
        p->blocked &= ~SIGMASK(sig);
        if (ka->handler == SIG_IGN)
            ka->handler = SIG_DFL;
    }
    if (ka->handler == SIG_DFL) {
        printk("bunshin: pid %d (%s) killed by signal %d: %s at eip %08x", p->pid, p->name,
               sig, why, tf->eip);
        if (tf->trapno == T_PGFLT)
            printk(", address %08x", addr);
        printk("\n");
    }
    if (tf->trapno != T_SYSCALL) {
        /* What the handler's sigcontext says about the fault. */
        p->fault_trapno = tf->trapno;
        p->fault_err = tf->err;
        if (tf->trapno == T_PGFLT)
            p->fault_addr = addr;
    }
    struct siginfo info;
    memset(&info, 0, sizeof info);
    info.si_signo = sig;
    info.si_code = code;
    info.f.fault.addr = addr;
    send(p, sig, &info, false, true);
}

/* ---- execve and the parent ---- */

void signal_exec(struct proc *p, struct sighand *own)
{
    if (own) {
        /* The handlers were shared with another process (CLONE_SIGHAND
         * without threads): the new program gets a table of its own. */
        memcpy(own->action, p->sighand->action, sizeof own->action);
        sighand_put(p->sighand);
        p->sighand = own;
    }
    /* Caught signals go back to SIG_DFL: the handlers' code is gone.
     * Ignored ones stay ignored (nohup relies on it), and the mask and the
     * pending signals stay as they are. */
    for (int i = 0; i < _NSIG; i++) {
        struct sigaction_rt *ka = &p->sighand->action[i];
        if (ka->handler != SIG_IGN)
            memset(ka, 0, sizeof *ka);
    }
    p->altstack.ss_sp = 0;
    p->altstack.ss_size = 0;
    p->altstack.ss_flags = SS_DISABLE;
}

bool signal_notify_parent(struct proc *leader, int why, int status)
{
    struct proc *parent = leader->parent;
    if (!parent || parent->state == PROC_UNUSED || parent->state == PROC_ZOMBIE ||
        !parent->sighand)
        return false;
    struct sigaction_rt *ka = &parent->sighand->action[SIGCHLD - 1];
    bool stop_or_cont = why == CLD_STOPPED || why == CLD_CONTINUED;
    int sig = stop_or_cont ? SIGCHLD : leader->exit_signal;
    bool reap = false;
    /* A parent that ignores SIGCHLD, or said SA_NOCLDWAIT, will not wait:
     * its children go at once, never zombies (POSIX's rule, Linux's too). */
    if (!stop_or_cont && sig == SIGCHLD &&
        (ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT)))
        reap = true;
    if (stop_or_cont && (ka->flags & SA_NOCLDSTOP))
        sig = 0;
    /* Every thread of the parent may be waiting in wait4. */
    for (int i = 0; i < proc_table_end; i++)
        if (same_group(&procs[i], parent))
            wakeup(&procs[i]);
    if (sig > 0 && sig <= _NSIG) {
        struct siginfo info;
        memset(&info, 0, sizeof info);
        info.si_signo = sig;
        info.si_code = why;
        info.f.chld.pid = leader->tgid;
        info.f.chld.uid = leader->cred.uid;
        info.f.chld.status = status;
        signal_send(parent, sig, &info, true);
    }
    return reap;
}
