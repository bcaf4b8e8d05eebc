// t_memlimit: the resource limits on memory, obeyed where memory grows.
//
//   RLIMIT_AS     all regions together (VmSize): mmap of more fails with
//                 ENOMEM, brk leaves the break where it was
//   RLIMIT_DATA   private writable regions other than the stack (VmData):
//                 the same for those; read-only and shared mappings are not
//                 data and still work
//   RLIMIT_STACK  how far the stack may grow: touching below it is SIGSEGV
//
// Each part runs in a child (limits are per process and the child's death
// takes them along), with the limit set just above what the child uses
// now. The same on Linux and bunshin; MemFree is back at the end on bunshin.
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define KIB 1024ul
#define MIB (1024ul * 1024)

static int set_soft(int resource, unsigned long bytes)
{
    struct rlimit r;
    if (getrlimit(resource, &r) < 0)
        return -1;
    r.rlim_cur = bytes;
    return setrlimit(resource, &r);
}

static unsigned long brk_(unsigned long addr)
{
    return (unsigned long)syscall(SYS_brk, addr);
}

// RLIMIT_AS: 16 MiB above VmSize.
static void part_as(void)
{
    long size_kb = proc_status_value(0, "VmSize");
    if (!check(size_kb > 0, "memlimit.as_vmsize", "VmSize %ld kB", size_kb))
        return;
    if (!check_eq("memlimit.as_set", 0, set_soft(RLIMIT_AS, size_kb * KIB + 16 * MIB)))
        return;
    void *big = mmap(NULL, 64 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check_errno("memlimit.as_mmap_over", big == MAP_FAILED ? -1 : 0, ENOMEM);
    void *ro = mmap(NULL, 64 * MIB, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    check_errno("memlimit.as_counts_every_kind", ro == MAP_FAILED ? -1 : 0, ENOMEM);
    void *small = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(small != MAP_FAILED, "memlimit.as_mmap_under", "mmap of 4 MiB: %s", errname(errno));
    unsigned long cur = brk_(0);
    check(brk_(cur + 64 * MIB) == cur, "memlimit.as_brk_over",
          "brk(+64 MiB) moved the break past RLIMIT_AS");
}

// RLIMIT_DATA: 8 MiB above what the child has as data now.
static void part_data(void)
{
    long data_kb = proc_status_value(0, "VmData");
    if (!check(data_kb >= 0, "memlimit.data_vmdata", "VmData %ld kB", data_kb))
        return;
    if (!check_eq("memlimit.data_set", 0, set_soft(RLIMIT_DATA, data_kb * KIB + 8 * MIB)))
        return;
    void *p = mmap(NULL, 32 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check_errno("memlimit.data_private_writable", p == MAP_FAILED ? -1 : 0, ENOMEM);
    void *ro = mmap(NULL, 32 * MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(ro != MAP_FAILED, "memlimit.data_read_only_is_not_data", "mmap PROT_READ: %s",
          errname(errno));
    void *sh = mmap(NULL, 32 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    check(sh != MAP_FAILED, "memlimit.data_shared_is_not_data", "mmap MAP_SHARED: %s",
          errname(errno));
    unsigned long cur = brk_(0);
    check(brk_(cur + 32 * MIB) == cur, "memlimit.data_brk_over",
          "brk(+32 MiB) moved the break past RLIMIT_DATA");
    check(brk_(cur + 1 * MIB) == cur + 1 * MIB, "memlimit.data_brk_under",
          "brk(+1 MiB) did not move the break");
}

// Touch the stack page by page down to depth bytes below here.
static void __attribute__((noinline)) dig(unsigned long depth)
{
    volatile unsigned char page[4000];
    page[0] = page[sizeof page - 1] = 1;
    if (depth > sizeof page)
        dig(depth - sizeof page);
    (void)page[0];
}

static void dig_256k(void *arg)
{
    (void)arg;
    if (set_soft(RLIMIT_STACK, 256 * KIB) < 0)
        _exit(2);
    dig(128 * KIB);                    // within the limit
    dig(1 * MIB);                      // past it: SIGSEGV
    _exit(0);
}

static void part_stack(void)
{
    int st = run_child(dig_256k, NULL);
    check(killed_by(st, SIGSEGV), "memlimit.stack_past_limit",
          "a child with RLIMIT_STACK 256 KiB touching 1 MiB of stack %s; expected SIGSEGV",
          status_str(st));
}

int main(void)
{
    long before = memfree_start();
    run_part("memlimit.part_as", part_as);
    run_part("memlimit.part_data", part_data);
    part_stack();
    memfree_check("memlimit.memfree_restored", before);
    return test_status();
}
