/* inotify.c: inotify instances, their watches and their queues of events.
 *
 * An instance is an open file (inotify_init) whose inode holds a queue of
 * events; read takes whole events from it. A watch (inotify_add_watch)
 * says which events of one inode an instance wants, under a watch
 * descriptor (wd) that the events carry. All watches of all instances are
 * in one list, which fsnotify() walks when the VFS reports a change: a
 * teaching kernel has few watches, and with none the walk is a test of one
 * pointer. A watch holds no reference to its inode (it must not keep a
 * deleted file alive): when the inode goes, inode_put calls
 * fsnotify_inode_gone, which ends its watches with IN_DELETE_SELF and
 * IN_IGNORED.
 *
 * Events on a file are also reported to watches on the directories that
 * name it, with its name, as Linux does for access, modify, attrib, open
 * and close: bunshin's inodes do not know their parent, so such a watched
 * directory is searched for an entry naming the inode (not in /proc, whose
 * listing makes inodes as it goes). An unlinked file is
 * in no directory, so its events never reach its old directory's watch
 * (Linux's IN_EXCL_UNLINK behaviour, whether asked for or not).
 *
 * As on Linux: an event identical to the last one queued is dropped
 * (coalesced); when max_queued_events are waiting, one IN_Q_OVERFLOW event
 * (wd -1) is queued and later events are lost until read makes room.
 */
#include "fs/inotify.h"
#include "fs/poll.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/termios.h"
#include "lib/string.h"

/* Events a directory's watch hears about its children. */
#define IN_CHILD_EVENTS (IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | \
                         IN_CLOSE_NOWRITE | IN_OPEN)

struct in_event {                  /* one queued event */
    struct in_event *next;
    struct inotify_event ev;       /* ev.len bytes of name follow, in name */
    char name[];
};

struct inotify {                   /* an instance: its inode's private part */
    struct inotify *next;          /* all instances (for max_user_instances) */
    uint32_t uid;                  /* the real user who made it */
    int next_wd;                   /* the next watch descriptor to give */
    struct in_event *head, *tail;  /* the queue, oldest first */
    uint32_t queued;               /* events in it */
    uint32_t bytes;                /* what read would give for all of them */
    struct in_event *overflow;     /* the IN_Q_OVERFLOW event, made ahead */
    bool overflow_queued;
};

struct in_watch {
    struct in_watch *next;         /* all watches of all instances */
    struct inotify *in;
    struct inode *inode;           /* no reference held (see the top) */
    int wd;
    uint32_t mask;                 /* IN_* events, IN_ONESHOT, IN_EXCL_UNLINK */
};

static struct inotify *instances;
static struct in_watch *watches;
static uint32_t next_cookie;

static const struct file_ops inotify_ops;

static struct inotify *in_of(struct file *f)
{
    return f->inode->priv;
}

bool file_is_inotify(struct file *f)
{
    return f->ops == &inotify_ops;
}

uint32_t fsnotify_cookie(void)
{
    return ++next_cookie ? next_cookie : ++next_cookie;
}

/* ---- the queue ---- */

static uint32_t event_size(const struct in_event *e)
{
    return sizeof e->ev + e->ev.len;
}

static void append(struct inotify *in, struct in_event *e)
{
    e->next = 0;
    if (in->tail)
        in->tail->next = e;
    else
        in->head = e;
    in->tail = e;
    in->queued++;
    in->bytes += event_size(e);
    wakeup(in);
    poll_wake();
}

/* Is e the event (wd, mask, cookie, name) already? */
static bool same_event(const struct in_event *e, int wd, uint32_t mask, uint32_t cookie,
                       const char *name, uint32_t len)
{
    return e->ev.wd == wd && e->ev.mask == mask && e->ev.cookie == cookie &&
           e->ev.len == len && (len == 0 || strcmp(e->name, name) == 0);
}

/* Queue an event for instance in (see the top for coalescing and
 * overflow). The name is padded with NULs to a multiple of 16 bytes. */
static void queue_event(struct inotify *in, int wd, uint32_t mask, uint32_t cookie,
                        const char *name)
{
    uint32_t len = name ? (strlen(name) + 1 + 15) / 16 * 16 : 0;
    if (in->tail && same_event(in->tail, wd, mask, cookie, name, len))
        return;
    struct in_event *e = 0;
    if (in->queued < INOTIFY_MAX_QUEUED_EVENTS)
        e = kzalloc(sizeof *e + len);
    if (!e) {                          /* full, or no memory: the event is lost */
        if (!in->overflow_queued) {
            in->overflow_queued = true;
            append(in, in->overflow);
        }
        return;
    }
    e->ev.wd = wd;
    e->ev.mask = mask;
    e->ev.cookie = cookie;
    e->ev.len = len;
    if (name)
        strlcpy(e->name, name, len);
    append(in, e);
}

/* Take the oldest event off the queue and free it. */
static void dequeue(struct inotify *in)
{
    struct in_event *e = in->head;
    in->head = e->next;
    if (!in->head)
        in->tail = 0;
    in->queued--;
    in->bytes -= event_size(e);
    if (e == in->overflow)
        in->overflow_queued = false;
    else
        kfree(e);
}

/* ---- watches ---- */

/* Unlink watch w from the list and free it; report IN_IGNORED unless its
 * instance is closing. */
static void watch_remove(struct in_watch *w, bool report)
{
    struct in_watch **pp = &watches;
    while (*pp != w)
        pp = &(*pp)->next;
    *pp = w->next;
    if (report)
        queue_event(w->in, w->wd, IN_IGNORED, 0, 0);
    kfree(w);
}

static struct in_watch *find_watch(struct inotify *in, struct inode *ip)
{
    for (struct in_watch *w = watches; w; w = w->next)
        if (w->in == in && w->inode == ip)
            return w;
    return 0;
}

/* Watches of the instances of user uid. */
static uint32_t user_watches(uint32_t uid)
{
    uint32_t n = 0;
    for (struct in_watch *w = watches; w; w = w->next)
        n += w->in->uid == uid;
    return n;
}

int inotify_watch(struct file *f, struct inode *ip, uint32_t mask)
{
    struct inotify *in = in_of(f);
    uint32_t want = mask & (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK);
    struct in_watch *w = find_watch(in, ip);
    if (w) {
        if (mask & IN_MASK_CREATE)
            return -EEXIST;
        w->mask = (mask & IN_MASK_ADD) ? w->mask | want : want;
        return w->wd;
    }
    if (user_watches(in->uid) >= INOTIFY_MAX_USER_WATCHES)
        return -ENOSPC;
    if (!(w = kzalloc(sizeof *w)))
        return -ENOMEM;
    w->in = in;
    w->inode = ip;
    w->wd = in->next_wd++;
    w->mask = want;
    w->next = watches;
    watches = w;
    return w->wd;
}

int inotify_unwatch(struct file *f, int wd)
{
    struct inotify *in = in_of(f);
    for (struct in_watch *w = watches; w; w = w->next) {
        if (w->in == in && w->wd == wd) {
            watch_remove(w, true);
            return 0;
        }
    }
    return -EINVAL;
}

/* ---- what the VFS reports ---- */

/* Give watch w the event; a one-shot watch then goes. */
static void watch_event(struct in_watch *w, uint32_t mask, const char *name, uint32_t cookie)
{
    queue_event(w->in, w->wd, mask, cookie, name);
    if (w->mask & IN_ONESHOT)
        watch_remove(w, true);
}

/* The name directory dp has for ip (the first, if several), into e. */
static bool name_of(struct inode *dp, struct inode *ip, struct dir_entry *e)
{
    if (dp->dev != ip->dev)
        return false;
    for (uint32_t i = 0; dir_readdir(dp, i, e); i++)
        if (e->ino == ip->ino)
            return true;
    return false;
}

/* The event to ip's own watches that want it. */
static void notify_own(struct inode *ip, uint32_t mask, const char *name, uint32_t cookie)
{
    struct in_watch *w, *next;
    for (w = watches; w; w = next) {
        next = w->next;
        if (w->inode == ip && (w->mask & mask & IN_ALL_EVENTS))
            watch_event(w, mask, name, cookie);
    }
}

void fsnotify(struct inode *ip, uint32_t mask, const char *name, uint32_t cookie)
{
    if (!watches)
        return;
    if (!name && S_ISDIR(ip->mode) && (mask & IN_CHILD_EVENTS))
        mask |= IN_ISDIR;
    struct in_watch *w, *next;
    /* First the directories' watches that hear of their children (Linux
     * reports to the parent before the child), then ip's own. */
    if (!name && (mask & IN_CHILD_EVENTS)) {
        struct dir_entry e;
        for (w = watches; w; w = next) {
            next = w->next;
            if (w->inode != ip && S_ISDIR(w->inode->mode) && w->inode->dev != FS_DEV_PROC &&
                (w->mask & mask & IN_ALL_EVENTS) &&
                name_of(w->inode, ip, &e))
                watch_event(w, mask, e.name, cookie);
        }
    }
    notify_own(ip, mask, name, cookie);
}

void fsnotify_link_count(struct inode *ip)
{
    notify_own(ip, IN_ATTRIB, 0, 0);
}

void fsnotify_inode_gone(struct inode *ip)
{
    struct in_watch *w, *next;
    for (w = watches; w; w = next) {
        next = w->next;
        if (w->inode != ip)
            continue;
        if (w->mask & IN_DELETE_SELF)
            queue_event(w->in, w->wd, IN_DELETE_SELF, 0, 0);
        watch_remove(w, true);
    }
}

/* ---- the instance as an open file ---- */

/* read: as many whole events as fit in n bytes, waiting for the first
 * (unless O_NONBLOCK); -EINVAL if the first does not fit. */
static long inotify_read(struct file *f, void *buf, uint32_t n, bool user)
{
    struct inotify *in = in_of(f);
    while (!in->head) {
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (signal_pending(current_proc()))
            return -ERESTARTSYS;
        sleep_on(in);
    }
    uint32_t done = 0;
    while (in->head) {
        struct in_event *e = in->head;
        uint32_t size = event_size(e);
        if (size > n - done)
            break;
        /* As on Linux, an event taken is gone even if it could not be
         * copied out. */
        bool fault = false;
        if (user)
            fault = copy_to_user((vaddr_t)buf + done, &e->ev, size) < 0;
        else
            memcpy((uint8_t *)buf + done, &e->ev, size);
        dequeue(in);
        if (fault)
            return done ? (long)done : -EFAULT;
        done += size;
    }
    return done ? (long)done : -EINVAL;
}

static long inotify_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    (void)f, (void)buf, (void)n, (void)user;
    return -EINVAL;
}

static uint32_t inotify_poll(struct file *f)
{
    return in_of(f)->head ? POLLIN | POLLRDNORM : 0;
}

/* FIONREAD: the bytes read would give for every queued event. */
static long inotify_ioctl(struct file *f, uint32_t cmd, vaddr_t arg)
{
    if (cmd != FIONREAD)
        return -ENOTTY;
    int n = (int)in_of(f)->bytes;
    return copy_to_user(arg, &n, sizeof n) < 0 ? -EFAULT : 0;
}

/* The last descriptor is closed: the watches, the queue and the instance go
 * (the instance with its inode, after this). */
static void inotify_release(struct file *f)
{
    struct inotify *in = in_of(f), **pp = &instances;
    struct in_watch *w, *next;
    for (w = watches; w; w = next) {
        next = w->next;
        if (w->in == in)
            watch_remove(w, false);
    }
    while (in->head)
        dequeue(in);
    kfree(in->overflow);
    while (*pp != in)
        pp = &(*pp)->next;
    *pp = in->next;
}

static const struct file_ops inotify_ops = {
    .read = inotify_read,
    .write = inotify_write,
    .ioctl = inotify_ioctl,
    .release = inotify_release,
    .poll = inotify_poll,
};

static const struct inode_ops inotify_inode_ops = { 0 };

int inotify_create(uint32_t flags, struct file **out)
{
    uint32_t uid = current_cred()->uid, n = 0;
    for (struct inotify *in = instances; in; in = in->next)
        n += in->uid == uid;
    if (n >= INOTIFY_MAX_USER_INSTANCES)
        return -EMFILE;
    /* An inode of no type with mode 0600, as Linux's anonymous inodes. */
    struct inode *ip = inode_new(0600, &inotify_inode_ops, sizeof(struct inotify));
    if (!ip)
        return -ENOMEM;
    struct inotify *in = ip->priv;
    in->overflow = kzalloc(sizeof *in->overflow);
    if (!in->overflow) {
        inode_put(ip);
        return -ENOMEM;
    }
    in->overflow->ev.wd = -1;
    in->overflow->ev.mask = IN_Q_OVERFLOW;
    in->uid = uid;
    in->next_wd = 1;
    ip->fops = &inotify_ops;
    int r = file_open(ip, O_RDONLY | (flags & O_NONBLOCK), out);
    if (r == 0) {
        in->next = instances;
        instances = in;
        static const char name[] = "anon_inode:inotify";   /* its /proc fd link */
        (*out)->path = kmalloc(sizeof name);
        if ((*out)->path)
            strlcpy((*out)->path, name, sizeof name);
    } else {
        kfree(in->overflow);
    }
    inode_put(ip);             /* the file holds it now (or, failing, it goes) */
    return r;
}
