// check.c: test reporting, one line per check ("ok", "FAIL", "skip").
//
// Every line goes out with a single write(2) on fd 1, so forked children
// never repeat a parent's buffered output and lines never interleave.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

static int failures;

// Write all of buf to fd, retrying short writes; errors are ignored
// because a test has nowhere else to report them.
static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        buf += n;
        len -= n;
    }
}

// Format "WORD NAME[: message]\n" into one buffer and write it at once.
static void line(const char *word, const char *name, const char *fmt, va_list *ap)
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%s %s", word, name);
    if (fmt && n < (int)sizeof buf) {
        n += snprintf(buf + n, sizeof buf - n, ": ");
        if (n < (int)sizeof buf)
            n += vsnprintf(buf + n, sizeof buf - n, fmt, *ap);
    }
    if (n > (int)sizeof buf - 2)
        n = sizeof buf - 2;
    // A message must stay on its line: the runners count lines.
    for (int i = 0; i < n; i++)
        if (buf[i] == '\n')
            buf[i] = ' ';
    buf[n++] = '\n';
    write_all(1, buf, n);
}

void ok(const char *name)
{
    line("ok", name, NULL, NULL);
}

void fail(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    line("FAIL", name, fmt, &ap);
    va_end(ap);
    failures++;
}

void skip(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    line("skip", name, fmt, &ap);
    va_end(ap);
}

int check(int cond, const char *name, const char *fmt, ...)
{
    if (cond) {
        ok(name);
        return 1;
    }
    va_list ap;
    va_start(ap, fmt);
    line("FAIL", name, fmt, &ap);
    va_end(ap);
    failures++;
    return 0;
}

int check_eq(const char *name, long long expected, long long actual)
{
    return check(expected == actual, name, "expected %lld (%#llx), got %lld (%#llx)",
                 expected, expected, actual, actual);
}

int check_errno(const char *name, long ret, int expected_errno)
{
    int err = errno;
    if (ret == -1 && err == expected_errno) {
        ok(name);
        return 1;
    }
    if (ret == -1)
        fail(name, "expected -1 with %s, got -1 with %s", errname(expected_errno),
             errname(err));
    else
        fail(name, "expected -1 with %s, got %ld (success)", errname(expected_errno), ret);
    return 0;
}

int check_str(const char *name, const char *expected, const char *actual)
{
    if (expected && actual && strcmp(expected, actual) == 0) {
        ok(name);
        return 1;
    }
    fail(name, "expected \"%s\", got \"%s\"", expected ? expected : "(null)",
         actual ? actual : "(null)");
    return 0;
}

int test_status(void)
{
    return failures ? 1 : 0;
}

int test_failures(void)
{
    return failures;
}

// Rotating buffers let a caller use several results in one expression.
static char *rotating(void)
{
    static char bufs[8][256];
    static int next;
    return bufs[next++ % 8];
}

const char *tname(const char *fmt, ...)
{
    char *buf = rotating();
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, 256, fmt, ap);
    va_end(ap);
    return buf;
}

static void vsay(int fd, const char *fmt, va_list ap)
{
    char buf[1024];
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    if (n > (int)sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    write_all(fd, buf, n);
}

void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(1, fmt, ap);
    va_end(ap);
}

void warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(2, fmt, ap);
    va_end(ap);
}

const char *status_str(int st)
{
    char *buf = rotating();
    if (st == -1)
        snprintf(buf, 256, "no status (fork or wait failed)");
    else if (WIFEXITED(st))
        snprintf(buf, 256, "exited with status %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(buf, 256, "killed by signal %d (%s)", WTERMSIG(st), signame(WTERMSIG(st)));
    else
        snprintf(buf, 256, "wait status %#x", st);
    return buf;
}
