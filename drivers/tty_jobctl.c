/* tty_jobctl.c: the terminal's side of job control.
 *
 * A session may have one controlling terminal, and a terminal one session
 * (tty->session). The terminal also names the session's foreground
 * process group (tty->pgrp): the group its INTR, QUIT and SUSP characters
 * signal, and the only one that may read from it. A process of another
 * group of the session, a background job, that reads gets SIGTTIN, which
 * stops it until the shell brings it to the foreground; one that writes
 * gets SIGTTOU if the terminal has TOSTOP set, and so does one that
 * changes the terminal's settings. When the session's leader ends, the
 * terminal is hung up: the session's foreground group gets SIGHUP.
 *
 * Each process keeps its controlling terminal in its thread_group (tty);
 * fork passes it on, setsid drops it. The rules, errors and signals below
 * are Linux's (drivers/tty/tty_jobctrl.c and tty_io.c tell what they are;
 * user/tests/t_tty_jobctl.c checks them against Linux).
 */
#include "drivers/tty.h"
#include "fs/file.h"
#include "kernel/pgrp.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/usercopy.h"
#include "linux/errno.h"

static struct thread_group *me(void)
{
    return current_proc()->group;
}

struct tty *tty_current(void)
{
    return me()->tty;
}

/* Make t the caller's controlling terminal, its group the foreground. */
static void set_ctty(struct tty *t)
{
    struct thread_group *g = me();
    t->session = g->sid;
    t->pgrp = g->pgid;
    g->tty = t;
    g->tty_old_pgrp = 0;
}

int tty_check_change(struct tty *t, int sig)
{
    struct proc *p = current_proc();
    struct thread_group *g = p->group;
    if (g->tty != t || !t->pgrp || g->pgid == t->pgrp)
        return 0;                          /* not our terminal, or we are in front */
    if (signal_blocked_or_ignored(p, sig))
        return sig == SIGTTIN ? -EIO : 0;  /* a write that asked not to stop goes on */
    if (pgrp_orphaned(g->pgid))
        return -EIO;                       /* nobody could continue us */
    signal_send_pgrp(g->pgid, sig);
    return -ERESTARTSYS;                   /* stop, and try again when continued */
}

void tty_open_ctty(struct tty *t, bool readable)
{
    struct thread_group *g = me();
    if (g->session_leader && !g->tty && !t->session && readable)
        set_ctty(t);
}

void tty_signal_fg(struct tty *t, int sig)
{
    if (t->pgrp)
        signal_send_pgrp(t->pgrp, sig);
}

void tty_hangup(struct tty *t, bool exit_session)
{
    int fg = t->pgrp;
    t->hangups++;                          /* every file open now is hung up */
    if (t->session)
        session_hangup(t->session, t, fg);
    if (exit_session && fg)
        signal_send_pgrp(fg, SIGHUP);
    t->session = t->pgrp = 0;
    ldisc_flush_input(t);
    t->stopped = t->tco_stopped = false;
    if (!t->driver->pty) {
        /* The console starts afresh for the next session, as Linux's
         * virtual terminals do (a program that left it raw is gone). */
        struct winsize ws = t->winsize;
        tty_setup(t, t->driver, &ws);
        t->column = t->canon_column = 0;
    }
    tty_wake(&t->read_wait);
    tty_wake(&t->write_wait);
}

void tty_forget(struct tty *t)
{
    pgrp_forget_tty(t);
}

/* Linux's disassociate_ctty. on_exit: the leader is ending (else it gave
 * the terminal up with TIOCNOTTY). */
static void disassociate(bool on_exit)
{
    struct thread_group *g = me();
    if (!g->session_leader)
        return;
    struct tty *t = g->tty;
    if (!t) {
        /* The terminal was hung up under a leader that is ending now: the
         * group that was in front then hears of it. */
        if (on_exit && g->tty_old_pgrp) {
            signal_send_pgrp(g->tty_old_pgrp, SIGHUP);
            signal_send_pgrp(g->tty_old_pgrp, SIGCONT);
            g->tty_old_pgrp = 0;
        }
        return;
    }
    if (on_exit && !t->driver->pty) {
        tty_hangup(t, true);
    } else if (t->pgrp) {
        signal_send_pgrp(t->pgrp, SIGHUP);
        if (!on_exit)
            signal_send_pgrp(t->pgrp, SIGCONT);
    }
    g->tty_old_pgrp = 0;
    if (g->tty)
        g->tty->session = g->tty->pgrp = 0;
    session_clear_tty(g->sid);
}

void tty_session_leader_exit(struct thread_group *g)
{
    (void)g;                               /* it is the caller's, as for Linux */
    disassociate(true);
}

/* TIOCSCTTY: make t (a pty master's slave, or t itself) the caller's
 * controlling terminal. arg 1 takes it from another session (Linux asks
 * for CAP_SYS_ADMIN, which every bunshin process has). */
static long tiocsctty(struct tty *t, uint32_t arg)
{
    struct thread_group *g = me();
    if (g->session_leader && t->session == g->sid)
        return 0;                          /* it is ours already */
    if (!g->session_leader || g->tty)
        return -EPERM;
    if (t->session) {
        if (arg != 1)
            return -EPERM;                 /* another session's terminal */
        session_clear_tty(t->session);
    }
    set_ctty(t);
    return 0;
}

/* TIOCSPGRP: make group *arg the foreground of our terminal. */
static long tiocspgrp(struct tty *real, vaddr_t arg)
{
    int r = tty_check_change(real, SIGTTOU);
    if (r == -EIO)
        return -ENOTTY;
    if (r)
        return r;
    int pgrp;
    if (copy_from_user(&pgrp, arg, sizeof pgrp) < 0)
        return -EFAULT;
    if (pgrp < 0)
        return -EINVAL;
    struct thread_group *g = me();
    if (g->tty != real || real->session != g->sid)
        return -ENOTTY;
    int sid = pgrp_or_pid_session(pgrp);
    if (sid < 0)
        return -ESRCH;
    if (sid != g->sid)
        return -EPERM;                     /* a group of another session */
    real->pgrp = pgrp;
    return 0;
}

long tty_jobctl_ioctl(struct tty *t, struct tty *real, struct file *f, uint32_t cmd,
                      vaddr_t arg)
{
    (void)f;
    struct thread_group *g = me();
    int v;
    switch (cmd) {
    case TIOCNOTTY:
        if (g->tty != t)
            return -ENOTTY;
        disassociate(false);
        g->tty = 0;
        return 0;
    case TIOCSCTTY:
        return tiocsctty(real, arg);
    case TIOCGPGRP:
        /* A master may ask about its slave without being in its session. */
        if (t == real && g->tty != real)
            return -ENOTTY;
        v = real->pgrp;
        return copy_to_user(arg, &v, sizeof v);
    case TIOCSPGRP:
        return tiocspgrp(real, arg);
    case TIOCGSID:
        if (t == real && g->tty != real)
            return -ENOTTY;
        if (!real->session)
            return -ENOTTY;
        v = real->session;
        return copy_to_user(arg, &v, sizeof v);
    }
    return -TTY_NOIOCTL;
}
