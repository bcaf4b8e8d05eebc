/* wait.c: wait4 and waitid: a parent learns that a child ended, stopped or
 * continued.
 *
 * A child that ends stays a zombie (its pid and its exit status kept, all
 * else given back) until its parent waits for it: then its slot is freed.
 * A stop or a continue is reported once (the thread group's wait_report),
 * to a parent that asked for them (WUNTRACED/WSTOPPED, WCONTINUED).
 */
#include "kernel/proc.h"
#include "kernel/pidfd.h"
#include "fs/file.h"
#include "kernel/rusage.h"
#include "kernel/signal.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/resource.h"
#include "lib/string.h"

/* What a wait found. */
struct wait_result {
    int pid;                       /* the child */
    uint32_t uid;                  /* its real uid (waitid's si_uid) */
    int why;                       /* CLD_EXITED, CLD_KILLED, CLD_STOPPED, CLD_CONTINUED */
    int status;                    /* waitid's si_status: exit code or signal */
    int wstatus;                   /* wait4's status word */
    struct rusage ru;              /* an ended child's usage (else zeros) */
};

/* Does child p match the wait's idtype and id (waitid's terms: wait4's
 * pid is turned into them), and its clone options? As on Linux, a "clone
 * child" (one that sends its parent no SIGCHLD at exit) is waited for only
 * with __WCLONE, an ordinary one only without, and __WALL takes both. */
static bool wait_matches(struct proc *p, int idtype, int id, int options)
{
    if (idtype == P_PID && p->pid != id)
        return false;
    if (idtype == P_PGID && p->group->pgid != id)
        return false;
    if (options & (int)__WALL)
        return true;
    bool clone_child = p->exit_signal != SIGCHLD;
    return clone_child == ((options & (int)__WCLONE) != 0);
}

/* Is p a child of the waiting thread me: of me itself with __WNOTHREAD,
 * else of any thread of its process (they share their children). */
static bool is_child(struct proc *p, struct proc *me, int options)
{
    if (!p->parent)
        return false;
    if (options & (int)__WNOTHREAD)
        return p->parent == me;
    return p->parent->tgid == me->tgid;
}

/* Has child p something to report that options ask for? Fill *res, and
 * unless WNOWAIT, consume it (a zombie is freed). */
static bool wait_report(struct proc *p, int options, struct wait_result *res)
{
    struct thread_group *g = p->group;
    res->uid = p->cred.uid;
    if (p->state == PROC_ZOMBIE && !proc_threads_alive(p)) {
        if (!(options & (int)WEXITED))
            return false;
        int st = p->exit_status;
        res->wstatus = st;
        res->why = !(st & 0x7F) ? CLD_EXITED : (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
        res->status = (st & 0x7F) ? (st & 0x7F) : (st >> 8) & 0xFF;
        res->pid = p->pid;
        /* Its usage goes into ours, unless it stays to be waited for again. */
        if (!(options & (int)WNOWAIT)) {
            rusage_reap(p, &res->ru);
            proc_free(p);
        }
        return true;
    }
    if (g->wait_report == CLD_STOPPED && g->stopped && (options & (int)WSTOPPED)) {
        res->wstatus = (g->stop_signal << 8) | 0x7F;
        res->why = CLD_STOPPED;
        res->status = g->stop_signal;
    } else if (g->wait_report == CLD_CONTINUED && (options & (int)WCONTINUED)) {
        res->wstatus = 0xFFFF;
        res->why = CLD_CONTINUED;
        res->status = SIGCONT;
    } else {
        return false;
    }
    res->pid = p->pid;
    if (!(options & (int)WNOWAIT))
        g->wait_report = 0;
    return true;
}

/* The loop both calls share: the child's pid, 0 (WNOHANG, nothing yet),
 * -ECHILD (no such child) or -ERESTARTSYS (a signal came). */
static int do_wait(int idtype, int id, int options, struct wait_result *res)
{
    struct proc *me = current_proc();
    if (idtype == P_PGID && id == 0)
        id = me->group->pgid;
    for (;;) {
        bool have_children = false;
        for (int i = 0; i < proc_table_end; i++) {
            struct proc *p = &procs[i];
            /* Threads are not children: only whole processes are waited for. */
            if (p->state == PROC_UNUSED || p->tgid != p->pid || !p->group ||
                !is_child(p, me, options) || !wait_matches(p, idtype, id, options))
                continue;
            have_children = true;
            if (wait_report(p, options, res))
                return res->pid;
        }
        if (!have_children)
            return -ECHILD;
        if (options & (int)WNOHANG)
            return 0;
        if (signal_pending(me))
            return -ERESTARTSYS;
        sleep_on(me);                      /* signal_notify_parent wakes us */
    }
}

int do_wait4(int pid, vaddr_t status_addr, int options, vaddr_t rusage_addr)
{
    if (options & ~(int)(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
        return -EINVAL;
    if (pid == -2147483647 - 1)
        return -ESRCH;                     /* -pid would not be a number */
    /* Check the pointers before taking anything: a bad pointer must not
     * cost the caller its child. (Linux reaps the child and then says
     * EFAULT; bunshin promises to lose nothing.) */
    if (status_addr && user_range_ok(status_addr, 4, true) < 0)
        return -EFAULT;
    if (rusage_addr && user_range_ok(rusage_addr, sizeof(struct rusage), true) < 0)
        return -EFAULT;

    int idtype = pid > 0 ? P_PID : pid == -1 ? P_ALL : P_PGID;
    int id = pid < -1 ? -pid : pid > 0 ? pid : 0;
    struct wait_result res;
    memset(&res, 0, sizeof res);
    int r = do_wait(idtype, id, options | (int)WEXITED, &res);
    if (r <= 0)
        return r;
    if (status_addr && copy_to_user(status_addr, &res.wstatus, 4) < 0)
        return -EFAULT;
    if (rusage_addr && copy_to_user(rusage_addr, &res.ru, sizeof res.ru) < 0)
        return -EFAULT;
    return r;
}

int do_waitid(int idtype, int id, vaddr_t infop, int options, vaddr_t rusage_addr)
{
    if (options & ~(int)(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
                         __WNOTHREAD | __WALL | __WCLONE))
        return -EINVAL;
    if (!(options & (int)(WEXITED | WSTOPPED | WCONTINUED)))
        return -EINVAL;
    switch (idtype) {
    case P_ALL:
        id = 0;
        break;
    case P_PID:
        if (id <= 0)
            return -EINVAL;
        break;
    case P_PGID:
        if (id < 0)
            return -EINVAL;
        break;
    case P_PIDFD: {
        /* The process the pidfd names, then as P_PID: EBADF for a
         * descriptor that is no pidfd, ECHILD once it is reaped (or for
         * one that is not a child); a non-blocking pidfd waits WNOHANG, as
         * on Linux. The pid is taken now: the descriptor may be closed
         * during the wait. */
        if (id < 0)
            return -EINVAL;
        struct file *f = fd_lookup(current_proc()->files, id);
        int err = -EBADF;
        struct proc *p = f ? pidfd_process(f, &err) : 0;
        if (!p)
            return err == -EBADF ? -EBADF : -ECHILD;
        if (f->flags & O_NONBLOCK)
            options |= WNOHANG;
        idtype = P_PID;
        id = p->tgid;
        break;
    }
    default:
        return -EINVAL;
    }
    /* As in wait4: check the pointers before anything is taken. */
    if (infop && user_range_ok(infop, sizeof(struct siginfo), true) < 0)
        return -EFAULT;
    if (rusage_addr && user_range_ok(rusage_addr, sizeof(struct rusage), true) < 0)
        return -EFAULT;

    struct wait_result res;
    memset(&res, 0, sizeof res);
    int r = do_wait(idtype, id, options, &res);
    if (r < 0)
        return r;
    if (rusage_addr && r > 0 && copy_to_user(rusage_addr, &res.ru, sizeof res.ru) < 0)
        return -EFAULT;
    if (infop) {
        /* Linux writes these fields only, all 0 when WNOHANG found nothing. */
        struct siginfo info;
        if (copy_from_user(&info, infop, sizeof info) < 0)
            return -EFAULT;
        info.si_signo = r > 0 ? SIGCHLD : 0;
        info.si_errno = 0;
        info.si_code = res.why;
        info.f.chld.pid = res.pid;
        info.f.chld.uid = res.uid;
        info.f.chld.status = res.status;
        if (copy_to_user(infop, &info, sizeof info) < 0)
            return -EFAULT;
    }
    return 0;
}
