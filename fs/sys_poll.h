/* sys_poll.h: the system calls of fs/sys_poll.c, which wait for several
 * descriptors at once: poll, ppoll, select (the old form and _newselect),
 * pselect6, and the _time64 forms with 64-bit seconds; epoll_create,
 * epoll_create1, epoll_ctl, epoll_wait, epoll_pwait and epoll_pwait2.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_POLL_H
#define SYS_POLL_H

#include "kernel/trap.h"

long sys_poll(struct trapframe *tf);
long sys_ppoll(struct trapframe *tf);
long sys_ppoll_time64(struct trapframe *tf);
long sys_select(struct trapframe *tf);
long sys_old_select(struct trapframe *tf);
long sys_pselect6(struct trapframe *tf);
long sys_pselect6_time64(struct trapframe *tf);
long sys_epoll_create(struct trapframe *tf);
long sys_epoll_create1(struct trapframe *tf);
long sys_epoll_ctl(struct trapframe *tf);
long sys_epoll_wait(struct trapframe *tf);
long sys_epoll_pwait(struct trapframe *tf);
long sys_epoll_pwait2(struct trapframe *tf);

#endif
