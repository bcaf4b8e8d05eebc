// t_timer: alarm, the interval timers, clock_nanosleep and POSIX timers, as
// alarm(2), setitimer(2), clock_nanosleep(2), timer_create(2),
// timer_settime(2), timer_getoverrun(2), fork(2) and execve(2) say:
//
//   - alarm returns the seconds left, rounded; SIGALRM comes, SI_KERNEL;
//   - setitimer/getitimer: the time left, the interval kept, ITIMER_REAL
//     reloaded only when its SIGALRM is taken, the CPU-time timers firing
//     while the process computes, EINVAL and EFAULT where Linux gives them;
//   - clock_nanosleep: relative and absolute sleeps on three clocks; a
//     handler makes it fail with EINTR (SA_RESTART or not) and a relative
//     sleep writes rem; a stop and continue without a handler restarts it
//     to the same end; the 64-bit call; bad input;
//   - POSIX timers: ids 0, 1...; SIGEV_SIGNAL's siginfo (SI_TIMER, id,
//     value), SIGEV_NONE, SIGEV_THREAD_ID, musl's SIGEV_THREAD, overruns,
//     TIMER_ABSTIME, timer_gettime, deleting, a CPU-time clock, bad input;
//   - fork: the child has no timers; execve keeps the interval timers and
//     deletes the POSIX ones;
// and that MemFree comes back after processes exited with timers armed.
//
// Raw system calls are used where the ABI is the subject (the structures of
// 32-bit longs, -errno), the C library where its behaviour is (SIGEV_THREAD).
// Times are checked with generous margins: bunshin's clock moves in 10 ms
// ticks and QEMU may be slow, so no check is tighter than a few ticks.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"

// Linux i386's numbers (spelled out: musl's names for the time64 calls vary).
#define NR_alarm 27
#define NR_setitimer 104
#define NR_getitimer 105
#define NR_timer_create 259
#define NR_timer_settime 260
#define NR_timer_gettime 261
#define NR_timer_getoverrun 262
#define NR_timer_delete 263
#define NR_clock_nanosleep 267
#define NR_clock_nanosleep_time64 407
#define NR_timer_gettime64 408
#define NR_timer_settime64 409

#define MS 1000000LL
#define SEC 1000000000LL
#define BAD ((long)1)                  // an address that is never mapped

struct kitimerval { int32_t isec, iusec, vsec, vusec; };    // interval first
struct kts32 { int32_t sec, nsec; };
struct kits32 { struct kts32 interval, value; };
struct kts64 { int64_t sec, nsec; };
struct kits64 { struct kts64 interval, value; };
struct ksigevent { int32_t value, signo, notify, tid; int32_t pad[12]; };   // 64 bytes

// A system call's result, or -errno.
static long rs(long nr, long a, long b, long c, long d)
{
    long r = syscall(nr, a, b, c, d);
    return r < 0 ? -errno : r;
}

// ok if a raw call (rs) gave -err.
static void check_err(const char *name, long r, int err)
{
    check(r == -err, name, "expected %s, got %s", errname(err),
          r < 0 ? errname((int)-r) : tname("%ld (success)", r));
}

static long long ts32_ns(struct kts32 t) { return t.sec * SEC + t.nsec; }
static long long now_ns(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (long long)t.tv_sec * SEC + t.tv_nsec;
}

static volatile sig_atomic_t hits, hit_tid;
static siginfo_t last;
static void on_sig(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    last = *si;
    hit_tid = (sig_atomic_t)syscall(SYS_gettid);
    hits++;
}

static void burn_until(volatile sig_atomic_t *v, int want, long long ms)
{
    long long end = now_ns(CLOCK_MONOTONIC) + ms * MS;
    while (*v < want && now_ns(CLOCK_MONOTONIC) < end)
        for (volatile int i = 0; i < 10000; i++)
            ;
}

static int set_itimer(int which, long long value_ms, long long interval_ms, struct kitimerval *old)
{
    struct kitimerval v = { (int32_t)(interval_ms / 1000), (int32_t)(interval_ms % 1000 * 1000),
                            (int32_t)(value_ms / 1000), (int32_t)(value_ms % 1000 * 1000) };
    return (int)rs(NR_setitimer, which, (long)&v, (long)old, 0);
}

static long long itimer_left_ms(int which, long long *interval_ms)
{
    struct kitimerval v;
    if (rs(NR_getitimer, which, (long)&v, 0, 0) < 0)
        return -1;
    if (interval_ms)
        *interval_ms = v.isec * 1000LL + v.iusec / 1000;
    return v.vsec * 1000LL + (v.vusec + 999) / 1000;
}

// --- alarm ---------------------------------------------------------------------------

static void part_alarm(void)
{
    set_info_handler(SIGALRM, on_sig, 0);
    check_eq("timer.alarm_first_returns_0", 0, rs(NR_alarm, 10, 0, 0, 0));
    sleep_ms(50);
    long r = rs(NR_alarm, 5, 0, 0, 0);
    check(r == 10, "timer.alarm_returns_left", "alarm(5) 50 ms after alarm(10) returned %ld, "
          "not 10 (9.95 s rounded to the nearest)", r);
    r = rs(NR_alarm, 0, 0, 0, 0);
    check(r == 5 || r == 4, "timer.alarm_cancel_returns_left", "alarm(0) returned %ld", r);
    rs(NR_alarm, 1, 0, 0, 0);
    sleep_ms(20);
    r = rs(NR_alarm, 0, 0, 0, 0);
    check(r == 1, "timer.alarm_never_0_while_counting", "alarm(0) 0.98 s before the alarm "
          "returned %ld (Linux: 1, never 0 for an alarm still counting)", r);
    sleep_ms(1300);
    check(hits == 0, "timer.alarm_0_cancels", "SIGALRM came %d times after alarm(0)", (int)hits);
    rs(NR_alarm, 1, 0, 0, 0);
    int came = wait_count(&hits, 1, SIG_WAIT_MS);
    check(came && last.si_signo == SIGALRM && last.si_code == SI_KERNEL, "timer.alarm_fires",
          "after alarm(1): %d SIGALRM, si_code %d (SI_KERNEL is %d)", (int)hits,
          came ? last.si_code : 0, SI_KERNEL);
    check(itimer_left_ms(ITIMER_REAL, NULL) == 0, "timer.alarm_done_getitimer_0",
          "getitimer after the alarm went off: %lld ms left", itimer_left_ms(ITIMER_REAL, NULL));
}

// --- setitimer, getitimer -------------------------------------------------------------

static void part_itimer(void)
{
    set_info_handler(SIGALRM, on_sig, 0);
    set_itimer(ITIMER_REAL, 2000, 500, NULL);
    long long iv, left = itimer_left_ms(ITIMER_REAL, &iv);
    check(left > 1500 && left <= 2000 && iv == 500, "timer.getitimer_left",
          "after setitimer(2 s, every 0.5 s): %lld ms left, interval %lld ms", left, iv);
    struct kitimerval old;
    set_itimer(ITIMER_REAL, 0, 0, &old);
    check(old.vsec * 1000 + old.vusec / 1000 > 1500 && old.isec == 0 && old.iusec == 500000,
          "timer.setitimer_old", "setitimer's old value %d.%06d s every %d.%06d s",
          old.vsec, old.vusec, old.isec, old.iusec);
    left = itimer_left_ms(ITIMER_REAL, &iv);
    check(left == 0 && iv == 0, "timer.setitimer_0_disarms",
          "after setitimer(0): %lld ms left, interval %lld ms", left, iv);

    // Periodic: it goes on by itself.
    hits = 0;
    set_itimer(ITIMER_REAL, 20, 20, NULL);
    check(wait_count(&hits, 3, SIG_WAIT_MS), "timer.itimer_periodic",
          "a 20 ms ITIMER_REAL sent %d SIGALRM in %d s", (int)hits, SIG_WAIT_MS / 1000);
    set_itimer(ITIMER_REAL, 0, 0, NULL);

    // Reloaded when SIGALRM is taken, not when it fires.
    block_one(SIGALRM);
    set_itimer(ITIMER_REAL, 30, 30, NULL);
    sleep_ms(300);
    left = itimer_left_ms(ITIMER_REAL, &iv);
    check(left == 0 && iv == 30 && is_pending(SIGALRM), "timer.itimer_waits_for_dequeue",
          "300 ms after a 30 ms periodic ITIMER_REAL, SIGALRM blocked: %lld ms left (Linux: 0 "
          "until SIGALRM is taken), interval %lld, pending %d", left, iv, is_pending(SIGALRM));
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGALRM);
    struct timespec zero = { 0, 0 };
    int got = sigtimedwait(&s, NULL, &zero);
    left = itimer_left_ms(ITIMER_REAL, NULL);
    check(got == SIGALRM && left > 0 && left <= 30, "timer.itimer_reloaded_on_dequeue",
          "after sigtimedwait took SIGALRM (%d): %lld ms left", got, left);
    set_itimer(ITIMER_REAL, 0, 0, NULL);
    unblock_one(SIGALRM);

    // The CPU-time timers count while the process computes.
    hits = 0;
    set_info_handler(SIGVTALRM, on_sig, 0);
    set_itimer(ITIMER_VIRTUAL, 50, 0, NULL);
    burn_until(&hits, 1, SIG_WAIT_MS);
    check(hits == 1 && last.si_signo == SIGVTALRM, "timer.itimer_virtual",
          "50 ms of ITIMER_VIRTUAL, then computing: %d signals", (int)hits);
    hits = 0;
    set_info_handler(SIGPROF, on_sig, 0);
    set_itimer(ITIMER_PROF, 30, 30, NULL);
    burn_until(&hits, 2, SIG_WAIT_MS);
    set_itimer(ITIMER_PROF, 0, 0, NULL);
    check(hits >= 2 && last.si_signo == SIGPROF, "timer.itimer_prof",
          "a 30 ms periodic ITIMER_PROF, then computing: %d signals", (int)hits);
    set_itimer(ITIMER_VIRTUAL, 10000, 0, NULL);
    left = itimer_left_ms(ITIMER_VIRTUAL, NULL);
    check(left > 9000 && left <= 10020, "timer.getitimer_virtual",
          "ITIMER_VIRTUAL of 10 s just set: %lld ms left", left);

    // Bad input.
    struct kitimerval v = { 0, 0, 1, 0 };
    check_err("timer.setitimer_bad_which", rs(NR_setitimer, 3, (long)&v, 0, 0), EINVAL);
    check_err("timer.getitimer_bad_which", rs(NR_getitimer, -1, (long)&v, 0, 0), EINVAL);
    struct kitimerval bad_usec = { 0, 0, 1, 1000000 }, neg_usec = { 0, -1, 1, 0 },
                      neg_sec = { 0, 0, -1, 0 };
    check_err("timer.setitimer_usec_1e6", rs(NR_setitimer, ITIMER_REAL, (long)&bad_usec, 0, 0), EINVAL);
    check_err("timer.setitimer_usec_neg", rs(NR_setitimer, ITIMER_REAL, (long)&neg_usec, 0, 0), EINVAL);
    check_err("timer.setitimer_sec_neg", rs(NR_setitimer, ITIMER_REAL, (long)&neg_sec, 0, 0), EINVAL);
    check_err("timer.setitimer_efault", rs(NR_setitimer, ITIMER_REAL, BAD, 0, 0), EFAULT);
    check_err("timer.getitimer_efault", rs(NR_getitimer, ITIMER_REAL, BAD, 0, 0), EFAULT);
    struct kitimerval ten = { 0, 0, 10, 0 };
    long r = rs(NR_setitimer, ITIMER_REAL, (long)&ten, BAD, 0);
    left = itimer_left_ms(ITIMER_REAL, NULL);
    check(r == -EFAULT && left > 9000, "timer.setitimer_bad_old_still_sets",
          "setitimer with a bad old pointer: %s, then %lld ms left", errname((int)-r), left);
    r = rs(NR_setitimer, ITIMER_REAL, 0, (long)&old, 0);
    check(r == 0 && old.vsec >= 9 && itimer_left_ms(ITIMER_REAL, NULL) == 0,
          "timer.setitimer_null_disarms", "setitimer(NULL): %ld, old %d s, now %lld ms left", r,
          old.vsec, itimer_left_ms(ITIMER_REAL, NULL));
}

// --- clock_nanosleep ------------------------------------------------------------------

static long cns(int clock, int flags, const struct kts32 *req, struct kts32 *rem)
{
    return rs(NR_clock_nanosleep, clock, flags, (long)req, (long)rem);
}

static void part_sleep(void)
{
    static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME };
    static const char *names[] = { "realtime", "monotonic", "boottime" };
    for (int i = 0; i < 3; i++) {
        struct kts32 req = { 0, 50 * MS };
        long long t0 = now_ns(clocks[i]);
        long r = cns(clocks[i], 0, &req, NULL);
        long long took = now_ns(clocks[i]) - t0;
        check(r == 0 && took >= 50 * MS, tname("timer.sleep_rel_%s", names[i]),
              "50 ms: %s after %lld ms", errname((int)-r), took / MS);
        long long until = now_ns(clocks[i]) + 80 * MS;
        struct kts32 abs = { (int32_t)(until / SEC), (int32_t)(until % SEC) };
        r = cns(clocks[i], TIMER_ABSTIME, &abs, NULL);
        long long at = now_ns(clocks[i]);
        check(r == 0 && at >= until, tname("timer.sleep_abs_%s", names[i]),
              "to now + 80 ms: %s, woke %lld ms %s the time", errname((int)-r),
              (at > until ? at - until : until - at) / MS, at >= until ? "after" : "before");
    }
    struct kts32 past = { 1, 0 };
    long long t0 = now_ns(CLOCK_MONOTONIC);
    long r = cns(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL);
    check(r == 0 && now_ns(CLOCK_MONOTONIC) - t0 < 1000 * MS, "timer.sleep_abs_past",
          "to a time long past: %s", errname((int)-r));

    // A handler interrupts it: EINTR, with SA_RESTART too; rem for relative sleeps.
    for (int restart = 0; restart < 2; restart++) {
        set_info_handler(SIGALRM, on_sig, restart ? SA_RESTART : 0);
        hits = 0;
        set_itimer(ITIMER_REAL, 100, 0, NULL);
        struct kts32 req = { 2, 0 }, rem = { -1, -1 };
        r = cns(CLOCK_MONOTONIC, 0, &req, &rem);
        long long left = ts32_ns(rem);
        check(r == -EINTR && hits == 1 && left > 500 * MS && left <= 2 * SEC,
              restart ? "timer.sleep_eintr_sa_restart" : "timer.sleep_eintr_rem",
              "a 2 s sleep, SIGALRM after 100 ms%s: %s, rem %lld ms (Linux: EINTR, never "
              "restarted after a handler)", restart ? " (SA_RESTART)" : "", errname((int)-r),
              left / MS);
    }
    set_info_handler(SIGALRM, on_sig, SA_RESTART);
    set_itimer(ITIMER_REAL, 100, 0, NULL);
    long long until = now_ns(CLOCK_MONOTONIC) + 2 * SEC;
    struct kts32 abs = { (int32_t)(until / SEC), (int32_t)(until % SEC) }, rem = { 77, 77 };
    r = cns(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, &rem);
    check(r == -EINTR && rem.sec == 77 && rem.nsec == 77, "timer.sleep_abs_eintr_no_rem",
          "an absolute sleep, SIGALRM with SA_RESTART: %s, rem %d.%d (untouched is 77.77)",
          errname((int)-r), rem.sec, rem.nsec);
    // The C library's clock_nanosleep returns the error number itself.
    struct timespec bad = { 0, 1000000000 };
    int lr = clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL);
    check(lr == EINVAL, "timer.sleep_libc_returns_errno", "clock_nanosleep(tv_nsec = 1e9) in "
          "the C library returned %d, not EINVAL (%d)", lr, EINVAL);

    // A bad rem: EFAULT when the sleep is interrupted.
    set_itimer(ITIMER_REAL, 50, 0, NULL);
    struct kts32 one = { 1, 0 };
    check_err("timer.sleep_rem_efault", cns(CLOCK_MONOTONIC, 0, &one, (struct kts32 *)BAD), EFAULT);

    // The 64-bit call: rem as __kernel_timespec; only tv_nsec's low half counts.
    set_itimer(ITIMER_REAL, 100, 0, NULL);
    struct kts64 req64 = { 2, 0 }, rem64 = { -1, -1 };
    r = rs(NR_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, (long)&req64, (long)&rem64);
    check(r == -EINTR && rem64.sec >= 0 && rem64.sec <= 1 && rem64.nsec >= 0 && rem64.nsec < SEC &&
          rem64.sec * SEC + rem64.nsec > 500 * MS, "timer.sleep64_eintr_rem",
          "clock_nanosleep_time64 of 2 s cut short: %s, rem %lld.%09lld", errname((int)-r),
          (long long)rem64.sec, (long long)rem64.nsec);
    struct kts64 hi = { 0, (1LL << 32) | (20 * MS) };
    check_eq("timer.sleep64_nsec_low_half", 0,
             rs(NR_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, (long)&hi, 0));

    // Bad input, in Linux's order: the clock, then the time.
    struct kts32 nsec = { 0, 1000000000 }, neg = { -1, 0 }, ok = { 0, 1 };
    check_err("timer.sleep_nsec_1e9", cns(CLOCK_MONOTONIC, 0, &nsec, NULL), EINVAL);
    check_err("timer.sleep_sec_neg", cns(CLOCK_MONOTONIC, 0, &neg, NULL), EINVAL);
    check_err("timer.sleep_bad_clock", cns(99, 0, &ok, NULL), EINVAL);
    check_err("timer.sleep_bad_clock_first", cns(99, 0, (struct kts32 *)BAD, NULL), EINVAL);
    check_err("timer.sleep_raw_clock", cns(CLOCK_MONOTONIC_RAW, 0, &ok, NULL), EOPNOTSUPP);
    check_err("timer.sleep_thread_cpu", cns(CLOCK_THREAD_CPUTIME_ID, 0, &ok, NULL), EOPNOTSUPP);
    check_err("timer.sleep_req_efault", cns(CLOCK_MONOTONIC, 0, (struct kts32 *)BAD, NULL), EFAULT);
}

// A child sleeps (abs: to a time 1 s ahead; else 1 s), stopped from 100 ms
// to 800 ms: with no handler, the sleep goes on after SIGCONT to its first
// end, however long the stop. The child's exit code is how long it slept,
// in tenths of a second, or 250 + the error.
static void restart_case(int abs, const char *name)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    pid_t pid = xfork();
    if (pid == 0) {
        close(p[0]);
        long long t0 = now_ns(CLOCK_MONOTONIC);
        struct kts32 req = { 1, 0 };
        if (abs)
            req.sec = (int32_t)(t0 / SEC) + 1, req.nsec = (int32_t)(t0 % SEC);
        write(p[1], "s", 1);
        long r = cns(CLOCK_MONOTONIC, abs ? TIMER_ABSTIME : 0, &req, NULL);
        long long took = now_ns(CLOCK_MONOTONIC) - t0;
        _exit(r ? 250 + (int)(-r % 5) : (int)(took / (100 * MS)));
    }
    close(p[1]);
    char c;
    read(p[0], &c, 1);
    close(p[0]);
    sleep_ms(100);
    kill(pid, SIGSTOP);
    sleep_ms(700);
    kill(pid, SIGCONT);
    int st = wait_timed(pid, SIG_WAIT_MS);
    int tenths = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    check(tenths >= 10 && tenths < 15, name, "a 1 s sleep stopped for 0.7 s: %s after %d tenths "
          "of a second (restarted to its first end: 10; from scratch: 17 or more)",
          tenths >= 250 ? "failed" : "returned", tenths);
}

static void part_restart(void)
{
    restart_case(0, "timer.sleep_restart_same_end");
    restart_case(1, "timer.sleep_abs_restart");
}

// --- POSIX timers ---------------------------------------------------------------------

static long tcreate(int clock, struct ksigevent *ev, int *id)
{
    return rs(NR_timer_create, clock, (long)ev, (long)id, 0);
}

static long tset(int id, int flags, long long value_ns, long long interval_ns, struct kits32 *old)
{
    struct kits32 v = { { (int32_t)(interval_ns / SEC), (int32_t)(interval_ns % SEC) },
                        { (int32_t)(value_ns / SEC), (int32_t)(value_ns % SEC) } };
    return rs(NR_timer_settime, id, flags, (long)&v, (long)old);
}

static long long tleft(int id, long long *interval)
{
    struct kits32 c;
    if (rs(NR_timer_gettime, id, (long)&c, 0, 0) < 0)
        return -1;
    if (interval)
        *interval = ts32_ns(c.interval);
    return ts32_ns(c.value);
}

static void part_posix(void)
{
    set_info_handler(SIGUSR1, on_sig, 0);
    struct ksigevent ev = { 1234, SIGUSR1, SIGEV_SIGNAL, 0, { 0 } };
    int id0 = -1, id1 = -1;
    tcreate(CLOCK_MONOTONIC, &ev, &id0);
    tcreate(CLOCK_REALTIME, NULL, &id1);
    check(id0 == 0 && id1 == 1, "timer.posix_ids", "the first two timers of a process have ids "
          "%d and %d (Linux: 0 and 1)", id0, id1);

    // SIGEV_SIGNAL: the siginfo.
    tset(id0, 0, 50 * MS, 0, NULL);
    int came = wait_count(&hits, 1, SIG_WAIT_MS);
    check(came && last.si_code == SI_TIMER && last.si_timerid == id0 &&
          last.si_value.sival_int == 1234 && last.si_overrun == 0, "timer.posix_siginfo",
          "%d signals; si_code %d (SI_TIMER %d), si_timerid %d, si_value %d, si_overrun %d",
          (int)hits, last.si_code, SI_TIMER, last.si_timerid, last.si_value.sival_int,
          last.si_overrun);
    check(tleft(id0, NULL) == 0, "timer.posix_oneshot_done", "timer_gettime after a one-shot "
          "timer fired: %lld ns left", tleft(id0, NULL));

    // A NULL sigevent: SIGALRM, with the id as value.
    set_info_handler(SIGALRM, on_sig, 0);
    hits = 0;
    tset(id1, 0, 30 * MS, 0, NULL);
    came = wait_count(&hits, 1, SIG_WAIT_MS);
    check(came && last.si_signo == SIGALRM && last.si_value.sival_int == id1 &&
          last.si_timerid == id1, "timer.posix_null_sigevent",
          "%d signals: %d, si_value %d (the id is %d)", (int)hits, last.si_signo,
          last.si_value.sival_int, id1);

    // timer_gettime, timer_settime's old value, disarming.
    long long iv, left;
    tset(id0, 0, 10 * SEC, 250 * MS, NULL);
    left = tleft(id0, &iv);
    check(left > 9 * SEC && left <= 10 * SEC && iv == 250 * MS, "timer.posix_gettime",
          "10 s every 250 ms just set: %lld ms left, interval %lld ms", left / MS, iv / MS);
    struct kits32 old;
    tset(id0, 0, 0, 0, &old);
    check(ts32_ns(old.value) > 9 * SEC && ts32_ns(old.interval) == 250 * MS,
          "timer.posix_settime_old", "old value %lld ms every %lld ms", ts32_ns(old.value) / MS,
          ts32_ns(old.interval) / MS);
    left = tleft(id0, &iv);
    check(left == 0 && iv == 0, "timer.posix_disarm", "after setting 0: %lld ns left, interval "
          "%lld", left, iv);

    // Overruns: a periodic timer whose signal waits blocked.
    block_one(SIGUSR1);
    tset(id0, 0, 20 * MS, 20 * MS, NULL);
    sleep_ms(300);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    siginfo_t si;
    struct timespec wait1 = { 1, 0 };
    int got = sigtimedwait(&s, &si, &wait1);
    long ov = rs(NR_timer_getoverrun, id0, 0, 0, 0);
    check(got == SIGUSR1 && si.si_overrun >= 5 && si.si_overrun <= 40 && ov == si.si_overrun,
          "timer.posix_overrun", "a 20 ms timer, its signal blocked 300 ms: si_overrun %d, "
          "timer_getoverrun %ld", got == SIGUSR1 ? si.si_overrun : -1, ov);
    got = sigtimedwait(&s, &si, &wait1);
    check(got == SIGUSR1 && si.si_overrun <= 3, "timer.posix_goes_on_after_dequeue",
          "the next signal of the periodic timer: %d, overrun %d", got, si.si_overrun);
    tset(id0, 0, 0, 0, NULL);
    unblock_one(SIGUSR1);

    // TIMER_ABSTIME, on both clocks, and a time already past.
    static const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
    for (int i = 0; i < 2; i++) {
        int id;
        tcreate(clocks[i], &ev, &id);
        hits = 0;
        long long until = now_ns(clocks[i]) + 100 * MS;
        tset(id, TIMER_ABSTIME, until, 0, NULL);
        came = wait_count(&hits, 1, SIG_WAIT_MS);
        long long at = now_ns(clocks[i]);
        check(came && at >= until, tname("timer.posix_abstime_%s", i ? "realtime" : "monotonic"),
              "%d signals, %lld ms %s the time", (int)hits,
              (at > until ? at - until : until - at) / MS, at >= until ? "after" : "before");
        hits = 0;
        tset(id, TIMER_ABSTIME, SEC, 0, NULL);
        check(wait_count(&hits, 1, SIG_WAIT_MS), tname("timer.posix_abstime_past_%d", i),
              "set to a time long past: %d signals", (int)hits);
        rs(NR_timer_delete, id, 0, 0, 0);
    }

    // SIGEV_NONE: it counts, and sends nothing.
    struct ksigevent none = { 0, SIGUSR1, SIGEV_NONE, 0, { 0 } };
    int idn;
    tcreate(CLOCK_MONOTONIC, &none, &idn);
    hits = 0;
    tset(idn, 0, 30 * MS, 0, NULL);
    sleep_ms(60);
    left = tleft(idn, NULL);
    check(hits == 0 && left == 0, "timer.posix_sigev_none_oneshot",
          "a 30 ms SIGEV_NONE timer after 60 ms: %d signals, %lld ns left", (int)hits, left);
    tset(idn, 0, 20 * MS, 50 * MS, NULL);
    sleep_ms(100);
    left = tleft(idn, &iv);
    check(hits == 0 && left > 0 && left <= 50 * MS && iv == 50 * MS,
          "timer.posix_sigev_none_periodic", "%d signals, %lld ms left of a 50 ms period",
          (int)hits, left / MS);

    // The 64-bit calls.
    struct kits64 v64 = { { 0, 400 * MS }, { 7, 0 } }, c64;
    long r = rs(NR_timer_settime64, idn, 0, (long)&v64, 0);
    long r2 = rs(NR_timer_gettime64, idn, (long)&c64, 0, 0);
    check(r == 0 && r2 == 0 && c64.interval.sec == 0 && c64.interval.nsec == 400 * MS &&
          c64.value.sec >= 6 && c64.value.sec <= 7, "timer.posix_time64",
          "settime64 %s, gettime64 %s: %lld.%09lld every %lld.%09lld", errname((int)-r),
          errname((int)-r2), (long long)c64.value.sec, (long long)c64.value.nsec,
          (long long)c64.interval.sec, (long long)c64.interval.nsec);

    // Deleting.
    check_eq("timer.posix_delete", 0, rs(NR_timer_delete, idn, 0, 0, 0));
    check_err("timer.posix_delete_again", rs(NR_timer_delete, idn, 0, 0, 0), EINVAL);
    check_err("timer.posix_gettime_deleted", rs(NR_timer_gettime, idn, (long)&old, 0, 0), EINVAL);
    check_err("timer.posix_getoverrun_deleted", rs(NR_timer_getoverrun, idn, 0, 0, 0), EINVAL);
    check_err("timer.posix_settime_deleted", tset(idn, 0, SEC, 0, NULL), EINVAL);
}

static volatile int thread_tid;
static volatile sig_atomic_t thread_stop, notified;
static void *spin_thread(void *arg)
{
    (void)arg;
    thread_tid = (int)syscall(SYS_gettid);
    while (!thread_stop)
        sleep_ms(1);
    return NULL;
}

static void notify_fn(union sigval v)
{
    notified += v.sival_int;
}

static void part_threads(void)
{
    // SIGEV_THREAD_ID: the signal goes to that thread.
    set_info_handler(SIGUSR2, on_sig, 0);
    pthread_t t;
    if (!check(pthread_create(&t, NULL, spin_thread, NULL) == 0, "timer.posix_thread_started",
               "pthread_create failed"))
        return;
    while (!thread_tid)
        sleep_ms(1);
    struct ksigevent ev = { 5, SIGUSR2, SIGEV_THREAD_ID, thread_tid, { 0 } };
    int id = -1;
    long r = tcreate(CLOCK_MONOTONIC, &ev, &id);
    tset(id, 0, 30 * MS, 0, NULL);
    int came = wait_count(&hits, 1, SIG_WAIT_MS);
    check(r == 0 && came && hit_tid == thread_tid, "timer.posix_thread_id",
          "timer_create %s; %d signals, handled by thread %d (the timer names %d)",
          errname((int)-r), (int)hits, (int)hit_tid, thread_tid);
    thread_stop = 1;
    pthread_join(t, NULL);
    struct ksigevent other = { 5, SIGUSR2, SIGEV_THREAD_ID, getppid(), { 0 } };
    check_err("timer.posix_thread_id_other_process", tcreate(CLOCK_MONOTONIC, &other, &id), EINVAL);

    // musl's SIGEV_THREAD, built on SIGEV_THREAD_ID: the function runs.
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = notify_fn;
    sev.sigev_value.sival_int = 1;
    timer_t lt;
    int lr = timer_create(CLOCK_MONOTONIC, &sev, &lt);
    struct itimerspec its = { { 0, 0 }, { 0, 30 * MS } };
    if (lr == 0)
        timer_settime(lt, 0, &its, NULL);
    check(lr == 0 && wait_count(&notified, 1, SIG_WAIT_MS), "timer.posix_sigev_thread",
          "timer_create(SIGEV_THREAD) %s; the function ran %d times", lr ? strerror(errno) : "ok",
          (int)notified);
    if (lr == 0)
        timer_delete(lt);
}

static void part_posix_bad(void)
{
    int id;
    struct ksigevent ev = { 0, SIGUSR1, SIGEV_SIGNAL, 0, { 0 } };
    check_err("timer.create_bad_clock", tcreate(99, &ev, &id), EINVAL);
    check_err("timer.create_raw_clock", tcreate(CLOCK_MONOTONIC_RAW, &ev, &id), EOPNOTSUPP);
    struct ksigevent bad_notify = { 0, SIGUSR1, 99, 0, { 0 } }, sig0 = { 0, 0, SIGEV_SIGNAL, 0, { 0 } },
                     sig65 = { 0, 65, SIGEV_SIGNAL, 0, { 0 } };
    check_err("timer.create_bad_notify", tcreate(CLOCK_MONOTONIC, &bad_notify, &id), EINVAL);
    check_err("timer.create_signo_0", tcreate(CLOCK_MONOTONIC, &sig0, &id), EINVAL);
    check_err("timer.create_signo_65", tcreate(CLOCK_MONOTONIC, &sig65, &id), EINVAL);
    check_err("timer.create_sigevent_efault", tcreate(CLOCK_MONOTONIC, (struct ksigevent *)BAD, &id), EFAULT);
    check_err("timer.create_id_efault", tcreate(CLOCK_MONOTONIC, &ev, (int *)BAD), EFAULT);
    if (tcreate(CLOCK_MONOTONIC, &ev, &id) < 0)
        return;
    struct kits32 v = { { 0, 0 }, { 1, 0 } }, nsec = { { 0, 0 }, { 0, 1000000000 } },
                  ineg = { { 0, -1 }, { 1, 0 } };
    check_err("timer.settime_null", rs(NR_timer_settime, id, 0, 0, 0), EINVAL);
    check_err("timer.settime_efault", rs(NR_timer_settime, id, 0, BAD, 0), EFAULT);
    check_err("timer.settime_nsec_1e9", rs(NR_timer_settime, id, 0, (long)&nsec, 0), EINVAL);
    check_err("timer.settime_interval_neg", rs(NR_timer_settime, id, 0, (long)&ineg, 0), EINVAL);
    check_err("timer.settime_bad_id", rs(NR_timer_settime, 12345, 0, (long)&v, 0), EINVAL);
    check_err("timer.gettime_efault", rs(NR_timer_gettime, id, BAD, 0, 0), EFAULT);
    check_err("timer.gettime_bad_id", rs(NR_timer_gettime, -1, (long)&v, 0, 0), EINVAL);
    check_err("timer.getoverrun_bad_id", rs(NR_timer_getoverrun, 777, 0, 0, 0), EINVAL);
    check_err("timer.delete_bad_id", rs(NR_timer_delete, -5, 0, 0, 0), EINVAL);

    // A CPU-time clock: it fires while the process computes.
    struct ksigevent cpu = { 0, SIGUSR2, SIGEV_SIGNAL, 0, { 0 } };
    set_info_handler(SIGUSR2, on_sig, 0);
    hits = 0;
    int cid;
    long r = tcreate(CLOCK_PROCESS_CPUTIME_ID, &cpu, &cid);
    if (r == 0)
        tset(cid, 0, 50 * MS, 0, NULL);
    burn_until(&hits, 1, SIG_WAIT_MS);
    check(r == 0 && hits == 1 && last.si_code == SI_TIMER, "timer.posix_cpu_clock",
          "a timer of 50 ms of CPU time: create %s, %d signals", errname((int)-r), (int)hits);

    // Many timers, armed and periodic, left for exit to clean up.
    for (int i = 0; i < 50; i++) {
        if (tcreate(CLOCK_MONOTONIC, &cpu, &id) < 0)
            break;
        tset(id, 0, 5 * SEC, SEC, NULL);
    }
}

// --- fork and execve ------------------------------------------------------------------

static const char *self_path;

static void part_fork_exec(void)
{
    struct ksigevent ev = { 0, SIGUSR1, SIGEV_NONE, 0, { 0 } };
    int id = -1;
    tcreate(CLOCK_MONOTONIC, &ev, &id);
    tset(id, 0, 100 * SEC, 0, NULL);
    set_itimer(ITIMER_REAL, 100000, 0, NULL);
    set_itimer(ITIMER_VIRTUAL, 100000, 0, NULL);
    set_itimer(ITIMER_PROF, 100000, 0, NULL);
    pid_t pid = xfork();
    if (pid == 0) {
        long long r = itimer_left_ms(ITIMER_REAL, NULL), v = itimer_left_ms(ITIMER_VIRTUAL, NULL),
                  p = itimer_left_ms(ITIMER_PROF, NULL);
        check(r == 0 && v == 0 && p == 0, "timer.fork_no_itimers",
              "in the fork child: ITIMER_REAL %lld ms, VIRTUAL %lld, PROF %lld", r, v, p);
        struct kits32 c;
        check_err("timer.fork_no_posix_timer", rs(NR_timer_gettime, id, (long)&c, 0, 0), EINVAL);
        int cid = -1;
        tcreate(CLOCK_MONOTONIC, &ev, &cid);
        check(cid == 0, "timer.fork_child_ids_from_0", "the child's first timer id: %d", cid);
        _exit(test_status());
    }
    int st = wait_timed(pid, SIG_WAIT_MS);
    check(st == 0, "timer.fork_child", "the fork child %s", wstr(st));
    // Now this process itself runs the test again, which checks what it
    // finds (exec_child) and ends the part with its status.
    char idstr[16];
    snprintf(idstr, sizeof idstr, "%d", id);
    char *argv[] = { "t_timer", "exec-child", idstr, NULL };
    execve(self_path, argv, (char *[]){ NULL });
    fail("timer.exec", "execve(%s): %s", self_path, strerror(errno));
}

// After execve (argv[2]: the id of the timer made before it).
static int exec_child(int id)
{
    long long r = itimer_left_ms(ITIMER_REAL, NULL), v = itimer_left_ms(ITIMER_VIRTUAL, NULL),
              p = itimer_left_ms(ITIMER_PROF, NULL);
    check(r > 90000 && v > 90000 && p > 90000, "timer.exec_keeps_itimers",
          "after execve: ITIMER_REAL %lld ms, VIRTUAL %lld, PROF %lld (100 s before)", r, v, p);
    long a = rs(NR_alarm, 0, 0, 0, 0);
    check(a > 90 && a <= 100, "timer.exec_keeps_alarm", "alarm(0) after execve: %ld s", a);
    struct kits32 c;
    check_err("timer.exec_deletes_posix_timers", rs(NR_timer_gettime, id, (long)&c, 0, 0), EINVAL);
    return test_status();
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "exec-child") == 0)
        return exec_child(atoi(argv[2]));
    self_path = rootpath("/tests/t_timer");
    static const struct sig_part parts[] = {
        { "alarm", part_alarm },
        { "itimer", part_itimer },
        { "sleep", part_sleep },
        { "restart", part_restart },
        { "posix", part_posix },
        { "threads", part_threads },
        { "posix_bad", part_posix_bad },
        { "fork_exec", part_fork_exec },
    };
    return sig_run_parts("timer", parts, sizeof parts / sizeof parts[0]);
}
