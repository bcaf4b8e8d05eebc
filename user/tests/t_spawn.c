// t_spawn: musl's posix_spawn and posix_spawnp (clone with CLONE_VM |
// CLONE_VFORK, and a close-on-exec pipe on which the child reports a
// failed exec).
//
//   - /bin/true and /bin/false: success, a pid, and their exit statuses;
//   - spawn_probe gets its argv and envp (exit 42 when they are right);
//   - a missing file: posix_spawn itself returns ENOENT in the parent, and
//     no child is left to wait for; a file that is not a program: ENOEXEC;
//   - posix_spawnp finds spawn_probe through PATH (after a directory that
//     does not exist), and returns ENOENT for a name in no PATH directory;
//   - file actions: the child's stdout dup2'd onto a pipe, and opened onto
//     a file (echo's words arrive there, not on the test's stdout);
//   - 20 spawns in a row.
// On bunshin, MemFree is back where it started at the end.
// bunshin-boot: fork=odf
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

static char *no_env[] = { NULL };

// posix_spawn(path) and wait for it. Returns posix_spawn's result; the
// status goes to *st (-1 if there was no child).
static int spawn_wait(const char *path, char *const argv[], char *const envp[], int *st,
                      pid_t *pidp)
{
    pid_t pid = -1;
    *st = -1;
    int r = posix_spawn(&pid, path, NULL, NULL, argv, envp);
    if (pidp)
        *pidp = pid;
    if (r == 0)
        *st = wait_for(pid);
    return r;
}

static void no_child_left(const char *name)
{
    int st;
    pid_t r = waitpid(-1, &st, WNOHANG);
    check(r == -1 && errno == ECHILD, name,
          "after the failed spawn, waitpid(-1, WNOHANG) returned %d (%s): a child was left",
          (int)r, r > 0 ? status_str(st) : r == 0 ? "one still running" : errname(errno));
}

static void test_spawn(void)
{
    int st;
    pid_t pid;
    const char *t = rootpath("/bin/true");
    char *targv[] = { "true", NULL };
    int r = spawn_wait(t, targv, no_env, &st, &pid);
    check(r == 0 && pid > 0 && st == 0, "spawn.true",
          "posix_spawn %s: returned %s, pid %d, %s", t, r ? errname(r) : "0", (int)pid,
          status_str(st));

    const char *f = rootpath("/bin/false");
    char *fargv[] = { "false", NULL };
    r = spawn_wait(f, fargv, no_env, &st, &pid);
    check(r == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 1, "spawn.false",
          "posix_spawn %s: returned %s, %s", f, r ? errname(r) : "0", status_str(st));

    const char *probe = rootpath("/tests/spawn_probe");
    char *pargv[] = { "spawn_probe", "hello", "world", NULL };
    char *penv[] = { "OTHER=1", "SPAWN_PROBE=42", NULL };
    r = spawn_wait(probe, pargv, penv, &st, &pid);
    check(r == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 42, "spawn.argv_envp",
          "posix_spawn %s hello world (SPAWN_PROBE=42): returned %s, %s (42: right; "
          "1: wrong argv; 2: wrong environment)",
          probe, r ? errname(r) : "0", status_str(st));

    // A missing file: the error comes back from posix_spawn itself.
    const char *missing = rootpath("/bin/no-such-program");
    pid = 12345;
    r = spawn_wait(missing, targv, no_env, &st, &pid);
    check(r == ENOENT, "spawn.missing_enoent", "posix_spawn %s returned %s (%d), not ENOENT",
          missing, r ? errname(r) : "0 (success)", r);
    no_child_left("spawn.missing_reaped");

    // A file that is no program (and no script): ENOEXEC.
    const char *text = scratch_path(tname("t_spawn.%d.txt", (int)getpid()));
    int fd = open(text, O_CREAT | O_TRUNC | O_WRONLY, 0755);
    if (check(fd >= 0, "spawn.text_file", "creating %s: %s", text, errname(errno))) {
        write(fd, "just words\n", 11);
        close(fd);
        r = spawn_wait(text, targv, no_env, &st, &pid);
        check(r == ENOEXEC, "spawn.not_a_program_enoexec",
              "posix_spawn of a text file returned %s (%d), not ENOEXEC",
              r ? errname(r) : "0 (success)", r);
        no_child_left("spawn.not_a_program_reaped");
        unlink(text);
    }

    int bad = 0;
    for (int i = 0; i < 20; i++) {
        r = spawn_wait(t, targv, no_env, &st, &pid);
        bad += r != 0 || st != 0;
    }
    check(bad == 0, "spawn.twenty", "%d of 20 spawns of %s went wrong", bad, t);
}

// echo hello file-actions with the given actions; returns posix_spawn's
// result and the wait status in *st.
static int spawn_echo(posix_spawn_file_actions_t *fa, int *st)
{
    const char *echo = rootpath("/bin/echo");
    char *argv[] = { "echo", "hello", "file-actions", NULL };
    pid_t pid;
    *st = -1;
    int r = posix_spawn(&pid, echo, fa, NULL, argv, no_env);
    if (r == 0)
        *st = wait_for(pid);
    return r;
}

static void test_file_actions(void)
{
    static const char want[] = "hello file-actions\n";
    int p[2];
    if (pipe(p) < 0) {
        fail("spawn.dup2_pipe", "pipe: %s", errname(errno));
        return;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    posix_spawn_file_actions_addclose(&fa, p[1]);
    int st;
    int r = spawn_echo(&fa, &st);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    char buf[64] = "";
    ssize_t n = read_full(p[0], buf, sizeof buf - 1);
    close(p[0]);
    buf[n > 0 ? n : 0] = '\0';
    check(r == 0 && st == 0 && strcmp(buf, want) == 0, "spawn.dup2_pipe",
          "posix_spawn echo with stdout dup2'd onto a pipe: returned %s, %s, the pipe "
          "gave \"%s\"", r ? errname(r) : "0", status_str(st), buf);

    const char *path = scratch_path(tname("t_spawn.%d.out", (int)getpid()));
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    r = spawn_echo(&fa, &st);
    posix_spawn_file_actions_destroy(&fa);
    buf[0] = '\0';
    read_file(path, buf, sizeof buf);
    check(r == 0 && st == 0 && strcmp(buf, want) == 0, "spawn.open_file",
          "posix_spawn echo with stdout opened onto %s: returned %s, %s, the file holds "
          "\"%s\"", path, r ? errname(r) : "0", status_str(st), buf);
    unlink(path);

    // A file action that fails is reported like a failed exec.
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, rootpath("/no-such-dir/out"), O_RDONLY, 0);
    r = spawn_echo(&fa, &st);
    posix_spawn_file_actions_destroy(&fa);
    check(r == ENOENT, "spawn.open_fails_enoent",
          "posix_spawn with an open of a missing file returned %s (%d), not ENOENT",
          r ? errname(r) : "0 (success)", r);
    no_child_left("spawn.open_fails_reaped");
}

static void test_spawnp(void)
{
    // posix_spawnp searches the caller's PATH (not the envp it passes).
    char path[4200];
    strcpy(path, rootpath("/no-such-dir"));
    strcat(path, ":");
    strcat(path, rootpath("/tests"));
    setenv("PATH", path, 1);
    int st = -1;
    pid_t pid = -1;
    char *pargv[] = { "spawn_probe", "hello", "world", NULL };
    char *penv[] = { "SPAWN_PROBE=42", NULL };
    int r = posix_spawnp(&pid, "spawn_probe", NULL, NULL, pargv, penv);
    if (r == 0)
        st = wait_for(pid);
    check(r == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 42, "spawn.spawnp_path",
          "posix_spawnp spawn_probe with PATH=%s: returned %s, %s (42 expected)", path,
          r ? errname(r) : "0", status_str(st));

    char *nargv[] = { "no-such-program", NULL };
    r = posix_spawnp(&pid, "no-such-program", NULL, NULL, nargv, penv);
    check(r == ENOENT, "spawn.spawnp_missing_enoent",
          "posix_spawnp of a name in no PATH directory returned %s (%d), not ENOENT",
          r ? errname(r) : "0 (success)", r);
    no_child_left("spawn.spawnp_missing_reaped");

    // A name with a slash is a path: PATH plays no part.
    const char *t = rootpath("/bin/true");
    char *targv[] = { "true", NULL };
    r = posix_spawnp(&pid, t, NULL, NULL, targv, no_env);
    st = r == 0 ? wait_for(pid) : -1;
    check(r == 0 && st == 0, "spawn.spawnp_slash", "posix_spawnp %s: returned %s, %s", t,
          r ? errname(r) : "0", status_str(st));
}

static void all_checks(void *arg)
{
    (void)arg;
    test_spawn();
    test_file_actions();
    test_spawnp();
    _exit(test_status());
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all_checks, NULL);
    check(st == 0, "spawn.checks_passed", "the child doing the checks %s", status_str(st));
    memfree_check("spawn.memfree_restored", before);
    return test_status();
}
