// t_mlock: locking pages in memory (mlock(2), mlockall(2), proc(5) VmLck):
//   - mlock adds the locked size to VmLck in /proc/self/status and faults
//     the pages in (Rss in /proc/self/smaps_rollup grows); it works on whole pages; locking twice
//     counts once; munlock takes it back;
//   - mlock of an unmapped range is ENOMEM; bad mlockall flags are EINVAL;
//   - mlockall(MCL_CURRENT) locks what is mapped; with MCL_FUTURE a later
//     mmap is locked (and resident) too; munlockall ends both;
//   - mlock2(MLOCK_ONFAULT) locks without faulting in;
//   - locks are not inherited by a fork child, and execve drops them all,
//     MCL_FUTURE included (fork(2), execve(2));
//   - RLIMIT_MEMLOCK: root (CAP_IPC_LOCK) may lock past it; an ordinary
//     user gets ENOMEM past it, and EPERM when it is 0.
// Every part runs in a child of its own, which starts with no locks.
//
// t_mlock exec-helper: run by the exec part; exits 0 if VmLck is 0 both at
// start and after a new mmap (MCL_FUTURE did not survive execve), 1 if it
// started locked, 2 if the new mapping was locked, 3 if there is no VmLck.
#define _GNU_SOURCE
// bunshin-boot: fork=odf
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096ul
#define NR_mlock2 376          // i386; musl's mlock2 wrapper needs it too
#define MLOCK_ONFAULT_ 1       // mlock2's flag
#define MCL_ONFAULT_ 4         // mlockall's third flag

static long vmlck(void)
{
    return proc_status_value(0, "VmLck");
}

// Resident memory, from smaps_rollup: the kernel counts the pages in the
// page tables when it is read. (VmRSS may lag by up to 64 pages on Linux
// before 6.2, which kept part of the count per thread: too coarse for a
// check of 16 pages.)
static long rss(void)
{
    return smaps_rollup_kb(0, "Rss");
}

static void *anon(unsigned long len)
{
    return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void basic(void)
{
    unsigned long len = 64 * PAGE;
    long l0 = vmlck(), r0 = rss();
    check_eq("mlock.vmlck_starts_zero", 0, l0);
    unsigned char *p = anon(len);
    if (!check(p != MAP_FAILED, "mlock.mmap", "mmap: %s", errname(errno)))
        return;
    if (!check_eq("mlock.mlock", 0, mlock(p, len)))
        return;
    long l1 = vmlck(), r1 = rss();
    check_eq("mlock.vmlck_rises", l0 + 256, l1);
    // mlock faults every page in: 64 pages resident without a touch.
    check(r1 - r0 >= 240 && r1 - r0 <= 256 + 1024, "mlock.faults_in",
          "Rss went from %ld to %ld kB after mlock of 256 kB", r0, r1);
    check_eq("mlock.locked_pages_zero", 0, (long long)nonzero_pages(p, len));
    // Locking a range again does not count it twice.
    check_eq("mlock.again", 0, mlock(p, len));
    check_eq("mlock.again_counts_once", l1, vmlck());
    // Half of it unlocked: VmLck falls by that half.
    check_eq("mlock.munlock_half", 0, munlock(p, len / 2));
    check_eq("mlock.vmlck_half", l0 + 128, vmlck());
    check_eq("mlock.munlock", 0, munlock(p, len));
    check_eq("mlock.vmlck_back", l0, vmlck());

    // Whole pages: 10 bytes from the middle of page 5 lock that one page.
    // (Linux rounds the start down and the end up.)
    check_eq("mlock.part_of_page", 0, mlock(p + 5 * PAGE + 100, 10));
    check_eq("mlock.part_of_page_one_page", l0 + 4, vmlck());
    munlock(p, len);

    // An unmapped range (the mapping's own pages after munmap).
    munmap(p, len);
    check_errno("mlock.unmapped_enomem", mlock(p, len), ENOMEM);
    check_eq("mlock.unmapped_nothing_locked", l0, vmlck());
}

static void flags(void)
{
    check_errno("mlock.mlockall_zero_einval", mlockall(0), EINVAL);
    check_errno("mlock.mlockall_bad_flag_einval", mlockall(0x100), EINVAL);
    // MCL_ONFAULT only qualifies MCL_CURRENT or MCL_FUTURE.
    check_errno("mlock.mlockall_onfault_alone_einval", mlockall(MCL_ONFAULT_), EINVAL);
    unsigned char *p = anon(PAGE);
    if (p != MAP_FAILED) {
        check_errno("mlock.mlock2_bad_flag_einval", syscall(NR_mlock2, p, PAGE, 2), EINVAL);
        munmap(p, PAGE);
    }
    check_eq("mlock.nothing_locked", 0, vmlck());
}

static void all(void)
{
    unsigned long len = 64 * PAGE;
    unsigned char *p = anon(len);
    if (!check(p != MAP_FAILED, "mlock.all_mmap", "mmap: %s", errname(errno)))
        return;
    long r0 = rss();
    if (!check_eq("mlock.mlockall_current", 0, mlockall(MCL_CURRENT)))
        return;
    // Every mapping is locked, this one (untouched before) included.
    long l1 = vmlck();
    check(l1 >= 256, "mlock.mlockall_current_vmlck", "VmLck is %ld kB after mlockall with "
          "a 256 kB mapping", l1);
    check(rss() - r0 >= 240, "mlock.mlockall_current_faults_in",
          "Rss went from %ld to %ld kB", r0, rss());
    // MCL_CURRENT alone: a new mapping is not locked.
    unsigned char *q = anon(16 * PAGE);
    check_eq("mlock.current_not_future", l1, vmlck());
    munmap(q, 16 * PAGE);

    check_eq("mlock.mlockall_future", 0, mlockall(MCL_CURRENT | MCL_FUTURE));
    long l2 = vmlck(), r2 = rss();
    q = anon(16 * PAGE);
    if (check(q != MAP_FAILED, "mlock.future_mmap", "mmap: %s", errname(errno))) {
        check_eq("mlock.future_mmap_locked", l2 + 64, vmlck());
        check(rss() - r2 >= 60, "mlock.future_mmap_resident",
              "Rss went from %ld to %ld kB after a locked mmap of 64 kB", r2, rss());
        munmap(q, 16 * PAGE);
    }
    check_eq("mlock.munlockall", 0, munlockall());
    check_eq("mlock.munlockall_vmlck_zero", 0, vmlck());
    // And the future is unlocked too.
    q = anon(16 * PAGE);
    check_eq("mlock.munlockall_no_future", 0, vmlck());
    munmap(q, 16 * PAGE);
    munmap(p, len);
}

static void onfault(void)
{
    unsigned long len = 64 * PAGE;
    unsigned char *p = anon(len);
    if (!check(p != MAP_FAILED, "mlock.onfault_mmap", "mmap: %s", errname(errno)))
        return;
    long r0 = rss();
    if (!check_eq("mlock.mlock2_onfault", 0, syscall(NR_mlock2, p, len, MLOCK_ONFAULT_)))
        return;
    // Counted as locked at once, but made resident only when touched.
    check_eq("mlock.onfault_vmlck", 256, vmlck());
    long r1 = rss();
    check(r1 - r0 < 64, "mlock.onfault_not_faulted_in",
          "Rss went from %ld to %ld kB after mlock2(MLOCK_ONFAULT) of 256 kB", r0, r1);
    write_pages(p, len, 1);
    check(rss() - r1 >= 240, "mlock.onfault_touched_resident",
          "Rss went from %ld to %ld kB after writing 256 kB", r1, rss());
    check_eq("mlock.onfault_munlock", 0, munlock(p, len));
    check_eq("mlock.onfault_vmlck_back", 0, vmlck());
    munmap(p, len);
}

static void inherit(void)
{
    unsigned long len = 64 * PAGE;
    unsigned char *p = anon(len);
    if (p == MAP_FAILED || !check_eq("mlock.fork_mlock", 0, mlock(p, len)))
        return;
    pid_t pid = xfork();
    if (pid == 0)
        // Exit 0 if the child has no locks; 1 if it has; 2: no VmLck line.
        _exit(vmlck() == 0 ? 0 : vmlck() > 0 ? 1 : 2);
    int st = pid < 0 ? -1 : wait_for(pid);
    check(exited_with(st, 0), "mlock.fork_child_vmlck_zero",
          "the child %s (1: it had locked memory)", status_str(st));
    check_eq("mlock.fork_parent_keeps", 256, vmlck());

    // execve: this process, fully locked for now and the future, runs the
    // helper (this same program) in a child.
    pid = xfork();
    if (pid == 0) {
        if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0 || vmlck() <= 256)
            _exit(10);
        char *argv[] = { (char *)rootpath("/tests/t_mlock"), "exec-helper", NULL };
        execv(argv[0], argv);
        _exit(11);
    }
    st = pid < 0 ? -1 : wait_for(pid);
    check(!exited_with(st, 10) && !exited_with(st, 11), "mlock.exec_ran",
          "the child %s (10: mlockall failed before execve, 11: execve failed)",
          status_str(st));
    check(exited_with(st, 0) || exited_with(st, 2), "mlock.exec_vmlck_zero",
          "the child %s (1: the new program started with locked memory)", status_str(st));
    check(exited_with(st, 0), "mlock.exec_no_future",
          "the child %s (2: MCL_FUTURE survived execve: a new mapping was locked)",
          status_str(st));
    munmap(p, len);
}

static void limits(void)
{
    unsigned long len = 256 * PAGE;   // 1 MiB, past a limit of 64 KiB
    unsigned char *p = anon(len);
    if (p == MAP_FAILED)
        return;
    struct rlimit lim = { 64 * 1024, 64 * 1024 };
    if (!check_eq("mlock.setrlimit", 0, setrlimit(RLIMIT_MEMLOCK, &lim)))
        return;
    if (geteuid() == 0) {
        // Root has CAP_IPC_LOCK: the limit does not apply (this is what
        // the Linux host does for its root).
        check_eq("mlock.root_past_rlimit", 0, mlock(p, len));
        munlock(p, len);
    } else {
        skip("mlock.root_past_rlimit", "not running as root");
    }
    // As an ordinary user (nobody), in a child: the limit applies.
    pid_t pid = xfork();
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(9);
        // Exit 1: past the limit was not ENOMEM; 2: within it failed;
        // 3: a zero limit was not EPERM.
        if (mlock(p, len) != -1 || errno != ENOMEM)
            _exit(1);
        if (mlock(p, 8 * PAGE) != 0)
            _exit(2);
        munlock(p, 8 * PAGE);
        struct rlimit zero = { 0, 0 };
        setrlimit(RLIMIT_MEMLOCK, &zero);
        if (mlock(p, PAGE) != -1 || errno != EPERM)
            _exit(3);
        _exit(0);
    }
    int st = pid < 0 ? -1 : wait_for(pid);
    if (exited_with(st, 9))
        skip("mlock.user_rlimit", "could not become the user nobody");
    else
        check(exited_with(st, 0), "mlock.user_rlimit",
              "the unprivileged child %s (1: past RLIMIT_MEMLOCK was not ENOMEM, 2: within "
              "it failed, 3: with a limit of 0, not EPERM)", status_str(st));
    munmap(p, len);
}

static int exec_helper(void)
{
    long l = vmlck();
    if (l < 0)
        return 3;
    if (l != 0)
        return 1;
    unsigned char *q = anon(16 * PAGE);
    if (q != MAP_FAILED)
        write_pages(q, 16 * PAGE, 1);
    return vmlck() == 0 ? 0 : 2;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec-helper") == 0)
        return exec_helper();
    long before = memfree_start();
    int good = run_part("mlock.part_basic", basic);
    good &= run_part("mlock.part_flags", flags);
    good &= run_part("mlock.part_all", all);
    good &= run_part("mlock.part_onfault", onfault);
    good &= run_part("mlock.part_inherit", inherit);
    good &= run_part("mlock.part_limits", limits);
    memfree_check("mlock.memfree_restored", before);
    return test_status() || !good;
}
