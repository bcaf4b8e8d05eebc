/* futex.c: the fast user-space mutex's kernel half. A thread library keeps
 * a lock word in shared memory and only enters the kernel to sleep on it or
 * wake sleepers: FUTEX_WAIT(addr, val) sleeps if *addr still equals val;
 * FUTEX_WAKE(addr, n) wakes up to n sleepers. pthread_join waits this way
 * on the thread's tid word, which the kernel zeroes and wakes at the
 * thread's exit (CLONE_CHILD_CLEARTID). The BITSET forms tag sleepers so
 * a wake can pick some of them; REQUEUE moves sleepers from one word to
 * another without waking them.
 *
 * A sleeper is found by its word's key: (address space, user address) for
 * a word of the process's own memory (threads share an mm, so the same
 * address means the same word), and (shared_space, physical address) for
 * a word in MAP_SHARED memory, where each process may map the word at an
 * address of its own. An operation with FUTEX_PRIVATE_FLAG promises the
 * word is not shared between processes and always takes the first key.
 */
#include "kernel/futex.h"
#include "kernel/clocks.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "drivers/clock.h"
#include "drivers/timer.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/futex.h"
#include "linux/time.h"
#include "param.h"

static char shared_space;          /* the "address space" of physical keys */

/* The key of the word at uaddr of mm (see the top of the file; kernel/futex.h),
 * also for the priority-inheritance operations (LOCK_PI...) of futex_pi.c. */
void futex_key(struct mm *mm, vaddr_t uaddr, bool private, struct mm **kmm,
               vaddr_t *kaddr)
{
    paddr_t pa;
    if (!private && mm && vm_shared_address(mm, uaddr, &pa)) {
        *kmm = (struct mm *)&shared_space;
        *kaddr = pa;
    } else {
        *kmm = mm;
        *kaddr = uaddr;
    }
}

/* A waiter keeps its word's key in futex_mm and futex_addr, and sleeps on
 * futex_addr as its channel; futex_bits is the bitset it waits with
 * (WAIT_BITSET; plain WAIT uses all bits). It waits from the moment
 * futex_wait sets futex_mm until a wake clears it: a waiter that a signal
 * has made runnable but that has not left yet still counts, and a wake that
 * takes it makes its futex_wait return 0 (as on Linux). */
bool futex_waits_on(struct proc *p, struct mm *mm, vaddr_t uaddr)
{
    return p->futex_mm == mm && p->futex_addr == uaddr &&
           (p->state == PROC_SLEEPING || p->state == PROC_RUNNABLE);
}

/* Wake up to n waiters on the word with key (mm, uaddr) whose bitset
 * shares a bit with bits. */
static int wake_bits(struct mm *mm, vaddr_t uaddr, int n, uint32_t bits)
{
    int woken = 0;
    for (int i = 0; i < proc_table_end && woken < n; i++) {
        struct proc *p = &procs[i];
        if (futex_waits_on(p, mm, uaddr) && (p->futex_bits & bits)) {
            p->futex_mm = 0;
            p->state = PROC_RUNNABLE;
            woken++;
        }
    }
    return woken;
}

int futex_wake(struct mm *mm, vaddr_t uaddr, int n)
{
    struct mm *kmm;
    vaddr_t kaddr;
    futex_key(mm, uaddr, false, &kmm, &kaddr);
    return wake_bits(kmm, kaddr, n, FUTEX_BITSET_MATCH_ANY);
}

/* The same from a system call, which says whether the word is private. */
static int wake_user(vaddr_t uaddr, int n, uint32_t bits, bool private)
{
    struct mm *kmm;
    vaddr_t kaddr;
    futex_key(current_proc()->mm, uaddr, private, &kmm, &kaddr);
    return wake_bits(kmm, kaddr, n, bits);
}

static int futex_wait(vaddr_t uaddr, uint32_t val, uint64_t deadline, uint32_t bits,
                      bool private);

/* restart_syscall's way back into a futex wait that a signal interrupted
 * (its deadline is absolute: the wait goes on to the same end). */
static long futex_wait_restart(struct restart_block *rb)
{
    return futex_wait(rb->uaddr, rb->val, rb->deadline, rb->bits, rb->futex_private);
}

/* Sleep on uaddr if it still holds val, until woken or the tick deadline
 * (0: none). A signal ends the wait too: then the call is restarted (a
 * wait with a deadline through restart_syscall, to keep its end). */
static int futex_wait(vaddr_t uaddr, uint32_t val, uint64_t deadline, uint32_t bits,
                      bool private)
{
    struct proc *p = current_proc();
    uint32_t now;
    if (uaddr % 4)
        return -EINVAL;
    if (bits == 0)
        return -EINVAL;
    if (copy_from_user(&now, uaddr, 4) < 0)
        return -EFAULT;
    if (now != val)
        return -EAGAIN;              /* it changed already: don't sleep */
    futex_key(p->mm, uaddr, private, &p->futex_mm, &p->futex_addr);
    p->futex_bits = bits;
    while (p->futex_mm && !signal_pending(p) &&
           !(deadline && timer_ticks() >= deadline))
        sleep_on_until((void *)p->futex_addr, deadline);   /* (requeue moves it) */
    bool woken = !p->futex_mm;
    p->futex_mm = 0;
    if (woken)
        return 0;
    if (!signal_pending(p))
        return -ETIMEDOUT;
    if (!deadline)
        return -ERESTARTSYS;
    p->restart.fn = futex_wait_restart;
    p->restart.uaddr = uaddr;
    p->restart.val = val;
    p->restart.bits = bits;
    p->restart.futex_private = private;
    p->restart.deadline = deadline;
    return -ERESTART_RESTARTBLOCK;
}

/* FUTEX_REQUEUE / CMP_REQUEUE: wake up to n waiters on uaddr and move up to
 * n2 of the others to wait on uaddr2 instead (a condition variable's
 * broadcast moves its waiters to the mutex rather than waking them all). */
static int futex_requeue(vaddr_t uaddr, int n, int n2, vaddr_t uaddr2, bool cmp, uint32_t val3,
                         bool private)
{
    struct mm *mm, *mm2;
    vaddr_t key, key2;
    futex_key(current_proc()->mm, uaddr, private, &mm, &key);
    futex_key(current_proc()->mm, uaddr2, private, &mm2, &key2);
    if (n < 0 || n2 < 0)
        return -EINVAL;
    if (cmp) {
        uint32_t now;
        if (copy_from_user(&now, uaddr, 4) < 0)
            return -EFAULT;
        if (now != val3)
            return -EAGAIN;
    }
    int woken = wake_bits(mm, key, n, FUTEX_BITSET_MATCH_ANY);
    int moved = 0;
    for (int i = 0; i < proc_table_end && moved < n2; i++) {
        struct proc *p = &procs[i];
        if (futex_waits_on(p, mm, key)) {
            p->futex_mm = mm2;
            p->futex_addr = key2;
            if (p->state == PROC_SLEEPING)
                p->chan = (void *)key2;
            moved++;
        }
    }
    /* Both forms return how many were woken or moved (Linux's code does so
     * for FUTEX_REQUEUE too, whatever its manual page says). */
    return woken + moved;
}

/* The end of an absolute timeout at uts, on CLOCK_REALTIME or
 * CLOCK_MONOTONIC, as a timer tick in *deadline (0: no timeout; a time
 * already past is the tick of now). 0, -EFAULT or -EINVAL. */
static int absolute_deadline(vaddr_t uts, bool time64, bool realtime, uint64_t *deadline)
{
    uint64_t ns;
    *deadline = 0;
    if (!uts)
        return 0;
    int r = timespec_from_user(uts, time64, &ns);
    if (r < 0)
        return r;
    uint64_t now = realtime ? clock_realtime_ns() : clock_monotonic_ns();
    *deadline = ns <= now ? timer_ticks() : timer_deadline(ns - now);
    return 0;
}

/* futex(uaddr, op, val, timeout or val2, uaddr2, val3); the timeout is a
 * struct __kernel_timespec if time64 (futex_time64), else old_timespec32. */
static long do_futex(struct trapframe *tf, bool time64)
{
    uint32_t op = tf->ecx & ~(uint32_t)(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    bool private = tf->ecx & FUTEX_PRIVATE_FLAG;
    uint64_t ns;
    uint64_t deadline = 0;
    int r;
    switch (op) {
    case FUTEX_WAIT:
        /* The timeout is relative. */
        if (tf->esi) {
            if ((r = timespec_from_user(tf->esi, time64, &ns)) < 0)
                return r;
            deadline = timer_deadline(ns);
        }
        return futex_wait(tf->ebx, tf->edx, deadline, FUTEX_BITSET_MATCH_ANY, private);
    case FUTEX_WAIT_BITSET: {
        /* The timeout is absolute, on CLOCK_MONOTONIC (or CLOCK_REALTIME with
         * FUTEX_CLOCK_REALTIME). */
        if (tf->esi) {
            if ((r = timespec_from_user(tf->esi, time64, &ns)) < 0)
                return r;
            uint64_t now = (tf->ecx & FUTEX_CLOCK_REALTIME)
                               ? (uint64_t)clock_realtime_seconds() * 1000000000u
                               : clock_monotonic_ns();
            if (ns <= now)
                return -ETIMEDOUT;
            deadline = timer_deadline(ns - now);
        }
        return futex_wait(tf->ebx, tf->edx, deadline, tf->ebp, private);
    }
    case FUTEX_WAKE:
        return wake_user(tf->ebx, (int)tf->edx, FUTEX_BITSET_MATCH_ANY, private);
    case FUTEX_WAKE_BITSET:
        if (tf->ebp == 0)
            return -EINVAL;
        return wake_user(tf->ebx, (int)tf->edx, tf->ebp, private);
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
        return futex_requeue(tf->ebx, (int)tf->edx, (int)tf->esi, tf->edi,
                             op == FUTEX_CMP_REQUEUE, tf->ebp, private);
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
    case FUTEX_TRYLOCK_PI:
        /* LOCK_PI's deadline is on CLOCK_REALTIME and takes no clock flag;
         * LOCK_PI2's is on CLOCK_MONOTONIC unless FUTEX_CLOCK_REALTIME. */
        if ((tf->ecx & FUTEX_CLOCK_REALTIME) && op != FUTEX_LOCK_PI2)
            return -ENOSYS;
        if (op != FUTEX_TRYLOCK_PI &&
            (r = absolute_deadline(tf->esi, time64, op == FUTEX_LOCK_PI || (tf->ecx & FUTEX_CLOCK_REALTIME),
                                   &deadline)) < 0)
            return r;
        return futex_lock_pi(tf->ebx, deadline, op == FUTEX_TRYLOCK_PI, private);
    case FUTEX_UNLOCK_PI:
        if (tf->ecx & FUTEX_CLOCK_REALTIME)
            return -ENOSYS;
        return futex_unlock_pi(tf->ebx, private);
    default:
        /* FUTEX_FD (removed from Linux), WAKE_OP and the requeue-PI
         * operations: not implemented; musl uses none of them. */
        return -ENOSYS;
    }
}

/* futex (240): the timeout is a struct old_timespec32. */
long sys_futex(struct trapframe *tf)
{
    return do_futex(tf, false);
}

/* futex_time64 (422): the same with a struct __kernel_timespec (glibc on
 * i386 tries it first). */
long sys_futex_time64(struct trapframe *tf)
{
    return do_futex(tf, true);
}
