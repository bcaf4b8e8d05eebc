// t_mmap_shared: MAP_SHARED | MAP_ANONYMOUS memory stays shared across fork,
// while private memory beside it stays copy-on-write (fork(2), mmap(2)):
//   - a child's write is seen by its parent, a parent's write after the fork
//     by its child, a grandchild's by both; a private page is not;
//   - munmap in a child leaves the parent's mapping; mprotect to read-only
//     and back keeps the frames shared; PROT_NONE shared memory made
//     writable later is still one memory; a touch of it before faults;
//   - madvise(MADV_DONTNEED) keeps a shared page's contents, MADV_FREE is
//     EINVAL there; /proc/self/maps marks the region 's';
//   - a futex in shared memory: a wait in one process is woken by another,
//     unless both said FUTEX_PRIVATE_FLAG (then each has its own word);
//   - the flags: MAP_SHARED_VALIDATE (for files only), no type or a bad one
//     are EINVAL for anonymous memory;
//   - MemFree back where it started.
// bunshin-boot: fork=copy
// bunshin-boot: fork=odf
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"
#include "poll_common.h"     // wait_sleeping

// futex(2)'s operations (musl ships no <linux/futex.h>).
#define FUTEX_WAIT         0
#define FUTEX_WAKE         1
#define FUTEX_PRIVATE_FLAG 128

#define PAGE 4096

static char *map(int prot, int flags)
{
    return mmap(NULL, 2 * PAGE, prot, flags | MAP_ANONYMOUS, -1, 0);
}

// Fork a child that runs fn(arg), then exits 0; wait for it. 1 if it
// exited 0.
static int in_child(void (*fn)(char *), char *arg)
{
    pid_t pid = xfork();
    if (pid == 0) {
        fn(arg);
        _exit(0);
    }
    int st = wait_for(pid);
    return st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void write_c(char *m) { m[0] = 'c'; m[PAGE] = 'C'; }
static void write_g(char *m) { in_child(write_c, m); m[1] = 'g'; }
static void unmap_it(char *m) { munmap(m, 2 * PAGE); }
static void protect_write(char *m) { mprotect(m, 2 * PAGE, PROT_READ | PROT_WRITE); m[0] = 'x'; }
static void touch(char *m) { m[0] = 't'; }

static void sharing(void)
{
    char *s = map(PROT_READ | PROT_WRITE, MAP_SHARED);
    char *p = map(PROT_READ | PROT_WRITE, MAP_PRIVATE);
    if (!check(s != MAP_FAILED && p != MAP_FAILED, "shared.mmap", "mmap: %s", errname(errno)))
        return;
    s[0] = 'p';
    p[0] = 'p';
    in_child(write_c, s);
    in_child(write_c, p);
    check(s[0] == 'c' && s[PAGE] == 'C', "shared.child_write_seen",
          "the parent reads '%c' '%c' after its child wrote 'c' 'C'", s[0], s[PAGE]);
    check(p[0] == 'p', "private.child_write_unseen",
          "a private page reads '%c' in the parent after its child wrote 'c'", p[0]);

    // The parent writes after the fork; the child looks once told to.
    int go[2], back[2];
    if (pipe(go) < 0 || pipe(back) < 0)
        return;
    pid_t pid = xfork();
    if (pid == 0) {
        char b;
        read(go[0], &b, 1);
        char seen[2] = { s[0], p[0] };
        write(back[1], seen, 2);
        _exit(0);
    }
    s[0] = 'P';
    p[0] = 'P';
    write(go[1], "x", 1);
    char seen[2] = { 0, 0 };
    read(back[0], seen, 2);
    wait_for(pid);
    check(seen[0] == 'P', "shared.parent_write_seen",
          "the child reads '%c' after its parent wrote 'P'", seen[0]);
    check(seen[1] == 'p', "private.parent_write_unseen",
          "a private page reads '%c' in the child after its parent wrote 'P'", seen[1]);
    close(go[0]), close(go[1]), close(back[0]), close(back[1]);

    s[1] = 0;
    in_child(write_g, s);
    check(s[0] == 'c' && s[1] == 'g', "shared.grandchild_write_seen",
          "the parent reads '%c' '%c' (a grandchild wrote 'c', a child 'g')", s[0], s[1]);

    in_child(unmap_it, s);
    s[0] = 'u';
    check(s[0] == 'u', "shared.munmap_in_child", "the parent's mapping changed");

    check_eq("shared.mprotect_ro", 0, mprotect(s, 2 * PAGE, PROT_READ));
    check_eq("shared.mprotect_rw", 0, mprotect(s, 2 * PAGE, PROT_READ | PROT_WRITE));
    in_child(write_c, s);
    check(s[0] == 'c', "shared.after_mprotect",
          "after mprotect read-only and back, the parent reads '%c' where its child wrote 'c'", s[0]);

    // MADV_DONTNEED keeps a shared page's contents; MADV_FREE is refused.
    check_eq("shared.madv_dontneed", 0, madvise(s, PAGE, MADV_DONTNEED));
    check(s[0] == 'c', "shared.madv_dontneed_keeps", "the page reads '%c' after MADV_DONTNEED", s[0]);
    check_errno("shared.madv_free", madvise(s, PAGE, MADV_FREE), EINVAL);

    // /proc/self/maps: the fourth letter of the rights is 's'.
    char buf[8192], want[32];
    long n = read_file("/proc/self/maps", buf, sizeof buf);
    snprintf(want, sizeof want, "%08lx-", (unsigned long)s);
    char *line = n > 0 ? strstr(buf, want) : NULL;
    char *rights = line ? strchr(line, ' ') : NULL;
    check(rights && strncmp(rights + 1, "rw-s", 4) == 0, "shared.maps_s",
          "/proc/self/maps: %.40s", line ? line : "(no line for the region)");
    rights = NULL;
    snprintf(want, sizeof want, "%08lx-", (unsigned long)p);
    line = n > 0 ? strstr(buf, want) : NULL;
    rights = line ? strchr(line, ' ') : NULL;
    check(rights && strncmp(rights + 1, "rw-p", 4) == 0, "private.maps_p",
          "/proc/self/maps: %.40s", line ? line : "(no line for the region)");
    munmap(s, 2 * PAGE);
    munmap(p, 2 * PAGE);

    // PROT_NONE shared memory: a touch faults; made writable in a child, it
    // is still the parent's memory too.
    char *z = map(PROT_NONE, MAP_SHARED);
    if (!check(z != MAP_FAILED, "shared.prot_none_mmap", "mmap: %s", errname(errno)))
        return;
    pid = xfork();
    if (pid == 0) {
        touch(z);
        _exit(0);
    }
    int st = wait_for(pid);
    check(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "shared.prot_none_faults",
          "a touch of PROT_NONE memory: the child %s", st < 0 ? "was lost" : status_str(st));
    in_child(protect_write, z);
    mprotect(z, 2 * PAGE, PROT_READ);
    check(z[0] == 'x', "shared.prot_none_later_shared",
          "the parent reads '%c' where its child, after mprotect, wrote 'x'", z[0]);
    munmap(z, 2 * PAGE);
}

// A child waits on the word w (op FUTEX_WAIT, private or not, at most
// 2 s); once it sleeps the parent wakes it. Returns what the parent's wake
// said; *child_ret is what the child's wait returned (0 or -errno).
static long futex_pair(int *w, int private_flag, int *child_ret)
{
    *w = 0;
    pid_t pid = xfork();
    if (pid == 0) {
        struct timespec t = { 2, 0 };
        long r = syscall(SYS_futex, w, FUTEX_WAIT | private_flag, 0, &t, NULL, 0);
        _exit(r == 0 ? 0 : errno == ETIMEDOUT ? 1 : 2);
    }
    wait_sleeping(pid);
    long n = syscall(SYS_futex, w, FUTEX_WAKE | private_flag, 1, NULL, NULL, 0);
    int st = wait_for(pid);
    *child_ret = st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return n;
}

static void futexes(void)
{
    int *w = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!check(w != MAP_FAILED, "futex.mmap", "mmap: %s", errname(errno)))
        return;
    int child;
    long n = futex_pair(w, 0, &child);
    check(n == 1 && child == 0, "futex.shared_woken",
          "FUTEX_WAKE in the parent woke %ld; the child's FUTEX_WAIT %s", n,
          child == 0 ? "returned 0" : child == 1 ? "timed out" : "failed");
    n = futex_pair(w, FUTEX_PRIVATE_FLAG, &child);
    check(n == 0 && child == 1, "futex.private_not_shared",
          "FUTEX_WAKE_PRIVATE in the parent woke %ld; the child's FUTEX_WAIT_PRIVATE %s", n,
          child == 0 ? "returned 0" : child == 1 ? "timed out" : "failed");
    munmap(w, PAGE);
}

static void flags(void)
{
    // MAP_SHARED_VALIDATE is for files: anonymous memory refuses it.
    check_errno("flags.shared_validate_anonymous",
                (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0),
                EINVAL);
    check_errno("flags.no_type", (long)mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
    check_errno("flags.bad_type", (long)mmap(NULL, PAGE, PROT_READ, 0x04 | MAP_ANONYMOUS, -1, 0),
                EINVAL);
}

static void all(void *arg)
{
    (void)arg;
    sharing();
    futexes();
    flags();
    _exit(test_status());
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all, NULL);
    if (st < 0 || !WIFEXITED(st))
        fail("shared.run", "the test's process %s", st < 0 ? "was lost" : status_str(st));
    memfree_check("shared.memfree", before);
    return test_status() || (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st));
}
