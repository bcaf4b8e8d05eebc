/* exit.c: how processes end, and how their parents learn of it. */
#include "kernel/proc.h"
#include "kernel/futex.h"
#include "drivers/qemu.h"
#include "fs/file.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/resource.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

static struct proc *init_proc(void)
{
    return proc_find(1);
}

/* What init's end means for the whole machine: leave QEMU with its status. */
static void init_exited(int wstatus)
{
    int code = (wstatus & 0x7F) ? 128 + (wstatus & 0x7F) : (wstatus >> 8) & 0xFF;
    printk("bunshin: init exited with status %d; leaving QEMU\n", code);
    qemu_exit(code & 0x7F);
}

/* Is any thread of p's process other than p still alive? */
static bool other_threads_alive(struct proc *p)
{
    for (int i = 0; i < NPROC; i++) {
        struct proc *q = &procs[i];
        if (q != p && q->tgid == p->tgid && q->state != PROC_UNUSED && q->state != PROC_ZOMBIE)
            return true;
    }
    return false;
}

void do_exit(int wstatus)
{
    struct proc *p = current_proc();
    if (p->pid == 1)
        init_exited(wstatus);

    /* CLONE_CHILD_CLEARTID: zero the thread library's tid word and wake
     * whoever waits on it (pthread_join). Errors are ignored, as on Linux. */
    if (p->clear_child_tid && p->mm) {
        int zero = 0;
        if (copy_to_user(p->clear_child_tid, &zero, sizeof zero) == 0)
            futex_wake(p->mm, p->clear_child_tid, 1);
    }
    vfork_release(p);

    /* Give back what the process holds. Its kernel stack (which we are
     * running on) and its slot stay until it is reaped. */
    if (p->files)
        fdtable_put(p->files);
    p->files = 0;
    if (p->fs)
        fs_info_put(p->fs);
    p->fs = 0;
    if (p->mm)
        mm_put(p->mm);
    p->mm = 0;

    /* Children go to init, which reaps them; wake it if any already ended.
     * As on Linux, a "clone child" (exit signal other than SIGCHLD) becomes
     * an ordinary one: init waits without __WALL, and would never see it. */
    struct proc *init = init_proc();
    for (int i = 0; i < NPROC; i++) {
        if (procs[i].state != PROC_UNUSED && procs[i].parent == p) {
            procs[i].parent = init;
            if (procs[i].tgid == procs[i].pid)
                procs[i].exit_signal = SIGCHLD;
            if (procs[i].state == PROC_ZOMBIE)
                wakeup(init);
        }
    }

    p->exit_status = wstatus;
    p->state = PROC_ZOMBIE;
    /* The parent hears of a process's end when its last thread is gone.
     * A thread other than the first is reaped by the scheduler itself. */
    if (!other_threads_alive(p) && p->parent)
        wakeup(p->parent);
    sched();
    panic("a zombie ran again");
}

void do_exit_group(int wstatus)
{
    struct proc *me = current_proc();
    for (int i = 0; i < NPROC; i++) {
        struct proc *q = &procs[i];
        if (q != me && q->tgid == me->tgid)
            proc_kill(q, wstatus);
    }
    do_exit(wstatus);
}

void proc_fault_kill(struct trapframe *tf, int sig, const char *why)
{
    struct proc *p = current_proc();
    printk("bunshin: pid %d (%s) killed by signal %d: %s at eip %08x", p->pid, p->name,
           sig, why, tf->eip);
    if (tf->trapno == T_PGFLT)
        printk(", address %08x", read_cr2());
    printk("\n");
    do_exit(W_SIGNALED(sig));
}

/* Does child p match wait4's pid and options? pid -1: any child; > 0:
 * that one; 0 and < -1 name process groups, which bunshin does not have
 * yet: every process is in one group, so they mean any child too. As on
 * Linux, a "clone child" (one that sends its parent no SIGCHLD at exit) is
 * waited for only with __WCLONE, an ordinary one only without, and __WALL
 * takes both. */
static bool wait_matches(struct proc *p, int pid, int options)
{
    if (pid > 0 && p->pid != pid)
        return false;
    if (options & __WALL)
        return true;
    bool clone_child = p->exit_signal != SIGCHLD;
    return clone_child == ((options & (int)__WCLONE) != 0);
}

int do_wait4(int pid, vaddr_t status_addr, int options, vaddr_t rusage_addr)
{
    struct proc *me = current_proc();
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | (int)__WCLONE))
        return -EINVAL;
    /* Check the pointers before taking anything: a bad pointer must not
     * cost the caller its child. */
    if (status_addr && user_range_ok(status_addr, 4, true) < 0)
        return -EFAULT;
    if (rusage_addr && user_range_ok(rusage_addr, sizeof(struct rusage), true) < 0)
        return -EFAULT;

    for (;;) {
        bool have_children = false;
        for (int i = 0; i < NPROC; i++) {
            struct proc *p = &procs[i];
            /* Threads are not children: only whole processes are waited for. */
            if (p->state == PROC_UNUSED || p->parent != me || p->tgid != p->pid ||
                !wait_matches(p, pid, options))
                continue;
            have_children = true;
            /* A process is over when all its threads are. */
            if (p->state != PROC_ZOMBIE || other_threads_alive(p))
                continue;
            int child = p->pid;
            int status = p->exit_status;
            if (status_addr && copy_to_user(status_addr, &status, 4) < 0)
                return -EFAULT;
            if (rusage_addr) {
                struct rusage ru;              /* no accounting yet: all zero */
                memset(&ru, 0, sizeof ru);
                if (copy_to_user(rusage_addr, &ru, sizeof ru) < 0)
                    return -EFAULT;
            }
            proc_free(p);
            return child;
        }
        if (!have_children)
            return -ECHILD;
        if (options & WNOHANG)
            return 0;
        if (me->killed)
            return -EINTR;
        sleep_on(me);
    }
}
