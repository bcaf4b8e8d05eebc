// t_libc_signal: musl's signal, timer, clock and credential functions that
// take the kernel through less common paths.
//
//   - siginfo as the handler sees it: kill (SI_USER, pid, uid), raise
//     (SI_TKILL), sigqueue (SI_QUEUE and its value), a child's exit
//     (CLD_EXITED, status); sigwaitinfo; real-time signals queue and come
//     in order, a standard one pending twice comes once;
//   - a SIGSEGV handler reads trapno 14, the write bit of the error code
//     and cr2 from uc_mcontext, and moves eip past the faulting store;
//   - SA_RESETHAND: SIG_DFL after one delivery, the flags still read back;
//   - SA_RESTART restarts a read on a pipe, without it read is EINTR;
//     sigsuspend returns EINTR with the old mask back;
//   - timer_create with SIGEV_SIGNAL (SI_TIMER, the value) and with
//     SIGEV_THREAD (musl: a helper thread told by SIGEV_THREAD_ID);
//   - pthread_getcpuclockid and clock_getcpuclockid (the CPU-time clock
//     ids of a thread and of another process) read times that grow;
//   - clock_nanosleep with TIMER_ABSTIME;
//   - pthread_setname_np/pthread_getname_np (/proc/self/task/TID/comm);
//     another process's comm cannot be written (EINVAL);
//   - setgid/setuid in a process of three threads: musl's __synccall
//     signals each thread, and every thread ends with the new ids;
//   - fchmodat with AT_SYMLINK_NOFOLLOW (musl: an O_PATH open, then
//     /proc/self/fd/N): a file changes, a symlink is EOPNOTSUPP;
//   - fexecve of a descriptor;
//   - sysconf's processors and pages, getentropy.
// On bunshin, MemFree is back where it started at the end.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "bunshin.h"

extern char **environ;

// --- siginfo ------------------------------------------------------------------

static volatile int info_count;
static siginfo_t infos[8];

static void on_info(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    if (info_count < 8)
        infos[info_count] = *si;
    info_count++;
}

static void catch_info(int sig)
{
    struct sigaction sa = { .sa_sigaction = on_info, .sa_flags = SA_SIGINFO };
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void test_siginfo(void)
{
    catch_info(SIGUSR1);
    info_count = 0;
    kill(getpid(), SIGUSR1);
    int k_ok = info_count == 1 && infos[0].si_signo == SIGUSR1 && infos[0].si_code == SI_USER &&
               infos[0].si_pid == getpid() && infos[0].si_uid == getuid();
    check(k_ok, "siginfo.kill", "count %d signo %d code %d pid %d uid %d", info_count,
          infos[0].si_signo, infos[0].si_code, (int)infos[0].si_pid, (int)infos[0].si_uid);
    info_count = 0;
    raise(SIGUSR1);
    check(info_count == 1 && infos[0].si_code == SI_TKILL && infos[0].si_pid == getpid(),
          "siginfo.raise", "count %d code %d pid %d", info_count, infos[0].si_code,
          (int)infos[0].si_pid);
    info_count = 0;
    sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 4242 });
    check(info_count == 1 && infos[0].si_code == SI_QUEUE && infos[0].si_value.sival_int == 4242
          && infos[0].si_pid == getpid(), "siginfo.sigqueue", "count %d code %d value %d",
          info_count, infos[0].si_code, infos[0].si_value.sival_int);
    signal(SIGUSR1, SIG_DFL);

    // Queued real-time signals, blocked, then taken with sigwaitinfo.
    int rt = SIGRTMIN + 1;
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, rt);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, &old);
    for (int i = 0; i < 3; i++)
        sigqueue(getpid(), rt, (union sigval){ .sival_int = 10 + i });
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGUSR2);
    int order_ok = 1, n_rt = 0, n_usr2 = 0;
    struct timespec zero = { 0, 0 };
    siginfo_t si;
    int s;
    while ((s = sigtimedwait(&set, &si, &zero)) > 0) {
        if (s == rt) {
            if (si.si_value.sival_int != 10 + n_rt)
                order_ok = 0;
            n_rt++;
        } else if (s == SIGUSR2) {
            n_usr2++;
        }
    }
    int e_end = errno;
    check(order_ok && n_rt == 3 && n_usr2 == 1 && s == -1 && e_end == EAGAIN,
          "sigwaitinfo.queue", "rt %d in order %d, usr2 %d, end %d %s", n_rt, order_ok,
          n_usr2, s, errname(e_end));

    pid_t pid = xfork();
    if (pid == 0)
        _exit(7);
    struct timespec five = { 5, 0 };
    s = sigtimedwait(&set, &si, &five);
    int st = wait_for(pid);
    check(s == SIGCHLD && si.si_code == CLD_EXITED && si.si_pid == pid && si.si_status == 7 &&
          exited_with(st, 7), "siginfo.sigchld", "signal %d code %d pid %d status %d", s,
          si.si_code, (int)si.si_pid, si.si_status);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

// --- the ucontext of a fault -----------------------------------------------------

static volatile int fault_trapno = -1, fault_err = -1;
static volatile unsigned long fault_cr2;
extern char store_insn[], after_store[];

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = ucv;
    fault_trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
    fault_err = uc->uc_mcontext.gregs[REG_ERR];
    fault_cr2 = uc->uc_mcontext.cr2;
    if ((uintptr_t)uc->uc_mcontext.gregs[REG_EIP] == (uintptr_t)store_insn)
        uc->uc_mcontext.gregs[REG_EIP] = (greg_t)(uintptr_t)after_store;
}

static void test_ucontext(void)
{
    struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    int *addr = (int *)0x10;
    __asm__ volatile("store_insn: movl $1, (%0)\n"
                     "after_store:\n" : : "r"(addr) : "memory");
    signal(SIGSEGV, SIG_DFL);
    check(fault_trapno == 14 && (fault_err & 2) && (fault_err & 4) && fault_cr2 == 0x10,
          "ucontext.fault_fields", "trapno %d err %#x cr2 %#lx", fault_trapno, fault_err,
          fault_cr2);
}

// --- restarts -----------------------------------------------------------------------

static void on_alarm(int sig)
{
    (void)sig;
}

static ssize_t read_with_alarm(int restart, int *err)
{
    int p[2];
    pipe(p);
    struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0 };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    pid_t writer = xfork();
    if (writer == 0) {
        sleep_ms(150);
        write(p[1], "w", 1);
        _exit(0);
    }
    struct itimerval it = { { 0, 0 }, { 0, 50000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    char c;
    errno = 0;
    ssize_t n = read(p[0], &c, 1);
    *err = errno;
    wait_for(writer);
    close(p[0]);
    close(p[1]);
    signal(SIGALRM, SIG_DFL);
    return n;
}

static void on_once(int sig)
{
    (void)sig;
    info_count++;
}

static void test_restart(void)
{
    // SA_RESETHAND: the next one takes the default action, and sigaction
    // still reads the flags (Linux keeps them, with SA_RESTORER).
    struct sigaction once = { .sa_handler = on_once, .sa_flags = SA_RESETHAND | SA_NODEFER };
    sigemptyset(&once.sa_mask);
    sigaction(SIGWINCH, &once, NULL);
    info_count = 0;
    raise(SIGWINCH);
    struct sigaction reset;
    sigaction(SIGWINCH, NULL, &reset);
    check(info_count == 1 && reset.sa_handler == SIG_DFL &&
          (reset.sa_flags & (SA_RESETHAND | SA_NODEFER)) == (SA_RESETHAND | SA_NODEFER),
          "sa_resethand.keeps_flags", "handled %d, handler %s, flags %#x", info_count,
          reset.sa_handler == SIG_DFL ? "SIG_DFL" : "still set", (unsigned)reset.sa_flags);

    int e1, e2;
    ssize_t r1 = read_with_alarm(1, &e1);
    ssize_t r2 = read_with_alarm(0, &e2);
    check(r1 == 1 && r2 == -1 && e2 == EINTR, "sa_restart.read",
          "with SA_RESTART %zd, without %zd %s", r1, r2, errname(e2));

    sigset_t block, old, during, after;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    catch_info(SIGUSR1);
    info_count = 0;
    kill(getpid(), SIGUSR1);           // pending until sigsuspend
    sigemptyset(&during);
    sigaddset(&during, SIGHUP);
    errno = 0;
    int r = sigsuspend(&during);
    int e = errno;
    sigprocmask(SIG_BLOCK, NULL, &after);
    check(r == -1 && e == EINTR && info_count == 1 && sigismember(&after, SIGUSR1) &&
          sigismember(&after, SIGHUP), "sigsuspend.mask", "%d %s handled %d, mask back %d %d",
          r, errname(e), info_count, sigismember(&after, SIGUSR1), sigismember(&after, SIGHUP));
    signal(SIGUSR1, SIG_DFL);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

// --- timers -------------------------------------------------------------------------

static volatile int thread_timer_fired;
static volatile pid_t thread_timer_tid;
static volatile int thread_timer_value;

static void timer_thread_fn(union sigval v)
{
    thread_timer_value = v.sival_int;
    thread_timer_tid = gettid();
    thread_timer_fired++;
}

static void test_timers(void)
{
    catch_info(SIGUSR2);
    info_count = 0;
    timer_t t;
    struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2,
                           .sigev_value.sival_int = 77 };
    int r = timer_create(CLOCK_MONOTONIC, &ev, &t);
    struct itimerspec its = { { 0, 0 }, { 0, 20 * 1000 * 1000 } };
    timer_settime(t, 0, &its, NULL);
    for (int i = 0; i < 100 && !info_count; i++)
        sleep_ms(5);
    check(r == 0 && info_count == 1 && infos[0].si_code == SI_TIMER &&
          infos[0].si_value.sival_int == 77, "timer.sigev_signal", "create %d count %d code %d"
          " value %d", r, info_count, infos[0].si_code, infos[0].si_value.sival_int);
    timer_delete(t);
    signal(SIGUSR2, SIG_DFL);

    struct sigevent tev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = timer_thread_fn,
                            .sigev_value.sival_int = 99 };
    r = timer_create(CLOCK_REALTIME, &tev, &t);
    struct itimerspec per = { { 0, 20 * 1000 * 1000 }, { 0, 20 * 1000 * 1000 } };
    if (r == 0)
        timer_settime(t, 0, &per, NULL);
    for (int i = 0; i < 200 && thread_timer_fired < 3; i++)
        sleep_ms(5);
    if (r == 0)
        timer_delete(t);
    check(r == 0 && thread_timer_fired >= 3 && thread_timer_value == 99 &&
          thread_timer_tid != getpid() && thread_timer_tid > 0, "timer.sigev_thread",
          "create %s, fired %d value %d in tid %d (main %d)", errname(r), thread_timer_fired,
          thread_timer_value, (int)thread_timer_tid, (int)getpid());
    sleep_ms(20);
}

// --- CPU clocks, absolute sleeps -------------------------------------------------

static volatile int spin_stop;

static void *spinner(void *arg)
{
    (void)arg;
    while (!spin_stop)
        ;
    return NULL;
}

static long long clock_read_ns(clockid_t c)
{
    struct timespec ts;
    if (clock_gettime(c, &ts) != 0)
        return -1;
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void test_clocks(void)
{
    pthread_t t;
    spin_stop = 0;
    pthread_create(&t, NULL, spinner, NULL);
    clockid_t tc;
    int r = pthread_getcpuclockid(t, &tc);
    long long a = clock_read_ns(tc);
    sleep_ms(100);
    long long b = clock_read_ns(tc);
    long long mine = clock_read_ns(CLOCK_THREAD_CPUTIME_ID);
    struct timespec zero = { 0, 0 };
    errno = 0;
    int set = clock_settime(tc, &zero);     // a CPU clock cannot be set: EPERM
    int e_set = errno;
    spin_stop = 1;
    pthread_join(t, NULL);
    check(r == 0 && a >= 0 && b - a >= 10 * 1000000LL && mine >= 0 && mine < b, "clock.thread_cpu",
          "getcpuclockid %d, thread clock %lld -> %lld ns, mine %lld", r, a, b, mine);
    check(set == -1 && e_set == EPERM, "clock.settime_cpu_eperm", "%d %s", set, errname(e_set));

    pid_t pid = xfork();
    if (pid == 0) {
        long long end = mono_ns() + 2000 * 1000000LL;
        while (mono_ns() < end)
            ;
        _exit(0);
    }
    clockid_t pc;
    int r2 = clock_getcpuclockid(pid, &pc);
    sleep_ms(100);
    long long c = r2 == 0 ? clock_read_ns(pc) : -1;
    kill(pid, SIGKILL);
    wait_for(pid);
    check(r2 == 0 && c >= 10 * 1000000LL, "clock.process_cpu", "getcpuclockid %d, child's clock %lld ns",
          r2, c);
    clockid_t gone;
    check_eq("clock.cpuclockid_gone", EINVAL, clock_getcpuclockid(pid, &gone));

    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    long long start = mono_ns();
    until.tv_nsec += 50 * 1000 * 1000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    int r3 = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
    long long took = (mono_ns() - start) / 1000000;
    struct timespec past = { 1, 0 };
    int r4 = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL);
    int r5 = clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &past, NULL);
    check(r3 == 0 && took >= 49 && took < 2000 && r4 == 0 && r5 == EINVAL,
          "clock_nanosleep.abstime", "%d after %lld ms, past %d, thread clock %s", r3, took, r4,
          errname(r5));
}

// --- thread names, credentials in threads --------------------------------------------

static volatile int cred_stop;

static void *cred_waiter(void *arg)
{
    *(volatile pid_t *)arg = gettid();
    while (!cred_stop)
        sleep_ms(2);
    return (void *)(intptr_t)(getuid() == 1000 && geteuid() == 1000 && getgid() == 1000);
}

static void cred_child(void *arg)
{
    (void)arg;
    volatile pid_t tids[2] = { 0, 0 };
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, cred_waiter, (void *)&tids[i]);
    while (!tids[0] || !tids[1])
        sleep_ms(1);
    int rg = setgid(1000), ru = setuid(1000);
    int bad = 0;
    for (int i = 0; i < 2; i++) {
        char path[64], buf[2048];
        snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)tids[i]);
        if (read_file(path, buf, sizeof buf) < 0) {
            bad |= 4;
            continue;
        }
        char *u = strstr(buf, "\nUid:");
        unsigned a = 9, b = 9, c = 9, d = 9;
        if (!u || sscanf(u, "\nUid: %u %u %u %u", &a, &b, &c, &d) != 4 || a != 1000 ||
            b != 1000 || c != 1000 || d != 1000)
            bad |= 1;
    }
    cred_stop = 1;
    for (int i = 0; i < 2; i++) {
        void *r;
        pthread_join(t[i], &r);
        if (!r)
            bad |= 2;
    }
    if (rg != 0 || ru != 0 || bad) {
        say("FAIL setuid.all_threads: setgid %d setuid %d, bad %#x (1: /proc status, "
            "2: the thread's own ids, 4: no status file)", rg, ru, bad);
        _exit(1);
    }
    _exit(0);
}

static void *named_thread(void *arg)
{
    while (!*(volatile int *)arg)
        sleep_ms(1);
    return NULL;
}

static void test_names_creds(void)
{
    volatile int stop = 0;
    pthread_t t;
    pthread_create(&t, NULL, named_thread, (void *)&stop);
    int r1 = pthread_setname_np(t, "libc-worker");
    char name[32] = "";
    int r2 = pthread_getname_np(t, name, sizeof name);
    errno = 0;
    int r3 = pthread_setname_np(t, "a-name-far-too-long-for-comm");
    stop = 1;
    pthread_join(t, NULL);
    check(r1 == 0 && r2 == 0 && strcmp(name, "libc-worker") == 0 && r3 == ERANGE,
          "pthread.setname", "set %d get %d \"%s\", too long %s", r1, r2, name, errname(r3));
    // Another process's comm cannot be written (EINVAL), only read.
    pid_t pid = xfork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
    int fd = open(path, O_WRONLY);
    errno = 0;
    ssize_t w = fd >= 0 ? write(fd, "other", 5) : -2;
    int e = errno;
    if (fd >= 0)
        close(fd);
    kill(pid, SIGKILL);
    wait_for(pid);
    check(fd >= 0 && w == -1 && e == EINVAL, "comm.other_process", "open %d write %zd %s", fd,
          w, errname(e));

    if (geteuid() != 0) {
        skip("setuid.all_threads", "not root");
        return;
    }
    int st = run_child(cred_child, NULL);
    check(exited_with(st, 0), "setuid.all_threads", "child %s", status_str(st));
}

// --- fchmodat, fexecve, sysconf ----------------------------------------------------

static void test_misc(void)
{
    const char *f = scratch_path("chm"), *l = scratch_path("chm.link");
    unlink(f);
    unlink(l);
    close(open(f, O_CREAT | O_WRONLY, 0644));
    symlink("chm", l);
    int r1 = fchmodat(AT_FDCWD, f, 0600, AT_SYMLINK_NOFOLLOW);
    struct stat st;
    stat(f, &st);
    errno = 0;
    int r2 = fchmodat(AT_FDCWD, l, 0700, AT_SYMLINK_NOFOLLOW);
    int e2 = errno;
    struct stat st2;
    stat(f, &st2);
    check(r1 == 0 && (st.st_mode & 0777) == 0600 && r2 == -1 && e2 == EOPNOTSUPP &&
          (st2.st_mode & 0777) == 0600, "fchmodat.nofollow",
          "file %d mode %o, symlink %d %s, file now %o", r1, (unsigned)st.st_mode & 0777, r2,
          errname(e2), (unsigned)st2.st_mode & 0777);
    unlink(f);
    unlink(l);

    int fd = open(rootpath("/tests/libc_probe"), O_RDONLY | O_CLOEXEC);
    pid_t pid = xfork();
    if (pid == 0) {
        char *argv[] = { (char *)"libc_probe", (char *)"exit", (char *)"23", NULL };
        fexecve(fd, argv, environ);
        _exit(100 + errno);
    }
    int stt = wait_for(pid);
    close(fd);
    check(exited_with(stt, 23), "fexecve", "child %s", status_str(stt));

    long cpus = sysconf(_SC_NPROCESSORS_ONLN), conf = sysconf(_SC_NPROCESSORS_CONF);
    long pages = sysconf(_SC_PHYS_PAGES), avail = sysconf(_SC_AVPHYS_PAGES);
    cpu_set_t set;
    CPU_ZERO(&set);
    sched_getaffinity(0, sizeof set, &set);
    check(cpus >= 1 && cpus == CPU_COUNT(&set) && conf >= cpus && pages > 1000 &&
          avail > 0 && avail <= pages, "sysconf.cpus_pages",
          "online %ld (affinity %d) conf %ld, pages %ld avail %ld", cpus, CPU_COUNT(&set),
          conf, pages, avail);
    unsigned char rnd[64], rnd2[64];
    int g1 = getentropy(rnd, sizeof rnd), g2 = getentropy(rnd2, sizeof rnd2);
    errno = 0;
    int g3 = getentropy(rnd, 257);
    check(g1 == 0 && g2 == 0 && memcmp(rnd, rnd2, sizeof rnd) != 0 && g3 == -1 && errno == EIO,
          "getentropy", "%d %d differ %d, 257 bytes %d %s", g1, g2,
          memcmp(rnd, rnd2, sizeof rnd) != 0, g3, errname(errno));
}

static void all_parts(void)
{
    test_siginfo();
    test_ucontext();
    test_restart();
    test_timers();
    test_clocks();
    test_names_creds();
    test_misc();
}

int main(void)
{
    long before = memfree_start();
    run_part("libc_signal", all_parts);
    memfree_check("libc_signal.memfree", before);
    return test_status();
}
