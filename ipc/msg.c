/* msg.c: System V message queues (ipc/msg.h). */
#include "ipc/msg.h"
#include "ipc/ipc.h"
#include "ipc/ipc_old.h"
#include "kernel/proc.h"
#include "kernel/cred.h"
#include "kernel/signal.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "lib/string.h"
#include "linux/errno.h"
#include "linux/msg.h"

struct msg {
    struct msg *next;
    int32_t type;
    uint32_t size;                 /* bytes of text */
    char text[];
};

struct msg_queue {
    struct ipc_object obj;         /* first: a queue is found as its object */
    struct msg *first, **last;     /* in the order sent */
    uint32_t cbytes, qnum, qbytes; /* text queued, messages, room */
    uint32_t stime, rtime, ctime;
    int lspid, lrpid;
};

static struct ipc_ids msg_ids = { .limit = MSGMNI };
static uint32_t msgs_total, msg_bytes_total;   /* in every queue (MSG_INFO) */

static void queue_free(struct msg_queue *q)
{
    while (q->first) {
        struct msg *m = q->first;
        q->first = m->next;
        msgs_total--;
        msg_bytes_total -= m->size;
        kfree(m);
    }
    kfree(q);
}

/* Drop a reference to q (a waiter's); the last frees it. */
static void queue_put(struct msg_queue *q)
{
    if (--q->obj.refs == 0)
        queue_free(q);
}

long do_msgget(int32_t key, int flags)
{
    struct ipc_object *o;
    int r = ipc_get(&msg_ids, key, flags, &o);
    if (r < 0)
        return r;
    if (r == 1)
        return ipc_may(o, flags) ? o->id : -EACCES;
    if (msg_ids.count >= msg_ids.limit)
        return -ENOSPC;
    struct msg_queue *q = kzalloc(sizeof *q);
    if (!q)
        return -ENOMEM;
    ipc_add(&msg_ids, &q->obj, key, flags);
    q->last = &q->first;
    q->qbytes = MSGMNB;
    q->ctime = ipc_now();
    return q->obj.id;
}

/* Sleep on q until something changes, holding it. false if it was removed
 * meanwhile (q may be gone then). */
static bool queue_wait(struct msg_queue *q)
{
    q->obj.refs++;
    sleep_on(q);
    if (q->obj.removed) {
        queue_put(q);
        return false;
    }
    q->obj.refs--;
    return true;
}

long do_msgsnd(int id, vaddr_t msgp, uint32_t msgsz, int flags)
{
    int32_t type;
    if (copy_from_user(&type, msgp, sizeof type) < 0)
        return -EFAULT;
    if (msgsz > MSGMAX || id < 0 || type < 1)
        return -EINVAL;
    struct msg *m = kmalloc(sizeof *m + msgsz);
    if (!m)
        return -ENOMEM;
    if (copy_from_user(m->text, msgp + sizeof type, msgsz) < 0) {
        kfree(m);
        return -EFAULT;
    }
    m->type = type;
    m->size = msgsz;
    m->next = 0;
    struct proc *p = current_proc();
    struct msg_queue *q = (struct msg_queue *)ipc_find_id(&msg_ids, id);
    long r = -EINVAL;
    while (q) {
        r = -EACCES;
        if (!ipc_may(&q->obj, 0222))
            break;
        /* Room for its text, and for one more message (Linux counts a
         * message as a byte too, so that empty ones cannot fill memory). */
        if (q->cbytes + msgsz <= q->qbytes && q->qnum + 1 <= q->qbytes) {
            *q->last = m;
            q->last = &m->next;
            q->cbytes += msgsz;
            q->qnum++;
            q->lspid = p->tgid;
            q->stime = ipc_now();
            msgs_total++;
            msg_bytes_total += msgsz;
            wakeup(q);             /* receivers look again */
            return 0;
        }
        r = -EAGAIN;
        if (flags & IPC_NOWAIT)
            break;
        r = -EIDRM;
        if (!queue_wait(q))
            break;
        r = -ERESTARTNOHAND;
        if (signal_pending(p))
            break;
    }
    kfree(m);
    return r;
}

/* The message of q that msgrcv(msgtyp, flags) takes, or NULL. */
static struct msg *find_msg(struct msg_queue *q, int32_t msgtyp, int flags)
{
    struct msg *best = 0;
    for (struct msg *m = q->first; m; m = m->next) {
        if (msgtyp == 0)
            return m;
        if (msgtyp > 0) {
            if ((m->type == msgtyp) != ((flags & MSG_EXCEPT) != 0))
                return m;
        } else {
            /* The lowest type up to -msgtyp; of those, the first. */
            int32_t limit = msgtyp == (int32_t)0x80000000 ? 0x7fffffff : -msgtyp;
            if (m->type <= limit && (!best || m->type < best->type))
                best = m;
        }
    }
    return best;
}

/* Take m off q. */
static void unlink_msg(struct msg_queue *q, struct msg *m)
{
    struct msg **pp = &q->first;
    while (*pp != m)
        pp = &(*pp)->next;
    *pp = m->next;
    if (q->last == &m->next)
        q->last = pp;
    q->cbytes -= m->size;
    q->qnum--;
    msgs_total--;
    msg_bytes_total -= m->size;
}

long do_msgrcv(int id, vaddr_t msgp, uint32_t msgsz, int32_t msgtyp, int flags)
{
    if (id < 0 || (int32_t)msgsz < 0)
        return -EINVAL;
    if (flags & MSG_COPY)
        return -ENOSYS;            /* checkpoint/restore's: not kept */
    struct proc *p = current_proc();
    struct msg_queue *q = (struct msg_queue *)ipc_find_id(&msg_ids, id);
    if (!q)
        return -EINVAL;
    struct msg *m;
    for (;;) {
        if (!ipc_may(&q->obj, 0444))
            return -EACCES;
        m = find_msg(q, msgtyp, flags);
        if (m)
            break;
        if (flags & IPC_NOWAIT)
            return -ENOMSG;
        if (!queue_wait(q))
            return -EIDRM;
        if (signal_pending(p))
            return -ERESTARTNOHAND;
    }
    if (msgsz < m->size && !(flags & MSG_NOERROR))
        return -E2BIG;             /* it stays */
    unlink_msg(q, m);
    q->rtime = ipc_now();
    q->lrpid = p->tgid;
    wakeup(q);                     /* senders may have room now */
    uint32_t n = m->size < msgsz ? m->size : msgsz;
    long r = n;
    if (copy_to_user(msgp, &m->type, sizeof m->type) < 0 ||
        copy_to_user(msgp + sizeof m->type, m->text, n) < 0)
        r = -EFAULT;               /* the message is lost, as on Linux */
    kfree(m);
    return r;
}

/* IPC_INFO, MSG_INFO: the limits (MSG_INFO: with what is in use). */
static long msg_info(int cmd, vaddr_t buf)
{
    struct msginfo info = { .msgpool = MSGPOOL, .msgmap = MSGMAP, .msgmax = MSGMAX,
                            .msgmnb = MSGMNB, .msgmni = MSGMNI, .msgssz = MSGSSZ,
                            .msgtql = MSGTQL, .msgseg = MSGSEG };
    if (cmd == MSG_INFO) {
        info.msgpool = msg_ids.count;
        info.msgmap = (int32_t)msgs_total;
        info.msgtql = (int32_t)msg_bytes_total;
    }
    if (copy_to_user(buf, &info, sizeof info) < 0)
        return -EFAULT;
    int max = ipc_max_index(&msg_ids);
    return max < 0 ? 0 : max;
}

long do_msgctl(int id, int cmd, vaddr_t buf, bool v64)
{
    if (id < 0 || cmd < 0)
        return -EINVAL;
    struct msqid64_ds ds;
    struct msg_queue *q;
    switch (cmd) {
    case IPC_INFO:
    case MSG_INFO:
        return msg_info(cmd, buf);
    case IPC_STAT:
    case MSG_STAT:
    case MSG_STAT_ANY:
        q = (struct msg_queue *)(cmd == IPC_STAT ? ipc_find_id(&msg_ids, id)
                                                 : ipc_find_index(&msg_ids, id));
        if (!q)
            return -EINVAL;
        if (cmd != MSG_STAT_ANY && !ipc_may(&q->obj, 0444))
            return -EACCES;
        memset(&ds, 0, sizeof ds);
        ds.msg_perm = q->obj.perm;
        ds.msg_stime = q->stime;
        ds.msg_rtime = q->rtime;
        ds.msg_ctime = q->ctime;
        ds.msg_cbytes = q->cbytes;
        ds.msg_qnum = q->qnum;
        ds.msg_qbytes = q->qbytes;
        ds.msg_lspid = q->lspid;
        ds.msg_lrpid = q->lrpid;
        if (msqid_to_user(buf, &ds, v64) < 0)
            return -EFAULT;
        return cmd == IPC_STAT ? 0 : q->obj.id;
    case IPC_SET:
        if (msqid_from_user(buf, &ds, v64) < 0)
            return -EFAULT;
        /* fall through */
    case IPC_RMID:
        q = (struct msg_queue *)ipc_find_id(&msg_ids, id);
        if (!q)
            return -EINVAL;
        if (!ipc_may_own(&q->obj))
            return -EPERM;
        if (cmd == IPC_RMID) {
            wakeup(q);             /* its waiters see EIDRM */
            if (ipc_remove(&msg_ids, &q->obj))
                queue_free(q);
            return 0;
        }
        /* More room than MSGMNB is a privilege (CAP_SYS_RESOURCE). */
        if (ds.msg_qbytes > MSGMNB && !cred_privileged(current_cred()))
            return -EPERM;
        ipc_set_perm(&q->obj, &ds.msg_perm);
        q->qbytes = ds.msg_qbytes;
        q->ctime = ipc_now();
        wakeup(q);                 /* senders may have room now */
        return 0;
    default:
        return -EINVAL;
    }
}

int msg_proc_show(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint32_t n = 0;
    ipc_put(buf, size, &n, "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid "
                           " cuid  cgid      stime      rtime      ctime\n");
    for (struct ipc_object *o = msg_ids.list; o; o = o->next) {
        struct msg_queue *q = (struct msg_queue *)o;
        ipc_put(buf, size, &n, "%10d %10d  %4o  %10u %10u %5d %5d %5u %5u %5u %5u %10u %10u %10u\n",
                o->perm.key, o->id, o->perm.mode, q->cbytes, q->qnum, q->lspid, q->lrpid, o->perm.uid,
                o->perm.gid, o->perm.cuid, o->perm.cgid, q->stime, q->rtime, q->ctime);
    }
    return (int)n;
}
