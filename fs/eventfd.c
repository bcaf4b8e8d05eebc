/* eventfd.c: eventfd(2): a file that is a 64-bit counter, for one process
 * or thread to wake another through read, poll or epoll.
 *
 * A write adds its 8 bytes to the counter; a read takes the whole counter
 * (or 1, with EFD_SEMAPHORE) and waits while it is 0. The counter never
 * reaches 0xffffffffffffffff: a write that would take it there waits for a
 * read (and writing that value itself is EINVAL). Readable while the counter
 * is not 0, writable while at least 1 can be added.
 */
#include "fs/eventfd.h"
#include "fs/anon_inode.h"
#include "fs/poll.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/usercopy.h"
#include "lib/string.h"
#include "linux/errno.h"
#include "linux/eventfd.h"

#define EVENTFD_MAX 0xfffffffffffffffeull  /* the largest the counter holds */

struct eventfd {
    uint64_t count;
    bool semaphore;                /* EFD_SEMAPHORE */
};

static struct eventfd *eventfd_of(struct file *f)
{
    return f->inode->priv;
}

/* The counter changed: wake readers and writers waiting on it, and every
 * poller (fs/poll.c). */
static void eventfd_wake(struct eventfd *e)
{
    wakeup(e);
    poll_wake();
}

/* Copy the 8 bytes of v to or from buf (user or kernel memory). */
static int copy_out(void *buf, uint64_t v, bool user)
{
    if (user)
        return copy_to_user((vaddr_t)buf, &v, sizeof v) < 0 ? -EFAULT : 0;
    memcpy(buf, &v, sizeof v);
    return 0;
}

static int copy_in(uint64_t *v, const void *buf, bool user)
{
    if (user)
        return copy_from_user(v, (vaddr_t)buf, sizeof *v) < 0 ? -EFAULT : 0;
    memcpy(v, buf, sizeof *v);
    return 0;
}

/* read: 8 bytes, the counter (reset to 0) or 1; waits while it is 0. */
static long eventfd_read(struct file *f, void *buf, uint32_t n, bool user)
{
    struct eventfd *e = eventfd_of(f);
    if (n < sizeof(uint64_t))
        return -EINVAL;
    while (e->count == 0) {
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (signal_pending(current_proc()))
            return -ERESTARTSYS;
        sleep_on(e);
    }
    uint64_t v = e->semaphore ? 1 : e->count;
    e->count -= v;
    eventfd_wake(e);                       /* room for a waiting writer */
    /* Taken even if it cannot be copied out, as on Linux. */
    int r = copy_out(buf, v, user);
    return r < 0 ? r : (long)sizeof v;
}

/* write: add 8 bytes' value; waits while it would pass EVENTFD_MAX. */
static long eventfd_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    struct eventfd *e = eventfd_of(f);
    uint64_t v;
    if (n < sizeof v)
        return -EINVAL;
    int r = copy_in(&v, buf, user);
    if (r < 0)
        return r;
    if (v == EVENTFD_MAX + 1)
        return -EINVAL;
    while (EVENTFD_MAX - e->count < v) {
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (signal_pending(current_proc()))
            return -ERESTARTSYS;
        sleep_on(e);
    }
    e->count += v;
    if (v)
        eventfd_wake(e);
    return sizeof v;
}

static uint32_t eventfd_poll(struct file *f)
{
    struct eventfd *e = eventfd_of(f);
    uint32_t mask = 0;
    if (e->count)
        mask |= POLLIN | POLLRDNORM;
    if (e->count < EVENTFD_MAX)
        mask |= POLLOUT | POLLWRNORM;
    return mask;
}

static const struct file_ops eventfd_ops = {
    .read = eventfd_read,
    .write = eventfd_write,
    .poll = eventfd_poll,
};

/* eventfd2's worker: a new eventfd holding count, on a new descriptor.
 * -EINVAL (unknown flags), -EMFILE, -ENOMEM. */
static long do_eventfd(uint32_t count, uint32_t flags)
{
    if (flags & ~(uint32_t)(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
        return -EINVAL;
    struct file *f;
    int r = anon_inode_open("anon_inode:[eventfd]", &eventfd_ops, sizeof(struct eventfd),
                            flags & EFD_NONBLOCK, &f);
    if (r < 0)
        return r;
    struct eventfd *e = eventfd_of(f);
    e->count = count;
    e->semaphore = (flags & EFD_SEMAPHORE) != 0;
    return anon_inode_install(f, (flags & EFD_CLOEXEC) != 0);
}

/* eventfd(initval) */
long sys_eventfd(struct trapframe *tf)
{
    return do_eventfd(tf->ebx, 0);
}

/* eventfd2(initval, flags) */
long sys_eventfd2(struct trapframe *tf)
{
    return do_eventfd(tf->ebx, tf->ecx);
}
