// fuzz_child.c: one fuzz child. It sets up what its calls' arguments are
// drawn from (descriptors of every kind, buffers, a scratch directory),
// then makes K random calls. Before each call it
//   - sends the driver a progress message (FUZZ_PROGRESS_FD), so that the
//     driver knows how far it got and can tell a blocked child from a busy
//     one;
//   - writes the call on the console (FUZZ_LOG_FD), on lines like
//         fz 12: 37 clone(1200011,0,bf7fe000,0,0,c0000000) 38 read(3,bf6f0a9c)
//     (child 12, its calls 37 and 38, the arguments in hex), so that after
//     a kernel panic the last call on the log names the culprit.
// The calls go through fuzz_raw, an int $0x80 with all six registers set;
// from the first call on, the child uses no C library function (a random
// set_thread_area may have broken musl's thread pointer, and with it
// errno).
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include "bunshin.h"
#include "fuzz.h"

// long fuzz_raw(uint32_t nr, const uint32_t a[6]);
// long fuzz_raw_fork(uint32_t nr, const uint32_t a[6]);
// i386 cdecl: the arguments are on the stack; ebx, esi, edi, ebp belong to
// the caller and are saved. In fuzz_raw_fork, the new process (or thread)
// sees eax = 0 with the parent's registers but maybe another stack (clone's
// second argument may be any word), so it uses no memory at all: exit(0),
// which ends only that thread.
__asm__(
    ".text\n"
    ".globl fuzz_raw\n"
    ".type fuzz_raw, @function\n"
    "fuzz_raw:\n"
    "    pushl %ebp\n"
    "    pushl %edi\n"
    "    pushl %esi\n"
    "    pushl %ebx\n"
    "    movl 20(%esp), %eax\n"        // nr
    "    movl 24(%esp), %ecx\n"        // a
    "    movl 0(%ecx), %ebx\n"
    "    movl 8(%ecx), %edx\n"
    "    movl 12(%ecx), %esi\n"
    "    movl 16(%ecx), %edi\n"
    "    movl 20(%ecx), %ebp\n"
    "    movl 4(%ecx), %ecx\n"
    "    int $0x80\n"
    "    popl %ebx\n"
    "    popl %esi\n"
    "    popl %edi\n"
    "    popl %ebp\n"
    "    ret\n"
    ".size fuzz_raw, .-fuzz_raw\n"
    ".globl fuzz_raw_fork\n"
    ".type fuzz_raw_fork, @function\n"
    "fuzz_raw_fork:\n"
    "    pushl %ebp\n"
    "    pushl %edi\n"
    "    pushl %esi\n"
    "    pushl %ebx\n"
    "    movl 20(%esp), %eax\n"
    "    movl 24(%esp), %ecx\n"
    "    movl 0(%ecx), %ebx\n"
    "    movl 8(%ecx), %edx\n"
    "    movl 12(%ecx), %esi\n"
    "    movl 16(%ecx), %edi\n"
    "    movl 20(%ecx), %ebp\n"
    "    movl 4(%ecx), %ecx\n"
    "    int $0x80\n"
    "    testl %eax, %eax\n"
    "    jnz 1f\n"
    "    movl $1, %eax\n"              // the new one: exit(0), no memory touched
    "    xorl %ebx, %ebx\n"
    "    int $0x80\n"
    "    ud2\n"                        // not reached
    "1:  popl %ebx\n"
    "    popl %esi\n"
    "    popl %edi\n"
    "    popl %ebp\n"
    "    ret\n"
    ".size fuzz_raw_fork, .-fuzz_raw_fork\n");

// long raw_thread(uint32_t flags, uint8_t *stack_top, void (*fn)(void *), void *arg);
// clone(flags, stack) with fn and arg put on the new stack first: the new
// thread pops fn and calls fn(arg), then exit(0) (that thread only). The
// caller gets clone's result.
__asm__(
    ".text\n"
    ".type raw_thread, @function\n"
    "raw_thread:\n"
    "    pushl %ebp\n"
    "    pushl %edi\n"
    "    pushl %esi\n"
    "    pushl %ebx\n"
    "    movl 20(%esp), %ebx\n"        // flags
    "    movl 24(%esp), %ecx\n"        // stack top
    "    movl 28(%esp), %edx\n"        // fn
    "    movl 32(%esp), %esi\n"        // arg
    "    subl $8, %ecx\n"
    "    movl %edx, 0(%ecx)\n"
    "    movl %esi, 4(%ecx)\n"
    "    movl $120, %eax\n"
    "    xorl %edx, %edx\n"
    "    xorl %esi, %esi\n"
    "    xorl %edi, %edi\n"
    "    int $0x80\n"
    "    testl %eax, %eax\n"
    "    jnz 1f\n"
    "    popl %eax\n"                  // the new thread: fn, then arg on top
    "    call *%eax\n"
    "    movl $1, %eax\n"
    "    xorl %ebx, %ebx\n"
    "    int $0x80\n"
    "    ud2\n"
    "1:  popl %ebx\n"
    "    popl %esi\n"
    "    popl %edi\n"
    "    popl %ebp\n"
    "    ret\n"
    ".size raw_thread, .-raw_thread\n");
long raw_thread(uint32_t flags, uint8_t *stack_top, void (*fn)(void *), void *arg);

#define PAGE 4096u
#define ARENA_PAGES 16
#define PATHS_PAGES 4

static long raw(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    uint32_t a[6] = { a0, a1, a2, a3, 0, 0 };
    return fuzz_raw(nr, a);
}

static _Noreturn void raw_exit(int code)
{
    for (;;)
        raw(252, (uint32_t)code, 0, 0, 0);          // exit_group
}

// ---- the log line, formatted by hand (no C library after the start) ----

static char *put_str(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

static char *put_dec(char *p, uint32_t v)
{
    char tmp[12];
    int n = 0;
    do
        tmp[n++] = (char)('0' + v % 10);
    while (v /= 10);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_hex(char *p, uint32_t v)
{
    char tmp[8];
    int n = 0;
    do
        tmp[n++] = "0123456789abcdef"[v & 15];
    while (v >>= 4);
    while (n)
        *p++ = tmp[--n];
    return p;
}

// The log's lines are filled up to the screen's width, several calls to a
// line: the console scrolls its VGA screen a line at a time, and in QEMU a
// scroll costs as much as writing a few hundred characters, so one line per
// call would be most of the fuzzer's time. Each call still goes out (one
// write) before it is made, so the last one on the log is the culprit.
#define LOG_WIDTH 79
static uint32_t log_column;             // 0: no line of ours is open

// Progress message, then the call's record on the log: "37 clone(1200011,
// 0,bf7fe000,0,0,c0000000)", trailing zero arguments left out, "#450(...)"
// for a number the table has no name for; a new line "fz CHILD:" when the
// record does not fit on the open one. 0 if both went out, -1 if the
// driver's pipe or the console is gone.
static int announce(const struct fuzz_state *st, uint32_t child, uint32_t call, uint32_t nr,
                    const uint32_t a[6])
{
    struct fuzz_progress msg = { call, nr };
    if (raw(4, FUZZ_PROGRESS_FD, (uint32_t)&msg, sizeof msg, 0) != sizeof msg)
        return -1;
    char rec[100], *p = rec;
    const struct fuzz_call *c = fuzz_call_info(nr);
    *p++ = ' ';
    p = put_dec(p, call);
    *p++ = ' ';
    if (c) {
        p = put_str(p, c->name);
    } else {
        *p++ = '#';
        p = put_dec(p, nr);
    }
    *p++ = '(';
    int nargs = 6;
    while (nargs > 0 && a[nargs - 1] == 0)
        nargs--;
    for (int i = 0; i < nargs; i++) {
        if (i)
            *p++ = ',';
        p = put_hex(p, a[i]);
    }
    *p++ = ')';
    uint32_t reclen = (uint32_t)(p - rec);

    char out[160], *q = out;
    if (st->tid || st->forked) {
        // The second thread's calls, and those of a process the child
        // forked: a line each, "fz 12: thread 37 read(...)" or "fz 12: fork
        // 5 read(...)", and the main thread's next record opens a line of
        // its own.
        q = put_str(q, "\nfz ");
        q = put_dec(q, child);
        q = put_str(q, st->forked ? ": fork" : ": thread");
        for (uint32_t i = 0; i < reclen; i++)
            *q++ = rec[i];
        log_column = 0;
        uint32_t tlen = (uint32_t)(q - out);
        return raw(4, FUZZ_LOG_FD, (uint32_t)out, tlen, 0) == (long)tlen ? 0 : -1;
    }
    if (log_column == 0 || log_column + reclen > LOG_WIDTH) {
        q = put_str(q, "\nfz ");
        q = put_dec(q, child);
        *q++ = ':';
        log_column = (uint32_t)(q - out) - 1;
    }
    for (uint32_t i = 0; i < reclen; i++)
        *q++ = rec[i];
    log_column += reclen;
    uint32_t len = (uint32_t)(q - out);
    return raw(4, FUZZ_LOG_FD, (uint32_t)out, len, 0) == (long)len ? 0 : -1;
}

// ---- set-up ----

// An area of `pages` read-write pages followed by an unmapped page, so that
// a buffer at its end runs into nothing.
static uint8_t *area(uint32_t pages)
{
    uint8_t *m = mmap(NULL, (pages + 1) * PAGE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED || munmap(m + pages * PAGE, PAGE) < 0)
        return NULL;
    return m;
}

static void add(struct fuzz_state *st, int fd)
{
    if (fd >= 0 && st->nfds < FUZZ_MAX_FDS)
        st->fds[st->nfds++] = fd;
}

// A copy of /bin/true called "prog": an execve of it succeeds, so that
// execve's copying of argv and envp (random arrays, bad pointers) is
// reached too. A copy, not a link: a random truncate must not reach /bin.
static int copy_true(uint8_t *buf, uint32_t size)
{
    int in = open("/bin/true", O_RDONLY);
    ssize_t n = in >= 0 ? read(in, buf, size) : -1;
    if (in >= 0)
        close(in);
    int out = open("prog", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    int ok = n > 0 && out >= 0 && write(out, buf, n) == n;
    if (out >= 0)
        close(out);
    return ok ? 0 : -1;
}

// Descriptors for the kernel's newer objects, each in a state where the
// calls on it reach their real work: AF_UNIX socket pairs of the three
// types with bytes waiting, a listening socket ("sock" in the scratch
// directory) with a connection waiting, an eventfd, a periodic timerfd,
// an inotify descriptor watching the scratch directory, an epoll set
// holding some of them, a signalfd, a memfd, a message queue with a
// message in it, a pidfd of the child; and System V objects (a semaphore
// set, a message queue with a message, a shared memory segment) whose ids
// the 'I' kind draws. What fails to be made is left out (not a finding:
// the calls' own fuzzing is what counts).
static void setup_objects(struct fuzz_state *st, uint32_t index)
{
    // The stream and datagram pairs, the eventfd, the timerfd, the inotify
    // and signal descriptors and the queue do not block: a read of an
    // empty one says EAGAIN, and the child goes on (a child blocked for
    // 100 ms is killed, and ends its calls there). The seqpacket pair and
    // the listener block, as the pipe does.
    static const int types[] = { SOCK_STREAM | SOCK_NONBLOCK, SOCK_DGRAM | SOCK_NONBLOCK,
                                 SOCK_SEQPACKET };
    for (int t = 0; t < 3; t++) {
        int sp[2];
        if (socketpair(AF_UNIX, types[t], 0, sp) == 0) {
            add(st, sp[0]);
            add(st, sp[1]);
            send(sp[1], "to 0", 4, MSG_DONTWAIT);
            send(sp[0], "to 1", 4, MSG_DONTWAIT);
        }
    }
    struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "sock" };
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    if (l >= 0 && bind(l, (struct sockaddr *)&sun, sizeof sun) == 0 && listen(l, 4) == 0) {
        add(st, l);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        if (c >= 0 && connect(c, (struct sockaddr *)&sun, sizeof sun) == 0)
            add(st, c);
        else if (c >= 0)
            close(c);
    } else if (l >= 0) {
        close(l);
    }
    add(st, eventfd(1, EFD_NONBLOCK));
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec its = { { 0, 10 * 1000 * 1000 }, { 0, 1000 * 1000 } };
    if (tfd >= 0 && timerfd_settime(tfd, 0, &its, NULL) == 0)
        add(st, tfd);
    int in = inotify_init1(IN_NONBLOCK);
    if (in >= 0 && inotify_add_watch(in, ".", IN_ALL_EVENTS) >= 0)
        add(st, in);
    int ep = epoll_create1(0);
    if (ep >= 0) {
        for (int i = 3; i < st->nfds; i++) {
            struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.u32 = (uint32_t)i };
            epoll_ctl(ep, EPOLL_CTL_ADD, st->fds[i], &ev);
        }
        add(st, ep);
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGCHLD);
    add(st, signalfd(-1, &mask, SFD_NONBLOCK));
    int mf = (int)syscall(SYS_memfd_create, "fz", 0);
    if (mf >= 0 && write(mf, "memfd", 5) == 5)
        add(st, mf);
    struct mq_attr qa = { .mq_maxmsg = 4, .mq_msgsize = 64 };
    int q = (int)syscall(SYS_mq_open, index % 2 ? "fzqa" : "fzqb",
                         O_RDWR | O_CREAT | O_NONBLOCK, 0600, &qa);
    if (q >= 0 && syscall(SYS_mq_timedsend, q, "message", 7, 1, NULL) == 0)
        add(st, q);
    add(st, (int)syscall(SYS_pidfd_open, getpid(), 0));
    fuzz_note_ipc_id(st, semget(IPC_PRIVATE, 4, 0600));
    int m = msgget(IPC_PRIVATE, 0600);
    struct { long type; char text[8]; } msg = { 1, "message" };
    if (m >= 0 && msgsnd(m, &msg, sizeof msg.text, IPC_NOWAIT) == 0)
        fuzz_note_ipc_id(st, m);
    fuzz_note_ipc_id(st, shmget(IPC_PRIVATE, 8192, 0600));
}

// Descriptors of every kind the kernel has: the console, a directory, a
// regular file, /dev/null and /dev/zero, both ends of a pipe with a little
// in it, /proc files and a /proc directory; a subdirectory, a symlink, and
// a program.
static int setup(struct fuzz_state *st, uint64_t seed, uint32_t index)
{
    memset(st, 0, sizeof *st);
    rng_seed(&st->rng, fuzz_item_seed(seed, FUZZ_KIND_CALLS, index));
    st->pid = getpid();
    st->arena_len = ARENA_PAGES * PAGE;
    st->paths_len = PATHS_PAGES * PAGE;
    st->brk0 = (uint32_t)raw(45, 0, 0, 0, 0);
    st->arena = area(ARENA_PAGES);
    st->paths = (char *)area(PATHS_PAGES);
    if (!st->arena || !st->paths)
        return -1;
    // Printable, so that what a random write() shows on the console is
    // readable; no newline, so it cannot start a line of its own.
    for (uint32_t i = 0; i < st->arena_len; i++)
        st->arena[i] = (uint8_t)('a' + i % 26);
    for (int fd = 0; fd < 3; fd++)
        add(st, fd);
    add(st, open(".", O_RDONLY | O_DIRECTORY));
    int f = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (f < 0 || write(f, st->arena, 300) != 300)
        return -1;
    add(st, f);
    add(st, open("/dev/null", O_RDWR));
    add(st, open("/dev/zero", O_RDONLY));
    int p[2];
    if (pipe(p) < 0 || write(p[1], "some bytes", 10) != 10)
        return -1;
    add(st, p[0]);
    add(st, p[1]);
    add(st, open("/proc/self/status", O_RDONLY));
    add(st, open("/proc/meminfo", O_RDONLY));
    add(st, open("/proc/self", O_RDONLY | O_DIRECTORY));
    if (mkdir("sub", 0755) < 0 || symlink("f", "link") < 0 ||
        copy_true(st->arena, st->arena_len) < 0)
        return -1;
    setup_objects(st, index);
    for (uint32_t i = 0; i < st->arena_len; i++)       // the pattern again
        st->arena[i] = (uint8_t)('a' + i % 26);
    return fuzz_paths_intact() ? 0 : -1;
}

/* The number call `call` of child `index` makes, given the one it drew.
 * Every number is called in a bounded run by plan rather than by luck:
 * child i begins with the ten numbers from 5i on, so that 100 children go
 * round 0-450 twice, each number in two children (a child can end before
 * its tenth call). exit and exit_group would cut a plan short, so they are
 * left out of it and end the plans of two children in each hundred
 * instead: left to chance alone, exit_group went uncalled once the table
 * grew. Only the number is planned; the draw is still made, so that a
 * replay's random sequence stays the same. */
#define SWEEP_STEP 5
#define SWEEP_LEN  10

static uint32_t planned_nr(uint32_t index, uint32_t call, uint32_t drawn)
{
    uint32_t planned = (index * SWEEP_STEP + call) % (FUZZ_MAX_NR + 1);
    if (call < SWEEP_LEN && planned != FUZZ_NR_REBOOT && planned != 1 && planned != 252 &&
        !fuzz_root_must_skip(planned))
        return planned;
    if (call == SWEEP_LEN && index % 100 >= 98)
        return index % 100 == 98 ? 1 : 252;
    return drawn;
}

uint32_t fuzz_drop_uid;

// Become the ordinary user fuzz_drop_uid for good: groups first, while
// still allowed to change them, then the gid, then the uid. 0 or -1.
static int drop_to_user(void)
{
    uint32_t id = fuzz_drop_uid;
    uint32_t g[6] = { 0, 0, 0, 0, 0, 0 };
    uint32_t gid[6] = { id, id, id, 0, 0, 0 };
    if (fuzz_raw(206, g) < 0 || fuzz_raw(210, gid) < 0 || fuzz_raw(208, gid) < 0)
        return -1;
    return fuzz_raw(199, g) == (long)id && fuzz_raw(201, g) == (long)id ? 0 : -1;
}

// Still the ordinary user, and the root-only file still shut? (At the end
// of the calls: whatever the random calls did on the way.)
static int still_unprivileged(void)
{
    uint32_t none[6] = { 0, 0, 0, 0, 0, 0 };
    uint32_t open_secret[6] = { (uint32_t)(uintptr_t)FUZZ_SECRET, 0 /* O_RDONLY */, 0, 0, 0, 0 };
    if (fuzz_raw(199, none) == 0 || fuzz_raw(201, none) == 0)
        return 0;
    return fuzz_raw(5, open_secret) < 0;
}

#define FORKED_CALLS 40         // the most a forked process makes

// K random calls with the state st (either thread's loop, or a forked
// process's, which then exits).
static void call_loop(struct fuzz_state *st, uint32_t index, uint32_t ncalls)
{
    for (uint32_t call = 0; call < ncalls; call++) {
        uint32_t a[6];
        uint32_t nr = planned_nr(index, call, fuzz_pick_nr(&st->rng));
        if (st->tid || st->forked)
            nr = fuzz_pick_nr(&st->rng);        // the sweep is the main thread's
        fuzz_make_args(st, nr, a);
        if (!fuzz_paths_intact())
            raw_exit(FUZZ_EXIT_PATHS);
        if (announce(st, index, call, nr, a) < 0)
            raw_exit(FUZZ_EXIT_LOST_LOG);
        long ret;
        if (nr == 2 && !st->forked) {
            // fork: the new process goes on making calls for a while (its
            // stack is a copy of ours, unlike clone's), on the descriptors,
            // System V objects and files it shares with its parent.
            ret = fuzz_raw(nr, a);
            if (ret == 0) {
                st->forked = 1;
                // A sequence of its own (the parent's goes on unchanged).
                rng_seed(&st->rng, ((uint64_t)rng_u32(&st->rng) << 32) ^ 0x9E3779B97F4A7C15ull);
                st->pid = (int)raw(20, 0, 0, 0, 0);       // getpid
                st->tid = 0;
                st->nkids = 0;
                call = ncalls - FORKED_CALLS < call ? call : ncalls - FORKED_CALLS;
                continue;
            }
        } else {
            ret = fuzz_is_forklike(nr) ? fuzz_raw_fork(nr, a) : fuzz_raw(nr, a);
        }
        fuzz_note_result(st, nr, a, ret);
    }
    if (st->forked)
        raw_exit(0);
}

// The second thread (CLONE_VM | CLONE_FILES | CLONE_THREAD...): the same
// descriptors, memory and objects as the main thread, its own random
// sequence and path strings, calls made at the same time as the main
// thread's, so that one can close, unmap or shut down what the other is
// blocked on or working with. It ends after its K calls; the main thread's
// exit_group ends it sooner.
static struct fuzz_state thread_st;
static uint32_t thread_index, thread_ncalls;

static void thread_main(void *arg)
{
    (void)arg;
    thread_st.tid = (uint32_t)raw(224, 0, 0, 0, 0);     // gettid
    call_loop(&thread_st, thread_index, thread_ncalls);
}

// Start the second thread in about one child in three (its own draw, so
// that the main thread's sequence is the same either way).
static void maybe_start_thread(const struct fuzz_state *st, uint64_t seed, uint32_t index,
                               uint32_t ncalls)
{
    struct rng pick;
    rng_seed(&pick, fuzz_item_seed(seed, FUZZ_KIND_THREAD, index));
    if (!rng_percent(&pick, 35))
        return;
    uint8_t *stack = area(16);
    char *paths = (char *)area(PATHS_PAGES);
    if (!stack || !paths)
        return;
    thread_st = *st;
    rng_seed(&thread_st.rng, rng_u32(&pick) | (uint64_t)rng_u32(&pick) << 32);
    thread_st.paths = paths;
    thread_st.nkids = 0;
    thread_index = index;
    thread_ncalls = ncalls;
    // CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM
    raw_thread(0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000, stack + 16 * PAGE,
               thread_main, NULL);
}

void fuzz_child(uint64_t seed, uint32_t index, uint32_t ncalls)
{
    static struct fuzz_state st;        // static: a random stack cannot reach it
    if (!on_bunshin())
        _exit(FUZZ_EXIT_NOT_HERE);
    if (fuzz_drop_uid && drop_to_user() < 0)
        _exit(FUZZ_EXIT_SETUP);
    if (setup(&st, seed, index) < 0)
        _exit(FUZZ_EXIT_SETUP);
    maybe_start_thread(&st, seed, index, ncalls);
    call_loop(&st, index, ncalls);
    // Reap every child, clone children included (__WALL = 0x40000000), so
    // that none is left to init.
    uint32_t w[6] = { 0xFFFFFFFF, 0, 0x40000000, 0, 0, 0 };
    while (fuzz_raw(114, w) > 0)
        ;
    if (fuzz_drop_uid && !still_unprivileged())
        raw_exit(FUZZ_EXIT_ROOT);
    raw_exit(FUZZ_EXIT_DONE);
}
