// t_small_calls: small Linux i386 calls, by number (musl may not wrap them):
// futex_time64 (422), the futex call with a struct __kernel_timespec
// timeout: waits time out, a changed word is EAGAIN, bad times EINVAL, bad
// pointers EFAULT, wakes count. clone3 (435): the size rules (EINVAL,
// E2BIG), each argument check, a fork-like child, its stack, CLONE_PIDFD,
// CLONE_CLEAR_SIGHAND, set_tid's checks, CLONE_INTO_CGROUP.
// get_thread_area (244): musl's TLS slot read back, a changed one in a
// child, Linux's other (empty) TLS slots, EINVAL and EFAULT.
// olduname (109) and oldolduname (59): uname's strings in the old layouts.
// sysfs (135): the kinds of /proc/filesystems by index and name, the count,
// EINVAL and EFAULT. pidfd_getfd (438): another process's open file (its
// offset shared), close-on-exec; EINVAL, EBADF, ESRCH (a zombie's too),
// EPERM for a user looking into root's process. process_vm_readv (347)
// and process_vm_writev (348): copies both ways with a child (its
// copy-on-write pages copied, not the parent's), several iovecs, partial
// transfers at an unmapped page, EFAULT, EINVAL, ESRCH, EPERM.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"

#define NR_futex_time64 422

// Linux's futex operations (uapi linux/futex.h; musl has no such header).
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define FUTEX_WAIT_BITSET_PRIVATE (9 | 128)
#define FUTEX_TRYLOCK_PI_PRIVATE (8 | 128)
#define FUTEX_UNLOCK_PI_PRIVATE (7 | 128)
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu
#define FUTEX_TID_MASK 0x3fffffffu

struct kernel_timespec64 {
    int64_t tv_sec;
    int64_t tv_nsec;
};

static long futex64(uint32_t *word, int op, uint32_t val, const void *timeout)
{
    return syscall(NR_futex_time64, word, op, val, timeout, 0, 0);
}

static void test_futex_time64(void)
{
    static uint32_t word = 7;
    struct kernel_timespec64 ten_ms = { 0, 10000000 };
    long long t0 = mono_ns();
    check_errno("futex64.wait_timeout", futex64(&word, FUTEX_WAIT_PRIVATE, 7, &ten_ms), ETIMEDOUT);
    long long took = mono_ns() - t0;
    check(took >= 9000000 && took < 2000000000LL, "futex64.wait_slept", "slept %lld ns", took);
    check_errno("futex64.wait_changed", futex64(&word, FUTEX_WAIT_PRIVATE, 8, &ten_ms), EAGAIN);
    struct kernel_timespec64 bad_nsec = { 0, 1000000000 };
    check_errno("futex64.bad_nsec", futex64(&word, FUTEX_WAIT_PRIVATE, 7, &bad_nsec), EINVAL);
    struct kernel_timespec64 negative = { -1, 0 };
    check_errno("futex64.negative", futex64(&word, FUTEX_WAIT_PRIVATE, 7, &negative), EINVAL);
    check_errno("futex64.timeout_efault", futex64(&word, FUTEX_WAIT_PRIVATE, 7, (void *)8), EFAULT);
    check_errno("futex64.word_efault", futex64((uint32_t *)8, FUTEX_WAIT_PRIVATE, 7, &ten_ms),
                EFAULT);
    // An absolute BITSET timeout already past, on CLOCK_MONOTONIC: at once.
    struct kernel_timespec64 past = { 1, 0 };
    check_errno("futex64.bitset_past",
                syscall(NR_futex_time64, &word, FUTEX_WAIT_BITSET_PRIVATE, 7, &past, 0,
                        FUTEX_BITSET_MATCH_ANY),
                ETIMEDOUT);
    // Beyond 2^32 seconds ahead is a valid absolute time (the point of the
    // 64-bit field): the word has changed, so EAGAIN rather than a wait.
    struct kernel_timespec64 far = { (int64_t)1 << 40, 0 };
    check_errno("futex64.far_future",
                syscall(NR_futex_time64, &word, FUTEX_WAIT_BITSET_PRIVATE, 8, &far, 0,
                        FUTEX_BITSET_MATCH_ANY),
                EAGAIN);
    check_eq("futex64.wake_none", 0, futex64(&word, FUTEX_WAKE_PRIVATE, 1, 0));
    // A trylock of a free PI word takes it; unlock gives it back.
    static uint32_t pi = 0;
    check_eq("futex64.trylock_pi", 0, futex64(&pi, FUTEX_TRYLOCK_PI_PRIVATE, 0, 0));
    check_eq("futex64.pi_owner", (long long)gettid(), (long long)(pi & FUTEX_TID_MASK));
    check_eq("futex64.unlock_pi", 0, futex64(&pi, FUTEX_UNLOCK_PI_PRIVATE, 0, 0));
    check_eq("futex64.pi_free", 0, pi);
}

#define NR_clone3 435
#define CLONE_PIDFD 0x1000
#define CLONE_CLEAR_SIGHAND 0x100000000ull
#define CLONE_INTO_CGROUP 0x200000000ull

struct clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
        set_tid_size, cgroup;
};

// clone3 through raw registers: the child (eax 0) exits at once with status
// 1 if its stack pointer is top, else 0, touching no memory.
static long clone3_probe(struct clone_args *args, unsigned long size, uint32_t top)
{
    long ret;
    __asm__ volatile("pushl %%ebx\n"
                     "movl %2, %%ebx\n"
                     "movl $435, %%eax\n"
                     "int $0x80\n"
                     "testl %%eax, %%eax\n"
                     "jnz 1f\n"
                     "xorl %%ebx, %%ebx\n"
                     "cmpl %%edi, %%esp\n"
                     "sete %%bl\n"
                     "movl $252, %%eax\n"
                     "int $0x80\n"
                     "1: popl %%ebx\n"
                     : "=a"(ret)
                     : "c"(size), "r"(args), "D"(top)
                     : "memory", "edx");
    return ret < 0 && ret > -4096 ? (errno = (int)-ret, -1) : ret;
}

// clone3 for a thread: the new thread (eax 0) stores its stack pointer at
// *seen and ends itself alone (exit, not exit_group).
static long clone3_thread(struct clone_args *args, uint32_t *seen)
{
    long ret;
    __asm__ volatile("pushl %%ebx\n"
                     "movl %2, %%ebx\n"
                     "movl $435, %%eax\n"
                     "int $0x80\n"
                     "testl %%eax, %%eax\n"
                     "jnz 1f\n"
                     "movl %%esp, (%%esi)\n"
                     "movl $1, %%eax\n"
                     "xorl %%ebx, %%ebx\n"
                     "int $0x80\n"
                     "1: popl %%ebx\n"
                     : "=a"(ret)
                     : "c"(sizeof *args), "r"(args), "S"(seen)
                     : "memory", "edx");
    return ret < 0 && ret > -4096 ? (errno = (int)-ret, -1) : ret;
}

static long clone3(struct clone_args *args, unsigned long size)
{
    return syscall(NR_clone3, args, size);
}

static void test_clone3(void)
{
    long before = memfree_start();
    struct clone_args a = { .exit_signal = SIGCHLD };
    check_errno("clone3.size_small", clone3(&a, 63), EINVAL);
    check_errno("clone3.size_page", clone3(&a, 4097), E2BIG);
    static unsigned char big[128];
    memcpy(big, &a, sizeof a);
    big[100] = 1;
    check_errno("clone3.nonzero_tail", clone3((void *)big, sizeof big), E2BIG);
    check_errno("clone3.efault", clone3((void *)8, sizeof a), EFAULT);
#define BAD(name, field, value, err)                                                       \
    do {                                                                                   \
        struct clone_args b = { .exit_signal = SIGCHLD };                                  \
        b.field = value;                                                                   \
        check_errno("clone3." name, clone3(&b, sizeof b), err);                            \
    } while (0)
    BAD("flags_low_byte", flags, SIGCHLD, EINVAL);
    BAD("flags_detached", flags, 0x400000, EINVAL);
    BAD("flags_high", flags, 0x400000000ull, EINVAL);
    BAD("exit_signal_65", exit_signal, 65, EINVAL);
    BAD("exit_signal_big", exit_signal, 0x111, EINVAL);
    BAD("stack_no_size", stack, 0x10000, EINVAL);
    BAD("size_no_stack", stack_size, 4096, EINVAL);
    BAD("set_tid_no_array", set_tid_size, 1, EINVAL);
    BAD("set_tid_no_size", set_tid, (uintptr_t)big, EINVAL);
    struct clone_args t = { .flags = 0x10000 | 0x800 | 0x100, .exit_signal = SIGCHLD };
    check_errno("clone3.thread_exit_signal", clone3(&t, sizeof t), EINVAL);
    struct clone_args c = { .flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD, .cgroup = 999 };
    check_errno("clone3.cgroup_v0", clone3(&c, 64), EINVAL);
    check_errno("clone3.cgroup_ebadf", clone3(&c, sizeof c), EBADF);
    struct clone_args sh = { .flags = 0x800 | 0x100 | CLONE_CLEAR_SIGHAND, .exit_signal = SIGCHLD };
    check_errno("clone3.sighand_and_clear", clone3(&sh, sizeof sh), EINVAL);
    int32_t tids[2] = { 0, 0 };
    struct clone_args st = { .exit_signal = SIGCHLD, .set_tid = (uintptr_t)tids, .set_tid_size = 2 };
    check_errno("clone3.set_tid_levels", clone3(&st, sizeof st), EINVAL);
    st.set_tid_size = 1;
    check_errno("clone3.set_tid_zero", clone3(&st, sizeof st), EINVAL);
    tids[0] = -1;
    check_errno("clone3.set_tid_negative", clone3(&st, sizeof st), EINVAL);
    st.set_tid_size = 33;
    check_errno("clone3.set_tid_33", clone3(&st, sizeof st), EINVAL);

    // A fork-like child on a stack of its own (a copy, no CLONE_VM): its
    // stack pointer starts at stack + stack_size.
    static char stack[8192] __attribute__((aligned(16)));
    struct clone_args f = { .exit_signal = SIGCHLD, .stack = (uintptr_t)stack,
                            .stack_size = sizeof stack };
    long pid = clone3_probe(&f, sizeof f, (uint32_t)(uintptr_t)(stack + sizeof stack));
    int status = 0;
    check(pid > 0 && waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == 1,
          "clone3.stack_top", "pid %ld %s, status %s", pid, errname(errno), status_str(status));
    // posix_spawn's form: shared memory, the parent waiting (CLONE_VFORK),
    // the child on its own stack.
    struct clone_args v = { .flags = 0x100 | 0x4000, .exit_signal = SIGCHLD,
                            .stack = (uintptr_t)stack, .stack_size = sizeof stack };
    pid = clone3_probe(&v, sizeof v, (uint32_t)(uintptr_t)(stack + sizeof stack));
    check(pid > 0 && waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == 1,
          "clone3.vfork_stack", "pid %ld %s, status %s", pid, errname(errno), status_str(status));
    // pthread_create's form: a thread on its own stack; its tid written to
    // parent_tid, and cleared (with a futex wake) at its end.
    static char tstack[8192] __attribute__((aligned(16)));
    static volatile uint32_t ptid, seen_sp;
    struct clone_args th = { .flags = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 |
                                      0x100000 | 0x200000,
                             .parent_tid = (uintptr_t)&ptid, .child_tid = (uintptr_t)&ptid,
                             .stack = (uintptr_t)tstack, .stack_size = sizeof tstack };
    long tid = clone3_thread(&th, (uint32_t *)&seen_sp);
    check(tid > 0, "clone3.thread", "%s", errname(errno));
    if (tid > 0) {
        uint32_t t;
        while ((t = ptid) != 0)
            syscall(SYS_futex, &ptid, 0 /* FUTEX_WAIT */, t, 0, 0, 0);
        check_eq("clone3.thread_stack", (long long)(uintptr_t)(tstack + sizeof tstack),
                 seen_sp);
    }
    // A longer struct with zeros past what the kernel knows is taken.
    memset(big, 0, sizeof big);
    memcpy(big, &f, sizeof f);
    pid = clone3_probe((void *)big, sizeof big, (uint32_t)(uintptr_t)(stack + sizeof stack));
    check(pid > 0 && waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status),
          "clone3.zero_tail", "pid %ld %s", pid, errname(errno));

    // CLONE_PIDFD: a close-on-exec descriptor that polls readable at the end.
    int pidfd = -1;
    struct clone_args p = { .flags = CLONE_PIDFD, .pidfd = (uintptr_t)&pidfd,
                            .exit_signal = SIGCHLD };
    pid = clone3(&p, sizeof p);
    if (pid == 0)
        _exit(5);
    check(pid > 0 && pidfd >= 0, "clone3.pidfd", "pid %ld pidfd %d: %s", pid, pidfd,
          errname(errno));
    if (pid > 0 && pidfd >= 0) {
        check(fcntl(pidfd, F_GETFD) == FD_CLOEXEC, "clone3.pidfd_cloexec", "F_GETFD %d",
              fcntl(pidfd, F_GETFD));
        struct pollfd pfd = { pidfd, POLLIN, 0 };
        check(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN), "clone3.pidfd_poll",
              "revents %#x", pfd.revents);
        close(pidfd);
    }
    if (pid > 0)
        check(waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) &&
                  WEXITSTATUS(status) == 5,
              "clone3.pidfd_child", "status %s", status_str(status));
    struct clone_args pe = { .flags = CLONE_PIDFD, .pidfd = 8, .exit_signal = SIGCHLD };
    check_errno("clone3.pidfd_efault", clone3(&pe, sizeof pe), EFAULT);
    // No free descriptor for the pidfd: EMFILE, and no child made.
    int lowest = dup(0);
    close(lowest);
    struct rlimit old_nofile;
    getrlimit(RLIMIT_NOFILE, &old_nofile);
    struct rlimit tight = { (rlim_t)lowest, old_nofile.rlim_max };
    setrlimit(RLIMIT_NOFILE, &tight);
    pid = clone3(&p, sizeof p);
    if (pid == 0)
        _exit(0);
    int e = errno;
    setrlimit(RLIMIT_NOFILE, &old_nofile);
    check(pid == -1 && e == EMFILE, "clone3.pidfd_emfile", "pid %ld %s", pid, errname(e));
    check(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD, "clone3.pidfd_emfile_no_child",
          "a child was made: %s", errname(errno));

    // CLONE_CLEAR_SIGHAND: handlers back to SIG_DFL, SIG_IGN kept.
    signal(SIGUSR1, (void (*)(int))test_clone3);
    signal(SIGUSR2, SIG_IGN);
    struct clone_args cs = { .flags = CLONE_CLEAR_SIGHAND, .exit_signal = SIGCHLD };
    pid = clone3(&cs, sizeof cs);
    if (pid == 0) {
        struct sigaction s1, s2;
        sigaction(SIGUSR1, 0, &s1);
        sigaction(SIGUSR2, 0, &s2);
        _exit(s1.sa_handler == SIG_DFL && s2.sa_handler == SIG_IGN ? 7 : 1);
    }
    check(pid > 0 && waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == 7,
          "clone3.clear_sighand", "pid %ld, status %s", pid, status_str(status));
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
    memfree_check("clone3.memfree", before);
}

struct user_desc_raw {
    uint32_t entry_number, base_addr, limit, flags;
};

// Linux's TLS slots are three in a row from the one musl was given (6 on
// an i386 kernel, 12 for an i386 program on x86-64): musl loads %gs with
// that slot's selector.
static void test_get_thread_area(void)
{
    uint32_t tp, gs;
    __asm__ volatile("movl %%gs:0, %0" : "=r"(tp));
    __asm__ volatile("movl %%gs, %0" : "=r"(gs));
    uint32_t slot = gs >> 3;
    struct user_desc_raw u = { slot, 0, 0, 0 };
    check_eq("gta.musl_slot", 0, syscall(SYS_get_thread_area, &u));
    // musl's descriptor: 32-bit, limit in pages, useable (0x51).
    check(u.entry_number == slot && u.base_addr == tp && u.limit == 0xfffff && u.flags == 0x51,
          "gta.musl_tls", "entry %u base %#x (tp %#x) limit %#x flags %#x", u.entry_number,
          u.base_addr, tp, u.limit, u.flags);
    struct user_desc_raw e = { slot + 1, 1, 2, 3 };
    check_eq("gta.next_slot", 0, syscall(SYS_get_thread_area, &e));
    check(e.entry_number == slot + 1 && e.base_addr == 0 && e.limit == 0 && e.flags == 0x28,
          "gta.next_slot_empty", "entry %u base %#x limit %#x flags %#x", e.entry_number,
          e.base_addr, e.limit, e.flags);
    e.entry_number = slot + 2;
    check_eq("gta.last_slot", 0, syscall(SYS_get_thread_area, &e));
    e.entry_number = slot - 1;
    check_errno("gta.below", syscall(SYS_get_thread_area, &e), EINVAL);
    e.entry_number = slot + 3;
    check_errno("gta.above", syscall(SYS_get_thread_area, &e), EINVAL);
    e.entry_number = (uint32_t)-1;
    check_errno("gta.minus1", syscall(SYS_get_thread_area, &e), EINVAL);
    check_errno("gta.efault", syscall(SYS_get_thread_area, (void *)8), EFAULT);
    // A child makes its slot read-only (musl only reads through %gs), and
    // reads it back.
    pid_t pid = fork();
    if (pid == 0) {
        struct user_desc_raw s = { slot, tp, 0xfffff, 0x51 | 0x08 };
        struct user_desc_raw r = { slot, 0, 0, 0 };
        if (syscall(SYS_set_thread_area, &s) != 0 || syscall(SYS_get_thread_area, &r) != 0)
            _exit(1);
        _exit(r.base_addr == tp && r.limit == 0xfffff && r.flags == 0x59 ? 0 : 2);
    }
    int status = -1;
    pid_t w = pid > 0 ? waitpid(pid, &status, 0) : -1;
    check(w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "gta.child_set",
          "pid %d wait %d %s status %s", pid, w, errname(errno), status_str(status));
}

static void test_olduname(void)
{
    struct utsname now;
    uname(&now);
    const char *names[5] = { now.sysname, now.nodename, now.release, now.version, now.machine };
    char old[5][65];
    memset(old, 0x55, sizeof old);
    check_eq("olduname.ok", 0, syscall(SYS_olduname, old));
    for (int i = 0; i < 5; i++)
        check_str(tname("olduname.field%d", i), names[i], old[i]);
    char oldold[5][9];
    memset(oldold, 0x55, sizeof oldold);
    check_eq("oldolduname.ok", 0, syscall(SYS_oldolduname, oldold));
    for (int i = 0; i < 5; i++) {
        char cut[9];
        snprintf(cut, sizeof cut, "%s", names[i]);
        check_str(tname("oldolduname.field%d", i), cut, oldold[i]);
    }
    check_errno("olduname.efault", syscall(SYS_olduname, (void *)8), EFAULT);
    check_errno("oldolduname.efault", syscall(SYS_oldolduname, (void *)8), EFAULT);
}

static void test_sysfs(void)
{
    static char list[8192];
    long len = read_file("/proc/filesystems", list, sizeof list - 1);
    check(len > 0, "sysfs.proc_filesystems", "read: %s", errname(errno));
    if (len <= 0)
        return;
    list[len] = 0;
    long count = syscall(SYS_sysfs, 3);
    int i = 0;
    for (char *line = strtok(list, "\n"); line; line = strtok(0, "\n"), i++) {
        char *name = strchr(line, '\t');
        name = name ? name + 1 : line;
        char got[256] = "";
        long r = syscall(SYS_sysfs, 2, i, got);
        check(r == 0 && strcmp(got, name) == 0, tname("sysfs.name_of_%d", i),
              "%ld %s: '%s', /proc/filesystems '%s'", r, errname(errno), got, name);
        check_eq(tname("sysfs.index_of_%s", name), i, syscall(SYS_sysfs, 1, name));
    }
    check_eq("sysfs.count", i, count);
    char got[256];
    check_errno("sysfs.index_past", syscall(SYS_sysfs, 2, count, got), EINVAL);
    check_errno("sysfs.name_efault", syscall(SYS_sysfs, 2, 0, (void *)8), EFAULT);
    check_errno("sysfs.no_such_name", syscall(SYS_sysfs, 1, "nosuchfs"), EINVAL);
    check_errno("sysfs.index_efault", syscall(SYS_sysfs, 1, (void *)8), EFAULT);
    check_errno("sysfs.option0", syscall(SYS_sysfs, 0), EINVAL);
    check_errno("sysfs.option4", syscall(SYS_sysfs, 4), EINVAL);
}

#define NR_pidfd_open 434
#define NR_pidfd_getfd 438

static void test_pidfd_getfd(void)
{
    long before = memfree_start();
    const char *path = scratch_path("small_calls.getfd");
    int ready[2];
    if (pipe(ready) != 0) {
        fail("getfd.pipe", "%s", errname(errno));
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
        if (f < 0 || dup2(f, 50) != 50 || lseek(50, 1234, SEEK_SET) != 1234)
            _exit(1);
        write(ready[1], "r", 1);
        pause();
        _exit(0);
    }
    char c;
    check(pid > 0 && read(ready[0], &c, 1) == 1, "getfd.child_ready", "%s", errname(errno));
    int pidfd = (int)syscall(NR_pidfd_open, pid, 0);
    int fd = (int)syscall(NR_pidfd_getfd, pidfd, 50, 0);
    check(fd >= 0 && lseek(fd, 0, SEEK_CUR) == 1234, "getfd.shared_offset", "fd %d: %s", fd,
          errname(errno));
    check(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "getfd.cloexec", "F_GETFD %d",
          fcntl(fd, F_GETFD));
    if (fd >= 0)
        close(fd);
    check_errno("getfd.flags", syscall(NR_pidfd_getfd, pidfd, 50, 1), EINVAL);
    check_errno("getfd.not_open", syscall(NR_pidfd_getfd, pidfd, 51, 0), EBADF);
    check_errno("getfd.bad_pidfd", syscall(NR_pidfd_getfd, 999, 50, 0), EBADF);
    check_errno("getfd.not_pidfd", syscall(NR_pidfd_getfd, ready[0], 50, 0), EBADF);
    kill(pid, SIGKILL);
    // A zombie has no descriptors left: ESRCH, as for a reaped process.
    struct pollfd pfd = { pidfd, POLLIN, 0 };
    poll(&pfd, 1, 5000);
    check_errno("getfd.zombie", syscall(NR_pidfd_getfd, pidfd, 50, 0), ESRCH);
    waitpid(pid, 0, 0);
    check_errno("getfd.reaped", syscall(NR_pidfd_getfd, pidfd, 50, 0), ESRCH);
    close(pidfd);
    // Its own process: always allowed.
    int self = (int)syscall(NR_pidfd_open, getpid(), 0);
    fd = (int)syscall(NR_pidfd_getfd, self, ready[1], 0);
    check(fd >= 0 && write(fd, "s", 1) == 1 && read(ready[0], &c, 1) == 1 && c == 's',
          "getfd.self", "fd %d: %s", fd, errname(errno));
    if (fd >= 0)
        close(fd);
    close(self);
    // A user may not look into root's process.
    if (getuid() == 0) {
        pid = fork();
        if (pid == 0) {
            if (setuid(65534) != 0)
                _exit(1);
            int pfd2 = (int)syscall(NR_pidfd_open, getppid(), 0);
            long r = syscall(NR_pidfd_getfd, pfd2, 0, 0);
            _exit(pfd2 >= 0 && r == -1 && errno == EPERM ? 0 : 2);
        }
        int status = -1;
        check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
                  WEXITSTATUS(status) == 0,
              "getfd.eperm", "status %s", status_str(status));
    }
    close(ready[0]);
    close(ready[1]);
    unlink(path);
    memfree_check("getfd.memfree", before);
}

static long vm_rw(int write, pid_t pid, struct iovec *l, int lcnt, struct iovec *r, int rcnt,
                  unsigned long flags)
{
    return syscall(write ? 348 : 347, pid, l, lcnt, r, rcnt, flags);
}

static void test_process_vm(void)
{
    long before = memfree_start();
    // Two pages mapped, one unmapped after them, a read-only one.
    char *m = mmap(0, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        fail("vm.mmap", "%s", errname(errno));
        return;
    }
    memset(m, 'p', 4 * 4096);
    munmap(m + 2 * 4096, 4096);
    mprotect(m + 3 * 4096, 4096, PROT_READ);
    int ready[2];
    if (pipe(ready) != 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        memset(m, 'c', 2 * 4096);
        write(ready[1], "r", 1);
        pause();
        _exit(0);
    }
    char c;
    check(pid > 0 && read(ready[0], &c, 1) == 1, "vm.child_ready", "%s", errname(errno));
    char buf[64];
    memset(buf, 0, sizeof buf);
    struct iovec l = { buf, 40 }, r = { m + 100, 40 };
    check_eq("vm.read", 40, vm_rw(0, pid, &l, 1, &r, 1, 0));
    check(buf[0] == 'c' && buf[39] == 'c', "vm.read_child_bytes", "'%c' '%c'", buf[0], buf[39]);
    struct iovec w = { "hello", 5 }, rw = { m + 4096 - 2, 5 };
    check_eq("vm.write", 5, vm_rw(1, pid, &w, 1, &rw, 1, 0));
    memset(buf, 0, sizeof buf);
    l.iov_len = 5;
    check_eq("vm.read_back", 5, vm_rw(0, pid, &l, 1, &rw, 1, 0));
    check(memcmp(buf, "hello", 5) == 0, "vm.wrote_child", "'%.5s'", buf);
    check(m[4096 - 2] == 'p', "vm.parent_untouched", "'%c'", m[4096 - 2]);
    // Two local iovecs filled from one remote, and the other way.
    char a[10], b[20];
    struct iovec two[2] = { { a, 10 }, { b, 20 } }, one = { m, 30 };
    check_eq("vm.scatter", 30, vm_rw(0, pid, two, 2, &one, 1, 0));
    struct iovec rtwo[2] = { { m, 5 }, { m + 4096, 5 } };
    l.iov_len = 64;
    check_eq("vm.gather", 10, vm_rw(0, pid, &l, 1, rtwo, 2, 0));
    // Partial: the bytes before the unmapped page; none: EFAULT.
    struct iovec edge = { m + 2 * 4096 - 10, 20 };
    check_eq("vm.partial_read", 10, vm_rw(0, pid, &l, 1, &edge, 1, 0));
    check_eq("vm.partial_write", 10, vm_rw(1, pid, &l, 1, &edge, 1, 0));
    struct iovec hole = { m + 2 * 4096, 10 };
    check_errno("vm.hole_read", vm_rw(0, pid, &l, 1, &hole, 1, 0), EFAULT);
    struct iovec after_hole[2] = { { m, 5 }, { m + 2 * 4096, 5 } };
    check_eq("vm.stops_at_hole", 5, vm_rw(0, pid, &l, 1, after_hole, 2, 0));
    struct iovec ro = { m + 3 * 4096, 10 };
    check_eq("vm.read_readonly", 10, vm_rw(0, pid, &l, 1, &ro, 1, 0));
    check_errno("vm.write_readonly", vm_rw(1, pid, &l, 1, &ro, 1, 0), EFAULT);
    struct iovec badl = { (void *)8, 10 };
    check_errno("vm.local_efault", vm_rw(0, pid, &badl, 1, &r, 1, 0), EFAULT);
    check_errno("vm.iov_efault", vm_rw(0, pid, (void *)8, 1, &r, 1, 0), EFAULT);
    check_errno("vm.flags", vm_rw(0, pid, &l, 1, &r, 1, 1), EINVAL);
    check_errno("vm.too_many", vm_rw(0, pid, &l, 1025, &r, 1, 0), EINVAL);
    check_eq("vm.nothing", 0, vm_rw(0, pid, &l, 0, &r, 1, 0));
    kill(pid, SIGKILL);
    waitpid(pid, 0, 0);
    check_errno("vm.esrch", vm_rw(0, pid, &l, 1, &r, 1, 0), ESRCH);
    // Its own memory.
    struct iovec self = { m + 200, 8 };
    l.iov_len = 8;
    check_eq("vm.self", 8, vm_rw(0, getpid(), &l, 1, &self, 1, 0));
    if (getuid() == 0) {
        pid = fork();
        if (pid == 0) {
            if (setuid(65534) != 0)
                _exit(1);
            long r2 = vm_rw(0, getppid(), &l, 1, &self, 1, 0);
            _exit(r2 == -1 && errno == EPERM ? 0 : 2);
        }
        int status = -1;
        check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
                  WEXITSTATUS(status) == 0,
              "vm.eperm", "status %s", status_str(status));
    }
    close(ready[0]);
    close(ready[1]);
    munmap(m, 4 * 4096);
    memfree_check("vm.memfree", before);
}

int main(void)
{
    test_futex_time64();
    test_clone3();
    test_get_thread_area();
    test_olduname();
    test_sysfs();
    test_pidfd_getfd();
    test_process_vm();
    return test_status();
}
