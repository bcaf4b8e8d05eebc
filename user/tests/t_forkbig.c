// t_forkbig: a process that fills more than half of RAM forks.
//
//   t_forkbig                 copy-on-write (the default): fork must work
//   t_forkbig expect-enomem   the kernel was booted with fork=copy: the
//                             eager copy cannot fit, so fork must fail with
//                             ENOMEM and leave nothing behind
//
// bunshin's kernel command line is not visible to programs, so the runner
// says which half to test. The line below asks tests/user-bunshin.sh (once
// it reads such lines) for a second boot of this test, with these kernel
// options and, after "--", these arguments; that boot's checks are named
// forkbig.copy.*, the default boot's forkbig.*:
// bunshin-boot: fork=copy -- expect-enomem
//
// On bunshin the size comes from /proc/meminfo: 60% of MemFree, and at
// least half of MemTotal plus 1 MiB, written page by page with malloc +
// memset. Copy-on-write: the fork takes only page tables and a few pages
// (MemFree falls by less than 2 MiB), the child writes one page and checks
// others, the parent's memory is intact. Then a second child writes every
// page: there is not enough memory for that, so the kernel must end that
// child alone (killed by a signal) and the parent carries on unharmed.
// fork=copy: fork fails with ENOMEM, MemFree is exactly what it was before
// the attempt, no child exists, the parent's memory is intact, and once the
// memory is freed a fork works again. Either way MemFree is back where it
// started at the end.
//
// On Linux only the copy-on-write half runs, with 64 MiB (Linux has no
// fork=copy, and the test must not take gigabytes from the host).
// bunshin-boot: fork=odf
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096ul
#define MIB (1024ul * 1024)

// Check names: "forkbig.NAME" for copy-on-write, "forkbig.copy.NAME" for
// the fork=copy boot, so that the two boots' lines never share a name.
static const char *prefix = "forkbig";
#define N(name) tname("%s." name, prefix)

static unsigned char *big;
static unsigned long npages;

static void fill_page(unsigned long i)
{
    unsigned char *p = big + i * PAGE;
    memset(p, (unsigned char)(i * 7 + 3), PAGE);
    *(uint32_t *)p = (uint32_t)i ^ 0xb16b00b5u;
}

static int page_ok(unsigned long i)
{
    const unsigned char *p = big + i * PAGE;
    return *(const uint32_t *)p == ((uint32_t)i ^ 0xb16b00b5u) &&
           p[PAGE / 2] == (unsigned char)(i * 7 + 3) && p[PAGE - 1] == p[PAGE / 2];
}

// Pages that lost their contents; *first gets the first one.
static unsigned long bad_pages(long *first)
{
    unsigned long bad = 0;
    *first = -1;
    for (unsigned long i = 0; i < npages; i++)
        if (!page_ok(i)) {
            if (*first < 0)
                *first = (long)i;
            bad++;
        }
    return bad;
}

static void check_intact(const char *name, const char *when)
{
    long first;
    unsigned long bad = bad_pages(&first);
    check(bad == 0, name, "%s: %lu of %lu pages of the parent lost their contents (first: %ld)",
          when, bad, npages, first);
}

// How much to fill, in bytes; 0 if it cannot be done (after a FAIL).
static unsigned long choose_size(void)
{
    if (!on_bunshin())
        return 64 * MIB;
    long total = meminfo_total_kb(), free = meminfo_free_kb();
    if (total <= 0 || free <= 0) {
        fail(N("meminfo"), "no MemTotal or MemFree in /proc/meminfo (%ld, %ld)", total,
             free);
        return 0;
    }
    unsigned long want = (unsigned long)free * 6 / 10;
    unsigned long half = (unsigned long)total / 2 + 1024;
    if (want < half)
        want = half;
    // Leave 8 MiB for the page tables, the child and the kernel.
    if (want + 8 * 1024 > (unsigned long)free) {
        fail(N("room"), "MemTotal %ld kB, MemFree %ld kB: not enough free memory to "
             "fill more than half of RAM and keep 8 MiB", total, free);
        return 0;
    }
    check(want > (unsigned long)total / 2, N("more_than_half"),
          "filling %lu kB of MemTotal %ld kB", want, total);
    return want * 1024;
}

static void cow_half(void)
{
    long m0 = meminfo_free_kb();
    int go[2];
    if (pipe(go) < 0) {
        fail(N("pipe"), "pipe: %s", errname(errno));
        return;
    }
    long m_pipe = meminfo_free_kb();
    pid_t pid = xfork();
    if (pid == 0) {
        close(go[1]);
        // Everything the parent wrote is there; write one page.
        int bad = 0;
        for (unsigned long i = 0; i < npages; i += npages / 64 + 1)
            bad += !page_ok(i);
        big[PAGE / 2] ^= 0xff;
        char c;
        read(go[0], &c, 1);
        _exit(bad ? 1 : 0);
    }
    close(go[0]);
    if (!check(pid > 0, N("fork_cow"),
               "fork of a process holding %lu MiB failed with %s (if the kernel was booted "
               "with fork=copy, run \"t_forkbig expect-enomem\")",
               npages * PAGE / MIB, errname(errno)))
        return;
    long m1 = meminfo_free_kb();
    if (on_bunshin())
        check(m_pipe - m1 < 2048, N("fork_cow_cheap"),
              "the fork of a %lu MiB process took %ld kB of MemFree (page tables and a few "
              "pages expected, under 2 MiB)", npages * PAGE / MIB, m_pipe - m1);
    else
        skip(N("fork_cow_cheap"), "Linux: MemFree moves with every other process");
    close(go[1]);
    int st = wait_for(pid);
    check(st == 0, N("child_cow"), "the child (reads samples, writes one page) %s "
          "(1: it did not see the parent's data)", status_str(st));
    check_intact(N("parent_intact"), "after the child wrote one page and exited");
    if (on_bunshin())
        check(meminfo_free_kb() == m0, N("cow_frames_back"),
              "MemFree %ld kB before the fork, %ld kB after the child was reaped", m0,
              meminfo_free_kb());

    // A child that writes everything cannot get the frames: the kernel must
    // end that child only.
    if (!on_bunshin()) {
        skip(N("cow_oom_kills_child"), "Linux: 64 MiB fits; the host is not filled");
        return;
    }
    pid = xfork();
    if (pid == 0) {
        for (unsigned long i = 0; i < npages; i++)
            big[i * PAGE + 8] ^= 0xff;
        _exit(0);
    }
    st = wait_for(pid);
    check(pid > 0 && st != -1 && WIFSIGNALED(st), N("cow_oom_kills_child"),
          "a child writing all %lu MiB it shares (more than is free): %s; expected it to "
          "be killed by a signal", npages * PAGE / MIB, pid > 0 ? status_str(st) :
          errname(errno));
    check_intact(N("parent_intact_after_oom"), "after the child ran out of memory");
    long m2 = meminfo_free_kb();
    check(m2 == m0, N("oom_frames_back"),
          "MemFree %ld kB before, %ld kB after the child that ran out was reaped", m0, m2);
}

static void copy_half(void)
{
    long m0 = meminfo_free_kb();
    pid_t pid = xfork();
    if (pid == 0)
        _exit(0);
    int err = errno;
    long m1 = meminfo_free_kb();
    if (pid > 0) {
        wait_for(pid);
        fail(N("fork_enomem"), "fork of a process holding %lu MiB (of %ld kB "
             "free) worked: was the kernel booted with fork=copy?", npages * PAGE / MIB, m0);
        return;
    }
    check(err == ENOMEM, N("fork_enomem"), "fork failed with %s, not ENOMEM",
          errname(err));
    check(m1 == m0, N("nothing_left"),
          "MemFree %ld kB before the failed fork, %ld kB after (%+ld kB left behind)", m0, m1,
          m1 - m0);
    int st;
    pid_t r = waitpid(-1, &st, WNOHANG);
    check(r == -1 && errno == ECHILD, N("no_child"),
          "after the failed fork, waitpid(-1, WNOHANG) returned %d", (int)r);
    check_intact(N("parent_intact"), "after the failed fork");
}

static int expect_enomem;

static void nothing(void *arg)
{
    (void)arg;
}

static void work(void *arg)
{
    (void)arg;
    unsigned long size = choose_size();
    if (!size)
        _exit(test_status());
    npages = size / PAGE;
    big = malloc(npages * PAGE);
    if (!check(big != NULL, N("malloc"), "malloc(%lu MiB) failed", size / MIB))
        _exit(test_status());
    for (unsigned long i = 0; i < npages; i++)
        fill_page(i);
    if (expect_enomem)
        copy_half();
    else
        cow_half();
    free(big);
    // With the memory given back, forking works (again).
    int st = run_child(nothing, NULL);
    check(st == 0, N("fork_after_free"), "a fork after freeing the memory: %s",
          status_str(st));
    _exit(test_status());
}

int main(int argc, char **argv)
{
    expect_enomem = argc > 1 && strcmp(argv[1], "expect-enomem") == 0;
    if (expect_enomem)
        prefix = "forkbig.copy";
    if (argc > 1 && !expect_enomem) {
        fail(N("usage"), "unknown argument \"%s\" (expect-enomem or none)", argv[1]);
        return 1;
    }
    if (expect_enomem && !on_bunshin()) {
        skip(N("fork_enomem"), "Linux has no fork=copy");
        return 0;
    }
    long before = memfree_start();
    int st = run_child(work, NULL);
    check(st == 0, N("checks_passed"), "the child doing the checks %s", status_str(st));
    memfree_check(N("memfree_restored"), before);
    return test_status();
}
