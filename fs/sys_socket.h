/* sys_socket.h: the socket system calls (fs/sys_socket.c, fs/sys_sockmsg.c):
 * socketcall and the direct i386 numbers Linux added in 4.3.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_SOCKET_H
#define SYS_SOCKET_H

#include "kernel/trap.h"

long sys_socketcall(struct trapframe *tf);
long sys_socket(struct trapframe *tf);
long sys_socketpair(struct trapframe *tf);
long sys_bind(struct trapframe *tf);
long sys_connect(struct trapframe *tf);
long sys_listen(struct trapframe *tf);
long sys_accept4(struct trapframe *tf);
long sys_getsockopt(struct trapframe *tf);
long sys_setsockopt(struct trapframe *tf);
long sys_getsockname(struct trapframe *tf);
long sys_getpeername(struct trapframe *tf);
long sys_sendto(struct trapframe *tf);
long sys_sendmsg(struct trapframe *tf);
long sys_recvfrom(struct trapframe *tf);
long sys_recvmsg(struct trapframe *tf);
long sys_shutdown(struct trapframe *tf);
long sys_recvmmsg(struct trapframe *tf);
long sys_recvmmsg_time64(struct trapframe *tf);
long sys_sendmmsg(struct trapframe *tf);

#endif
