// t_prctl: prctl(2) (172), the options bunshin has, as Linux has them.
//
//   - PR_SET_NAME / PR_GET_NAME: a round trip; GET writes all 16 bytes,
//     zeros after the name; a long name is cut to 15 bytes; only 15 bytes
//     are ever read (a 15-byte name right before an unmapped page is
//     fine, a shorter one without its NUL there is EFAULT); /proc/self/status
//     says "Name:" with it (and /proc/self/task/TID/status where that
//     exists); the name is the thread's own (a thread renaming itself leaves
//     the main thread's name); a fork child inherits it; execve replaces it
//     with the file's base name (the test execs itself: see exec_report);
//   - PR_SET_PDEATHSIG / PR_GET_PDEATHSIG: a round trip through the int
//     GET writes, 64 is a signal, 65 and -1 are EINVAL, a fork child starts
//     with 0, execve keeps it; A forks B, B forks C, which asks for SIGUSR1
//     at its parent's death; B exits: C gets SIGUSR1 from B (si_pid B,
//     SI_USER) and reports it through a pipe; the same when the thread of B
//     that made C ends while B's first thread lives on (the signal follows
//     the thread, and C's parent is still B);
//   - PR_GET_DUMPABLE / PR_SET_DUMPABLE: 1 to start with, 0 and back, 2 and
//     3 are EINVAL; a fork child inherits 0, a thread shares it, and so
//     does a vfork child (Linux keeps it with the memory), whose 0 the
//     parent sees; with
//     RLIMIT_CORE unlimited, SIGQUIT leaves the core bit in the wait status
//     of a dumpable process (on Linux only where core_pattern writes a file
//     in the working directory) and never for an undumpable one; execve
//     makes the process dumpable again;
//   - PR_SET_NO_NEW_PRIVS / PR_GET_NO_NEW_PRIVS: 0, then 1 for good (0
//     cannot be set back), every unused argument must be 0 (else EINVAL);
//     fork and execve keep it;
//   - PR_CAPBSET_READ: 1 for a capability, EINVAL past the last one;
//   - PR_GET_CHILD_SUBREAPER writes 0; an unknown option is EINVAL; bad
//     pointers are EFAULT;
//   - MemFree back where it started.
// Every part runs in a child of its own (sig_common.h): what it sets (a
// name, no_new_privs for good) never reaches the next part.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"

#define PAGE 4096
#define KERNEL_ADDR 0xC0000000ul

// prctl with every argument given: musl's prctl reads four of them from
// its variable arguments whatever the option, and NO_NEW_PRIVS checks
// that the unused ones are 0.
static long pr(int op, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
    return syscall(SYS_prctl, op, a2, a3, a4, a5);
}

static pid_t gettid_(void)
{
    return (pid_t)syscall(SYS_gettid);
}

// PR_GET_NAME into buf[16] (filled with 0x7f first); 0 or -1.
static long get_name(char buf[16])
{
    memset(buf, 0x7f, 16);
    return pr(PR_GET_NAME, (unsigned long)buf, 0, 0, 0);
}

// The 16 bytes hold name, a NUL, and zeros to the end.
static int name_is(const char buf[16], const char *name)
{
    size_t n = strlen(name);
    if (n > 15 || memcmp(buf, name, n) != 0)
        return 0;
    for (size_t i = n; i < 16; i++)
        if (buf[i] != 0)
            return 0;
    return 1;
}

// The 16 bytes, printable, for messages. Rotating buffer (tname).
static const char *show16(const char buf[16])
{
    char s[16 * 4 + 1];
    size_t k = 0;
    for (int i = 0; i < 16; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            s[k++] = (char)c;
        else
            k += (size_t)snprintf(s + k, sizeof s - k, "\\%o", c);
    }
    s[k] = 0;
    return tname("\"%s\"", s);
}

// The value after "Name:\t" in a status file, or "" (rotating buffer).
static const char *status_name(const char *path)
{
    char buf[2048];
    if (read_file(path, buf, sizeof buf) < 0)
        return tname("(cannot read %s: %s)", path, errname(errno));
    char *p = strstr(buf, "Name:\t");
    if (!p)
        return "(no Name: line)";
    p += 6;
    char *e = strchr(p, '\n');
    if (e)
        *e = 0;
    return tname("%s", p);
}

// Two pages, the second unmapped again, or NULL.
static char *page_before_hole(void)
{
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        fail("prctl.setup.mmap", "mmap of two pages: %s", errname(errno));
        return NULL;
    }
    munmap(p + PAGE, PAGE);
    return p;
}

// --- execve: the test runs itself as "t_prctl exec-report NNP DEATHSIG" --------

// After an execve: the name is the file's, the process is dumpable again,
// the death signal and no_new_privs are what they were. Its own check lines;
// exit status test_status().
static int exec_report(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    long nnp = atol(argv[2]), deathsig = atol(argv[3]);
    char buf[16];
    long r = get_name(buf);
    check(r == 0 && name_is(buf, "t_prctl"), "prctl.exec.name",
          "after execve of .../t_prctl (a 15-byte name before): PR_GET_NAME gave %ld, %s", r,
          show16(buf));
    check_str("prctl.exec.status_name", "t_prctl", status_name("/proc/self/status"));
    check_eq("prctl.exec.dumpable_again", 1, pr(PR_GET_DUMPABLE, 0, 0, 0, 0));
    int sig = -1;
    pr(PR_GET_PDEATHSIG, (unsigned long)&sig, 0, 0, 0);
    check_eq("prctl.exec.pdeathsig_kept", deathsig, sig);
    check_eq("prctl.exec.no_new_privs_kept", nnp, pr(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    return test_status();
}

// In a forked child: a long name, no dumping, deathsig and no_new_privs as
// asked, then execve of this test. The child's wait status.
static int exec_self(int nnp, int deathsig)
{
    pid_t pid = xfork();
    if (pid == 0) {
        pr(PR_SET_NAME, (unsigned long)"abcdefghijklmno", 0, 0, 0);
        pr(PR_SET_DUMPABLE, 0, 0, 0, 0);
        pr(PR_SET_PDEATHSIG, (unsigned long)deathsig, 0, 0, 0);
        if (nnp)
            pr(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", nnp);
        snprintf(b, sizeof b, "%d", deathsig);
        char *argv[] = { "t_prctl", "exec-report", a, b, NULL };
        execve(rootpath("/tests/t_prctl"), argv, environ);
        fail("prctl.exec", "execve %s: %s", rootpath("/tests/t_prctl"), errname(errno));
        _exit(1);
    }
    return wait_timed(pid, SIG_PART_MS / 2);
}

static void expect_exec(const char *name, int st)
{
    // exit 1: the child printed its FAIL lines itself.
    if (st != 1 << 8)
        check(st == 0, name, "the child that exec'd the test %s", wstr(st));
}

// --- names ---------------------------------------------------------------------------

static void *rename_thread(void *arg)
{
    char *out = arg;
    pr(PR_SET_NAME, (unsigned long)"worker", 0, 0, 0);
    get_name(out);
    return NULL;
}

static void part_name(void)
{
    char buf[16];
    check_eq("prctl.name.set", 0, pr(PR_SET_NAME, (unsigned long)"bunshin-test", 0, 0, 0));
    long r = get_name(buf);
    check(r == 0 && name_is(buf, "bunshin-test"), "prctl.name.round_trip",
          "PR_GET_NAME gave %ld, %s (expected the name, then zeros to 16 bytes)", r, show16(buf));
    check_str("prctl.name.proc_status", "bunshin-test", status_name("/proc/self/status"));
    const char *task = tname("/proc/self/task/%d/status", (int)gettid_());
    if (access("/proc/self/task", F_OK) == 0)
        check_str("prctl.name.proc_task_status", "bunshin-test", status_name(task));
    else
        skip("prctl.name.proc_task_status", "no /proc/self/task here (%s)", errname(errno));

    pr(PR_SET_NAME, (unsigned long)"abcdefghijklmnopqrstuvwxyz", 0, 0, 0);
    r = get_name(buf);
    check(r == 0 && name_is(buf, "abcdefghijklmno"), "prctl.name.cut_to_15",
          "a 26-byte name: PR_GET_NAME gave %ld, %s", r, show16(buf));
    check_str("prctl.name.cut_proc_status", "abcdefghijklmno", status_name("/proc/self/status"));
    pr(PR_SET_NAME, (unsigned long)"", 0, 0, 0);
    r = get_name(buf);
    check(r == 0 && name_is(buf, ""), "prctl.name.empty", "PR_GET_NAME gave %ld, %s", r,
          show16(buf));

    // A thread's name is its own.
    pr(PR_SET_NAME, (unsigned long)"main-thread", 0, 0, 0);
    pthread_t th;
    char tbuf[16];
    memset(tbuf, 0, sizeof tbuf);
    if (pthread_create(&th, NULL, rename_thread, tbuf) == 0) {
        pthread_join(th, NULL);
        get_name(buf);
        check(name_is(tbuf, "worker") && name_is(buf, "main-thread"), "prctl.name.per_thread",
              "the thread that named itself \"worker\" read %s, the main thread %s", show16(tbuf),
              show16(buf));
    } else {
        fail("prctl.name.per_thread", "pthread_create failed");
    }

    // A fork child has the parent's name.
    int p[2];
    if (pipe(p) == 0) {
        pid_t pid = xfork();
        if (pid == 0) {
            char cb[16];
            get_name(cb);
            write(p[1], cb, 16);
            _exit(0);
        }
        char cb[16];
        memset(cb, 0x7f, 16);
        read_full(p[0], cb, 16);
        wait_timed(pid, SIG_WAIT_MS);
        check(name_is(cb, "main-thread"), "prctl.name.fork_inherits", "the child read %s",
              show16(cb));
        close(p[0]);
        close(p[1]);
    }

    // Only 15 bytes are ever read.
    char *page = page_before_hole();
    if (page) {
        char *end = page + PAGE;
        memcpy(end - 15, "fifteen-bytes-x", 15);
        r = pr(PR_SET_NAME, (unsigned long)(end - 15), 0, 0, 0);
        get_name(buf);
        check(r == 0 && name_is(buf, "fifteen-bytes-x"), "prctl.name.15_before_hole",
              "15 bytes without a NUL right before an unmapped page: %s, then %s",
              r == 0 ? "0" : errname(errno), show16(buf));
        memcpy(end - 5, "abcde", 5);
        check_errno("prctl.name.efault_short_before_hole",
                    pr(PR_SET_NAME, (unsigned long)(end - 5), 0, 0, 0), EFAULT);
        get_name(buf);
        check(name_is(buf, "fifteen-bytes-x"), "prctl.name.efault_keeps_name",
              "after the EFAULT the name is %s", show16(buf));
        memcpy(end - 6, "short", 6);
        check_eq("prctl.name.nul_before_hole", 0, pr(PR_SET_NAME, (unsigned long)(end - 6), 0, 0, 0));
        check_errno("prctl.name.get_efault_runs_into_hole",
                    pr(PR_GET_NAME, (unsigned long)(end - 8), 0, 0, 0), EFAULT);
        munmap(page, PAGE);
    }
    check_errno("prctl.name.set_efault_null", pr(PR_SET_NAME, 0, 0, 0, 0), EFAULT);
    check_errno("prctl.name.set_efault_kernel", pr(PR_SET_NAME, KERNEL_ADDR, 0, 0, 0), EFAULT);
    check_errno("prctl.name.get_efault_null", pr(PR_GET_NAME, 0, 0, 0, 0), EFAULT);
    check_errno("prctl.name.get_efault_kernel", pr(PR_GET_NAME, KERNEL_ADDR, 0, 0, 0), EFAULT);
}

static void part_exec(void)
{
    expect_exec("prctl.exec", exec_self(0, SIGUSR2));
    expect_exec("prctl.exec_nnp", exec_self(1, 0));
}

// --- the parent's death signal ---------------------------------------------------

static int get_deathsig(void)
{
    int sig = -1;
    if (pr(PR_GET_PDEATHSIG, (unsigned long)&sig, 0, 0, 0) < 0)
        return -2;
    return sig;
}

static void part_deathsig_values(void)
{
    check_eq("prctl.pdeathsig.default_0", 0, get_deathsig());
    check_eq("prctl.pdeathsig.set", 0, pr(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0));
    check_eq("prctl.pdeathsig.get", SIGUSR1, get_deathsig());
    pid_t pid = xfork();
    if (pid == 0)
        _exit(get_deathsig() == 0 ? 0 : 1);
    int st = wait_timed(pid, SIG_WAIT_MS);
    check(st == 0, "prctl.pdeathsig.fork_child_0",
          "a fork child of a process with SIGUSR1 as its death signal: exit 1 means it had "
          "one too; it %s",
          wstr(st));
    check_eq("prctl.pdeathsig.set_64", 0, pr(PR_SET_PDEATHSIG, 64, 0, 0, 0));
    check_eq("prctl.pdeathsig.get_64", 64, get_deathsig());
    check_errno("prctl.pdeathsig.einval_65", pr(PR_SET_PDEATHSIG, 65, 0, 0, 0), EINVAL);
    check_errno("prctl.pdeathsig.einval_minus_1", pr(PR_SET_PDEATHSIG, (unsigned long)-1, 0, 0, 0),
                EINVAL);
    check_eq("prctl.pdeathsig.einval_keeps", 64, get_deathsig());
    check_eq("prctl.pdeathsig.set_0", 0, pr(PR_SET_PDEATHSIG, 0, 0, 0, 0));
    check_eq("prctl.pdeathsig.get_0", 0, get_deathsig());
    check_errno("prctl.pdeathsig.get_efault_null", pr(PR_GET_PDEATHSIG, 0, 0, 0, 0), EFAULT);
    check_errno("prctl.pdeathsig.get_efault_kernel", pr(PR_GET_PDEATHSIG, KERNEL_ADDR, 0, 0, 0),
                EFAULT);
}

// What C sends A: whether SIGUSR1 came, from whom, and C's parent after.
struct death_report {
    int got;                    // the signal sigtimedwait returned, or -1
    int code;                   // its si_code
    pid_t from;                 // its si_pid
    pid_t parent;               // C's getppid() after the signal
    pid_t b;                    // C's getppid() before (B)
    pid_t self;                 // C's pid
};

// C: block SIGUSR1, ask for it at the parent's death, say so on ready,
// wait for it (time limited), report on out.
static void grandchild(int ready, int out)
{
    block_one(SIGUSR1);
    struct death_report rep = { -1, 0, 0, 0, getppid(), getpid() };
    if (pr(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0) < 0)
        rep.got = -2;
    write(ready, "r", 1);
    close(ready);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    struct timespec ts = { SIG_WAIT_MS / 1000, 0 };
    int r;
    while ((r = sigtimedwait(&set, &si, &ts)) < 0 && errno == EINTR)
        ;
    if (rep.got != -2) {
        rep.got = r;
        rep.code = si.si_code;
        rep.from = si.si_pid;
    }
    rep.parent = getppid();
    write(out, &rep, sizeof rep);
    _exit(0);
}

// Wait (time limited) until pid is gone: reaped by whoever adopted it, so
// that MemFree is not measured with it still there.
static void wait_gone(pid_t pid)
{
    long long end = mono_ns() + SIG_WAIT_MS * 1000000LL;
    while (kill(pid, 0) == 0 && mono_ns() < end)
        sleep_ms(2);
}

static void check_report(const char *name, const struct death_report *rep, ssize_t n, pid_t b,
                         int parent_is_b)
{
    if (!check(n == (ssize_t)sizeof *rep, tname("%s.report", name), "no report from the grandchild (%zd bytes)", n))
        return;
    check(rep->b == b && rep->got == SIGUSR1 && rep->code == SI_USER && rep->from == b, name,
          "the grandchild (parent %d, B %d) got %s%s, si_code %d (SI_USER %d), si_pid %d",
          (int)rep->b, (int)b, rep->got == -2 ? "PR_SET_PDEATHSIG failed" : "",
          rep->got == -2 ? "" : rep->got < 0 ? "no signal within the time limit" : signame(rep->got),
          rep->code, SI_USER, (int)rep->from);
    if (parent_is_b)
        check(rep->parent == b, tname("%s.same_parent", name),
              "after the thread that made it ended, its parent is %d, not B (%d)",
              (int)rep->parent, (int)b);
    else
        check(rep->parent != b, tname("%s.reparented", name),
              "after B ended, its parent is still B (%d)", (int)rep->parent);
}

// A (this part) forks B, B forks C; C asks for SIGUSR1; B exits.
static void part_deathsig_process(void)
{
    int ready[2], out[2];
    if (pipe(ready) < 0 || pipe(out) < 0)
        return;
    pid_t b = xfork();
    if (b == 0) {
        pid_t c = xfork();
        if (c == 0) {
            close(ready[0]);
            close(out[0]);
            grandchild(ready[1], out[1]);
        }
        char x;
        close(ready[1]);
        read(ready[0], &x, 1);      // C has its death signal
        _exit(c > 0 ? 0 : 3);
    }
    close(ready[0]);
    close(ready[1]);
    close(out[1]);
    int st = wait_timed(b, SIG_WAIT_MS);
    check(st == 0, "prctl.pdeathsig.b_exits", "B %s", wstr(st));
    struct death_report rep;
    memset(&rep, 0, sizeof rep);
    ssize_t n = read_full(out[0], &rep, sizeof rep);
    close(out[0]);
    check_report("prctl.pdeathsig.parent_exits", &rep, n, b, 0);
    if (n == (ssize_t)sizeof rep)
        wait_gone(rep.self);
}

// B's thread that makes C, and ends once C has its death signal.
struct maker {
    int ready_r, ready_w, out;  // the ready pipe's ends, out's write end
    pid_t c;
};

static void *make_grandchild(void *arg)
{
    struct maker *m = arg;
    m->c = xfork();
    if (m->c == 0)
        grandchild(m->ready_w, m->out);
    char x;
    if (m->c > 0)
        read(m->ready_r, &x, 1);
    return NULL;
}

// B makes C from a second thread, which ends; B's first thread lives on
// until C has reported.
static void part_deathsig_thread(void)
{
    int ready[2], out[2];
    if (pipe(ready) < 0 || pipe(out) < 0)
        return;
    pid_t b = xfork();
    if (b == 0) {
        close(out[0]);
        struct maker m = { ready[0], ready[1], out[1], -1 };
        pthread_t th;
        if (pthread_create(&th, NULL, make_grandchild, &m) != 0)
            _exit(4);
        pthread_join(th, NULL);
        // B lives on until C has reported (C holds out's write end until
        // it exits; B closes its own copy first), then reaps C.
        close(out[1]);
        close(ready[1]);
        int st = m.c > 0 ? wait_timed(m.c, SIG_WAIT_MS * 2) : -1;
        _exit(st == 0 ? 0 : 5);
    }
    close(ready[0]);
    close(ready[1]);
    close(out[1]);
    struct death_report rep;
    memset(&rep, 0, sizeof rep);
    ssize_t n = read_full(out[0], &rep, sizeof rep);
    close(out[0]);
    int st = wait_timed(b, SIG_WAIT_MS * 3);
    check(st == 0, "prctl.pdeathsig.thread.b_exits", "B %s (exit 5: C did not end)", wstr(st));
    check_report("prctl.pdeathsig.thread_ends", &rep, n, b, 1);
}

// --- dumpable ------------------------------------------------------------------------

static void *undump_thread(void *arg)
{
    (void)arg;
    pr(PR_SET_DUMPABLE, 0, 0, 0, 0);
    return NULL;
}

// In a child: cwd dir, RLIMIT_CORE unlimited, dumpable as given, SIGQUIT.
// Its wait status (20: the limit could not be set).
static int quit_child(const char *dir, int dumpable)
{
    pid_t pid = xfork();
    if (pid == 0) {
        if (chdir(dir) < 0)
            _exit(21);
        struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };
        if (setrlimit(RLIMIT_CORE, &r) < 0)
            _exit(20);
        if (pr(PR_SET_DUMPABLE, (unsigned long)dumpable, 0, 0, 0) < 0)
            _exit(22);
        signal(SIGQUIT, SIG_DFL);
        unblock_one(SIGQUIT);
        raise(SIGQUIT);
        _exit(0);
    }
    return wait_timed(pid, SIG_WAIT_MS * 2);
}

static void part_dumpable(void)
{
    check_eq("prctl.dumpable.default_1", 1, pr(PR_GET_DUMPABLE, 0, 0, 0, 0));
    check_eq("prctl.dumpable.set_0", 0, pr(PR_SET_DUMPABLE, 0, 0, 0, 0));
    check_eq("prctl.dumpable.get_0", 0, pr(PR_GET_DUMPABLE, 0, 0, 0, 0));
    pid_t pid = xfork();
    if (pid == 0)
        _exit(pr(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0 ? 0 : 1);
    int st = wait_timed(pid, SIG_WAIT_MS);
    check(st == 0, "prctl.dumpable.fork_inherits_0",
          "a fork child of an undumpable process (exit 1: it was dumpable) %s", wstr(st));
    check_eq("prctl.dumpable.set_1", 0, pr(PR_SET_DUMPABLE, 1, 0, 0, 0));
    check_eq("prctl.dumpable.get_1", 1, pr(PR_GET_DUMPABLE, 0, 0, 0, 0));
    check_errno("prctl.dumpable.einval_2", pr(PR_SET_DUMPABLE, 2, 0, 0, 0), EINVAL);
    check_errno("prctl.dumpable.einval_3", pr(PR_SET_DUMPABLE, 3, 0, 0, 0), EINVAL);
    check_eq("prctl.dumpable.einval_keeps", 1, pr(PR_GET_DUMPABLE, 0, 0, 0, 0));
    pthread_t th;
    if (pthread_create(&th, NULL, undump_thread, NULL) == 0) {
        pthread_join(th, NULL);
        check_eq("prctl.dumpable.thread_shares", 0, pr(PR_GET_DUMPABLE, 0, 0, 0, 0));
    }
    pr(PR_SET_DUMPABLE, 1, 0, 0, 0);
    // Linux keeps the setting with the memory (the mm), which a vfork
    // child shares with its parent until it execs or exits.
    pid = vfork();
    if (pid == 0) {
        syscall(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0);
        _exit(0);
    }
    wait_timed(pid, SIG_WAIT_MS);
    check_eq("prctl.dumpable.vfork_child_shares", 0, pr(PR_GET_DUMPABLE, 0, 0, 0, 0));
    pr(PR_SET_DUMPABLE, 1, 0, 0, 0);

    // The core bit. Linux writes a file "core" in the working directory
    // where core_pattern says so: a scratch directory, removed after.
    const char *dir = scratch_path("t_prctl.cores");
    remove_tree(dir);
    mkdir(dir, 0755);
    st = quit_child(dir, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 20)
        skip("prctl.dumpable.no_core_bit", "RLIMIT_CORE cannot be made unlimited here");
    else
        check(WIFSIGNALED(st) && WTERMSIG(st) == SIGQUIT && !WCOREDUMP(st),
              "prctl.dumpable.no_core_bit",
              "undumpable, RLIMIT_CORE unlimited, SIGQUIT: expected killed by SIGQUIT without the "
              "core bit; it %s (status %#x)",
              wstr(st), st);
    char pattern[256] = "";
    if (!on_bunshin() && read_file("/proc/sys/kernel/core_pattern", pattern, sizeof pattern) > 0 &&
        (pattern[0] == '|' || strchr(pattern, '/'))) {
        skip("prctl.dumpable.core_bit", "the host's core_pattern is %s: a helper or another "
                                        "directory decides whether a core is dumped",
             pattern);
    } else {
        st = quit_child(dir, 1);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 20)
            skip("prctl.dumpable.core_bit", "RLIMIT_CORE cannot be made unlimited here");
        else
            check(WIFSIGNALED(st) && WTERMSIG(st) == SIGQUIT && WCOREDUMP(st),
                  "prctl.dumpable.core_bit",
                  "dumpable, RLIMIT_CORE unlimited, SIGQUIT: expected killed by SIGQUIT with the "
                  "core bit; it %s (status %#x)",
                  wstr(st), st);
    }
    remove_tree(dir);
}

// --- no_new_privs and the rest ---------------------------------------------------------

static void part_nnp(void)
{
    check_eq("prctl.nnp.default_0", 0, pr(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    check_errno("prctl.nnp.set_0_einval", pr(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL);
    check_errno("prctl.nnp.set_2_einval", pr(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0), EINVAL);
    check_errno("prctl.nnp.set_arg3_einval", pr(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), EINVAL);
    check_errno("prctl.nnp.set_arg4_einval", pr(PR_SET_NO_NEW_PRIVS, 1, 0, 1, 0), EINVAL);
    check_errno("prctl.nnp.set_arg5_einval", pr(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 1), EINVAL);
    check_eq("prctl.nnp.still_0", 0, pr(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    check_eq("prctl.nnp.set", 0, pr(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    check_eq("prctl.nnp.get", 1, pr(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    check_eq("prctl.nnp.set_again", 0, pr(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    check_errno("prctl.nnp.cannot_unset", pr(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL);
    check_errno("prctl.nnp.get_arg2_einval", pr(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), EINVAL);
    check_errno("prctl.nnp.get_arg5_einval", pr(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 1), EINVAL);
    pid_t pid = xfork();
    if (pid == 0)
        _exit(pr(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1);
    int st = wait_timed(pid, SIG_WAIT_MS);
    check(st == 0, "prctl.nnp.fork_inherits", "a fork child (exit 1: it did not have it) %s",
          wstr(st));
}

static void part_misc(void)
{
    int v = -1;
    check_eq("prctl.child_subreaper.get", 0,
             pr(PR_GET_CHILD_SUBREAPER, (unsigned long)&v, 0, 0, 0));
    check_eq("prctl.child_subreaper.is_0", 0, v);
    check_errno("prctl.child_subreaper.efault", pr(PR_GET_CHILD_SUBREAPER, 0, 0, 0, 0), EFAULT);
    // The bounding set holds CAP_CHOWN (a container's root keeps it);
    // past the last capability the kernel knows (40, Linux 5.9 on) is EINVAL.
    check_eq("prctl.capbset_read.chown", 1, pr(PR_CAPBSET_READ, 0, 0, 0, 0));
    check_errno("prctl.capbset_read.past_last", pr(PR_CAPBSET_READ, 41, 0, 0, 0), EINVAL);
    check_errno("prctl.capbset_read.huge", pr(PR_CAPBSET_READ, 0x80000000u, 0, 0, 0), EINVAL);
    check_errno("prctl.unknown.0", pr(0, 0, 0, 0, 0), EINVAL);
    check_errno("prctl.unknown.1000", pr(1000, 0, 0, 0, 0), EINVAL);
    check_errno("prctl.unknown.big", pr(0x7ffffff0, 0, 0, 0, 0), EINVAL);
    check_errno("prctl.unknown.negative", pr(-1, 0, 0, 0, 0), EINVAL);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec-report") == 0)
        return exec_report(argc, argv);
    static const struct sig_part parts[] = {
        { "name", part_name },
        { "exec", part_exec },
        { "pdeathsig_values", part_deathsig_values },
        { "pdeathsig_process", part_deathsig_process },
        { "pdeathsig_thread", part_deathsig_thread },
        { "dumpable", part_dumpable },
        { "nnp", part_nnp },
        { "misc", part_misc },
    };
    return sig_run_parts("prctl", parts, sizeof parts / sizeof parts[0]);
}
