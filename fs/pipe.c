/* pipe.c: pipes, a ring buffer between a writing and a reading end.
 *
 * A pipe is an inode (type FIFO) with no name, and a ring buffer of PIPE_PAGES
 * pages (fcntl F_SETPIPE_SZ changes it). pipe() opens it twice, a read end
 * and a write end, as two open file descriptions; fork and dup share those, so the pipe counts how many
 * descriptions of each kind are open:
 *   - read on an empty pipe waits while some writer is open, and returns 0
 *     (end of file) when none is;
 *   - write with no reader open fails with -EPIPE and sends SIGPIPE;
 *   - a write of at most PIPE_BUF bytes goes in all at once, never mixed
 *     with another writer's bytes: it waits until there is room for all of
 *     it. Longer writes may be split.
 * The buffer's indexes count bytes forever; position = index % its size
 * (a power of two pages: PIPE_PAGES, or what fcntl F_SETPIPE_SZ set).
 * The pipe is the inode's private part; it goes with the inode, when the
 * last open file of either end is closed.
 *
 * A named pipe (a FIFO, made by mknod or mkfifo) is the same inode with a
 * name in a directory; each open is one end. As on Linux, an open for
 * reading waits until a writer opens (O_NONBLOCK: it does not), an open for
 * writing waits for a reader (O_NONBLOCK: ENXIO if there is none), and
 * O_RDWR is both ends and never waits. Its buffer is taken at the first
 * open and given back, with what was left unread, when the last end closes.
 */
#include "fs/fs.h"
#include "fs/file.h"
#include "fs/poll.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/limits.h"
#include "linux/signal.h"
#include "linux/termios.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"

#define PIPE_PAGES 4                      /* a new pipe's: 16 KiB (Linux: 64 KiB) */
#define PIPE_MAX_SIZE (1024 * 1024)       /* /proc/sys/fs/pipe-max-size: past it,
                                             only a privileged process may grow one */

struct pipe {
    uint8_t *buf;
    uint32_t pages;          /* the buffer's size in pages (F_SETPIPE_SZ), a power of 2 */
    uint32_t r, w;           /* bytes read and written so far */
    int readers, writers;    /* open descriptions of each end */
    bool named;              /* a FIFO, with a name (mknod) */
    uint32_t reader_opens;   /* opens of each end ever: what a FIFO's open */
    uint32_t writer_opens;   /* waiting for the other end looks for */
    struct packet *packets;  /* packet mode: a ring of p->pages boundaries */
    uint32_t first_packet, npackets;
};

/* Packet mode (pipe(7); O_DIRECT on the writing file): each write, in
 * pieces of at most a page, is a packet, and a read takes at most one
 * packet, dropping what does not fit in its buffer. A packet's bytes sit
 * in the ring like any others; the packets are listed beside them, at
 * most one per page of the pipe's size (Linux: one per buffer slot). */
struct packet {
    uint32_t start, len;     /* its first byte's index, its length */
};

static struct pipe *pipe_of(struct file *f)
{
    return f->inode->priv;
}

static uint32_t pipe_size(const struct pipe *p)
{
    return p->pages * PAGE_SIZE;
}

/* Something changed (data, room, an end closed): wake the readers and
 * writers waiting in this pipe, and every poll and select (fs/poll.c). */
static void pipe_wake(struct pipe *p)
{
    wakeup(p);
    poll_wake();
}

/* Count an open end: O_RDONLY a reader, O_WRONLY a writer, O_RDWR both. */
static void count_ends(struct pipe *p, uint32_t flags, int delta)
{
    if ((flags & O_ACCMODE) != O_WRONLY) {
        p->readers += delta;
        p->reader_opens += delta > 0;
    }
    if ((flags & O_ACCMODE) != O_RDONLY) {
        p->writers += delta;
        p->writer_opens += delta > 0;
    }
}

/* A FIFO none of whose ends is open gives its buffer back, with the bytes
 * left in it (Linux drops them too). */
static void fifo_drop_buffer(struct pipe *p)
{
    if (!p->named || p->readers || p->writers || !p->buf)
        return;
    for (uint32_t i = 0; i < p->pages; i++)
        frame_decref(V2P(p->buf) + i * PAGE_SIZE);
    p->buf = 0;
    p->r = p->w = 0;
    kfree(p->packets);
    p->packets = 0;
    p->first_packet = p->npackets = 0;
}

/* Open an end of a FIFO (see the top of the file): 0, -ENXIO (O_WRONLY |
 * O_NONBLOCK, no reader), -ENOMEM, or -ERESTARTSYS when a signal ends the
 * wait for the other end. */
static int fifo_open(struct pipe *p, uint32_t flags)
{
    if (!p->buf) {
        if (!p->pages)
            p->pages = PIPE_PAGES;         /* a FIFO keeps its size between opens */
        paddr_t pages = frames_alloc_contig(p->pages);
        if (!pages)
            return -ENOMEM;
        p->buf = P2V(pages);
    }
    uint32_t mode = flags & O_ACCMODE;
    if (mode == O_WRONLY && !p->readers && (flags & O_NONBLOCK)) {
        fifo_drop_buffer(p);
        return -ENXIO;
    }
    count_ends(p, flags, 1);
    pipe_wake(p);                          /* an open waiting for this end */
    if (mode == O_RDWR || (mode == O_RDONLY && (flags & O_NONBLOCK)))
        return 0;
    /* Wait until the other end is open, or has been opened since (and
     * maybe closed again: that open still counts, as on Linux). */
    uint32_t seen = mode == O_RDONLY ? p->writer_opens : p->reader_opens;
    while (mode == O_RDONLY ? !p->writers && p->writer_opens == seen
                            : !p->readers && p->reader_opens == seen) {
        if (signal_pending(current_proc())) {
            count_ends(p, flags, -1);
            pipe_wake(p);
            fifo_drop_buffer(p);
            return -ERESTARTSYS;
        }
        sleep_on(p);
    }
    return 0;
}

static int pipe_open(struct file *f)
{
    struct pipe *p = pipe_of(f);
    if (p->named)
        return fifo_open(p, f->flags);
    count_ends(p, f->flags, 1);
    return 0;
}

static void pipe_release(struct file *f)
{
    struct pipe *p = pipe_of(f);
    count_ends(p, f->flags, -1);
    pipe_wake(p);              /* a waiting reader sees EOF, a writer EPIPE */
    fifo_drop_buffer(p);
}

/* Copy len bytes of the ring from index at to buf (user or kernel):
 * 0 or -EFAULT. */
static int ring_copy_out(struct pipe *p, uint32_t at, void *buf, uint32_t len, bool user)
{
    for (uint32_t done = 0; done < len;) {
        uint32_t pos = (at + done) % pipe_size(p);
        uint32_t chunk = pipe_size(p) - pos < len - done ? pipe_size(p) - pos : len - done;
        if (user) {
            if (copy_to_user((vaddr_t)buf + done, p->buf + pos, chunk) < 0)
                return -EFAULT;
        } else {
            memcpy((uint8_t *)buf + done, p->buf + pos, chunk);
        }
        done += chunk;
    }
    return 0;
}

/* Read the packet at the head of the pipe (its first byte is p->r): up to
 * n bytes of it; the rest of it is dropped. */
static long packet_read(struct pipe *p, void *buf, uint32_t n, bool user)
{
    struct packet *k = &p->packets[p->first_packet];
    uint32_t take = k->len < n ? k->len : n;
    if (ring_copy_out(p, p->r, buf, take, user) < 0)
        return -EFAULT;
    p->r += k->len;
    p->first_packet = (p->first_packet + 1) % p->pages;
    p->npackets--;
    pipe_wake(p);
    return take;
}

/* Write one packet of n bytes (at most a page), once there is room for
 * its bytes and its entry: n, -EPIPE, -EAGAIN, -ERESTARTSYS or -EFAULT. */
static long packet_write(struct file *f, struct pipe *p, const void *buf, uint32_t n, bool user)
{
    for (;;) {
        if (p->readers == 0) {
            signal_raise(SIGPIPE);
            return -EPIPE;
        }
        if (pipe_size(p) - (p->w - p->r) >= n && p->npackets < p->pages)
            break;
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (signal_pending(current_proc()))
            return -ERESTARTSYS;
        sleep_on(p);
    }
    if (!p->packets) {
        p->packets = kmalloc(p->pages * sizeof *p->packets);
        if (!p->packets)
            return -ENOMEM;
        p->first_packet = p->npackets = 0;
    }
    for (uint32_t done = 0; done < n;) {
        uint32_t pos = (p->w + done) % pipe_size(p);
        uint32_t chunk = pipe_size(p) - pos < n - done ? pipe_size(p) - pos : n - done;
        if (user) {
            if (copy_from_user(p->buf + pos, (vaddr_t)buf + done, chunk) < 0)
                return -EFAULT;
        } else {
            memcpy(p->buf + pos, (const uint8_t *)buf + done, chunk);
        }
        done += chunk;
    }
    struct packet *k = &p->packets[(p->first_packet + p->npackets) % p->pages];
    k->start = p->w;
    k->len = n;
    p->npackets++;
    p->w += n;
    pipe_wake(p);
    return n;
}

static long pipe_read(struct file *f, void *buf, uint32_t n, bool user)
{
    struct pipe *p = pipe_of(f);
    while (p->r == p->w) {
        if (p->writers == 0)
            return 0;                          /* end of file */
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (signal_pending(current_proc()))
            return -ERESTARTSYS;
        sleep_on(p);
    }
    if (p->npackets && p->packets[p->first_packet].start == p->r)
        return packet_read(p, buf, n, user);
    /* Bytes written as a stream: up to the next packet, if any. */
    uint32_t end = p->npackets ? p->packets[p->first_packet].start : p->w;
    uint32_t done = 0;
    while (done < n && p->r != end) {
        uint32_t at = p->r % pipe_size(p);
        uint32_t chunk = end - p->r;
        if (chunk > pipe_size(p) - at)
            chunk = pipe_size(p) - at;            /* up to the end of the ring */
        if (chunk > n - done)
            chunk = n - done;
        if (user) {
            if (copy_to_user((vaddr_t)buf + done, p->buf + at, chunk) < 0)
                return done ? (long)done : -EFAULT;
        } else {
            memcpy((uint8_t *)buf + done, p->buf + at, chunk);
        }
        p->r += chunk;
        done += chunk;
    }
    pipe_wake(p);                              /* room for writers */
    return done;
}

static long pipe_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    struct pipe *p = pipe_of(f);
    struct proc *me = current_proc();
    uint32_t done = 0;
    if (f->flags & O_DIRECT) {
        while (done < n) {
            uint32_t piece = n - done < PAGE_SIZE ? n - done : PAGE_SIZE;
            long r = packet_write(f, p, (const uint8_t *)buf + done, piece, user);
            if (r < 0)
                return done ? (long)done : r;
            done += (uint32_t)r;
        }
        return done;
    }
    while (done < n) {
        if (p->readers == 0) {
            /* Nobody will ever read this: SIGPIPE (whose default action
             * ends the writer) and EPIPE, for a program that catches or
             * ignores the signal. */
            signal_raise(SIGPIPE);
            return done ? (long)done : -EPIPE;
        }
        uint32_t room = pipe_size(p) - (p->w - p->r);
        /* Small writes wait for room for all of it, so they stay whole. */
        uint32_t need = n - done <= PIPE_BUF ? n - done : 1;
        if (room < need) {
            if (f->flags & O_NONBLOCK)
                return done ? (long)done : -EAGAIN;
            if (signal_pending(me))
                return done ? (long)done : -ERESTARTSYS;
            sleep_on(p);
            continue;
        }
        uint32_t at = p->w % pipe_size(p);
        uint32_t chunk = room;
        if (chunk > pipe_size(p) - at)
            chunk = pipe_size(p) - at;
        if (chunk > n - done)
            chunk = n - done;
        if (user) {
            if (copy_from_user(p->buf + at, (vaddr_t)buf + done, chunk) < 0)
                return done ? (long)done : -EFAULT;
        } else {
            memcpy(p->buf + at, (const uint8_t *)buf + done, chunk);
        }
        p->w += chunk;
        done += chunk;
        pipe_wake(p);                          /* data for readers */
    }
    return done;
}

/* What poll sees on either end, as on Linux: the read end is readable
 * with data in the pipe, and hung up (POLLHUP) once no writer is left; the
 * write end is writable while a PIPE_BUF write would go in at once, and in
 * error (POLLERR) once no reader is left. */
static uint32_t pipe_poll(struct file *f)
{
    struct pipe *p = pipe_of(f);
    uint32_t mode = f->flags & O_ACCMODE, mask = 0;
    if (mode != O_WRONLY) {
        if (p->r != p->w)
            mask |= POLLIN | POLLRDNORM;
        if (p->writers == 0)
            mask |= POLLHUP;
    }
    if (mode != O_RDONLY) {
        if (pipe_size(p) - (p->w - p->r) >= PIPE_BUF)
            mask |= POLLOUT | POLLWRNORM;
        if (p->readers == 0)
            mask |= POLLERR;
    }
    return mask;
}

/* FIONREAD: the bytes waiting in the pipe (Linux answers it on either end). */
static long pipe_ioctl(struct file *f, uint32_t cmd, vaddr_t arg)
{
    if (cmd != FIONREAD)
        return -ENOTTY;
    struct pipe *p = pipe_of(f);
    int n = (int)(p->w - p->r);
    return copy_to_user(arg, &n, sizeof n) < 0 ? -EFAULT : 0;
}

static const struct file_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .ioctl = pipe_ioctl,
    .open = pipe_open,
    .release = pipe_release,
    .poll = pipe_poll,
};

/* ---- for splice, tee and vmsplice (fs/splice.c) ---- */

bool file_is_pipe(const struct file *f)
{
    return f->ops == &pipe_ops;
}

long pipe_wait_data(struct file *f, bool nonblock)
{
    struct pipe *p = pipe_of(f);
    while (p->r == p->w) {
        if (signal_pending(current_proc()))
            return -ERESTARTSYS;
        if (p->writers == 0)
            return 0;
        if (nonblock)
            return -EAGAIN;
        sleep_on(p);
    }
    return (long)(p->w - p->r);
}

long pipe_wait_room(struct file *f, bool nonblock)
{
    struct pipe *p = pipe_of(f);
    for (;;) {
        if (p->readers == 0) {
            signal_raise(SIGPIPE);
            return -EPIPE;
        }
        if (p->w - p->r < pipe_size(p))
            return (long)(pipe_size(p) - (p->w - p->r));
        if (nonblock)
            return -EAGAIN;
        if (signal_pending(current_proc()))
            return -ERESTARTSYS;
        sleep_on(p);
    }
}

uint32_t pipe_peek(struct file *f, void *buf, uint32_t skip, uint32_t n)
{
    struct pipe *p = pipe_of(f);
    uint32_t have = p->w - p->r;
    if (skip >= have)
        return 0;
    if (n > have - skip)
        n = have - skip;
    for (uint32_t done = 0; done < n;) {
        uint32_t at = (p->r + skip + done) % pipe_size(p);
        uint32_t chunk = pipe_size(p) - at < n - done ? pipe_size(p) - at : n - done;
        memcpy((uint8_t *)buf + done, p->buf + at, chunk);
        done += chunk;
    }
    return n;
}

/* fcntl F_GETPIPE_SZ: the size of f's pipe in bytes; -EBADF for a file
 * that is not a pipe. */
long pipe_get_size(struct file *f)
{
    if (!file_is_pipe(f))
        return -EBADF;
    struct pipe *p = pipe_of(f);
    return p->pages ? (long)pipe_size(p) : (long)(PIPE_PAGES * PAGE_SIZE);
}

/* fcntl F_SETPIPE_SZ, as Linux's pipe_set_size: the size goes up to a
 * power of two pages (at least one); -EINVAL past 2^31, -EPERM past
 * PIPE_MAX_SIZE for an unprivileged process, -EBUSY if the bytes in the
 * pipe do not fit, -ENOMEM without the frames. The bytes keep their
 * indexes (byte i sits at i % size). Returns the new size. */
long pipe_set_size(struct file *f, uint32_t want)
{
    if (!file_is_pipe(f))
        return -EBADF;
    if (want > 0x80000000u)
        return -EINVAL;
    uint32_t pages = 1;
    while (pages * PAGE_SIZE < want)
        pages *= 2;
    struct pipe *p = pipe_of(f);
    if (pages * PAGE_SIZE > PIPE_MAX_SIZE && pages > p->pages &&
        !cred_privileged(&current_proc()->cred))
        return -EPERM;
    if (p->w - p->r > pages * PAGE_SIZE || p->npackets > pages)
        return -EBUSY;
    if (pages == p->pages)
        return (long)pipe_size(p);
    if (!p->buf) {                         /* a FIFO between opens: no buffer yet */
        p->pages = pages;
        return (long)pipe_size(p);
    }
    paddr_t fresh = frames_alloc_contig(pages);
    if (!fresh)
        return -ENOMEM;
    struct packet *np = 0;
    if (p->packets) {                      /* the packet list, in order, resized */
        np = kmalloc(pages * sizeof *np);
        if (!np) {
            for (uint32_t i = 0; i < pages; i++)
                frame_decref(fresh + i * PAGE_SIZE);
            return -ENOMEM;
        }
        for (uint32_t i = 0; i < p->npackets; i++)
            np[i] = p->packets[(p->first_packet + i) % p->pages];
        kfree(p->packets);
        p->packets = np;
        p->first_packet = 0;
    }
    uint8_t *nb = P2V(fresh);
    uint32_t nsize = pages * PAGE_SIZE;
    for (uint32_t i = p->r; i != p->w; i++)
        nb[i % nsize] = p->buf[i % pipe_size(p)];
    for (uint32_t i = 0; i < p->pages; i++)
        frame_decref(V2P(p->buf) + i * PAGE_SIZE);
    p->buf = nb;
    p->pages = pages;
    pipe_wake(p);                          /* a writer may have room now */
    return (long)nsize;
}

/* No file of the pipe is open any more: its buffer goes with its inode. */
static void pipe_destroy(struct inode *ip)
{
    struct pipe *p = ip->priv;
    if (p->buf)
        for (uint32_t i = 0; i < p->pages; i++)
            frame_decref(V2P(p->buf) + i * PAGE_SIZE);
    kfree(p->packets);
}

static const struct inode_ops pipe_inode_ops = {
    .destroy = pipe_destroy,
};

struct inode *fifo_new(uint32_t mode)
{
    struct inode *ip = inode_new(S_IFIFO | (mode & 07777), &pipe_inode_ops, sizeof(struct pipe));
    if (!ip)
        return 0;
    struct pipe *p = ip->priv;
    p->named = true;
    ip->fops = &pipe_ops;
    return ip;
}

int pipe_create(uint32_t flags, struct file **rd, struct file **wr)
{
    struct inode *ip = inode_new(S_IFIFO | 0600, &pipe_inode_ops, sizeof(struct pipe));
    if (!ip)
        return -ENOMEM;
    inode_init_owner(ip, 0);               /* fstat shows who made it */
    struct pipe *p = ip->priv;
    p->pages = PIPE_PAGES;
    paddr_t pages = frames_alloc_contig(PIPE_PAGES);
    if (!pages) {
        inode_put(ip);                         /* frees p too */
        return -ENOMEM;
    }
    p->buf = P2V(pages);
    ip->fops = &pipe_ops;
    /* O_DIRECT (packet mode) is the write end's, as on Linux. */
    int r = file_open(ip, O_RDONLY | (flags & O_NONBLOCK), rd);
    if (r == 0) {
        r = file_open(ip, O_WRONLY | (flags & (O_NONBLOCK | O_DIRECT)), wr);
        if (r < 0)
            file_put(*rd);
    }
    inode_put(ip);                 /* the files hold it now (or, failing, it goes) */
    return r;
}
