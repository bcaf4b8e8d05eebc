// t_sysinfo: sysinfo(2) (116) and getrandom(2) (355), as Linux has them.
//
// sysinfo:
//   - uptime is whole seconds since boot, a started second counting: it
//     lies between CLOCK_BOOTTIME read before and after the call (rounded
//     down and up), and after 1.1 s of sleep it is at least 1 more;
//   - totalram >= freeram > 0, mem_unit a power of two from 1 to the page
//     size (a 32-bit caller on a 64-bit Linux gets 4096 when the byte
//     counts would not fit in 32 bits), totalram * mem_unit is MemTotal of
//     /proc/meminfo exactly, freeram * mem_unit is MemFree within 1 MiB
//     (what moves between two readings: on Linux everything else the
//     machine does, on bunshin the open file of /proc/meminfo itself);
//   - procs >= 1; on bunshin, where the test's processes are the only ones
//     besides init, one more while a child lives (on Linux other processes
//     come and go: skip);
//   - EFAULT for NULL, a kernel address and a struct that runs into an
//     unmapped page.
// getrandom:
//   - fills the whole buffer (every word of a zeroed 256-byte buffer
//     changes), two calls give different bytes, an odd count leaves the
//     byte after it alone, count 0 returns 0 (even with a NULL buffer);
//   - GRND_NONBLOCK, GRND_INSECURE and GRND_RANDOM are accepted; an unknown
//     bit, and GRND_INSECURE with GRND_RANDOM, are EINVAL, checked before
//     the buffer (count 0 too);
//   - EFAULT for NULL, a kernel address and a read-only buffer; a buffer
//     that runs into an unmapped page gets the bytes before it, and the
//     call returns their number (as a read does);
// and MemFree back where it started.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

#ifndef GRND_NONBLOCK
#define GRND_NONBLOCK 1
#endif
#ifndef GRND_RANDOM
#define GRND_RANDOM 2
#endif
#ifndef GRND_INSECURE
#define GRND_INSECURE 4
#endif

#define PAGE 4096
#define KERNEL_ADDR ((void *)0xC0000000)

// The kernel's struct sysinfo on i386: 64 bytes. musl's is longer (room
// for the future), so the raw calls here use this one, and the check that
// the kernel writes no more than 64 bytes can be made.
struct ksysinfo {
    int32_t uptime;
    uint32_t loads[3];
    uint32_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint32_t totalhigh, freehigh, mem_unit;
    char f[8];
};

static long raw_sysinfo(void *p)
{
    return syscall(SYS_sysinfo, p);
}

static long raw_getrandom(void *buf, size_t n, unsigned flags)
{
    return syscall(SYS_getrandom, buf, n, flags);
}

static long long boottime_ns(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_BOOTTIME, &t) < 0)
        return -1;
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

// Two pages, the second unmapped again: the address of the first page's
// end is where memory stops. NULL if mmap failed.
static char *page_before_hole(void)
{
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        fail("setup.mmap", "mmap of two pages: %s", errname(errno));
        return NULL;
    }
    munmap(p + PAGE, PAGE);
    return p;
}

// --- sysinfo -------------------------------------------------------------------

static void sysinfo_uptime(void *arg)
{
    (void)arg;
    struct ksysinfo si;
    long long before = boottime_ns();
    long r = raw_sysinfo(&si);
    long long after = boottime_ns();
    if (!check_eq("sysinfo.returns_0", 0, r))
        return;
    long long lo = before / 1000000000LL, hi = (after + 999999999LL) / 1000000000LL;
    check(si.uptime >= lo && si.uptime <= hi, "sysinfo.uptime",
          "uptime %d s, but CLOCK_BOOTTIME was %lld.%09lld s before the call and "
          "%lld.%09lld s after",
          (int)si.uptime, before / 1000000000LL, before % 1000000000LL,
          after / 1000000000LL, after % 1000000000LL);
    sleep_ms(1100);
    struct ksysinfo later;
    raw_sysinfo(&later);
    check(later.uptime >= si.uptime + 1, "sysinfo.uptime_grows",
          "uptime %d s, then %d s after sleeping 1.1 s", (int)si.uptime, (int)later.uptime);
    check(si.loads[0] < (1000u << 16) && si.loads[1] < (1000u << 16) && si.loads[2] < (1000u << 16),
          "sysinfo.loads_sane", "load averages %u %u %u (16-bit fractions)", si.loads[0],
          si.loads[1], si.loads[2]);
}

static void sysinfo_memory(void *arg)
{
    (void)arg;
    struct ksysinfo si;
    memset(&si, 0, sizeof si);
    if (!check_eq("sysinfo.memory.returns_0", 0, raw_sysinfo(&si)))
        return;
    unsigned u = si.mem_unit;
    check(u >= 1 && u <= PAGE && (u & (u - 1)) == 0, "sysinfo.mem_unit",
          "mem_unit %u: expected a power of two from 1 to %d", u, PAGE);
    if (u == 0)
        u = 1;
    check(si.freeram > 0 && si.totalram >= si.freeram, "sysinfo.totalram_ge_freeram",
          "totalram %u, freeram %u (units of %u bytes)", si.totalram, si.freeram, u);
    check(si.totalswap >= si.freeswap, "sysinfo.totalswap_ge_freeswap",
          "totalswap %u, freeswap %u", si.totalswap, si.freeswap);
    long total_kb = meminfo_total_kb();
    unsigned long long total = (unsigned long long)si.totalram * u;
    check(total == (unsigned long long)total_kb * 1024, "sysinfo.totalram_is_memtotal",
          "totalram * mem_unit is %llu bytes, /proc/meminfo MemTotal %ld kB (%llu bytes)", total,
          total_kb, (unsigned long long)total_kb * 1024);

    // MemFree moves with everything else the machine does (on Linux): take
    // sysinfo, MemFree, sysinfo again, until the two sysinfo readings agree
    // within 1 MiB; MemFree must then lie between them, 1 MiB either side.
    unsigned long long lo = 0, hi = 0, mf = 0;
    int tries;
    for (tries = 0; tries < 20; tries++) {
        struct ksysinfo a, b;
        raw_sysinfo(&a);
        long kb = meminfo_free_kb();
        raw_sysinfo(&b);
        unsigned long long fa = (unsigned long long)a.freeram * u, fb = (unsigned long long)b.freeram * u;
        lo = fa < fb ? fa : fb;
        hi = fa < fb ? fb : fa;
        mf = (unsigned long long)kb * 1024;
        if (kb >= 0 && hi - lo <= (1 << 20))
            break;
    }
    check(tries < 20 && mf + (1 << 20) >= lo && mf <= hi + (1 << 20), "sysinfo.freeram_is_memfree",
          "freeram * mem_unit %llu..%llu bytes, /proc/meminfo MemFree %llu bytes (%d tries)", lo,
          hi, mf, tries);
}

static void sysinfo_procs(void *arg)
{
    (void)arg;
    struct ksysinfo si;
    raw_sysinfo(&si);
    check(si.procs >= 1, "sysinfo.procs", "procs %u", si.procs);
    if (!on_bunshin()) {
        skip("sysinfo.procs_counts_child", "Linux: other processes come and go");
        return;
    }
    int p[2];
    if (pipe(p) < 0)
        return;
    pid_t pid = xfork();
    if (pid == 0) {
        char c;
        close(p[1]);
        read(p[0], &c, 1);   // until the parent closes its end
        _exit(0);
    }
    close(p[0]);
    struct ksysinfo with;
    raw_sysinfo(&with);
    close(p[1]);
    wait_for(pid);
    struct ksysinfo after;
    raw_sysinfo(&after);
    check(with.procs == si.procs + 1 && after.procs == si.procs, "sysinfo.procs_counts_child",
          "procs %u, %u with one more child, %u after it was reaped", si.procs, with.procs,
          after.procs);
}

static void sysinfo_efault(void *arg)
{
    (void)arg;
    check_errno("sysinfo.efault.null", raw_sysinfo(NULL), EFAULT);
    check_errno("sysinfo.efault.kernel", raw_sysinfo(KERNEL_ADDR), EFAULT);
    char *p = page_before_hole();
    if (!p)
        return;
    check_eq("sysinfo.ends_at_hole", 0, raw_sysinfo(p + PAGE - sizeof(struct ksysinfo)));
    check_errno("sysinfo.efault.runs_into_hole",
                raw_sysinfo(p + PAGE - sizeof(struct ksysinfo) + 4), EFAULT);
    // Exactly 64 bytes are written: the byte after the struct stays.
    memset(p, 0x5a, 128);
    raw_sysinfo(p);
    check_eq("sysinfo.writes_64_bytes", 0x5a, (unsigned char)p[64]);
    munmap(p, PAGE);
}

// --- getrandom -------------------------------------------------------------------

static void getrandom_fills(void *arg)
{
    (void)arg;
    static uint32_t a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    check_eq("getrandom.returns_count", sizeof a, raw_getrandom(a, sizeof a, 0));
    // A zero word by chance: 64 in 2^32.
    int zeros = 0;
    for (int i = 0; i < 64; i++)
        zeros += a[i] == 0;
    check(zeros == 0, "getrandom.fills_buffer", "%d of the 64 words of a zeroed buffer are still 0",
          zeros);
    raw_getrandom(b, sizeof b, 0);
    check(memcmp(a, b, sizeof a) != 0, "getrandom.calls_differ", "two calls gave the same 256 bytes");
    check(memcmp(a, a + 32, 128) != 0, "getrandom.halves_differ",
          "the two halves of one 256-byte call are the same");

    unsigned char odd[16];
    memset(odd, 0xaa, sizeof odd);
    check_eq("getrandom.odd_count", 7, raw_getrandom(odd, 7, 0));
    check(odd[7] == 0xaa && odd[8] == 0xaa, "getrandom.odd_count_stops",
          "the bytes after the 7 asked for were changed: %#x %#x", odd[7], odd[8]);

    check_eq("getrandom.count_0", 0, raw_getrandom(a, 0, 0));
    check_eq("getrandom.count_0_null", 0, raw_getrandom(NULL, 0, 0));
    check_eq("getrandom.nonblock", 16, raw_getrandom(a, 16, GRND_NONBLOCK));
    check_eq("getrandom.insecure", 16, raw_getrandom(a, 16, GRND_INSECURE));
    check_eq("getrandom.random", 16, raw_getrandom(a, 16, GRND_RANDOM | GRND_NONBLOCK));
    check_eq("getrandom.insecure_nonblock", 16, raw_getrandom(a, 16, GRND_INSECURE | GRND_NONBLOCK));
}

static void getrandom_errors(void *arg)
{
    (void)arg;
    char buf[16];
    check_errno("getrandom.einval.unknown_flag", raw_getrandom(buf, 16, 8), EINVAL);
    check_errno("getrandom.einval.high_flag", raw_getrandom(buf, 16, 0x80000000u), EINVAL);
    check_errno("getrandom.einval.insecure_random", raw_getrandom(buf, 16, GRND_INSECURE | GRND_RANDOM),
                EINVAL);
    check_errno("getrandom.einval.before_count_0", raw_getrandom(buf, 0, 8), EINVAL);
    check_errno("getrandom.einval.before_efault", raw_getrandom(NULL, 16, 8), EINVAL);
    check_errno("getrandom.efault.null", raw_getrandom(NULL, 16, 0), EFAULT);
    check_errno("getrandom.efault.kernel", raw_getrandom(KERNEL_ADDR, 16, 0), EFAULT);

    char *p = page_before_hole();
    if (!p)
        return;
    // 100 bytes before the hole, 200 asked for: the 100 come back. Small
    // (one block) and large (several blocks) requests alike.
    memset(p + PAGE - 100, 0, 100);
    check_eq("getrandom.partial_to_hole", 100, raw_getrandom(p + PAGE - 100, 200, 0));
    check_eq("getrandom.partial_to_hole.large", 100, raw_getrandom(p + PAGE - 100, 1000, 0));
    check_eq("getrandom.partial_to_hole.2000", 2000, raw_getrandom(p + PAGE - 2000, 5000, 0));
    check_errno("getrandom.efault.at_hole", raw_getrandom(p + PAGE, 16, 0), EFAULT);
    memset(p, 0x33, PAGE);
    mprotect(p, PAGE, PROT_READ);
    check_errno("getrandom.efault.read_only", raw_getrandom(p + 64, 16, 0), EFAULT);
    check_eq("getrandom.read_only_untouched", 0x33, p[64]);
    munmap(p, PAGE);
}

int main(void)
{
    long before = memfree_start();
    static void (*const parts[])(void *) = { sysinfo_uptime,  sysinfo_memory,  sysinfo_procs,
                                             sysinfo_efault,  getrandom_fills, getrandom_errors };
    for (unsigned i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        int st = run_child(parts[i], NULL);
        if (st != 0)
            fail(tname("sysinfo.part%u", i), "the child running part %u %s", i, status_str(st));
    }
    memfree_check("sysinfo.memfree", before);
    return test_status();
}
