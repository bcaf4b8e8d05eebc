// t_nice: getpriority and setpriority (what nice, renice and ps -o nice
// use). A nice value per thread, -20..19, clamped there; fork copies it;
// the raw getpriority answers 20 - nice; /proc/<pid>/stat shows it as
// fields 18 (20 + nice) and 19; PRIO_PROCESS, PRIO_PGRP and PRIO_USER name
// a thread, a process group, a user's threads. Anyone may raise a value;
// lowering it takes privilege (or RLIMIT_NICE, 0 by default), and changing
// another user's takes privilege (EACCES, EPERM). Bad which: EINVAL; no
// such target: ESRCH. And I/O priorities (ioprio_get, ioprio_set: ionice):
// a class and a level per thread, none at first, copied by fork; the same
// three targets; bad classes and levels EINVAL, the real-time class and
// another user's threads EPERM without root.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"

// Linux's <linux/ioprio.h>, which musl does not wrap.
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP    2
#define IOPRIO(class, level) (((class) << 13) | (level))
#define CLASS_NONE 0
#define CLASS_RT   1
#define CLASS_BE   2
#define CLASS_IDLE 3

static long ioprio_get(int which, int who)
{
    return syscall(SYS_ioprio_get, which, who);
}

static long ioprio_set(int which, int who, int prio)
{
    return syscall(SYS_ioprio_set, which, who, prio);
}

// An uid nobody else uses, on the Linux host either.
#define LONE_UID 54321

// The nice value of pid (0: the caller), read with the C library's call,
// which turns the kernel's 20 - nice back. -100 on failure.
static int nice_of(pid_t pid)
{
    errno = 0;
    int n = getpriority(PRIO_PROCESS, pid);
    return errno ? -100 : n;
}

// Fields 18 and 19 of /proc/self/stat (after the ")" that ends comm).
static int stat_fields(int *prio, int *nice)
{
    char buf[1024];
    if (read_file("/proc/self/stat", buf, sizeof buf) < 0)
        return -1;
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    // Field 3 is the first after ")"; 18 is 15 further.
    p += 2;
    for (int field = 3; field < 18; field++) {
        p = strchr(p, ' ');
        if (!p)
            return -1;
        p++;
    }
    return sscanf(p, "%d %d", prio, nice) == 2 ? 0 : -1;
}

// In a child: its nice is the parent's; the stat file agrees. Exits 0 if so.
static void child_inherits(void *arg)
{
    int want = *(int *)arg, prio = 0, nice = 0;
    _exit(nice_of(0) == want && stat_fields(&prio, &nice) == 0 && prio == 20 + want &&
                  nice == want ? 0 : 1);
}

// In a child that is user LONE_UID: raising works, lowering is EACCES, a
// process of root's is EPERM, and PRIO_USER names this user's threads.
static void child_unprivileged(void *arg)
{
    (void)arg;
    if (setpriority(PRIO_PROCESS, 0, 0) != 0 || setresgid(LONE_UID, LONE_UID, LONE_UID) != 0 ||
        setresuid(LONE_UID, LONE_UID, LONE_UID) != 0)
        _exit(10);
    if (setpriority(PRIO_PROCESS, 0, 4) != 0 || nice_of(0) != 4)
        _exit(11);
    if (setpriority(PRIO_PROCESS, 0, 2) != -1 || errno != EACCES || nice_of(0) != 4)
        _exit(12);
    if (setpriority(PRIO_PROCESS, getppid(), 19) != -1 || errno != EPERM)
        _exit(13);
    if (setpriority(PRIO_USER, 0, 6) != 0 || getpriority(PRIO_USER, LONE_UID) != 6)
        _exit(14);
    // I/O priorities: idle and best effort are anyone's, real time is root's,
    // and so is root's own process.
    if (ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(CLASS_IDLE, 0)) != 0 ||
        ioprio_get(IOPRIO_WHO_PROCESS, 0) != IOPRIO(CLASS_IDLE, 0))
        _exit(15);
    if (ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(CLASS_RT, 0)) != -1 || errno != EPERM)
        _exit(16);
    if (ioprio_set(IOPRIO_WHO_PROCESS, getppid(), IOPRIO(CLASS_BE, 1)) != -1 || errno != EPERM)
        _exit(17);
    _exit(0);
}

int main(void)
{
    int start = nice_of(0);
    check(start >= -20 && start <= 19, "nice.get", "getpriority: %s, %d", errname(errno), start);

    // The raw call answers 20 - nice, never negative.
    check_eq("nice.raw", 20 - start, syscall(SYS_getpriority, PRIO_PROCESS, 0));

    if (!on_bunshin() && geteuid() != 0) {
        skip("nice.set", "lowering a nice value takes root on Linux");
        return test_status();
    }
    check_eq("nice.set", 0, setpriority(PRIO_PROCESS, 0, 5));
    check_eq("nice.get_set", 5, nice_of(0));
    int prio = 0, nice = 0;
    check(stat_fields(&prio, &nice) == 0 && prio == 25 && nice == 5, "nice.proc_stat",
          "fields 18 and 19 of /proc/self/stat are %d %d, expected 25 5", prio, nice);
    check_eq("nice.by_pid", 5, nice_of(getpid()));

    // Out of range: clamped to 19 and -20.
    setpriority(PRIO_PROCESS, 0, 100);
    check_eq("nice.clamp_high", 19, nice_of(0));
    setpriority(PRIO_PROCESS, 0, -100);
    check_eq("nice.clamp_low", -20, nice_of(0));
    check_eq("nice.raw_low", 40, syscall(SYS_getpriority, PRIO_PROCESS, 0));

    // fork copies it.
    setpriority(PRIO_PROCESS, 0, 3);
    int three = 3;
    check_eq("nice.fork_inherits", 0, run_child(child_inherits, &three));

    // PRIO_PGRP: a child in a group of its own.
    int p[2];
    if (pipe(p) == 0) {
        pid_t c = xfork();
        if (c == 0) {
            char ch;
            close(p[1]);
            read(p[0], &ch, 1);   // until the parent closes its end
            _exit(0);
        }
        close(p[0]);
        setpgid(c, c);
        check_eq("nice.pgrp_set", 0, setpriority(PRIO_PGRP, c, 8));
        check_eq("nice.pgrp_child", 8, nice_of(c));
        check_eq("nice.pgrp_get", 8, getpriority(PRIO_PGRP, c));
        check_eq("nice.parent_untouched", 3, nice_of(0));
        close(p[1]);
        wait_for(c);
        // Reaped: nothing answers to its pid any more.
        check_errno("nice.esrch", setpriority(PRIO_PROCESS, c, 1), ESRCH);
        check_errno("nice.esrch_get", getpriority(PRIO_PROCESS, c), ESRCH);
    }

    check_errno("nice.einval", setpriority(3, 0, 1), EINVAL);
    check_errno("nice.einval_get", getpriority(-1, 0), EINVAL);
    check_errno("nice.user_none", getpriority(PRIO_USER, LONE_UID), ESRCH);

    check_eq("nice.unprivileged", 0, run_child(child_unprivileged, NULL));

    // I/O priorities.
    long io = ioprio_get(IOPRIO_WHO_PROCESS, 0);
    check(io >= 0 && (io >> 13) <= CLASS_IDLE, "ioprio.get", "ioprio_get: %ld (%s)", io,
          errname(errno));
    check_eq("ioprio.set_be", 0, ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(CLASS_BE, 3)));
    check_eq("ioprio.get_be", IOPRIO(CLASS_BE, 3), ioprio_get(IOPRIO_WHO_PROCESS, getpid()));
    check_eq("ioprio.set_rt_root", 0, ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(CLASS_RT, 7)));
    check_eq("ioprio.get_rt", IOPRIO(CLASS_RT, 7), ioprio_get(IOPRIO_WHO_PROCESS, 0));
    check_eq("ioprio.set_be_again", 0, ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(CLASS_BE, 3)));
    // (A level past 7 is not checked: Linux 6.1, as bunshin, refuses it;
    // later ones read bits 3-12 as hints and take it.)
    check_errno("ioprio.bad_class", ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(4, 0)), EINVAL);
    check_errno("ioprio.none_level", ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(CLASS_NONE, 1)), EINVAL);
    check_errno("ioprio.bad_which", ioprio_set(4, 0, IOPRIO(CLASS_BE, 3)), EINVAL);
    check_errno("ioprio.bad_which_get", ioprio_get(0, 0), EINVAL);
    check_eq("ioprio.unchanged", IOPRIO(CLASS_BE, 3), ioprio_get(IOPRIO_WHO_PROCESS, 0));
    // fork copies it; a group of one answers its member's.
    if (pipe(p) == 0) {
        pid_t c = xfork();
        if (c == 0) {
            char ch;
            close(p[1]);
            read(p[0], &ch, 1);
            _exit(0);
        }
        close(p[0]);
        setpgid(c, c);
        check_eq("ioprio.fork_inherits", IOPRIO(CLASS_BE, 3), ioprio_get(IOPRIO_WHO_PROCESS, c));
        check_eq("ioprio.pgrp_set", 0, ioprio_set(IOPRIO_WHO_PGRP, c, IOPRIO(CLASS_IDLE, 0)));
        check_eq("ioprio.pgrp_get", IOPRIO(CLASS_IDLE, 0), ioprio_get(IOPRIO_WHO_PGRP, c));
        check_eq("ioprio.parent_untouched", IOPRIO(CLASS_BE, 3), ioprio_get(IOPRIO_WHO_PROCESS, 0));
        close(p[1]);
        wait_for(c);
        check_errno("ioprio.esrch", ioprio_get(IOPRIO_WHO_PROCESS, c), ESRCH);
        check_errno("ioprio.esrch_set", ioprio_set(IOPRIO_WHO_PROCESS, c, IOPRIO(CLASS_BE, 1)), ESRCH);
    }
    ioprio_set(IOPRIO_WHO_PROCESS, 0, io >= 0 ? (int)io : 0);

    setpriority(PRIO_PROCESS, 0, start);
    return test_status();
}
