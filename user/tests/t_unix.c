// t_unix: Unix-domain sockets (fs/socket.c and its neighbours), checked
// against Linux:
//   - stream socketpairs: data both ways, a stream merges writes, fstat
//     says S_IFSOCK, /proc shows socket:[ino], MSG_PEEK, FIONREAD, a
//     megabyte in one write between two processes;
//   - names: bind to a path makes a socket file (EADDRINUSE if it exists,
//     ENXIO to open it; in /dev/shm too), the abstract namespace, autobind,
//     getsockname and getpeername, the name accept reports;
//   - connections: listen, connect (ECONNREFUSED with nobody listening or
//     the listener gone, ENOENT for no such path, EAGAIN for a full
//     backlog without waiting), accept4's SOCK_CLOEXEC and SOCK_NONBLOCK,
//     data sent before accept;
//   - shutdown (end of file for the peer, EPIPE for ourselves), EPIPE and
//     SIGPIPE on a closed peer (none with MSG_NOSIGNAL), nonblocking EAGAIN
//     (SOCK_NONBLOCK, O_NONBLOCK by fcntl, MSG_DONTWAIT), poll, select and
//     epoll readiness;
//   - options: SO_TYPE, SO_ERROR, SO_SNDBUF/SO_RCVBUF, SO_PEERCRED,
//     SO_PASSCRED, SO_REUSEADDR, SO_RCVTIMEO/SO_SNDTIMEO (both forms);
//   - (datagrams, socketcall and the error answers: t_unix_calls);
//   - everything made and left open comes back when its process exits.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"
#include "unix_common.h"

static char name_a[64], name_b[64];      // socket paths, relative to the scratch dir

static void test_pair_stream(void)
{
    int sv[2];
    char buf[64];
    if (!check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "pair.stream", "socketpair: %s",
               errname(errno)))
        return;
    check(write(sv[0], "ping", 4) == 4 && read(sv[1], buf, sizeof buf) == 4 &&
          memcmp(buf, "ping", 4) == 0, "pair.stream_ab", "a to b");
    check(write(sv[1], "pong!", 5) == 5 && read(sv[0], buf, sizeof buf) == 5 &&
          memcmp(buf, "pong!", 5) == 0, "pair.stream_ba", "b to a");
    // A write of nothing sends nothing (a reader must not see end of file).
    check_eq("pair.stream_empty_write", 0, write(sv[0], "", 0));
    check_errno("pair.stream_empty_nothing", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    // A stream keeps no boundaries: two writes, one read.
    write(sv[0], "abc", 3);
    write(sv[0], "def", 3);
    check(read(sv[1], buf, sizeof buf) == 6 && memcmp(buf, "abcdef", 6) == 0,
          "pair.stream_merges", "two writes read as one");
    struct stat st;
    check(fstat(sv[0], &st) == 0 && S_ISSOCK(st.st_mode), "pair.fstat_sock",
          "mode %o", (unsigned)st.st_mode);
    char link[64] = { 0 }, want[64];
    snprintf(want, sizeof want, "socket:[%lu]", (unsigned long)st.st_ino);
    readlink(tname("/proc/self/fd/%d", sv[0]), link, sizeof link - 1);
    check_str("pair.proc_fd_link", want, link);
    // MSG_PEEK leaves the data; FIONREAD counts it.
    send(sv[0], "peek", 4, 0);
    int n = -1;
    check(ioctl(sv[1], FIONREAD, &n) == 0 && n == 4, "pair.fionread", "FIONREAD %d", n);
    check(recv(sv[1], buf, 2, MSG_PEEK) == 2 && recv(sv[1], buf, sizeof buf, 0) == 4 &&
          memcmp(buf, "peek", 4) == 0, "pair.peek", "peek then read");
    // Unnamed: the family alone, 2 bytes.
    struct sockaddr_un a;
    socklen_t len = sizeof a;
    check(getsockname(sv[0], (struct sockaddr *)&a, &len) == 0 && len == 2 &&
          a.sun_family == AF_UNIX, "pair.getsockname", "len %u", (unsigned)len);
    len = sizeof a;
    check(getpeername(sv[0], (struct sockaddr *)&a, &len) == 0 && len == 2, "pair.getpeername",
          "len %u", (unsigned)len);
    // Options.
    int v = -1;
    socklen_t vl = sizeof v;
    check(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &vl) == 0 && v == SOCK_STREAM && vl == 4,
          "opt.so_type", "SO_TYPE %d", v);
    vl = sizeof v;
    check(getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &v, &vl) == 0 && v == 0, "opt.so_error",
          "SO_ERROR %d", v);
    vl = sizeof v;
    check(getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, &vl) == 0 && v > 0, "opt.so_sndbuf",
          "SO_SNDBUF %d", v);
    // Linux doubles the size asked for (its bookkeeping comes out of it).
    int size = 65536;
    vl = sizeof v;
    v = 0;
    if (setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &size, sizeof size) < 0 ||
        getsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, &vl) < 0)
        v = -errno;
    check_eq("opt.so_rcvbuf_doubled", 2 * size, v);
    v = 1;
    check_eq("opt.so_reuseaddr", 0, setsockopt(sv[0], SOL_SOCKET, SO_REUSEADDR, &v, sizeof v));
    check_eq("opt.so_passcred_set", 0, setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &v, sizeof v));
    v = 0;
    vl = sizeof v;
    check(getsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &v, &vl) == 0 && v == 1,
          "opt.so_passcred_get", "SO_PASSCRED %d", v);
    struct ucred cr = { 0 };
    vl = sizeof cr;
    check(getsockopt(sv[1], SOL_SOCKET, SO_PEERCRED, &cr, &vl) == 0 && vl == sizeof cr &&
          cr.pid == getpid() && cr.uid == geteuid() && cr.gid == getegid(), "opt.so_peercred",
          "pid %d uid %u gid %u", (int)cr.pid, (unsigned)cr.uid, (unsigned)cr.gid);
    check_errno("opt.unknown", getsockopt(sv[0], SOL_SOCKET, 12345, &v, &vl), ENOPROTOOPT);
    check_errno("opt.efault", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, (socklen_t *)8), EFAULT);

    // Readiness: a writes, b is readable; a's own side stays writable only.
    check(revents(sv[0]) == POLLOUT, "poll.idle", "revents %#x", revents(sv[0]));
    write(sv[0], "x", 1);
    check(revents(sv[1]) == (POLLIN | POLLOUT), "poll.readable", "revents %#x", revents(sv[1]));
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(sv[1], &rs);
    struct timeval tv = { 0, 0 };
    check(select(sv[1] + 1, &rs, 0, 0, &tv) == 1 && FD_ISSET(sv[1], &rs), "select.readable",
          "select");
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 }, got = { 0 };
    check(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev) == 0 && epoll_wait(ep, &got, 1, 0) == 1 &&
          got.data.u32 == 7 && (got.events & EPOLLIN), "epoll.readable", "epoll");
    close(ep);
    read(sv[1], buf, 1);

    // shutdown(SHUT_WR): the peer reads end of file; we may not write.
    check_eq("shutdown.wr", 0, shutdown(sv[0], SHUT_WR));
    check_eq("shutdown.peer_eof", 0, read(sv[1], buf, sizeof buf));
    check(revents(sv[1]) & POLLRDHUP, "shutdown.peer_rdhup", "revents %#x", revents(sv[1]));
    check_errno("shutdown.own_epipe", send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
    check(write(sv[1], "back", 4) == 4 && read(sv[0], buf, sizeof buf) == 4,
          "shutdown.other_way", "the other direction still works");
    check_errno("shutdown.einval", shutdown(sv[0], 7), EINVAL);
    close(sv[0]);
    // The peer is gone: end of file, and POLLHUP.
    check_eq("close.peer_eof", 0, read(sv[1], buf, sizeof buf));
    check(revents(sv[1]) & POLLHUP, "close.pollhup", "revents %#x", revents(sv[1]));
    close(sv[1]);
}

static volatile sig_atomic_t pipes;
static void on_sigpipe(int sig)
{
    (void)sig;
    pipes++;
}

static void on_alarm(int sig)
{
    (void)sig;
}

static void test_epipe(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    close(sv[1]);
    struct sigaction sa = { .sa_handler = on_sigpipe }, old;
    sigaction(SIGPIPE, &sa, &old);
    pipes = 0;
    check_errno("epipe.write", write(sv[0], "x", 1), EPIPE);
    check_eq("epipe.sigpipe", 1, pipes);
    check_errno("epipe.nosignal", send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
    check_eq("epipe.nosignal_no_signal", 1, pipes);
    sigaction(SIGPIPE, &old, 0);
    close(sv[0]);
    // Unread data at close: the peer reads ECONNRESET.
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[0], "lost", 4);
    close(sv[1]);
    char b[8];
    check_errno("close.unread_econnreset", read(sv[0], b, sizeof b), ECONNRESET);
    close(sv[0]);
}

static void test_nonblock(void)
{
    int sv[2];
    char buf[4096];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
        return;
    check((fcntl(sv[0], F_GETFL) & O_NONBLOCK) && (fcntl(sv[0], F_GETFD) & FD_CLOEXEC),
          "nonblock.flags", "F_GETFL %#x", fcntl(sv[0], F_GETFL));
    check_errno("nonblock.read_eagain", read(sv[0], buf, sizeof buf), EAGAIN);
    memset(buf, 'z', sizeof buf);
    long total = 0, r;
    while ((r = write(sv[0], buf, sizeof buf)) > 0 && total < (64 << 20))
        total += r;
    check(r < 0 && errno == EAGAIN && total > 0, "nonblock.write_eagain",
          "after %ld bytes: %s", total, errname(errno));
    check(!(revents(sv[0]) & POLLOUT), "nonblock.full_not_writable", "revents %#x",
          revents(sv[0]));
    long got = 0;
    while ((r = read(sv[1], buf, sizeof buf)) > 0)
        got += r;
    check(got == total && errno == EAGAIN, "nonblock.drain", "wrote %ld, read %ld", total, got);
    close(sv[0]);
    close(sv[1]);
    // A blocking pair: MSG_DONTWAIT for one call, O_NONBLOCK through fcntl.
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    check_errno("nonblock.msg_dontwait", recv(sv[0], buf, 1, MSG_DONTWAIT), EAGAIN);
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    check_errno("nonblock.fcntl", read(sv[0], buf, 1), EAGAIN);
    close(sv[0]);
    close(sv[1]);

    // Timeouts: a receive gives up after SO_RCVTIMEO, a send after SO_SNDTIMEO.
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct timeval tv = { 0, 100000 }, tgot = { 9, 9 };
    socklen_t tl = sizeof tgot;
    check(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0 &&
          getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tgot, &tl) == 0 && tgot.tv_sec == 0 &&
          tgot.tv_usec == 100000, "timeo.rcv_set", "%lld.%06ld: %s", (long long)tgot.tv_sec,
          (long)tgot.tv_usec, errname(errno));
    long long t0 = mono_ns();
    check_errno("timeo.rcv_eagain", read(sv[0], buf, 1), EAGAIN);
    long long ms = (mono_ns() - t0) / 1000000;
    check(ms >= 80 && ms < 2000, "timeo.rcv_waited", "%lld ms", ms);
    while (send(sv[1], buf, sizeof buf, MSG_DONTWAIT) > 0)
        ;
    tv.tv_usec = 50000;
    setsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    t0 = mono_ns();
    check_errno("timeo.snd_eagain", send(sv[1], "x", 1, 0), EAGAIN);
    ms = (mono_ns() - t0) / 1000000;
    check(ms >= 30 && ms < 2000, "timeo.snd_waited", "%lld ms", ms);
    // The old 32-bit form (SO_RCVTIMEO_OLD, 20) names the same timeout.
    int32_t old[2] = { 1, 500000 }, back[2] = { 0, 0 };
    socklen_t bl = sizeof back;
    tl = sizeof tgot;
    check(syscall(SYS_setsockopt, sv[0], SOL_SOCKET, 20, old, sizeof old) == 0 &&
          syscall(SYS_getsockopt, sv[0], SOL_SOCKET, 20, back, &bl) == 0 && back[0] == 1 &&
          back[1] == 500000 && getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tgot, &tl) == 0 &&
          tgot.tv_sec == 1 && tgot.tv_usec == 500000, "timeo.old_form", "%d.%06d: %s",
          (int)back[0], (int)back[1], errname(errno));
    tv.tv_usec = 1000000;
    check_errno("timeo.edom", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), EDOM);
    close(sv[0]);
    close(sv[1]);
}

static void test_path(void)
{
    struct sockaddr_un sa, got;
    socklen_t sl = path_addr(&sa, name_a), gl;
    char buf[64];
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    check_eq("path.bind", 0, bind(srv, (struct sockaddr *)&sa, sl));
    struct stat st;
    check(stat(name_a, &st) == 0 && S_ISSOCK(st.st_mode), "path.is_socket_file", "mode %o",
          (unsigned)st.st_mode);
    check_errno("path.open_enxio", open(name_a, O_RDWR), ENXIO);
    // Bound already: its own path again is in use; another is EINVAL.
    check_errno("path.bind_same_again", bind(srv, (struct sockaddr *)&sa, sl), EADDRINUSE);
    struct sockaddr_un sb;
    socklen_t sbl = path_addr(&sb, name_b);
    check_errno("path.bind_twice", bind(srv, (struct sockaddr *)&sb, sbl), EINVAL);
    check_errno("path.bind_twice_no_file", access(name_b, F_OK), ENOENT);
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    check_errno("path.eaddrinuse", bind(other, (struct sockaddr *)&sa, sl), EADDRINUSE);
    check_errno("path.connect_not_listening", connect(other, (struct sockaddr *)&sa, sl),
                ECONNREFUSED);
    check_errno("path.accept_not_listening", accept(srv, 0, 0), EINVAL);
    check_eq("path.listen", 0, listen(srv, 5));
    int acc = 0;
    socklen_t al = sizeof acc;
    check(getsockopt(srv, SOL_SOCKET, SO_ACCEPTCONN, &acc, &al) == 0 && acc == 1,
          "path.so_acceptconn", "SO_ACCEPTCONN %d", acc);
    gl = sizeof got;
    check(getsockname(srv, (struct sockaddr *)&got, &gl) == 0 && gl == sl &&
          strcmp(got.sun_path, name_a) == 0, "path.getsockname", "len %u (want %u)",
          (unsigned)gl, (unsigned)sl);
    // connect returns before accept; data may go first.
    check_eq("path.connect", 0, connect(other, (struct sockaddr *)&sa, sl));
    check_errno("path.connect_again", connect(other, (struct sockaddr *)&sa, sl), EISCONN);
    write(other, "early", 5);
    gl = sizeof got;
    int c = accept4(srv, (struct sockaddr *)&got, &gl, SOCK_CLOEXEC | SOCK_NONBLOCK);
    check(c >= 0 && gl == 2 && (fcntl(c, F_GETFD) & FD_CLOEXEC) &&
          (fcntl(c, F_GETFL) & O_NONBLOCK), "path.accept4", "fd %d len %u: %s", c, (unsigned)gl,
          errname(errno));
    check(read(c, buf, sizeof buf) == 5 && memcmp(buf, "early", 5) == 0, "path.data_before_accept",
          "read");
    gl = sizeof got;
    check(getpeername(other, (struct sockaddr *)&got, &gl) == 0 && gl == sl &&
          strcmp(got.sun_path, name_a) == 0, "path.getpeername", "len %u", (unsigned)gl);
    gl = sizeof got;
    check(getsockname(c, (struct sockaddr *)&got, &gl) == 0 && gl == sl, "path.accepted_name",
          "len %u", (unsigned)gl);
    struct ucred cr = { 0 };
    socklen_t vl = sizeof cr;
    check(getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &vl) == 0 && cr.pid == getpid(),
          "path.peercred", "pid %d", (int)cr.pid);
    fcntl(srv, F_SETFL, O_NONBLOCK);
    check_errno("path.accept_eagain", accept(srv, 0, 0), EAGAIN);
    check(revents(srv) == 0, "path.listener_idle", "revents %#x", revents(srv));
    int third = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(third, (struct sockaddr *)&sa, sl);
    check(revents(srv) == POLLIN, "path.listener_pending", "revents %#x", revents(srv));
    close(third);
    close(c);
    close(other);
    close(srv);
    // The name stays after the socket closes, and refuses connections.
    int late = socket(AF_UNIX, SOCK_STREAM, 0);
    check_errno("path.closed_listener", connect(late, (struct sockaddr *)&sa, sl), ECONNREFUSED);
    unlink(name_a);
    check_errno("path.enoent", connect(late, (struct sockaddr *)&sa, sl), ENOENT);
    int reg = open(name_b, O_CREAT | O_RDWR, 0600);
    close(reg);
    socklen_t rl = path_addr(&sa, name_b);
    check_errno("path.not_a_socket", connect(late, (struct sockaddr *)&sa, rl), ECONNREFUSED);
    unlink(name_b);
    close(late);
    // /dev/shm is a file system of its own (tmpfs): sockets are named there too.
    char shm[64];
    snprintf(shm, sizeof shm, "/dev/shm/t_unix-%d", (int)getpid());
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    socklen_t dl = path_addr(&sa, shm);
    struct stat sst;
    if (access("/dev/shm", W_OK) == 0)
        check(bind(d, (struct sockaddr *)&sa, dl) == 0 && stat(shm, &sst) == 0 &&
              S_ISSOCK(sst.st_mode), "path.dev_shm", "%s", errname(errno));
    else
        skip("path.dev_shm", "no writable /dev/shm");
    unlink(shm);
    close(d);
}

// A megabyte through a stream between two processes: both sides wait for
// each other many times (the buffer is far smaller), and every byte comes
// through in order. Then a seqpacket connection by name.
static void test_bulk(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t pid = xfork();
    if (pid == 0) {
        close(sv[0]);
        // One write of all of it: a blocking stream send returns only when
        // every byte has gone.
        static unsigned char buf[16 * 65536];
        for (int i = 0; i < 16; i++)
            for (int k = 0; k < 65536; k++)
                buf[i * 65536 + k] = (unsigned char)(i * 7 + k * 13);
        _exit(write(sv[1], buf, sizeof buf) == (ssize_t)sizeof buf ? 0 : 1);
    }
    close(sv[1]);
    static unsigned char got[65536];
    int bad = 0;
    long total = 0;
    for (int i = 0; i < 16; i++) {
        if (read_full(sv[0], got, sizeof got) != (ssize_t)sizeof got) {
            bad = 1;
            break;
        }
        for (int k = 0; k < (int)sizeof got; k++)
            bad |= got[k] != (unsigned char)(i * 7 + k * 13);
        total += (long)sizeof got;
    }
    char b;
    check(!bad && total == 16 * 65536 && read(sv[0], &b, 1) == 0, "bulk.stream_1mib",
          "%ld bytes, %s", total, bad ? "corrupt" : "intact");
    check_eq("bulk.one_write_whole", 0, wait_for(pid));
    close(sv[0]);

    struct sockaddr_un sa;
    socklen_t sl = path_addr(&sa, name_a);
    int srv = socket(AF_UNIX, SOCK_SEQPACKET, 0), cli = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    bind(srv, (struct sockaddr *)&sa, sl);
    listen(srv, 1);
    int stream = socket(AF_UNIX, SOCK_STREAM, 0);
    check_errno("seqpacket.wrong_type", connect(stream, (struct sockaddr *)&sa, sl), EPROTOTYPE);
    close(stream);
    check_eq("seqpacket.connect", 0, connect(cli, (struct sockaddr *)&sa, sl));
    int c = accept(srv, 0, 0);
    char buf[16];
    send(cli, "ab", 2, 0);
    send(cli, "cde", 3, 0);
    check(c >= 0 && recv(c, buf, sizeof buf, 0) == 2 && recv(c, buf, sizeof buf, 0) == 3,
          "seqpacket.accepted_boundaries", "two packets");
    close(c);
    close(cli);
    close(srv);
    unlink(name_a);
}

// shutdown(SHUT_RD): the peer may no longer send, what came before stays
// readable; MSG_WAITALL waits for the whole length across several writes.
static void test_shut_rd_waitall(void)
{
    int sv[2];
    char buf[16];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[1], "kept", 4);
    check_eq("shut_rd.ok", 0, shutdown(sv[0], SHUT_RD));
    check_errno("shut_rd.peer_epipe", send(sv[1], "x", 1, MSG_NOSIGNAL), EPIPE);
    check(read(sv[0], buf, sizeof buf) == 4 && read(sv[0], buf, sizeof buf) == 0,
          "shut_rd.queued_then_eof", "queued bytes, then end of file");
    close(sv[0]);
    close(sv[1]);

    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t pid = xfork();
    if (pid == 0) {
        for (int i = 0; i < 3; i++) {
            sleep_ms(30);
            write(sv[1], "abcd", 4);
        }
        _exit(0);
    }
    check_eq("waitall.whole", 12, recv(sv[0], buf, 12, MSG_WAITALL));
    wait_for(pid);
    // A signal whose handler has no SA_RESTART ends a waiting recv: EINTR.
    struct sigaction sa = { .sa_handler = on_alarm }, old;
    sigaction(SIGALRM, &sa, &old);
    struct itimerval it = { { 0, 0 }, { 0, 50000 } };
    setitimer(ITIMER_REAL, &it, 0);
    check_errno("signal.recv_eintr", recv(sv[0], buf, sizeof buf, 0), EINTR);
    sigaction(SIGALRM, &old, 0);
    close(sv[0]);
    close(sv[1]);
}

static void test_backlog(void)
{
    struct sockaddr_un sa;
    socklen_t sl = path_addr(&sa, name_a);
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(srv, (struct sockaddr *)&sa, sl);
    listen(srv, 0);
    int c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    check_eq("backlog.first", 0, connect(c1, (struct sockaddr *)&sa, sl));
    check_errno("backlog.full_eagain", connect(c2, (struct sockaddr *)&sa, sl), EAGAIN);
    // A blocking connect waits until accept makes room.
    pid_t pid = xfork();
    if (pid == 0) {
        sleep_ms(100);
        int a = accept(srv, 0, 0);
        _exit(a >= 0 ? 0 : 1);
    }
    int c3 = socket(AF_UNIX, SOCK_STREAM, 0);
    long long t0 = mono_ns();
    int r = connect(c3, (struct sockaddr *)&sa, sl);
    check(r == 0 && mono_ns() - t0 > 50000000LL, "backlog.connect_waits", "connect %d after %lld ms",
          r, (mono_ns() - t0) / 1000000);
    check(wait_for(pid) == 0, "backlog.child", "the child accepted");
    // The listener closes with a connection never accepted: ECONNRESET.
    close(srv);
    char b[4];
    check_errno("backlog.refused_reset", read(c3, b, sizeof b), ECONNRESET);
    close(c1);
    close(c2);
    close(c3);
    unlink(name_a);
}

static void test_abstract(void)
{
    struct sockaddr_un sa, got;
    char name[64];
    snprintf(name, sizeof name, "bunshin-t_unix-%d", (int)getpid());
    socklen_t sl = abstract_addr(&sa, name), gl;
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    check_eq("abstract.bind", 0, bind(srv, (struct sockaddr *)&sa, sl));
    gl = sizeof got;
    check(getsockname(srv, (struct sockaddr *)&got, &gl) == 0 && gl == sl &&
          memcmp(&got, &sa, sl) == 0, "abstract.getsockname", "len %u", (unsigned)gl);
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    check_errno("abstract.eaddrinuse", bind(other, (struct sockaddr *)&sa, sl), EADDRINUSE);
    listen(srv, 1);
    check_eq("abstract.connect", 0, connect(other, (struct sockaddr *)&sa, sl));
    int c = accept(srv, 0, 0);
    char b[8];
    check(write(c, "abs", 3) == 3 && read(other, b, sizeof b) == 3, "abstract.data", "data");
    // A prefix of the name is another name.
    int x = socket(AF_UNIX, SOCK_STREAM, 0);
    check_errno("abstract.other_name", connect(x, (struct sockaddr *)&sa, sl - 1), ECONNREFUSED);
    close(c);
    close(other);
    close(srv);
    // The name goes with its socket.
    check_eq("abstract.rebind", 0, bind(x, (struct sockaddr *)&sa, sl));
    close(x);
    // Autobind: the family alone gives a made-up abstract name (5 hex digits).
    int ab = socket(AF_UNIX, SOCK_DGRAM, 0);
    gl = sizeof got;
    check(bind(ab, (struct sockaddr *)&sa, 2) == 0 &&
          getsockname(ab, (struct sockaddr *)&got, &gl) == 0 && gl == 8 && got.sun_path[0] == 0,
          "abstract.autobind", "len %u", (unsigned)gl);
    close(ab);
}

// Everything a process can leave behind: data in queues, a listener with
// connections never accepted, names, descriptors in flight.
static void leave_sockets(void *arg)
{
    (void)arg;
    int sv[2];
    char big[8192] = { 0 };
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[0], big, sizeof big);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    send(sv[1], big, 100, 0);
    struct sockaddr_un sa;
    socklen_t sl = abstract_addr(&sa, "bunshin-t_unix-leak");
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(srv, (struct sockaddr *)&sa, sl);
    listen(srv, 4);
    for (int i = 0; i < 3; i++) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        connect(c, (struct sockaddr *)&sa, sl);
        write(c, big, 10);
    }
}

int main(void)
{
    if (chdir(scratch_dir()) < 0) {
        fail("unix.scratch", "chdir %s: %s", scratch_dir(), errname(errno));
        return test_status();
    }
    snprintf(name_a, sizeof name_a, "t_unix-%d-a", (int)getpid());
    snprintf(name_b, sizeof name_b, "t_unix-%d-b", (int)getpid());
    unlink(name_a);
    unlink(name_b);
    test_pair_stream();
    test_epipe();
    test_nonblock();
    test_path();
    test_bulk();
    test_shut_rd_waitall();
    test_backlog();
    test_abstract();
    long before = memfree_start();
    for (int i = 0; i < 10; i++)
        run_child(leave_sockets, 0);
    memfree_check("unix.memfree", before);
    return test_status();
}
