/* sys_cred.c: the id system calls: they decode their arguments and call the
 * rules in cred.c. Each comes twice: the 32-bit call (getuid32...) and the
 * old one with 16-bit ids, kept by Linux for old programs: an id above
 * 65535 reads as 65534 (the overflow id), and 0xFFFF means -1. */
#include "kernel/sys_cred.h"
#include "kernel/cred.h"
#include "mm/usercopy.h"
#include "linux/errno.h"

/* A 16-bit id from a 32-bit one, and back. */
static uint32_t id16(uint32_t id)
{
    return id > 0xFFFF ? OVERFLOW_ID : id;
}

static uint32_t id32(uint32_t id16)
{
    id16 &= 0xFFFF;
    return id16 == 0xFFFF ? 0xFFFFFFFFu : id16;
}

long sys_getuid(struct trapframe *tf)
{
    (void)tf;
    return current_cred()->uid;
}

long sys_geteuid(struct trapframe *tf)
{
    (void)tf;
    return current_cred()->euid;
}

long sys_getgid(struct trapframe *tf)
{
    (void)tf;
    return current_cred()->gid;
}

long sys_getegid(struct trapframe *tf)
{
    (void)tf;
    return current_cred()->egid;
}

long sys_getuid16(struct trapframe *tf)
{
    (void)tf;
    return id16(current_cred()->uid);
}

long sys_geteuid16(struct trapframe *tf)
{
    (void)tf;
    return id16(current_cred()->euid);
}

long sys_getgid16(struct trapframe *tf)
{
    (void)tf;
    return id16(current_cred()->gid);
}

long sys_getegid16(struct trapframe *tf)
{
    (void)tf;
    return id16(current_cred()->egid);
}

long sys_setuid(struct trapframe *tf)
{
    return cred_setid(true, tf->ebx);
}

long sys_setgid(struct trapframe *tf)
{
    return cred_setid(false, tf->ebx);
}

long sys_setuid16(struct trapframe *tf)
{
    return cred_setid(true, id32(tf->ebx));
}

long sys_setgid16(struct trapframe *tf)
{
    return cred_setid(false, id32(tf->ebx));
}

long sys_setreuid(struct trapframe *tf)
{
    return cred_setreid(true, tf->ebx, tf->ecx);
}

long sys_setregid(struct trapframe *tf)
{
    return cred_setreid(false, tf->ebx, tf->ecx);
}

long sys_setreuid16(struct trapframe *tf)
{
    return cred_setreid(true, id32(tf->ebx), id32(tf->ecx));
}

long sys_setregid16(struct trapframe *tf)
{
    return cred_setreid(false, id32(tf->ebx), id32(tf->ecx));
}

long sys_setresuid(struct trapframe *tf)
{
    return cred_setresid(true, tf->ebx, tf->ecx, tf->edx);
}

long sys_setresgid(struct trapframe *tf)
{
    return cred_setresid(false, tf->ebx, tf->ecx, tf->edx);
}

long sys_setresuid16(struct trapframe *tf)
{
    return cred_setresid(true, id32(tf->ebx), id32(tf->ecx), id32(tf->edx));
}

long sys_setresgid16(struct trapframe *tf)
{
    return cred_setresid(false, id32(tf->ebx), id32(tf->ecx), id32(tf->edx));
}

/* getresuid(ruid *, euid *, suid *): three words, 4 or 2 bytes each. */
static long put_three(vaddr_t a, vaddr_t b, vaddr_t c, uint32_t x, uint32_t y, uint32_t z,
                      bool narrow)
{
    if (narrow) {
        uint16_t v[3] = { (uint16_t)id16(x), (uint16_t)id16(y), (uint16_t)id16(z) };
        if (copy_to_user(a, &v[0], 2) < 0 || copy_to_user(b, &v[1], 2) < 0 ||
            copy_to_user(c, &v[2], 2) < 0)
            return -EFAULT;
        return 0;
    }
    if (copy_to_user(a, &x, 4) < 0 || copy_to_user(b, &y, 4) < 0 || copy_to_user(c, &z, 4) < 0)
        return -EFAULT;
    return 0;
}

long sys_getresuid(struct trapframe *tf)
{
    const struct cred *c = current_cred();
    return put_three(tf->ebx, tf->ecx, tf->edx, c->uid, c->euid, c->suid, false);
}

long sys_getresgid(struct trapframe *tf)
{
    const struct cred *c = current_cred();
    return put_three(tf->ebx, tf->ecx, tf->edx, c->gid, c->egid, c->sgid, false);
}

long sys_getresuid16(struct trapframe *tf)
{
    const struct cred *c = current_cred();
    return put_three(tf->ebx, tf->ecx, tf->edx, c->uid, c->euid, c->suid, true);
}

long sys_getresgid16(struct trapframe *tf)
{
    const struct cred *c = current_cred();
    return put_three(tf->ebx, tf->ecx, tf->edx, c->gid, c->egid, c->sgid, true);
}

long sys_setfsuid(struct trapframe *tf)
{
    return cred_setfsid(true, tf->ebx);
}

long sys_setfsgid(struct trapframe *tf)
{
    return cred_setfsid(false, tf->ebx);
}

long sys_setfsuid16(struct trapframe *tf)
{
    return id16(cred_setfsid(true, id32(tf->ebx)));
}

long sys_setfsgid16(struct trapframe *tf)
{
    return id16(cred_setfsid(false, id32(tf->ebx)));
}

/* getgroups(size, list): with size 0 the count only; a list too small for
 * them all is EINVAL. */
static long get_groups(int size, vaddr_t list, bool narrow)
{
    const struct cred *c = current_cred();
    if (size < 0)
        return -EINVAL;
    if (size == 0)
        return c->ngroups;
    if ((uint32_t)size < c->ngroups)
        return -EINVAL;
    for (uint32_t i = 0; i < c->ngroups; i++) {
        uint32_t g = c->groups[i];
        uint16_t g16 = (uint16_t)id16(g);
        int r = narrow ? copy_to_user(list + 2 * i, &g16, 2) : copy_to_user(list + 4 * i, &g, 4);
        if (r < 0)
            return -EFAULT;
    }
    return c->ngroups;
}

long sys_getgroups(struct trapframe *tf)
{
    return get_groups((int)tf->ebx, tf->ecx, false);
}

long sys_getgroups16(struct trapframe *tf)
{
    return get_groups((int)tf->ebx, tf->ecx, true);
}

/* setgroups(size, list): privileged only; Linux takes up to NGROUPS_MAX,
 * bunshin keeps CRED_NGROUPS (more is EINVAL here too). */
static long set_groups(int size, vaddr_t list, bool narrow)
{
    uint32_t g[CRED_NGROUPS];
    if (!cred_privileged(current_cred()))
        return -EPERM;
    if (size < 0 || size > NGROUPS_MAX || size > CRED_NGROUPS)
        return -EINVAL;
    for (int i = 0; i < size; i++) {
        uint16_t g16;
        int r = narrow ? copy_from_user(&g16, list + 2 * (uint32_t)i, 2)
                       : copy_from_user(&g[i], list + 4 * (uint32_t)i, 4);
        if (r < 0)
            return -EFAULT;
        if (narrow)
            g[i] = id32(g16);
    }
    return cred_setgroups(g, (uint32_t)size);
}

long sys_setgroups(struct trapframe *tf)
{
    return set_groups((int)tf->ebx, tf->ecx, false);
}

long sys_setgroups16(struct trapframe *tf)
{
    return set_groups((int)tf->ebx, tf->ecx, true);
}
