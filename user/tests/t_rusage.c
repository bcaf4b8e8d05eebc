// t_rusage: what a process has used, as times(2), getrusage(2) and wait4's
// rusage say, and fork(2)'s rule that a child's counters start at zero.
//
// CPU time is burnt in loops that run until the counter itself has moved
// (not for a given time), so the checks do not depend on how fast the
// machine is: the parent burns at least 50 ms, a fresh fork child shows
// less than that and no children's time; a child that burns 30 ms shows it
// in its wait4 rusage and then in the parent's RUSAGE_CHILDREN and
// times()'s tms_cutime. Page faults: touching 64 fresh pages adds at least
// 64 to ru_minflt. The same on Linux. (ru_maxrss is not checked: Linux's
// reads 0 for a process this small, whose counts it has not gathered yet.)
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096

static long ms(struct timeval tv)
{
    return tv.tv_sec * 1000L + tv.tv_usec / 1000;
}

static long self_utime_ms(int who)
{
    struct rusage ru;
    if (getrusage(who, &ru) < 0)
        return -1;
    return ms(ru.ru_utime);
}

// Spin until this process's user time has grown by at least want_ms.
static void burn(long want_ms)
{
    long start = self_utime_ms(RUSAGE_SELF);
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 4000000000ul; i++) {
        x += i;
        if ((i & 0xFFFFF) == 0 && self_utime_ms(RUSAGE_SELF) - start >= want_ms)
            return;
    }
}

int main(void)
{
    long before = memfree_start();
    burn(50);
    long mine = self_utime_ms(RUSAGE_SELF);
    check(mine >= 50, "rusage.self_utime", "user time %ld ms after burning 50", mine);
    check(self_utime_ms(RUSAGE_THREAD) >= 0, "rusage.thread", "RUSAGE_THREAD: %s",
          errname(errno));
    struct rusage ru;

    // A fresh fork child starts from zero: its own time is below the
    // parent's 50 ms, its children's and times()'s children's are zero.
    int p[2];
    if (pipe(p) < 0)
        return 1;
    pid_t pid = xfork();
    if (pid == 0) {
        struct tms t;
        long u = self_utime_ms(RUSAGE_SELF), c = self_utime_ms(RUSAGE_CHILDREN);
        times(&t);
        int ok = u >= 0 && u < 50 && c == 0 && t.tms_cutime == 0 && t.tms_cstime == 0;
        write(p[1], &ok, sizeof ok);
        burn(30);
        _exit(0);
    }
    int ok = 0;
    read(p[0], &ok, sizeof ok);
    check(ok, "rusage.fork_child_starts_at_zero",
          "the child's own time was not below the parent's 50 ms, or it had children's time");
    int st;
    struct rusage cru;
    pid_t w = wait4(pid, &st, 0, &cru);
    check(w == pid && ms(cru.ru_utime) >= 30, "rusage.wait4",
          "wait4's rusage says %ld ms for a child that burnt 30", ms(cru.ru_utime));
    long ch = self_utime_ms(RUSAGE_CHILDREN);
    check(ch >= 30, "rusage.children", "RUSAGE_CHILDREN %ld ms after reaping it", ch);
    struct tms t;
    clock_t now = times(&t);
    long hz = sysconf(_SC_CLK_TCK);
    // times counts whole ticks (Linux's may lag getrusage's finer count by
    // a tick or two): some time for both, and 100 ticks a second.
    check(now != (clock_t)-1 && hz == 100 && t.tms_cutime + t.tms_cstime >= 1 &&
          t.tms_utime + t.tms_stime >= 1, "rusage.times",
          "times: utime %ld stime %ld cutime %ld cstime %ld ticks at %ld Hz", (long)t.tms_utime,
          (long)t.tms_stime, (long)t.tms_cutime, (long)t.tms_cstime, hz);
    close(p[0]);
    close(p[1]);

    // Minor faults: 64 fresh pages touched.
    long f0 = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : -1;
    unsigned char *m = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m != MAP_FAILED) {
        for (int i = 0; i < 64; i++)
            m[i * PAGE] = 1;
        getrusage(RUSAGE_SELF, &ru);
        check(f0 >= 0 && ru.ru_minflt - f0 >= 64, "rusage.minflt",
              "ru_minflt went from %ld to %ld after touching 64 pages", f0, ru.ru_minflt);
        munmap(m, 64 * PAGE);
    }

    check_errno("rusage.bad_who", getrusage(99, &ru), EINVAL);
    check_errno("rusage.efault", syscall(SYS_getrusage, RUSAGE_SELF, (void *)8), EFAULT);
    memfree_check("rusage.memfree_restored", before);
    return test_status();
}
