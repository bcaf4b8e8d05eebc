/* socket.h: Unix-domain sockets inside fs/ (docs/sockets.md).
 *
 * A socket is an inode of type S_IFSOCK with no name, like a pipe: its
 * private part is a struct sock, and its one open file is what socket(2)
 * returns. The files:
 *   socket.c       the object: making one, its file_ops (read, write, poll,
 *                  close), its queue of messages, getsockopt/setsockopt
 *   unix_addr.c    names: bind to a path (a socket inode in a directory) or
 *                  to an abstract name, and finding the socket behind one
 *   unix_conn.c    connections: socketpair, listen, connect, accept, shutdown
 *   unix_io.c      sending and receiving, for each type
 *   scm.c          control messages: descriptors (SCM_RIGHTS) and
 *                  credentials (SCM_CREDENTIALS) carried with a message
 *   unix_gc.c      collecting sockets only messages in flight keep alive
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
    struct sockaddr_un from;     /* the sender's name (recvfrom) */
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

struct sock {
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

    /* The other end: a reference to its inode (connected, or a datagram
     * socket's default destination). */
    struct sock *peer;
    struct ucred peercred;       /* SO_PEERCRED */

    /* Its name, if bound: addrlen 0 means none. A path's socket inode is
     * held in name_inode. */
    struct sockaddr_un addr;
    uint32_t addrlen;
    struct inode *name_inode;
    struct sock *next_abstract;  /* in the abstract namespace's list */

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

/* ---- socket.c ---- */
/* A new socket of type (unchecked), not connected: its sock, with a
 * reference to its inode for the caller. NULL: no memory. */
struct sock *sock_new(int type);
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

/* ---- unix_addr.c ---- */
/* Copy an address from user memory as every call does first: -EINVAL
 * (more than 128 bytes), -EFAULT; a is zero-filled past ulen bytes, which
 * may be more than it holds (cut to it). */
int unix_addr_copy(vaddr_t uaddr, uint32_t ulen, struct sockaddr_un *a, uint32_t *len);
/* Check an address a of *len bytes is AF_UNIX's, and set *len to what
 * counts of it (a path's bytes after its NUL dropped): 0 or -EINVAL. len 2
 * (the family alone) passes. */
int unix_addr_check(struct sockaddr_un *a, uint32_t *len);
/* Both. */
int unix_addr_from_user(vaddr_t uaddr, uint32_t ulen, struct sockaddr_un *a, uint32_t *len);
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
/* Copy an address of len bytes out to user memory as getsockname does:
 * *ulen says the room, and gets the full length. */
int unix_addr_to_user(const struct sockaddr_un *a, uint32_t len, vaddr_t uaddr, vaddr_t ulen);

/* ---- unix_conn.c ---- */
int unix_socketpair(int type, struct sock **a, struct sock **b);
int unix_listen(struct sock *sk, int backlog);
/* Connect sk to the socket named by a. nonblock: -EAGAIN rather than
 * waiting for room in a full backlog. */
int unix_connect(struct sock *sk, const struct sockaddr_un *a, uint32_t len, bool nonblock);
/* A datagram socket forgets its default destination. */
int unix_disconnect(struct sock *sk);
/* The next connection made to listening sk: its sock, with a reference. */
int unix_accept(struct sock *sk, bool nonblock, struct sock **out);
int unix_shutdown(struct sock *sk, int how);
/* sk's file was closed: leave the peer, the listener's queue, the name. */
void unix_release(struct sock *sk);

/* ---- unix_io.c ---- */
/* What sendmsg and recvmsg hand the socket: the data's buffers (in user
 * memory), the destination or where the source goes, and the control. */
struct sock_io {
    struct iovec_32 *iov;        /* a kernel copy of the user's array */
    uint32_t niov;
    uint32_t total;              /* bytes in all of them */
    struct sockaddr_un addr;     /* sendto's destination / recvfrom's source */
    uint32_t addrlen;
    struct scm scm;              /* send: what to carry; recv: what came */
    bool kernel;                 /* iov holds kernel pointers (a read or
                                    write from inside the kernel) */
    uint64_t deadline;           /* SO_RCVTIMEO/SO_SNDTIMEO's end, or 0 */
    uint32_t flags;              /* MSG_* asked */
    uint32_t out_flags;          /* recvmsg's msg_flags */
};
/* Send io on sk (open as f): bytes sent or -errno. io->scm goes with the
 * first message (what is left in it the caller releases). */
long unix_send(struct sock *sk, struct file *f, struct sock_io *io);
/* Receive into io: bytes (or, with MSG_TRUNC, a datagram's whole length),
 * 0 at end of file, -errno. What the message carried is left in io->scm,
 * io->addr and io->out_flags for the caller to hand out or release. */
long unix_recv(struct sock *sk, struct file *f, struct sock_io *io);

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
