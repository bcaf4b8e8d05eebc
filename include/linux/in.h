/* in.h: Internet (IPv4) socket addresses, protocols and the options bunshin
 * answers, with Linux's values.
 * Linux: <netinet/in.h> <netinet/tcp.h>
 * Linux struct: sockaddr_in sin_family sin_port sin_addr sin_zero
 *
 * An AF_INET address is a 32-bit host address and a 16-bit port, both in
 * network byte order (big-endian): 127.0.0.1 port 80 is sin_addr
 * 0x0100007f and sin_port 0x5000 as an i386 reads them. bunshin has one
 * network interface, the loopback (fs/inet.c): every address 127.x.y.z is
 * this machine, and nothing else can be reached. */
#ifndef LINUX_IN_H
#define LINUX_IN_H

#include "types.h"

/* socket's protocol argument for AF_INET. */
#define IPPROTO_IP   0           /* the type's default: TCP for streams, UDP for datagrams */
#define IPPROTO_ICMP 1
#define IPPROTO_TCP  6
#define IPPROTO_UDP  17

/* Host addresses, in host byte order. */
#define INADDR_ANY       0x00000000u   /* bind: every address of this machine */
#define INADDR_LOOPBACK  0x7f000001u   /* 127.0.0.1 */

/* Options at level IPPROTO_IP (SOL_IP)... */
#define IP_TOS 1
#define IP_TTL 2

/* ...and at level IPPROTO_TCP (SOL_TCP). */
#define TCP_NODELAY   1
#define TCP_MAXSEG    2
#define TCP_CORK      3
#define TCP_KEEPIDLE  4
#define TCP_KEEPINTVL 5
#define TCP_KEEPCNT   6

struct in_addr {
    uint32_t s_addr;             /* network byte order */
};

struct sockaddr_in {
    uint16_t sin_family;         /* AF_INET */
    uint16_t sin_port;           /* network byte order */
    struct in_addr sin_addr;
    uint8_t sin_zero[8];
};

#endif
