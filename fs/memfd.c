/* memfd.c: memfd_create(2): a file that lives only in memory and has no
 * name in any directory, open on a new descriptor. A process maps it
 * MAP_SHARED and hands the descriptor to a child (fork, or a socket): the
 * same pages in both, with no name anyone else could open. /proc shows it as
 * "/memfd:NAME (deleted)", as Linux does. */
#include "fs/memfd.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "mm/usercopy.h"
#include "lib/format.h"
#include "linux/errno.h"
#include "linux/limits.h"

#define MFD_CLOEXEC       0x0001u
#define MFD_ALLOW_SEALING 0x0002u
#define MFD_HUGETLB       0x0004u
#define MFD_NOEXEC_SEAL   0x0008u
#define MFD_EXEC          0x0010u
#define MFD_NAME_MAX      (NAME_MAX - 6)   /* the name after "memfd:" */

/* memfd_create(name, flags): the new descriptor, or -EINVAL (unknown
 * flags, a name too long), -EFAULT, -EMFILE, -ENOMEM. */
long sys_memfd_create(struct trapframe *tf)
{
    uint32_t flags = tf->ecx;
    char name[MFD_NAME_MAX + 1], path[MFD_NAME_MAX + 16];
    if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL | MFD_EXEC))
        return -EINVAL;                    /* MFD_HUGETLB: no huge pages here */
    if ((flags & MFD_NOEXEC_SEAL) && (flags & MFD_EXEC))
        return -EINVAL;
    int n = strncpy_from_user(name, tf->ebx, sizeof name);
    if (n < 0)
        return n == -ENAMETOOLONG ? -EINVAL : n;
    ksnprintf(path, sizeof path, "/memfd:%s", name);
    struct file *f;
    int r = anon_file_open(0, path, &f);
    if (r < 0)
        return r;
    r = fd_install(current_proc()->files, f, 0, rlimit_nofile(current_proc()), (flags & MFD_CLOEXEC) != 0);
    if (r < 0)
        file_put(f);
    return r;
}
