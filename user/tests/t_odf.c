// t_odf: what fork costs as the parent grows, in each of bunshin's three
// fork designs, and that sharing page tables (fork=odf) loses no write.
//
// The parent forks twice: once small, once after writing 32 MiB (eight
// page tables' worth). Each child blocks on a pipe while the parent reads
// MemFree: what the fork took. On bunshin:
//   - fork=copy copies every page: the big fork costs 32 MiB more;
//   - fork=cow (the default) copies every page table: at least eight
//     frames (32 kB) more;
//   - fork=odf shares the page tables themselves: the big fork costs no
//     more than the small one (a frame or two of slack for the kernel
//     heap).
// Then, in every mode and on Linux: the child writes one page under each
// 4 MiB; neither sees the other's writes; the parent's Pss is half its
// 32 MiB while the child lives (all of it under fork=copy); after the child is gone the parent
// rewrites everything for no frame (bunshin), and MemFree is back where it
// started.
// bunshin-boot: fork=odf
// bunshin-boot: fork=copy
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE  4096ul
#define TABLE (4ul << 20)
#define BIG   (32ul << 20)

// MemFree taken by a fork: a child that only waits for a byte on a pipe
// (so it writes nothing but its own stack); measured while it waits.
// The child is released and reaped before returning.
static long fork_cost_kb(void)
{
    int go[2], ready[2];
    if (pipe(go) < 0 || pipe(ready) < 0)
        return -1;
    long before = meminfo_free_kb();
    pid_t pid = xfork();
    if (pid == 0) {
        char c = 'r';
        write_full(ready[1], &c, 1);
        read_full(go[0], &c, 1);
        _exit(0);
    }
    char c;
    read_full(ready[0], &c, 1);
    long during = meminfo_free_kb();
    write_full(go[1], "g", 1);
    wait_for(pid);
    close(go[0]);
    close(go[1]);
    close(ready[0]);
    close(ready[1]);
    return before - during;
}

static void costs(unsigned char *big)
{
    const char *mode = fork_mode();
    fork_cost_kb();                          // warm up: heap pages, pipe buffers
    long small = fork_cost_kb();
    write_pages(big, BIG, 1);
    long large = fork_cost_kb();
    if (!on_bunshin()) {
        skip("odf.cost", "Linux has one fork (its small fork took %ld kB, with 32 MiB "
             "more %ld kB)", small, large);
        return;
    }
    say("fork=%s: a fork took %ld kB of MemFree, with 32 MiB more %ld kB", mode, small, large);
    long more = large - small;
    if (strcmp(mode, "odf") == 0)
        check(more <= 8, "odf.cost_flat", "fork=odf: the fork of a parent with 32 MiB more "
              "took %ld kB more than the small one (%ld against %ld kB): page tables copied?",
              more, large, small);
    else if (strcmp(mode, "cow") == 0)
        check(more >= 32, "odf.cost_tables", "fork=cow: the fork of a parent with 32 MiB "
              "more took only %ld kB more: it should copy at least 8 page tables (32 kB)",
              more);
    else
        check(more >= (long)(BIG / 1024), "odf.cost_pages", "fork=copy: the fork of a "
              "parent with 32 MiB more took only %ld kB more", more);
}

// How many of the pages at p, p + step, ... below p + len do not start
// with byte v (write_pages writes each page's first byte).
static long pages_not(const unsigned char *p, size_t len, unsigned char v, size_t step)
{
    long bad = 0;
    for (size_t off = 0; off < len; off += step)
        if (p[off] != v)
            bad++;
    return bad;
}

static void writes(unsigned char *big)
{
    int go[2], done[2];
    if (pipe(go) < 0 || pipe(done) < 0) {
        fail("odf.pipe", "pipe failed");
        return;
    }
    write_pages(big, BIG, 2);
    long rss0 = smaps_rollup_kb(0, "Rss");
    pid_t pid = xfork();
    if (pid == 0) {
        // One page under every table: each write unshares a table (odf)
        // and copies one page; the rest must still read the parent's 2s.
        for (size_t off = 0; off < BIG; off += TABLE)
            memset(big + off, 3, PAGE);
        long mine = pages_not(big, BIG, 3, TABLE);
        long rest = 0;
        for (size_t off = PAGE; off < BIG; off += PAGE)
            if (off % TABLE && big[off] != 2)
                rest++;
        char c = (mine == 0 && rest == 0) ? 'y' : 'n';
        write_full(done[1], &c, 1);
        read_full(go[0], &c, 1);
        // The parent has rewritten everything: this copy still holds 2s.
        rest = 0;
        for (size_t off = PAGE; off < BIG; off += PAGE)
            if (off % TABLE && big[off] != 2)
                rest++;
        _exit(rest == 0 && pages_not(big, BIG, 3, TABLE) == 0 ? 0 : 1);
    }
    char c = 'n';
    read_full(done[0], &c, 1);
    check(c == 'y', "odf.child_writes", "the child's writes, one page under every 4 MiB, "
          "or the parent's memory as it saw it, were wrong");
    check_eq("odf.parent_unchanged", 0, pages_not(big, BIG, 2, PAGE));
    long pss = smaps_rollup_kb(0, "Pss");
    long rss = smaps_rollup_kb(0, "Rss");
    if (strcmp(fork_mode(), "copy") == 0)
        check(rss == pss, "odf.pss_copied", "fork=copy shares no page, but with the child "
              "alive the parent's Rss is %ld kB and Pss %ld kB", rss, pss);
    else
        check(rss - pss >= (long)(BIG / 1024) / 2 - 64, "odf.pss_half",
              "with the child alive the parent's Rss is %ld kB (before fork %ld) and Pss "
              "%ld kB: the 32 MiB shared with the child should count about half",
              rss, rss0, pss);
    // The parent rewrites everything while the child lives: copies, all
    // but the pages the child already copied.
    write_pages(big, BIG, 4);
    write_full(go[1], "g", 1);
    int st = wait_for(pid);
    check(exited_with(st, 0), "odf.child_kept_its_copy", "the child saw the parent's "
          "writes, or lost its own (%s)", status_str(st));
    check_eq("odf.parent_writes", 0, pages_not(big, BIG, 4, PAGE));
    // Nobody shares now: rewriting costs no frame.
    long before = meminfo_free_kb();
    write_pages(big, BIG, 5);
    if (on_bunshin())
        check_eq("odf.rewrite_alone_free", before, meminfo_free_kb());
    close(go[0]);
    close(go[1]);
    close(done[0]);
    close(done[1]);
}

int main(void)
{
    prefault_stack(64 * 1024);
    long m0 = memfree_start();
    unsigned char *big = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (big == MAP_FAILED) {
        fail("odf.mmap", "mmap of 32 MiB failed");
        return test_status();
    }
    costs(big);
    writes(big);
    munmap(big, BIG);
    memfree_check("odf.memfree_restored", m0);
    return test_status();
}
