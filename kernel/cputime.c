/* cputime.c: CPU time, one timer tick at a time (cputime.h). */
#include "kernel/cputime.h"
#include "kernel/itimer.h"
#include "kernel/posix_timer.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "drivers/timer.h"

uint64_t cpu_user_ticks, cpu_system_ticks, cpu_idle_ticks;

void cputime_tick(struct proc *p, bool user)
{
    struct thread_group *g = p->group;
    if (user) {
        p->utime++;
        g->utime++;
        cpu_user_ticks++;
    } else {
        p->stime++;
        g->stime++;
        cpu_system_ticks++;
    }
    itimer_cpu_tick(p);
    posix_timer_cpu_tick(p);
    rlimit_cpu_tick(p);
}

uint64_t cputime_thread_ns(const struct proc *p)
{
    return (p->utime + p->stime) * TICK_NS;
}

uint64_t cputime_process_ns(const struct thread_group *g)
{
    return (g->utime + g->stime) * TICK_NS;
}

uint64_t cputime_process_user_ns(const struct thread_group *g)
{
    return g->utime * TICK_NS;
}
