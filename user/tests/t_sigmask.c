// t_sigmask: the signal mask, pending signals, and waiting for signals.
//
//   - rt_sigprocmask: SIG_BLOCK adds, SIG_UNBLOCK removes, SIG_SETMASK
//     replaces, the old mask comes back each time; a bad how or a sigset
//     size other than 8 is EINVAL (but how is not looked at when there is
//     no new set); SIGKILL and SIGSTOP are left out silently;
//   - a blocked signal stays pending (rt_sigpending shows it) and its
//     handler runs once it is unblocked;
//   - standard signals do not queue: three sent while blocked run the
//     handler once; real-time signals do: SIGRTMIN+1 sent three times with
//     three values arrives three times, in order, with its values; of
//     several pending signals the lowest number comes first;
//   - rt_sigsuspend returns -1 EINTR after a handler ran, and puts the mask
//     back; pause likewise; both also when the signal comes later from
//     another process;
//   - rt_sigtimedwait takes a pending blocked signal without running its
//     handler and fills siginfo; with nothing pending it waits, up to its
//     timeout (EAGAIN), also for a signal whose default action is to be
//     ignored (SIGWINCH); a zero timeout is a poll;
//   - rt_sigqueueinfo (sigqueue) to oneself; to another process only with
//     a negative si_code (EPERM otherwise);
//   - SIGKILL and SIGSTOP cannot be caught or ignored (sigaction EINVAL,
//     though reading their action is allowed) nor blocked: a process that
//     blocks everything still stops for SIGSTOP and dies by SIGKILL;
//   - bad input: bad pointers (EFAULT), bad sizes (EINVAL).
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"

static volatile sig_atomic_t hits, nvals;
static volatile int vals[16], sigs[16];

static void counting(int sig)
{
    (void)sig;
    hits++;
}

static void recording(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (nvals < 16) {
        sigs[nvals] = sig;
        vals[nvals] = si->si_value.sival_int;
    }
    nvals++;
}

static long raw_mask(int how, const unsigned long *set, unsigned long *old, size_t size)
{
    return syscall(SYS_rt_sigprocmask, how, set, old, size);
}

// --- rt_sigprocmask -----------------------------------------------------------

static void part_procmask(void)
{
    unsigned long set[2], old[2] = { 1, 1 };
    check(raw_mask(SIG_BLOCK, NULL, old, 8) == 0 && old[0] == 0 && old[1] == 0,
          "sigmask.empty_at_start", "the mask of a new process: %#lx %#lx", old[0], old[1]);
    set[0] = KSIGBIT(SIGUSR1) | KSIGBIT(SIGHUP);
    set[1] = KSIGBIT(SIGRTMIN + 2);
    raw_mask(SIG_BLOCK, set, NULL, 8);
    set[0] = KSIGBIT(SIGUSR2);
    set[1] = 0;
    long r = raw_mask(SIG_BLOCK, set, old, 8);
    check(r == 0 && old[0] == (KSIGBIT(SIGUSR1) | KSIGBIT(SIGHUP)) &&
              old[1] == KSIGBIT(SIGRTMIN + 2),
          "sigmask.block_adds", "SIG_BLOCK gave %ld, the old mask %#lx %#lx", r, old[0], old[1]);
    set[0] = KSIGBIT(SIGHUP);
    set[1] = KSIGBIT(SIGRTMIN + 2);
    raw_mask(SIG_UNBLOCK, set, old, 8);
    raw_mask(SIG_BLOCK, NULL, old, 8);
    check(old[0] == (KSIGBIT(SIGUSR1) | KSIGBIT(SIGUSR2)) && old[1] == 0, "sigmask.unblock",
          "after SIG_UNBLOCK of SIGHUP and SIGRTMIN+2: %#lx %#lx", old[0], old[1]);
    set[0] = KSIGBIT(SIGTERM);
    set[1] = 0;
    raw_mask(SIG_SETMASK, set, old, 8);
    check(old[0] == (KSIGBIT(SIGUSR1) | KSIGBIT(SIGUSR2)), "sigmask.setmask_old",
          "SIG_SETMASK's old mask %#lx", old[0]);
    raw_mask(SIG_BLOCK, NULL, old, 8);
    check(old[0] == KSIGBIT(SIGTERM) && old[1] == 0, "sigmask.setmask",
          "after SIG_SETMASK of SIGTERM: %#lx %#lx", old[0], old[1]);

    // SIGKILL and SIGSTOP are left out without a word.
    set[0] = set[1] = ~0ul;
    r = raw_mask(SIG_SETMASK, set, NULL, 8);
    raw_mask(SIG_BLOCK, NULL, old, 8);
    unsigned long want0 = ~0ul & ~(KSIGBIT(SIGKILL) | KSIGBIT(SIGSTOP));
    check(r == 0 && old[0] == want0 && old[1] == ~0ul, "sigmask.kill_stop_left_out",
          "blocking every signal gave %ld and the mask %#lx %#lx, expected %#lx %#lx", r, old[0],
          old[1], want0, ~0ul);

    set[0] = KSIGBIT(SIGUSR1);
    set[1] = 0;
    check_errno("sigmask.bad_how", raw_mask(3, set, NULL, 8), EINVAL);
    check_errno("sigmask.bad_how_negative", raw_mask(-1, set, NULL, 8), EINVAL);
    check_eq("sigmask.how_unused_without_set", 0, raw_mask(99, NULL, old, 8));
    check_errno("sigmask.size_4", raw_mask(SIG_BLOCK, set, NULL, 4), EINVAL);
    check_errno("sigmask.size_16", raw_mask(SIG_BLOCK, set, NULL, 16), EINVAL);
    check_errno("sigmask.efault_set", raw_mask(SIG_BLOCK, (void *)1, NULL, 8), EFAULT);
    check_errno("sigmask.efault_old", raw_mask(SIG_BLOCK, NULL, (void *)0xc0000000, 8), EFAULT);
    unsigned long pend[2];
    check_errno("sigpending.size_16", syscall(SYS_rt_sigpending, pend, 16), EINVAL);
    check_errno("sigpending.efault", syscall(SYS_rt_sigpending, (void *)1, 8), EFAULT);
}

// --- pending, and what queues ---------------------------------------------------

static void part_pending(void)
{
    set_handler(SIGUSR1, counting, 0);
    block_one(SIGUSR1);
    kill(getpid(), SIGUSR1);
    check(hits == 0 && is_pending(SIGUSR1), "sigpending.blocked_pending",
          "blocked SIGUSR1 sent: handler ran %d times, pending %d", (int)hits,
          is_pending(SIGUSR1));
    unblock_one(SIGUSR1);
    check(hits == 1 && !is_pending(SIGUSR1), "sigpending.unblock_delivers",
          "after unblocking: handler ran %d times, pending %d", (int)hits, is_pending(SIGUSR1));

    // Standard signals: one bit each, no queue.
    hits = 0;
    block_one(SIGUSR1);
    for (int i = 0; i < 3; i++)
        kill(getpid(), SIGUSR1);
    unblock_one(SIGUSR1);
    check_eq("sigqueue.standard_once", 1, hits);

    // Real-time signals queue, each with its value, in order.
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = recording;
    sa.sa_flags = SA_SIGINFO;
    sigfillset(&sa.sa_mask);     // one handler at a time: the order is the delivery order
    for (int s = SIGRTMIN; s <= SIGRTMIN + 3; s++)
        sigaction(s, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    for (int v = 1; v <= 3; v++)
        sigqueue(getpid(), SIGRTMIN + 1, (union sigval){ .sival_int = v * 11 });
    nvals = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    check(nvals == 3 && sigs[0] == SIGRTMIN + 1 && vals[0] == 11 && vals[1] == 22 &&
              vals[2] == 33,
          "sigqueue.rt_three_in_order", "%d deliveries, values %d %d %d (expected 3: 11 22 33)",
          (int)nvals, vals[0], vals[1], vals[2]);

    // Several pending: the lowest number first (SIGUSR2 is 12).
    sigprocmask(SIG_BLOCK, &all, NULL);
    sigqueue(getpid(), SIGRTMIN + 3, (union sigval){ .sival_int = 3 });
    sigqueue(getpid(), SIGRTMIN + 1, (union sigval){ .sival_int = 1 });
    kill(getpid(), SIGUSR2);
    sigqueue(getpid(), SIGRTMIN + 2, (union sigval){ .sival_int = 2 });
    nvals = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    check(nvals == 4 && sigs[0] == SIGUSR2 && sigs[1] == SIGRTMIN + 1 &&
              sigs[2] == SIGRTMIN + 2 && sigs[3] == SIGRTMIN + 3,
          "sigqueue.lowest_first", "%d deliveries: %d %d %d %d (expected %d %d %d %d)",
          (int)nvals, sigs[0], sigs[1], sigs[2], sigs[3], SIGUSR2, SIGRTMIN + 1, SIGRTMIN + 2,
          SIGRTMIN + 3);
}

// --- sigsuspend, pause -------------------------------------------------------------

// In a child: SIGUSR1 to the parent after a moment.
static pid_t send_later(int sig, int ms)
{
    pid_t parent = getpid();
    pid_t pid = xfork();
    if (pid == 0) {
        sleep_ms(ms);
        kill(parent, sig);
        _exit(0);
    }
    return pid;
}

static void part_suspend(void)
{
    set_handler(SIGUSR1, counting, 0);
    block_one(SIGUSR1);
    block_one(SIGHUP);
    kill(getpid(), SIGUSR1);
    // Already pending: sigsuspend's mask lets it in at once.
    sigset_t only_hup;
    sigemptyset(&only_hup);
    sigaddset(&only_hup, SIGHUP);
    hits = 0;
    int r = sigsuspend(&only_hup);
    int err = errno;
    check(r == -1 && err == EINTR && hits == 1, "sigsuspend.pending_eintr",
          "sigsuspend gave %d (%s), the handler ran %d times", r, errname(err), (int)hits);
    check(is_blocked(SIGUSR1) && is_blocked(SIGHUP), "sigsuspend.mask_restored",
          "after sigsuspend SIGUSR1 blocked %d, SIGHUP %d (both were)", is_blocked(SIGUSR1),
          is_blocked(SIGHUP));

    // Sent later by another process: sigsuspend waits for it.
    hits = 0;
    pid_t sender = send_later(SIGUSR1, 100);
    r = sigsuspend(&only_hup);
    err = errno;
    check(r == -1 && err == EINTR && hits == 1, "sigsuspend.waits",
          "sigsuspend gave %d (%s), the handler ran %d times", r, errname(err), (int)hits);
    wait_timed(sender, SIG_WAIT_MS);

    // pause: the same, with the mask as it is. A signal that came before
    // pause began would be lost for it, so the sender repeats it every
    // 100 ms until it is stopped.
    unblock_one(SIGUSR1);
    hits = 0;
    pid_t parent = getpid();
    sender = xfork();
    if (sender == 0) {
        for (int i = 0; i < 50; i++) {
            sleep_ms(100);
            kill(parent, SIGUSR1);
        }
        _exit(0);
    }
    r = pause();
    err = errno;
    kill(sender, SIGKILL);
    wait_timed(sender, SIG_WAIT_MS);
    check(r == -1 && err == EINTR && hits >= 1, "pause.eintr",
          "pause gave %d (%s), the handler ran %d times", r, errname(err), (int)hits);
    unsigned long size16[2];
    check_errno("sigsuspend.size_16", syscall(SYS_rt_sigsuspend, size16, 16), EINVAL);
    check_errno("sigsuspend.efault", syscall(SYS_rt_sigsuspend, (void *)1, 8), EFAULT);
}

// --- sigtimedwait, sigqueue ----------------------------------------------------------

static void part_timedwait(void)
{
    set_handler(SIGUSR1, counting, 0);
    block_one(SIGUSR1);
    hits = 0;
    kill(getpid(), SIGUSR1);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    struct timespec ts = { 5, 0 };
    int r = sigtimedwait(&set, &si, &ts);
    check(r == SIGUSR1 && si.si_signo == SIGUSR1 && si.si_code == SI_USER &&
              si.si_pid == getpid(),
          "sigtimedwait.takes_pending", "gave %d, si_signo %d si_code %d si_pid %d", r,
          si.si_signo, si.si_code, (int)si.si_pid);
    check(hits == 0 && !is_pending(SIGUSR1), "sigtimedwait.no_handler",
          "the handler ran %d times, SIGUSR1 still pending: %d", (int)hits,
          is_pending(SIGUSR1));

    sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 77 });
    memset(&si, 0, sizeof si);
    r = sigwaitinfo(&set, &si);
    check(r == SIGUSR1 && si.si_code == SI_QUEUE && si.si_value.sival_int == 77,
          "sigtimedwait.sigqueue_value", "gave %d, si_code %d si_value %d", r, si.si_code,
          si.si_value.sival_int);

    // Nothing pending: it waits for the timeout, then EAGAIN.
    ts.tv_sec = 0;
    ts.tv_nsec = 200 * 1000000;
    long long t0 = mono_ns();
    r = sigtimedwait(&set, &si, &ts);
    int err = errno;
    long long ms = (mono_ns() - t0) / 1000000;
    check(r == -1 && err == EAGAIN && ms >= 150, "sigtimedwait.timeout",
          "gave %d (%s) after %lld ms (timeout 200 ms)", r, r < 0 ? errname(err) : "", ms);
    ts.tv_nsec = 0;
    check_errno("sigtimedwait.poll", sigtimedwait(&set, &si, &ts), EAGAIN);
    // A signal from another process ends the wait.
    pid_t sender = send_later(SIGUSR1, 100);
    ts.tv_sec = 5;
    memset(&si, 0, sizeof si);
    r = sigtimedwait(&set, &si, &ts);
    check(r == SIGUSR1 && si.si_pid == sender, "sigtimedwait.waits",
          "gave %d (%s), si_pid %d (the sender is %d)", r, r < 0 ? errname(errno) : "",
          (int)si.si_pid, (int)sender);
    wait_timed(sender, SIG_WAIT_MS);
    // A signal whose default action is to be ignored: while sigtimedwait
    // waits for it, it must be kept, not thrown away as ignored.
    block_one(SIGWINCH);
    sigset_t winch;
    sigemptyset(&winch);
    sigaddset(&winch, SIGWINCH);
    sender = send_later(SIGWINCH, 100);
    r = sigtimedwait(&winch, &si, &ts);
    check(r == SIGWINCH && si.si_pid == sender, "sigtimedwait.ignored_by_default",
          "waiting for SIGWINCH (ignored by default) sent 100 ms later: gave %d (%s), si_pid %d "
          "(the sender is %d)",
          r, r < 0 ? errname(errno) : "", (int)si.si_pid, (int)sender);
    wait_timed(sender, SIG_WAIT_MS);
    check_errno("sigtimedwait.size_16",
                syscall(SYS_rt_sigtimedwait, &set, NULL, &(struct timespec){ 0, 0 }, 16), EINVAL);

    // rt_sigqueueinfo by hand, to oneself with SI_USER's code: allowed.
    siginfo_t q;
    memset(&q, 0, sizeof q);
    q.si_signo = SIGUSR1;
    q.si_code = SI_USER;
    q.si_pid = getpid();
    q.si_uid = getuid();
    check_eq("sigqueueinfo.self", 0, syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &q));
    memset(&si, 0, sizeof si);
    r = sigtimedwait(&set, &si, &(struct timespec){ 0, 0 });
    check(r == SIGUSR1 && si.si_code == SI_USER, "sigqueueinfo.self_arrives",
          "sigtimedwait gave %d, si_code %d", r, si.si_code);
    // To another process, a code of 0 or more would pretend to be the
    // kernel or kill(): EPERM.
    pid_t other = xfork();
    if (other == 0) {
        sleep_ms(SIG_WAIT_MS);
        _exit(0);
    }
    check_errno("sigqueueinfo.other_eperm",
                syscall(SYS_rt_sigqueueinfo, other, SIGUSR1, &q), EPERM);
    q.si_code = SI_QUEUE;
    check_eq("sigqueueinfo.other_si_queue", 0, syscall(SYS_rt_sigqueueinfo, other, SIGCONT, &q));
    kill(other, SIGKILL);
    wait_timed(other, SIG_WAIT_MS);
    check_errno("sigqueueinfo.efault", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (void *)1),
                EFAULT);
}

// --- SIGKILL and SIGSTOP ------------------------------------------------------------

static void block_all_then(void *arg)
{
    unsigned long all[2] = { ~0ul, ~0ul };
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, all, NULL, 8);
    raise(*(int *)arg);
    _exit(0);
}

static void part_kill_stop(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = counting;
    static const int sigs2[] = { SIGKILL, SIGSTOP };
    for (int i = 0; i < 2; i++) {
        const char *n = i ? "sigstop" : "sigkill";
        sa.sa_handler = counting;
        check_errno(tname("%s.no_handler", n), sigaction(sigs2[i], &sa, NULL), EINVAL);
        sa.sa_handler = SIG_IGN;
        check_errno(tname("%s.no_ignore", n), sigaction(sigs2[i], &sa, NULL), EINVAL);
        struct sigaction cur;
        memset(&cur, 0x55, sizeof cur);
        check(sigaction(sigs2[i], NULL, &cur) == 0 && cur.sa_handler == SIG_DFL,
              tname("%s.read_action", n), "reading the action: handler %p",
              (void *)cur.sa_handler);
    }
    int sig = SIGKILL;
    int st = child_timed(block_all_then, &sig, SIG_WAIT_MS);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "sigkill.not_blocked",
          "a child that blocked every signal and raised SIGKILL %s", wstr(st));
    sig = SIGSTOP;
    pid_t pid = xfork();
    if (pid == 0)
        block_all_then(&sig);
    pid_t r = waitpid_timed(pid, &st, WUNTRACED, SIG_WAIT_MS);
    check(r == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "sigstop.not_blocked",
          "a child that blocked every signal and raised SIGSTOP: %s",
          r == pid ? status_str(st) : "did not stop");
    kill(pid, SIGKILL);
    st = wait_timed(pid, SIG_WAIT_MS);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "sigkill.ends_stopped",
          "SIGKILL to the stopped child: it %s", wstr(st));
}

int main(void)
{
    static const struct sig_part parts[] = {
        { "procmask", part_procmask }, { "pending", part_pending },
        { "suspend", part_suspend },   { "timedwait", part_timedwait },
        { "kill_stop", part_kill_stop },
    };
    return sig_run_parts("sigmask", parts, sizeof parts / sizeof parts[0]);
}
