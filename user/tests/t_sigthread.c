// t_sigthread: signals in a process with several threads.
//
//   - a signal sent to the process (kill) is handled by a thread that does
//     not block it; while every thread blocks it, it is pending for the
//     whole process (each thread's sigpending shows it), and the first
//     thread to unblock it handles it;
//   - a signal sent to one thread (tgkill) is pending for that thread
//     alone: the other thread's sigpending does not show it;
//   - musl's pthread_cancel (which is a signal, SIGCANCEL, whose handler
//     looks at the interrupted EIP in the ucontext and moves it): deferred
//     cancellation ends a thread blocked in read or nanosleep, with its
//     cleanup handler; asynchronous cancellation ends a thread in a loop;
//   - a fatal signal ends every thread: a thread that raises SIGTERM or
//     dereferences NULL, or is sent SIGKILL with tgkill, takes the whole
//     process with it (the wait status says so; the main thread was
//     sleeping).
// Where a thread must act, the main thread gives it a command and waits
// (with a time limit) for it to say done.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"

static volatile pid_t t_tid, handled_by[3];
static volatile sig_atomic_t handled[3];
static volatile int cmd, acked, t_saw_usr2, t_saw_hup;

static int slot(int sig)
{
    return sig == SIGUSR1 ? 0 : sig == SIGUSR2 ? 1 : 2;
}

static void by_whom(int sig)
{
    handled_by[slot(sig)] = syscall(SYS_gettid);
    handled[slot(sig)]++;
}

static long long deadline(int ms)
{
    return mono_ns() + ms * 1000000LL;
}

static void *commanded(void *arg)
{
    (void)arg;
    unblock_one(SIGUSR1);
    t_tid = syscall(SYS_gettid);
    long long end = deadline(SIG_PART_MS);
    while (cmd != 9 && mono_ns() < end) {
        if (cmd != acked) {
            if (cmd == 1) {
                t_saw_usr2 = is_pending(SIGUSR2);
                t_saw_hup = is_pending(SIGHUP);
            } else if (cmd == 2) {
                unblock_one(SIGUSR2);
            } else if (cmd == 3) {
                unblock_one(SIGHUP);
            }
            acked = cmd;
        }
        sleep_ms(1);
    }
    return NULL;
}

static int order(int c)
{
    cmd = c;
    long long end = deadline(SIG_WAIT_MS);
    while (acked != c && mono_ns() < end)
        sleep_ms(1);
    return acked == c;
}

static void part_route(void)
{
    set_handler(SIGUSR1, by_whom, 0);
    set_handler(SIGUSR2, by_whom, 0);
    set_handler(SIGHUP, by_whom, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);    // the thread starts with this mask
    pthread_t t;
    if (pthread_create(&t, NULL, commanded, NULL) != 0) {
        fail("sigthread.create", "pthread_create failed");
        return;
    }
    long long end = deadline(SIG_WAIT_MS);
    while (!t_tid && mono_ns() < end)
        sleep_ms(1);
    pid_t tid = t_tid;

    // SIGUSR1: blocked here, not in the thread.
    kill(getpid(), SIGUSR1);
    wait_count(&handled[0], 1, SIG_WAIT_MS);
    check(handled[0] == 1 && handled_by[0] == tid, "sigthread.kill_to_unblocked",
          "kill(getpid(), SIGUSR1), blocked in the main thread only: handled %d times, by %d "
          "(the other thread is %d)",
          (int)handled[0], (int)handled_by[0], (int)tid);

    // SIGUSR2 to the process, SIGHUP to the other thread; both blocked
    // everywhere.
    kill(getpid(), SIGUSR2);
    syscall(SYS_tgkill, getpid(), tid, SIGHUP);
    int asked = order(1);
    check(is_pending(SIGUSR2) && asked && t_saw_usr2, "sigthread.process_pending",
          "SIGUSR2 sent to the process while both threads block it: pending for the main "
          "thread %d, for the other %d",
          is_pending(SIGUSR2), t_saw_usr2);
    check(!is_pending(SIGHUP) && asked && t_saw_hup, "sigthread.thread_pending",
          "SIGHUP sent to the other thread with tgkill: pending for it %d, for the main thread "
          "%d (expected 1, 0)",
          t_saw_hup, is_pending(SIGHUP));
    order(2);
    wait_count(&handled[1], 1, SIG_WAIT_MS);
    check(handled[1] == 1 && handled_by[1] == tid, "sigthread.first_to_unblock",
          "the other thread unblocked SIGUSR2: handled %d times, by %d (it is %d)",
          (int)handled[1], (int)handled_by[1], (int)tid);
    order(3);
    wait_count(&handled[2], 1, SIG_WAIT_MS);
    check(handled[2] == 1 && handled_by[2] == tid, "sigthread.tgkill_handled_there",
          "SIGHUP for the other thread: handled %d times, by %d (it is %d)", (int)handled[2],
          (int)handled_by[2], (int)tid);
    cmd = 9;
    pthread_join(t, NULL);
}

// --- pthread_cancel -------------------------------------------------------------------

static volatile int cleaned, in_place;
static int cancel_pipe[2];

static void cleanup(void *arg)
{
    (void)arg;
    cleaned = 1;
}

static void *reader(void *arg)
{
    (void)arg;
    char c;
    pthread_cleanup_push(cleanup, NULL);
    in_place = 1;
    read(cancel_pipe[0], &c, 1);
    pthread_cleanup_pop(0);
    return NULL;
}

static void *sleeper(void *arg)
{
    (void)arg;
    struct timespec ts = { SIG_PART_MS / 1000, 0 };
    in_place = 1;
    nanosleep(&ts, NULL);
    return NULL;
}

static void *spinner(void *arg)
{
    (void)arg;
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    in_place = 1;
    long long end = deadline(SIG_PART_MS);
    volatile unsigned long n = 0;
    while (mono_ns() < end)
        for (int i = 0; i < 100000; i++)
            n++;
    return NULL;
}

// Start fn, let it reach its place, cancel it, join it with a time limit:
// 1 if it ended as canceled.
static int cancel_one(void *(*fn)(void *), const char **how)
{
    pthread_t t;
    in_place = 0;
    if (pthread_create(&t, NULL, fn, NULL) != 0) {
        *how = "pthread_create failed";
        return 0;
    }
    long long end = deadline(SIG_WAIT_MS);
    while (!in_place && mono_ns() < end)
        sleep_ms(1);
    sleep_ms(50);               // into read or nanosleep (if not, it is canceled there anyway)
    pthread_cancel(t);
    struct timespec abs;
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_sec += SIG_WAIT_MS / 1000;
    void *ret = NULL;
    int r = pthread_timedjoin_np(t, &ret, &abs);
    if (r == ETIMEDOUT) {
        *how = "it was still running after the time limit";
        write(cancel_pipe[1], "x", 1);   // let a reader go
        return 0;
    }
    *how = r ? "pthread_timedjoin_np failed" : ret == PTHREAD_CANCELED ? "canceled"
                                                                        : "it returned normally";
    return r == 0 && ret == PTHREAD_CANCELED;
}

static void part_cancel(void)
{
    const char *how = "";
    if (pipe(cancel_pipe) < 0)
        return;
    cleaned = 0;
    int ok1 = cancel_one(reader, &how);
    check(ok1, "sigthread.cancel_read", "pthread_cancel of a thread blocked in read: %s", how);
    check(!ok1 || cleaned, "sigthread.cancel_cleanup", "the canceled thread's cleanup handler "
                                                       "did not run");
    check(cancel_one(sleeper, &how), "sigthread.cancel_nanosleep",
          "pthread_cancel of a thread in nanosleep: %s", how);
    check(cancel_one(spinner, &how), "sigthread.cancel_async",
          "pthread_cancel of a thread looping with PTHREAD_CANCEL_ASYNCHRONOUS: %s", how);
}

// --- a fatal signal ends the group -------------------------------------------------------

static int fatal_kind;
static int tid_pipe[2];

static void *doomed(void *arg)
{
    (void)arg;
    pid_t tid = syscall(SYS_gettid);
    if (fatal_kind == 0)
        raise(SIGTERM);
    else if (fatal_kind == 1)
        *(volatile int *)0 = 1;
    write(tid_pipe[1], &tid, sizeof tid);
    sleep_ms(SIG_PART_MS);
    return NULL;
}

// The child: a second thread does it; the main thread sleeps (10 s).
static void with_doomed_thread(void *arg)
{
    fatal_kind = *(int *)arg;
    signal(SIGTERM, SIG_DFL);
    pthread_t t;
    if (pthread_create(&t, NULL, doomed, NULL) != 0)
        _exit(40);
    sleep_ms(10000);
    _exit(41);
}

static void part_fatal(void)
{
    static const int sigs[] = { SIGTERM, SIGSEGV };
    static const char *const names[] = { "sigthread.fatal_signal_ends_group",
                                         "sigthread.fault_ends_group" };
    for (int kind = 0; kind < 2; kind++) {
        int st = child_timed(with_doomed_thread, &kind, SIG_WAIT_MS);
        check(WIFSIGNALED(st) && WTERMSIG(st) == sigs[kind], names[kind],
              "the second thread %s while the first slept: the process %s (41: the first "
              "thread woke up)",
              kind ? "wrote through NULL" : "raised SIGTERM", wstr(st));
    }
    if (pipe(tid_pipe) < 0)
        return;
    int kind = 2;
    pid_t pid = xfork();
    if (pid == 0)
        with_doomed_thread(&kind);
    close(tid_pipe[1]);
    pid_t tid = 0;
    read_full(tid_pipe[0], &tid, sizeof tid);
    close(tid_pipe[0]);
    long r = tid > 0 ? syscall(SYS_tgkill, pid, tid, SIGKILL) : -1;
    int st = wait_timed(pid, SIG_WAIT_MS);
    check(r == 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "sigthread.sigkill_one_thread",
          "tgkill(%d, %d, SIGKILL) gave %ld: the process %s", (int)pid, (int)tid, r, wstr(st));
}

int main(void)
{
    static const struct sig_part parts[] = {
        { "route", part_route },
        { "cancel", part_cancel },
        { "fatal", part_fatal },
    };
    return sig_run_parts("sigthread", parts, sizeof parts / sizeof parts[0]);
}
