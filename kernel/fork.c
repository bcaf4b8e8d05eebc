/* fork.c: clone, the one way a new process or thread is made.
 *
 * fork, vfork and pthread_create are all clone with different flags: each
 * flag says one thing the child shares with its parent instead of getting a
 * copy of it.
 *
 *   fork            SIGCHLD                  copies of everything
 *   vfork           CLONE_VM | CLONE_VFORK   shares memory; the parent sleeps
 *                   | SIGCHLD                until the child execs or exits
 *   pthread_create  CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
 *                   CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
 *                   CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED
 *
 * The child starts with a copy of the parent's trap frame, so it "returns"
 * from the same system call, at the same instruction; only eax differs: 0
 * in the child, the child's pid in the parent.
 */
#include "kernel/proc.h"
#include "kernel/sched_policy.h"
#include "kernel/rlimit.h"
#include "kernel/signal.h"
#include "boot/cmdline.h"
#include "kernel/fpu.h"
#include "kernel/gdt.h"
#include "fs/file.h"
#include "mm/fork.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/sched.h"
#include "printk.h"
#include "lib/string.h"

/* What bunshin implements. CLONE_SYSVSEM is accepted: with no System V
 * semaphores there is nothing to share. */
#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
                         CLONE_VFORK | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | \
                         CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | \
                         CLONE_CHILD_SETTID)

/* The combinations Linux refuses, refused here too. */
static int check_flags(uint32_t flags)
{
    if (flags & ~(uint32_t)CLONE_SUPPORTED)
        return -EINVAL;              /* namespaces, ptrace, pidfd...: not here */
    if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
        return -EINVAL;
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
        return -EINVAL;
    /* An exit signal given with CLONE_THREAD is ignored, as by Linux: a
     * thread's end is never signalled (do_clone sets exit_signal to 0). */
    return 0;
}

/* RLIMIT_NPROC: Linux counts the tasks of the caller's real user (threads
 * and zombies too) against the caller's soft limit, and lets root and
 * privileged processes past it (rlimit_exempt). */
static bool nproc_limit_reached(struct proc *parent)
{
    if (rlimit_exempt(parent))
        return false;
    uint64_t tasks = 0;
    for (int i = 0; i < proc_table_end; i++)
        if (procs[i].state != PROC_UNUSED && procs[i].cred.uid == parent->cred.uid)
            tasks++;
    return tasks >= rlimit_cur(parent, RLIMIT_NPROC);
}

/* Give child its address space, files and fs context: shared or copied. */
static int share_or_copy(struct proc *child, struct proc *parent, uint32_t flags)
{
    if (flags & CLONE_VM) {
        child->mm = parent->mm;
        child->mm->refs++;
    } else {
        /* Copy-on-write by default; fork=copy on the command line copies
         * every page now (mm/fork.c). */
        child->mm = mm_fork(parent->mm, boot_options.fork_mode);
        if (!child->mm)
            return -ENOMEM;
    }
    if (flags & CLONE_FILES) {
        child->files = parent->files;
        child->files->refs++;
    } else if (!(child->files = fdtable_copy(parent->files))) {
        return -ENOMEM;
    }
    if (flags & CLONE_FS) {
        child->fs = parent->fs;
        child->fs->refs++;
    } else if (!(child->fs = fs_info_copy(parent->fs))) {
        return -ENOMEM;
    }
    /* Signal handlers: shared by threads (CLONE_SIGHAND), else a copy. */
    if (flags & CLONE_SIGHAND) {
        child->sighand = parent->sighand;
        child->sighand->refs++;
    } else if (!(child->sighand = sighand_copy(parent->sighand))) {
        return -ENOMEM;
    }
    /* A thread joins its process; a new process starts in the parent's
     * process group and session, with no signals pending. */
    if (flags & CLONE_THREAD) {
        child->group = parent->group;
        child->group->refs++;
    } else if (!(child->group = thread_group_copy(parent->group))) {
        return -ENOMEM;                  /* (a copy of the parent's limits too) */
    }
    return 0;
}

int do_clone(uint32_t flags, vaddr_t stack, vaddr_t parent_tid, vaddr_t tls,
             vaddr_t child_tid, struct trapframe *tf)
{
    struct proc *parent = current_proc();
    int r = check_flags(flags);
    if (r < 0)
        return r;
    if (nproc_limit_reached(parent))
        return -EAGAIN;

    /* Read everything from user memory before anything is made. */
    struct user_desc tls_desc = parent->tls;
    if (flags & CLONE_SETTLS) {
        if (copy_from_user(&tls_desc, tls, sizeof tls_desc) < 0)
            return -EFAULT;
        if (tls_desc.entry_number == (uint32_t)-1)
            tls_desc.entry_number = GDT_TLS;
        if (tls_desc.entry_number != GDT_TLS || !gdt_tls_valid(&tls_desc))
            return -EINVAL;
    }
    if ((flags & CLONE_PARENT_SETTID) && user_range_ok(parent_tid, 4, true) < 0)
        return -EFAULT;

    struct proc *p = proc_alloc();
    if (!p)
        return proc_table_full() ? -EAGAIN : -ENOMEM;
    if ((r = share_or_copy(p, parent, flags)) < 0) {
        if (p->mm)
            mm_put(p->mm);
        if (p->files)
            fdtable_put(p->files);
        if (p->fs)
            fs_info_put(p->fs);
        proc_free(p);                    /* (and the signal objects) */
        return r;
    }

    if (flags & CLONE_THREAD) {
        p->tgid = parent->tgid;
        p->parent = parent->parent;      /* a thread's parent is the group's */
        p->exit_signal = 0;
    } else {
        p->tgid = p->pid;
        p->parent = parent;
        p->exit_signal = (int)(flags & CSIGNAL);
    }
    memcpy(p->name, parent->name, sizeof p->name);
    p->no_new_privs = parent->no_new_privs;
    p->timer_slack_ns = p->default_timer_slack_ns = parent->timer_slack_ns;
    p->personality = parent->personality;
    p->cred = parent->cred;              /* every id, threads' too (fork(2)) */
    p->prio = parent->prio;              /* nice value, I/O priority, policy */
    sched_policy_fork(p);                /* SCHED_RESET_ON_FORK */
    p->tls = tls_desc;
    /* The mask is inherited, pending signals are not (POSIX). So is the
     * alternate stack, except by a thread or other child that shares the
     * memory but runs on a stack of its own (Linux's rule). */
    p->blocked = parent->blocked;
    if ((flags & (CLONE_VM | CLONE_VFORK)) != CLONE_VM)
        p->altstack = parent->altstack;
    if (flags & CLONE_CHILD_CLEARTID)
        p->clear_child_tid = child_tid;

    /* The parent's FPU registers are live in the CPU: save them first. */
    fpu_save(parent->fpu);
    memcpy(p->fpu, parent->fpu, FPU_AREA_SIZE);

    /* The child returns from the same system call, with 0 in eax. */
    *p->tf = *tf;
    p->tf->eax = 0;
    if (stack)
        p->tf->user_esp = stack;

    /* Tell the thread library the new thread's id, where it asked. The child
     * writes into its own memory: the same as the parent's with CLONE_VM. */
    int tid = p->pid;
    if (flags & CLONE_PARENT_SETTID)
        copy_to_user(parent_tid, &tid, sizeof tid);
    if (flags & CLONE_CHILD_SETTID)
        vm_copy_out(p->mm, child_tid, &tid, sizeof tid);

    if (flags & CLONE_VFORK)
        p->vfork_parent = parent;
    p->state = PROC_RUNNABLE;

    /* vfork: the parent may not run until the child has let go of the
     * shared memory, by execve or by exiting. */
    /* LAB vfork vfork_wait: begin */
    if (flags & CLONE_VFORK) {
        while (!p->vfork_done && !parent->killed)   /* only SIGKILL interrupts */
            sleep_on(&p->vfork_done);
    }
    /* LAB vfork vfork_wait: end */
    return tid;                         /* gdb: clone_done */
}

void vfork_release(struct proc *p)
{
    /* LAB vfork vfork_release: begin */
    if (!p->vfork_parent)
        return;
    p->vfork_done = true;
    p->vfork_parent = 0;
    wakeup(&p->vfork_done);
    /* LAB vfork vfork_release: end */
}
