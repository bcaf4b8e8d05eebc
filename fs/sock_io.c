/* sock_io.c: sending and receiving, by type, for both families.
 *
 * Every send makes messages (struct sock_msg) on the receiving socket's
 * queue; what differs by type is how they are read:
 *   SOCK_STREAM     bytes: a read takes from as many messages as it needs,
 *                   and a message may be read in several pieces;
 *   SOCK_DGRAM      one datagram per read, the rest of it cut off
 *                   (MSG_TRUNC); sent to the connected peer or to an
 *                   address (each family finds the receiver: unix.c,
 *                   inet_io.c);
 *   SOCK_SEQPACKET  connected like a stream, read like datagrams.
 * A message that carries descriptors (scm.c) hands them to the read that
 * takes its first byte, and a stream read stops after it, so descriptors
 * never arrive with bytes sent after them.
 */
#include "fs/socket.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/signal.h"
#include "lib/string.h"

#define STREAM_CHUNK (64 * 1024)   /* the most one stream message holds */

/* Copy n bytes between buf and the io's buffers, starting at byte off of
 * them (to_io: into the buffers). 0 or -EFAULT. */
static int io_copy(struct sock_io *io, uint32_t off, void *buf, uint32_t n, bool to_io)
{
    uint8_t *p = buf;
    for (uint32_t i = 0; i < io->niov && n; i++) {
        uint32_t len = io->iov[i].len;
        if (off >= len) {
            off -= len;
            continue;
        }
        uint32_t chunk = len - off < n ? len - off : n;
        uint32_t at = io->iov[i].base + off;
        int r = 0;
        if (io->kernel) {
            if (to_io)
                memcpy((void *)at, p, chunk);
            else
                memcpy(p, (const void *)at, chunk);
        } else if (to_io) {
            r = copy_to_user(at, p, chunk);
        } else {
            r = copy_from_user(p, at, chunk);
        }
        if (r < 0)
            return -EFAULT;
        p += chunk;
        n -= chunk;
        off = 0;
    }
    return 0;
}

bool sock_io_nonblock(struct file *f, struct sock_io *io)
{
    return (f->flags & O_NONBLOCK) || (io->flags & MSG_DONTWAIT);
}

int sock_make_msg(struct sock *sk, struct sock_io *io, uint32_t off, uint32_t n,
                    bool with_scm, struct sock_msg **out)
{
    struct sock_msg *m = sock_msg_new(n);
    if (!m)
        return -ENOMEM;
    if (io_copy(io, off, m->data, n, false) < 0) {
        kfree(m);
        return -EFAULT;
    }
    m->from = sk->addr;
    m->fromlen = sk->addrlen;
    sock_sender_cred(&m->scm.cred);
    if (with_scm) {
        m->scm.files = io->scm.files;
        m->scm.nfiles = io->scm.nfiles;
        if (io->scm.has_cred)
            m->scm.cred = io->scm.cred;
        io->scm.files = 0;
        io->scm.nfiles = 0;
    }
    *out = m;
    return 0;
}

long sock_broken_pipe(struct sock_io *io)
{
    if (!(io->flags & MSG_NOSIGNAL))
        signal_raise(SIGPIPE);
    return -EPIPE;
}

bool sock_has_room(struct sock *to, uint32_t n)
{
    if (to->type == SOCK_DGRAM && to->nmsgs > SOCK_DGRAM_QLEN)
        return false;
    return !to->head || to->queued + n <= to->rcvbuf;
}

/* A stream's bytes (in chunks, as room comes) or a seqpacket's one packet
 * to the connected peer. A blocking send returns when all of it has gone, or
 * what went before a signal or timeout; EPIPE (and SIGPIPE) once nobody
 * will read. */
long sock_stream_send(struct sock *sk, struct file *f, struct sock_io *io)
{
    if (sk->state != SS_CONNECTED)
        return -ENOTCONN;
    bool packet = sk->type == SOCK_SEQPACKET;
    if (packet && io->total > sk->sndbuf)
        return -EMSGSIZE;
    if (!packet && io->total == 0)
        return 0;                            /* no bytes, no message (its rights dropped) */
    uint32_t done = 0;
    do {
        struct sock *to = sk->peer;
        if ((sk->shutdown & SHUT_SEND_MASK) || !to || to->closed ||
            (to->shutdown & SHUT_RCV_MASK))
            return done ? (long)done : sock_broken_pipe(io);
        uint32_t n = io->total - done;
        if (!packet && n > STREAM_CHUNK)
            n = STREAM_CHUNK;
        if (!packet && to->head && to->queued < to->rcvbuf && to->queued + n > to->rcvbuf)
            n = to->rcvbuf - to->queued;     /* what fits now */
        if (!sock_has_room(to, n)) {
            /* Not waiting (or a signal, a timeout): what went so far. A
             * blocking send waits until all of it has gone, as Linux's. */
            int r = sock_io_nonblock(f, io) ? -EAGAIN : sock_wait(to, io->deadline);
            if (r < 0)
                return done ? (long)done : r;
            continue;
        }
        struct sock_msg *m;
        int r = sock_make_msg(sk, io, done, n, done == 0, &m);
        if (r < 0)
            return done ? (long)done : r;
        sock_enqueue(to, m);
        done += n;
    } while (done < io->total);
    return done;
}

/* Hand what m carries to the reader: its descriptors (moved, or on a peek
 * duplicated), its credentials, its sender's name. */
static int take_scm(struct sock_msg *m, struct sock_io *io, bool peek)
{
    io->scm.cred = m->scm.cred;
    io->addr = m->from;
    io->addrlen = m->fromlen;
    if (!m->scm.nfiles)
        return 0;
    if (!peek) {
        io->scm.files = m->scm.files;
        io->scm.nfiles = m->scm.nfiles;
        m->scm.files = 0;
        m->scm.nfiles = 0;
        return 0;
    }
    io->scm.files = kmalloc(m->scm.nfiles * sizeof(struct file *));
    if (!io->scm.files)
        return -ENOMEM;
    for (uint32_t i = 0; i < m->scm.nfiles; i++)
        io->scm.files[i] = scm_hold(m->scm.files[i]);
    io->scm.nfiles = m->scm.nfiles;
    return 0;
}

/* Wait until sk has a message, or say why not: 0 (a message is there),
 * 1 (end of file), or -errno. */
static int wait_for_data(struct sock *sk, struct file *f, struct sock_io *io)
{
    while (!sk->head) {
        if (sk->error) {
            int e = sk->error;
            sk->error = 0;
            return -e;
        }
        if (sk->shutdown & SHUT_RCV_MASK)
            return 1;
        if (sock_io_nonblock(f, io))
            return -EAGAIN;
        int r = sock_wait(sk, io->deadline);
        if (r < 0)
            return r;
    }
    return 0;
}

long sock_packet_recv(struct sock *sk, struct file *f, struct sock_io *io)
{
    if (sk->type == SOCK_SEQPACKET && sk->state != SS_CONNECTED)
        return -ENOTCONN;
    int r = wait_for_data(sk, f, io);
    if (r != 0)
        return r > 0 ? 0 : r;
    struct sock_msg *m = sk->head;
    uint32_t n = m->len < io->total ? m->len : io->total;
    if (io_copy(io, 0, m->data, n, true) < 0)
        return -EFAULT;
    if (m->len > io->total)
        io->out_flags |= MSG_TRUNC;
    bool peek = io->flags & MSG_PEEK;
    if ((r = take_scm(m, io, peek)) < 0)
        return r;
    uint32_t len = m->len;
    if (!peek)
        sock_msg_free(sock_dequeue(sk));
    return (io->flags & MSG_TRUNC) ? (long)len : (long)n;
}

long sock_stream_recv(struct sock *sk, struct file *f, struct sock_io *io)
{
    if (sk->state != SS_CONNECTED)
        return -EINVAL;
    if (io->total == 0)
        return 0;
    bool peek = io->flags & MSG_PEEK;
    uint32_t done = 0;
    for (;;) {
        int r = wait_for_data(sk, f, io);
        if (r != 0)
            return done ? (long)done : (r > 0 ? 0 : r);
        bool stop = false;
        for (struct sock_msg *m = sk->head; m && done < io->total && !stop;) {
            if (m->scm.nfiles && done)
                break;                       /* its descriptors start a new read */
            uint32_t avail = m->len - m->taken;
            uint32_t n = avail < io->total - done ? avail : io->total - done;
            if (io_copy(io, done, m->data + m->taken, n, true) < 0)
                return done ? (long)done : -EFAULT;
            if (done == 0 && (r = take_scm(m, io, peek)) < 0)
                return r;
            stop = io->scm.nfiles != 0;
            done += n;
            if (peek) {
                m = m->next;
                continue;
            }
            m->taken += n;
            sk->queued -= n;
            if (m->taken == m->len) {
                sock_msg_free(sock_dequeue(sk));
                m = sk->head;
            }
            sock_wake(sk);
        }
        if (done == io->total || stop || peek || !(io->flags & MSG_WAITALL) ||
            sock_io_nonblock(f, io))
            return done;
    }
}
