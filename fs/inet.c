/* inet.c: the Internet family (AF_INET) on the loopback: TCP and UDP
 * between programs of this machine.
 *
 * bunshin has no network card, only Linux's "lo": every address 127.x.y.z
 * is this machine, and nothing else is reachable (ENETUNREACH). So there
 * are no packets here. A TCP connection is a pair of stream sockets,
 * connected as AF_UNIX streams are (sock_conn.c): what the handshake,
 * the window and the retransmissions achieve on Linux's loopback, the
 * queue of the receiving socket gives directly. UDP datagrams go straight
 * onto the receiving socket's queue (inet_io.c). What is TCP's or UDP's
 * own is what a program sees of them:
 *   - names are an address and a port; bind takes port 0 to mean "any",
 *     and a socket that connects, sends or listens unbound gets a port of
 *     the ephemeral range (autobind);
 *   - ports conflict as Linux decides (SO_REUSEADDR, SO_REUSEPORT);
 *   - a non-blocking TCP connect says EINPROGRESS and finishes at once,
 *     or fails later through SO_ERROR (ECONNREFUSED), as on the loopback;
 *   - the options of IPPROTO_IP and IPPROTO_TCP are kept and read back.
 * Addresses and ports are kept in network byte order, as in sockaddr_in.
 */
#include "fs/socket.h"
#include "kernel/cred.h"
#include "kernel/random.h"
#include "linux/errno.h"
#include "lib/string.h"

#define PORT_FIRST_EPHEMERAL 32768   /* Linux's net.ipv4.ip_local_port_range */
#define PORT_LAST_EPHEMERAL  60999
#define PORT_PRIVILEGED      1024    /* below it, only root may bind */
#define TTL_DEFAULT          64      /* net.ipv4.ip_default_ttl */
#define TCP_MSS_DEFAULT      536     /* TCP_MAXSEG before a connection */
#define TCP_MSS_LOOPBACK     32768   /* ...and on lo: half the largest window */
#define TCP_KEEPIDLE_DEFAULT 7200
#define TCP_KEEPINTVL_DEFAULT 75
#define TCP_KEEPCNT_DEFAULT  9
#define TCP_RCVBUF_DEFAULT   131072  /* net.ipv4.tcp_rmem's middle value */
#define TCP_SNDBUF_DEFAULT   16384   /* net.ipv4.tcp_wmem's */

static struct sock *port_list;       /* every AF_INET socket holding a port */
static uint32_t next_ephemeral;      /* where the next search for a free port starts */

/* Network byte order (big-endian) to the host's, and back: the same swap. */
static uint16_t swap16(uint16_t x)
{
    return (uint16_t)((x >> 8) | (x << 8));
}

static uint32_t swap32(uint32_t x)
{
    return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
}

bool inet_addr_local(uint32_t addr)
{
    uint32_t host = swap32(addr);
    return host == INADDR_ANY || (host >> 24) == 127;
}

int inet_check_type(int type, int protocol, int *kind, int *proto)
{
    int want;
    if (type == SOCK_STREAM)
        want = IPPROTO_TCP;
    else if (type == SOCK_DGRAM)
        want = IPPROTO_UDP;
    else if (type == SOCK_RAW)
        return current_cred()->euid == 0 ? -EPROTONOSUPPORT : -EPERM;
    else
        return -ESOCKTNOSUPPORT;
    if (type == SOCK_DGRAM && protocol == IPPROTO_ICMP)
        return -EACCES;                      /* ping sockets: net.ipv4.ping_group_range "1 0" */
    if (protocol != 0 && protocol != want)
        return -EPROTONOSUPPORT;
    *kind = type;
    *proto = want;
    return 0;
}

struct sock *inet_ports(void)
{
    return port_list;
}

void inet_init(struct sock *sk, int protocol)
{
    sk->protocol = protocol;
    if (protocol == IPPROTO_TCP) {
        sk->rcvbuf = TCP_RCVBUF_DEFAULT;
        sk->sndbuf = TCP_SNDBUF_DEFAULT;
    }
}

static uint32_t local_addr(const struct sock *s)
{
    return s->addrlen ? s->addr.in.sin_addr.s_addr : 0;
}

static uint16_t local_port(const struct sock *s)
{
    return s->addrlen ? s->addr.in.sin_port : 0;
}

/* May sk bind addr:port (network order) beside s, which holds that port?
 * Linux's rule: not if their addresses overlap (equal, or either is
 * 0.0.0.0), unless both asked SO_REUSEPORT, or both asked SO_REUSEADDR and
 * s is not listening. */
static bool ports_conflict(const struct sock *sk, const struct sock *s, uint32_t addr)
{
    uint32_t other = local_addr(s);
    if (addr != 0 && other != 0 && addr != other)
        return false;
    if (sk->reuseport && s->reuseport)
        return false;
    if (sk->reuseaddr && s->reuseaddr && s->state != SS_LISTENING)
        return false;
    return true;
}

/* Is port (network order) taken for sk at addr? */
static bool port_taken(const struct sock *sk, uint32_t addr, uint16_t port)
{
    for (struct sock *s = port_list; s; s = s->next_port)
        if (s != sk && s->protocol == sk->protocol && local_port(s) == port &&
            ports_conflict(sk, s, addr))
            return true;
    return false;
}

/* Give sk the name addr:port and put it on the list. */
static void take_port(struct sock *sk, uint32_t addr, uint16_t port)
{
    memset(&sk->addr, 0, sizeof sk->addr);
    sk->addr.in.sin_family = AF_INET;
    sk->addr.in.sin_port = port;
    sk->addr.in.sin_addr.s_addr = addr;
    sk->addrlen = sizeof(struct sockaddr_in);
    sk->next_port = port_list;
    port_list = sk;
}

/* A port of the ephemeral range that no socket of sk's protocol holds, in
 * network order, or 0. (One that SO_REUSEADDR would let sk share is not
 * chosen: a port picked for it should be its own.) */
static uint16_t ephemeral_port(struct sock *sk)
{
    uint32_t range = PORT_LAST_EPHEMERAL - PORT_FIRST_EPHEMERAL + 1;
    if (!next_ephemeral)                     /* a start that differs from boot to boot */
        next_ephemeral = 1 + random_below(range - 1);
    for (uint32_t i = 0; i < range; i++) {
        uint16_t port = swap16((uint16_t)(PORT_FIRST_EPHEMERAL + next_ephemeral++ % range));
        struct sock *s = port_list;
        while (s && !(s->protocol == sk->protocol && local_port(s) == port))
            s = s->next_port;
        if (!s)
            return port;
    }
    return 0;
}

int inet_autobind(struct sock *sk)
{
    if (sk->addrlen)
        return 0;
    uint16_t port = ephemeral_port(sk);
    if (!port)
        return -EAGAIN;                      /* Linux's answer when the range is used up */
    take_port(sk, 0, port);
    return 0;
}

/* bind: Linux's order of checks (__inet_bind). */
static int inet_bind(struct sock *sk, union sock_addr *a, uint32_t len)
{
    if (len < sizeof(struct sockaddr_in))
        return -EINVAL;
    uint32_t addr = a->in.sin_addr.s_addr;
    if (a->family != AF_INET && !(a->family == AF_UNSPEC && addr == 0))
        return -EAFNOSUPPORT;
    if (!inet_addr_local(addr))
        return -EADDRNOTAVAIL;
    uint16_t port = a->in.sin_port;
    if (port && swap16(port) < PORT_PRIVILEGED && !cred_privileged(current_cred()))
        return -EACCES;
    if (sk->addrlen || sk->state != SS_UNCONNECTED)
        return -EINVAL;
    if (!port && !(port = ephemeral_port(sk)))
        return -EADDRINUSE;
    if (port_taken(sk, addr, port))
        return -EADDRINUSE;
    take_port(sk, addr, port);
    sk->port_chosen = a->in.sin_port != 0;
    sk->addr_chosen = addr != 0;
    return 0;
}

static void inet_unbind(struct sock *sk)
{
    for (struct sock **pp = &port_list; *pp; pp = &(*pp)->next_port) {
        if (*pp == sk) {
            *pp = sk->next_port;
            break;
        }
    }
    sk->next_port = 0;
}

void inet_source(struct sock *sk, struct sockaddr_in *src)
{
    memset(src, 0, sizeof *src);
    src->sin_family = AF_INET;
    src->sin_port = local_port(sk);
    src->sin_addr.s_addr = local_addr(sk) ? local_addr(sk) : swap32(INADDR_LOOPBACK);
}

/* A destination as connect and sendto take it: 0.0.0.0 means this machine
 * (Linux sends it to 127.0.0.1); anything not 127.x.y.z is unreachable. */
static int inet_destination(struct sockaddr_in *dst)
{
    if (dst->sin_addr.s_addr == 0)
        dst->sin_addr.s_addr = swap32(INADDR_LOOPBACK);
    return inet_addr_local(dst->sin_addr.s_addr) ? 0 : -ENETUNREACH;
}

struct sock *inet_udp_find(const struct sockaddr_in *dst, const struct sockaddr_in *src)
{
    for (struct sock *s = port_list; s; s = s->next_port) {
        if (s->protocol != IPPROTO_UDP || local_port(s) != dst->sin_port || s->closed)
            continue;
        if (local_addr(s) && local_addr(s) != dst->sin_addr.s_addr)
            continue;
        /* A connected UDP socket takes datagrams from its peer only. */
        if (s->has_remote && (s->remote.sin_port != src->sin_port ||
                              s->remote.sin_addr.s_addr != src->sin_addr.s_addr))
            continue;
        return s;
    }
    return 0;
}

/* The TCP socket listening at dst, or NULL. */
static struct sock *tcp_find_listener(const struct sockaddr_in *dst)
{
    for (struct sock *s = port_list; s; s = s->next_port)
        if (s->protocol == IPPROTO_TCP && s->state == SS_LISTENING && !s->closed &&
            local_port(s) == dst->sin_port &&
            (!local_addr(s) || local_addr(s) == dst->sin_addr.s_addr))
            return s;
    return 0;
}

/* sk, bound to every address, now sends from 127.0.0.1 and is named so
 * (Linux fixes a connected socket's source address). */
static void fix_source(struct sock *sk)
{
    if (sk->addrlen && !sk->addr.in.sin_addr.s_addr)
        sk->addr.in.sin_addr.s_addr = swap32(INADDR_LOOPBACK);
}

/* What SO_PEERCRED says with no peer to tell of: pid 0, ids -1 (Linux's
 * answer for every AF_INET socket). */
static void no_peercred(struct sock *s)
{
    s->peercred.pid = 0;
    s->peercred.uid = s->peercred.gid = (uint32_t)-1;
}

/* The server's end of a new connection, made by sock_connect_to: it holds
 * the port at the address the client asked, sees the client as its peer,
 * and inherits the listener's options, as Linux's accepted sockets do. */
static void tcp_server_end(struct sock *server, struct sock *listener, struct sock *client,
                           const struct sockaddr_in *dst)
{
    inet_source(client, &server->remote);
    server->has_remote = true;
    server->addrlen = 0;
    take_port(server, dst->sin_addr.s_addr, dst->sin_port);
    server->reuseaddr = listener->reuseaddr;
    server->reuseport = listener->reuseport;
    server->keepalive = listener->keepalive;
    server->linger = listener->linger;
    server->rcvbuf = listener->rcvbuf;
    server->sndbuf = listener->sndbuf;
    server->ip_tos = listener->ip_tos;
    server->ip_ttl = listener->ip_ttl;
    server->tcp_nodelay = listener->tcp_nodelay;
    server->tcp_keepidle = listener->tcp_keepidle;
    server->tcp_keepintvl = listener->tcp_keepintvl;
    server->tcp_keepcnt = listener->tcp_keepcnt;
}

static int tcp_connect(struct sock *sk, struct sockaddr_in *dst, bool nonblock)
{
    if (sk->connecting) {
        /* After EINPROGRESS, the next connect reports how it went: made,
         * or refused (the error, or ECONNABORTED once SO_ERROR took it). */
        sk->connecting = false;
        if (sk->state == SS_CONNECTED)
            return 0;
        int e = sk->error ? sk->error : ECONNABORTED;
        sk->error = 0;
        return -e;
    }
    if (sk->state != SS_UNCONNECTED)
        return -EISCONN;                     /* connected, or listening */
    int r = inet_autobind(sk);
    if (r < 0)
        return r;
    struct sock *listener = tcp_find_listener(dst);
    if (!listener) {
        if (!nonblock)
            return -ECONNREFUSED;
        sk->error = ECONNREFUSED;            /* the reset comes back after connect returns */
        sk->connecting = true;
        sock_wake(sk);
        return -EINPROGRESS;
    }
    r = sock_connect_to(sk, sock_get(listener), nonblock);
    if (r < 0)
        return r;
    fix_source(sk);
    sk->remote = *dst;
    sk->has_remote = true;
    tcp_server_end(sk->peer, listener, sk, dst);
    /* SO_PEERCRED is AF_UNIX's: a TCP peer could be on another machine. */
    no_peercred(sk);
    no_peercred(sk->peer);
    /* A non-blocking connect cannot finish on the spot on Linux, even on
     * the loopback; here it has, so poll says writable at once. */
    sk->connecting = nonblock;
    return nonblock ? -EINPROGRESS : 0;
}

/* A UDP socket forgets its peer, and what connect chose for it: the source
 * address fixed then, and a port bind did not name (Linux's
 * __udp_disconnect): getsockname says 0.0.0.0:0 again. */
static void udp_disconnect(struct sock *sk)
{
    sk->has_remote = false;
    sk->state = SS_UNCONNECTED;
    if (!sk->addrlen)
        return;
    if (!sk->addr_chosen)
        sk->addr.in.sin_addr.s_addr = 0;
    if (!sk->port_chosen) {
        inet_unbind(sk);
        sk->addrlen = 0;
    }
}

/* connect: AF_UNSPEC takes a UDP socket's peer away (a TCP socket is left
 * as it is: Linux would abort its connection). */
static int inet_connect(struct sock *sk, union sock_addr *a, uint32_t len, bool nonblock)
{
    if (len < sizeof a->family)
        return -EINVAL;
    if (a->family == AF_UNSPEC) {
        if (sk->type == SOCK_DGRAM)
            udp_disconnect(sk);
        return 0;
    }
    if (len < sizeof(struct sockaddr_in))
        return -EINVAL;
    if (a->family != AF_INET)
        return -EAFNOSUPPORT;
    struct sockaddr_in dst = a->in;
    int r = inet_destination(&dst);
    if (r < 0)
        return r;
    if (sk->type == SOCK_STREAM)
        return tcp_connect(sk, &dst, nonblock);
    if ((r = inet_autobind(sk)) < 0)
        return r;
    fix_source(sk);
    sk->remote = dst;
    sk->has_remote = true;
    sk->state = SS_CONNECTED;
    return 0;
}

/* listen: only TCP; an unbound socket gets a port on every address. Two
 * sockets that shared a port by SO_REUSEADDR cannot both listen on it. */
static int inet_listen(struct sock *sk, int backlog)
{
    if (sk->type != SOCK_STREAM)
        return -EOPNOTSUPP;
    if (sk->state == SS_CONNECTED || sk->closed)
        return -EINVAL;
    int r = inet_autobind(sk);
    if (r < 0)
        return r;
    if (sk->state != SS_LISTENING) {
        for (struct sock *s = port_list; s; s = s->next_port)
            if (s != sk && s->protocol == IPPROTO_TCP && s->state == SS_LISTENING &&
                local_port(s) == local_port(sk) &&
                !(sk->reuseport && s->reuseport) &&
                (!local_addr(s) || !local_addr(sk) || local_addr(s) == local_addr(sk)))
                return -EADDRINUSE;
    }
    r = sock_listen(sk, backlog);
    no_peercred(sk);
    return r;
}

/* shutdown, as Linux's inet_shutdown: a listener shut for reading stops
 * listening (a thread blocked in accept gets EINVAL: the way to wake it);
 * a socket with no peer is ENOTCONN, though the flags are set all the same. */
static int inet_shutdown(struct sock *sk, int how)
{
    if (how < SHUT_RD || how > SHUT_RDWR)
        return -EINVAL;
    if (sk->state == SS_LISTENING) {
        if (how != SHUT_WR)
            sock_unlisten(sk);
        return 0;
    }
    bool connected = sk->type == SOCK_STREAM ? sk->state == SS_CONNECTED : sk->has_remote;
    if (!connected) {
        sk->shutdown |= (uint32_t)how + 1;
        sock_wake(sk);
        return -ENOTCONN;
    }
    return sock_shutdown(sk, how);
}

static int inet_getname(struct sock *sk, bool peer, union sock_addr *a, uint32_t *len)
{
    memset(a, 0, sizeof *a);
    *len = sizeof(struct sockaddr_in);
    if (peer) {
        if (!sk->has_remote || (sk->type == SOCK_STREAM && sk->reset))
            return -ENOTCONN;
        a->in = sk->remote;
        return 0;
    }
    a->in.sin_family = AF_INET;
    a->in.sin_port = local_port(sk);
    a->in.sin_addr.s_addr = local_addr(sk);
    return 0;
}

/* A UDP send never waits (a full receiver drops the datagram); a TCP one
 * waits while its peer's queue is full. */
static bool inet_send_waits(struct sock *sk)
{
    struct sock *to = sk->peer;
    if (sk->type == SOCK_DGRAM || sk->state != SS_CONNECTED || !to || to->closed)
        return false;
    return to->queued >= to->rcvbuf;
}

/* A keepalive setting: 1 to max, else EINVAL. */
static int set_range(int32_t *field, int32_t v, int32_t max)
{
    if (v < 1 || v > max)
        return -EINVAL;
    *field = v;
    return 0;
}

/* Options at IPPROTO_IP and IPPROTO_TCP, all ints. An option never set
 * reads as Linux's default. Unknown levels: EOPNOTSUPP to get, ENOPROTOOPT
 * to set, as Linux's ip_getsockopt and ip_setsockopt answer. */
static int inet_option(struct sock *sk, int level, int name, int32_t *v, bool set)
{
    if (level == IPPROTO_IP) {
        switch (name) {
        case IP_TOS:
            if (set)
                sk->ip_tos = *v & 0xff & (sk->type == SOCK_STREAM ? ~3 : ~0);
            else
                *v = sk->ip_tos;
            return 0;
        case IP_TTL:
            if (set && *v != -1 && (*v < 1 || *v > 255))
                return -EINVAL;
            if (set)
                sk->ip_ttl = *v == -1 ? 0 : *v;
            else
                *v = sk->ip_ttl ? sk->ip_ttl : TTL_DEFAULT;
            return 0;
        default:
            return -ENOPROTOOPT;
        }
    }
    if (level != IPPROTO_TCP || sk->type != SOCK_STREAM)
        return set ? -ENOPROTOOPT : -EOPNOTSUPP;
    switch (name) {
    case TCP_NODELAY:
        if (set)
            sk->tcp_nodelay = *v != 0;
        else
            *v = sk->tcp_nodelay;
        return 0;
    case TCP_CORK:
        if (set)
            sk->tcp_cork = *v != 0;
        else
            *v = sk->tcp_cork;
        return 0;
    case TCP_MAXSEG:
        if (set)
            return *v == 0 || (*v >= 88 && *v <= 65535) ? 0 : -EINVAL;
        *v = sk->state == SS_CONNECTED ? TCP_MSS_LOOPBACK : TCP_MSS_DEFAULT;
        return 0;
    case TCP_KEEPIDLE:
        if (set)
            return set_range(&sk->tcp_keepidle, *v, 32767);
        *v = sk->tcp_keepidle ? sk->tcp_keepidle : TCP_KEEPIDLE_DEFAULT;
        return 0;
    case TCP_KEEPINTVL:
        if (set)
            return set_range(&sk->tcp_keepintvl, *v, 32767);
        *v = sk->tcp_keepintvl ? sk->tcp_keepintvl : TCP_KEEPINTVL_DEFAULT;
        return 0;
    case TCP_KEEPCNT:
        if (set)
            return set_range(&sk->tcp_keepcnt, *v, 127);
        *v = sk->tcp_keepcnt ? sk->tcp_keepcnt : TCP_KEEPCNT_DEFAULT;
        return 0;
    default:
        return -ENOPROTOOPT;
    }
}

const struct sock_ops inet_ops = {
    .family = AF_INET,
    .bind = inet_bind,
    .connect = inet_connect,
    .listen = inet_listen,
    .shutdown = inet_shutdown,
    .send = inet_send,
    .recv = inet_recv,
    .getname = inet_getname,
    .unbind = inet_unbind,
    .send_waits = inet_send_waits,
    .option = inet_option,
};
