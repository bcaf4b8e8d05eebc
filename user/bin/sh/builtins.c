// builtins.c: commands the shell runs itself, because they change the
// shell (cd, export, exit...); echo too, as every shell does.
// exec is in exec.c: it needs the command's redirections; jobs, wait (jobs.c),
// fg, bg (jobctl.c), trap and kill (trap.c) are with what they work on.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

int loop_break, loop_continue, loop_depth;

static int bi_colon(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

// echo [-n] [WORD...]: as /bin/echo, but without a fork (so that a loop
// writing into a closed pipe ends by SIGPIPE, as in other shells).
static int bi_echo(int argc, char **argv)
{
    int i = 1, newline = 1;
    if (i < argc && strcmp(argv[i], "-n") == 0) {
        newline = 0;
        i++;
    }
    struct str b = { 0 };
    for (int first = i; i < argc; i++) {
        if (i > first)
            str_addc(&b, ' ');
        str_adds(&b, argv[i]);
    }
    if (newline)
        str_addc(&b, '\n');
    fflush(stdout);
    size_t done = 0;
    while (done < b.len) {
        ssize_t n = write(1, b.s + done, b.len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            sh_error("echo: %s", strerror(errno));
            free(b.s);
            return 1;
        }
        done += n;
    }
    free(b.s);
    return 0;
}

// cd [DIR | -]: with no DIR, $HOME; "-" is $OLDPWD (and is printed).
static int bi_cd(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : var_get("HOME");
    int print = 0;
    if (!dir)
        dir = "/";
    if (argc > 1 && strcmp(dir, "-") == 0) {
        dir = var_get("OLDPWD");
        if (!dir) {
            sh_error("cd: OLDPWD not set");
            return 1;
        }
        print = 1;
    }
    char old[4096];
    if (!getcwd(old, sizeof old))
        old[0] = '\0';
    if (chdir(dir) < 0) {
        sh_error("cd: %s: %s", dir, strerror(errno));
        return 1;
    }
    char now[4096];
    if (getcwd(now, sizeof now)) {
        var_set("PWD", now);
        if (print)
            printf("%s\n", now);
    }
    if (old[0])
        var_set("OLDPWD", old);
    return 0;
}

static int bi_exit(int argc, char **argv)
{
    sh_exit(argc > 1 ? atoi(argv[1]) & 255 : sh.status);
}

// export [NAME[=VALUE]...]; with no name (or -p), the exported variables.
static int bi_export(int argc, char **argv)
{
    int i = 1;
    if (i < argc && strcmp(argv[i], "-p") == 0)
        i++;
    if (i == argc) {
        var_print_exported();
        return 0;
    }
    int status = 0;
    for (; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        if (!is_name(argv[i], len)) {
            sh_error("export: '%s': not a valid name", argv[i]);
            status = 1;
            continue;
        }
        if (eq) {
            *eq = '\0';
            var_set(argv[i], eq + 1);
            var_export(argv[i]);
            *eq = '=';
        } else {
            var_export(argv[i]);
        }
    }
    return status;
}

static int bi_unset(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-v") != 0)
            var_unset(argv[i]);
    return 0;
}

// read [-r] NAME...: one line from stdin, a byte at a time (so that the
// rest stays for the next reader), split at $IFS; the last NAME gets the
// rest of the line. Status 1 at end of input.
static int bi_read(int argc, char **argv)
{
    int raw = 0, i = 1;
    if (i < argc && strcmp(argv[i], "-r") == 0) {
        raw = 1;
        i++;
    }
    if (i == argc) {
        sh_error("read: a variable name is needed");
        return 2;
    }
    struct str line = { 0 }, quoted = { 0 };
    int got_newline = 0;
    for (;;) {
        char c;
        ssize_t n = read(0, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (c == '\n') {
            got_newline = 1;
            break;
        }
        if (c == '\\' && !raw) {
            n = read(0, &c, 1);
            if (n <= 0)
                break;
            if (c == '\n')
                continue;
            str_addc(&line, c);
            str_addc(&quoted, 1);
            continue;
        }
        str_addc(&line, c);
        str_addc(&quoted, 0);
    }
    const char *ifs = var_get("IFS");
    if (!ifs)
        ifs = " \t\n";
    const char *s = line.s ? line.s : "";
    size_t len = line.len, pos = 0;
#define SEP(k) (!quoted.s[k] && strchr(ifs, s[k]) && s[k])
#define BLANK(k) (SEP(k) && strchr(" \t\n", s[k]))
    while (pos < len && BLANK(pos))
        pos++;
    for (; i < argc; i++) {
        if (!is_name(argv[i], strlen(argv[i]))) {
            sh_error("read: '%s': not a valid name", argv[i]);
            free(line.s);
            free(quoted.s);
            return 2;
        }
        size_t start = pos, end;
        if (i == argc - 1) {
            end = len;
            while (end > start && BLANK(end - 1))
                end--;
            pos = len;
        } else {
            while (pos < len && !SEP(pos))
                pos++;
            end = pos;
            while (pos < len && BLANK(pos))
                pos++;
            if (pos < len && SEP(pos))
                pos++;
            while (pos < len && BLANK(pos))
                pos++;
        }
        char *v = xmalloc(end - start + 1);
        memcpy(v, s + start, end - start);
        v[end - start] = '\0';
        var_set(argv[i], v);
        free(v);
    }
#undef SEP
#undef BLANK
    int status = got_newline || line.len ? 0 : 1;
    if (!got_newline)
        status = 1;
    free(line.s);
    free(quoted.s);
    return status;
}

static int bi_shift(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1;
    if (n < 0 || n > sh.nparams) {
        sh_error("shift: can't shift that many");
        return 1;
    }
    sh.params += n;
    sh.nparams -= n;
    return 0;
}

// set [-x|+x] [-e|+e] [-m|+m] [-- ARG...]
extern int errexit;
static int bi_set(int argc, char **argv)
{
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if ((a[0] != '-' && a[0] != '+') || !a[1])
            break;
        for (const char *f = a + 1; *f; f++) {
            if (*f == 'x')
                sh.trace = a[0] == '-';
            else if (*f == 'e')
                errexit = a[0] == '-';
            else if (*f == 'm')
                jobctl_set(a[0] == '-');
            else {
                sh_error("set: -%c: unknown option", *f);
                return 2;
            }
        }
    }
    if (i < argc || (argc > 1 && strcmp(argv[argc - 1], "--") == 0)) {
        int n = argc - i;
        char **params = xmalloc((n + 1) * sizeof *params);
        for (int k = 0; k < n; k++)
            params[k] = xstrdup(argv[i + k]);
        params[n] = NULL;
        sh.params = params;   // the old ones are not freed: shift moves the pointer
        sh.nparams = n;
    }
    return 0;
}

static int loop_level(int argc, char **argv, const char *name)
{
    int n = argc > 1 ? atoi(argv[1]) : 1;
    if (n < 1) {
        sh_error("%s: bad count", name);
        return 0;
    }
    if (loop_depth == 0)
        return 0;   // outside a loop: nothing to do
    return n > loop_depth ? loop_depth : n;
}

static int bi_break(int argc, char **argv)
{
    loop_break = loop_level(argc, argv, "break");
    return 0;
}

static int bi_continue(int argc, char **argv)
{
    loop_continue = loop_level(argc, argv, "continue");
    return 0;
}

// umask [MODE]: show (as 0022) or set, in octal.
static int bi_umask(int argc, char **argv)
{
    if (argc == 1) {
        mode_t m = umask(0);
        umask(m);
        printf("%04o\n", (unsigned)m);
        return 0;
    }
    char *end;
    long m = strtol(argv[1], &end, 8);
    if (*end || m < 0 || m > 0777) {
        sh_error("umask: '%s': not an octal mode", argv[1]);
        return 1;
    }
    umask(m);
    return 0;
}

// Run text as commands in this shell.
int run_text(const char *text)
{
    struct arena *a = arena_new();
    int st;
    struct node *n = parse_string(text, a, &st);
    int status = st == 2 ? 2 : run_node(n, 0);
    if (!keep_arena)
        arena_free(a);
    keep_arena = 0;
    return status;
}

static int bi_eval(int argc, char **argv)
{
    struct str b = { 0 };
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            str_addc(&b, ' ');
        str_adds(&b, argv[i]);
    }
    int status = run_text(b.s ? b.s : "");
    free(b.s);
    return status;
}

// . FILE: read FILE and run it in this shell.
static int bi_dot(int argc, char **argv)
{
    if (argc < 2) {
        sh_error(".: a file name is needed");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        sh_error(".: %s: %s", argv[1], strerror(errno));
        return 1;
    }
    struct str b = { 0 };
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        str_add(&b, buf, n);
    fclose(f);
    int status = run_text(b.s ? b.s : "");
    free(b.s);
    return status;
}


static const struct {
    const char *name;
    builtin_fn fn;
} builtins[] = {
    { ":", bi_colon }, { ".", bi_dot }, { "break", bi_break }, { "cd", bi_cd },
    { "bg", bi_bg }, { "continue", bi_continue }, { "echo", bi_echo }, { "eval", bi_eval },
    { "exit", bi_exit }, { "export", bi_export }, { "fg", bi_fg }, { "jobs", bi_jobs },
    { "kill", bi_kill }, { "read", bi_read }, { "return", builtin_return }, { "set", bi_set },
    { "shift", bi_shift }, { "trap", bi_trap }, { "umask", bi_umask }, { "unset", bi_unset },
    { "wait", bi_wait },
};

builtin_fn find_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return builtins[i].fn;
    return NULL;
}
