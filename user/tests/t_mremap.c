// t_mremap: resizing and moving mappings, and asking about pages
// (mremap(2), mincore(2), madvise(2)):
//   - mremap grows a mapping in place when the pages after it are free
//     (same address, old data kept, new pages zero) and shrinks it (the cut
//     tail faults); when something is in the way it fails with ENOMEM,
//     unless MREMAP_MAYMOVE lets it move (data moves along, the old range is
//     gone); MREMAP_FIXED moves it to a chosen address (only with MAYMOVE);
//     bad arguments are EINVAL, a range that is not mapped EFAULT;
//   - a MAP_SHARED anonymous mapping moved by mremap is still shared with
//     a fork child; grown, its new pages are past the end of the shared
//     memory object behind it, and a touch there is SIGBUS (as Linux does);
//   - mincore: untouched pages 0, touched 1; EINVAL, ENOMEM;
//   - madvise(MADV_DONTNEED) on private memory drops the pages: they read
//     as zeros again and are no longer resident; bad advice is EINVAL.
#define _GNU_SOURCE
// bunshin-boot: fork=odf
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096ul
#define RW (PROT_READ | PROT_WRITE)

static char *anon(unsigned long len, int prot, int flags)
{
    return mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
}

// The raw system call: musl's mremap() adds checks of its own.
static long sys_mremap(void *old, unsigned long old_len, unsigned long new_len, int flags,
                       void *new_addr)
{
    return syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);
}

static void touch(void *p) { *(volatile char *)p = 1; }
static void peek(void *p) { (void)*(volatile char *)p; }

static void expect_signal(const char *name, void (*fn)(void *), void *addr, int sig)
{
    int st = run_child(fn, addr);
    check(killed_by(st, sig), name, "a touch at %p: expected %s, the child %s", addr,
          signame(sig), status_str(st));
}

static void in_place(void)
{
    // 8 pages, then the upper 6 given back: the space after the first two
    // is free, so mremap can grow them where they are.
    char *p = anon(8 * PAGE, RW, MAP_PRIVATE);
    if (!check(p != MAP_FAILED, "mremap.mmap", "mmap: %s", errname(errno)))
        return;
    munmap(p + 2 * PAGE, 6 * PAGE);
    p[0] = 'a';
    p[PAGE] = 'b';
    long r = sys_mremap(p, 2 * PAGE, 8 * PAGE, 0, NULL);
    if (!check(r == (long)p, "mremap.grow_in_place", "mremap gave %#lx (%s), the mapping is at %p",
               r, r == -1 ? errname(errno) : "moved", (void *)p))
        return;
    check(p[0] == 'a' && p[PAGE] == 'b', "mremap.grow_keeps_data", "the old pages read '%c' '%c'",
          p[0], p[PAGE]);
    check_eq("mremap.grow_new_zero", 0, (long long)nonzero_pages(p + 2 * PAGE, 6 * PAGE));
    write_pages(p + 2 * PAGE, 6 * PAGE, 'n');   // the new pages are writable

    check_eq("mremap.shrink", (long)p, sys_mremap(p, 8 * PAGE, 2 * PAGE, 0, NULL));
    check(p[0] == 'a' && p[PAGE] == 'b', "mremap.shrink_keeps_data",
          "the kept pages read '%c' '%c'", p[0], p[PAGE]);
    expect_signal("mremap.shrink_tail_unmapped", peek, p + 3 * PAGE, SIGSEGV);
    munmap(p, 2 * PAGE);
}

static void moving(void)
{
    // Two writable pages with two read-only ones right after them: there
    // is no room to grow in place.
    char *p = anon(4 * PAGE, RW, MAP_PRIVATE);
    if (!check(p != MAP_FAILED, "mremap.move_mmap", "mmap: %s", errname(errno)))
        return;
    char *wall = mmap(p + 2 * PAGE, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                      -1, 0);
    if (!check(wall == p + 2 * PAGE, "mremap.wall", "mmap(MAP_FIXED): %s", errname(errno)))
        return;
    p[0] = 'm';
    p[PAGE] = 'n';
    check_errno("mremap.blocked_enomem", sys_mremap(p, 2 * PAGE, 4 * PAGE, 0, NULL), ENOMEM);
    check(p[0] == 'm', "mremap.blocked_unchanged", "after the refusal the page reads '%c'", p[0]);

    long r = sys_mremap(p, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE, NULL);
    char *q = (char *)r;
    if (!check(r != -1 && q != p, "mremap.maymove_moves", "mremap(MAYMOVE) gave %#lx (%s)", r,
               r == -1 ? errname(errno) : "the same address"))
        return;
    check(q[0] == 'm' && q[PAGE] == 'n', "mremap.maymove_contents",
          "the moved pages read '%c' '%c'", q[0], q[PAGE]);
    check_eq("mremap.maymove_new_zero", 0, (long long)nonzero_pages(q + 2 * PAGE, 2 * PAGE));
    expect_signal("mremap.maymove_old_unmapped", peek, p, SIGSEGV);
    int st = run_child(peek, wall);
    check(exited_with(st, 0), "mremap.maymove_wall_kept", "a read of the read-only pages: %s",
          status_str(st));

    // MREMAP_FIXED: to an address of our choosing (here a range reserved
    // by an mmap of its own, which the move replaces).
    char *target = anon(4 * PAGE, PROT_NONE, MAP_PRIVATE);
    check_errno("mremap.fixed_without_maymove_einval",
                sys_mremap(q, 4 * PAGE, 4 * PAGE, MREMAP_FIXED, target), EINVAL);
    r = sys_mremap(q, 4 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    if (check(r == (long)target, "mremap.fixed", "mremap(FIXED) gave %#lx (%s), wanted %p", r,
              r == -1 ? errname(errno) : "elsewhere", (void *)target)) {
        check(target[0] == 'm' && target[PAGE] == 'n', "mremap.fixed_contents",
              "the pages read '%c' '%c'", target[0], target[PAGE]);
        expect_signal("mremap.fixed_old_unmapped", peek, q, SIGSEGV);
    }

    // Bad arguments.
    check_errno("mremap.new_size_zero_einval", sys_mremap(target, PAGE, 0, MREMAP_MAYMOVE, NULL),
                EINVAL);
    check_errno("mremap.unaligned_einval",
                sys_mremap(target + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE, NULL), EINVAL);
    check_errno("mremap.bad_flag_einval", sys_mremap(target, PAGE, 2 * PAGE, 0x100, NULL),
                EINVAL);
    check_errno("mremap.unmapped_efault", sys_mremap(p, PAGE, 2 * PAGE, MREMAP_MAYMOVE, NULL),
                EFAULT);
    munmap(target, 4 * PAGE);
    munmap(wall, 2 * PAGE);
}

static void child_writes(void *arg) { ((char *)arg)[0] = 'c'; }

static void shared(void)
{
    char *s = anon(2 * PAGE, RW, MAP_SHARED);
    if (!check(s != MAP_FAILED, "mremap.shared_mmap", "mmap: %s", errname(errno)))
        return;
    s[0] = 's';
    s[PAGE] = 't';
    // Moved to a new place (grown, with MAYMOVE): still one memory with a
    // fork child.
    long r = sys_mremap(s, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE, NULL);
    if (!check(r != -1, "mremap.shared_grow", "mremap: %s", errname(errno)))
        return;
    char *g = (char *)r;
    check(g[0] == 's' && g[PAGE] == 't', "mremap.shared_grow_contents",
          "the pages read '%c' '%c'", g[0], g[PAGE]);
    int st = run_child(child_writes, g);
    check(exited_with(st, 0) && g[0] == 'c', "mremap.shared_still_shared",
          "the child %s; the parent reads '%c' where it wrote 'c'", status_str(st), g[0]);
    // The shared memory object behind the mapping is still two pages long.
    expect_signal("mremap.shared_grown_tail_sigbus", touch, g + 3 * PAGE, SIGBUS);
    munmap(g, 4 * PAGE);
}

static void residency(void)
{
    char *p = anon(8 * PAGE, RW, MAP_PRIVATE);
    if (!check(p != MAP_FAILED, "mincore.mmap", "mmap: %s", errname(errno)))
        return;
    unsigned char v[8];
    if (!check_eq("mincore.call", 0, mincore(p, 8 * PAGE, v)))
        return;
    int set = 0;
    for (int i = 0; i < 8; i++)
        set += v[i] & 1;
    check(set == 0, "mincore.untouched_zero", "%d of 8 untouched pages say resident", set);
    p[PAGE] = 1;
    p[5 * PAGE] = 1;
    (void)*(volatile char *)(p + 3 * PAGE);
    mincore(p, 8 * PAGE, v);
    check((v[1] & 1) && (v[5] & 1), "mincore.written_one", "pages 1 and 5, written: %d %d",
          v[1], v[5]);
    // A page only read is mapped too (on Linux, to the shared zero page).
    check(v[3] & 1, "mincore.read_one", "page 3, read: %d", v[3]);
    check(!(v[0] & 1) && !(v[2] & 1) && !(v[7] & 1), "mincore.others_zero",
          "pages 0, 2 and 7, untouched: %d %d %d", v[0], v[2], v[7]);
    check_errno("mincore.unaligned_einval", mincore(p + 1, PAGE, v), EINVAL);
    munmap(p + 4 * PAGE, 4 * PAGE);
    check_errno("mincore.unmapped_enomem", mincore(p + 4 * PAGE, PAGE, v), ENOMEM);
    check_errno("mincore.partly_unmapped_enomem", mincore(p, 8 * PAGE, v), ENOMEM);
    munmap(p, 4 * PAGE);
}

static void advice(void)
{
    unsigned long len = 64 * PAGE;
    char *p = anon(len, RW, MAP_PRIVATE);
    if (!check(p != MAP_FAILED, "madvise.mmap", "mmap: %s", errname(errno)))
        return;
    write_pages(p, len, 'd');
    // Rss from smaps_rollup is counted from the page tables when read (VmRSS
    // may lag by up to 64 pages on Linux before 6.2).
    long r0 = smaps_rollup_kb(0, "Rss");
    check_eq("madvise.dontneed", 0, madvise(p, len, MADV_DONTNEED));
    long r1 = smaps_rollup_kb(0, "Rss");
    check(r0 >= 0 && r0 - r1 >= 240, "madvise.dontneed_frees",
          "Rss went from %ld to %ld kB after MADV_DONTNEED of 256 kB", r0, r1);
    // Asked before anything reads them again (a read maps the zero page).
    unsigned char v[64];
    int set = -1;
    if (mincore(p, len, v) == 0)
        for (int i = set = 0; i < 64; i++)
            set += v[i] & 1;
    check(set == 0, "madvise.dontneed_not_resident",
          "mincore: %d of 64 pages resident (-1: mincore failed)", set);
    // A private anonymous page that is dropped comes back as a fresh zero page.
    check_eq("madvise.dontneed_zeros", 0, (long long)nonzero_pages(p, len));
    // Only the range asked about: page 1 of two written pages stays.
    p[0] = 'x';
    p[PAGE] = 'y';
    madvise(p, PAGE, MADV_DONTNEED);
    check(p[0] == 0 && p[PAGE] == 'y', "madvise.dontneed_only_range",
          "pages 0 and 1 read %d and '%c'", p[0], p[PAGE]);

    check_eq("madvise.willneed", 0, madvise(p, len, MADV_WILLNEED));
    check_eq("madvise.normal", 0, madvise(p, len, MADV_NORMAL));
    check_errno("madvise.bad_advice_einval", madvise(p, len, 12345), EINVAL);
    check_errno("madvise.unaligned_einval", madvise(p + 1, PAGE, MADV_NORMAL), EINVAL);
    munmap(p, len);
    check_errno("madvise.unmapped_enomem", madvise(p, len, MADV_WILLNEED), ENOMEM);
}

// A move within one 4 MiB stretch that nothing else maps: the old and the
// new place share a page table (on i386), and the page must arrive with its
// contents (bunshin once freed that table while it held the moved entry).
static void same_table(void)
{
    const unsigned long four = 4ul << 20;
    char *r = mmap(NULL, 2 * four, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!check(r != MAP_FAILED, "mremap.same_table_reserve", "mmap: %s", errname(errno)))
        return;
    char *base = (char *)(((unsigned long)r + four - 1) & ~(four - 1));
    munmap(r, 2 * four);
    char *p = mmap(base, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                   -1, 0);
    if (!check(p == base, "mremap.same_table_map", "mmap at %p: %s", (void *)base,
               errname(errno)))
        return;
    p[0] = 'x';
    char *q = mremap(p, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, base + four / 2);
    if (!check(q == base + four / 2, "mremap.same_table_move", "mremap: %s", errname(errno)))
        return;
    check(q[0] == 'x', "mremap.same_table_contents",
          "the page moved within one page table reads %#x, not 'x'", (unsigned char)q[0]);
    munmap(q, PAGE);
}

int main(void)
{
    long before = memfree_start();
    int good = run_part("mremap.part_in_place", in_place);
    good &= run_part("mremap.part_moving", moving);
    good &= run_part("mremap.part_shared", shared);
    good &= run_part("mremap.part_same_table", same_table);
    good &= run_part("mincore.part", residency);
    good &= run_part("madvise.part", advice);
    memfree_check("mremap.memfree_restored", before);
    return test_status() || !good;
}
