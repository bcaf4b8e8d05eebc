/* splice.c: splice, tee and vmsplice, the pipe's own ways of moving bytes.
 *
 *   splice(in, off_in, out, off_out, len, flags)  from a file into a pipe,
 *       from a pipe into a file, or from one pipe into another; one end at
 *       least is a pipe, and a pipe takes no offset;
 *   tee(in, out, len, flags)    copies bytes of one pipe into another,
 *       leaving them in the first;
 *   vmsplice(fd, iov, n, flags) the caller's memory into a pipe (its write
 *       end), or a pipe into the caller's memory (its read end).
 * Linux moves references to pages; bunshin copies through a kernel page,
 * with the same rules: each call first waits (unless SPLICE_F_NONBLOCK or
 * O_NONBLOCK) for bytes in the pipe it reads and room in the pipe it
 * writes, then moves what is there and fits, without waiting again, and
 * returns how much that was. Bytes are looked at first (pipe_peek) and taken
 * out of a pipe only once written, so a failed write loses nothing.
 */
#include "fs/splice.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/sys_common.h"
#include "fs/sys_copy.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/stat.h"
#include "param.h"

#define MAX_RW 0x7FFFF000u            /* Linux's largest single transfer */

/* Take n bytes out of pipe end in (they are there: peeked before). */
static void pipe_drop(struct file *in, uint8_t *scratch, uint32_t n)
{
    while (n > 0) {
        uint32_t chunk = n < PAGE_SIZE ? n : PAGE_SIZE;
        long r = file_read(in, scratch, chunk, false);
        if (r <= 0)
            return;
        n -= (uint32_t)r;
    }
}

/* Write the kernel buffer buf (n bytes) to out: at *pos for an in-memory
 * file (RLIMIT_FSIZE as write(2)), else through out's write (a pipe with
 * room for it, a device). Bytes written or -errno. */
static long write_out(struct file *out, const void *buf, uint32_t n, uint64_t *pos)
{
    if (out->ops)
        return file_write(out, buf, n, false);
    long room = rlimit_fsize_write(*pos, n);
    if (room <= 0)
        return room;
    long w = inode_write(out->inode, buf, *pos, (uint32_t)room, false);
    if (w > 0) {
        *pos += (uint64_t)w;
        inode_kill_suid(out->inode);
    }
    return w;
}

/* Up to len bytes of pipe in to out (a pipe or a file at *pos): waits for
 * bytes, and (out a pipe) for room; keep: tee, the bytes stay in in. As
 * Linux's splice_pipe_to_pipe and link_pipe, a pipe out with no reader is
 * EPIPE (and SIGPIPE) even when in is at its end. */
static long from_pipe(struct file *in, struct file *out, uint64_t *pos, uint32_t len,
                      bool nonblock, bool keep)
{
    long avail;
    for (;;) {
        avail = pipe_wait_data(in, nonblock);
        if (avail < 0 || !file_is_pipe(out))
            break;
        long room = pipe_wait_room(out, nonblock);
        if (room < 0)
            return room;
        avail = pipe_wait_data(in, true);      /* what the wait for room left */
        if (avail != -EAGAIN) {
            if (avail > room)
                avail = room;
            break;
        }
    }
    if (avail <= 0)
        return avail;
    if ((uint32_t)avail > len)
        avail = (long)len;
    uint8_t *buf = kmalloc(PAGE_SIZE);
    if (!buf)
        return -ENOMEM;
    long done = 0, r = 0;
    while (done < avail) {
        uint32_t chunk = pipe_peek(in, buf, keep ? (uint32_t)done : 0,
                                   (uint32_t)(avail - done) < PAGE_SIZE ? (uint32_t)(avail - done)
                                                                       : PAGE_SIZE);
        if (chunk == 0)
            break;
        r = write_out(out, buf, chunk, pos);
        if (r <= 0)
            break;
        if (!keep)
            pipe_drop(in, buf, (uint32_t)r);
        done += r;
        if ((uint32_t)r < chunk)
            break;
    }
    kfree(buf);
    return done ? done : r;
}

/* Up to len bytes of the in-memory file in, from *pos, into pipe out:
 * waits for room, then moves what fits. */
static long to_pipe(struct file *in, uint64_t *pos, struct file *out, uint32_t len, bool nonblock)
{
    if (!S_ISREG(in->inode->mode) || in->ops)
        return -EINVAL;                /* no splice_read: devices, /proc/<pid> */
    long room = pipe_wait_room(out, nonblock);
    if (room < 0)
        return room;
    if ((uint32_t)room < len)
        len = (uint32_t)room;
    return file_send_bytes(in, pos, out, len);
}

/* splice's checks in Linux's order (fs/splice.c: __do_splice, do_splice),
 * then the move. Offsets given are read and written back here. */
static long do_splice(int fd_in, vaddr_t uoff_in, int fd_out, vaddr_t uoff_out, uint32_t len,
                      uint32_t flags)
{
    if (len == 0)
        return 0;
    if (flags & ~(uint32_t)SPLICE_F_ALL)
        return -EINVAL;
    struct file *in = fd_lookup(fds(), fd_in), *out = fd_lookup(fds(), fd_out);
    if (!in || !out)
        return -EBADF;
    bool ipipe = file_is_pipe(in), opipe = file_is_pipe(out);
    if ((ipipe && uoff_in) || (opipe && uoff_out))
        return -ESPIPE;
    int64_t off_in = 0, off_out = 0;
    if (uoff_out && copy_from_user(&off_out, uoff_out, sizeof off_out) < 0)
        return -EFAULT;
    if (uoff_in && copy_from_user(&off_in, uoff_in, sizeof off_in) < 0)
        return -EFAULT;
    if ((in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (len > MAX_RW)
        len = MAX_RW;
    bool nonblock = flags & SPLICE_F_NONBLOCK;
    long r;
    file_get(in);                      /* (a wait may let another thread close them) */
    file_get(out);
    if (ipipe && opipe) {
        nonblock |= ((in->flags | out->flags) & O_NONBLOCK) != 0;
        r = in->inode == out->inode ? -EINVAL : from_pipe(in, out, 0, len, nonblock, false);
    } else if (ipipe) {
        uint64_t pos = uoff_out ? (uint64_t)off_out : out->pos;
        if ((uoff_out && out->ops) || (out->flags & O_APPEND) || (int64_t)pos < 0) {
            r = -EINVAL;               /* an offset in a device; appending; before 0 */
        } else {
            r = from_pipe(in, out, &pos, len, nonblock || (in->flags & O_NONBLOCK), false);
            if (r > 0 && !out->ops && !uoff_out)
                out->pos = pos;
            off_out = (int64_t)pos;
        }
    } else if (opipe) {
        uint64_t pos = uoff_in ? (uint64_t)off_in : in->pos;
        if ((int64_t)pos < 0) {
            r = -EINVAL;
        } else {
            r = to_pipe(in, &pos, out, len, nonblock || (out->flags & O_NONBLOCK));
            if (r > 0 && !uoff_in)
                in->pos = pos;
            off_in = (int64_t)pos;
        }
    } else {
        r = -EINVAL;                   /* neither end is a pipe */
    }
    file_put(out);
    file_put(in);
    if (r > 0 && uoff_out && copy_to_user(uoff_out, &off_out, sizeof off_out) < 0)
        return -EFAULT;
    if (r > 0 && uoff_in && copy_to_user(uoff_in, &off_in, sizeof off_in) < 0)
        return -EFAULT;
    return r;
}

long sys_splice(struct trapframe *tf)
{
    return do_splice((int)tf->ebx, tf->ecx, (int)tf->edx, tf->esi, tf->edi, tf->ebp);
}

/* tee(fd_in, fd_out, len, flags): two different pipes. */
long sys_tee(struct trapframe *tf)
{
    uint32_t len = tf->edx, flags = tf->esi;
    if (flags & ~(uint32_t)SPLICE_F_ALL)
        return -EINVAL;
    if (len == 0)
        return 0;
    struct file *in = fd_lookup(fds(), (int)tf->ebx), *out = fd_lookup(fds(), (int)tf->ecx);
    if (!in || !out)
        return -EBADF;
    if ((in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (!file_is_pipe(in) || !file_is_pipe(out) || in->inode == out->inode)
        return -EINVAL;
    bool nonblock = (flags & SPLICE_F_NONBLOCK) || ((in->flags | out->flags) & O_NONBLOCK);
    file_get(in);
    file_get(out);
    long r = from_pipe(in, out, 0, len > MAX_RW ? MAX_RW : len, nonblock, true);
    file_put(out);
    file_put(in);
    return r;
}

/* vmsplice(fd, iov, nr_segs, flags): a write end takes the buffers (what
 * fits once there is room), a read end fills them (what is there once
 * there is something). */
long sys_vmsplice(struct trapframe *tf)
{
    vaddr_t uiov = tf->ecx;
    uint32_t nsegs = tf->edx, flags = tf->esi;
    if (flags & ~(uint32_t)SPLICE_F_ALL)
        return -EINVAL;
    struct file *f = fd_lookup(fds(), (int)tf->ebx);
    if (!f)
        return -EBADF;
    bool write = (f->flags & O_ACCMODE) != O_RDONLY;
    if (nsegs > 1024)
        return -EINVAL;
    uint64_t total = 0;
    for (uint32_t i = 0; i < nsegs; i++) {
        uint32_t seg[2];
        if (copy_from_user(seg, uiov + i * 8, sizeof seg) < 0)
            return -EFAULT;
        if ((int32_t)seg[1] < 0)
            return -EINVAL;
        total += seg[1];
    }
    if (total == 0)
        return 0;
    if (!file_is_pipe(f))
        return -EBADF;
    bool nonblock = (flags & SPLICE_F_NONBLOCK) || (f->flags & O_NONBLOCK);
    file_get(f);
    long have = write ? pipe_wait_room(f, nonblock) : pipe_wait_data(f, nonblock);
    long done = 0;
    for (uint32_t i = 0; have > 0 && done < have && i < nsegs; i++) {
        uint32_t seg[2];
        if (copy_from_user(seg, uiov + i * 8, sizeof seg) < 0)
            break;
        uint32_t n = seg[1] < (uint32_t)(have - done) ? seg[1] : (uint32_t)(have - done);
        if (n == 0)
            continue;
        if (user_range_ok(seg[0], n, !write) < 0) {
            if (done == 0)
                done = -EFAULT;
            break;
        }
        long r = write ? file_write(f, (const void *)seg[0], n, true)
                       : file_read(f, (void *)seg[0], n, true);
        if (r <= 0) {
            if (done == 0)
                done = r;
            break;
        }
        done += r;
        if ((uint32_t)r < n)
            break;
    }
    file_put(f);
    return have <= 0 ? have : done;
}
