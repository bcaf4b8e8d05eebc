// t_wait: exit and wait4, with Linux's status encoding.
// Exit codes 0, 1, 42, 255 (and 256, which keeps only the low 8 bits), a
// child killed by SIGSEGV, WNOHANG, waiting for one given child while
// another is a zombie, and ECHILD. Children that must still be running when
// the parent looks wait for a "go" file, so nothing depends on timing.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

static const char *go_path;

// In a child: wait (at most 10 s) until the go file exists, then exit(code).
static void wait_for_go_then_exit(int code)
{
    struct timespec ms = { 0, 5 * 1000000 };
    for (int i = 0; i < 2000 && access(go_path, F_OK) != 0; i++)
        nanosleep(&ms, NULL);
    _exit(code);
}

static void say_go(void)
{
    int fd = open(go_path, O_CREAT | O_WRONLY, 0644);
    close(fd);
}

static int exit_code;
static void exit_with(void *arg)
{
    (void)arg;
    _exit(exit_code);
}

static void null_deref(void *arg)
{
    (void)arg;
    *(volatile int *)0 = 1;
}

static void sys_exit(void *arg)
{
    (void)arg;
    syscall(SYS_exit, 5);   // the one-thread exit, not exit_group
}

int main(void)
{
    static const int codes[] = { 0, 1, 42, 255 };
    for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        exit_code = codes[i];
        int st = run_child(exit_with, NULL);
        // Linux's encoding: the code in bits 8..15, low byte 0.
        check(WIFEXITED(st) && !WIFSIGNALED(st) && WEXITSTATUS(st) == codes[i] &&
                  st == codes[i] << 8,
              tname("wait.exit_%d", codes[i]), "status %#x: %s", st, status_str(st));
    }
    exit_code = 256;
    int st = run_child(exit_with, NULL);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "wait.exit_256_low_byte",
          "exit(256) gave %s", status_str(st));
    st = run_child(sys_exit, NULL);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 5, "wait.sys_exit",
          "the exit system call (1) with 5 gave %s", status_str(st));

    st = run_child(null_deref, NULL);
    check(st != -1 && WIFSIGNALED(st) && !WIFEXITED(st) && WTERMSIG(st) == SIGSEGV,
          "wait.killed_sigsegv", "a NULL write gave status %#x: %s", st, status_str(st));

    // WNOHANG while the child runs, then a blocking wait for it.
    go_path = scratch_path(tname("t_wait.go.%d", (int)getpid()));
    unlink(go_path);
    pid_t pid = xfork();
    if (pid == 0)
        wait_for_go_then_exit(7);
    st = -1;
    check_errno("wait.bad_options", wait4(pid, &st, 0x100, NULL), EINVAL);
    check_eq("wait.wnohang_running", 0, wait4(pid, &st, WNOHANG, NULL));
    check_eq("wait.wnohang_any_running", 0, wait4(-1, &st, WNOHANG, NULL));
    say_go();
    pid_t r = wait4(pid, &st, 0, NULL);
    check(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7, "wait.blocking",
          "wait4(%d) returned %d, %s", (int)pid, (int)r, status_str(st));
    unlink(go_path);

    // Two children: a ends at once, b waits for the go file. Waiting for b
    // must return b, even though a (almost surely, after the pause) ended
    // first; a's status is then still there to collect. Both waits block,
    // so the outcome does not depend on the timing.
    pid_t a = xfork();
    if (a == 0)
        _exit(11);
    pid_t b = xfork();
    if (b == 0)
        wait_for_go_then_exit(22);
    struct timespec pause = { 0, 50 * 1000000 };
    nanosleep(&pause, NULL);
    int sta = -1, stb = -1;
    check_eq("wait.given_pid_running", 0, wait4(b, &stb, WNOHANG, NULL));
    say_go();
    r = wait4(b, &stb, 0, NULL);
    check(r == b && WIFEXITED(stb) && WEXITSTATUS(stb) == 22, "wait.given_pid",
          "wait4(b) returned %d (b is %d, a is %d), %s", (int)r, (int)b, (int)a,
          status_str(stb));
    r = wait4(a, &sta, 0, NULL);
    check(r == a && WIFEXITED(sta) && WEXITSTATUS(sta) == 11, "wait.zombie_kept",
          "wait4(a) after b returned %d (a is %d), %s", (int)r, (int)a, status_str(sta));
    unlink(go_path);

    // No children left.
    check_errno("wait.echild", wait4(-1, &st, 0, NULL), ECHILD);
    check_errno("wait.echild_wnohang", wait4(-1, &st, WNOHANG, NULL), ECHILD);
    check_errno("wait.echild_not_mine", wait4(getppid(), &st, 0, NULL), ECHILD);
    check_errno("wait.echild_reaped", wait4(a, &st, 0, NULL), ECHILD);
    return test_status();
}
