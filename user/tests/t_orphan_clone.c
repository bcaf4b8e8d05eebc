// t_orphan_clone: an orphaned "clone child" is reaped by init too.
//
// A child made by clone() whose exit signal is not SIGCHLD is a "clone
// child": only wait4 with __WALL or __WCLONE sees it. When its parent dies
// first, it goes to init, and, as on Linux, its exit signal becomes
// SIGCHLD then: init waits with a plain wait4, and would otherwise leave
// it a zombie for ever, holding a process slot and its kernel stack. (The
// fuzzer, t_fuzz, found this; issue 9.)
//
// For exit signals 0 and SIGUSR1, two cases: the clone child still runs
// when its parent exits (it waits for the new parent, then exits), and it
// has already ended (a zombie when its parent exits). Each time the test
// watches it disappear: kill(pid, 0) fails with ESRCH once it is reaped.
// On the Linux host the new parent is tests/user-host.sh's init, the child
// subreaper, which reaps with a plain wait4 as bunshin's init does.
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"

// A fork whose child ends with exit signal sig: clone(sig, no new stack).
static pid_t clone_fork(int sig)
{
    return (pid_t)syscall(SYS_clone, sig, 0, 0, 0, 0);
}

// The middle process: makes the clone child, passes its pid up through
// report, and exits, leaving it an orphan (still running, or a zombie).
static void middle(int sig, int zombie, int report)
{
    // Linux sends the clone child's exit signal to us when it ends first:
    // blocked, so that SIGUSR1's default action does not end us early.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig ? sig : SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int done[2];
    if (pipe(done) < 0)
        _exit(1);
    pid_t me = getpid();
    pid_t child = clone_fork(sig);
    if (child == 0) {
        if (!zombie)
            while (getppid() == me)         // until it is an orphan
                sleep_ms(5);
        _exit(0);                           // closes its end of done
    }
    if (child < 0)
        _exit(1);
    close(done[1]);
    write_full(report, &child, sizeof child);
    if (zombie) {
        char c;
        read(done[0], &c, 1);               // end of file: it has exited
        sleep_ms(20);
    }
    _exit(0);
}

// Is pid gone for good? Waits up to 5 s.
static int reaped_within_5s(pid_t pid)
{
    for (int i = 0; i < 500; i++) {
        if (kill(pid, 0) < 0 && errno == ESRCH)
            return 1;
        sleep_ms(10);
    }
    return 0;
}

static void one_case(int sig, int zombie)
{
    const char *name = tname("orphan_clone.%s.%s", sig ? "sigusr1" : "signal0",
                             zombie ? "zombie" : "running");
    int p[2];
    if (pipe(p) < 0) {
        fail(name, "pipe: %s", errname(errno));
        return;
    }
    pid_t mid = xfork();
    if (mid == 0) {
        close(p[0]);
        middle(sig, zombie, p[1]);
    }
    close(p[1]);
    pid_t child = 0;
    int got = read_full(p[0], &child, sizeof child) == sizeof child;
    close(p[0]);
    int st = mid > 0 ? wait_for(mid) : -1;
    if (!got || st != 0) {
        fail(name, "the middle process %s%s", status_str(st),
             got ? "" : " and passed no pid");
        return;
    }
    check(reaped_within_5s(child), name,
          "the orphaned clone child %d is still there 5 s after its parent exited",
          (int)child);
}

int main(void)
{
    long before = memfree_start();
    one_case(0, 0);
    one_case(0, 1);
    one_case(SIGUSR1, 0);
    one_case(SIGUSR1, 1);
    memfree_check("orphan_clone.memfree_restored", before);
    return test_status();
}
