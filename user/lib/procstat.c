// procstat.c: numbers from /proc for the fork tests (MemTotal, VmRSS, Pss,
// CowFaults...), the MemFree bookkeeping every fork test ends with, and a
// few small process and time helpers. Nothing here calls malloc: reading a
// statistic must not change the process's memory, or the next reading.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

// Give every page of the program's own data, bss and heap its frame now,
// by writing each page's first byte back to itself. With pages on demand a
// page of the bss that the program first touches between two readings of
// MemFree (a static buffer of this library, say) would take a frame and look
// like a leak. The regions come from /proc/self/maps: the writable private
// ones that are not the stack or anonymous mappings (those are the test's).
// Of a region over 256 KiB only the first and last 64 KiB are touched: a big
// array in a test's bss is the test's subject, and the library's and the C
// library's own variables lie at the ends of the bss.
void prefault_data(void)
{
    char text[8192];
    int fd = open("/proc/self/maps", O_RDONLY);
    if (fd < 0)
        return;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return;
    text[n] = 0;
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        unsigned long lo, hi;
        char perms[8], name[128] = "";
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %127s", &lo, &hi, perms, name) >= 3 &&
            strcmp(perms, "rw-p") == 0 && name[0] && strcmp(name, "[stack]") != 0)
            for (unsigned long a = lo; a < hi; a += 4096) {
                if (hi - lo > 256 * 1024 && a >= lo + 64 * 1024 && a < hi - 64 * 1024)
                    continue;
                volatile unsigned char *b = (volatile unsigned char *)a;
                *b = *b;
            }
        line = next;
    }
}

long memfree_start(void)
{
    prefault_stack(64 * 1024);
    prefault_data();
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
