/* epoll.c: epoll instances.
 *
 * An epoll instance is an open file whose inode holds a list of entries,
 * one per (descriptor, open file) registered with epoll_ctl: the events it
 * waits for and the 64-bit word to report with them. epoll_wait looks at
 * each entry's file through the same poll operation poll(2) uses
 * (fs/poll.c), and sleeps on the same single channel when nothing is ready;
 * every object whose readiness changes calls poll_wake(), which wakes it.
 *
 * Three ways to report an entry, chosen by its flags:
 *   level-triggered (the default): every epoll_wait that finds the file
 *     ready reports it, as poll would;
 *   EPOLLET, edge-triggered: reported once when it becomes ready, then not
 *     again until something changes. Linux knows which file woke it; bunshin
 *     has one wake for everything (poll_wake), so "something changed" is
 *     "poll_wake was called since the last report" (poll_generation). An
 *     edge-triggered program reads until EAGAIN anyway, so the rare extra
 *     report costs it one failed read, never a lost event;
 *   EPOLLONESHOT: reported once, then disabled until EPOLL_CTL_MOD.
 * A reported entry moves to the end of the list, so that a program that
 * takes one event at a time still sees every ready file in turn.
 *
 * An entry belongs to the open file description, not to the descriptor:
 * it goes when the last descriptor of the file is closed (epoll_file_gone,
 * called by file_put), or with EPOLL_CTL_DEL. So each open file keeps the
 * list of entries that watch it (file->watchers), and entries hold no
 * reference to it: holding one would keep a pipe's end open for ever.
 */
#include "fs/epoll.h"
#include "fs/poll.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "printk.h"
#include "lib/string.h"

/* The flags of an entry that are not poll bits. */
#define EP_FLAGS (EPOLLET | EPOLLONESHOT | EPOLLWAKEUP | EPOLLEXCLUSIVE)
/* What an EPOLLEXCLUSIVE entry may ask for (Linux's EPOLLEXCLUSIVE_OK_BITS). */
#define EP_EXCLUSIVE_OK (POLLIN | POLLOUT | POLLERR | POLLHUP | EPOLLWAKEUP | \
                         EPOLLET | EPOLLEXCLUSIVE)
/* How deep epolls may watch epolls (Linux's EPOLL_MAX_NESTS). */
#define EP_MAX_NESTS 4

struct epitem {
    struct epitem *next;           /* the next entry of its instance */
    struct epitem *next_watcher;   /* the next entry watching the same file */
    struct eventpoll *ep;          /* its instance */
    struct file *file;             /* the file watched (no reference held) */
    int fd;                        /* the descriptor it was added by */
    uint32_t events;               /* poll bits wanted, POLLERR|POLLHUP, flags */
    uint64_t data;                 /* reported with the events */
    bool disabled;                 /* EPOLLONESHOT, reported since the last MOD */
    bool fresh;                    /* not reported since it was added or changed */
    uint32_t seen;                 /* poll_generation() at its last report */
};

struct eventpoll {
    struct epitem *items;          /* in report order: reported ones go last */
    struct file *file;             /* its one open file (no reference held:
                                    * the file holds the inode this lives in) */
};

static const struct file_ops epoll_ops;

static struct eventpoll *ep_of(struct file *f)
{
    return f->inode->priv;
}

bool file_is_epoll(struct file *f)
{
    return f->ops == &epoll_ops;
}

/* What entry it would report now: its events among those asked for (0:
 * nothing). Edge-triggered entries need a change since their last report. */
static uint32_t item_ready(struct epitem *it)
{
    if (it->disabled)
        return 0;
    if ((it->events & EPOLLET) && !it->fresh && it->seen == poll_generation())
        return 0;
    return file_poll(it->file) & it->events & ~(uint32_t)EP_FLAGS;
}

/* The entry has been reported with these events. */
static void item_reported(struct epitem *it)
{
    it->fresh = false;
    it->seen = poll_generation();
    if (it->events & EPOLLONESHOT)
        it->disabled = true;
}

/* Unlink it from the list of the file it watches. */
static void unwatch(struct epitem *it)
{
    struct epitem **pp = &it->file->watchers;
    while (*pp != it)
        pp = &(*pp)->next_watcher;
    *pp = it->next_watcher;
}

/* Take it out of its instance and of its file's watchers, and free it. */
static void item_free(struct epitem *it)
{
    struct epitem **pp = &it->ep->items;
    while (*pp != it)
        pp = &(*pp)->next;
    *pp = it->next;
    unwatch(it);
    kfree(it);
}

static struct epitem *item_find(struct eventpoll *ep, struct file *f, int fd)
{
    for (struct epitem *it = ep->items; it; it = it->next)
        if (it->file == f && it->fd == fd)
            return it;
    return 0;
}

/* How many links of instances hang below ep at most: 0 if it watches no
 * epoll, 1 if it watches one that watches none, and so on. A path that comes
 * back to into (a loop, were into to watch ep), or one longer than Linux
 * allows, counts as EP_MAX_NESTS + 1. depth: the links already above ep on
 * this path, which bounds the recursion. */
static int depth_below(struct eventpoll *ep, struct eventpoll *into, int depth)
{
    int most = 0;
    for (struct epitem *it = ep->items; it && most <= EP_MAX_NESTS; it = it->next) {
        if (!file_is_epoll(it->file))
            continue;
        struct eventpoll *sub = ep_of(it->file);
        int d = sub == into || depth >= EP_MAX_NESTS ? EP_MAX_NESTS + 1
                                                    : depth_below(sub, into, depth + 1) + 1;
        if (d > most)
            most = d;
    }
    return most;
}

/* How many links of instances lie above ep at most: the instances that
 * watch it (its file's watchers), those that watch them, and so on. The
 * graph upwards has no loops (each link passed the check below), and the
 * count stops past EP_MAX_NESTS. */
static int depth_above(struct eventpoll *ep, int depth)
{
    int most = 0;
    for (struct epitem *w = ep->file->watchers; w && most <= EP_MAX_NESTS;
         w = w->next_watcher) {
        int d = depth >= EP_MAX_NESTS ? EP_MAX_NESTS + 1 : depth_above(w->ep, depth + 1) + 1;
        if (d > most)
            most = d;
    }
    return most;
}

/* Would ep watching target (an epoll) make a loop, or a chain of instances
 * longer than Linux's EP_MAX_NESTS links? Linux (ep_loop_check) counts the
 * whole chain through the new link: the links below target, the new one,
 * and the links above ep. So a chain of 5 instances is allowed and a 6th is
 * refused whichever end it is added at, or when two chains are joined. */
static bool makes_loop(struct eventpoll *ep, struct file *target)
{
    int below = depth_below(ep_of(target), ep, 0);
    if (below > EP_MAX_NESTS)
        return true;
    return below + 1 + depth_above(ep, 0) > EP_MAX_NESTS;
}

int epoll_control(struct file *epf, int op, int fd, struct file *target,
                  const struct epoll_event *ev)
{
    /* Linux's order of checks (do_epoll_ctl). */
    if (!target->ops || !target->ops->poll)
        return -EPERM;         /* in-memory files, directories: always ready */
    if (epf == target || !file_is_epoll(epf))
        return -EINVAL;
    bool has_event = op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD;
    uint32_t events = has_event ? ev->events : 0;
    if (has_event && (events & EPOLLEXCLUSIVE)) {
        if (op == EPOLL_CTL_MOD)
            return -EINVAL;
        if (file_is_epoll(target) || (events & ~(uint32_t)EP_EXCLUSIVE_OK))
            return -EINVAL;
    }
    struct eventpoll *ep = ep_of(epf);
    if (op == EPOLL_CTL_ADD && file_is_epoll(target) && makes_loop(ep, target))
        return -ELOOP;
    struct epitem *it = item_find(ep, target, fd);
    switch (op) {
    case EPOLL_CTL_ADD:
        if (it)
            return -EEXIST;
        it = kzalloc(sizeof *it);
        if (!it)
            return -ENOMEM;
        it->ep = ep;
        it->file = target;
        it->fd = fd;
        /* At the end of the list, and of the file's watchers. */
        struct epitem **pp = &ep->items;
        while (*pp)
            pp = &(*pp)->next;
        *pp = it;
        it->next_watcher = target->watchers;
        target->watchers = it;
        break;
    case EPOLL_CTL_MOD:
        if (!it)
            return -ENOENT;
        if (it->events & EPOLLEXCLUSIVE)
            return -EINVAL;
        break;
    case EPOLL_CTL_DEL:
        if (!it)
            return -ENOENT;
        item_free(it);
        return 0;
    default:
        return -EINVAL;
    }
    /* An error or a hang-up is always reported, asked for or not. */
    it->events = events | POLLERR | POLLHUP;
    it->data = ev->data;
    it->disabled = false;
    it->fresh = true;
    /* A waiter on this instance (or on an epoll or poll that watches it)
     * has work only if the entry can be reported now; if not, the file
     * calls poll_wake itself when that changes. Waking for nothing would
     * also count as a change for every edge-triggered entry (fs/poll.c has
     * one generation for everything) and report them all again: Go's
     * runtime adds each new descriptor with EPOLLET. */
    if (item_ready(it))
        poll_wake();
    return 0;
}

/* One look at every entry: copy out up to max events to the user's array
 * at uevents, moving the reported entries to the end of the list. Each
 * event is copied out before its entry counts as reported, as Linux does
 * (ep_send_events): one that cannot be written stays as it was (a one-shot
 * entry stays armed, an edge is not used up) for the next call. The number
 * copied out, or -EFAULT if the very first could not be. */
static int harvest(struct eventpoll *ep, vaddr_t uevents, int max)
{
    struct epitem *done = 0, **done_tail = &done;
    int n = 0;
    struct epitem **pp = &ep->items;
    while (*pp && n < max) {
        struct epitem *it = *pp;
        uint32_t mask = item_ready(it);
        if (!mask) {
            pp = &it->next;
            continue;
        }
        struct epoll_event ev = { mask, it->data };
        if (copy_to_user(uevents + (uint32_t)n * sizeof ev, &ev, sizeof ev) < 0) {
            if (n == 0)
                n = -EFAULT;
            break;
        }
        n++;
        item_reported(it);
        *pp = it->next;        /* move it to the done list */
        it->next = 0;
        *done_tail = it;
        done_tail = &it->next;
    }
    while (*pp)
        pp = &(*pp)->next;
    *pp = done;
    return n;
}

int epoll_wait_events(struct file *epf, vaddr_t uevents, int max, uint64_t deadline)
{
    struct proc *p = current_proc();
    struct eventpoll *ep = ep_of(epf);
    for (;;) {
        int n = harvest(ep, uevents, max);
        /* Events (or a fault) first, then the time limit, then a signal:
         * Linux's order (ep_poll). So a zero timeout never looks at
         * signals: epoll_pwait(..., 0, mask) with a signal pending that
         * mask lets in returns 0, and the signal stays pending under the
         * old mask. */
        if (n)
            return n;
        if (poll_time_up(deadline))
            return 0;
        if (signal_pending(p))
            return -EINTR;
        poll_sleep(deadline);
    }
}

/* poll on an epoll instance: readable while some entry would be reported
 * (without reporting it). */
static uint32_t epoll_poll(struct file *f)
{
    for (struct epitem *it = ep_of(f)->items; it; it = it->next)
        if (item_ready(it))
            return POLLIN | POLLRDNORM;
    return 0;
}

/* An epoll is not read or written: -EINVAL, as on Linux. */
static long epoll_read(struct file *f, void *buf, uint32_t n, bool user)
{
    (void)f, (void)buf, (void)n, (void)user;
    return -EINVAL;
}

static long epoll_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    (void)f, (void)buf, (void)n, (void)user;
    return -EINVAL;
}

/* The instance's last descriptor is closed: its entries go. */
static void epoll_release(struct file *f)
{
    struct eventpoll *ep = ep_of(f);
    while (ep->items)
        item_free(ep->items);
}

static const struct file_ops epoll_ops = {
    .read = epoll_read,
    .write = epoll_write,
    .release = epoll_release,
    .poll = epoll_poll,
};

static const struct inode_ops epoll_inode_ops = { 0 };

int epoll_create(struct file **out)
{
    /* An inode of no type with mode 0600, as Linux's anonymous inodes. */
    struct inode *ip = inode_new(0600, &epoll_inode_ops, sizeof(struct eventpoll));
    if (!ip)
        return -ENOMEM;
    ip->fops = &epoll_ops;
    int r = file_open(ip, O_RDWR, out);
    if (r == 0) {
        ((struct eventpoll *)ip->priv)->file = *out;
        /* The name /proc/<pid>/fd/<n> shows (fs/procfs_fd.c), Linux's for
         * every epoll. Without it (no memory) the link is
         * "anon_inode:[ino]", which does no harm. */
        static const char name[] = "anon_inode:[eventpoll]";
        (*out)->path = kmalloc(sizeof name);
        if ((*out)->path)
            strlcpy((*out)->path, name, sizeof name);
    }
    inode_put(ip);             /* the file holds it now (or, failing, it goes) */
    return r;
}

void epoll_file_gone(struct file *f)
{
    while (f->watchers)
        item_free(f->watchers);
}
