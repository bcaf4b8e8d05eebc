/* oom.c: the out-of-memory killer.
 *
 * With pages on demand, and with fork's copy-on-write, the kernel promises
 * more memory than it has (mm/commit.h) and finds out it cannot keep a
 * promise only in a page fault: the program touched a page it was given,
 * and no frame is free. Failing the access is not possible (the program did
 * nothing wrong, and has no system call to fail), so someone must die to
 * give memory back. Linux chooses by "badness", mostly the resident memory
 * of each process; so does this, without the adjustments (oom_score_adj):
 * the thread group with the most resident memory is killed with SIGKILL. If
 * that is not the faulting process, the faulting one carries on: it retries
 * the access once the victim has exited and its frames are free.
 *
 * Resident memory is counted proportionally (Pss): a frame that n
 * processes map counts 1/n in each. Linux counts it whole in each (Rss),
 * which after a fork makes parent and child look the same size, though
 * killing the parent frees nothing its child still maps. Pss points at the
 * process whose death gives back the most: the child that is copying its
 * way through the parent's memory, not the parent it copies. Ties go to
 * the faulting process.
 *
 * Under overcommit=never this never happens: every page that can be
 * touched was counted when it was promised.
 */
#include "mm/oom.h"
#include "mm/vm.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "linux/signal.h"
#include "printk.h"

/* The resident memory of p's address space in KiB, a shared frame
 * counting 1/n (Pss). */
static uint32_t resident_kb(struct proc *p)
{
    struct vm_usage u;
    vm_usage(p->mm, &u);
    return (uint32_t)(u.pss_4k / 1024);
}

bool oom_kill(struct proc *p, vaddr_t addr)
{
    /* A victim that is already dying will give its memory back when it
     * runs: let it run, then retry. */
    struct proc *victim = 0;
    uint32_t most = p->mm ? resident_kb(p) : 0;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *q = &procs[i];
        /* One thread per process: its first one, or the first live one if
         * the first has exited (a process whose first thread is gone is
         * still a process, maybe the biggest). */
        if (q->state == PROC_UNUSED || q->state == PROC_ZOMBIE || !q->mm ||
            proc_live_thread(q->tgid) != q)
            continue;
        if (q->pid == 1 || q->tgid == p->tgid)
            continue;                      /* never init; p is counted already */
        uint32_t kb = resident_kb(q);
        if (kb > most) {
            most = kb;
            victim = q;
        }
    }
    if (!victim) {
        printk("bunshin: out of memory: killed process %d (%s), %u kB resident, "
               "at its fault at %08x\n", p->tgid, p->name, most, addr);
        signal_send(p, SIGKILL, 0, true);
        proc_kill(p, W_SIGNALED(SIGKILL));
        return false;
    }
    if (!victim->killed)
        printk("bunshin: out of memory: killed process %d (%s), %u kB resident, "
               "for pid %d (%s) at %08x\n", victim->tgid, victim->name, most, p->pid,
               p->name, addr);
    signal_send(victim, SIGKILL, 0, true);
    yield();
    return true;
}
