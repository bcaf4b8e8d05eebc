// t_procfiles: the /proc files that ps, top, pgrep and uptime read, in
// Linux's formats.
//
//   - /proc/self/stat: 52 fields; "pid (comm) state", the comm the program's
//     name, state R; ppid, pgrp, session equal getppid, getpgrp, getsid(0);
//     one thread; vsize > 0 bytes, rss > 0 pages; a zombie child's line says
//     Z, its parent and its exit code (field 52);
//   - /proc/self/statm: size and resident equal status's VmSize and VmRSS in
//     pages;
//   - /proc/self/cmdline is argv, NUL-separated (the test re-execs itself
//     with extra arguments, an empty one among them), /proc/self/environ
//     holds a variable set before the re-exec;
//   - readlink /proc/self/exe is absolute and ends with the test's name
//     (the re-exec is by a relative path, "./t_procfiles"), /proc/self/cwd
//     is getcwd();
//   - /proc/uptime: two numbers with two decimals; /proc/loadavg: five
//     fields, the fourth running/total; /proc/stat: a "cpu " line of at
//     least 7 numbers, "btime", "processes" lines; /proc/mounts names /proc
//     as proc; /proc/filesystems lists "nodev\tproc".
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define MARK "PROCFILES_MARK=bunshin-42"

static char *const extra[] = { "alpha", "two words", "", "omega" };
#define NEXTRA (sizeof extra / sizeof extra[0])

// The fields of a stat line: f[1] pid, f[2] comm (without parentheses),
// f[3] state..., f[52] exit_code, as man 5 proc numbers them. Returns
// how many there are, or -1 if the line's shape is wrong.
static int stat_fields(char *line, char *f[64])
{
    char *open = strchr(line, '('), *close = strrchr(line, ')');
    if (!open || !close || close < open || close[1] != ' ')
        return -1;
    *open = 0;
    *close = 0;
    f[1] = line;
    f[2] = open + 1;
    int n = 2;
    for (char *tok = strtok(close + 2, " \n"); tok && n < 63; tok = strtok(0, " \n"))
        f[++n] = tok;
    return n;
}

static volatile char touched[2 << 20];

static void test_stat(void)
{
    // Linux counts resident pages per CPU and adds them up in batches: give
    // this process enough of them that its rss is certainly not 0.
    for (size_t i = 0; i < sizeof touched; i += 4096)
        touched[i] = 1;
    char buf[1024], *f[64];
    if (read_file("/proc/self/stat", buf, sizeof buf) < 0) {
        fail("procfiles.stat", "cannot read /proc/self/stat: %s", errname(errno));
        return;
    }
    int n = stat_fields(buf, f);
    check_eq("procfiles.stat_fields", 52, n);
    if (n < 52)
        return;
    check_eq("procfiles.stat_pid", getpid(), atol(f[1]));
    check_str("procfiles.stat_comm", "t_procfiles", f[2]);
    check_str("procfiles.stat_state", "R", f[3]);
    check_eq("procfiles.stat_ppid", getppid(), atol(f[4]));
    check_eq("procfiles.stat_pgrp", getpgrp(), atol(f[5]));
    check_eq("procfiles.stat_session", getsid(0), atol(f[6]));
    check_eq("procfiles.stat_threads", 1, atol(f[20]));
    check(strtoull(f[23], 0, 10) > 0, "procfiles.stat_vsize", "vsize %s", f[23]);
    check(atol(f[24]) > 0, "procfiles.stat_rss", "rss %s", f[24]);
    check_eq("procfiles.stat_exit_signal", 17, atol(f[38]));
}

// A child that has exited and is not yet waited for: "Z", its parent, and
// its wait status in field 52.
static void test_zombie_stat(void)
{
    pid_t pid = xfork();
    if (pid == 0)
        _exit(3);
    char path[64], buf[1024], *f[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int n = -1;
    for (int i = 0; i < 200; i++) {
        if (read_file(path, buf, sizeof buf) >= 0 && (n = stat_fields(buf, f)) >= 52 &&
            strcmp(f[3], "Z") == 0)
            break;
        n = -1;
        sleep_ms(10);
    }
    if (check(n == 52, "procfiles.zombie_state", "no Z in %s", path)) {
        check_eq("procfiles.zombie_ppid", getpid(), atol(f[4]));
        check_eq("procfiles.zombie_exit_code", 3 << 8, atol(f[52]));
    }
    wait_for(pid);
}

// statm against status, read back to back until neither changes between.
static void test_statm(void)
{
    long size = -1, res = -1, vs = -2, rss = -2;
    for (int attempt = 0; attempt < 5; attempt++) {
        char buf[256];
        long vs1 = proc_status_value(0, "VmSize"), rss1 = proc_status_value(0, "VmRSS");
        if (read_file("/proc/self/statm", buf, sizeof buf) < 0 ||
            sscanf(buf, "%ld %ld", &size, &res) != 2)
            break;
        vs = proc_status_value(0, "VmSize");
        rss = proc_status_value(0, "VmRSS");
        if (vs == vs1 && rss == rss1 && vs == size * 4 && rss == res * 4)
            break;
    }
    check(size * 4 == vs, "procfiles.statm_size", "statm size %ld pages, VmSize %ld kB",
          size, vs);
    check(res * 4 == rss, "procfiles.statm_resident",
          "statm resident %ld pages, VmRSS %ld kB", res, rss);
    char buf[256];
    int fields = 0;
    if (read_file("/proc/self/statm", buf, sizeof buf) >= 0)
        for (char *t = strtok(buf, " \n"); t; t = strtok(0, " \n"))
            fields++;
    check_eq("procfiles.statm_fields", 7, fields);
}

static void test_cmdline(int argc, char **argv)
{
    static char want[1024], got[65536];
    size_t len = 0;
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]) + 1;
        memcpy(want + len, argv[i], l);
        len += l;
    }
    int fd = open("/proc/self/cmdline", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read_full(fd, got, sizeof got);
    if (fd >= 0)
        close(fd);
    check(n == (ssize_t)len && memcmp(want, got, len) == 0, "procfiles.cmdline",
          "read %zd bytes, argv has %zu", n, len);

    fd = open("/proc/self/environ", O_RDONLY);
    n = fd < 0 ? -1 : read_full(fd, got, sizeof got - 1);
    if (fd >= 0)
        close(fd);
    int found = 0;
    for (ssize_t i = 0; n > 0 && i < n; i += (ssize_t)strlen(got + i) + 1) {
        got[n] = 0;
        if (strcmp(got + i, MARK) == 0)
            found = 1;
    }
    check(found, "procfiles.environ", "%s not among %zd bytes", MARK, n);
}

static void test_links(void)
{
    char buf[512], cwd[512];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    size_t l = strlen(buf);
    check(buf[0] == '/' && l >= 12 && strcmp(buf + l - 12, "/t_procfiles") == 0, "procfiles.exe",
          "readlink says \"%s\"", buf);
    n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    check_str("procfiles.cwd", getcwd(cwd, sizeof cwd) ? cwd : "?", buf);
}

static void test_system_files(void)
{
    char buf[8192];
    unsigned long a, b, c, d;
    int n = read_file("/proc/uptime", buf, sizeof buf) < 0
                ? 0 : sscanf(buf, "%lu.%2lu %lu.%2lu\n", &a, &b, &c, &d);
    check(n == 4, "procfiles.uptime", "\"%s\"", buf);

    char e[32];
    int run, total, last;
    n = read_file("/proc/loadavg", buf, sizeof buf) < 0
            ? 0 : sscanf(buf, "%lu.%lu %*d.%*d %*d.%*d %d/%d %d%31s", &a, &b, &run, &total,
                         &last, e);
    check(n == 5 && run >= 1 && total >= run && last > 0, "procfiles.loadavg", "\"%s\"", buf);

    if (read_file("/proc/stat", buf, sizeof buf) < 0)
        buf[0] = 0;
    int nums = 0;
    if (strncmp(buf, "cpu  ", 5) == 0) {
        char *p = buf + 4, *end;
        while (*p != '\n') {
            strtoull(p, &end, 10);
            if (end == p)
                break;
            nums++;
            p = end;
        }
    }
    check(nums >= 7, "procfiles.stat_cpu", "%d numbers on the cpu line", nums);
    check(strstr(buf, "\nbtime ") != 0, "procfiles.stat_btime", "no btime line");
    check(strstr(buf, "\nprocesses ") != 0, "procfiles.stat_processes", "no processes line");

    if (read_file("/proc/mounts", buf, sizeof buf) < 0)
        buf[0] = 0;
    check(strstr(buf, "proc /proc proc ") != 0, "procfiles.mounts", "no /proc line");
    if (read_file("/proc/filesystems", buf, sizeof buf) < 0)
        buf[0] = 0;
    check(strstr(buf, "nodev\tproc\n") != 0, "procfiles.filesystems", "no proc line");
}

int main(int argc, char **argv)
{
    if (argc == 1) {
        // Again, with arguments and a variable to look for.
        char *args[NEXTRA + 2];
        args[0] = argv[0];
        for (size_t i = 0; i < NEXTRA; i++)
            args[i + 1] = extra[i];
        args[NEXTRA + 1] = 0;
        putenv(MARK);
        // From its own directory by a relative path: exe must still be
        // absolute.
        char self[512];
        snprintf(self, sizeof self, "%s",
                 strchr(argv[0], '/') ? argv[0] : rootpath("/tests/t_procfiles"));
        *strrchr(self, '/') = 0;
        if (chdir(self[0] ? self : "/") < 0) {
            fail("procfiles.chdir", "chdir %s: %s", self, errname(errno));
            return 1;
        }
        execv("./t_procfiles", args);
        fail("procfiles.reexec", "execv ./t_procfiles in %s: %s", self, errname(errno));
        return 1;
    }
    test_stat();
    test_zombie_stat();
    test_statm();
    test_cmdline(argc, argv);
    test_links();
    test_system_files();
    return test_status();
}
