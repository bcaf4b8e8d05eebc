/* inet_io.c: sending and receiving on AF_INET sockets (inet.c).
 *
 * TCP moves bytes as an AF_UNIX stream does (sock_io.c); what is its own is
 * how it fails:
 *   - sending on a socket that is not connected is EPIPE (and SIGPIPE);
 *   - when the peer has closed, one more write still "succeeds": on Linux
 *     its bytes go out and the peer answers with a reset, so the write
 *     after it is EPIPE (and reads say end of file);
 *   - a peer that closed with bytes unread resets the connection at once:
 *     ECONNRESET, once, then EPIPE.
 * UDP sends each datagram to the socket bound to its destination, and never
 * waits: a full receiver drops it, and a destination where nobody listens
 * drops it too (a connected sender then hears of it: ECONNREFUSED on its
 * next call, as Linux's ICMP "port unreachable" reports it).
 * Neither carries descriptors or credentials: those are AF_UNIX's.
 */
#include "fs/socket.h"
#include "linux/errno.h"

#define UDP_MAX_PAYLOAD 65507         /* 65535 less the IP and UDP headers */

/* The pending error (SO_ERROR), taken: -errno, or 0 if none. */
static int take_error(struct sock *sk)
{
    int e = sk->error;
    sk->error = 0;
    return -e;
}

static long tcp_send(struct sock *sk, struct file *f, struct sock_io *io)
{
    if (io->flags & MSG_OOB)
        return -EOPNOTSUPP;                  /* urgent data: not here */
    if (sk->error)
        return take_error(sk);
    if (sk->state != SS_CONNECTED)
        return sock_broken_pipe(io);         /* never connected, or listening */
    struct sock *to = sk->peer;
    if (to && to->closed && !sk->reset && !(sk->shutdown & SHUT_SEND_MASK)) {
        /* The write that provokes the peer's reset: it is lost. */
        sk->reset = true;
        sk->shutdown = SHUT_RCV_MASK | SHUT_SEND_MASK;
        sock_wake(sk);
        return (long)io->total;
    }
    return sock_stream_send(sk, f, io);
}

/* One datagram to io's address, or to the connected peer. */
static long udp_send(struct sock *sk, struct sock_io *io)
{
    /* Linux's inet_sendmsg gives the socket a port before anything else,
     * so even a send that fails takes one. */
    int r = inet_autobind(sk);
    if (r < 0)
        return r;
    if (io->flags & MSG_OOB)
        return -EOPNOTSUPP;
    struct sockaddr_in dst;
    if (io->addrlen) {
        if (io->addrlen < sizeof dst)
            return -EINVAL;
        if (io->addr.family != AF_INET && io->addr.family != AF_UNSPEC)
            return -EAFNOSUPPORT;
        dst = io->addr.in;
        if (!dst.sin_port)
            return -EINVAL;
    } else {
        if (!sk->has_remote)
            return -EDESTADDRREQ;
        dst = sk->remote;
    }
    if (io->total > UDP_MAX_PAYLOAD)
        return -EMSGSIZE;
    if (!dst.sin_addr.s_addr)
        dst.sin_addr.s_addr = 0x0100007f;    /* 0.0.0.0 is this machine: 127.0.0.1 */
    if (!inet_addr_local(dst.sin_addr.s_addr))
        return -ENETUNREACH;
    struct sockaddr_in src;
    inet_source(sk, &src);
    struct sock *to = inet_udp_find(&dst, &src);
    if (!to) {
        if (sk->has_remote) {
            sk->error = ECONNREFUSED;        /* the ICMP error, for the next call */
            sock_wake(sk);
        }
        return (long)io->total;
    }
    if (to->queued + io->total > to->rcvbuf || (to->shutdown & SHUT_RCV_MASK))
        return (long)io->total;              /* no room: dropped, as by the network */
    struct sock_msg *m;
    if ((r = sock_make_msg(sk, io, 0, io->total, false, &m)) < 0)
        return r;
    m->from.in = src;
    m->fromlen = sizeof src;
    sock_enqueue(to, m);
    return (long)io->total;
}

long inet_send(struct sock *sk, struct file *f, struct sock_io *io)
{
    if (io->scm.nfiles || io->scm.has_cred)
        return -EINVAL;                      /* SCM_RIGHTS, SCM_CREDENTIALS */
    io->deadline = sock_deadline(sk->sndtimeo);
    if (sk->type == SOCK_STREAM)
        return tcp_send(sk, f, io);
    return udp_send(sk, io);
}

long inet_recv(struct sock *sk, struct file *f, struct sock_io *io)
{
    io->deadline = sock_deadline(sk->rcvtimeo);
    if (sk->type == SOCK_DGRAM) {
        if (io->flags & MSG_OOB)
            return -EOPNOTSUPP;
        return sock_packet_recv(sk, f, io);
    }
    if (io->flags & MSG_OOB)
        return -EINVAL;                      /* no urgent data waits */
    if (sk->state != SS_CONNECTED)
        return -ENOTCONN;
    long r = sock_stream_recv(sk, f, io);
    io->addrlen = 0;                         /* TCP gives no source address */
    return r;
}
