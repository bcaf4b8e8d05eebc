/* sys_sockmsg.h: sending and receiving on a socket descriptor, from user
 * arguments (fs/sys_sockmsg.c), for fs/sys_socket.c's entry points. */
#ifndef SYS_SOCKMSG_H
#define SYS_SOCKMSG_H

#include "types.h"

/* Each returns what the system call does: bytes (messages, for the mmsg
 * pair) or -errno; fd is the caller's descriptor, the rest user pointers
 * and values as the calls take them. */
long do_sendto(int fd, vaddr_t buf, uint32_t len, uint32_t flags, vaddr_t uaddr, uint32_t alen);
long do_recvfrom(int fd, vaddr_t buf, uint32_t len, uint32_t flags, vaddr_t uaddr, vaddr_t ualen);
long do_sendmsg(int fd, vaddr_t umsg, uint32_t flags);
long do_recvmsg(int fd, vaddr_t umsg, uint32_t flags);
long do_sendmmsg(int fd, vaddr_t uvec, uint32_t vlen, uint32_t flags);
/* recvmmsg; utimeout (or 0) points to a struct timespec, 64-bit if time64. */
long do_recvmmsg(int fd, vaddr_t uvec, uint32_t vlen, uint32_t flags, vaddr_t utimeout,
                 bool time64);

#endif
