// t_tty_jobctl: job control at the terminal, on pseudo-terminals, checked
// against Linux: the controlling terminal (taken by a session leader's
// open, TIOCSCTTY's rules and errors, TIOCNOTTY, /dev/tty), the foreground
// group (TIOCGPGRP, TIOCSPGRP and its errors, TIOCGSID), ^C ^\ ^Z and a new
// window size signalling the foreground group, a background group's reads
// (SIGTTIN, or EIO when it ignores or blocks it or is orphaned) and writes
// and settings changes (SIGTTOU with TOSTOP, or for tcsetattr always), a
// blocking read interrupted by a signal (restarted with SA_RESTART, EINTR
// without), bunshin's console (job control by the name /dev/tty1, none
// through /dev/console), and the hangups: the master closing (the
// session's leader gets SIGHUP and SIGCONT, the slave reads end of file),
// the session's leader ending (its foreground group gets SIGHUP). MemFree
// is back at the end.
//
// Each part runs in a session of its own (setsid), whatever the test was
// started from: the Linux host's runner or bunshin's init; but the
// console's part, which needs the session init gave the test.
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "pty_common.h"

static char path[64];
static int m;                            // the master of path's pty

static const struct timespec two_s = { 2, 0 };
static const struct timespec short_wait = { 0, 300 * 1000000 };

// Run fn in a child; its own checks print themselves. Its exit status: 0
// if none failed.
static pid_t spawn(void (*fn)(void))
{
    int before = test_failures();
    pid_t pid = xfork();
    if (pid == 0) {
        alarm(30);
        fn();
        _exit(test_failures() > before ? 1 : 0);
    }
    return pid;
}

static void check_child(const char *name, pid_t pid)
{
    int st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, name, "%s", status_str(st));
}

static void block(int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_BLOCK, &set, 0);
}

static int pending(int sig)
{
    sigset_t set;
    sigpending(&set);
    return sigismember(&set, sig);
}

// Wait up to *ts for sig (blocked): 1 if it came.
static int wait_sig(int sig, const struct timespec *ts)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    return sigtimedwait(&set, 0, ts) == sig;
}

// A new session led by the caller with path as its controlling terminal.
static int lead_session(void)
{
    if (setsid() < 0) {
        fail("jobctl.setsid", "%s", strerror(errno));
        return -1;
    }
    int s = open(path, O_RDWR);
    if (s < 0)
        fail("jobctl.open_slave", "%s", strerror(errno));
    return s;
}

static void pipe_or_die(int p[2])
{
    if (pipe(p) < 0) {
        fail("jobctl.pipe", "%s", strerror(errno));
        _exit(1);
    }
}

// ---- the controlling terminal ----

static void ctty_rules(void)
{
    setsid();
    check_errno("jobctl.no_ctty_dev_tty_enxio", open("/dev/tty", O_RDWR), ENXIO);
    int s0 = open(path, O_RDWR | O_NOCTTY);
    check_errno("jobctl.noctty_open_takes_none", open("/dev/tty", O_RDWR), ENXIO);
    pid_t id;
    check_errno("jobctl.tiocgpgrp_not_ctty_enotty", ioctl(s0, TIOCGPGRP, &id), ENOTTY);
    check_errno("jobctl.tiocgsid_not_ctty_enotty", ioctl(s0, TIOCGSID, &id), ENOTTY);
    check_errno("jobctl.master_tiocgsid_no_session", ioctl(m, TIOCGSID, &id), ENOTTY);
    id = -5;
    check(ioctl(m, TIOCGPGRP, &id) == 0 && id == 0, "jobctl.master_tiocgpgrp_none",
          "%d %s", id, strerror(errno));

    int s = open(path, O_RDWR);          // a session leader's open takes it
    pid_t me = getpid();
    check_eq("jobctl.open_takes_ctty_sid", me, tcgetsid(s));
    check_eq("jobctl.open_takes_ctty_pgrp", me, tcgetpgrp(s));
    check_eq("jobctl.master_sees_sid", 0, ioctl(m, TIOCGSID, &id));
    check_eq("jobctl.master_sid", me, id);
    check_eq("jobctl.master_sees_pgrp", 0, ioctl(m, TIOCGPGRP, &id));
    check_eq("jobctl.master_pgrp", me, id);
    int t = open("/dev/tty", O_RDWR);
    check(t >= 0, "jobctl.dev_tty_opens", "%s", strerror(errno));
    write(t, "via", 3);
    PTY_EXPECT("jobctl.dev_tty_is_ctty", m, "via");
    close(t);
    check_eq("jobctl.tiocsctty_own", 0, ioctl(s, TIOCSCTTY, 0));

    char path2[64];
    int m2 = pty_open(path2);
    int s2 = open(path2, O_RDWR);        // we have one: this one is not taken
    check_errno("jobctl.second_tty_not_taken", ioctl(s2, TIOCGSID, &id), ENOTTY);
    check_errno("jobctl.tiocsctty_have_one_eperm", ioctl(s2, TIOCSCTTY, 0), EPERM);
    check_errno("jobctl.tiocnotty_not_ctty_enotty", ioctl(s2, TIOCNOTTY), ENOTTY);
    check_errno("jobctl.tiocnotty_master_enotty", ioctl(m, TIOCNOTTY), ENOTTY);
    pid_t dummy = me;
    check_errno("jobctl.tiocspgrp_not_ctty_enotty", ioctl(s2, TIOCSPGRP, &dummy), ENOTTY);

    // TIOCSPGRP's errors, then a real change.
    pid_t bad = -1;
    check_errno("jobctl.tiocspgrp_negative_einval", ioctl(s, TIOCSPGRP, &bad), EINVAL);
    bad = 999999;
    check_errno("jobctl.tiocspgrp_none_esrch", ioctl(s, TIOCSPGRP, &bad), ESRCH);
    pid_t other = getpgid(getppid());
    check_errno("jobctl.tiocspgrp_other_session_eperm", ioctl(s, TIOCSPGRP, &other), EPERM);
    check_errno("jobctl.tiocspgrp_efault", ioctl(s, TIOCSPGRP, (void *)16), EFAULT);
    int hold[2];
    pipe_or_die(hold);
    int before = test_failures();
    pid_t c = xfork();
    if (c == 0) {
        close(hold[1]);
        char x;
        check_errno("jobctl.child_tiocsctty_eperm", ioctl(s, TIOCSCTTY, 0), EPERM);
        read(hold[0], &x, 1);
        _exit(test_failures() > before ? 1 : 0);
    }
    close(hold[0]);
    setpgid(c, c);
    check_eq("jobctl.tcsetpgrp_child_group", 0, tcsetpgrp(s, c));
    check_eq("jobctl.tcgetpgrp_child_group", c, tcgetpgrp(s));
    signal(SIGTTOU, SIG_IGN);            // we are in the background now
    check_eq("jobctl.tcsetpgrp_back", 0, tcsetpgrp(s, me));
    signal(SIGTTOU, SIG_DFL);
    close(hold[1]);
    check_child("jobctl.child_checks", c);

    // Another session's leader may not take our terminal.
    before = test_failures();
    c = xfork();
    if (c == 0) {
        setsid();
        check_errno("jobctl.tiocsctty_taken_eperm", ioctl(s, TIOCSCTTY, 0), EPERM);
        int o = open(path, O_RDWR);      // nor does opening it give it
        pid_t sid;
        check_errno("jobctl.open_taken_not_given", ioctl(o, TIOCGSID, &sid), ENOTTY);
        _exit(test_failures() > before ? 1 : 0);
    }
    check_child("jobctl.other_session_checks", c);

    // TIOCNOTTY by the leader: its foreground group hears SIGHUP and SIGCONT.
    block(SIGHUP);
    block(SIGCONT);
    check_eq("jobctl.tiocnotty", 0, ioctl(s, TIOCNOTTY));
    check(pending(SIGHUP), "jobctl.tiocnotty_sighup", "SIGHUP not pending");
    check(pending(SIGCONT), "jobctl.tiocnotty_sigcont", "SIGCONT not pending");
    check_errno("jobctl.tiocnotty_dev_tty_enxio", open("/dev/tty", O_RDWR), ENXIO);
    check_errno("jobctl.tiocnotty_no_session", ioctl(m, TIOCGSID, &id), ENOTTY);
    check_eq("jobctl.tiocsctty_again", 0, ioctl(s, TIOCSCTTY, 0));
    check_eq("jobctl.tiocsctty_again_sid", me, tcgetsid(s));
    close(s2);
    close(m2);
}

// ---- signals from the keyboard, and SIGWINCH ----

static void keyboard_signals(void)
{
    int s = lead_session();
    int ready[2], report[2];
    pipe_or_die(ready);
    pipe_or_die(report);
    block(SIGINT);
    block(SIGQUIT);
    block(SIGTSTP);
    block(SIGWINCH);
    pid_t c = xfork();
    if (c == 0) {
        setpgid(0, 0);
        write(ready[1], "r", 1);
        char got[5];
        got[0] = (char)wait_sig(SIGINT, &two_s);
        got[1] = (char)wait_sig(SIGQUIT, &two_s);
        got[2] = (char)wait_sig(SIGTSTP, &two_s);
        got[3] = (char)wait_sig(SIGWINCH, &two_s);
        got[4] = (char)wait_sig(SIGWINCH, &short_wait);   // the same size: none
        write(report[1], got, 5);
        _exit(0);
    }
    setpgid(c, c);
    char x;
    read(ready[0], &x, 1);
    tcsetpgrp(s, c);
    pty_type(m, "\003");
    PTY_EXPECT("jobctl.intr_echo", m, "^C");
    pty_type(m, "\034");
    PTY_EXPECT("jobctl.quit_echo", m, "^\\");
    pty_type(m, "\032");
    PTY_EXPECT("jobctl.susp_echo", m, "^Z");
    struct winsize ws = { 30, 100, 0, 0 };
    ioctl(m, TIOCSWINSZ, &ws);
    sleep_ms(100);
    ioctl(m, TIOCSWINSZ, &ws);
    char got[5] = { 0 };
    check_eq("jobctl.fg_report", 5, read(report[0], got, 5));
    check_eq("jobctl.intr_sigint_to_fg", 1, got[0]);
    check_eq("jobctl.quit_sigquit_to_fg", 1, got[1]);
    check_eq("jobctl.susp_sigtstp_to_fg", 1, got[2]);
    check_eq("jobctl.winsize_sigwinch_to_fg", 1, got[3]);
    check_eq("jobctl.same_winsize_no_sigwinch", 0, got[4]);
    check(!pending(SIGINT) && !pending(SIGWINCH), "jobctl.background_not_signalled",
          "the leader, in the background, got SIGINT or SIGWINCH");
    wait_for(c);
}

// ---- the background ----

static int bg_fd;

// In a background child: what read, write or tcsetattr gives; it exits
// with 0 on success, 1 + errno's value class otherwise.
enum { DO_READ, DO_WRITE, DO_TCSETATTR, DO_TCSETPGRP };

static int bg_do(int what)
{
    char c;
    struct termios t;
    switch (what) {
    case DO_READ: return read(bg_fd, &c, 1) < 0 ? errno : 0;
    case DO_WRITE: return write(bg_fd, "w", 1) < 0 ? errno : 0;
    case DO_TCSETATTR:
        tcgetattr(bg_fd, &t);
        return tcsetattr(bg_fd, TCSANOW, &t) < 0 ? errno : 0;
    default: return tcsetpgrp(bg_fd, getpgrp()) < 0 ? errno : 0;
    }
}

// disp: SIG_DFL, SIG_IGN, or (0) blocked. Returns the child's wait status
// (stopped ones are killed after being seen).
static int in_background(int what, int sig, int disp)
{
    pid_t c = xfork();
    if (c == 0) {
        setpgid(0, 0);
        if (disp == 0)
            block(sig);
        else if (disp == 1)
            signal(sig, SIG_IGN);
        _exit(bg_do(what));
    }
    setpgid(c, c);
    int st;
    if (waitpid(c, &st, WUNTRACED) != c)
        return -1;
    if (WIFSTOPPED(st)) {
        kill(c, SIGKILL);
        waitpid(c, 0, 0);
    }
    return st;
}

static void expect_stop(const char *name, int st, int sig)
{
    check(WIFSTOPPED(st) && WSTOPSIG(st) == sig, name, "expected stopped by %s, got %s",
          signame(sig), status_str(st));
}

static void expect_exit(const char *name, int st, int code)
{
    check(WIFEXITED(st) && WEXITSTATUS(st) == code, name, "expected %s, got %s",
          code ? errname(code) : "success", WIFSTOPPED(st) ? "stopped" : status_str(st));
}

static void background(void)
{
    bg_fd = lead_session();
    int dfl = 2, ign = 1, blk = 0;
    expect_stop("jobctl.bg_read_sigttin", in_background(DO_READ, SIGTTIN, dfl), SIGTTIN);
    expect_exit("jobctl.bg_read_ignored_eio", in_background(DO_READ, SIGTTIN, ign), EIO);
    expect_exit("jobctl.bg_read_blocked_eio", in_background(DO_READ, SIGTTIN, blk), EIO);
    expect_exit("jobctl.bg_write_no_tostop", in_background(DO_WRITE, SIGTTOU, dfl), 0);
    PTY_EXPECT("jobctl.bg_write_arrives", m, "w");
    expect_stop("jobctl.bg_tcsetattr_sigttou", in_background(DO_TCSETATTR, SIGTTOU, dfl),
                SIGTTOU);
    expect_exit("jobctl.bg_tcsetattr_ignored", in_background(DO_TCSETATTR, SIGTTOU, ign), 0);
    expect_exit("jobctl.bg_tcsetattr_blocked", in_background(DO_TCSETATTR, SIGTTOU, blk), 0);
    pty_lflag(bg_fd, TOSTOP, 0);
    expect_stop("jobctl.bg_write_tostop_sigttou", in_background(DO_WRITE, SIGTTOU, dfl),
                SIGTTOU);
    expect_exit("jobctl.bg_write_tostop_ignored", in_background(DO_WRITE, SIGTTOU, ign), 0);
    expect_exit("jobctl.bg_write_tostop_blocked", in_background(DO_WRITE, SIGTTOU, blk), 0);
    PTY_EXPECT("jobctl.bg_writes_arrive", m, "ww");
    expect_stop("jobctl.bg_tcsetpgrp_sigttou", in_background(DO_TCSETPGRP, SIGTTOU, dfl),
                SIGTTOU);
    check_eq("jobctl.still_foreground", getpid(), tcgetpgrp(bg_fd));

    // An orphaned background group: EIO instead of a stop nobody could end.
    int report[2];
    pipe_or_die(report);
    pid_t b = xfork();
    if (b == 0) {
        setpgid(0, 0);
        pid_t parent = getpid();         // (b is 0 here, in the child)
        pid_t x = xfork();
        if (x == 0) {
            while (getppid() == parent)  // until our parent has gone
                sleep_ms(5);
            char r[2];
            r[0] = (char)bg_do(DO_READ);
            r[1] = (char)bg_do(DO_WRITE);
            write(report[1], r, 2);
            _exit(0);
        }
        _exit(0);
    }
    wait_for(b);
    close(report[1]);
    char r[2] = { 0, 0 };
    check_eq("jobctl.orphan_report", 2, read(report[0], r, 2));
    check_eq("jobctl.orphan_read_eio", EIO, r[0]);
    check_eq("jobctl.orphan_write_tostop_eio", EIO, r[1]);
    pty_lflag(bg_fd, 0, TOSTOP);
}

// bunshin's console, which init made the test's controlling terminal: by
// its own name (/dev/tty1) a background read stops with SIGTTIN; through
// /dev/console it does not (a non-blocking read says EAGAIN), as Linux
// spares /dev/console job control.
static void console_job_control(void)
{
    if (!on_bunshin()) {
        skip("jobctl.console_bg_read_sigttin", "bunshin's console; on Linux only root may "
             "open /dev/console, and it is not the test's terminal");
        skip("jobctl.console_file_no_sigttin", "bunshin's console");
        return;
    }
    bg_fd = open("/dev/tty1", O_RDWR);
    if (!check(bg_fd >= 0, "jobctl.console_tty1_opens", "%s", strerror(errno)))
        return;
    pid_t sid = 0;
    check(ioctl(bg_fd, TIOCGSID, &sid) == 0 && sid == getsid(0), "jobctl.console_is_ctty",
          "TIOCGSID: %d (%s), our session %d", sid, strerror(errno), getsid(0));
    expect_stop("jobctl.console_bg_read_sigttin", in_background(DO_READ, SIGTTIN, 2),
                SIGTTIN);
    close(bg_fd);
    bg_fd = open("/dev/console", O_RDWR | O_NONBLOCK);
    expect_exit("jobctl.console_file_no_sigttin", in_background(DO_READ, SIGTTIN, 2), EAGAIN);
    close(bg_fd);
}

// ---- a blocking read and a signal ----

static volatile sig_atomic_t usr1;
static void on_usr1(int sig)
{
    (void)sig;
    usr1++;
}

static void interrupted_read(void)
{
    int s = lead_session();
    for (int restart = 1; restart >= 0; restart--) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sa.sa_flags = restart ? SA_RESTART : 0;
        sigaction(SIGUSR1, &sa, 0);
        usr1 = 0;
        pid_t me = getpid();
        pid_t c = xfork();
        if (c == 0) {
            // The signal comes once the read waits, never before it.
            if (!pty_wait_sleeping(me, 5000))
                warn("interrupted_read: the parent never slept");
            kill(me, SIGUSR1);
            sleep_ms(200);
            pty_type(m, "data\n");
            _exit(0);
        }
        char buf[16];
        ssize_t r = read(s, buf, sizeof buf);
        if (restart)
            check_eq("jobctl.read_sa_restart_restarts", 5, r);
        else
            check_errno("jobctl.read_no_sa_restart_eintr", r, EINTR);
        check_eq(restart ? "jobctl.handler_ran_restart" : "jobctl.handler_ran", 1, usr1);
        wait_for(c);
        sleep_ms(50);
        tcflush(s, TCIFLUSH);
        pty_collect(m, buf, sizeof buf, 0, 50);
    }
}

// ---- hangups ----

// The master closes: the leader gets SIGHUP and SIGCONT; the slave's files
// read end of file and fail writes; the session has no terminal.
static void master_close_hangup(void)
{
    char p2[64];
    int m2 = pty_open(p2);
    int ready[2];
    pipe_or_die(ready);
    int before = test_failures();
    pid_t l = xfork();
    if (l == 0) {
        close(m2);
        setsid();
        block(SIGHUP);
        block(SIGCONT);
        int s = open(p2, O_RDWR);
        check_eq("jobctl.hup.has_ctty", getpid(), tcgetsid(s));
        write(ready[1], "r", 1);
        check(wait_sig(SIGHUP, &two_s), "jobctl.hup.leader_sighup", "no SIGHUP");
        check(pending(SIGCONT), "jobctl.hup.leader_sigcont", "no SIGCONT");
        char c;
        check_eq("jobctl.hup.read_eof", 0, read(s, &c, 1));
        check_errno("jobctl.hup.write_eio", write(s, "x", 1), EIO);
        check_errno("jobctl.hup.dev_tty_enxio", open("/dev/tty", O_RDWR), ENXIO);
        _exit(test_failures() > before ? 1 : 0);
    }
    char x;
    read(ready[0], &x, 1);
    close(m2);
    check_child("jobctl.hup.leader_checks", l);
}

// The leader ends: on a pty, its foreground group gets SIGHUP (no SIGCONT).
// And a leader whose terminal was hung up tells its old foreground group,
// when it ends, with SIGHUP and SIGCONT.
static void leader_exit_hangup(void)
{
    for (int hung_first = 0; hung_first <= 1; hung_first++) {
        char p2[64];
        int m2 = pty_open(p2);
        int ready[2], report[2], go[2];
        pipe_or_die(ready);
        pipe_or_die(report);
        pipe_or_die(go);
        pid_t l = xfork();
        if (l == 0) {
            close(m2);
            setsid();
            signal(SIGHUP, SIG_IGN);
            int s = open(p2, O_RDWR);
            (void)s;
            pid_t c = xfork();
            if (c == 0) {                 // in the leader's group: the foreground
                block(SIGHUP);
                block(SIGCONT);
                write(ready[1], "r", 1);
                char r[3];
                r[0] = (char)wait_sig(SIGHUP, &two_s);
                r[1] = (char)pending(SIGCONT);
                r[2] = (char)(open("/dev/tty", O_RDWR) < 0 && errno == ENXIO);
                write(report[1], r, 3);
                _exit(0);
            }
            char g;
            read(go[0], &g, 1);           // the master may close first
            _exit(0);
        }
        char x;
        read(ready[0], &x, 1);
        if (hung_first) {
            close(m2);                    // the leader ignores its SIGHUP
            sleep_ms(100);
        }
        write(go[1], "g", 1);
        wait_for(l);
        char r[3] = { 0 };
        read(report[0], r, 3);
        if (hung_first) {
            check_eq("jobctl.old_pgrp_sighup", 1, r[0]);
            check_eq("jobctl.old_pgrp_sigcont", 1, r[1]);
        } else {
            check_eq("jobctl.leader_exit_fg_sighup", 1, r[0]);
            check_eq("jobctl.leader_exit_fg_no_sigcont", 0, r[1]);
            check_eq("jobctl.leader_exit_ctty_gone", 1, r[2]);
            pid_t sid;
            check_errno("jobctl.leader_exit_no_session", ioctl(m2, TIOCGSID, &sid), ENOTTY);
            close(m2);
        }
        for (int i = 0; i < 2; i++) {
            close(ready[i]);
            close(report[i]);
            close(go[i]);
        }
        while (waitpid(-1, 0, WNOHANG) > 0)
            ;
    }
}

static void all(void *arg)
{
    (void)arg;
    alarm(60);
    m = pty_open(path);
    if (m < 0) {
        fail("jobctl.pty_open", "%s", strerror(errno));
        _exit(1);
    }
    check_child("jobctl.ctty_rules", spawn(ctty_rules));
    check_child("jobctl.keyboard_signals", spawn(keyboard_signals));
    check_child("jobctl.background", spawn(background));
    check_child("jobctl.interrupted_read", spawn(interrupted_read));
    check_child("jobctl.console", spawn(console_job_control));
    master_close_hangup();
    leader_exit_hangup();
    sleep_ms(100);
    while (waitpid(-1, 0, WNOHANG) > 0)
        ;
    close(m);
    if (test_failures())
        _exit(1);
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "jobctl.checks_passed", "%s", status_str(st));
    sleep_ms(200);                       // orphans of the parts, reaped by init
    memfree_check("jobctl.memfree_restored", before);
    return test_status();
}
