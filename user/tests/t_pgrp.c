// t_pgrp: process groups and sessions: setpgid, getpgid, getpgrp, setsid,
// getsid with Linux's errors; kill(-pgid) and waitpid(-pgid, 0); and the
// orphaned-group rules (a stopped group that loses its last link to the
// session's shell gets SIGHUP and SIGCONT; a terminal stop signal does not
// stop an orphaned group).
//
// Everything runs in a child that first makes a session of its own
// (setsid), so the results do not depend on where the test was started:
// under the Linux host's runner or as bunshin's init.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

static const struct timespec tick = { 0, 10 * 1000000 };   // 10 ms

// A child that waits until its pipe closes (the parent's write end), then
// exits with status 7. Used as a group member that stays around.
static pid_t waiter(int *wfd)
{
    int p[2];
    if (pipe(p) < 0)
        return -1;
    pid_t pid = xfork();
    if (pid == 0) {
        close(p[1]);
        char c;
        while (read(p[0], &c, 1) > 0)
            ;
        _exit(7);
    }
    close(p[0]);
    *wfd = p[1];
    return pid;
}

static int wait_status(pid_t pid)
{
    int st = -1;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return st;
}

static void ids_of_self(void)
{
    check_eq("pgrp.getpgrp_is_getpgid0", getpgid(0), getpgrp());
    check_eq("pgrp.getpgid_self", getpgid(0), getpgid(getpid()));
    check_eq("pgrp.getsid_self", getsid(0), getsid(getpid()));
    check_errno("pgrp.getpgid_no_such", getpgid(999999), ESRCH);
    check_errno("pgrp.getsid_no_such", getsid(999999), ESRCH);
}

// Run in the session leader L (pid == pgid == sid).
static void session_rules(void)
{
    pid_t me = getpid();
    check_eq("pgrp.setsid_made_group", me, getpgrp());
    check_eq("pgrp.setsid_made_session", me, getsid(0));
    check_errno("pgrp.setsid_twice", setsid(), EPERM);
    check_errno("pgrp.leader_setpgid_self", setpgid(0, 0), EPERM);
    check_errno("pgrp.setpgid_negative_pgid", setpgid(0, -1), EINVAL);
    check_errno("pgrp.setpgid_negative_pid_own_group", setpgid(-1, 0), EINVAL);  // pgid = pid = -1
    check_errno("pgrp.setpgid_negative_pid", setpgid(-5, me), ESRCH);
    check_errno("pgrp.setpgid_not_child", setpgid(getppid(), getppid()), ESRCH);

    int wa, wb;
    pid_t a = waiter(&wa);
    pid_t b = waiter(&wb);
    check_eq("pgrp.child_inherits_group", me, getpgid(a));
    check_eq("pgrp.child_inherits_session", me, getsid(a));
    check_eq("pgrp.setpgid_child_new_group", 0, setpgid(a, a));
    check_eq("pgrp.child_new_group", a, getpgid(a));
    check_eq("pgrp.setpgid_join_group", 0, setpgid(b, a));
    check_eq("pgrp.joined_group", a, getpgid(b));
    check_errno("pgrp.setpgid_no_such_group", setpgid(b, 999999), EPERM);
    check_eq("pgrp.setpgid_back", 0, setpgid(b, 0));
    check_eq("pgrp.own_group_again", b, getpgid(b));
    check_eq("pgrp.setpgid_back_to_leader", 0, setpgid(b, me));
    check_eq("pgrp.in_leaders_group", me, getpgid(b));

    // waitpid(-pgid) and waitpid(0): only members of that group.
    close(wb);
    int st;
    siginfo_t si;
    waitid(P_PID, b, &si, WEXITED | WNOWAIT);   // b has ended; still a zombie
    check_eq("pgrp.waitpid_other_group_running", 0, waitpid(-a, &st, WNOHANG));
    check_eq("pgrp.waitpid_0_takes_own_group", b, waitpid(0, &st, 0));
    check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "pgrp.waitpid_0_status", "%s",
          status_str(st));
    // kill(-pgid): every member, nobody else.
    int wc;
    pid_t c = waiter(&wc);
    check_eq("pgrp.setpgid_c_joins_a", 0, setpgid(c, a));
    int wd;
    pid_t d = waiter(&wd);
    check_eq("pgrp.kill_group", 0, kill(-a, SIGTERM));
    st = wait_status(a);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "pgrp.kill_group_reached_leader", "%s",
          status_str(st));
    st = wait_status(c);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "pgrp.kill_group_reached_member", "%s",
          status_str(st));
    check_eq("pgrp.kill_group_spared_others", 0, kill(d, 0));
    check_errno("pgrp.kill_gone_group", kill(-a, SIGTERM), ESRCH);
    check_errno("pgrp.waitpid_gone_group", waitpid(-a, &st, WNOHANG), ECHILD);
    close(wd);
    st = wait_status(d);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "pgrp.other_exited_normally", "%s",
          status_str(st));
    close(wa);
    close(wc);
}

// setpgid on a child that has run execve: EACCES; on a child in another
// session: EPERM; setsid by a group leader: EPERM.
static void exec_and_session_errors(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    pid_t pid = xfork();
    if (pid == 0) {
        dup2(p[0], 0);
        close(p[0]);
        close(p[1]);
        execl(rootpath("/bin/cat"), "cat", (char *)NULL);
        _exit(127);
    }
    close(p[0]);
    // Wait until the child runs cat: /proc/PID/comm changes, or, without
    // /proc, setpgid starts failing.
    int r = 0;
    for (int i = 0; i < 500; i++) {
        r = setpgid(pid, pid);
        if (r < 0)
            break;
        nanosleep(&tick, NULL);
    }
    check_errno("pgrp.setpgid_after_exec", r, EACCES);
    close(p[1]);
    wait_status(pid);

    int sync[2];
    if (pipe(sync) < 0)
        return;
    pid = xfork();
    if (pid == 0) {
        close(sync[0]);
        setsid();
        write(sync[1], "x", 1);
        pause();                // until the SIGKILL below
        _exit(0);
    }
    close(sync[1]);
    char c;
    read(sync[0], &c, 1);
    check_errno("pgrp.setpgid_other_session", setpgid(pid, pid), EPERM);
    // A process of ours may not join a group of another session.
    pid_t other = pid;
    pid = xfork();
    if (pid == 0)
        _exit(setpgid(0, other) < 0 && errno == EPERM ? 0 : 1);
    int st = wait_status(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pgrp.setpgid_into_other_session",
          "joining a group of another session should fail with EPERM: child %s",
          status_str(st));
    pid = other;
    kill(pid, SIGKILL);
    wait_status(pid);
    close(sync[0]);

    pid = xfork();
    if (pid == 0) {
        setpgid(0, 0);
        _exit(setsid() < 0 && errno == EPERM ? 0 : 1);
    }
    st = wait_status(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pgrp.setsid_group_leader",
          "setsid in a process group leader should fail with EPERM: child %s",
          status_str(st));
}

static volatile sig_atomic_t got_hup;
static void on_hup(int sig)
{
    (void)sig;
    got_hup = 1;
}

// The orphan rules. P (new group) forks C (same group); C stops itself.
// While P lives, P's parent (us, another group of the session) links the
// group to the session. When P exits, the group is orphaned with a stopped
// member: C gets SIGHUP then SIGCONT. C's SIGHUP handler makes it exit 42.
static void orphaned_group(void)
{
    int rep[2];
    if (pipe(rep) < 0)
        return;
    pid_t p = xfork();
    if (p == 0) {
        setpgid(0, 0);
        pid_t c = xfork();
        if (c == 0) {
            signal(SIGHUP, on_hup);
            raise(SIGSTOP);
            // Continued: by SIGCONT after SIGHUP, if the rules held.
            char msg = got_hup ? 'H' : 'n';
            write(rep[1], &msg, 1);
            _exit(42);
        }
        // Wait until C has stopped, then leave.
        int st;
        waitpid(c, &st, WUNTRACED);
        _exit(WIFSTOPPED(st) ? 0 : 1);
    }
    close(rep[1]);
    int st = wait_status(p);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pgrp.orphan.child_stopped", "%s",
          status_str(st));
    char msg = 0;
    ssize_t n = read(rep[0], &msg, 1);   // C is no longer ours: its report comes by pipe
    check(n == 1 && msg == 'H', "pgrp.orphan.hup_then_cont",
          "the stopped member of the newly orphaned group should get SIGHUP and SIGCONT "
          "(read %zd, '%c')", n, msg ? msg : '?');
    close(rep[0]);

    // In an orphaned group (ours, after setsid: our parent is in another
    // session), SIGTSTP with its default action does not stop us.
    pid_t q = xfork();
    if (q == 0) {
        setsid();
        raise(SIGTSTP);
        raise(SIGTTIN);
        raise(SIGTTOU);
        _exit(5);
    }
    st = -1;
    pid_t w = waitpid(q, &st, WUNTRACED);
    check(w == q && WIFEXITED(st) && WEXITSTATUS(st) == 5, "pgrp.orphan.tstp_ignored",
          "a terminal stop signal should not stop an orphaned group: %s", status_str(st));
    if (w == q && WIFSTOPPED(st)) {
        kill(q, SIGKILL);
        wait_status(q);
    }
}

static void all_checks(void *arg)
{
    (void)arg;
    ids_of_self();
    if (setsid() < 0) {
        fail("pgrp.setsid", "setsid in a fresh child: %s", errname(errno));
        _exit(test_status());
    }
    session_rules();
    exec_and_session_errors();
    orphaned_group();
    _exit(test_status());
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all_checks, NULL);
    check(st == 0, "pgrp.checks_passed", "the child doing the checks %s", status_str(st));
    memfree_check("pgrp.memfree_restored", before);
    return test_status();
}
