// t_timer: alarm, the interval timers and clock_nanosleep, as alarm(2),
// setitimer(2) and clock_nanosleep(2) say (POSIX timers, and what fork and
// execve do to timers: t_ptimer):
//
//   - alarm returns the seconds left, rounded; SIGALRM comes, SI_KERNEL;
//   - setitimer/getitimer: the time left, the interval kept, ITIMER_REAL
//     reloaded only when its SIGALRM is taken, the CPU-time timers firing
//     while the process computes, EINVAL and EFAULT where Linux gives them;
//   - clock_nanosleep: relative and absolute sleeps on three clocks; a
//     handler makes it fail with EINTR (SA_RESTART or not) and a relative
//     sleep writes rem; a stop and continue without a handler restarts it
//     to the same end; the 64-bit call; bad input;
// and that MemFree comes back.
//
// Times are checked with generous margins: bunshin's clock moves in 10 ms
// ticks and QEMU may be slow, so no check is tighter than a few ticks.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"
#include "timer_common.h"

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
    long long iv = -1, left = itimer_left_ms(ITIMER_REAL, &iv);
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

int main(void)
{
    static const struct sig_part parts[] = {
        { "alarm", part_alarm },
        { "itimer", part_itimer },
        { "sleep", part_sleep },
        { "restart", part_restart },
    };
    return sig_run_parts("timer", parts, sizeof parts / sizeof parts[0]);
}
