/* sys_sockmsg.c: the send and receive calls on sockets: sendto, recvfrom,
 * sendmsg, recvmsg and their many-message forms. They decode the user's
 * struct msghdr (buffers, address, control messages) into a struct sock_io
 * and hand it to the socket's family (sk->ops); recvmsg writes back what came: the sender's
 * name, the control messages (scm.c), and msg_flags. */
#include "fs/sys_sockmsg.h"
#include "fs/socket.h"
#include "drivers/clock.h"
#include "kernel/clocks.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "lib/string.h"

#define UIO_MAXIOV 1024            /* Linux's limit on msg_iovlen */
#define MMSG_MAX   1024            /* and on recvmmsg/sendmmsg's vlen */

/* Add up the user's buffers' lengths (Linux cuts the total at INT_MAX).
 * Their memory is not looked at here: as on Linux, a recv into a bad
 * buffer with nothing to read waits (or says EAGAIN), and sock_io.c
 * copies before it takes a message off its queue, so a fault (EFAULT)
 * loses nothing. */
static int io_check(struct sock_io *io)
{
    io->total = 0;
    for (uint32_t i = 0; i < io->niov; i++) {
        struct iovec_32 *v = &io->iov[i];
        if ((int32_t)v->len < 0)
            return -EINVAL;
        if (v->len > 0x7fffffffu - io->total)
            v->len = 0x7fffffffu - io->total;
        io->total += v->len;
    }
    return 0;
}

long do_sendto(int fd, vaddr_t buf, uint32_t len, uint32_t flags, vaddr_t uaddr, uint32_t alen)
{
    struct file *f;
    struct sock *sk;
    int r = sock_lookup(fd, &f, &sk);
    if (r < 0)
        return r;
    struct sock_io io;
    struct iovec_32 iov = { buf, len };
    memset(&io, 0, sizeof io);
    io.iov = &iov;
    io.niov = 1;
    io.flags = flags;
    if ((r = io_check(&io)) < 0)
        return r;
    if (uaddr && (r = sock_addr_copy(uaddr, alen, &io.addr, &io.addrlen)) < 0)
        return r;
    return sk->ops->send(sk, f, &io);
}

/* Write a received message's source name as recvfrom and accept do. */
static int put_name(struct sock_io *io, vaddr_t uaddr, vaddr_t ualen)
{
    return sock_addr_to_user(&io->addr, io->addrlen, uaddr, ualen);
}

long do_recvfrom(int fd, vaddr_t buf, uint32_t len, uint32_t flags, vaddr_t uaddr, vaddr_t ualen)
{
    struct file *f;
    struct sock *sk;
    int r = sock_lookup(fd, &f, &sk);
    if (r < 0)
        return r;
    struct sock_io io;
    struct iovec_32 iov = { buf, len };
    memset(&io, 0, sizeof io);
    io.iov = &iov;
    io.niov = 1;
    io.flags = flags;
    if ((r = io_check(&io)) < 0)
        return r;
    long n = sk->ops->recv(sk, f, &io);
    scm_release(&io.scm);          /* descriptors nobody asked for are closed */
    if (n >= 0 && uaddr && (r = put_name(&io, uaddr, ualen)) < 0)
        return r;
    return n;
}

/* Copy a msghdr and its iovec array in: io->iov is kmalloc'd (the caller
 * frees it). */
static int msg_in(vaddr_t umsg, struct msghdr *m, struct sock_io *io)
{
    if (copy_from_user(m, umsg, sizeof *m) < 0)
        return -EFAULT;
    if (m->msg_iovlen > UIO_MAXIOV)
        return -EMSGSIZE;
    io->niov = m->msg_iovlen;
    if (io->niov) {
        io->iov = kmalloc(io->niov * sizeof *io->iov);
        if (!io->iov)
            return -ENOMEM;
        if (copy_from_user(io->iov, m->msg_iov, io->niov * sizeof *io->iov) < 0)
            return -EFAULT;
    }
    return io_check(io);
}

long do_sendmsg(int fd, vaddr_t umsg, uint32_t flags)
{
    struct file *f;
    struct sock *sk;
    int r = sock_lookup(fd, &f, &sk);
    if (r < 0)
        return r;
    struct msghdr m;
    struct sock_io io;
    memset(&io, 0, sizeof io);
    io.flags = flags;
    long n = msg_in(umsg, &m, &io);
    if (n == 0 && m.msg_name && m.msg_namelen)
        n = sock_addr_copy(m.msg_name, m.msg_namelen, &io.addr, &io.addrlen);
    if (n == 0 && m.msg_controllen)
        n = scm_from_user(m.msg_control, m.msg_controllen, &io.scm);
    if (n == 0)
        n = sk->ops->send(sk, f, &io);
    scm_release(&io.scm);          /* a message not sent gives them back */
    kfree(io.iov);
    return n;
}

long do_recvmsg(int fd, vaddr_t umsg, uint32_t flags)
{
    struct file *f;
    struct sock *sk;
    int r = sock_lookup(fd, &f, &sk);
    if (r < 0)
        return r;
    struct msghdr m;
    struct sock_io io;
    memset(&io, 0, sizeof io);
    io.flags = flags;
    long n = msg_in(umsg, &m, &io);
    if (n == 0)
        n = sk->ops->recv(sk, f, &io);
    if (n >= 0) {
        uint32_t used = 0, name = io.addrlen;
        /* Credentials travel only between Unix-domain sockets. */
        bool want_cred = sk->passcred && sk->ops->family == AF_UNIX;
        r = scm_to_user(&io.scm, want_cred, flags, m.msg_control,
                        m.msg_control ? m.msg_controllen : 0, &used, &io.out_flags);
        if (r == 0 && m.msg_name && name)
            r = copy_to_user(m.msg_name, &io.addr, name < m.msg_namelen ? name : m.msg_namelen);
        m.msg_namelen = m.msg_name ? name : 0;
        m.msg_controllen = used;
        m.msg_flags = io.out_flags;
        if (r == 0 && copy_to_user(umsg, &m, sizeof m) < 0)
            r = -EFAULT;
        if (r < 0)
            n = r;
    }
    scm_release(&io.scm);
    kfree(io.iov);
    return n;
}

/* The many-message forms: one sendmsg or recvmsg per element, each
 * element's msg_len set; the count done, or the first error if none was.
 * deadline (recvmmsg's timeout, as a clock_monotonic_ns() value; 0: none)
 * is looked at after each message, as Linux does: it does not cut short
 * the wait for one (recvmmsg(2) calls that a bug). */
static long do_mmsg(int fd, vaddr_t uvec, uint32_t vlen, uint32_t flags, bool send,
                    uint64_t deadline)
{
    if (vlen > MMSG_MAX)
        vlen = MMSG_MAX;
    uint32_t i = 0;
    long r = 0;
    for (; i < vlen; i++) {
        if (i > 0 && deadline && clock_monotonic_ns() >= deadline)
            break;
        vaddr_t um = uvec + i * sizeof(struct mmsghdr);
        uint32_t f = flags & ~(uint32_t)MSG_WAITFORONE;
        if (!send && i > 0 && (flags & MSG_WAITFORONE))
            f |= MSG_DONTWAIT;
        r = send ? do_sendmsg(fd, um, f) : do_recvmsg(fd, um, f);
        if (r < 0)
            break;
        uint32_t len = (uint32_t)r;
        if (copy_to_user(um + sizeof(struct msghdr), &len, sizeof len) < 0) {
            r = -EFAULT;
            break;
        }
    }
    return i > 0 ? (long)i : r;
}

long do_sendmmsg(int fd, vaddr_t uvec, uint32_t vlen, uint32_t flags)
{
    return do_mmsg(fd, uvec, vlen, flags, true, 0);
}

long do_recvmmsg(int fd, vaddr_t uvec, uint32_t vlen, uint32_t flags, vaddr_t utimeout,
                 bool time64)
{
    uint64_t deadline = 0, ns;
    if (!utimeout)
        return do_mmsg(fd, uvec, vlen, flags, false, 0);
    int r = timespec_from_user(utimeout, time64, &ns);
    if (r < 0)
        return r;
    deadline = clock_monotonic_ns() + ns;
    long n = do_mmsg(fd, uvec, vlen, flags, false, deadline ? deadline : 1);
    if (n <= 0)
        return n;
    /* As select does, Linux writes back the time that was left. */
    uint64_t now = clock_monotonic_ns(), left = deadline > now ? deadline - now : 0;
    int64_t t64[2] = { (int64_t)(left / 1000000000u), (int64_t)(left % 1000000000u) };
    int32_t t32[2] = { (int32_t)t64[0], (int32_t)t64[1] };
    if (time64 ? copy_to_user(utimeout, t64, sizeof t64) < 0
               : copy_to_user(utimeout, t32, sizeof t32) < 0)
        return -EFAULT;
    return n;
}
