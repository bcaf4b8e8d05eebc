// fork_uses.h: the few helpers that zygote.c, forkserver.c and snapshot.c
// (fork used without exec, docs/fork-uses.md) share: a cycle counter, the
// median of a few timings, the "bench" line that make bench reads, the
// path of the running program (to execve it again) and pipe I/O that
// survives EINTR and short transfers. Static functions, one copy per demo.
#ifndef FORK_USES_H
#define FORK_USES_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bunshin.h"

#define MIB (1024u * 1024u)
#define PAGE 4096u
#define MAX_RUNS 64             // timings kept per figure

// The time-stamp counter: CPU cycles on real hardware, one guest instruction
// per tick under QEMU's -icount shift=0 (as make bench runs it).
static inline uint64_t cycles(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

// Sort v[0..n) and return its median (n >= 1).
static inline uint64_t median_of(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        uint64_t x = v[i];
        int j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// One figure in user/bench/bench.c's format: bench NAME size_mib=S median=M
// min=M n=N. Sorts v.
static inline void bench_line(const char *name, unsigned size_mib, uint64_t *v, int n)
{
    uint64_t med = median_of(v, n);
    say("bench %s size_mib=%u median=%llu min=%llu n=%d", name, size_mib,
        (unsigned long long)med, (unsigned long long)v[0], n);
}

// The program's own path for execve: argv[0] when it names a file (a path
// with a slash), else /proc/self/exe.
static inline const char *self_path(const char *argv0)
{
    return strchr(argv0, '/') ? argv0 : "/proc/self/exe";
}

// Read until len bytes, end of file or an error: the count read.
static inline size_t read_all(int fd, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, (char *)buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += r;
    }
    return got;
}

// Read from fd until end of file, throwing the bytes away.
static inline void drain(int fd)
{
    char sink[256];
    while (read_all(fd, sink, sizeof sink) == sizeof sink)
        ;
}

#endif
