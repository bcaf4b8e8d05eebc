// procstat.c: numbers from /proc for the fork tests (MemTotal, VmRSS, Pss,
// CowFaults...), the MemFree bookkeeping every fork test ends with, and a
// few small process and time helpers. Nothing here calls malloc: reading a
// statistic must not change the process's memory, or the next reading.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

// The number after "field:" in the text of path, or -1 if there is no such
// file or line. Lines look like "MemFree:   123 kB" or "CowFaults:\t7".
static long field_of(const char *path, const char *field)
{
    char buf[8192];
    if (read_file(path, buf, sizeof buf) < 0)
        return -1;
    size_t flen = strlen(field);
    for (char *p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, field, flen) != 0 || p[flen] != ':')
            continue;
        char *start = p + flen + 1, *end;
        long v = strtol(start, &end, 10);
        return end == start ? -1 : v;
    }
    return -1;
}

long meminfo_total_kb(void)
{
    return field_of("/proc/meminfo", "MemTotal");
}

long meminfo_kb(const char *field)
{
    return field_of("/proc/meminfo", field);
}

static const char *pid_file(pid_t pid, const char *file)
{
    return pid ? tname("/proc/%d/%s", (int)pid, file) : tname("/proc/self/%s", file);
}

long proc_status_value(pid_t pid, const char *field)
{
    return field_of(pid_file(pid, "status"), field);
}

long smaps_rollup_kb(pid_t pid, const char *field)
{
    return field_of(pid_file(pid, "smaps_rollup"), field);
}

// Touch `bytes` of stack below the caller, so that later calls up to that
// depth take no new stack page (which would move MemFree on bunshin, where
// the stack grows one frame at a time and never shrinks).
void prefault_stack(size_t bytes)
{
    volatile unsigned char buf[bytes];
    for (size_t i = 0; i < bytes; i += 1024)
        buf[i] = 0;
    buf[bytes - 1] = 0;
    // Read it back, so the compiler keeps the array (and its pages).
    (void)buf[bytes / 2];
}

static void nothing(void *arg)
{
    (void)arg;
}

long memfree_start(void)
{
    prefault_stack(64 * 1024);
    // The first fork, pipe or /proc file may grow the kernel's own tables
    // for good: do each once before the reading.
    int p[2];
    if (pipe(p) == 0) {
        close(p[0]);
        close(p[1]);
    }
    run_child(nothing, NULL);
    // bunshin makes /proc/<pid> up when it is first looked at, and keeps it
    // while the process lives: look at ours now.
    (void)proc_status_value(0, "VmRSS");
    (void)meminfo_free_kb();
    return meminfo_free_kb();
}

void memfree_check(const char *name, long before)
{
    long after = meminfo_free_kb();
    if (on_bunshin())
        check(before >= 0 && after == before, name,
              "MemFree was %ld kB before and %ld kB after, %+ld kB (-1: no /proc/meminfo)",
              before, after, after - before);
    else
        skip(name, "Linux: MemFree moves with the page cache and every other process "
             "(%ld kB before, %ld kB after)", before, after);
}

int wait_for(pid_t pid)
{
    int st;
    pid_t r;
    while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
        ;
    return r == pid ? st : -1;
}

long long mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) < 0 && errno == EINTR)
        ;
}

ssize_t read_full(int fd, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return got ? (ssize_t)got : -1;
        if (n == 0)
            break;
        got += n;
    }
    return got;
}

ssize_t write_full(int fd, const void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, (const char *)buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return done ? (ssize_t)done : -1;
        done += n;
    }
    return done;
}
