/* unix.c: the operations of Unix-domain sockets (AF_UNIX), as sk->ops
 * calls them: what makes a socket, how connect finds its listener (by
 * name: unix_addr.c), and how a datagram finds its receiver. Connections
 * (sock_conn.c) and reading and writing (sock_io.c) are shared with
 * AF_INET.
 *
 * A datagram socket's connect just names the default destination of send
 * and the only sender recv accepts messages from.
 */
#include "fs/socket.h"
#include "linux/errno.h"

#define SUN_PATH_OFFSET 2           /* offsetof(struct sockaddr_un, sun_path) */

int unix_check_type(int type, int protocol, int *kind)
{
    if (protocol != 0 && protocol != AF_UNIX)
        return -EPROTONOSUPPORT;
    if (type == SOCK_RAW)
        type = SOCK_DGRAM;          /* as Linux's unix_create */
    if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_SEQPACKET)
        return -ESOCKTNOSUPPORT;
    *kind = type;
    return 0;
}

int unix_socketpair(int type, struct sock **a, struct sock **b)
{
    *a = sock_new(&unix_ops, type);
    *b = *a ? sock_new(&unix_ops, type) : 0;
    if (!*b) {
        if (*a)
            sock_put(*a);
        return -ENOMEM;
    }
    sock_connect_pair(*a, *b);
    sock_current_cred(&(*a)->peercred);
    (*b)->peercred = (*a)->peercred;
    return 0;
}

static int unix_bind_op(struct sock *sk, union sock_addr *a, uint32_t len)
{
    int r = unix_addr_check(&a->un, &len);
    return r < 0 ? r : unix_bind(sk, &a->un, len);
}

static int unix_listen(struct sock *sk, int backlog)
{
    if (sk->type == SOCK_DGRAM)
        return -EOPNOTSUPP;
    if (!sk->addrlen || (sk->state != SS_UNCONNECTED && sk->state != SS_LISTENING))
        return -EINVAL;
    return sock_listen(sk, backlog);
}

/* A datagram socket's connect: the destination for send without one. */
static int dgram_connect(struct sock *sk, struct sock *to)
{
    if (to->type != SOCK_DGRAM) {
        sock_put(to);
        return -EPROTOTYPE;
    }
    if (to->peer && to->peer != sk && to != sk) {
        sock_put(to);
        return -EPERM;                       /* it listens to someone else */
    }
    if (sk->peer)
        sock_put(sk->peer);
    sk->peer = to;                           /* the reference from unix_find */
    return 0;
}

/* Connect sk to the socket named by a; a datagram socket given AF_UNSPEC
 * forgets its peer. nonblock: -EAGAIN rather than waiting for room in a
 * full backlog. */
static int unix_connect(struct sock *sk, union sock_addr *a, uint32_t len, bool nonblock)
{
    if (sk->type == SOCK_DGRAM && len >= 2 && a->family == AF_UNSPEC) {
        if (sk->peer)
            sock_put(sk->peer);
        sk->peer = 0;
        return 0;
    }
    int r = unix_addr_check(&a->un, &len);
    if (r < 0)
        return r;
    if (sk->type != SOCK_DGRAM && sk->state == SS_CONNECTED)
        return -EISCONN;
    if (sk->state == SS_LISTENING)
        return -EINVAL;
    struct sock *to;
    if ((r = unix_find(&a->un, len, &to)) < 0)
        return r;
    if (sk->type == SOCK_DGRAM)
        return dgram_connect(sk, to);
    return sock_connect_to(sk, to, nonblock);
}

/* One datagram to io's address, or else to sk's peer: waits (unless
 * nonblocking) while the receiver's queue is full. Bytes sent or -errno:
 * ENOTCONN, ECONNREFUSED (the peer closed), EPERM (the receiver is connected
 * to another), EPROTOTYPE, EMSGSIZE, EAGAIN. */
static long dgram_send(struct sock *sk, struct file *f, struct sock_io *io)
{
    struct sock *to;
    int r;
    if (io->addrlen) {
        if ((r = unix_addr_check(&io->addr.un, &io->addrlen)) < 0 ||
            (r = unix_find(&io->addr.un, io->addrlen, &to)) < 0)
            return r;
        if (to->type != SOCK_DGRAM)
            r = -EPROTOTYPE;
        else if (to->peer && to->peer != sk && to != sk)
            r = -EPERM;                      /* it is connected to another */
    } else {
        if (!sk->peer)
            return -ENOTCONN;
        to = sock_get(sk->peer);
        if (to->closed) {
            /* The peer closed: forget it, as Linux does. */
            sock_put(sk->peer);
            sk->peer = 0;
            r = -ECONNREFUSED;
        } else {
            r = 0;
        }
    }
    if (r == 0 && io->total > sk->sndbuf)
        r = -EMSGSIZE;
    while (r == 0 && !sock_has_room(to, io->total)) {
        if (to->closed)
            r = -ECONNREFUSED;
        else if (sock_io_nonblock(f, io))
            r = -EAGAIN;
        else
            r = sock_wait(to, io->deadline);
    }
    if (r == 0 && (to->closed || (to->shutdown & SHUT_RCV_MASK)))
        r = to->closed ? -ECONNREFUSED : -EPIPE;
    struct sock_msg *m;
    if (r == 0 && (r = sock_make_msg(sk, io, 0, io->total, true, &m)) == 0)
        sock_enqueue(to, m);
    sock_put(to);
    return r < 0 ? r : (long)io->total;
}


static long unix_send(struct sock *sk, struct file *f, struct sock_io *io)
{
    if (io->flags & MSG_OOB)
        return -EOPNOTSUPP;
    io->deadline = sock_deadline(sk->sndtimeo);
    if (sk->type == SOCK_DGRAM)
        return dgram_send(sk, f, io);
    if (io->addrlen && sk->type == SOCK_STREAM)
        return sk->state == SS_CONNECTED ? -EISCONN : -EOPNOTSUPP;
    return sock_stream_send(sk, f, io);
}

static long unix_recv(struct sock *sk, struct file *f, struct sock_io *io)
{
    if (io->flags & MSG_OOB)
        return -EOPNOTSUPP;
    io->deadline = sock_deadline(sk->rcvtimeo);
    if (sk->type == SOCK_STREAM)
        return sock_stream_recv(sk, f, io);
    return sock_packet_recv(sk, f, io);
}

/* A socket's own name or its peer's: a socket with no name is the family
 * alone (2 bytes). */
static int unix_getname(struct sock *sk, bool peer, union sock_addr *a, uint32_t *len)
{
    struct sock *s = peer ? sk->peer : sk;
    if (!s)
        return -ENOTCONN;
    if (!s->addrlen) {
        a->family = AF_UNIX;
        *len = SUN_PATH_OFFSET;
        return 0;
    }
    *a = s->addr;
    *len = s->addrlen;
    return 0;
}

/* Would a send wait? The peer's queue (or, unconnected, none) is full. */
static bool unix_send_waits(struct sock *sk)
{
    struct sock *to = sk->peer;
    if (!to)
        return sk->type != SOCK_DGRAM && sk->state == SS_CONNECTED;
    if (to->closed)
        return false;
    if (sk->type == SOCK_DGRAM && to->nmsgs > SOCK_DGRAM_QLEN)
        return true;
    return to->queued >= to->rcvbuf;
}

const struct sock_ops unix_ops = {
    .family = AF_UNIX,
    .bind = unix_bind_op,
    .connect = unix_connect,
    .listen = unix_listen,
    .shutdown = sock_shutdown,
    .send = unix_send,
    .recv = unix_recv,
    .getname = unix_getname,
    .unbind = unix_unbind,
    .send_waits = unix_send_waits,
};
