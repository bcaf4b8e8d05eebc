/* prctl.h: prctl's options that bunshin knows, as Linux's <linux/prctl.h>
 * numbers them. Every other option is EINVAL, as Linux answers for an
 * option it does not have.
 * Linux: <linux/prctl.h> <asm/prctl.h>
 */
#ifndef LINUX_PRCTL_H
#define LINUX_PRCTL_H

#define PR_SET_PDEATHSIG     1    /* the signal to get when the parent thread ends */
#define PR_GET_PDEATHSIG     2
#define PR_GET_DUMPABLE      3    /* may the process leave a core (and be traced)? */
#define PR_SET_DUMPABLE      4
#define PR_SET_NAME         15    /* the thread's name: 15 bytes and a NUL */
#define PR_GET_NAME         16
#define PR_CAPBSET_READ     23    /* is a capability in the bounding set? */
#define PR_GET_CHILD_SUBREAPER 37
#define PR_SET_NO_NEW_PRIVS 38    /* execve may never give more privilege */
#define PR_GET_NO_NEW_PRIVS 39

/* arch_prctl's codes that 32-bit Linux answers (<asm/prctl.h>). */
#define ARCH_GET_CPUID 0x1011
#define ARCH_SET_CPUID 0x1012

#endif
