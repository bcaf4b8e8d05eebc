// t_overcommit: how much memory the kernel promises (proc(5) on
// /proc/sys/vm/overcommit_memory, overcommit_ratio, /proc/meminfo):
//   - overcommit_memory is 0 (heuristic), 1 (always) or 2 (never: strict);
//     booted with overcommit=never it is 2;
//   - CommitLimit is swap + overcommit_ratio % of the RAM (less huge
//     pages); Committed_AS rises by N KiB for a private writable mapping
//     of N KiB (and for shared anonymous memory), and not for a read-only
//     one until mprotect makes it writable, nor for MAP_NORESERVE (except
//     in strict mode, which ignores MAP_NORESERVE); munmap gives it back;
//   - a parent that has written 200/256 of the RAM (200 MiB of a 256 MiB
//     machine: bunshin boots this test with 256 MiB) may fork under the
//     heuristic (copy-on-write needs no memory yet);
//   - bunshin only, since a test must not change the host's settings:
//     writing 2 turns strict mode on; then a mapping larger than what is
//     left (CommitLimit - Committed_AS) fails with ENOMEM at once, so does
//     growing the break or mprotect to writable past it, and fork of the
//     big parent fails with ENOMEM while the parent goes on; 3 and "abc"
//     are EINVAL; the settings are put back as they were.
// bunshin-boot: overcommit=never
// bunshin-mem: 256M
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096ul
#define MIB (1024ul * 1024)
#define OC_MODE "/proc/sys/vm/overcommit_memory"
#define OC_RATIO "/proc/sys/vm/overcommit_ratio"

static long mode;      // overcommit_memory as the test found it
static long big_kb;    // the size of the mappings whose accounting is checked

static long committed(void)
{
    return meminfo_kb("Committed_AS");
}

static long headroom_kb(void)
{
    return meminfo_kb("CommitLimit") - committed();
}

static void *map(unsigned long len, int prot, int flags)
{
    return mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
}

// "Committed_AS rose by about kb" (accounted) or "by less than an eighth
// of it" (not). An eighth of slack covers what other processes do meanwhile.
static void check_rise(const char *name, long before, long after, long kb, int accounted)
{
    long d = after - before;
    int good = accounted ? d > kb - kb / 8 && d < kb + kb / 8 : d < kb / 8;
    check(before >= 0 && after >= 0 && good, name,
          "Committed_AS went from %ld to %ld kB (%+ld) for %ld kB, expected %s", before, after,
          d, kb, accounted ? "about that much more" : "next to no change");
}

static void accounting(void)
{
    unsigned long len = big_kb * 1024;
    long c0 = committed();
    char *p = map(len, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    if (!check(p != MAP_FAILED, "overcommit.private_mmap", "mmap of %ld kB: %s", big_kb,
               errname(errno)))
        return;
    long c1 = committed();
    check_rise("overcommit.private_write_accounted", c0, c1, big_kb, 1);
    munmap(p, len);
    check_rise("overcommit.munmap_unaccounts", c0, committed(), big_kb, 0);

    // MAP_NORESERVE: not promised, so not counted -- unless in strict mode.
    p = map(len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
    if (check(p != MAP_FAILED, "overcommit.noreserve_mmap", "mmap: %s", errname(errno))) {
        check_rise(mode == 2 ? "overcommit.noreserve_accounted_in_strict"
                             : "overcommit.noreserve_not_accounted",
                   c0, committed(), big_kb, mode == 2);
        munmap(p, len);
    }
    // Read-only private memory can never hold anything but the zero page:
    // nothing to promise, until mprotect makes it writable.
    p = map(len, PROT_READ, MAP_PRIVATE);
    if (check(p != MAP_FAILED, "overcommit.readonly_mmap", "mmap: %s", errname(errno))) {
        check_rise("overcommit.readonly_not_accounted", c0, committed(), big_kb, 0);
        check_eq("overcommit.mprotect_write", 0, mprotect(p, len, PROT_READ | PROT_WRITE));
        check_rise("overcommit.mprotect_write_accounted", c0, committed(), big_kb, 1);
        munmap(p, len);
    }
    // Shared anonymous memory is a shared memory object: counted once.
    p = map(len, PROT_READ | PROT_WRITE, MAP_SHARED);
    if (check(p != MAP_FAILED, "overcommit.shared_mmap", "mmap: %s", errname(errno))) {
        check_rise("overcommit.shared_accounted", c0, committed(), big_kb, 1);
        munmap(p, len);
    }
}

// 200/256 of the RAM (200 MiB on bunshin's 256 MiB), written, then a child
// that exits at once. On the Linux host the RAM does not fit in an i386
// address space: at most 1 GiB there.
static void big_fork(int expect_enomem)
{
    unsigned long len = meminfo_total_kb() / 256 * 200 * 1024;
    if (len > 1024 * MIB)
        len = 1024 * MIB;
    unsigned char *p = map(len, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    const char *pre = expect_enomem ? "overcommit.strict_big" : "overcommit.big";
    if (!check(p != MAP_FAILED, tname("%s_map", pre), "mmap of %lu kB: %s", len / 1024,
               errname(errno)))
        return;
    for (unsigned long i = 0; i < len; i += PAGE)
        p[i] = (unsigned char)(i / PAGE);
    pid_t pid = xfork();
    if (pid == 0)
        _exit(0);
    int err = errno;
    int st = pid > 0 ? wait_for(pid) : -1;
    if (expect_enomem)
        check(pid == -1 && err == ENOMEM, "overcommit.strict_big_fork_enomem",
              "fork with %lu kB written: %s", len / 1024,
              pid > 0 ? "succeeded" : errname(err));
    else
        check(pid > 0 && exited_with(st, 0), "overcommit.big_fork",
              "fork with %lu kB written: %s", len / 1024,
              pid > 0 ? status_str(st) : errname(err));
    // Either way the parent goes on with all its memory.
    unsigned long bad = 0;
    for (unsigned long i = 0; i < len; i += PAGE)
        bad += p[i] != (unsigned char)(i / PAGE);
    check(bad == 0, tname("%s_parent_intact", pre), "%lu pages lost their byte", bad);
    munmap(p, len);
    if (expect_enomem) {
        pid = xfork();
        if (pid == 0)
            _exit(0);
        st = pid > 0 ? wait_for(pid) : -1;
        check(exited_with(st, 0), "overcommit.strict_fork_after_munmap",
              "fork: %s", pid > 0 ? status_str(st) : errname(errno));
    }
}

static void big_fork_heuristic(void) { big_fork(0); }
static void big_fork_strict(void) { big_fork(1); }

// In strict mode (bunshin): what does not fit fails up front.
static void strict(void)
{
    long room = headroom_kb();
    check(room > 0, "overcommit.strict_headroom", "CommitLimit - Committed_AS is %ld kB", room);
    if (room <= 0)
        return;
    unsigned long over = (room + 16 * 1024) * 1024ul;
    check_errno("overcommit.strict_too_big_enomem",
                (long)map(over, PROT_READ | PROT_WRITE, MAP_PRIVATE), ENOMEM);
    check_errno("overcommit.strict_noreserve_enomem",
                (long)map(over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE), ENOMEM);
    void *p = map(room / 2 * 1024ul, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    check(p != MAP_FAILED, "overcommit.strict_half_fits", "mmap of %ld kB: %s", room / 2,
          errname(errno));
    if (p != MAP_FAILED)
        munmap(p, room / 2 * 1024ul);
    unsigned long b0 = syscall(SYS_brk, 0);
    check_eq("overcommit.strict_brk_refused", b0, syscall(SYS_brk, b0 + over));
    p = map(over, PROT_READ, MAP_PRIVATE);
    if (check(p != MAP_FAILED, "overcommit.strict_readonly_ok", "mmap: %s", errname(errno))) {
        check_errno("overcommit.strict_mprotect_enomem",
                    mprotect(p, over, PROT_READ | PROT_WRITE), ENOMEM);
        munmap(p, over);
    }
}

// Write value to overcommit_memory (bunshin only) and read it back.
static int set_mode(const char *name, long value)
{
    return check_eq(name, 0, write_str_file(OC_MODE, tname("%ld", value))) &&
           check_eq(tname("%s_reads_back", name), value, file_long(OC_MODE));
}

// CommitLimit as Linux computes it: overcommit_kbytes if set, else
// overcommit_ratio % of the RAM less the huge pages; plus the swap.
static long expected_limit(long ratio)
{
    long total = meminfo_total_kb(), huge = meminfo_kb("Hugetlb");
    long swap = meminfo_kb("SwapTotal"), kbytes = file_long("/proc/sys/vm/overcommit_kbytes");
    long ram = kbytes > 0 ? kbytes : (total - (huge > 0 ? huge : 0)) / 100 * ratio;
    return ram + (swap > 0 ? swap : 0);
}

static void check_limit(const char *name, long ratio)
{
    long limit = meminfo_kb("CommitLimit"), want = expected_limit(ratio);
    long slack = meminfo_total_kb() / 100;   // rounding, within 1% of the RAM
    check(limit >= 0 && limit >= want - slack && limit <= want + slack, name,
          "CommitLimit is %ld kB, expected about %ld kB (overcommit_ratio %ld)", limit, want,
          ratio);
}

// The bunshin-only part: switch to strict mode and back.
static int strict_mode(long ratio)
{
    int good = 1;
    if (set_mode("overcommit.set_2", 2)) {
        good &= run_part("overcommit.part_strict", strict);
        check_errno("overcommit.write_3_einval", write_str_file(OC_MODE, "3"), EINVAL);
        check_errno("overcommit.write_abc_einval", write_str_file(OC_MODE, "abc"), EINVAL);
        check_eq("overcommit.refused_writes_keep_2", 2, file_long(OC_MODE));
        // Room for the big parent, not for two of it.
        if (check_eq("overcommit.ratio_90", 0, write_str_file(OC_RATIO, "90"))) {
            check_limit("overcommit.ratio_moves_limit", 90);
            good &= run_part("overcommit.part_big_fork_strict", big_fork_strict);
            check_eq("overcommit.ratio_restored", 0,
                     write_str_file(OC_RATIO, tname("%ld", ratio)));
        }
    }
    // Heuristic mode; a kernel without the setting is taken to be in it.
    if (set_mode("overcommit.set_0", 0) || mode == -1)
        good &= run_part("overcommit.part_big_fork", big_fork_heuristic);
    if (mode == 1 || mode == 2)
        set_mode("overcommit.mode_restored", mode);
    return good;
}

int main(void)
{
    long before = memfree_start();
    mode = file_long(OC_MODE);
    long ratio = file_long(OC_RATIO);
    check(mode >= 0 && mode <= 2, "overcommit.mode_readable", "%s reads %ld", OC_MODE, mode);
    check(ratio >= 0, "overcommit.ratio_readable", "%s reads %ld", OC_RATIO, ratio);
    static char cmdline[4096];
    if (read_file("/proc/cmdline", cmdline, sizeof cmdline) < 0)
        skip("overcommit.boot_never", "no /proc/cmdline to tell how the kernel was booted");
    else if (strstr(cmdline, "overcommit=never"))
        check_eq("overcommit.boot_never", 2, mode);
    else
        skip("overcommit.boot_never", "not booted with overcommit=never");

    long total = meminfo_total_kb(), limit = meminfo_kb("CommitLimit"), c = committed();
    check(total > 0 && limit > 0 && c >= 0, "overcommit.meminfo_lines",
          "MemTotal %ld, CommitLimit %ld, Committed_AS %ld kB (-1: no such line)", total,
          limit, c);
    check_limit("overcommit.commit_limit", ratio);

    // Big enough to stand out from what other processes do meanwhile, and
    // small enough to fit in the address space and (strict) what is left.
    big_kb = total / 4 < 512 * 1024 ? total / 4 : 512 * 1024;
    if (mode == 2 && headroom_kb() / 4 < big_kb)
        big_kb = headroom_kb() / 4;
    big_kb &= ~3l;   // whole pages
    int good = 1;
    if (big_kb > 0)
        good &= run_part("overcommit.part_accounting", accounting);
    else
        fail("overcommit.accounting", "no room to map anything (%ld kB)", big_kb);

    if (on_bunshin()) {
        good &= strict_mode(ratio);
    } else {
        skip("overcommit.strict", "Linux host: the test does not change %s", OC_MODE);
        if (mode == 0)
            good &= run_part("overcommit.part_big_fork", big_fork_heuristic);
        else
            skip("overcommit.big_fork", "the host is in mode %ld, not 0", mode);
    }
    memfree_check("overcommit.memfree_restored", before);
    return test_status() || !good;
}
