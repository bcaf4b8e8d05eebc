/* pidfd.c: a descriptor for a process (pidfd_open), which poll, select and
 * epoll see readable once the process has ended, and through which a
 * signal goes to that process and no other (pidfd_send_signal), even after
 * its pid has been given to a new one. The file remembers the process's
 * thread group id and the tick it started at: a process with that id but
 * another start is a new one, and the old one counts as gone.
 * exit (kernel/exit.c) calls poll_wake, so that waiting pollers look again.
 * Reading or writing one is EINVAL, as on Linux. */
#include "kernel/pidfd.h"
#include "kernel/kcmp.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "kernel/signal.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/poll.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/pidfd.h"
#include "linux/siginfo.h"
#include "lib/string.h"

struct pidfd {
    int tgid;
    uint64_t start_tick;           /* of the thread group's leader */
};

/* The leader the pidfd names if it is still in the process table (perhaps
 * a zombie), else NULL (reaped, or its pid reused). */
static struct proc *pidfd_leader(const struct pidfd *pd)
{
    struct proc *p = proc_find(pd->tgid);
    return p && p->start_tick == pd->start_tick && p->state != PROC_EMBRYO ? p : 0;
}

/* Has the process ended: no thread of it left running? */
static bool pidfd_ended(const struct pidfd *pd)
{
    return !pidfd_leader(pd) || !proc_live_thread(pd->tgid);
}

static long pidfd_rw(struct file *f, void *buf, uint32_t n, bool user)
{
    (void)f, (void)buf, (void)n, (void)user;
    return -EINVAL;
}

static long pidfd_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    (void)f, (void)buf, (void)n, (void)user;
    return -EINVAL;
}

/* Readable once the process has ended; hung up too once it is reaped. */
static uint32_t pidfd_poll(struct file *f)
{
    const struct pidfd *pd = f->priv;
    if (!pidfd_leader(pd))
        return POLLIN | POLLRDNORM | POLLHUP;
    return pidfd_ended(pd) ? POLLIN | POLLRDNORM : 0;
}

static void pidfd_release(struct file *f)
{
    kfree(f->priv);
    f->priv = 0;
}

static const struct file_ops pidfd_ops = {
    .read = pidfd_rw,
    .write = pidfd_write,
    .release = pidfd_release,
    .poll = pidfd_poll,
};

static const struct inode_ops pidfd_inode_ops = { 0 };

/* pidfd_open(pid, flags): a close-on-exec descriptor for process pid (a
 * thread group's leader); flags O_NONBLOCK (PIDFD_NONBLOCK) only. EINVAL
 * for other flags, pid <= 0 or a thread that does not lead its group,
 * ESRCH for no such process. */
long sys_pidfd_open(struct trapframe *tf)
{
    int pid = (int)tf->ebx;
    uint32_t flags = tf->ecx;
    if ((flags & ~(uint32_t)O_NONBLOCK) || pid <= 0)
        return -EINVAL;
    struct proc *p = proc_find(pid);
    if (!p || p->state == PROC_EMBRYO)
        return -ESRCH;
    if (p->tgid != p->pid)
        return -EINVAL;
    return pidfd_create(p, flags);
}

/* A new close-on-exec pidfd naming p (a group leader) in the caller's
 * table; flags 0 or O_NONBLOCK. The descriptor or -ENOMEM, -EMFILE. */
int pidfd_create(struct proc *p, uint32_t flags)
{
    struct pidfd *pd = kmalloc(sizeof *pd);
    struct inode *ip = pd ? inode_new(0600, &pidfd_inode_ops, 0) : 0;
    if (!ip) {
        kfree(pd);
        return -ENOMEM;
    }
    pd->tgid = p->tgid;
    pd->start_tick = p->start_tick;
    ip->fops = &pidfd_ops;
    struct file *f;
    int r = file_open(ip, O_RDWR | (flags & O_NONBLOCK), &f);
    inode_put(ip);                     /* the file holds it now (or it goes) */
    if (r < 0) {
        kfree(pd);
        return r;
    }
    f->priv = pd;
    static const char name[] = "anon_inode:[pidfd]";
    if ((f->path = kmalloc(sizeof name)))
        strlcpy(f->path, name, sizeof name);
    r = fd_install(current_proc()->files, f, 0, rlimit_nofile(current_proc()), true);
    if (r < 0)
        file_put(f);
    return r;
}

/* pidfd_send_signal(pidfd, sig, info, flags): kill, or rt_sigqueueinfo
 * with info, to the process the pidfd names; flags may instead name its
 * leading thread alone or its process group (one of Linux 6.9's
 * PIDFD_SIGNAL_ scopes, else EINVAL). EBADF for a descriptor that is not
 * a pidfd, ESRCH once the process is reaped (a zombie takes signals, as
 * on Linux), EINVAL when info's si_signo is not sig; then kill's own
 * checks (EINVAL, EPERM). */
long sys_pidfd_send_signal(struct trapframe *tf)
{
    uint32_t flags = tf->esi;
    if (flags & (flags - 1) || flags > PIDFD_SIGNAL_PROCESS_GROUP)
        return -EINVAL;                /* more than one scope, or an unknown flag */
    struct file *f = fd_lookup(current_proc()->files, (int)tf->ebx);
    if (!f || !f->inode || f->inode->fops != &pidfd_ops)
        return -EBADF;
    const struct pidfd *pd = f->priv;
    int sig = (int)tf->ecx;
    struct proc *leader = pidfd_leader(pd);
    if (!leader)
        return -ESRCH;
    if (flags == PIDFD_SIGNAL_THREAD && !tf->edx)
        return do_tkill(pd->tgid, pd->tgid, sig);
    if (flags == PIDFD_SIGNAL_PROCESS_GROUP && !tf->edx)
        return leader->group ? signal_send_pgrp(leader->group->pgid, sig) : -ESRCH;
    if (!tf->edx)
        return do_kill(pd->tgid, sig);
    struct siginfo info;
    if (copy_from_user(&info, tf->edx, sizeof info) < 0)
        return -EFAULT;
    if (info.si_signo != sig)
        return -EINVAL;
    return do_sigqueue(pd->tgid, sig, &info);
}

/* The live (or zombie) process that the pidfd file f names; NULL with
 * *err = -EBADF if f is not a pidfd, -ESRCH if the process was reaped. */
struct proc *pidfd_process(struct file *f, int *err)
{
    if (!f || !f->inode || f->inode->fops != &pidfd_ops) {
        *err = -EBADF;
        return 0;
    }
    struct proc *p = pidfd_leader(f->priv);
    if (!p)
        *err = -ESRCH;
    return p;
}

/* pidfd_getfd(pidfd, targetfd, flags): a close-on-exec duplicate, in the
 * caller's table, of descriptor targetfd of the process pidfd names.
 * EINVAL for any flag; EBADF for a pidfd that is not one; ESRCH once the
 * process is reaped; EPERM unless the caller may look into it as ptrace
 * would (its own process always); EBADF for a targetfd it has not open;
 * ESRCH for a process that has let go of its descriptors, ending (Linux
 * 6's answer: it is going); EMFILE. */
long sys_pidfd_getfd(struct trapframe *tf)
{
    if (tf->edx)
        return -EINVAL;
    struct proc *self = current_proc();
    int err;
    struct proc *p = pidfd_process(fd_lookup(self->files, (int)tf->ebx), &err);
    if (!p)
        return err;
    if (p->tgid != self->tgid && !may_inspect_process(p))
        return -EPERM;
    if (!p->files)
        return -ESRCH;
    struct file *f = fd_lookup(p->files, (int)tf->ecx);
    if (!f)
        return -EBADF;
    file_get(f);
    int fd = fd_install(self->files, f, 0, rlimit_nofile(self), true);
    if (fd < 0)
        file_put(f);
    return fd;
}
