/* socket.h: the socket calls' constants and structs, with Linux's i386
 * values: address families, socket types, the flags of send and recv,
 * the socket options bunshin answers, and the control messages (SCM_*).
 * Linux: <sys/socket.h>
 * Linux struct: msghdr msg_name msg_namelen msg_iov msg_iovlen msg_control msg_controllen msg_flags
 * Linux struct: cmsghdr cmsg_len cmsg_level cmsg_type
 * Linux struct: linger l_onoff l_linger
 *
 * A socket is made in a family (AF_UNIX: named by a path or an abstract
 * name, both ends on this machine) with a type (a byte stream, datagrams,
 * or sequenced packets). sendmsg and recvmsg move data described by a
 * struct msghdr: an address, an array of buffers (struct iovec, as readv's)
 * and control messages, each a struct cmsghdr followed by its data (open
 * descriptors for SCM_RIGHTS: docs/sockets.md). */
#ifndef LINUX_SOCKET_H
#define LINUX_SOCKET_H

#include "types.h"

/* Address families (the first argument of socket). */
#define AF_UNSPEC  0
#define AF_UNIX    1          /* also AF_LOCAL */
#define AF_INET    2
#define AF_INET6   10
#define AF_NETLINK 16
#define AF_PACKET  17

/* Socket types, and the flags socket, socketpair and accept4 take with them. */
#define SOCK_STREAM    1      /* a byte stream, connected */
#define SOCK_DGRAM     2      /* datagrams, boundaries kept */
#define SOCK_RAW       3      /* for AF_UNIX, the same as SOCK_DGRAM */
#define SOCK_SEQPACKET 5      /* connected, boundaries kept */
#define SOCK_NONBLOCK  04000      /* O_NONBLOCK on the new file */
#define SOCK_CLOEXEC   02000000   /* close-on-exec on the new descriptor */

/* send and recv flags, and recvmsg's msg_flags. */
#define MSG_OOB          0x1
#define MSG_PEEK         0x2          /* read without taking it off the queue */
#define MSG_CTRUNC       0x8          /* the control data did not all fit */
#define MSG_TRUNC        0x20         /* a datagram longer than the buffer */
#define MSG_DONTWAIT     0x40         /* this call does not wait (EAGAIN) */
#define MSG_EOR          0x80
#define MSG_WAITALL      0x100        /* wait for the whole length */
#define MSG_NOSIGNAL     0x4000       /* EPIPE without SIGPIPE */
#define MSG_WAITFORONE   0x10000      /* recvmmsg: wait for the first only */
#define MSG_CMSG_CLOEXEC 0x40000000   /* received descriptors close on exec */

/* shutdown's how. */
#define SHUT_RD   0
#define SHUT_WR   1
#define SHUT_RDWR 2

/* Socket options: level SOL_SOCKET. */
#define SOL_SOCKET   1
#define SO_REUSEADDR 2
#define SO_TYPE      3
#define SO_ERROR     4
#define SO_SNDBUF    7
#define SO_RCVBUF    8
#define SO_BROADCAST 6
#define SO_KEEPALIVE 9
#define SO_OOBINLINE 10
#define SO_LINGER    13          /* a struct linger */
#define SO_REUSEPORT 15
#define SO_PASSCRED  16          /* receive SCM_CREDENTIALS with each message */
#define SO_RCVTIMEO_OLD 20       /* bunshin: Linux's name; a timeval of two 32-bit longs */
#define SO_SNDTIMEO_OLD 21       /* bunshin: Linux's name */
#define SO_PEERCRED  17          /* the peer's struct ucred, at connect time */
#define SO_RCVLOWAT  18
#define SO_SNDLOWAT  19
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL  38
#define SO_DOMAIN    39
#define SO_RCVTIMEO  66          /* how long a receive waits: a 64-bit timeval */
#define SO_SNDTIMEO  67          /* ...and a send (musl on i386 asks these) */

/* Control messages (cmsg_type at level SOL_SOCKET). */
#define SCM_RIGHTS      1        /* open file descriptions */
#define SCM_CREDENTIALS 2        /* a struct ucred */

struct iovec_32 {                /* bunshin: struct iovec, i386 */
    uint32_t base, len;
};

struct msghdr {
    uint32_t msg_name;           /* user address of the address, or 0 */
    uint32_t msg_namelen;
    uint32_t msg_iov;            /* user address of struct iovec[msg_iovlen] */
    uint32_t msg_iovlen;
    uint32_t msg_control;        /* user address of the control messages */
    uint32_t msg_controllen;
    uint32_t msg_flags;
};

struct mmsghdr {                 /* bunshin: recvmmsg/sendmmsg's element */
    struct msghdr msg_hdr;
    uint32_t msg_len;
};

struct cmsghdr {
    uint32_t cmsg_len;           /* header and data, not counting the padding */
    int32_t cmsg_level;
    int32_t cmsg_type;
};

struct linger {                  /* SO_LINGER's value */
    int32_t l_onoff, l_linger;
};

struct ucred {                   /* bunshin: <sys/socket.h> has it under _GNU_SOURCE */
    int32_t pid;
    uint32_t uid, gid;
};

#endif
