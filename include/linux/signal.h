/* signal.h: signal numbers, sigaction flags and sigprocmask's "how", with
 * Linux's i386 values.
 * Linux: <linux/signal.h> <asm-generic/signal-defs.h>
 *
 * A signal is a number from 1 to 64. 1-31 are the standard signals (each
 * either pending or not); 32-64 are the real-time ones, which queue. A
 * signal set is a 64-bit mask in which signal n is bit n - 1. */
#ifndef SIGNAL_H
#define SIGNAL_H

#include "types.h"

#define SIGHUP     1
#define SIGINT     2      /* ^C on the terminal */
#define SIGQUIT    3
#define SIGILL     4      /* an invalid instruction */
#define SIGTRAP    5      /* int3, a debugger's breakpoint */
#define SIGABRT    6
#define SIGBUS     7
#define SIGFPE     8      /* divide by zero, x87/SSE errors */
#define SIGKILL    9      /* cannot be caught, blocked or ignored */
#define SIGUSR1   10
#define SIGSEGV   11      /* a bad memory access */
#define SIGUSR2   12
#define SIGPIPE   13      /* a write to a pipe with no reader */
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17      /* a child ended or stopped */
#define SIGCONT   18
#define SIGSTOP   19      /* cannot be caught, blocked or ignored */
#define SIGTSTP   20      /* ^Z on the terminal */
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31
#define SIGRTMIN  32
#define _NSIG     64      /* bunshin: kernel-internal name (uapi's NSIG is the old 32) */
#define SIGRTMAX  _NSIG   /* bunshin: uapi cannot expand it (no _NSIG there) */

/* sa_flags of struct sigaction. */
#define SA_NOCLDSTOP 0x00000001u   /* no SIGCHLD when a child stops */
#define SA_NOCLDWAIT 0x00000002u   /* children are reaped at once, never zombies */
#define SA_SIGINFO   0x00000004u   /* the handler takes (sig, siginfo_t *, ucontext_t *) */
#define SA_EXPOSE_TAGBITS 0x00000800u   /* (arm64's: accepted, does nothing here) */
#define SA_RESTORER  0x04000000u   /* sa_restorer holds the C library's return trampoline */
#define SA_ONSTACK   0x08000000u   /* run on the sigaltstack */
#define SA_RESTART   0x10000000u   /* restart an interrupted system call */
#define SA_NODEFER   0x40000000u   /* do not block the signal in its own handler */
#define SA_RESETHAND 0x80000000u   /* back to SIG_DFL once delivered */

/* Special handler values. */
#define SIG_DFL 0               /* the default action */
#define SIG_IGN 1               /* ignore */

/* rt_sigprocmask's how. */
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* sigaltstack sizes and flags. */
#define MINSIGSTKSZ 2048
#define SIGSTKSZ    8192
#define SS_ONSTACK  1           /* running on the alternate stack now */
#define SS_DISABLE  2           /* no alternate stack */
#define SS_AUTODISARM (1u << 31) /* a handler on it disables it until sigreturn */

/* rt_sigaction's struct sigaction, the kernel's i386 layout (not the C
 * library's): a 64-bit mask after the restorer. */
struct sigaction_rt {
    uint32_t handler;           /* SIG_DFL, SIG_IGN or a user address */
    uint32_t flags;             /* SA_* */
    uint32_t restorer;          /* the C library's code that calls sigreturn */
    uint64_t mask;              /* blocked while the handler runs */
};
_Static_assert(sizeof(struct sigaction_rt) == 20, "the i386 kernel's struct sigaction");

/* The old sigaction (system call 67): a 32-bit mask, before the flags. */
struct old_sigaction {
    uint32_t handler;
    uint32_t mask;
    uint32_t flags;
    uint32_t restorer;
};

#endif
