/* mqueue.c: POSIX message queues (see mqueue.h).
 *
 * A queue is an inode with no directory (Linux keeps its queues in a file
 * system of their own, mqueue, mounted nowhere by default); its name is in
 * this file's list of named queues, where it counts as the inode's one
 * link (nlink 1). So the inode rules of fs/inode.c give a queue its life: it
 * goes when it has no name (mq_unlink) and no open file. The queue itself
 * is the inode's private part: its attributes and its messages, kept in
 * receiving order (the highest priority first, the oldest first within a
 * priority), so that a receive takes the first.
 *
 * Senders wait for room and receivers for a message on the queue itself
 * (sleep_on). A process may ask to be told (mq_notify) when a message
 * arrives in the empty queue and nobody is waiting to receive it: one
 * signal (SIGEV_SIGNAL, si_code SI_MESGQ) or nothing (SIGEV_NONE), after
 * which the registration is gone.
 *
 * Each queue is charged to its creator's RLIMIT_MSGQUEUE, as Linux counts
 * it (the sizes of its 64-bit bookkeeping, so that the same queues fit).
 */
#include "ipc/mqueue.h"
#include "fs/fs.h"
#include "fs/poll.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "kernel/signal.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "lib/format.h"
#include "lib/string.h"
#include "printk.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/resource.h"
#include "linux/signal.h"

/* What Linux charges per message slot besides its bytes (x86-64's struct
 * msg_msg and its priority tree node). */
#define MQ_SLOT_BYTES 48
#define MQ_PRIO_NODE_BYTES 48

struct mq_msg {
    struct mq_msg *next;
    uint32_t prio;
    uint32_t len;
    uint8_t data[];
};

struct mqueue {
    struct mqueue *next;           /* every queue that lives */
    char name[NAME_MAX + 1];       /* "" once unlinked */
    struct inode *inode;
    int32_t maxmsg, msgsize, curmsgs;
    uint32_t qsize;                /* bytes of all queued messages */
    struct mq_msg *msgs;           /* in receiving order */
    uint32_t uid;                  /* the user charged */
    uint32_t charge;               /* bytes charged to it */
    int receivers;                 /* receivers waiting */
    int notify_tgid;               /* the process to notify, or 0 */
    struct sigevent_head notify;
};

static struct mqueue *queues;
static const struct file_ops mq_file_ops;

static struct mqueue *mq_of(struct file *f)
{
    return f->inode->priv;
}

bool file_is_mqueue(struct file *f)
{
    return f->ops == &mq_file_ops;
}

/* Something changed: wake the queue's waiters and every poller. */
static void mq_wake(struct mqueue *q)
{
    wakeup(q);
    poll_wake();
}

/* ---- names ---- */

/* May name be a queue's name? Linux looks it up as one component of a
 * directory: -ENOENT (empty), -ENAMETOOLONG, -EACCES ('/', ".", ".."). */
static int check_name(const char *name)
{
    if (!name[0])
        return -ENOENT;
    if (strlen(name) > NAME_MAX)
        return -ENAMETOOLONG;
    if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
        return -EACCES;
    return 0;
}

static struct mqueue *find_name(const char *name)
{
    for (struct mqueue *q = queues; q; q = q->next)
        if (q->name[0] && !strcmp(q->name, name))
            return q;
    return 0;
}

/* ---- making and ending queues ---- */

/* The bytes user uid's queues are charged now. */
static uint64_t user_charge(uint32_t uid)
{
    uint64_t n = 0;
    for (struct mqueue *q = queues; q; q = q->next)
        if (q->uid == uid)
            n += q->charge;
    return n;
}

/* The inode is going: its messages, its charge and its place in the list. */
static void mq_destroy(struct inode *ip)
{
    struct mqueue *q = ip->priv, **pp = &queues;
    while (q->msgs) {
        struct mq_msg *m = q->msgs;
        q->msgs = m->next;
        kfree(m);
    }
    while (*pp != q)
        pp = &(*pp)->next;
    *pp = q->next;
}

static const struct inode_ops mq_inode_ops = {
    .destroy = mq_destroy,
};

/* Linux's mq_attr_ok: sizes within the caller's limits. */
static int check_attr(const struct mq_attr *a)
{
    if (a->mq_maxmsg <= 0 || a->mq_msgsize <= 0)
        return -EINVAL;
    if (cred_privileged(current_cred())) {
        if (a->mq_maxmsg > MQ_HARD_MSGMAX || a->mq_msgsize > MQ_HARD_MSGSIZEMAX)
            return -EINVAL;
    } else if (a->mq_maxmsg > MQ_MSG_MAX || a->mq_msgsize > MQ_MSGSIZE_MAX) {
        return -EINVAL;
    }
    return 0;
}

/* A new queue called name: its inode (a reference) in *out. */
static int mq_create(const char *name, uint32_t mode, const struct mq_attr *attr,
                     struct inode **out)
{
    int32_t maxmsg = MQ_MSG_DEFAULT, msgsize = MQ_MSGSIZE_DEFAULT;
    if (attr) {
        int r = check_attr(attr);
        if (r < 0)
            return r;
        maxmsg = attr->mq_maxmsg;
        msgsize = attr->mq_msgsize;
    }
    uint64_t charge = (uint64_t)maxmsg * (MQ_SLOT_BYTES + (uint32_t)msgsize) +
                      (uint64_t)(maxmsg < MQ_PRIO_MAX ? maxmsg : MQ_PRIO_MAX) * MQ_PRIO_NODE_BYTES;
    uint32_t uid = current_cred()->uid, count = 0;
    for (struct mqueue *q = queues; q; q = q->next)
        count++;
    if (count >= MQ_QUEUES_MAX && !cred_privileged(current_cred()))
        return -ENOSPC;
    if (user_charge(uid) + charge > rlimit_cur(current_proc(), RLIMIT_MSGQUEUE))
        return -EMFILE;
    uint32_t perm = mode & 0777 & ~current_proc()->fs->umask;
    struct inode *ip = inode_new(S_IFREG | perm, &mq_inode_ops, sizeof(struct mqueue));
    if (!ip)
        return -ENOMEM;
    inode_init_owner(ip, 0);
    ip->dev = FS_DEV_DEV;                  /* listed in /dev/mqueue */
    ip->fops = &mq_file_ops;
    ip->nlink = 1;                         /* its name */
    struct mqueue *q = ip->priv;
    strlcpy(q->name, name, sizeof q->name);
    q->inode = ip;
    q->maxmsg = maxmsg;
    q->msgsize = msgsize;
    q->uid = uid;
    q->charge = (uint32_t)charge;
    q->next = queues;
    queues = q;
    *out = ip;
    return 0;
}

int mq_open_name(const char *name, uint32_t oflag, uint32_t mode, const struct mq_attr *attr,
                 struct file **out)
{
    int r = check_name(name);
    if (r < 0)
        return r;
    uint32_t acc = oflag & O_ACCMODE;
    struct mqueue *q = find_name(name);
    struct inode *ip;
    if (!q) {
        if (!(oflag & O_CREAT))
            return -ENOENT;
        if (acc == O_ACCMODE)
            return -EINVAL;
        if ((r = mq_create(name, mode, attr, &ip)) < 0)
            return r;
    } else {
        if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
            return -EEXIST;
        if (acc == O_ACCMODE)
            return -EINVAL;
        int may = acc == O_RDONLY ? MAY_READ : acc == O_WRONLY ? MAY_WRITE : MAY_READ | MAY_WRITE;
        if ((r = inode_permission(q->inode, may)) < 0)
            return r;
        ip = inode_get(q->inode);
    }
    r = file_open(ip, acc | (oflag & O_NONBLOCK), out);
    if (r == 0) {
        /* What /proc/<pid>/fd shows: its path in Linux's mqueue file system. */
        char *path = kmalloc(strlen(name) + 2);
        if (path) {
            path[0] = '/';
            strlcpy(path + 1, name, strlen(name) + 1);
        }
        (*out)->path = path;
    }
    inode_put(ip);             /* the file holds it now (or, failing, it goes) */
    return r;
}

/* Take q's name away: the queue goes unless it is open. */
static void unlink_queue(struct mqueue *q)
{
    struct inode *ip = inode_get(q->inode);
    q->name[0] = 0;
    ip->nlink = 0;
    ip->ctime = fs_now();
    inode_put(ip);
}

int mq_unlink_name(const char *name)
{
    int r = check_name(name);
    if (r < 0)
        return r;
    struct mqueue *q = find_name(name);
    if (!q)
        return -ENOENT;
    /* Linux's queues are in a sticky directory everyone may write. */
    if (!inode_owner_or_privileged(q->inode))
        return -EPERM;
    unlink_queue(q);
    return 0;
}

/* ---- /dev/mqueue: the named queues as a directory ----
 * Linux lists its queues where the mqueue file system is mounted (often
 * /dev/mqueue): ls shows them, rm removes them. bunshin's directory is
 * always there, and is how a program (t_fuzz) finds queues to remove. */

struct mq_dir {
    struct inode *parent;          /* /dev (a reference) */
};

static struct inode *mqdir_lookup(struct inode *dp, const char *name)
{
    if (!strcmp(name, ".."))
        return inode_get(((struct mq_dir *)dp->priv)->parent);
    struct mqueue *q = check_name(name) == 0 ? find_name(name) : 0;
    return q ? inode_get(q->inode) : 0;
}

static int mqdir_readdir(struct inode *dp, uint32_t index, struct dir_entry *out)
{
    (void)dp;
    for (struct mqueue *q = queues; q; q = q->next) {
        if (!q->name[0] || index-- > 0)
            continue;
        strlcpy(out->name, q->name, sizeof out->name);
        out->ino = q->inode->ino;
        out->type = DT_REG;
        return 1;
    }
    return 0;
}

/* unlink(2) in the directory: fs/dir.c has checked the sticky rule. */
static int mqdir_unlink(struct inode *dp, const char *name)
{
    (void)dp;
    struct mqueue *q = find_name(name);
    if (!q)
        return -ENOENT;
    unlink_queue(q);
    return 0;
}

static const struct inode_ops mq_dir_ops = {
    .lookup = mqdir_lookup,
    .readdir = mqdir_readdir,
    .unlink = mqdir_unlink,
};

void mqueue_dir_init(struct inode *dev)
{
    struct inode *dp = inode_new(S_IFDIR | 01777, &mq_dir_ops, sizeof(struct mq_dir));
    if (!dp || dir_add_kernel(dev, "mqueue", dp) < 0)
        panic("cannot create /dev/mqueue");
    ((struct mq_dir *)dp->priv)->parent = inode_get(dev);
    dp->dev = FS_DEV_DEV;
    dp->nlink = 2;                         /* its name and its "." */
    inode_put(dp);                         /* /dev's entry keeps it */
}

/* ---- sending and receiving ---- */

/* Wait for the queue to change (room or a message), unless O_NONBLOCK: 0
 * to look again, -EAGAIN, -ETIMEDOUT (deadline past), -ERESTARTSYS. */
static int mq_wait(struct file *f, struct mqueue *q, uint64_t deadline)
{
    if (f->flags & O_NONBLOCK)
        return -EAGAIN;
    if (deadline && poll_time_up(deadline))
        return -ETIMEDOUT;
    if (signal_pending(current_proc()))
        return -ERESTARTSYS;
    if (deadline)
        sleep_on_until(q, deadline);
    else
        sleep_on(q);
    return 0;
}

/* A message arrived in an empty queue with no receiver waiting: tell the
 * registered process, once. */
static void mq_notify_now(struct mqueue *q)
{
    int tgid = q->notify_tgid;
    q->notify_tgid = 0;
    if (q->notify.sigev_notify != SIGEV_SIGNAL || !q->notify.sigev_signo)
        return;
    struct proc *p = proc_live_thread(tgid);
    if (!p)
        return;
    struct siginfo info;
    memset(&info, 0, sizeof info);
    info.si_signo = q->notify.sigev_signo;
    info.si_code = SI_MESGQ;
    info.f.rt.pid = current_proc()->tgid;
    info.f.rt.uid = current_cred()->uid;
    info.f.rt.value = q->notify.sigev_value;
    signal_send(p, q->notify.sigev_signo, &info, true);
}

long mq_send(struct file *f, vaddr_t buf, uint32_t len, uint32_t prio, uint64_t deadline)
{
    struct mqueue *q = mq_of(f);
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (len > (uint32_t)q->msgsize)
        return -EMSGSIZE;
    struct mq_msg *m = kmalloc(sizeof *m + len);
    if (!m)
        return -ENOMEM;
    if (copy_from_user(m->data, buf, len) < 0) {
        kfree(m);
        return -EFAULT;
    }
    m->len = len;
    m->prio = prio;
    while (q->curmsgs >= q->maxmsg) {
        int r = mq_wait(f, q, deadline);
        if (r < 0) {
            kfree(m);
            return r;
        }
    }
    /* After every message of a higher or the same priority. */
    struct mq_msg **pp = &q->msgs;
    while (*pp && (*pp)->prio >= prio)
        pp = &(*pp)->next;
    m->next = *pp;
    *pp = m;
    q->qsize += len;
    if (++q->curmsgs == 1 && q->notify_tgid && !q->receivers)
        mq_notify_now(q);
    f->inode->mtime = f->inode->ctime = f->inode->atime = fs_now();
    mq_wake(q);
    return 0;
}

long mq_receive(struct file *f, vaddr_t buf, uint32_t len, vaddr_t uprio, uint64_t deadline)
{
    struct mqueue *q = mq_of(f);
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (len < (uint32_t)q->msgsize)
        return -EMSGSIZE;
    while (!q->msgs) {
        q->receivers++;
        int r = mq_wait(f, q, deadline);
        q->receivers--;
        if (r < 0)
            return r;
    }
    struct mq_msg *m = q->msgs;
    q->msgs = m->next;
    q->curmsgs--;
    q->qsize -= m->len;
    f->inode->atime = f->inode->ctime = fs_now();
    mq_wake(q);
    long r = m->len;
    if ((uprio && copy_to_user(uprio, &m->prio, sizeof m->prio) < 0) ||
        copy_to_user(buf, m->data, m->len) < 0)
        r = -EFAULT;
    kfree(m);
    return r;
}

int mq_set_notify(struct file *f, const struct sigevent_head *ev)
{
    struct mqueue *q = mq_of(f);
    int me = current_proc()->tgid;
    if (!ev) {
        if (q->notify_tgid == me)
            q->notify_tgid = 0;
        return 0;
    }
    if (q->notify_tgid && proc_live_thread(q->notify_tgid))
        return -EBUSY;
    q->notify = *ev;
    q->notify_tgid = me;
    return 0;
}

void mq_get_attr(struct file *f, struct mq_attr *out)
{
    struct mqueue *q = mq_of(f);
    memset(out, 0, sizeof *out);
    out->mq_flags = (int32_t)(f->flags & O_NONBLOCK);
    out->mq_maxmsg = q->maxmsg;
    out->mq_msgsize = q->msgsize;
    out->mq_curmsgs = q->curmsgs;
}

/* ---- the queue as an open file ---- */

/* Readable while it holds a message, writable while it has room, whatever
 * the file's access mode (as on Linux). */
static uint32_t mq_poll(struct file *f)
{
    struct mqueue *q = mq_of(f);
    uint32_t mask = 0;
    if (q->curmsgs)
        mask |= POLLIN | POLLRDNORM;
    if (q->curmsgs < q->maxmsg)
        mask |= POLLOUT | POLLWRNORM;
    return mask;
}

/* The open file's last descriptor closed: the closing process's
 * notification goes with it. (Linux drops it at any close of a descriptor
 * by that process; a dup of the descriptor keeps it here.) */
static void mq_closed(struct file *f)
{
    struct mqueue *q = mq_of(f);
    if (q->notify_tgid == current_proc()->tgid)
        q->notify_tgid = 0;
}

/* read gives a line of status, as Linux's: the bytes of all queued
 * messages, and who is registered for what notification. */
static long mq_read(struct file *f, void *buf, uint32_t n, bool user)
{
    struct mqueue *q = mq_of(f);
    char line[80];
    int notify = q->notify_tgid ? q->notify.sigev_notify : 0;
    int signo = notify == SIGEV_SIGNAL ? q->notify.sigev_signo : 0;
    int len = ksnprintf(line, sizeof line, "QSIZE:%-10u NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
                        q->qsize, notify, signo, q->notify_tgid);
    if (len > (int)sizeof line - 1)
        len = sizeof line - 1;
    if (f->pos >= (uint64_t)len)
        return 0;
    uint32_t k = (uint32_t)len - (uint32_t)f->pos;
    if (k > n)
        k = n;
    if (!user)
        memcpy(buf, line + f->pos, k);
    else if (copy_to_user((vaddr_t)buf, line + f->pos, k) < 0)
        return -EFAULT;
    f->pos += k;
    return k;
}

/* write fails, as on Linux: mq_send is the way in. */
static long mq_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    (void)f, (void)buf, (void)n, (void)user;
    return -EINVAL;
}

static const struct file_ops mq_file_ops = {
    .read = mq_read,
    .write = mq_write,
    .release = mq_closed,
    .poll = mq_poll,
};
