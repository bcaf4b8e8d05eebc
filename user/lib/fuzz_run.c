// fuzz_run.c: the fuzzer driver's side: waiting for a child with a time
// limit (bunshin has no signal handlers yet, so no alarm(): the driver
// polls), and finding processes that should not be there any more.
//
// Nothing here calls malloc, so the driver's own memory stays the same from
// one child to the next and MemFree can be compared exactly.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"
#include "fuzz.h"
#include "fuzz_run.h"

#define KILL_GRACE_MS 5000     // SIGKILL must end anything within this
#define YIELD_MS 30            // see fuzz_wait_child

static long now_ms(void)
{
    return (long)(mono_ns() / 1000000);
}

// Read every progress message that is there (the read end is non-blocking).
static int drain(struct fuzz_wait *w)
{
    struct fuzz_progress msgs[64];
    int got = 0;
    ssize_t n;
    while (w->progress_fd >= 0 && (n = read(w->progress_fd, msgs, sizeof msgs)) > 0) {
        for (size_t i = 0; i < (size_t)n / sizeof msgs[0]; i++) {
            w->calls++;
            w->last_index = msgs[i].index;
            w->last_nr = msgs[i].nr;
            if (msgs[i].nr <= FUZZ_MAX_NR)
                w->seen[msgs[i].nr / 8] |= (uint8_t)(1u << (msgs[i].nr % 8));
            got = 1;
        }
    }
    return got;
}

int fuzz_wait_child(pid_t pid, struct fuzz_wait *w)
{
    long start = now_ms(), last = start, killed_at = 0;
    w->killed = w->stalled = w->unkillable = 0;
    w->calls = 0;
    for (;;) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        int busy = drain(w);
        if (r == pid) {
            w->status = st;
            return 0;
        }
        if (r < 0 && errno != EINTR)
            return -1;
        long now = now_ms();
        if (busy)
            last = now;
        if (!killed_at && ((w->stall_ms && now - last > w->stall_ms) ||
                           now - start > w->limit_ms)) {
            w->stalled = now - start <= w->limit_ms;
            kill(pid, SIGKILL);
            w->killed = 1;
            killed_at = now;
        }
        if (killed_at && now - killed_at > KILL_GRACE_MS) {
            w->unkillable = 1;
            return -1;
        }
        // A child that has just made progress (or started) most likely runs:
        // it gets the processor back at once, and the driver looks again as
        // soon as it ends, blocks, or its time slice is over. One that has
        // shown nothing for a while is probably blocked: it is looked at
        // again a clock tick later, so that the driver does not spin.
        if (now - last < YIELD_MS)
            sched_yield();
        else
            sleep_ms(10);
    }
}

int fuzz_list_pids(int *pids, int max)
{
    static char buf[4096];
    int fd = open("/proc", O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int n = 0;
    long got;
    while ((got = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < got;) {
            // struct linux_dirent64: ino (8), off (8), reclen (2), type, name
            unsigned short reclen;
            memcpy(&reclen, buf + off + 16, sizeof reclen);
            const char *name = buf + off + 19;
            if (name[0] >= '1' && name[0] <= '9' && n < max)
                pids[n++] = atoi(name);
            off += reclen;
        }
    }
    close(fd);
    return n;
}

static int in(const int *set, int n, int v)
{
    for (int i = 0; i < n; i++)
        if (set[i] == v)
            return 1;
    return 0;
}

// Reap whatever children of our own have ended (clone children included:
// a fuzz child's clone(CLONE_PARENT) makes them ours).
static int reap_own(void)
{
    int n = 0, st;
    while (waitpid(-1, &st, WNOHANG | __WALL) > 0)
        n++;
    return n;
}

int fuzz_clear_strays(const int *keep, int nkeep, struct fuzz_strays *s)
{
    int pids[256];
    memset(s, 0, sizeof *s);
    s->reaped = reap_own();
    int n = fuzz_list_pids(pids, 256);
    int me = getpid();
    for (int i = 0; i < n; i++) {
        if (pids[i] == me || in(keep, nkeep, pids[i]))
            continue;
        // Nothing else runs during the test: a process we did not have at
        // the start is a descendant of a fuzz child. It goes.
        kill(pids[i], SIGKILL);
        s->found++;
    }
    // They end, and init (or we) reap them.
    long start = now_ms();
    for (;;) {
        s->reaped += reap_own();
        n = fuzz_list_pids(pids, 256);
        s->nleft = 0;
        for (int i = 0; i < n; i++)
            if (pids[i] != me && !in(keep, nkeep, pids[i]) && s->nleft < FUZZ_MAX_LEFT)
                s->left[s->nleft++] = pids[i];
        if (s->nleft == 0 || now_ms() - start > KILL_GRACE_MS)
            return s->nleft;
        sleep_ms(20);
    }
}

// The text after "name" on its line of a /proc status file, into out.
static void status_field(const char *text, const char *name, char *out, size_t size)
{
    const char *p = strstr(text, name);
    if (!p)
        return;
    p += strlen(name);
    p += strspn(p, " \t");
    size_t n = strcspn(p, "\n");
    if (n >= size)
        n = size - 1;
    memcpy(out, p, n);
    out[n] = 0;
}

const char *fuzz_describe_pid(int pid)
{
    static char out[160];
    char buf[2048], state[40] = "?", ppid[16] = "?";
    if (read_file(tname("/proc/%d/status", pid), buf, sizeof buf) >= 0) {
        status_field(buf, "State:", state, sizeof state);
        status_field(buf, "PPid:", ppid, sizeof ppid);
    }
    snprintf(out, sizeof out, "pid %d (state %s, parent %s)", pid, state, ppid);
    return out;
}
