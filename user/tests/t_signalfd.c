// t_signalfd: signalfd and signalfd4, as Linux has them.
//
//   - the calls' checks: the mask's size (EINVAL) before the mask (EFAULT),
//     then the flags (EINVAL), the descriptor (EBADF, EINVAL for a file
//     that is no signalfd); SFD_NONBLOCK, SFD_CLOEXEC; /proc/self/fd says
//     anon_inode:[signalfd]; fstat: mode 0600, no type; write is EINVAL;
//   - reading takes pending signals of the mask, blocked ones, as struct
//     signalfd_siginfo (128 bytes; shorter buffers EINVAL): standard ones
//     before real-time ones, several in one read, each queued real-time
//     signal once; the fields for kill, sigqueue, tgkill, SIGCHLD and a
//     POSIX timer; a taken signal is no longer pending;
//   - a signal outside the mask is not read; passing the descriptor back
//     changes the mask; a signal that is not blocked goes to its handler;
//   - poll and epoll readiness; waits woken by another process's kill and
//     by another thread's; epoll_wait(-1) woken too; a signal outside the
//     mask ends a waiting read with EINTR;
//   - a signal sent to one thread is read by that thread, not another;
//     a mask of every signal is taken (less SIGKILL and SIGSTOP);
//   - fork: the child reads its own signals, not its parent's;
//   - MemFree back where it started.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

static volatile int handled;

static void on_signal(int sig)
{
    (void)sig;
    handled++;
}

// The raw call, with the kernel's 8-byte sigset.
static long sfd(int fd, uint64_t mask, int flags)
{
    long r = syscall(SYS_signalfd4, fd, &mask, 8, flags);
    return r < 0 ? -errno : r;
}

static uint64_t bit(int sig)
{
    return 1ull << (sig - 1);
}

// One signalfd_siginfo, or ssi_signo -errno.
static struct signalfd_siginfo take(int fd)
{
    struct signalfd_siginfo si;
    memset(&si, 0, sizeof si);
    long r = read(fd, &si, sizeof si);
    if (r != sizeof si)
        si.ssi_signo = (uint32_t)(r < 0 ? -errno : -1000);
    return si;
}

static short poll_in(int fd)
{
    struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
    return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

static int is_pending(int sig)
{
    sigset_t s;
    sigpending(&s);
    return sigismember(&s, sig);
}

static void call_checks(void)
{
    uint64_t m = bit(SIGUSR1);
    check_errno("signalfd.bad_size", syscall(SYS_signalfd4, -1, &m, 4, 0), EINVAL);
    check_errno("signalfd.bad_size_before_efault", syscall(SYS_signalfd4, -1, NULL, 16, 0), EINVAL);
    check_errno("signalfd.efault", syscall(SYS_signalfd4, -1, NULL, 8, 0), EFAULT);
    check_eq("signalfd.bad_flags", -EINVAL, sfd(-1, m, 1));
    check_eq("signalfd.ebadf", -EBADF, sfd(999, m, 0));
    check_eq("signalfd.minus_two_ebadf", -EBADF, sfd(-2, m, 0));
    int p[2];
    pipe(p);
    check_eq("signalfd.not_signalfd", -EINVAL, sfd(p[0], m, 0));
    close(p[0]);
    close(p[1]);
    long fd = syscall(SYS_signalfd, -1, &m, 8);
    check(fd >= 0, "signalfd.old_call", "%s", errname(errno));
    check_eq("signalfd.old_no_cloexec", 0, fcntl((int)fd, F_GETFD) & FD_CLOEXEC);
    check_eq("signalfd.old_rdwr", O_RDWR, fcntl((int)fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
    close((int)fd);
    fd = sfd(-1, m, SFD_NONBLOCK | SFD_CLOEXEC);
    check_eq("signalfd.cloexec", FD_CLOEXEC, fcntl((int)fd, F_GETFD) & FD_CLOEXEC);
    check_eq("signalfd.nonblock", O_NONBLOCK, fcntl((int)fd, F_GETFL) & O_NONBLOCK);
    char path[32], link[64] = "";
    snprintf(path, sizeof path, "/proc/self/fd/%ld", fd);
    long n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    check_str("signalfd.proc_fd_link", "anon_inode:[signalfd]", link);
    struct stat st;
    check(fstat((int)fd, &st) == 0 && st.st_mode == 0600 && st.st_size == 0 && st.st_uid == getuid(),
          "signalfd.fstat", "mode %#o size %lld uid %u", (unsigned)st.st_mode, (long long)st.st_size,
          (unsigned)st.st_uid);
    char buf[200];
    check_errno("signalfd.write", write((int)fd, buf, 128), EINVAL);
    check_errno("signalfd.read_short", read((int)fd, buf, 127), EINVAL);
    check_eq("signalfd.empty_eagain", -EAGAIN, (int)take((int)fd).ssi_signo);
    check_eq("signalfd.update_same_fd", fd, sfd((int)fd, bit(SIGUSR2), 0));
    check_eq("signalfd.update_keeps_flags", O_NONBLOCK, fcntl((int)fd, F_GETFL) & O_NONBLOCK);
    close((int)fd);
}

static void read_checks(void)
{
    int fd = (int)sfd(-1, bit(SIGUSR1), SFD_NONBLOCK);
    check_eq("signalfd.poll_empty", 0, poll_in(fd));
    kill(getpid(), SIGUSR1);
    check_eq("signalfd.poll_pending", POLLIN, poll_in(fd));
    struct signalfd_siginfo si = take(fd);
    check(si.ssi_signo == SIGUSR1 && si.ssi_code == SI_USER && si.ssi_pid == (uint32_t)getpid() &&
          si.ssi_uid == getuid(), "signalfd.kill_fields", "signo %d code %d pid %u uid %u",
          (int)si.ssi_signo, si.ssi_code, si.ssi_pid, si.ssi_uid);
    check_eq("signalfd.taken_not_pending", 0, is_pending(SIGUSR1));
    check_eq("signalfd.taken_eagain", -EAGAIN, (int)take(fd).ssi_signo);

    // Outside the mask: stays pending, not readable, until the mask grows.
    kill(getpid(), SIGUSR2);
    check_eq("signalfd.other_not_readable", 0, poll_in(fd));
    check_eq("signalfd.other_eagain", -EAGAIN, (int)take(fd).ssi_signo);
    check_eq("signalfd.other_still_pending", 1, is_pending(SIGUSR2));
    check_eq("signalfd.mask_update", fd, sfd(fd, bit(SIGUSR1) | bit(SIGUSR2) | bit(SIGRTMIN), 0));
    check_eq("signalfd.updated_reads", SIGUSR2, (int)take(fd).ssi_signo);

    // Several in one read: the standard signal first, each queued
    // real-time signal once, with sigqueue's value.
    union sigval v = { .sival_int = 1234 };
    sigqueue(getpid(), SIGRTMIN, v);
    v.sival_int = 5678;
    sigqueue(getpid(), SIGRTMIN, v);
    kill(getpid(), SIGUSR1);
    struct signalfd_siginfo many[4];
    memset(many, 0, sizeof many);
    long n = read(fd, many, sizeof many);
    check_eq("signalfd.read_three", 3 * 128, n);
    check(many[0].ssi_signo == SIGUSR1 && many[1].ssi_signo == (uint32_t)SIGRTMIN &&
          many[2].ssi_signo == (uint32_t)SIGRTMIN, "signalfd.read_order", "%u %u %u",
          many[0].ssi_signo, many[1].ssi_signo, many[2].ssi_signo);
    check(many[1].ssi_code == SI_QUEUE && many[1].ssi_int == 1234 && many[1].ssi_ptr == 1234 &&
          many[2].ssi_int == 5678 && many[1].ssi_pid == (uint32_t)getpid(),
          "signalfd.sigqueue_fields", "code %d int %d ptr %llu, then %d, pid %u",
          many[1].ssi_code, many[1].ssi_int, (unsigned long long)many[1].ssi_ptr,
          many[2].ssi_int, many[1].ssi_pid);

    syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
    si = take(fd);
    check(si.ssi_signo == SIGUSR1 && si.ssi_code == SI_TKILL && si.ssi_pid == (uint32_t)getpid(),
          "signalfd.tgkill_fields", "signo %d code %d pid %u", (int)si.ssi_signo, si.ssi_code,
          si.ssi_pid);

    // SIGCHLD with the child's exit status.
    sfd(fd, bit(SIGCHLD), 0);
    pid_t pid = xfork();
    if (pid == 0)
        _exit(3);
    struct pollfd pf = { fd, POLLIN, 0 };
    poll(&pf, 1, 5000);
    si = take(fd);
    check(si.ssi_signo == SIGCHLD && si.ssi_code == CLD_EXITED && si.ssi_pid == (uint32_t)pid &&
          si.ssi_status == 3, "signalfd.sigchld_fields", "signo %d code %d pid %u status %d",
          (int)si.ssi_signo, si.ssi_code, si.ssi_pid, si.ssi_status);
    wait_for(pid);

    // A POSIX timer's signal.
    sfd(fd, bit(SIGRTMIN + 1), 0);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGRTMIN + 1;
    sev.sigev_value.sival_int = 77;
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, &sev, &t) == 0) {
        struct itimerspec its = { { 0, 0 }, { 0, 10000000 } };
        timer_settime(t, 0, &its, NULL);
        pf.fd = fd;
        poll(&pf, 1, 5000);
        si = take(fd);
        check(si.ssi_signo == (uint32_t)SIGRTMIN + 1 && si.ssi_code == SI_TIMER &&
              si.ssi_int == 77 && si.ssi_ptr == 77 && si.ssi_overrun == 0, "signalfd.timer_fields",
              "signo %d code %d int %d overrun %u", (int)si.ssi_signo, si.ssi_code, si.ssi_int,
              si.ssi_overrun);
        timer_delete(t);
    } else {
        fail("signalfd.timer_fields", "timer_create: %s", errname(errno));
    }

    // A signal that is not blocked goes to its handler, not to the file.
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR2, &sa, NULL);
    sfd(fd, bit(SIGUSR2), 0);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    handled = 0;
    kill(getpid(), SIGUSR2);
    check(handled == 1 && take(fd).ssi_signo == (uint32_t)-EAGAIN, "signalfd.unblocked_to_handler",
          "handled %d", handled);
    sigprocmask(SIG_BLOCK, &s, NULL);
    close(fd);
}

static void *thread_kill(void *arg)
{
    (void)arg;
    sleep_ms(100);
    kill(getpid(), SIGUSR1);
    return NULL;
}

static volatile pid_t other_tid;
static volatile int other_go;
static int other_fd;

// Wait until told, then read the signalfd (nonblocking): its signal number,
// or -errno.
static void *other_reader(void *arg)
{
    (void)arg;
    other_tid = gettid();
    while (!other_go)
        sleep_ms(5);
    return (void *)(intptr_t)(int)take(other_fd).ssi_signo;
}

// A signal sent to one thread is read by that thread only.
static void thread_checks(void)
{
    other_fd = (int)sfd(-1, bit(SIGUSR1), SFD_NONBLOCK);
    pthread_t th;
    pthread_create(&th, NULL, other_reader, NULL);
    while (!other_tid)
        sleep_ms(5);
    syscall(SYS_tgkill, getpid(), other_tid, SIGUSR1);
    check_eq("signalfd.other_threads_signal_not_mine", -EAGAIN, (int)take(other_fd).ssi_signo);
    check_eq("signalfd.other_threads_signal_not_polled", 0, poll_in(other_fd));
    other_go = 1;
    void *got;
    pthread_join(th, &got);
    check_eq("signalfd.thread_reads_own", SIGUSR1, (int)(intptr_t)got);
    // SIGKILL and SIGSTOP in the mask are left out, not refused.
    check_eq("signalfd.mask_all", other_fd, sfd(other_fd, ~0ull, 0));
    check_eq("signalfd.mask_all_empty", -EAGAIN, (int)take(other_fd).ssi_signo);
    close(other_fd);
}

static void wait_checks(void)
{
    int fd = (int)sfd(-1, bit(SIGUSR1), 0);
    pid_t parent = getpid();
    pid_t pid = xfork();
    if (pid == 0) {
        sleep_ms(100);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    alarm(10);
    long long t0 = mono_ns();
    struct signalfd_siginfo si = take(fd);
    alarm(0);
    check(si.ssi_signo == SIGUSR1 && si.ssi_pid == (uint32_t)pid && mono_ns() - t0 > 50000000,
          "signalfd.read_woken_by_process", "signo %d pid %u after %lld ms", (int)si.ssi_signo,
          si.ssi_pid, (mono_ns() - t0) / 1000000);
    wait_for(pid);

    pthread_t th;
    pthread_create(&th, NULL, thread_kill, NULL);
    alarm(10);
    si = take(fd);
    alarm(0);
    check_eq("signalfd.read_woken_by_thread", SIGUSR1, (int)si.ssi_signo);
    pthread_join(th, NULL);

    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN }, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    check_eq("signalfd.epoll_empty", 0, epoll_wait(ep, &out, 1, 0));
    pid = xfork();
    if (pid == 0) {
        sleep_ms(100);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    alarm(10);
    int k = epoll_wait(ep, &out, 1, -1);
    alarm(0);
    check(k == 1 && out.events == EPOLLIN, "signalfd.epoll_woken", "%d %s", k, errname(errno));
    check_eq("signalfd.epoll_then_read", SIGUSR1, (int)take(fd).ssi_signo);
    wait_for(pid);
    close(ep);

    // SIGALRM is not in the mask and has a handler: EINTR.
    alarm(1);
    check_eq("signalfd.read_eintr", -EINTR, (int)take(fd).ssi_signo);

    // fork: each reads its own signals.
    kill(getpid(), SIGUSR1);
    pid = xfork();
    if (pid == 0) {
        fcntl(fd, F_SETFL, O_NONBLOCK);
        int empty = (int)take(fd).ssi_signo == -EAGAIN;
        kill(getpid(), SIGUSR1);
        struct signalfd_siginfo c = take(fd);
        _exit(empty && c.ssi_signo == SIGUSR1 && c.ssi_pid == (uint32_t)getpid() ? 0 : 1);
    }
    check_eq("signalfd.child_reads_own", 0, WEXITSTATUS(wait_for(pid)));
    fcntl(fd, F_SETFL, O_NONBLOCK);
    si = take(fd);
    check(si.ssi_signo == SIGUSR1 && si.ssi_pid == (uint32_t)getpid(), "signalfd.parent_kept_own",
          "signo %d pid %u", (int)si.ssi_signo, si.ssi_pid);
    // (The child's SIGCHLD, not in the mask, is just pending.)
    close(fd);
}

static void all(void *arg)
{
    (void)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGUSR2);
    sigaddset(&s, SIGCHLD);
    sigaddset(&s, SIGRTMIN);
    sigaddset(&s, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGALRM, &sa, NULL);
    call_checks();
    read_checks();
    thread_checks();
    wait_checks();
    fflush(stdout);
    _exit(test_failures() ? 1 : 0);
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all, NULL);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "signalfd.child", "%s", status_str(st));
    memfree_check("signalfd.memfree_restored", before);
    return test_status();
}
