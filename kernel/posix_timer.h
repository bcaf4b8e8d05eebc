/* posix_timer.h: timer_create(2) and its calls: timers a process makes by
 * the dozen, each on a clock of its choice, telling it of each expiry by a
 * signal with si_code SI_TIMER (kernel/posix_timer.c).
 *
 * Each timer has a sigqueue of its own, made with it: an expiry queues that
 * one (never a copy), so a timer has at most one signal pending, and expiries
 * that come while it waits are counted as overruns instead. As with
 * ITIMER_REAL, a periodic timer is set going again only when its signal is
 * taken, and the periods it missed meanwhile become the signal's si_overrun
 * (and timer_getoverrun's answer). A fork child has no timers; execve and
 * exit delete them all.
 */
#ifndef POSIX_TIMER_H
#define POSIX_TIMER_H

#include "types.h"
#include "kernel/itimer.h"
#include "kernel/ktimer.h"
#include "kernel/signal.h"
#include "linux/siginfo.h"

struct posix_timer {
    struct posix_timer *next;      /* the process's next timer (by id) */
    struct thread_group *group;    /* the process that made it */
    int id;                        /* timer_create's answer: 0, 1, 2... */
    int clockid;                   /* what it counts: CLOCK_* */
    int notify;                    /* SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID */
    int tid;                       /* SIGEV_THREAD_ID: the thread; else the process */
    int cpu_tid;                   /* CLOCK_THREAD_CPUTIME_ID: whose time it counts */
    struct ktimer kt;              /* the real-time clocks' kernel timer */
    bool armed;                    /* counting down (for the CPU clocks: kt is unused) */
    uint64_t expires;              /* the next expiry: monotonic ns, or ns of CPU time */
    uint64_t interval;             /* its period (ns), 0: it fires once */
    bool requeue;                  /* fired, with an interval: goes on once its
                                      signal is taken */
    uint32_t seq;                  /* + 1 at each timer_settime... */
    uint32_t queued_seq;           /* ...and its value when the signal was queued:
                                      a signal of an older setting is dropped */
    int64_t overrun;               /* expiries missed since the last signal, - 1 */
    int overrun_last;              /* those of the signal last taken (getoverrun) */
    struct sigqueue q;             /* its signal, queued in place */
};

/* The system calls' workers. ev: the sigevent, or NULL (SIGEV_SIGNAL with
 * SIGALRM and the id as value). do_timer_create gives the new id in *id;
 * a setting is in ns, value 0 disarming. All: 0 or -errno as on Linux. */
int do_timer_create(int clockid, const struct sigevent_head *ev, int *id);
int do_timer_settime(int id, int flags, const struct timer_setting *v,
                     struct timer_setting *old);
int do_timer_gettime(int id, struct timer_setting *cur);
int do_timer_getoverrun(int id);
int do_timer_delete(int id);

/* The hooks of the rest of the kernel:
 * posix_timer_deliver: signal_dequeue has just taken t's signal (into
 * *info): false if the timer no longer wants it (set again since: drop it);
 * else a periodic timer goes on, and info gets its overrun count.
 * posix_timer_unqueued: t's signal left its pending set undelivered.
 * posix_timer_cpu_tick: a tick of CPU time was charged to thread p.
 * posix_timer_delete_all: execve and the process's end (each object freed). */
bool posix_timer_deliver(struct posix_timer *t, struct siginfo *info);
void posix_timer_unqueued(struct posix_timer *t);
void posix_timer_cpu_tick(struct proc *p);
void posix_timer_delete_all(struct thread_group *g);

#endif
