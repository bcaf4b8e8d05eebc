// t_forkbomb: a bounded fork bomb ends with EAGAIN, and everything comes
// back.
//
// A process forks children that stay alive (each blocks reading a pipe)
// until fork fails. It must fail with EAGAIN: on Linux at the process
// limit (getrlimit(RLIMIT_NPROC)); on bunshin, where root is exempt from
// that limit (half its process table), when the table is full (it grows
// with memory: at least 1024 slots for 256 MiB, so about 1000 with the
// 128 MiB the tests boot with), and fail again the
// same way; every child is still
// alive and well. Then the pipe's write end closes, every child exits and
// is reaped with its status, fork works again, and (bunshin) MemFree is
// exactly where it started.
//
// On Linux, root ignores RLIMIT_NPROC. So the bomb runs, as on bunshin, in
// a child of the test; as root that child first sets RLIMIT_NPROC to 30 and
// becomes a user id that owns no process, so the limit holds for it and
// Linux gives the reference EAGAIN. When that is not possible (a user
// namespace without that id...) the bomb stops after 40 children and the
// EAGAIN checks are skips. Not root: the limit is set to the user's
// current number of processes + 30 if it is lower.
// bunshin-boot: fork=odf
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define MAX_KIDS 4096

// Processes (threads, as Linux counts for RLIMIT_NPROC) whose real uid is
// uid, from /proc/*/status; -1 if /proc cannot be read.
static long tasks_of(uid_t uid)
{
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        char path[300], buf[4096];
        snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
        if (read_file(path, buf, sizeof buf) < 0)
            continue;
        char *u = strstr(buf, "\nUid:"), *t = strstr(buf, "\nThreads:");
        if (u && strtol(u + 5, NULL, 10) == (long)uid)
            n += t ? strtol(t + 9, NULL, 10) : 1;
    }
    closedir(d);
    return n;
}

// Linux: make RLIMIT_NPROC bind this process. Returns the loop's bound
// (children to try at most), and sets *why when the EAGAIN checks cannot
// hold (they are then skips).
static int linux_setup(const char **why)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NPROC, &rl);
    if (geteuid() == 0) {
        // A uid with no process, so that its count starts at us.
        uid_t uid = 1900000000u + (unsigned)getpid() % 100000u;
        while (tasks_of(uid) > 0)
            uid++;
        struct rlimit lim = { 30, 30 };
        if (setrlimit(RLIMIT_NPROC, &lim) == 0 && setuid(uid) == 0 && getuid() == uid)
            return 60;
        *why = "root ignores RLIMIT_NPROC, and becoming an unused user id failed";
        return 40;
    }
    long mine = tasks_of(getuid());
    if (mine < 0 || (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)mine)) {
        *why = "cannot count this user's processes";
        return 40;
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)mine + 30) {
        struct rlimit lim = { (rlim_t)mine + 30, rl.rlim_max };
        if (setrlimit(RLIMIT_NPROC, &lim) != 0) {
            *why = "setrlimit(RLIMIT_NPROC) failed";
            return 40;
        }
    }
    return 60;
}

static int round_no;

static void bomb(void *arg)
{
    (void)arg;
    const char *why = NULL;
    int bound = on_bunshin() ? MAX_KIDS : linux_setup(&why);
    struct rlimit rl = { 0, 0 };
    int gr = getrlimit(RLIMIT_NPROC, &rl);
    const char *pfx = round_no == 1 ? "forkbomb" : "forkbomb.again";
    if (on_bunshin()) {
        // Half the table, as Linux gives a user half of max_threads; the
        // table has at least 1024 slots per 256 MiB of memory.
        long want = meminfo_total_kb() / 512;
        check(gr == 0 && (long)rl.rlim_cur >= want && rl.rlim_cur < MAX_KIDS,
              tname("%s.rlimit_nproc", pfx),
              "getrlimit(RLIMIT_NPROC): %d, %ld (at least %ld expected for %ld kB)", gr,
              (long)rl.rlim_cur, want, meminfo_total_kb());
    }

    int release[2];
    if (pipe(release) < 0) {
        fail(tname("%s.pipe", pfx), "pipe: %s", errname(errno));
        _exit(test_status());
    }
    static pid_t kids[MAX_KIDS];
    int n = 0, err = 0;
    while (n < bound) {
        pid_t pid = fork();   // nothing buffered: the lines go out with write()
        if (pid == 0) {
            close(release[1]);
            char c;
            while (read(release[0], &c, 1) > 0)
                ;
            _exit(0);
        }
        if (pid < 0) {
            err = errno;
            break;
        }
        kids[n++] = pid;
    }
    if (why) {
        skip(tname("%s.eagain", pfx), "Linux: %s; stopped after %d children (fork said %s)",
             why, n, err ? errname(err) : "nothing");
        skip(tname("%s.eagain_again", pfx), "Linux: %s", why);
    } else {
        check(err == EAGAIN && n > 0, tname("%s.eagain", pfx),
              "forked %d children (the limit is %ld) and then fork %s", n, (long)rl.rlim_cur,
              err ? tname("failed with %s, not EAGAIN", errname(err))
                  : "never failed");
        if (err) {
            pid_t pid = fork();
            if (pid == 0)
                _exit(0);
            int err2 = errno;
            if (pid > 0)
                kids[n++] = pid;
            check(pid < 0 && err2 == EAGAIN, tname("%s.eagain_again", pfx),
                  "the next fork %s", pid < 0 ? errname(err2) : "worked");
        }
        // bunshin: root is exempt from RLIMIT_NPROC, which is half the
        // process table; the table is what fills.
        long bound_n = on_bunshin() ? 2 * (long)rl.rlim_cur : (long)rl.rlim_cur;
        check(n <= bound_n, tname("%s.within_limit", pfx),
              "%d children, more than the limit of %ld processes", n, bound_n);
        if (on_bunshin())
            check(n >= bound_n - 8, tname("%s.table_filled", pfx),
                  "fork failed after only %d children (%ld slots)", n, bound_n);
    }
    // Every child is still there (kill(pid, 0) finds it, wait does not).
    int running = 0;
    for (int i = 0; i < n; i++)
        running += waitpid(kids[i], NULL, WNOHANG) == 0;
    check(running == n, tname("%s.children_alive", pfx),
          "%d of %d children still running before the release", running, n);

    close(release[0]);
    close(release[1]);
    int good = 0;
    for (int i = 0; i < n; i++)
        good += wait_for(kids[i]) == 0;
    check(good == n, tname("%s.all_reaped", pfx),
          "%d of %d children exited with status 0 and were reaped", good, n);
    int st;
    pid_t r = waitpid(-1, &st, WNOHANG);
    check(r == -1 && errno == ECHILD, tname("%s.none_left", pfx),
          "waitpid(-1, WNOHANG) after reaping all: %d", (int)r);
    pid_t pid = fork();
    if (pid == 0)
        _exit(5);
    st = pid > 0 ? wait_for(pid) : -1;
    check(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 5, tname("%s.fork_after", pfx),
          "a fork after the bomb: %s", pid > 0 ? status_str(st) : errname(errno));
    _exit(test_status());
}

int main(void)
{
    long before = memfree_start();
    round_no = 1;
    int st = run_child(bomb, NULL);
    check(st == 0, "forkbomb.checks_passed", "the bomb %s", status_str(st));
    memfree_check("forkbomb.memfree_restored", before);
    // A second bomb: the slots and frames of the first one all came back.
    round_no = 2;
    st = run_child(bomb, NULL);
    check(st == 0, "forkbomb.again.checks_passed", "the second bomb %s", status_str(st));
    memfree_check("forkbomb.again.memfree_restored", before);
    return test_status();
}
