// t_vfork: the vfork child runs in its parent's memory, and the parent
// waits until the child has exec'd or exited.
//
//   - the child writes a global and a local of the parent's frame; the
//     parent sees both after vfork returns;
//   - the child sleeps 50 ms, then records the time and sets a flag as its
//     very last act before _exit: when vfork returns in the parent, the flag
//     is set and the clock is past the child's reading;
//   - the child has its own pid, and the parent as its parent;
//   - the child sleeps, then execs pipe_hold, which stays alive: the parent
//     runs again while its child is still running (released by the exec,
//     not the exit), and after the child's sleep;
//   - a child whose exec fails tells the parent the errno through memory;
//   - exit statuses arrive through wait as usual.
// On bunshin, MemFree is back where it started at the end.
// bunshin-boot: fork=odf
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

static volatile int global_word;
static volatile long long child_end_ns;
static volatile int child_done;
static volatile pid_t child_pid, child_ppid;
static volatile int exec_errno;

// Everything the child touches, and every local that lives across vfork,
// is volatile: the child runs on the parent's stack and may change
// registers the compiler would otherwise trust (GCC's -Wclobbered).
static void test_writes_and_wait(void)
{
    volatile int local_word = 1;
    volatile int *local_ptr = &local_word;
    global_word = 1;
    child_done = 0;
    pid_t me = getpid();
    long long start = mono_ns();

    pid_t pid = vfork();
    if (pid == 0) {
        global_word = 0x5eed;
        *local_ptr = 0xf00d;
        child_pid = getpid();
        child_ppid = getppid();
        sleep_ms(50);
        child_end_ns = mono_ns();
        child_done = 1;   // the last thing the child does
        _exit(7);
    }
    long long resumed = mono_ns();
    int done = child_done;
    if (!check(pid > 0, "vfork.returns_pid", "vfork: %s", errname(errno)))
        return;
    check(done == 1, "vfork.parent_waits_for_exit",
          "vfork returned in the parent before the child's last write");
    check(resumed >= child_end_ns && resumed - start >= 50 * 1000000LL,
          "vfork.parent_waits_for_sleep",
          "the parent resumed %lld us after vfork; the child ended its 50 ms sleep %lld us "
          "after vfork",
          (resumed - start) / 1000, (child_end_ns - start) / 1000);
    check(global_word == 0x5eed, "vfork.child_write_global",
          "the child wrote 0x5eed to a global; the parent sees %#x", global_word);
    check(local_word == 0xf00d, "vfork.child_write_parent_frame",
          "the child wrote 0xf00d to a local of the parent's frame; the parent sees %#x",
          local_word);
    check(child_pid == pid && child_pid != me && child_ppid == me, "vfork.child_ids",
          "vfork returned %d; the child saw getpid %d and getppid %d; the parent is %d",
          (int)pid, (int)child_pid, (int)child_ppid, (int)me);
    int st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "vfork.exit_status",
          "the child did _exit(7): %s", status_str(st));
}

static void test_exec(void)
{
    int hold[2];
    if (pipe(hold) < 0) {
        fail("vfork.pipe", "pipe: %s", errname(errno));
        return;
    }
    char rfd[16];
    snprintf(rfd, sizeof rfd, "%d", hold[0]);
    const char *helper = rootpath("/tests/pipe_hold");
    child_done = 0;
    exec_errno = 0;
    long long start = mono_ns();
    pid_t pid = vfork();
    if (pid == 0) {
        close(hold[1]);    // the child's own fd table: the parent keeps its end
        sleep_ms(50);
        child_end_ns = mono_ns();
        child_done = 1;
        char *argv[] = { "pipe_hold", rfd, NULL };
        char *envp[] = { NULL };
        execve(helper, argv, envp);
        exec_errno = errno;
        _exit(127);
    }
    long long resumed = mono_ns();
    close(hold[0]);
    if (!check(pid > 0, "vfork.exec_returns_pid", "vfork: %s", errname(errno)))
        return;
    check(exec_errno == 0, "vfork.exec_works", "execve %s in the vfork child: %s", helper,
          errname(exec_errno));
    check(child_done == 1 && resumed >= child_end_ns && resumed - start >= 50 * 1000000LL,
          "vfork.parent_waits_for_exec",
          "the parent resumed %lld us after vfork; the child set its flag (%d) %lld us "
          "after vfork, after a 50 ms sleep, then exec'd",
          (resumed - start) / 1000, child_done, (child_end_ns - start) / 1000);
    // pipe_hold waits for our end to close: the child is still running.
    int st = -1;
    pid_t r = waitpid(pid, &st, WNOHANG);
    check(r == 0, "vfork.released_by_exec",
          "the parent ran again, but waitpid(WNOHANG) says %d (%s): the child should still "
          "be running pipe_hold", (int)r, r > 0 ? status_str(st) : errname(errno));
    close(hold[1]);
    st = wait_for(pid);
    check(st == 0, "vfork.exec_status", "pipe_hold after vfork %s", status_str(st));

    // An exec that fails: the child's errno reaches the parent in memory.
    const char *missing = rootpath("/bin/no-such-program");
    exec_errno = 0;
    pid = vfork();
    if (pid == 0) {
        char *argv[] = { "missing", NULL };
        char *envp[] = { NULL };
        execve(missing, argv, envp);
        exec_errno = errno;
        _exit(127);
    }
    st = wait_for(pid);
    check(exec_errno == ENOENT, "vfork.exec_fails_errno_shared",
          "execve %s in the vfork child: the parent sees errno %s", missing,
          errname(exec_errno));
    check(WIFEXITED(st) && WEXITSTATUS(st) == 127, "vfork.exec_fails_status",
          "the child did _exit(127): %s", status_str(st));
}

// Many in a row: nothing piles up (on bunshin, the MemFree check below).
static void test_many(void)
{
    volatile int bad = 0;
    for (volatile int i = 0; i < 50; i++) {
        pid_t pid = vfork();
        if (pid == 0)
            _exit(i);
        int st = wait_for(pid);
        bad += pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != i;
    }
    check(bad == 0, "vfork.fifty", "%d of 50 vfork + _exit + wait rounds went wrong", bad);
}

static void all_checks(void *arg)
{
    (void)arg;
    test_writes_and_wait();
    test_exec();
    test_many();
    _exit(test_status());
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all_checks, NULL);
    check(st == 0, "vfork.checks_passed", "the child doing the checks %s", status_str(st));
    memfree_check("vfork.memfree_restored", before);
    return test_status();
}
