/* sock_conn.c: connections between stream sockets, of either family.
 *
 * A stream (or seqpacket) socket is connected by socketpair, or by connect
 * to a listening socket. Here, as on Linux for AF_UNIX (and as TCP's
 * handshake on the loopback ends up), connect does not wait for accept:
 * it makes the server's end of the connection at once, connects the two
 * and queues the server's end on the listener, where accept finds it. So
 * data sent before accept waits in that end's queue. connect waits only
 * while the listener's queue is full (more than its backlog).
 *
 * How a family finds the listener (a path, a port) is its own business
 * (unix.c, inet.c); from then on the two share every line here.
 */
#include "fs/socket.h"
#include "linux/errno.h"

void sock_connect_pair(struct sock *a, struct sock *b)
{
    a->peer = sock_get(b);
    b->peer = sock_get(a);
    a->state = b->state = SS_CONNECTED;
}

int sock_listen(struct sock *sk, int backlog)
{
    if ((uint32_t)backlog > SOCK_MAX_BACKLOG)
        backlog = SOCK_MAX_BACKLOG;          /* Linux's somaxconn; negative too */
    sk->backlog = (uint32_t)backlog;
    sk->state = SS_LISTENING;
    sock_current_cred(&sk->peercred);        /* what connectors will see */
    sock_wake(sk);                           /* a bigger backlog: connectors go on */
    return 0;
}

int sock_connect_to(struct sock *sk, struct sock *to, bool nonblock)
{
    uint64_t deadline = sock_deadline(sk->sndtimeo);
    int r = to->type != sk->type ? -EPROTOTYPE : 0;
    /* Wait for room in the listener's queue: Linux waits while it holds
     * more than backlog (so backlog 0 takes one). */
    while (r == 0) {
        if (to->state != SS_LISTENING || to->closed) {
            r = -ECONNREFUSED;
            break;
        }
        if (to->npending <= to->backlog)
            break;
        if (nonblock)
            r = -EAGAIN;
        else
            r = sock_wait(to, deadline);
    }
    if (r == 0 && sk->state == SS_CONNECTED)
        r = -EISCONN;                        /* another thread got there first */
    struct sock *server = r == 0 ? sock_new(sk->ops, sk->type) : 0;
    if (r == 0 && !server)
        r = -ENOMEM;
    if (r < 0) {
        sock_put(to);
        return r;
    }
    /* The server's end: named as the listener is, and seeing the
     * connector's credentials; the connector sees the listener's. */
    sock_connect_pair(sk, server);
    server->protocol = to->protocol;
    server->addr = to->addr;
    server->addrlen = to->addrlen;
    sock_current_cred(&server->peercred);
    sk->peercred = to->peercred;
    /* The listener's queue takes server's own reference. */
    if (to->pending_tail)
        to->pending_tail->next_pending = server;
    else
        to->pending_head = server;
    to->pending_tail = server;
    to->npending++;
    sock_wake(to);
    sock_put(to);
    return 0;
}

int sock_accept(struct sock *sk, bool nonblock, struct sock **out)
{
    if (sk->type == SOCK_DGRAM)
        return -EOPNOTSUPP;
    if (sk->state != SS_LISTENING)
        return -EINVAL;
    uint64_t deadline = sock_deadline(sk->rcvtimeo);
    while (!sk->pending_head) {
        if (nonblock)
            return -EAGAIN;
        int r = sock_wait(sk, deadline);
        if (r < 0)
            return r;
        if (sk->state != SS_LISTENING)
            return -EINVAL;
    }
    struct sock *s = sk->pending_head;
    sk->pending_head = s->next_pending;
    if (!sk->pending_head)
        sk->pending_tail = 0;
    s->next_pending = 0;
    sk->npending--;
    sock_wake(sk);                           /* room for a waiting connect */
    *out = s;                                /* the queue's reference */
    return 0;
}

/* shutdown: this end stops receiving (SHUT_RD) or sending (SHUT_WR); a
 * connected peer sees the mirror image (our SHUT_WR is its end of file). */
int sock_shutdown(struct sock *sk, int how)
{
    if (how < SHUT_RD || how > SHUT_RDWR)
        return -EINVAL;
    uint32_t mask = (uint32_t)how + 1;       /* SHUT_RD 1, SHUT_WR 2, both 3 */
    sk->shutdown |= mask;
    sock_wake(sk);
    struct sock *p = sk->peer;
    if (p && sk->type != SOCK_DGRAM) {
        uint32_t mirror = 0;
        if (mask & SHUT_RCV_MASK)
            mirror |= SHUT_SEND_MASK;
        if (mask & SHUT_SEND_MASK)
            mirror |= SHUT_RCV_MASK;
        /* TCP: our SHUT_RD sends nothing; the peer may go on sending. */
        if (sk->ops->family == AF_INET)
            mirror &= SHUT_RCV_MASK;
        p->shutdown |= mirror;
        sock_wake(p);
    }
    return 0;
}

static void release_sock(struct sock *sk, bool embryo);

void sock_unlisten(struct sock *sk)
{
    struct sock *s;
    while ((s = sk->pending_head)) {
        sk->pending_head = s->next_pending;
        s->next_pending = 0;
        release_sock(s, true);
        sock_put(s);
    }
    sk->pending_tail = 0;
    sk->npending = 0;
    if (sk->state == SS_LISTENING)
        sk->state = SS_UNCONNECTED;
    sock_wake(sk);
}

/* sk goes away; embryo: it is a connection its listener never accepted
 * (its connector then reads ECONNRESET, as when unread data is lost). */
static void release_sock(struct sock *sk, bool embryo)
{
    /* Bytes lost unread reset the connection; so does a TCP close with
     * SO_LINGER on and a time of 0 (Linux's way to abort at once). */
    bool unread = sk->head != 0 ||
                  (sk->ops->family == AF_INET && sk->linger.l_onoff && !sk->linger.l_linger);
    sk->closed = true;
    sk->shutdown = SHUT_RCV_MASK | SHUT_SEND_MASK;
    sk->ops->unbind(sk);
    /* Connections never accepted are refused now: their connectors read
     * ECONNRESET. */
    sock_unlisten(sk);
    struct sock *p = sk->peer;
    if (p) {
        if (sk->type != SOCK_DGRAM) {
            if (unread || embryo) {
                p->shutdown = SHUT_RCV_MASK | SHUT_SEND_MASK;
                p->error = ECONNRESET;
                p->reset = true;
            } else if (sk->ops->family == AF_INET) {
                /* TCP's FIN: the peer reads end of file and may still
                 * write once (inet_io.c: the reset comes back). */
                p->shutdown |= SHUT_RCV_MASK;
            } else {
                p->shutdown = SHUT_RCV_MASK | SHUT_SEND_MASK;
            }
        }
        sk->peer = 0;
        sock_wake(p);
        sock_put(p);
    }
    /* What was sent to it and never read goes, descriptors and all. */
    struct sock_msg *m;
    while ((m = sock_dequeue(sk)))
        sock_msg_free(m);
    sock_wake(sk);
}

void sock_release_conn(struct sock *sk)
{
    release_sock(sk, false);
}
