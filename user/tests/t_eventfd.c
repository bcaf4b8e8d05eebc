// t_eventfd: eventfd and eventfd2, as Linux has them.
//
//   - flags: EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC, anything else EINVAL;
//     /proc/self/fd says anon_inode:[eventfd]; fstat: mode 0600, no type;
//   - the counter: a read gives it and resets it (EFD_SEMAPHORE: 1 at a
//     time), reads at 0 are EAGAIN when nonblocking (also after F_SETFL);
//     writes add; 0xffffffffffffffff is EINVAL; a write past
//     0xfffffffffffffffe is EAGAIN nonblocking; buffers under 8 bytes are
//     EINVAL, longer ones move 8 bytes; a bad buffer is EFAULT (Linux
//     takes the counter even so; bunshin's read checks the buffer before
//     it looks at the file, so the count stays: not checked);
//   - poll and epoll: readable while the counter is not 0, writable while 1
//     more fits;
//   - waiting: a read at 0 woken by another process's write and by another
//     thread's; a write that would overflow woken by a read; epoll_wait(-1)
//     woken by a write; a signal ends a waiting read with EINTR;
//   - fork shares the counter; close-on-exec: an EFD_CLOEXEC descriptor is
//     gone in the program execve starts (/tests/fd_report), another stays;
//   - MemFree back where it started.
// A wait that only a wake can end is cut after 10 s by SIGALRM (EINTR), so
// that a lost wake is the FAIL of its check.
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
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define MAXCOUNT 0xfffffffffffffffeull

static void on_alarm(int sig)
{
    (void)sig;
}

// SIGALRM ends a wait with EINTR (no SA_RESTART).
static void watchdog_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
}

static short poll_one(int fd)
{
    struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
    return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

static long long get(int fd)
{
    uint64_t v = 0;
    long r = read(fd, &v, sizeof v);
    return r == 8 ? (long long)v : r < 0 ? -errno : -1000 - r;
}

static long put(int fd, uint64_t v)
{
    long r = write(fd, &v, sizeof v);
    return r < 0 ? -errno : r;
}

static void counter_checks(void)
{
    check_errno("eventfd.bad_flags", syscall(SYS_eventfd2, 0, 0x4), EINVAL);
    check_errno("eventfd.bad_flags_high", syscall(SYS_eventfd2, 0, 0x10000000), EINVAL);

    int fd = (int)syscall(SYS_eventfd, 5);
    check(fd >= 0, "eventfd.old_call", "eventfd: %s", errname(errno));
    check_eq("eventfd.read_initial", 5, get(fd));
    check_eq("eventfd.flags_rdwr", O_RDWR, fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
    check_eq("eventfd.no_cloexec", 0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    check_eq("eventfd.setfl_nonblock_eagain", -EAGAIN, get(fd));
    char link[64] = "";
    char path[32];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    long n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    check_str("eventfd.proc_fd_link", "anon_inode:[eventfd]", link);
    struct stat st;
    check(fstat(fd, &st) == 0 && st.st_mode == 0600 && st.st_size == 0 && st.st_uid == getuid(),
          "eventfd.fstat", "mode %#o size %lld uid %u", (unsigned)st.st_mode, (long long)st.st_size,
          (unsigned)st.st_uid);
    close(fd);

    fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    check(fd >= 0, "eventfd.eventfd2", "eventfd2: %s", errname(errno));
    check_eq("eventfd.cloexec", FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
    check_eq("eventfd.nonblock_flag", O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
    check_eq("eventfd.empty_eagain", -EAGAIN, get(fd));
    check_eq("eventfd.poll_empty", POLLOUT, poll_one(fd));
    uint32_t small = 1;
    check_errno("eventfd.read_short", read(fd, &small, 4), EINVAL);
    check_errno("eventfd.write_short", write(fd, &small, 4), EINVAL);
    check_eq("eventfd.write", 8, put(fd, 3));
    check_eq("eventfd.write_adds", 8, put(fd, 4));
    check_eq("eventfd.write_zero", 8, put(fd, 0));
    check_eq("eventfd.poll_ready", POLLIN | POLLOUT, poll_one(fd));
    check_errno("eventfd.read_efault", read(fd, (void *)8, 8), EFAULT);
    get(fd);
    put(fd, 7);
    uint64_t big[2] = { 0, 99 };
    check_eq("eventfd.read_long_buffer", 8, read(fd, big, sizeof big));
    check(big[0] == 7 && big[1] == 99, "eventfd.read_sum", "got %llu, %llu",
          (unsigned long long)big[0], (unsigned long long)big[1]);
    check_eq("eventfd.write_all_ones", -EINVAL, put(fd, ~0ull));
    check_eq("eventfd.write_max", 8, put(fd, MAXCOUNT));
    check_eq("eventfd.poll_full", POLLIN, poll_one(fd));
    check_eq("eventfd.write_overflow_eagain", -EAGAIN, put(fd, 1));
    check_eq("eventfd.read_max", (long long)MAXCOUNT, get(fd));
    check_eq("eventfd.write_max_again", 8, put(fd, MAXCOUNT - 1));
    check_eq("eventfd.write_one_fits", 8, put(fd, 1));
    check_eq("eventfd.write_zero_when_full", 8, put(fd, 0));
    close(fd);

    fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
    long long a = get(fd), b = get(fd), c = get(fd), d = get(fd);
    check(a == 1 && b == 1 && c == 1 && d == -EAGAIN, "eventfd.semaphore",
          "reads %lld %lld %lld %lld", a, b, c, d);
    close(fd);

    // epoll: level-triggered readiness.
    fd = eventfd(0, EFD_NONBLOCK);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 42 }, out[2];
    check_eq("eventfd.epoll_add", 0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
    check_eq("eventfd.epoll_empty", 0, epoll_wait(ep, out, 2, 0));
    put(fd, 2);
    int k = epoll_wait(ep, out, 2, 0);
    check(k == 1 && out[0].events == EPOLLIN && out[0].data.u64 == 42, "eventfd.epoll_ready",
          "%d events, %#x", k, k > 0 ? out[0].events : 0);
    get(fd);
    check_eq("eventfd.epoll_taken", 0, epoll_wait(ep, out, 2, 0));
    close(ep);
    close(fd);
}

static int thread_fd;

static void *thread_writer(void *arg)
{
    (void)arg;
    sleep_ms(100);
    put(thread_fd, 9);
    return NULL;
}

static void wait_checks(void)
{
    watchdog_handler();
    // A child writes into the counter the parent waits on (fork shares it).
    int fd = eventfd(0, 0);
    pid_t pid = xfork();
    if (pid == 0) {
        sleep_ms(100);
        put(fd, 7);
        _exit(0);
    }
    alarm(10);
    long long t0 = mono_ns();
    long long v = get(fd);
    alarm(0);
    check(v == 7 && mono_ns() - t0 > 50000000, "eventfd.read_woken_by_process",
          "read %lld after %lld ms", v, (mono_ns() - t0) / 1000000);
    wait_for(pid);

    // The same from another thread.
    thread_fd = fd;
    pthread_t th;
    pthread_create(&th, NULL, thread_writer, NULL);
    alarm(10);
    v = get(fd);
    alarm(0);
    check_eq("eventfd.read_woken_by_thread", 9, v);
    pthread_join(th, NULL);

    // A write that would overflow waits until a reader makes room.
    put(fd, MAXCOUNT);
    pid = xfork();
    if (pid == 0) {
        sleep_ms(100);
        _exit(get(fd) == (long long)MAXCOUNT ? 0 : 1);
    }
    alarm(10);
    t0 = mono_ns();
    long r = put(fd, 5);
    alarm(0);
    check(r == 8 && mono_ns() - t0 > 50000000, "eventfd.write_woken_by_read",
          "write %ld after %lld ms", r, (mono_ns() - t0) / 1000000);
    check_eq("eventfd.child_read_max", 0, WEXITSTATUS(wait_for(pid)));
    check_eq("eventfd.after_blocked_write", 5, get(fd));

    // epoll_wait(-1) woken by another process's write.
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN }, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    pid = xfork();
    if (pid == 0) {
        sleep_ms(100);
        put(fd, 1);
        _exit(0);
    }
    alarm(10);
    int k = epoll_wait(ep, &out, 1, -1);
    alarm(0);
    check(k == 1 && (out.events & EPOLLIN), "eventfd.epoll_woken", "%d: %s", k, errname(errno));
    wait_for(pid);
    get(fd);
    close(ep);

    // A signal ends the waiting read.
    alarm(1);
    check_eq("eventfd.read_eintr", -EINTR, get(fd));
    close(fd);
}

// The program execve starts keeps the plain descriptor, not the
// EFD_CLOEXEC one: fd_report lists what it has ("fcntl 0 1 2 10 ...").
static void cloexec_checks(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    pid_t pid = xfork();
    if (pid == 0) {
        int keep = eventfd(0, 0), gone = eventfd(0, EFD_CLOEXEC);
        dup2(keep, 10);
        dup3(gone, 11, O_CLOEXEC);
        close(keep);
        close(gone);
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        char *argv[] = { "fd_report", NULL };
        execv(rootpath("/tests/fd_report"), argv);
        _exit(127);
    }
    close(p[1]);
    char buf[4096] = "";
    read_full(p[0], buf, sizeof buf - 1);
    close(p[0]);
    wait_for(pid);
    char *line = strstr(buf, "fcntl");
    char *end = line ? strchr(line, '\n') : NULL;
    if (end)
        *end = 0;
    check(line && strstr(line, " 10") && !strstr(line, " 11"), "eventfd.close_on_exec",
          "fd_report: %s", line ? line : buf);
}

static void all(void *arg)
{
    (void)arg;
    counter_checks();
    wait_checks();
    cloexec_checks();
    fflush(stdout);
    _exit(test_failures() ? 1 : 0);
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all, NULL);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "eventfd.child", "%s", status_str(st));
    memfree_check("eventfd.memfree_restored", before);
    return test_status();
}
