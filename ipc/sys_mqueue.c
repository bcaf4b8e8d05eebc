/* sys_mqueue.c: the POSIX message queue calls: decode the arguments, check
 * them in Linux's order, and call ipc/mqueue.c. */
#include "ipc/sys_mqueue.h"
#include "ipc/mqueue.h"
#include "drivers/timer.h"
#include "drivers/clock.h"
#include "fs/poll.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/limits.h"
#include "linux/signal.h"
#include "linux/time.h"

/* A queue's name from user memory into a kmalloc'd buffer (the caller
 * frees it): 0, -EFAULT, -ENAMETOOLONG, -ENOMEM. */
static int get_name(vaddr_t uname, char **out)
{
    char *buf = kmalloc(PATH_MAX);
    if (!buf)
        return -ENOMEM;
    int r = strncpy_from_user(buf, uname, PATH_MAX);
    if (r < 0) {
        kfree(buf);
        return r;
    }
    *out = buf;
    return 0;
}

/* mq_open(name, oflag, mode, attr): the descriptor, always close-on-exec
 * (as on Linux). */
long sys_mq_open(struct trapframe *tf)
{
    struct mq_attr attr;
    if (tf->esi && copy_from_user(&attr, tf->esi, sizeof attr) < 0)
        return -EFAULT;
    char *name;
    int r = get_name(tf->ebx, &name);
    if (r < 0)
        return r;
    struct proc *me = current_proc();
    struct file *f;
    if ((r = fd_lowest_free(me->files, 0, rlimit_nofile(me))) >= 0 &&
        (r = mq_open_name(name, tf->ecx, tf->edx, tf->esi ? &attr : 0, &f)) == 0) {
        r = fd_install(me->files, f, 0, rlimit_nofile(me), true);
        if (r < 0)
            file_put(f);
    }
    kfree(name);
    return r;
}

long sys_mq_unlink(struct trapframe *tf)
{
    char *name;
    int r = get_name(tf->ebx, &name);
    if (r < 0)
        return r;
    r = mq_unlink_name(name);
    kfree(name);
    return r;
}

/* An absolute CLOCK_REALTIME timeout at uts (0: none) as a timer tick in
 * *deadline; a time already past is the tick of now. 0, -EFAULT, -EINVAL. */
static int abs_deadline(vaddr_t uts, bool time64, uint64_t *deadline)
{
    *deadline = 0;
    if (!uts)
        return 0;
    int64_t sec;
    int32_t nsec;
    if (time64) {
        struct __kernel_timespec ts;
        if (copy_from_user(&ts, uts, sizeof ts) < 0)
            return -EFAULT;
        sec = ts.tv_sec;
        nsec = (int32_t)ts.tv_nsec;        /* a 32-bit kernel reads 32 bits */
    } else {
        struct old_timespec32 ts;
        if (copy_from_user(&ts, uts, sizeof ts) < 0)
            return -EFAULT;
        sec = ts.tv_sec;
        nsec = ts.tv_nsec;
    }
    if (sec < 0 || nsec < 0 || nsec >= 1000000000)
        return -EINVAL;
    if (sec >= 0x100000000LL)
        return 0;                          /* past the year 2106: for ever */
    uint64_t ns = (uint64_t)sec * 1000000000u + (uint32_t)nsec;
    uint64_t now = clock_realtime_ns();
    if (ns <= now)
        *deadline = timer_ticks();         /* already past: look once */
    else if (ns - now > (uint64_t)POLL_MAX_SEC * 1000000000u)
        *deadline = 0;                     /* longer than ticks count: for ever */
    else
        *deadline = timer_deadline(ns - now);
    return 0;
}

/* The message queue open on fd: NULL if there is none. */
static struct file *mq_file(int fd)
{
    struct file *f = fd_lookup(current_proc()->files, fd);
    return f && file_is_mqueue(f) ? f : 0;
}

/* mq_timedsend(mqd, msg, len, prio, abs_timeout). */
static long do_mq_timedsend(struct trapframe *tf, bool time64)
{
    uint64_t deadline;
    int r = abs_deadline(tf->edi, time64, &deadline);
    if (r < 0)
        return r;
    if (tf->esi >= MQ_PRIO_MAX)
        return -EINVAL;
    struct file *f = mq_file((int)tf->ebx);
    if (!f)
        return -EBADF;
    file_get(f);                   /* it may be closed while we wait */
    long n = mq_send(f, tf->ecx, tf->edx, tf->esi, deadline);
    file_put(f);
    return n;
}

/* mq_timedreceive(mqd, msg, len, &prio, abs_timeout). */
static long do_mq_timedreceive(struct trapframe *tf, bool time64)
{
    uint64_t deadline;
    int r = abs_deadline(tf->edi, time64, &deadline);
    if (r < 0)
        return r;
    struct file *f = mq_file((int)tf->ebx);
    if (!f)
        return -EBADF;
    file_get(f);
    long n = mq_receive(f, tf->ecx, tf->edx, tf->esi, deadline);
    file_put(f);
    return n;
}

long sys_mq_timedsend(struct trapframe *tf)
{
    return do_mq_timedsend(tf, false);
}

long sys_mq_timedreceive(struct trapframe *tf)
{
    return do_mq_timedreceive(tf, false);
}

long sys_mq_timedsend_time64(struct trapframe *tf)
{
    return do_mq_timedsend(tf, true);
}

long sys_mq_timedreceive_time64(struct trapframe *tf)
{
    return do_mq_timedreceive(tf, true);
}

/* mq_notify(mqd, sevp): SIGEV_SIGNAL or SIGEV_NONE (SIGEV_THREAD needs a
 * netlink socket, which bunshin has not: EINVAL). */
long sys_mq_notify(struct trapframe *tf)
{
    struct sigevent_head ev;
    if (tf->ecx) {
        if (copy_from_user(&ev, tf->ecx, sizeof ev) < 0)
            return -EFAULT;
        if (ev.sigev_notify != SIGEV_NONE && ev.sigev_notify != SIGEV_SIGNAL)
            return -EINVAL;
        if (ev.sigev_notify == SIGEV_SIGNAL &&
            (ev.sigev_signo < 0 || ev.sigev_signo > SIGRTMAX))
            return -EINVAL;
    }
    struct file *f = mq_file((int)tf->ebx);
    if (!f)
        return -EBADF;
    return mq_set_notify(f, tf->ecx ? &ev : 0);
}

/* mq_getsetattr(mqd, new, old): only O_NONBLOCK can be changed. */
long sys_mq_getsetattr(struct trapframe *tf)
{
    struct mq_attr set, old;
    if (tf->ecx) {
        if (copy_from_user(&set, tf->ecx, sizeof set) < 0)
            return -EFAULT;
        if (set.mq_flags & ~(int32_t)O_NONBLOCK)
            return -EINVAL;
    }
    struct file *f = mq_file((int)tf->ebx);
    if (!f)
        return -EBADF;
    mq_get_attr(f, &old);
    if (tf->ecx)
        f->flags = (f->flags & ~(uint32_t)O_NONBLOCK) | ((uint32_t)set.mq_flags & O_NONBLOCK);
    if (tf->edx && copy_to_user(tf->edx, &old, sizeof old) < 0)
        return -EFAULT;
    return 0;
}
