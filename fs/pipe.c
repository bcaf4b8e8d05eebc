/* pipe.c: pipes, a ring buffer between a writing and a reading end.
 *
 * A pipe is an inode (type FIFO) with no name, and a buffer of PIPE_SIZE
 * bytes. pipe() opens it twice, a read end and a write end, as two open
 * file descriptions; fork and dup share those, so the pipe counts how many
 * descriptions of each kind are open:
 *   - read on an empty pipe waits while some writer is open, and returns 0
 *     (end of file) when none is;
 *   - write with no reader open fails with -EPIPE and sends SIGPIPE;
 *   - a write of at most PIPE_BUF bytes goes in all at once, never mixed
 *     with another writer's bytes: it waits until there is room for all of
 *     it. Longer writes may be split.
 * The buffer's indexes count bytes forever; position = index % PIPE_SIZE.
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

#define PIPE_PAGES 4
#define PIPE_SIZE  (PIPE_PAGES * PAGE_SIZE)   /* 16 KiB */

struct pipe {
    uint8_t *buf;
    uint32_t r, w;           /* bytes read and written so far */
    int readers, writers;    /* open descriptions of each end */
    bool named;              /* a FIFO, with a name (mknod) */
    uint32_t reader_opens;   /* opens of each end ever: what a FIFO's open */
    uint32_t writer_opens;   /* waiting for the other end looks for */
};

static struct pipe *pipe_of(struct file *f)
{
    return f->inode->priv;
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
    for (int i = 0; i < PIPE_PAGES; i++)
        frame_decref(V2P(p->buf) + (uint32_t)i * PAGE_SIZE);
    p->buf = 0;
    p->r = p->w = 0;
}

/* Open an end of a FIFO (see the top of the file): 0, -ENXIO (O_WRONLY |
 * O_NONBLOCK, no reader), -ENOMEM, or -ERESTARTSYS when a signal ends the
 * wait for the other end. */
static int fifo_open(struct pipe *p, uint32_t flags)
{
    if (!p->buf) {
        paddr_t pages = frames_alloc_contig(PIPE_PAGES);
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
    uint32_t done = 0;
    while (done < n && p->r != p->w) {
        uint32_t at = p->r % PIPE_SIZE;
        uint32_t chunk = p->w - p->r;
        if (chunk > PIPE_SIZE - at)
            chunk = PIPE_SIZE - at;            /* up to the end of the ring */
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
    while (done < n) {
        if (p->readers == 0) {
            /* Nobody will ever read this: SIGPIPE (whose default action
             * ends the writer) and EPIPE, for a program that catches or
             * ignores the signal. */
            signal_raise(SIGPIPE);
            return done ? (long)done : -EPIPE;
        }
        uint32_t room = PIPE_SIZE - (p->w - p->r);
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
        uint32_t at = p->w % PIPE_SIZE;
        uint32_t chunk = room;
        if (chunk > PIPE_SIZE - at)
            chunk = PIPE_SIZE - at;
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
        if (PIPE_SIZE - (p->w - p->r) >= PIPE_BUF)
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

long pipe_capacity(struct file *f)
{
    return file_is_pipe(f) ? (long)PIPE_SIZE : -EBADF;
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
        if (p->w - p->r < PIPE_SIZE)
            return (long)(PIPE_SIZE - (p->w - p->r));
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
        uint32_t at = (p->r + skip + done) % PIPE_SIZE;
        uint32_t chunk = PIPE_SIZE - at < n - done ? PIPE_SIZE - at : n - done;
        memcpy((uint8_t *)buf + done, p->buf + at, chunk);
        done += chunk;
    }
    return n;
}

/* No file of the pipe is open any more: its buffer goes with its inode. */
static void pipe_destroy(struct inode *ip)
{
    struct pipe *p = ip->priv;
    if (p->buf)
        for (int i = 0; i < PIPE_PAGES; i++)
            frame_decref(V2P(p->buf) + (uint32_t)i * PAGE_SIZE);
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
    paddr_t pages = frames_alloc_contig(PIPE_PAGES);
    if (!pages) {
        inode_put(ip);                         /* frees p too */
        return -ENOMEM;
    }
    p->buf = P2V(pages);
    ip->fops = &pipe_ops;
    int r = file_open(ip, O_RDONLY | (flags & O_NONBLOCK), rd);
    if (r == 0) {
        r = file_open(ip, O_WRONLY | (flags & O_NONBLOCK), wr);
        if (r < 0)
            file_put(*rd);
    }
    inode_put(ip);                 /* the files hold it now (or, failing, it goes) */
    return r;
}
