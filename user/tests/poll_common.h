// poll_common.h: what t_poll and t_select share: a helper process that acts
// once the test is asleep in its call, a pipe filled to the brim, and
// sections run in children of their own.
#ifndef POLL_COMMON_H
#define POLL_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

// Wait (at most 5 s) until process pid sleeps ("State:\tS" in its
// /proc/PID/status): it has gone into the call that waits.
static inline void wait_sleeping(pid_t pid)
{
    char buf[2048];
    const char *path = tname("/proc/%d/status", (int)pid);
    for (int i = 0; i < 2500; i++) {
        if (read_file(path, buf, sizeof buf) > 0 && strstr(buf, "State:\tS"))
            return;
        sleep_ms(2);
    }
}

// Fork a helper that waits until this process sleeps, then does act(arg)
// and exits. Returns its pid (reap it with wait_for).
static inline pid_t helper(void (*act)(pid_t parent, void *arg), void *arg)
{
    pid_t parent = getpid();
    pid_t pid = xfork();
    if (pid == 0) {
        wait_sleeping(parent);
        act(parent, arg);
        _exit(0);
    }
    return pid;
}

// Fill a pipe through its write end fd: PIPE_BUF bytes at a time, without
// waiting, until it takes no more. Returns the bytes written.
static inline long fill_pipe(int fd)
{
    static char block[PIPE_BUF];
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    long total = 0;
    ssize_t n;
    while ((n = write(fd, block, sizeof block)) > 0)
        total += n;
    fcntl(fd, F_SETFL, fl);
    return total;
}

// Milliseconds since t0 (a mono_ns() value).
static inline long ms_since(long long t0)
{
    return (long)((mono_ns() - t0) / 1000000);
}

// Run fn in a child of its own (its handlers, mask and stops stay there);
// it ends with its test status. A child that dies is a FAIL of name.
static inline void section(const char *name, void (*fn)(void))
{
    pid_t pid = xfork();
    if (pid == 0) {
        fn();
        _exit(test_status());
    }
    int st = wait_for(pid);
    if (st < 0 || WIFSIGNALED(st))
        fail(name, "the section's process %s", st < 0 ? "was lost" : status_str(st));
}

// Signal handlers that count.
static volatile sig_atomic_t caught;
static inline void count_signal(int sig)
{
    (void)sig;
    caught++;
}

// Install count_signal for sig with these sa_flags.
static inline void catch_signal(int sig, int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = count_signal;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

// Helper actions: send the parent a signal; stop it, continue it a while
// later (*(int *)arg ms), so that its call is restarted with no handler run.
static inline void send_usr1(pid_t parent, void *arg)
{
    (void)arg;
    kill(parent, SIGUSR1);
}

static inline void stop_then_continue(pid_t parent, void *arg)
{
    kill(parent, SIGSTOP);
    sleep_ms(*(int *)arg);
    kill(parent, SIGCONT);
}

// The signal mask in force now.
static inline sigset_t mask_now(void)
{
    sigset_t m;
    sigprocmask(SIG_BLOCK, NULL, &m);
    return m;
}

// The signal-mask checks of ppoll, pselect6 and epoll_pwait: note_mask
// counts SIGUSR1 in caught and notes whether SIGUSR2 was blocked while it
// ran (the wait's mask, not the old one). wait_mask_setup installs it,
// blocks SIGUSR1 (*old, now in force) and makes *wait_mask block SIGUSR2
// only: the mask a call under test waits with, which lets SIGUSR1 in.
static volatile sig_atomic_t usr2_blocked_in_handler = -1;
static inline void note_mask(int sig)
{
    (void)sig;
    caught++;
    sigset_t m = mask_now();
    usr2_blocked_in_handler = sigismember(&m, SIGUSR2);
}

static inline void wait_mask_setup(sigset_t *old, sigset_t *wait_mask)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = note_mask;
    sigaction(SIGUSR1, &sa, NULL);
    sigemptyset(old);
    sigaddset(old, SIGUSR1);
    sigprocmask(SIG_SETMASK, old, NULL);
    sigemptyset(wait_mask);
    sigaddset(wait_mask, SIGUSR2);
}

#endif
