// sig_common.h: what the signal tests (t_sig*.c) share.
//
// Each signal test is a list of parts. Every part runs in a forked child of
// its own (leading a process group of its own), so that it starts with the
// default handlers and an empty mask whatever the part before it did, its
// memory comes back when it exits, and the test's own process only forks
// and waits (its MemFree reading stays exact). A part prints its own check
// lines and exits with test_status().
//
// Nothing may hang: a kernel that loses a signal must give a FAIL, not a
// boot that never ends. So every wait here has a time limit (seconds, not
// milliseconds: QEMU is slow), after which the child is killed with SIGKILL
// and the part says FAIL. And before any part runs, a first child installs
// a handler and sends itself a signal: where that does not work yet, the
// test says one FAIL and stops, because its other checks would block for
// ever or kill the test itself.
#ifndef SIG_COMMON_H
#define SIG_COMMON_H

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

// Generous limits: on the host a part takes milliseconds, in QEMU up to
// 50 times more; these only decide when a lost signal becomes a FAIL.
// SIG_TEST_MS bounds a whole test, so that a kernel on which every part
// hangs still ends the boot well within the runner's 120 seconds.
#define SIG_WAIT_MS 5000
#define SIG_PART_MS 20000
#define SIG_TEST_MS 80000

// The kernel's struct sigaction for rt_sigaction on i386 (what the C
// library's sigaction is turned into): the handler, the flags, the
// restorer, then the mask of 64 signals. sigsetsize is 8.
struct ksigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    unsigned long mask[2];
};
#define KSIGSET_SIZE 8

// The bit of sig in a kernel sigset of two words.
#define KSIGBIT(sig) (1ul << (((sig) - 1) % 32))
#define KSIGWORD(sig) (((sig) - 1) / 32)

// waitpid(pid, st, options | WNOHANG) until it reports something or ms have
// passed: the pid, -1 with errno, or 0 when nothing came in time.
static inline pid_t waitpid_timed(pid_t pid, int *st, int options, int ms)
{
    long long end = mono_ns() + ms * 1000000LL;
    for (;;) {
        pid_t r = waitpid(pid, st, options | WNOHANG);
        if (r != 0 && !(r < 0 && errno == EINTR))
            return r;
        if (mono_ns() > end)
            return 0;
        sleep_ms(2);
    }
}

// The wait status of child pid, or -2 if it had not ended after ms (it is
// then killed with SIGKILL and reaped), or -1 if waitpid failed.
static inline int wait_timed(pid_t pid, int ms)
{
    int st;
    pid_t r = waitpid_timed(pid, &st, 0, ms);
    if (r == pid)
        return st;
    if (r == 0) {
        kill(pid, SIGKILL);
        wait_for(pid);
        return -2;
    }
    return -1;
}

// status_str() that also knows -2 (timed out) and -1 (no child).
static inline const char *wstr(int st)
{
    if (st == -2)
        return "did not end in time (killed with SIGKILL)";
    if (st == -1)
        return "could not be waited for";
    return status_str(st);
}

// Run fn(arg) in a child that then exits with test_status() (fn may _exit
// itself); its wait status, or -2 after ms (killed), -1 if fork failed.
static inline int child_timed(void (*fn)(void *), void *arg, int ms)
{
    pid_t pid = xfork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        fn(arg);
        _exit(test_status());
    }
    return wait_timed(pid, ms);
}

// Wait until *v >= want (a handler counts), at most ms: 1 if it happened.
static inline int wait_count(volatile sig_atomic_t *v, int want, int ms)
{
    long long end = mono_ns() + ms * 1000000LL;
    while (*v < want) {
        if (mono_ns() > end)
            return 0;
        sleep_ms(1);
    }
    return 1;
}

// Is sig blocked in this thread right now?
static inline int is_blocked(int sig)
{
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    return sigismember(&cur, sig) == 1;
}

// Is sig pending for this thread (or its process) right now?
static inline int is_pending(int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigpending(&set);
    return sigismember(&set, sig) == 1;
}

static inline void block_one(int sig)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_BLOCK, &s, NULL);
}

static inline void unblock_one(int sig)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
}

// sigaction with a handler, flags and nothing else in the mask; 0 or -1.
static inline int set_handler(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}

static inline int set_info_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = flags | SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}

// --- the probe and the parts -------------------------------------------------

static volatile sig_atomic_t sig_probe_hits;

static inline void sig_probe_handler(int sig)
{
    (void)sig;
    sig_probe_hits++;
}

static inline void sig_probe_child(void *arg)
{
    (void)arg;
    if (set_handler(SIGUSR1, sig_probe_handler, 0) < 0)
        _exit(errno == ENOSYS ? 2 : 3);
    kill(getpid(), SIGUSR1);    // without a handler, SIGUSR1 ends the child
    _exit(sig_probe_hits == 1 ? 0 : 4);
}

struct sig_part {
    const char *name;           // for the FAIL line if the part dies or hangs
    void (*fn)(void);
};

// Run the probe, then each part in a child of its own, then the MemFree
// check; the test's exit status. prefix names the test's checks ("sigmask").
static inline int sig_run_parts(const char *prefix, const struct sig_part *parts, int n)
{
    long before = memfree_start();
    int bad = 0;
    int st = child_timed(sig_probe_child, NULL, SIG_WAIT_MS);
    const char *why = st == 2 << 8   ? "sigaction says ENOSYS: this kernel has no signal handlers"
                      : st == 3 << 8 ? "sigaction failed"
                      : st == 4 << 8 ? "kill(getpid(), SIGUSR1) returned without running the handler"
                                     : wstr(st);
    if (!check(st == 0, tname("%s.handlers_work", prefix),
               "a child that installed a handler for SIGUSR1 and sent itself SIGUSR1: %s; "
               "the other checks of this test need handlers and are not run",
               why)) {
        bad = 1;
    } else {
        long long end = mono_ns() + SIG_TEST_MS * 1000000LL;
        for (int i = 0; i < n; i++) {
            long long left_ms = (end - mono_ns()) / 1000000;
            if (left_ms < 1000) {
                fail(tname("%s.%s.part", prefix, parts[i].name),
                     "not run: the parts before it used up the test's %d s", SIG_TEST_MS / 1000);
                bad = 1;
                continue;
            }
            // The part leads a process group of its own: if it hangs, it
            // goes with the children it left in its group.
            pid_t pid = xfork();
            if (pid == 0) {
                setpgid(0, 0);
                parts[i].fn();
                _exit(test_status());
            }
            setpgid(pid, pid);
            st = -1;
            if (pid > 0 && waitpid_timed(pid, &st, 0, left_ms < SIG_PART_MS ? left_ms : SIG_PART_MS) == 0) {
                kill(-pid, SIGKILL);
                kill(pid, SIGKILL);
                wait_for(pid);
                st = -2;
            }
            if (st == 1 << 8) {
                bad = 1;        // it printed its FAIL lines itself
            } else if (st != 0) {
                fail(tname("%s.%s.part", prefix, parts[i].name),
                     "the child running this part %s", wstr(st));
                bad = 1;
            }
        }
    }
    memfree_check(tname("%s.memfree", prefix), before);
    return bad || test_status();
}

#endif
