/* sched.c: who runs next.
 *
 * Round robin: the scheduler loop (on the boot stack, the kernel's own
 * thread) picks the next RUNNABLE process after the last one it ran, loads
 * its address space, kernel stack, TLS segment and FPU registers, and swtches
 * to it. A process leaves the CPU by sched(), switching back to the loop:
 * when it sleeps, exits, or when its time slice (one timer tick) is up on
 * its way back to user mode.
 *
 * The kernel runs with interrupts off (every gate is an interrupt gate and
 * nothing turns them on), except in the idle loop. So on this one CPU no
 * locks are needed: kernel code is never interrupted halfway.
 */
#include "kernel/proc.h"
#include "kernel/cputime.h"
#include "kernel/ktimer.h"
#include "kernel/fpu.h"
#include "kernel/gdt.h"
#include "mm/vm.h"
#include "printk.h"
#include "x86.h"

void swtch(struct context **save, struct context *load);

static struct context *scheduler_context;
static struct proc *current;
static bool need_resched;
uint64_t context_switches;

struct proc *current_proc(void)
{
    return current;
}

/* Make p's world the CPU's: its page directory, the kernel stack the CPU
 * uses when p traps, its TLS descriptor, its FPU registers. */
static void switch_to(struct proc *p)
{
    current = p;
    p->state = PROC_RUNNING;
    tss_set_kernel_stack((uint32_t)p->kstack + KSTACK_PAGES * PAGE_SIZE);
    mm_activate(p->mm);
    gdt_set_tls(&p->tls);
    fpu_restore(p->fpu);
    need_resched = false;
    context_switches++;
    swtch(&scheduler_context, p->context);
    current = 0;
}

void scheduler(void)
{
    int last = -1;
    for (;;) {
        struct proc *next = 0;
        int n = proc_table_end;            /* the slots that may be in use */
        for (int k = 1; k <= n; k++) {
            struct proc *p = &procs[(last + k) % n];
            if (p->state == PROC_RUNNABLE) {
                next = p;
                last = (int)(p - procs);
                break;
            }
        }
        if (next) {
            switch_to(next);
            /* A thread that has exited is nobody's child, and a process
             * whose parent ignores SIGCHLD is nobody's to wait for: free
             * them here, now that we are off their stacks. */
            if (next->state == PROC_ZOMBIE && (next->tgid != next->pid || next->reap_at_exit))
                proc_free(next);
        }
        else
            sti_hlt();          /* idle: wait for an interrupt */
        cli();
    }
}

void sched(void)
{
    struct proc *p = current;
    assert(p && p->state != PROC_RUNNING);
    assert(!(read_eflags() & EFLAGS_IF));
    fpu_save(p->fpu);
    swtch(&p->context, scheduler_context);
}

void yield(void)
{
    current->state = PROC_RUNNABLE;
    sched();
}

void sleep_on(void *chan)
{
    current->chan = chan;
    current->state = PROC_SLEEPING;
    sched();
    current->chan = 0;
}

void wakeup(void *chan)
{
    for (int i = 0; i < proc_table_end; i++)
        if (procs[i].state == PROC_SLEEPING && procs[i].chan == chan)
            procs[i].state = PROC_RUNNABLE;
}

void sleep_on_until(void *chan, uint64_t tick)
{
    current->wake_tick = tick;
    sleep_on(chan);
    current->wake_tick = 0;
}

void sched_tick(uint64_t now, bool user)
{
    /* Sleeps with a time limit (nanosleep, futex waits) end when it passes. */
    for (int i = 0; i < proc_table_end; i++)
        if (procs[i].state == PROC_SLEEPING && procs[i].wake_tick &&
            now >= procs[i].wake_tick)
            procs[i].state = PROC_RUNNABLE;
    /* Timers that are due (alarm, POSIX timers) send their signals. */
    ktimer_run(now);
    if (current) {
        if (current->group && current->state != PROC_ZOMBIE)
            cputime_tick(current, user);
        need_resched = true;
    } else {
        cpu_idle_ticks++;               /* the idle loop had the CPU */
    }
}

bool sched_need_resched(void)
{
    return need_resched;
}
