/* futex_robust.c: robust mutexes, which survive their owner's death.
 *
 * A thread that ends while holding an ordinary mutex leaves it locked for
 * ever, and every thread that waits for it waits for ever. A robust mutex
 * (pthread_mutexattr_setrobust) avoids that with the kernel's help: each
 * thread tells the kernel where its list of held robust mutexes is
 * (set_robust_list: glibc calls it for every thread, musl at a thread's
 * first robust lock), and when the thread ends, or execs, the kernel walks
 * that list in user memory. (musl's pthread_exit walks the list itself
 * first, for mutexes that are not process-shared: what is left for the
 * kernel is a process that ends or execs, and process-shared mutexes.)
 * Every lock word still holding the thread's id gets FUTEX_OWNER_DIED, and
 * one sleeper is woken: its pthread_mutex_lock returns EOWNERDEAD, and it
 * may make the data consistent again. The list lives in the program's
 * memory, so every read of it may fault: a bad entry or lock word just
 * ends the walk, as on Linux.
 */
#include "kernel/futex_robust.h"
#include "kernel/futex.h"
#include "kernel/proc.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/futex.h"

/* An entry's address, without its priority-inheritance bit (*pi). 0, or
 * -EFAULT if the word at uaddr cannot be read. */
static int fetch_entry(vaddr_t uaddr, vaddr_t *entry, bool *pi)
{
    uint32_t v;
    if (copy_from_user(&v, uaddr, sizeof v) < 0)
        return -EFAULT;
    *entry = v & ~1u;
    *pi = v & 1;
    return 0;
}

/* The lock word at uaddr belonged to thread p, which is ending: mark the
 * owner dead and wake one sleeper. pending: the entry was list_op_pending,
 * a lock in the middle of being taken or given back; a plain (not PI) word
 * already 0 then may have a sleeper that the unlock had no time to wake.
 * 0, or -EFAULT for a word that is misaligned, cannot be read, or (owned
 * by p) cannot be written: the list is not to be trusted past it, and
 * Linux's handle_futex_death ends the walk there too. */
static int futex_owner_died(struct proc *p, vaddr_t uaddr, bool pi, bool pending)
{
    uint32_t v;
    if (uaddr % 4 || copy_from_user(&v, uaddr, sizeof v) < 0)
        return -EFAULT;
    if (pending && !pi && v == 0) {
        futex_wake(p->mm, uaddr, 1);
        return 0;
    }
    if ((v & FUTEX_TID_MASK) != (uint32_t)p->pid)
        return 0;                  /* not this thread's any more */
    /* One CPU and interrupts off in the kernel: this read and write are
     * one step for every other thread, as Linux's compare-and-exchange. */
    uint32_t died = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
    if (copy_to_user(uaddr, &died, sizeof died) < 0)
        return -EFAULT;
    if (!pi && (v & FUTEX_WAITERS))
        futex_wake(p->mm, uaddr, 1);
    return 0;
}

void futex_robust_release(struct proc *p)
{
    vaddr_t head = p->robust_list;
    p->robust_list = 0;
    if (!head || !p->mm)
        return;
    vaddr_t entry, pending;
    bool pi, pending_pi;
    int32_t offset;
    if (fetch_entry(head, &entry, &pi) < 0 ||
        copy_from_user(&offset, head + offsetof(struct robust_list_head, futex_offset),
                       sizeof offset) < 0 ||
        fetch_entry(head + offsetof(struct robust_list_head, list_op_pending),
                    &pending, &pending_pi) < 0)
        return;
    /* The ring ends where it started, at the head's own list member. */
    for (int limit = ROBUST_LIST_LIMIT; entry != head && limit > 0; limit--) {
        vaddr_t next;
        bool next_pi;
        int r = fetch_entry(entry, &next, &next_pi);
        if (entry != pending && futex_owner_died(p, entry + (uint32_t)offset, pi, false) < 0)
            return;                /* a bad word ends the walk, pending and all */
        if (r < 0)
            return;
        entry = next;
        pi = next_pi;
    }
    if (pending)
        futex_owner_died(p, pending + (uint32_t)offset, pending_pi, true);
}

/* set_robust_list(head, len): len must be the size of the head. */
long sys_set_robust_list(struct trapframe *tf)
{
    if (tf->ecx != sizeof(struct robust_list_head))
        return -EINVAL;
    current_proc()->robust_list = tf->ebx;
    return 0;
}

/* get_robust_list(tid, &head, &len): thread tid's list (0: the caller's).
 * A process that has ended but is not reaped yet is still there, with no
 * list (its walk dropped it), as on Linux; a thread other than the first
 * is gone at its end (Linux frees it at once; bunshin's scheduler will). */
long sys_get_robust_list(struct trapframe *tf)
{
    struct proc *p = tf->ebx ? proc_find((int)tf->ebx) : current_proc();
    if (!p || (p->state == PROC_ZOMBIE && p->pid != p->tgid))
        return -ESRCH;
    uint32_t len = sizeof(struct robust_list_head), head = p->robust_list;
    if (copy_to_user(tf->edx, &len, sizeof len) < 0 ||
        copy_to_user(tf->ecx, &head, sizeof head) < 0)
        return -EFAULT;
    return 0;
}
