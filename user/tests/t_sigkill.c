// t_sigkill: sending signals: kill, tkill, tgkill.
//
//   - kill(pid > 0) reaches that process (the receiver, which blocked the
//     signal, takes it with sigtimedwait and sees the sender's pid);
//     kill(pid, 0) says whether pid exists: 0 for a running process and for
//     a zombie, ESRCH once it is reaped or for a pid nobody has; a signal
//     number outside 0..64 is EINVAL (but ESRCH for a pid nobody has: Linux
//     looks for the process first);
//   - kill(0, sig) reaches every process of the caller's process group:
//     here a child that made itself a group leader with setpgid(0, 0) and
//     its own child, and not the test outside the group; kill(-pgid, sig)
//     reaches that group from outside it; kill(-pgid, 0) says whether the
//     group has members;
//   - kill(-1, sig) reaches every process the caller may signal except
//     itself and init. On bunshin the test and its children are the only
//     processes besides init; on the Linux host (run as root) kill(-1)
//     would reach the whole machine, so there it runs inside a PID
//     namespace of its own (and says skip where none can be made);
//   - tkill(tid) and tgkill(tgid, tid) reach one given thread of a
//     process with two threads (its handler sees its own tid); tgkill with
//     a tgid that is not the thread's is ESRCH, tid or tgid 0 or less EINVAL.
// Receivers block the signal and take it with sigtimedwait (time limited),
// so nothing depends on whether it came before or after they were ready.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"

static volatile sig_atomic_t hits, winch_hits;
static void counting(int sig)
{
    (void)sig;
    hits++;
}
static void count_winch(int sig)
{
    (void)sig;
    winch_hits++;
}

// Wait up to SIG_WAIT_MS for sig (blocked by the caller): the sender's pid,
// or -1 if it did not come.
static pid_t take(int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    siginfo_t si;
    struct timespec ts = { SIG_WAIT_MS / 1000, 0 };
    int r;
    while ((r = sigtimedwait(&set, &si, &ts)) < 0 && errno == EINTR)
        ;
    return r == sig ? si.si_pid : -1;
}

// A child that exits 0 if sig came from from (0: anyone), 1 if not.
static pid_t receiver(int sig, pid_t from)
{
    pid_t pid = xfork();
    if (pid == 0) {
        pid_t got = take(sig);
        _exit(got > 0 && (from == 0 || got == from) ? 0 : 1);
    }
    return pid;
}

static long tgkill(pid_t tgid, pid_t tid, int sig)
{
    return syscall(SYS_tgkill, tgid, tid, sig);
}

static long tkill(pid_t tid, int sig)
{
    return syscall(SYS_tkill, tid, sig);
}

static void part_pid(void)
{
    set_handler(SIGUSR1, counting, 0);
    check(kill(getpid(), SIGUSR1) == 0 && hits == 1, "kill.self",
          "kill(getpid(), SIGUSR1): the handler ran %d times", (int)hits);
    check_eq("kill.self_exists", 0, kill(getpid(), 0));

    block_one(SIGUSR1);
    pid_t child = receiver(SIGUSR1, getpid());
    check_eq("kill.child_exists", 0, kill(child, 0));
    check_eq("kill.child_sent", 0, kill(child, SIGUSR1));
    int st = wait_timed(child, SIG_WAIT_MS);
    check(st == 0, "kill.child_got", "the child that waited for SIGUSR1 from us %s "
                                     "(exit 1: it did not come)",
          wstr(st));
    check_errno("kill.reaped_esrch", kill(child, 0), ESRCH);

    // A zombie still exists for kill.
    pid_t z = xfork();
    if (z == 0)
        _exit(0);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    pid_t r = 0;
    long long end = mono_ns() + SIG_WAIT_MS * 1000000LL;
    while ((r = waitid(P_PID, z, &si, WEXITED | WNOWAIT | WNOHANG)) == 0 && si.si_pid == 0 &&
           mono_ns() < end)
        sleep_ms(2);
    check(si.si_pid == z && kill(z, 0) == 0, "kill.zombie_exists",
          "waitid(WNOWAIT) saw %d exit, then kill(zombie, 0) gave %s", (int)si.si_pid,
          kill(z, 0) == 0 ? "0" : errname(errno));
    wait_timed(z, SIG_WAIT_MS);

    check_errno("kill.no_such_pid", kill(0x7ffffff0, 0), ESRCH);
    check_errno("kill.signal_65", kill(getpid(), 65), EINVAL);
    check_errno("kill.signal_negative", kill(getpid(), -1), EINVAL);
    // Linux looks the pid up before it looks at the signal number.
    check_errno("kill.signal_65_no_pid", kill(0x7ffffff0, 65), ESRCH);
}

// --- process groups ------------------------------------------------------------

// A group leader with one child in its group: kill(0, SIGUSR1) reaches both.
static void leader_kills_group(void *arg)
{
    (void)arg;
    if (setpgid(0, 0) < 0 || getpgrp() != getpid()) {
        fail("kill.pgrp_zero", "setpgid(0, 0): %s, getpgrp %d (pid %d)", errname(errno),
             (int)getpgrp(), (int)getpid());
        return;
    }
    pid_t g = receiver(SIGUSR1, getpid());
    check_eq("kill.pgrp_zero_sent", 0, kill(0, SIGUSR1));
    pid_t got = take(SIGUSR1);
    int st = wait_timed(g, SIG_WAIT_MS);
    check(got == getpid() && st == 0, "kill.pgrp_zero",
          "kill(0, SIGUSR1) in a group of two: the sender itself got it from %d, its child %s",
          (int)got, wstr(st));
}

// A group leader with one child in its group, waiting for SIGUSR1 from
// parent; it says on fd when both are ready.
static void leader_waits(void *arg)
{
    int *p = arg;
    close(p[0]);
    setpgid(0, 0);
    pid_t parent = getppid();
    pid_t g = receiver(SIGUSR1, parent);
    write(p[1], "r", 1);
    close(p[1]);
    pid_t got = take(SIGUSR1);
    int st = wait_timed(g, SIG_WAIT_MS);
    check(got == parent && st == 0, "kill.pgid_members",
          "kill(-pgid): the leader got SIGUSR1 from %d (the sender is %d), its child %s",
          (int)got, (int)parent, wstr(st));
}

// kill(-1, SIGWINCH) from a child: it reaches us and our other child, not
// the sender (and not init; the test process above us ignores SIGWINCH).
static void minus1(void)
{
    winch_hits = 0;
    set_handler(SIGWINCH, count_winch, 0);
    pid_t other = xfork();
    if (other == 0)
        _exit(wait_count(&winch_hits, 1, SIG_WAIT_MS) ? 0 : 1);
    pid_t sender = xfork();
    if (sender == 0) {
        winch_hits = 0;
        long r = kill(-1, SIGWINCH);
        sleep_ms(100);
        _exit(r == 0 && winch_hits == 0 ? 0 : 1);
    }
    int sst = wait_timed(sender, SIG_WAIT_MS);
    int came = wait_count(&winch_hits, 1, SIG_WAIT_MS);
    int ost = wait_timed(other, SIG_WAIT_MS);
    check(sst == 0 && came && ost == 0, "kill.minus1",
          "a child's kill(-1, SIGWINCH): the sender %s (1: failed, or sent to itself), we %s "
          "it, the other child %s (1: did not get it)",
          wstr(sst), came ? "got" : "did not get", wstr(ost));
}

static void part_groups(void)
{
    set_handler(SIGUSR1, counting, 0);
    block_one(SIGUSR1);
    int st = child_timed(leader_kills_group, NULL, SIG_PART_MS);
    check(st == 0 || st == 1 << 8, "kill.pgrp_zero_child", "the group leader %s", wstr(st));
    check(!is_pending(SIGUSR1), "kill.pgrp_zero_not_outside",
          "kill(0) in the child's own group reached us outside it");

    int p[2];
    if (pipe(p) < 0)
        return;
    pid_t leader = xfork();
    if (leader == 0) {
        leader_waits(p);
        _exit(test_status());
    }
    close(p[1]);
    setpgid(leader, leader);    // either side may do it first
    char c;
    int ready = read(p[0], &c, 1) == 1;
    close(p[0]);
    check(ready && getpgid(leader) == leader, "kill.pgid_made",
          "the leader %s ready; its group %d (expected %d)", ready ? "is" : "is not",
          (int)getpgid(leader), (int)leader);
    check_eq("kill.pgid_exists", 0, kill(-leader, 0));
    check_eq("kill.pgid_sent", 0, kill(-leader, SIGUSR1));
    st = wait_timed(leader, SIG_WAIT_MS * 2);
    check(st == 0 || st == 1 << 8, "kill.pgid_leader", "the group leader %s", wstr(st));
    check(!is_pending(SIGUSR1), "kill.pgid_not_sender", "kill(-pgid) reached the sender too");
    check_errno("kill.pgid_gone", kill(-leader, 0), ESRCH);

    // kill(-1): existence everywhere; a real signal where it cannot reach
    // anything outside this test.
    check_eq("kill.minus1_exists", 0, kill(-1, 0));
    if (on_bunshin()) {
        minus1();               // the test and its children are all there is, but init
        return;
    }
    // On the Linux host (run as root) kill(-1) would reach every process of
    // the machine: only inside a PID namespace of our own, whose first
    // process plays init.
    pid_t outer = xfork();
    if (outer == 0) {
        if (unshare(CLONE_NEWPID) < 0) {
            skip("kill.minus1", "kill(-1) on the host needs a PID namespace of its own, and "
                                "unshare(CLONE_NEWPID) says %s",
                 errname(errno));
            _exit(0);
        }
        pid_t ns_init = xfork();
        if (ns_init == 0) {
            if (getpid() != 1) {    // not in a namespace after all: never kill(-1)
                fail("kill.minus1", "after unshare(CLONE_NEWPID) the child is pid %d, not 1",
                     (int)getpid());
                _exit(1);
            }
            signal(SIGWINCH, SIG_IGN);
            pid_t p = xfork();
            if (p == 0) {
                minus1();
                _exit(test_status());
            }
            _exit(wait_timed(p, SIG_PART_MS) == 0 ? 0 : 1);
        }
        _exit(wait_timed(ns_init, SIG_PART_MS) == 0 ? 0 : 1);
    }
    st = wait_timed(outer, SIG_PART_MS);
    if (st != 0 && st != 1 << 8)
        fail("kill.minus1_namespace", "the child that made a PID namespace %s", wstr(st));
}

// --- threads ------------------------------------------------------------------------

static volatile pid_t thread_tid, handled_by;
static volatile sig_atomic_t thread_done, thread_hits;

static void by_whom(int sig)
{
    (void)sig;
    handled_by = syscall(SYS_gettid);
    thread_hits++;
}

static void *thread_main(void *arg)
{
    (void)arg;
    thread_tid = syscall(SYS_gettid);
    long long end = mono_ns() + SIG_PART_MS * 1000000LL;
    while (!thread_done && mono_ns() < end)
        sleep_ms(1);
    return NULL;
}

static void part_threads(void)
{
    set_handler(SIGUSR1, by_whom, 0);
    pid_t me = getpid();
    pid_t main_tid = syscall(SYS_gettid);
    check_eq("tgkill.main_tid_is_pid", me, main_tid);
    pthread_t t;
    if (pthread_create(&t, NULL, thread_main, NULL) != 0) {
        fail("tgkill.thread", "pthread_create failed");
        return;
    }
    long long end = mono_ns() + SIG_WAIT_MS * 1000000LL;
    while (!thread_tid && mono_ns() < end)
        sleep_ms(1);
    pid_t tid = thread_tid;

    handled_by = 0;
    thread_hits = 0;
    long r = tgkill(me, tid, SIGUSR1);
    wait_count(&thread_hits, 1, SIG_WAIT_MS);
    check(r == 0 && handled_by == tid, "tgkill.reaches_thread",
          "tgkill(%d, %d): %ld, handled by %d", (int)me, (int)tid, r, (int)handled_by);
    handled_by = 0;
    thread_hits = 0;
    r = tkill(tid, SIGUSR1);
    wait_count(&thread_hits, 1, SIG_WAIT_MS);
    check(r == 0 && handled_by == tid, "tkill.reaches_thread", "tkill(%d): %ld, handled by %d",
          (int)tid, r, (int)handled_by);
    handled_by = 0;
    r = tgkill(me, main_tid, SIGUSR1);
    check(r == 0 && handled_by == main_tid, "tgkill.reaches_main",
          "tgkill(%d, %d): %ld, handled by %d", (int)me, (int)main_tid, r, (int)handled_by);

    check_eq("tgkill.signal_0", 0, tgkill(me, tid, 0));
    check_errno("tgkill.wrong_tgid", tgkill(getppid(), tid, SIGUSR1), ESRCH);
    check_errno("tgkill.no_such_tid", tgkill(me, 0x7ffffff0, SIGUSR1), ESRCH);
    check_errno("tkill.no_such_tid", tkill(0x7ffffff0, SIGUSR1), ESRCH);
    check_errno("tgkill.tgid_0", tgkill(0, tid, SIGUSR1), EINVAL);
    check_errno("tgkill.tid_0", tgkill(me, 0, SIGUSR1), EINVAL);
    check_errno("tkill.tid_0", tkill(0, SIGUSR1), EINVAL);
    check_errno("tkill.tid_negative", tkill(-1, SIGUSR1), EINVAL);
    check_errno("tgkill.signal_65", tgkill(me, tid, 65), EINVAL);
    thread_done = 1;
    pthread_join(t, NULL);
    // pthread_join returns when the kernel has cleared the thread's tid
    // word, a moment before the thread is gone: it becomes ESRCH soon.
    end = mono_ns() + SIG_WAIT_MS * 1000000LL;
    while (tgkill(me, tid, 0) == 0 && mono_ns() < end)
        sleep_ms(1);
    check_errno("tgkill.ended_thread", tgkill(me, tid, 0), ESRCH);
}

int main(void)
{
    static const struct sig_part parts[] = {
        { "pid", part_pid },
        { "groups", part_groups },
        { "threads", part_threads },
    };
    return sig_run_parts("sigkill", parts, sizeof parts / sizeof parts[0]);
}
