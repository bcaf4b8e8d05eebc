// t_poll: poll and ppoll, as Linux has them.
//
//   - pipes: what each end reports when empty, holding data, full, after a
//     small and a PIPE_BUF read of a full pipe, with no writer left (POLLHUP,
//     also when not asked for), with no reader left (POLLERR);
//   - files that never wait (/dev/null, /dev/zero, a regular file, a
//     directory, /proc files): POLLIN | POLLOUT and their RDNORM/WRNORM
//     twins; the terminal, where there is one: writable, no line typed;
//   - the array: POLLNVAL for a descriptor that is not open, a negative fd
//     ignored (revents 0), the count of entries with revents; nfds above
//     RLIMIT_NOFILE is EINVAL, checked before the array is read; EFAULT for
//     NULL, a kernel address, an array that runs into an unmapped page, and
//     a read-only array (revents cannot be written);
//   - timeouts: zero looks once, a short one passes (at least its length),
//     poll(NULL, 0, ms) sleeps; a process woken by a helper that writes,
//     closes the write end, reads a full pipe, or writes to the second of
//     two pipes;
//   - signals: a handler gives EINTR, even with SA_RESTART; a stop and a
//     continue (no handler) restart the call unseen, to its first deadline;
//   - ppoll (309, 32-bit timespec, and 414, 64-bit): the time left written
//     back (not for a zero timeout), EINVAL and EFAULT in Linux's order;
//     the signal mask in force during the wait (a signal blocked before
//     is delivered then, the handler runs under the temporary mask, the
//     old mask comes back); a ready descriptor wins over a pending signal,
//     which stays pending under the old mask;
//   - MemFree back where it started.
#define _GNU_SOURCE          // ppoll
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"
#include "poll_common.h"

#define ALL (POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLWRNORM)
#define IN  (POLLIN | POLLRDNORM)
#define OUT (POLLOUT | POLLWRNORM)

// The revents of fd for events, with a zero timeout; -1 if poll failed.
static int revents(int fd, short events)
{
    struct pollfd p = { fd, events, 0 };
    return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

static void check_rev(const char *name, int fd, short events, int expected)
{
    int got = revents(fd, events);
    check(got == expected, name, "revents %#x, expected %#x", got, expected);
}

static void pipe_states(void)
{
    int p[2];
    if (pipe(p) < 0) {
        fail("poll.pipe", "pipe: %s", errname(errno));
        return;
    }
    check_rev("poll.pipe.empty.read_end", p[0], ALL, 0);
    check_rev("poll.pipe.empty.write_end", p[1], ALL, OUT);
    check_rev("poll.pipe.write_end_not_readable", p[1], POLLIN, 0);
    write(p[1], "x", 1);
    check_rev("poll.pipe.data.read_end", p[0], ALL, IN);
    check_rev("poll.pipe.data.only_asked", p[0], POLLRDNORM, POLLRDNORM);
    check_rev("poll.pipe.read_end_not_writable", p[0], POLLOUT, 0);
    char c;
    read(p[0], &c, 1);
    long n = fill_pipe(p[1]);
    check_rev("poll.pipe.full.write_end", p[1], ALL, 0);
    check_rev("poll.pipe.full.read_end", p[0], ALL, IN);
    // A small read leaves less than PIPE_BUF of room: still not writable.
    static char buf[PIPE_BUF];
    read(p[0], buf, 100);
    check_rev("poll.pipe.full_less_pipe_buf.write_end", p[1], ALL, 0);
    read(p[0], buf, PIPE_BUF);
    check_rev("poll.pipe.room_pipe_buf.write_end", p[1], ALL, OUT);
    (void)n;
    close(p[1]);
    check_rev("poll.pipe.no_writer.data", p[0], ALL, IN | POLLHUP);
    check_rev("poll.pipe.no_writer.hup_unasked", p[0], 0, POLLHUP);
    while (read(p[0], buf, sizeof buf) > 0)
        ;
    check_rev("poll.pipe.no_writer.empty", p[0], ALL, POLLHUP);
    close(p[0]);

    if (pipe(p) < 0)
        return;
    close(p[0]);
    check_rev("poll.pipe.no_reader.write_end", p[1], ALL, OUT | POLLERR);
    check_rev("poll.pipe.no_reader.err_unasked", p[1], 0, POLLERR);
    close(p[1]);
}

static void always_ready(const char *name, const char *path, int flags)
{
    int fd = open(path, flags, 0644);
    if (fd < 0) {
        fail(name, "open %s: %s", path, errname(errno));
        return;
    }
    check_rev(name, fd, ALL, IN | OUT);
    check_rev(tname("%s.only_in", name), fd, POLLIN, POLLIN);
    close(fd);
}

static void files(void)
{
    always_ready("poll.dev_null", "/dev/null", O_RDWR);
    always_ready("poll.dev_null.write_only", "/dev/null", O_WRONLY);
    always_ready("poll.dev_zero", "/dev/zero", O_RDONLY);
    const char *path = scratch_path("t_poll.file");
    always_ready("poll.regular_file", path, O_RDWR | O_CREAT | O_TRUNC);
    unlink(path);
    always_ready("poll.directory", "/", O_RDONLY);
    always_ready("poll.proc_status", "/proc/self/status", O_RDONLY);
    always_ready("poll.proc_meminfo", "/proc/meminfo", O_RDONLY);

    int tty = open("/dev/tty", O_RDWR | O_NOCTTY);
    if (tty < 0) {
        skip("poll.tty", "no terminal here (open /dev/tty: %s)", errname(errno));
        return;
    }
    check_rev("poll.tty.writable", tty, POLLOUT, POLLOUT);
    check_rev("poll.tty.no_line_typed", tty, POLLIN, 0);
    close(tty);
}

static void array(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    write(p[1], "x", 1);
    int closed = dup(p[0]);
    close(closed);
    struct pollfd fds[5] = {
        { p[0], POLLIN, 0x7777 },      // ready
        { closed, POLLIN, 0x7777 },    // not open
        { -1, POLLIN, 0x7777 },        // ignored
        { p[1], POLLIN, 0x7777 },      // open, nothing asked for is true
        { 100000, 0, 0x7777 },         // far beyond any table
    };
    int r = poll(fds, 5, 0);
    check_eq("poll.array.count", 3, r);
    check_eq("poll.array.ready", POLLIN, fds[0].revents);
    check_eq("poll.array.nval", POLLNVAL, fds[1].revents);
    check_eq("poll.array.negative_fd_ignored", 0, fds[2].revents);
    check_eq("poll.array.not_ready", 0, fds[3].revents);
    check_eq("poll.array.nval_huge_fd", POLLNVAL, fds[4].revents);
    check(fds[1].fd == closed && fds[1].events == POLLIN, "poll.array.fd_events_kept",
          "fd %d events %#x", fds[1].fd, fds[1].events);

    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    unsigned lim = rl.rlim_cur > 65536 ? 65536 : (unsigned)rl.rlim_cur;
    check_errno("poll.nfds_over_limit", poll(NULL, lim + 1, 0), EINVAL);
    struct pollfd *many = malloc(lim * sizeof *many);
    for (unsigned i = 0; i < lim; i++)
        many[i] = (struct pollfd){ -1, POLLIN, 0 };
    many[lim - 1].fd = p[0];
    check_eq("poll.nfds_at_limit", 1, poll(many, lim, 0));
    free(many);
    check_eq("poll.nfds_zero", 0, poll(NULL, 0, 0));

    check_errno("poll.efault.null", poll(NULL, 1, 0), EFAULT);
    check_errno("poll.efault.kernel", poll((struct pollfd *)0xC0000000u, 1, 0), EFAULT);
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    struct pollfd *end = (struct pollfd *)(page + 4096) - 1;
    *end = (struct pollfd){ p[0], POLLIN, 0 };
    check_errno("poll.efault.runs_off_the_map", poll(end, 2, 0), EFAULT);
    check_eq("poll.efault.last_entry_alone_fine", 1, poll(end, 1, 0));
    mprotect(page, 4096, PROT_READ);
    check_errno("poll.efault.read_only", poll(end, 1, 0), EFAULT);
    munmap(page, 4096);
    close(p[0]);
    close(p[1]);
}

static void timeouts(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    struct pollfd fd = { p[0], POLLIN, 0 };
    long long t0 = mono_ns();
    int r = poll(&fd, 1, 0);
    check(r == 0 && ms_since(t0) < 1000, "poll.timeout.zero", "returned %d after %ld ms", r,
          ms_since(t0));
    t0 = mono_ns();
    r = poll(&fd, 1, 100);
    long ms = ms_since(t0);
    check(r == 0 && ms >= 95 && ms < 5000, "poll.timeout.100ms", "returned %d after %ld ms",
          r, ms);
    t0 = mono_ns();
    r = poll(NULL, 0, 50);
    ms = ms_since(t0);
    check(r == 0 && ms >= 45 && ms < 5000, "poll.timeout.no_fds_sleeps",
          "returned %d after %ld ms", r, ms);
    close(p[0]);
    close(p[1]);
}

// Helper actions that change a pipe while the parent sleeps in poll.
static void write_x(pid_t parent, void *arg)
{
    (void)parent;
    write(*(int *)arg, "x", 1);
}

static void read_block(pid_t parent, void *arg)
{
    (void)parent;
    static char buf[PIPE_BUF];
    read(*(int *)arg, buf, sizeof buf);
}

// poll with a time limit of 10 s, for a helper's change that comes at
// once: *ms gets the time it took. Woken only by its time limit, the last
// look would find the change too, so the time tells whether the change
// itself woke the caller.
static int poll_10s(struct pollfd *fds, int n, long *ms)
{
    long long t0 = mono_ns();
    int r = poll(fds, n, 10000);
    *ms = ms_since(t0);
    return r;
}

static void wakes(void)
{
    long ms;
    int p[2], q[2];
    if (pipe(p) < 0 || pipe(q) < 0)
        return;
    struct pollfd fd = { p[0], POLLIN, 0 };
    pid_t h = helper(write_x, &p[1]);
    int r = poll_10s(&fd, 1, &ms);
    check(r == 1 && fd.revents == POLLIN && ms < 5000, "poll.wake.data",
          "returned %d, revents %#x after %ld ms", r, fd.revents, ms);
    wait_for(h);
    char c;
    read(p[0], &c, 1);

    // Two pipes; the helper writes into the second.
    struct pollfd two[2] = { { p[0], POLLIN, 0 }, { q[0], POLLIN, 0 } };
    h = helper(write_x, &q[1]);
    r = poll_10s(two, 2, &ms);
    check(r == 1 && two[0].revents == 0 && two[1].revents == POLLIN && ms < 5000,
          "poll.wake.second_of_two", "returned %d, revents %#x %#x after %ld ms", r,
          two[0].revents, two[1].revents, ms);
    wait_for(h);

    // The last write end goes with the helper: hang-up.
    h = xfork();
    if (h == 0) {
        wait_sleeping(getppid());
        _exit(0);                     // closes its copy of p[1]
    }
    close(p[1]);
    r = poll_10s(&fd, 1, &ms);
    check(r == 1 && fd.revents == POLLHUP && ms < 5000, "poll.wake.hangup",
          "returned %d, revents %#x after %ld ms", r, fd.revents, ms);
    wait_for(h);
    close(p[0]);

    // Room: the helper reads a block out of a full pipe.
    fill_pipe(q[1]);
    struct pollfd w = { q[1], POLLOUT, 0 };
    h = helper(read_block, &q[0]);
    r = poll_10s(&w, 1, &ms);
    check(r == 1 && w.revents == POLLOUT && ms < 5000, "poll.wake.room",
          "returned %d, revents %#x after %ld ms", r, w.revents, ms);
    wait_for(h);
    close(q[0]);
    close(q[1]);
}

static void signals(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    struct pollfd fd = { p[0], POLLIN, 0 };
    catch_signal(SIGUSR1, 0);
    pid_t h = helper(send_usr1, NULL);
    int r = poll(&fd, 1, 10000);
    int err = errno;
    check(r == -1 && err == EINTR && caught == 1, "poll.signal.handler_eintr",
          "returned %d (%s), handler ran %d times", r, r < 0 ? errname(err) : "-", caught);
    wait_for(h);

    catch_signal(SIGUSR1, SA_RESTART);
    h = helper(send_usr1, NULL);
    r = poll(&fd, 1, 10000);
    err = errno;
    check(r == -1 && err == EINTR && caught == 2, "poll.signal.sa_restart_still_eintr",
          "returned %d (%s), handler ran %d times", r, r < 0 ? errname(err) : "-", caught);
    wait_for(h);

    // Stopped and continued: no handler runs, poll goes on and sees data.
    int stop_ms = 50;
    h = helper(stop_then_continue, &stop_ms);
    pid_t w = xfork();
    if (w == 0) {
        sleep_ms(400);
        write(p[1], "x", 1);
        _exit(0);
    }
    long long t0 = mono_ns();
    r = poll(&fd, 1, 10000);
    long ms = ms_since(t0);
    check(r == 1 && fd.revents == POLLIN && ms < 5000, "poll.signal.stop_restarts",
          "returned %d (%s), revents %#x after %ld ms", r, r < 0 ? errname(errno) : "-",
          fd.revents, ms);
    wait_for(h);
    wait_for(w);
    char c;
    read(p[0], &c, 1);

    // Restarted to the first deadline: 1 s in all, though stopped 600 ms.
    stop_ms = 600;
    h = helper(stop_then_continue, &stop_ms);
    t0 = mono_ns();
    r = poll(&fd, 1, 1000);
    ms = ms_since(t0);
    check(r == 0 && ms >= 950 && ms < 1500, "poll.signal.restart_same_deadline",
          "returned %d after %ld ms (a new full timeout would end after 1600)", r, ms);
    wait_for(h);
    close(p[0]);
    close(p[1]);
}

// ppoll through its raw numbers: the 32-bit and the 64-bit timespec.
struct ts32 { int32_t sec, nsec; };
struct ts64 { int64_t sec, nsec; };

static long ppoll32(struct pollfd *f, unsigned n, struct ts32 *ts, sigset_t *m, long size)
{
    return syscall(SYS_ppoll, f, n, ts, m, size);
}

static void ppoll_times(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    struct pollfd rd = { p[0], POLLIN, 0 }, wr = { p[1], POLLOUT, 0 };

    struct ts32 ts = { 3, 0 };
    long r = ppoll32(&wr, 1, &ts, NULL, 8);
    check(r == 1 && ts.sec >= 2 && ts.sec <= 3 && (ts.sec < 3 || ts.nsec == 0),
          "ppoll.time_left.ready", "returned %ld, left %d.%09d of 3 s", r, ts.sec, ts.nsec);
    ts = (struct ts32){ 0, 50000000 };
    r = ppoll32(&rd, 1, &ts, NULL, 8);
    check(r == 0 && ts.sec == 0 && ts.nsec == 0, "ppoll.time_left.timed_out",
          "returned %ld, left %d.%09d", r, ts.sec, ts.nsec);
    ts = (struct ts32){ 0, 0 };
    r = ppoll32(&rd, 1, &ts, NULL, 8);
    check(r == 0 && ts.sec == 0 && ts.nsec == 0, "ppoll.zero_looks", "returned %ld", r);
    check_eq("ppoll.no_timeout", 1, ppoll32(&wr, 1, NULL, NULL, 8));

    struct ts64 t64 = { 3, 0 };
    r = syscall(SYS_ppoll_time64, &wr, 1, &t64, NULL, 8);
    check(r == 1 && t64.sec >= 2 && t64.sec <= 3, "ppoll_time64.time_left",
          "returned %ld, left %lld.%09lld", r, (long long)t64.sec, (long long)t64.nsec);
    // tv_nsec is a 32-bit long on i386: its high half is padding.
    t64 = (struct ts64){ 0, (1LL << 32) | 5000000 };
    check_eq("ppoll_time64.nsec_high_half_ignored", 0,
             syscall(SYS_ppoll_time64, &rd, 1, &t64, NULL, 8));
    t64 = (struct ts64){ 0, 1000000000 };
    check_errno("ppoll_time64.nsec_too_big", syscall(SYS_ppoll_time64, &rd, 1, &t64, NULL, 8),
                EINVAL);

    ts = (struct ts32){ -1, 0 };
    check_errno("ppoll.einval.negative_sec", ppoll32(&rd, 1, &ts, NULL, 8), EINVAL);
    ts = (struct ts32){ 0, 1000000000 };
    check_errno("ppoll.einval.nsec", ppoll32(&rd, 1, &ts, NULL, 8), EINVAL);
    ts = (struct ts32){ 0, 0 };
    sigset_t m;
    sigemptyset(&m);
    check_errno("ppoll.einval.sigsetsize", ppoll32(&rd, 1, &ts, &m, 4), EINVAL);
    check_eq("ppoll.no_mask_any_size", 1, ppoll32(&wr, 1, &ts, NULL, 4));
    check_errno("ppoll.efault.timeout", ppoll32(&rd, 1, (void *)1, NULL, 8), EFAULT);
    check_errno("ppoll.efault.mask", ppoll32(&rd, 1, &ts, (void *)1, 8), EFAULT);
    check_errno("ppoll.efault.array", ppoll32(NULL, 1, &ts, NULL, 8), EFAULT);
    // Linux's order: the timeout, then the mask, then the array.
    check_errno("ppoll.order.timeout_before_mask", ppoll32(&rd, 1, (void *)1, &m, 4), EFAULT);
    ts = (struct ts32){ -1, 0 };
    check_errno("ppoll.order.bad_time_before_bad_mask", ppoll32(&rd, 1, &ts, (void *)1, 8),
                EINVAL);
    ts = (struct ts32){ 0, 0 };
    check_errno("ppoll.order.mask_before_nfds", ppoll32(NULL, 1u << 30, &ts, (void *)1, 8),
                EFAULT);
    close(p[0]);
    close(p[1]);
}

static void ppoll_masks(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    struct pollfd rd = { p[0], POLLIN, 0 }, wr = { p[1], POLLOUT, 0 };
    // SIGUSR1 blocked; the helper sends it while ppoll waits with a mask
    // that lets it in (and blocks SIGUSR2 instead).
    sigset_t old, wait_mask;
    wait_mask_setup(&old, &wait_mask);
    caught = 0;
    pid_t h = helper(send_usr1, NULL);
    struct ts32 ts = { 10, 0 };
    long r = ppoll32(&rd, 1, &ts, &wait_mask, 8);
    int err = errno;
    wait_for(h);
    check(r == -1 && err == EINTR && caught == 1, "ppoll.mask.delivered_during_wait",
          "returned %ld (%s), handler ran %d times", r, r < 0 ? errname(err) : "-", caught);
    check_eq("ppoll.mask.handler_under_wait_mask", 1, usr2_blocked_in_handler);
    sigset_t now = mask_now();
    check(sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2), "ppoll.mask.old_back",
          "after the call: SIGUSR1 %sblocked, SIGUSR2 %sblocked",
          sigismember(&now, SIGUSR1) ? "" : "not ", sigismember(&now, SIGUSR2) ? "" : "not ");
    check(ts.sec <= 10 && ts.sec >= 4, "ppoll.mask.time_left_after_signal", "left %d.%09d",
          ts.sec, ts.nsec);

    // Pending and blocked, but a descriptor is ready: the count wins, the
    // old mask is back at once, and the signal stays pending.
    caught = 0;
    kill(getpid(), SIGUSR1);
    sigemptyset(&wait_mask);
    r = ppoll32(&wr, 1, NULL, &wait_mask, 8);
    sigset_t pend;
    sigpending(&pend);
    check(r == 1 && caught == 0 && sigismember(&pend, SIGUSR1), "ppoll.mask.ready_wins",
          "returned %ld, handler ran %d times, SIGUSR1 %s", r, caught,
          sigismember(&pend, SIGUSR1) ? "pending" : "not pending");
    sigprocmask(SIG_UNBLOCK, &old, NULL);          // now it is delivered
    check_eq("ppoll.mask.delivered_after_unblock", 1, caught);

    // The C library's ppoll (musl: ppoll_time64) with a mask.
    sigprocmask(SIG_SETMASK, &old, NULL);
    caught = 0;
    h = helper(send_usr1, NULL);
    struct timespec t = { 10, 0 };
    r = ppoll(&rd, 1, &t, &wait_mask);
    err = errno;
    wait_for(h);
    now = mask_now();
    check(r == -1 && err == EINTR && caught == 1 && sigismember(&now, SIGUSR1),
          "ppoll.libc_mask", "returned %ld (%s), handler ran %d times, SIGUSR1 %sblocked after",
          r, r < 0 ? errname(err) : "-", caught, sigismember(&now, SIGUSR1) ? "" : "not ");
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    long before = memfree_start();
    section("poll.section.pipe_states", pipe_states);
    section("poll.section.files", files);
    section("poll.section.array", array);
    section("poll.section.timeouts", timeouts);
    section("poll.section.wakes", wakes);
    section("poll.section.signals", signals);
    section("ppoll.section.times", ppoll_times);
    section("ppoll.section.masks", ppoll_masks);
    memfree_check("poll.memfree", before);
    return test_status();
}
