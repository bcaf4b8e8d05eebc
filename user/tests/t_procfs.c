// t_procfs: /proc/self, /proc/<pid>/status, /proc/<pid>/maps and
// /proc/<pid>/smaps_rollup, in Linux's formats.
//
//   - /proc/self is the process reading it (also in a child); Pid, Tgid
//     and PPid in status; a live child's /proc/<pid>; a reaped one's gone;
//   - VmRSS grows by 4 kB for each page written (exactly on bunshin, within
//     a tolerance on Linux, whose counters are per-CPU approximations) and
//     falls back after munmap;
//   - maps: a mapping made for the purpose appears with its exact ranges and
//     permissions (rw-p, r--p after mprotect of its middle page, rw-p), the
//     brk area is "[heap]", a local's page is in "[stack]", main's page is
//     r-xp and named after the program; lines are sorted and disjoint;
//   - smaps_rollup: Rss (equal to VmRSS) and Pss; after fork, a 1 MiB region
//     shared copy-on-write with the child counts half in the parent's Pss,
//     and when the child writes its copy the parent's Pss rises by exactly
//     512 kB (bunshin; about that on Linux) while its Rss stays;
//   - bunshin only: "CowFaults:\t<N>" in status rises by k when the child
//     writes k copy-on-write pages, and each of those faults takes one frame.
// On bunshin, MemFree is back where it started at the end.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096ul

static const char *prog_name = "t_procfs";

// --- status and /proc/self ----------------------------------------------------

static void test_pid_status(void)
{
    pid_t me = getpid();
    long pid = proc_status_value(0, "Pid"), tgid = proc_status_value(0, "Tgid"),
         ppid = proc_status_value(0, "PPid");
    check(pid == me && tgid == me && ppid == getppid(), "procfs.self_status",
          "/proc/self/status says Pid %ld, Tgid %ld, PPid %ld; getpid %d, getppid %d", pid,
          tgid, ppid, (int)me, (int)getppid());
    check_eq("procfs.pid_status", me, proc_status_value(me, "Pid"));

    char buf[4096];
    long n = read_file("/proc/self/status", buf, sizeof buf);
    char want[64];
    snprintf(want, sizeof want, "Name:\t%s\n", prog_name);
    check(n > 0 && strncmp(buf, want, strlen(want)) == 0, "procfs.status_name",
          "/proc/self/status should start with \"Name:\\t%s\": \"%.20s\"", prog_name,
          n > 0 ? buf : errname(errno));
    long rss = proc_status_value(0, "VmRSS");
    check(rss > 0 && strstr(buf, "\nVmRSS:\t"), "procfs.status_vmrss",
          "no \"VmRSS:\\t... kB\" line in /proc/self/status (value %ld)", rss);

    // A live child: its own /proc/<pid>, and /proc/self is the reader.
    int hold[2], rep[2];
    if (pipe(hold) < 0 || pipe(rep) < 0) {
        fail("procfs.pipe", "pipe: %s", errname(errno));
        return;
    }
    pid_t child = xfork();
    if (child == 0) {
        close(hold[1]);
        close(rep[0]);
        long seen = proc_status_value(0, "Pid");
        write_full(rep[1], &seen, sizeof seen);
        char c;
        read(hold[0], &c, 1);
        _exit(0);
    }
    close(hold[0]);
    close(rep[1]);
    long child_self = -1;
    read_full(rep[0], &child_self, sizeof child_self);
    close(rep[0]);
    check(child_self == child, "procfs.self_in_child",
          "in the child %d, /proc/self/status says Pid %ld", (int)child, child_self);
    long cpid = proc_status_value(child, "Pid"), cppid = proc_status_value(child, "PPid");
    check(cpid == child && cppid == me, "procfs.child_status",
          "/proc/%d/status says Pid %ld, PPid %ld (the parent is %d)", (int)child, cpid, cppid,
          (int)me);
    close(hold[1]);
    wait_for(child);
    const char *gone = tname("/proc/%d/status", (int)child);
    int fd = open(gone, O_RDONLY);
    check_errno("procfs.reaped_gone", fd, ENOENT);
    if (fd >= 0)
        close(fd);
}

// --- VmRSS ---------------------------------------------------------------------

static int near(long got, long want, long tolerance)
{
    return got >= want - tolerance && got <= want + tolerance;
}

static void test_vmrss(void)
{
    enum { N = 1024 };   // pages: 4 MiB
    long want = N * 4;
    // Linux counts RSS in per-CPU batches: allow a quarter either way.
    long tol = on_bunshin() ? 0 : want / 4;
    (void)proc_status_value(0, "VmRSS");
    long before = proc_status_value(0, "VmRSS");
    unsigned char *p = mmap(NULL, N * PAGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!check(p != MAP_FAILED, "procfs.vmrss_mmap", "mmap: %s", errname(errno)))
        return;
    for (unsigned long i = 0; i < N * PAGE; i += PAGE)
        p[i] = 1;
    long grown = proc_status_value(0, "VmRSS");
    check(before > 0 && near(grown - before, want, tol), "procfs.vmrss_grows",
          "VmRSS was %ld kB, %ld kB after writing %d pages: %+ld kB, %ld kB expected%s",
          before, grown, N, grown - before, want, tol ? " (within a quarter)" : "");
    munmap(p, N * PAGE);
    long after = proc_status_value(0, "VmRSS");
    check(near(after, before, tol), "procfs.vmrss_falls",
          "VmRSS was %ld kB before the mapping, %ld kB after munmap", before, after);
}

// --- maps ------------------------------------------------------------------------

struct map_line {
    unsigned long start, end, offset;
    char perms[8];
    char name[256];
};

static char maps_text[32768];
static struct map_line lines[256];

// Parse /proc/self/maps. Returns the number of lines, or -1.
static int read_maps(void)
{
    if (read_file("/proc/self/maps", maps_text, sizeof maps_text) < 0)
        return -1;
    int n = 0;
    for (char *p = maps_text; *p && n < 256;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        struct map_line *l = &lines[n];
        int used = 0;
        l->name[0] = '\0';
        if (sscanf(p, "%lx-%lx %7s %lx %*s %*s %n", &l->start, &l->end, l->perms, &l->offset,
                   &used) >= 4) {
            if (used > 0) {
                char *name = p + used;
                while (*name == ' ')
                    name++;
                snprintf(l->name, sizeof l->name, "%s", name);
                // Linux ends nameless lines with a space; names have none.
                size_t len = strlen(l->name);
                while (len && l->name[len - 1] == ' ')
                    l->name[--len] = '\0';
            }
            n++;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return n;
}

// The line whose range holds addr, or NULL.
static const struct map_line *line_at(int n, unsigned long addr)
{
    for (int i = 0; i < n; i++)
        if (lines[i].start <= addr && addr < lines[i].end)
            return &lines[i];
    return NULL;
}

static void expect_line(int n, const char *name, unsigned long start, unsigned long end,
                        const char *perms)
{
    const struct map_line *l = line_at(n, start);
    check(l && l->start == start && l->end == end && strcmp(l->perms, perms) == 0 &&
              l->name[0] == '\0',
          name, "expected \"%08lx-%08lx %s\" with no name; the line there is %s%08lx-%08lx "
          "%s %s", start, end, perms, l ? "" : "(none) ", l ? l->start : 0, l ? l->end : 0,
          l ? l->perms : "", l ? l->name : "");
}

static void test_maps(void)
{
    // Five pages, of which the first and last are given back: the middle
    // three are a mapping of their own, with gaps on both sides (so Linux
    // cannot merge it with a neighbour). Its middle page becomes read-only.
    unsigned char *r = mmap(NULL, 5 * PAGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!check(r != MAP_FAILED, "procfs.maps_mmap", "mmap: %s", errname(errno)))
        return;
    munmap(r, PAGE);
    munmap(r + 4 * PAGE, PAGE);
    unsigned long a = (unsigned long)r + PAGE;
    mprotect((void *)(a + PAGE), PAGE, PROT_READ);
    ((unsigned char *)a)[0] = 1;

    // A page from brk, written.
    unsigned long cur = syscall(SYS_brk, 0);
    unsigned long heap = (cur + PAGE - 1) & ~(PAGE - 1);
    int have_heap = syscall(SYS_brk, heap + 2 * PAGE) == (long)(heap + 2 * PAGE);
    if (have_heap)
        *(volatile char *)heap = 1;

    int n = read_maps();
    if (!check(n > 0, "procfs.maps_read", "/proc/self/maps: %s",
               n < 0 ? errname(errno) : "no line parsed"))
        return;
    expect_line(n, "procfs.maps_anon_rw", a, a + PAGE, "rw-p");
    expect_line(n, "procfs.maps_anon_ro", a + PAGE, a + 2 * PAGE, "r--p");
    expect_line(n, "procfs.maps_anon_rw_after", a + 2 * PAGE, a + 3 * PAGE, "rw-p");
    const struct map_line *l = line_at(n, a - PAGE);
    check(!l, "procfs.maps_gap_before", "the unmapped page %#lx is in line %08lx-%08lx",
          a - PAGE, l ? l->start : 0, l ? l->end : 0);

    if (have_heap) {
        l = line_at(n, heap);
        check(l && strcmp(l->name, "[heap]") == 0 && strncmp(l->perms, "rw", 2) == 0 &&
                  l->end >= heap + 2 * PAGE,
              "procfs.maps_heap", "the brk page %#lx is in %s%08lx-%08lx %s \"%s\"; "
              "expected a line named [heap] up to at least %#lx",
              heap, l ? "" : "(no line) ", l ? l->start : 0, l ? l->end : 0,
              l ? l->perms : "", l ? l->name : "", heap + 2 * PAGE);
    } else {
        fail("procfs.maps_heap", "brk(%#lx) failed", heap + 2 * PAGE);
    }
    volatile int local = 0;
    l = line_at(n, (unsigned long)&local);
    check(l && strcmp(l->name, "[stack]") == 0 && strcmp(l->perms, "rw-p") == 0,
          "procfs.maps_stack", "a local at %p is in %s%08lx-%08lx %s \"%s\"; expected "
          "rw-p [stack]", (void *)&local, l ? "" : "(no line) ", l ? l->start : 0,
          l ? l->end : 0, l ? l->perms : "", l ? l->name : "");
    extern int main(int, char **);
    l = line_at(n, (unsigned long)(uintptr_t)&main);
    const char *base = l ? strrchr(l->name, '/') : NULL;
    check(l && strcmp(l->perms, "r-xp") == 0 && base && strcmp(base + 1, prog_name) == 0,
          "procfs.maps_text", "main at %p is in %s%08lx-%08lx %s \"%s\"; expected r-xp "
          "named .../%s", (void *)(uintptr_t)&main, l ? "" : "(no line) ", l ? l->start : 0,
          l ? l->end : 0, l ? l->perms : "", l ? l->name : "", prog_name);
    int sorted = 1;
    for (int i = 1; i < n; i++)
        sorted &= lines[i - 1].end <= lines[i].start && lines[i].start < lines[i].end;
    check(sorted, "procfs.maps_sorted", "the lines of /proc/self/maps overlap or are not "
          "in address order");

    munmap((void *)a, 3 * PAGE);
    if (have_heap)
        syscall(SYS_brk, cur);
    n = read_maps();
    l = line_at(n, a);
    check(n > 0 && !l, "procfs.maps_after_munmap",
          "after munmap, %#lx is still in %08lx-%08lx %s", a, l ? l->start : 0,
          l ? l->end : 0, l ? l->perms : "");
}

// --- smaps_rollup and Pss ----------------------------------------------------

#define REGION (256 * PAGE)   // 1 MiB

static void test_pss(void)
{
    long rss = smaps_rollup_kb(0, "Rss"), pss = smaps_rollup_kb(0, "Pss");
    long vmrss = proc_status_value(0, "VmRSS");
    if (!check(rss > 0 && pss > 0, "procfs.smaps_rollup",
               "/proc/self/smaps_rollup: Rss %ld kB, Pss %ld kB (-1: no such line or file)",
               rss, pss))
        return;
    check(pss <= rss, "procfs.pss_at_most_rss", "Pss %ld kB is more than Rss %ld kB", pss,
          rss);
    long tol = on_bunshin() ? 0 : rss / 10 + 64;
    check(near(rss, vmrss, tol), "procfs.rss_is_vmrss",
          "smaps_rollup's Rss is %ld kB, status's VmRSS %ld kB", rss, vmrss);

    unsigned char *m = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                            -1, 0);
    if (!check(m != MAP_FAILED, "procfs.pss_mmap", "mmap: %s", errname(errno)))
        return;
    memset(m, 0x5a, REGION);
    int go[2], rep[2];
    if (pipe(go) < 0 || pipe(rep) < 0) {
        fail("procfs.pss_pipe", "pipe: %s", errname(errno));
        return;
    }
    // Warm up: every page this function and the readings write is written
    // once before the first reading.
    (void)smaps_rollup_kb(0, "Pss");
    long rss0 = smaps_rollup_kb(0, "Rss"), pss0 = smaps_rollup_kb(0, "Pss");
    pid_t child = xfork();
    if (child == 0) {
        close(go[1]);
        close(rep[0]);
        char c = 'r';
        // The child's stack pages for the pipe calls, written once now.
        write_full(rep[1], &c, 1);
        read_full(go[0], &c, 1);
        memset(m, 0xa5, REGION);   // the child's own copy now
        write_full(rep[1], &c, 1);
        read_full(go[0], &c, 1);
        _exit(0);
    }
    close(go[0]);
    close(rep[1]);
    char c;
    read_full(rep[0], &c, 1);
    (void)smaps_rollup_kb(0, "Pss");   // the parent's own first writes after fork
    (void)smaps_rollup_kb(0, "Rss");
    long rss1 = smaps_rollup_kb(0, "Rss"), pss1 = smaps_rollup_kb(0, "Pss");
    write_full(go[1], "g", 1);
    read_full(rep[0], &c, 1);   // the child has written its 1 MiB
    long rss2 = smaps_rollup_kb(0, "Rss"), pss2 = smaps_rollup_kb(0, "Pss");
    write_full(go[1], "g", 1);
    close(go[1]);
    close(rep[0]);
    int st = wait_for(child);
    check(st == 0, "procfs.pss_child", "the child %s", status_str(st));

    long half = REGION / 1024 / 2;   // 512 kB
    long ptol = on_bunshin() ? 0 : 64;
    check(pss0 - pss1 >= half - ptol, "procfs.pss_halved_by_fork",
          "before fork Rss %ld kB, Pss %ld kB; with the child alive Rss %ld kB, Pss %ld kB: "
          "the 1 MiB shared with the child should take at least %ld kB off Pss",
          rss0, pss0, rss1, pss1, half - ptol);
    check(near(pss2 - pss1, half, ptol) && near(rss2, rss1, ptol), "procfs.pss_unshared",
          "when the child wrote its copy of the 1 MiB, the parent's Pss went from %ld to "
          "%ld kB (%+ld kB, %ld expected%s) and Rss from %ld to %ld kB (unchanged expected)",
          pss1, pss2, pss2 - pss1, half, ptol ? " within 64" : "", rss1, rss2);
    munmap(m, REGION);
}

// --- CowFaults (bunshin only) ------------------------------------------------

// CowFaults from our own status, read with no rotating buffer: the same
// stack and no static page, so a reading itself takes no fault once the
// first has copied its pages. The whole buffer is written every time: the
// file's length changes with its numbers, and a longer reading must not
// reach a page of the buffer that a shorter one left shared (the random
// stack offset decides where the pages begin).
static long cow_faults(void)
{
    char buf[4096];
    memset(buf, 0, sizeof buf);
    if (read_file("/proc/self/status", buf, sizeof buf) < 0)
        return -1;
    char *p = strstr(buf, "\nCowFaults:\t");
    return p ? strtol(p + 12, NULL, 10) : -1;
}

static void test_cow_faults(void)
{
    if (!on_bunshin()) {
        skip("procfs.cowfaults_line", "Linux has no CowFaults line in /proc/<pid>/status");
        skip("procfs.cowfaults_count", "Linux has no CowFaults line in /proc/<pid>/status");
        skip("procfs.cow_fault_frames", "Linux: MemFree moves with every other process");
        return;
    }
    enum { K = 64 };
    unsigned char *m = mmap(NULL, K * PAGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!check(m != MAP_FAILED, "procfs.cowfaults_mmap", "mmap: %s", errname(errno)))
        return;
    memset(m, 1, K * PAGE);
    long mine = cow_faults();
    if (!check(mine >= 0, "procfs.cowfaults_line",
               "no \"CowFaults:\\t<N>\" line in /proc/self/status"))
        return;
    // The parent waits for the child, so it shares the pages all along.
    pid_t child = xfork();
    if (child == 0) {
        (void)cow_faults();            // the stack pages of a reading: copied now
        (void)meminfo_free_kb();
        long before = cow_faults();
        long free_before = meminfo_free_kb();
        for (int i = 0; i < K; i++)
            m[i * PAGE] = 2;           // one fault each: the parent still shares it
        long after = cow_faults();
        long free_after = meminfo_free_kb();
        check(after - before == K, "procfs.cowfaults_count",
              "writing %d pages shared copy-on-write with the parent: CowFaults went from "
              "%ld to %ld (%+ld)", K, before, after, after - before);
        check(free_before - free_after == K * 4, "procfs.cow_fault_frames",
              "the %d copy-on-write faults took %ld kB of MemFree, %d kB expected",
              K, free_before - free_after, K * 4);
        _exit(test_status());
    }
    int st = wait_for(child);
    check(st == 0, "procfs.cowfaults_child", "the child %s", status_str(st));
    munmap(m, K * PAGE);
}

static void all_checks(void)
{
    test_pid_status();
    test_vmrss();
    test_maps();
    test_pss();
    test_cow_faults();
    _exit(test_status());
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    long before = memfree_start();
    pid_t pid = xfork();
    if (pid == 0)
        all_checks();
    int st = wait_for(pid);
    check(st == 0, "procfs.checks_passed", "the child doing the checks %s", status_str(st));
    memfree_check("procfs.memfree_restored", before);
    return test_status();
}
