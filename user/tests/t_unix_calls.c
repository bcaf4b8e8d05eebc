// t_unix_calls: Unix-domain sockets, the rest of what t_unix does not
// cover, checked against Linux:
//   - datagrams: boundaries kept, a short read cuts one off (MSG_TRUNC),
//     sendto a bound path and recvfrom its sender's name (none: length 0),
//     connect and send, AF_UNSPEC to forget the peer, ECONNREFUSED once it
//     is gone, ENOTCONN and ENOENT; seqpacket socketpairs;
//   - both entry points: socketcall (102) with its argument array (EINVAL
//     for an unknown call, EFAULT for a bad array), the direct numbers,
//     sendmmsg and recvmmsg;
//   - the error answers: ENOTSOCK, EBADF, EAFNOSUPPORT (and, on bunshin,
//     for AF_INET6 and AF_NETLINK; AF_INET is t_inet's), EINVAL, ESOCKTNOSUPPORT,
//     EPROTONOSUPPORT, EFAULT, ENOTCONN, EISCONN, EOPNOTSUPP.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "bunshin.h"
#include "unix_common.h"

#define SC_SOCKET      1
#define SC_SOCKETPAIR  8
#define SC_SEND        9
#define SC_RECV        10

static char name_a[64], name_b[64];      // socket paths, relative to the scratch dir

static void test_dgram(void)
{
    int sv[2];
    char buf[64];
    if (!check(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "dgram.pair", "socketpair: %s",
               errname(errno)))
        return;
    send(sv[0], "one", 3, 0);
    send(sv[0], "second", 6, 0);
    check_eq("dgram.boundary1", 3, recv(sv[1], buf, sizeof buf, 0));
    check_eq("dgram.boundary2", 6, recv(sv[1], buf, sizeof buf, 0));
    // A short buffer cuts the datagram off; recvmsg says so.
    send(sv[0], "truncated", 9, 0);
    struct iovec iov = { buf, 4 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    check(recvmsg(sv[1], &m, 0) == 4 && (m.msg_flags & MSG_TRUNC), "dgram.msg_trunc",
          "flags %#x", m.msg_flags);
    send(sv[0], "truncated", 9, 0);
    check_eq("dgram.trunc_flag_len", 9, recv(sv[1], buf, 2, MSG_TRUNC));
    int v = 0;
    socklen_t vl = sizeof v;
    check(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &vl) == 0 && v == SOCK_DGRAM,
          "dgram.so_type", "%d", v);
    check_errno("dgram.listen", listen(sv[0], 1), EOPNOTSUPP);
    close(sv[0]);
    close(sv[1]);

    // Unconnected: sendto a bound path; recvfrom names the sender.
    int srv = socket(AF_UNIX, SOCK_DGRAM, 0), cli = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un sa, ca, from;
    socklen_t sl = path_addr(&sa, name_a), cl = path_addr(&ca, name_b), fl;
    check_eq("dgram.bind", 0, bind(srv, (struct sockaddr *)&sa, sl));
    check_errno("dgram.send_enotconn", send(cli, "x", 1, 0), ENOTCONN);
    check_eq("dgram.sendto_unbound", 2, sendto(cli, "hi", 2, 0, (struct sockaddr *)&sa, sl));
    fl = sizeof from;
    check(recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) == 2 && fl == 0,
          "dgram.recvfrom_unbound", "address length %u", (unsigned)fl);
    bind(cli, (struct sockaddr *)&ca, cl);
    sendto(cli, "hey", 3, 0, (struct sockaddr *)&sa, sl);
    fl = sizeof from;
    check(recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) == 3 && fl == cl &&
          strcmp(from.sun_path, name_b) == 0, "dgram.recvfrom_name", "length %u, %s",
          (unsigned)fl, from.sun_path);
    // Connected: send alone goes there.
    check_eq("dgram.connect", 0, connect(cli, (struct sockaddr *)&sa, sl));
    check(send(cli, "c", 1, 0) == 1 && recv(srv, buf, sizeof buf, 0) == 1, "dgram.send_connected",
          "send after connect");
    struct sockaddr_un none;
    socklen_t nl = path_addr(&none, "no-such-socket");
    check_errno("dgram.sendto_enoent", sendto(srv, "x", 1, 0, (struct sockaddr *)&none, nl),
                ENOENT);
    // AF_UNSPEC forgets the peer; connect again.
    struct sockaddr unspec = { .sa_family = AF_UNSPEC };
    check(connect(cli, &unspec, sizeof unspec) == 0 && send(cli, "x", 1, 0) < 0 &&
          errno == ENOTCONN, "dgram.disconnect", "%s", errname(errno));
    connect(cli, (struct sockaddr *)&sa, sl);
    // The peer gone: ECONNREFUSED.
    close(srv);
    check_errno("dgram.peer_closed", send(cli, "x", 1, 0), ECONNREFUSED);
    close(cli);
    unlink(name_a);
    unlink(name_b);

    // Seqpacket: connected, boundaries kept.
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0) {
        send(sv[0], "p1", 2, 0);
        send(sv[0], "pkt2", 4, 0);
        check(recv(sv[1], buf, sizeof buf, 0) == 2 && recv(sv[1], buf, sizeof buf, 0) == 4,
              "seqpacket.boundaries", "two packets");
        close(sv[0]);
        check_eq("seqpacket.eof", 0, recv(sv[1], buf, sizeof buf, 0));
        close(sv[1]);
    } else {
        fail("seqpacket.pair", "%s", errname(errno));
    }
}

static void test_errors(void)
{
    int p[2];
    pipe(p);
    struct sockaddr_un sa;
    socklen_t sl = path_addr(&sa, name_a);
    char b[4];
    check_errno("err.enotsock_bind", bind(p[0], (struct sockaddr *)&sa, sl), ENOTSOCK);
    check_errno("err.enotsock_send", send(p[1], "x", 1, 0), ENOTSOCK);
    check_errno("err.enotsock_opt", getsockopt(p[0], SOL_SOCKET, SO_TYPE, b, &(socklen_t){ 4 }),
                ENOTSOCK);
    close(p[0]);
    close(p[1]);
    check_errno("err.ebadf", listen(999, 1), EBADF);
    check_errno("err.eafnosupport", socket(1000, SOCK_STREAM, 0), EAFNOSUPPORT);
    if (on_bunshin()) {
        check_errno("err.af_inet6", socket(AF_INET6, SOCK_DGRAM, 0), EAFNOSUPPORT);
        check_errno("err.af_netlink", socket(AF_NETLINK, SOCK_RAW, 0), EAFNOSUPPORT);
    } else {
        skip("err.af_inet6", "Linux has AF_INET6");
    }
    check_errno("err.type_flags", socket(AF_UNIX, SOCK_STREAM | 0x100, 0), EINVAL);
    check_errno("err.type_max", socket(AF_UNIX, 11, 0), EINVAL);
    check_errno("err.type_rdm", socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT);
    check_errno("err.protocol", socket(AF_UNIX, SOCK_STREAM, 5), EPROTONOSUPPORT);
    check_errno("err.socketpair_efault", syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, 8), EFAULT);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    check_errno("err.bind_efault", bind(s, (struct sockaddr *)8, sl), EFAULT);
    check_errno("err.bind_len", bind(s, (struct sockaddr *)&sa, 200), EINVAL);
    check_errno("err.bind_short", connect(s, (struct sockaddr *)&sa, 1), EINVAL);
    sa.sun_family = AF_INET;
    check_errno("err.bind_family", bind(s, (struct sockaddr *)&sa, sl), EINVAL);
    check_errno("err.listen_unbound", listen(s, 1), EINVAL);
    check_errno("err.send_enotconn", send(s, "x", 1, MSG_NOSIGNAL), ENOTCONN);
    check_errno("err.read_unconnected", read(s, b, 1), EINVAL);
    check_errno("err.getpeername", getpeername(s, (struct sockaddr *)&sa, &(socklen_t){ 110 }),
                ENOTCONN);
    check_errno("err.getsockname_efault", getsockname(s, (struct sockaddr *)&sa, (socklen_t *)8),
                EFAULT);
    close(s);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    check_errno("err.recv_efault", recv(sv[0], (void *)8, 4, MSG_DONTWAIT), EAGAIN);
    write(sv[1], "data", 4);
    check_errno("err.recv_efault_data", recv(sv[0], (void *)8, 4, 0), EFAULT);
    check_errno("err.send_efault", send(sv[1], (void *)8, 4, 0), EFAULT);
    check_errno("err.sendto_connected", sendto(sv[1], "x", 1, 0, (struct sockaddr *)&sa, sl),
                EISCONN);
    close(sv[0]);
    close(sv[1]);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    check_errno("err.dgram_oob", send(sv[1], "x", 1, MSG_OOB), EOPNOTSUPP);
    close(sv[0]);
    close(sv[1]);
}

static void test_socketcall(void)
{
    int sv[2] = { -1, -1 };
    unsigned long args[6] = { AF_UNIX, SOCK_STREAM, 0, (unsigned long)sv };
    check(syscall(SYS_socketcall, SC_SOCKETPAIR, args) == 0 && sv[0] >= 0 && sv[1] >= 0,
          "socketcall.socketpair", "%s", errname(errno));
    char b[8];
    unsigned long sa[4] = { (unsigned long)sv[0], (unsigned long)"sc", 2, 0 };
    unsigned long ra[4] = { (unsigned long)sv[1], (unsigned long)b, sizeof b, 0 };
    check(syscall(SYS_socketcall, SC_SEND, sa) == 2 && syscall(SYS_socketcall, SC_RECV, ra) == 2 &&
          memcmp(b, "sc", 2) == 0, "socketcall.send_recv", "%s", errname(errno));
    close(sv[0]);
    close(sv[1]);
    unsigned long so[3] = { AF_UNIX, SOCK_DGRAM, 0 };
    long fd = syscall(SYS_socketcall, SC_SOCKET, so);
    check(fd >= 0, "socketcall.socket", "%s", errname(errno));
    close((int)fd);
    unsigned long bad[3] = { 1000, SOCK_STREAM, 0 };
    check_errno("socketcall.eafnosupport", syscall(SYS_socketcall, SC_SOCKET, bad), EAFNOSUPPORT);
    check_errno("socketcall.call0", syscall(SYS_socketcall, 0, so), EINVAL);
    check_errno("socketcall.call21", syscall(SYS_socketcall, 21, so), EINVAL);
    check_errno("socketcall.efault", syscall(SYS_socketcall, SC_SOCKET, (void *)8), EFAULT);
    // The direct numbers.
    check(syscall(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "direct.socketpair", "%s",
          errname(errno));
    check(syscall(SYS_sendto, sv[0], "dn", 2, 0, 0, 0) == 2 &&
          syscall(SYS_recvfrom, sv[1], b, sizeof b, 0, 0, 0) == 2, "direct.sendto_recvfrom", "%s",
          errname(errno));
    // sendmmsg/recvmmsg: two datagrams in one call each.
    struct iovec i1 = { "m1", 2 }, i2 = { "mm2", 3 }, o1 = { b, 4 }, o2 = { b + 4, 4 };
    struct mmsghdr out[2] = { { .msg_hdr = { .msg_iov = &i1, .msg_iovlen = 1 } },
                              { .msg_hdr = { .msg_iov = &i2, .msg_iovlen = 1 } } };
    struct mmsghdr in[2] = { { .msg_hdr = { .msg_iov = &o1, .msg_iovlen = 1 } },
                             { .msg_hdr = { .msg_iov = &o2, .msg_iovlen = 1 } } };
    check(sendmmsg(sv[0], out, 2, 0) == 2 && out[1].msg_len == 3, "direct.sendmmsg", "%s",
          errname(errno));
    check(recvmmsg(sv[1], in, 2, 0, 0) == 2 && in[0].msg_len == 2 && in[1].msg_len == 3,
          "direct.recvmmsg", "%s", errname(errno));
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    if (chdir(scratch_dir()) < 0) {
        fail("unix_calls.scratch", "chdir %s: %s", scratch_dir(), errname(errno));
        return test_status();
    }
    snprintf(name_a, sizeof name_a, "t_unix_calls-%d-a", (int)getpid());
    snprintf(name_b, sizeof name_b, "t_unix_calls-%d-b", (int)getpid());
    unlink(name_a);
    unlink(name_b);
    test_dgram();
    test_errors();
    test_socketcall();
    return test_status();
}
