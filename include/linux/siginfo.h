/* siginfo.h: what a signal carries besides its number (siginfo_t), with
 * Linux's i386 layout and codes.
 * Linux: <asm-generic/siginfo.h>
 *
 * si_code says where the signal came from: <= 0 from a program (kill,
 * sigqueue, tkill...), > 0 from the kernel, with a meaning per signal (a
 * SIGSEGV's SEGV_MAPERR, a SIGCHLD's CLD_EXITED...). */
#ifndef SIGINFO_H
#define SIGINFO_H

#include "types.h"

/* 128 bytes, as on Linux: three ints, then one of these by the signal's kind. */
struct siginfo {
    int32_t si_signo;
    int32_t si_errno;
    int32_t si_code;
    union {
        int32_t pad[29];
        struct {                   /* kill, tkill: SI_USER, SI_TKILL */
            int32_t pid;
            uint32_t uid;
        } kill;
        struct {                   /* POSIX timers: SI_TIMER */
            int32_t tid;
            int32_t overrun;
            uint32_t value;
        } timer;
        struct {                   /* sigqueue: SI_QUEUE */
            int32_t pid;
            uint32_t uid;
            uint32_t value;
        } rt;
        struct {                   /* SIGCHLD: CLD_* */
            int32_t pid;
            uint32_t uid;
            int32_t status;        /* exit code, or the signal */
            int32_t utime, stime;  /* clock_t: 32 bits on i386 */
        } chld;
        struct {                   /* SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP */
            uint32_t addr;
        } fault;
    } f;
};
_Static_assert(sizeof(struct siginfo) == 128, "siginfo_t is 128 bytes");

/* How a POSIX timer tells its process it expired (struct sigevent). */
#define SIGEV_SIGNAL    0   /* a signal to the process */
#define SIGEV_NONE      1   /* nothing: the program asks timer_gettime */
#define SIGEV_THREAD    2   /* the C library's; to the kernel, SIGEV_SIGNAL */
#define SIGEV_THREAD_ID 4   /* a signal to one thread of the process */

/* timer_create's struct sigevent, as far as the kernel reads it: Linux's
 * is 64 bytes on i386, but the rest is the C library's (SIGEV_THREAD's
 * function and attributes), and Linux reads these 16 bytes alone. */
struct sigevent_head {
    uint32_t sigev_value;          /* si_value of the signal (an int or a pointer) */
    int32_t sigev_signo;
    int32_t sigev_notify;          /* SIGEV_* */
    int32_t sigev_tid;             /* SIGEV_THREAD_ID: the thread */
};

/* From a program. */
#define SI_USER    0        /* kill */
#define SI_KERNEL  0x80     /* the kernel, with nothing more to say */
#define SI_QUEUE   (-1)     /* sigqueue */
#define SI_TIMER   (-2)     /* a POSIX timer */
#define SI_MESGQ   (-3)
#define SI_ASYNCIO (-4)
#define SI_SIGIO   (-5)
#define SI_TKILL   (-6)     /* tkill, tgkill */

/* SIGILL */
#define ILL_ILLOPC 1        /* illegal opcode */
#define ILL_ILLOPN 2        /* illegal operand */
#define ILL_ILLADR 3
#define ILL_ILLTRP 4
#define ILL_PRVOPC 5        /* privileged opcode */
#define ILL_PRVREG 6
#define ILL_COPROC 7
#define ILL_BADSTK 8

/* SIGFPE */
#define FPE_INTDIV 1        /* integer divide by zero */
#define FPE_INTOVF 2
#define FPE_FLTDIV 3
#define FPE_FLTOVF 4
#define FPE_FLTUND 5
#define FPE_FLTRES 6
#define FPE_FLTINV 7
#define FPE_FLTSUB 8

/* SIGSEGV */
#define SEGV_MAPERR 1       /* no mapping at the address */
#define SEGV_ACCERR 2       /* a mapping, but not with these rights */

/* SIGBUS */
#define BUS_ADRALN 1        /* misaligned */
#define BUS_ADRERR 2        /* no such physical address (past a file's end) */
#define BUS_OBJERR 3

/* SIGTRAP */
#define TRAP_BRKPT 1        /* a breakpoint */
#define TRAP_TRACE 2        /* a single step */

/* SIGCHLD */
#define CLD_EXITED    1     /* exited */
#define CLD_KILLED    2     /* killed by a signal */
#define CLD_DUMPED    3     /* killed, with the core bit */
#define CLD_TRAPPED   4
#define CLD_STOPPED   5     /* stopped */
#define CLD_CONTINUED 6     /* continued by SIGCONT */

#endif
