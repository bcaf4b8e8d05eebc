// t_stress_objs: the kernel's objects under the sequences a random fuzzer
// is unlikely to find: one thread takes away what another is blocked on.
//
//   - a thread blocked in read, recvmsg, accept, poll, epoll_wait,
//     mq_receive, msgrcv, semop, futex, eventfd's read and write, a
//     timerfd's and an inotify descriptor's read, mq_send, connect (a full
//     backlog), msgsnd (a full queue), splice, waitid(P_PIDFD): its
//     descriptor is closed under it
//     (or its System V object removed), then what wakes it on Linux is
//     done (the other end closed: EOF; the object removed: EIDRM; a
//     signal with no SA_RESTART: EINTR). The call must return what Linux
//     returns, and nothing may be left behind;
//   - a process exits with SCM_RIGHTS messages in flight that carry the
//     sockets they sit in (a cycle only the garbage collector can free),
//     and a listening socket sent in its own embryo's queue;
//   - a thread forks while another holds a PI futex; the lock is still
//     held and released afterwards, in the parent and as seen by the child;
//   - a thread calls execve while the others are blocked in read and futex:
//     the program runs;
//   - a buffer is unmapped while another thread is blocked reading into
//     it: the read fails with EFAULT when the data comes;
//   - writev's descriptor number is made to name another pipe while it
//     waits: the rest still goes to the first;
//   - a signal whose handler has SA_RESTART during each blocking call: the
//     calls Linux restarts go on waiting, the others say EINTR; and the
//     same with the process stopped and continued (epoll_wait and semop
//     say EINTR, as signal(7) lists);
//   - a thread waits for a lock (flock, F_SETLKW, F_OFD_SETLKW) while its
//     descriptor is closed: the lock goes at once (F_SETLKW: EBADF);
//   - every process with blocked threads is killed with SIGKILL;
//   - a process whose first thread has exited alone is killed (SIGKILL,
//     and SIGTERM's default action) through its other thread; its /proc
//     files (and its threads') can all be read meanwhile;
//   - a shared memfd mapping whose file is cut to nothing: touching it is
//     SIGBUS, the kernel's own copies into or out of it (read, write,
//     process_vm_readv) are EFAULT, before and after a fork;
//   - a removed System V segment still attached, cut up, moved with mremap
//     and detached by two processes;
//   - inotify watches on a child's /proc files (the child then goes) and on
//     a pipe, a socket, a memfd and an eventfd through /proc/self/fd;
//   - a process sharing another's memory (CLONE_VM) forks, then the other
//     changes and unmaps a buffer: the fork child's copy stays as it was;
//   - a mount with a mount inside it detached while the process works in
//     both through descriptors and its current directory (if it may mount);
//   - (bunshin only) all memory taken, then pipes, sockets with
//     descriptors in flight, epoll, eventfd, inotify, messages, fork and
//     threads: errors or the OOM killer, never a panic; and the OOM killer
//     finds the biggest process when only its second thread is left.
// Each part runs in its own process under an alarm (a hang is a FAIL, not
// a stuck test); MemFree is back at the end (memfree_check).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

// bunshin-boot: fork=copy
// bunshin-boot: fork=odf

#define PART_SECS 10          // a part that takes longer has hung

// futex(2)'s operations (no <linux/futex.h> in the C library's headers).
#define FUTEX_WAIT       0
#define FUTEX_LOCK_PI    6
#define FUTEX_UNLOCK_PI  7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_TID_MASK   0x3fffffffu

static void on_signal(int sig)
{
    (void)sig;
}

// SIGUSR1 interrupts blocking calls (no SA_RESTART).
static void catch_usr1(void)
{
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGUSR1, &sa, NULL);
}

// ---- a thread blocked in one call ----

struct blocked {
    const char *name;
    long (*call)(struct blocked *b);   // the blocking call: its result, or -errno
    int fd, fd2, id;
    void *buf;
    volatile int started;
    long result;
};

static void *blocked_main(void *arg)
{
    struct blocked *b = arg;
    b->started = 1;
    b->result = b->call(b);
    return NULL;
}

static long neg_errno(long r)
{
    return r < 0 ? -errno : r;
}

static long call_read(struct blocked *b) { return neg_errno(read(b->fd, b->buf, 64)); }

static long call_recvmsg(struct blocked *b)
{
    char data[64];
    struct iovec iov = { data, sizeof data };
    char control[64];
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                        .msg_controllen = sizeof control };
    return neg_errno(recvmsg(b->fd, &m, 0));
}

static long call_accept(struct blocked *b) { return neg_errno(accept(b->fd, NULL, NULL)); }

static long call_poll(struct blocked *b)
{
    struct pollfd p = { .fd = b->fd, .events = POLLIN };
    return neg_errno(poll(&p, 1, -1));
}

static long call_epoll_wait(struct blocked *b)
{
    struct epoll_event ev[4];
    return neg_errno(epoll_wait(b->fd, ev, 4, -1));
}

static long call_mq_receive(struct blocked *b)
{
    char msg[64];
    return neg_errno(syscall(SYS_mq_timedreceive, b->fd, msg, sizeof msg, NULL, NULL));
}

static long call_msgrcv(struct blocked *b)
{
    struct { long type; char text[16]; } m;
    return neg_errno(msgrcv(b->id, &m, sizeof m.text, 0, 0));
}

static long call_semop(struct blocked *b)
{
    struct sembuf op = { 0, -1, 0 };
    return neg_errno(semop(b->id, &op, 1));
}

static uint32_t futex_word;

static long call_futex(struct blocked *b)
{
    (void)b;
    return neg_errno(syscall(SYS_futex, &futex_word, FUTEX_WAIT, 0, NULL, NULL, 0));
}

// Start b's thread and wait until it is blocked (started, then a little
// time for it to reach its wait).
static int start_blocked(pthread_t *t, struct blocked *b)
{
    b->started = 0;
    b->result = 1234567;
    if (pthread_create(t, NULL, blocked_main, b) != 0)
        return -1;
    while (!b->started)
        sched_yield();
    sleep_ms(50);
    return 0;
}

// Still blocked 50 ms after what should not wake it?
static int still_blocked(struct blocked *b)
{
    sleep_ms(50);
    return b->result == 1234567;
}

static void expect(struct blocked *b, const char *what, long want)
{
    check(b->result == want, tname("stress.close_blocked.%s", b->name),
          "%s: the call returned %ld, Linux returns %ld", what, b->result, want);
}

// The descriptor closed under a blocked read of a pipe: still blocked (the
// call holds the file); the write end closed: EOF.
static void part_close_read(void)
{
    static char buf[64];
    int p[2];
    pipe(p);
    struct blocked b = { .name = "read", .call = call_read, .fd = p[0], .buf = buf };
    pthread_t t;
    start_blocked(&t, &b);
    close(p[0]);
    check(still_blocked(&b), "stress.close_blocked.read_still", "returned %ld", b.result);
    close(p[1]);
    pthread_join(t, NULL);
    expect(&b, "read end closed, then the write end", 0);
}

// recvmsg on a stream socket pair, its own descriptor closed, then the
// peer's: EOF.
static void part_close_recvmsg(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct blocked b = { .name = "recvmsg", .call = call_recvmsg, .fd = sv[0] };
    pthread_t t;
    start_blocked(&t, &b);
    close(sv[0]);
    check(still_blocked(&b), "stress.close_blocked.recvmsg_still", "returned %ld", b.result);
    close(sv[1]);
    pthread_join(t, NULL);
    expect(&b, "own end closed, then the peer", 0);
}

// A signal with no SA_RESTART for a thread blocked in call whose
// descriptor (or object) was closed: EINTR.
static void close_then_signal(struct blocked *b, void (*take_away)(struct blocked *b))
{
    pthread_t t;
    if (start_blocked(&t, b) < 0) {
        fail(tname("stress.close_blocked.%s", b->name), "pthread_create failed");
        return;
    }
    take_away(b);
    check(still_blocked(b), tname("stress.close_blocked.%s_still", b->name), "returned %ld",
          b->result);
    pthread_kill(t, SIGUSR1);
    pthread_join(t, NULL);
    expect(b, "closed, then a signal", -EINTR);
}

static void close_fd(struct blocked *b) { close(b->fd); }

static void part_close_accept(void)
{
    char path[108];
    snprintf(path, sizeof path, "%s", scratch_path("stress-sock"));
    unlink(path);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 2) < 0)
        fail("stress.close_blocked.accept", "bind/listen: %s", errname(errno));
    struct blocked b = { .name = "accept", .call = call_accept, .fd = l };
    close_then_signal(&b, close_fd);
    unlink(path);
}

static void part_close_poll(void)
{
    int p[2];
    pipe(p);
    struct blocked b = { .name = "poll", .call = call_poll, .fd = p[0], .fd2 = p[1] };
    pthread_t t;
    start_blocked(&t, &b);
    close(p[0]);
    close(p[1]);
    // Linux's poll looks the descriptor up again when woken (POLLNVAL);
    // either way it returns one ready descriptor, or sleeps on (no event
    // reached it): then a signal ends it.
    sleep_ms(50);
    if (b.result == 1234567)
        pthread_kill(t, SIGUSR1);
    pthread_join(t, NULL);
    check(b.result == 1 || b.result == -EINTR, "stress.close_blocked.poll",
          "poll returned %ld after its pipe was closed", b.result);
}

static void part_close_epoll(void)
{
    int p[2];
    pipe(p);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN };
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    // The watched pipe closed both ways under epoll_wait: its item goes
    // with the file, nothing wakes the wait but the signal.
    struct blocked b = { .name = "epoll_wait", .call = call_epoll_wait, .fd = ep };
    b.fd = ep;
    b.fd2 = p[1];
    b.id = p[0];
    pthread_t t;
    start_blocked(&t, &b);
    close(p[0]);
    close(p[1]);
    close(ep);
    sleep_ms(50);
    if (b.result == 1234567)
        pthread_kill(t, SIGUSR1);
    pthread_join(t, NULL);
    // Linux: the write end's close wakes the read end's waiters with
    // POLLHUP before the item goes, so 1 or EINTR by the timing.
    check(b.result == 1 || b.result == -EINTR, "stress.close_blocked.epoll_wait",
          "epoll_wait returned %ld after its set and pipe were closed", b.result);
}

static void part_close_mq(void)
{
    struct mq_attr qa = { .mq_maxmsg = 2, .mq_msgsize = 64 };
    int q = (int)syscall(SYS_mq_open, "stress-objs", O_RDWR | O_CREAT, 0600, &qa);
    if (q < 0) {
        fail("stress.close_blocked.mq_receive", "mq_open: %s", errname(errno));
        return;
    }
    syscall(SYS_mq_unlink, "stress-objs");
    struct blocked b = { .name = "mq_receive", .call = call_mq_receive, .fd = q };
    close_then_signal(&b, close_fd);
}

// More blocking calls, each on a descriptor closed under it, then a
// signal: EINTR.
static long call_eventfd_read(struct blocked *b)
{
    uint64_t v;
    return neg_errno(read(b->fd, &v, sizeof v));
}

static long call_eventfd_write(struct blocked *b)
{
    uint64_t v = 0xfffffffffffffffeull;         // the most it holds: this one waits
    return neg_errno(write(b->fd, &v, sizeof v));
}

static long call_mq_send(struct blocked *b)
{
    return neg_errno(syscall(SYS_mq_timedsend, b->fd, "full", 4, 0, NULL));
}

static long call_connect(struct blocked *b)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", (const char *)b->buf);
    return neg_errno(connect(b->fd2, (struct sockaddr *)&a, sizeof a));
}

static long call_msgsnd(struct blocked *b)
{
    struct { long type; char text[64]; } m = { 1, "" };
    return neg_errno(msgsnd(b->id, &m, sizeof m.text, 0));
}

static long call_splice(struct blocked *b)
{
    return neg_errno(syscall(SYS_splice, b->fd, NULL, b->fd2, NULL, 4096, 0));
}

static long call_waitid_pidfd(struct blocked *b)
{
    siginfo_t si;
    return neg_errno(syscall(SYS_waitid, 3 /* P_PIDFD */, b->fd, &si, WEXITED, NULL));
}

static void part_close_more(void)
{
    int fd = (int)syscall(SYS_eventfd2, 0, 0);
    struct blocked e = { .name = "eventfd_read", .call = call_eventfd_read, .fd = fd };
    close_then_signal(&e, close_fd);
    fd = (int)syscall(SYS_eventfd2, 1, 0);
    struct blocked w = { .name = "eventfd_write", .call = call_eventfd_write, .fd = fd };
    close_then_signal(&w, close_fd);
    fd = (int)syscall(SYS_timerfd_create, 1 /* CLOCK_MONOTONIC */, 0);
    struct blocked t = { .name = "timerfd_read", .call = call_eventfd_read, .fd = fd };
    close_then_signal(&t, close_fd);
    fd = (int)syscall(SYS_inotify_init1, 0);
    static char ibuf[64];
    struct blocked in = { .name = "inotify_read", .call = call_read, .fd = fd, .buf = ibuf };
    close_then_signal(&in, close_fd);
    struct mq_attr qa = { .mq_maxmsg = 1, .mq_msgsize = 8 };
    int q = (int)syscall(SYS_mq_open, "stress-full", O_RDWR | O_CREAT, 0600, &qa);
    syscall(SYS_mq_unlink, "stress-full");
    syscall(SYS_mq_timedsend, q, "fill", 4, 0, NULL);
    struct blocked m = { .name = "mq_send", .call = call_mq_send, .fd = q };
    close_then_signal(&m, close_fd);
}

// connect(2) waits while the listener's backlog is full; the listener is
// closed under it (its last reference: the socket goes): ECONNREFUSED.
static void part_connect_closed(void)
{
    static char path[108];
    snprintf(path, sizeof path, "%s", scratch_path("stress-backlog"));
    unlink(path);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 0);
    // Fill the backlog (Linux takes backlog + 1 before it makes one wait).
    for (int i = 0; i < 4; i++) {
        int c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (connect(c, (struct sockaddr *)&a, sizeof a) < 0)
            break;
    }
    struct blocked b = { .name = "connect", .call = call_connect, .buf = path,
                         .fd2 = socket(AF_UNIX, SOCK_STREAM, 0) };
    pthread_t t;
    start_blocked(&t, &b);
    close(l);
    sleep_ms(50);
    if (b.result == 1234567)
        pthread_kill(t, SIGUSR1);
    pthread_join(t, NULL);
    expect(&b, "the listener closed", -ECONNREFUSED);
    unlink(path);
}

// msgsnd waits on a full queue, which is removed: EIDRM.
static void part_msgsnd_rmid(void)
{
    struct blocked b = { .name = "msgsnd", .call = call_msgsnd,
                         .id = msgget(IPC_PRIVATE, 0600) };
    struct msqid_ds ds;
    msgctl(b.id, IPC_STAT, &ds);
    ds.msg_qbytes = 64;
    msgctl(b.id, IPC_SET, &ds);
    struct { long type; char text[64]; } m = { 1, "" };
    msgsnd(b.id, &m, sizeof m.text, IPC_NOWAIT);
    pthread_t t;
    start_blocked(&t, &b);
    msgctl(b.id, IPC_RMID, NULL);
    pthread_join(t, NULL);
    expect(&b, "the queue removed", -EIDRM);
}

// splice from an empty pipe into another: both pipes' descriptors closed
// under it; the last writer of the first going ends it with EOF (0).
static void part_splice_closed(void)
{
    int in[2], out[2];
    pipe(in);
    pipe(out);
    struct blocked b = { .name = "splice", .call = call_splice, .fd = in[0], .fd2 = out[1] };
    pthread_t t;
    start_blocked(&t, &b);
    close(in[0]);
    close(out[1]);
    check(still_blocked(&b), "stress.close_blocked.splice_still", "returned %ld", b.result);
    close(in[1]);
    pthread_join(t, NULL);
    expect(&b, "both pipes' descriptors closed but the reader of the second", 0);
    // And with no reader of the second either: EPIPE (Linux looks at the
    // readers first), SIGPIPE ignored here.
    signal(SIGPIPE, SIG_IGN);
    pipe(in);
    close(in[1]);
    close(out[0]);
    pipe(out);
    close(out[0]);
    check_eq("stress.splice.no_reader", -EPIPE,
             neg_errno(syscall(SYS_splice, in[0], NULL, out[1], NULL, 4096, 0)));
    check_eq("stress.tee.no_reader", -EPIPE,
             neg_errno(syscall(SYS_tee, in[0], out[1], 4096, 0)));
}

// waitid(P_PIDFD) for a child, the pidfd closed under it; then the child
// exits: the wait ends with it (0).
static void part_waitid_pidfd(void)
{
    pid_t pid = xfork();
    if (pid == 0) {
        sleep_ms(200);
        _exit(0);
    }
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    struct blocked b = { .name = "waitid_pidfd", .call = call_waitid_pidfd, .fd = fd };
    pthread_t t;
    start_blocked(&t, &b);
    close(fd);
    pthread_join(t, NULL);
    expect(&b, "the pidfd closed, then the child exits", 0);
    // A descriptor that is no pidfd: EBADF; a pidfd of a reaped child:
    // ECHILD; a negative one: EINVAL.
    siginfo_t si;
    check_eq("stress.waitid_pidfd.not_pidfd", -EBADF,
             neg_errno(syscall(SYS_waitid, 3, 0, &si, WEXITED, NULL)));
    check_eq("stress.waitid_pidfd.negative", -EINVAL,
             neg_errno(syscall(SYS_waitid, 3, -1, &si, WEXITED, NULL)));
    pid = xfork();
    if (pid == 0)
        _exit(0);
    fd = (int)syscall(SYS_pidfd_open, pid, 0);
    wait_for(pid);
    check_eq("stress.waitid_pidfd.reaped", -ECHILD,
             neg_errno(syscall(SYS_waitid, 3, fd, &si, WEXITED, NULL)));
    close(fd);
}

static void rm_msg(struct blocked *b) { msgctl(b->id, IPC_RMID, NULL); }
static void rm_sem(struct blocked *b) { semctl(b->id, 0, IPC_RMID); }

static void part_rmid(void)
{
    pthread_t t;
    struct blocked m = { .name = "msgrcv", .call = call_msgrcv,
                         .id = msgget(IPC_PRIVATE, 0600) };
    start_blocked(&t, &m);
    rm_msg(&m);
    pthread_join(t, NULL);
    expect(&m, "the queue removed", -EIDRM);
    struct blocked s = { .name = "semop", .call = call_semop,
                         .id = semget(IPC_PRIVATE, 1, 0600) };
    start_blocked(&t, &s);
    rm_sem(&s);
    pthread_join(t, NULL);
    expect(&s, "the set removed", -EIDRM);
}

static void part_signal_futex(void)
{
    struct blocked b = { .name = "futex", .call = call_futex };
    pthread_t t;
    start_blocked(&t, &b);
    pthread_kill(t, SIGUSR1);
    pthread_join(t, NULL);
    expect(&b, "a signal", -EINTR);
}

// Threads blocked everywhere at once, then the process is killed.
static void blocked_everywhere(void *arg)
{
    (void)arg;
    static char buf[64];
    int p[2], sv[2];
    pipe(p);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    static struct blocked b[5];
    b[0] = (struct blocked){ .name = "read", .call = call_read, .fd = p[0], .buf = buf };
    b[1] = (struct blocked){ .name = "recvmsg", .call = call_recvmsg, .fd = sv[0] };
    b[2] = (struct blocked){ .name = "futex", .call = call_futex };
    b[3] = (struct blocked){ .name = "msgrcv", .call = call_msgrcv,
                             .id = msgget(IPC_PRIVATE, 0600) };
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN };
    epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
    b[4] = (struct blocked){ .name = "epoll_wait", .call = call_epoll_wait, .fd = ep };
    for (int i = 0; i < 5; i++) {
        pthread_t t;
        start_blocked(&t, &b[i]);
    }
    msgctl(b[3].id, IPC_RMID, NULL);     // the queue goes (its waiter with it)
    kill(getpid(), SIGKILL);
}

static void part_kill_blocked(void)
{
    int st = run_child(blocked_everywhere, NULL);
    check(killed_by(st, SIGKILL), "stress.kill_blocked", "the process %s", status_str(st));
}

// ---- a signal with SA_RESTART during each blocking call ----

// Which calls the kernel restarts after a handler installed with
// SA_RESTART (Linux's answers, from signal(7) and the reference run): the
// others say EINTR. A second signal, without SA_RESTART, then ends each
// wait with EINTR.
static void on_usr2(int sig)
{
    (void)sig;
}

static long call_select(struct blocked *b)
{
    fd_set r;
    FD_ZERO(&r);
    FD_SET(b->fd, &r);
    return neg_errno(select(b->fd + 1, &r, NULL, NULL, NULL));
}

static long call_pause(struct blocked *b)
{
    (void)b;
    return neg_errno(pause());
}

static long call_nanosleep(struct blocked *b)
{
    (void)b;
    struct timespec ts = { 100, 0 };
    return neg_errno(nanosleep(&ts, NULL));
}

static long call_wait_child(struct blocked *b)
{
    return neg_errno(waitpid(b->id, NULL, 0));
}

static long call_futex_timed(struct blocked *b)
{
    (void)b;
    struct timespec ts = { 100, 0 };
    return neg_errno(syscall(SYS_futex, &futex_word, FUTEX_WAIT, 0, &ts, NULL, 0));
}

// The process stopped (SIGSTOP) and continued (SIGCONT) by another.
static void stop_and_continue(void)
{
    pid_t me = getpid(), helper = xfork();
    if (helper == 0) {
        kill(me, SIGSTOP);
        sleep_ms(30);
        kill(me, SIGCONT);
        _exit(0);
    }
    wait_for(helper);
}

static int stop_mode;               // 1: stop and continue instead of SIGUSR2

static void restart_one(struct blocked *b, int restarts)
{
    pthread_t t;
    start_blocked(&t, b);
    if (stop_mode)
        stop_and_continue();
    else
        pthread_kill(t, SIGUSR2);
    sleep_ms(50);
    int restarted = b->result == 1234567;
    check(restarted == restarts, tname("stress.%s.%s", stop_mode ? "stopcont" : "restart",
                                       b->name),
          "after %s the call %s; on Linux it %s",
          stop_mode ? "SIGSTOP and SIGCONT" : "an SA_RESTART handler", restarted ?
          "went on waiting" : tname("returned %ld", b->result), restarts ?
          "goes on waiting" : "says EINTR");
    if (restarted) {
        pthread_kill(t, SIGUSR1);
        pthread_join(t, NULL);
        expect(b, "an SA_RESTART handler, then one without", -EINTR);
    } else {
        pthread_join(t, NULL);
    }
}

static void part_restart(void)
{
    struct sigaction sa = { .sa_handler = on_usr2, .sa_flags = SA_RESTART };
    sigaction(SIGUSR2, &sa, NULL);
    static char buf[64];
    int p[2], sv[2];
    pipe(p);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    char path[108];
    snprintf(path, sizeof path, "%s", scratch_path("stress-restart"));
    unlink(path);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 1);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN };
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    struct mq_attr qa = { .mq_maxmsg = 2, .mq_msgsize = 64 };
    int q = (int)syscall(SYS_mq_open, "stress-restart", O_RDWR | O_CREAT, 0600, &qa);
    syscall(SYS_mq_unlink, "stress-restart");
    int msq = msgget(IPC_PRIVATE, 0600), sem = semget(IPC_PRIVATE, 1, 0600);
    pid_t kid = xfork();
    if (kid == 0) {
        sleep_ms(20000);                // killed at the end
        _exit(0);
    }
    struct {
        struct blocked b;
        int restarts, stopcont;
    } cases[] = {
        { { .name = "read", .call = call_read, .fd = p[0], .buf = buf }, 1, 1 },
        { { .name = "recvmsg", .call = call_recvmsg, .fd = sv[0] }, 1, 1 },
        { { .name = "accept", .call = call_accept, .fd = l }, 1, 1 },
        { { .name = "poll", .call = call_poll, .fd = p[0] }, 0, 1 },
        { { .name = "select", .call = call_select, .fd = p[0] }, 0, 1 },
        { { .name = "epoll_wait", .call = call_epoll_wait, .fd = ep }, 0, 0 },
        { { .name = "mq_receive", .call = call_mq_receive, .fd = q }, 1, 1 },
        { { .name = "msgrcv", .call = call_msgrcv, .id = msq }, 0, 1 },
        { { .name = "semop", .call = call_semop, .id = sem }, 0, 0 },
        { { .name = "futex", .call = call_futex }, 1, 1 },
        { { .name = "futex_timed", .call = call_futex_timed }, 0, 1 },
        { { .name = "pause", .call = call_pause }, 0, 1 },
        { { .name = "nanosleep", .call = call_nanosleep }, 0, 1 },
        { { .name = "waitpid", .call = call_wait_child, .id = kid }, 1, 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        restart_one(&cases[i].b, cases[i].restarts);
    // Stopped and continued, no handler run: Linux goes on waiting in all
    // of these but those signal(7) lists (epoll_wait, semop...), which
    // say EINTR.
    stop_mode = 1;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        restart_one(&cases[i].b, cases[i].stopcont);
    stop_mode = 0;
    kill(kid, SIGKILL);
    wait_for(kid);
    msgctl(msq, IPC_RMID, NULL);
    semctl(sem, 0, IPC_RMID);
    unlink(path);
}

// ---- a lock waited for while the descriptor is closed ----

static const char *lock_path;
static int lock_kind;                   // 0 flock, 1 F_SETLKW, 2 F_OFD_SETLKW

static long take_lock(int fd, int wait)
{
    if (lock_kind == 0)
        return neg_errno(flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)));
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    int cmd = lock_kind == 1 ? (wait ? F_SETLKW : F_SETLK) : (wait ? F_OFD_SETLKW : F_OFD_SETLK);
    return neg_errno(fcntl(fd, cmd, &fl));
}

static long call_lock(struct blocked *b) { return take_lock(b->fd, 1); }

// In another process: can the file be locked now?
static void probe_lock(void *arg)
{
    (void)arg;
    int fd = open(lock_path, O_RDWR);
    _exit(take_lock(fd, 0) == 0 ? 0 : 1);
}

// Another process holds the lock; a thread waits for it on fd; fd is
// closed; the holder lets go. The waiter's lock goes at once (Linux:
// flock's and OFD locks with the description's last reference, when the
// call ends; a POSIX lock because the descriptor was closed during the
// wait, and the call says EBADF): a third process can take it.
static void lock_while_closed(int kind)
{
    static const char *const names[] = { "flock", "setlkw", "ofd_setlkw" };
    lock_kind = kind;
    int ready[2], go[2];
    pipe(ready);
    pipe(go);
    pid_t holder = xfork();
    if (holder == 0) {
        int fd = open(lock_path, O_RDWR);
        take_lock(fd, 1);
        char c;
        write(ready[1], "h", 1);
        read(go[0], &c, 1);
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);              // the holder has it
    int fd = open(lock_path, O_RDWR);
    struct blocked b = { .name = names[kind], .call = call_lock, .fd = fd };
    pthread_t t;
    start_blocked(&t, &b);
    close(fd);
    write(go[1], "g", 1);
    wait_for(holder);
    pthread_join(t, NULL);
    // Linux: flock and OFD locks are taken (0); a POSIX lock taken after
    // its descriptor was closed is dropped again, EBADF.
    check_eq(tname("stress.lock_closed.%s.waiter", names[kind]), kind == 1 ? -EBADF : 0,
             b.result);
    int st = run_child(probe_lock, NULL);
    check(exited_with(st, 0), tname("stress.lock_closed.%s.released", names[kind]),
          "another process cannot take the lock: the waiter's stayed after its descriptor "
          "was closed (%s)", status_str(st));
    close(go[0]);
    close(go[1]);
    close(ready[0]);
    close(ready[1]);
}

static void part_lock_closed(void)
{
    lock_path = scratch_path("stress-lock");
    int fd = open(lock_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    close(fd);
    for (int kind = 0; kind < 3; kind++)
        lock_while_closed(kind);
    unlink(lock_path);
}

// ---- a process whose first thread has exited ----

static void *sleep_forever(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

// The first thread exits alone (exit, not exit_group): the process lives
// on in its other thread, and kill() still reaches it. (Found by t_fuzz:
// such a process could not be killed at all, its signals went to the
// zombie first thread.)
static void part_leader_exited(void)
{
    static const int sigs[] = { SIGKILL, SIGTERM };
    for (int i = 0; i < 2; i++) {
        pid_t pid = xfork();
        if (pid == 0) {
            pthread_t t;
            pthread_create(&t, NULL, sleep_forever, NULL);
            syscall(SYS_exit, 0);
        }
        sleep_ms(100);
        check_eq(tname("stress.leader_exited.%s.kill0", signame(sigs[i])), 0, kill(pid, 0));
        check_eq(tname("stress.leader_exited.%s.kill", signame(sigs[i])), 0,
                 kill(pid, sigs[i]));
        int st = wait_for(pid);
        check(killed_by(st, sigs[i]), tname("stress.leader_exited.%s", signame(sigs[i])),
              "the process %s", status_str(st));
    }
}

// Every file of /proc/<pid> (and of its task/<tid> directories, and the
// links) read while the process's first thread has exited and its second
// runs on: the first has no memory, descriptors or directories any more.
static void read_proc_tree(const char *dir, int depth)
{
    static const char *const names[] = {
        "status", "stat", "statm", "maps", "smaps", "smaps_rollup", "cmdline", "environ",
        "comm", "limits", "mounts", "io", "wchan", "auxv", "cwd", "root", "exe", "fd",
        "fdinfo", "task", "mountinfo", "oom_score", "sched", "timerslack_ns", "personality",
        "syscall", "stack", "mem", "pagemap", "loginuid", "uid_map", "ns", "attr",
    };
    char path[300];
    static char buf[8192];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        int fd = open(path, O_RDONLY);
        if (fd >= 0) {
            read(fd, buf, sizeof buf);
            syscall(SYS_getdents64, fd, buf, sizeof buf);
            close(fd);
        }
        readlink(path, buf, sizeof buf);
        struct stat st;
        stat(path, &st);
        lstat(path, &st);
    }
    if (depth > 0)
        return;
    snprintf(path, sizeof path, "%s/task", dir);
    int t = open(path, O_RDONLY | O_DIRECTORY);
    long n = t >= 0 ? syscall(SYS_getdents64, t, buf, sizeof buf) : -1;
    static char names_buf[8192];
    if (n > 0)
        memcpy(names_buf, buf, (size_t)n);
    for (long off = 0; off < n;) {
        struct { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type;
                 char name[]; } *e = (void *)(names_buf + off);
        if (e->name[0] != '.') {
            char sub[300];
            snprintf(sub, sizeof sub, "%s/task/%s", dir, e->name);
            read_proc_tree(sub, depth + 1);
        }
        off += e->reclen;
    }
    if (t >= 0)
        close(t);
}

// Read the /proc trees of a process whose first thread has exited and of
// a zombie.
static void read_odd_procs(void)
{
    pid_t pid = xfork();
    if (pid == 0) {
        pthread_t t;
        pthread_create(&t, NULL, sleep_forever, NULL);
        syscall(SYS_exit, 0);
    }
    sleep_ms(100);
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d", (int)pid);
    read_proc_tree(dir, 0);
    kill(pid, SIGKILL);
    wait_for(pid);
    pid = xfork();
    if (pid == 0)
        _exit(0);
    sleep_ms(50);
    snprintf(dir, sizeof dir, "/proc/%d", (int)pid);
    read_proc_tree(dir, 0);
    wait_for(pid);
}

// The first such reading makes structures the kernel keeps for good (one
// page, however often it is done again): done once before the
// measurement starts.
static void warm_proc(void *arg)
{
    (void)arg;
    read_odd_procs();
}

static void part_proc_odd(void)
{
    read_odd_procs();
    ok("stress.proc_odd.read");
}

// ---- SCM_RIGHTS messages that carry their own sockets ----

static int send_fds(int sock, const int *fds, int n)
{
    char c = 'x';
    struct iovec iov = { &c, 1 };
    union { char buf[CMSG_SPACE(8 * sizeof(int))]; struct cmsghdr align; } u;
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                        .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
    struct cmsghdr *h = CMSG_FIRSTHDR(&m);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(n * sizeof(int));
    memcpy(CMSG_DATA(h), fds, n * sizeof(int));
    return sendmsg(sock, &m, MSG_DONTWAIT) < 0 ? -errno : 0;
}

// Each socket of a pair (stream and datagram) sent in messages queued on
// itself and on its peer, a listening socket sent to the socket it is
// about to accept (its embryo's queue), then exit with all of it in
// flight.
static void cycles(void *arg)
{
    (void)arg;
    int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
    for (int t = 0; t < 3; t++) {
        int sv[2];
        if (socketpair(AF_UNIX, types[t], 0, sv) < 0)
            _exit(2);
        if (send_fds(sv[0], sv, 2) < 0 || send_fds(sv[1], sv, 2) < 0 ||
            send_fds(sv[0], (int[]){ sv[0], sv[0], sv[0] }, 3) < 0)
            _exit(3);
    }
    char path[108];
    snprintf(path, sizeof path, "%s", scratch_path("stress-cycle"));
    unlink(path);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 2) < 0 ||
        connect(c, (struct sockaddr *)&a, sizeof a) < 0)
        _exit(4);
    unlink(path);
    if (send_fds(c, (int[]){ l, c }, 2) < 0)
        _exit(5);
    _exit(0);
}

static void part_cycles(void)
{
    for (int i = 0; i < 10; i++) {
        int st = run_child(cycles, NULL);
        if (!exited_with(st, 0)) {
            fail("stress.scm_cycles.sent", "the sender %s", status_str(st));
            return;
        }
    }
    ok("stress.scm_cycles.sent");
}

// ---- fork while a PI futex is held ----

static uint32_t pi_word;
static volatile int pi_held, pi_release;

static long futex_pi(int op)
{
    return neg_errno(syscall(SYS_futex, &pi_word, op, 0, NULL, NULL, 0));
}

static void *pi_holder(void *arg)
{
    (void)arg;
    if (futex_pi(FUTEX_LOCK_PI) == 0)
        pi_held = 1;
    while (!pi_release)
        sched_yield();
    check_eq("stress.fork_pi.unlock", 0, futex_pi(FUTEX_UNLOCK_PI));
    return NULL;
}

static void part_fork_pi(void)
{
    pthread_t t;
    pthread_create(&t, NULL, pi_holder, NULL);
    while (!pi_held)
        sched_yield();
    uint32_t owner = pi_word & FUTEX_TID_MASK;
    pid_t pid = fork();
    if (pid == 0) {
        // The child has the word as it was, owned by a thread it does not
        // have: a trylock is refused (EAGAIN? Linux: the owner is not
        // found in the child: ESRCH)... any error, and no hang.
        long r = futex_pi(FUTEX_TRYLOCK_PI);
        _exit(r < 0 ? 0 : 1);
    }
    int st = wait_for(pid);
    check(exited_with(st, 0), "stress.fork_pi.child", "the child %s (a trylock of a lock "
          "held in its parent succeeded, or it died)", status_str(st));
    check_eq("stress.fork_pi.still_owned", owner, pi_word & FUTEX_TID_MASK);
    pi_release = 1;
    pthread_join(t, NULL);
    check_eq("stress.fork_pi.free", 0, pi_word);
}

// ---- a PI lock's owner process dies while another process waits ----

// In shared memory: process O takes the PI lock, process W waits for it,
// O exits holding it. W gets the lock (0), the word its tid, with
// FUTEX_OWNER_DIED as Linux sets it (the owner died holding it).
static void part_pi_owner_dies(void)
{
    uint32_t *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    *w = 0;
    int ready[2];
    pipe(ready);
    pid_t owner = xfork();
    if (owner == 0) {
        syscall(SYS_futex, w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
        write(ready[1], "o", 1);
        sleep_ms(200);
        _exit(0);                       // holding it
    }
    char c;
    read(ready[0], &c, 1);
    pid_t waiter = xfork();
    if (waiter == 0) {
        long r = syscall(SYS_futex, w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
        uint32_t v = *w;
        // 0: got it; 1: not our tid; 2: no OWNER_DIED; 3: failed
        _exit(r != 0 ? 3 : (v & FUTEX_TID_MASK) != (uint32_t)getpid() ? 1
                         : !(v & 0x40000000u) ? 2 : 0);
    }
    wait_for(owner);
    int st = wait_for(waiter);
    check(exited_with(st, 0), "stress.pi_owner_dies", "the waiter %s (1: the word is not its "
          "tid, 2: no FUTEX_OWNER_DIED, 3: the lock failed)", status_str(st));
    munmap(w, 4096);
    close(ready[0]);
    close(ready[1]);
}

// ---- execve in a thread while the others are blocked ----

static void *exec_thread(void *arg)
{
    (void)arg;
    sleep_ms(50);
    char *argv[] = { "true", NULL };
    execve(rootpath("/bin/true"), argv, (char *[]){ NULL });
    _exit(42);
}

static void exec_while_blocked(void *arg)
{
    (void)arg;
    static char buf[64];
    int p[2];
    pipe(p);
    static struct blocked r, f;
    r = (struct blocked){ .name = "read", .call = call_read, .fd = p[0], .buf = buf };
    f = (struct blocked){ .name = "futex", .call = call_futex };
    pthread_t t;
    start_blocked(&t, &r);
    start_blocked(&t, &f);
    pthread_create(&t, NULL, exec_thread, NULL);
    for (;;)
        pause();
}

static void part_exec_blocked(void)
{
    int st = run_child(exec_while_blocked, NULL);
    check(exited_with(st, 0), "stress.exec_in_thread", "the process %s, /bin/true exits 0",
          status_str(st));
}

// ---- writev whose descriptor number is reused during the call ----

static char writev_big[65536 + 100];

static long call_writev(struct blocked *b)
{
    struct iovec iov[2] = { { writev_big, sizeof writev_big }, { (char *)"0123456789", 10 } };
    return neg_errno(writev(b->fd, iov, 2));
}

// A writev to a pipe waits for room in its first buffer; meanwhile its
// descriptor number is made to name another pipe (dup2). Its second
// buffer still goes to the first pipe, as on Linux: the call holds the
// open file description it started with. (It looked the number up again
// for each buffer.)
static void part_writev_reused(void)
{
    int p[2], q[2];
    pipe(p);
    pipe(q);
    memset(writev_big, 'a', sizeof writev_big);
    struct blocked b = { .name = "writev", .call = call_writev, .fd = p[1] };
    pthread_t t;
    start_blocked(&t, &b);
    dup2(q[1], p[1]);
    static char buf[4096];
    long got = 0;
    while (got < (long)sizeof writev_big) {
        long n = read(p[0], buf, sizeof buf < sizeof writev_big - got ? sizeof buf
                                                                     : sizeof writev_big - got);
        if (n <= 0)
            break;
        got += n;
    }
    pthread_join(t, NULL);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    fcntl(q[0], F_SETFL, O_NONBLOCK);
    check_eq("stress.writev_reused.result", (long)sizeof writev_big + 10, b.result);
    check_eq("stress.writev_reused.rest_in_first", 10, neg_errno(read(p[0], buf, sizeof buf)));
    check_eq("stress.writev_reused.none_in_other", -EAGAIN, neg_errno(read(q[0], buf, 16)));
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
}

// ---- a buffer unmapped under a blocked read ----

static void part_munmap_read(void)
{
    char *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int p[2], sv[2];
    pipe(p);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct blocked b = { .name = "read", .call = call_read, .fd = p[0], .buf = buf };
    pthread_t t;
    start_blocked(&t, &b);
    munmap(buf, 4096);
    write(p[1], "data", 4);
    pthread_join(t, NULL);
    check_eq("stress.munmap_read.pipe", -EFAULT, b.result);
    char *buf2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct blocked s = { .name = "read", .call = call_read, .fd = sv[0], .buf = buf2 };
    start_blocked(&t, &s);
    munmap(buf2, 4096);
    write(sv[1], "data", 4);
    pthread_join(t, NULL);
    check_eq("stress.munmap_read.socket", -EFAULT, s.result);
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}

// ---- a mapping whose file is cut short ----

static volatile char *cut_map;

static void touch_cut(void *arg)
{
    (void)arg;
    cut_map[100] = 1;
}

static void part_memfd_cut(void)
{
    int fd = (int)syscall(SYS_memfd_create, "cut", 0);
    ftruncate(fd, 3 * 4096);
    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        fail("stress.memfd_cut.mmap", "%s", errname(errno));
        return;
    }
    memset(m, 'x', 3 * 4096);
    pid_t pid = xfork();
    if (pid == 0) {
        sleep_ms(100);                  // the parent cuts the file meanwhile
        struct caught_fault r;
        cut_map = m;
        run_catching(SIGBUS, touch_cut, NULL, &r);
        _exit(r.caught && r.signo == SIGBUS ? 0 : 1);
    }
    ftruncate(fd, 0);
    struct caught_fault r;
    cut_map = m;
    run_catching(SIGBUS, touch_cut, NULL, &r);
    check(r.caught && r.signo == SIGBUS, "stress.memfd_cut.sigbus", "touching the cut "
          "mapping: %s", r.caught ? signame(r.signo) : status_str(r.status));
    int p[2];
    pipe(p);
    write(p[1], "data", 4);
    check_eq("stress.memfd_cut.read_into", -EFAULT, neg_errno(read(p[0], m + 4096, 4)));
    check_eq("stress.memfd_cut.write_from", -EFAULT, neg_errno(write(p[1], m, 4)));
    char local[16];
    struct iovec l = { local, sizeof local }, rv = { m, sizeof local };
    check_eq("stress.memfd_cut.process_vm_readv", -EFAULT,
             neg_errno(syscall(SYS_process_vm_readv, getpid(), &l, 1, &rv, 1, 0)));
    int st = wait_for(pid);
    check(exited_with(st, 0), "stress.memfd_cut.child_sigbus", "the fork child %s",
          status_str(st));
    ftruncate(fd, 4096);
    check_eq("stress.memfd_cut.grown_again", 0, m[0]);
    munmap(m, 3 * 4096);
    close(fd);
    close(p[0]);
    close(p[1]);
}

// ---- a System V segment cut up, moved and removed while attached ----

// What each call returns is not the point (Linux's answers are checked
// where they are sure); every frame must come back when the processes
// are gone, the segment's too.
static void shm_cut_up(void *arg)
{
    (void)arg;
    int id = shmget(IPC_PRIVATE, 3 * 4096, 0600);
    char *a = shmat(id, NULL, 0);
    if (a == (char *)-1)
        _exit(2);
    memset(a, 'a', 3 * 4096);
    shmctl(id, IPC_RMID, NULL);             // gone once the last attachment goes
    pid_t pid = fork();
    if (pid == 0) {
        a[4096] = 'c';
        munmap(a + 4096, 4096);              // a hole in the middle
        mprotect(a, 4096, PROT_READ);
        shmdt(a);
        _exit(0);
    }
    char *b = mremap(a, 3 * 4096, 6 * 4096, MREMAP_MAYMOVE);
    if (b != MAP_FAILED)
        a = b;
    char *c = shmat(id, NULL, 0);           // removed: Linux says EINVAL... or not
    if (c != (char *)-1)
        shmdt(c);
    munmap(a + 2 * 4096, 4096);
    wait_for(pid);
    _exit(a[0] == 'a' ? 0 : 3);
}

static void part_shm_cut(void)
{
    for (int i = 0; i < 5; i++) {
        int st = run_child(shm_cut_up, NULL);
        if (!exited_with(st, 0)) {
            fail("stress.shm_cut", "the process %s", status_str(st));
            return;
        }
    }
    ok("stress.shm_cut");
}

// ---- out of memory: the kernel's own allocations fail cleanly ----

// Memory taken a megabyte at a time, each page touched, until mmap says
// no or the OOM killer ends this process (both are fine). Then, with
// nothing left, calls that make kernel objects: each must fail with an
// errno (or succeed), never take the kernel down. bunshin only: on Linux
// this would be the host's memory.
static void hog_then_allocate(void *arg)
{
    (void)arg;
    // Down to a few frames: a megabyte at a time, then a page at a time
    // (short of the OOM killer, so that the kernel's allocations below are
    // the ones to fail).
    for (int mb = 0; mb < 1024 && meminfo_free_kb() > 2048; mb++) {
        char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
                       0);
        if (m == MAP_FAILED)
            break;
        for (int i = 0; i < (1 << 20); i += 4096)
            m[i] = 1;
    }
    char *last = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
                      0);
    for (int i = 0; last != MAP_FAILED && i < (1 << 20) && meminfo_free_kb() > 48; i += 4096)
        last[i] = 1;
    for (int round = 0; round < 20; round++) {
        int p[2], sv[2];
        if (pipe(p) == 0)
            write(p[1], "x", 1);
        if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0) {
            send_fds(sv[0], sv, 2);
            send_fds(sv[1], p, 2);
        }
        int ep = epoll_create1(0);
        struct epoll_event ev = { .events = EPOLLIN };
        epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
        syscall(SYS_eventfd2, 0, 0);
        int in = (int)syscall(SYS_inotify_init1, 0);
        syscall(SYS_inotify_add_watch, in, "/tmp", 0xfff);
        int q = msgget(IPC_PRIVATE, 0600);
        struct { long type; char text[512]; } msg = { 1, "" };
        msgsnd(q, &msg, sizeof msg.text, IPC_NOWAIT);
        msgctl(q, IPC_RMID, NULL);
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        if (pid > 0)
            waitpid(pid, NULL, 0);
        pthread_t t;
        if (pthread_create(&t, NULL, sleep_forever, NULL) == 0)
            pthread_detach(t);
    }
    _exit(0);
}

// Touch kb kilobytes of new memory; then tell the parent on fd (if >= 0).
static void touch_kb(long kb, int fd)
{
    char *m = mmap(NULL, (size_t)kb * 1024, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        _exit(2);
    for (long i = 0; i < kb * 1024; i += 4096)
        m[i] = 1;
    if (fd >= 0)
        write(fd, "t", 1);
}

static long big_kb;
static int big_ready;

static void *big_thread(void *arg)
{
    (void)arg;
    touch_kb(big_kb, big_ready);
    for (;;)
        pause();
    return NULL;
}

// The biggest process has only its second thread left (its first one
// exited): the OOM killer still finds it, and the smaller process that ran
// out goes on. (It passed such a process over, and killed the small one.)
static void part_oom_leader_exited(void)
{
    if (!on_bunshin()) {
        skip("stress.oom_leader_exited", "Linux: it would take the host's memory");
        return;
    }
    long free_kb = meminfo_free_kb();
    int ready[2];
    pipe(ready);
    big_kb = free_kb * 55 / 100;
    big_ready = ready[1];
    pid_t big = xfork();
    if (big == 0) {
        pthread_t t;
        pthread_create(&t, NULL, big_thread, NULL);
        syscall(SYS_exit, 0);
    }
    char c;
    read(ready[0], &c, 1);
    pid_t small = xfork();
    if (small == 0) {
        touch_kb(free_kb * 50 / 100, -1);
        _exit(0);
    }
    int st = wait_for(small);
    check(exited_with(st, 0), "stress.oom_leader_exited.small_lives", "the small process "
          "%s", status_str(st));
    sleep_ms(100);
    int got = waitpid(big, &st, WNOHANG);
    check(got == big && killed_by(st, SIGKILL), "stress.oom_leader_exited.big_killed",
          "the big one %s", got == big ? status_str(st) : "was not killed");
    if (got != big) {
        kill(big, SIGKILL);
        wait_for(big);
    }
    close(ready[0]);
    close(ready[1]);
}

static void part_out_of_memory(void)
{
    if (!on_bunshin()) {
        skip("stress.out_of_memory", "Linux: it would take the host's memory");
        return;
    }
    for (int i = 0; i < 2; i++) {
        int st = run_child(hog_then_allocate, NULL);
        if (!exited_with(st, 0) && !killed_by(st, SIGKILL)) {
            fail("stress.out_of_memory", "the process %s", status_str(st));
            return;
        }
    }
    ok("stress.out_of_memory");
}

// ---- a mount taken away while it is in use ----

// A tmpfs with a tmpfs mounted inside it, the process's current directory,
// a directory descriptor and an open file in the inner one, detached
// (MNT_DETACH) at once: the open file goes on working; the calls through
// the directory descriptors and the current directory may fail (bunshin
// takes a detached tmpfs's names away at once: docs/files.md) but must not
// harm; neither mount is listed any more; everything comes back when the
// last use ends.
static void detached_in_use(void *arg)
{
    const char *top = arg;
    char inner[600], path[700], buf[8] = { 0 };
    snprintf(inner, sizeof inner, "%s/inner", top);
    if (mount("none", top, "tmpfs", 0, 0) < 0 || mkdir(inner, 0755) < 0 ||
        mount("none", inner, "tmpfs", 0, 0) < 0)
        _exit(2);
    snprintf(path, sizeof path, "%s/d", inner);
    mkdir(path, 0755);
    int dfd = open(path, O_RDONLY | O_DIRECTORY);
    int tfd = open(top, O_RDONLY | O_DIRECTORY);
    snprintf(path, sizeof path, "%s/d/file", inner);
    int ffd = open(path, O_RDWR | O_CREAT, 0600);
    snprintf(path, sizeof path, "%s/d", inner);
    chdir(path);
    check_eq("stress.detached.busy", -EBUSY, neg_errno(umount2(top, 0)));
    check_eq("stress.detached.umount2", 0, neg_errno(umount2(top, MNT_DETACH)));
    check_eq("stress.detached.file_write", 4, neg_errno(write(ffd, "data", 4)));
    check(pread(ffd, buf, 4, 0) == 4 && !memcmp(buf, "data", 4), "stress.detached.file_read",
          "%s", errname(errno));
    static char mounts[8192];
    read_file("/proc/self/mounts", mounts, sizeof mounts);
    check(!strstr(mounts, top), "stress.detached.unlisted", "%s is still in /proc/mounts",
          top);
    // Whatever these say: no harm.
    mkdirat(dfd, "x", 0755);
    int fd = openat(dfd, "x/f", O_RDWR | O_CREAT, 0600);
    write(fd, "data", 4);
    mkdir("here", 0755);
    mkdirat(tfd, "t", 0755);
    renameat(dfd, "x/f", tfd, "t/f");
    unlinkat(dfd, "x/f", 0);
    fchdir(tfd);
    static char cwd[256];
    getcwd(cwd, sizeof cwd);
    close(fd);
    close(ffd);
    close(dfd);
    close(tfd);
    chdir("/");
    _exit(test_failures() ? 1 : 0);
}

static void part_detached(void)
{
    char top[600];
    snprintf(top, sizeof top, "%s", scratch_path("stress-mnt"));
    rmdir(top);
    mkdir(top, 0755);
    if (geteuid() != 0 || mount("none", top, "tmpfs", 0, 0) < 0) {
        skip("stress.detached", "this process may not mount (%s)", errname(errno));
        rmdir(top);
        return;
    }
    umount(top);
    int st = run_child(detached_in_use, top);
    check(exited_with(st, 0), "stress.detached.child", "the process %s", status_str(st));
    rmdir(top);
}

// ---- inotify watches on things that come and go ----

// Watches on a child's /proc files and directory (the child then exits and
// is reaped), and through /proc/self/fd on a pipe, a socket, a memfd and an
// eventfd, which are then used and closed. What is reported is not the
// point; nothing may be left behind, nothing may break.
static void inotify_odd(void *arg)
{
    (void)arg;
    int in = (int)syscall(SYS_inotify_init1, O_NONBLOCK);
    pid_t kid = fork();
    if (kid == 0) {
        pause();
        _exit(0);
    }
    char path[64];
    static const char *const procfiles[] = { "", "/status", "/fd", "/maps" };
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "/proc/%d%s", (int)kid, procfiles[i]);
        syscall(SYS_inotify_add_watch, in, path, IN_ALL_EVENTS);
    }
    int p[2], sv[2];
    pipe(p);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int mf = (int)syscall(SYS_memfd_create, "w", 0);
    int ev = (int)syscall(SYS_eventfd2, 0, 0);
    int fds[] = { p[0], p[1], sv[0], mf, ev };
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "/proc/self/fd/%d", fds[i]);
        syscall(SYS_inotify_add_watch, in, path, IN_ALL_EVENTS);
    }
    write(p[1], "x", 1);
    write(sv[1], "x", 1);
    write(mf, "x", 1);
    uint64_t one = 1;
    write(ev, &one, sizeof one);
    kill(kid, SIGKILL);
    waitpid(kid, NULL, 0);
    static char buf[4096];
    read(in, buf, sizeof buf);
    for (int i = 0; i < 5; i++)
        close(fds[i]);
    close(sv[1]);
    for (int wd = 1; wd < 12; wd++)
        syscall(SYS_inotify_rm_watch, in, wd);
    read(in, buf, sizeof buf);
    close(in);
    _exit(0);
}

static void part_inotify_odd(void)
{
    int st = run_child(inotify_odd, NULL);
    check(exited_with(st, 0), "stress.inotify_odd", "the process %s", status_str(st));
}

// ---- fork from a process that shares its memory (CLONE_VM) ----

static char *shared_buf;
static int vm_pipe[2], vm_go[2];

// B: shares A's memory; forks C, whose memory is its own copy of it.
static int vm_sharer(void *arg)
{
    (void)arg;
    pid_t c = fork();
    if (c == 0) {
        char x;
        read(vm_go[0], &x, 1);          // A has changed and unmapped it by now
        for (int i = 0; i < 4 * 4096; i++)
            if (shared_buf[i] != 'A')
                _exit(1);
        _exit(0);
    }
    write(vm_pipe[1], "f", 1);          // forked: A may go on
    int st;
    waitpid(c, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}

// A process B shares A's memory (clone with CLONE_VM, not a thread) and
// forks C. A then writes over the buffer and unmaps it: C still sees the
// buffer as it was at the fork, under every fork (copy-on-write, copy,
// page tables shared).
static void part_vm_shared_fork(void)
{
    shared_buf = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                      -1, 0);
    memset(shared_buf, 'A', 4 * 4096);
    pipe(vm_pipe);
    pipe(vm_go);
    static char stack[64 * 1024] __attribute__((aligned(16)));
    pid_t b = clone(vm_sharer, stack + sizeof stack, CLONE_VM | SIGCHLD, NULL);
    if (b < 0) {
        fail("stress.vm_shared_fork", "clone: %s", errname(errno));
        return;
    }
    char x;
    read(vm_pipe[0], &x, 1);            // C exists
    memset(shared_buf, 'Z', 4 * 4096);
    munmap(shared_buf, 4 * 4096);
    write(vm_go[1], "g", 1);            // C may look
    int st = wait_for(b);
    check(exited_with(st, 0), "stress.vm_shared_fork", "C saw the buffer changed, or "
          "B/C failed: %s", status_str(st));
}

// ---- the parts ----

static void (*timed_fn)(void);

static void timed_body(void)
{
    alarm(PART_SECS);
    timed_fn();
}

// The part in a process of its own (run_part) under an alarm: a hang ends
// as SIGALRM, a FAIL of the part.
static void run_timed(const char *name, void (*fn)(void))
{
    timed_fn = fn;
    run_part(name, timed_body);
}

// t_stress_objs [WORD...]: the parts whose names hold one of the WORDs
// only (all by default).
static int chosen(const char *name, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strstr(name, argv[i]))
            return 1;
    return argc < 2;
}

int main(int argc, char **argv)
{
    catch_usr1();
    run_child(warm_proc, NULL);         // (part_proc_odd's one-time page)
    long before = memfree_start();
    struct { const char *name; void (*fn)(void); } parts[] = {
        { "stress.part.close_read", part_close_read },
        { "stress.part.close_recvmsg", part_close_recvmsg },
        { "stress.part.close_accept", part_close_accept },
        { "stress.part.close_poll", part_close_poll },
        { "stress.part.close_epoll", part_close_epoll },
        { "stress.part.close_mq", part_close_mq },
        { "stress.part.rmid", part_rmid },
        { "stress.part.close_more", part_close_more },
        { "stress.part.connect_closed", part_connect_closed },
        { "stress.part.msgsnd_rmid", part_msgsnd_rmid },
        { "stress.part.splice_closed", part_splice_closed },
        { "stress.part.waitid_pidfd", part_waitid_pidfd },
        { "stress.part.signal_futex", part_signal_futex },
        { "stress.part.restart", part_restart },
        { "stress.part.kill_blocked", part_kill_blocked },
        { "stress.part.scm_cycles", part_cycles },
        { "stress.part.leader_exited", part_leader_exited },
        { "stress.part.lock_closed", part_lock_closed },
        { "stress.part.proc_odd", part_proc_odd },
        { "stress.part.fork_pi", part_fork_pi },
        { "stress.part.pi_owner_dies", part_pi_owner_dies },
        { "stress.part.exec_blocked", part_exec_blocked },
        { "stress.part.munmap_read", part_munmap_read },
        { "stress.part.writev_reused", part_writev_reused },
        { "stress.part.memfd_cut", part_memfd_cut },
        { "stress.part.shm_cut", part_shm_cut },
        { "stress.part.out_of_memory", part_out_of_memory },
        { "stress.part.oom_leader_exited", part_oom_leader_exited },
        { "stress.part.detached", part_detached },
        { "stress.part.inotify_odd", part_inotify_odd },
        { "stress.part.vm_shared_fork", part_vm_shared_fork },
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (chosen(parts[i].name, argc, argv))
            run_timed(parts[i].name, parts[i].fn);
    memfree_check("stress.memfree", before);
    return test_status();
}
