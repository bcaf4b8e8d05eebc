// t_fork: after fork, parent and child each have their own memory.
//
// Six kinds of memory, 256 pages (1 MiB) of each: initialised data, bss,
// malloc'd blocks, memory from brk, a local array on the stack, and an
// anonymous mmap. Every page holds a byte pattern that names the kind, the
// page and who wrote it, and every word of every page is checked.
//   - the child sees what the parent wrote before fork;
//   - the child writes first: the parent's copy is unchanged; then the
//     parent writes: the child's copy is unchanged (both alive throughout);
//   - a second child: the parent writes first, the child still sees the
//     memory as it was at fork;
//   - the child unmaps its mmap and lowers its break: the parent keeps both.
// Then the kernel's own writes into copy-on-write pages: read() from a pipe
// and from a file into a buffer shared with the other process (in the
// child, and in the parent), and pipe()'s and wait4()'s results written
// into a page a living child shares. A grandchild writes its memory after
// its parent has exited and reports through a pipe. On bunshin, MemFree is
// back where it started at the end.
// bunshin-boot: fork=odf
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096ul
#define NPAGES 256
#define REGION (NPAGES * PAGE)

// The six kinds of memory. data_area is initialised, so it lives in .data
// (the program file carries its 1 MiB); bss_area is in .bss.
static unsigned char data_area[REGION] = { 1 };
static unsigned char bss_area[REGION];

enum { R_DATA, R_BSS, R_MALLOC, R_BRK, R_STACK, R_MMAP, NREGIONS };
static const char *const region_names[NREGIONS] = {
    "data", "bss", "malloc", "brk", "stack", "mmap",
};
// The pages of each region (malloc gives 256 separate blocks).
static unsigned char *pages[NREGIONS][NPAGES];

static unsigned char pattern(int region, int page, int tag)
{
    return (unsigned char)(tag * 31 + page * 7 + region * 13 + 1);
}

static void fill(int region, int tag)
{
    for (int i = 0; i < NPAGES; i++)
        memset(pages[region][i], pattern(region, i, tag), PAGE);
}

// Pages of region that do not hold tag's pattern in every word; *first
// gets the first such page.
static int bad_pages(int region, int tag, int *first)
{
    int bad = 0;
    *first = -1;
    for (int i = 0; i < NPAGES; i++) {
        uint32_t want = pattern(region, i, tag) * 0x01010101u;
        const uint32_t *w = (const uint32_t *)pages[region][i];
        for (unsigned k = 0; k < PAGE / 4; k++)
            if (w[k] != want) {
                if (*first < 0)
                    *first = i;
                bad++;
                break;
            }
    }
    return bad;
}

// A tag that a page of region holds, for the message: which writer's
// pattern is there, or -1.
static int tag_seen(int region, int page)
{
    for (int tag = 0; tag < 16; tag++)
        if (pages[region][page][0] == pattern(region, page, tag))
            return tag;
    return -1;
}

static void check_all(const char *what, int tag, const char *meaning)
{
    for (int r = 0; r < NREGIONS; r++) {
        int first, bad = bad_pages(r, tag, &first);
        check(bad == 0, tname("fork.%s.%s", region_names[r], what),
              "%s: %d of %d pages differ; page %d holds the pattern of writer %d "
              "instead of %d (-1: none)",
              meaning, bad, NPAGES, first, first >= 0 ? tag_seen(r, first) : -1, tag);
    }
}

static void fill_all(int tag)
{
    for (int r = 0; r < NREGIONS; r++)
        fill(r, tag);
}

// Who wrote what (the tags of the patterns).
enum {
    T_PARENT_BEFORE = 1,   // the parent, before the first fork
    T_CHILD_A = 2,         // the first child, after fork
    T_PARENT_A = 3,        // the parent, after the first child wrote
    T_PARENT_B = 4,        // the parent, first, after the second fork
};

static void xpipe(int p[2])
{
    if (pipe(p) < 0) {
        fail("fork.pipe", "pipe: %s", errname(errno));
        _exit(test_status());
    }
}

static char sync_read(int fd)
{
    char c = 0;
    if (read_full(fd, &c, 1) != 1)
        return 0;
    return c;
}

static void sync_write(int fd, char c)
{
    write_full(fd, &c, 1);
}

static void separate_memory(void)
{
    // The stack region: a local array of this frame, alive for both forks.
    unsigned char stack_area[REGION];

    for (int i = 0; i < NPAGES; i++) {
        pages[R_DATA][i] = data_area + i * PAGE;
        pages[R_BSS][i] = bss_area + i * PAGE;
        pages[R_STACK][i] = stack_area + i * PAGE;
        pages[R_MALLOC][i] = malloc(PAGE);
        if (!pages[R_MALLOC][i]) {
            fail("fork.setup_malloc", "malloc(4096) number %d failed", i);
            return;
        }
    }
    // brk after every malloc: musl's malloc moves the break too, and no
    // malloc may follow (it could lower the break under this region).
    unsigned long cur = syscall(SYS_brk, 0);
    unsigned long start = (cur + PAGE - 1) & ~(PAGE - 1);
    unsigned long brk_top = syscall(SYS_brk, start + REGION);
    if (brk_top != start + REGION) {
        fail("fork.setup_brk", "brk(%#lx) returned %#lx", start + REGION, brk_top);
        return;
    }
    unsigned char *m = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                            -1, 0);
    if (m == MAP_FAILED) {
        fail("fork.setup_mmap", "mmap(1 MiB): %s", errname(errno));
        return;
    }
    for (int i = 0; i < NPAGES; i++) {
        pages[R_BRK][i] = (unsigned char *)start + i * PAGE;
        pages[R_MMAP][i] = m + i * PAGE;
    }
    fill_all(T_PARENT_BEFORE);

    // --- first child: it writes first, then the parent writes -------------
    int c2p[2], p2c[2];
    xpipe(c2p);
    xpipe(p2c);
    pid_t me = getpid();
    pid_t pid = xfork();
    if (pid == 0) {
        close(c2p[0]);
        close(p2c[1]);
        check(getppid() == me && getpid() != me, "fork.child_ids",
              "in the child: getpid %d, getppid %d; the parent is %d", (int)getpid(),
              (int)getppid(), (int)me);
        pid_t self = getpid();
        write_full(c2p[1], &self, sizeof self);
        check_all("child_sees_parent", T_PARENT_BEFORE,
                  "the child does not see what the parent wrote before fork");
        fill_all(T_CHILD_A);
        check_all("child_keeps_own_writes", T_CHILD_A, "the child lost its own writes");
        sync_write(c2p[1], 'w');
        // The parent now checks its copy and writes its own pattern.
        if (sync_read(p2c[0]) != 'p')
            fail("fork.child_sync", "no word from the parent");
        check_all("child_unchanged_by_parent", T_CHILD_A,
                  "the parent's writes after fork showed in the child");
        // Give back two regions: the parent must keep its own.
        munmap(m, REGION);
        syscall(SYS_brk, start);
        _exit(test_status());
    }
    close(c2p[1]);
    close(p2c[0]);
    if (!check(pid > 0, "fork.returns_pid", "fork: %s", errname(errno)))
        return;
    pid_t reported = 0;
    read_full(c2p[0], &reported, sizeof reported);
    check(reported == pid, "fork.pid_matches", "fork returned %d, the child's getpid is %d",
          (int)pid, (int)reported);
    if (sync_read(c2p[0]) != 'w')
        fail("fork.parent_sync", "no word from the child (did it die?)");
    check_all("parent_unchanged_by_child", T_PARENT_BEFORE,
              "the child's writes showed in the parent");
    fill_all(T_PARENT_A);
    sync_write(p2c[1], 'p');
    int st = wait_for(pid);
    check(st == 0, "fork.child_a_status", "the first child %s", status_str(st));
    check_all("parent_keeps_own_writes", T_PARENT_A,
              "after the child wrote, unmapped its mmap, lowered its break and exited, "
              "the parent's memory changed");
    close(c2p[0]);
    close(p2c[1]);

    // --- second child: the parent writes first ------------------------------
    xpipe(p2c);
    pid = xfork();
    if (pid == 0) {
        close(p2c[1]);
        if (sync_read(p2c[0]) != 'p')
            fail("fork.child_b_sync", "no word from the parent");
        check_all("child_sees_state_at_fork", T_PARENT_A,
                  "the parent wrote after fork, and the child saw it");
        _exit(test_status());
    }
    close(p2c[0]);
    fill_all(T_PARENT_B);
    check_all("parent_writes_first", T_PARENT_B, "the parent lost its own writes");
    sync_write(p2c[1], 'p');
    st = wait_for(pid);
    check(pid > 0 && st == 0, "fork.child_b_status", "the second child %s", status_str(st));
    close(p2c[1]);

    munmap(m, REGION);
    syscall(SYS_brk, cur);
    for (int i = 0; i < NPAGES; i++)
        free(pages[R_MALLOC][i]);
}

// --- the kernel's own writes into copy-on-write pages -----------------------

#define RBUF (16 * PAGE)
static unsigned char rbuf[RBUF] __attribute__((aligned(4096)));   // the target
static unsigned char source[RBUF];

static void set_bytes(unsigned char *p, int tag)
{
    for (unsigned long i = 0; i < RBUF; i++)
        p[i] = (unsigned char)(tag * 37 + i / PAGE * 5 + i % 251);
}

// The offset of the first byte of p that is not tag's pattern, or -1.
static long first_diff(const unsigned char *p, int tag)
{
    for (unsigned long i = 0; i < RBUF; i++)
        if (p[i] != (unsigned char)(tag * 37 + i / PAGE * 5 + i % 251))
            return (long)i;
    return -1;
}

enum { T_RBUF = 7, T_PIPE = 8, T_FILE = 9, T_ORPHAN = 10 };

// One page, all ours: the kernel writes pipe()'s fds and wait4()'s status
// here while a living child shares the page.
static union {
    struct {
        int status;
        int fds[2];
    } v;
    unsigned char page[PAGE];
} shared __attribute__((aligned(4096)));

static void kernel_writes(void)
{
    // read() from a pipe, in the child, into a buffer it shares with us.
    set_bytes(rbuf, T_RBUF);
    set_bytes(source, T_PIPE);
    int pd[2];
    xpipe(pd);
    pid_t pid = xfork();
    if (pid == 0) {
        close(pd[1]);
        // The first touch of rbuf in the child is the kernel's write.
        ssize_t n = read_full(pd[0], rbuf, RBUF);
        _exit(n != (ssize_t)RBUF ? 2 : first_diff(rbuf, T_PIPE) >= 0 ? 3 : 0);
    }
    close(pd[0]);
    write_full(pd[1], source, RBUF);
    close(pd[1]);
    int st = wait_for(pid);
    check(st == 0, "fork.read_pipe_into_cow", "the child read 64 KiB from a pipe into a "
          "copy-on-write buffer: %s (2: short read, 3: wrong data)", status_str(st));
    long d = first_diff(rbuf, T_RBUF);
    check(d < 0, "fork.read_pipe_parent_unchanged",
          "the child's read() changed the parent's buffer at byte %ld", d);

    // read() from a file, in the child.
    const char *path = scratch_path(tname("t_fork.%d", (int)getpid()));
    set_bytes(source, T_FILE);
    int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
    if (!check(fd >= 0 && write_full(fd, source, RBUF) == (ssize_t)RBUF, "fork.file_setup",
               "writing %s: %s", path, errname(errno)))
        return;
    lseek(fd, 0, SEEK_SET);
    pid = xfork();
    if (pid == 0) {
        ssize_t n = read_full(fd, rbuf, RBUF);
        _exit(n != (ssize_t)RBUF ? 2 : first_diff(rbuf, T_FILE) >= 0 ? 3 : 0);
    }
    st = wait_for(pid);
    check(st == 0, "fork.read_file_into_cow", "the child read 64 KiB from a file into a "
          "copy-on-write buffer: %s (2: short read, 3: wrong data)", status_str(st));
    d = first_diff(rbuf, T_RBUF);
    check(d < 0, "fork.read_file_parent_unchanged",
          "the child's read() changed the parent's buffer at byte %ld", d);

    // read() from a file in the parent, while a child shares the buffer.
    int p2c[2];
    xpipe(p2c);
    pid = xfork();
    if (pid == 0) {
        close(p2c[1]);
        sync_read(p2c[0]);
        _exit(first_diff(rbuf, T_RBUF) >= 0 ? 3 : 0);
    }
    close(p2c[0]);
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read_full(fd, rbuf, RBUF);
    d = first_diff(rbuf, T_FILE);
    check(n == (ssize_t)RBUF && d < 0, "fork.read_file_into_cow_parent",
          "the parent read %zd bytes into its copy-on-write buffer; first wrong byte %ld", n,
          d);
    sync_write(p2c[1], 'g');
    close(p2c[1]);
    st = wait_for(pid);
    check(st == 0, "fork.read_file_child_unchanged",
          "the parent's read() showed in the child's copy: %s (3: it did)", status_str(st));
    close(fd);
    unlink(path);

    // pipe() and wait4() write into a page a living child shares.
    shared.v.status = -7;
    shared.v.fds[0] = shared.v.fds[1] = -9;
    xpipe(p2c);
    pid_t keeper = xfork();
    if (keeper == 0) {
        close(p2c[1]);
        sync_read(p2c[0]);
        _exit(shared.v.status == -7 && shared.v.fds[0] == -9 && shared.v.fds[1] == -9 ? 0 : 3);
    }
    close(p2c[0]);
    int r = pipe(shared.v.fds);
    check(r == 0 && shared.v.fds[0] >= 0 && shared.v.fds[1] >= 0 &&
              shared.v.fds[0] != shared.v.fds[1],
          "fork.pipe_fds_into_cow", "pipe() into a copy-on-write page: %d, fds %d %d", r,
          shared.v.fds[0], shared.v.fds[1]);
    if (r == 0) {
        char c = 'x';
        write(shared.v.fds[1], &c, 1);
        c = 0;
        read(shared.v.fds[0], &c, 1);
        check(c == 'x', "fork.pipe_fds_work", "read %#x back through the pipe", c);
        close(shared.v.fds[0]);
        close(shared.v.fds[1]);
    }
    pid = xfork();
    if (pid == 0)
        _exit(33);
    pid_t w = waitpid(pid, &shared.v.status, 0);
    check(w == pid && WIFEXITED(shared.v.status) && WEXITSTATUS(shared.v.status) == 33,
          "fork.wait_status_into_cow", "waitpid into a copy-on-write page returned %d, %s",
          (int)w, status_str(shared.v.status));
    sync_write(p2c[1], 'g');
    close(p2c[1]);
    st = wait_for(keeper);
    check(st == 0, "fork.kernel_writes_not_in_child",
          "the page the child shares with the parent: %s (3: it saw the parent's pipe fds "
          "or wait status)", status_str(st));
}

// --- a grandchild writes after its parent has exited ------------------------

struct orphan_report {
    pid_t pid;
    pid_t old_parent, new_parent;
    int bad_before, bad_after;   // pages not as expected before / after its writes
};

static void orphan_writes(void)
{
    for (int i = 0; i < NPAGES; i++)
        pages[R_BSS][i] = bss_area + i * PAGE;
    fill(R_BSS, T_PIPE);
    int rep[2];
    xpipe(rep);
    pid_t middle = xfork();
    if (middle == 0) {
        close(rep[0]);
        pid_t first = getpid();
        pid_t g = xfork();
        if (g == 0) {
            struct orphan_report r = { getpid(), first, 0, 0, 0 };
            // Wait (at most 10 s) for the middle child to be gone.
            for (int i = 0; i < 1000 && getppid() == first; i++)
                sleep_ms(10);
            r.new_parent = getppid();
            int f;
            r.bad_before = bad_pages(R_BSS, T_PIPE, &f);
            fill(R_BSS, T_ORPHAN);
            r.bad_after = bad_pages(R_BSS, T_ORPHAN, &f);
            write_full(rep[1], &r, sizeof r);
            _exit(0);
        }
        _exit(g > 0 ? 0 : 1);
    }
    close(rep[1]);
    int st = wait_for(middle);
    check(st == 0, "fork.orphan_middle", "the middle child %s", status_str(st));
    struct orphan_report r = { 0, 0, 0, -1, -1 };
    ssize_t n = read_full(rep[0], &r, sizeof r);
    close(rep[0]);
    if (!check(n == sizeof r, "fork.orphan_report", "read %zd of %zu bytes of the "
               "grandchild's report", n, sizeof r))
        return;
    check(r.old_parent == middle && r.new_parent != middle, "fork.orphan_reparented",
          "the grandchild's parent was %d, then %d (the middle child is %d)",
          (int)r.old_parent, (int)r.new_parent, (int)middle);
    check(r.bad_before == 0 && r.bad_after == 0, "fork.orphan_writes",
          "the orphaned grandchild: %d pages not as at fork, %d pages lost its own writes",
          r.bad_before, r.bad_after);
    int first, bad = bad_pages(R_BSS, T_PIPE, &first);
    check(bad == 0, "fork.orphan_parent_unchanged",
          "the grandchild's writes showed in the grandparent: %d pages, first %d", bad, first);
    // Let init reap it before MemFree is read: gone means kill() says ESRCH.
    for (int i = 0; i < 500 && !(kill(r.pid, 0) < 0 && errno == ESRCH); i++)
        sleep_ms(10);
}

static void all_checks(void *arg)
{
    (void)arg;
    separate_memory();
    kernel_writes();
    orphan_writes();
    _exit(test_status());
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all_checks, NULL);
    check(st == 0, "fork.checks_passed", "the child doing the checks %s", status_str(st));
    memfree_check("fork.memfree_restored", before);
    return test_status();
}
