/* lock.c: advisory file locks.
 *
 * Two kinds of lock, told apart by who owns them:
 *
 *   - POSIX record locks (fcntl F_SETLK/F_SETLKW, F_GETLK): a byte range,
 *     read (shared) or write (exclusive), owned by the PROCESS. The owner
 *     recorded is the process's descriptor table, as Linux records its
 *     files_struct: threads share it, so they share their process's locks.
 *     A process's own locks never conflict with each other: a new one
 *     replaces, merges with or splits the ones it overlaps. POSIX's rules,
 *     which surprise everyone once: closing ANY descriptor of a file drops
 *     every record lock the process holds on that file, and fork does not
 *     give them to the child (the child has its own descriptor table, so it
 *     is another owner: it sees its parent's locks as someone else's).
 *   - Open file description locks, owned by a struct file: OFD locks
 *     (fcntl F_OFD_*: byte ranges like POSIX ones, and conflicting with
 *     them) and flock(2) locks (whole file, shared or exclusive, never
 *     interacting with the fcntl kinds). dup and fork copy descriptors, not
 *     descriptions, so the dup'ed descriptor and the fork child hold the
 *     same lock; it goes when the description's last descriptor closes.
 *
 * Where they live: a list per inode (struct inode's locks), unsorted: a
 * file has a handful of locks at most, and a list in the inode is found
 * without searching any table. Every lock is gone before its inode can go:
 * each one is held through an open file that holds the inode.
 *
 * Waiting (F_SETLKW, flock without LOCK_NB) sleeps on the list's address;
 * every change that can free a range wakes it. Deadlock (POSIX locks only,
 * as Linux): a waiting owner is recorded with the owner it waits for, and
 * before sleeping the chain of "waits for" is walked from the blocker; if
 * it comes back to the caller, -EDEADLK.
 */
#include "fs/lock.h"
#include "fs/fs.h"
#include "fs/sys_common.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"

#define OFFSET_MAX INT64_MAX      /* bunshin: a range "to the end" ends here */

enum lock_kind { LK_POSIX, LK_OFD, LK_FLOCK };

struct file_lock {
    struct file_lock *next;
    enum lock_kind kind;
    int type;                  /* F_RDLCK or F_WRLCK */
    void *owner;               /* POSIX: the fdtable; OFD and flock: the struct file */
    int pid;                   /* F_GETLK's l_pid: the locker's pid; -1 for OFD */
    int64_t start, end;        /* the bytes start..end, both included */
};

/* An owner asleep waiting for a lock that owner waits_for holds (POSIX
 * locks, for the deadlock walk). On the sleeper's kernel stack. */
struct lock_wait {
    struct lock_wait *next;
    void *owner, *waits_for;
};
static struct lock_wait *waiting;

/* Do a and b conflict? Different owners, overlapping ranges, one of them a
 * write lock; flock locks only meet flock locks. */
static bool conflicts(const struct file_lock *a, const struct file_lock *b)
{
    if ((a->kind == LK_FLOCK) != (b->kind == LK_FLOCK))
        return false;
    if (a->owner == b->owner)
        return false;
    if (a->end < b->start || b->end < a->start)
        return false;
    return a->type == F_WRLCK || b->type == F_WRLCK;
}

/* The first lock on ip that conflicts with want, or NULL. */
static struct file_lock *first_conflict(struct inode *ip, const struct file_lock *want)
{
    for (struct file_lock *l = ip->locks; l; l = l->next)
        if (conflicts(l, want))
            return l;
    return 0;
}

/* Would waiting for blocker (an owner) close a cycle back to me? Walks the
 * chain of owners that wait for one another, at most 1000 steps (a chain cannot be longer than the processes). */
static bool deadlock(void *me, void *blocker)
{
    for (int steps = 0; steps < 1000 && blocker; steps++) {
        if (blocker == me)
            return true;
        void *next = 0;
        for (struct lock_wait *w = waiting; w; w = w->next)
            if (w->owner == blocker) {
                next = w->waits_for;
                break;
            }
        blocker = next;
    }
    return false;
}

/* Wait until want (not yet on the list) conflicts with no lock of ip.
 * 0 when free; -EAGAIN if !wait; -EDEADLK; -ERESTARTSYS on a signal. */
static int wait_free(struct inode *ip, const struct file_lock *want, bool wait)
{
    for (;;) {
        struct file_lock *b = first_conflict(ip, want);
        if (!b)
            return 0;
        if (!wait)
            return -EAGAIN;
        if (want->kind == LK_POSIX && b->kind == LK_POSIX && deadlock(want->owner, b->owner))
            return -EDEADLK;
        if (signal_pending(current_proc()))
            return -ERESTARTSYS;
        struct lock_wait w = { waiting, want->owner, b->owner };
        waiting = &w;
        sleep_on(&ip->locks);
        struct lock_wait **pp = &waiting;
        while (*pp != &w)
            pp = &(*pp)->next;
        *pp = w.next;
    }
}

/* Set (F_RDLCK, F_WRLCK) or clear (F_UNLCK) the range of want for its
 * owner, among that owner's locks of the same kind: the owner's locks
 * overlapping the range lose that part (one inside it is split in two), and
 * a new lock is merged with the owner's touching locks of the same type.
 * Conflicts must have been checked. 0 or -ENOMEM (nothing changed). */
static int apply_range(struct inode *ip, const struct file_lock *want)
{
    struct file_lock *spare[2];
    spare[0] = kzalloc(sizeof(struct file_lock));
    spare[1] = kzalloc(sizeof(struct file_lock));
    if (!spare[0] || !spare[1]) {
        kfree(spare[0]);
        kfree(spare[1]);
        return -ENOMEM;
    }
    int64_t start = want->start, end = want->end;
    struct file_lock **pp = &ip->locks;
    while (*pp) {
        struct file_lock *l = *pp;
        if (l->owner != want->owner || l->kind != want->kind) {
            pp = &l->next;
            continue;
        }
        bool touching = (start > 0 && l->end == start - 1) ||
                        (end < OFFSET_MAX && l->start == end + 1);
        bool overlap = !(l->end < start || end < l->start);
        if (want->type != F_UNLCK && l->type == want->type && (overlap || touching)) {
            /* the same type: the new lock swallows it */
            if (l->start < start)
                start = l->start;
            if (l->end > end)
                end = l->end;
            *pp = l->next;
            kfree(l);
            continue;
        }
        if (!overlap) {
            pp = &l->next;
            continue;
        }
        if (l->start < start && l->end > end) {
            /* the range is strictly inside l: l keeps its left part, a new
             * lock its right part */
            struct file_lock *r = spare[1];
            spare[1] = 0;
            *r = *l;
            r->start = end + 1;
            l->end = start - 1;
            l->next = r;
            pp = &r->next;
        } else if (l->start < start) {
            l->end = start - 1;                    /* keeps its left part */
            pp = &l->next;
        } else if (l->end > end) {
            l->start = end + 1;                    /* keeps its right part */
            pp = &l->next;
        } else {
            *pp = l->next;                         /* wholly inside: gone */
            kfree(l);
        }
    }
    if (want->type != F_UNLCK) {
        struct file_lock *n = spare[0];
        spare[0] = 0;
        *n = *want;
        n->start = start;
        n->end = end;
        n->next = ip->locks;
        ip->locks = n;
    }
    kfree(spare[0]);
    kfree(spare[1]);
    wakeup(&ip->locks);
    return 0;
}

/* Remove every lock of ip that owner owns with kind (any kind if kind < 0). */
static void remove_owned(struct inode *ip, void *owner, int kind)
{
    bool any = false;
    struct file_lock **pp = &ip->locks;
    while (*pp) {
        struct file_lock *l = *pp;
        if (l->owner == owner && (kind < 0 || (int)l->kind == kind)) {
            *pp = l->next;
            kfree(l);
            any = true;
        } else {
            pp = &l->next;
        }
    }
    if (any)
        wakeup(&ip->locks);
}

void lock_close_posix(struct fdtable *t, struct file *f)
{
    if (f->inode->locks)
        remove_owned(f->inode, t, LK_POSIX);
}

void lock_file_gone(struct file *f)
{
    if (f->inode->locks)
        remove_owned(f->inode, f, -1);
}

/* A struct flock(64)'s l_whence, l_start, l_len as the bytes start..end of
 * f's file, as Linux reads them: l_len 0 to the end (OFFSET_MAX), negative
 * the -l_len bytes before l_start. 0, -EINVAL or -EOVERFLOW. */
static int to_range(struct file *f, int whence, int64_t start, int64_t len,
                    int64_t *s, int64_t *e)
{
    int64_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)f->pos; break;
    case SEEK_END: base = (int64_t)f->inode->size; break;
    default: return -EINVAL;
    }
    if (__builtin_add_overflow(start, base, &start))
        return -EOVERFLOW;
    if (start < 0)
        return -EINVAL;
    if (len > 0) {
        if (len - 1 > OFFSET_MAX - start)
            return -EOVERFLOW;
        *s = start;
        *e = start + len - 1;
    } else if (len < 0) {
        if (start + len < 0)
            return -EINVAL;
        *s = start + len;
        *e = start - 1;
    } else {
        *s = start;
        *e = OFFSET_MAX;
    }
    return 0;
}

long do_fcntl_lock(struct file *f, uint32_t cmd, vaddr_t arg, bool wide)
{
    struct flock64 fl;
    if (wide) {
        if (copy_from_user(&fl, arg, sizeof fl) < 0)
            return -EFAULT;
    } else {
        struct flock n;
        if (copy_from_user(&n, arg, sizeof n) < 0)
            return -EFAULT;
        fl.l_type = n.l_type;
        fl.l_whence = n.l_whence;
        fl.l_start = n.l_start;
        fl.l_len = n.l_len;
        fl.l_pid = n.l_pid;
    }
    bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
    bool get = cmd == F_GETLK || cmd == F_GETLK64 || cmd == F_OFD_GETLK;
    bool wait = cmd == F_SETLKW || cmd == F_SETLKW64 || cmd == F_OFD_SETLKW;
    if (ofd && fl.l_pid != 0)
        return -EINVAL;
    if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK && (get || fl.l_type != F_UNLCK))
        return -EINVAL;
    struct file_lock want = {
        .kind = ofd ? LK_OFD : LK_POSIX,
        .type = fl.l_type,
        .owner = ofd ? (void *)f : (void *)fds(),
        .pid = ofd ? -1 : current_proc()->tgid,
    };
    int r = to_range(f, fl.l_whence, fl.l_start, fl.l_len, &want.start, &want.end);
    if (r < 0)
        return r;
    struct inode *ip = f->inode;
    if (get) {
        struct file_lock *b = first_conflict(ip, &want);
        if (!b) {
            fl.l_type = F_UNLCK;
        } else {
            fl.l_type = (short)b->type;
            fl.l_whence = SEEK_SET;
            fl.l_start = b->start;
            fl.l_len = b->end == OFFSET_MAX ? 0 : b->end - b->start + 1;
            fl.l_pid = b->pid;
        }
        if (wide)
            return copy_to_user(arg, &fl, sizeof fl) < 0 ? -EFAULT : 0;
        if (fl.l_start > INT32_MAX || fl.l_len > INT32_MAX)
            return -EOVERFLOW;
        struct flock n = { fl.l_type, fl.l_whence, (int32_t)fl.l_start,
                           (int32_t)fl.l_len, fl.l_pid };
        return copy_to_user(arg, &n, sizeof n) < 0 ? -EFAULT : 0;
    }
    uint32_t mode = f->flags & O_ACCMODE;
    if ((want.type == F_RDLCK && mode == O_WRONLY) ||
        (want.type == F_WRLCK && mode == O_RDONLY))
        return -EBADF;
    if (want.type != F_UNLCK) {
        r = wait_free(ip, &want, wait);
        if (r < 0)
            return r;
    }
    return apply_range(ip, &want);
}

/* flock(fd, op) on f: take (LOCK_SH, LOCK_EX) or drop (LOCK_UN) the
 * description's whole-file lock; converting drops the old one first (as
 * Linux: not atomically). LOCK_NB: -EAGAIN (EWOULDBLOCK) instead of
 * waiting. 0 or -errno. */
static long do_flock(struct file *f, uint32_t op)
{
    bool nb = op & LOCK_NB;
    op &= ~(uint32_t)LOCK_NB;
    int type;
    switch (op) {
    case LOCK_SH: type = F_RDLCK; break;
    case LOCK_EX: type = F_WRLCK; break;
    case LOCK_UN: type = F_UNLCK; break;
    default: return -EINVAL;
    }
    struct inode *ip = f->inode;
    for (struct file_lock *l = ip->locks; l; l = l->next)
        if (l->owner == f && l->kind == LK_FLOCK) {
            if (l->type == type)
                return 0;                      /* already so */
            break;
        }
    struct file_lock want = { .kind = LK_FLOCK, .type = F_UNLCK, .owner = f, .pid = -1,
                              .start = 0, .end = OFFSET_MAX };
    remove_owned(ip, f, LK_FLOCK);             /* LOCK_UN, or the old one of a conversion */
    if (type == F_UNLCK)
        return 0;
    want.type = type;
    int r = wait_free(ip, &want, !nb);
    if (r < 0)
        return r;
    return apply_range(ip, &want);
}

/* flock(fd, operation) */
long sys_flock(struct trapframe *tf)
{
    struct file *f = fd_lookup(fds(), (int)tf->ebx);
    if (!f)
        return -EBADF;
    /* The wait may let a thread sharing the table close the descriptor:
     * the description is held until the call ends, and a lock it got
     * meanwhile goes with its last reference (Linux's fdget). */
    file_get(f);
    long r = do_flock(f, tf->ecx);
    file_put(f);
    return r;
}
