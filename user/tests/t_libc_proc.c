// t_libc_proc: musl's process and signal functions, where they lean on the
// kernel.
//
//   - posix_spawn with file actions (open onto stdout, dup2 onto stdin,
//     close, chdir) and attributes (setsigmask, setsigdef, setpgroup,
//     resetids): /tests/libc_probe reports what it got;
//   - posix_spawn of a missing program returns ENOENT (musl's child reports
//     the exec's error through a pipe); posix_spawnp searches PATH;
//   - popen and pclose (through /bin/sh -c) both ways, system()'s status;
//   - vfork then execve; execle passes exactly its environment;
//   - daemon(): musl forks, calls setsid and forks again: the daemon is in a
//     new session it does not lead, its parent gone;
//   - wait statuses: a child killed by SIGTERM, stopped and continued;
//   - raise() runs the handler before it returns; a signal raised while
//     blocked arrives at the unblock;
//   - sigaltstack: an endless recursion's SIGSEGV is handled on the
//     alternate stack, which siglongjmp leaves; ENOMEM below MINSIGSTKSZ,
//     EINVAL for bad flags, SS_ONSTACK and EPERM inside the handler;
//   - sigsetjmp(env, 1)/siglongjmp restores the mask, (env, 0) does not;
//   - pthread_sigmask is per thread: a process signal goes to the thread
//     that does not block it;
//   - RLIMIT_NOFILE: open until EMFILE, at the limit exactly; dup too;
//   - RLIMIT_AS: malloc and mmap fail with NULL/ENOMEM, never a crash;
//   - getrlimit/setrlimit/prlimit of RLIMIT_STACK, prlimit on another pid;
//   - malloc works when a mapping sits right above the break (brk fails
//     with ENOMEM, musl falls back on mmap);
//   - pthread_create of a 32 MiB stack under a tight RLIMIT_AS is EAGAIN;
//   - raise() in four threads at once: each signal is handled by the
//     thread that raised it;
//   - prctl: a child subreaper gets its orphaned grandchild; the timer
//     slack, inherited and reset with 0; the capability bounding set; no
//     seccomp.
// On bunshin, MemFree is back where it started at the end.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

extern char **environ;

// Read a whole file into buf; "" if it cannot be read.
static void slurp(const char *path, char *buf, size_t size)
{
    if (read_file(path, buf, size) < 0)
        buf[0] = 0;
}

// --- posix_spawn ---------------------------------------------------------------

static void test_spawn(void)
{
    const char *probe = rootpath("/tests/libc_probe");
    const char *out = scratch_path("spawn.out");
    const char *in = scratch_path("spawn.in");
    int fd = open(in, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "from-file\n", 10);
    close(fd);
    unlink(out);
    // fd 3 open in the parent (no O_CLOEXEC): the close action shuts it.
    int keep = open("/dev/null", O_RDONLY);
    if (keep != 3) {
        dup2(keep, 3);
        close(keep);
    }
    int infd = open(in, O_RDONLY);

    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, infd, 0);
    posix_spawn_file_actions_addclose(&fa, 3);
    int chdir_rc = posix_spawn_file_actions_addchdir_np(&fa, "/");
    posix_spawnattr_init(&at);
    sigset_t mask, def;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR2);
    sigemptyset(&def);
    sigaddset(&def, SIGUSR1);
    posix_spawnattr_setsigmask(&at, &mask);
    posix_spawnattr_setsigdefault(&at, &def);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                             POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_RESETIDS);
    signal(SIGUSR1, SIG_IGN);       // setsigdef must put it back to default
    char *argv[] = { (char *)"libc_probe", NULL };
    char *envp[] = { (char *)"LIBC_PROBE=spawned", NULL };
    pid_t pid = -1;
    int rc = posix_spawn(&pid, probe, &fa, &at, argv, envp);
    int st = rc == 0 ? wait_for(pid) : -1;
    signal(SIGUSR1, SIG_DFL);
    close(infd);
    close(3);
    char got[512];
    slurp(out, got, sizeof got);
    check(chdir_rc == 0 && rc == 0 && exited_with(st, 0) &&
          strcmp(got, "cwd=/ pgrp=self mask_usr2=1 usr1=dfl fd3=closed euid_is_uid=1 "
                      "env=spawned stdin=from-file\n") == 0,
          "spawn.actions_attrs", "addchdir %d, spawn %s, %s, printed \"%s\"",
          chdir_rc, errname(rc), status_str(st), got);
    posix_spawn_file_actions_destroy(&fa);

    // Without SETSIGDEF an ignored signal stays ignored across exec.
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_setflags(&at, 0);
    signal(SIGUSR1, SIG_IGN);
    rc = posix_spawn(&pid, probe, &fa, &at, argv, envp);
    st = rc == 0 ? wait_for(pid) : -1;
    signal(SIGUSR1, SIG_DFL);
    slurp(out, got, sizeof got);
    check(rc == 0 && strstr(got, " pgrp=other ") && strstr(got, " usr1=ign "),
          "spawn.ignored_stays", "spawn %s printed \"%s\"", errname(rc), got);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);

    // Errors of the exec come back as posix_spawn's return value.
    char *nargv[] = { (char *)"nope", NULL };
    pid = -1;
    rc = posix_spawn(&pid, scratch_path("no-such-program"), NULL, NULL, nargv, environ);
    check_eq("spawn.enoent", ENOENT, rc);
    const char *notexec = scratch_path("spawn.in");   // a text file, mode 0644
    rc = posix_spawn(&pid, notexec, NULL, NULL, nargv, environ);
    check_eq("spawn.eacces", EACCES, rc);
    // An open action that fails is reported too.
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 5, scratch_path("no/such/dir"), O_RDONLY, 0);
    rc = posix_spawn(&pid, probe, &fa, NULL, argv, envp);
    check_eq("spawn.open_action_fails", ENOENT, rc);
    posix_spawn_file_actions_destroy(&fa);

    // posix_spawnp searches PATH.
    char *oldpath = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
    char path[512];
    snprintf(path, sizeof path, "%s:%s", scratch_path("nodir"), rootpath("/tests"));
    setenv("PATH", path, 1);
    char *xargv[] = { (char *)"libc_probe", (char *)"exit", (char *)"17", NULL };
    rc = posix_spawnp(&pid, "libc_probe", NULL, NULL, xargv, environ);
    st = rc == 0 ? wait_for(pid) : -1;
    check(rc == 0 && exited_with(st, 17), "spawnp.path", "spawnp %s, %s", errname(rc),
          status_str(st));
    rc = posix_spawnp(&pid, "no_such_program_x", NULL, NULL, xargv, environ);
    check_eq("spawnp.enoent", ENOENT, rc);
    if (oldpath) {
        setenv("PATH", oldpath, 1);
        free(oldpath);
    }
    unlink(out);
    unlink(in);
}

// --- popen, system, vfork, execle ---------------------------------------------

static void test_shell(void)
{
    FILE *f = popen("echo one; echo two", "r");
    char line[64] = "", line2[64] = "";
    int st = -1;
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = 0;
        if (!fgets(line2, sizeof line2, f))
            line2[0] = 0;
        int eof = fgetc(f) == EOF;
        st = pclose(f);
        check(strcmp(line, "one\n") == 0 && strcmp(line2, "two\n") == 0 && eof &&
              exited_with(st, 0), "popen.read", "read \"%s\" \"%s\", pclose %s", line,
              line2, status_str(st));
    } else {
        fail("popen.read", "popen: %s", errname(errno));
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "cat > %s; exit 4", scratch_path("popen.w"));
    f = popen(cmd, "w");
    if (f) {
        fputs("written\n", f);
        st = pclose(f);
        char got[64];
        slurp(scratch_path("popen.w"), got, sizeof got);
        check(strcmp(got, "written\n") == 0 && exited_with(st, 4), "popen.write",
              "file \"%s\", pclose %s", got, status_str(st));
        unlink(scratch_path("popen.w"));
    } else {
        fail("popen.write", "popen: %s", errname(errno));
    }
    st = system("exit 3");
    check(exited_with(st, 3), "system.status", "%s", status_str(st));
    st = system("kill -TERM $$");
    check(killed_by(st, SIGTERM), "system.killed", "%s", status_str(st));
    check(system(NULL) != 0, "system.null", "system(NULL) says no shell");

    const char *probe = rootpath("/tests/libc_probe");
    pid_t pid = vfork();
    if (pid == 0) {
        execl(probe, "libc_probe", "exit", "9", (char *)NULL);
        _exit(127);
    }
    st = pid > 0 ? wait_for(pid) : -1;
    check(exited_with(st, 9), "vfork.exec", "%s", status_str(st));

    int p[2];
    pipe(p);
    pid = xfork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        int nul = open("/dev/null", O_RDONLY);
        dup2(nul, 0);
        execle(probe, "libc_probe", (char *)NULL, (char *[]){ (char *)"LIBC_PROBE=execle", NULL });
        _exit(127);
    }
    close(p[1]);
    char got[512] = "";
    ssize_t n = read_full(p[0], got, sizeof got - 1);
    got[n > 0 ? n : 0] = 0;
    close(p[0]);
    st = wait_for(pid);
    check(exited_with(st, 0) && strstr(got, " env=execle ") != NULL, "execle.env",
          "%s, printed \"%s\"", status_str(st), got);
}

// --- daemon ----------------------------------------------------------------------

static void test_daemon(void)
{
    int p[2];
    pipe(p);
    pid_t pid = xfork();
    if (pid == 0) {
        close(p[0]);
        pid_t before = getpid(), sid_before = getsid(0);
        if (daemon(1, 1) != 0)
            _exit(1);
        sleep_ms(50);           // the parent of the daemon has exited
        int v[3] = { getsid(0) != sid_before && getsid(0) != getpid(), getpid() != before, getppid() != before };
        write(p[1], v, sizeof v);
        _exit(0);
    }
    close(p[1]);
    int st = wait_for(pid);
    int v[3] = { -1, -1, -1 };
    ssize_t n = read_full(p[0], v, sizeof v);
    close(p[0]);
    check(exited_with(st, 0) && n == sizeof v && v[0] == 1 && v[1] == 1 && v[2] == 1,
          "daemon", "parent %s, read %zd: new session, not its leader %d, new pid %d, reparented %d",
          status_str(st), n, v[0], v[1], v[2]);
    sleep_ms(20);
}

// --- wait statuses, raise ---------------------------------------------------------

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
    (void)sig;
    got_usr1++;
}

static void test_wait_raise(void)
{
    pid_t pid = xfork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    sleep_ms(10);
    kill(pid, SIGSTOP);
    int st = 0;
    pid_t w = waitpid(pid, &st, WUNTRACED);
    int stopped = w == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP;
    kill(pid, SIGCONT);
    w = waitpid(pid, &st, WCONTINUED);
    int cont = w == pid && WIFCONTINUED(st);
    kill(pid, SIGTERM);
    st = wait_for(pid);
    check(stopped && cont && killed_by(st, SIGTERM), "wait.stop_cont_term",
          "stopped %d continued %d end %s", stopped, cont, status_str(st));

    signal(SIGUSR1, on_usr1);
    got_usr1 = 0;
    int r = raise(SIGUSR1);
    int at_once = got_usr1;
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    raise(SIGUSR1);             // not queued: one delivery
    int while_blocked = got_usr1;
    sigset_t pend;
    sigpending(&pend);
    int pending = sigismember(&pend, SIGUSR1);
    sigprocmask(SIG_SETMASK, &old, NULL);
    check(r == 0 && at_once == 1 && while_blocked == 1 && pending == 1 && got_usr1 == 2,
          "raise.sync", "raise %d, handled %d, blocked %d pending %d, after %d", r,
          at_once, while_blocked, pending, (int)got_usr1);
    signal(SIGUSR1, SIG_DFL);
}

// --- sigaltstack overflow, sigsetjmp --------------------------------------------------

static sigjmp_buf jb;
static volatile int on_alt;

static void on_segv(int sig)
{
    (void)sig;
    stack_t ss;
    sigaltstack(NULL, &ss);
    on_alt = (ss.ss_flags & SS_ONSTACK) != 0;
    siglongjmp(jb, 1);
}

static volatile int keep_going = 1;

static int recurse(volatile char *prev)
{
    volatile char buf[1024];
    buf[0] = prev ? prev[0] + 1 : 0;
    if (!keep_going)            // never: but the compiler cannot know
        return 0;
    return recurse(buf) + buf[1];
}

static void overflow_child(void *arg)
{
    (void)arg;
    struct rlimit rl = { 1 << 20, 1 << 20 };
    setrlimit(RLIMIT_STACK, &rl);
    stack_t ss = { .ss_sp = malloc(SIGSTKSZ * 4), .ss_size = SIGSTKSZ * 4, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    struct sigaction sa = { .sa_handler = on_segv, .sa_flags = SA_ONSTACK };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(jb, 1) == 0) {
        recurse(NULL);
        _exit(2);
    }
    stack_t now;
    sigaltstack(NULL, &now);
    // Back on the main stack: the alternate stack is no longer in use.
    _exit(on_alt && !(now.ss_flags & SS_ONSTACK) ? 0 : 3);
}

static volatile int alt_eperm = -1, alt_flags = -1;

static void on_usr1_alt(int sig)
{
    (void)sig;
    stack_t now, other = { .ss_sp = malloc(MINSIGSTKSZ * 2), .ss_size = MINSIGSTKSZ * 2 };
    sigaltstack(NULL, &now);
    alt_flags = now.ss_flags;
    errno = 0;
    alt_eperm = sigaltstack(&other, NULL) == -1 ? errno : 0;     // on it: EPERM
    free(other.ss_sp);
}

static void altstack_errors_child(void *arg)
{
    (void)arg;
    static char area[SIGSTKSZ * 2];
    stack_t small = { .ss_sp = area, .ss_size = MINSIGSTKSZ - 1 };
    errno = 0;
    int r1 = sigaltstack(&small, NULL), e1 = errno;
    stack_t badflags = { .ss_sp = area, .ss_size = sizeof area, .ss_flags = 0x1234 };
    errno = 0;
    int r2 = sigaltstack(&badflags, NULL), e2 = errno;
    stack_t good = { .ss_sp = area, .ss_size = sizeof area };
    int r3 = sigaltstack(&good, NULL);
    stack_t old;
    sigaltstack(NULL, &old);
    struct sigaction sa = { .sa_handler = on_usr1_alt, .sa_flags = SA_ONSTACK };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    stack_t off = { .ss_flags = SS_DISABLE };
    int r4 = sigaltstack(&off, NULL);
    stack_t after;
    sigaltstack(NULL, &after);
    if (r1 != -1 || e1 != ENOMEM || r2 != -1 || e2 != EINVAL || r3 != 0 ||
        old.ss_sp != area || old.ss_size != sizeof area || old.ss_flags != 0 ||
        alt_flags != SS_ONSTACK || alt_eperm != EPERM || r4 != 0 || after.ss_flags != SS_DISABLE) {
        say("FAIL sigaltstack.errors: small %d %s, bad flags %d %s, set %d (read back sp ok %d "
            "size %zu flags %d), in handler flags %d change %s, disable %d now %d", r1,
            errname(e1), r2, errname(e2), r3, old.ss_sp == area, old.ss_size, old.ss_flags,
            alt_flags, errname(alt_eperm), r4, after.ss_flags);
        _exit(1);
    }
    _exit(0);
}

static void test_altstack_jmp(void)
{
    int st = run_child(overflow_child, NULL);
    check(exited_with(st, 0), "sigaltstack.overflow", "child %s", status_str(st));
    st = run_child(altstack_errors_child, NULL);
    check(exited_with(st, 0), "sigaltstack.errors", "child %s", status_str(st));

    sigset_t set, now;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_SETMASK, &set, NULL);       // saved in the buffer: USR2
    volatile int pass = 0;
    if (sigsetjmp(jb, 1) == 0) {
        sigaddset(&set, SIGHUP);
        sigprocmask(SIG_SETMASK, &set, NULL);
        siglongjmp(jb, 1);
    }
    sigprocmask(SIG_BLOCK, NULL, &now);
    pass = sigismember(&now, SIGUSR2) && !sigismember(&now, SIGHUP);
    check(pass, "sigsetjmp.restores_mask", "usr2 %d hup %d", sigismember(&now, SIGUSR2),
          sigismember(&now, SIGHUP));
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    if (sigsetjmp(jb, 0) == 0) {
        sigaddset(&set, SIGHUP);
        sigprocmask(SIG_SETMASK, &set, NULL);
        siglongjmp(jb, 1);
    }
    sigprocmask(SIG_BLOCK, NULL, &now);
    check(sigismember(&now, SIGHUP) == 1, "sigsetjmp.keeps_mask", "hup %d",
          sigismember(&now, SIGHUP));
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
}

// --- signal masks in threads --------------------------------------------------------

static volatile pid_t handled_by;
static volatile int thread_ready;

static void on_usr2(int sig)
{
    (void)sig;
    handled_by = gettid();
}

static void *unblocked_thread(void *arg)
{
    (void)arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    *(volatile pid_t *)arg = gettid();
    thread_ready = 1;
    while (!handled_by)
        sleep_ms(1);
    return NULL;
}

static void test_thread_masks(void)
{
    signal(SIGUSR2, on_usr2);
    sigset_t set, now;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    volatile pid_t tid = 0;
    handled_by = 0;
    thread_ready = 0;
    pthread_t t;
    pthread_create(&t, NULL, unblocked_thread, (void *)&tid);
    while (!thread_ready)
        sched_yield();
    kill(getpid(), SIGUSR2);
    pthread_join(t, NULL);
    sigprocmask(SIG_BLOCK, NULL, &now);
    check(handled_by == tid && sigismember(&now, SIGUSR2) == 1, "sigmask.per_thread",
          "handled by %d (thread %d, main %d), main still blocks %d", (int)handled_by,
          (int)tid, (int)getpid(), sigismember(&now, SIGUSR2));
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    signal(SIGUSR2, SIG_DFL);
}

// --- resource limits --------------------------------------------------------------------

static void nofile_child(void *arg)
{
    (void)arg;
    close_fds_from(3);
    struct rlimit rl = { 16, 16 };
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        _exit(10);
    int n = 0, fd, last = -1;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
        last = fd;
        n++;
    }
    int e = errno;
    int d = dup(0);
    int de = errno;
    int d2 = dup2(0, 16);
    int d2e = errno;
    int fc = fcntl(0, F_DUPFD, 3);
    int fce = errno;
    int pipefds[2];
    int pr = pipe(pipefds);
    int pe = errno;
    if (n != 13 || last != 15 || e != EMFILE || d != -1 || de != EMFILE || d2 != -1 ||
        d2e != EBADF || fc != -1 || fce != EMFILE || pr != -1 || pe != EMFILE) {
        say("FAIL rlimit.nofile_emfile: opened %d (last %d) then %s; dup %d %s, dup2(0,16) "
            "%d %s, F_DUPFD %d %s, pipe %d %s", n, last, errname(e), d, errname(de), d2,
            errname(d2e), fc, errname(fce), pr, errname(pe));
        _exit(1);
    }
    _exit(0);
}

static void as_child(void *arg)
{
    (void)arg;
    struct rlimit rl = { 64 << 20, 64 << 20 };
    if (setrlimit(RLIMIT_AS, &rl) != 0)
        _exit(10);
    void *big = malloc(100 << 20);
    int big_null = big == NULL;
    int e_big = errno;
    size_t total = 0;
    void *p, *first = NULL;
    while ((p = malloc(1 << 20)) != NULL) {
        if (!first)
            first = p;
        memset(p, 1, 4096);
        total += 1 << 20;
        if (total > (128u << 20))
            break;
    }
    int e_small = errno;
    errno = 0;
    void *m = mmap(NULL, 32 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int e_map = errno;
    // Small allocations still work or fail cleanly.
    for (int i = 0; i < 1000; i++)
        if (!malloc(64))
            break;
    if (!big_null || e_big != ENOMEM || total < (20u << 20) || total > (64u << 20) ||
        e_small != ENOMEM || m != MAP_FAILED || e_map != ENOMEM) {
        say("FAIL rlimit.as_malloc: malloc(100M) %s (%s), 1M blocks %zu MiB then %s, "
            "mmap %s (%s)", big_null ? "NULL" : "worked", errname(e_big), total >> 20,
            errname(e_small), m == MAP_FAILED ? "failed" : "worked", errname(e_map));
        _exit(1);
    }
    _exit(0);
}

static void test_rlimits(void)
{
    int st = run_child(nofile_child, NULL);
    check(exited_with(st, 0), "rlimit.nofile_emfile", "child %s", status_str(st));
    st = run_child(as_child, NULL);
    check(exited_with(st, 0), "rlimit.as_malloc", "child %s", status_str(st));

    struct rlimit rl, back;
    getrlimit(RLIMIT_STACK, &rl);
    pid_t pid = xfork();
    if (pid == 0) {
        struct rlimit r2 = { 4 << 20, rl.rlim_max };
        setrlimit(RLIMIT_STACK, &r2);
        for (;;)
            pause();
    }
    sleep_ms(20);
    struct rlimit other = { 0, 0 };
    int r1 = prlimit(pid, RLIMIT_STACK, NULL, &other);
    struct rlimit set3 = { 2 << 20, rl.rlim_max }, old3;
    int r2 = prlimit(pid, RLIMIT_STACK, &set3, &old3);
    int r3 = prlimit(pid, RLIMIT_STACK, NULL, &back);
    kill(pid, SIGKILL);
    wait_for(pid);
    check(r1 == 0 && other.rlim_cur == (4u << 20) && other.rlim_max == rl.rlim_max &&
          r2 == 0 && old3.rlim_cur == (4u << 20) && r3 == 0 && back.rlim_cur == (2u << 20),
          "prlimit.other_pid", "read %d cur %llu, set %d old %llu, read %d cur %llu", r1,
          (unsigned long long)other.rlim_cur, r2, (unsigned long long)old3.rlim_cur, r3,
          (unsigned long long)back.rlim_cur);
    struct rlimit bad = { 10, 5 };
    errno = 0;
    int rb = setrlimit(RLIMIT_STACK, &bad);
    check_errno("setrlimit.cur_above_max", rb, EINVAL);
    getrlimit(RLIMIT_STACK, &back);
    check(back.rlim_cur == rl.rlim_cur && back.rlim_max == rl.rlim_max,
          "getrlimit.unchanged", "now %llu/%llu", (unsigned long long)back.rlim_cur,
          (unsigned long long)back.rlim_max);
}


// --- malloc when brk is blocked, threads when memory is short, raise races -------------

static void brk_blocked_child(void *arg)
{
    (void)arg;
    uintptr_t cur = (uintptr_t)sbrk(0);
    uintptr_t at = (cur + 4095) & ~(uintptr_t)4095;
    void *wall = mmap((void *)at, 1 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (wall != (void *)at) {
        say("skip malloc.brk_blocked: the hint at the break was not taken (%p for %p)",
            wall, (void *)at);
        _exit(0);
    }
    // The break cannot grow into the mapping: brk says the old break.
    void *moved = sbrk(64 << 10);
    int blocked = moved == (void *)-1 && errno == ENOMEM;
    int bad = 0;
    for (int i = 0; i < 2000; i++) {
        char *p = malloc(100 + i % 300);
        if (!p) {
            bad++;
            break;
        }
        memset(p, 1, 100);
    }
    char *big = malloc(3 << 20);
    if (big)
        memset(big, 2, 3 << 20);
    if (!blocked || bad || !big) {
        say("FAIL malloc.brk_blocked: sbrk %p (%s), small mallocs failed %d, big %p", moved,
            errname(errno), bad, (void *)big);
        _exit(1);
    }
    _exit(0);
}

static void *idle_thread(void *arg)
{
    return arg;
}

static void thread_oom_child(void *arg)
{
    (void)arg;
    long vm_kb = proc_status_value(0, "VmSize");
    struct rlimit rl;
    rl.rlim_cur = rl.rlim_max = (rlim_t)(vm_kb + 4096) * 1024;    // 4 MiB to spare
    if (vm_kb <= 0 || setrlimit(RLIMIT_AS, &rl) != 0)
        _exit(10);
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 32 << 20);
    pthread_t t;
    int r = pthread_create(&t, &a, idle_thread, NULL);
    // A small one still fits.
    pthread_attr_setstacksize(&a, 64 << 10);
    int r2 = pthread_create(&t, &a, idle_thread, NULL);
    if (r2 == 0)
        pthread_join(t, NULL);
    if (r != EAGAIN || r2 != 0) {
        say("FAIL pthread_create.oom: 32 MiB stack %s, 64 KiB stack %s", errname(r),
            errname(r2));
        _exit(1);
    }
    _exit(0);
}

static __thread int raising;
static volatile int wrong_thread, raised;

static void on_raised(int sig)
{
    (void)sig;
    // Four threads count at once: atomically (a plain ++ lost one on the
    // 2-core host).
    if (!raising)
        __atomic_fetch_add(&wrong_thread, 1, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&raised, 1, __ATOMIC_SEQ_CST);
}

static void *raiser(void *arg)
{
    (void)arg;
    for (int i = 0; i < 500; i++) {
        raising = 1;
        raise(SIGUSR1);
        raising = 0;
        if (i % 50 == 0)
            sched_yield();
    }
    return NULL;
}

static void test_memory_races(void)
{
    int st = run_child(brk_blocked_child, NULL);
    check(exited_with(st, 0), "malloc.brk_blocked", "child %s", status_str(st));
    st = run_child(thread_oom_child, NULL);
    check(exited_with(st, 0), "pthread_create.oom", "child %s", status_str(st));

    struct sigaction sa = { .sa_handler = on_raised };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    wrong_thread = raised = 0;
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, raiser, NULL);
    raiser(NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    signal(SIGUSR1, SIG_DFL);
    check(wrong_thread == 0 && raised == 2000, "raise.threads",
          "%d handled in a thread that did not raise, %d of 2000 handled", wrong_thread,
          raised);
}

// --- prctl's odds and ends ------------------------------------------------------------------

static void slack_child(void *arg)
{
    (void)arg;
    // The parent set 123456: a child starts with it, and 0 goes back to it.
    int ok_ = prctl(PR_GET_TIMERSLACK) == 123456 && prctl(PR_SET_TIMERSLACK, 777) == 0 &&
              prctl(PR_GET_TIMERSLACK) == 777 && prctl(PR_SET_TIMERSLACK, 0) == 0 &&
              prctl(PR_GET_TIMERSLACK) == 123456;
    _exit(ok_ ? 0 : 1);
}

// B (our child) makes C and ends: C comes to us, a child subreaper, not to
// init; we can wait for it.
static void subreaper_part(void *arg)
{
    (void)arg;
    int r = prctl(PR_SET_CHILD_SUBREAPER, 1);
    int is = -1;
    prctl(PR_GET_CHILD_SUBREAPER, &is);
    int p[2];
    pipe(p);
    pid_t me = getpid();
    pid_t b = xfork();
    if (b == 0) {
        pid_t c = xfork();
        if (c == 0) {
            close(p[1]);
            char x;
            read(p[0], &x, 1);          // until the test says
            _exit(getppid() == me ? 42 : 43);     // its parent is now us
        }
        _exit(0);
    }
    wait_for(b);
    close(p[0]);
    sleep_ms(20);
    write(p[1], "g", 1);
    int st = 0;
    pid_t got = wait(&st);
    if (r != 0 || is != 1 || got <= 0 || !exited_with(st, 42)) {
        say("FAIL prctl.child_subreaper: set %d get %d, wait %d %s", r, is, (int)got,
            status_str(st));
        _exit(1);
    }
    _exit(0);
}

static void test_prctl(void)
{
    int sr = run_child(subreaper_part, NULL);
    check(exited_with(sr, 0), "prctl.child_subreaper", "part %s", status_str(sr));
    long slack = prctl(PR_GET_TIMERSLACK);
    int s1 = prctl(PR_SET_TIMERSLACK, 123456);
    long now = prctl(PR_GET_TIMERSLACK);
    int st = run_child(slack_child, NULL);
    prctl(PR_SET_TIMERSLACK, slack);
    check(slack > 0 && s1 == 0 && now == 123456 && exited_with(st, 0), "prctl.timerslack",
          "slack %ld, set %d -> %ld, child %s", slack, s1, now, status_str(st));
    int cap0 = prctl(PR_CAPBSET_READ, 0);
    errno = 0;
    int capbad = prctl(PR_CAPBSET_READ, 1000);
    int e_cap = errno;
    int sec = prctl(PR_GET_SECCOMP);
    check(cap0 == 1 && capbad == -1 && e_cap == EINVAL && sec == 0, "prctl.capbset_seccomp",
          "capbset(0) %d, capbset(1000) %d %s, seccomp %d", cap0, capbad, errname(e_cap), sec);
}

static void all_parts(void)
{
    test_spawn();
    test_shell();
    test_daemon();
    test_wait_raise();
    test_altstack_jmp();
    test_thread_masks();
    test_rlimits();
    test_memory_races();
    test_prctl();
}

int main(void)
{
    long before = memfree_start();
    run_part("libc_proc", all_parts);
    memfree_check("libc_proc.memfree", before);
    return test_status();
}
