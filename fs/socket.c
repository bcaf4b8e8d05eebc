/* socket.c: the socket object (fs/socket.h): a nameless S_IFSOCK inode whose
 * private part is a struct sock, the file_ops of its open file, its queue
 * of received messages, the socket options, and addresses copied in and
 * out. What a family does differently is behind sk->ops.
 *
 * References: a sock lives as long as its inode. Its open file holds one;
 * a connected peer holds one (sk->peer points at the other sock and owns a
 * reference to its inode); a listener holds one for each connection not yet
 * accepted. Closing the file (sock_release) lets go of the peer at once, so
 * two connected sockets never keep each other alive.
 */
#include "fs/socket.h"
#include "fs/poll.h"
#include "fs/sys_common.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/cred.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/poll.h"
#include "linux/termios.h"
#include "lib/string.h"
#include "drivers/timer.h"
#include "param.h"

static const struct file_ops sock_ops;
struct sock *sock_all;

struct sock *sock_of_file(struct file *f)
{
    if (f->ops != &sock_ops)
        return 0;
    return f->inode->priv;
}

int sock_lookup(int fd, struct file **f, struct sock **sk)
{
    *f = fd_lookup(fds(), fd);
    if (!*f)
        return -EBADF;
    *sk = sock_of_file(*f);
    return *sk ? 0 : -ENOTSOCK;
}

struct sock *sock_get(struct sock *sk)
{
    inode_get(sk->inode);
    return sk;
}

void sock_put(struct sock *sk)
{
    inode_put(sk->inode);
}

void sock_wake(struct sock *sk)
{
    wakeup(sk);
    poll_wake();
}

uint64_t sock_deadline(int64_t timeo)
{
    return timeo < 0 ? 0 : timer_ticks() + (uint64_t)timeo;
}

int sock_wait(struct sock *sk, uint64_t deadline)
{
    if (deadline && timer_ticks() >= deadline)
        return -EAGAIN;
    if (signal_pending(current_proc()))
        return deadline ? -EINTR : -ERESTARTSYS;
    sleep_on_until(sk, deadline);
    return 0;
}

void sock_current_cred(struct ucred *c)
{
    const struct cred *cr = current_cred();
    c->pid = current_proc()->tgid;
    c->uid = cr->euid;
    c->gid = cr->egid;
}

void sock_sender_cred(struct ucred *c)
{
    const struct cred *cr = current_cred();
    c->pid = current_proc()->tgid;
    c->uid = cr->uid;
    c->gid = cr->gid;
}

struct sock_msg *sock_msg_new(uint32_t len)
{
    struct sock_msg *m = kmalloc(sizeof *m + (len ? len : 1));
    if (!m)
        return 0;
    memset(m, 0, sizeof *m);
    m->len = len;
    return m;
}

void sock_msg_free(struct sock_msg *m)
{
    scm_release(&m->scm);
    kfree(m);
}

void sock_enqueue(struct sock *sk, struct sock_msg *m)
{
    m->next = 0;
    if (sk->tail)
        sk->tail->next = m;
    else
        sk->head = m;
    sk->tail = m;
    sk->queued += m->len;
    sk->nmsgs++;
    sock_wake(sk);
}

struct sock_msg *sock_dequeue(struct sock *sk)
{
    struct sock_msg *m = sk->head;
    if (!m)
        return 0;
    sk->head = m->next;
    if (!sk->head)
        sk->tail = 0;
    sk->queued -= m->len - m->taken;
    sk->nmsgs--;
    sock_wake(sk);                 /* room for writers */
    return m;
}

/* The inode is going: whatever is still queued goes with it (its
 * descriptors released). sock_release_conn ran when its file closed, or
 * runs now for a connection that was never accepted. */
static void sock_destroy(struct inode *ip)
{
    struct sock *sk = ip->priv;
    if (!sk->closed)
        sock_release_conn(sk);
    struct sock_msg *m;
    while ((m = sock_dequeue(sk)))
        sock_msg_free(m);
    struct sock **pp = &sock_all;
    while (*pp != sk)
        pp = &(*pp)->next_all;
    *pp = sk->next_all;
}

static const struct inode_ops sock_inode_ops = {
    .destroy = sock_destroy,
};

struct sock *sock_new(const struct sock_ops *ops, int type)
{
    struct inode *ip = inode_new(S_IFSOCK | 0777, &sock_inode_ops, sizeof(struct sock));
    if (!ip)
        return 0;
    inode_init_owner(ip, 0);
    ip->fops = &sock_ops;
    struct sock *sk = ip->priv;
    sk->ops = ops;
    sk->inode = ip;
    sk->type = type;
    sk->state = SS_UNCONNECTED;
    sk->sndbuf = sk->rcvbuf = SOCK_BUF_DEFAULT;
    sk->peercred.uid = sk->peercred.gid = (uint32_t)-1;  /* no peer: Linux's answer */
    sk->rcvtimeo = sk->sndtimeo = -1;
    sk->next_all = sock_all;
    sock_all = sk;
    return sk;
}

int sock_open_file(struct sock *sk, uint32_t flags, struct file **out)
{
    sk->opening = true;
    int r = file_open(sk->inode, O_RDWR | (flags & O_NONBLOCK), out);
    sk->opening = false;
    if (r == 0)
        sk->file = *out;
    return r;
}

/* ---- the open file ---- */

/* A socket has one open file, the one socket() or accept() made: any other
 * open of its inode is ENXIO, as Linux answers an open of
 * /proc/<pid>/fd/N for a socket (bunshin's fd links are not opened through
 * today, but closing a second file would take the socket down with it). */
static int sock_fopen(struct file *f)
{
    struct sock *sk = f->inode->priv;
    return sk->opening && !sk->file ? 0 : -ENXIO;
}

static void sock_release(struct file *f)
{
    struct sock *sk = f->inode->priv;
    sk->file = 0;
    sock_release_conn(sk);         /* descriptors in flight go back too */
    unix_gc();                     /* and cycles that only this kept going */
}

/* What is left of f may all be in flight: look for a cycle. */
static void sock_dropped(struct file *f)
{
    struct sock *sk = f->inode->priv;
    if (sk->inflight && (uint32_t)f->refs == sk->inflight)
        unix_gc();
}

/* read and write are recv and send with no flags and one buffer. */
static long sock_rw(struct file *f, void *buf, uint32_t n, bool user, bool write)
{
    struct sock_io io;
    struct iovec_32 iov = { (uint32_t)buf, n };
    memset(&io, 0, sizeof io);
    io.iov = &iov;
    io.niov = 1;
    io.total = n;
    io.kernel = !user;
    struct sock *sk = f->inode->priv;
    if (write)
        return sk->ops->send(sk, f, &io);
    long r = sk->ops->recv(sk, f, &io);
    scm_release(&io.scm);          /* descriptors read(2) cannot take are closed */
    return r;
}

static long sock_read(struct file *f, void *buf, uint32_t n, bool user)
{
    return sock_rw(f, buf, n, user, false);
}

static long sock_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    return sock_rw(f, (void *)buf, n, user, true);
}

/* What poll sees, as Linux's unix_poll, unix_dgram_poll, tcp_poll and
 * udp_poll answer. */
static uint32_t sock_poll(struct file *f)
{
    struct sock *sk = f->inode->priv;
    uint32_t mask = 0;
    if (sk->error)
        mask |= POLLERR;
    if (sk->shutdown == (SHUT_RCV_MASK | SHUT_SEND_MASK))
        mask |= POLLHUP;
    if (sk->shutdown & SHUT_RCV_MASK)
        mask |= POLLIN | POLLRDNORM | POLLRDHUP;
    if (sk->head || (sk->state == SS_LISTENING && sk->pending_head))
        mask |= POLLIN | POLLRDNORM;
    if (sk->type != SOCK_DGRAM && sk->state == SS_UNCONNECTED)
        mask |= POLLHUP;
    if (sk->state == SS_LISTENING)
        return mask;
    /* Shut for sending: a write would not wait (it fails at once). */
    if ((sk->shutdown & SHUT_SEND_MASK) || !sk->ops->send_waits(sk))
        mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
    return mask;
}

/* FIONREAD (SIOCINQ): a stream's unread bytes, a datagram socket's next
 * datagram's length. */
static long sock_ioctl(struct file *f, uint32_t cmd, vaddr_t arg)
{
    struct sock *sk = f->inode->priv;
    if (cmd != FIONREAD)
        return -ENOTTY;
    if (sk->state == SS_LISTENING)
        return -EINVAL;
    int n = (int)sk->queued;
    if (sk->type != SOCK_STREAM)
        n = sk->head ? (int)sk->head->len : 0;
    return copy_to_user(arg, &n, sizeof n) < 0 ? -EFAULT : 0;
}

static const struct file_ops sock_ops = {
    .read = sock_read,
    .write = sock_write,
    .ioctl = sock_ioctl,
    .open = sock_fopen,
    .release = sock_release,
    .dropped = sock_dropped,
    .poll = sock_poll,
};

/* ---- options ---- */

/* A timeout as SO_RCVTIMEO/SO_SNDTIMEO give it: seconds and microseconds
 * (64-bit each, or 32-bit for the _OLD names). */
struct sock_timeval {
    int64_t sec, usec;
};

static void ticks_to_timeval(int64_t ticks, struct sock_timeval *tv)
{
    if (ticks < 0)
        ticks = 0;                 /* none: Linux says 0 */
    tv->sec = ticks / HZ;
    tv->usec = (ticks % HZ) * (1000000 / HZ);
}

/* Read a timeout from user memory (wide: 64-bit fields) into ticks, rounded
 * up; 0 seconds and 0 microseconds is no timeout, a negative time is one
 * that has passed already. */
static int timeval_from_user(vaddr_t uval, uint32_t len, bool wide, int64_t *ticks)
{
    struct sock_timeval tv;
    if (wide) {
        if (len < sizeof tv)
            return -EINVAL;
        if (copy_from_user(&tv, uval, sizeof tv) < 0)
            return -EFAULT;
    } else {
        int32_t t[2];
        if (len < sizeof t)
            return -EINVAL;
        if (copy_from_user(t, uval, sizeof t) < 0)
            return -EFAULT;
        tv.sec = t[0];
        tv.usec = t[1];
    }
    if (tv.usec < 0 || tv.usec >= 1000000)
        return -EDOM;
    if (tv.sec < 0)
        *ticks = 0;
    else if (tv.sec == 0 && tv.usec == 0)
        *ticks = -1;
    else if (tv.sec > 0x7fffffff / HZ)
        *ticks = -1;               /* longer than we count: none */
    else
        *ticks = tv.sec * HZ + (tv.usec * HZ + 999999) / 1000000;
    return 0;
}

/* Write an option's value (size bytes at src) cut to the caller's *ulen
 * (len, read already), and its length to *ulen. */
static int option_to_user(const void *src, uint32_t size, int32_t len, vaddr_t uval, vaddr_t ulen)
{
    if ((uint32_t)len > size)
        len = (int32_t)size;
    if (copy_to_user(uval, src, (uint32_t)len) < 0 || copy_to_user(ulen, &len, sizeof len) < 0)
        return -EFAULT;
    return 0;
}

/* getsockopt: at level SOL_SOCKET an int for most, a struct ucred for
 * SO_PEERCRED, a struct linger, a timeval for the timeouts; at the
 * family's own levels (IPPROTO_TCP...) an int from sk->ops->option. The
 * answer is cut to *ulen, which gets its length. */
int sock_getsockopt(struct sock *sk, int level, int name, vaddr_t uval, vaddr_t ulen)
{
    int32_t len;
    if (copy_from_user(&len, ulen, sizeof len) < 0)
        return -EFAULT;
    if (len < 0)
        return -EINVAL;
    int32_t v, tv32[2];
    if (level != SOL_SOCKET) {
        if (!sk->ops->option)
            return -EOPNOTSUPP;
        int r = sk->ops->option(sk, level, name, &v, false);
        return r < 0 ? r : option_to_user(&v, sizeof v, len, uval, ulen);
    }
    struct sock_timeval tv;
    const void *src = &v;
    uint32_t size = sizeof v;
    switch (name) {
    case SO_RCVTIMEO:
    case SO_SNDTIMEO:
        ticks_to_timeval(name == SO_RCVTIMEO ? sk->rcvtimeo : sk->sndtimeo, &tv);
        src = &tv;
        size = sizeof tv;
        break;
    case SO_RCVTIMEO_OLD:
    case SO_SNDTIMEO_OLD:
        ticks_to_timeval(name == SO_RCVTIMEO_OLD ? sk->rcvtimeo : sk->sndtimeo, &tv);
        tv32[0] = (int32_t)tv.sec;
        tv32[1] = (int32_t)tv.usec;
        src = tv32;
        size = sizeof tv32;
        break;
    case SO_TYPE:       v = sk->type; break;
    case SO_ERROR:      v = sk->error; sk->error = 0; break;
    case SO_SNDBUF:     v = (int32_t)sk->sndbuf; break;
    case SO_RCVBUF:     v = (int32_t)sk->rcvbuf; break;
    case SO_PASSCRED:   v = sk->passcred; break;
    case SO_ACCEPTCONN: v = sk->state == SS_LISTENING; break;
    case SO_DOMAIN:     v = sk->ops->family; break;
    case SO_PROTOCOL:   v = sk->protocol; break;
    case SO_REUSEADDR:  v = sk->reuseaddr; break;
    case SO_REUSEPORT:  v = sk->reuseport; break;
    case SO_KEEPALIVE:  v = sk->keepalive; break;
    case SO_BROADCAST:  v = sk->broadcast; break;
    case SO_OOBINLINE:  v = sk->oobinline; break;
    case SO_RCVLOWAT:
    case SO_SNDLOWAT:   v = 1; break;
    case SO_LINGER:
        src = &sk->linger;
        size = sizeof sk->linger;
        break;
    case SO_PEERCRED:
        src = &sk->peercred;
        size = sizeof sk->peercred;
        break;
    default:
        return -ENOPROTOOPT;
    }
    return option_to_user(src, size, len, uval, ulen);
}

/* setsockopt: at level SOL_SOCKET an int, a struct linger, or a timeval
 * for the timeouts; at the family's own levels an int. Buffer sizes are
 * doubled, as Linux doubles them (room for its bookkeeping), and kept
 * between 2048 and twice the default. */
int sock_setsockopt(struct sock *sk, int level, int name, vaddr_t uval, uint32_t len)
{
    if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_RCVTIMEO_OLD))
        return timeval_from_user(uval, len, name == SO_RCVTIMEO, &sk->rcvtimeo);
    if (level == SOL_SOCKET && (name == SO_SNDTIMEO || name == SO_SNDTIMEO_OLD))
        return timeval_from_user(uval, len, name == SO_SNDTIMEO, &sk->sndtimeo);
    if (level == SOL_SOCKET && name == SO_LINGER) {
        struct linger l;
        if (len < sizeof l)
            return -EINVAL;
        if (copy_from_user(&l, uval, sizeof l) < 0)
            return -EFAULT;
        sk->linger.l_onoff = l.l_onoff != 0;
        sk->linger.l_linger = l.l_linger;
        return 0;
    }
    if (level != SOL_SOCKET && !sk->ops->option)
        return -EOPNOTSUPP;
    int32_t v;
    if (len < sizeof v)
        return -EINVAL;
    if (copy_from_user(&v, uval, sizeof v) < 0)
        return -EFAULT;
    if (level != SOL_SOCKET)
        return sk->ops->option(sk, level, name, &v, true);
    switch (name) {
    case SO_SNDBUF:
    case SO_RCVBUF: {
        /* Linux: at most net.core.[rw]mem_max (212992), doubled. */
        uint32_t want = v < 1024 ? 1024 : (uint32_t)v;
        uint32_t size = (want < SOCK_BUF_DEFAULT ? want : SOCK_BUF_DEFAULT) * 2;
        if (name == SO_SNDBUF)
            sk->sndbuf = size;
        else
            sk->rcvbuf = size;
        sock_wake(sk);
        return 0;
    }
    case SO_PASSCRED:  sk->passcred = v != 0; return 0;
    /* Kept and read back; AF_INET's bind reads the first two (inet.c). */
    case SO_REUSEADDR: sk->reuseaddr = v != 0; return 0;
    case SO_REUSEPORT: sk->reuseport = v != 0; return 0;
    case SO_KEEPALIVE: sk->keepalive = v != 0; return 0;
    case SO_BROADCAST: sk->broadcast = v != 0; return 0;
    case SO_OOBINLINE: sk->oobinline = v != 0; return 0;
    case SO_RCVLOWAT:  return 0;   /* Linux keeps it; every read here wants 1 byte */
    default:
        return -ENOPROTOOPT;
    }
}

/* ---- addresses ---- */

#define SOCKADDR_STORAGE 128        /* the longest address any call copies in */

int sock_addr_copy(vaddr_t uaddr, uint32_t ulen, union sock_addr *a, uint32_t *len)
{
    uint8_t buf[SOCKADDR_STORAGE];
    if ((int32_t)ulen < 0 || ulen > SOCKADDR_STORAGE)
        return -EINVAL;
    if (ulen && copy_from_user(buf, uaddr, ulen) < 0)
        return -EFAULT;
    memset(a, 0, sizeof *a);
    memcpy(a, buf, ulen < sizeof *a ? ulen : sizeof *a);
    *len = ulen;
    return 0;
}

int sock_addr_to_user(const union sock_addr *a, uint32_t len, vaddr_t uaddr, vaddr_t ulen)
{
    int32_t room;
    if (copy_from_user(&room, ulen, sizeof room) < 0)
        return -EFAULT;
    if (room < 0)
        return -EINVAL;
    uint32_t n = len < (uint32_t)room ? len : (uint32_t)room;
    if (n && copy_to_user(uaddr, a, n) < 0)
        return -EFAULT;
    return copy_to_user(ulen, &len, sizeof len) < 0 ? -EFAULT : 0;
}
