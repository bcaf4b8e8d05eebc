/* kcmp.c: kcmp(pid1, pid2, type, idx1, idx2): do two processes share a
 * kernel object (an open file, the address space, the descriptor table,
 * the fs information, the signal handlers)? 0 if they do, else 1 or 2 as
 * the first object orders before or after the second (by address: stable
 * while both live, otherwise meaningless, as Linux's). The caller must be
 * allowed to look into both processes as ptrace would (privileged, or the
 * target's real, effective and saved ids all its own): EPERM otherwise.
 * bunshin keeps no I/O contexts and no shared semaphore undo lists:
 * KCMP_IO and KCMP_SYSVSEM compare "none" with "none", equal, as Linux does
 * for processes that never made one. KCMP_EPOLL_TFD is EOPNOTSUPP. */
#include "kernel/kcmp.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "fs/file.h"
#include "linux/errno.h"
#include "linux/kcmp.h"

/* May the caller look into p as ptrace would (kernel/kcmp.h)? */
bool may_inspect_process(const struct proc *p)
{
    const struct cred *c = current_cred(), *t = &p->cred;
    if (cred_privileged(c))
        return true;
    return c->uid == t->uid && c->uid == t->euid && c->uid == t->suid && c->gid == t->gid &&
           c->gid == t->egid && c->gid == t->sgid;
}

static long order(const void *a, const void *b)
{
    return a == b ? 0 : (uintptr_t)a < (uintptr_t)b ? 1 : 2;
}

long sys_kcmp(struct trapframe *tf)
{
    struct proc *a = proc_find((int)tf->ebx), *b = proc_find((int)tf->ecx);
    if ((int)tf->ebx <= 0 || (int)tf->ecx <= 0 || !a || !b || a->state == PROC_EMBRYO ||
        b->state == PROC_EMBRYO || a->state == PROC_ZOMBIE || b->state == PROC_ZOMBIE)
        return -ESRCH;
    if (!may_inspect_process(a) || !may_inspect_process(b))
        return -EPERM;
    switch (tf->edx) {
    case KCMP_FILE: {
        struct file *fa = fd_lookup(a->files, (int)tf->esi);
        struct file *fb = fd_lookup(b->files, (int)tf->edi);
        if (!fa || !fb)
            return -EBADF;
        return order(fa, fb);
    }
    case KCMP_VM:      return order(a->mm, b->mm);
    case KCMP_FILES:   return order(a->files, b->files);
    case KCMP_FS:      return order(a->fs, b->fs);
    case KCMP_SIGHAND: return order(a->sighand, b->sighand);
    case KCMP_IO:
    case KCMP_SYSVSEM: return 0;
    case KCMP_EPOLL_TFD: return -EOPNOTSUPP;
    default:           return -EINVAL;
    }
}
