/* uts.h: the host and domain names uname reports, and the system calls of
 * kernel/uts.c that set them.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef UTS_H
#define UTS_H

#include "kernel/trap.h"

/* The current names, NUL-terminated (at most 64 characters). */
const char *uts_nodename(void);
const char *uts_domainname(void);

long sys_sethostname(struct trapframe *tf);
long sys_setdomainname(struct trapframe *tf);

#endif
