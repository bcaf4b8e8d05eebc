// t_bin: the programs in /bin do what they promise: init, sh, echo, cat,
// ls, true, false, env, uname, sleep. Each runs in a child with its stdout
// and stderr sent to scratch files (close 1, open: open returns the lowest
// free descriptor) and, where it reads, stdin from a file; the test then
// compares what was written and the exit status.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

struct run {
    int status;
    char out[8192];
    char err[1024];
};

static char out_path[4096], err_path[4096], in_path[4096];
static char path_env[4200];
static char *default_env[] = { path_env, NULL };

// Replace fd with a fresh open of path. Returns 0 or -1.
static int reopen(int fd, const char *path, int flags)
{
    close(fd);
    int got = open(path, flags, 0644);
    return got == fd ? 0 : -1;
}

// Run argv (argv[0] is a path) with envp; stdin from `input` (written to a
// scratch file first; "" if NULL). Fills r.
static void run(struct run *r, char *const argv[], char *const envp[], const char *input)
{
    int fd = open(in_path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (input)
        write(fd, input, strlen(input));
    close(fd);
    pid_t pid = xfork();
    if (pid == 0) {
        if (reopen(0, in_path, O_RDONLY) < 0 ||
            reopen(1, out_path, O_CREAT | O_TRUNC | O_WRONLY) < 0 ||
            reopen(2, err_path, O_CREAT | O_TRUNC | O_WRONLY) < 0)
            _exit(120);
        execve(argv[0], argv, envp ? envp : default_env);
        _exit(121);
    }
    r->status = -1;
    waitpid(pid, &r->status, 0);
    if (read_file(out_path, r->out, sizeof r->out) < 0)
        r->out[0] = '\0';
    if (read_file(err_path, r->err, sizeof r->err) < 0)
        r->err[0] = '\0';
}

// ok if the run exited with code and wrote exactly out (and err, unless NULL).
static void expect(const char *name, struct run *r, int code, const char *out, const char *err)
{
    int st_ok = r->status != -1 && WIFEXITED(r->status) && WEXITSTATUS(r->status) == code;
    int out_ok = strcmp(r->out, out) == 0;
    int err_ok = !err || strcmp(r->err, err) == 0;
    check(st_ok && out_ok && err_ok, name,
          "expected exit %d, stdout \"%s\"%s%s%s; got %s, stdout \"%s\", stderr \"%s\"", code,
          out, err ? ", stderr \"" : "", err ? err : "", err ? "\"" : "", status_str(r->status),
          r->out, r->err);
}

static char *bin(const char *name)
{
    return (char *)rootpath(tname("/bin/%s", name));
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

// What ls DIR should print: the names, sorted, one per line.
static void expected_listing(const char *dir, int all, char *buf, size_t size)
{
    char *names[256];
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 256)
        if (all || e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    if (d)
        closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        snprintf(buf + strlen(buf), size - strlen(buf), "%s\n", names[i]);
        free(names[i]);
    }
}

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct run r;
static char motd[4096], expected[8192];

static void test_small(void)
{
    run(&r, (char *[]){ bin("true"), NULL }, NULL, NULL);
    expect("bin.true", &r, 0, "", "");
    run(&r, (char *[]){ bin("false"), NULL }, NULL, NULL);
    expect("bin.false", &r, 1, "", "");
    run(&r, (char *[]){ bin("echo"), "a", "b c", NULL }, NULL, NULL);
    expect("bin.echo", &r, 0, "a b c\n", "");
    run(&r, (char *[]){ bin("echo"), "-n", "x", "y", NULL }, NULL, NULL);
    expect("bin.echo_n", &r, 0, "x y", "");
    run(&r, (char *[]){ bin("echo"), NULL }, NULL, NULL);
    expect("bin.echo_nothing", &r, 0, "\n", "");
}

static void test_cat(void)
{
    char *m = (char *)rootpath("/etc/motd");
    run(&r, (char *[]){ bin("cat"), m, NULL }, NULL, NULL);
    expect("bin.cat", &r, 0, motd, "");
    snprintf(expected, sizeof expected, "%s%s", motd, motd);
    run(&r, (char *[]){ bin("cat"), m, m, NULL }, NULL, NULL);
    expect("bin.cat_two_files", &r, 0, expected, "");
    run(&r, (char *[]){ bin("cat"), NULL }, NULL, "from stdin\n");
    expect("bin.cat_stdin", &r, 0, "from stdin\n", "");
    snprintf(expected, sizeof expected, "%s%s", motd, "dash\n");
    run(&r, (char *[]){ bin("cat"), m, "-", NULL }, NULL, "dash\n");
    expect("bin.cat_dash", &r, 0, expected, "");
    char *missing = (char *)rootpath("/etc/no-such-file");
    run(&r, (char *[]){ bin("cat"), missing, m, NULL }, NULL, NULL);
    expect("bin.cat_missing", &r, 1, motd,
           tname("cat: %s: No such file or directory\n", missing));
}

static void test_ls(void)
{
    char *etc = (char *)rootpath("/etc"), *tests = (char *)rootpath("/tests");
    char *m = (char *)rootpath("/etc/motd");
    expected_listing(tests, 0, expected, sizeof expected);
    check(strstr(expected, "t_bin\n") != NULL, "bin.ls_setup",
          "readdir of %s did not find t_bin", tests);
    run(&r, (char *[]){ bin("ls"), tests, NULL }, NULL, NULL);
    expect("bin.ls", &r, 0, expected, "");
    expected_listing(tests, 1, expected, sizeof expected);
    check(strncmp(expected, ".\n..\n", 5) == 0, "bin.ls_all_setup",
          "readdir of %s did not give . and ..", tests);
    run(&r, (char *[]){ bin("ls"), "-a", tests, NULL }, NULL, NULL);
    expect("bin.ls_all", &r, 0, expected, "");
    run(&r, (char *[]){ bin("ls"), m, NULL }, NULL, NULL);
    expect("bin.ls_file", &r, 0, tname("%s\n", m), "");

    // Files first, then each directory under a heading.
    expected_listing(etc, 0, expected, sizeof expected);
    static char both[sizeof expected + 4200];
    snprintf(both, sizeof both, "%s\n\n%s:\n%s", m, etc, expected);
    run(&r, (char *[]){ bin("ls"), etc, m, NULL }, NULL, NULL);
    expect("bin.ls_several", &r, 0, both, "");
    char *missing = (char *)rootpath("/no-such-dir");
    run(&r, (char *[]){ bin("ls"), missing, NULL }, NULL, NULL);
    expect("bin.ls_missing", &r, 2, "",
           tname("ls: cannot access '%s': No such file or directory\n", missing));
}

static void test_env_uname_sleep(void)
{
    run(&r, (char *[]){ bin("env"), NULL }, (char *[]){ "X=1", "Y=two words", NULL }, NULL);
    expect("bin.env", &r, 0, "X=1\nY=two words\n", "");
    run(&r, (char *[]){ bin("env"), "-i", "A=1", "B=2", NULL }, NULL, NULL);
    expect("bin.env_i", &r, 0, "A=1\nB=2\n", "");
    run(&r, (char *[]){ bin("env"), "-i", "X=y", bin("env"), NULL }, NULL, NULL);
    expect("bin.env_runs_command", &r, 0, "X=y\n", "");
    run(&r, (char *[]){ bin("env"), "no-such-command", NULL }, NULL, NULL);
    expect("bin.env_missing_command", &r, 127, "",
           "env: 'no-such-command': No such file or directory\n");

    struct utsname u;
    uname(&u);
    run(&r, (char *[]){ bin("uname"), NULL }, NULL, NULL);
    expect("bin.uname", &r, 0, tname("%s\n", u.sysname), "");
    run(&r, (char *[]){ bin("uname"), "-sr", NULL }, NULL, NULL);
    expect("bin.uname_sr", &r, 0, tname("%s %s\n", u.sysname, u.release), "");
    snprintf(expected, sizeof expected, "%s %s %s %s %s\n", u.sysname, u.nodename, u.release,
             u.version, u.machine);
    run(&r, (char *[]){ bin("uname"), "-a", NULL }, NULL, NULL);
    expect("bin.uname_a", &r, 0, expected, "");
    run(&r, (char *[]){ bin("uname"), "-m", "-n", NULL }, NULL, NULL);
    expect("bin.uname_mn", &r, 0, tname("%s %s\n", u.nodename, u.machine), "");
    run(&r, (char *[]){ bin("uname"), "-x", NULL }, NULL, NULL);
    expect("bin.uname_bad_option", &r, 1, "", NULL);

    long long t0 = now_ns();
    run(&r, (char *[]){ bin("sleep"), "0.2", NULL }, NULL, NULL);
    long long took = now_ns() - t0;
    expect("bin.sleep", &r, 0, "", "");
    check(took >= 200000000, "bin.sleep_duration", "sleep 0.2 took %lld ms", took / 1000000);
    run(&r, (char *[]){ bin("sleep"), "x1", NULL }, NULL, NULL);
    expect("bin.sleep_bad", &r, 1, "", "sleep: invalid time interval 'x1'\n");
}

static void test_sh(void)
{
    char *sh = bin("sh");
    run(&r, (char *[]){ sh, "-c", "echo \"a b\"   c", NULL }, NULL, NULL);
    expect("bin.sh_c", &r, 0, "a b c\n", "");
    run(&r, (char *[]){ sh, "-c", "echo 'x  y' \"p \\\"q\\\"\" z\\ w # not this", NULL }, NULL,
        NULL);
    expect("bin.sh_quotes", &r, 0, "x  y p \"q\" z w\n", "");
    run(&r, (char *[]){ sh, "-c", "echo 'open", NULL }, NULL, NULL);
    expect("bin.sh_unterminated_quote", &r, 2, "",
           "sh: line 1: syntax error: unterminated ' quote\n");
    run(&r, (char *[]){ sh, "-c", "exit 42", NULL }, NULL, NULL);
    expect("bin.sh_exit", &r, 42, "", "");
    run(&r, (char *[]){ sh, "-c", "false", NULL }, NULL, NULL);
    expect("bin.sh_failing_status", &r, 1, "", "");   // "[exit N]" only when interactive
    run(&r, (char *[]){ sh, "-c", "no-such-command", NULL }, NULL, NULL);
    expect("bin.sh_not_found", &r, 127, "", "sh: no-such-command: not found\n");
    run(&r, (char *[]){ sh, "-c", (char *)rootpath("/tests/crash"), NULL }, NULL, NULL);
    expect("bin.sh_killed", &r, 128 + 11, "", "");
    run(&r, (char *[]){ sh, "-c", "true", NULL },
        (char *[]){ (char *)tname("PATH=/no-such-dir:%s", rootpath("/bin")), NULL }, NULL);
    expect("bin.sh_path_search", &r, 0, "", "");

    // A script on stdin (not a terminal: no prompt), with cd.
    char script[8192];
    snprintf(script, sizeof script,
             "echo one\n\n   # a comment\ncd %s\ncat motd\nexit 7\necho not reached\n",
             rootpath("/etc"));
    snprintf(expected, sizeof expected, "one\n%s", motd);
    run(&r, (char *[]){ sh, NULL }, NULL, script);
    expect("bin.sh_script", &r, 7, expected, "");
    run(&r, (char *[]){ sh, NULL }, NULL, "echo a\nfalse\n");
    expect("bin.sh_eof_status", &r, 1, "a\n", "");
    run(&r, (char *[]){ sh, NULL }, NULL, "cd /no-such-dir\necho still here\n");
    expect("bin.sh_cd_fails", &r, 0, "still here\n",
           "sh: cd: /no-such-dir: No such file or directory\n");
}

static void test_init(void)
{
    char *init = bin("init");
    run(&r, (char *[]){ init, bin("false"), NULL }, NULL, NULL);
    expect("bin.init_status", &r, 1, "", "");
    run(&r, (char *[]){ init, bin("sh"), "-c", "exit 5", NULL }, NULL, NULL);
    expect("bin.init_args", &r, 5, "", "");
    run(&r, (char *[]){ init, (char *)rootpath("/tests/crash"), NULL }, NULL, NULL);
    expect("bin.init_killed", &r, 128 + 11, "", "");
    run(&r, (char *[]){ init, "/no-such-program", NULL }, NULL, NULL);
    expect("bin.init_cannot_run", &r, 127, "",
           "init: cannot run /no-such-program: No such file or directory\n");
    run(&r, (char *[]){ init, bin("env"), NULL }, (char *[]){ NULL }, NULL);
    expect("bin.init_environment", &r, 0, "PATH=/bin:/usr/bin\nHOME=/\nTERM=vt100\n", "");
    run(&r, (char *[]){ init, bin("env"), NULL }, (char *[]){ "HOME=/home", "PATH=/x", NULL },
        NULL);
    expect("bin.init_keeps_environment", &r, 0, "HOME=/home\nPATH=/x\nTERM=vt100\n", "");
}

int main(void)
{
    int pid = getpid();
    snprintf(out_path, sizeof out_path, "%s", scratch_path(tname("t_bin.%d.out", pid)));
    snprintf(err_path, sizeof err_path, "%s", scratch_path(tname("t_bin.%d.err", pid)));
    snprintf(in_path, sizeof in_path, "%s", scratch_path(tname("t_bin.%d.in", pid)));
    snprintf(path_env, sizeof path_env, "PATH=%s", rootpath("/bin"));
    if (read_file(rootpath("/etc/motd"), motd, sizeof motd) < 0)
        fail("bin.setup", "cannot read /etc/motd: %s", errname(errno));

    test_small();
    test_cat();
    test_ls();
    test_env_uname_sleep();
    test_sh();
    test_init();
    unlink(out_path);
    unlink(err_path);
    unlink(in_path);
    return test_status();
}
