// t_scm: descriptors and credentials carried by Unix-domain messages
// (fs/scm.c; docs/sockets.md):
//   - SCM_RIGHTS from a parent to its fork child: the child's new
//     descriptor names the parent's open file description, so the two share
//     one offset (the child reads on from where the parent was, and the
//     parent then sees the child's reads); several descriptors in one
//     message; a peek hands them too;
//   - MSG_CTRUNC: a control buffer too small for all of them takes what
//     fits, the rest are closed (a pipe's write end sent that way leaves
//     the pipe with no writer: its reader sees end of file);
//   - descriptors in flight are released when their message is never
//     received (the socket closed with them queued), or read by read(2);
//     sockets that only messages in flight keep alive (one sent through
//     itself, two queued on each other) are collected;
//   - MSG_CMSG_CLOEXEC sets close-on-exec on the received descriptors;
//   - SCM_CREDENTIALS: with SO_PASSCRED every message says who sent it; a
//     sender may not claim another pid (EPERM unless root); bad control
//     messages are EINVAL, a bad descriptor EBADF;
//   - no frame is left behind by all of this.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

// Send one byte with n descriptors attached: sendmsg's result.
static long send_fds(int sock, const int *fds, int n)
{
    union {
        char buf[CMSG_SPACE(16 * sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = { "F", 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    if (n > 0) {
        memset(&ctl, 0, sizeof ctl);
        m.msg_control = ctl.buf;
        m.msg_controllen = CMSG_SPACE((size_t)n * sizeof(int));
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
        memcpy(CMSG_DATA(c), fds, (size_t)n * sizeof(int));
    }
    return sendmsg(sock, &m, 0);
}

// Receive a message with room for `room` descriptors: their number (up
// to max in fds), -1 on error; *flags gets msg_flags.
static int recv_fds(int sock, int *fds, int max, int room, int rflags, int *flags)
{
    union {
        char buf[CMSG_SPACE(16 * sizeof(int))];
        struct cmsghdr align;
    } ctl;
    char b[8];
    struct iovec iov = { b, sizeof b };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    if (room > 0) {
        m.msg_control = ctl.buf;
        m.msg_controllen = CMSG_SPACE((size_t)room * sizeof(int));
    }
    if (recvmsg(sock, &m, rflags) < 0)
        return -1;
    *flags = m.msg_flags;
    int n = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int i = 0; i < k && n < max; i++)
            memcpy(&fds[n++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
    }
    return n;
}

// Is the pipe whose read end is rd left with no writer? (A nonblocking
// read: 0 is end of file, EAGAIN means a writer is still open somewhere.)
static int pipe_has_no_writer(int rd)
{
    char b;
    fcntl(rd, F_SETFL, O_NONBLOCK);
    return read(rd, &b, 1) == 0;
}

static void test_shared_offset(void)
{
    const char *path = scratch_path("t_scm-file");
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "0123456789", 10);
    lseek(fd, 2, SEEK_SET);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t pid = xfork();
    if (pid == 0) {
        close(sv[0]);
        close(fd);               // the child has only what arrives
        int got[4], flags = 0;
        int n = recv_fds(sv[1], got, 4, 4, 0, &flags);
        // Report: how many, the offset found, the two bytes read there.
        char rep[8] = { 0 };
        rep[0] = (char)('0' + n);
        if (n == 1) {
            rep[1] = (char)('0' + lseek(got[0], 0, SEEK_CUR));
            read(got[0], rep + 2, 2);
            rep[4] = (fcntl(got[0], F_GETFD) & FD_CLOEXEC) ? 'c' : '-';
        }
        write(sv[1], rep, 5);
        _exit(0);
    }
    close(sv[1]);
    check_eq("rights.send", 1, send_fds(sv[0], &fd, 1));
    char rep[8] = { 0 };
    read_full(sv[0], rep, 5);
    check(rep[0] == '1', "rights.received", "child got %c descriptors", rep[0]);
    check(rep[1] == '2', "rights.offset_shared_to_child", "child's offset %c, want 2", rep[1]);
    check(memcmp(rep + 2, "23", 2) == 0, "rights.child_reads_on", "child read %.2s", rep + 2);
    check(rep[4] == '-', "rights.no_cloexec", "close-on-exec %c", rep[4]);
    check_eq("rights.offset_shared_to_parent", 4, lseek(fd, 0, SEEK_CUR));
    check_eq("rights.child", 0, wait_for(pid));
    close(sv[0]);
    close(fd);
    unlink(path);
}

static void test_many_and_cloexec(void)
{
    int sv[2], p[2], got[8], flags = 0;
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pipe(p);
    int three[3] = { p[0], p[1], p[0] };
    check_eq("rights.three_send", 1, send_fds(sv[0], three, 3));
    int n = recv_fds(sv[1], got, 8, 3, MSG_CMSG_CLOEXEC, &flags);
    struct stat a, b;
    fstat(p[0], &a);
    check(n == 3 && got[0] != p[0] && fstat(got[2], &b) == 0 && a.st_ino == b.st_ino &&
          !(flags & MSG_CTRUNC), "rights.three", "n %d flags %#x", n, flags);
    check(n == 3 && (fcntl(got[0], F_GETFD) & FD_CLOEXEC) && (fcntl(got[1], F_GETFD) & FD_CLOEXEC),
          "rights.msg_cmsg_cloexec", "close-on-exec not set");
    char w;
    check(n == 3 && write(got[1], "w", 1) == 1 && read(p[0], &w, 1) == 1 && w == 'w',
          "rights.works", "the received write end writes into the pipe");
    for (int i = 0; i < n; i++)
        close(got[i]);
    // A peek hands them as well; the real read again.
    send_fds(sv[0], &p[1], 1);
    int peeked = recv_fds(sv[1], got, 8, 1, MSG_PEEK, &flags);
    int taken = recv_fds(sv[1], got + 1, 7, 1, 0, &flags);
    check(peeked == 1 && taken == 1 && got[0] != got[1], "rights.peek", "peek %d, read %d",
          peeked, taken);
    if (peeked == 1)
        close(got[0]);
    if (taken == 1)
        close(got[1]);
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}

static void test_ctrunc(void)
{
    int sv[2], p[2], q[2], got[8], flags = 0;
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    pipe(q);
    int two[2] = { p[1], q[1] };
    send_fds(sv[0], two, 2);
    close(p[1]);
    close(q[1]);
    int n = recv_fds(sv[1], got, 8, 1, 0, &flags);
    check(n == 1 && (flags & MSG_CTRUNC), "ctrunc.one_fits", "n %d flags %#x", n, flags);
    check(pipe_has_no_writer(q[0]), "ctrunc.rest_closed", "the second write end is still open");
    check(!pipe_has_no_writer(p[0]), "ctrunc.first_kept", "the first write end is gone");
    if (n == 1)
        close(got[0]);
    check(pipe_has_no_writer(p[0]), "ctrunc.first_closed", "closing it leaves no writer");
    // No control buffer at all: all of them closed.
    close(p[0]);
    pipe(p);
    send_fds(sv[0], &p[1], 1);
    close(p[1]);
    char b[4];
    struct iovec iov = { b, sizeof b };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    check(recvmsg(sv[1], &m, 0) == 1 && (m.msg_flags & MSG_CTRUNC) && pipe_has_no_writer(p[0]),
          "ctrunc.no_buffer", "flags %#x", m.msg_flags);
    // read(2) drops them the same way.
    close(p[0]);
    pipe(p);
    send_fds(sv[0], &p[1], 1);
    close(p[1]);
    check(read(sv[1], b, sizeof b) == 1 && pipe_has_no_writer(p[0]), "ctrunc.read_drops",
          "a read leaves the descriptor open");
    close(p[0]);
    close(q[0]);
    close(sv[0]);
    close(sv[1]);
}

static void test_in_flight(void)
{
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    send_fds(sv[0], &p[1], 1);
    close(p[1]);
    check(!pipe_has_no_writer(p[0]), "inflight.held", "the message holds the write end");
    close(sv[1]);                // the receiver goes with the message unread
    check(pipe_has_no_writer(p[0]), "inflight.released", "the write end is still open");
    close(sv[0]);
    close(p[0]);
    // Sent to a listener's connection never accepted: the listener closes.
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pipe(p);
    send_fds(sv[1], &p[1], 1);
    close(p[1]);
    close(sv[0]);
    check(pipe_has_no_writer(p[0]), "inflight.dgram_released", "the write end is still open");
    close(sv[1]);
    close(p[0]);
}

// Linux collects in the background: give it a moment.
static int pipe_loses_writer(int rd)
{
    for (int i = 0; i < 200; i++) {
        if (pipe_has_no_writer(rd))
            return 1;
        sleep_ms(10);
    }
    return 0;
}

// Sockets that only messages in flight keep alive (fs/unix_gc.c).
static void make_cycles(int writer)
{
    int cyc[2], a[2], b[2];
    // A socket sent through itself (into its own queue), with the writer.
    socketpair(AF_UNIX, SOCK_STREAM, 0, cyc);
    int two[2] = { cyc[1], writer };
    send_fds(cyc[0], two, 2);
    close(cyc[0]);
    close(cyc[1]);
    // Two sockets each queued on the other.
    socketpair(AF_UNIX, SOCK_DGRAM, 0, a);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, b);
    send_fds(a[0], &b[0], 1);    // b[0] waits in a[1]'s queue
    int back[2] = { a[1], writer };
    send_fds(b[1], back, 2);     // a[1] and the writer wait in b[0]'s
    close(a[0]);
    close(a[1]);
    close(b[0]);
    close(b[1]);
}

static void test_cycles(void)
{
    int p[2];
    pipe(p);
    make_cycles(p[1]);
    close(p[1]);
    check(pipe_loses_writer(p[0]), "gc.cycles_collected",
          "the write end, in flight in two cycles, is still open");
    close(p[0]);
}

static void test_errors_and_creds(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    int bad = 999;
    check_errno("rights.ebadf", send_fds(sv[0], &bad, 1), EBADF);
    // A cmsg_len past the buffer.
    union {
        char buf[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct iovec iov = { "c", 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                        .msg_controllen = sizeof ctl.buf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = sizeof ctl.buf + 4;
    check_errno("cmsg.len_einval", sendmsg(sv[0], &m, 0), EINVAL);
    m.msg_control = (void *)8;
    check_errno("cmsg.efault", sendmsg(sv[0], &m, 0), EFAULT);
    // SO_PASSCRED: who sent it.
    int one = 1;
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    send(sv[0], "x", 1, 0);
    char b[4];
    struct iovec riov = { b, sizeof b };
    struct msghdr r = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = ctl.buf,
                        .msg_controllen = sizeof ctl.buf };
    struct ucred cr = { 0 };
    if (recvmsg(sv[1], &r, 0) == 1 && (c = CMSG_FIRSTHDR(&r)) && c->cmsg_type == SCM_CREDENTIALS)
        memcpy(&cr, CMSG_DATA(c), sizeof cr);
    check(cr.pid == getpid() && cr.uid == getuid() && cr.gid == getgid(), "creds.passcred",
          "pid %d uid %u gid %u", (int)cr.pid, (unsigned)cr.uid, (unsigned)cr.gid);
    // Sending our own explicitly is allowed; another pid is not.
    memset(&ctl, 0, sizeof ctl);
    m.msg_control = ctl.buf;
    c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
    struct ucred mine = { getpid(), getuid(), getgid() };
    memcpy(CMSG_DATA(c), &mine, sizeof mine);
    check_eq("creds.own", 1, sendmsg(sv[0], &m, 0));
    recv(sv[1], b, sizeof b, 0);
    // Another pid: EPERM for anyone but root (a child that gave root up).
    pid_t pid = xfork();
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
            _exit(2);
        struct ucred other = { 1, getuid(), getgid() };
        memcpy(CMSG_DATA(c), &other, sizeof other);
        _exit(sendmsg(sv[0], &m, 0) < 0 && errno == EPERM ? 0 : 1);
    }
    check_eq("creds.other_pid", 0, wait_for(pid));
    // A message names its sender's real ids; SO_PEERCRED the effective ones.
    if (geteuid() == 0) {
        pid = xfork();
        if (pid == 0) {
            int p2[2];
            if (setresuid(65534, 0, 0) < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, p2) < 0)
                _exit(2);
            setsockopt(p2[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
            send(p2[0], "r", 1, 0);
            struct ucred got = { 0 }, peer = { 0 };
            socklen_t pl = sizeof peer;
            struct msghdr rm = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = ctl.buf,
                                 .msg_controllen = sizeof ctl.buf };
            struct cmsghdr *h;
            if (recvmsg(p2[1], &rm, 0) == 1 && (h = CMSG_FIRSTHDR(&rm)))
                memcpy(&got, CMSG_DATA(h), sizeof got);
            getsockopt(p2[1], SOL_SOCKET, SO_PEERCRED, &peer, &pl);
            _exit(got.uid == 65534 && peer.uid == 0 ? 0 : 1);
        }
        check_eq("creds.real_vs_effective", 0, wait_for(pid));
    } else {
        skip("creds.real_vs_effective", "needs root to split the ids");
    }
    close(sv[0]);
    close(sv[1]);
}

// Descriptors of every kind sent and left in flight, for exit to clean.
static void leave_in_flight(void *arg)
{
    (void)arg;
    int sv[2], tv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, tv);
    pipe(p);
    int fds[4] = { p[0], p[1], tv[0], tv[1] };
    send_fds(sv[0], fds, 4);
    send_fds(tv[0], fds, 2);
    int got[4], flags;
    send_fds(sv[1], p, 2);
    recv_fds(sv[0], got, 4, 1, 0, &flags);   // one taken, one closed
    make_cycles(p[1]);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    test_shared_offset();
    test_many_and_cloexec();
    test_ctrunc();
    test_in_flight();
    test_cycles();
    test_errors_and_creds();
    long before = memfree_start();
    for (int i = 0; i < 10; i++)
        run_child(leave_in_flight, 0);
    memfree_check("scm.memfree", before);
    return test_status();
}
