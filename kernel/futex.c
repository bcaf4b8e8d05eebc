/* futex.c: the fast user-space mutex's kernel half. A thread library keeps
 * a lock word in shared memory and only enters the kernel to sleep on it or
 * wake sleepers: FUTEX_WAIT(addr, val) sleeps if *addr still equals val;
 * FUTEX_WAKE(addr, n) wakes up to n sleepers. pthread_join waits this way
 * on the thread's tid word, which the kernel zeroes and wakes at the
 * thread's exit (CLONE_CHILD_CLEARTID).
 *
 * A sleeper is found by (address space, user address): threads share an
 * mm, so the same address means the same word. (Private futexes only: a
 * word in memory shared between processes would need its physical address.)
 */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/timer.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "errno.h"
#include "param.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256

/* Sleepers sleep on the user address as their channel; futex_mm tells
 * address spaces apart. */
int futex_wake(struct mm *mm, vaddr_t uaddr, int n)
{
    int woken = 0;
    for (int i = 0; i < NPROC && woken < n; i++) {
        struct proc *p = &procs[i];
        if (p->state == PROC_SLEEPING && p->chan == (void *)uaddr && p->futex_mm == mm) {
            p->state = PROC_RUNNABLE;
            woken++;
        }
    }
    return woken;
}

static int futex_wait(vaddr_t uaddr, uint32_t val, vaddr_t utimeout)
{
    struct proc *p = current_proc();
    uint32_t now;
    if (uaddr % 4)
        return -EINVAL;
    if (copy_from_user(&now, uaddr, 4) < 0)
        return -EFAULT;
    if (now != val)
        return -EAGAIN;              /* it changed already: don't sleep */

    uint32_t until = 0;
    if (utimeout) {
        int32_t ts[2];
        if (copy_from_user(ts, utimeout, sizeof ts) < 0)
            return -EFAULT;
        if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
            return -EINVAL;
        uint64_t ns = (uint64_t)ts[0] * 1000000000u + (uint32_t)ts[1];
        uint64_t tick_ns = 1000000000u / HZ;
        until = timer_ticks() + (uint32_t)((ns + tick_ns - 1) / tick_ns) + 1;
        p->wake_tick = until;
    }
    p->futex_mm = p->mm;
    sleep_on((void *)uaddr);
    p->futex_mm = 0;
    p->wake_tick = 0;
    if (p->killed)
        return -EINTR;
    if (utimeout && (int32_t)(timer_ticks() - until) >= 0)
        return -ETIMEDOUT;
    return 0;
}

/* futex(uaddr, op, val, timeout, uaddr2, val3) */
long sys_futex(struct trapframe *tf)
{
    uint32_t op = tf->ecx & ~(uint32_t)(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    switch (op) {
    case FUTEX_WAIT:
        return futex_wait(tf->ebx, tf->edx, tf->esi);
    case FUTEX_WAKE:
        return futex_wake(current_proc()->mm, tf->ebx, (int)tf->edx);
    default:
        return -ENOSYS;              /* requeue, PI... : not implemented */
    }
}
