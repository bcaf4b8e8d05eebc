/* net.h: the calls socketcall(2) multiplexes, with Linux's numbers.
 * Linux: <linux/net.h>
 *
 * Before Linux 4.3 i386 had one system call for every socket call,
 * socketcall(call, args): call says which, args points to its arguments in
 * user memory. C libraries still use it; bunshin has both it and the
 * direct numbers (fs/sys_socket.c). */
#ifndef LINUX_NET_H
#define LINUX_NET_H

#define SYS_SOCKET      1
#define SYS_BIND        2
#define SYS_CONNECT     3
#define SYS_LISTEN      4
#define SYS_ACCEPT      5
#define SYS_GETSOCKNAME 6
#define SYS_GETPEERNAME 7
#define SYS_SOCKETPAIR  8
#define SYS_SEND        9
#define SYS_RECV        10
#define SYS_SENDTO      11
#define SYS_RECVFROM    12
#define SYS_SHUTDOWN    13
#define SYS_SETSOCKOPT  14
#define SYS_GETSOCKOPT  15
#define SYS_SENDMSG     16
#define SYS_RECVMSG     17
#define SYS_ACCEPT4     18
#define SYS_RECVMMSG    19
#define SYS_SENDMMSG    20

#endif
