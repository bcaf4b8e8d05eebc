/* sys_socket.c: the socket system calls, both ways i386 makes them: the
 * direct numbers (socket 359 ... shutdown 373, recvmmsg 337 and 417,
 * sendmmsg 345)
 * and socketcall (102), which takes a call number (linux/net.h) and a
 * pointer to that call's arguments in user memory. Each entry point puts
 * its six argument registers in an array and goes through sock_call, so
 * the two ways share every line after that.
 *
 * AF_UNIX and AF_INET exist (fs/socket.h); socket() answers EAFNOSUPPORT
 * for every other family, which is what a C library probing for AF_INET6
 * or AF_NETLINK expects of a kernel without them. Past the descriptor and
 * the address, every call goes to the socket's family: sk->ops.
 */
#include "fs/sys_socket.h"
#include "fs/sys_sockmsg.h"
#include "fs/sys_common.h"
#include "fs/socket.h"
#include "kernel/proc.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/net.h"
#include "lib/string.h"

/* recvmmsg_time64 (417) has no socketcall number: this one is bunshin's
 * own, past socketcall's last (which refuses it). */
#define CALL_RECVMMSG_TIME64 (SYS_SENDMMSG + 1)

#define SOCK_TYPE_MASK 0xf
#define SOCK_TYPE_MAX  11          /* Linux's SOCK_MAX: types from here are EINVAL */

/* socket's family and type arguments: the family's operations, the type,
 * the protocol it gets, and (in type) the new file's flags. Linux's order
 * of checks: unknown flags and types past SOCK_MAX are EINVAL, a family
 * bunshin lacks EAFNOSUPPORT, then the family's own answers. */
static int check_socket_args(int family, uint32_t type, int protocol,
                             const struct sock_ops **ops, int *kind, int *proto)
{
    if (type & ~(uint32_t)(SOCK_TYPE_MASK | SOCK_CLOEXEC | SOCK_NONBLOCK))
        return -EINVAL;
    if (family != AF_UNIX && family != AF_INET)
        return -EAFNOSUPPORT;
    int t = (int)(type & SOCK_TYPE_MASK);
    if (t >= SOCK_TYPE_MAX)
        return -EINVAL;
    if (family == AF_INET) {
        *ops = &inet_ops;
        return inet_check_type(t, protocol, kind, proto);
    }
    *ops = &unix_ops;
    *proto = 0;
    return unix_check_type(t, protocol, kind);
}

/* Open sk's file and give it a descriptor (flags: SOCK_NONBLOCK,
 * SOCK_CLOEXEC). Takes over the caller's reference to sk, even failing. */
static int sock_install(struct sock *sk, uint32_t flags)
{
    struct file *f;
    int r = sock_open_file(sk, flags & SOCK_NONBLOCK ? O_NONBLOCK : 0, &f);
    sock_put(sk);                  /* the file holds it now, or it goes */
    if (r < 0)
        return r;
    r = fd_install(fds(), f, 0, fd_limit(), flags & SOCK_CLOEXEC);
    if (r < 0)
        file_put(f);
    return r;
}

static long do_socket(int family, uint32_t type, int protocol)
{
    const struct sock_ops *ops;
    int kind, proto;
    int r = check_socket_args(family, type, protocol, &ops, &kind, &proto);
    if (r < 0)
        return r;
    if ((r = fd_lowest_free(fds(), 0, fd_limit())) < 0)
        return r;
    struct sock *sk = sock_new(ops, kind);
    if (!sk)
        return -ENOMEM;
    if (ops == &inet_ops)
        inet_init(sk, proto);
    return sock_install(sk, type);
}

/* Only AF_UNIX has pairs: Linux's AF_INET says EOPNOTSUPP. */
static long do_socketpair(int family, uint32_t type, int protocol, vaddr_t usv)
{
    const struct sock_ops *ops;
    int kind, proto;
    int r = check_socket_args(family, type, protocol, &ops, &kind, &proto);
    if (r < 0)
        return r;
    if (ops != &unix_ops)
        return -EOPNOTSUPP;
    struct sock *a, *b;
    if ((r = unix_socketpair(kind, &a, &b)) < 0)
        return r;
    int fd[2];
    fd[0] = sock_install(a, type);
    if (fd[0] < 0) {
        sock_put(b);
        return fd[0];
    }
    fd[1] = sock_install(b, type);
    if (fd[1] < 0) {
        fd_close(fds(), fd[0]);
        return fd[1];
    }
    if (copy_to_user(usv, fd, sizeof fd) < 0) {
        fd_close(fds(), fd[0]);
        fd_close(fds(), fd[1]);
        return -EFAULT;
    }
    return 0;
}

static long do_bind(int fd, vaddr_t uaddr, uint32_t len)
{
    struct file *f;
    struct sock *sk;
    union sock_addr a;
    int r = sock_lookup(fd, &f, &sk);
    if (r == 0)
        r = sock_addr_copy(uaddr, len, &a, &len);
    return r < 0 ? r : sk->ops->bind(sk, &a, len);
}

static long do_connect(int fd, vaddr_t uaddr, uint32_t len)
{
    struct file *f;
    struct sock *sk;
    union sock_addr a;
    int r = sock_lookup(fd, &f, &sk);
    if (r == 0)
        r = sock_addr_copy(uaddr, len, &a, &len);
    return r < 0 ? r : sk->ops->connect(sk, &a, len, f->flags & O_NONBLOCK);
}

static long do_listen(int fd, int backlog)
{
    struct file *f;
    struct sock *sk;
    int r = sock_lookup(fd, &f, &sk);
    return r < 0 ? r : sk->ops->listen(sk, backlog);
}

/* A socket's own name or its peer's, as getsockname, getpeername and
 * accept write them. */
static int put_sock_name(struct sock *sk, bool peer, vaddr_t uaddr, vaddr_t ualen)
{
    union sock_addr a;
    uint32_t len;
    int r = sk->ops->getname(sk, peer, &a, &len);
    return r < 0 ? r : sock_addr_to_user(&a, len, uaddr, ualen);
}

static long do_accept4(int fd, vaddr_t uaddr, vaddr_t ualen, uint32_t flags)
{
    if (flags & ~(uint32_t)(SOCK_CLOEXEC | SOCK_NONBLOCK))
        return -EINVAL;
    struct file *f;
    struct sock *sk, *s;
    int32_t room;
    int r = sock_lookup(fd, &f, &sk);
    if (r < 0)
        return r;
    if (uaddr && copy_from_user(&room, ualen, sizeof room) < 0)
        return -EFAULT;
    if ((r = fd_lowest_free(fds(), 0, fd_limit())) < 0)
        return r;
    if ((r = sock_accept(sk, f->flags & O_NONBLOCK, &s)) < 0)
        return r;
    /* The connector's name; failing to write it loses the connection, as
     * on Linux. A connector that has gone since has no name to give: Linux
     * gives its address all the same (TCP) or none (AF_UNIX). */
    if (uaddr && (r = put_sock_name(s, true, uaddr, ualen)) < 0 && r != -ENOTCONN) {
        sock_put(s);
        return r;
    }
    return sock_install(s, flags);
}

static long do_getname(int fd, vaddr_t uaddr, vaddr_t ualen, bool peer)
{
    struct file *f;
    struct sock *sk;
    int r = sock_lookup(fd, &f, &sk);
    if (r < 0)
        return r;
    return put_sock_name(sk, peer, uaddr, ualen);
}

static long do_shutdown(int fd, int how)
{
    struct file *f;
    struct sock *sk;
    int r = sock_lookup(fd, &f, &sk);
    return r < 0 ? r : sk->ops->shutdown(sk, how);
}

static long do_sockopt(int fd, int level, int name, vaddr_t uval, uint32_t len, bool set)
{
    struct file *f;
    struct sock *sk;
    int r = sock_lookup(fd, &f, &sk);
    if (r < 0)
        return r;
    if (set)
        return sock_setsockopt(sk, level, name, uval, len);
    return sock_getsockopt(sk, level, name, uval, len);
}

/* Run socket call number call (linux/net.h) with arguments a[]. */
static long sock_dispatch(int call, const uint32_t *a)
{
    int fd = (int)a[0];
    switch (call) {
    case SYS_SOCKET:      return do_socket((int)a[0], a[1], (int)a[2]);
    case SYS_BIND:        return do_bind(fd, a[1], a[2]);
    case SYS_CONNECT:     return do_connect(fd, a[1], a[2]);
    case SYS_LISTEN:      return do_listen(fd, (int)a[1]);
    case SYS_ACCEPT:      return do_accept4(fd, a[1], a[2], 0);
    case SYS_GETSOCKNAME: return do_getname(fd, a[1], a[2], false);
    case SYS_GETPEERNAME: return do_getname(fd, a[1], a[2], true);
    case SYS_SOCKETPAIR:  return do_socketpair((int)a[0], a[1], (int)a[2], a[3]);
    case SYS_SEND:        return do_sendto(fd, a[1], a[2], a[3], 0, 0);
    case SYS_RECV:        return do_recvfrom(fd, a[1], a[2], a[3], 0, 0);
    case SYS_SENDTO:      return do_sendto(fd, a[1], a[2], a[3], a[4], a[5]);
    case SYS_RECVFROM:    return do_recvfrom(fd, a[1], a[2], a[3], a[4], a[5]);
    case SYS_SHUTDOWN:    return do_shutdown(fd, (int)a[1]);
    case SYS_SETSOCKOPT:  return do_sockopt(fd, (int)a[1], (int)a[2], a[3], a[4], true);
    case SYS_GETSOCKOPT:  return do_sockopt(fd, (int)a[1], (int)a[2], a[3], a[4], false);
    case SYS_SENDMSG:     return do_sendmsg(fd, a[1], a[2]);
    case SYS_RECVMSG:     return do_recvmsg(fd, a[1], a[2]);
    case SYS_ACCEPT4:     return do_accept4(fd, a[1], a[2], a[3]);
    case SYS_RECVMMSG:    return do_recvmmsg(fd, a[1], a[2], a[3], a[4], false);
    case CALL_RECVMMSG_TIME64: return do_recvmmsg(fd, a[1], a[2], a[3], a[4], true);
    case SYS_SENDMMSG:    return do_sendmmsg(fd, a[1], a[2], a[3]);
    default:              return -EINVAL;
    }
}

/* The same, holding a reference to the descriptor's file throughout: a
 * call may sleep (accept, connect, recv), and meanwhile a thread sharing
 * the descriptor table may close the descriptor; the socket must stay
 * until the call is done with it. */
static long sock_call(int call, const uint32_t *a)
{
    struct file *hold = 0;
    if (call != SYS_SOCKET && call != SYS_SOCKETPAIR && (hold = fd_lookup(fds(), (int)a[0])))
        file_get(hold);
    long r = sock_dispatch(call, a);
    if (hold)
        file_put(hold);
    return r;
}

/* socketcall(call, args): how many 32-bit arguments each call reads. */
static const uint8_t socketcall_nargs[SYS_SENDMMSG + 1] = {
    [SYS_SOCKET] = 3, [SYS_BIND] = 3, [SYS_CONNECT] = 3, [SYS_LISTEN] = 2,
    [SYS_ACCEPT] = 3, [SYS_GETSOCKNAME] = 3, [SYS_GETPEERNAME] = 3,
    [SYS_SOCKETPAIR] = 4, [SYS_SEND] = 4, [SYS_RECV] = 4, [SYS_SENDTO] = 6,
    [SYS_RECVFROM] = 6, [SYS_SHUTDOWN] = 2, [SYS_SETSOCKOPT] = 5,
    [SYS_GETSOCKOPT] = 5, [SYS_SENDMSG] = 3, [SYS_RECVMSG] = 3, [SYS_ACCEPT4] = 4,
    [SYS_RECVMMSG] = 5, [SYS_SENDMMSG] = 4,
};

long sys_socketcall(struct trapframe *tf)
{
    uint32_t call = tf->ebx, a[6] = { 0 };
    if (call < SYS_SOCKET || call > SYS_SENDMMSG)
        return -EINVAL;
    if (copy_from_user(a, tf->ecx, socketcall_nargs[call] * 4u) < 0)
        return -EFAULT;
    return sock_call((int)call, a);
}

/* The direct numbers: the registers are the arguments. */
static long direct(struct trapframe *tf, int call)
{
    uint32_t a[6] = { tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp };
    return sock_call(call, a);
}

long sys_socket(struct trapframe *tf)
{
    return direct(tf, SYS_SOCKET);
}

long sys_socketpair(struct trapframe *tf)
{
    return direct(tf, SYS_SOCKETPAIR);
}

long sys_bind(struct trapframe *tf)
{
    return direct(tf, SYS_BIND);
}

long sys_connect(struct trapframe *tf)
{
    return direct(tf, SYS_CONNECT);
}

long sys_listen(struct trapframe *tf)
{
    return direct(tf, SYS_LISTEN);
}

long sys_accept4(struct trapframe *tf)
{
    return direct(tf, SYS_ACCEPT4);
}

long sys_getsockopt(struct trapframe *tf)
{
    return direct(tf, SYS_GETSOCKOPT);
}

long sys_setsockopt(struct trapframe *tf)
{
    return direct(tf, SYS_SETSOCKOPT);
}

long sys_getsockname(struct trapframe *tf)
{
    return direct(tf, SYS_GETSOCKNAME);
}

long sys_getpeername(struct trapframe *tf)
{
    return direct(tf, SYS_GETPEERNAME);
}

long sys_sendto(struct trapframe *tf)
{
    return direct(tf, SYS_SENDTO);
}

long sys_sendmsg(struct trapframe *tf)
{
    return direct(tf, SYS_SENDMSG);
}

long sys_recvfrom(struct trapframe *tf)
{
    return direct(tf, SYS_RECVFROM);
}

long sys_recvmsg(struct trapframe *tf)
{
    return direct(tf, SYS_RECVMSG);
}

long sys_shutdown(struct trapframe *tf)
{
    return direct(tf, SYS_SHUTDOWN);
}

long sys_recvmmsg(struct trapframe *tf)
{
    return direct(tf, SYS_RECVMMSG);
}

long sys_sendmmsg(struct trapframe *tf)
{
    return direct(tf, SYS_SENDMMSG);
}

/* musl's recvmmsg tries this one first: its timeout is a 64-bit timespec. */
long sys_recvmmsg_time64(struct trapframe *tf)
{
    return direct(tf, CALL_RECVMMSG_TIME64);
}
