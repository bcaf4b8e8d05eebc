// t_syslog: the kernel's log through the syslog call (klogctl; what dmesg
// reads). Its size; reading all of it (the boot's lines are there on
// bunshin); bad lengths, buffers and actions (EINVAL, EFAULT); and who may
// do what: anyone may read all of it and ask its size unless Linux's
// kernel.dmesg_restrict says otherwise, the rest takes root (EPERM).
// Taking unread bytes and clearing are tried on bunshin only: on the Linux
// host they would take the host's log from it.
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"

#define READ 2
#define READ_ALL 3
#define CLEAR 5
#define CONSOLE_LEVEL 8
#define SIZE_UNREAD 9
#define SIZE_BUFFER 10

// An uid nobody else uses, on the Linux host either.
#define LONE_UID 54321

static long klog(int type, void *buf, long len)
{
    return syscall(SYS_syslog, type, buf, len);
}

// Linux's kernel.dmesg_restrict (bunshin has none: 0).
static int dmesg_restricted(void)
{
    char buf[16];
    return read_file("/proc/sys/kernel/dmesg_restrict", buf, sizeof buf) > 0 && buf[0] == '1';
}

// In a child that is user LONE_UID: the actions that take root say EPERM;
// reading all and the size work unless dmesg_restrict is on. Exits 0 if so.
static void child_unprivileged(void *arg)
{
    (void)arg;
    char buf[64];
    if (setresgid(LONE_UID, LONE_UID, LONE_UID) != 0 || setresuid(LONE_UID, LONE_UID, LONE_UID) != 0)
        _exit(10);
    if (klog(CLEAR, NULL, 0) != -1 || errno != EPERM)
        _exit(11);
    if (klog(SIZE_UNREAD, NULL, 0) != -1 || errno != EPERM)
        _exit(12);
    if (klog(READ, buf, sizeof buf) != -1 || errno != EPERM)
        _exit(13);
    if (klog(99, NULL, 0) != -1 || errno != EPERM)
        _exit(14);
    int restricted = *(int *)arg;
    if (!restricted && (klog(SIZE_BUFFER, NULL, 0) <= 0 || klog(READ_ALL, buf, sizeof buf) < 0))
        _exit(15);
    _exit(0);
}

int main(void)
{
    if (!on_bunshin() && geteuid() != 0) {
        skip("syslog.size", "the host's log takes root on Linux");
        return test_status();
    }
    long size = klog(SIZE_BUFFER, NULL, 0);
    check(size > 0, "syslog.size", "SIZE_BUFFER: %ld (%s)", size, errname(errno));
    char *log = calloc(1, size > 0 ? size + 1 : 1);
    long n = log ? klog(READ_ALL, log, size) : -1;
    check(n > 0 && n <= size, "syslog.read_all", "READ_ALL of %ld: %ld (%s)", size, n,
          errname(errno));
    if (on_bunshin())
        check(n > 0 && strstr(log, "command line: "), "syslog.boot_lines",
              "the log has no \"command line: \" line of the boot");
    else
        skip("syslog.boot_lines", "Linux's boot says other things");

    // Fewer bytes than there are: the last whole lines that fit, the end of
    // the log (as long as nothing was logged in between).
    char tail[200];
    long t = klog(READ_ALL, tail, sizeof tail);
    check(t >= 0 && t <= (long)sizeof tail && (t == 0 || (tail[t - 1] == '\n' && n >= t &&
          memcmp(tail, log + n - t, t) == 0)), "syslog.read_all_short",
          "READ_ALL of %zu: %ld bytes, not the end of the log", sizeof tail, t);
    check_eq("syslog.read_all_zero", 0, klog(READ_ALL, tail, 0));
    check_errno("syslog.read_all_negative", klog(READ_ALL, tail, -1), EINVAL);
    check_errno("syslog.read_all_null", klog(READ_ALL, NULL, 8), EINVAL);
    check_errno("syslog.read_all_efault", klog(READ_ALL, (void *)8, size), EFAULT);
    check_errno("syslog.bad_action", klog(11, NULL, 0), EINVAL);
    check_errno("syslog.bad_action_negative", klog(-1, NULL, 0), EINVAL);
    check_errno("syslog.console_level_0", klog(CONSOLE_LEVEL, NULL, 0), EINVAL);
    check_errno("syslog.console_level_9", klog(CONSOLE_LEVEL, NULL, 9), EINVAL);
    long unread = klog(SIZE_UNREAD, NULL, 0);
    check(unread >= 0, "syslog.size_unread", "SIZE_UNREAD: %ld (%s)", unread,
          errname(errno));

    if (on_bunshin()) {
        // READ takes unread bytes: fewer are left after.
        char buf[16];
        long got = unread > 0 ? klog(READ, buf, sizeof buf) : -1;
        long left = klog(SIZE_UNREAD, NULL, 0);
        check(got > 0 && left == unread - got, "syslog.read_takes",
              "READ of %ld unread: %ld, then %ld unread", unread, got, left);
        // CLEAR empties what READ_ALL sees.
        check(klog(CLEAR, NULL, 0) == 0 && klog(READ_ALL, log, size) == 0, "syslog.clear",
              "READ_ALL after CLEAR: not 0 bytes");
    } else {
        skip("syslog.read_takes", "on Linux it would take the host's log from its reader");
        skip("syslog.clear", "on Linux it would clear the host's log");
    }
    free(log);

    int restricted = dmesg_restricted();
    check_eq("syslog.unprivileged", 0, run_child(child_unprivileged, &restricted));
    return test_status();
}
