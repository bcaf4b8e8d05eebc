/* signalfd.c: signalfd(2): a file to read signals from, instead of having
 * them delivered.
 *
 * A signalfd holds a set of signals (its mask). Reading it takes the
 * reader's pending signals of the mask, as sigtimedwait does (kernel/
 * signal.c's signal_dequeue: the thread's own first, then its process's),
 * each as a struct signalfd_siginfo of 128 bytes; it waits while none is
 * pending. Poll and epoll see it readable while one is. The signals are
 * always those of whoever reads or polls, not of whoever made the file:
 * after fork, the child reads its own. As with sigtimedwait, the program
 * blocks the signals first, or they are delivered (or ignored) before a
 * read can take them. Sending a signal wakes every poller (kernel/signal.c
 * calls poll_wake), and a waiting read sleeps as a poller does.
 */
#include "fs/signalfd.h"
#include "fs/anon_inode.h"
#include "fs/poll.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/usercopy.h"
#include "lib/string.h"
#include "linux/errno.h"
#include "linux/signalfd.h"

#define SIGSET_BYTES 8                     /* the kernel's sigset_t */

struct signalfd {
    uint64_t mask;                         /* the signals it reads */
};

static struct signalfd *signalfd_of(struct file *f)
{
    return f->inode->priv;
}

/* info as a read of a signalfd gives it: the fields Linux fills for the
 * siginfo's layout (its siginfo_layout), by si_code and the signal. */
static void signalfd_info(const struct siginfo *info, struct signalfd_siginfo *out)
{
    memset(out, 0, sizeof *out);
    int sig = info->si_signo, code = info->si_code;
    out->ssi_signo = (uint32_t)sig;
    out->ssi_errno = info->si_errno;
    out->ssi_code = code;
    if (code > SI_USER && code < SI_KERNEL) {      /* from the kernel, per signal */
        if (sig == SIGCHLD) {
            out->ssi_pid = (uint32_t)info->f.chld.pid;
            out->ssi_uid = info->f.chld.uid;
            out->ssi_status = info->f.chld.status;
            out->ssi_utime = (uint32_t)info->f.chld.utime;
            out->ssi_stime = (uint32_t)info->f.chld.stime;
        } else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
                   sig == SIGTRAP) {
            out->ssi_addr = info->f.fault.addr;
        } else {
            out->ssi_pid = (uint32_t)info->f.kill.pid;
            out->ssi_uid = info->f.kill.uid;
        }
    } else if (code == SI_TIMER) {
        out->ssi_tid = (uint32_t)info->f.timer.tid;
        out->ssi_overrun = (uint32_t)info->f.timer.overrun;
        out->ssi_int = (int32_t)info->f.timer.value;
        out->ssi_ptr = info->f.timer.value;
    } else if (code < 0) {                         /* sigqueue, tkill */
        out->ssi_pid = (uint32_t)info->f.rt.pid;
        out->ssi_uid = info->f.rt.uid;
        out->ssi_int = (int32_t)info->f.rt.value;
        out->ssi_ptr = info->f.rt.value;
    } else {                                       /* kill, the kernel's own */
        out->ssi_pid = (uint32_t)info->f.kill.pid;
        out->ssi_uid = info->f.kill.uid;
    }
}

/* read: as many pending signals of the mask as whole structs fit in n
 * bytes; waits for the first while none is pending. */
static long signalfd_read(struct file *f, void *buf, uint32_t n, bool user)
{
    struct signalfd *s = signalfd_of(f);
    struct proc *me = current_proc();
    if (n < sizeof(struct signalfd_siginfo))
        return -EINVAL;
    uint32_t done = 0;
    while (done + sizeof(struct signalfd_siginfo) <= n) {
        struct siginfo info;
        int sig = signal_dequeue(me, s->mask, &info);
        if (!sig) {
            if (done)
                break;                     /* only the first one waits */
            if (f->flags & O_NONBLOCK)
                return -EAGAIN;
            if (signal_pending(me))
                return -ERESTARTSYS;
            poll_sleep(0);                 /* until a signal is sent */
            continue;
        }
        struct signalfd_siginfo out;
        signalfd_info(&info, &out);
        if (user) {
            /* The signal is taken even so, as on Linux. */
            if (copy_to_user((vaddr_t)buf + done, &out, sizeof out) < 0)
                return done ? (long)done : -EFAULT;
        } else {
            memcpy((uint8_t *)buf + done, &out, sizeof out);
        }
        done += sizeof out;
    }
    return done;
}

static long signalfd_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    (void)f, (void)buf, (void)n, (void)user;
    return -EINVAL;                        /* as Linux: a signalfd has no write */
}

static uint32_t signalfd_poll(struct file *f)
{
    uint64_t pending = signal_pending_set(current_proc());
    return pending & signalfd_of(f)->mask ? POLLIN | POLLRDNORM : 0;
}

static const struct file_ops signalfd_ops = {
    .read = signalfd_read,
    .write = signalfd_write,
    .poll = signalfd_poll,
};

/* signalfd4's worker: with fd -1, a new signalfd for mask on a new
 * descriptor; else fd's mask becomes mask (its flags stay). SIGKILL and
 * SIGSTOP are left out of any mask. -EINVAL (flags, fd not a signalfd),
 * -EBADF, -EMFILE, -ENOMEM. */
static long do_signalfd4(int fd, uint64_t mask, uint32_t flags)
{
    if (flags & ~(uint32_t)(SFD_CLOEXEC | SFD_NONBLOCK))
        return -EINVAL;
    mask &= ~SIG_UNBLOCKABLE;
    if (fd != -1) {
        struct file *f = fd_lookup(current_proc()->files, fd);
        if (!f)
            return -EBADF;
        if (f->ops != &signalfd_ops)
            return -EINVAL;
        signalfd_of(f)->mask = mask;
        poll_wake();                       /* a waiting reader looks again */
        return fd;
    }
    struct file *f;
    int r = anon_inode_open("anon_inode:[signalfd]", &signalfd_ops, sizeof(struct signalfd),
                            flags & SFD_NONBLOCK, &f);
    if (r < 0)
        return r;
    signalfd_of(f)->mask = mask;
    return anon_inode_install(f, (flags & SFD_CLOEXEC) != 0);
}

/* The shared part: the mask's size must be the kernel's sigset_t, checked
 * before the mask is read (Linux's order). */
static long signalfd_common(struct trapframe *tf, uint32_t flags)
{
    uint64_t mask;
    if (tf->edx != SIGSET_BYTES)
        return -EINVAL;
    if (copy_from_user(&mask, tf->ecx, sizeof mask) < 0)
        return -EFAULT;
    return do_signalfd4((int)tf->ebx, mask, flags);
}

/* signalfd(fd, mask, sizemask) */
long sys_signalfd(struct trapframe *tf)
{
    return signalfd_common(tf, 0);
}

/* signalfd4(fd, mask, sizemask, flags) */
long sys_signalfd4(struct trapframe *tf)
{
    return signalfd_common(tf, tf->esi);
}
