// t_orphan: a process whose parent exits is handed to init, which reaps it.
//
// The test forks a middle child, which forks a grandchild and exits. The
// grandchild waits until its parent has changed, writes its new parent's
// pid to a file and exits. The test then watches the grandchild disappear:
// kill(pid, 0) fails with ESRCH once nobody holds it any more, zombie or
// not. (If kill is ENOSYS, /proc/PID tells the same.)
//
// It does so twice: with a grandchild made by fork, and with one made by
// clone with no exit signal (a "clone child", which only wait4 with __WCLONE
// or __WALL sees). An orphan's exit signal becomes SIGCHLD when it is
// reparented (Linux's reparent_leader does this), so init's plain wait4 must
// reap the second one too; before bunshin did the same, every such orphan
// stayed a zombie for good and took a process slot with it.
//
// On bunshin the new parent must be pid 1, our init. On the Linux host it
// is whatever reaps orphans there: tests/user-host.sh runs every test under
// user/bin/init, which is not pid 1 but asks Linux to make it the
// "child subreaper", so it is the new parent and must reap. Under another
// parent (a plain shell, a container's pid 1 that never waits) the
// reaping check is a skip on Linux.
#define _GNU_SOURCE                // clone()
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

static const struct timespec tick = { 0, 10 * 1000000 };   // 10 ms

// Is pid gone for good (reaped)? 1 yes, 0 no, -1 cannot tell.
static int gone(pid_t pid)
{
    if (kill(pid, 0) == 0)
        return 0;
    if (errno == ESRCH)
        return 1;
    struct stat st;
    if (errno == ENOSYS && stat("/proc/self", &st) == 0)
        return stat(tname("/proc/%d", (int)pid), &st) != 0;
    return -1;
}

// The name of a process on Linux ("init"...), or "?".
static const char *comm_of(pid_t pid)
{
    static char buf[64];
    if (read_file(tname("/proc/%d/comm", (int)pid), buf, sizeof buf) <= 0)
        return "?";
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

// The grandchild: wait (at most 10 s) until the middle child, first, is
// gone, report "pid first new-parent" in file, exit.
static int grandchild_main(pid_t first, const char *file)
{
    for (int i = 0; i < 1000 && getppid() == first; i++)
        nanosleep(&tick, NULL);
    char line[64];
    int n = snprintf(line, sizeof line, "%d %d %d\n", (int)getpid(), (int)first,
                     (int)getppid());
    // One write: the parent waits for the newline, so it never takes half a
    // line for the whole.
    int fd = open(file, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    write(fd, line, n);
    close(fd);
    return 0;
}

struct clone_arg {
    pid_t first;
    const char *file;
};

static int clone_child(void *p)
{
    struct clone_arg *a = p;
    _exit(grandchild_main(a->first, a->file));
}

static char clone_stack[64 * 1024] __attribute__((aligned(16)));

// One orphan, made by fork or (use_clone) by clone with no exit signal;
// its checks are named PREFIX.middle_exits, PREFIX.reaped...
static void orphan(const char *prefix, int use_clone)
{
    char file[256];
    snprintf(file, sizeof file, "%s", scratch_path(tname("%s.%d", prefix, (int)getpid())));
    unlink(file);

    pid_t middle = xfork();
    if (middle == 0) {
        // Taken before the fork: by the time the grandchild runs, its
        // parent may already have exited.
        pid_t first = getpid();
        pid_t grandchild;
        if (use_clone) {
            static struct clone_arg a;
            a.first = first;
            a.file = file;
            grandchild = clone(clone_child, clone_stack + sizeof clone_stack, 0, &a);
        } else {
            grandchild = xfork();
            if (grandchild == 0)
                _exit(grandchild_main(first, file));
        }
        _exit(grandchild > 0 ? 0 : 1);
    }
    int st = -1;
    waitpid(middle, &st, 0);
    check(st == 0, tname("%s.middle_exits", prefix), "the middle child %s", status_str(st));

    // Wait (at most 10 s) for the grandchild's report.
    char line[64] = "";
    for (int i = 0; i < 1000 && (read_file(file, line, sizeof line) <= 0 ||
                                 !strchr(line, '\n')); i++)
        nanosleep(&tick, NULL);
    int grandchild = 0, first = 0, adopter = 0;
    int got = sscanf(line, "%d %d %d", &grandchild, &first, &adopter) == 3;
    if (!check(got, tname("%s.report", prefix),
               "no report from the grandchild in 10 s (\"%s\")", line))
        return;
    check(first == middle && adopter != middle && adopter > 0, tname("%s.reparented", prefix),
          "the grandchild's parent was %d (the middle child is %d), then %d", first,
          (int)middle, adopter);
    // Our init: pid 1 on bunshin; on Linux the subreaper that started us.
    int under_init = on_bunshin() || strcmp(comm_of(getppid()), "init") == 0;
    pid_t init_pid = on_bunshin() ? 1 : getppid();
    if (under_init)
        check_eq(tname("%s.adopted_by_init", prefix), init_pid, adopter);
    else
        skip(tname("%s.adopted_by_init", prefix), "Linux: not run under init; the orphan "
             "went to the nearest subreaper, pid %d (%s)", adopter, comm_of(adopter));

    // The grandchild has exited (or is about to): watch it be reaped.
    int r = 0;
    for (int i = 0; i < 500 && (r = gone(grandchild)) == 0; i++)
        nanosleep(&tick, NULL);
    if (under_init)
        check(r == 1, tname("%s.reaped", prefix),
              "5 s after it exited, the grandchild %d %s", grandchild,
              r == 0 ? "still exists (a zombie nobody reaps?)"
                     : "cannot be observed: kill(pid, 0) and /proc/PID both unavailable");
    else
        skip(tname("%s.reaped", prefix), "Linux: not run under init, so reaping is up to "
             "pid %d (%s); tests/user-host.sh runs the tests under init (%s)", adopter,
             comm_of(adopter), r == 1 ? "it was reaped" : "it was not reaped in 5 s");
    unlink(file);
}

int main(void)
{
    orphan("orphan", 0);
    orphan("orphan.clone", 1);
    return test_status();
}
