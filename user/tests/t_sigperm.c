// t_sigperm: who may send a signal to whom, as Linux decides it, for
// kill (37), tkill (238), tgkill (270) and rt_sigqueueinfo (178).
//
//   - a sender without privilege may signal a process whose real or saved
//     uid is the sender's real or effective uid; else EPERM. The target's
//     effective uid does not count, nor the sender's saved uid. Root may
//     signal anyone. Signal 0 is the same check without a signal (EPERM for
//     a process that is there, ESRCH for one that is not);
//   - a refused signal is not delivered, an allowed one is (counted by the
//     target's handler, with a real-time signal so that none merge);
//   - kill(-1, sig) reaches every process the sender may signal and no
//     other (not root's processes, not itself), and returns 0;
//   - SIGCONT to a process of the sender's own session is allowed whatever
//     the ids (job control needs it); to another session it is EPERM;
//   - the handler's siginfo says who sent it: si_uid is the sender's real
//     uid (not the effective one), si_pid its pid;
//   - rt_sigqueueinfo may not claim a kernel's si_code (SI_USER, SI_TKILL)
//     for another process: EPERM, even for root.
// The targets are children of the test's root process that took other
// uids; the senders are other children. The test's own process stays root.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define SIGQ 40   // a real-time signal: each one sent is queued, none merge

static int child_failed;

// What a target's handler writes to the test for each signal (signo 0:
// ready; -1: could not take its ids).
struct rec {
    int signo, code;
    unsigned uid;
    int pid;
};

static int rep_fd;
static void on_sig(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    struct rec r = { sig, si->si_code, si->si_uid, si->si_pid };
    write(rep_fd, &r, sizeof r);
}

// Close every descriptor above 2 but these two.
static void close_others(int a, int b)
{
    for (int fd = 3; fd < 256; fd++)
        if (fd != a && fd != b)
            close(fd);
}

struct target {
    pid_t pid;
    int go, rep;   // closing go ends it; rep brings its records
};

// A child that takes these uids (and gid 1001), in a new session if asked,
// and records every SIGUSR1, SIGQ and SIGCONT until told to end. Returns 0,
// or -1 (with a FAIL NAME) if it could not take the ids.
static int start_target(const char *name, const uid_t ids[3], int new_session, struct target *t)
{
    int go[2], rep[2];
    if (pipe(go) < 0 || pipe(rep) < 0)
        return -1;
    t->pid = xfork();
    if (t->pid == 0) {
        close_others(go[0], rep[1]);
        rep_fd = rep[1];
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_sig;
        sa.sa_flags = SA_SIGINFO | SA_RESTART;
        sigaction(SIGUSR1, &sa, NULL);
        sigaction(SIGQ, &sa, NULL);
        sigaction(SIGCONT, &sa, NULL);
        if (new_session)
            setsid();
        struct rec r = { 0, 0, 0, 0 };
        if (become_ids(ids[0], ids[1], ids[2], 1001, 1001, 1001, 0, NULL) < 0) {
            fail(name, "target: %s", cred_error());
            r.signo = -1;
        }
        write(rep[1], &r, sizeof r);
        char c;
        for (;;) {
            ssize_t n = read(go[0], &c, 1);
            if (n == 0 || (n < 0 && errno != EINTR))
                break;
        }
        _exit(0);
    }
    close(go[0]);
    close(rep[1]);
    t->go = go[1];
    t->rep = rep[0];
    struct rec r = { -1, 0, 0, 0 };
    read_full(t->rep, &r, sizeof r);
    if (r.signo != 0) {
        close(t->go);
        close(t->rep);
        wait_for(t->pid);
        return -1;
    }
    return 0;
}

// End the target; its records (up to max) go into recs. Returns how many.
static int end_target(struct target *t, struct rec *recs, int max)
{
    close(t->go);
    int n = 0;
    struct rec r;
    while (read_full(t->rep, &r, sizeof r) == sizeof r)
        if (n < max)
            recs[n++] = r;
    close(t->rep);
    wait_for(t->pid);
    return n;
}

static int count(const struct rec *recs, int n, int sig)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += recs[i].signo == sig;
    return c;
}

static pid_t last_sender;   // the pid of the last sender forked

// Fork a sender with these uids. Returns 1 in the child (which ends with
// _exit(test_status())), 0 in the parent once it is done.
static int as_sender(const char *name, const uid_t ids[3])
{
    pid_t pid = xfork();
    if (pid == 0) {
        close_others(-1, -1);
        if (become_ids(ids[0], ids[1], ids[2], 1000, 1000, 1000, 0, NULL) < 0) {
            fail(name, "sender: %s", cred_error());
            _exit(1);
        }
        return 1;
    }
    last_sender = pid;
    int st = wait_for(pid);
    if (!WIFEXITED(st))
        fail(name, "the sender %s", status_str(st));
    else if (WEXITSTATUS(st) != 0)
        child_failed = 1;
    return 0;
}

static long queue(pid_t pid, int sig, int code)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = sig;
    si.si_code = code;
    si.si_pid = getpid();
    si.si_uid = getuid();
    return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static const char *res(long r)
{
    return r == 0 ? "ok" : errname(errno);
}

// --- the rule -------------------------------------------------------------------------

static const struct {
    const char *name;
    uid_t sender[3], target[3];   // real, effective, saved
    int allowed;
} rules[] = {
    { "same_user", { 1000, 1000, 1000 }, { 1000, 1000, 1000 }, 1 },
    { "other_user_eperm", { 1000, 1000, 1000 }, { 1001, 1001, 1001 }, 0 },
    { "target_real_matches", { 1000, 1000, 1000 }, { 1000, 1001, 1001 }, 1 },
    { "target_saved_matches", { 1000, 1000, 1000 }, { 1001, 1001, 1000 }, 1 },
    { "target_effective_only_eperm", { 1000, 1000, 1000 }, { 1001, 1000, 1001 }, 0 },
    { "sender_effective_matches", { 1002, 1001, 1002 }, { 1001, 1001, 1001 }, 1 },
    { "sender_saved_only_eperm", { 1002, 1002, 1001 }, { 1001, 1001, 1001 }, 0 },
    { "root_any", { 0, 0, 0 }, { 1001, 1001, 1001 }, 1 },
};

static void test_rules(void)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const char *name = tname("sigperm.%s", rules[i].name);
        struct target t;
        if (start_target(name, rules[i].target, 0, &t) < 0)
            continue;
        if (as_sender(name, rules[i].sender)) {
            // Every call gives the same answer; signal 0 sends nothing.
            char got[120];
            const char *k0 = res(kill(t.pid, 0));
            const char *k = res(kill(t.pid, SIGQ));
            const char *tk = res(syscall(SYS_tkill, t.pid, SIGQ));
            const char *tg = res(syscall(SYS_tgkill, t.pid, t.pid, SIGQ));
            const char *q = res(queue(t.pid, SIGQ, SI_QUEUE));
            snprintf(got, sizeof got, "kill0 %s kill %s tkill %s tgkill %s sigqueue %s", k0, k,
                     tk, tg, q);
            const char *w = rules[i].allowed ? "ok" : "EPERM";
            char want[120];
            snprintf(want, sizeof want, "kill0 %s kill %s tkill %s tgkill %s sigqueue %s", w, w,
                     w, w, w);
            check_str(name, want, got);
            _exit(test_status());
        }
        struct rec recs[16];
        int n = end_target(&t, recs, 16);
        check_eq(tname("%s.delivered", name), rules[i].allowed ? 4 : 0, count(recs, n, SIGQ));
    }
}

// --- ESRCH, kill(-1), SIGCONT, si_uid ---------------------------------------------------

static const uid_t U1000[3] = { 1000, 1000, 1000 }, U1001[3] = { 1001, 1001, 1001 };

static void test_esrch(void)
{
    pid_t gone = xfork();
    if (gone == 0)
        _exit(0);
    wait_for(gone);
    if (as_sender("sigperm.esrch", U1000)) {
        check_errno("sigperm.esrch.kill0", kill(gone, 0), ESRCH);
        check_errno("sigperm.esrch.kill", kill(gone, SIGQ), ESRCH);
        check_errno("sigperm.esrch.tkill", syscall(SYS_tkill, gone, SIGQ), ESRCH);
        // pid 1 (init, root's) is there: EPERM, not ESRCH.
        check_errno("sigperm.esrch.init_eperm", kill(1, 0), EPERM);
        _exit(test_status());
    }
}

static void test_kill_all(void)
{
    // Uids of their own (from the pid: no other run of this test shares
    // them), so that kill(-1) from the host's test can reach nothing else.
    uid_t a = 200000 + (getpid() % 100000) * 2, b = a + 1;
    const uid_t ta[3] = { a, a, a }, tb[3] = { b, b, a }, tc[3] = { b, a, b };
    const uid_t tr[3] = { 0, 0, 0 };
    const uid_t *ids[4] = { ta, tb, tc, tr };
    const char *what[4] = { "same_user", "saved_matches", "effective_only", "root" };
    const int want[4] = { 1, 1, 0, 0 };
    struct target t[4];
    for (int i = 0; i < 4; i++)
        if (start_target(tname("sigperm.kill_all.%s", what[i]), ids[i], 0, &t[i]) < 0) {
            for (int j = 0; j < i; j++)
                end_target(&t[j], NULL, 0);
            return;
        }
    if (as_sender("sigperm.kill_all", ta)) {
        check_eq("sigperm.kill_all.returns_0", 0, kill(-1, SIGQ));
        _exit(test_status());
    }
    for (int i = 0; i < 4; i++) {
        struct rec recs[8];
        int n = end_target(&t[i], recs, 8);
        check_eq(tname("sigperm.kill_all.%s", what[i]), want[i], count(recs, n, SIGQ));
    }
}

static void test_sigcont(void)
{
    struct target same, other;
    if (start_target("sigperm.sigcont", U1001, 0, &same) < 0)
        return;
    if (start_target("sigperm.sigcont_other_session", U1001, 1, &other) < 0) {
        end_target(&same, NULL, 0);
        return;
    }
    if (as_sender("sigperm.sigcont", U1000)) {
        check_eq("sigperm.sigcont.same_session", 0, kill(same.pid, SIGCONT));
        check_errno("sigperm.sigcont.same_session_other_signal_eperm", kill(same.pid, SIGQ),
                    EPERM);
        check_errno("sigperm.sigcont.other_session_eperm", kill(other.pid, SIGCONT), EPERM);
        _exit(test_status());
    }
    struct rec recs[8];
    int n = end_target(&same, recs, 8);
    check(count(recs, n, SIGCONT) == 1 && count(recs, n, SIGQ) == 0,
          "sigperm.sigcont.same_session_delivered", "%d SIGCONT, %d signal %d",
          count(recs, n, SIGCONT), count(recs, n, SIGQ), SIGQ);
    n = end_target(&other, recs, 8);
    check_eq("sigperm.sigcont.other_session_not_delivered", 0, count(recs, n, SIGCONT));
}

static void test_siginfo(void)
{
    struct target t;
    if (start_target("sigperm.siginfo", U1001, 0, &t) < 0)
        return;
    // Real 1000, effective 1001: allowed by the effective uid, but the
    // siginfo names the real one.
    const uid_t s[3] = { 1000, 1001, 1000 };
    if (as_sender("sigperm.siginfo", s)) {
        check_eq("sigperm.siginfo.kill", 0, kill(t.pid, SIGQ));
        check_eq("sigperm.siginfo.tkill", 0, syscall(SYS_tkill, t.pid, SIGQ));
        // A code of the kernel's own may not be claimed for another process.
        check_errno("sigperm.siginfo.queue_si_user_eperm", queue(t.pid, SIGQ, SI_USER), EPERM);
        check_errno("sigperm.siginfo.queue_si_tkill_eperm", queue(t.pid, SIGQ, SI_TKILL), EPERM);
        _exit(test_status());
    }
    pid_t sender = last_sender;
    // And from root, to the same target.
    check_eq("sigperm.siginfo.root_kill", 0, kill(t.pid, SIGQ));
    struct rec r[8];
    int n = end_target(&t, r, 8);
    // In the order of the sender's sends, but Linux hands a signal sent to
    // the thread (tkill) over before one sent to the process: sorted.
    char line[4][64], got[300] = "", *p = got;
    for (int i = 0; i < n && i < 4; i++)
        snprintf(line[i], sizeof line[i], "%d code %d uid %u pid %s", r[i].signo, r[i].code,
                 r[i].uid, r[i].pid == sender ? "sender" : r[i].pid == getpid() ? "root" : "?");
    for (int i = 0; i < n && i < 4; i++)
        for (int j = i + 1; j < n && j < 4; j++)
            if (strcmp(line[j], line[i]) < 0) {
                char tmp[64];
                memcpy(tmp, line[i], 64), memcpy(line[i], line[j], 64), memcpy(line[j], tmp, 64);
            }
    for (int i = 0; i < n && i < 4; i++)
        p += snprintf(p, got + sizeof got - p, "%s%s", i ? ", " : "", line[i]);
    char want[300];
    // (sorted as strings: SI_TKILL is -6, SI_USER 0)
    snprintf(want, sizeof want, "%d code %d uid 1000 pid sender, %d code %d uid 0 pid root, "
             "%d code %d uid 1000 pid sender", SIGQ, SI_TKILL, SIGQ, SI_USER, SIGQ, SI_USER);
    check_str("sigperm.siginfo.si_uid_real", want, got);
}

// Run fn in a child (run_part); remember whether any part failed.
static void part(const char *name, void (*fn)(void))
{
    if (!run_part(name, fn))
        child_failed = 1;
}

int main(void)
{
    // A kernel that checks no permission would let kill(-1) reach this
    // process too: ignored here, handled by the targets.
    signal(SIGQ, SIG_IGN);
    long before = memfree_start();
    part("sigperm.rules", test_rules);
    part("sigperm.esrch", test_esrch);
    part("sigperm.kill_all", test_kill_all);
    part("sigperm.sigcont", test_sigcont);
    part("sigperm.siginfo", test_siginfo);
    memfree_check("sigperm.memfree", before);
    return test_status() || child_failed;
}
