// t_memory: brk and anonymous mmap2 grow and shrink the address space;
// running out gives ENOMEM (or, for brk, an unchanged break); and on
// bunshin every frame comes back afterwards (MemFree in /proc/meminfo).
//
// All the work happens in a child, so that the parent's MemFree reading
// before and after covers everything: the pages, the page tables, the
// child's kernel stack. Address-space exhaustion uses untouched mappings
// only: on the Linux host that reaches the end of the 4 GiB address space
// without touching gigabytes; on bunshin it ends there or when frames run
// out, whichever comes first.
// bunshin-boot: fork=odf
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096ul
#define MIB (1024ul * 1024)
#define STEP (64 * MIB)   // one untouched mapping while exhausting memory

extern char _end[];

static unsigned long brk_(unsigned long addr)
{
    return syscall(SYS_brk, addr);
}

static unsigned long page_up(unsigned long a)
{
    return (a + PAGE - 1) & ~(PAGE - 1);
}

// Check that [p, p+len) is all zero, then write a pattern on every page
// and read it back. Returns the name of what went wrong, or NULL.
static const char *zero_then_write(unsigned char *p, unsigned long len)
{
    for (unsigned long i = 0; i < len; i++)
        if (p[i])
            return tname("byte %lu of %lu is %#x, not zero", i, len, p[i]);
    for (unsigned long i = 0; i < len; i += PAGE)
        p[i] = p[i + PAGE - 1] = (unsigned char)(i / PAGE) | 0x80;
    for (unsigned long i = 0; i < len; i += PAGE)
        if (p[i] != ((unsigned char)(i / PAGE) | 0x80) || p[i + PAGE - 1] != p[i])
            return tname("page %lu did not keep what was written", i / PAGE);
    return NULL;
}

// In a child: touch one byte at arg. The parent expects SIGSEGV.
static void touch(void *arg)
{
    *(volatile unsigned char *)arg = 1;
}

static void read_byte(void *arg)
{
    (void)*(volatile unsigned char *)arg;
}

static void expect_segv(const char *name, void (*fn)(void *), void *addr)
{
    int st = run_child(fn, addr);
    check(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, name,
          "accessing %p: expected SIGSEGV, but %s", addr, status_str(st));
}

static void expect_fine(const char *name, void (*fn)(void *), void *addr)
{
    int st = run_child(fn, addr);
    check(st == 0, name, "accessing %p: expected no fault, but %s", addr, status_str(st));
}

// In a child: raise the break by STEP until the kernel refuses. Linux's brk
// answers a refusal with the old break (musl's sbrk makes that ENOMEM).
// Exit 0 if the refusal came as expected; 1 if nothing grew at all; 2 if
// the refused call returned something else; 3 if it never refused.
static void brk_until_refused(void *arg)
{
    (void)arg;
    unsigned long cur = brk_(0), grown = 0;
    for (int i = 0; i < 80; i++) {
        unsigned long r = brk_(cur + STEP);
        if (r == cur + STEP) {
            cur = r;
            grown++;
            continue;
        }
        _exit(r != cur ? 2 : grown == 0 ? 1 : 0);
    }
    _exit(3);
}

// In a child: map STEP at a time, untouched, until mmap fails. Exit 0 if it
// failed with ENOMEM after at least one success and a map works again
// after unmapping everything; 1: no map worked; 2: never failed;
// 3: the map after unmapping failed; 100 + errno: failed with another errno.
static void mmap_until_enomem(void *arg)
{
    (void)arg;
    static void *maps[80];
    int n = 0, err = 0;
    while (n < 80) {
        void *p = mmap(NULL, STEP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            err = errno;
            break;
        }
        maps[n++] = p;
    }
    if (n == 0)
        _exit(1);
    if (n == 80)
        _exit(2);
    if (err != ENOMEM)
        _exit(100 + err);
    for (int i = 0; i < n; i++)
        munmap(maps[i], STEP);
    void *p = mmap(NULL, STEP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    _exit(p == MAP_FAILED ? 3 : 0);
}

static void test_brk(void)
{
    unsigned long start = brk_(0);
    check(start >= (unsigned long)_end && start < 0xC0000000ul, "brk.initial",
          "brk(0) = %#lx; the program ends at %p", start, (void *)_end);

    // Grow by 1 MiB: fresh memory is zero and every page holds data.
    unsigned long top = start + MIB;
    check_eq("brk.grow", top, brk_(top));
    unsigned long from = page_up(start);
    const char *err = zero_then_write((unsigned char *)from, top - from);
    check(!err, "brk.pages_zero_and_writable", "%s", err);

    // Shrink back: the pages are gone.
    check_eq("brk.shrink", start, brk_(start));
    expect_segv("brk.shrunk_pages_unmapped", touch, (void *)(from + MIB / 2));

    // Grow again: the old contents must not come back.
    check_eq("brk.regrow", top, brk_(top));
    err = zero_then_write((unsigned char *)from, top - from);
    check(!err, "brk.regrown_pages_zero", "%s", err);
    check_eq("brk.shrink_again", start, brk_(start));

    // Below the program's own data: refused, the break unchanged.
    check_eq("brk.below_start_refused", start, brk_(0x1000));

    int st = run_child(brk_until_refused, NULL);
    check(st == 0, "brk.refused_when_full",
          "growing by 64 MiB steps: %s (1: nothing grew, 2: the refusal did not return the "
          "old break, 3: never refused)",
          status_str(st));
}

static void test_mmap(void)
{
    // One 4 MiB mapping: zero, writable, and gone after munmap.
    unsigned long len = 4 * MIB;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                            -1, 0);
    // On bunshin, below the kernel; Linux gives i386 programs all 4 GiB.
    uintptr_t limit = on_bunshin() ? 0xC0000000ul : 0xFFFFFFFFul;
    if (check(p != MAP_FAILED && ((uintptr_t)p & (PAGE - 1)) == 0 && (uintptr_t)p + len - 1 < limit,
              "mmap.anonymous", "mmap(4 MiB) = %p (%s)", (void *)p,
              p == MAP_FAILED ? errname(errno) : "misplaced")) {
        const char *err = zero_then_write(p, len);
        check(!err, "mmap.zero_and_writable", "%s", err);
        check_eq("mmap.munmap", 0, munmap(p, len));
        expect_segv("mmap.unmapped_faults", touch, p + len / 2);
    }

    // Many small mappings: distinct, and each keeps its own data.
    enum { N = 64 };
    static unsigned char *maps[N];
    int overlap = 0, lost = 0, failed = 0;
    for (int i = 0; i < N; i++) {
        maps[i] = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
        if (maps[i] == MAP_FAILED) {
            failed++;
            maps[i] = NULL;
            continue;
        }
        for (int k = 0; k < 16; k++)
            maps[i][k * PAGE] = (unsigned char)i;
    }
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < i && maps[i]; j++)
            if (maps[j] && maps[i] < maps[j] + 16 * PAGE && maps[j] < maps[i] + 16 * PAGE)
                overlap++;
        for (int k = 0; k < 16 && maps[i]; k++)
            lost += maps[i][k * PAGE] != (unsigned char)i;
    }
    check(!failed && !overlap && !lost, "mmap.many",
          "64 maps of 64 KiB: %d failed, %d overlapping pairs, %d pages lost their data",
          failed, overlap, lost);
    for (int i = 0; i < N; i++)
        if (maps[i])
            munmap(maps[i], 16 * PAGE);

    // Unmapping the middle page of three leaves the other two.
    p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
        p[0] = 1;
        p[2 * PAGE] = 3;
        check_eq("mmap.munmap_middle", 0, munmap(p + PAGE, PAGE));
        check(p[0] == 1 && p[2 * PAGE] == 3, "mmap.munmap_middle_keeps_rest",
              "the outer pages hold %d and %d, not 1 and 3", p[0], p[2 * PAGE]);
        expect_segv("mmap.munmap_middle_faults", touch, p + PAGE);
        munmap(p, 3 * PAGE);
    } else {
        fail("mmap.munmap_middle", "mmap of 3 pages failed: %s", errname(errno));
    }

    // Read-only memory reads as zero and cannot be written.
    p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (check(p != MAP_FAILED, "mmap.read_only", "mmap(PROT_READ): %s", errname(errno))) {
        expect_fine("mmap.read_only_readable", read_byte, p);
        expect_segv("mmap.read_only_write_faults", touch, p);
        munmap(p, PAGE);
    }

    check_errno("mmap.length_zero", (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
                                               -1, 0), EINVAL);
    check_errno("mmap.no_private_or_shared",
                (long)mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
    check_errno("mmap.munmap_unaligned", munmap((void *)0x10000001, PAGE), EINVAL);

    int st = run_child(mmap_until_enomem, NULL);
    check(st == 0, "mmap.enomem_when_full",
          "mapping 64 MiB at a time: %s (1: no map worked, 2: never failed, 3: no map after "
          "unmapping all, 100+errno: failed with that errno)",
          status_str(st));
}

// The child's MemFree falls when it touches memory (bunshin: a real
// counter of free frames). Exit 0 if it fell by at least 4 MiB.
static void memfree_falls(void *arg)
{
    (void)arg;
    long before = meminfo_free_kb();
    unsigned char *p = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                            -1, 0);
    if (p == MAP_FAILED)
        _exit(2);
    for (unsigned long i = 0; i < 4 * MIB; i += PAGE)
        p[i] = 1;
    long after = meminfo_free_kb();
    _exit(before - after >= 4096 ? 0 : 1);
}

static void all_memory_checks(void *arg)
{
    (void)arg;
    test_brk();
    test_mmap();
    if (on_bunshin()) {
        int st = run_child(memfree_falls, NULL);
        check(st == 0, "mem.memfree_falls",
              "touching 4 MiB should lower MemFree by 4096 kB or more: %s", status_str(st));
    } else {
        skip("mem.memfree_falls", "Linux: MemFree moves with the page cache and every "
             "other process");
    }
    _exit(test_status());
}

static void warm_up(void *arg)
{
    (void)arg;
    void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    (void)p;
    int st = run_child(touch, &st);
    (void)st;
}

int main(void)
{
    // The first fork may grow the kernel's own tables for good; do one
    // before taking the reference reading. memfree_start also gives this
    // process's stack and data their pages now: they come on first touch,
    // and a check's message could otherwise take one in between.
    run_child(warm_up, NULL);
    long before = memfree_start();

    int st = run_child(all_memory_checks, NULL);
    check(st == 0, "mem.checks_passed", "the child doing the checks %s", status_str(st));

    long after = meminfo_free_kb();
    if (on_bunshin())
        check(before >= 0 && after == before, "mem.memfree_restored",
              "MemFree was %ld kB before and %ld kB after (-1: no /proc/meminfo)", before,
              after);
    else
        skip("mem.memfree_restored", "Linux: MemFree moves with the page cache and every "
             "other process (%ld kB before, %ld kB after)", before, after);
    return test_status();
}
