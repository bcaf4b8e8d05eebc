// t_forkexec: execve after fork gives the shared frames back.
//
// The parent writes 4 MiB and forks. While the child has not exec'd yet,
// the two share those frames (smaps_rollup: the parent's Pss is well below
// its Rss). The child then execs pipe_hold, which stays alive; from then
// on the parent shares nothing with it (Pss close to Rss; on bunshin
// exactly equal), and rewriting all 4 MiB costs the parent no frame at all
// (bunshin: MemFree unchanged, since each page is its own again and the
// copy-on-write fault just makes it writable). When the exec'd child has
// exited and been reaped, MemFree is exactly where it was before the fork
// (bunshin). Also the plain cases: fork + exec of /bin/true and /bin/false
// give their statuses, and a failed exec leaves the child to report it.
// bunshin-boot: fork=odf
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096ul
#define BIG (4ul << 20)

static int fork_exec(const char *path, char *const argv[])
{
    pid_t pid = xfork();
    if (pid == 0) {
        char *envp[] = { NULL };
        execve(path, argv, envp);
        _exit(100 + errno);
    }
    return pid < 0 ? -1 : wait_for(pid);
}

static void plain_cases(void)
{
    const char *t = rootpath("/bin/true"), *f = rootpath("/bin/false");
    char *targv[] = { "true", NULL }, *fargv[] = { "false", NULL };
    int st = fork_exec(t, targv);
    check(st == 0, "forkexec.true", "fork + exec %s: %s", t, status_str(st));
    st = fork_exec(f, fargv);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 1, "forkexec.false", "fork + exec %s: %s", f,
          status_str(st));
    const char *missing = rootpath("/bin/no-such-program");
    st = fork_exec(missing, targv);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 100 + ENOENT, "forkexec.missing_in_child",
          "fork + exec %s: %s (%d expected: 100 + ENOENT)", missing, status_str(st),
          100 + ENOENT);
}

static void fill(unsigned char *p, int tag)
{
    for (unsigned long i = 0; i < BIG; i += PAGE)
        memset(p + i, (unsigned char)(tag + i / PAGE), PAGE);
}

static long bad_pages(const unsigned char *p, int tag)
{
    long bad = 0;
    for (unsigned long i = 0; i < BIG; i += PAGE) {
        uint32_t want = (unsigned char)(tag + i / PAGE) * 0x01010101u;
        const uint32_t *w = (const uint32_t *)(p + i);
        for (unsigned k = 0; k < PAGE / 4; k++)
            if (w[k] != want) {
                bad++;
                break;
            }
    }
    return bad;
}

struct reading {
    long memfree, rss, pss;
};

static struct reading take(void)
{
    struct reading r;
    r.memfree = meminfo_free_kb();
    r.rss = smaps_rollup_kb(0, "Rss");
    r.pss = smaps_rollup_kb(0, "Pss");
    return r;
}

// One round: fork, the child waits, execs pipe_hold, the parent rewrites
// its memory, releases pipe_hold and reaps it. With report, check.
static void round_trip(unsigned char *big, int tag, int report)
{
    // Before the pipes: each holds a 16 KiB buffer on bunshin.
    struct reading before = take();
    int go[2], hold[2], ready[2];
    if (pipe(go) < 0 || pipe(hold) < 0 || pipe(ready) < 0) {
        fail("forkexec.pipe", "pipe: %s", errname(errno));
        return;
    }
    char rfd[16], wfd[16];
    snprintf(rfd, sizeof rfd, "%d", hold[0]);
    snprintf(wfd, sizeof wfd, "%d", ready[1]);
    const char *helper = rootpath("/tests/pipe_hold");

    pid_t pid = xfork();
    if (pid == 0) {
        close(go[1]);
        close(hold[1]);
        close(ready[0]);
        char c;
        read(go[0], &c, 1);
        char *argv[] = { "pipe_hold", rfd, wfd, NULL };
        char *envp[] = { NULL };
        execve(helper, argv, envp);
        _exit(100 + errno);
    }
    close(go[0]);
    close(hold[0]);
    close(ready[1]);
    // The child exists and has not exec'd: it shares the 4 MiB.
    struct reading shared = take();
    write(go[1], "g", 1);
    close(go[1]);
    pid_t helper_pid = 0;
    ssize_t n = read_full(ready[0], &helper_pid, sizeof helper_pid);
    close(ready[0]);
    // The child runs pipe_hold now.
    struct reading execd = take();
    fill(big, tag);
    struct reading rewritten = take();
    close(hold[1]);
    int st = wait_for(pid);
    struct reading after = take();
    if (!report)
        return;

    if (!check(n == sizeof helper_pid && helper_pid == pid, "forkexec.exec_runs",
               "pipe_hold (%s) did not report: read %zd bytes, pid %d (the child is %d); "
               "child %s",
               helper, n, (int)helper_pid, (int)pid, status_str(st)))
        return;
    check(st == 0, "forkexec.helper_status", "pipe_hold %s", status_str(st));
    long bad = bad_pages(big, tag);
    check(bad == 0, "forkexec.parent_memory", "%ld of %lu pages of the parent's 4 MiB "
          "lost its writes", bad, BIG / PAGE);

    // Pss against Rss: a frame shared with the child counts half.
    long big_kb = BIG / 1024;
    if (shared.rss < 0 || shared.pss < 0 || execd.rss < 0 || execd.pss < 0) {
        fail("forkexec.smaps_rollup", "no Rss or Pss in /proc/self/smaps_rollup "
             "(Rss %ld, Pss %ld)", shared.rss, shared.pss);
    } else {
        check(shared.rss - shared.pss >= big_kb / 2, "forkexec.shared_before_exec",
              "before the child's exec the parent's Rss is %ld kB and Pss %ld kB: the "
              "4 MiB shared with the child should make Pss at least %ld kB lower",
              shared.rss, shared.pss, big_kb / 2);
        if (on_bunshin())
            check(execd.pss == execd.rss, "forkexec.unshared_after_exec",
                  "after the child's exec the parent's Rss is %ld kB and Pss %ld kB: "
                  "some frames are still shared (with the old image?)",
                  execd.rss, execd.pss);
        else
            check(execd.rss - execd.pss < 256, "forkexec.unshared_after_exec",
                  "after the child's exec the parent's Rss is %ld kB and Pss %ld kB: "
                  "more than 256 kB still counted as shared", execd.rss, execd.pss);
    }
    if (on_bunshin()) {
        check(rewritten.memfree == execd.memfree, "forkexec.rewrite_costs_nothing",
              "after the child's exec, rewriting the parent's 4 MiB changed MemFree from "
              "%ld kB to %ld kB (%+ld kB): the old image still held the frames, so writing "
              "copied them",
              execd.memfree, rewritten.memfree, rewritten.memfree - execd.memfree);
        check(after.memfree == before.memfree, "forkexec.frames_back",
              "MemFree was %ld kB before the fork, %ld kB after the exec'd child was "
              "reaped (%+ld kB)", before.memfree, after.memfree,
              after.memfree - before.memfree);
    } else {
        skip("forkexec.rewrite_costs_nothing", "Linux: MemFree moves with every other "
             "process (%+ld kB)", rewritten.memfree - execd.memfree);
        skip("forkexec.frames_back", "Linux: MemFree moves with every other process "
             "(%+ld kB)", after.memfree - before.memfree);
    }
}

static void all_checks(void)
{
    plain_cases();
    unsigned char *big = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                              -1, 0);
    if (!check(big != MAP_FAILED, "forkexec.mmap", "mmap(4 MiB): %s", errname(errno)))
        _exit(test_status());
    fill(big, 1);
    prefault_stack(64 * 1024);
    prefault_data();
    round_trip(big, 2, 0);   // warm-up: the kernel's tables, the pipes, /proc
    round_trip(big, 3, 1);
    munmap(big, BIG);
    _exit(test_status());
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "inner") == 0)
        all_checks();
    // The checks run in a fresh image of this program (t_forkexec inner),
    // so the process doing them shares no frame with this one, which
    // measures MemFree around it: Pss equals Rss exactly once its own
    // child has exec'd.
    long before = memfree_start();
    const char *self = rootpath("/tests/t_forkexec");
    pid_t pid = xfork();
    if (pid == 0) {
        char *cargv[] = { "t_forkexec", "inner", NULL };
        extern char **environ;
        execve(self, cargv, environ);
        fail("forkexec.self_exec", "execve %s: %s", self, errname(errno));
        _exit(1);
    }
    int st = wait_for(pid);
    check(st == 0, "forkexec.checks_passed", "%s inner, which does the checks, %s", self,
          status_str(st));
    memfree_check("forkexec.memfree_restored", before);
    return test_status();
}
