// t_execfds: the descriptors a program holds after execve.
//
// A child closes everything above 2, then sets up descriptors whose
// close-on-exec flag was set (or cleared) in every way there is, and
// execs /tests/fd_report, which lists what it got from inside: by
// fcntl(F_GETFD) on every slot, and by listing /proc/self/fd.
//   fd 3   open()                           kept
//   fd 4   open(O_CLOEXEC)                  closed
//   fd 5   open(), F_SETFD FD_CLOEXEC       closed
//   fd 6   dup3(3, 6, O_CLOEXEC)            closed
//   fd 7   dup2(4, 7): copy of fd 4         kept (dup2 clears the flag)
//   fd 8   F_DUPFD_CLOEXEC(3, 8)            closed
//   fd 9,10  pipe2(O_CLOEXEC)               closed
//   fd 11,12 pipe()                         kept
//   fd 13  F_DUPFD(3, 13)                   kept
//   fd 14  open(O_CLOEXEC), F_SETFD 0       kept
//   fd 200 dup2(3, 200)                     kept
// So exactly 0 1 2 3 7 11 12 13 14 200, none with close-on-exec. fd 3's
// description survives with its offset: fd_report sees offset 3 (after
// "abc") and its "Z" lands after "abc".
//
// Also: a failed execve (no such file; a file that is not a program)
// closes nothing; posix_spawn with a dup2 file action gives the program
// the dup'd fd and not the close-on-exec ones; and a pipe's reader sees end
// of file only once the exec'd writer, holding a copy of the write end,
// has exited.
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

extern char **environ;

// Straight to the kernel: musl's own open(O_CLOEXEC), dup3() and
// F_DUPFD_CLOEXEC would set the flag again (or not call the kernel at all).
static int raw_open(const char *path, int flags)
{
    return syscall(SYS_open, path, flags | O_LARGEFILE, 0644);
}

static int line_value(const char *text, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, key, klen) == 0) {
            size_t n = strcspn(p, "\n");
            if (n >= size)
                n = size - 1;
            memcpy(out, p, n);
            out[n] = '\0';
            return 0;
        }
    }
    out[0] = '\0';
    return -1;
}

// Runs in the child: set up the table, then exec fd_report.
static void setup_and_exec(int out, const char *file)
{
    if (dup2(out, 1) < 0)
        _exit(120);
    close_fds_from(3);
    int err = 0;
    err |= open(file, O_RDWR) != 3;
    err |= raw_open(file, O_RDONLY | O_CLOEXEC) != 4;
    err |= open(file, O_RDONLY) != 5;
    err |= fcntl(5, F_SETFD, FD_CLOEXEC) != 0;
    err |= syscall(SYS_dup3, 3, 6, O_CLOEXEC) != 6;
    err |= dup2(4, 7) != 7;
    err |= syscall(SYS_fcntl64, 3, F_DUPFD_CLOEXEC, 8) != 8;
    int p[2], q[2];
    err |= pipe2(p, O_CLOEXEC) != 0 || p[0] != 9 || p[1] != 10;
    err |= pipe(q) != 0 || q[0] != 11 || q[1] != 12;
    err |= fcntl(3, F_DUPFD, 13) != 13;
    err |= raw_open(file, O_RDONLY | O_CLOEXEC) != 14;
    err |= fcntl(14, F_SETFD, 0) != 0;
    err |= dup2(3, 200) != 200;
    err |= write(3, "abc", 3) != 3;
    if (err)
        _exit(121);
    char *argv[] = { "fd_report", "3", NULL };
    execve(rootpath("/tests/fd_report"), argv, environ);
    _exit(122);
}

static void test_exec_fds(void)
{
    const char *file = scratch_path("execfds-file");
    int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fail("exec.setup", "open %s: %s", file, errname(errno));
        return;
    }
    close(fd);
    int p[2];
    if (pipe(p) < 0) {
        fail("exec.setup", "pipe: %s", errname(errno));
        return;
    }
    pid_t pid = xfork();
    if (pid == 0) {
        close(p[0]);
        setup_and_exec(p[1], file);
    }
    close(p[1]);
    char out[8192] = "";
    ssize_t n = read_full(p[0], out, sizeof out - 1);
    close(p[0]);
    out[n > 0 ? n : 0] = '\0';
    int st = wait_for(pid);
    if (!check(st == 0, "exec.child",
               "the child %s (121: setting up the fds failed; 122: execve failed)",
               status_str(st)))
        return;

    const char *want = "0 1 2 3 7 11 12 13 14 200";
    char got[4096];
    line_value(out, "fcntl ", got, sizeof got);
    check(strcmp(got + 6, want) == 0, "exec.fds_by_fcntl",
          "fcntl(F_GETFD) after execve finds \"%s\", expected \"%s\" (! = close-on-exec set)",
          got + 6, want);
    line_value(out, "proc", got, sizeof got);
    check(strcmp(got, tname("proc %s", want)) == 0, "exec.fds_in_proc",
          "/proc/self/fd after execve lists \"%s\", expected \"proc %s\"", got, want);
    line_value(out, "fd 3 ", got, sizeof got);
    check_str("exec.offset_kept", "fd 3 offset 3", got);
    char data[16] = "";
    read_file(file, data, sizeof data);
    check_str("exec.description_shared", "abcZ", data);
    unlink(file);
}

// A failed execve leaves the table as it was, close-on-exec fds included.
static void failed_exec(void *arg)
{
    const char *target = arg;
    int fd = raw_open(scratch_path("execfds-fail"), O_RDWR | O_CREAT | O_CLOEXEC);
    if (fd < 0)
        _exit(10);
    char *argv[] = { "x", NULL };
    execve(target, argv, environ);
    int err = errno;
    // Still open, still close-on-exec.
    _exit(fcntl(fd, F_GETFD) == FD_CLOEXEC ? (err == ENOENT ? 0 : err == ENOEXEC ? 1 : 2) : 3);
}

static void test_failed_exec(void)
{
    int st = run_child(failed_exec, "/no/such/program");
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec.failed_keeps_fds",
          "execve of a missing file: the child %s (0: ENOENT and the close-on-exec fd still open; "
          "2: another error; 3: the fd was closed)",
          status_str(st));
    const char *text = scratch_path("execfds-text");
    int fd = open(text, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, "just some text, not a program\n", 30);
    close(fd);
    st = run_child(failed_exec, (void *)text);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 1, "exec.failed_noexec_keeps_fds",
          "execve of a text file: the child %s (1: ENOEXEC and the fd still open; 3: closed)",
          status_str(st));
    unlink(text);
    unlink(scratch_path("execfds-fail"));
}

// posix_spawn: a dup2 file action, and the close-on-exec fds gone.
static void spawn_child(void *arg)
{
    (void)arg;
    close_fds_from(3);
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0 || p[0] != 3 || p[1] != 4)
        _exit(10);
    if (raw_open(scratch_path("execfds-spawn"), O_RDWR | O_CREAT | O_CLOEXEC) != 5)
        _exit(11);
    if (open(scratch_path("execfds-spawn"), O_RDWR) != 6)
        _exit(12);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, 4, 1);
    posix_spawn_file_actions_adddup2(&fa, 5, 9);   // a copy of a cloexec fd: kept
    char *argv[] = { "fd_report", NULL };
    pid_t pid;
    if (posix_spawn(&pid, rootpath("/tests/fd_report"), &fa, NULL, argv, environ) != 0)
        _exit(13);
    close(4);
    char out[4096] = "";
    ssize_t n = read_full(3, out, sizeof out - 1);
    out[n > 0 ? n : 0] = '\0';
    if (wait_for(pid) != 0)
        _exit(14);
    // Report through our own stdout (the test's) as a check line.
    char got[4096];
    line_value(out, "fcntl ", got, sizeof got);
    check(strcmp(got, "fcntl 0 1 2 6 9") == 0, "exec.spawn_fds",
          "after posix_spawn with dup2 4->1 and 5->9, the program has \"%s\", expected "
          "\"fcntl 0 1 2 6 9\"",
          got);
    _exit(test_failures() ? 1 : 0);
}

static void test_spawn(void)
{
    int st = run_child(spawn_child, NULL);
    if (!(WIFEXITED(st) && WEXITSTATUS(st) <= 1))
        fail("exec.spawn_fds", "the child %s (10-12: set-up, 13: posix_spawn, 14: fd_report)",
             status_str(st));
    unlink(scratch_path("execfds-spawn"));
}

// A pipe's write end inherited by an exec'd program: the reader sees end
// of file only when that program (the last writer) has exited.
static void test_pipe_eof_after_exec(void)
{
    int p[2];
    if (pipe(p) < 0) {
        fail("exec.pipe_eof", "pipe: %s", errname(errno));
        return;
    }
    pid_t pid = xfork();
    if (pid == 0) {
        close(p[0]);
        dup2(p[1], 1);
        close(p[1]);
        char *argv[] = { "sleep", "0.3", NULL };
        execve(rootpath("/bin/sleep"), argv, environ);
        _exit(127);
    }
    close(p[1]);
    long long t0 = mono_ns();
    char c;
    ssize_t n = read(p[0], &c, 1);
    long long ms = (mono_ns() - t0) / 1000000;
    int st = wait_for(pid);
    check(n == 0 && ms >= 200 && st == 0, "exec.pipe_eof",
          "read returned %zd after %lld ms (expected 0, end of file, after sleep 0.3 ended: "
          "%s)",
          n, ms, status_str(st));
    close(p[0]);
}

int main(void)
{
    test_exec_fds();
    test_failed_exec();
    test_spawn();
    test_pipe_eof_after_exec();
    return test_status();
}
