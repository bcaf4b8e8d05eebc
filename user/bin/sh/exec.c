// exec.c: running the tree.
//
// A command that is not a builtin runs in a child: fork, then in the child
// the redirections (open + dup2 + close) and execve; the shell waits for it.
// A pipeline a | b | c makes a pipe between each two neighbours and forks
// one child per command; each child moves its pipe ends onto fds 0 and 1
// with dup2 and closes every other pipe end, and the shell closes its own
// copies as soon as the children have them: a reader sees end of file only
// when no process holds the write end any more.
//
// A builtin (cd, export...) must change the shell itself, so it runs in the
// shell; its redirections (redir.c) are undone afterwards. Background jobs
// are in jobs.c.
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"
#include "sh.h"

struct shell sh;

static int subst_status = -1;   // status of the last $(...) in this command
static int cond_depth;          // inside an if/while condition, && or ||, or !
int errexit;                    // set -e

int wait_status(int st)
{
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return 1;
}

int wait_child(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            sh_error("wait: %s", strerror(errno));
            return 127;
        }
    }
    sh.last_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    return wait_status(st);
}

// --- processes ----------------------------------------------------------------------

// fork for something that is not a job of its own ($(...), a here-document
// writer): the child stays in the shell's process group.
pid_t sh_fork(void)
{
    return job_fork(NULL, 0);
}

static void try_exec(const char *path, char **argv, char **env)
{
    execve(path, argv, env);
    if (errno == ENOEXEC) {
        // Not a program: a script without "#!". This shell runs it.
        int n = 0;
        while (argv[n])
            n++;
        char **v = xmalloc((n + 2) * sizeof *v);
        v[0] = "sh";
        v[1] = (char *)path;
        for (int i = 1; i <= n; i++)
            v[i + 1] = argv[i];
        execve(sh.self ? sh.self : "/bin/sh", v, env);
        free(v);
        errno = ENOEXEC;
    }
}

// execve argv[0], searched in $PATH unless it has a '/'. Returns only on
// failure, with the status the command gets: 127 not found, 126 not runnable.
static int exec_command(char **argv, char **env)
{
    // "[ EXPR ]" is the program test, which wants the closing "]" when its
    // argv[0] is "[".
    const char *name = strcmp(argv[0], "[") == 0 ? "test" : argv[0];
    if (strchr(name, '/')) {
        try_exec(name, argv, env);
        int err = errno;
        sh_error("%s: %s", name, strerror(err));
        return err == ENOENT || err == ENOTDIR ? 127 : 126;
    }
    const char *path = var_get("PATH");
    if (!path)
        path = "/bin:/usr/bin";
    int saved = 0;   // the most telling error from a file that exists
    for (const char *p = path;; p++) {
        const char *end = strchr(p, ':');
        int len = end ? end - p : (int)strlen(p);
        char *full = xmalloc(len + strlen(name) + 3);
        // An empty PATH element means the current directory.
        sprintf(full, "%.*s/%s", len ? len : 1, len ? p : ".", name);
        try_exec(full, argv, env);
        free(full);
        if (errno != ENOENT && errno != ENOTDIR)
            saved = errno;
        if (!end)
            break;
        p = end;
    }
    if (saved) {
        sh_error("%s: %s", name, strerror(saved));
        return 126;
    }
    sh_error("%s: not found", name);
    return 127;
}

// --- simple commands ---------------------------------------------------------------------

static void trace(char **argv, int n, char **assigns, int na)
{
    struct str b = { 0 };
    str_adds(&b, "+");
    for (int i = 0; i < na; i++) {
        str_addc(&b, ' ');
        str_adds(&b, assigns[i]);
    }
    for (int i = 0; i < n; i++) {
        str_addc(&b, ' ');
        str_adds(&b, argv[i]);
    }
    str_addc(&b, '\n');
    (void)!write(2, b.s, b.len);
    free(b.s);
}

// In a child (or for exec): redirections, then execve. Never returns.
static void child_exec(struct node *n, struct argv *args, char **assigns, int na)
{
    if (apply_redirs(n->redirs, NULL) < 0)
        _exit(2);
    char **env = var_environ(assigns, na);
    _exit(exec_command(args->v, env));
}

static int run_simple(struct node *n, int flags)
{
    expand_error = 0;
    subst_status = -1;
    struct argv args = { 0 };
    for (int i = 0; i < n->nwords && !expand_error; i++)
        expand_fields(n->words[i], &args);
    char **assigns = xmalloc((n->nassigns + 1) * sizeof *assigns);
    int na = 0;
    for (int i = 0; i < n->nassigns && !expand_error; i++) {
        const char *w = n->assigns[i];
        int len = assignment_len(w);
        char *value = expand_string(w + len + 1);
        assigns[na] = xmalloc(len + strlen(value) + 2);
        sprintf(assigns[na], "%.*s=%s", len, w, value);
        if (args.n == 0 && !expand_error) {
            // No command: each assignment is made before the next is
            // expanded (A=1 B=$A gives B the new A).
            assigns[na][len] = '\0';
            var_set(assigns[na], value);
            assigns[na][len] = '=';
        }
        na++;
        free(value);
    }
    int status = 0;
    if (expand_error) {
        status = 2;
        goto out;
    }
    if (sh.trace && (args.n || na))
        trace(args.v, args.n, assigns, na);

    if (args.n == 0) {
        // Only assignments (made above) and redirections: the redirections
        // are made (files created) and undone.
        status = subst_status >= 0 ? subst_status : 0;
        if (n->redirs) {
            struct saved_fds s;
            if (apply_redirs(n->redirs, &s) < 0)
                status = 2;
            restore_redirs(&s);
        }
        goto out;
    }

    if (strcmp(args.v[0], "exec") == 0) {
        // exec: the redirections stay; with a command, it replaces the shell.
        if (apply_redirs(n->redirs, NULL) < 0) {
            status = 2;
            if (!sh.interactive)
                sh_exit(status);   // as POSIX says for a special builtin
            goto out;
        }
        if (args.n > 1) {
            char **env = var_environ(assigns, na);
            status = exec_command(args.v + 1, env);
            if (!sh.interactive)
                sh_exit(status);
        }
        goto out;
    }

    struct node *fn = find_function(args.v[0]);
    if (fn) {
        status = call_function(fn, n, &args);
        goto out;
    }

    builtin_fn b = find_builtin(args.v[0]);
    if (b) {
        struct saved_fds s;
        if (apply_redirs(n->redirs, &s) < 0) {
            restore_redirs(&s);
            status = 2;
            goto out;
        }
        // NAME=VALUE before a builtin holds for that builtin only.
        char **old = xmalloc((na + 1) * sizeof *old);
        for (int i = 0; i < na; i++) {
            char *eq = strchr(assigns[i], '=');
            *eq = '\0';
            const char *v = var_get(assigns[i]);
            old[i] = v ? xstrdup(v) : NULL;
            var_set(assigns[i], eq + 1);
        }
        status = b(args.n, args.v);
        fflush(stdout);
        for (int i = na - 1; i >= 0; i--) {
            if (old[i])
                var_set(assigns[i], old[i]);
            else
                var_unset(assigns[i]);
            free(old[i]);
        }
        free(old);
        restore_redirs(&s);
        goto out;
    }

    if (flags & RUN_EXIT)
        child_exec(n, &args, assigns, na);
    struct job *j = job_new(monitor ? node_text(n) : NULL);
    pid_t pid = job_fork(j, 1);
    if (pid < 0) {
        job_free(j);
        status = 2;
        goto out;
    }
    if (pid == 0)
        child_exec(n, &args, assigns, na);
    status = job_wait_fg(j);
out:
    argv_free(&args);
    for (int i = 0; i < na; i++)
        free(assigns[i]);
    free(assigns);
    return status;
}

// --- pipelines and the rest ------------------------------------------------------------------

static int run_pipeline(struct node *n)
{
    struct job *j = job_new(monitor ? node_text(n) : NULL);
    int in_fd = -1, status = 0;
    for (int i = 0; i < n->ncmds; i++) {
        int p[2] = { -1, -1 };
        if (i < n->ncmds - 1 && pipe(p) < 0) {
            sh_error("pipe: %s", strerror(errno));
            status = 2;
            break;
        }
        pid_t pid = job_fork(j, 1);
        if (pid < 0) {
            if (p[0] >= 0) {
                close(p[0]);
                close(p[1]);
            }
            status = 2;
            break;
        }
        if (pid == 0) {
            // Standard input from the previous pipe, output into the next.
            /* LAB shell pipe_ends: begin */
            if (in_fd >= 0 && in_fd != 0) {
                dup2(in_fd, 0);
                close(in_fd);
            }
            if (p[1] >= 0) {
                close(p[0]);
                if (p[1] != 1) {
                    dup2(p[1], 1);
                    close(p[1]);
                }
            }
            /* LAB shell pipe_ends: end */
            _exit(run_node(n->cmds[i], RUN_EXIT));
        }
        // The children have their ends now: the shell keeps none.
        if (in_fd >= 0)
            close(in_fd);
        if (p[1] >= 0)
            close(p[1]);
        in_fd = p[0];
    }
    if (in_fd >= 0)
        close(in_fd);
    // The pipeline's status is its last command's.
    if (j->nprocs == 0) {
        job_free(j);
        return status;
    }
    int all_started = j->nprocs == n->ncmds;
    int s = job_wait_fg(j);   // (j is freed unless it stopped)
    return all_started || status == 0 ? s : status;
}

// A & list: one child runs the whole list, as a job of its own (in a
// process group of its own with job control).
static int run_background(struct node *n)
{
    struct job *j = job_new(node_text(n->left));
    int jc = monitor;
    pid_t pid = job_fork(j, 0);
    if (pid < 0) {
        job_free(j);
        return 2;
    }
    if (pid == 0) {
        // Without job control, a background command does not read the
        // terminal; with it, the terminal stops it (SIGTTIN) if it tries.
        int fd = jc ? -1 : open("/dev/null", O_RDONLY);
        if (fd > 0) {
            dup2(fd, 0);
            close(fd);
        }
        _exit(run_node(n->left, RUN_EXIT));
    }
    sh.last_bg = pid;
    j->async = 1;
    job_number(j);
    if (sh.interactive)
        fprintf(stderr, "[%d] %d\n", j->id, (int)pid);
    return 0;
}

static int run_loop(struct node *n)
{
    int status = 0;
    loop_depth++;
    for (;;) {
        cond_depth++;
        int c = run_node(n->left, 0);
        cond_depth--;
        if (sh.interrupted)
            break;
        if (loop_break || loop_continue || func_return) {
            // break/continue in the condition acts on this loop as well.
        } else {
            if ((n->type == N_WHILE) != (c == 0))
                break;
            status = run_node(n->right, 0);
        }
        if (func_return || sh.interrupted)
            break;
        if (loop_break) {
            loop_break--;
            break;
        }
        if (loop_continue) {
            if (--loop_continue > 0)
                break;
        }
    }
    loop_depth--;
    return status;
}

static int run_for(struct node *n)
{
    struct argv list = { 0 };
    if (n->for_has_in) {
        expand_error = 0;
        for (int i = 0; i < n->nwords && !expand_error; i++)
            expand_fields(n->words[i], &list);
        if (expand_error) {
            argv_free(&list);
            return 2;
        }
    } else {
        for (int i = 0; i < sh.nparams; i++)
            argv_add(&list, xstrdup(sh.params[i]));
    }
    int status = 0;
    loop_depth++;
    for (int i = 0; i < list.n; i++) {
        var_set(n->var, list.v[i]);
        status = run_node(n->right, 0);
        if (func_return || sh.interrupted)
            break;
        if (loop_break) {
            loop_break--;
            break;
        }
        if (loop_continue && --loop_continue > 0)
            break;
    }
    loop_depth--;
    argv_free(&list);
    return status;
}

// case: the first item with a pattern that matches the word runs.
static int run_case(struct node *n, int flags)
{
    expand_error = 0;
    char *word = expand_string(n->var);
    int status = 0;
    for (int i = 0; i < n->ncmds && !expand_error; i++) {
        struct node *item = n->cmds[i];
        for (int k = 0; k < item->nwords; k++) {
            char *pat = expand_pattern(item->words[k]);
            int match = fnmatch(pat, word, 0) == 0;
            free(pat);
            if (match) {
                status = run_node(item->left, flags);
                free(word);
                return status;
            }
        }
    }
    free(word);
    return expand_error ? 2 : status;
}

static int run_compound(struct node *n, int flags)
{
    switch (n->type) {
    case N_GROUP:
        return run_node(n->left, flags);
    case N_IF: {
        cond_depth++;
        int c = run_node(n->left, 0);
        cond_depth--;
        if (loop_break || loop_continue || func_return)
            return c;
        if (c == 0)
            return run_node(n->right, flags);
        return n->els ? run_node(n->els, flags) : 0;
    }
    case N_WHILE:
    case N_UNTIL:
        return run_loop(n);
    case N_FOR:
        return run_for(n);
    case N_CASE:
        return run_case(n, flags);
    default:
        return 0;
    }
}

static int run(struct node *n, int flags)
{
    int s;
    switch (n->type) {
    case N_CMD:
        return run_simple(n, flags);
    case N_PIPE:
        return run_pipeline(n);
    case N_SEQ:
        s = run_node(n->left, 0);
        if (loop_break || loop_continue || func_return)
            return s;
        return run_node(n->right, flags);
    case N_AND:
    case N_OR:
        cond_depth++;
        s = run_node(n->left, 0);
        cond_depth--;
        if (loop_break || loop_continue || func_return)
            return s;
        if ((n->type == N_AND) == (s == 0))
            return run_node(n->right, flags);
        return s;
    case N_NOT:
        cond_depth++;
        s = run_node(n->left, 0);
        cond_depth--;
        return !s;
    case N_BG:
        return run_background(n);
    case N_FUNC:
        return define_function(n);
    case N_SUBSHELL: {
        if (flags & RUN_EXIT) {
            if (apply_redirs(n->redirs, NULL) < 0)
                return 2;
            return run_node(n->left, RUN_EXIT);
        }
        struct job *j = job_new(monitor ? node_text(n) : NULL);
        pid_t pid = job_fork(j, 1);
        if (pid < 0) {
            job_free(j);
            return 2;
        }
        if (pid == 0) {
            if (apply_redirs(n->redirs, NULL) < 0)
                _exit(2);
            _exit(run_node(n->left, RUN_EXIT));
        }
        return job_wait_fg(j);
    }
    default: {
        struct saved_fds s;
        if (n->redirs && apply_redirs(n->redirs, &s) < 0) {
            restore_redirs(&s);
            return 2;
        }
        int st = run_compound(n, n->redirs ? 0 : flags);
        if (n->redirs)
            restore_redirs(&s);
        return st;
    }
    }
}

int run_node(struct node *n, int flags)
{
    if (!n)
        return 0;
    // Traps run between commands; after ^C killed a foreground job, the
    // rest of the command line is dropped.
    if (trap_pending)
        run_traps();
    if (sh.interrupted)
        return sh.status;
    int s = run(n, flags);
    sh.status = s;
    // set -e: a failing command ends the shell, unless it was tested.
    if (errexit && s != 0 && cond_depth == 0 &&
        (n->type == N_CMD || n->type == N_PIPE || n->type == N_SUBSHELL))
        sh_exit(s);
    fflush(NULL);
    if (trap_pending)
        run_traps();
    return s;
}

char *command_output(const char *text, int *status)
{
    struct arena *a = arena_new();
    int st;
    struct node *n = parse_string(text, a, &st);
    if (st == 2) {
        arena_free(a);
        *status = subst_status = 2;
        expand_error = 1;
        return xstrdup("");
    }
    int p[2];
    if (pipe(p) < 0) {
        sh_error("pipe: %s", strerror(errno));
        arena_free(a);
        *status = subst_status = 2;
        return xstrdup("");
    }
    pid_t pid = sh_fork();
    if (pid == 0) {
        close(p[0]);
        if (p[1] != 1) {
            dup2(p[1], 1);
            close(p[1]);
        }
        _exit(run_node(n, RUN_EXIT));
    }
    close(p[1]);
    struct str out = { 0 };
    char buf[4096];
    for (;;) {
        ssize_t r = read(p[0], buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        str_add(&out, buf, r);
    }
    close(p[0]);
    *status = pid > 0 ? wait_child(pid) : 2;
    subst_status = *status;
    arena_free(a);
    return str_take(&out);
}
