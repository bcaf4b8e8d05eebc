// t_settime: setting the time of day (clock_settime and its 64-bit form,
// settimeofday, stime) and the host and domain names (sethostname,
// setdomainname). Everyone gets Linux's errors: EINVAL for a clock that
// cannot be set or a time out of range, EFAULT, and EPERM for a user
// without privilege (checked in a child that became one). Only on bunshin
// does the test, as root, really set the clock and the names (and put them
// back): it never changes the host's.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

static long settime32(int clock, int32_t sec, int32_t nsec)
{
    int32_t ts[2] = { sec, nsec };
    return syscall(SYS_clock_settime32, clock, ts);
}

// Refused before privilege matters: the same for root and for a user.
static void test_invalid(const char *who)
{
    check_errno(tname("settime.%s_monotonic", who), settime32(CLOCK_MONOTONIC, 1000, 0), EINVAL);
    check_errno(tname("settime.%s_boottime", who), settime32(CLOCK_BOOTTIME, 1000, 0), EINVAL);
    check_errno(tname("settime.%s_cputime", who), settime32(CLOCK_PROCESS_CPUTIME_ID, 1, 0), EINVAL);
    check_errno(tname("settime.%s_bad_clock", who), settime32(99, 1000, 0), EINVAL);
    check_errno(tname("settime.%s_nsec", who), settime32(CLOCK_REALTIME, 1000, 1000000000), EINVAL);
    check_errno(tname("settime.%s_negative", who), settime32(CLOCK_REALTIME, -1, 0), EINVAL);
    check_errno(tname("settime.%s_efault", who),
                syscall(SYS_clock_settime32, CLOCK_REALTIME, (void *)8), EFAULT);
    int64_t ts64[2] = { 1000, -1 };
    check_errno(tname("settime.%s_time64_nsec", who),
                syscall(404, CLOCK_REALTIME, ts64), EINVAL);
    check_errno(tname("settime.%s_time64_monotonic", who), syscall(404, CLOCK_MONOTONIC, ts64),
                EINVAL);
    int32_t tv[2] = { 1000, 1000001 };
    check_errno(tname("settimeofday.%s_usec", who), syscall(SYS_settimeofday_time32, tv, 0), EINVAL);
    check_errno(tname("settimeofday.%s_efault", who), syscall(SYS_settimeofday_time32, (void *)8, 0),
                EFAULT);
    check_errno(tname("stime.%s_efault", who), syscall(SYS_stime, (void *)8), EFAULT);
}

static void unprivileged(void *arg)
{
    (void)arg;
    if (become(65534, 65534) < 0) {
        fail("settime.user_become", "%s", cred_error());
        return;
    }
    test_invalid("user");
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    check_errno("settime.user_eperm", settime32(CLOCK_REALTIME, (int32_t)now.tv_sec, 0), EPERM);
    int64_t ts64[2] = { now.tv_sec, 0 };
    check_errno("settime.user_time64_eperm", syscall(404, CLOCK_REALTIME, ts64), EPERM);
    int32_t tv[2] = { (int32_t)now.tv_sec, 0 };
    check_errno("settimeofday.user_eperm", syscall(SYS_settimeofday_time32, tv, 0), EPERM);
    check_errno("settimeofday.user_null", syscall(SYS_settimeofday_time32, 0, 0), EPERM);
    int32_t tz[2] = { 16 * 60, 0 };          // privilege first, then the zone
    check_errno("settimeofday.user_tz", syscall(SYS_settimeofday_time32, 0, tz), EPERM);
    int32_t t = (int32_t)now.tv_sec;
    check_errno("stime.user_eperm", syscall(SYS_stime, &t), EPERM);
    check_errno("sethostname.user_eperm", syscall(SYS_sethostname, "x", 1), EPERM);
    check_errno("sethostname.user_eperm_first", syscall(SYS_sethostname, "x", 100), EPERM);
    check_errno("setdomainname.user_eperm", syscall(SYS_setdomainname, "x", 1), EPERM);
    int32_t tx[32];
    memset(tx, 0, sizeof tx);
    tx[0] = 1;                                           // ADJ_OFFSET: a change
    check_errno("adjtimex.user_eperm", syscall(SYS_adjtimex, tx), EPERM);
    tx[0] = 0;
    long r = syscall(SYS_adjtimex, tx);
    check(r == 0 || r == 5, "adjtimex.user_read", "%ld %s", r, errname(errno));
}

static long long realtime_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec;
}

// bunshin only: root sets the clock and the names, and puts them back.
static void test_root_clock(void)
{
    test_invalid("root");
    long long mono0 = mono_ns();
    long long real0 = realtime_s();
    check_eq("settime.root_set", 0, settime32(CLOCK_REALTIME, (int32_t)(real0 + 100000), 0));
    long long real1 = realtime_s();
    check(real1 >= real0 + 100000 && real1 <= real0 + 100002, "settime.root_moved",
          "%lld then %lld", real0, real1);
    check(time(0) >= real0 + 100000, "settime.root_time", "time() %lld", (long long)time(0));
    check(mono_ns() - mono0 < 2000000000LL, "settime.monotonic_untouched",
          "CLOCK_MONOTONIC moved by %lld ns", mono_ns() - mono0);
    int64_t ts64[2] = { real0 + 200000, 500000000 };
    check_eq("settime.root_time64", 0, syscall(404, CLOCK_REALTIME, ts64));
    check(realtime_s() >= real0 + 200000, "settime.root_time64_moved", "%lld", realtime_s());
    int32_t tv[2] = { (int32_t)(real0 + 300000), 0 };
    check_eq("settimeofday.root_set", 0, syscall(SYS_settimeofday_time32, tv, 0));
    int32_t tz[2] = { 60, 0 };
    check_eq("settimeofday.root_tz_only", 0, syscall(SYS_settimeofday_time32, 0, tz));
    tz[0] = 16 * 60;
    check_errno("settimeofday.root_tz_range", syscall(SYS_settimeofday_time32, 0, tz), EINVAL);
    check(realtime_s() >= real0 + 300000 && realtime_s() < real0 + 300003,
          "settimeofday.root_moved", "%lld", realtime_s());
    int32_t t = (int32_t)(real0 + 400000);
    check_eq("stime.root_set", 0, syscall(SYS_stime, &t));
    check(realtime_s() >= real0 + 400000 && realtime_s() < real0 + 400003, "stime.root_moved",
          "%lld", realtime_s());
    // Back to where it would have been.
    long long elapsed = (mono_ns() - mono0) / 1000000000LL;
    check_eq("settime.root_restore", 0, settime32(CLOCK_REALTIME, (int32_t)(real0 + elapsed), 0));
    check(realtime_s() - real0 - elapsed < 2, "settime.root_restored", "%lld", realtime_s());
    int64_t res[2] = { -1, -1 };
    check(syscall(406, CLOCK_REALTIME, res) == 0 && res[0] == 0 && res[1] > 0, "getres.time64",
          "%s", errname(errno));
    check_errno("getres.time64_einval", syscall(406, 99, res), EINVAL);
}

static void test_root_names(void)
{
    struct utsname u;
    char buf[128];
    check_eq("sethostname.root_set", 0, syscall(SYS_sethostname, "testhost.xyz", 8));
    check(uname(&u) == 0 && !strcmp(u.nodename, "testhost"), "sethostname.uname", "%s",
          u.nodename);
    check(read_file("/proc/sys/kernel/hostname", buf, sizeof buf) > 0 &&
          !strcmp(buf, "testhost\n"), "sethostname.proc", "%s", buf);
    char long_name[70];
    memset(long_name, 'a', sizeof long_name);
    check_eq("sethostname.root_64", 0, syscall(SYS_sethostname, long_name, 64));
    check(uname(&u) == 0 && strlen(u.nodename) == 64, "sethostname.root_64_read", "%zu",
          strlen(u.nodename));
    check_errno("sethostname.root_65", syscall(SYS_sethostname, long_name, 65), EINVAL);
    check_errno("sethostname.root_negative", syscall(SYS_sethostname, long_name, -1), EINVAL);
    check_errno("sethostname.root_efault", syscall(SYS_sethostname, (void *)8, 4), EFAULT);
    check_eq("sethostname.root_empty", 0, syscall(SYS_sethostname, "", 0));
    check(uname(&u) == 0 && u.nodename[0] == 0, "sethostname.root_empty_read", "%s", u.nodename);
    check_eq("sethostname.root_restore", 0, syscall(SYS_sethostname, "bunshin", 7));
    check_eq("setdomainname.root_set", 0, syscall(SYS_setdomainname, "example.org", 11));
    check(uname(&u) == 0 && !strcmp(u.__domainname, "example.org"), "setdomainname.uname", "%s",
          u.__domainname);
    check(read_file("/proc/sys/kernel/domainname", buf, sizeof buf) > 0 &&
          !strcmp(buf, "example.org\n"), "setdomainname.proc", "%s", buf);
    check_errno("setdomainname.root_65", syscall(SYS_setdomainname, long_name, 65), EINVAL);
    check_eq("setdomainname.root_restore", 0, syscall(SYS_setdomainname, "(none)", 6));
}

// adjtimex and clock_adjtime, reading: a clock that nobody has synchronized
// on bunshin (TIME_ERROR), the host's perhaps synchronized (TIME_OK); the
// constants both have: a 10000 us tick, 500 ppm of tolerance.
static void test_adjtimex(void)
{
    int32_t tx[32];
    memset(tx, 0, sizeof tx);
    long r = syscall(SYS_adjtimex, tx);
    check((r == 0 || r == 5) && tx[11] == 10000 && tx[8] == 32768000 && tx[7] == 1,
          "adjtimex.read", "%ld %s tick %d tolerance %d", r, errname(errno), tx[11], tx[8]);
    check(tx[9] >= time(0) - 2 && tx[9] <= time(0), "adjtimex.time", "%d vs %lld", tx[9],
          (long long)time(0));
    if (on_bunshin())
        check_eq("adjtimex.unsynchronized", 5, r);
    memset(tx, 0, sizeof tx);
    tx[0] = 0xa001;                                      // ADJ_OFFSET_SS_READ
    r = syscall(SYS_adjtimex, tx);
    check(r == 0 || r == 5, "adjtimex.ss_read", "%ld %s", r, errname(errno));
    check_errno("adjtimex.efault", syscall(SYS_adjtimex, (void *)8), EFAULT);
    memset(tx, 0, sizeof tx);
    r = syscall(SYS_clock_adjtime, CLOCK_REALTIME, tx);
    check((r == 0 || r == 5) && tx[11] == 10000, "clock_adjtime.realtime", "%ld %s", r,
          errname(errno));
    check_errno("clock_adjtime.monotonic", syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, tx),
                EOPNOTSUPP);
    check_errno("clock_adjtime.bad_clock", syscall(SYS_clock_adjtime, 99, tx), EINVAL);
}

int main(void)
{
    long before = memfree_start();
    check(exited_with(run_child(unprivileged, 0), 0), "settime.unprivileged_child", "failed");
    test_adjtimex();
    if (on_bunshin()) {
        test_root_clock();
        test_root_names();
    } else {
        skip("settime.root", "the host's clock and names are not the test's to change");
    }
    memfree_check("settime.memfree", before);
    return test_status();
}
