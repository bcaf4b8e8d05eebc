// t_sigdefault: what a signal does to a process that has no handler for
// it, and what its parent hears about it.
//
//   - terminate: SIGHUP, SIGINT, SIGPIPE, SIGALRM, SIGTERM, SIGUSR1/2,
//     SIGSTKFLT, SIGVTALRM, SIGPROF, SIGIO, SIGPWR and the real-time
//     signals end the process; wait sees WIFSIGNALED with the signal and no
//     core bit;
//   - core: SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV,
//     SIGXCPU, SIGXFSZ and SIGSYS end it too. The core bit (0x80,
//     WCOREDUMP) says a core was dumped, so it follows RLIMIT_CORE: Linux
//     (6.x, core_pattern "core") sets it for any limit above 0, even one
//     too small for the whole core, and not for a limit of 0, where it
//     writes nothing (and the parent's SIGCHLD says CLD_KILLED, not
//     CLD_DUMPED). bunshin writes no core file; its RLIMIT_CORE is 0. The
//     checks with a limit above 0 say skip where the limit cannot be raised
//     (bunshin, for now; an unprivileged process under a hard limit of 0)
//     or where the host hands cores to a helper program (core_pattern
//     "|...");
//   - ignore: SIGCHLD, SIGURG, SIGWINCH, SIGCONT do nothing;
//   - stop: SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU stop the process (waitpid
//     with WUNTRACED: WIFSTOPPED, WSTOPSIG), SIGCONT continues it
//     (WCONTINUED: WIFCONTINUED); the child first makes a process group of
//     its own, because in an orphaned group (as after setsid) SIGTSTP,
//     SIGTTIN and SIGTTOU are thrown away, which is checked too;
//   - the parent's SIGCHLD: one for exit, kill, stop and continue, with
//     si_code CLD_EXITED/CLD_KILLED/CLD_STOPPED/CLD_CONTINUED, si_status
//     and si_pid (CLD_DUMPED with the core bit); SA_NOCLDSTOP keeps only
//     the exit;
//   - waitid: P_PID and P_ALL, WEXITED/WSTOPPED/WCONTINUED, WNOHANG (0, and
//     a siginfo_t zeroed), WNOWAIT (the child stays waitable), EINVAL;
//   - SIGCHLD set to SIG_IGN, or SA_NOCLDWAIT, reaps children at once: wait
//     then gives ECHILD (with SA_NOCLDWAIT the handler still runs).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"

static const char *sname(int sig)
{
    if (sig == SIGRTMIN)
        return "SIGRTMIN";
    if (sig == SIGRTMAX)
        return "SIGRTMAX";
    return signame(sig);
}

static volatile sig_atomic_t nchld;
static volatile int codes[8], stats[8], pids[8];

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    if (nchld < 8) {
        codes[nchld] = si->si_code;
        stats[nchld] = si->si_status;
        pids[nchld] = si->si_pid;
    }
    nchld++;
}

// The SIGCHLD after the k-th (counted before the event: it may come at
// once, as the system call that caused it returns).
static void expect_chld(const char *name, int k, int code, int status, pid_t pid)
{
    int came = wait_count(&nchld, k + 1, SIG_WAIT_MS);
    int i = k < 8 ? k : 7;
    check(came && codes[i] == code && stats[i] == status && pids[i] == pid, name,
          "SIGCHLD %s: si_code %d si_status %d si_pid %d, expected %d %d %d",
          came ? "came" : "did not come", codes[i], stats[i], pids[i], code, status, (int)pid);
}

// Make RLIMIT_CORE's soft limit lim, raising the hard limit only if it
// must: 0, or -1 with errno (bunshin's limit is 0 and cannot be changed
// yet; an unprivileged process cannot raise a hard limit).
static int core_limit(rlim_t lim)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_CORE, &r) < 0)
        return -1;
    if (r.rlim_cur == lim)
        return 0;
    r.rlim_cur = lim;
    if (r.rlim_max != RLIM_INFINITY && (lim == RLIM_INFINITY || lim > r.rlim_max))
        r.rlim_max = lim;
    return setrlimit(RLIMIT_CORE, &r);
}

#define NO_LIMIT_CHANGE ((rlim_t)-2)

// In a child: the default action for sig, the core limit (unless
// NO_LIMIT_CHANGE), then raise. Exit 20 if the limit could not be set, 0 if
// raise came back.
static void raise_default(int sig, rlim_t lim)
{
    signal(sig, SIG_DFL);
    unblock_one(sig);
    if (lim != NO_LIMIT_CHANGE && core_limit(lim) < 0)
        _exit(20);
    raise(sig);
    _exit(0);
}

static void part_terminate(void)
{
    static const int sigs[] = { SIGHUP,  SIGINT,    SIGPIPE, SIGALRM, SIGTERM,
                                SIGUSR1, SIGUSR2,   SIGSTKFLT, SIGVTALRM, SIGPROF,
                                SIGIO,   SIGPWR,    0,       0 };
    int n = sizeof sigs / sizeof sigs[0];
    for (int i = 0; i < n; i++) {
        int sig = sigs[i] ? sigs[i] : i == n - 2 ? SIGRTMIN : SIGRTMAX;
        pid_t pid = xfork();
        if (pid == 0)
            raise_default(sig, NO_LIMIT_CHANGE);
        int st = wait_timed(pid, SIG_WAIT_MS);
        check(WIFSIGNALED(st) && WTERMSIG(st) == sig && !WCOREDUMP(st),
              tname("default.term.%s", sname(sig)), "expected killed by %s without the core "
                                                    "bit, but it %s (status %#x)",
              sname(sig), wstr(st), st);
    }
}

static const char *hard_core_limit(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_CORE, &r) < 0)
        return "unknown";
    return r.rlim_max == RLIM_INFINITY ? "unlimited" : tname("%lu", (unsigned long)r.rlim_max);
}

static const int core_sigs[] = { SIGQUIT, SIGILL,  SIGTRAP, SIGABRT, SIGBUS,
                                 SIGFPE,  SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS };

static void part_core(void)
{
    for (unsigned i = 0; i < sizeof core_sigs / sizeof core_sigs[0]; i++) {
        int sig = core_sigs[i];
        pid_t pid = xfork();
        if (pid == 0)
            raise_default(sig, 0);
        int st = wait_timed(pid, SIG_WAIT_MS);
        check(WIFSIGNALED(st) && WTERMSIG(st) == sig && !WCOREDUMP(st),
              tname("default.core0.%s", sname(sig)),
              "RLIMIT_CORE 0: expected killed by %s, no core bit; it %s (status %#x)", sname(sig),
              wstr(st), st);
    }

    // A limit above 0: the core bit. On Linux a core file is written in
    // the child's working directory: a scratch directory removed after.
    char pattern[256] = "";
    if (!on_bunshin() && read_file("/proc/sys/kernel/core_pattern", pattern, sizeof pattern) > 0 &&
        (pattern[0] == '|' || strchr(pattern, '/'))) {
        skip("default.core_bit", "the host's core_pattern is %s: a helper or another "
                                 "directory decides what a dump is",
             pattern);
        return;
    }
    const char *dir = scratch_path("t_sigdefault.cores");
    remove_tree(dir);
    mkdir(dir, 0755);
    static const int some[] = { SIGQUIT, SIGABRT, SIGSEGV };
    set_info_handler(SIGCHLD, on_chld, SA_RESTART);
    for (unsigned i = 0; i < 3; i++) {
        int k = nchld;
        pid_t pid = xfork();
        if (pid == 0) {
            if (chdir(dir) < 0)
                _exit(21);
            raise_default(some[i], i == 0 ? 4096 : RLIM_INFINITY);
        }
        int st = wait_timed(pid, SIG_WAIT_MS * 2);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 20)
            skip(tname("default.core_bit.%s", sname(some[i])),
                 "RLIMIT_CORE cannot be raised here (its hard limit is %s): the core bit "
                 "needs a limit above 0",
                 hard_core_limit());
        else if (check(WIFSIGNALED(st) && WTERMSIG(st) == some[i] && WCOREDUMP(st),
                       tname("default.core_bit.%s", sname(some[i])),
                       "RLIMIT_CORE %s: expected killed by %s with the core bit; it %s "
                       "(status %#x)",
                       i == 0 ? "4096" : "unlimited", sname(some[i]), wstr(st), st) &&
                 i == 0)
            expect_chld("sigchld.dumped", k, CLD_DUMPED, some[i], pid);
    }
    if (on_bunshin())
        check(rmdir(dir) == 0, "default.no_core_file",
              "the directory the dumping processes ran in is not empty (%s)", errname(errno));
    else
        skip("default.no_core_file", "Linux writes core files");
    remove_tree(dir);
}

static void part_ignore(void)
{
    static const int sigs[] = { SIGCHLD, SIGURG, SIGWINCH, SIGCONT };
    for (int i = 0; i < 4; i++) {
        pid_t pid = xfork();
        if (pid == 0) {
            signal(sigs[i], SIG_DFL);
            raise(sigs[i]);
            _exit(7);
        }
        int st = wait_timed(pid, SIG_WAIT_MS);
        check(WIFEXITED(st) && WEXITSTATUS(st) == 7, tname("default.ignore.%s", sname(sigs[i])),
              "raising %s with its default action: the child %s (expected exit 7)",
              sname(sigs[i]), wstr(st));
    }
}

// --- stop and continue -----------------------------------------------------------------

// A child in a process group of its own (not orphaned: its parent is in
// another group of the same session), with the default action for sig,
// that exits 5 when a byte comes on the pipe (polled: a stop must not
// disturb it), or 6 after 10 s.
static pid_t stoppable(int sig, int *go)
{
    int p[2];
    if (pipe(p) < 0)
        return -1;
    pid_t pid = xfork();
    if (pid == 0) {
        close(p[1]);
        setpgid(0, 0);
        signal(sig, SIG_DFL);
        fcntl(p[0], F_SETFL, O_NONBLOCK);
        char c;
        long long end = mono_ns() + 10000000000LL;
        while (read(p[0], &c, 1) != 1)
            if (mono_ns() > end)
                _exit(6);
            else
                sleep_ms(2);
        _exit(5);
    }
    close(p[0]);
    setpgid(pid, pid);
    *go = p[1];
    return pid;
}

static void let_go(pid_t pid, int go, const char *name)
{
    write(go, "g", 1);
    close(go);
    int st = wait_timed(pid, SIG_WAIT_MS);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 5, name, "after SIGCONT the child %s, expected "
                                                       "exit 5",
          wstr(st));
}

static void part_stop(void)
{
    static const int sigs[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU };
    // Before the fork: the parent's kill may come before the child's own
    // signal(SIG_DFL), and an ignored SIGTSTP would not stop it.
    for (int i = 1; i < 4; i++)
        signal(sigs[i], SIG_DFL);
    for (int i = 0; i < 4; i++) {
        int go, st;
        pid_t pid = stoppable(sigs[i], &go);
        kill(pid, sigs[i]);
        pid_t r = waitpid_timed(pid, &st, WUNTRACED, SIG_WAIT_MS);
        check(r == pid && WIFSTOPPED(st) && WSTOPSIG(st) == sigs[i],
              tname("default.stop.%s", sname(sigs[i])), "waitpid(WUNTRACED) gave %d, %s",
              (int)r, r == pid ? status_str(st) : "nothing");
        kill(pid, SIGCONT);
        r = waitpid_timed(pid, &st, WCONTINUED, SIG_WAIT_MS);
        if (check(r == pid && WIFCONTINUED(st), tname("default.continue.%s", sname(sigs[i])),
                  "waitpid(WCONTINUED) gave %d, status %#x", (int)r, st)) {
            let_go(pid, go, tname("default.runs_after.%s", sname(sigs[i])));
        } else {
            kill(pid, SIGKILL);     // still stopped, perhaps: do not wait for it
            wait_timed(pid, SIG_WAIT_MS);
            close(go);
        }
    }
    // An orphaned process group: SIGTSTP is thrown away (SIGSTOP is not).
    pid_t pid = xfork();
    if (pid == 0) {
        setsid();
        signal(SIGTSTP, SIG_DFL);
        raise(SIGTSTP);
        _exit(8);
    }
    int st;
    pid_t r = waitpid_timed(pid, &st, WUNTRACED, SIG_WAIT_MS);
    if (r == pid && WIFSTOPPED(st))
        kill(pid, SIGKILL), wait_timed(pid, SIG_WAIT_MS);
    check(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 8, "default.tstp_orphaned",
          "SIGTSTP raised after setsid: the child %s (expected exit 8)",
          r == pid ? status_str(st) : "nothing");
}

// --- SIGCHLD ------------------------------------------------------------------------

static void part_sigchld(void)
{
    set_info_handler(SIGCHLD, on_chld, SA_RESTART);
    int k = nchld;
    pid_t pid = xfork();
    if (pid == 0)
        _exit(3);
    expect_chld("sigchld.exited", k, CLD_EXITED, 3, pid);
    wait_timed(pid, SIG_WAIT_MS);

    k = nchld;
    pid = xfork();
    if (pid == 0)
        raise_default(SIGTERM, 0);
    expect_chld("sigchld.killed", k, CLD_KILLED, SIGTERM, pid);
    wait_timed(pid, SIG_WAIT_MS);

    k = nchld;
    pid = xfork();
    if (pid == 0)
        raise_default(SIGQUIT, 0);
    expect_chld("sigchld.quit_no_core", k, CLD_KILLED, SIGQUIT, pid);
    wait_timed(pid, SIG_WAIT_MS);

    int go, st;
    pid = stoppable(SIGSTOP, &go);
    k = nchld;
    kill(pid, SIGSTOP);
    expect_chld("sigchld.stopped", k, CLD_STOPPED, SIGSTOP, pid);
    waitpid_timed(pid, &st, WUNTRACED, SIG_WAIT_MS);
    k = nchld;
    kill(pid, SIGCONT);
    expect_chld("sigchld.continued", k, CLD_CONTINUED, SIGCONT, pid);
    waitpid_timed(pid, &st, WCONTINUED, SIG_WAIT_MS);
    k = nchld;
    let_go(pid, go, "sigchld.runs_after_continue");
    expect_chld("sigchld.exited_after_stop", k, CLD_EXITED, 5, pid);

    // SA_NOCLDSTOP: stop and continue say nothing, the exit does.
    set_info_handler(SIGCHLD, on_chld, SA_RESTART | SA_NOCLDSTOP);
    pid = stoppable(SIGSTOP, &go);
    nchld = 0;
    kill(pid, SIGSTOP);
    pid_t r = waitpid_timed(pid, &st, WUNTRACED, SIG_WAIT_MS);
    kill(pid, SIGCONT);
    pid_t r2 = waitpid_timed(pid, &st, WCONTINUED, SIG_WAIT_MS);
    sleep_ms(50);
    int during = nchld;
    write(go, "g", 1);
    close(go);
    wait_timed(pid, SIG_WAIT_MS);
    wait_count(&nchld, 1, SIG_WAIT_MS);
    check(r == pid && r2 == pid && during == 0 && nchld == 1 && codes[0] == CLD_EXITED,
          "sigchld.nocldstop", "stop seen %d, continue seen %d; SIGCHLD %d times before the "
                               "exit, %d in all, the first si_code %d (CLD_EXITED is %d)",
          r == pid, r2 == pid, during, (int)nchld, codes[0], CLD_EXITED);
}

// --- waitid -------------------------------------------------------------------------

// waitid with WNOHANG until it reports a child, at most SIG_WAIT_MS: its
// result (si->si_pid 0 if nothing came).
static int waitid_timed(idtype_t type, id_t id, siginfo_t *si, int options)
{
    long long end = mono_ns() + SIG_WAIT_MS * 1000000LL;
    for (;;) {
        memset(si, 0, sizeof *si);
        int r = waitid(type, id, si, options | WNOHANG);
        if (r < 0 && errno != EINTR)
            return r;
        if (r == 0 && si->si_pid != 0)
            return 0;
        if (mono_ns() > end)
            return 0;
        sleep_ms(2);
    }
}

static void part_waitid(void)
{
    siginfo_t si;
    pid_t pid = xfork();
    if (pid == 0)
        _exit(9);
    int r = waitid_timed(P_PID, pid, &si, WEXITED);
    check(r == 0 && si.si_signo == SIGCHLD && si.si_code == CLD_EXITED && si.si_status == 9 &&
              si.si_pid == pid && si.si_uid == getuid(),
          "waitid.exited", "gave %d: si_signo %d si_code %d si_status %d si_pid %d si_uid %d", r,
          si.si_signo, si.si_code, si.si_status, (int)si.si_pid, (int)si.si_uid);

    pid = xfork();
    if (pid == 0)
        raise_default(SIGTERM, 0);
    r = waitid_timed(P_ALL, 0, &si, WEXITED);
    check(r == 0 && si.si_code == CLD_KILLED && si.si_status == SIGTERM && si.si_pid == pid,
          "waitid.p_all_killed", "gave %d: si_code %d si_status %d si_pid %d", r, si.si_code,
          si.si_status, (int)si.si_pid);

    // WNOHANG with a child that has not ended: 0, and a siginfo_t of zeros.
    int go;
    pid = stoppable(SIGSTOP, &go);
    memset(&si, 0x55, sizeof si);
    r = waitid(P_PID, pid, &si, WEXITED | WNOHANG);
    check(r == 0 && si.si_pid == 0 && si.si_signo == 0 && si.si_status == 0,
          "waitid.wnohang_nothing", "gave %d: si_pid %d si_signo %d si_status %d", r,
          (int)si.si_pid, si.si_signo, si.si_status);

    kill(pid, SIGSTOP);
    r = waitid_timed(P_PID, pid, &si, WSTOPPED);
    check(r == 0 && si.si_code == CLD_STOPPED && si.si_status == SIGSTOP && si.si_pid == pid,
          "waitid.stopped", "gave %d: si_code %d si_status %d si_pid %d", r, si.si_code,
          si.si_status, (int)si.si_pid);
    kill(pid, SIGCONT);
    r = waitid_timed(P_PID, pid, &si, WCONTINUED);
    check(r == 0 && si.si_code == CLD_CONTINUED && si.si_status == SIGCONT && si.si_pid == pid,
          "waitid.continued", "gave %d: si_code %d si_status %d si_pid %d", r, si.si_code,
          si.si_status, (int)si.si_pid);

    // WNOWAIT: seen, but still there to be waited for.
    write(go, "g", 1);
    close(go);
    r = waitid_timed(P_PID, pid, &si, WEXITED | WNOWAIT);
    check(r == 0 && si.si_code == CLD_EXITED && si.si_status == 5 && si.si_pid == pid,
          "waitid.wnowait", "gave %d: si_code %d si_status %d si_pid %d", r, si.si_code,
          si.si_status, (int)si.si_pid);
    r = waitid_timed(P_PID, pid, &si, WEXITED);
    check(r == 0 && si.si_pid == pid && si.si_status == 5, "waitid.after_wnowait",
          "the second waitid gave %d: si_pid %d si_status %d", r, (int)si.si_pid, si.si_status);
    check_errno("waitid.echild", waitid(P_PID, pid, &si, WEXITED | WNOHANG), ECHILD);
    check_errno("waitid.no_event", waitid(P_ALL, 0, &si, WNOHANG), EINVAL);
    check_errno("waitid.bad_idtype", waitid((idtype_t)7, 0, &si, WEXITED | WNOHANG), EINVAL);
}

// --- children reaped at once -------------------------------------------------------------

static void part_autoreap(void)
{
    signal(SIGCHLD, SIG_IGN);
    pid_t pid = xfork();
    if (pid == 0)
        _exit(0);
    int st;
    // wait sleeps until every child is gone, then ECHILD.
    pid_t r = wait4(-1, &st, 0, NULL);
    int err = errno;
    check(r == -1 && err == ECHILD, "sigchld.ign_autoreap",
          "SIGCHLD ignored: wait gave %d (%s), expected ECHILD", (int)r,
          r < 0 ? errname(err) : status_str(st));
    check_errno("sigchld.ign_no_zombie", kill(pid, 0), ESRCH);

    set_info_handler(SIGCHLD, on_chld, SA_NOCLDWAIT);
    nchld = 0;
    pid = xfork();
    if (pid == 0)
        _exit(4);
    r = wait4(-1, &st, 0, NULL);
    err = errno;
    check(r == -1 && err == ECHILD, "sigchld.nocldwait_autoreap",
          "SA_NOCLDWAIT: wait gave %d (%s), expected ECHILD", (int)r,
          r < 0 ? errname(err) : status_str(st));
    wait_count(&nchld, 1, SIG_WAIT_MS);
    check(nchld == 1 && codes[0] == CLD_EXITED && stats[0] == 4, "sigchld.nocldwait_signal",
          "with SA_NOCLDWAIT the handler still hears of the exit: %d times, si_code %d "
          "si_status %d",
          (int)nchld, codes[0], stats[0]);

    signal(SIGCHLD, SIG_DFL);
    pid = xfork();
    if (pid == 0)
        _exit(2);
    sleep_ms(20);
    r = wait4(-1, &st, 0, NULL);
    check(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 2, "sigchld.dfl_waits_again",
          "SIGCHLD back to SIG_DFL: wait gave %d, %s", (int)r, r == pid ? status_str(st) : "");
}

int main(void)
{
    static const struct sig_part parts[] = {
        { "terminate", part_terminate }, { "core", part_core },
        { "ignore", part_ignore },       { "stop", part_stop },
        { "sigchld", part_sigchld },     { "waitid", part_waitid },
        { "autoreap", part_autoreap },
    };
    return sig_run_parts("sigdefault", parts, sizeof parts / sizeof parts[0]);
}
