/* sem.c: System V semaphore sets (ipc/sem.h). */
#include "ipc/sem.h"
#include "ipc/ipc.h"
#include "ipc/ipc_old.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "drivers/timer.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "lib/string.h"
#include "linux/errno.h"
#include "linux/sem.h"

struct sem {
    int32_t value;
    int32_t pid;                   /* the last process to change it (GETPID) */
};

/* One process's SEM_UNDO sums for one set. */
struct sem_undo {
    int tgid;
    struct sem_undo *next;
    int16_t adj[];                 /* one per semaphore */
};

/* A process sleeping in semop: its operations, and the one that stopped
 * it. Waiters queue in the order they came; whoever changes the set then
 * tries their operations for them, oldest first, and tells each that goes
 * through (Linux's update_queue), so that the longest waiter is served
 * first. */
struct sem_waiter {
    const struct sembuf *ops;      /* the caller's copy, kept while it sleeps */
    uint32_t n;
    struct sem_undo *undo;         /* its SEM_UNDO sums, if an op asks */
    int tgid;
    int status;                    /* 1 waiting; 0 done for it; -ERANGE */
    uint16_t num;
    bool for_zero;                 /* waits for 0 (GETZCNT), else to take (GETNCNT) */
    struct sem_waiter *next;
};

struct sem_set {
    struct ipc_object obj;         /* first: a set is found as its object */
    uint32_t nsems;
    uint32_t otime, ctime;
    struct sem_undo *undos;
    struct sem_waiter *waiters;
    struct sem sems[];
};

static struct ipc_ids sem_ids = { .limit = SEMMNI };
static uint32_t sems_in_use;       /* semaphores in every set (SEMMNS) */

static void set_free(struct sem_set *s)
{
    while (s->undos) {
        struct sem_undo *u = s->undos;
        s->undos = u->next;
        kfree(u);
    }
    kfree(s);
}

/* Drop a reference to s (a waiter's); the last frees it. */
static void set_put(struct sem_set *s)
{
    if (--s->obj.refs == 0)
        set_free(s);
}

/* IPC_RMID: off the list, and every waiter wakes to EIDRM. */
static void set_remove(struct sem_set *s)
{
    sems_in_use -= s->nsems;
    bool last = ipc_remove(&sem_ids, &s->obj);
    wakeup(s);
    if (last)
        set_free(s);
}

long do_semget(int32_t key, int nsems, int flags)
{
    if (nsems < 0 || nsems > SEMMSL)
        return -EINVAL;
    struct ipc_object *o;
    int r = ipc_get(&sem_ids, key, flags, &o);
    if (r < 0)
        return r;
    if (r == 1) {
        if ((uint32_t)nsems > ((struct sem_set *)o)->nsems)
            return -EINVAL;
        if (!ipc_may(o, flags))
            return -EACCES;
        return o->id;
    }
    if (nsems == 0)
        return -EINVAL;
    if ((uint64_t)sems_in_use + (uint32_t)nsems > SEMMNS || sem_ids.count >= sem_ids.limit)
        return -ENOSPC;
    struct sem_set *s = kzalloc(sizeof *s + (uint32_t)nsems * sizeof(struct sem));
    if (!s)
        return -ENOMEM;
    ipc_add(&sem_ids, &s->obj, key, flags);
    s->nsems = (uint32_t)nsems;
    s->ctime = ipc_now();
    sems_in_use += s->nsems;
    return s->obj.id;
}

/* tgid's undo sums for s, made (all 0) if create. NULL if none (or no memory). */
static struct sem_undo *undo_find(struct sem_set *s, int tgid, bool create)
{
    for (struct sem_undo *u = s->undos; u; u = u->next)
        if (u->tgid == tgid)
            return u;
    if (!create)
        return 0;
    struct sem_undo *u = kzalloc(sizeof *u + s->nsems * sizeof(int16_t));
    if (!u)
        return 0;
    u->tgid = tgid;
    u->next = s->undos;
    s->undos = u;
    return u;
}

/* Semaphore num's adjustments are void (SETVAL; num < 0: SETALL, all). */
static void undo_clear(struct sem_set *s, int num)
{
    for (struct sem_undo *u = s->undos; u; u = u->next) {
        if (num >= 0)
            u->adj[num] = 0;
        else
            memset(u->adj, 0, s->nsems * sizeof(int16_t));
    }
}

/* Apply ops[0..n) to s if all can be now (u: the caller's undo sums, if
 * any op has SEM_UNDO). 0 done; 1 must wait, *stop the op that stopped it;
 * -EAGAIN (that op has IPC_NOWAIT), -ERANGE (a value or adjustment past
 * SEMVMX / SEMAEM). Nothing changes unless it returns 0. */
static int try_ops(struct sem_set *s, const struct sembuf *ops, uint32_t n, struct sem_undo *u,
                   int tgid, const struct sembuf **stop)
{
    uint32_t i;
    int result = 0;
    for (i = 0; i < n; i++) {
        const struct sembuf *op = &ops[i];
        struct sem *sem = &s->sems[op->sem_num];
        int32_t v = sem->value + op->sem_op;
        if ((op->sem_op == 0 && sem->value != 0) || v < 0) {
            *stop = op;
            result = (op->sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
            break;
        }
        if (v > SEMVMX) {
            result = -ERANGE;
            break;
        }
        if (op->sem_flg & SEM_UNDO) {
            int32_t adj = u->adj[op->sem_num] - op->sem_op;
            if (adj < -SEMAEM - 1 || adj > SEMAEM) {
                result = -ERANGE;
                break;
            }
        }
        sem->value = v;            /* tentatively: a later op may see it */
    }
    if (result != 0) {
        while (i-- > 0)            /* undo the tentative changes */
            s->sems[ops[i].sem_num].value -= ops[i].sem_op;
        return result;
    }
    for (i = 0; i < n; i++) {
        s->sems[ops[i].sem_num].pid = tgid;
        if (ops[i].sem_flg & SEM_UNDO)
            u->adj[ops[i].sem_num] = (int16_t)(u->adj[ops[i].sem_num] - ops[i].sem_op);
    }
    s->otime = ipc_now();
    return 0;
}

/* s changed: try the waiters' operations for them, oldest first, until a
 * whole pass completes none (one that went through may let others go).
 * Each one done, or failed with an error, is woken. */
static void update_queue(struct sem_set *s)
{
    bool woke = false, again = true;
    while (again) {
        again = false;
        for (struct sem_waiter *w = s->waiters; w; w = w->next) {
            if (w->status != 1)
                continue;
            const struct sembuf *stop = 0;
            int r = try_ops(s, w->ops, w->n, w->undo, w->tgid, &stop);
            if (r == 1) {              /* still waiting: perhaps for another one */
                w->num = stop->sem_num;
                w->for_zero = stop->sem_op == 0;
                continue;
            }
            w->status = r;             /* done, or its error (EAGAIN, ERANGE) */
            again = again || r == 0;
            woke = true;
        }
    }
    if (woke)
        wakeup(s);
}

/* The work of semop once the ops are read: try, and wait until they go
 * through (update_queue does them for us), the deadline passes, a signal
 * comes or the set goes. */
static long semop_wait(struct sem_set *s, const struct sembuf *ops, uint32_t n, bool undo,
                       bool alter, uint64_t deadline)
{
    struct proc *p = current_proc();
    struct sem_undo *u = 0;
    if (undo && !(u = undo_find(s, p->tgid, true)))
        return -ENOMEM;
    const struct sembuf *stop = 0;
    int r = try_ops(s, ops, n, u, p->tgid, &stop);
    if (r <= 0) {
        if (r == 0 && alter)
            update_queue(s);       /* others may go now */
        return r;
    }
    if (deadline && timer_ticks() >= deadline)
        return -EAGAIN;
    /* Queue at the tail, counted for GETNCNT or GETZCNT, holding s. */
    struct sem_waiter w = { .ops = ops, .n = n, .undo = u, .tgid = p->tgid, .status = 1,
                            .num = stop->sem_num, .for_zero = stop->sem_op == 0 };
    struct sem_waiter **tail = &s->waiters;
    while (*tail)
        tail = &(*tail)->next;
    *tail = &w;
    s->obj.refs++;
    long result;
    for (;;) {
        if (w.status != 1) {
            result = w.status;
            break;
        }
        if (s->obj.removed) {
            result = -EIDRM;
            break;
        }
        if (signal_pending(p)) {
            result = -EINTR;
            break;
        }
        if (deadline && timer_ticks() >= deadline) {
            result = -EAGAIN;
            break;
        }
        sleep_on_until(s, deadline);
    }
    struct sem_waiter **pp = &s->waiters;
    while (*pp != &w)
        pp = &(*pp)->next;
    *pp = w.next;
    set_put(s);
    return result;
}

long do_semtimedop(int id, vaddr_t usops, uint32_t nsops, uint64_t deadline)
{
    if (nsops < 1 || id < 0)
        return -EINVAL;
    if (nsops > SEMOPM)
        return -E2BIG;
    struct sembuf *ops = kmalloc(nsops * sizeof *ops);
    if (!ops)
        return -ENOMEM;
    long r;
    if (copy_from_user(ops, usops, nsops * sizeof *ops) < 0) {
        r = -EFAULT;
        goto out;
    }
    uint32_t max = 0;
    bool undo = false, alter = false;
    for (uint32_t i = 0; i < nsops; i++) {
        if (ops[i].sem_num > max)
            max = ops[i].sem_num;
        undo |= (ops[i].sem_flg & SEM_UNDO) != 0;
        alter |= ops[i].sem_op != 0;
    }
    struct sem_set *s = (struct sem_set *)ipc_find_id(&sem_ids, id);
    r = -EINVAL;
    if (!s)
        goto out;
    r = -EFBIG;
    if (max >= s->nsems)
        goto out;
    r = -EACCES;
    if (!ipc_may(&s->obj, alter ? 0222 : 0444))
        goto out;
    r = semop_wait(s, ops, nsops, undo, alter, deadline);
out:
    kfree(ops);
    return r;
}

void sem_exit(int tgid)
{
    for (struct ipc_object *o = sem_ids.list; o; o = o->next) {
        struct sem_set *s = (struct sem_set *)o;
        struct sem_undo **pp = &s->undos;
        while (*pp && (*pp)->tgid != tgid)
            pp = &(*pp)->next;
        struct sem_undo *u = *pp;
        if (!u)
            continue;
        *pp = u->next;
        for (uint32_t i = 0; i < s->nsems; i++) {
            if (!u->adj[i])
                continue;
            int32_t v = s->sems[i].value + u->adj[i];
            s->sems[i].value = v < 0 ? 0 : v > SEMVMX ? SEMVMX : v;
            s->sems[i].pid = tgid;
        }
        kfree(u);
        s->otime = ipc_now();
        update_queue(s);
    }
}

/* How many wait on semaphore num: for it to be 0, or to take from it. */
static int count_waiters(struct sem_set *s, uint32_t num, bool for_zero)
{
    int n = 0;
    for (struct sem_waiter *w = s->waiters; w; w = w->next)
        if (w->status == 1 && w->num == num && w->for_zero == for_zero)
            n++;
    return n;
}

/* IPC_INFO, SEM_INFO: the limits (SEM_INFO: with what is in use). */
static long sem_info(int cmd, vaddr_t buf)
{
    struct seminfo info = { .semmap = SEMMAP, .semmni = SEMMNI, .semmns = SEMMNS,
                            .semmnu = SEMMNU, .semmsl = SEMMSL, .semopm = SEMOPM,
                            .semume = SEMUME, .semusz = SEMUSZ, .semvmx = SEMVMX,
                            .semaem = SEMAEM };
    if (cmd == SEM_INFO) {
        info.semusz = sem_ids.count;
        info.semaem = (int32_t)sems_in_use;
    }
    if (copy_to_user(buf, &info, sizeof info) < 0)
        return -EFAULT;
    int max = ipc_max_index(&sem_ids);
    return max < 0 ? 0 : max;
}

/* GETALL, SETALL, and the commands on one semaphore. */
static long sem_values(struct sem_set *s, int semnum, int cmd, uint32_t arg)
{
    if (!ipc_may(&s->obj, cmd == SETALL ? 0222 : 0444))
        return -EACCES;
    if (cmd == GETALL || cmd == SETALL) {
        uint16_t *vals = kmalloc(s->nsems * sizeof *vals);
        if (!vals)
            return -ENOMEM;
        long r = 0;
        if (cmd == GETALL) {
            for (uint32_t i = 0; i < s->nsems; i++)
                vals[i] = (uint16_t)s->sems[i].value;
            if (copy_to_user(arg, vals, s->nsems * sizeof *vals) < 0)
                r = -EFAULT;
        } else if (copy_from_user(vals, arg, s->nsems * sizeof *vals) < 0) {
            r = -EFAULT;
        } else {
            for (uint32_t i = 0; i < s->nsems; i++)
                if (vals[i] > SEMVMX)
                    r = -ERANGE;
            for (uint32_t i = 0; r == 0 && i < s->nsems; i++) {
                s->sems[i].value = vals[i];
                s->sems[i].pid = current_proc()->tgid;
            }
            if (r == 0) {
                undo_clear(s, -1);
                s->ctime = ipc_now();
                update_queue(s);
            }
        }
        kfree(vals);
        return r;
    }
    if (semnum < 0 || (uint32_t)semnum >= s->nsems)
        return -EINVAL;
    switch (cmd) {
    case GETVAL:
        return s->sems[semnum].value;
    case GETPID:
        return s->sems[semnum].pid;
    case GETNCNT:
        return count_waiters(s, (uint32_t)semnum, false);
    default:                       /* GETZCNT */
        return count_waiters(s, (uint32_t)semnum, true);
    }
}

/* SETVAL: Linux checks the value, then the set, the number, the right. */
static long sem_setval(int id, int semnum, int32_t val)
{
    if (val < 0 || val > SEMVMX)
        return -ERANGE;
    struct sem_set *s = (struct sem_set *)ipc_find_id(&sem_ids, id);
    if (!s || semnum < 0 || (uint32_t)semnum >= s->nsems)
        return -EINVAL;
    if (!ipc_may(&s->obj, 0222))
        return -EACCES;
    s->sems[semnum].value = val;
    s->sems[semnum].pid = current_proc()->tgid;
    undo_clear(s, semnum);
    s->ctime = ipc_now();
    update_queue(s);
    return 0;
}

long do_semctl(int id, int semnum, int cmd, uint32_t arg, bool v64)
{
    if (id < 0 || cmd < 0)
        return -EINVAL;
    struct semid64_ds ds;
    struct sem_set *s;
    switch (cmd) {
    case IPC_INFO:
    case SEM_INFO:
        return sem_info(cmd, arg);
    case IPC_STAT:
    case SEM_STAT:
    case SEM_STAT_ANY:
        s = (struct sem_set *)(cmd == IPC_STAT ? ipc_find_id(&sem_ids, id)
                                               : ipc_find_index(&sem_ids, id));
        if (!s)
            return -EINVAL;
        if (cmd != SEM_STAT_ANY && !ipc_may(&s->obj, 0444))
            return -EACCES;
        memset(&ds, 0, sizeof ds);
        ds.sem_perm = s->obj.perm;
        ds.sem_otime = s->otime;
        ds.sem_ctime = s->ctime;
        ds.sem_nsems = s->nsems;
        if (semid_to_user(arg, &ds, v64) < 0)
            return -EFAULT;
        return cmd == IPC_STAT ? 0 : s->obj.id;
    case GETALL:
    case GETVAL:
    case GETPID:
    case GETNCNT:
    case GETZCNT:
    case SETALL:
        s = (struct sem_set *)ipc_find_id(&sem_ids, id);
        if (!s)
            return -EINVAL;
        return sem_values(s, semnum, cmd, arg);
    case SETVAL:
        return sem_setval(id, semnum, (int32_t)arg);
    case IPC_SET:
        if (semid_from_user(arg, &ds, v64) < 0)
            return -EFAULT;
        /* fall through */
    case IPC_RMID:
        s = (struct sem_set *)ipc_find_id(&sem_ids, id);
        if (!s)
            return -EINVAL;
        if (!ipc_may_own(&s->obj))
            return -EPERM;
        if (cmd == IPC_RMID) {
            set_remove(s);
        } else {
            ipc_set_perm(&s->obj, &ds.sem_perm);
            s->ctime = ipc_now();
        }
        return 0;
    default:
        return -EINVAL;
    }
}

int sem_proc_show(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint32_t n = 0;
    ipc_put(buf, size, &n,
            "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
    for (struct ipc_object *o = sem_ids.list; o; o = o->next) {
        struct sem_set *s = (struct sem_set *)o;
        ipc_put(buf, size, &n, "%10d %10d  %4o %10u %5u %5u %5u %5u %10u %10u\n", o->perm.key, o->id,
                o->perm.mode, s->nsems, o->perm.uid, o->perm.gid, o->perm.cuid, o->perm.cgid,
                s->otime, s->ctime);
    }
    return (int)n;
}
