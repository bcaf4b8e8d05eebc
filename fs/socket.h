/* socket.h: sockets inside fs/ (docs/sockets.md): Unix-domain sockets
 * (AF_UNIX) and the Internet family on the loopback (AF_INET: TCP and UDP
 * between programs of this machine).
 *
 * A socket is an inode of type S_IFSOCK with no name, like a pipe: its
 * private part is a struct sock, and its one open file is what socket(2)
 * returns. What differs between the families is in a table of operations
 * (struct sock_ops), as Linux's proto_ops: the calls decode their
 * arguments and call sk->ops. The files:
 *   socket.c       the object: making one, its file_ops (read, write, poll,
 *                  close), its queue of messages, the SOL_SOCKET options,
 *                  addresses copied in and out
 *   sock_conn.c    connections, either family: the listener's queue,
 *                  connect's server end, accept, shutdown, closing
 *   sock_io.c      sending and receiving by type: a stream's bytes, one
 *                  datagram or packet per read
 *   unix.c         AF_UNIX's operations: socketpair, connect, send, recv
 *   unix_addr.c    AF_UNIX names: bind to a path (a socket inode in a
 *                  directory) or to an abstract name, and finding the
 *                  socket behind one
 *   scm.c          control messages: descriptors (SCM_RIGHTS) and
 *                  credentials (SCM_CREDENTIALS) carried with a message
 *   unix_gc.c      collecting sockets only messages in flight keep alive
 *   inet.c         AF_INET's operations: ports, bind, connect, listen,
 *                  the options of IPPROTO_IP and IPPROTO_TCP
 *   inet_io.c      AF_INET's send and receive: TCP's rules on a closed
 *                  peer, UDP's datagrams that are dropped, never waited for
 *   sys_socket.c   the system calls, and socketcall
 *   sys_sockmsg.c  sendmsg, recvmsg and the other send and receive calls
 * The kernel runs one process at a time with interrupts off, so nothing
 * here takes a lock; whoever waits sleeps on the sock (sleep_on(sk)).
 */
#ifndef FS_SOCKET_H
#define FS_SOCKET_H

#include "types.h"
#include "fs/file.h"
#include "linux/socket.h"
#include "linux/un.h"
#include "linux/in.h"

/* Room for an address of either family: what bind, connect, sendto and
 * sendmsg copy in (Linux takes at most 128 bytes; the longest address,
 * AF_UNIX's, has 110), read as the family of the socket says. */
union sock_addr {
    uint16_t family;
    struct sockaddr_un un;
    struct sockaddr_in in;
};

struct sock;
struct sock_io;

/* What a message carries besides its bytes (fs/scm.c). */
struct scm {
    struct file **files;         /* SCM_RIGHTS: a reference to each, or NULL */
    uint32_t nfiles;
    struct ucred cred;           /* the sender's, always recorded */
    bool has_cred;               /* sendmsg named them (SCM_CREDENTIALS) */
};

/* One message in a socket's receive queue: a datagram, a packet, or one
 * write's bytes of a stream. */
struct sock_msg {
    struct sock_msg *next;
    uint32_t len;                /* bytes of data */
    uint32_t taken;              /* bytes a stream reader already took */
    struct scm scm;
    union sock_addr from;        /* the sender's name (recvfrom) */
    uint32_t fromlen;            /* 0: the sender had none */
    uint8_t data[];
};

enum sock_state {
    SS_UNCONNECTED,              /* new, or bound, or a datagram socket */
    SS_LISTENING,
    SS_CONNECTED,
};

/* shutdown's two halves, as seen by this socket. */
#define SHUT_RCV_MASK  1         /* nothing more will arrive */
#define SHUT_SEND_MASK 2         /* nothing more may be sent */

/* What a family does (sk->ops); fs/unix.c and fs/inet.c fill one each. The
 * calls in sys_socket.c have checked the descriptor and copied the address
 * in (len bytes of it, at most 128). */
struct sock_ops {
    int family;                                  /* AF_UNIX, AF_INET */
    int (*bind)(struct sock *sk, union sock_addr *a, uint32_t len);
    /* nonblock: the file's O_NONBLOCK. */
    int (*connect)(struct sock *sk, union sock_addr *a, uint32_t len, bool nonblock);
    int (*listen)(struct sock *sk, int backlog);
    int (*shutdown)(struct sock *sk, int how);
    long (*send)(struct sock *sk, struct file *f, struct sock_io *io);
    long (*recv)(struct sock *sk, struct file *f, struct sock_io *io);
    /* sk's own name (peer false) or its peer's into *a, *len bytes of it:
     * 0 or -ENOTCONN. */
    int (*getname)(struct sock *sk, bool peer, union sock_addr *a, uint32_t *len);
    /* Take sk's name away (its file closed, or it was never accepted). */
    void (*unbind)(struct sock *sk);
    /* Would a send wait for room? */
    bool (*send_waits)(struct sock *sk);
    /* An int option at a level other than SOL_SOCKET: read it into *v, or
     * set it from *v. NULL: the family has none (EOPNOTSUPP). */
    int (*option)(struct sock *sk, int level, int name, int32_t *v, bool set);
};

struct sock {
    const struct sock_ops *ops;  /* its family's */
    int protocol;                /* AF_INET: IPPROTO_TCP or IPPROTO_UDP; AF_UNIX: 0 */
    struct inode *inode;         /* the inode this is the private part of */
    struct file *file;           /* its open file, NULL before and after */
    struct sock *next_all;       /* every sock, for the collector (unix_gc.c) */
    uint32_t inflight;           /* references to file held by messages */
    int gc_state;                /* unix_gc.c's marks */
    uint32_t gc_internal;
    int type;                    /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
    enum sock_state state;
    bool closed;                 /* its file was closed: a dead peer */
    bool opening;                /* sock_open_file is making its file */
    uint32_t shutdown;           /* SHUT_RCV_MASK | SHUT_SEND_MASK */
    int error;                   /* SO_ERROR: pending, reported once */
    bool passcred;               /* SO_PASSCRED */
    uint32_t sndbuf, rcvbuf;     /* SO_SNDBUF, SO_RCVBUF, as set */
    int64_t rcvtimeo, sndtimeo;  /* SO_RCVTIMEO, SO_SNDTIMEO in ticks; -1: none */
    /* Options kept and read back: SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE,
     * SO_BROADCAST, SO_OOBINLINE; SO_LINGER. */
    bool reuseaddr, reuseport, keepalive, broadcast, oobinline;
    struct linger linger;

    /* The other end: a reference to its inode (connected, or a datagram
     * socket's default destination). */
    struct sock *peer;
    struct ucred peercred;       /* SO_PEERCRED */

    /* Its name, if bound: addrlen 0 means none. A path's socket inode is
     * held in name_inode. */
    union sock_addr addr;
    uint32_t addrlen;
    struct inode *name_inode;
    struct sock *next_abstract;  /* in the abstract namespace's list */

    /* AF_INET (inet.c): the peer's address once connected (a UDP socket's
     * default destination has no sock behind it), the list of sockets
     * holding a port, and the IPPROTO_IP and IPPROTO_TCP options. */
    struct sockaddr_in remote;
    bool has_remote;
    bool reset;                  /* TCP: the peer's reset came; sends fail */
    bool connecting;             /* TCP: connect said EINPROGRESS */
    bool port_chosen, addr_chosen;   /* bind named the port / the address */
    struct sock *next_port;
    int32_t ip_tos, ip_ttl, tcp_nodelay, tcp_cork, tcp_keepidle, tcp_keepintvl, tcp_keepcnt;

    /* Received messages, oldest first, and their bytes. */
    struct sock_msg *head, *tail;
    uint32_t queued, nmsgs;

    /* A listening socket: connections made and not yet accepted (each a
     * reference to the server end's inode), and how many it may hold. */
    struct sock *pending_head, *pending_tail, *next_pending;
    uint32_t npending, backlog;
};

/* How much a receive queue holds before senders wait: Linux's default
 * buffer (212992 bytes); datagram queues also stop at DGRAM_QLEN messages
 * (Linux's net.unix.max_dgram_qlen, 10, counted as it counts them). */
#define SOCK_BUF_DEFAULT 212992
#define SOCK_DGRAM_QLEN  10
#define SOCK_MAX_BACKLOG 4096

/* What sendmsg and recvmsg hand the socket: the data's buffers (in user
 * memory), the destination or where the source goes, and the control. */
struct sock_io {
    struct iovec_32 *iov;        /* a kernel copy of the user's array */
    uint32_t niov;
    uint32_t total;              /* bytes in all of them */
    union sock_addr addr;        /* sendto's destination / recvfrom's source */
    uint32_t addrlen;
    struct scm scm;              /* send: what to carry; recv: what came */
    bool kernel;                 /* iov holds kernel pointers (a read or
                                    write from inside the kernel) */
    uint64_t deadline;           /* SO_RCVTIMEO/SO_SNDTIMEO's end, or 0 */
    uint32_t flags;              /* MSG_* asked */
    uint32_t out_flags;          /* recvmsg's msg_flags */
};

/* ---- socket.c ---- */
/* A new socket of family ops and type (unchecked), not connected: its sock,
 * with a reference to its inode for the caller. NULL: no memory. */
struct sock *sock_new(const struct sock_ops *ops, int type);
/* Open the one file of sk's inode (takes no inode reference from the
 * caller). flags: O_NONBLOCK. */
int sock_open_file(struct sock *sk, uint32_t flags, struct file **out);
/* The sock behind an open file, or NULL if it is not a socket. */
struct sock *sock_of_file(struct file *f);
/* The socket open on descriptor fd of the caller: 0, -EBADF, -ENOTSOCK. */
int sock_lookup(int fd, struct file **f, struct sock **sk);
struct sock *sock_get(struct sock *sk);        /* a reference to its inode */
void sock_put(struct sock *sk);
/* Wake whoever waits on sk (readers, writers, connectors, poll). */
void sock_wake(struct sock *sk);
/* Append m to sk's receive queue. */
void sock_enqueue(struct sock *sk, struct sock_msg *m);
/* Take the first message off sk's queue (the caller frees it). */
struct sock_msg *sock_dequeue(struct sock *sk);
/* A message of len bytes (uninitialised data), NULL: no memory. */
struct sock_msg *sock_msg_new(uint32_t len);
/* Free m and release the descriptors it still carries. */
void sock_msg_free(struct sock_msg *m);
/* The caller's ucred as SO_PEERCRED records it (pid, euid, egid). */
void sock_current_cred(struct ucred *c);
/* ...and as a message records its sender (pid, real uid and gid: Linux's
 * scm_send). */
void sock_sender_cred(struct ucred *c);
/* When a wait with timeout timeo (ticks, -1: none) started now ends: a
 * timer_ticks() value, or 0 for never. */
uint64_t sock_deadline(int64_t timeo);
/* Wait for sk to change, until deadline (0: no limit). 0: look again;
 * -EAGAIN: the deadline passed; a signal: -ERESTARTSYS, or -EINTR when
 * there is a deadline (as Linux: a call with a timeout is not restarted). */
int sock_wait(struct sock *sk, uint64_t deadline);
int sock_getsockopt(struct sock *sk, int level, int name, vaddr_t uval, vaddr_t ulen);
int sock_setsockopt(struct sock *sk, int level, int name, vaddr_t uval, uint32_t len);
/* Copy an address from user memory as every call does first: -EINVAL
 * (more than 128 bytes), -EFAULT; a is zero-filled past ulen bytes, which
 * may be more than it holds (cut to it). */
int sock_addr_copy(vaddr_t uaddr, uint32_t ulen, union sock_addr *a, uint32_t *len);
/* Copy an address of len bytes out to user memory as getsockname does:
 * *ulen says the room, and gets the full length. */
int sock_addr_to_user(const union sock_addr *a, uint32_t len, vaddr_t uaddr, vaddr_t ulen);

/* ---- sock_conn.c ---- */
/* Connect a and b both ways (each holds a reference to the other). */
void sock_connect_pair(struct sock *a, struct sock *b);
/* Stream sk connects to listening socket to: wait for room in its queue
 * (-EAGAIN if nonblock), then make the server's end, connect the two and
 * queue it for accept. Takes over the caller's reference to to. 0,
 * -ECONNREFUSED (to stopped listening), -EISCONN, -ENOMEM, a signal. */
int sock_connect_to(struct sock *sk, struct sock *to, bool nonblock);
/* Make sk a listening socket with backlog (sk is bound: the caller checks). */
int sock_listen(struct sock *sk, int backlog);
/* The next connection made to listening sk: its sock, with a reference. */
int sock_accept(struct sock *sk, bool nonblock, struct sock **out);
/* This end stops receiving or sending, and the connected peer sees it. */
int sock_shutdown(struct sock *sk, int how);
/* A listener stops listening: the connections it had not accepted are
 * refused, and accept waiting on it fails (EINVAL). */
void sock_unlisten(struct sock *sk);
/* sk's file was closed: leave the peer, the listener's queue, the name. */
void sock_release_conn(struct sock *sk);

/* ---- sock_io.c ---- */
/* Must this call not wait (O_NONBLOCK on the file, or MSG_DONTWAIT)? */
bool sock_io_nonblock(struct file *f, struct sock_io *io);
/* A message of n bytes from the io's buffers at off, from sk, carrying
 * io's control part if with_scm (which then belongs to the message). */
int sock_make_msg(struct sock *sk, struct sock_io *io, uint32_t off, uint32_t n,
                  bool with_scm, struct sock_msg **out);
/* Is there room in to's queue for n more bytes? An empty queue always
 * takes one message, however long. */
bool sock_has_room(struct sock *to, uint32_t n);
/* Writing to a stream nobody will read: EPIPE, and SIGPIPE unless
 * MSG_NOSIGNAL. */
long sock_broken_pipe(struct sock_io *io);
/* A stream's bytes or a seqpacket's one packet to the connected peer. */
long sock_stream_send(struct sock *sk, struct file *f, struct sock_io *io);
/* Bytes from as many messages as it takes (a stream). */
long sock_stream_recv(struct sock *sk, struct file *f, struct sock_io *io);
/* One message per read: a datagram or a packet. Bytes (or, with MSG_TRUNC,
 * its whole length), 0 at end of file, -errno. What the message carried is
 * left in io->scm, io->addr and io->out_flags for the caller to hand out or
 * release. */
long sock_packet_recv(struct sock *sk, struct file *f, struct sock_io *io);

/* ---- unix.c ---- */
extern const struct sock_ops unix_ops;
/* socket(AF_UNIX, type, protocol)'s checks: 0 and *kind, or -errno. */
int unix_check_type(int type, int protocol, int *kind);
int unix_socketpair(int type, struct sock **a, struct sock **b);

/* ---- unix_addr.c ---- */
/* Check an address a of *len bytes is AF_UNIX's, and set *len to what
 * counts of it (a path's bytes after its NUL dropped): 0 or -EINVAL. len 2
 * (the family alone) passes. */
int unix_addr_check(struct sockaddr_un *a, uint32_t *len);
/* Give sk the name a (len bytes): a path makes a socket inode; -EADDRINUSE,
 * -EINVAL (already bound), -ENOENT, -EACCES. len 2: an abstract name made
 * up (Linux's autobind). */
int unix_bind(struct sock *sk, const struct sockaddr_un *a, uint32_t len);
/* The socket bound to a (with a reference), or -ENOENT (no such path),
 * -ECONNREFUSED (a path but nobody bound there, or no such abstract name),
 * -EACCES. */
int unix_find(const struct sockaddr_un *a, uint32_t len, struct sock **out);
/* sk is going: take its name away from the abstract list / its inode. */
void unix_unbind(struct sock *sk);

/* ---- inet.c ---- */
extern const struct sock_ops inet_ops;
/* socket(AF_INET, type, protocol)'s checks: 0 with *kind and *proto (the
 * protocol it gets), or -errno. */
int inet_check_type(int type, int protocol, int *kind, int *proto);
/* The first AF_INET socket holding a port (the rest follow next_port): for
 * /proc/net (fs/procfs_net.c). */
struct sock *inet_ports(void);
/* A new AF_INET socket's protocol and defaults (TCP's buffer sizes). */
void inet_init(struct sock *sk, int protocol);
/* Give sk a port of its own if it has none (autobind): 0 or -EADDRINUSE. */
int inet_autobind(struct sock *sk);
/* The UDP socket that takes a datagram to dst from src, or NULL. */
struct sock *inet_udp_find(const struct sockaddr_in *dst, const struct sockaddr_in *src);
/* The address sk sends from to reach 127.x.y.z: its own, with 127.0.0.1 for
 * one bound to every address. */
void inet_source(struct sock *sk, struct sockaddr_in *src);
/* Is this host address (network order) one of this machine's? */
bool inet_addr_local(uint32_t addr);

/* ---- inet_io.c ---- */
long inet_send(struct sock *sk, struct file *f, struct sock_io *io);
long inet_recv(struct sock *sk, struct file *f, struct sock_io *io);

/* ---- unix_gc.c ---- */
extern struct sock *sock_all;    /* every sock (socket.c keeps the list) */
/* Free what only cycles of sockets in flight keep alive (a socket sent
 * through itself, two sockets queued on each other): Linux's garbage
 * collector, run when a socket closes. */
void unix_gc(void);

/* ---- scm.c ---- */
/* Take (hold) or let go of (drop) a message's reference to f, keeping count
 * of the references to sockets in flight (unmark: the reference moves to a
 * descriptor instead). */
struct file *scm_hold(struct file *f);
void scm_drop(struct file *f);
void scm_unmark(struct file *f);
/* Read the control messages of a sendmsg into io->scm: SCM_RIGHTS
 * descriptors (references taken), SCM_CREDENTIALS (checked). -EINVAL,
 * -EBADF, -EFAULT, -EPERM, -ETOOMANYREFS. */
int scm_from_user(vaddr_t uctl, uint32_t len, struct scm *scm);
/* Release what scm holds (a message never sent or never received). */
void scm_release(struct scm *scm);
/* Write what a received message carries to the recvmsg control buffer:
 * credentials if want_cred, then its descriptors, each installed in the
 * caller's table (close-on-exec if msgflags has MSG_CMSG_CLOEXEC) and
 * moved out of scm. *used gets the bytes written, *flags MSG_CTRUNC when
 * some did not fit (the caller's scm_release closes those). */
int scm_to_user(struct scm *scm, bool want_cred, uint32_t msgflags, vaddr_t uctl,
                uint32_t room, uint32_t *used, uint32_t *flags);

#endif
