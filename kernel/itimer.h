/* itimer.h: alarm(2) and setitimer(2), the three interval timers every
 * process has, shared by its threads (kernel/itimer.c).
 *
 *   ITIMER_REAL     counts real time, then sends SIGALRM (alarm is this
 *                   timer in whole seconds);
 *   ITIMER_VIRTUAL  counts the process's CPU time in user mode: SIGVTALRM;
 *   ITIMER_PROF     counts its CPU time, user and system: SIGPROF.
 *
 * A timer with an interval goes on after it fires. As on Linux, ITIMER_REAL
 * is reloaded when its SIGALRM is taken (delivered, or fetched by
 * sigwaitinfo), not when it fires: while SIGALRM waits blocked, getitimer
 * says 0, and a process that ignores SIGALRM stops its timer for good. The
 * CPU timers are reloaded at once. A fork child starts with none; execve
 * keeps them. */
#ifndef ITIMER_H
#define ITIMER_H

#include "types.h"
#include "kernel/ktimer.h"

struct proc;
struct thread_group;

/* A timer's setting, in ns: the time to its next expiry (0: disarmed) and
 * its period (0: it fires once). setitimer's and timer_settime's. */
struct timer_setting {
    uint64_t value;
    uint64_t interval;
};

/* A timespec's fields as ns in *ns, or false if they are no valid time
 * (negative, or nsec a second or more: Linux's timespec64_valid). For the
 * settings of setitimer's successors, POSIX timers and timerfds. */
bool timespec_ns_ok(int64_t sec, int64_t nsec, uint64_t *ns);

/* Write setting c to user address u as a struct __kernel_itimerspec (wide:
 * the time64 calls) or an old_itimerspec32. 0 or -EFAULT. */
long timer_setting_put(vaddr_t u, const struct timer_setting *c, bool wide);

/* ITIMER_VIRTUAL or ITIMER_PROF: due when the process's CPU clock reaches
 * expires (ns; 0: off), then reloaded with interval. */
struct cpu_itimer {
    uint64_t expires;
    uint64_t interval;
};

/* A process's interval timers (in its struct thread_group). */
struct itimers {
    int tgid;                      /* the process: ITIMER_REAL's SIGALRM goes to it */
    struct ktimer real;            /* ITIMER_REAL, armed while it counts down... */
    uint64_t real_expires;         /* ...to this time (monotonic ns) */
    uint64_t real_interval;        /* its period (ns), 0: it fires once */
    struct cpu_itimer virt, prof;  /* ITIMER_VIRTUAL, ITIMER_PROF */
};

/* alarm(seconds): set ITIMER_REAL to fire once in seconds (0: cancel it).
 * Returns the seconds the old one had left, rounded as Linux does: to the
 * nearest, but never 0 while it was still counting. */
unsigned int do_alarm(unsigned int seconds);
/* setitimer, getitimer: set timer which (ITIMER_*) to *v and/or read it (old,
 * cur). 0, or -EINVAL for another which. */
int do_setitimer(int which, const struct timer_setting *v, struct timer_setting *old);
int do_getitimer(int which, struct timer_setting *cur);

/* The hooks of the rest of the kernel:
 * itimer_sigalrm_taken: thread p has just taken SIGALRM from its process's
 * pending signals (signal_dequeue): reload ITIMER_REAL if it has an interval.
 * itimer_cpu_tick: a tick of CPU time was charged to thread p: fire
 * ITIMER_VIRTUAL and ITIMER_PROF if due (timer interrupt).
 * itimer_exit: the process of g has ended: stop ITIMER_REAL (do_exit). */
void itimer_sigalrm_taken(struct proc *p);
void itimer_cpu_tick(struct proc *p);
void itimer_exit(struct thread_group *g);

#endif
