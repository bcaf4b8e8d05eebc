/* ipc_old.c: the control calls' structs in either layout (ipc/ipc_old.h). */
#include "ipc/ipc_old.h"
#include "mm/usercopy.h"
#include "lib/string.h"
#include "linux/errno.h"

#define OVERFLOW_ID16 65534        /* an id that does not fit 16 bits shows as this */

static uint16_t id16(uint32_t id)
{
    return id > 0xffff ? OVERFLOW_ID16 : (uint16_t)id;
}

static uint16_t count16(uint32_t n)
{
    return n > 0xffff ? 0xffff : (uint16_t)n;
}

static void perm_to_old(struct ipc_perm *out, const struct ipc64_perm *in)
{
    out->key = in->key;
    out->uid = id16(in->uid);
    out->gid = id16(in->gid);
    out->cuid = id16(in->cuid);
    out->cgid = id16(in->cgid);
    out->mode = in->mode;
    out->seq = in->seq;
}

static void perm_from_old(struct ipc64_perm *out, const struct ipc_perm *in)
{
    out->uid = in->uid;
    out->gid = in->gid;
    out->mode = in->mode;
}

static int put(vaddr_t buf, const void *p, uint32_t n)
{
    return copy_to_user(buf, p, n) < 0 ? -EFAULT : 0;
}

static int get(void *p, vaddr_t buf, uint32_t n)
{
    return copy_from_user(p, buf, n) < 0 ? -EFAULT : 0;
}

int shmid_to_user(vaddr_t buf, const struct shmid64_ds *ds, bool v64)
{
    if (v64)
        return put(buf, ds, sizeof *ds);
    struct shmid_ds old;
    memset(&old, 0, sizeof old);
    perm_to_old(&old.shm_perm, &ds->shm_perm);
    old.shm_segsz = (int32_t)ds->shm_segsz;
    old.shm_atime = (int32_t)ds->shm_atime;
    old.shm_dtime = (int32_t)ds->shm_dtime;
    old.shm_ctime = (int32_t)ds->shm_ctime;
    old.shm_cpid = (uint16_t)ds->shm_cpid;
    old.shm_lpid = (uint16_t)ds->shm_lpid;
    old.shm_nattch = (uint16_t)ds->shm_nattch;
    return put(buf, &old, sizeof old);
}

int semid_to_user(vaddr_t buf, const struct semid64_ds *ds, bool v64)
{
    if (v64)
        return put(buf, ds, sizeof *ds);
    struct semid_ds old;
    memset(&old, 0, sizeof old);
    perm_to_old(&old.sem_perm, &ds->sem_perm);
    old.sem_otime = (int32_t)ds->sem_otime;
    old.sem_ctime = (int32_t)ds->sem_ctime;
    old.sem_nsems = (uint16_t)ds->sem_nsems;
    return put(buf, &old, sizeof old);
}

int msqid_to_user(vaddr_t buf, const struct msqid64_ds *ds, bool v64)
{
    if (v64)
        return put(buf, ds, sizeof *ds);
    struct msqid_ds old;
    memset(&old, 0, sizeof old);
    perm_to_old(&old.msg_perm, &ds->msg_perm);
    old.msg_stime = (int32_t)ds->msg_stime;
    old.msg_rtime = (int32_t)ds->msg_rtime;
    old.msg_ctime = (int32_t)ds->msg_ctime;
    old.msg_lcbytes = ds->msg_cbytes;      /* the whole counts, where they fit */
    old.msg_lqbytes = ds->msg_qbytes;
    old.msg_cbytes = count16(ds->msg_cbytes);
    old.msg_qnum = count16(ds->msg_qnum);
    old.msg_qbytes = count16(ds->msg_qbytes);
    old.msg_lspid = (uint16_t)ds->msg_lspid;
    old.msg_lrpid = (uint16_t)ds->msg_lrpid;
    return put(buf, &old, sizeof old);
}

int shmid_from_user(vaddr_t buf, struct shmid64_ds *ds, bool v64)
{
    if (v64)
        return get(ds, buf, sizeof *ds);
    struct shmid_ds old;
    if (get(&old, buf, sizeof old) < 0)
        return -EFAULT;
    perm_from_old(&ds->shm_perm, &old.shm_perm);
    return 0;
}

int semid_from_user(vaddr_t buf, struct semid64_ds *ds, bool v64)
{
    if (v64)
        return get(ds, buf, sizeof *ds);
    struct semid_ds old;
    if (get(&old, buf, sizeof old) < 0)
        return -EFAULT;
    perm_from_old(&ds->sem_perm, &old.sem_perm);
    return 0;
}

int msqid_from_user(vaddr_t buf, struct msqid64_ds *ds, bool v64)
{
    if (v64)
        return get(ds, buf, sizeof *ds);
    struct msqid_ds old;
    if (get(&old, buf, sizeof old) < 0)
        return -EFAULT;
    perm_from_old(&ds->msg_perm, &old.msg_perm);
    /* A room too big for 16 bits is given in the long field, with 0 in the short. */
    ds->msg_qbytes = old.msg_qbytes ? old.msg_qbytes : old.msg_lqbytes;
    return 0;
}

int shminfo_to_user(vaddr_t buf, const struct shminfo64 *info, bool v64)
{
    if (v64)
        return put(buf, info, sizeof *info);
    struct shminfo old = {
        .shmmax = info->shmmax > 0x7fffffff ? 0x7fffffff : (int32_t)info->shmmax,
        .shmmin = (int32_t)info->shmmin,
        .shmmni = (int32_t)info->shmmni,
        .shmseg = (int32_t)info->shmseg,
        .shmall = (int32_t)info->shmall,
    };
    return put(buf, &old, sizeof old);
}
