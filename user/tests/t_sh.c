// t_sh: the shell, run on scripts whose output is known.
//
// Each script root/tests/sh/NAME.sh (in bunshin's file system as
// /tests/sh/NAME.sh) runs in an empty directory of its own, with PATH set to
// bunshin's /bin, stdin from /dev/null; its stdout must be NAME.out exactly
// and its status 0 (what it writes on stderr is not compared: each shell
// words its messages its own way).
//   - on Linux, the reference: every script runs under the host's /bin/sh
//     (dash on Debian), "sh.NAME.reference", and under bunshin's sh, "sh.NAME";
//   - on bunshin: under its own sh only (the reference checks say skip).
// The scripts: quoting (quotes, variables, $(...), $((...)), $@, file names),
// status (statuses, && || !, if/while/until/for/case, functions,
// break/continue, a script without #!, [ ]), pipes (pipelines of up to 10 commands, 2000 lines
// through them, head ending a writer), redirs (< > >> 2> 2>&1 N>&M N<&M N>&-
// <> here-documents, exec), vars (export, environment, $0 $# $$ $PPID, cd),
// utils (ls -l, cat, wc, grep, head, tail, mkdir -p, rm -r, cp, mv, ln -s,
// env, pwd, sleep, test, touch), jobs (&, wait, $!, kill, ps), fds (the
// descriptors a command gets, from /proc/self/fd).
//
// Then checks of the shell itself, with the host's /bin/sh as the reference
// where the two must agree: sh -c with $0 and arguments, exit statuses
// (also 128+N of a shell killed by signal N), $$ being the shell's pid, a
// syntax error, sh FILE ARGS; and for bunshin's sh only: a script read from
// stdin leaves the rest of stdin to the commands it runs, a failing command
// adds no "[exit N]" line when not interactive, and does with -i.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define TIMEOUT_MS 60000

static const char *const scripts[] = {
    "quoting", "status", "pipes", "redirs", "vars", "utils", "jobs", "fds",
};

static char path_env[4200];
static char *env[] = { path_env, "HOME=/", NULL };

static const char *our_sh(void)
{
    return rootpath("/bin/sh");
}

// The reference shell: the host's /bin/sh on Linux; none on bunshin.
static const char *ref_sh(void)
{
    return on_bunshin() ? NULL : "/bin/sh";
}

static char *read_all(const char *path)
{
    char *buf = malloc(1 << 20);
    if (!buf)
        return NULL;
    long n = read_file(path, buf, 1 << 20);
    if (n < 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static const char *first_err_line(const struct captured *c)
{
    static char line[200];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(c->err, "\n"), c->err);
    return line[0] ? line : "(nothing on stderr)";
}

static void run_script(const char *name, const char *shell, const char *check, const char *want)
{
    const char *dir = scratch_path(tname("sh-%s-%s", name, strstr(check, "reference") ? "ref" : "ours"));
    remove_tree(dir);
    if (mkdir(dir, 0777) < 0) {
        fail(check, "mkdir %s: %s", dir, errname(errno));
        return;
    }
    char script[4096];
    snprintf(script, sizeof script, "%s", rootpath(tname("/tests/sh/%s.sh", name)));
    char *argv[] = { (char *)shell, script, NULL };
    struct captured c;
    if (run_capture(argv, env, dir, NULL, TIMEOUT_MS, &c) < 0) {
        fail(check, "could not run %s %s", shell, script);
        return;
    }
    const char *diff = first_difference(want, c.out);
    if (c.timed_out)
        fail(check, "%s %s did not end within %d s", shell, script, TIMEOUT_MS / 1000);
    else if (diff)
        fail(check, "%s %s: output differs from %s.out at %s (stderr: %s)", shell, script, name,
             diff, first_err_line(&c));
    else if (!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 0)
        fail(check, "%s %s: %s (stderr: %s)", shell, script, status_str(c.status),
             first_err_line(&c));
    else
        ok(check);
    captured_free(&c);
    remove_tree(dir);
}

static void test_scripts(void)
{
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
        const char *name = scripts[i];
        char *want = read_all(rootpath(tname("/tests/sh/%s.out", name)));
        if (!want) {
            fail(tname("sh.%s", name), "cannot read %s: %s",
                 rootpath(tname("/tests/sh/%s.out", name)), errname(errno));
            continue;
        }
        char check[64];
        snprintf(check, sizeof check, "sh.%s.reference", name);
        if (ref_sh())
            run_script(name, ref_sh(), check, want);
        else
            skip(check, "the host's /bin/sh is the reference; bunshin has only its own");
        snprintf(check, sizeof check, "sh.%s", name);
        run_script(name, our_sh(), check, want);
        free(want);
    }
}

// Run shell with args; the checks compare its stdout and status.
static int run_shell(const char *shell, char **args, const char *input, struct captured *c)
{
    char *argv[16];
    int n = 0;
    argv[n++] = (char *)shell;
    for (int i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return run_capture(argv, env, scratch_dir(), input, TIMEOUT_MS, c);
}

// The same command under both shells (ours only on bunshin): stdout must be
// want_out (unless NULL) and the wait status want_status.
static void both(const char *name, char **args, const char *want_out, int want_status)
{
    const char *shells[2] = { ref_sh(), our_sh() };
    for (int k = 0; k < 2; k++) {
        const char *check = tname("%s%s", name, k == 0 ? ".reference" : "");
        if (!shells[k]) {
            skip(check, "the host's /bin/sh is the reference; bunshin has only its own");
            continue;
        }
        struct captured c;
        if (run_shell(shells[k], args, NULL, &c) < 0) {
            fail(check, "could not run %s", shells[k]);
            continue;
        }
        const char *diff = want_out ? first_difference(want_out, c.out) : NULL;
        if (diff)
            fail(check, "%s -c '%s': stdout %s", shells[k], args[1] ? args[1] : "", diff);
        else if (c.status != want_status)
            fail(check, "%s %s: %s, expected %s (stderr: %s)", shells[k], args[0],
                 status_str(c.status), status_str(want_status), first_err_line(&c));
        else
            ok(check);
        captured_free(&c);
    }
}

#define EXITED(n) ((n) << 8)
#define SIGKILL_STATUS SIGKILL   // a wait status: killed by signal 9

static void test_invocation(void)
{
    char *c_args[] = { "-c", "echo \"$0:$#:$1:$2\"", "zero", "one", "two", NULL };
    both("sh.c_args", c_args, "zero:2:one:two\n", EXITED(0));

    char *exit7[] = { "-c", "exit 7", NULL };
    both("sh.exit_status", exit7, "", EXITED(7));

    char *last[] = { "-c", "true; false", NULL };
    both("sh.last_status", last, "", EXITED(1));

    // The shell killed by a signal, seen by its parent; and a child of the
    // shell killed, seen by the shell as 128 + N.
    char *killself[] = { "-c", "kill -9 $$; echo not reached", NULL };
    both("sh.killed", killself, "", SIGKILL_STATUS);
    char *killchild[] = { "-c", "sh -c 'kill -9 $$'; echo $?", NULL };
    both("sh.child_killed", killchild, "137\n", EXITED(0));

    char *syntax[] = { "-c", "echo before; fi; echo after", NULL };
    both("sh.syntax_error", syntax, "", EXITED(2));

    char *notfound[] = { "-c", "no-such-command-here", NULL };
    both("sh.not_found", notfound, "", EXITED(127));

    // sh FILE ARGS: $0 is FILE.
    const char *file = scratch_path("sh-args.sh");
    FILE *f = fopen(file, "w");
    if (f) {
        fputs("echo \"$# $1 $2\"\nexit 3\n", f);
        fclose(f);
    }
    char *file_args[] = { (char *)file, "a", "b c", NULL };
    both("sh.file_args", file_args, "2 a b c\n", EXITED(3));
    unlink(file);
}

// $$ is the pid of the shell: the child that was forked, then exec'd it.
static void test_pid(void)
{
    const char *shells[2] = { ref_sh(), our_sh() };
    for (int k = 0; k < 2; k++) {
        const char *name = k == 0 ? "sh.pid.reference" : "sh.pid";
        if (!shells[k]) {
            skip(name, "the host's /bin/sh is the reference; bunshin has only its own");
            continue;
        }
        int p[2];
        if (pipe(p) < 0) {
            fail(name, "pipe: %s", errname(errno));
            continue;
        }
        pid_t pid = xfork();
        if (pid == 0) {
            dup2(p[1], 1);
            close(p[0]);
            close(p[1]);
            execle(shells[k], "sh", "-c", "echo $$", (char *)NULL, env);
            _exit(127);
        }
        close(p[1]);
        char buf[64] = "";
        ssize_t n = read_full(p[0], buf, sizeof buf - 1);
        close(p[0]);
        int st = wait_for(pid);
        buf[n > 0 ? n : 0] = '\0';
        check(atoi(buf) == pid && st == 0, name,
              "%s -c 'echo $$' in child %d printed \"%.*s\" and %s", shells[k], (int)pid,
              (int)strcspn(buf, "\n"), buf, status_str(st));
    }
}

static void test_ours_only(void)
{
    struct captured c;
    // A script read from stdin: the shell reads it a byte at a time, so
    // "read" (run by the shell) gets the line after its own.
    char *none[] = { NULL };
    if (run_shell(our_sh(), none, "echo one\nread x\nline two\necho \"got $x\"\n", &c) == 0) {
        check(strcmp(c.out, "one\ngot line two\n") == 0 && c.status == 0, "sh.stdin_script",
              "sh < script printed \"%s\", %s", c.out, status_str(c.status));
        captured_free(&c);
    } else {
        fail("sh.stdin_script", "could not run %s", our_sh());
    }
    // ... and so does cat: the rest of the script is its input.
    if (run_shell(our_sh(), none, "echo first\ncat\nthis is data for cat\n", &c) == 0) {
        check(strcmp(c.out, "first\nthis is data for cat\n") == 0 && c.status == 0,
              "sh.stdin_rest_to_command", "sh < script printed \"%s\", %s", c.out,
              status_str(c.status));
        captured_free(&c);
    } else {
        fail("sh.stdin_rest_to_command", "could not run %s", our_sh());
    }

    // Not interactive: a failing command adds nothing on stderr.
    char *quiet[] = { "-c", "false; sh -c 'exit 3'; echo done", NULL };
    if (run_shell(our_sh(), quiet, NULL, &c) == 0) {
        check(strcmp(c.out, "done\n") == 0 && c.err_len == 0, "sh.no_status_lines",
              "sh -c 'false; ...; echo done' printed \"%s\" and on stderr \"%s\"", c.out, c.err);
        captured_free(&c);
    } else {
        fail("sh.no_status_lines", "could not run %s", our_sh());
    }

    // Interactive (-i): prompts and "[exit N]" lines on stderr.
    char *inter[] = { "-i", NULL };
    if (run_shell(our_sh(), inter, "false\necho hi\nsh -c 'kill -9 $$'\nexit 0\n", &c) == 0) {
        check(strcmp(c.out, "hi\n") == 0 && strstr(c.err, "$ ") == c.err &&
                  strstr(c.err, "[exit 1]\n") && strstr(c.err, "[killed by signal 9 (SIGKILL)]\n") &&
                  c.status == 0,
              "sh.interactive",
              "sh -i: stdout \"%s\", stderr \"%s\", %s (expected prompts \"$ \", "
              "\"[exit 1]\" and \"[killed by signal 9 (SIGKILL)]\")",
              c.out, c.err, status_str(c.status));
        captured_free(&c);
    } else {
        fail("sh.interactive", "could not run %s", our_sh());
    }
}

int main(void)
{
    snprintf(path_env, sizeof path_env, "PATH=%s", rootpath("/bin"));
    test_scripts();
    test_invocation();
    test_pid();
    test_ours_only();
    return test_status();
}
