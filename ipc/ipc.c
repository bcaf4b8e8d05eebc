/* ipc.c: ids, keys and permissions: what System V IPC's kinds share
 * (ipc/ipc.h). */
#include "ipc/ipc.h"
#include "kernel/cred.h"
#include "drivers/clock.h"
#include "linux/errno.h"
#include "lib/format.h"

struct ipc_object *ipc_find_key(struct ipc_ids *ids, int32_t key)
{
    for (struct ipc_object *o = ids->list; o; o = o->next)
        if (o->perm.key == key && key != IPC_PRIVATE)
            return o;
    return 0;
}

struct ipc_object *ipc_find_index(struct ipc_ids *ids, int index)
{
    for (struct ipc_object *o = ids->list; o && o->index <= index; o = o->next)
        if (o->index == index)
            return o;
    return 0;
}

struct ipc_object *ipc_find_id(struct ipc_ids *ids, int id)
{
    if (id < 0)
        return 0;
    struct ipc_object *o = ipc_find_index(ids, id % IPC_SEQ_MULTIPLIER);
    return o && o->id == id ? o : 0;
}

int ipc_max_index(struct ipc_ids *ids)
{
    int max = -1;
    for (struct ipc_object *o = ids->list; o; o = o->next)
        max = o->index;
    return max;
}

int ipc_add(struct ipc_ids *ids, struct ipc_object *o, int32_t key, int flags)
{
    if (ids->count >= ids->limit)
        return -ENOSPC;
    /* The lowest free index: the first gap in the sorted list. */
    int index = 0;
    struct ipc_object **pp = &ids->list;
    while (*pp && (*pp)->index == index) {
        pp = &(*pp)->next;
        index++;
    }
    const struct cred *c = current_cred();
    o->perm.key = key;
    o->perm.uid = o->perm.cuid = c->euid;
    o->perm.gid = o->perm.cgid = c->egid;
    o->perm.mode = (uint16_t)(flags & 0777);
    o->perm.seq = ids->next_seq;
    ids->next_seq = (uint16_t)((ids->next_seq + 1) % (0x7fffffff / IPC_SEQ_MULTIPLIER));
    o->index = index;
    o->id = o->perm.seq * IPC_SEQ_MULTIPLIER + index;
    o->removed = false;
    o->refs = 1;
    o->next = *pp;
    *pp = o;
    ids->count++;
    return 0;
}

bool ipc_remove(struct ipc_ids *ids, struct ipc_object *o)
{
    for (struct ipc_object **pp = &ids->list; *pp; pp = &(*pp)->next) {
        if (*pp == o) {
            *pp = o->next;
            ids->count--;
            break;
        }
    }
    o->next = 0;
    o->removed = true;
    o->perm.key = IPC_PRIVATE;
    return --o->refs == 0;
}

int ipc_get(struct ipc_ids *ids, int32_t key, int flags, struct ipc_object **out)
{
    if (key == IPC_PRIVATE)
        return 0;
    struct ipc_object *o = ipc_find_key(ids, key);
    if (!o)
        return (flags & IPC_CREAT) ? 0 : -ENOENT;
    if ((flags & IPC_CREAT) && (flags & IPC_EXCL))
        return -EEXIST;
    *out = o;
    return 1;
}

bool ipc_may(const struct ipc_object *o, int access)
{
    const struct cred *c = current_cred();
    int requested = (access >> 6) | (access >> 3) | access;
    int granted = o->perm.mode;
    if (c->euid == o->perm.cuid || c->euid == o->perm.uid)
        granted >>= 6;
    else if (cred_in_group(c, o->perm.cgid) || cred_in_group(c, o->perm.gid))
        granted >>= 3;
    return !(requested & ~granted & 07) || cred_privileged(c);
}

bool ipc_may_own(const struct ipc_object *o)
{
    const struct cred *c = current_cred();
    return c->euid == o->perm.cuid || c->euid == o->perm.uid || cred_privileged(c);
}

void ipc_set_perm(struct ipc_object *o, const struct ipc64_perm *p)
{
    o->perm.uid = p->uid;
    o->perm.gid = p->gid;
    o->perm.mode = (uint16_t)((o->perm.mode & ~0777) | (p->mode & 0777));
}

uint32_t ipc_now(void)
{
    return clock_realtime_seconds();
}

bool ipc_parse_version(int *cmd)
{
    if (*cmd & IPC_64) {
        *cmd &= ~IPC_64;
        return true;
    }
    return false;
}

void ipc_put(char *buf, uint32_t size, uint32_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    *n += (uint32_t)kvsnprintf(buf + (*n < size ? *n : size), *n < size ? size - *n : 0, fmt, ap);
    va_end(ap);
}
