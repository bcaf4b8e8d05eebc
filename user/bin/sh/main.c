// sh: bunshin's shell, a small POSIX shell. fork + execve + pipe = shell.
//
//   sh                      commands from stdin; prompt "$ " if it is a terminal
//   sh FILE [ARG...]        run the script FILE ($0 = FILE, $1... = ARGs)
//   sh -c 'COMMANDS' [NAME [ARG...]]   run COMMANDS ($0 = NAME)
//   options before these: -x (show each command), -e (stop at a failure),
//   -i (interactive), -m / +m (job control on / off; on by itself when
//   interactive on a terminal that has it)
//
// What it understands: pipelines (a | b | c), redirections (< > >> 2> 2>&1
// N>&M N<&M N>&- <> << <<-), lists (; && || &), ! negation, ( ) subshells,
// { } groups, if/elif/else, while, until, for, case, functions; quoting ('...', "...", \);
// variables (NAME=value, $NAME, ${NAME}, ${NAME:-default} ..., $? $$ $! $#
// $0 $1.. $@ $*), $(command), `command`, $((arithmetic)), ~, * ? [...]
// file names, comments. Builtins: cd, exit, wait, export, unset, read,
// exec, set, shift, break, continue, return, eval, ., umask, echo, :, and for
// jobs and signals jobs, fg, bg, wait, kill, trap. Everything
// else is a program found in $PATH ("[" is the program test).
//
// When it reads commands from a terminal, a command that fails is followed
// by a line "[exit N]" or "[killed by signal N (NAME)]" on stderr, and
// background jobs are announced ("[1] 42") and reported when they end.
// Scripts get none of that: their output is what /bin/sh's would be.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bunshin.h"
#include "sh.h"

extern char **environ;
extern int errexit;

// Where this shell's own program is (to run scripts that are not ELF files).
static const char *find_self(const char *argv0)
{
    static char path[PATH_MAX];
    if (strchr(argv0, '/'))
        return realpath(argv0, path) ? path : NULL;
    const char *p = var_get("PATH");
    for (; p && *p;) {
        const char *end = strchr(p, ':');
        int len = end ? end - p : (int)strlen(p);
        snprintf(path, sizeof path, "%.*s/%s", len, p, argv0);
        if (access(path, X_OK) == 0)
            return path;
        if (!end)
            break;
        p = end + 1;
    }
    return NULL;
}

static void usage(void)
{
    sh_error("usage: sh [-x] [-e] [-i] [-m] [FILE [ARG...] | -c COMMANDS [NAME [ARG...]]]");
    exit(2);
}

static char *read_whole(int fd, size_t *len)
{
    struct str b = { 0 };
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        str_add(&b, buf, n);
    }
    *len = b.len;
    return str_take(&b);
}

// Read, parse and run complete commands until the end of the input.
static void loop(struct input *in)
{
    for (;;) {
        struct arena *a = arena_new();
        int st;
        if (!in->text)
            in->prompt = "$ ";
        if (sh.interactive)
            jobs_report();   // before the prompt: which background jobs ended
        sh.last_signal = 0;
        sh.interrupted = 0;
        sh.stopped = 0;
        if (trap_pending)
            run_traps();
        struct node *n = parse_command(in, a, &st);
        if (st == 1) {
            arena_free(a);
            break;
        }
        if (st == 2) {
            sh.status = 2;
            arena_free(a);
            if (!sh.interactive)
                sh_exit(2);
            continue;
        }
        if (n) {
            run_node(n, 0);
            if (sh.interactive && sh.status != 0 && !sh.stopped) {
                if (sh.last_signal && sh.status == 128 + sh.last_signal)
                    fprintf(stderr, "[killed by signal %d (%s)]\n", sh.last_signal,
                            signame(sh.last_signal));
                else
                    fprintf(stderr, "[exit %d]\n", sh.status);
            }
        }
        if (!keep_arena)
            arena_free(a);
        keep_arena = 0;
    }
}

int main(int argc, char **argv)
{
    vars_init(environ);
    if (!var_get("PATH"))
        var_set("PATH", "/bin:/usr/bin");
    sh.pid = getpid();
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%d", (int)getppid());
    var_set("PPID", buf);
    if (getcwd(buf, sizeof buf))
        var_set("PWD", buf);
    sh.self = find_self(argv[0]);
    sh.arg0 = argv[0];

    int i = 1;
    const char *command = NULL;
    int force_interactive = 0, monitor_opt = -1;
    for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (const char *f = argv[i] + 1; *f; f++) {
            int on = argv[i][0] == '-';
            switch (*f) {
            case 'c':
                if (!on)
                    usage();
                command = "";
                break;
            case 'x': sh.trace = on; break;
            case 'e': errexit = on; break;
            case 'm': monitor_opt = on; break;
            case 'i': force_interactive = on; break;
            case 's': break;
            default: usage();
            }
        }
    }

    struct input in;
    char *text = NULL;
    if (command) {
        if (i == argc)
            usage();
        command = argv[i++];
        if (i < argc)
            sh.arg0 = argv[i++];
        input_string(&in, command, strlen(command));
    } else if (i < argc) {
        const char *file = argv[i++];
        sh.arg0 = (char *)file;
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            sh_error("%s: %s", file, strerror(errno));
            return errno == ENOENT ? 127 : 126;
        }
        size_t len;
        text = read_whole(fd, &len);
        close(fd);
        input_string(&in, text, len);
    } else {
        sh.interactive = force_interactive || isatty(0);
        input_fd(&in, 0, sh.interactive);
    }
    sh.params = argv + i;
    sh.nparams = argc - i;

    traps_init();
    if (sh.interactive) {
        // ^C and ^\ end the command running, not the shell. (Where signal
        // handlers do not exist yet, this fails and changes nothing.)
        sig_shell_ignore(SIGINT, 1);
        sig_shell_ignore(SIGQUIT, 1);
        // On a terminal that has job control: job control (-m) too.
        if (monitor_opt != 0)
            jobctl_init();
    } else if (monitor_opt == 1) {
        jobctl_set(1);
    }
    loop(&in);
    if (sh.interactive)
        fputc('\n', stderr);
    free(text);
    sh_exit(sh.status);
}
