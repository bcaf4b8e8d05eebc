// t_timerfd: timerfd_create, timerfd_settime, timerfd_gettime and their
// time64 forms, as Linux has them.
//
//   - create: CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME; other clocks
//     and unknown flags EINVAL; the alarm clocks EPERM without privilege;
//     TFD_NONBLOCK, TFD_CLOEXEC; /proc/self/fd says anon_inode:[timerfd];
//     fstat: mode 0600, no type;
//   - settime's checks: flags, then the times (EINVAL), the descriptor
//     (EBADF, EINVAL for a file that is no timerfd), EFAULT;
//   - one-shot and periodic timers: read gives the expiries since the last
//     read (8 bytes; shorter buffers EINVAL), waiting while there is none
//     (EAGAIN nonblocking); gettime's time left and interval; settime gives
//     the old setting, a zero value disarms (gettime still gives the
//     interval it was given), and setting resets the count;
//   - absolute times on CLOCK_MONOTONIC and CLOCK_REALTIME (with
//     TFD_TIMER_CANCEL_ON_SET), a time already past expires at once;
//   - the old-timespec calls (325, 326) and the time64 ones (411, 410);
//   - poll and epoll readiness; epoll_wait(-1) woken by an expiry; a signal
//     ends a waiting read with EINTR; a child reads a timer its parent set;
//   - closing a file with an armed periodic timer frees it: MemFree back.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

#define MS 1000000LL
#define NR_settime32 325
#define NR_gettime32 326
#define NR_gettime64 410
#define NR_settime64 411

struct ts32 { int32_t sec, nsec; };
struct its32 { struct ts32 interval, value; };
struct ts64 { int64_t sec, nsec; };
struct its64 { struct ts64 interval, value; };

static void on_alarm(int sig)
{
    (void)sig;
}

// Arm fd (64-bit form): value and interval in ns. Returns 0 or -errno;
// the old setting into *old if old.
static long set64(int fd, int flags, long long value, long long interval, struct its64 *old)
{
    struct its64 n = { { interval / 1000000000, interval % 1000000000 },
                       { value / 1000000000, value % 1000000000 } };
    long r = syscall(NR_settime64, fd, flags, &n, old);
    return r < 0 ? -errno : r;
}

static long long ns64(struct ts64 t)
{
    return t.sec * 1000000000LL + t.nsec;
}

static long long ticks(int fd)
{
    uint64_t v = 0;
    long r = read(fd, &v, sizeof v);
    return r == 8 ? (long long)v : r < 0 ? -errno : -1000 - r;
}

static short poll_in(int fd)
{
    struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
    return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

static long long clock_ns(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void create_checks(void)
{
    check_errno("timerfd.create_cputime_clock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL);
    check_errno("timerfd.create_tai", timerfd_create(CLOCK_TAI, 0), EINVAL);
    check_errno("timerfd.create_raw", timerfd_create(CLOCK_MONOTONIC_RAW, 0), EINVAL);
    check_errno("timerfd.create_bad_clock", timerfd_create(99, 0), EINVAL);
    check_errno("timerfd.create_negative_clock", timerfd_create(-1, 0), EINVAL);
    check_errno("timerfd.create_bad_flags", timerfd_create(CLOCK_MONOTONIC, 1), EINVAL);
    int clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME };
    for (int i = 0; i < 3; i++) {
        int fd = timerfd_create(clocks[i], 0);
        check(fd >= 0, tname("timerfd.create_clock_%d", clocks[i]), "%s", errname(errno));
        close(fd);
    }
    // The alarm clocks need CAP_WAKE_ALARM: a process that is not root has
    // not got it.
    pid_t pid = xfork();
    if (pid == 0) {
        if (geteuid() == 0 && setuid(65534) < 0)
            _exit(2);
        int a = timerfd_create(CLOCK_REALTIME_ALARM, 0), ea = errno;
        int b = timerfd_create(CLOCK_BOOTTIME_ALARM, 0), eb = errno;
        _exit(a == -1 && ea == EPERM && b == -1 && eb == EPERM ? 0 : 1);
    }
    check_eq("timerfd.alarm_clocks_eperm", 0, WEXITSTATUS(wait_for(pid)));

    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    check_eq("timerfd.cloexec", FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
    check_eq("timerfd.nonblock", O_NONBLOCK | O_RDWR, fcntl(fd, F_GETFL) & (O_NONBLOCK | O_ACCMODE));
    char path[32], link[64] = "";
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    long n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    check_str("timerfd.proc_fd_link", "anon_inode:[timerfd]", link);
    struct stat st;
    check(fstat(fd, &st) == 0 && st.st_mode == 0600 && st.st_size == 0 && st.st_uid == getuid(),
          "timerfd.fstat", "mode %#o size %lld uid %u", (unsigned)st.st_mode, (long long)st.st_size,
          (unsigned)st.st_uid);
    check_eq("timerfd.unarmed_eagain", -EAGAIN, ticks(fd));
    uint32_t small;
    check_errno("timerfd.read_short", read(fd, &small, 4), EINVAL);
    uint64_t one = 1;
    check_errno("timerfd.write", write(fd, &one, 8), EINVAL);
    struct its64 cur;
    memset(&cur, 0xff, sizeof cur);
    check_eq("timerfd.gettime64_unarmed", 0, syscall(NR_gettime64, fd, &cur));
    check(ns64(cur.value) == 0 && ns64(cur.interval) == 0, "timerfd.gettime64_zero",
          "value %lld interval %lld", ns64(cur.value), ns64(cur.interval));

    // settime's checks, in Linux's order.
    check_eq("timerfd.settime_bad_flags", -EINVAL, set64(fd, 4, 10 * MS, 0, NULL));
    struct its64 bad = { { 0, 0 }, { 0, 1000000000 } };
    check_errno("timerfd.settime_nsec_big", syscall(NR_settime64, fd, 0, &bad, NULL), EINVAL);
    bad.value.nsec = -1;
    check_errno("timerfd.settime_nsec_negative", syscall(NR_settime64, fd, 0, &bad, NULL), EINVAL);
    bad.value.nsec = 0;
    bad.interval.sec = -1;
    check_errno("timerfd.settime_interval_negative", syscall(NR_settime64, fd, 0, &bad, NULL), EINVAL);
    check_errno("timerfd.settime_bad_before_ebadf", syscall(NR_settime64, 999, 0, &bad, NULL), EINVAL);
    check_eq("timerfd.settime_ebadf", -EBADF, set64(999, 0, MS, 0, NULL));
    int p[2];
    pipe(p);
    check_eq("timerfd.settime_not_timerfd", -EINVAL, set64(p[0], 0, MS, 0, NULL));
    check_errno("timerfd.gettime_not_timerfd", syscall(NR_gettime64, p[0], &cur), EINVAL);
    close(p[0]);
    close(p[1]);
    check_errno("timerfd.gettime_ebadf", syscall(NR_gettime64, 999, &cur), EBADF);
    check_errno("timerfd.settime_efault", syscall(NR_settime64, fd, 0, NULL, NULL), EFAULT);
    check_errno("timerfd.gettime_efault", syscall(NR_gettime64, fd, (void *)8), EFAULT);
    close(fd);
}

static void timer_checks(void)
{
    // One-shot, relative, through the old-timespec calls.
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct its32 n = { { 0, 0 }, { 0, 60 * MS } }, c32;
    check_eq("timerfd.settime32", 0, syscall(NR_settime32, fd, 0, &n, NULL));
    check_eq("timerfd.gettime32", 0, syscall(NR_gettime32, fd, &c32));
    check(c32.value.sec == 0 && c32.value.nsec > 0 && c32.value.nsec <= 60 * MS &&
          c32.interval.sec == 0 && c32.interval.nsec == 0, "timerfd.gettime32_left",
          "value %d.%09d interval %d.%09d", c32.value.sec, c32.value.nsec, c32.interval.sec,
          c32.interval.nsec);
    check_eq("timerfd.not_yet_readable", 0, poll_in(fd));
    long long t0 = mono_ns();
    alarm(10);
    long long v = ticks(fd);
    alarm(0);
    long long took = mono_ns() - t0;
    check(v == 1 && took > 30 * MS, "timerfd.oneshot_read_waits", "read %lld after %lld ms", v,
          took / MS);
    check_eq("timerfd.gettime32_after", 0, syscall(NR_gettime32, fd, &c32));
    check(c32.value.sec == 0 && c32.value.nsec == 0, "timerfd.oneshot_done", "value %d.%09d",
          c32.value.sec, c32.value.nsec);

    // Periodic: 20 ms periods add up while nobody reads.
    check_eq("timerfd.periodic_set", 0, set64(fd, 0, 20 * MS, 20 * MS, NULL));
    sleep_ms(110);
    check_eq("timerfd.periodic_readable", POLLIN, poll_in(fd));
    v = ticks(fd);
    check(v >= 3 && v <= 7, "timerfd.periodic_count", "%lld expiries in 110 ms of 20 ms periods", v);
    struct its64 cur;
    syscall(NR_gettime64, fd, &cur);
    check(ns64(cur.interval) == 20 * MS && ns64(cur.value) > 0 && ns64(cur.value) <= 20 * MS,
          "timerfd.periodic_gettime", "value %lld interval %lld", ns64(cur.value),
          ns64(cur.interval));
    alarm(10);
    v = ticks(fd);
    alarm(0);
    check(v >= 1 && v <= 2, "timerfd.periodic_next", "%lld", v);

    // settime returns the old setting; a zero value disarms.
    struct its64 old;
    check_eq("timerfd.set_long", 0, set64(fd, 0, 10000 * MS, 3000 * MS, NULL));
    check_eq("timerfd.disarm", 0, set64(fd, 0, 0, 5 * MS, &old));
    check(ns64(old.value) > 9000 * MS && ns64(old.value) <= 10000 * MS &&
          ns64(old.interval) == 3000 * MS, "timerfd.old_setting", "value %lld interval %lld",
          ns64(old.value), ns64(old.interval));
    syscall(NR_gettime64, fd, &cur);
    check(ns64(cur.value) == 0 && ns64(cur.interval) == 5 * MS, "timerfd.disarmed_gettime",
          "value %lld interval %lld", ns64(cur.value), ns64(cur.interval));
    fcntl(fd, F_SETFL, O_NONBLOCK);
    check_eq("timerfd.disarmed_eagain", -EAGAIN, ticks(fd));

    // Setting the timer again resets the count of expiries not read.
    set64(fd, 0, MS, 0, NULL);
    sleep_ms(40);
    check_eq("timerfd.expired_readable", POLLIN, poll_in(fd));
    set64(fd, 0, 10000 * MS, 0, NULL);
    check_eq("timerfd.reset_not_readable", 0, poll_in(fd));
    check_eq("timerfd.reset_eagain", -EAGAIN, ticks(fd));
    fcntl(fd, F_SETFL, 0);

    // Absolute times.
    check_eq("timerfd.abstime_set", 0,
             set64(fd, TFD_TIMER_ABSTIME, clock_ns(CLOCK_MONOTONIC) + 50 * MS, 0, NULL));
    syscall(NR_gettime64, fd, &cur);
    check(ns64(cur.value) > 0 && ns64(cur.value) <= 50 * MS, "timerfd.abstime_left", "%lld",
          ns64(cur.value));
    alarm(10);
    check_eq("timerfd.abstime_fires", 1, ticks(fd));
    alarm(0);
    check_eq("timerfd.abstime_past", 0, set64(fd, TFD_TIMER_ABSTIME, 1, 0, NULL));
    alarm(10);
    t0 = mono_ns();
    v = ticks(fd);
    alarm(0);
    check(v == 1 && mono_ns() - t0 < 1000 * MS, "timerfd.abstime_past_fires", "%lld after %lld ms",
          v, (mono_ns() - t0) / MS);
    close(fd);

    fd = timerfd_create(CLOCK_REALTIME, 0);
    check_eq("timerfd.realtime_abstime_set", 0,
             set64(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET,
                   clock_ns(CLOCK_REALTIME) + 40 * MS, 0, NULL));
    alarm(10);
    t0 = mono_ns();
    v = ticks(fd);
    alarm(0);
    check(v == 1 && mono_ns() - t0 > 10 * MS, "timerfd.realtime_abstime_fires",
          "%lld after %lld ms", v, (mono_ns() - t0) / MS);

    // epoll_wait(-1) woken by an expiry.
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 5 }, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    check_eq("timerfd.epoll_not_ready", 0, epoll_wait(ep, &out, 1, 0));
    set64(fd, 0, 30 * MS, 0, NULL);
    alarm(10);
    int k = epoll_wait(ep, &out, 1, -1);
    alarm(0);
    check(k == 1 && out.events == EPOLLIN && out.data.u32 == 5, "timerfd.epoll_woken", "%d %s",
          k, errname(errno));
    ticks(fd);
    close(ep);

    // A signal ends a waiting read.
    set64(fd, 0, 0, 0, NULL);
    alarm(1);
    check_eq("timerfd.read_eintr", -EINTR, ticks(fd));

    // fork shares the file: the child reads the parent's timer.
    set64(fd, 0, 30 * MS, 0, NULL);
    pid_t pid = xfork();
    if (pid == 0) {
        alarm(10);
        _exit(ticks(fd) == 1 ? 0 : 1);
    }
    check_eq("timerfd.child_reads", 0, WEXITSTATUS(wait_for(pid)));
    fcntl(fd, F_SETFL, O_NONBLOCK);
    check_eq("timerfd.child_took_it", -EAGAIN, ticks(fd));
    close(fd);

    // Files closed with a timer armed: the timers go with them.
    for (int i = 0; i < 20; i++) {
        int t = timerfd_create(CLOCK_MONOTONIC, 0);
        set64(t, 0, MS, MS, NULL);
        if (i % 2)
            close(t);
    }
    sleep_ms(20);
}

static void all(void *arg)
{
    (void)arg;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    create_checks();
    timer_checks();
    fflush(stdout);
    _exit(test_failures() ? 1 : 0);
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all, NULL);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "timerfd.child", "%s", status_str(st));
    memfree_check("timerfd.memfree_restored", before);
    return test_status();
}
