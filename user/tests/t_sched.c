// t_sched: the scheduling policy calls (sched_setscheduler and its family),
// nice, personality, membarrier and arch_prctl, as Linux answers them: one
// check per rule and error. The privileged parts run in a child (root here
// and on the host; the policy stays with that child); the unprivileged ones
// in a child that became an ordinary user. bunshin keeps a policy and a
// priority but schedules every thread alike (kernel/sched_policy.c).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

#define RESET_ON_FORK 0x40000000

static long setsched(int pid, int policy, int prio)
{
    return syscall(SYS_sched_setscheduler, pid, policy, &prio);
}

static void test_queries(void)
{
    check_eq("sched.max_fifo", 99, syscall(SYS_sched_get_priority_max, SCHED_FIFO));
    check_eq("sched.max_rr", 99, syscall(SYS_sched_get_priority_max, SCHED_RR));
    check_eq("sched.min_rr", 1, syscall(SYS_sched_get_priority_min, SCHED_RR));
    check_eq("sched.max_other", 0, syscall(SYS_sched_get_priority_max, SCHED_OTHER));
    check_eq("sched.min_batch", 0, syscall(SYS_sched_get_priority_min, SCHED_BATCH));
    check_eq("sched.max_idle", 0, syscall(SYS_sched_get_priority_max, SCHED_IDLE));
    check_errno("sched.max_einval", syscall(SYS_sched_get_priority_max, 4), EINVAL);
    check_errno("sched.min_einval", syscall(SYS_sched_get_priority_min, -1), EINVAL);
    check_eq("sched.getscheduler_self", SCHED_OTHER, syscall(SYS_sched_getscheduler, 0));
    check_eq("sched.getscheduler_pid", SCHED_OTHER, syscall(SYS_sched_getscheduler, getpid()));
    check_errno("sched.getscheduler_einval", syscall(SYS_sched_getscheduler, -1), EINVAL);
    check_errno("sched.getscheduler_esrch", syscall(SYS_sched_getscheduler, 999999), ESRCH);
    int prio = 7;
    check(syscall(SYS_sched_getparam, 0, &prio) == 0 && prio == 0, "sched.getparam",
          "%s prio %d", errname(errno), prio);
    check_errno("sched.getparam_null", syscall(SYS_sched_getparam, 0, 0), EINVAL);
    check_errno("sched.getparam_efault", syscall(SYS_sched_getparam, 0, (void *)8), EFAULT);
    check_errno("sched.getparam_esrch", syscall(SYS_sched_getparam, 999999, &prio), ESRCH);
    check_errno("sched.getparam_einval", syscall(SYS_sched_getparam, -5, &prio), EINVAL);
    int32_t ts[2] = { -1, -1 };
    check(syscall(SYS_sched_rr_get_interval, 0, ts) == 0 && ts[0] == 0 && ts[1] == 0,
          "sched.rr_interval_other", "%s %d.%09d", errname(errno), ts[0], ts[1]);
    check_errno("sched.rr_interval_efault", syscall(SYS_sched_rr_get_interval, 0, (void *)8), EFAULT);
    check_errno("sched.rr_interval_esrch", syscall(SYS_sched_rr_get_interval, 999999, ts), ESRCH);
    check_errno("sched.rr_interval_einval", syscall(SYS_sched_rr_get_interval, -1, ts), EINVAL);
    int64_t ts64[2] = { -1, -1 };
    check(syscall(423, 0, ts64) == 0 && ts64[0] == 0 && ts64[1] == 0, "sched.rr_interval_time64",
          "%s", errname(errno));

    // Bad requests, refused before any privilege matters.
    check_eq("sched.set_other", 0, setsched(0, SCHED_OTHER, 0));
    check_errno("sched.other_prio", setsched(0, SCHED_OTHER, 1), EINVAL);
    check_errno("sched.fifo_prio0", setsched(0, SCHED_FIFO, 0), EINVAL);
    check_errno("sched.fifo_prio100", setsched(0, SCHED_FIFO, 100), EINVAL);
    check_errno("sched.bad_policy", setsched(0, 4, 0), EINVAL);
    check_errno("sched.negative_policy", setsched(0, -1, 0), EINVAL);
    check_errno("sched.deadline", setsched(0, 6, 0), EINVAL);
    check_errno("sched.null_param", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, 0), EINVAL);
    check_errno("sched.efault", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, (void *)8), EFAULT);
    check_errno("sched.esrch", setsched(999999, SCHED_OTHER, 0), ESRCH);
    check_errno("sched.negative_pid", setsched(-1, SCHED_OTHER, 0), EINVAL);
    prio = 1;
    check_errno("sched.setparam_other", syscall(SYS_sched_setparam, 0, &prio), EINVAL);
    prio = 0;
    check_eq("sched.setparam_zero", 0, syscall(SYS_sched_setparam, 0, &prio));
    check_eq("sched.batch", 0, setsched(0, SCHED_BATCH, 0));
    check_eq("sched.batch_read", SCHED_BATCH, syscall(SYS_sched_getscheduler, 0));
    check_eq("sched.back_to_other", 0, setsched(0, SCHED_OTHER, 0));
}

// Privileged: real-time policies, kept and read back; reset-on-fork.
static void privileged(void *arg)
{
    (void)arg;
    check_eq("sched.root_fifo", 0, setsched(0, SCHED_FIFO, 10));
    check_eq("sched.root_fifo_read", SCHED_FIFO, syscall(SYS_sched_getscheduler, 0));
    int prio = 0;
    check(syscall(SYS_sched_getparam, 0, &prio) == 0 && prio == 10, "sched.root_fifo_prio",
          "prio %d", prio);
    prio = 20;
    check_eq("sched.root_setparam", 0, syscall(SYS_sched_setparam, 0, &prio));
    check(syscall(SYS_sched_getparam, 0, &prio) == 0 && prio == 20, "sched.root_setparam_read",
          "prio %d", prio);
    check_errno("sched.root_setparam_zero", (prio = 0, syscall(SYS_sched_setparam, 0, &prio)),
                EINVAL);
    check_eq("sched.root_rr", 0, setsched(0, SCHED_RR | RESET_ON_FORK, 5));
    check_eq("sched.root_rr_read", SCHED_RR | RESET_ON_FORK, syscall(SYS_sched_getscheduler, 0));
    int32_t ts[2] = { 0, 0 };
    check(syscall(SYS_sched_rr_get_interval, 0, ts) == 0 && ts[0] == 0 && ts[1] > 0 &&
          ts[1] < 1000000000, "sched.rr_interval_rr", "%d.%09d", ts[0], ts[1]);
    check_eq("sched.nice_raise", 0, setpriority(PRIO_PROCESS, 0, -5));
    pid_t c = xfork();
    if (c == 0) {
        int p = -1;
        int ok_ = syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER &&
                  syscall(SYS_sched_getparam, 0, &p) == 0 && p == 0 &&
                  getpriority(PRIO_PROCESS, 0) == 0;
        _exit(ok_ ? 0 : 1);
    }
    check(exited_with(wait_for(c), 0), "sched.reset_on_fork",
          "the child kept a real-time policy or a negative nice value");
    check_eq("sched.root_back", 0, setsched(0, SCHED_OTHER | RESET_ON_FORK, 0));
}

// Unprivileged: no real-time policy (RLIMIT_RTPRIO 0), not another user's
// process, nice only up.
static void unprivileged(void *arg)
{
    (void)arg;
    struct rlimit rl = { 0, 0 };
    setrlimit(RLIMIT_RTPRIO, &rl);
    setrlimit(RLIMIT_NICE, &rl);
    if (become(65534, 65534) < 0) {
        fail("sched.user_become", "%s", cred_error());
        return;
    }
    check_errno("sched.user_fifo", setsched(0, SCHED_FIFO, 1), EPERM);
    check_errno("sched.user_rr", setsched(0, SCHED_RR, 1), EPERM);
    check_eq("sched.user_other", 0, setsched(0, SCHED_OTHER, 0));
    check_errno("sched.user_other_pid1", setsched(1, SCHED_OTHER, 0), EPERM);
    check_eq("sched.user_idle", 0, setsched(0, SCHED_IDLE, 0));
    check_errno("sched.user_leave_idle", setsched(0, SCHED_OTHER, 0), EPERM);
    long pid1 = syscall(SYS_sched_getscheduler, 1);        // anyone may read it
    check(pid1 >= 0 && (pid1 & ~RESET_ON_FORK) == SCHED_OTHER, "sched.user_getscheduler_pid1",
          "%ld %s", pid1, errname(errno));
    check_eq("nice.user_up", 0, syscall(SYS_nice, 5));
    check_eq("nice.user_read", 5, getpriority(PRIO_PROCESS, 0));
    check_eq("nice.user_clamped", 0, syscall(SYS_nice, 100));
    check_eq("nice.user_max", 19, getpriority(PRIO_PROCESS, 0));
    check_errno("nice.user_down", syscall(SYS_nice, -1), EPERM);
    check_eq("nice.user_zero", 0, syscall(SYS_nice, 0));
}

static void test_nice_root(void *arg)
{
    (void)arg;
    int start = getpriority(PRIO_PROCESS, 0);
    check_eq("nice.root_down", 0, syscall(SYS_nice, -3));
    check_eq("nice.root_read", start - 3 < -20 ? -20 : start - 3, getpriority(PRIO_PROCESS, 0));
    check_eq("nice.root_clamp_low", 0, syscall(SYS_nice, -100));
    check_eq("nice.root_min", -20, getpriority(PRIO_PROCESS, 0));
}

static void test_personality(void)
{
    long old = syscall(SYS_personality, 0xffffffff);
    check_eq("personality.linux", 0, old & 0xff);
    check_eq("personality.set", old, syscall(SYS_personality, old | 0x0040000));
    check_eq("personality.query", old | 0x0040000, syscall(SYS_personality, 0xffffffff));
    check_eq("personality.any_value", old | 0x0040000, syscall(SYS_personality, 0x12345678));
    check_eq("personality.kept", 0x12345678, syscall(SYS_personality, old));
    check_eq("personality.restored", old, syscall(SYS_personality, 0xffffffff));
}

static void test_membarrier(void)
{
    long q = syscall(SYS_membarrier, 0, 0, 0);
    check(q > 0 && (q & 0x1f) == 0x1f, "membarrier.query", "%ld %s", q, errname(errno));
    check_errno("membarrier.query_flags", syscall(SYS_membarrier, 0, 1, 0), EINVAL);
    check_eq("membarrier.global", 0, syscall(SYS_membarrier, 1, 0, 0));
    check_errno("membarrier.unregistered", syscall(SYS_membarrier, 8, 0, 0), EPERM);
    check_eq("membarrier.register", 0, syscall(SYS_membarrier, 16, 0, 0));
    check_eq("membarrier.private", 0, syscall(SYS_membarrier, 8, 0, 0));
    check_errno("membarrier.two_bits", syscall(SYS_membarrier, 3, 0, 0), EINVAL);
    check_errno("membarrier.unknown", syscall(SYS_membarrier, 1 << 20, 0, 0), EINVAL);
    check_errno("membarrier.private_flags", syscall(SYS_membarrier, 8, 1, 0), EINVAL);
    if (q & 512) {
        long r = syscall(SYS_membarrier, 512, 0, 0);
        check(r >= 0 && (r & 16), "membarrier.registrations", "%ld", r);
    } else {
        skip("membarrier.registrations", "no MEMBARRIER_CMD_GET_REGISTRATIONS here");
    }
}

static void test_arch_prctl(void)
{
    check_eq("arch_prctl.get_cpuid", 1, syscall(384, 0x1011, 0));
    check_errno("arch_prctl.set_fs", syscall(384, 0x1002, 0), EINVAL);
    check_errno("arch_prctl.get_fs", syscall(384, 0x1003, 0), EINVAL);
    check_errno("arch_prctl.unknown", syscall(384, 0x9999, 0), EINVAL);
}

// capget and capset: the version handshake, and the sets of root and of
// an ordinary user (none).
struct cap_header { uint32_t version; int pid; };
struct cap_data { uint32_t effective, permitted, inheritable; };
#define CAP_V1 0x19980330
#define CAP_V3 0x20080522

static void test_capget(void)
{
    struct cap_header h = { 0x12345, 0 };
    struct cap_data d[2];
    check(syscall(SYS_capget, &h, 0) == 0 && h.version == CAP_V3, "capget.probe",
          "%s version %#x", errname(errno), h.version);
    h.version = 0x12345;
    check(syscall(SYS_capget, &h, d) < 0 && errno == EINVAL && h.version == CAP_V3,
          "capget.bad_version", "%s version %#x", errname(errno), h.version);
    memset(d, 0x5A, sizeof d);
    h = (struct cap_header){ CAP_V3, 0 };
    check(syscall(SYS_capget, &h, d) == 0 && d[0].effective != 0 && d[0].permitted != 0 &&
          d[0].inheritable == 0 && d[1].inheritable == 0, "capget.root",
          "%s eff %#x perm %#x inh %#x", errname(errno), d[0].effective, d[0].permitted,
          d[0].inheritable);
    if (on_bunshin())
        check(d[0].effective == 0xFFFFFFFF && d[1].effective == 0x1FF &&
              d[1].permitted == 0x1FF, "capget.root_all", "%#x %#x", d[0].effective,
              d[1].effective);
    else
        skip("capget.root_all", "a container's root may lack some capabilities");
    struct cap_data v1[2];
    memset(v1, 0x5A, sizeof v1);
    h = (struct cap_header){ CAP_V1, 0 };
    check(syscall(SYS_capget, &h, v1) == 0 && v1[0].effective == d[0].effective &&
          v1[1].effective == 0x5A5A5A5A, "capget.v1_one_word", "%#x %#x", v1[0].effective,
          v1[1].effective);
    h = (struct cap_header){ CAP_V3, getpid() };
    check_eq("capget.own_pid", 0, syscall(SYS_capget, &h, d));
    h.pid = -1;
    check_errno("capget.negative_pid", syscall(SYS_capget, &h, d), EINVAL);
    h.pid = 999999;
    check_errno("capget.esrch", syscall(SYS_capget, &h, d), ESRCH);
    h.pid = 0;
    check_errno("capget.efault_header", syscall(SYS_capget, (void *)8, d), EFAULT);
    check_errno("capget.efault_data", syscall(SYS_capget, &h, (void *)8), EFAULT);
    // capset: the sets it has are accepted; another process is EPERM.
    check(syscall(SYS_capget, &h, d) == 0 && syscall(SYS_capset, &h, d) == 0, "capset.same",
          "%s", errname(errno));
    h.pid = 1;
    check_errno("capset.other_pid", syscall(SYS_capset, &h, d), EPERM);
    h = (struct cap_header){ 0x12345, 0 };
    check_errno("capset.bad_version", syscall(SYS_capset, &h, d), EINVAL);
    h = (struct cap_header){ CAP_V3, 0 };
    check_errno("capset.efault", syscall(SYS_capset, &h, (void *)8), EFAULT);
}

static void capset_user(void *arg)
{
    (void)arg;
    if (become(65534, 65534) < 0) {
        fail("capget.user_become", "%s", cred_error());
        return;
    }
    struct cap_header h = { CAP_V3, 0 };
    struct cap_data d[2];
    memset(d, 0x5A, sizeof d);
    check(syscall(SYS_capget, &h, d) == 0 && !d[0].effective && !d[0].permitted &&
          !d[1].effective && !d[1].permitted, "capget.user_none", "eff %#x perm %#x",
          d[0].effective, d[0].permitted);
    d[0].permitted = d[0].effective = 1;
    check_errno("capset.user_raise", syscall(SYS_capset, &h, d), EPERM);
    memset(d, 0, sizeof d);
    check_eq("capset.user_none", 0, syscall(SYS_capset, &h, d));
}

// unshare: a CLONE_FILES child stops sharing the table, then closes a
// descriptor: the parent's stays open (and without unshare it would not).
static int fd_to_close;
static char clone_stack[2][16384] __attribute__((aligned(16)));

static int close_shared(void *arg)
{
    if (arg && syscall(SYS_unshare, CLONE_FILES) != 0)
        return 2;
    close(fd_to_close);
    return 0;
}

static void test_unshare(void)
{
    check_eq("unshare.nothing", 0, syscall(SYS_unshare, 0));
    check_eq("unshare.files_not_shared", 0, syscall(SYS_unshare, CLONE_FILES));
    check_eq("unshare.fs_not_shared", 0, syscall(SYS_unshare, CLONE_FS));
    check_eq("unshare.thread_alone", 0, syscall(SYS_unshare, CLONE_THREAD | CLONE_SIGHAND | CLONE_VM));
    check_errno("unshare.signal_bits", syscall(SYS_unshare, SIGCHLD), EINVAL);
    check_errno("unshare.clone_vfork", syscall(SYS_unshare, CLONE_VFORK), EINVAL);
    for (int with_unshare = 1; with_unshare >= 0; with_unshare--) {
        fd_to_close = dup(0);
        pid_t c = clone(close_shared, clone_stack[with_unshare] + sizeof clone_stack[0],
                        CLONE_FILES | SIGCHLD, with_unshare ? (void *)1 : 0);
        int st = wait_for(c);
        int open_after = fcntl(fd_to_close, F_GETFD) >= 0;
        check(c > 0 && exited_with(st, 0) && open_after == with_unshare,
              with_unshare ? "unshare.files_copied" : "unshare.files_shared_control",
              "child %d %s; descriptor %s in the parent", c, status_str(st),
              open_after ? "still open" : "closed");
        close(fd_to_close);
    }
}

static void unshare_user(void *arg)
{
    (void)arg;
    if (become(65534, 65534) < 0) {
        fail("unshare.user_become", "%s", cred_error());
        return;
    }
    check_errno("unshare.user_newns", syscall(SYS_unshare, CLONE_NEWNS), EPERM);
    check_errno("unshare.user_newuts", syscall(SYS_unshare, CLONE_NEWUTS), EPERM);
    check_errno("unshare.user_newnet", syscall(SYS_unshare, CLONE_NEWNET), EPERM);
}

// sched_getattr and sched_setattr: struct sched_attr's sizes, a nice value
// through it, the flags, and SCHED_DEADLINE's parameter checks.
struct attr {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
};

static void test_attr(void *arg)
{
    (void)arg;
    struct attr a;
    memset(&a, 0x5A, sizeof a);
    check(syscall(SYS_sched_getattr, 0, &a, sizeof a, 0) == 0 && a.size == 56 &&
          a.policy == SCHED_OTHER && a.priority == 0, "sched_attr.get",
          "%s size %u policy %u", errname(errno), a.size, a.policy);
    char big[64];
    memset(big, 0x5A, sizeof big);
    long r = syscall(SYS_sched_getattr, 0, big, 64, 0);
    uint32_t got;
    memcpy(&got, big, sizeof got);
    check(r == 0 && got == 56 && big[60] == 0, "sched_attr.get_larger",
          "%ld %s size %u", r, errname(errno), got);
    check_errno("sched_attr.get_small", syscall(SYS_sched_getattr, 0, &a, 40, 0), EINVAL);
    check_errno("sched_attr.get_flags", syscall(SYS_sched_getattr, 0, &a, 56, 1), EINVAL);
    check_errno("sched_attr.get_esrch", syscall(SYS_sched_getattr, 999999, &a, 56, 0), ESRCH);
    check_errno("sched_attr.get_efault", syscall(SYS_sched_getattr, 0, (void *)8, 56, 0), EFAULT);
    memset(&a, 0, sizeof a);
    a.size = 48;
    a.policy = SCHED_OTHER;
    a.nice = 7;
    check_eq("sched_attr.set_nice", 0, syscall(SYS_sched_setattr, 0, &a, 0));
    check_eq("sched_attr.nice_read", 7, getpriority(PRIO_PROCESS, 0));
    struct attr g;
    check(syscall(SYS_sched_getattr, 0, &g, sizeof g, 0) == 0 && g.nice == 7,
          "sched_attr.get_nice", "nice %d", g.nice);
    a.size = 0;                                 // 0: the first version's size
    a.nice = 3;
    check_eq("sched_attr.size_zero", 0, syscall(SYS_sched_setattr, 0, &a, 0));
    a.size = 40;
    check(syscall(SYS_sched_setattr, 0, &a, 0) < 0 && errno == E2BIG && a.size == 56,
          "sched_attr.too_small", "%s size %u", errname(errno), a.size);
    memset(big, 0, sizeof big);
    a.size = 64;
    memcpy(big, &a, sizeof a);
    big[63] = 1;
    check_errno("sched_attr.nonzero_tail", syscall(SYS_sched_setattr, 0, big, 0), E2BIG);
    a.size = 48;
    check_errno("sched_attr.flags_arg", syscall(SYS_sched_setattr, 0, &a, 1), EINVAL);
    a.flags = 0x80;
    check_errno("sched_attr.unknown_flag", syscall(SYS_sched_setattr, 0, &a, 0), EINVAL);
    a.flags = 0x20;                             // a clamp needs the second version
    check_errno("sched_attr.clamp_v0", syscall(SYS_sched_setattr, 0, &a, 0), EINVAL);
    a.flags = 0;
    a.policy = SCHED_FIFO;
    a.priority = 0;
    check_errno("sched_attr.fifo_prio0", syscall(SYS_sched_setattr, 0, &a, 0), EINVAL);
    a.policy = 6;                               // SCHED_DEADLINE, no parameters
    check_errno("sched_attr.deadline_params", syscall(SYS_sched_setattr, 0, &a, 0), EINVAL);
    a.policy = SCHED_OTHER;
    check_errno("sched_attr.esrch", syscall(SYS_sched_setattr, 999999, &a, 0), ESRCH);
    check_errno("sched_attr.null", syscall(SYS_sched_setattr, 0, 0, 0), EINVAL);
    check_errno("sched_attr.efault", syscall(SYS_sched_setattr, 0, (void *)8, 0), EFAULT);
    a.flags = 0x10;                             // KEEP_PARAMS: the nice value stays
    a.nice = -10;
    check(syscall(SYS_sched_setattr, 0, &a, 0) == 0 && getpriority(PRIO_PROCESS, 0) == 3,
          "sched_attr.keep_params", "%s nice %d", errname(errno), getpriority(PRIO_PROCESS, 0));
}

// pidfd_open and pidfd_send_signal: a descriptor that turns readable when
// its process ends, and signals that reach only that process.
static void test_pidfd(void)
{
    int go[2];
    pipe(go);
    pid_t c = xfork();
    if (c == 0) {
        char b;
        close(go[1]);
        read(go[0], &b, 1);            // until the parent closes its end
        _exit(0);
    }
    close(go[0]);
    int fd = syscall(SYS_pidfd_open, c, 0);
    check(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "pidfd.open", "%d %s", fd, errname(errno));
    struct pollfd pfd = { fd, POLLIN, 0 };
    check_eq("pidfd.running_not_readable", 0, poll(&pfd, 1, 0));
    char b;
    check_errno("pidfd.read", read(fd, &b, 1), EINVAL);
    check_eq("pidfd.signal_zero", 0, syscall(SYS_pidfd_send_signal, fd, 0, 0, 0));
    check_errno("pidfd.signal_flags", syscall(SYS_pidfd_send_signal, fd, 0, 0, 8), EINVAL);
    check_errno("pidfd.signal_two_scopes", syscall(SYS_pidfd_send_signal, fd, 0, 0, 3), EINVAL);
    check_eq("pidfd.signal_thread", 0, syscall(SYS_pidfd_send_signal, fd, 0, 0, 1));
    check_errno("pidfd.signal_bad_sig", syscall(SYS_pidfd_send_signal, fd, 99, 0, 0), EINVAL);
    check_errno("pidfd.signal_not_pidfd", syscall(SYS_pidfd_send_signal, go[1], 0, 0, 0), EBADF);
    check_errno("pidfd.signal_ebadf", syscall(SYS_pidfd_send_signal, 999, 0, 0, 0), EBADF);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR1;
    si.si_code = SI_QUEUE;
    check_errno("pidfd.signal_info_mismatch", syscall(SYS_pidfd_send_signal, fd, SIGTERM, &si, 0),
                EINVAL);
    check_eq("pidfd.signal_term", 0, syscall(SYS_pidfd_send_signal, fd, SIGTERM, 0, 0));
    pfd.revents = 0;
    check(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN), "pidfd.readable_at_exit",
          "revents %#x", pfd.revents);
    check_eq("pidfd.signal_zombie", 0, syscall(SYS_pidfd_send_signal, fd, 0, 0, 0));
    int st = wait_for(c);
    check(killed_by(st, SIGTERM), "pidfd.child_killed", "%s", status_str(st));
    check_errno("pidfd.signal_reaped", syscall(SYS_pidfd_send_signal, fd, SIGTERM, 0, 0), ESRCH);
    pfd.revents = 0;
    check(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN), "pidfd.readable_after_reap",
          "revents %#x", pfd.revents);
    close(fd);
    close(go[1]);
    check_errno("pidfd.open_esrch", syscall(SYS_pidfd_open, c, 0), ESRCH);
    check_errno("pidfd.open_zero", syscall(SYS_pidfd_open, 0, 0), EINVAL);
    check_errno("pidfd.open_negative", syscall(SYS_pidfd_open, -1, 0), EINVAL);
    check_errno("pidfd.open_flags", syscall(SYS_pidfd_open, getpid(), 1), EINVAL);
    fd = syscall(SYS_pidfd_open, getpid(), O_NONBLOCK);
    check(fd >= 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK), "pidfd.open_nonblock", "%s",
          errname(errno));
    if (fd >= 0)
        close(fd);
}

// kcmp: which kernel objects two processes share.
static void test_kcmp(void)
{
    pid_t me = getpid();
    long r = syscall(SYS_kcmp, me, me, 1, 0, 0);
    if (r < 0 && errno == ENOSYS) {
        skip("kcmp.all", "this kernel has no kcmp (CONFIG_KCMP)");
        return;
    }
    check_eq("kcmp.self_vm", 0, r);
    for (int type = 2; type <= 6; type++)
        check_eq(tname("kcmp.self_type_%d", type), 0, syscall(SYS_kcmp, me, me, type, 0, 0));
    int d = dup(0), p[2];
    pipe(p);
    check_eq("kcmp.file_dup", 0, syscall(SYS_kcmp, me, me, 0, 0, d));
    r = syscall(SYS_kcmp, me, me, 0, p[0], p[1]);
    check(r == 1 || r == 2, "kcmp.file_other", "%ld %s", r, errname(errno));
    long back = syscall(SYS_kcmp, me, me, 0, p[1], p[0]);
    check(back == 3 - r, "kcmp.file_order", "%ld then %ld", r, back);
    check_errno("kcmp.ebadf", syscall(SYS_kcmp, me, me, 0, 0, 999), EBADF);
    check_errno("kcmp.einval", syscall(SYS_kcmp, me, me, 99, 0, 0), EINVAL);
    check_errno("kcmp.esrch", syscall(SYS_kcmp, me, 999999, 1, 0, 0), ESRCH);
    pid_t c = xfork();
    if (c == 0) {
        char b;
        close(p[1]);
        read(p[0], &b, 1);
        _exit(0);
    }
    close(p[0]);
    r = syscall(SYS_kcmp, me, c, 1, 0, 0);
    check(r == 1 || r == 2, "kcmp.child_vm", "%ld %s", r, errname(errno));
    r = syscall(SYS_kcmp, me, c, 2, 0, 0);
    check(r == 1 || r == 2, "kcmp.child_files", "%ld %s", r, errname(errno));
    check_eq("kcmp.child_inherited_file", 0, syscall(SYS_kcmp, me, c, 0, d, d));
    close(p[1]);
    wait_for(c);
    close(d);
}

int main(void)
{
    long before = memfree_start();
    test_queries();
    check(exited_with(run_child(privileged, 0), 0), "sched.privileged_child", "failed");
    check(exited_with(run_child(test_nice_root, 0), 0), "nice.root_child", "failed");
    check(exited_with(run_child(unprivileged, 0), 0), "sched.unprivileged_child", "failed");
    test_personality();
    test_membarrier();
    test_arch_prctl();
    test_capget();
    test_unshare();
    test_pidfd();
    test_kcmp();
    check(exited_with(run_child(test_attr, 0), 0), "sched_attr.child", "failed");
    check(exited_with(run_child(unshare_user, 0), 0), "unshare.user_child", "failed");
    check(exited_with(run_child(capset_user, 0), 0), "capget.user_child", "failed");
    memfree_check("sched.memfree", before);
    return test_status();
}
