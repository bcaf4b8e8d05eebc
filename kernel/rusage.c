/* rusage.c: times(2), getrusage(2), and the rusage wait4 gives (rusage.h).
 *
 * bunshin counts CPU time in ticks (HZ 100, which is also i386 Linux's
 * USER_HZ, the unit of times' clock_t) and page faults. It has no I/O to
 * wait for (ru_majflt, ru_inblock, ru_oublock stay 0) and keeps no
 * high-water mark of resident memory: ru_maxrss is the resident memory of
 * the process now for RUSAGE_SELF, and 0 for children. */
#include "kernel/rusage.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "drivers/timer.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "lib/string.h"
#include "param.h"

/* Ticks as a timeval. */
static struct old_timeval32 ticks_tv(uint64_t ticks)
{
    struct old_timeval32 tv;
    tv.tv_sec = (int32_t)(ticks / HZ);
    tv.tv_usec = (int32_t)((ticks % HZ) * (1000000 / HZ));
    return tv;
}

static void fill(struct rusage *ru, uint64_t utime, uint64_t stime, uint32_t minflt)
{
    memset(ru, 0, sizeof *ru);
    ru->ru_utime = ticks_tv(utime);
    ru->ru_stime = ticks_tv(stime);
    ru->ru_minflt = (int32_t)minflt;
}

void rusage_reap(struct proc *p, struct rusage *ru)
{
    struct thread_group *g = p->group;
    uint64_t u = g->utime + g->cutime, s = g->stime + g->cstime;
    uint32_t flt = g->minflt + g->cminflt;
    if (ru)
        fill(ru, u, s, flt);
    struct thread_group *me = current_proc()->group;
    me->cutime += u;
    me->cstime += s;
    me->cminflt += flt;
}

/* times(buf): the process's and its reaped children's CPU time in ticks;
 * returns ticks since boot (an arbitrary start, as clock_t always was). */
long sys_times(struct trapframe *tf)
{
    struct thread_group *g = current_proc()->group;
    if (tf->ebx) {
        int32_t t[4] = { (int32_t)g->utime, (int32_t)g->stime, (int32_t)g->cutime,
                         (int32_t)g->cstime };
        if (copy_to_user(tf->ebx, t, sizeof t) < 0)
            return -EFAULT;
    }
    return (long)timer_ticks();
}

/* getrusage(who, ru): RUSAGE_SELF (every thread of the process), the
 * calling thread alone, or the reaped children. */
long sys_getrusage(struct trapframe *tf)
{
    struct proc *p = current_proc();
    struct thread_group *g = p->group;
    struct rusage ru;
    switch ((int)tf->ebx) {
    case RUSAGE_SELF:
        fill(&ru, g->utime, g->stime, g->minflt);
        break;
    case RUSAGE_THREAD:
        fill(&ru, p->utime, p->stime, 0);
        break;
    case RUSAGE_CHILDREN:
        fill(&ru, g->cutime, g->cstime, g->cminflt);
        break;
    default:
        return -EINVAL;
    }
    if ((int)tf->ebx != RUSAGE_CHILDREN && p->mm) {
        struct vm_usage u;
        vm_usage(p->mm, &u);
        ru.ru_maxrss = (int32_t)(u.rss_pages * (PAGE_SIZE / 1024));
    }
    return copy_to_user(tf->ecx, &ru, sizeof ru) < 0 ? -EFAULT : 0;
}
