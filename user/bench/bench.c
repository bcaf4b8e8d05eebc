// bench: what process creation costs, in rdtsc cycles, for parents of
// growing size. tools/bench.sh (make bench) runs this one static binary on
// bunshin (copy-on-write fork, fork=copy and fork=odf) and as the init of Debian's i386
// Linux kernel, in the same QEMU, and puts the figures side by side. Under
// QEMU's -icount shift=0 the time-stamp counter counts instructions, so a
// "cycle" is one guest instruction and the figures repeat exactly.
//
// For each parent size (0, 1, 4, 16, 64, 256 MiB of anonymous memory, every
// page written first so that all of it is private, dirty and mapped):
//   fork_exit_wait    fork(); the child _exit(0)s; the parent waitpid()s
//   vfork_exit_wait   the same with vfork()
//   fork_execve       fork(); the child execve()s nop, which exits at once
//   vfork_execve      the same with vfork()
//   posix_spawn       posix_spawn() of nop, then waitpid()
//   fork_write_all    fork(); the child writes one byte in every page of
//                     the parent's memory, then _exit(0)s; the parent
//                     waitpid()s: fork's whole cost when the child does
//                     come to copy everything (cow copies the pages at the
//                     writes; fork=odf copies the page tables there too)
//   frames_per_fork   MemFree (/proc/meminfo) before a fork and after it,
//                     while the child sleeps in read() on a pipe, in 4 KiB
//                     frames: page tables, kernel stack, and the pages the
//                     two processes' first writes copy (their stacks...).
//                     On Linux, pages allocated minus pages freed
//                     (/proc/vmstat), because Linux's MemFree leaves out the
//                     pages in its per-CPU free lists, where a fork's page
//                     tables come from.
// and once, with a 4 MiB parent:
//   cow_fault         the child's first write to one page of the memory it
//                     shares with its parent (which is alive, blocked in
//                     read()): the copy-on-write fault that copies the page,
//                     timed around the single store instruction in the child
//   cow_reuse         the parent's first write to a page after its last child
//                     has exited: the page is still marked copy-on-write but
//                     nobody else maps it, so the fault makes it writable
//                     again without a copy
//   rdtsc             two rdtsc back to back: what the clock itself costs
// then memory on demand (anonymous memory gets its frames at its first
// touch, on bunshin as on Linux):
//   first_touch       the first write to one page of a fresh anonymous
//                     private mapping: the demand-zero fault that maps a
//                     zeroed frame, timed around the single store
//   first_read        the first read of such a page: the fault maps the
//                     shared zero page, timed around the single load
//   mmap_small        mmap of one anonymous page (munmap not timed)
//   reserve_1g        mmap of 1 GiB MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE
//                     (munmap not timed): a reservation costs what a small
//                     mmap costs, whatever its size
//   munmap_1g         the munmap of that gigabyte, never touched
//   reserve_frames    frames in use before and after that mmap (as
//                     frames_per_fork counts them): none is taken
// and fork of a parent whose 64 MiB are MAP_SHARED|MAP_ANONYMOUS, every page
// written (the private counterparts are fork_exit_wait and frames_per_fork
// at 64 MiB):
//   fork_shared       fork(); the child _exit(0)s; the parent waitpid()s
//   frames_shared     frames one such fork takes: the child maps the same
//                     frames (shared pages are never copy-on-write), so
//                     fork=copy copies none of them either
// and, with no parent memory:
//   signal_self       kill(getpid(), SIGUSR1) with a handler installed: the
//                     system call, the delivery on its way out (a frame on the
//                     stack), the handler, sigreturn, back after the kill
//   signal_siginfo    the same with an SA_SIGINFO handler (the rt frame, with
//                     siginfo_t and ucontext_t)
// and, last, fork's uses without exec (docs/fork-uses.md): the demos
// zygote, forkserver and snapshot, found beside this program, each run with
// --bench -n N, print their own lines:
//   zygote_worker     one request served by a worker forked from a zygote
//                     with 8 MiB of tables; zygote_exec_worker: by fork +
//                     execve of a worker that builds the tables again
//   forkserver_input  one input run in a child forked from an initialised
//                     4 MiB target; forkserver_exec_input: fork + execve +
//                     init for each input
//   snapshot_fork     the parent's pause in fork() with a 64 MiB table;
//                     snapshot_bgsave: fork, the child writes the table to
//                     a file while the parent changes half its pages, reaped
//
// Every figure is measured n times (after one warm-up run that is not
// counted; first_touch and first_read: once on each of 32 fresh pages); the
// output gives the median and the minimum. Output: one line per
// figure on stdout,
//   bench NAME size_mib=S median=M min=M n=N [unit=frames]
//   bench NAME size_mib=S error=WHAT
// plus "info ..." lines, and a last line "bench done". Exit status 0.
//
// Options: -s 0,1,4 (parent sizes in MiB), -n N (repetitions for every size
// instead of the default, which falls from 21 to 5 as the parent grows),
// -b fork_exit_wait,cow_fault (only these), -x PATH (the nop program;
// default: nop beside this program).
//
// On Linux as pid 1 (an initramfs's init) it mounts /proc itself, opens
// /dev/console if it has no stdout, and powers the machine off at the end
// through QEMU's isa-debug-exit port (or reboot(RB_POWER_OFF)). On bunshin it
// is started by /bin/init and just exits.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024u * 1024u)
#define PAGE 4096u
#define MAX_REPS 64
#define COW_PAGES 32          // pages one child writes in cow_fault
#define COW_CHILDREN 3

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

// --- output: one write(2) per line, never stdio's buffer (forks) ---------

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof line - 2)
        n = sizeof line - 2;
    line[n++] = '\n';
    for (int off = 0; off < n;) {
        ssize_t w = write(1, line + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += w;
    }
}

// --- where we run --------------------------------------------------------

static int on_linux;           // uname sysname "Linux" (else bunshin)
static int linux_init;         // Linux and pid 1: we are the initramfs's init
static const char *nop_path;
static char *nop_argv[] = { "nop", NULL };
static char *nop_envp[] = { NULL };

// A field of /proc/meminfo in KiB, or -1. No malloc: a fork's MemFree
// difference must not include our own heap.
static long meminfo_kb(const char *field)
{
    static char buf[4096];
    int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    long len = 0, r;
    while (len < (long)sizeof buf - 1 && (r = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
        len += r;
    close(fd);
    buf[len] = 0;
    size_t fl = strlen(field);
    for (char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, field, fl) == 0 && p[fl] == ':')
            return strtol(p + fl + 1, NULL, 10);
    }
    return -1;
}

// Linux only: pages allocated minus pages freed since boot (plus a constant,
// to stay positive), from the event counters in /proc/vmstat (pgalloc_* and
// pgfree), or -1. Linux's MemFree
// does not count the pages waiting in its per-CPU free lists, so a fork's
// few page tables usually come out of those lists and leave MemFree as it
// was; these counters see every page.
static long long vmstat_net_alloc(void)
{
    static char buf[16384];
    int fd = open("/proc/vmstat", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    long len = 0, r;
    while (len < (long)sizeof buf - 1 && (r = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
        len += r;
    close(fd);
    buf[len] = 0;
    long long alloc = 0, freed = -1;
    for (char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, "pgalloc_", 8) == 0)
            alloc += strtoll(strchr(p, ' ') + 1, NULL, 10);
        else if (strncmp(p, "pgfree ", 7) == 0)
            freed = strtoll(p + 7, NULL, 10);
    }
    return freed < 0 ? -1 : (1LL << 40) + alloc - freed;   // pgfree counts boot's pages too
}

// Frames in use now, in 4 KiB units, plus a constant, growing as memory is
// taken, or -1: on bunshin from MemFree; on Linux from the counters above.
static long long frames_used(void)
{
    if (on_linux)
        return vmstat_net_alloc();
    long kb = meminfo_kb("MemFree");
    return kb < 0 ? -1 : (1LL << 40) - kb / 4;
}

static void linux_init_setup(void)
{
    // The kernel opens /dev/console for init; without that node in the
    // initramfs we have no stdout, so take one from devtmpfs.
    if (fcntl(1, F_GETFD) < 0) {
        mkdir("/dev", 0755);
        mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
        int fd = open("/dev/console", O_RDWR);
        if (fd >= 0) {
            dup2(fd, 0);
            dup2(fd, 1);
            dup2(fd, 2);
            if (fd > 2)
                close(fd);
        }
    }
    mkdir("/proc", 0555);
    if (mount("proc", "/proc", "proc", 0, NULL) < 0)
        out("info mount_proc_failed errno=%d", errno);
}

// Leave QEMU with our status (Linux as pid 1 only; on bunshin /bin/init's
// exit does it).
static void linux_poweroff(int status)
{
    sync();
    if (ioperm(0xf4, 4, 1) == 0)
        outb((unsigned char)status, 0xf4);   // QEMU exits with (status<<1)|1
    reboot(RB_POWER_OFF);
    for (;;)
        pause();
}

// --- statistics ------------------------------------------------------------

static void sort_u64(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        uint64_t x = v[i];
        int j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

static void report(const char *name, unsigned size_mib, uint64_t *v, int n, const char *extra)
{
    sort_u64(v, n);
    uint64_t med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    out("bench %s size_mib=%u median=%llu min=%llu n=%d%s", name, size_mib,
        (unsigned long long)med, (unsigned long long)v[0], n, extra ? extra : "");
}

// --- the measurements --------------------------------------------------------
// Each returns the cycles of one run, or 0 after printing nothing: the error
// is left in err_what.

static const char *err_what;

static int reap(pid_t pid)
{
    int st;
    pid_t r;
    while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
        ;
    if (r != pid) {
        err_what = "waitpid";
        return -1;
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        err_what = WIFEXITED(st) && WEXITSTATUS(st) == 127 ? "exec_failed" : "child_failed";
        return -1;
    }
    return 0;
}

static const char *errno_word(int e)
{
    switch (e) {
    case ENOMEM: return "ENOMEM";
    case EAGAIN: return "EAGAIN";
    case ENOENT: return "ENOENT";
    case ENOSYS: return "ENOSYS";
    case EINVAL: return "EINVAL";
    default: return "errno";
    }
}

// The parent memory of the size being measured (run_size), for
// fork_write_all.
static volatile char *size_mem;
static size_t size_len;

static uint64_t b_fork_write_all(void)
{
    uint64_t t0 = rdtsc();
    pid_t pid = fork();
    if (pid == 0) {
        for (size_t off = 0; off < size_len; off += PAGE)
            size_mem[off] = 1;
        _exit(0);
    }
    if (pid < 0) {
        err_what = errno_word(errno);
        return 0;
    }
    if (reap(pid) < 0)
        return 0;
    return rdtsc() - t0;
}

static uint64_t b_fork_exit_wait(void)
{
    uint64_t t0 = rdtsc();
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    if (pid < 0) {
        err_what = errno_word(errno);
        return 0;
    }
    if (reap(pid) < 0)
        return 0;
    return rdtsc() - t0;
}

// The vfork child runs on the parent's stack until it calls _exit or execve:
// the start time lives outside the frame, where no register allocation can
// lose it.
static volatile uint64_t vfork_t0;

static uint64_t b_vfork_exit_wait(void)
{
    vfork_t0 = rdtsc();
    pid_t pid = vfork();
    if (pid == 0)
        _exit(0);
    if (pid < 0) {
        err_what = errno_word(errno);
        return 0;
    }
    if (reap(pid) < 0)
        return 0;
    return rdtsc() - vfork_t0;
}

static uint64_t b_fork_execve(void)
{
    uint64_t t0 = rdtsc();
    pid_t pid = fork();
    if (pid == 0) {
        execve(nop_path, nop_argv, nop_envp);
        _exit(127);
    }
    if (pid < 0) {
        err_what = errno_word(errno);
        return 0;
    }
    if (reap(pid) < 0)
        return 0;
    return rdtsc() - t0;
}

static uint64_t b_vfork_execve(void)
{
    vfork_t0 = rdtsc();
    pid_t pid = vfork();
    if (pid == 0) {
        execve(nop_path, nop_argv, nop_envp);
        _exit(127);
    }
    if (pid < 0) {
        err_what = errno_word(errno);
        return 0;
    }
    if (reap(pid) < 0)
        return 0;
    return rdtsc() - vfork_t0;
}

static uint64_t b_posix_spawn(void)
{
    pid_t pid;
    uint64_t t0 = rdtsc();
    int e = posix_spawn(&pid, nop_path, NULL, NULL, nop_argv, nop_envp);
    if (e != 0) {
        err_what = errno_word(e);
        return 0;
    }
    if (reap(pid) < 0)
        return 0;
    return rdtsc() - t0;
}

static void settle(void)
{
    // Let the child run until it blocks (10 ms of the guest's clock).
    struct timespec ts = { 0, 10 * 1000 * 1000 };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

// Frames one fork takes: frames in use before, and after, with the child
// asleep in read() (MemFree on bunshin, /proc/vmstat's counters on Linux).
// Returns frames + 1 (so that 0 can mean an error), or 0.
static uint64_t b_frames_per_fork(void)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) {
        err_what = "pipe";
        return 0;
    }
    long long before = frames_used();
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(p[1]);
        while (read(p[0], &c, 1) < 0 && errno == EINTR)
            ;
        _exit(0);
    }
    if (pid < 0) {
        err_what = errno_word(errno);
        close(p[0]);
        close(p[1]);
        return 0;
    }
    settle();
    long long after = frames_used();
    close(p[1]);                         // the child's read() returns 0
    close(p[0]);
    if (reap(pid) < 0)
        return 0;
    if (before < 0 || after < 0) {
        err_what = "no_meminfo";
        return 0;
    }
    long long frames = after - before;
    return frames < 0 ? 1 : (uint64_t)frames + 1;
}

struct bench {
    const char *name;
    uint64_t (*fn)(void);
};

static const struct bench benches[] = {
    { "fork_exit_wait", b_fork_exit_wait },
    { "vfork_exit_wait", b_vfork_exit_wait },
    { "fork_execve", b_fork_execve },
    { "vfork_execve", b_vfork_execve },
    { "posix_spawn", b_posix_spawn },
    { "fork_write_all", b_fork_write_all },
    { "frames_per_fork", b_frames_per_fork },
};
#define NBENCH (int)(sizeof benches / sizeof benches[0])

static const char *only;       // -b list, or NULL for all

static int wanted(const char *name)
{
    if (!only)
        return 1;
    size_t n = strlen(name);
    for (const char *p = only; (p = strstr(p, name)); p += n)
        if ((p == only || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
            return 1;
    return 0;
}

// The default number of repetitions: the large parents cost the most.
static int reps_for(unsigned size_mib, int forced)
{
    if (forced > 0)
        return forced > MAX_REPS ? MAX_REPS : forced;
    if (size_mib <= 4)
        return 21;
    if (size_mib <= 16)
        return 15;
    if (size_mib <= 64)
        return 9;
    return 5;
}

// Anonymous memory, every page written. On Linux the block is aligned to
// 4 MiB, so that with transparent huge pages on it can be mapped by huge
// pages (4 MiB on non-PAE i386); bunshin has no huge pages, so there we ask
// for exactly the size.
static void *parent_mem(size_t size, void **map_base, size_t *map_len)
{
    size_t align = on_linux ? 4 * MIB : 0;
    size_t len = size + align;
    char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    char *p = m;
    if (align) {
        p = (char *)(((uintptr_t)m + align - 1) & ~(uintptr_t)(align - 1));
        if (p > m)
            munmap(m, p - m);
        if (m + len > p + size)
            munmap(p + size, m + len - (p + size));
        m = p;
        len = size;
    }
    *map_base = m;
    *map_len = len;
    memset(p, 0x5a, size);
    return p;
}

// One figure: a warm-up run of fn that is not counted, then n runs, and its
// line (or an error line at the first run that fails). frames: fn returns
// frames + 1, as b_frames_per_fork does, and the line says unit=frames.
static void measure(const char *name, unsigned size_mib, uint64_t (*fn)(void), int n, int frames)
{
    uint64_t v[MAX_REPS];
    if (n > MAX_REPS)
        n = MAX_REPS;
    for (int i = -1; i < n; i++) {              // i == -1: the warm-up
        err_what = NULL;
        uint64_t c = fn();
        if (c == 0) {
            out("bench %s size_mib=%u error=%s", name, size_mib, err_what ? err_what : "unknown");
            return;
        }
        if (i >= 0)
            v[i] = frames ? c - 1 : c;
    }
    report(name, size_mib, v, n, frames ? " unit=frames" : NULL);
}

static void run_size(unsigned size_mib, int forced_reps)
{
    void *base = NULL;
    size_t len = 0;
    size_mem = NULL;
    size_len = 0;
    if (size_mib > 0 && !(size_mem = parent_mem((size_t)size_mib * MIB, &base, &len))) {
        for (int b = 0; b < NBENCH; b++)
            if (wanted(benches[b].name))
                out("bench %s size_mib=%u error=mmap_%s", benches[b].name, size_mib,
                    errno_word(errno));
        return;
    }
    if (on_linux && size_mib > 0)
        out("info size_mib=%u anon_huge_kb=%ld", size_mib, meminfo_kb("AnonHugePages"));
    size_len = (size_t)size_mib * MIB;
    int n = reps_for(size_mib, forced_reps);
    for (int b = 0; b < NBENCH; b++)
        if (wanted(benches[b].name))
            measure(benches[b].name, size_mib, benches[b].fn, n,
                    benches[b].fn == b_frames_per_fork);
    if (base)
        munmap(base, len);
}

// cow_fault and cow_reuse with a 4 MiB parent (see the top of the file).
static void run_cow(void)
{
    const unsigned size_mib = 4;
    void *base;
    size_t len;
    volatile char *mem = parent_mem((size_t)size_mib * MIB, &base, &len);
    if (!mem) {
        out("bench cow_fault size_mib=%u error=mmap", size_mib);
        return;
    }
    uint64_t fault[COW_PAGES * COW_CHILDREN];
    int nfault = 0;
    const size_t stride = (size_mib * MIB / PAGE / COW_PAGES) * PAGE;
    for (int c = 0; c < COW_CHILDREN; c++) {
        int p[2];
        if (pipe(p) < 0) {
            out("bench cow_fault size_mib=%u error=pipe", size_mib);
            return;
        }
        pid_t pid = fork();
        if (pid == 0) {
            uint64_t t[COW_PAGES];
            close(p[0]);
            for (int i = 0; i < COW_PAGES; i++) {
                volatile char *a = mem + i * stride + (c % 2) * PAGE;
                uint64_t t0 = rdtsc();
                *a = 1;
                t[i] = rdtsc() - t0;
            }
            _exit(write(p[1], t, sizeof t) == (ssize_t)sizeof t ? 0 : 1);
        }
        close(p[1]);
        if (pid < 0) {
            close(p[0]);
            out("bench cow_fault size_mib=%u error=fork_%s", size_mib, errno_word(errno));
            return;
        }
        uint64_t t[COW_PAGES];
        size_t got = 0;
        ssize_t r;
        while (got < sizeof t && (r = read(p[0], (char *)t + got, sizeof t - got)) != 0) {
            if (r < 0 && errno != EINTR)
                break;
            if (r > 0)
                got += r;
        }
        close(p[0]);
        if (reap(pid) < 0 || got != sizeof t) {
            out("bench cow_fault size_mib=%u error=child", size_mib);
            return;
        }
        memcpy(fault + nfault, t, sizeof t);
        nfault += COW_PAGES;
    }
    report("cow_fault", size_mib, fault, nfault, NULL);

    // Every child has been reaped: the parent is alone with its pages.
    uint64_t reuse[COW_PAGES];
    for (int i = 0; i < COW_PAGES; i++) {
        volatile char *a = mem + i * stride + 2 * PAGE;
        uint64_t t0 = rdtsc();
        *a = 2;
        reuse[i] = rdtsc() - t0;
    }
    report("cow_reuse", size_mib, reuse, COW_PAGES, NULL);

    uint64_t tsc[COW_PAGES];
    for (int i = 0; i < COW_PAGES; i++) {
        uint64_t t0 = rdtsc();
        tsc[i] = rdtsc() - t0;
    }
    report("rdtsc", 0, tsc, COW_PAGES, NULL);
    munmap(base, len);
}

// --- memory on demand ----------------------------------------------------------

#define TOUCH_PAGES 32          // pages of one fresh mapping in first_touch/first_read
#define RESERVE_MIB 1024u       // reserve_1g: 1 GiB, as much as the machine has
#define SHARED_MIB 64u          // fork_shared: the parent's shared block

// first_touch and first_read: one fresh anonymous private mapping of
// TOUCH_PAGES + 1 pages (128 KiB: too small for a huge page, so Linux's THP
// column faults in 4 KiB pages too), and one store (or load) to each page,
// timed around the single instruction, as cow_fault is. Page 0 is touched
// first, untimed: if the mapping starts a new 4 MiB of the address space,
// that fault also takes the page table, which the others then share.
static void run_touch(const char *name, int write)
{
    size_t len = (TOUCH_PAGES + 1) * PAGE;
    volatile char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        out("bench %s size_mib=0 error=mmap_%s", name, errno_word(errno));
        return;
    }
    uint64_t t[TOUCH_PAGES];
    char sink = 0;
    if (write)
        m[0] = 1;
    else
        sink += m[0];
    for (int i = 0; i < TOUCH_PAGES; i++) {
        volatile char *a = m + (i + 1) * PAGE;
        uint64_t t0;
        if (write) {
            t0 = rdtsc();
            *a = 1;                       // no frame yet: a zeroed frame is mapped
        } else {
            t0 = rdtsc();
            sink += *a;                   // no frame yet: the zero page is mapped
        }
        t[i] = rdtsc() - t0;
    }
    munmap((void *)m, len);
    if (sink != 0)                        // a fresh anonymous page reads 0
        out("bench %s size_mib=0 error=not_zero", name);
    else
        report(name, 0, t, TOUCH_PAGES, NULL);
}

// mmap_small: mmap of one anonymous private page (munmap outside the
// timing), the reference for reserve_1g.
static uint64_t b_mmap_small(void)
{
    uint64_t t0 = rdtsc();
    void *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t t = rdtsc() - t0;
    if (m == MAP_FAILED) {
        err_what = errno_word(errno);
        return 0;
    }
    munmap(m, PAGE);
    return t;
}

// 1 GiB of address space with no commitment: MAP_NORESERVE keeps it out of
// the commit total (in the heuristic mode a 1 GiB machine would refuse it
// otherwise), and pages on demand mean no frame until a page is touched.
static void *reserve_map(void)
{
    return mmap(NULL, (size_t)RESERVE_MIB * MIB, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
}

// reserve_1g: the mmap alone (its munmap outside the timing).
static uint64_t b_reserve_1g(void)
{
    uint64_t t0 = rdtsc();
    void *m = reserve_map();
    uint64_t t = rdtsc() - t0;
    if (m == MAP_FAILED) {
        err_what = errno_word(errno);
        return 0;
    }
    munmap(m, (size_t)RESERVE_MIB * MIB);
    return t;
}

// munmap_1g: the munmap of that untouched gigabyte, alone: what it costs to
// take back address space that never had a page.
static uint64_t b_munmap_1g(void)
{
    void *m = reserve_map();
    if (m == MAP_FAILED) {
        err_what = errno_word(errno);
        return 0;
    }
    uint64_t t0 = rdtsc();
    int r = munmap(m, (size_t)RESERVE_MIB * MIB);
    uint64_t t = rdtsc() - t0;
    if (r < 0) {
        err_what = errno_word(errno);
        return 0;
    }
    return t;
}

// reserve_frames: frames in use before the 1 GiB mmap and after it (as
// frames_per_fork counts them); frames + 1, or 0.
static uint64_t b_reserve_frames(void)
{
    long long before = frames_used();
    void *m = reserve_map();
    long long after = frames_used();
    if (m == MAP_FAILED) {
        err_what = errno_word(errno);
        return 0;
    }
    munmap(m, (size_t)RESERVE_MIB * MIB);
    if (before < 0 || after < 0) {
        err_what = "no_meminfo";
        return 0;
    }
    long long frames = after - before;
    return frames < 0 ? 1 : (uint64_t)frames + 1;
}

// first_touch, first_read and the reservation (see the top of the file).
static void run_demand(int forced_reps)
{
    if (wanted("first_touch"))
        run_touch("first_touch", 1);
    if (wanted("first_read"))
        run_touch("first_read", 0);
    int n = forced_reps > 0 ? forced_reps : 9;
    if (wanted("mmap_small"))
        measure("mmap_small", 0, b_mmap_small, n, 0);
    if (wanted("reserve_1g"))
        measure("reserve_1g", RESERVE_MIB, b_reserve_1g, n, 0);
    if (wanted("munmap_1g"))
        measure("munmap_1g", RESERVE_MIB, b_munmap_1g, n, 0);
    if (wanted("reserve_frames"))
        measure("reserve_frames", RESERVE_MIB, b_reserve_frames, n, 1);
}

// fork_shared and frames_shared: fork_exit_wait and frames_per_fork for a
// parent whose 64 MiB, every page written, are MAP_SHARED|MAP_ANONYMOUS
// instead of private (the private figures are fork_exit_wait and
// frames_per_fork at 64 MiB). A fork shares such pages as they are, the
// child mapping the same frames writable, never copy-on-write, and fork=copy
// does not copy them either: shared memory must stay shared.
static void run_shared(int forced_reps)
{
    size_t len = (size_t)SHARED_MIB * MIB;
    char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        out("bench fork_shared size_mib=%u error=mmap_%s", SHARED_MIB, errno_word(errno));
        return;
    }
    memset(m, 0x5a, len);
    int n = reps_for(SHARED_MIB, forced_reps);
    if (wanted("fork_shared"))
        measure("fork_shared", SHARED_MIB, b_fork_exit_wait, n, 0);
    if (wanted("frames_shared"))
        measure("frames_shared", SHARED_MIB, b_frames_per_fork, n, 1);
    munmap(m, len);
}

static volatile int handled;

static void on_usr1(int sig)
{
    (void)sig;
    handled++;
}

static void on_usr2(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    handled++;
}

// signal_self and signal_siginfo (see the top of the file).
static void run_signal(void)
{
    struct { const char *name; int sig; } kinds[2] = {
        { "signal_self", SIGUSR1 }, { "signal_siginfo", SIGUSR2 } };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_sigaction = on_usr2;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    pid_t me = getpid();
    for (int k = 0; k < 2; k++) {
        if (!wanted(kinds[k].name))
            continue;
        uint64_t t[MAX_REPS];
        int before = handled;
        for (int i = -1; i < 21; i++) {              // i == -1: the warm-up
            uint64_t t0 = rdtsc();
            kill(me, kinds[k].sig);
            uint64_t c = rdtsc() - t0;
            if (i >= 0)
                t[i] = c;
        }
        if (handled - before != 22)
            out("bench %s size_mib=0 error=handler_ran_%d_times_of_22", kinds[k].name,
                handled - before);
        else
            report(kinds[k].name, 0, t, 21, NULL);
    }
}

// The demos of fork's uses (see the top of the file): run each one whose
// figures are wanted, from the directory of nop, with its output going
// straight to ours.
static void run_fork_uses(int forced_reps)
{
    static const struct { const char *prog, *mib, *names[2]; } demos[] = {
        { "zygote", "8", { "zygote_worker", "zygote_exec_worker" } },
        { "forkserver", "4", { "forkserver_input", "forkserver_exec_input" } },
        { "snapshot", "64", { "snapshot_fork", "snapshot_bgsave" } },
    };
    char path[4096], reps[16];
    snprintf(reps, sizeof reps, "%d", forced_reps > 0 ? forced_reps : 5);
    const char *slash = strrchr(nop_path, '/');
    for (int d = 0; d < 3; d++) {
        if (!wanted(demos[d].names[0]) && !wanted(demos[d].names[1]))
            continue;
        snprintf(path, sizeof path, "%.*s%s", slash ? (int)(slash - nop_path + 1) : 0,
                 nop_path, demos[d].prog);
        char *argv[] = { (char *)demos[d].prog, "--bench", "-m", (char *)demos[d].mib,
                         "-n", reps, NULL };
        pid_t pid = fork();
        if (pid == 0) {
            execve(path, argv, nop_envp);
            _exit(127);
        }
        if (pid < 0 || reap(pid) < 0)
            out("bench %s size_mib=%s error=%s", demos[d].names[0], demos[d].mib,
                pid < 0 ? "fork" : err_what);
    }
}

int main(int argc, char **argv)
{
    struct utsname u;
    on_linux = uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0;
    linux_init = on_linux && getpid() == 1;
    if (linux_init)
        linux_init_setup();

    const char *sizes = "0,1,4,16,64,256";
    int forced_reps = 0;
    static char nop_default[4096];
    nop_path = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "s:n:b:x:")) != -1) {
        switch (opt) {
        case 's': sizes = optarg; break;
        case 'n': forced_reps = atoi(optarg); break;
        case 'b': only = optarg; break;
        case 'x': nop_path = optarg; break;
        default:
            out("usage: bench [-s 0,1,4,16,64,256] [-n REPS] [-b NAME,...] [-x NOP_PATH]");
            if (linux_init)
                linux_poweroff(2);
            return 2;
        }
    }
    if (!nop_path) {
        const char *slash = strrchr(argv[0], '/');
        if (slash)
            snprintf(nop_default, sizeof nop_default, "%.*s/nop", (int)(slash - argv[0]), argv[0]);
        else
            snprintf(nop_default, sizeof nop_default, "./nop");
        nop_path = nop_default;
    }

    out("info kernel=%s release=%s machine=%s pid=%d mem_total_kb=%ld mem_free_kb=%ld nop=%s",
        u.sysname, u.release, u.machine, (int)getpid(), meminfo_kb("MemTotal"),
        meminfo_kb("MemFree"), nop_path);
    if (access(nop_path, X_OK) < 0)
        out("info nop_missing path=%s", nop_path);

    for (const char *s = sizes; *s;) {
        char *end;
        unsigned long mib = strtoul(s, &end, 10);
        if (end == s)
            break;
        run_size((unsigned)mib, forced_reps);
        s = *end == ',' ? end + 1 : end;
    }
    if (wanted("cow_fault") || wanted("cow_reuse") || wanted("rdtsc"))
        run_cow();
    run_demand(forced_reps);
    if (wanted("fork_shared") || wanted("frames_shared"))
        run_shared(forced_reps);
    if (wanted("signal_self") || wanted("signal_siginfo"))
        run_signal();
    run_fork_uses(forced_reps);
    out("bench done");
    if (linux_init)
        linux_poweroff(0);
    return 0;
}
