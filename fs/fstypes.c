/* fstypes.c: the kinds of file system the kernel has, in one list that
 * /proc/filesystems shows (fs/procfs_system.c) and sysfs(2) numbers: all
 * in memory ("nodev"): the root's, /proc, /dev, pipes' own, and the ones
 * mount(2) makes (fs/mount.c). */
#include "fs/fstypes.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "lib/string.h"

static const char *const fs_type_names[] = {
    "rootfs", "proc", "devtmpfs", "pipefs", "tmpfs", "ramfs",
};
#define NFSTYPES (int)(sizeof fs_type_names / sizeof fs_type_names[0])

int fs_type_count(void)
{
    return NFSTYPES;
}

const char *fs_type_name(int i)
{
    return i >= 0 && i < NFSTYPES ? fs_type_names[i] : 0;
}

/* The sysfs(2) options (Linux's fs/filesystems.c). */
#define SYSFS_INDEX_OF_NAME 1
#define SYSFS_NAME_OF_INDEX 2
#define SYSFS_COUNT         3

/* Longest name the index lookup reads, as Linux's getname (PATH_MAX). */
#define FSNAME_MAX 4096

/* sysfs(1, name): the index of kind name, EINVAL if none; EFAULT,
 * ENAMETOOLONG, ENOENT for an empty name (getname's answers). */
static long index_of_name(vaddr_t uname)
{
    static char name[FSNAME_MAX];      /* one CPU, no sleep while in use */
    int len = strncpy_from_user(name, uname, sizeof name);
    if (len < 0)
        return len;
    if (len == 0)
        return -ENOENT;
    for (int i = 0; i < NFSTYPES; i++)
        if (strcmp(fs_type_names[i], name) == 0)
            return i;
    return -EINVAL;
}

/* sysfs(2, index, buf): kind index's name, NUL-terminated, to buf; EINVAL
 * for an index past the list, EFAULT. */
static long name_of_index(uint32_t index, vaddr_t buf)
{
    const char *name = fs_type_name(index < (uint32_t)NFSTYPES ? (int)index : -1);
    if (!name)
        return -EINVAL;
    return copy_to_user(buf, name, (uint32_t)strlen(name) + 1) < 0 ? -EFAULT : 0;
}

/* sysfs(option, arg1, arg2): options 1 to 3, else EINVAL. */
long sys_sysfs(struct trapframe *tf)
{
    switch (tf->ebx) {
    case SYSFS_INDEX_OF_NAME:
        return index_of_name(tf->ecx);
    case SYSFS_NAME_OF_INDEX:
        return name_of_index(tf->ecx, tf->edx);
    case SYSFS_COUNT:
        return NFSTYPES;
    default:
        return -EINVAL;
    }
}
