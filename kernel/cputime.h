/* cputime.h: how much CPU time threads and processes have used.
 *
 * Counted by sampling, as Linux does without precise accounting: each timer
 * tick is charged to the thread it interrupted, as user time if the CPU was
 * in user mode, system time if in the kernel. bunshin's kernel runs with
 * interrupts off, so a tick that comes during a system call waits until
 * the return to user mode and is charged as user time: system time stays
 * near 0, and ITIMER_PROF counts much as ITIMER_VIRTUAL does. */
#ifndef CPUTIME_H
#define CPUTIME_H

#include "types.h"

struct proc;
struct thread_group;

/* The CPU's ticks since boot, as /proc/stat's "cpu" line counts them: in
 * user mode, in the kernel, and in the idle loop (kernel/sched.c counts
 * those). */
extern uint64_t cpu_user_ticks, cpu_system_ticks, cpu_idle_ticks;
/* Switches from the scheduler to a process since boot (kernel/sched.c),
 * /proc/stat's "ctxt". */
extern uint64_t context_switches;

/* The tick that just ended interrupted thread p (in user mode if user):
 * charge it to p and its process, and fire the CPU-time timers that are
 * due (ITIMER_VIRTUAL, ITIMER_PROF, POSIX timers on the CPU clocks) and
 * RLIMIT_CPU's signals. From the timer interrupt. */
void cputime_tick(struct proc *p, bool user);

/* CPU time in ns: thread p's own; process g's (every thread it has had,
 * the dead ones too), and the user-mode part of g's. */
uint64_t cputime_thread_ns(const struct proc *p);
uint64_t cputime_process_ns(const struct thread_group *g);
uint64_t cputime_process_user_ns(const struct thread_group *g);

#endif
