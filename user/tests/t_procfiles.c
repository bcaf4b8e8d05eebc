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
//     as proc; /proc/filesystems lists "nodev\tproc";
//   - /proc/cpuinfo's first block: processor 0, vendor_id, cpu family, model,
//     model name and stepping as CPUID gives them (Linux's arithmetic for
//     the extended family and model), flags naming exactly the features of
//     CPUID leaf 1 it is checked for, bogomips a number;
//   - /proc/sys/kernel: pid_max a number above every pid, ostype, osrelease
//     and hostname what uname says, random/boot_id a UUID that stays,
//     random/uuid a new version-4 UUID at each read;
//   - /proc/self/task lists exactly the threads (four while three more run,
//     one after they end); each task/<tid>/ has stat, status and comm about
//     that thread; /proc/<tid> is there, about the thread, but not listed;
//     /proc/self/comm is the program's name;
//   - /etc/mtab (a link in the image) reads as /proc/self/mounts, which
//     reads as /proc/mounts.
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
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

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

// The value of "name\t...: value" in the first block of text, or NULL.
static const char *cpuinfo_field(const char *text, const char *name, char *out, size_t size)
{
    size_t len = strlen(name);
    for (const char *line = text; *line && *line != '\n'; line = strchr(line, '\n') + 1) {
        const char *colon = strchr(line, ':'), *end = strchr(line, '\n');
        if (!colon || !end)
            return NULL;
        const char *e = colon;
        while (e > line && (e[-1] == '\t' || e[-1] == ' '))
            e--;
        if ((size_t)(e - line) == len && strncmp(line, name, len) == 0) {
            const char *v = colon + 1 + (colon[1] == ' ');
            snprintf(out, size, "%.*s", (int)(end - v), v);
            return out;
        }
    }
    return NULL;
}

static int has_flag(const char *flags, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = flags; (p = strstr(p, name)); p += len)
        if ((p == flags || p[-1] == ' ') && (p[len] == ' ' || p[len] == 0))
            return 1;
    return 0;
}

static char big[1 << 20];

static void test_cpuinfo(void)
{
    if (read_file("/proc/cpuinfo", big, sizeof big) <= 0) {
        fail("cpuinfo.read", "%s", errname(errno));
        return;
    }
    uint32_t r[4], max, max_ext;
    char vendor[13], v[4096];
    cpuid(0, r);
    max = r[0];
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    cpuid(1, r);
    uint32_t sig = r[0], ecx1 = r[2], edx1 = r[3];
    uint32_t family = (sig >> 8) & 0xf, model = (sig >> 4) & 0xf;
    if (family == 0xf)
        family += (sig >> 20) & 0xff;
    if (family >= 6)
        model += ((sig >> 16) & 0xf) << 4;
    check_str("cpuinfo.processor", "0", cpuinfo_field(big, "processor", v, sizeof v));
    check_str("cpuinfo.vendor_id", vendor, cpuinfo_field(big, "vendor_id", v, sizeof v));
    check_eq("cpuinfo.cpu_family", family, atol(cpuinfo_field(big, "cpu family", v, sizeof v) ?: "-1"));
    check_eq("cpuinfo.model", model, atol(cpuinfo_field(big, "model", v, sizeof v) ?: "-1"));
    check_eq("cpuinfo.stepping", sig & 0xf, atol(cpuinfo_field(big, "stepping", v, sizeof v) ?: "-1"));
    check_eq("cpuinfo.cpuid_level_present", 1, cpuinfo_field(big, "cpuid level", v, sizeof v) != 0);
    check_eq("cpuinfo.cpuid_level", max, atol(v));
    cpuid(0x80000000, r);
    max_ext = r[0];
    if (max_ext >= 0x80000004) {
        uint32_t b[12];
        char brand[49];
        for (int i = 0; i < 3; i++)
            cpuid(0x80000002 + i, &b[4 * i]);
        memcpy(brand, b, 48);
        brand[48] = 0;
        char *s = brand;
        while (*s == ' ')
            s++;
        for (char *e = s + strlen(s); e > s && e[-1] == ' ';)
            *--e = 0;
        check_str("cpuinfo.model_name", s, cpuinfo_field(big, "model name", v, sizeof v));
    } else {
        skip("cpuinfo.model_name", "no brand string in CPUID");
    }
    char flags[4096];
    if (!cpuinfo_field(big, "flags", flags, sizeof flags))
        flags[0] = 0;
    static const struct { const char *name; int ecx; int bit; } bits[] = {
        { "fpu", 0, 0 }, { "tsc", 0, 4 }, { "cx8", 0, 8 }, { "cmov", 0, 15 },
        { "mmx", 0, 23 }, { "fxsr", 0, 24 }, { "sse", 0, 25 }, { "sse2", 0, 26 },
        { "pni", 1, 0 }, { "ssse3", 1, 9 }, { "sse4_1", 1, 19 }, { "sse4_2", 1, 20 },
        { "popcnt", 1, 23 },
    };
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        int want = ((bits[i].ecx ? ecx1 : edx1) >> bits[i].bit) & 1;
        check(has_flag(flags, bits[i].name) == want, tname("cpuinfo.flag_%s", bits[i].name),
              "CPUID says %d, flags \"%s\"", want, flags);
    }
    unsigned long bi, bf;
    check(cpuinfo_field(big, "bogomips", v, sizeof v) && sscanf(v, "%lu.%2lu", &bi, &bf) == 2 &&
          bi > 0, "cpuinfo.bogomips", "\"%s\"", v);
    check(strstr(big, "\n\n") != 0, "cpuinfo.blank_line_after_block", "no blank line");
}

static void check_uuid(const char *name, const char *u)
{
    int good = strlen(u) == 37 && u[36] == '\n';
    for (int i = 0; good && i < 36; i++)
        good = (i == 8 || i == 13 || i == 18 || i == 23) ? u[i] == '-'
               : ((u[i] >= '0' && u[i] <= '9') || (u[i] >= 'a' && u[i] <= 'f'));
    check(good, name, "\"%s\"", u);
}

static void test_sys_kernel(void)
{
    long max = file_long("/proc/sys/kernel/pid_max");
    check(max > 300 && max <= 4194304 && getpid() < max, "sys_kernel.pid_max", "pid_max %ld, pid %d",
          max, getpid());
    struct utsname u;
    uname(&u);
    char buf[256], want[256];
    struct { const char *file, *value; } uts[] = {
        { "/proc/sys/kernel/ostype", u.sysname },
        { "/proc/sys/kernel/osrelease", u.release },
        { "/proc/sys/kernel/hostname", u.nodename },
    };
    for (size_t i = 0; i < 3; i++) {
        snprintf(want, sizeof want, "%s\n", uts[i].value);
        if (read_file(uts[i].file, buf, sizeof buf) < 0)
            snprintf(buf, sizeof buf, "(%s)", errname(errno));
        check_str(tname("sys_kernel.%s", strrchr(uts[i].file, '/') + 1), want, buf);
    }
    char a[64] = "", b[64] = "";
    read_file("/proc/sys/kernel/random/boot_id", a, sizeof a);
    read_file("/proc/sys/kernel/random/boot_id", b, sizeof b);
    check_uuid("sys_kernel.boot_id", a);
    check_str("sys_kernel.boot_id_stays", a, b);
    read_file("/proc/sys/kernel/random/uuid", a, sizeof a);
    read_file("/proc/sys/kernel/random/uuid", b, sizeof b);
    check_uuid("sys_kernel.uuid", a);
    check(strcmp(a, b) != 0 && a[14] == '4', "sys_kernel.uuid_new_v4", "\"%s\" then \"%s\"", a, b);
}

static int task_pipe[2];
static volatile int task_tids[3];

static void *task_thread(void *arg)
{
    task_tids[(intptr_t)arg] = (int)syscall(SYS_gettid);
    char c;
    read(task_pipe[0], &c, 1);       // until the main thread closes the pipe
    return NULL;
}

// The thread ids /proc/self/task lists, sorted, into ids; returns how many.
static int list_tasks(int *ids, int max)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.' && n < max)
            ids[n++] = atoi(e->d_name);
    closedir(d);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
            int t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    return n;
}

static void test_tasks(void)
{
    if (pipe(task_pipe) < 0)
        return;
    pthread_t t[3];
    for (intptr_t i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, task_thread, (void *)i);
    for (int i = 0; i < 3; i++)
        while (!task_tids[i])
            sleep_ms(5);
    int want[4] = { getpid(), task_tids[0], task_tids[1], task_tids[2] };
    for (int i = 1; i < 4; i++)
        for (int j = i; j > 0 && want[j - 1] > want[j]; j--) {
            int x = want[j];
            want[j] = want[j - 1];
            want[j - 1] = x;
        }
    int ids[16];
    int n = list_tasks(ids, 16);
    check(n == 4 && memcmp(ids, want, sizeof want) == 0, "task.lists_threads",
          "%d entries: %d %d %d %d, want %d %d %d %d", n, ids[0], ids[1], ids[2], ids[3], want[0],
          want[1], want[2], want[3]);

    char path[128], buf[4096], line[64];
    int tid = task_tids[1];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
    snprintf(line, sizeof line, "%d (t_procfiles) ", tid);
    check(read_file(path, buf, sizeof buf) > 0 && strncmp(buf, line, strlen(line)) == 0,
          "task.stat", "\"%.60s\"", buf);
    snprintf(path, sizeof path, "/proc/self/task/%d/status", tid);
    snprintf(line, sizeof line, "\nPid:\t%d\n", tid);
    check(read_file(path, buf, sizeof buf) > 0 && strstr(buf, line) &&
          strncmp(buf, "Name:\tt_procfiles\n", 18) == 0, "task.status", "\"%.80s\"", buf);
    snprintf(line, sizeof line, "\nTgid:\t%d\n", getpid());
    check(strstr(buf, line) != 0, "task.status_tgid", "no \"Tgid:\t%d\"", getpid());
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", tid);
    buf[0] = 0;
    read_file(path, buf, sizeof buf);
    check_str("task.comm", "t_procfiles\n", buf);
    buf[0] = 0;
    read_file("/proc/self/comm", buf, sizeof buf);
    check_str("task.self_comm", "t_procfiles\n", buf);
    // /proc/<tid>: there when looked up, not listed.
    snprintf(path, sizeof path, "/proc/%d/status", tid);
    snprintf(line, sizeof line, "\nPid:\t%d\n", tid);
    check(read_file(path, buf, sizeof buf) > 0 && strstr(buf, line), "task.proc_tid",
          "%s: \"%.60s\"", path, buf);
    snprintf(path, sizeof path, "/proc/%d/cmdline", tid);
    check(read_file(path, buf, sizeof buf) > 0 && strstr(buf, "t_procfiles"), "task.proc_tid_cmdline",
          "%s: \"%.60s\"", path, buf);
    int listed = 0;
    DIR *d = opendir("/proc");
    for (struct dirent *e; d && (e = readdir(d));)
        listed |= atoi(e->d_name) == tid;
    if (d)
        closedir(d);
    check(!listed, "task.proc_tid_unlisted", "/proc lists thread %d", tid);
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", 0x3ffffff0);
    check_errno("task.no_such_tid", open(path, O_RDONLY), ENOENT);

    close(task_pipe[1]);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    close(task_pipe[0]);
    n = list_tasks(ids, 16);
    check(n == 1 && ids[0] == getpid(), "task.after_join", "%d entries, first %d", n, ids[0]);
}

static void test_mtab(void)
{
    static char a[16384], b[16384], c[16384];
    long na = read_file("/etc/mtab", a, sizeof a), nb = read_file("/proc/self/mounts", b, sizeof b);
    long nc = read_file("/proc/mounts", c, sizeof c);
    check(na > 0 && na == nb && strcmp(a, b) == 0, "mtab.is_self_mounts", "/etc/mtab: %ld bytes (%s), /proc/self/mounts %ld",
          na, na < 0 ? errname(errno) : "", nb);
    check(nb > 0 && strcmp(b, c) == 0 && strstr(b, "proc /proc proc ") != 0,
          "mtab.self_mounts_is_mounts", "%ld and %ld bytes", nb, nc);
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
    test_cpuinfo();
    test_sys_kernel();
    test_tasks();
    test_mtab();
    return test_status();
}
