/* sys_mount.c: mount, umount, umount2, chroot and pivot_root: the
 * arguments copied in, and the work done by fs/mount.c (the mount table)
 * or here (chroot: the process's root, in its fs_info). */
#include "fs/sys_mount.h"
#include "fs/mount.h"
#include "fs/sys_common.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "param.h"

/* A string argument that may be NULL: *out is NULL for a NULL pointer,
 * else a kmalloc'd copy (at most PATH_MAX bytes, as Linux's page). */
static int get_optional(vaddr_t u, char **out)
{
    *out = 0;
    return u ? get_path(u, out) : 0;
}

/* mount(source, target, type, flags, data) */
long sys_mount(struct trapframe *tf)
{
    char *source = 0, *target = 0, *type = 0, *data = 0;
    int r;
    if ((r = get_optional(tf->ebx, &source)) < 0 || (r = get_path(tf->ecx, &target)) < 0 ||
        (r = get_optional(tf->edx, &type)) < 0 || (r = get_optional(tf->edi, &data)) < 0)
        goto out;
    r = do_mount(source, target, type, tf->esi, data);
out:
    kfree(source);
    kfree(target);
    kfree(type);
    kfree(data);
    return r;
}

static long umount_path(vaddr_t upath, uint32_t flags)
{
    char *target;
    int r = get_path(upath, &target);
    if (r < 0)
        return r;
    r = do_umount(target, flags);
    kfree(target);
    return r;
}

/* umount(target): umount2 with no flags (Linux's oldumount). */
long sys_umount(struct trapframe *tf)
{
    return umount_path(tf->ebx, 0);
}

/* umount2(target, flags) */
long sys_umount2(struct trapframe *tf)
{
    return umount_path(tf->ebx, tf->ecx);
}

/* chroot(path): the caller's root (and every process sharing its fs_info)
 * becomes path's directory; the current directory stays, as on Linux.
 * Linux's order: the lookup (ENOENT, ENOTDIR), search permission
 * (EACCES), then the privilege (EPERM). */
long sys_chroot(struct trapframe *tf)
{
    struct inode *ip;
    int r = lookup_at(AT_FDCWD, tf->ebx, true, &ip);
    if (r < 0)
        return r;
    if (!S_ISDIR(ip->mode))
        r = -ENOTDIR;
    else if ((r = inode_permission(ip, MAY_EXEC)) == 0 && !cred_privileged(current_cred()))
        r = -EPERM;
    if (r < 0) {
        inode_put(ip);
        return r;
    }
    struct fs_info *fs = current_proc()->fs;
    inode_put(fs->root);
    fs->root = ip;
    return 0;
}

/* pivot_root(new_root, put_old): bunshin's root is the initramfs rootfs,
 * which Linux refuses to move. Its checks, in its order: EPERM for the
 * unprivileged, the two lookups, EBUSY when either is on the root's own
 * file system, then EINVAL (the root is the absolute root). */
long sys_pivot_root(struct trapframe *tf)
{
    if (!cred_privileged(current_cred()))
        return -EPERM;
    struct inode *a, *b;
    int r = lookup_at(AT_FDCWD, tf->ebx, true, &a);
    if (r < 0)
        return r;
    r = lookup_at(AT_FDCWD, tf->ecx, true, &b);
    if (r < 0) {
        inode_put(a);
        return r;
    }
    r = mount_on_root_fs(a) || mount_on_root_fs(b) ? -EBUSY : -EINVAL;
    inode_put(b);
    inode_put(a);
    return r;
}
