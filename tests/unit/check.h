/* check.h: how a host unit test reports, shared by tests/unit/test_*.c.
 *
 * Every check prints exactly one line, "ok NAME" or "FAIL NAME: why", as
 * every bunshin test does (README, "Tests"); tests/run.sh adds the lines up, so a test program
 * prints no summary of its own. A name used twice would make two results
 * impossible to tell apart, so a repeated name is itself reported as a
 * failure. stdout is flushed after every line: if the program then crashes,
 * the lines before the crash are not lost in a buffer.
 *
 * Everything here is static inline, so each test includes it once and an
 * unused helper does not trip -Wunused-function. */
#ifndef CHECK_H
#define CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_MAX_NAMES 512

/* Remember name; false if it was seen before. */
static inline bool check_name_is_new(const char *name)
{
    static char *seen[CHECK_MAX_NAMES];
    static int nseen;

    for (int i = 0; i < nseen; i++)
        if (strcmp(seen[i], name) == 0)
            return false;
    if (nseen < CHECK_MAX_NAMES)
        seen[nseen++] = strdup(name);
    return true;
}

/* One check. fmt and its arguments say what went wrong; they are only
 * printed when cond is false. Returns cond, so a test can stop early. */
static inline bool check(bool cond, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline bool check(bool cond, const char *name, const char *fmt, ...)
{
    if (!check_name_is_new(name)) {
        printf("FAIL %s: this check name is used twice\n", name);
        fflush(stdout);
        return false;
    }
    if (cond) {
        printf("ok %s\n", name);
    } else {
        va_list ap;
        printf("FAIL %s: ", name);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
    }
    fflush(stdout);
    return cond;
}

/* The two comparisons nearly every check is made of. */
static inline bool check_str(const char *name, const char *got, const char *want)
{
    return check(strcmp(got, want) == 0, name, "got \"%s\", want \"%s\"", got, want);
}

static inline bool check_long(const char *name, long long got, long long want)
{
    return check(got == want, name, "got %lld (%#llx), want %lld (%#llx)",
                 got, (unsigned long long)got, want, (unsigned long long)want);
}

#endif
