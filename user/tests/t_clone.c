// t_clone: the raw clone system call: flag combinations that must be
// refused with EINVAL, and what some accepted flags do for a process.
//
// Refused by Linux and bunshin alike (Linux checks these before any
// permission, so they hold for root too):
//   CLONE_THREAD without CLONE_SIGHAND; CLONE_SIGHAND without CLONE_VM;
//   CLONE_NEWNS | CLONE_FS; CLONE_NEWUSER | CLONE_FS; CLONE_THREAD with
//   CLONE_NEWPID; CLONE_PIDFD | CLONE_PARENT_SETTID (one pointer for both);
//   CLONE_PIDFD | CLONE_DETACHED.
// Refused by bunshin, which does not have them, but accepted by Linux
// (some only for root): CLONE_PTRACE, CLONE_PARENT, CLONE_UNTRACED,
// CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET, CLONE_IO,
// CLONE_PIDFD alone: checked on bunshin, skipped on Linux.
// Every probe runs in a child of its own, so that a kernel that wrongly
// accepts a flag cannot take the test down; no process may be left behind.
//
// A thread made with the raw call and an exit signal in the low byte
// (CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | SIGCHLD): Linux accepts it and
// ignores the signal (a thread's end is never signalled), so bunshin must
// too; the thread runs, ends, clears its tid, and is nobody's child.
//
// Accepted flags, for a process (no CLONE_VM):
//   clone(SIGCHLD) is fork; CLONE_PARENT_SETTID stores the child's pid in
//   the parent; CLONE_CHILD_SETTID stores it in the child's own memory;
//   CLONE_VFORK without CLONE_VM makes the parent wait for the child's exit
//   and still gives the child a copy; CLONE_FILES shares the fd table and
//   CLONE_FS the working directory and umask.
#define _GNU_SOURCE   // the CLONE_ flags in <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

// clone(flags, stack, parent_tid, tls, child_tid): the i386 argument order.
static long raw_clone(unsigned long flags, void *ptid, void *ctid)
{
    return syscall(SYS_clone, flags, 0, ptid, 0, ctid);
}

// In a child: try the flags; exit 0 for EINVAL, 100 + errno for another
// error, 99 from a clone child that should not exist, 98 for success.
static void probe(void *arg)
{
    unsigned long flags = *(unsigned long *)arg;
    int ptid = 0;
    long r = raw_clone(flags, &ptid, &ptid);
    if (r == 0)
        _exit(99);
    if (r > 0)
        _exit(98);
    _exit(errno == EINVAL ? 0 : 100 + (errno & 127));
}

static void expect_einval(const char *name, unsigned long flags, const char *what)
{
    int st = run_child(probe, &flags);
    const char *why = "";
    if (WIFEXITED(st) && WEXITSTATUS(st) >= 100)
        why = errname(WEXITSTATUS(st) - 100);
    else if (WIFEXITED(st) && WEXITSTATUS(st) >= 98)
        why = "it succeeded";
    check(st == 0, name, "clone(%s = %#lx) should fail with EINVAL: %s %s", what, flags,
          status_str(st), why);
}

static void refused(void)
{
    expect_einval("clone.thread_without_sighand", CLONE_VM | CLONE_THREAD,
                  "CLONE_VM | CLONE_THREAD");
    expect_einval("clone.sighand_without_vm", CLONE_SIGHAND | SIGCHLD,
                  "CLONE_SIGHAND | SIGCHLD");
    expect_einval("clone.newns_with_fs", CLONE_NEWNS | CLONE_FS | SIGCHLD,
                  "CLONE_NEWNS | CLONE_FS | SIGCHLD");
    expect_einval("clone.newuser_with_fs", CLONE_NEWUSER | CLONE_FS | SIGCHLD,
                  "CLONE_NEWUSER | CLONE_FS | SIGCHLD");
    expect_einval("clone.thread_with_newpid",
                  CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_NEWPID,
                  "CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_NEWPID");
    expect_einval("clone.pidfd_with_parent_settid",
                  CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD,
                  "CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD");
    expect_einval("clone.pidfd_with_detached", CLONE_PIDFD | CLONE_DETACHED | SIGCHLD,
                  "CLONE_PIDFD | CLONE_DETACHED | SIGCHLD");

    static const struct {
        const char *name;
        unsigned long flag;
    } unsupported[] = {
        { "ptrace", CLONE_PTRACE },   { "parent", CLONE_PARENT },
        { "untraced", CLONE_UNTRACED }, { "newns", CLONE_NEWNS },
        { "newipc", CLONE_NEWIPC },   { "newuts", CLONE_NEWUTS },
        { "newnet", CLONE_NEWNET },   { "io", CLONE_IO },
        { "pidfd", CLONE_PIDFD },
    };
    for (unsigned i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
        const char *name = tname("clone.unsupported_%s", unsupported[i].name);
        if (on_bunshin())
            expect_einval(name, unsupported[i].flag | SIGCHLD,
                          tname("an unsupported flag %#lx | SIGCHLD", unsupported[i].flag));
        else
            skip(name, "Linux supports this flag (%#lx)", unsupported[i].flag);
    }
    int st;
    pid_t r = waitpid(-1, &st, WNOHANG);
    check(r == -1 && errno == ECHILD, "clone.refused_leave_nothing",
          "after the refused clones, waitpid(-1, WNOHANG) returned %d (%s)", (int)r,
          r > 0 ? status_str(st) : r == 0 ? "a child is running" : errname(errno));
}

// --- a raw thread ---------------------------------------------------------------

static unsigned char thread_stack[16384] __attribute__((aligned(16)));
static volatile int thread_tid;

// clone with a new stack; the new thread does the exit system call (1) at
// once, on its own stack, touching no memory. Returns what the parent got.
static long clone_thread_exits(unsigned long flags, void *stack, volatile int *ptid,
                               volatile int *ctid)
{
    long ret;
    __asm__ volatile("int $0x80\n\t"
                     "testl %%eax, %%eax\n\t"
                     "jnz 1f\n\t"
                     "movl $1, %%eax\n\t"
                     "xorl %%ebx, %%ebx\n\t"
                     "int $0x80\n\t"
                     "hlt\n"
                     "1:"
                     : "=a"(ret)
                     : "a"(SYS_clone), "b"(flags), "c"(stack), "d"(ptid), "S"(0), "D"(ctid)
                     : "memory");
    return ret;
}

// In a child of its own: 0 if the thread was made, ended and cleared its
// tid, and is no child of ours; 100 + errno if clone failed; 1 if it never
// cleared its tid; 2 if wait saw it.
static void thread_with_signal(void *arg)
{
    (void)arg;
    thread_tid = -1;
    long r = clone_thread_exits(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_PARENT_SETTID |
                                    CLONE_CHILD_CLEARTID | SIGCHLD,
                                thread_stack + sizeof thread_stack, &thread_tid, &thread_tid);
    if (r < 0)
        _exit(100 + (int)(-r & 127));
    for (int i = 0; i < 100 && thread_tid != 0; i++)
        sleep_ms(10);
    if (thread_tid != 0)
        _exit(1);
    _exit(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD ? 0 : 2);
}

static void raw_thread(void)
{
    int st = run_child(thread_with_signal, NULL);
    check(st == 0, "clone.thread_exit_signal_ignored",
          "clone(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | SIGCHLD ...) with a stack of its "
          "own: %s %s (Linux accepts the exit signal and ignores it for a thread; 100+errno: "
          "clone failed; 1: the thread never cleared its tid; 2: wait saw the thread)",
          status_str(st),
          WIFEXITED(st) && WEXITSTATUS(st) >= 100 ? errname(WEXITSTATUS(st) - 100) : "");
}

// --- accepted flags -----------------------------------------------------------

static volatile int marker;

static void accepted(void)
{
    // clone(SIGCHLD) is fork.
    marker = 1;
    long r = raw_clone(SIGCHLD, NULL, NULL);
    if (r == 0) {
        marker = 2;
        _exit(21);
    }
    int st = r > 0 ? wait_for((pid_t)r) : -1;
    check(r > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 21 && marker == 1, "clone.as_fork",
          "clone(SIGCHLD) returned %ld (%s); the child %s; the parent's marker is %d (1 "
          "expected)", r, r < 0 ? errname(errno) : "", status_str(st), marker);

    // CLONE_PARENT_SETTID and CLONE_CHILD_SETTID.
    static volatile int ptid, ctid;
    ptid = ctid = 0;
    r = raw_clone(CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | SIGCHLD, (void *)&ptid,
                  (void *)&ctid);
    if (r == 0) {
        // Our own memory holds our pid (CLONE_CHILD_SETTID).
        _exit(ctid == getpid() ? 0 : ctid == 0 ? 1 : 2);
    }
    st = r > 0 ? wait_for((pid_t)r) : -1;
    check(r > 0 && ptid == r, "clone.parent_settid",
          "clone returned %ld (%s); the parent's parent_tid holds %d", r,
          r < 0 ? errname(errno) : "", ptid);
    check(st == 0, "clone.child_settid",
          "CLONE_CHILD_SETTID without CLONE_VM: the child %s (1: its child_tid was still "
          "0, as if the kernel stored the pid only with CLONE_VM; 2: another value)",
          status_str(st));
    check(ctid == 0, "clone.child_settid_not_in_parent",
          "the parent's child_tid holds %d: the child's pid went into the parent's memory",
          ctid);

    // CLONE_VFORK without CLONE_VM: a copy, and the parent waits for it.
    marker = 1;
    long long start = mono_ns();
    r = raw_clone(CLONE_VFORK | SIGCHLD, NULL, NULL);
    if (r == 0) {
        marker = 3;
        sleep_ms(30);
        _exit(22);
    }
    long long waited = mono_ns() - start;
    st = r > 0 ? wait_for((pid_t)r) : -1;
    check(r > 0 && waited >= 30 * 1000000LL && marker == 1 && WIFEXITED(st) &&
              WEXITSTATUS(st) == 22,
          "clone.vfork_without_vm", "clone(CLONE_VFORK | SIGCHLD) returned %ld after %lld "
          "us (the child sleeps 30 ms); the parent's marker %d (1: the child had a copy); "
          "the child %s", r, waited / 1000, marker, status_str(st));

    // CLONE_FILES: the child's new fd is in the parent's table.
    const char *path = scratch_path(tname("t_clone.%d", (int)getpid()));
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    close(fd);
    r = raw_clone(CLONE_FILES | SIGCHLD, NULL, NULL);
    if (r == 0) {
        int f = open(path, O_RDONLY);
        _exit(f < 0 || f > 250 ? 255 : f);
    }
    st = r > 0 ? wait_for((pid_t)r) : -1;
    int child_fd = WIFEXITED(st) ? WEXITSTATUS(st) : 255;
    check(r > 0 && child_fd != 255 && fcntl(child_fd, F_GETFD) >= 0, "clone.files_shared",
          "the CLONE_FILES child opened fd %d (%s); in the parent it is %s", child_fd,
          status_str(st), fcntl(child_fd, F_GETFD) >= 0 ? "open" : "not open");
    if (child_fd != 255)
        close(child_fd);
    unlink(path);

    // CLONE_FS: the child's chdir and umask are the parent's.
    char old_cwd[4096], cwd[4096];
    if (!getcwd(old_cwd, sizeof old_cwd))
        strcpy(old_cwd, "/");
    const char *dir = rootpath("/tests");
    mode_t old_mask = umask(022);
    r = raw_clone(CLONE_FS | SIGCHLD, NULL, NULL);
    if (r == 0) {
        umask(077);
        _exit(chdir(dir) == 0 ? 0 : 1);
    }
    st = r > 0 ? wait_for((pid_t)r) : -1;
    const char *now = getcwd(cwd, sizeof cwd);
    mode_t mask = umask(old_mask);
    check(r > 0 && st == 0 && now && strcmp(now, dir) == 0 && mask == 077, "clone.fs_shared",
          "after the CLONE_FS child's chdir(%s) and umask(077) (%s): the parent's cwd is "
          "%s and its umask %03o", dir, status_str(st), now ? now : "(getcwd failed)",
          (unsigned)mask);
    chdir(old_cwd);
}

static void all_checks(void *arg)
{
    (void)arg;
    refused();
    raw_thread();
    accepted();
    _exit(test_status());
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all_checks, NULL);
    check(st == 0, "clone.checks_passed", "the child doing the checks %s", status_str(st));
    memfree_check("clone.memfree_restored", before);
    return test_status();
}
