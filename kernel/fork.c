/* fork.c: making a new process as a copy of the current one. */
#include "kernel/proc.h"
#include "kernel/cmdline.h"
#include "kernel/fpu.h"
#include "fs/file.h"
#include "mm/vm.h"
#include "errno.h"
#include "printk.h"
#include "string.h"

#define CSIGNAL 0x000000FF      /* low byte: the signal sent to the parent at exit */

int do_clone(uint32_t flags, vaddr_t stack, struct trapframe *tf)
{
    struct proc *parent = current_proc();
    /* Only plain fork for now: sharing flags come with vfork and threads. */
    if (flags & ~CSIGNAL)
        return -EINVAL;

    struct proc *p = proc_alloc();
    if (!p)
        return -EAGAIN;
    /* fork=copy on the command line copies every page now; the default
     * shares them copy-on-write (mm/cow.c). */
    p->mm = boot_options.fork_mode == FORK_COPY ? mm_copy(parent->mm) : mm_fork_cow(parent->mm);
    p->files = fdtable_copy(parent->files);
    if (!p->mm || !p->files) {
        if (p->mm)
            mm_put(p->mm);
        if (p->files)
            fdtable_put(p->files);
        proc_free(p);
        return -ENOMEM;
    }
    p->cwd = inode_get(parent->cwd);
    p->umask = parent->umask;
    p->parent = parent;
    memcpy(p->name, parent->name, sizeof p->name);
    p->tls = parent->tls;
    p->sig_blocked = parent->sig_blocked;

    /* The parent's FPU registers are live in the CPU: save them first. */
    fpu_save(parent->fpu);
    memcpy(p->fpu, parent->fpu, FPU_AREA_SIZE);

    /* The child returns from the same system call, with 0 in eax. */
    *p->tf = *tf;
    p->tf->eax = 0;
    if (stack)
        p->tf->user_esp = stack;
    p->state = PROC_RUNNABLE;
    return p->pid;
}
