/* unshare.c: unshare(flags), clone's other half: stop sharing with other
 * processes what a clone flag had them share. CLONE_FILES gives the
 * caller a copy of its descriptor table, CLONE_FS of its current directory
 * and umask, if it shares them (else nothing changes). CLONE_THREAD,
 * CLONE_VM and CLONE_SIGHAND can only be "unshared" by a thread that
 * shares nothing already (else EINVAL), as on Linux; CLONE_SYSVSEM is
 * accepted (bunshin's semaphore undo lists are the process's own).
 * bunshin has no namespaces: asking for one is EPERM without privilege
 * (what Linux says first) and EINVAL with it (a Linux built without them). */
#include "kernel/unshare.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/sched.h"

#define UNSHARE_NAMESPACES (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
                            CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME)
#define UNSHARE_KNOWN (UNSHARE_NAMESPACES | CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | \
                       CLONE_FILES | CLONE_SYSVSEM)

/* Does another live thread share p's thread group? */
static bool has_other_threads(const struct proc *p)
{
    for (int i = 0; i < proc_table_end; i++) {
        const struct proc *q = &procs[i];
        if (q != p && q->tgid == p->tgid && q->state != PROC_UNUSED && q->state != PROC_ZOMBIE)
            return true;
    }
    return false;
}

long sys_unshare(struct trapframe *tf)
{
    uint32_t flags = tf->ebx;
    struct proc *p = current_proc();
    if (flags & ~(uint32_t)UNSHARE_KNOWN)
        return -EINVAL;
    /* What one flag implies, as Linux expands them. */
    if (flags & CLONE_VM)
        flags |= CLONE_SIGHAND;
    if (flags & CLONE_SIGHAND)
        flags |= CLONE_THREAD;
    if ((flags & CLONE_THREAD) && has_other_threads(p))
        return -EINVAL;
    if ((flags & (CLONE_SIGHAND | CLONE_VM)) && p->sighand->refs > 1)
        return -EINVAL;
    if ((flags & CLONE_VM) && p->mm->refs > 1)
        return -EINVAL;
    if (flags & UNSHARE_NAMESPACES)
        return cred_privileged(current_cred()) ? -EINVAL : -EPERM;
    /* Both copies first, so that a failure changes nothing. */
    struct fdtable *files = 0;
    struct fs_info *fs = 0;
    if ((flags & CLONE_FILES) && p->files->refs > 1 && !(files = fdtable_copy(p->files)))
        return -ENOMEM;
    if ((flags & CLONE_FS) && p->fs->refs > 1 && !(fs = fs_info_copy(p->fs))) {
        if (files)
            fdtable_put(files);
        return -ENOMEM;
    }
    if (files) {
        fdtable_put(p->files);
        p->files = files;
    }
    if (fs) {
        fs_info_put(p->fs);
        p->fs = fs;
    }
    return 0;
}
