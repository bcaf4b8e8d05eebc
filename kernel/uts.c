/* uts.c: the host name ("bunshin" at boot) and the NIS domain name
 * ("(none)"), which uname, /proc/sys/kernel/hostname and domainname show,
 * and sethostname and setdomainname change. One pair for the whole system:
 * bunshin has no UTS namespaces. Linux's rules (kernel/sys.c): privilege
 * first (EPERM), then a length of 0..64 (EINVAL), then the bytes (EFAULT);
 * the name is exactly those bytes, NUL-terminated. */
#include "kernel/uts.h"
#include "kernel/cred.h"
#include "kernel/sys_proc.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/utsname.h"
#include "lib/string.h"

static char nodename[__NEW_UTS_LEN + 1] = UTS_NODENAME;
static char domainname[__NEW_UTS_LEN + 1] = "(none)";

const char *uts_nodename(void)
{
    return nodename;
}

const char *uts_domainname(void)
{
    return domainname;
}

static long set_name(char *name, vaddr_t uname, int len)
{
    if (!cred_privileged(current_cred()))
        return -EPERM;
    if (len < 0 || len > __NEW_UTS_LEN)
        return -EINVAL;
    char tmp[__NEW_UTS_LEN + 1];
    memset(tmp, 0, sizeof tmp);
    if (copy_from_user(tmp, uname, (uint32_t)len) < 0)
        return -EFAULT;
    memcpy(name, tmp, sizeof tmp);
    return 0;
}

long sys_sethostname(struct trapframe *tf)
{
    return set_name(nodename, tf->ebx, (int)tf->ecx);
}

long sys_setdomainname(struct trapframe *tf)
{
    return set_name(domainname, tf->ebx, (int)tf->ecx);
}
