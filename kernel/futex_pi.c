/* futex_pi.c: priority-inheritance futexes (FUTEX_LOCK_PI, LOCK_PI2,
 * TRYLOCK_PI, UNLOCK_PI), the kernel half of a PTHREAD_PRIO_INHERIT mutex.
 *
 * Unlike a plain futex, whose word means whatever the thread library says,
 * a PI futex's word has a meaning the kernel knows: the owner's thread id,
 * FUTEX_WAITERS when someone sleeps in the kernel for it (so the owner's
 * unlock must come here), and FUTEX_OWNER_DIED when its owner ended holding
 * it (linux/futex.h). The library takes a free lock (0 -> tid) and gives
 * back an uncontended one (tid -> 0) with an atomic instruction of its own;
 * the kernel does the rest:
 *   - LOCK_PI takes a free word (keeping OWNER_DIED), or marks it
 *     FUTEX_WAITERS and sleeps until the owner hands it over;
 *   - UNLOCK_PI hands the lock to the waiter that came first by writing
 *     its tid, with FUTEX_WAITERS (as Linux does whenever it hands a lock
 *     over: the new owner's unlock comes to the kernel, which then writes
 *     0 if nobody waits any more);
 *   - an owner that ends holding the lock wakes its waiters (exit calls
 *     futex_pi_owner_exit), and one takes it over, with FUTEX_OWNER_DIED
 *     (as Linux: whether or not the robust list's walk, kernel/
 *     futex_robust.c, wrote it first for a robust mutex).
 * Priority inheritance itself, lending a sleeper's priority to the owner
 * so that a middle-priority thread cannot keep it from unlocking, is not
 * done: bunshin has one scheduling class and every thread the same
 * priority, so there is nothing to lend.
 *
 * The kernel runs one thread at a time with interrupts off, so reading the
 * word, deciding and writing it back is one step for user threads, as
 * Linux's compare-and-exchange under its hash-bucket lock.
 */
#include "kernel/futex.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "drivers/timer.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/futex.h"

static uint32_t pi_queue_seq;          /* stamps each PI waiter as it queues */

/* Is thread tid there and not ended? */
static bool thread_alive(uint32_t tid)
{
    struct proc *p = proc_find((int)tid);
    return p && p->state != PROC_ZOMBIE;
}

/* Does anyone but the caller wait on the PI word with key (kmm, key)? */
static bool others_wait(struct mm *kmm, vaddr_t key)
{
    for (int i = 0; i < proc_table_end; i++)
        if (&procs[i] != current_proc() && procs[i].futex_pi_owner &&
            futex_waits_on(&procs[i], kmm, key))
            return true;
    return false;
}

/* Take the lock at uaddr: until the tick deadline (0: none), or only try
 * (trylock). 0 (the word holds our tid), or -EDEADLK (we hold it already),
 * -ESRCH (the word names a thread that does not exist), -EAGAIN (trylock,
 * held), -ETIMEDOUT, -EFAULT, -EINVAL. A signal restarts the call (Linux's
 * ERESTARTNOINTR: the deadline is absolute). */
long futex_lock_pi(vaddr_t uaddr, uint64_t deadline, bool trylock, bool private)
{
    struct proc *p = current_proc();
    uint32_t me = (uint32_t)p->pid;
    if (uaddr % 4)
        return -EINVAL;
    struct mm *kmm;
    vaddr_t key;
    futex_key(p->mm, uaddr, private, &kmm, &key);
    bool slept = false;                /* woken in here at least once */
    for (;;) {
        uint32_t v;
        if (copy_from_user(&v, uaddr, sizeof v) < 0)
            return -EFAULT;
        uint32_t owner = v & FUTEX_TID_MASK;
        if (owner == me)
            return slept ? 0 : -EDEADLK;       /* handed over, or a second lock */
        bool dead = owner && !thread_alive(owner);
        if (owner == 0 || (dead && slept)) {
            /* Free, or its owner ended while we slept: ours, keeping the
             * owner's death for the library to see; an owner that ended
             * holding it is such a death, robust mutex or not (Linux's
             * fixup_pi_state_owner sets FUTEX_OWNER_DIED when the lock
             * it hands over has no owner any more). */
            uint32_t nv = (v & FUTEX_OWNER_DIED) | me;
            if (owner && dead)
                nv |= FUTEX_OWNER_DIED;
            if (slept || others_wait(kmm, key))
                nv |= FUTEX_WAITERS;
            return copy_to_user(uaddr, &nv, sizeof nv) < 0 ? -EFAULT : 0;
        }
        /* Held: the owner's unlock must come to the kernel from now on. */
        if (!(v & FUTEX_WAITERS)) {
            v |= FUTEX_WAITERS;
            if (copy_to_user(uaddr, &v, sizeof v) < 0)
                return -EFAULT;
        }
        if (dead)
            return -ESRCH;             /* a tid that no thread has */
        if (trylock)
            return -EAGAIN;
        if (deadline && timer_ticks() >= deadline)
            return -ETIMEDOUT;
        p->futex_mm = kmm;
        p->futex_addr = key;
        p->futex_bits = FUTEX_BITSET_MATCH_ANY;
        p->futex_pi_owner = (int)owner;
        p->futex_pi_seq = ++pi_queue_seq;
        while (p->futex_mm && !signal_pending(p) && !(deadline && timer_ticks() >= deadline))
            sleep_on_until((void *)p->futex_addr, deadline);
        bool woken = !p->futex_mm;
        p->futex_mm = 0;
        p->futex_pi_owner = 0;
        if (!woken)
            return signal_pending(p) ? -ERESTARTNOINTR : -ETIMEDOUT;
        slept = true;                  /* look at the word again */
    }
}

/* Give back the lock at uaddr, which the caller must hold (-EPERM): to the
 * first waiter, whose tid goes into the word with FUTEX_WAITERS, or to
 * nobody (0). */
long futex_unlock_pi(vaddr_t uaddr, bool private)
{
    struct proc *p = current_proc();
    if (uaddr % 4)
        return -EINVAL;
    uint32_t v;
    if (copy_from_user(&v, uaddr, sizeof v) < 0)
        return -EFAULT;
    if ((v & FUTEX_TID_MASK) != (uint32_t)p->pid)
        return -EPERM;
    struct mm *kmm;
    vaddr_t key;
    futex_key(p->mm, uaddr, private, &kmm, &key);
    struct proc *next = 0;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *q = &procs[i];
        if (q->futex_pi_owner && futex_waits_on(q, kmm, key) &&
            (!next || q->futex_pi_seq < next->futex_pi_seq))
            next = q;
    }
    uint32_t nv = next ? FUTEX_WAITERS | (uint32_t)next->pid : 0;
    if (copy_to_user(uaddr, &nv, sizeof nv) < 0)
        return -EFAULT;
    if (next) {
        next->futex_mm = 0;            /* woken: it finds its tid in the word */
        next->state = PROC_RUNNABLE;
    }
    return 0;
}

void futex_pi_owner_exit(struct proc *p)
{
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *q = &procs[i];
        if (q->futex_mm && q->futex_pi_owner == p->pid &&
            futex_waits_on(q, q->futex_mm, q->futex_addr)) {
            q->futex_mm = 0;
            q->state = PROC_RUNNABLE;
        }
    }
}
