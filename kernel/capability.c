/* capability.c: capget and capset. bunshin's privilege is all or nothing
 * (kernel/cred.h): a thread with effective uid 0 may do everything. The
 * capability sets are derived from the ids as Linux derives them for a
 * root that never used capset: permitted is every capability when any of
 * the real, effective or saved uids is 0; effective is every capability
 * when the effective uid is 0; inheritable is empty. No sets are stored,
 * so capset accepts exactly the sets capget reports (a program that sets
 * what it read, as libcap does), refuses a raise with Linux's EPERM, and
 * refuses a drop with EPERM too: bunshin cannot keep a smaller set.
 *
 * The handshake is Linux's: a version it does not know is EINVAL, with the
 * version it prefers (3) written back into the header, except that capget
 * with no data pointer answers 0 (how a program asks for the version).
 * Version 1 has one 32-bit word per set, versions 2 and 3 two. */
#include "kernel/capability.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "mm/usercopy.h"
#include "linux/capability.h"
#include "linux/errno.h"
#include "lib/string.h"

/* How many data structs the header's version takes: 1 or 2, or -EINVAL
 * after writing version 3 back (-EFAULT if the header cannot be read). */
static int cap_words(vaddr_t uheader)
{
    uint32_t version;
    if (copy_from_user(&version, uheader, sizeof version) < 0)
        return -EFAULT;
    if (version == _LINUX_CAPABILITY_VERSION_1)
        return 1;
    if (version == _LINUX_CAPABILITY_VERSION_2 || version == _LINUX_CAPABILITY_VERSION_3)
        return 2;
    version = _LINUX_CAPABILITY_VERSION_3;
    if (copy_to_user(uheader, &version, sizeof version) < 0)
        return -EFAULT;
    return -EINVAL;
}

/* The sets of a thread with credentials c, as two words each. */
static void cap_sets(const struct cred *c, struct __user_cap_data_struct d[2])
{
    memset(d, 0, 2 * sizeof d[0]);
    uint32_t all[2] = { 0xFFFFFFFFu, (1u << (CAP_LAST_CAP - 31)) - 1 };
    for (int i = 0; i < 2; i++) {
        if (c->uid == 0 || c->euid == 0 || c->suid == 0)
            d[i].permitted = all[i];
        if (c->euid == 0)
            d[i].effective = all[i];
    }
}

/* capget(header, data): the sets of header->pid (0: the caller). */
long sys_capget(struct trapframe *tf)
{
    int words = cap_words(tf->ebx);
    if (words == -EFAULT)
        return words;
    if (!tf->ecx)
        return 0;                      /* only the version was asked for */
    if (words < 0)
        return words;
    int32_t pid;
    if (copy_from_user(&pid, tf->ebx + 4, sizeof pid) < 0)
        return -EFAULT;
    if (pid < 0)
        return -EINVAL;
    struct proc *p = pid ? proc_find(pid) : current_proc();
    if (!p || p->state == PROC_EMBRYO)
        return -ESRCH;
    struct __user_cap_data_struct d[2];
    cap_sets(&p->cred, d);
    return copy_to_user(tf->ecx, d, (uint32_t)words * sizeof d[0]);
}

/* capset(header, data): only the caller (pid 0 or its own, else EPERM);
 * accepted only when it changes nothing (see above). */
long sys_capset(struct trapframe *tf)
{
    int words = cap_words(tf->ebx);
    if (words < 0)
        return words;
    int32_t pid;
    if (copy_from_user(&pid, tf->ebx + 4, sizeof pid) < 0)
        return -EFAULT;
    if (pid != 0 && pid != current_proc()->pid)
        return -EPERM;
    struct __user_cap_data_struct want[2], have[2];
    memset(want, 0, sizeof want);
    if (copy_from_user(want, tf->ecx, (uint32_t)words * sizeof want[0]) < 0)
        return -EFAULT;
    cap_sets(current_cred(), have);
    for (int i = 0; i < words; i++) {
        /* Linux's rules first: effective within the new permitted, no
         * permitted or inheritable bit beyond what the thread has. */
        if ((want[i].effective & ~want[i].permitted) || (want[i].permitted & ~have[i].permitted) ||
            (want[i].inheritable & ~(have[i].inheritable | have[i].permitted)))
            return -EPERM;
        if (want[i].effective != have[i].effective || want[i].permitted != have[i].permitted ||
            want[i].inheritable != have[i].inheritable)
            return -EPERM;             /* a drop bunshin cannot keep */
    }
    return 0;
}
