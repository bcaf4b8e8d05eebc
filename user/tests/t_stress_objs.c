// t_stress_objs: the kernel's objects under the sequences a random fuzzer
// is unlikely to find: one thread takes away what another is blocked on
// (the pieces all t_stress_* tests share: user/lib/stress.c).
//
//   - a thread blocked in read, recvmsg, accept, poll, epoll_wait,
//     mq_receive, msgrcv, semop, futex, eventfd's read and write, a
//     timerfd's and an inotify descriptor's read, mq_send, connect (a full
//     backlog), msgsnd (a full queue), splice, waitid(P_PIDFD): its
//     descriptor is closed under it (or its System V object removed), then
//     what wakes it on Linux is done (the other end closed: EOF; the object
//     removed: EIDRM; a signal with no SA_RESTART: EINTR). The call must
//     return what Linux returns, and nothing may be left behind;
//   - a signal whose handler has SA_RESTART during each blocking call: the
//     calls Linux restarts go on waiting, the others say EINTR; and the
//     same with the process stopped and continued (epoll_wait and semop
//     say EINTR, as signal(7) lists);
//   - a thread waits for a lock (flock, F_SETLKW, F_OFD_SETLKW) while its
//     descriptor is closed: the lock goes at once (F_SETLKW: EBADF);
//   - every process with blocked threads is killed with SIGKILL.
// Each part runs in its own process under an alarm (a hang is a FAIL, not
// a stuck test); MemFree is back at the end. t_stress_objs WORD... runs the
// parts whose names hold one of the WORDs.
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
#include "stress.h"

// (One boot: what it takes away from blocked calls is descriptors and IPC
// objects, whatever fork copies; t_stress_proc and t_stress_mem, about
// processes and memory, run under fork=copy and fork=odf too.)

// ---- a thread blocked in one call ----

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

int main(int argc, char **argv)
{
    static const struct stress_part parts[] = {
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
        { "stress.part.lock_closed", part_lock_closed },
    };
    return stress_main(argc, argv, parts, sizeof parts / sizeof parts[0], NULL);
}
