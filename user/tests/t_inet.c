// t_inet: TCP and UDP on the loopback (fs/inet.c, fs/inet_io.c), checked
// against Linux:
//   - socket(AF_INET, ...): the types and protocols it takes and refuses,
//     SO_DOMAIN, SO_PROTOCOL, SO_TYPE; no socketpair;
//   - names: bind to 127.0.0.1 or 0.0.0.0 with port 0 (a port of the
//     ephemeral range), getsockname and getpeername, EADDRINUSE and
//     SO_REUSEADDR, EADDRNOTAVAIL, EINVAL for a short address or a second
//     bind, EAFNOSUPPORT, EACCES for a port below 1024 unless root;
//   - UDP: sendto and recvfrom with the sender's address, MSG_TRUNC, a
//     receive timeout, a connected socket (default destination, only its
//     peer's datagrams, ECONNREFUSED after sending where nobody listens,
//     AF_UNSPEC to forget the peer), EDESTADDRREQ, FIONREAD;
//   - TCP: listen (autobind too), connect (blocking: 0; non-blocking:
//     EINPROGRESS, then writable with SO_ERROR 0, or SO_ERROR ECONNREFUSED),
//     accept's peer address, data both ways and a megabyte between two
//     processes, end of file, the write after the peer closed and EPIPE
//     after it, ECONNRESET when the peer closed with bytes unread, EPIPE
//     and ENOTCONN unconnected, shutdown of a listener waking accept;
//   - /proc/net/tcp and udp: a listener (state 0A), a connection (01), a
//     UDP socket (07), each with its inode;
//   - options: TCP_NODELAY, TCP_MAXSEG, the keepalive ones, IP_TTL, IP_TOS,
//     SO_REUSEADDR, SO_KEEPALIVE, SO_LINGER read back;
//   - 6500 random operations on sockets shared by two processes (both
//     kernels must come through);
//   - everything made comes back when its process exits.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

static struct sockaddr_in addr_of(uint32_t host, uint16_t port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(host);
    a.sin_port = htons(port);
    return a;
}

static struct sockaddr_in name_of(int fd, int peer)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    memset(&a, 0xff, sizeof a);
    if ((peer ? getpeername(fd, (void *)&a, &len) : getsockname(fd, (void *)&a, &len)) < 0)
        memset(&a, 0, sizeof a);
    return a;
}

static int same_addr(struct sockaddr_in a, struct sockaddr_in b)
{
    return a.sin_family == b.sin_family && a.sin_port == b.sin_port &&
           a.sin_addr.s_addr == b.sin_addr.s_addr;
}

static int int_opt(int fd, int level, int name)
{
    int v = -12345;
    socklen_t len = sizeof v;
    if (getsockopt(fd, level, name, &v, &len) < 0)
        return -errno - 100000;
    return v;
}

static int set_int(int fd, int level, int name, int v)
{
    return setsockopt(fd, level, name, &v, sizeof v);
}

// A UDP or TCP socket bound to 127.0.0.1 with a port of its own.
static int bound(int type, struct sockaddr_in *name)
{
    int fd = socket(AF_INET, type, 0);
    struct sockaddr_in a = addr_of(INADDR_LOOPBACK, 0);
    if (fd < 0 || bind(fd, (void *)&a, sizeof a) < 0)
        return -1;
    *name = name_of(fd, 0);
    return fd;
}

// A TCP listener on 127.0.0.1 (its name in *name).
static int listener(struct sockaddr_in *name)
{
    int fd = bound(SOCK_STREAM, name);
    if (fd >= 0 && listen(fd, 8) < 0)
        return -1;
    return fd;
}

static void test_create(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    check(s >= 0, "create.tcp", "%s", errname(errno));
    check_eq("create.tcp_domain", AF_INET, int_opt(s, SOL_SOCKET, SO_DOMAIN));
    check_eq("create.tcp_protocol", IPPROTO_TCP, int_opt(s, SOL_SOCKET, SO_PROTOCOL));
    check_eq("create.tcp_type", SOCK_STREAM, int_opt(s, SOL_SOCKET, SO_TYPE));
    check_eq("create.tcp_rcvbuf", 131072, int_opt(s, SOL_SOCKET, SO_RCVBUF));
    check_eq("create.tcp_sndbuf", 16384, int_opt(s, SOL_SOCKET, SO_SNDBUF));
    close(s);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    check(s >= 0, "create.udp", "%s", errname(errno));
    check_eq("create.udp_protocol", IPPROTO_UDP, int_opt(s, SOL_SOCKET, SO_PROTOCOL));
    check_eq("create.udp_rcvbuf", 212992, int_opt(s, SOL_SOCKET, SO_RCVBUF));
    close(s);
    s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
    check(s >= 0 && (fcntl(s, F_GETFD) & FD_CLOEXEC) && (fcntl(s, F_GETFL) & O_NONBLOCK),
          "create.flags", "SOCK_CLOEXEC and SOCK_NONBLOCK");
    close(s);
    check_errno("create.dgram_tcp", socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT);
    check_errno("create.stream_udp", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
    check_errno("create.seqpacket", socket(AF_INET, SOCK_SEQPACKET, 0), ESOCKTNOSUPPORT);
    int sv[2];
    check_errno("create.socketpair", socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP);
}

static void test_names(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = name_of(s, 0);
    check(a.sin_family == AF_INET && a.sin_port == 0 && a.sin_addr.s_addr == 0,
          "names.unbound", "family %d port %d", a.sin_family, ntohs(a.sin_port));
    socklen_t len = 64;
    char big[64];
    getsockname(s, (void *)big, &len);
    check_eq("names.len", sizeof(struct sockaddr_in), len);
    check_errno("names.peer_unconnected", getpeername(s, (void *)&a, &len), ENOTCONN);

    a = addr_of(INADDR_LOOPBACK, 0);
    check_errno("names.short", bind(s, (void *)&a, sizeof a - 1), EINVAL);
    a.sin_family = AF_UNIX;
    check_errno("names.family", bind(s, (void *)&a, sizeof a), EAFNOSUPPORT);
    a = addr_of(0x0a000001, 0);          // 10.0.0.1 is not this machine
    check_errno("names.not_local", bind(s, (void *)&a, sizeof a), EADDRNOTAVAIL);
    a = addr_of(INADDR_LOOPBACK, 0);
    check(bind(s, (void *)&a, sizeof a) == 0, "names.bind", "%s", errname(errno));
    struct sockaddr_in got = name_of(s, 0);
    int port = ntohs(got.sin_port);
    check(port >= 32768 && port <= 60999 && got.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
          "names.ephemeral", "port %d", port);
    check_errno("names.rebind", bind(s, (void *)&a, sizeof a), EINVAL);

    // The same port: taken, on this address and on every address.
    int t = socket(AF_INET, SOCK_DGRAM, 0);
    check_errno("names.in_use", bind(t, (void *)&got, sizeof got), EADDRINUSE);
    struct sockaddr_in any = addr_of(INADDR_ANY, port);
    check_errno("names.in_use_any", bind(t, (void *)&any, sizeof any), EADDRINUSE);
    struct sockaddr_in other = addr_of(0x7f000002, port);   // 127.0.0.2: another address
    check(bind(t, (void *)&other, sizeof other) == 0, "names.other_address", "%s", errname(errno));
    close(t);
    // SO_REUSEADDR on both: UDP may share.
    int u = socket(AF_INET, SOCK_DGRAM, 0), v = socket(AF_INET, SOCK_DGRAM, 0);
    set_int(u, SOL_SOCKET, SO_REUSEADDR, 1);
    set_int(v, SOL_SOCKET, SO_REUSEADDR, 1);
    check_eq("names.reuseaddr_reads", 1, int_opt(u, SOL_SOCKET, SO_REUSEADDR));
    a = addr_of(INADDR_LOOPBACK, 0);
    bind(u, (void *)&a, sizeof a);
    a = name_of(u, 0);
    check(bind(v, (void *)&a, sizeof a) == 0, "names.reuseaddr_udp", "%s", errname(errno));
    close(u);
    close(v);
    close(s);

    // A port of its own after close: free again.
    s = socket(AF_INET, SOCK_STREAM, 0);
    check(bind(s, (void *)&got, sizeof got) == 0, "names.tcp_separate",
          "TCP and UDP ports are apart: %s", errname(errno));
    close(s);

    // Below 1024 only root binds.
    pid_t pid = xfork();
    if (pid == 0) {
        if (become(65534, 65534) < 0)
            _exit(2);
        int w = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in low = addr_of(INADDR_LOOPBACK, 1000);
        _exit(bind(w, (void *)&low, sizeof low) < 0 && errno == EACCES ? 0 : 1);
    }
    int st = wait_for(pid);
    if (exited_with(st, 2))
        skip("names.privileged", "cannot become nobody here");
    else
        check(exited_with(st, 0), "names.privileged", "nobody binding port 1000: %s", status_str(st));
}

static void test_udp(void)
{
    struct sockaddr_in sa, ca;
    int s = bound(SOCK_DGRAM, &sa);
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    char buf[100];
    check_eq("udp.sendto", 5, sendto(c, "hello", 5, 0, (void *)&sa, sizeof sa));
    ca = name_of(c, 0);
    check(ntohs(ca.sin_port) >= 32768 && ca.sin_addr.s_addr == 0, "udp.autobind",
          "the sender got a port: %d", ntohs(ca.sin_port));
    struct sockaddr_in from;
    socklen_t flen = sizeof from;
    memset(&from, 0, sizeof from);
    check_eq("udp.recvfrom", 5, recvfrom(s, buf, sizeof buf, 0, (void *)&from, &flen));
    check(memcmp(buf, "hello", 5) == 0, "udp.data", "the bytes sent");
    check(flen == sizeof from && from.sin_port == ca.sin_port &&
          from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "udp.source",
          "from %08x:%d", ntohl(from.sin_addr.s_addr), ntohs(from.sin_port));

    // A socket bound to every address (0.0.0.0) hears what is sent to
    // 127.0.0.1 at its port.
    int w = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in wa = addr_of(INADDR_ANY, 0);
    bind(w, (void *)&wa, sizeof wa);
    wa = name_of(w, 0);
    wa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    check_eq("udp.any_sendto", 1, sendto(c, "y", 1, 0, (void *)&wa, sizeof wa));
    check(recv(w, buf, sizeof buf, MSG_DONTWAIT) == 1 && buf[0] == 'y', "udp.any_recv",
          "a socket bound to 0.0.0.0 got it: %s", errname(errno));
    close(w);

    // Boundaries kept, the rest cut off.
    sendto(c, "abcdef", 6, 0, (void *)&sa, sizeof sa);
    sendto(c, "xy", 2, 0, (void *)&sa, sizeof sa);
    int n = -1;
    ioctl(s, FIONREAD, &n);
    check_eq("udp.fionread", 6, n);
    struct iovec iov = { buf, 3 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    check_eq("udp.trunc", 3, recvmsg(s, &m, 0));
    check(m.msg_flags & MSG_TRUNC, "udp.trunc_flag", "msg_flags %x", m.msg_flags);
    check_eq("udp.next", 2, recv(s, buf, sizeof buf, 0));
    check_eq("udp.trunc_len", 4, (sendto(c, "1234", 4, 0, (void *)&sa, sizeof sa),
                                   recv(s, buf, 1, MSG_TRUNC)));

    // Nothing to read: a timeout.
    struct timeval tv = { 0, 20000 };
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    check_errno("udp.timeout", recv(s, buf, sizeof buf, 0), EAGAIN);
    check_errno("udp.dontwait", recv(s, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    struct pollfd p = { s, POLLIN | POLLOUT, 0 };
    poll(&p, 1, 0);
    check_eq("udp.poll", POLLOUT, p.revents);

    // recvmmsg's timeout is looked at after each datagram (not while it
    // waits for one), and what was left of it is written back.
    for (int i = 0; i < 3; i++)
        sendto(c, "m", 1, 0, (void *)&sa, sizeof sa);
    struct mmsghdr mm[8];
    struct iovec mv[8];
    char mbuf[8][4];
    memset(mm, 0, sizeof mm);
    for (int i = 0; i < 8; i++) {
        mv[i] = (struct iovec){ mbuf[i], sizeof mbuf[i] };
        mm[i].msg_hdr.msg_iov = &mv[i];
        mm[i].msg_hdr.msg_iovlen = 1;
    }
    struct timespec ts = { 5, 0 };
    check_eq("udp.recvmmsg_all", 3, recvmmsg(s, mm, 8, MSG_DONTWAIT, &ts));
    check(ts.tv_sec >= 3 && ts.tv_sec <= 5 && (ts.tv_sec < 5 || ts.tv_nsec == 0),
          "udp.recvmmsg_left", "%lld.%09ld left of 5 s", (long long)ts.tv_sec, ts.tv_nsec);
    for (int i = 0; i < 3; i++)
        sendto(c, "m", 1, 0, (void *)&sa, sizeof sa);
    ts = (struct timespec){ 0, 0 };
    check_eq("udp.recvmmsg_expired", 1, recvmmsg(s, mm, 8, 0, &ts));
    ts = (struct timespec){ 0, 2000000000 };
    check_errno("udp.recvmmsg_bad_timeout", recvmmsg(s, mm, 8, MSG_DONTWAIT, &ts), EINVAL);
    while (recv(s, buf, sizeof buf, MSG_DONTWAIT) > 0)
        ;

    // Errors of sendto.
    check_errno("udp.no_destination", send(c, "x", 1, 0), EDESTADDRREQ);
    check_errno("udp.short_address", sendto(c, "x", 1, 0, (void *)&sa, 8), EINVAL);
    struct sockaddr_in zero = addr_of(INADDR_LOOPBACK, 0);
    check_errno("udp.port_zero", sendto(c, "x", 1, 0, (void *)&zero, sizeof zero), EINVAL);
    check_errno("udp.listen", listen(s, 1), EOPNOTSUPP);
    check_errno("udp.accept", accept(s, 0, 0), EOPNOTSUPP);
    check_errno("udp.shutdown_unconnected", shutdown(c, SHUT_RDWR), ENOTCONN);

    // Connected: the default destination, and only the peer is heard.
    int d = socket(AF_INET, SOCK_DGRAM, 0);
    check(connect(d, (void *)&sa, sizeof sa) == 0, "udp.connect", "%s", errname(errno));
    struct sockaddr_in dn = name_of(d, 0);
    check(dn.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && dn.sin_port != 0, "udp.connect_name",
          "a connected socket is named 127.0.0.1:port");
    check(same_addr(name_of(d, 1), sa), "udp.peername", "getpeername is the destination");
    check_eq("udp.send_connected", 3, send(d, "abc", 3, 0));
    check_eq("udp.recv_connected", 3, recv(s, buf, sizeof buf, 0));
    int e = socket(AF_INET, SOCK_DGRAM, 0);
    check(connect(e, (void *)&dn, sizeof dn) == 0, "udp.connect_back", "%s", errname(errno));
    sendto(c, "stranger", 8, 0, (void *)&dn, sizeof dn);   // not e's peer: dropped at e
    sendto(s, "peer", 4, 0, (void *)&dn, sizeof dn);       // s is not e's peer either
    check_eq("udp.dst_gets_all", 4, recv(d, buf, sizeof buf, MSG_DONTWAIT) < 0 ? -1 : 4);
    close(e);

    // Where nobody listens: the send succeeds, the next call hears of it.
    int q = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in gone;
    int g = bound(SOCK_DGRAM, &gone);
    close(g);
    connect(q, (void *)&gone, sizeof gone);
    check_eq("udp.send_nobody", 1, send(q, "x", 1, 0));
    check_errno("udp.refused", recv(q, buf, sizeof buf, MSG_DONTWAIT), ECONNREFUSED);
    check_eq("udp.refused_once", 1, send(q, "x", 1, 0));
    close(q);

    // AF_UNSPEC forgets the peer, and the port connect chose.
    struct sockaddr un = { .sa_family = AF_UNSPEC };
    check(connect(d, &un, sizeof un) == 0, "udp.disconnect", "%s", errname(errno));
    dn = name_of(d, 0);
    check(dn.sin_port == 0 && dn.sin_addr.s_addr == 0, "udp.disconnected_name",
          "the port connect chose is let go: %08x:%d", dn.sin_addr.s_addr, ntohs(dn.sin_port));
    socklen_t len = sizeof dn;
    check_errno("udp.disconnected_peer", getpeername(d, (void *)&dn, &len), ENOTCONN);
    check_errno("udp.disconnected", send(d, "x", 1, 0), EDESTADDRREQ);
    check(name_of(d, 0).sin_port != 0, "udp.send_autobinds", "a send, failing or not, takes a port");
    int b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ba = addr_of(INADDR_ANY, 0);
    bind(b, (void *)&ba, sizeof ba);
    connect(b, (void *)&sa, sizeof sa);
    connect(b, &un, sizeof un);
    dn = name_of(b, 0);
    check(dn.sin_port == 0 && dn.sin_addr.s_addr == 0, "udp.disconnected_bound_any",
          "a port bind chose (port 0) goes too: %08x:%d", dn.sin_addr.s_addr, ntohs(dn.sin_port));
    ba = addr_of(INADDR_LOOPBACK, 47999);
    bind(b, (void *)&ba, sizeof ba);
    connect(b, (void *)&sa, sizeof sa);
    connect(b, &un, sizeof un);
    check(same_addr(name_of(b, 0), ba), "udp.disconnected_bound",
          "a name bind was given stays");
    close(b);
    close(d);
    close(c);
    close(s);
}

// Wait up to a second for fd to be writable: poll's answer.
static int wait_writable(int fd)
{
    struct pollfd p = { fd, POLLOUT, 0 };
    poll(&p, 1, 1000);
    return p.revents;
}

static void test_tcp_connect(void)
{
    struct sockaddr_in la;
    int l = listener(&la);
    check(l >= 0, "tcp.listen", "%s", errname(errno));
    check_eq("tcp.acceptconn", 1, int_opt(l, SOL_SOCKET, SO_ACCEPTCONN));
    int c = socket(AF_INET, SOCK_STREAM, 0);
    check(connect(c, (void *)&la, sizeof la) == 0, "tcp.connect", "%s", errname(errno));
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    int a = accept(l, (void *)&peer, &plen);
    check(a >= 0, "tcp.accept", "%s", errname(errno));
    struct sockaddr_in cn = name_of(c, 0);
    check(plen == sizeof peer && same_addr(peer, cn) && cn.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
          "tcp.accept_addr", "accept's address is the client's name");
    check(same_addr(name_of(a, 0), la), "tcp.server_name", "the accepted socket has the listener's name");
    check(same_addr(name_of(a, 1), cn), "tcp.server_peer", "and the client as its peer");
    check(same_addr(name_of(c, 1), la), "tcp.client_peer", "the client's peer is the listener");
    check_errno("tcp.connect_again", connect(c, (void *)&la, sizeof la), EISCONN);
    check_errno("tcp.connect_listener", connect(l, (void *)&la, sizeof la), EISCONN);
    check_errno("tcp.listen_connected", listen(c, 1), EINVAL);

    char buf[64];
    check_eq("tcp.write", 5, write(c, "hello", 5));
    check_eq("tcp.read", 5, read(a, buf, sizeof buf));
    check_eq("tcp.send_back", 3, send(a, "hey", 3, 0));
    struct sockaddr_in from;
    socklen_t flen = sizeof from;
    check_eq("tcp.recvfrom", 3, recvfrom(c, buf, sizeof buf, 0, (void *)&from, &flen));
    check_eq("tcp.recvfrom_noaddr", 0, flen);
    check_eq("tcp.sendto_ignores_addr", 2, sendto(c, "zz", 2, 0, (void *)&la, sizeof la));
    check_eq("tcp.sendto_read", 2, read(a, buf, sizeof buf));
    check_eq("tcp.maxseg_connected", 32768, int_opt(c, IPPROTO_TCP, TCP_MAXSEG));
    struct ucred cr;
    socklen_t crlen = sizeof cr;
    check(getsockopt(a, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) == 0 && cr.pid == 0 &&
          cr.uid == (uid_t)-1 && cr.gid == (gid_t)-1, "tcp.no_peercred",
          "pid %d uid %d gid %d", cr.pid, (int)cr.uid, (int)cr.gid);

    // The peer closes: end of file; one write goes, the next is EPIPE.
    close(c);
    check_eq("tcp.eof", 0, read(a, buf, sizeof buf));
    struct pollfd p = { a, POLLIN | POLLOUT | POLLRDHUP, 0 };
    poll(&p, 1, 0);
    check_eq("tcp.poll_after_fin", POLLIN | POLLOUT | POLLRDHUP, p.revents);
    check_eq("tcp.write_after_close", 3, send(a, "abc", 3, MSG_NOSIGNAL));
    check_errno("tcp.epipe", send(a, "abc", 3, MSG_NOSIGNAL), EPIPE);
    check_eq("tcp.eof_after_reset", 0, read(a, buf, sizeof buf));
    close(a);

    // Closing with bytes unread resets the connection.
    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (void *)&la, sizeof la);
    a = accept(l, 0, 0);
    write(a, "unread", 6);
    close(c);
    check_errno("tcp.reset", read(a, buf, sizeof buf), ECONNRESET);
    check_eq("tcp.after_reset", 0, read(a, buf, sizeof buf));
    close(a);

    // So does a close with SO_LINGER on and a time of 0: an abort.
    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (void *)&la, sizeof la);
    a = accept(l, 0, 0);
    struct linger abort_now = { 1, 0 };
    setsockopt(c, SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now);
    close(c);
    check_errno("tcp.linger_reset", read(a, buf, sizeof buf), ECONNRESET);
    check_errno("tcp.linger_reset_write", send(a, "x", 1, MSG_NOSIGNAL), EPIPE);
    close(a);

    // Non-blocking: EINPROGRESS, then writable, SO_ERROR 0.
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    check_errno("tcp.nonblock_connect", connect(c, (void *)&la, sizeof la), EINPROGRESS);
    check(wait_writable(c) & POLLOUT, "tcp.nonblock_writable", "poll says writable");
    check_eq("tcp.nonblock_so_error", 0, int_opt(c, SOL_SOCKET, SO_ERROR));
    // The connect after it reports the connection made; the next, EISCONN.
    check_eq("tcp.nonblock_connected", 0, connect(c, (void *)&la, sizeof la));
    check_errno("tcp.nonblock_isconn", connect(c, (void *)&la, sizeof la), EISCONN);
    a = accept(l, 0, 0);
    check(a >= 0, "tcp.nonblock_accepted", "%s", errname(errno));
    close(a);
    close(c);

    // Nobody listening: ECONNREFUSED, at once or through SO_ERROR.
    struct sockaddr_in gone;
    int g = bound(SOCK_STREAM, &gone);
    close(g);
    c = socket(AF_INET, SOCK_STREAM, 0);
    check_errno("tcp.refused", connect(c, (void *)&gone, sizeof gone), ECONNREFUSED);
    close(c);
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    check_errno("tcp.nonblock_refused", connect(c, (void *)&gone, sizeof gone), EINPROGRESS);
    int ev = wait_writable(c);
    check(ev & POLLERR, "tcp.nonblock_refused_poll", "revents %x", ev);
    check_eq("tcp.nonblock_refused_error", ECONNREFUSED, int_opt(c, SOL_SOCKET, SO_ERROR));
    // The connect after it says how it went (SO_ERROR took the error), the
    // next one tries again, and the one after reports that try.
    check_errno("tcp.nonblock_refused_aborted", connect(c, (void *)&gone, sizeof gone), ECONNABORTED);
    check_errno("tcp.nonblock_retry", connect(c, (void *)&gone, sizeof gone), EINPROGRESS);
    wait_writable(c);
    check_errno("tcp.nonblock_retry_refused", connect(c, (void *)&la, sizeof la), ECONNREFUSED);
    close(c);

    // 0.0.0.0 as a destination is this machine.
    c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = la;
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    check(connect(c, (void *)&any, sizeof any) == 0, "tcp.connect_any", "%s", errname(errno));
    close(c);
    a = accept(l, 0, 0);
    close(a);
    if (on_bunshin()) {
        c = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in far = addr_of(0x0a000001, 80);
        check_errno("tcp.unreachable", connect(c, (void *)&far, sizeof far), ENETUNREACH);
        close(c);
    }
    close(l);
}

static void test_tcp_states(void)
{
    char buf[8];
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct pollfd p = { s, POLLIN | POLLOUT, 0 };
    poll(&p, 1, 0);
    check_eq("state.poll_new", POLLOUT | POLLHUP, p.revents);
    signal(SIGPIPE, SIG_IGN);
    check_errno("state.send_unconnected", send(s, "x", 1, 0), EPIPE);
    check_errno("state.recv_unconnected", recv(s, buf, 1, 0), ENOTCONN);
    check_errno("state.accept_unlistened", accept(s, 0, 0), EINVAL);
    // ENOTCONN, and yet shut: poll says readable (end of file).
    check_errno("state.shutdown_unconnected", shutdown(s, SHUT_RDWR), ENOTCONN);
    poll(&p, 1, 0);
    check_eq("state.poll_shut", POLLIN | POLLOUT | POLLHUP, p.revents);
    signal(SIGPIPE, SIG_DFL);
    close(s);

    // listen on an unbound socket takes a port on every address.
    s = socket(AF_INET, SOCK_STREAM, 0);
    check(listen(s, 1) == 0, "state.listen_unbound", "%s", errname(errno));
    struct sockaddr_in a = name_of(s, 0);
    check(a.sin_port != 0 && a.sin_addr.s_addr == 0, "state.listen_autobind", "port %d",
          ntohs(a.sin_port));
    check_errno("state.recv_listener", recv(s, buf, 1, 0), ENOTCONN);
    // Two sockets sharing a port by SO_REUSEADDR: not while one listens.
    int t = socket(AF_INET, SOCK_STREAM, 0);
    set_int(t, SOL_SOCKET, SO_REUSEADDR, 1);
    set_int(s, SOL_SOCKET, SO_REUSEADDR, 1);
    check_errno("state.reuse_listening", bind(t, (void *)&a, sizeof a), EADDRINUSE);
    close(t);
    close(s);

    // shutdown(SHUT_RD) of a listener wakes a child blocked in accept.
    struct sockaddr_in la;
    int l = listener(&la);
    pid_t pid = xfork();
    if (pid == 0) {
        int r = accept(l, 0, 0);
        _exit(r < 0 && errno == EINVAL ? 0 : 1);
    }
    sleep_ms(100);
    check(shutdown(l, SHUT_RD) == 0, "state.shutdown_listener", "%s", errname(errno));
    check(exited_with(wait_for(pid), 0), "state.accept_woken", "accept failed with EINVAL");
    close(l);
}

static void test_tcp_bulk(void)
{
    struct sockaddr_in la;
    int l = listener(&la);
    enum { TOTAL = 1 << 20 };
    pid_t pid = xfork();
    if (pid == 0) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (void *)&la, sizeof la) < 0)
            _exit(1);
        static char chunk[8192];
        for (int i = 0; i < TOTAL / (int)sizeof chunk; i++) {
            memset(chunk, i & 0xff, sizeof chunk);
            if (write_full(c, chunk, sizeof chunk) != (ssize_t)sizeof chunk)
                _exit(2);
        }
        shutdown(c, SHUT_WR);
        char ack;
        _exit(read(c, &ack, 1) == 1 && ack == 'k' ? 0 : 3);
    }
    int a = accept(l, 0, 0);
    static char buf[TOTAL + 1];
    ssize_t got = 0, n;
    while ((n = read(a, buf + got, sizeof buf - (size_t)got)) > 0)
        got += n;
    int good = got == TOTAL;
    for (long i = 0; good && i < TOTAL; i++)
        good = (unsigned char)buf[i] == ((i / 8192) & 0xff);
    check(good, "bulk.megabyte", "read %zd bytes, in order", got);
    write(a, "k", 1);
    check(exited_with(wait_for(pid), 0), "bulk.writer", "the writer saw its ack");
    close(a);
    close(l);
}

static void test_options(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    check_eq("opt.nodelay_default", 0, int_opt(s, IPPROTO_TCP, TCP_NODELAY));
    set_int(s, IPPROTO_TCP, TCP_NODELAY, 1);
    check_eq("opt.nodelay", 1, int_opt(s, IPPROTO_TCP, TCP_NODELAY));
    check_eq("opt.maxseg", 536, int_opt(s, IPPROTO_TCP, TCP_MAXSEG));
    check_eq("opt.keepidle", 7200, int_opt(s, IPPROTO_TCP, TCP_KEEPIDLE));
    check_eq("opt.keepidle_set", 0, set_int(s, IPPROTO_TCP, TCP_KEEPIDLE, 30));
    check_eq("opt.keepidle_read", 30, int_opt(s, IPPROTO_TCP, TCP_KEEPIDLE));
    check_errno("opt.keepcnt_bad", set_int(s, IPPROTO_TCP, TCP_KEEPCNT, 0), EINVAL);
    check_eq("opt.ttl", 64, int_opt(s, IPPROTO_IP, IP_TTL));
    check_eq("opt.ttl_set", 0, set_int(s, IPPROTO_IP, IP_TTL, 7));
    check_eq("opt.ttl_read", 7, int_opt(s, IPPROTO_IP, IP_TTL));
    check_errno("opt.ttl_bad", set_int(s, IPPROTO_IP, IP_TTL, 300), EINVAL);
    check_eq("opt.tos_set", 0, set_int(s, IPPROTO_IP, IP_TOS, 0x10));
    check_eq("opt.tos", 0x10, int_opt(s, IPPROTO_IP, IP_TOS));
    set_int(s, SOL_SOCKET, SO_KEEPALIVE, 1);
    check_eq("opt.keepalive", 1, int_opt(s, SOL_SOCKET, SO_KEEPALIVE));
    struct linger lg = { 1, 5 }, back;
    socklen_t len = sizeof back;
    setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    check(getsockopt(s, SOL_SOCKET, SO_LINGER, &back, &len) == 0 && back.l_onoff == 1 &&
          back.l_linger == 5, "opt.linger", "read back");
    check_errno("opt.unknown_tcp", set_int(s, IPPROTO_TCP, 9999, 1), ENOPROTOOPT);
    close(s);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    check_eq("opt.udp_tcp_level", -EOPNOTSUPP - 100000, int_opt(u, IPPROTO_TCP, TCP_NODELAY));
    check_errno("opt.udp_tcp_level_set", set_int(u, IPPROTO_TCP, TCP_NODELAY, 1), ENOPROTOOPT);
    close(u);
}

// The line of a /proc/net table whose local address is a (as Linux prints
// it: 0100007F:1F90), or "".
static const char *proc_net_line(const char *table, struct sockaddr_in a)
{
    static char text[16384];
    char want[32];
    snprintf(want, sizeof want, "%08X:%04X", a.sin_addr.s_addr, ntohs(a.sin_port));
    if (read_file(table, text, sizeof text) <= 0)
        return "";
    char *p = strstr(text, want);
    if (!p)
        return "";
    while (p > text && p[-1] != '\n')
        p--;
    char *end = strchr(p, '\n');
    if (end)
        *end = 0;
    return p;
}

// /proc/net/tcp and udp list the sockets with their state and inode.
static void test_proc_net(void)
{
    struct sockaddr_in la, ua;
    int l = listener(&la), u = bound(SOCK_DGRAM, &ua);
    struct stat st;
    fstat(l, &st);
    const char *line = proc_net_line("/proc/net/tcp", la);
    unsigned long ino = 0;
    char state[8] = "";
    sscanf(line, "%*s %*s %*s %7s %*s %*s %*s %*s %*s %lu", state, &ino);
    check(strcmp(state, "0A") == 0 && ino == st.st_ino, "procnet.tcp_listen",
          "state %s inode %lu (fstat %lu): [%s]", state, ino, (unsigned long)st.st_ino, line);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (void *)&la, sizeof la);
    line = proc_net_line("/proc/net/tcp", name_of(c, 0));
    check(strlen(line) > 40 && strncmp(line + 34, "01", 2) == 0, "procnet.tcp_established",
          "[%s]", line);
    fstat(u, &st);
    line = proc_net_line("/proc/net/udp", ua);
    sscanf(line, "%*s %*s %*s %7s %*s %*s %*s %*s %*s %lu", state, &ino);
    check(strcmp(state, "07") == 0 && ino == st.st_ino, "procnet.udp", "state %s inode %lu: [%s]",
          state, ino, line);
    close(c);
    close(u);
    close(l);
}

// Random operations on a few sockets, then in two processes sharing them, with
// a small set of ports and addresses so that they meet: binds that
// collide, connects to listeners that close, sends into full queues,
// shutdowns in every order. Nothing is compared (Linux's answers depend on
// its timing); both kernels must come through, and every object must come
// back (the memfree check after all the parts).
static unsigned long rnd_state = 12345;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 1103515245 + 12345;
    return (unsigned)(rnd_state >> 16) % n;
}

enum { NS = 8 };
static int rfd[NS] = { -1, -1, -1, -1, -1, -1, -1, -1 };

static void random_ops(int rounds, int close_all)
{
    int *fd = rfd;
    static const uint32_t hosts[] = { INADDR_ANY, INADDR_LOOPBACK, 0x7f000002, 0x0a000001 };
    char buf[4096];
    memset(buf, 'r', sizeof buf);
    for (int k = 0; k < rounds; k++) {
        int i = (int)rnd(NS), f = fd[i];
        struct sockaddr_in a = addr_of(hosts[rnd(4)], rnd(4) ? 0 : (uint16_t)(47000 + rnd(4)));
        if (rnd(5) == 0)
            a.sin_port = htons((uint16_t)(47000 + rnd(4)));
        switch (rnd(12)) {
        case 0:
            if (f >= 0)
                close(f);
            fd[i] = socket(AF_INET, (rnd(2) ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK, 0);
            if (rnd(2))
                set_int(fd[i], SOL_SOCKET, SO_REUSEADDR, 1);
            break;
        case 1: bind(f, (void *)&a, sizeof a); break;
        case 2: listen(f, (int)rnd(3)); break;
        case 3: connect(f, (void *)&a, sizeof a); break;
        case 4: {
            int c = accept4(f, 0, 0, SOCK_NONBLOCK);
            int j = (int)rnd(NS);
            if (c >= 0) {
                if (fd[j] >= 0)
                    close(fd[j]);
                fd[j] = c;
            }
            break;
        }
        case 5: send(f, buf, 1 + rnd(sizeof buf), MSG_DONTWAIT | MSG_NOSIGNAL); break;
        case 6: sendto(f, buf, 1 + rnd(600), MSG_DONTWAIT | MSG_NOSIGNAL, (void *)&a, sizeof a); break;
        case 7: recv(f, buf, sizeof buf, MSG_DONTWAIT | (rnd(3) ? 0 : MSG_PEEK)); break;
        case 8: shutdown(f, (int)rnd(3)); break;
        case 9: {
            struct sockaddr un = { .sa_family = AF_UNSPEC };
            connect(f, &un, sizeof un);
            break;
        }
        case 10: set_int(f, SOL_SOCKET, rnd(2) ? SO_RCVBUF : SO_LINGER, (int)rnd(5000)); break;
        default: {
            struct pollfd p = { f, POLLIN | POLLOUT, 0 };
            poll(&p, 1, 0);
            name_of(f, (int)rnd(2));
        }
        }
    }
    for (int i = 0; close_all && i < NS; i++)
        if (fd[i] >= 0)
            close(fd[i]);
}

static void test_random(void)
{
    random_ops(500, 0);                  // sockets the two will share
    pid_t pid = xfork();
    if (pid == 0) {
        rnd_state = 777;
        random_ops(3000, 1);
        _exit(0);
    }
    random_ops(3000, 1);
    check(exited_with(wait_for(pid), 0), "random.survived", "the child's operations");
}

// Every part in a child: the frames and objects come back at its exit.
static void run_all(void)
{
    test_create();
    test_names();
    test_udp();
    test_tcp_connect();
    test_tcp_states();
    test_tcp_bulk();
    test_options();
    test_proc_net();
    test_random();
}

int main(void)
{
    long before = memfree_start();
    run_part("inet", run_all);
    memfree_check("inet.memfree", before);
    return test_status();
}
