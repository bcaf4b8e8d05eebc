// t_ptimer: POSIX timers, and what fork and execve do to timers, as
// timer_create(2), timer_settime(2), timer_getoverrun(2), fork(2) and
// execve(2) say:
//
//   - ids 0, 1...; SIGEV_SIGNAL's siginfo (SI_TIMER, id, value), a NULL
//     sigevent, SIGEV_NONE, SIGEV_THREAD_ID, musl's SIGEV_THREAD, overruns,
//     TIMER_ABSTIME, timer_gettime, the 64-bit calls, deleting, a CPU-time
//     clock (a timer, and a sleep), bad input;
//   - fork: the child has no timers; execve keeps the interval timers and
//     deletes the POSIX ones;
// and that MemFree comes back after processes exited with timers armed.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"
#include "timer_common.h"

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
    check(id0 == 0 && id1 == 1, "ptimer.posix_ids", "the first two timers of a process have ids "
          "%d and %d (Linux: 0 and 1)", id0, id1);

    // SIGEV_SIGNAL: the siginfo.
    tset(id0, 0, 50 * MS, 0, NULL);
    int came = wait_count(&hits, 1, SIG_WAIT_MS);
    check(came && last.si_code == SI_TIMER && last.si_timerid == id0 &&
          last.si_value.sival_int == 1234 && last.si_overrun == 0, "ptimer.posix_siginfo",
          "%d signals; si_code %d (SI_TIMER %d), si_timerid %d, si_value %d, si_overrun %d",
          (int)hits, last.si_code, SI_TIMER, last.si_timerid, last.si_value.sival_int,
          last.si_overrun);
    check(tleft(id0, NULL) == 0, "ptimer.posix_oneshot_done", "timer_gettime after a one-shot "
          "timer fired: %lld ns left", tleft(id0, NULL));

    // A NULL sigevent: SIGALRM, with the id as value.
    set_info_handler(SIGALRM, on_sig, 0);
    hits = 0;
    tset(id1, 0, 30 * MS, 0, NULL);
    came = wait_count(&hits, 1, SIG_WAIT_MS);
    check(came && last.si_signo == SIGALRM && last.si_value.sival_int == id1 &&
          last.si_timerid == id1, "ptimer.posix_null_sigevent",
          "%d signals: %d, si_value %d (the id is %d)", (int)hits, last.si_signo,
          last.si_value.sival_int, id1);

    // timer_gettime, timer_settime's old value, disarming.
    long long iv = -1, left;
    tset(id0, 0, 10 * SEC, 250 * MS, NULL);
    left = tleft(id0, &iv);
    check(left > 9 * SEC && left <= 10 * SEC && iv == 250 * MS, "ptimer.posix_gettime",
          "10 s every 250 ms just set: %lld ms left, interval %lld ms", left / MS, iv / MS);
    struct kits32 old;
    tset(id0, 0, 0, 0, &old);
    check(ts32_ns(old.value) > 9 * SEC && ts32_ns(old.interval) == 250 * MS,
          "ptimer.posix_settime_old", "old value %lld ms every %lld ms", ts32_ns(old.value) / MS,
          ts32_ns(old.interval) / MS);
    left = tleft(id0, &iv);
    check(left == 0 && iv == 0, "ptimer.posix_disarm", "after setting 0: %lld ns left, interval "
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
          "ptimer.posix_overrun", "a 20 ms timer, its signal blocked 300 ms: si_overrun %d, "
          "timer_getoverrun %ld", got == SIGUSR1 ? si.si_overrun : -1, ov);
    got = sigtimedwait(&s, &si, &wait1);
    check(got == SIGUSR1 && si.si_overrun <= 3, "ptimer.posix_goes_on_after_dequeue",
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
        check(came && at >= until, tname("ptimer.posix_abstime_%s", i ? "realtime" : "monotonic"),
              "%d signals, %lld ms %s the time", (int)hits,
              (at > until ? at - until : until - at) / MS, at >= until ? "after" : "before");
        hits = 0;
        tset(id, TIMER_ABSTIME, SEC, 0, NULL);
        check(wait_count(&hits, 1, SIG_WAIT_MS), tname("ptimer.posix_abstime_past_%d", i),
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
    check(hits == 0 && left == 0, "ptimer.posix_sigev_none_oneshot",
          "a 30 ms SIGEV_NONE timer after 60 ms: %d signals, %lld ns left", (int)hits, left);
    tset(idn, 0, 20 * MS, 50 * MS, NULL);
    sleep_ms(100);
    left = tleft(idn, &iv);
    check(hits == 0 && left > 0 && left <= 50 * MS && iv == 50 * MS,
          "ptimer.posix_sigev_none_periodic", "%d signals, %lld ms left of a 50 ms period",
          (int)hits, left / MS);

    // The 64-bit calls.
    struct kits64 v64 = { { 0, 400 * MS }, { 7, 0 } }, c64;
    long r = rs(NR_timer_settime64, idn, 0, (long)&v64, 0);
    long r2 = rs(NR_timer_gettime64, idn, (long)&c64, 0, 0);
    check(r == 0 && r2 == 0 && c64.interval.sec == 0 && c64.interval.nsec == 400 * MS &&
          c64.value.sec >= 6 && c64.value.sec <= 7, "ptimer.posix_time64",
          "settime64 %s, gettime64 %s: %lld.%09lld every %lld.%09lld", errname((int)-r),
          errname((int)-r2), (long long)c64.value.sec, (long long)c64.value.nsec,
          (long long)c64.interval.sec, (long long)c64.interval.nsec);

    // Deleting.
    check_eq("ptimer.posix_delete", 0, rs(NR_timer_delete, idn, 0, 0, 0));
    check_err("ptimer.posix_delete_again", rs(NR_timer_delete, idn, 0, 0, 0), EINVAL);
    check_err("ptimer.posix_gettime_deleted", rs(NR_timer_gettime, idn, (long)&old, 0, 0), EINVAL);
    check_err("ptimer.posix_getoverrun_deleted", rs(NR_timer_getoverrun, idn, 0, 0, 0), EINVAL);
    check_err("ptimer.posix_settime_deleted", tset(idn, 0, SEC, 0, NULL), EINVAL);
}

static volatile int thread_tid;
static volatile sig_atomic_t thread_stop, notified;
static volatile sig_atomic_t burning;
// A thread that waits (or computes, while burning is set) until told to stop.
static void *spin_thread(void *arg)
{
    (void)arg;
    thread_tid = (int)syscall(SYS_gettid);
    while (!thread_stop)
        if (!burning)
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
    if (!check(pthread_create(&t, NULL, spin_thread, NULL) == 0, "ptimer.posix_thread_started",
               "pthread_create failed"))
        return;
    while (!thread_tid)
        sleep_ms(1);
    struct ksigevent ev = { 5, SIGUSR2, SIGEV_THREAD_ID, thread_tid, { 0 } };
    int id = -1;
    long r = tcreate(CLOCK_MONOTONIC, &ev, &id);
    tset(id, 0, 30 * MS, 0, NULL);
    int came = wait_count(&hits, 1, SIG_WAIT_MS);
    check(r == 0 && came && hit_tid == thread_tid, "ptimer.posix_thread_id",
          "timer_create %s; %d signals, handled by thread %d (the timer names %d)",
          errname((int)-r), (int)hits, (int)hit_tid, thread_tid);
    // A sleep on the process's CPU clock ends while another thread computes.
    burning = 1;
    struct kts32 cpu50 = { 0, 50 * MS };
    r = rs(NR_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, (long)&cpu50, 0);
    burning = 0;
    check(r == 0, "ptimer.sleep_process_cpu_clock", "50 ms on CLOCK_PROCESS_CPUTIME_ID while "
          "another thread computes: %s", errname((int)-r));
    thread_stop = 1;
    pthread_join(t, NULL);
    struct ksigevent other = { 5, SIGUSR2, SIGEV_THREAD_ID, getppid(), { 0 } };
    check_err("ptimer.posix_thread_id_other_process", tcreate(CLOCK_MONOTONIC, &other, &id), EINVAL);

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
    check(lr == 0 && wait_count(&notified, 1, SIG_WAIT_MS), "ptimer.posix_sigev_thread",
          "timer_create(SIGEV_THREAD) %s; the function ran %d times", lr ? strerror(errno) : "ok",
          (int)notified);
    if (lr == 0)
        timer_delete(lt);
}

static void part_posix_bad(void)
{
    int id;
    struct ksigevent ev = { 0, SIGUSR1, SIGEV_SIGNAL, 0, { 0 } };
    check_err("ptimer.create_bad_clock", tcreate(99, &ev, &id), EINVAL);
    check_err("ptimer.create_raw_clock", tcreate(CLOCK_MONOTONIC_RAW, &ev, &id), EOPNOTSUPP);
    struct ksigevent bad_notify = { 0, SIGUSR1, 99, 0, { 0 } }, sig0 = { 0, 0, SIGEV_SIGNAL, 0, { 0 } },
                     sig65 = { 0, 65, SIGEV_SIGNAL, 0, { 0 } };
    check_err("ptimer.create_bad_notify", tcreate(CLOCK_MONOTONIC, &bad_notify, &id), EINVAL);
    check_err("ptimer.create_signo_0", tcreate(CLOCK_MONOTONIC, &sig0, &id), EINVAL);
    check_err("ptimer.create_signo_65", tcreate(CLOCK_MONOTONIC, &sig65, &id), EINVAL);
    check_err("ptimer.create_sigevent_efault", tcreate(CLOCK_MONOTONIC, (struct ksigevent *)BAD, &id), EFAULT);
    check_err("ptimer.create_id_efault", tcreate(CLOCK_MONOTONIC, &ev, (int *)BAD), EFAULT);
    if (tcreate(CLOCK_MONOTONIC, &ev, &id) < 0)
        return;
    struct kits32 v = { { 0, 0 }, { 1, 0 } }, nsec = { { 0, 0 }, { 0, 1000000000 } },
                  ineg = { { 0, -1 }, { 1, 0 } };
    check_err("ptimer.settime_null", rs(NR_timer_settime, id, 0, 0, 0), EINVAL);
    check_err("ptimer.settime_efault", rs(NR_timer_settime, id, 0, BAD, 0), EFAULT);
    check_err("ptimer.settime_nsec_1e9", rs(NR_timer_settime, id, 0, (long)&nsec, 0), EINVAL);
    check_err("ptimer.settime_interval_neg", rs(NR_timer_settime, id, 0, (long)&ineg, 0), EINVAL);
    check_err("ptimer.settime_bad_id", rs(NR_timer_settime, 12345, 0, (long)&v, 0), EINVAL);
    check_err("ptimer.gettime_efault", rs(NR_timer_gettime, id, BAD, 0, 0), EFAULT);
    check_err("ptimer.gettime_bad_id", rs(NR_timer_gettime, -1, (long)&v, 0, 0), EINVAL);
    check_err("ptimer.getoverrun_bad_id", rs(NR_timer_getoverrun, 777, 0, 0, 0), EINVAL);
    check_err("ptimer.delete_bad_id", rs(NR_timer_delete, -5, 0, 0, 0), EINVAL);

    // A CPU-time clock: it fires while the process computes.
    struct ksigevent cpu = { 0, SIGUSR2, SIGEV_SIGNAL, 0, { 0 } };
    set_info_handler(SIGUSR2, on_sig, 0);
    hits = 0;
    int cid;
    long r = tcreate(CLOCK_PROCESS_CPUTIME_ID, &cpu, &cid);
    if (r == 0)
        tset(cid, 0, 50 * MS, 0, NULL);
    burn_until(&hits, 1, SIG_WAIT_MS);
    check(r == 0 && hits == 1 && last.si_code == SI_TIMER, "ptimer.posix_cpu_clock",
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
        check(r == 0 && v == 0 && p == 0, "ptimer.fork_no_itimers",
              "in the fork child: ITIMER_REAL %lld ms, VIRTUAL %lld, PROF %lld", r, v, p);
        struct kits32 c;
        check_err("ptimer.fork_no_posix_timer", rs(NR_timer_gettime, id, (long)&c, 0, 0), EINVAL);
        int cid = -1;
        tcreate(CLOCK_MONOTONIC, &ev, &cid);
        check(cid == 0, "ptimer.fork_child_ids_from_0", "the child's first timer id: %d", cid);
        _exit(test_status());
    }
    int st = wait_timed(pid, SIG_WAIT_MS);
    check(st == 0, "ptimer.fork_child", "the fork child %s", wstr(st));
    // Now this process itself runs the test again, which checks what it
    // finds (exec_child) and ends the part with its status.
    char idstr[16];
    snprintf(idstr, sizeof idstr, "%d", id);
    char *argv[] = { "t_ptimer", "exec-child", idstr, NULL };
    execve(self_path, argv, (char *[]){ NULL });
    fail("ptimer.exec", "execve(%s): %s", self_path, strerror(errno));
}

// After execve (argv[2]: the id of the timer made before it).
static int exec_child(int id)
{
    long long r = itimer_left_ms(ITIMER_REAL, NULL), v = itimer_left_ms(ITIMER_VIRTUAL, NULL),
              p = itimer_left_ms(ITIMER_PROF, NULL);
    check(r > 90000 && v > 90000 && p > 90000, "ptimer.exec_keeps_itimers",
          "after execve: ITIMER_REAL %lld ms, VIRTUAL %lld, PROF %lld (100 s before)", r, v, p);
    long a = rs(NR_alarm, 0, 0, 0, 0);
    check(a > 90 && a <= 100, "ptimer.exec_keeps_alarm", "alarm(0) after execve: %ld s", a);
    struct kits32 c;
    check_err("ptimer.exec_deletes_posix_timers", rs(NR_timer_gettime, id, (long)&c, 0, 0), EINVAL);
    return test_status();
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "exec-child") == 0)
        return exec_child(atoi(argv[2]));
    self_path = rootpath("/tests/t_ptimer");
    static const struct sig_part parts[] = {
        { "posix", part_posix },
        { "threads", part_threads },
        { "posix_bad", part_posix_bad },
        { "fork_exec", part_fork_exec },
    };
    return sig_run_parts("ptimer", parts, sizeof parts / sizeof parts[0]);
}
