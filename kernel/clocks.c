/* clocks.c: the clocks a program names by id (clocks.h). */
#include "kernel/clocks.h"
#include "kernel/cputime.h"
#include "kernel/ktimer.h"
#include "kernel/proc.h"
#include "drivers/clock.h"
#include "drivers/timer.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/time.h"

enum clock_kind clock_kind(int id)
{
    switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_TAI:                /* TAI - UTC: 0 here, as on a Linux that
                                      no NTP daemon has told otherwise */
        return CLOCK_WALL;
    case CLOCK_MONOTONIC:
    case CLOCK_BOOTTIME:
        return CLOCK_BOOT;
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE:
        return CLOCK_READ_ONLY;
    case CLOCK_PROCESS_CPUTIME_ID:
        return CLOCK_PROCESS_CPU;
    case CLOCK_THREAD_CPUTIME_ID:
        return CLOCK_THREAD_CPU;
    case CLOCK_REALTIME_ALARM:
    case CLOCK_BOOTTIME_ALARM:
        return CLOCK_ALARM;
    default:
        /* Negative ids name the CPU clocks of other processes and threads
         * (clock_getcpuclockid): only clock_gettime and clock_getres read
         * them here (clock_now); the calls that sleep or arm timers on a
         * clock say EINVAL, as for no clock. */
        return CLOCK_NONE;
    }
}

/* The thread or process a negative CPU clock id names, as Linux finds it:
 * pid 0 is the caller; a thread clock names a thread of the caller's own
 * process; a process clock, any thread of that process. NULL: none. */
static struct proc *cpu_clock_owner(int id)
{
    int pid = ~(id >> 3);          /* an arithmetic shift: ~pid << 3 undone */
    struct proc *me = current_proc();
    if (pid == 0)
        return me;
    struct proc *p = proc_find(pid);
    if (!p)
        return 0;
    if ((id & CPUCLOCK_PERTHREAD_MASK) && p->group != me->group)
        return 0;
    return p;
}

/* Read the CPU clock of Linux's encoding id (negative): -EINVAL for a kind
 * past CPUCLOCK_MAX or a thread or process that does not exist. */
static int cpu_clock_now(int id, uint64_t *ns)
{
    int kind = id & CPUCLOCK_CLOCK_MASK;
    if (kind >= CPUCLOCK_MAX)
        return -EINVAL;
    struct proc *p = cpu_clock_owner(id);
    if (!p)
        return -EINVAL;
    if (id & CPUCLOCK_PERTHREAD_MASK)
        *ns = (kind == CPUCLOCK_VIRT ? p->utime : p->utime + p->stime) * TICK_NS;
    else
        *ns = kind == CPUCLOCK_VIRT ? cputime_process_user_ns(p->group)
                                    : cputime_process_ns(p->group);
    return 0;
}

int clock_now(int id, uint64_t *ns)
{
    if (id < 0)
        return cpu_clock_now(id, ns);
    switch (clock_kind(id)) {
    case CLOCK_WALL:
        *ns = clock_realtime_ns();
        return 0;
    case CLOCK_BOOT:
        *ns = clock_monotonic_ns();
        return 0;
    case CLOCK_READ_ONLY:
        *ns = id == CLOCK_REALTIME_COARSE ? clock_realtime_ns() : clock_monotonic_ns();
        return 0;
    case CLOCK_PROCESS_CPU:
        *ns = cputime_process_ns(current_proc()->group);
        return 0;
    case CLOCK_THREAD_CPU:
        *ns = cputime_thread_ns(current_proc());
        return 0;
    default:
        return -EINVAL;            /* the alarm clocks too, without their device */
    }
}

uint64_t clock_offset(int id)
{
    if (clock_kind(id) == CLOCK_WALL)
        return clock_realtime_ns() - clock_monotonic_ns();
    return 0;
}

uint64_t timespec_to_ns(int64_t sec, int64_t nsec)
{
    if ((uint64_t)sec >= NS_MAX / 1000000000u)
        return NS_MAX;
    return (uint64_t)sec * 1000000000u + (uint64_t)nsec;
}

int timespec_from_user(vaddr_t u, bool time64, uint64_t *ns)
{
    int64_t sec, nsec;
    if (time64) {
        struct __kernel_timespec ts;
        if (copy_from_user(&ts, u, sizeof ts) < 0)
            return -EFAULT;
        sec = ts.tv_sec;
        nsec = (int32_t)ts.tv_nsec;
    } else {
        struct old_timespec32 ts;
        if (copy_from_user(&ts, u, sizeof ts) < 0)
            return -EFAULT;
        sec = ts.tv_sec;
        nsec = ts.tv_nsec;
    }
    if (sec < 0 || nsec < 0 || nsec >= 1000000000)
        return -EINVAL;
    *ns = timespec_to_ns(sec, nsec);
    return 0;
}
