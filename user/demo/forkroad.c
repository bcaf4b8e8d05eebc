// forkroad: the claims of "A fork() in the road" (Baumann, Appavoo, Krieger,
// Roscoe, HotOS 2019), one subcommand each, every problem followed by its
// way out. docs/fork-in-the-road.md reads the output; t_forkroad checks it.
//
//   forkroad stdio       a stdio buffer forked is written twice; fflush first
//   forkroad lock        a mutex held by another thread stays locked in the
//                        child; pthread_atfork, or posix_spawn, avoids it
//   forkroad fds         a descriptor without O_CLOEXEC is open in the exec'd
//                        program; with O_CLOEXEC (pipe2, open) it is not
//   forkroad aslr        fork's child has its parent's addresses; posix_spawn'd
//                        copies of the program get new ones
//   forkroad overcommit  a parent that has written most of what may be promised
//                        forks (heuristic) or gets ENOMEM (overcommit=never);
//                        posix_spawn of a small program works in both
//   forkroad cost        fork+_exit, fork+execve and posix_spawn timed with
//                        rdtsc for parents of 0 to 64 MiB (printed, never judged)
//   forkroad all         every one of them
//
// Lines that start with a subcommand's name ("stdio fork: ...") are stable
// from run to run and from kernel to kernel, except where the text says which
// kernel or mode it depends on; lines that start with two spaces hold
// addresses or times, which change. The program re-executes itself (through
// /proc/self/exe, else argv[0]) with a first argument that starts with "-"
// for the parts that need a fresh program: "-probe-fds", "-aslr", "-lock",
// "-nop".
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096ul
#define MIB (1024ul * 1024)

extern char **environ;
static char self[4096];                 // this program's path, for execve and posix_spawn

// The errno names this program can meet, as the man pages write them.
static const char *err_name(int err)
{
    switch (err) {
    case 0: return "0 (got it)";
    case EBUSY: return "EBUSY";
    case ENOMEM: return "ENOMEM";
    case EAGAIN: return "EAGAIN";
    default: return strerror(err);
    }
}

// Wait for pid; its wait status, or -1.
static int reap(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return st;
}

// posix_spawn this program with the arguments (NULL-terminated), stdout
// going to out_fd (-1: inherited); wait for it. Returns its wait status, or
// -1 with the error printed.
static int spawn_self(const char *what, int out_fd, char *const args[])
{
    char *argv[8] = { self };
    for (int i = 0; args[i] && i < 6; i++)
        argv[i + 1] = args[i];
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    pid_t pid;
    int err = posix_spawn(&pid, self, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (err) {
        printf("%s: posix_spawn of %s: %s\n", what, self, strerror(err));
        return -1;
    }
    return reap(pid);
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// Read what a pipe holds until its end (every writer closed).
static size_t drain(int fd, char *buf, size_t size)
{
    size_t n = 0;
    ssize_t r;
    while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) != 0) {
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        n += r;
    }
    buf[n] = 0;
    return n;
}

// How many times needle occurs in hay.
static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

// --- stdio: a buffer is memory, and fork copies memory -------------------------

// Write "hello " through a fully buffered stream on a pipe, fork, and let
// both processes end as programs usually do (exit and fclose flush). With
// flush_first, fflush before fork. Prints how often the text arrived.
static void stdio_round(const char *label, int flush_first)
{
    int p[2];
    if (pipe(p) < 0) {
        printf("stdio %s: pipe: %s\n", label, strerror(errno));
        return;
    }
    FILE *f = fdopen(p[1], "w");        // a pipe: fully buffered
    fprintf(f, "hello ");               // no newline; it would not matter here
    if (flush_first)
        fflush(f);
    fflush(stdout);                     // our own report must not be doubled
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        exit(0);                        // exit flushes f: the child's copy of "hello "
    }
    fclose(f);                          // and the parent's copy
    char buf[256];
    drain(p[0], buf, sizeof buf);
    close(p[0]);
    reap(pid);
    int n = count(buf, "hello ");
    printf("stdio %s: the pipe got \"%s\": %d cop%s\n", label, buf, n, n == 1 ? "y" : "ies");
}

static void do_stdio(void)
{
    stdio_round("fork", 0);
    stdio_round("fflush before fork", 1);
}

// --- lock: fork copies the lock word, not the thread that holds it -------------

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int hold_ms;                     // the longest the holder keeps m
static volatile int let_go;             // set: the holder unlocks m now
static volatile int holding;            // set once the holder has m

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

// The other thread: takes m, keeps it until told to let go or for hold_ms.
static void *holder(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    holding = 1;
    for (int waited = 0; !let_go && waited < hold_ms; waited++)
        sleep_ms(1);
    pthread_mutex_unlock(&m);
    return NULL;
}

// Start a thread that takes m, fork while it holds m (with_handlers: the
// atfork handlers make fork wait until it lets go by itself, after 100 ms),
// tell it to let go, and report the child's pthread_mutex_trylock at once and
// 200 ms later, and the parent's once the holder is gone.
static void lock_round(const char *label, int with_handlers)
{
    pthread_t t;
    hold_ms = with_handlers ? 100 : 10000;
    let_go = 0;
    holding = 0;
    if (pthread_create(&t, NULL, holder, NULL)) {
        printf("lock %s: pthread_create failed\n", label);
        return;
    }
    while (!holding)
        sleep_ms(1);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int first = pthread_mutex_trylock(&m);
        if (first == 0)
            pthread_mutex_unlock(&m);
        sleep_ms(200);                  // the parent's m is free long before
        int later = pthread_mutex_trylock(&m);
        printf("lock %s: child's trylock: %s; 200 ms later: %s\n", label, err_name(first),
               err_name(later));
        fflush(stdout);
        _exit(0);
    }
    let_go = 1;                         // the holder unlocks the parent's m
    reap(pid);
    pthread_join(t, NULL);
    int now = pthread_mutex_trylock(&m);
    if (now == 0)
        pthread_mutex_unlock(&m);
    printf("lock %s: parent's trylock after the holder let go: %s\n", label, err_name(now));
}

// The pthread_atfork handlers: the forking thread takes m just before the
// copy, and each side unlocks its own copy just after, so m is never copied
// while a thread that will not exist in the child holds it.
static void prepare(void) { pthread_mutex_lock(&m); }
static void release(void) { pthread_mutex_unlock(&m); }

static void do_lock(void)
{
    lock_round("fork", 0);
    // The handlers cannot be taken back, so they come second. prepare
    // waits until the holder lets go: fork is delayed, the child is sound.
    pthread_atfork(prepare, release, release);
    lock_round("pthread_atfork", 1);
    // A new program starts with its own memory: no lock can be inherited.
    char *args[] = { "-lock", NULL };
    fflush(stdout);
    spawn_self("lock posix_spawn", -1, args);
}

// The new program's side of "lock posix_spawn": m is as the program's image
// says, unlocked.
static void lock_spawned(void)
{
    int r = pthread_mutex_trylock(&m);
    printf("lock posix_spawn: the new program's trylock: %s\n", err_name(r));
}

// --- fds: every descriptor passes through execve unless marked -----------------

// The exec'd side: for each argument LABEL:FD, whether FD is open here.
static void probe_fds(int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        char *colon = strchr(argv[i], ':');
        if (!colon)
            continue;
        *colon = 0;
        int open_here = fcntl(atoi(colon + 1), F_GETFD) >= 0;
        printf("fds %s: %s in the exec'd program\n", argv[i], open_here ? "open" : "closed");
    }
}

// Make a pipe with pipe2(flags), posix_spawn a program that sleeps half a
// second, close our write end and read: the end of file comes when every
// write end is closed, so at once, or only when the sleeper (which
// inherited one) exits.
static void leak_round(const char *label, int flags)
{
    int p[2];
    if (pipe2(p, flags) < 0) {
        printf("fds %s: pipe2: %s\n", label, strerror(errno));
        return;
    }
    char *argv[] = { self, "-sleep", NULL };
    pid_t sleeper;
    fflush(stdout);
    int err = posix_spawn(&sleeper, self, NULL, NULL, argv, environ);
    close(p[1]);
    long long t0 = now_ns();
    char c;
    while (read(p[0], &c, 1) < 0 && errno == EINTR)
        ;
    long ms = (long)((now_ns() - t0) / 1000000);
    close(p[0]);
    if (err) {
        printf("fds %s: posix_spawn: %s\n", label, strerror(err));
        return;
    }
    reap(sleeper);
    printf("fds %s: the reader saw end of file %s\n", label,
           ms >= 250 ? "only when the spawned sleeper exited" : "at once");
    printf("  (the read waited %ld ms)\n", ms);
}

static void do_fds(void)
{
    int plain[2], marked[2];
    if (pipe(plain) < 0 || pipe2(marked, O_CLOEXEC) < 0) {
        printf("fds: pipe: %s\n", strerror(errno));
        return;
    }
    int dn = open("/dev/null", O_RDONLY);
    int dn_ce = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int late = open("/dev/null", O_RDONLY);
    fcntl(late, F_SETFD, FD_CLOEXEC);   // too late if another thread forks meanwhile
    char a[4][32];
    snprintf(a[0], sizeof a[0], "pipe():%d", plain[1]);
    snprintf(a[1], sizeof a[1], "pipe2(O_CLOEXEC):%d", marked[1]);
    snprintf(a[2], sizeof a[2], "open():%d", dn);
    snprintf(a[3], sizeof a[3], "open(O_CLOEXEC):%d", dn_ce);
    printf("  %s %s %s %s, fcntl(FD_CLOEXEC) after open:%d\n", a[0], a[1], a[2], a[3], late);
    char b[32];
    snprintf(b, sizeof b, "fcntl(FD_CLOEXEC):%d", late);
    // fork + execve, the classic way; posix_spawn passes them on alike.
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = { self, "-probe-fds", a[0], a[1], a[2], a[3], b, NULL };
        execve(self, argv, environ);
        _exit(127);
    }
    reap(pid);
    close(plain[0]);
    close(plain[1]);
    close(marked[0]);
    close(marked[1]);
    close(dn);
    close(dn_ce);
    close(late);
    // What a leak does to a pipe.
    leak_round("leak pipe()", 0);
    leak_round("leak pipe2(O_CLOEXEC)", O_CLOEXEC);
}

// --- aslr: fork copies the layout; execve draws a new one ----------------------

struct layout {
    unsigned long stack, mmap, brk;
};

static __attribute__((noinline)) void measure(struct layout *l)
{
    volatile int local = 0;
    l->stack = (unsigned long)&local;
    void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    l->mmap = p == MAP_FAILED ? 0 : (unsigned long)p;
    if (p != MAP_FAILED)
        munmap(p, PAGE);
    l->brk = (unsigned long)sbrk(0);
}

static void print_layout(const char *who, const struct layout *l)
{
    printf("  %-8s stack %08lx mmap %08lx brk %08lx\n", who, l->stack, l->mmap, l->brk);
}

// The new program's side: its layout, as one line on stdout.
static void aslr_report(void)
{
    struct layout l;
    measure(&l);
    printf("%lx %lx %lx\n", l.stack, l.mmap, l.brk);
}

#define COPIES 3

static void do_aslr(void)
{
    struct layout mine, kid, copies[COPIES];
    measure(&mine);
    print_layout("parent", &mine);
    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        measure(&kid);
        write(p[1], &kid, sizeof kid);
        _exit(0);
    }
    reap(pid);
    if (read(p[0], &kid, sizeof kid) != sizeof kid)
        memset(&kid, 0, sizeof kid);
    close(p[0]);
    close(p[1]);
    print_layout("fork", &kid);
    printf("aslr fork: the child's stack, mmap and brk are the parent's: %s\n",
           memcmp(&kid, &mine, sizeof kid) ? "no" : "yes");

    for (int i = 0; i < COPIES; i++) {
        char line[128] = "";
        pipe2(p, O_CLOEXEC);            // the copy gets only its dup2'd stdout
        char *args[] = { "-aslr", NULL };
        fflush(stdout);
        spawn_self("aslr posix_spawn", p[1], args);
        close(p[1]);
        drain(p[0], line, sizeof line);
        close(p[0]);
        struct layout *c = &copies[i];
        if (sscanf(line, "%lx %lx %lx", &c->stack, &c->mmap, &c->brk) != 3)
            memset(c, 0, sizeof *c);
        char who[16];
        snprintf(who, sizeof who, "spawn %d", i + 1);
        print_layout(who, c);
    }
    // The copies are compared with one another, not with the parent: they
    // start the same way (same arguments, same depth), the parent does not.
    // One value may repeat by chance (the mmap base has 256); the same in
    // all three copies is 1 in 65,536 for the mmap base, less for the others.
    int stack_new = 0, mmap_new = 0, brk_new = 0;
    for (int i = 1; i < COPIES; i++) {
        stack_new |= copies[i].stack != copies[0].stack;
        mmap_new |= copies[i].mmap != copies[0].mmap;
        brk_new |= copies[i].brk != copies[0].brk;
    }
    printf("aslr posix_spawn: %d copies of the program; from copy to copy the stack %s, "
           "the mmap base %s, the break %s\n", COPIES, stack_new ? "moves" : "stays",
           mmap_new ? "moves" : "stays", brk_new ? "moves" : "stays");
}

// --- overcommit: fork promises a second copy of everything private -------------

static long meminfo(const char *field)
{
    char buf[4096];
    int fd = open("/proc/meminfo", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return -1;
    buf[n] = 0;
    size_t len = strlen(field);
    for (char *line = buf; line; line = strchr(line, '\n')) {
        if (*line == '\n')
            line++;
        if (!strncmp(line, field, len) && line[len] == ':')
            return atol(line + len + 1);
    }
    return -1;
}

static long overcommit_mode(void)
{
    char buf[16] = "";
    int fd = open("/proc/sys/vm/overcommit_memory", O_RDONLY);
    if (fd < 0)
        return -1;
    read(fd, buf, sizeof buf - 1);
    close(fd);
    return atol(buf);
}

static void do_overcommit(void)
{
    long mode = overcommit_mode();
    long total = meminfo("MemTotal"), room = meminfo("CommitLimit") - meminfo("Committed_AS");
    // Strict: three fifths of what may still be promised, so that it fits
    // once but not twice. Heuristic: three fifths of the RAM, so that two
    // written copies would not fit in the RAM (at most 512 MiB, for i386).
    unsigned long kb = mode == 2 ? room / 5 * 3 : total / 5 * 3;
    if (kb > 512 * 1024)
        kb = 512 * 1024;
    printf("overcommit mode: %ld (%s)\n", mode,
           mode == 0 ? "heuristic" : mode == 1 ? "always" : mode == 2 ? "never" : "unknown");
    printf("  MemTotal %ld kB, CommitLimit - Committed_AS %ld kB, the parent writes %lu kB\n",
           total, room, kb);
    unsigned long len = kb * 1024;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        printf("overcommit: mmap of the big parent: %s\n", strerror(errno));
        return;
    }
    for (unsigned long i = 0; i < len; i += PAGE)
        p[i] = 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    int err = errno;
    if (pid > 0)
        reap(pid);
    printf("overcommit fork of the big parent: %s\n", pid > 0 ? "succeeded" : err_name(err));
    char *args[] = { "-nop", NULL };
    int st = spawn_self("overcommit posix_spawn", -1, args);
    printf("overcommit posix_spawn of a small program by the big parent: %s\n",
           st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "succeeded" : "failed");
    munmap(p, len);
}

// --- cost: fork visits the parent's page tables; posix_spawn does not ----------

enum how { FORK_EXIT, FORK_EXECVE, SPAWN };

// The time-stamp counter. bunshin's clock ticks 100 times a second, too
// coarse for one fork; the counter counts cycles (under QEMU's -icount,
// instructions) on both kernels.
static unsigned long long rdtsc(void)
{
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (unsigned long long)hi << 32 | lo;
}

// One creation and wait, in thousands of time-stamp cycles.
static long long create_once(enum how how)
{
    char *argv[] = { self, "-nop", NULL };
    unsigned long long t0 = rdtsc();
    pid_t pid = -1;
    if (how == SPAWN) {
        if (posix_spawn(&pid, self, NULL, NULL, argv, environ))
            pid = -1;
    } else {
        pid = fork();
        if (pid == 0) {
            if (how == FORK_EXECVE)
                execve(self, argv, environ);
            _exit(0);
        }
    }
    if (pid > 0)
        reap(pid);
    return pid > 0 ? (long long)((rdtsc() - t0) / 1000) : -1;
}

static int by_value(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

// The median of 7 runs.
static long long median_kcycles(enum how how)
{
    long long t[7];
    for (int i = 0; i < 7; i++)
        t[i] = create_once(how);
    qsort(t, 7, sizeof t[0], by_value);
    return t[3];
}

static void do_cost(void)
{
    static const int sizes[] = { 0, 4, 16, 64 };
    printf("cost: median of 7, thousands of time-stamp cycles; the parent's MiB written first\n");
    printf("  %4s %16s %16s %16s\n", "MiB", "fork+_exit+wait", "fork+execve+wait",
           "posix_spawn+wait");
    fflush(stdout);
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t len = sizes[i] * MIB;
        unsigned char *p = NULL;
        if (len) {
            p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) {
                printf("cost %d MiB: mmap: %s\n", sizes[i], strerror(errno));
                break;
            }
            for (size_t off = 0; off < len; off += PAGE)
                p[off] = 1;
        }
        printf("  %4d %16lld %16lld %16lld\n", sizes[i], median_kcycles(FORK_EXIT),
               median_kcycles(FORK_EXECVE), median_kcycles(SPAWN));
        fflush(stdout);
        if (p)
            munmap(p, len);
    }
    printf("cost: done\n");
}

// --- main ------------------------------------------------------------------------

static const struct {
    const char *name;
    void (*run)(void);
} claims[] = {
    { "stdio", do_stdio }, { "lock", do_lock }, { "fds", do_fds },
    { "aslr", do_aslr }, { "overcommit", do_overcommit }, { "cost", do_cost },
};
#define NCLAIMS (int)(sizeof claims / sizeof claims[0])

int main(int argc, char **argv)
{
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0)
        self[n] = 0;
    else
        snprintf(self, sizeof self, "%s", argv[0]);
    // stdout is line buffered on a terminal, fully buffered on a pipe or
    // a file; make it line buffered everywhere, so that the order of the
    // lines does not depend on where they go.
    setvbuf(stdout, NULL, _IOLBF, 0);

    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "-nop"))
        return 0;
    if (!strcmp(what, "-aslr")) {
        aslr_report();
        return 0;
    }
    if (!strcmp(what, "-lock")) {
        lock_spawned();
        return 0;
    }
    if (!strcmp(what, "-probe-fds")) {
        probe_fds(argc, argv);
        return 0;
    }
    if (!strcmp(what, "-sleep")) {
        sleep_ms(500);
        return 0;
    }
    for (int i = 0; i < NCLAIMS; i++)
        if (!strcmp(what, claims[i].name) || !strcmp(what, "all")) {
            claims[i].run();
            if (strcmp(what, "all"))
                return 0;
        }
    if (!strcmp(what, "all"))
        return 0;
    fprintf(stderr, "usage: forkroad stdio|lock|fds|aslr|overcommit|cost|all\n");
    return 2;
}
