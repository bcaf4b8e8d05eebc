/* affinity.c: which CPUs a thread may run on, and which it runs on. bunshin
 * has one CPU, number 0, so every thread runs there: sched_getaffinity
 * answers a mask with bit 0, sched_setaffinity takes a mask only if it
 * allows CPU 0, and getcpu says 0. Programs ask to size their thread pools
 * (Go's runtime, nproc). */
#include "kernel/affinity.h"
#include "kernel/proc.h"
#include "mm/usercopy.h"
#include "linux/errno.h"

/* Bytes in the kernel's CPU mask: Linux's cpumask_size() for a 32-bit
 * kernel built for at most 32 CPUs, one unsigned long. */
#define CPUMASK_BYTES 4

/* The thread a pid names for these calls (0: the caller), or NULL. */
static struct proc *thread_of(int pid)
{
    struct proc *p = pid ? proc_find(pid) : current_proc();
    return p && p->state != PROC_ZOMBIE ? p : 0;
}

/* sched_getaffinity(pid, len, mask): the mask's bytes written. len must
 * hold a bit per CPU (one here) and be a whole number of longs (Linux's
 * checks). */
long sys_sched_getaffinity(struct trapframe *tf)
{
    uint32_t len = tf->ecx;
    if (len == 0 || len % sizeof(uint32_t))
        return -EINVAL;
    if (!thread_of((int)tf->ebx))
        return -ESRCH;
    uint32_t mask = 1;             /* CPU 0 */
    if (copy_to_user(tf->edx, &mask, sizeof mask) < 0)
        return -EFAULT;
    return CPUMASK_BYTES;
}

/* sched_setaffinity(pid, len, mask): any mask that allows CPU 0 (bytes past
 * the kernel's mask are ignored, as Linux does). */
long sys_sched_setaffinity(struct trapframe *tf)
{
    uint32_t len = tf->ecx, mask = 0;
    uint32_t n = len < sizeof mask ? len : sizeof mask;
    if (copy_from_user(&mask, tf->edx, n) < 0)
        return -EFAULT;
    if (!thread_of((int)tf->ebx))
        return -ESRCH;
    return (mask & 1) ? 0 : -EINVAL;
}

/* getcpu(&cpu, &node, cache): CPU 0 of node 0; either pointer may be NULL. */
long sys_getcpu(struct trapframe *tf)
{
    uint32_t zero = 0;
    if (tf->ebx && copy_to_user(tf->ebx, &zero, sizeof zero) < 0)
        return -EFAULT;
    if (tf->ecx && copy_to_user(tf->ecx, &zero, sizeof zero) < 0)
        return -EFAULT;
    return 0;
}
