// t_libc_ipc: System V IPC, POSIX shared memory and Unix sockets through
// musl's wrappers (on i386 musl reaches System V IPC through the ipc(2)
// multiplexer or the separate calls, and sockets through socketcall or the
// separate calls: the kernel must answer both the way Linux does).
//
//   - ftok: the same key for the same file, another for another id;
//   - msgget/msgsnd/msgrcv: types (first, exact, <= -n), MSG_EXCEPT-free
//     order, IPC_NOWAIT ENOMSG, E2BIG and MSG_NOERROR, msgctl IPC_STAT
//     counts, a receiver in a child woken by a send, IPC_RMID wakes it
//     with EIDRM;
//   - semget/semop/semctl: SETVAL/GETVAL/SETALL/GETALL/GETPID/GETNCNT,
//     IPC_NOWAIT EAGAIN, SEM_UNDO undone at exit, semtimedop EAGAIN after
//     its timeout;
//   - shmget/shmat across fork: a child's write is seen by the parent,
//     shm_nattch counts, IPC_RMID while attached;
//   - shm_open/ftruncate/mmap/shm_unlink (files of /dev/shm) in two
//     processes, O_EXCL EEXIST, ENOENT after unlink;
//   - socketpair stream and datagram through send/recv/sendto/recvfrom
//     with MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL; AF_UNIX bound datagram
//     sockets with sendto/recvfrom giving the sender's address; a stream
//     listener with accept4, shutdown and its EOF/EPIPE;
//   - sendmsg/recvmsg with an iovec of three parts.
// On bunshin, MemFree is back where it started at the end.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

// --- ftok ---------------------------------------------------------------------

static void test_ftok(void)
{
    const char *f = scratch_path("ftok");
    close(open(f, O_CREAT | O_WRONLY, 0644));
    key_t a = ftok(f, 'a'), b = ftok(f, 'a'), c = ftok(f, 'b');
    struct stat st;
    stat(f, &st);
    key_t want = (key_t)((st.st_ino & 0xffff) | ((st.st_dev & 0xff) << 16) | ('a' << 24));
    errno = 0;
    key_t d = ftok(scratch_path("no-such"), 'a');
    check(a != -1 && a == b && c != a && a == want && d == -1 && errno == ENOENT, "ftok",
          "keys %#x %#x %#x want %#x, missing %d %s", (unsigned)a, (unsigned)b, (unsigned)c,
          (unsigned)want, (int)d, errname(errno));
    unlink(f);
}

// --- message queues -------------------------------------------------------------

struct msg {
    long type;
    char text[32];
};

static void test_msg(void)
{
    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    if (q < 0) {
        fail("msg.queue", "msgget: %s", errname(errno));
        return;
    }
    struct msg m;
    long types[] = { 5, 2, 9, 2, 1 };
    for (int i = 0; i < 5; i++) {
        m.type = types[i];
        snprintf(m.text, sizeof m.text, "m%d", i);
        msgsnd(q, &m, strlen(m.text) + 1, 0);
    }
    struct msqid_ds ds;
    msgctl(q, IPC_STAT, &ds);
    int qnum = (int)ds.msg_qnum;
    ssize_t r1 = msgrcv(q, &m, sizeof m.text, 0, 0);          // first: m0 (5)
    int ok1 = r1 == 3 && m.type == 5 && strcmp(m.text, "m0") == 0;
    ssize_t r2 = msgrcv(q, &m, sizeof m.text, 2, 0);          // type 2: m1
    int ok2 = r2 == 3 && strcmp(m.text, "m1") == 0;
    ssize_t r3 = msgrcv(q, &m, sizeof m.text, -3, 0);         // lowest <= 3: m4 (1)
    int ok3 = r3 == 3 && m.type == 1 && strcmp(m.text, "m4") == 0;
    ssize_t r4 = msgrcv(q, &m, sizeof m.text, 2, 0);          // m3
    int ok4 = r4 == 3 && strcmp(m.text, "m3") == 0;
    errno = 0;
    ssize_t r5 = msgrcv(q, &m, sizeof m.text, 7, IPC_NOWAIT); // none of type 7
    int e5 = errno;
    errno = 0;
    ssize_t r6 = msgrcv(q, &m, 1, 9, 0);                      // too long: E2BIG, stays
    int e6 = errno;
    ssize_t r7 = msgrcv(q, &m, 1, 9, MSG_NOERROR);            // cut to 1 byte
    check(qnum == 5 && ok1 && ok2 && ok3 && ok4 && r5 == -1 && e5 == ENOMSG && r6 == -1 &&
          e6 == E2BIG && r7 == 1 && m.text[0] == 'm', "msg.types",
          "qnum %d, recv %zd %zd %zd %zd, type 7 %s, short %s, noerror %zd", qnum, r1, r2,
          r3, r4, errname(e5), errname(e6), r7);

    // A child waits in msgrcv; the parent's send wakes it; the next wait
    // ends with EIDRM when the queue goes.
    pid_t pid = xfork();
    if (pid == 0) {
        struct msg c;
        ssize_t n = msgrcv(q, &c, sizeof c.text, 3, 0);
        if (n != 4 || strcmp(c.text, "hey") != 0)
            _exit(1);
        errno = 0;
        n = msgrcv(q, &c, sizeof c.text, 3, 0);
        _exit(n == -1 && errno == EIDRM ? 0 : 2);
    }
    sleep_ms(30);
    m.type = 3;
    strcpy(m.text, "hey");
    msgsnd(q, &m, 4, 0);
    sleep_ms(30);
    msgctl(q, IPC_STAT, &ds);
    int lrpid_ok = ds.msg_lrpid == pid && ds.msg_lspid == getpid();
    msgctl(q, IPC_RMID, NULL);
    int st = wait_for(pid);
    check(exited_with(st, 0) && lrpid_ok, "msg.wake_and_eidrm", "child %s, pids ok %d",
          status_str(st), lrpid_ok);
    errno = 0;
    check_errno("msg.gone", msgsnd(q, &m, 4, 0), EINVAL);
}

// --- semaphores --------------------------------------------------------------------

static void test_sem(void)
{
    int s = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    if (s < 0) {
        fail("sem.set", "semget: %s", errname(errno));
        return;
    }
    unsigned short vals[3] = { 1, 2, 3 }, back[3] = { 0, 0, 0 };
    int r1 = semctl(s, 0, SETALL, (union semun){ .array = vals });
    int r2 = semctl(s, 0, GETALL, (union semun){ .array = back });
    int r3 = semctl(s, 1, SETVAL, (union semun){ .val = 7 });
    int v1 = semctl(s, 1, GETVAL);
    struct sembuf take = { 0, -1, IPC_NOWAIT };
    int r4 = semop(s, &take, 1);
    errno = 0;
    int r5 = semop(s, &take, 1);
    int e5 = errno;
    int pidv = semctl(s, 0, GETPID);
    struct semid_ds ds;
    semctl(s, 0, IPC_STAT, (union semun){ .buf = &ds });
    check(r1 == 0 && r2 == 0 && back[0] == 1 && back[1] == 2 && back[2] == 3 && r3 == 0 &&
          v1 == 7 && r4 == 0 && r5 == -1 && e5 == EAGAIN && pidv == getpid() &&
          ds.sem_nsems == 3, "sem.ctl_op",
          "setall %d getall %d %u %u %u setval %d getval %d op %d nowait %d %s pid %d nsems %lu",
          r1, r2, back[0], back[1], back[2], r3, v1, r4, r5, errname(e5), pidv,
          (unsigned long)ds.sem_nsems);

    // semtimedop gives up after its timeout.
    struct timespec ts = { 0, 50 * 1000 * 1000 };
    struct sembuf wait0 = { 0, -1, 0 };
    long long t0 = mono_ns();
    errno = 0;
    int r6 = semtimedop(s, &wait0, 1, &ts);
    int e6 = errno;
    long long took = (mono_ns() - t0) / 1000000;
    check(r6 == -1 && e6 == EAGAIN && took >= 45 && took < 2000, "sem.timedop",
          "%d %s after %lld ms", r6, errname(e6), took);

    // A child waits (GETNCNT sees it), a post wakes it; SEM_UNDO of a
    // child that exits is undone.
    pid_t pid = xfork();
    if (pid == 0) {
        struct sembuf w = { 0, -1, 0 };
        _exit(semop(s, &w, 1) == 0 ? 0 : 1);
    }
    sleep_ms(30);
    int ncnt = semctl(s, 0, GETNCNT);
    struct sembuf post = { 0, 1, 0 };
    semop(s, &post, 1);
    int st = wait_for(pid);
    pid = xfork();
    if (pid == 0) {
        struct sembuf u = { 2, -2, SEM_UNDO };
        semop(s, &u, 1);
        _exit(semctl(s, 2, GETVAL) == 1 ? 0 : 1);
    }
    int st2 = wait_for(pid);
    int v2 = semctl(s, 2, GETVAL);
    check(ncnt == 1 && exited_with(st, 0) && exited_with(st2, 0) && v2 == 3, "sem.wake_undo",
          "ncnt %d, waiter %s, undo child %s, value after %d", ncnt, status_str(st),
          status_str(st2), v2);
    semctl(s, 0, IPC_RMID);
    errno = 0;
    check_errno("sem.gone", semop(s, &post, 1), EINVAL);
}

// --- System V shared memory ---------------------------------------------------------

static void test_shm(void)
{
    int id = shmget(IPC_PRIVATE, 3 * 4096 + 10, IPC_CREAT | 0600);
    if (id < 0) {
        fail("shm.fork", "shmget: %s", errname(errno));
        return;
    }
    char *p = shmat(id, NULL, 0);
    if (p == (void *)-1) {
        fail("shm.fork", "shmat: %s", errname(errno));
        shmctl(id, IPC_RMID, NULL);
        return;
    }
    p[0] = 'P';
    pid_t pid = xfork();
    if (pid == 0) {
        // Inherited across fork, and a second attach of its own.
        char *q = shmat(id, NULL, SHM_RDONLY);
        struct shmid_ds ds;
        shmctl(id, IPC_STAT, &ds);
        int n = (int)ds.shm_nattch;
        p[3 * 4096 + 5] = 'C';
        _exit(q != (void *)-1 && q[0] == 'P' && q[3 * 4096 + 5] == 'C' && n == 3 ? 0 : 1);
    }
    int st = wait_for(pid);
    struct shmid_ds ds;
    shmctl(id, IPC_STAT, &ds);
    check(exited_with(st, 0) && p[3 * 4096 + 5] == 'C' && ds.shm_nattch == 1 &&
          ds.shm_segsz == 3 * 4096 + 10 && ds.shm_cpid == getpid() && ds.shm_lpid == pid,
          "shm.fork", "child %s, byte %c, nattch %lu segsz %zu cpid ok %d lpid ok %d",
          status_str(st), p[3 * 4096 + 5], (unsigned long)ds.shm_nattch, ds.shm_segsz,
          ds.shm_cpid == getpid(), ds.shm_lpid == pid);
    shmctl(id, IPC_RMID, NULL);
    p[1] = 'x';                 // still attached: still usable
    int dt = shmdt(p);
    errno = 0;
    int gone = shmctl(id, IPC_STAT, &ds);
    check(dt == 0 && gone == -1 && (errno == EINVAL || errno == EIDRM), "shm.rmid_detach",
          "shmdt %d, stat after %d %s", dt, gone, errname(errno));
    errno = 0;
    check_errno("shm.shmdt_not_attached", shmdt(p), EINVAL);
}

// --- POSIX shared memory -------------------------------------------------------------

static void test_shm_open(void)
{
    char name[64];
    snprintf(name, sizeof name, "/t_libc_ipc.%d", (int)getpid());
    shm_unlink(name);
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        fail("shm_open.shared", "shm_open: %s", errname(errno));
        return;
    }
    errno = 0;
    int again = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    int e_again = errno;
    int fl = fcntl(fd, F_GETFD);
    ftruncate(fd, 8192);
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pid_t pid = xfork();
    if (pid == 0) {
        int cfd = shm_open(name, O_RDWR, 0);
        char *q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
        if (q == MAP_FAILED)
            _exit(1);
        q[4097] = 'z';
        _exit(0);
    }
    int st = wait_for(pid);
    int seen = p != MAP_FAILED && p[4097] == 'z';
    int un = shm_unlink(name);
    errno = 0;
    int reopen = shm_open(name, O_RDWR, 0);
    int e_re = errno;
    check(again == -1 && e_again == EEXIST && fl == FD_CLOEXEC && exited_with(st, 0) && seen &&
          un == 0 && reopen == -1 && e_re == ENOENT, "shm_open.shared",
          "excl %s, cloexec %d, child %s, seen %d, unlink %d, reopen %s", errname(e_again), fl,
          status_str(st), seen, un, errname(e_re));
    if (p != MAP_FAILED)
        munmap(p, 8192);
    close(fd);
}

// --- Unix sockets -------------------------------------------------------------------

static void test_socketpair(void)
{
    int sv[2];
    int r = socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    char b[16] = "";
    send(sv[0], "hello", 5, 0);
    ssize_t pk = recv(sv[1], b, sizeof b, MSG_PEEK);
    ssize_t rd = recv(sv[1], b, 3, 0);
    ssize_t rest = recv(sv[1], b + 3, sizeof b - 3, 0);
    errno = 0;
    ssize_t empty = recv(sv[1], b, sizeof b, MSG_DONTWAIT);
    int e_empty = errno;
    check(r == 0 && pk == 5 && rd == 3 && rest == 2 && memcmp(b, "hello", 5) == 0 &&
          empty == -1 && e_empty == EAGAIN, "socketpair.stream",
          "socketpair %d peek %zd recv %zd then %zd, empty %zd %s", r, pk, rd, rest, empty,
          errname(e_empty));

    // MSG_WAITALL waits for the whole count, written in two goes.
    pid_t pid = xfork();
    if (pid == 0) {
        send(sv[0], "abc", 3, 0);
        sleep_ms(30);
        send(sv[0], "defg", 4, 0);
        _exit(0);
    }
    memset(b, 0, sizeof b);
    ssize_t all = recv(sv[1], b, 7, MSG_WAITALL);
    wait_for(pid);
    check(all == 7 && strcmp(b, "abcdefg") == 0, "socketpair.waitall", "got %zd \"%s\"", all, b);
    shutdown(sv[0], SHUT_WR);
    ssize_t eof = recv(sv[1], b, sizeof b, 0);
    signal(SIGPIPE, SIG_IGN);
    shutdown(sv[1], SHUT_RD);
    errno = 0;
    ssize_t wr = send(sv[0], "x", 1, 0);
    int e_wr = errno;
    signal(SIGPIPE, SIG_DFL);
    check(eof == 0 && wr == -1 && e_wr == EPIPE, "socketpair.shutdown",
          "eof %zd, send after SHUT_WR %zd %s", eof, wr, errname(e_wr));
    close(sv[0]);
    close(sv[1]);

    r = socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    send(sv[0], "one", 3, 0);
    send(sv[0], "two!", 4, 0);
    ssize_t d1 = recv(sv[1], b, 2, 0);          // truncated, the rest lost
    ssize_t d2 = recv(sv[1], b, sizeof b, MSG_TRUNC);
    check(r == 0 && d1 == 2 && d2 == 4, "socketpair.dgram", "socketpair %d recv %zd %zd", r,
          d1, d2);
    // sendmsg/recvmsg with three parts each way.
    struct iovec out[3] = { { "ab", 2 }, { "cde", 3 }, { "f", 1 } };
    struct msghdr mh = { .msg_iov = out, .msg_iovlen = 3 };
    ssize_t sm = sendmsg(sv[0], &mh, 0);
    char x1[1], x2[2], x3[8];
    struct iovec in[3] = { { x1, 1 }, { x2, 2 }, { x3, 8 } };
    struct msghdr mi = { .msg_iov = in, .msg_iovlen = 3 };
    ssize_t rm = recvmsg(sv[1], &mi, 0);
    check(sm == 6 && rm == 6 && x1[0] == 'a' && memcmp(x2, "bc", 2) == 0 &&
          memcmp(x3, "def", 3) == 0 && mi.msg_flags == 0, "sendmsg.iovec",
          "sent %zd got %zd flags %#x", sm, rm, mi.msg_flags);
    close(sv[0]);
    close(sv[1]);
}

static void set_addr(struct sockaddr_un *a, const char *name)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    snprintf(a->sun_path, sizeof a->sun_path, "%s", scratch_path(name));
    unlink(a->sun_path);
}

static void test_unix_named(void)
{
    struct sockaddr_un sa, ca, from;
    set_addr(&sa, "u.srv");
    set_addr(&ca, "u.cli");
    int s = socket(AF_UNIX, SOCK_DGRAM, 0), c = socket(AF_UNIX, SOCK_DGRAM, 0);
    int b1 = bind(s, (struct sockaddr *)&sa, sizeof sa);
    int b2 = bind(c, (struct sockaddr *)&ca, sizeof ca);
    ssize_t sn = sendto(c, "ping", 4, 0, (struct sockaddr *)&sa, sizeof sa);
    char b[16] = "";
    socklen_t fl = sizeof from;
    memset(&from, 0, sizeof from);
    ssize_t rn = recvfrom(s, b, sizeof b, 0, (struct sockaddr *)&from, &fl);
    check(b1 == 0 && b2 == 0 && sn == 4 && rn == 4 && memcmp(b, "ping", 4) == 0 &&
          strcmp(from.sun_path, ca.sun_path) == 0 && fl == offsetof(struct sockaddr_un,
          sun_path) + strlen(ca.sun_path) + 1, "unix.dgram_from",
          "bind %d %d sendto %zd recvfrom %zd from \"%s\" len %u", b1, b2, sn, rn,
          from.sun_path, (unsigned)fl);
    errno = 0;
    struct sockaddr_un none;
    set_addr(&none, "u.none");
    ssize_t bad = sendto(c, "x", 1, 0, (struct sockaddr *)&none, sizeof none);
    check(bad == -1 && errno == ENOENT, "unix.dgram_enoent", "%zd %s", bad, errname(errno));
    close(s);
    close(c);
    unlink(sa.sun_path);
    unlink(ca.sun_path);

    set_addr(&sa, "u.listen");
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&sa, sizeof sa);
    int li = listen(l, 4);
    pid_t pid = xfork();
    if (pid == 0) {
        int k = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(k, (struct sockaddr *)&sa, sizeof sa) != 0)
            _exit(1);
        send(k, "req", 3, 0);
        char r[8] = "";
        ssize_t n = recv(k, r, sizeof r, 0);
        _exit(n == 3 && memcmp(r, "ans", 3) == 0 ? 0 : 2);
    }
    int a = accept4(l, NULL, NULL, SOCK_CLOEXEC);
    int afl = a >= 0 ? fcntl(a, F_GETFD) : -1;
    memset(b, 0, sizeof b);
    ssize_t rq = recv(a, b, sizeof b, 0);
    send(a, "ans", 3, 0);
    int st = wait_for(pid);
    check(li == 0 && a >= 0 && afl == FD_CLOEXEC && rq == 3 && exited_with(st, 0),
          "unix.stream_accept4", "listen %d accept4 %d cloexec %d recv %zd, client %s", li, a,
          afl, rq, status_str(st));
    close(a);
    close(l);
    unlink(sa.sun_path);
}

static void all_parts(void)
{
    test_ftok();
    test_msg();
    test_sem();
    test_shm();
    test_shm_open();
    test_socketpair();
    test_unix_named();
}

int main(void)
{
    long before = memfree_start();
    run_part("libc_ipc", all_parts);
    memfree_check("libc_ipc.memfree", before);
    return test_status();
}
