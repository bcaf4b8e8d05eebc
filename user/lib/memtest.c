// memtest.c: small helpers of the memory tests (t_demand, t_mlock,
// t_mmap_file, t_mremap, t_memfd, t_overcommit). Like procstat.c, nothing
// here calls malloc: the tests measure the process's own memory.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096u

void write_pages(void *p, size_t len, unsigned char v)
{
    volatile unsigned char *b = p;
    for (size_t i = 0; i < len; i += PAGE)
        b[i] = v;
}

size_t nonzero_pages(const void *p, size_t len)
{
    const volatile uint32_t *w = p;
    size_t n = 0;
    for (size_t page = 0; page < len; page += PAGE) {
        uint32_t any = 0;
        size_t end = page + PAGE < len ? page + PAGE : len;
        for (size_t i = page / 4; i < end / 4; i++)
            any |= w[i];
        n += any != 0;
    }
    return n;
}

int killed_by(int wstatus, int sig)
{
    return wstatus != -1 && WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == sig;
}

int exited_with(int wstatus, int code)
{
    return wstatus != -1 && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == code;
}

// The child's end of run_catching's pipe, for its handler.
static int report_fd = -1;

// What the handler sends: the three fields of siginfo the tests look at.
struct report {
    int signo, code;
    void *addr;
};

static void report_and_exit(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)ctx;
    struct report r = { si->si_signo, si->si_code, si->si_addr };
    write(report_fd, &r, sizeof r);   // async-signal-safe, and one write
    _exit(99);
}

int run_catching(int sig, void (*fn)(void *), void *arg, struct caught_fault *r)
{
    memset(r, 0, sizeof *r);
    r->status = -1;
    int p[2];
    if (pipe(p) < 0)
        return -1;
    pid_t pid = xfork();
    if (pid == 0) {
        close(p[0]);
        report_fd = p[1];
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = report_and_exit;
        sa.sa_flags = SA_SIGINFO;
        sigaction(sig, &sa, NULL);
        fn(arg);
        _exit(0);
    }
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        return -1;
    }
    struct report rep;
    // The write end closes when the child ends, so this read cannot block
    // longer than the child lives.
    if (read_full(p[0], &rep, sizeof rep) == (ssize_t)sizeof rep) {
        r->caught = 1;
        r->signo = rep.signo;
        r->code = rep.code;
        r->addr = rep.addr;
    }
    close(p[0]);
    r->status = wait_for(pid);
    return r->status;
}

int maps_line(const void *addr, char *line, size_t size)
{
    static char buf[32768];
    line[0] = '\0';
    if (read_file("/proc/self/maps", buf, sizeof buf) < 0)
        return 0;
    uintptr_t a = (uintptr_t)addr;
    for (char *p = buf; *p;) {
        char *nl = strchr(p, '\n');
        char *end;
        unsigned long lo = strtoul(p, &end, 16), hi = 0;
        if (*end == '-')
            hi = strtoul(end + 1, NULL, 16);
        if (lo <= a && a < hi) {
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            if (n >= size)
                n = size - 1;
            memcpy(line, p, n);
            line[n] = '\0';
            return 1;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

long file_long(const char *path)
{
    char buf[64];
    if (read_file(path, buf, sizeof buf) < 0)
        return -1;
    char *end;
    long v = strtol(buf, &end, 10);
    return end == buf ? -1 : v;
}

int write_str_file(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, s, strlen(s));
    int err = errno;
    close(fd);
    if (n < 0) {
        errno = err;
        return -1;
    }
    return 0;
}

// run_part's function, for the child (a function pointer cannot travel
// through run_child's void * portably).
static void (*part_fn)(void);

static void part_body(void *arg)
{
    (void)arg;
    part_fn();
    _exit(test_status());
}

int run_part(const char *name, void (*fn)(void))
{
    part_fn = fn;
    int st = run_child(part_body, NULL);
    if (st == -1 || !WIFEXITED(st))
        fail(name, "the part's process %s", st == -1 ? "was lost" : status_str(st));
    return exited_with(st, 0);
}
