// capture.c: run a program with its output captured, within a time limit.
//
// The child's stdout and stderr go to files in the scratch directory (no
// poll() needed to drain two pipes), and are read back when it has ended.
// The parent polls waitpid(WNOHANG) every few milliseconds and kills the
// child with SIGKILL at the time limit, so that no test can hang.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

extern char **environ;

static char *slurp(const char *path, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    int fd = open(path, O_RDONLY);
    if (!buf) {
        if (fd >= 0)
            close(fd);
        *len = 0;
        return NULL;
    }
    if (fd >= 0) {
        for (;;) {
            if (cap - n < 2048) {
                char *bigger = realloc(buf, cap * 2);
                if (!bigger)
                    break;
                buf = bigger;
                cap *= 2;
            }
            ssize_t r = read(fd, buf + n, cap - n - 1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            n += r;
        }
        close(fd);
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

void close_fds_from(int lowest)
{
    struct rlimit rl;
    int top = 1024;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < 65536)
        top = (int)rl.rlim_cur;
    for (int fd = lowest; fd < top; fd++)
        close(fd);
}

int run_capture(char *const argv[], char *const envp[], const char *cwd,
                const char *stdin_text, int timeout_ms, struct captured *c)
{
    static int serial;
    char out_path[4096], err_path[4096], in_path[4096];
    int id = serial++;
    snprintf(out_path, sizeof out_path, "%s", scratch_path(tname("capture-%d-%d.out", (int)getpid(), id)));
    snprintf(err_path, sizeof err_path, "%s", scratch_path(tname("capture-%d-%d.err", (int)getpid(), id)));
    snprintf(in_path, sizeof in_path, "%s", scratch_path(tname("capture-%d-%d.in", (int)getpid(), id)));
    memset(c, 0, sizeof *c);
    c->status = -1;
    if (stdin_text) {
        int fd = open(in_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0)
            return -1;
        write_full(fd, stdin_text, strlen(stdin_text));
        close(fd);
    }
    pid_t pid = xfork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int in = open(stdin_text ? in_path : "/dev/null", O_RDONLY);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0)
            _exit(125);
        // Move them to 0, 1, 2 (none of them is below 3: 0-2 are open).
        if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
            _exit(125);
        close_fds_from(3);
        if (cwd && chdir(cwd) < 0)
            _exit(125);
        execve(argv[0], argv, envp ? envp : environ);
        _exit(127);
    }
    long long deadline = mono_ns() + (long long)timeout_ms * 1000000;
    int st = 0;
    for (;;) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            st = -1;
            break;
        }
        if (mono_ns() > deadline) {
            kill(pid, SIGKILL);
            wait_for(pid);
            c->timed_out = 1;
            st = -1;
            break;
        }
        sleep_ms(5);
    }
    c->status = st;
    c->out = slurp(out_path, &c->out_len);
    c->err = slurp(err_path, &c->err_len);
    unlink(out_path);
    unlink(err_path);
    if (stdin_text)
        unlink(in_path);
    return c->out && c->err ? 0 : -1;
}

void captured_free(struct captured *c)
{
    free(c->out);
    free(c->err);
    c->out = c->err = NULL;
}

const char *first_difference(const char *expected, const char *actual)
{
    static char msg[512];
    int line = 1;
    const char *e = expected, *a = actual;
    while (*e && *e == *a) {
        if (*e == '\n')
            line++;
        e++;
        a++;
    }
    if (!*e && !*a)
        return NULL;
    // Show the whole line at which they part, from both.
    const char *es = e, *as = a;
    while (es > expected && es[-1] != '\n')
        es--;
    as = a - (e - es);
    int el = (int)strcspn(es, "\n"), al = (int)strcspn(as, "\n");
    snprintf(msg, sizeof msg, "line %d: expected %s\"%.*s\", got %s\"%.*s\"", line,
             *es ? "" : "(end) ", el > 120 ? 120 : el, es, *as ? "" : "(end) ",
             al > 120 ? 120 : al, as);
    return msg;
}

int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int status = 0;
    struct dirent *e;
    // Remove as we go, starting over after each removal: the directory
    // changes under readdir, and this needs no list of names.
    for (;;) {
        rewinddir(d);
        int removed = 0;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *sub = malloc(strlen(path) + strlen(e->d_name) + 2);
            if (!sub)
                break;
            sprintf(sub, "%s/%s", path, e->d_name);
            int r = remove_tree(sub);
            free(sub);
            if (r < 0) {
                status = -1;
                continue;
            }
            removed = 1;
            break;
        }
        if (!removed)
            break;
    }
    closedir(d);
    if (rmdir(path) < 0)
        status = -1;
    return status;
}
