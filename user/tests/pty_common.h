// pty_common.h: what the terminal tests (t_tty, t_tty_jobctl) share: a
// pseudo-terminal opened the POSIX way, and reading from its master what
// the slave's line discipline sent, with a time limit.
//
// On Linux the bytes a master writes reach the slave's line discipline a
// moment later (a work queue moves them), so every read here waits for
// what it expects, up to a generous limit, instead of assuming it is there.
#ifndef PTY_COMMON_H
#define PTY_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

// A new pty: the master (O_NONBLOCK, so that reads never hang), its slave's
// path in path (64 bytes). -1 if posix_openpt, grantpt or unlockpt failed.
static inline int pty_open(char *path)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0)
        return -1;
    if (grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, path, 64) != 0) {
        close(m);
        return -1;
    }
    fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK);
    return m;
}

// Read what fd (non-blocking) has, waiting up to ms for at least want
// bytes, then a little longer for any that follow. Returns the count (the
// bytes NUL-terminated in buf), or -errno if a read failed with nothing.
static inline long pty_collect(int fd, char *buf, size_t size, size_t want, int ms)
{
    size_t got = 0;
    long long end = mono_ns() + (long long)ms * 1000000;
    long long quiet_until = 0;
    for (;;) {
        ssize_t r = read(fd, buf + got, size - 1 - got);
        if (r > 0) {
            got += (size_t)r;
            if (got >= size - 1)
                break;
            continue;
        }
        if (r < 0 && errno != EAGAIN) {
            if (got == 0) {
                buf[0] = 0;
                return -errno;
            }
            break;
        }
        if (r == 0 && got == 0 && want == 0)
            break;
        long long now = mono_ns();
        if (got >= want) {
            if (!quiet_until)
                quiet_until = now + 20 * 1000000;   // anything right behind it
            if (now >= quiet_until)
                break;
        } else if (now >= end) {
            break;
        }
        sleep_ms(2);
    }
    buf[got] = 0;
    return (long)got;
}

// A printable form of bytes: \r, \n, \b, \t, ^X and \xNN spelled out.
static inline const char *pty_show(const char *s, size_t n)
{
    static char out[4][512];
    static int which;
    char *o = out[which++ % 4];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof out[0] - 6; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r') k += (size_t)sprintf(o + k, "\\r");
        else if (c == '\n') k += (size_t)sprintf(o + k, "\\n");
        else if (c == '\b') k += (size_t)sprintf(o + k, "\\b");
        else if (c == '\t') k += (size_t)sprintf(o + k, "\\t");
        else if (c < 32 || c >= 127) k += (size_t)sprintf(o + k, "\\x%02x", c);
        else o[k++] = (char)c;
    }
    o[k] = 0;
    return o;
}

// Check that fd gives exactly the n bytes of expected (waiting for them).
static inline int pty_expect(const char *name, int fd, const char *expected, size_t n)
{
    char buf[512];
    long got = pty_collect(fd, buf, sizeof buf, n, 2000);
    if (got == (long)n && memcmp(buf, expected, n) == 0) {
        ok(name);
        return 1;
    }
    if (got < 0)
        fail(name, "expected \"%s\", read failed: %s", pty_show(expected, n), errname((int)-got));
    else
        fail(name, "expected \"%s\", got \"%s\"", pty_show(expected, n),
             pty_show(buf, (size_t)got));
    return 0;
}
#define PTY_EXPECT(name, fd, lit) pty_expect(name, fd, lit, sizeof(lit) - 1)

// Wait (up to ms) until process pid sleeps ("State:\tS" in its
// /proc/PID/status): a process that was about to block in a read has
// blocked. 1 if it did.
static inline int pty_wait_sleeping(pid_t pid, int ms)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    long long end = mono_ns() + (long long)ms * 1000000;
    while (mono_ns() < end) {
        int fd = open(path, O_RDONLY);
        if (fd < 0)
            return 0;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        buf[n > 0 ? n : 0] = 0;
        const char *st = strstr(buf, "State:");
        if (st && st[6 + strspn(st + 6, " \t")] == 'S')
            return 1;
        sleep_ms(2);
    }
    return 0;
}

// Write a string to the master.
static inline void pty_type(int m, const char *s)
{
    if (write(m, s, strlen(s)) != (ssize_t)strlen(s))
        warn("pty_type: write: %s", strerror(errno));
}

// The slave's termios changed with fn (tcsetattr TCSANOW).
static inline void pty_lflag(int s, tcflag_t on, tcflag_t off)
{
    struct termios t;
    tcgetattr(s, &t);
    t.c_lflag = (t.c_lflag | on) & ~off;
    tcsetattr(s, TCSANOW, &t);
}

#endif
