// jobctl.c: job control (set -m, on by itself in an interactive shell on a
// terminal).
//
// Each job gets a process group of its own, led by its first process, so
// that the terminal can tell jobs apart: the terminal sends ^C (SIGINT) and
// ^Z (SIGTSTP) to its foreground process group only, and stops with SIGTTIN
// a process of another group that reads it. So the shell gives the terminal
// to a foreground job with tcsetpgrp before waiting for it, and takes it
// back when the job ends or stops. The shell itself ignores ^C, ^Z, SIGTTIN
// and SIGTTOU, and waits with WUNTRACED to see a stop as well as an end.
//
// Both the shell and the child call setpgid (and, for a foreground job,
// tcsetpgrp): whichever of the two runs first after fork makes it happen,
// so neither the shell (about to tcsetpgrp or kill the group) nor the child
// (about to execve a program that reads the terminal) can find the group
// not made yet. The second call changes nothing, or fails harmlessly once
// the child has called execve (EACCES). The shell's tcsetpgrp is made only
// while the terminal is still the shell's: if the child ran first, its
// program may already have given the terminal to a group of its own.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "sh.h"

int monitor;                  // set -m
static int tty = -1;          // the terminal, when the shell controls it
static pid_t shell_pgid;      // the group the terminal goes back to
static struct termios shell_tmodes;
static int have_tmodes;

// tcsetpgrp from a process not in the foreground group sends it SIGTTOU
// unless it blocks or ignores it: block it for the call.
static void give_terminal(pid_t pgid)
{
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGTTOU);
    sigprocmask(SIG_BLOCK, &set, &old);
    tcsetpgrp(tty, pgid);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static void on_hangup(int sig)
{
    // The terminal is gone: the jobs get SIGHUP, as the shell does.
    jobs_hangup();
    signal(sig, SIG_DFL);
    raise(sig);
}

// Take the terminal: wait (stopped by SIGTTIN) until this shell's group is
// in the foreground, then lead a group of its own and make it the
// foreground. Returns 0, or -1 when there is no terminal to control.
static int take_terminal(void)
{
    if (!isatty(0))
        return -1;
    for (int tries = 0;; tries++) {
        pid_t fg = tcgetpgrp(0);
        if (fg <= 0)
            return -1;   // not a terminal with job control (ENOTTY)
        if (fg == getpgrp())
            break;
        // Started in the background: stop until someone puts us in front.
        struct sigaction sa;
        if (tries > 100 || sigaction(SIGTTIN, NULL, &sa) < 0 || sa.sa_handler == SIG_IGN)
            return -1;
        kill(-getpgrp(), SIGTTIN);
    }
    sig_shell_ignore(SIGINT, 1);
    sig_shell_ignore(SIGQUIT, 1);
    sig_shell_ignore(SIGTSTP, 1);
    sig_shell_ignore(SIGTTIN, 1);
    sig_shell_ignore(SIGTTOU, 1);
    // A session leader already leads its group (setpgid fails with EPERM).
    if (getpgrp() != getpid() && setpgid(0, 0) < 0) {
        sh_error("job control: setpgid: %s", strerror(errno));
        return -1;
    }
    tty = 0;
    shell_pgid = getpgrp();
    give_terminal(shell_pgid);
    have_tmodes = tcgetattr(tty, &shell_tmodes) == 0;
    return 0;
}

void jobctl_init(void)
{
    if (take_terminal() == 0) {
        monitor = 1;
        signal(SIGHUP, on_hangup);
    }
}

int jobctl_set(int on)
{
    if (on && !monitor && sh.interactive && tty < 0)
        take_terminal();
    // A script on a terminal, in the foreground: hand the terminal to its
    // jobs too. Elsewhere, process groups without a terminal.
    if (on && !monitor && !sh.interactive && tty < 0 && isatty(0) && tcgetpgrp(0) == getpgrp()) {
        tty = 0;
        shell_pgid = getpgrp();
        have_tmodes = tcgetattr(tty, &shell_tmodes) == 0;
    }
    monitor = on;
    return 0;
}

pid_t job_fork(struct job *j, int fg)
{
    // Signals that the child must see with its own dispositions are held
    // until it has them: a ^C typed just after fork still ends the child.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGQUIT);
    sigaddset(&block, SIGTSTP);
    sigaddset(&block, SIGTTIN);
    sigaddset(&block, SIGTTOU);
    sigaddset(&block, SIGCHLD);
    trap_blockset(&block);
    sigprocmask(SIG_BLOCK, &block, &old);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        sh_error("fork: %s", strerror(errno));
    } else if (pid == 0) {
        sig_child();
        if (!j) {
            // Not a job of its own: stays in the shell's group.
        } else if (monitor) {
            pid_t pgid = j->pgid ? j->pgid : getpid();
            setpgid(0, pgid);
            if (fg && tty >= 0)
                tcsetpgrp(tty, pgid);   // SIGTTOU is still blocked
        } else if (!fg) {
            // POSIX: without job control, an & list ignores ^C and ^\.
            signal(SIGINT, SIG_IGN);
            signal(SIGQUIT, SIG_IGN);
        }
        sh.interactive = 0;
        monitor = 0;
        tty = -1;
        jobs_forget();
    } else if (j) {
        if (monitor) {
            if (!j->pgid)
                j->pgid = pid;
            setpgid(pid, j->pgid);
            // Only if the terminal is still the shell's: the child may have
            // taken it already and run on, and its program may have handed
            // it to a group of its own (tty_fg does, as any shell run from
            // this one does); taking it back for the job now would undo that.
            if (fg && tty >= 0 && tcgetpgrp(tty) == shell_pgid)
                give_terminal(j->pgid);
        }
        job_add_proc(j, pid);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return pid;
}

int job_wait_fg(struct job *j)
{
    for (int i = 0; i < j->nprocs && job_state(j) != P_STOPPED; i++) {
        struct proc *p = &j->procs[i];
        int st;
        while (p->state == P_RUNNING) {
            pid_t r = waitpid(p->pid, &st, monitor ? WUNTRACED : 0);
            if (r == p->pid) {
                job_update(r, st);
            } else if (r < 0 && errno != EINTR) {
                sh_error("wait: %s", strerror(errno));
                p->state = P_DONE;
                p->status = 127 << 8;
            }
        }
    }
    int state = job_state(j);
    int last = j->procs[j->nprocs - 1].status;
    if (monitor && tty >= 0) {
        give_terminal(shell_pgid);
        if (state == P_STOPPED)
            j->has_tmodes = tcgetattr(tty, &j->tmodes) == 0;
        // A program that ended well leaves the modes it wants (stty);
        // after a stop or a signal, the shell's own come back.
        if (state == P_DONE && WIFEXITED(last))
            have_tmodes = tcgetattr(tty, &shell_tmodes) == 0;
        else if (have_tmodes)
            tcsetattr(tty, TCSADRAIN, &shell_tmodes);
    }
    if (state == P_STOPPED) {
        int sig = SIGTSTP;
        for (int i = 0; i < j->nprocs; i++)
            if (j->procs[i].state == P_STOPPED)
                sig = WSTOPSIG(j->procs[i].status);
        j->async = 0;
        job_number(j);
        fflush(stdout);
        dprintf(2, "\n");
        job_print(j, 2, 0);
        j->notified = 1;
        sh.last_signal = 0;
        sh.stopped = 1;
        return 128 + sig;
    }
    sh.last_signal = WIFSIGNALED(last) ? WTERMSIG(last) : 0;
    if (monitor && tty >= 0 && sh.interactive && sh.last_signal == SIGINT) {
        sh.interrupted = 1;   // as if the shell had been interrupted too
        dprintf(2, "\n");     // after the terminal's echo of ^C
    }
    int status = job_status(j);
    job_free(j);
    return status;
}

// Continue job j, in the foreground (fg) or the background (bg).
static int job_continue(struct job *j, int fg)
{
    jobs_poll();   // stops not yet seen must not be taken for new ones
    if (fg && job_state(j) == P_DONE) {   // (bg leaves it to the next report)
        int status = job_status(j);
        job_free(j);
        return status;
    }
    if (fg && tty >= 0 && j->pgid) {
        give_terminal(j->pgid);
        if (j->has_tmodes)
            tcsetattr(tty, TCSADRAIN, &j->tmodes);
    }
    for (int i = 0; i < j->nprocs; i++)
        if (j->procs[i].state == P_STOPPED)
            j->procs[i].state = P_RUNNING;
    j->notified = 0;
    if (j->pgid)
        kill(-j->pgid, SIGCONT);
    else   // started before set -m: in the shell's own group
        for (int i = 0; i < j->nprocs; i++)
            if (j->procs[i].state != P_DONE)
                kill(j->procs[i].pid, SIGCONT);
    if (fg)
        return job_wait_fg(j);
    j->async = 1;
    job_touch(j);
    return 0;
}

// fg [%JOB]: the job (the current one by default) to the foreground.
int bi_fg(int argc, char **argv)
{
    if (!monitor) {
        sh_error("fg: no job control");
        return 1;
    }
    struct job *j = job_find(argc > 1 ? argv[1] : "%%", "fg");
    if (!j)
        return 1;
    printf("%s\n", j->cmd ? j->cmd : "");
    fflush(stdout);
    return job_continue(j, 1);
}

// bg [%JOB...]: continue stopped jobs in the background.
int bi_bg(int argc, char **argv)
{
    if (!monitor) {
        sh_error("bg: no job control");
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc || i == 1; i++) {
        struct job *j = job_find(i < argc ? argv[i] : "%%", "bg");
        if (!j) {
            status = 1;
        } else if (job_state(j) == P_DONE) {
            sh_error("bg: %s: the job has ended", i < argc ? argv[i] : "%%");
            status = 1;
        } else {
            job_continue(j, 0);
            printf("[%d]%c %s &\n", j->id, job_mark(j), j->cmd ? j->cmd : "");
        }
        if (argc == 1)
            break;
    }
    fflush(stdout);
    return status;
}
