// t_oom: the out-of-memory killer chooses the biggest process, and the
// process whose page fault found no frame carries on if it was not chosen.
//
// A "hog" child writes about 55% of free memory and waits. Then a "grower"
// child maps about 60% of free memory (the default heuristic mode promises
// it: no single request is bigger than all of memory) and writes every
// page. Before it is done, a page fault finds no free frame. The hog holds
// the most resident memory, so the kernel kills the hog with SIGKILL; the
// grower's fault is retried once the hog's frames are free, and the grower
// finishes, checks every page it wrote, and exits 0. (t_forkbig shows the
// other case: the faulting process is the biggest, and dies.)
//
// Only on bunshin: on the Linux host the test must not fill memory. MemFree
// is back where it started at the end.
// bunshin-boot: fork=odf
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096ul

static unsigned long hog_kb, grow_kb;
static int ready[2], hold[2];

// Write a word that names the page on every page of p: 0 or the index of
// the first page that did not keep it (plus one) when checking.
static unsigned long fill(unsigned char *p, unsigned long len, uint32_t tag, int check_only)
{
    for (unsigned long i = 0; i < len / PAGE; i++) {
        volatile uint32_t *w = (volatile uint32_t *)(p + i * PAGE);
        if (check_only) {
            if (*w != tag + i)
                return i + 1;
        } else {
            *w = tag + (uint32_t)i;
        }
    }
    return 0;
}

// The hog: its memory written, it says so and waits to be killed.
static void hog(void)
{
    unsigned long len = hog_kb * 1024;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        _exit(2);
    fill(p, len, 0x1000, 0);
    write(ready[1], "r", 1);
    char c;
    read(hold[0], &c, 1);              // never comes: the test ends by then
    _exit(3);
}

// The grower: more than is free; exit 0 if every page kept what it wrote.
static void grower(void)
{
    unsigned long len = grow_kb * 1024;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        _exit(2);
    fill(p, len, 0x80000, 0);
    _exit(fill(p, len, 0x80000, 1) ? 4 : 0);
}

int main(void)
{
    if (!on_bunshin()) {
        skip("oom.victim_is_biggest", "Linux host: the test does not fill the host's memory");
        return test_status();
    }
    long before = memfree_start();
    hog_kb = (unsigned long)before * 55 / 100;
    grow_kb = (unsigned long)before * 60 / 100;
    if (pipe(ready) < 0 || pipe(hold) < 0) {
        fail("oom.pipe", "pipe: %s", errname(errno));
        return test_status();
    }
    pid_t hog_pid = xfork();
    if (hog_pid == 0)
        hog();
    char c;
    check(read(ready[0], &c, 1) == 1, "oom.hog_ready", "the hog did not write its %lu kB",
          hog_kb);
    long free_mid = meminfo_free_kb();
    check(free_mid >= 0 && (unsigned long)free_mid < grow_kb, "oom.grower_cannot_fit",
          "%ld kB free with the hog alive, the grower wants %lu kB", free_mid, grow_kb);

    pid_t grow_pid = xfork();
    if (grow_pid == 0)
        grower();
    int gst = wait_for(grow_pid);
    int hst = wait_for(hog_pid);
    check(killed_by(hst, SIGKILL), "oom.victim_is_biggest",
          "the hog (%lu kB resident) %s; expected killed by SIGKILL", hog_kb, status_str(hst));
    check(exited_with(gst, 0), "oom.faulting_process_carries_on",
          "the grower (%lu kB, whose fault found no frame) %s; expected exit 0 with every "
          "page intact (4: a page lost its word)", grow_kb, status_str(gst));
    close(ready[0]);
    close(ready[1]);
    close(hold[0]);
    close(hold[1]);
    memfree_check("oom.memfree_restored", before);
    return test_status();
}
