/* cred.c: user and group ids: the rules of the set-id calls, execve of
 * set-user-ID programs, and who may signal whom (see cred.h). */
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "fs/fs.h"
#include "linux/errno.h"
#include "linux/stat.h"

const struct cred *current_cred(void)
{
    /* Before the first process (the file system made at boot), the kernel
     * acts as root. */
    static const struct cred kernel_cred;
    struct proc *p = current_proc();
    return p ? &p->cred : &kernel_cred;
}

bool cred_privileged(const struct cred *c)
{
    return c->euid == 0;
}

bool cred_in_group(const struct cred *c, uint32_t gid)
{
    if (gid == c->fsgid)
        return true;
    for (uint32_t i = 0; i < c->ngroups; i++)
        if (c->groups[i] == gid)
            return true;
    return false;
}

/* The four user ids, or the four group ids, of c: the rules are the same
 * for both, so one set of functions serves both through these pointers. */
struct ids {
    uint32_t *real, *eff, *saved, *fs;
};

static struct ids ids_of(struct cred *c, bool uids)
{
    if (uids)
        return (struct ids){ &c->uid, &c->euid, &c->suid, &c->fsuid };
    return (struct ids){ &c->gid, &c->egid, &c->sgid, &c->fsgid };
}

#define KEEP 0xFFFFFFFFu           /* (uid_t)-1: "do not change this one" */

/* Is id one of the real, effective and saved ids in ids? */
static bool is_own(struct ids ids, uint32_t id)
{
    return id == *ids.real || id == *ids.eff || id == *ids.saved;
}

int cred_setresid(bool uids, uint32_t r, uint32_t e, uint32_t s)
{
    struct cred *c = &current_proc()->cred;
    struct ids ids = ids_of(c, uids);
    if (!cred_privileged(c) && ((r != KEEP && !is_own(ids, r)) || (e != KEEP && !is_own(ids, e)) ||
                                (s != KEEP && !is_own(ids, s))))
        return -EPERM;
    if (r != KEEP)
        *ids.real = r;
    if (e != KEEP)
        *ids.eff = e;
    if (s != KEEP)
        *ids.saved = s;
    *ids.fs = *ids.eff;            /* the fs id follows the effective one */
    return 0;
}

int cred_setreid(bool uids, uint32_t r, uint32_t e)
{
    struct cred *c = &current_proc()->cred;
    struct ids ids = ids_of(c, uids);
    bool priv = cred_privileged(c);
    uint32_t old_real = *ids.real;
    /* setreuid(2): the real id may become the real or effective one; the
     * effective id any of the three. */
    if (r != KEEP && !priv && r != *ids.real && r != *ids.eff)
        return -EPERM;
    if (e != KEEP && !priv && !is_own(ids, e))
        return -EPERM;
    if (r != KEEP)
        *ids.real = r;
    if (e != KEEP)
        *ids.eff = e;
    /* The saved id follows the new effective one when the real id was set,
     * or the effective one set to something other than the old real id:
     * then the process cannot get back an id it gave up. */
    if (r != KEEP || (e != KEEP && e != old_real))
        *ids.saved = *ids.eff;
    *ids.fs = *ids.eff;
    return 0;
}

int cred_setid(bool uids, uint32_t id)
{
    struct cred *c = &current_proc()->cred;
    struct ids ids = ids_of(c, uids);
    if (id == KEEP)
        return -EINVAL;
    /* Privileged: all three, for good (a server dropping root). Otherwise
     * only the effective id, to the real or saved one. */
    if (cred_privileged(c)) {
        *ids.real = *ids.eff = *ids.saved = *ids.fs = id;
        return 0;
    }
    if (id != *ids.real && id != *ids.saved)
        return -EPERM;
    *ids.eff = *ids.fs = id;
    return 0;
}

uint32_t cred_setfsid(bool uids, uint32_t id)
{
    struct cred *c = &current_proc()->cred;
    struct ids ids = ids_of(c, uids);
    uint32_t old = *ids.fs;
    if (id != KEEP && (cred_privileged(c) || is_own(ids, id) || id == *ids.fs))
        *ids.fs = id;
    return old;
}

int cred_setgroups(const uint32_t *groups, uint32_t n)
{
    struct cred *c = &current_proc()->cred;
    if (!cred_privileged(c))
        return -EPERM;
    if (n > CRED_NGROUPS)
        return -EINVAL;
    /* Sorted, as Linux keeps them (getgroups gives them back so). */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t g = groups[i], j = i;
        for (; j > 0 && c->groups[j - 1] > g; j--)
            c->groups[j] = c->groups[j - 1];
        c->groups[j] = g;
    }
    c->ngroups = n;
    return 0;
}

void exec_creds(const struct cred *old, const struct inode *ip, bool no_new_privs,
                struct cred *out, bool *secure)
{
    *out = *old;
    if (!no_new_privs && (ip->mode & S_ISUID))
        out->euid = ip->uid;
    /* Without group execute, S_ISGID means mandatory locking, not an id. */
    if (!no_new_privs && (ip->mode & S_ISGID) && (ip->mode & S_IXGRP))
        out->egid = ip->gid;
    /* execve(2): the saved ids are copied from the effective ones. */
    out->suid = out->fsuid = out->euid;
    out->sgid = out->fsgid = out->egid;
    *secure = out->euid != out->uid || out->egid != out->gid;
}

bool cred_may_signal(const struct proc *p)
{
    const struct cred *me = current_cred();
    if (cred_privileged(me))
        return true;
    return me->uid == p->cred.uid || me->uid == p->cred.suid || me->euid == p->cred.uid ||
           me->euid == p->cred.suid;
}
