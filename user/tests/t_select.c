// t_select: select (_newselect, and the old i386 select that takes its
// arguments in a struct) and pselect6, as Linux has them.
//
//   - readiness: each pipe end when empty, holding data, full, with no
//     writer left (readable: end of file), with no reader left (writable,
//     and readable too: Linux counts the error in both); files that never
//     wait; nothing is ever exceptional; a descriptor both readable and
//     writable counts twice; the sets come back holding only what is ready,
//     all clear on a timeout;
//   - EBADF for a descriptor that is not open in any set, bits at or above
//     n not looked at; n < 0 is EINVAL; NULL sets are allowed;
//   - the timeval: the time left is written back (on success, on a timeout,
//     on EBADF and EINVAL too), not for a zero timeout; microseconds carry
//     into seconds; a negative field is EINVAL; a read-only timeval does not
//     make a successful select fail; EFAULT for sets and timeval, in Linux's
//     order (the timeval first);
//   - a waiting select woken by a helper that writes; signals: EINTR after
//     a handler (with SA_RESTART too), the sets left as they were given; a
//     stop and a continue restart it unseen;
//   - pselect6 (308, 32-bit timespec, and 413, 64-bit): the time left
//     written back, the argument pair { sigset *, size } (EFAULT, EINVAL),
//     the mask in force during the wait and the old one back afterwards;
//     the C library's pselect;
//   - MemFree back where it started.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"
#include "poll_common.h"

struct tv32 { int32_t sec, usec; };
struct ts32 { int32_t sec, nsec; };
struct ts64 { int64_t sec, nsec; };

// _newselect through its number, with a 32-bit timeval that it may write.
static long sel(int n, fd_set *r, fd_set *w, fd_set *e, struct tv32 *tv)
{
    return syscall(SYS__newselect, n, r, w, e, tv);
}

// 'r', 'w', 'e' for each set fd is in after a zero-timeout select asking
// for all three; "" if none, "error" if select failed.
static const char *ready(int fd)
{
    static char out[8];
    fd_set r, w, e;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(fd, &r);
    FD_SET(fd, &w);
    FD_SET(fd, &e);
    struct tv32 tv = { 0, 0 };
    if (sel(fd + 1, &r, &w, &e, &tv) < 0)
        return "error";
    snprintf(out, sizeof out, "%s%s%s", FD_ISSET(fd, &r) ? "r" : "", FD_ISSET(fd, &w) ? "w" : "",
             FD_ISSET(fd, &e) ? "e" : "");
    return out;
}

static void check_ready(const char *name, int fd, const char *expected)
{
    check_str(name, expected, ready(fd));
}

static void readiness(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    check_ready("select.pipe.empty.read_end", p[0], "");
    check_ready("select.pipe.empty.write_end", p[1], "w");
    write(p[1], "x", 1);
    check_ready("select.pipe.data.read_end", p[0], "r");
    char c;
    read(p[0], &c, 1);
    fill_pipe(p[1]);
    check_ready("select.pipe.full.write_end", p[1], "");
    check_ready("select.pipe.full.read_end", p[0], "r");
    close(p[1]);
    check_ready("select.pipe.no_writer.read_end", p[0], "r");
    close(p[0]);
    if (pipe(p) < 0)
        return;
    close(p[0]);
    check_ready("select.pipe.no_reader.write_end", p[1], "rw");
    close(p[1]);

    int fd = open("/dev/null", O_RDWR);
    check_ready("select.dev_null", fd, "rw");
    close(fd);
    fd = open("/proc/self/status", O_RDONLY);
    check_ready("select.proc_file", fd, "rw");
    close(fd);
    fd = open("/", O_RDONLY);
    check_ready("select.directory", fd, "rw");
    close(fd);

    // The count, and what comes back in the sets.
    if (pipe(p) < 0)
        return;
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &r);
    FD_SET(p[1], &w);
    int dn = open("/dev/null", O_RDWR);
    FD_SET(dn, &r);
    FD_SET(dn, &w);
    int n = (dn > p[1] ? dn : p[1]) + 1;
    struct tv32 tv = { 0, 0 };
    long got = sel(n, &r, &w, NULL, &tv);
    check(got == 3 && !FD_ISSET(p[0], &r) && !FD_ISSET(p[1], &r) && FD_ISSET(p[1], &w) &&
              FD_ISSET(dn, &r) && FD_ISSET(dn, &w),
          "select.count_and_sets", "returned %ld; read set %d%d%d, write set %d%d", got,
          FD_ISSET(p[0], &r), FD_ISSET(p[1], &r), FD_ISSET(dn, &r), FD_ISSET(p[1], &w),
          FD_ISSET(dn, &w));
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv = (struct tv32){ 0, 20000 };
    got = sel(p[0] + 1, &r, NULL, NULL, &tv);
    check(got == 0 && !FD_ISSET(p[0], &r), "select.timeout_clears_sets",
          "returned %ld, read end still set: %d", got, FD_ISSET(p[0], &r));
    close(dn);
    close(p[0]);
    close(p[1]);
}

static void errors(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    int closed = dup(p[0]);
    close(closed);
    fd_set s, bad;
    struct tv32 tv = { 0, 0 };
    FD_ZERO(&bad);
    FD_SET(closed, &bad);
    fd_set copy = bad;
    check_errno("select.ebadf.read_set", sel(closed + 1, &bad, NULL, NULL, &tv), EBADF);
    check_errno("select.ebadf.write_set", sel(closed + 1, NULL, &bad, NULL, &tv), EBADF);
    check_errno("select.ebadf.except_set", sel(closed + 1, NULL, NULL, &bad, &tv), EBADF);
    check(memcmp(&bad, &copy, sizeof bad) == 0, "select.ebadf.set_untouched",
          "the set changed");
    check_eq("select.bits_at_or_above_n_ignored", 0, sel(closed, &bad, NULL, NULL, &tv));
    check_errno("select.einval.negative_n", sel(-1, NULL, NULL, NULL, &tv), EINVAL);
    check_eq("select.null_sets", 0, sel(10, NULL, NULL, NULL, &tv));
    long long t0 = mono_ns();
    tv = (struct tv32){ 0, 50000 };
    long r = sel(0, NULL, NULL, NULL, &tv);
    long ms = ms_since(t0);
    check(r == 0 && ms >= 45 && ms < 5000, "select.no_fds_sleeps", "returned %ld after %ld ms",
          r, ms);

    FD_ZERO(&s);
    FD_SET(p[1], &s);
    check_errno("select.efault.set", sel(p[1] + 1, (fd_set *)1, NULL, NULL, &tv), EFAULT);
    check_errno("select.efault.kernel_set", sel(p[1] + 1, NULL, (fd_set *)0xC0000000u, NULL, &tv),
                EFAULT);
    check_errno("select.efault.timeval", sel(p[1] + 1, NULL, &s, NULL, (void *)1), EFAULT);
    tv = (struct tv32){ -1, 0 };
    check_errno("select.einval.negative_sec", sel(p[1] + 1, NULL, &s, NULL, &tv), EINVAL);
    tv = (struct tv32){ 1, -1 };
    check_errno("select.einval.negative_usec", sel(p[1] + 1, NULL, &s, NULL, &tv), EINVAL);
    // Linux's order: the timeval (read, then checked), then n, then the sets.
    check_errno("select.order.timeval_before_n", sel(-1, NULL, NULL, NULL, (void *)1), EFAULT);
    tv = (struct tv32){ -1, 0 };
    check_errno("select.order.bad_time_before_set", sel(p[1] + 1, (fd_set *)1, NULL, NULL, &tv),
                EINVAL);
    tv = (struct tv32){ 1, 0 };
    check_errno("select.order.n_before_set", sel(-1, (fd_set *)1, NULL, NULL, &tv), EINVAL);
    check_errno("select.order.set_before_ebadf", sel(closed + 1, &bad, (fd_set *)1, NULL, &tv),
                EFAULT);
    close(p[0]);
    close(p[1]);
}

static void timevals(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    fd_set w;
    FD_ZERO(&w);
    FD_SET(p[1], &w);
    struct tv32 tv = { 5, 0 };
    long r = sel(p[1] + 1, NULL, &w, NULL, &tv);
    check(r == 1 && tv.sec >= 4 && tv.sec <= 5 && (tv.sec < 5 || tv.usec == 0),
          "select.time_left.ready", "returned %ld, left %d.%06d of 5 s", r, tv.sec, tv.usec);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    tv = (struct tv32){ 0, 100000 };
    long long t0 = mono_ns();
    r = sel(p[0] + 1, &rd, NULL, NULL, &tv);
    long ms = ms_since(t0);
    check(r == 0 && tv.sec == 0 && tv.usec == 0 && ms >= 95 && ms < 5000,
          "select.time_left.timed_out", "returned %ld after %ld ms, left %d.%06d", r, ms,
          tv.sec, tv.usec);
    tv = (struct tv32){ 0, 0 };
    FD_SET(p[0], &rd);
    r = sel(p[0] + 1, &rd, NULL, NULL, &tv);
    check(r == 0 && tv.sec == 0 && tv.usec == 0, "select.zero_looks", "returned %ld", r);
    // 1500000 us is 1.5 s.
    tv = (struct tv32){ 0, 1500000 };
    r = sel(p[1] + 1, NULL, &w, NULL, &tv);
    check(r == 1 && tv.sec == 1 && tv.usec >= 400000 && tv.usec <= 500000,
          "select.usec_carry", "returned %ld (%s), left %d.%06d", r, r < 0 ? errname(errno) : "-",
          tv.sec, tv.usec);
    // Written back even when the call fails.
    int closed = dup(p[0]);
    close(closed);
    fd_set bad;
    FD_ZERO(&bad);
    FD_SET(closed, &bad);
    tv = (struct tv32){ 5, 0 };
    r = sel(closed + 1, &bad, NULL, NULL, &tv);
    check(r == -1 && tv.sec >= 4 && tv.sec <= 5, "select.time_left.on_ebadf",
          "returned %ld, left %d.%06d", r, tv.sec, tv.usec);
    tv = (struct tv32){ 5, 0 };
    r = sel(-1, NULL, NULL, NULL, &tv);
    check(r == -1 && tv.sec >= 4 && tv.sec <= 5, "select.time_left.on_einval",
          "returned %ld, left %d.%06d", r, tv.sec, tv.usec);
    // A timeval that cannot be written back: the select still succeeds.
    struct tv32 *ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *ro = (struct tv32){ 5, 0 };
    mprotect(ro, 4096, PROT_READ);
    FD_SET(p[1], &w);
    check_eq("select.read_only_timeval", 1, sel(p[1] + 1, NULL, &w, NULL, ro));
    munmap(ro, 4096);

    // The old select: its five arguments in a struct.
    struct { long n; fd_set *in, *out, *ex; struct tv32 *tv; } args = {
        p[1] + 1, NULL, &w, NULL, &tv
    };
    FD_SET(p[1], &w);
    tv = (struct tv32){ 2, 0 };
    r = syscall(SYS_select, &args);
    check(r == 1 && FD_ISSET(p[1], &w) && tv.sec >= 1 && tv.sec <= 2, "select.old_form",
          "returned %ld (%s), left %d.%06d", r, r < 0 ? errname(errno) : "-", tv.sec, tv.usec);
    check_errno("select.old_form.efault", syscall(SYS_select, (void *)1), EFAULT);
    args.n = -1;
    check_errno("select.old_form.negative_n", syscall(SYS_select, &args), EINVAL);
    close(p[0]);
    close(p[1]);
}

static void write_x(pid_t parent, void *arg)
{
    (void)parent;
    write(*(int *)arg, "x", 1);
}

static void waits(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    // (Woken only by its time limit, the last look would find the data
    // too: the time tells.)
    pid_t h = helper(write_x, &p[1]);
    struct timeval t10 = { 10, 0 };
    long long t0 = mono_ns();
    int r = select(p[0] + 1, &rd, NULL, NULL, &t10);
    long ms = ms_since(t0);
    check(r == 1 && FD_ISSET(p[0], &rd) && ms < 5000, "select.wake.data",
          "returned %d after %ld ms", r, ms);
    wait_for(h);
    char c;
    read(p[0], &c, 1);

    // A handler: EINTR, the sets as given, the time left written back.
    catch_signal(SIGUSR1, SA_RESTART);
    struct tv32 tv = { 10, 0 };
    FD_SET(p[0], &rd);
    h = helper(send_usr1, NULL);
    long lr = sel(p[0] + 1, &rd, NULL, NULL, &tv);
    int err = errno;
    wait_for(h);
    check(lr == -1 && err == EINTR && caught == 1, "select.signal.eintr_even_sa_restart",
          "returned %ld (%s), handler ran %d times", lr, lr < 0 ? errname(err) : "-", caught);
    check(FD_ISSET(p[0], &rd), "select.signal.sets_untouched", "the read end was cleared");
    check(tv.sec >= 4 && tv.sec <= 10, "select.signal.time_left", "left %d.%06d", tv.sec,
          tv.usec);
    catch_signal(SIGUSR1, 0);
    h = helper(send_usr1, NULL);
    t10 = (struct timeval){ 10, 0 };
    r = select(p[0] + 1, &rd, NULL, NULL, &t10);
    err = errno;
    wait_for(h);
    check(r == -1 && err == EINTR && caught == 2, "select.signal.eintr",
          "returned %d (%s), handler ran %d times", r, r < 0 ? errname(err) : "-", caught);

    // Stopped and continued: no handler runs, select goes on.
    int stop_ms = 50;
    h = helper(stop_then_continue, &stop_ms);
    pid_t w = xfork();
    if (w == 0) {
        sleep_ms(400);
        write(p[1], "x", 1);
        _exit(0);
    }
    FD_SET(p[0], &rd);
    tv = (struct tv32){ 10, 0 };
    t0 = mono_ns();
    lr = sel(p[0] + 1, &rd, NULL, NULL, &tv);
    ms = ms_since(t0);
    check(lr == 1 && FD_ISSET(p[0], &rd) && ms < 5000, "select.signal.stop_restarts",
          "returned %ld (%s) after %ld ms", lr, lr < 0 ? errname(errno) : "-", ms);
    wait_for(h);
    wait_for(w);
    close(p[0]);
    close(p[1]);
}

static long pselect32(int n, fd_set *r, fd_set *w, struct ts32 *ts, const sigset_t *m, long size)
{
    long pack[2] = { (long)m, size };
    return syscall(SYS_pselect6, n, r, w, NULL, ts, pack);
}

static void pselects(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    fd_set w, rd;
    FD_ZERO(&w);
    FD_SET(p[1], &w);
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    struct ts32 ts = { 3, 0 };
    long r = pselect32(p[1] + 1, NULL, &w, &ts, NULL, 8);
    check(r == 1 && ts.sec >= 2 && ts.sec <= 3 && (ts.sec < 3 || ts.nsec == 0),
          "pselect6.time_left", "returned %ld, left %d.%09d", r, ts.sec, ts.nsec);
    struct ts64 t64 = { 3, 0 };
    r = syscall(SYS_pselect6_time64, p[1] + 1, NULL, &w, NULL, &t64, NULL);
    check(r == 1 && t64.sec >= 2 && t64.sec <= 3, "pselect6_time64.time_left",
          "returned %ld, left %lld.%09lld", r, (long long)t64.sec, (long long)t64.nsec);
    check_eq("pselect6.no_pair", 1, syscall(SYS_pselect6, p[1] + 1, NULL, &w, NULL, NULL, NULL));
    sigset_t m;
    sigemptyset(&m);
    ts = (struct ts32){ 0, 0 };
    check_errno("pselect6.einval.sigsetsize", pselect32(p[1] + 1, NULL, &w, &ts, &m, 4), EINVAL);
    check_eq("pselect6.no_mask_any_size", 1, pselect32(p[1] + 1, NULL, &w, &ts, NULL, 4));
    check_errno("pselect6.efault.pair", syscall(SYS_pselect6, p[1] + 1, NULL, &w, NULL, &ts, 1),
                EFAULT);
    check_errno("pselect6.efault.mask", pselect32(p[1] + 1, NULL, &w, &ts, (void *)1, 8), EFAULT);
    ts = (struct ts32){ 0, 1000000000 };
    check_errno("pselect6.einval.nsec", pselect32(p[1] + 1, NULL, &w, &ts, NULL, 8), EINVAL);
    // Linux's order: the pair, the timeout, the mask, then n and the sets.
    check_errno("pselect6.order.pair_first", syscall(SYS_pselect6, -1, NULL, &w, NULL, 1, 1),
                EFAULT);
    check_errno("pselect6.order.time_before_mask", pselect32(-1, NULL, &w, &ts, (void *)1, 8),
                EINVAL);
    ts = (struct ts32){ 0, 0 };
    check_errno("pselect6.order.mask_before_sets", pselect32(p[1] + 1, (fd_set *)1, &w, &ts,
                                                             (void *)1, 8), EFAULT);

    // The mask: SIGUSR1 blocked, let in during the wait (SIGUSR2 blocked
    // instead); the handler runs under the wait's mask; the old one returns.
    sigset_t old, wait_mask;
    wait_mask_setup(&old, &wait_mask);
    caught = 0;
    pid_t h = helper(send_usr1, NULL);
    ts = (struct ts32){ 10, 0 };
    r = pselect32(p[0] + 1, &rd, NULL, &ts, &wait_mask, 8);
    int err = errno;
    wait_for(h);
    check(r == -1 && err == EINTR && caught == 1, "pselect6.mask.delivered_during_wait",
          "returned %ld (%s), handler ran %d times", r, r < 0 ? errname(err) : "-", caught);
    check_eq("pselect6.mask.handler_under_wait_mask", 1, usr2_blocked_in_handler);
    sigset_t now = mask_now();
    check(sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2), "pselect6.mask.old_back",
          "after the call: SIGUSR1 %sblocked, SIGUSR2 %sblocked",
          sigismember(&now, SIGUSR1) ? "" : "not ", sigismember(&now, SIGUSR2) ? "" : "not ");

    // Already pending when the call begins: EINTR at once.
    caught = 0;
    kill(getpid(), SIGUSR1);
    ts = (struct ts32){ 10, 0 };
    r = pselect32(p[0] + 1, &rd, NULL, &ts, &wait_mask, 8);
    err = errno;
    check(r == -1 && err == EINTR && caught == 1, "pselect6.mask.pending_before",
          "returned %ld (%s), handler ran %d times", r, r < 0 ? errname(err) : "-", caught);

    // The C library's pselect.
    caught = 0;
    h = helper(send_usr1, NULL);
    struct timespec t = { 10, 0 };
    r = pselect(p[0] + 1, &rd, NULL, NULL, &t, &wait_mask);
    err = errno;
    wait_for(h);
    now = mask_now();
    check(r == -1 && err == EINTR && caught == 1 && sigismember(&now, SIGUSR1),
          "pselect.libc_mask", "returned %ld (%s), handler ran %d times, SIGUSR1 %sblocked after",
          r, r < 0 ? errname(err) : "-", caught, sigismember(&now, SIGUSR1) ? "" : "not ");
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    long before = memfree_start();
    section("select.section.readiness", readiness);
    section("select.section.errors", errors);
    section("select.section.timevals", timevals);
    section("select.section.waits", waits);
    section("pselect6.section", pselects);
    memfree_check("select.memfree", before);
    return test_status();
}
