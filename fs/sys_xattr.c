/* sys_xattr.c: setxattr, getxattr, listxattr, removexattr, each in three
 * forms: by path (following a final symbolic link), l* by path (not
 * following it: the link's own attributes), f* by descriptor. They copy
 * names and values between user memory and kernel buffers and leave the
 * rules to fs/xattr.c. As Linux, the arguments are checked before the file
 * is looked up: bad flags EINVAL, a bad name ERANGE, a value too big E2BIG. */
#include "fs/sys_xattr.h"
#include "fs/sys_common.h"
#include "fs/xattr.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/limits.h"
#include "linux/xattr.h"

enum how { BY_PATH, BY_LINK, BY_FD };

/* The inode a call names: by path (upath_or_fd a user address) or by
 * descriptor. *out gets a reference. 0, -EBADF, or namei's errors. */
static int target(enum how how, uint32_t upath_or_fd, struct inode **out)
{
    if (how != BY_FD)
        return lookup_at(AT_FDCWD, upath_or_fd, how == BY_PATH, out);
    struct file *f = fd_lookup(fds(), (int)upath_or_fd);
    if (!f)
        return -EBADF;
    *out = inode_get(f->inode);
    return 0;
}

/* Copy an attribute name from user memory: 1..XATTR_NAME_MAX bytes, else
 * ERANGE (Linux's answer for both empty and too long), or EFAULT. */
static int get_name(vaddr_t uname, char name[XATTR_NAME_MAX + 1])
{
    int n = strncpy_from_user(name, uname, XATTR_NAME_MAX + 1);
    if (n == -ENAMETOOLONG || n == 0)
        return -ERANGE;
    return n < 0 ? n : 0;
}

static long do_setxattr(enum how how, uint32_t where, vaddr_t uname, vaddr_t uvalue,
                        uint32_t size, uint32_t flags)
{
    if (flags & ~(uint32_t)(XATTR_CREATE | XATTR_REPLACE))
        return -EINVAL;
    char name[XATTR_NAME_MAX + 1];
    int r = get_name(uname, name);
    if (r < 0)
        return r;
    if (size > XATTR_SIZE_MAX)
        return -E2BIG;
    char *value = kmalloc(size ? size : 1);
    if (!value)
        return -ENOMEM;
    struct inode *ip;
    if ((r = copy_from_user(value, uvalue, size)) == 0 && (r = target(how, where, &ip)) == 0) {
        r = xattr_set(ip, name, value, size, (int)flags);
        inode_put(ip);
    }
    kfree(value);
    return r;
}

static long do_getxattr(enum how how, uint32_t where, vaddr_t uname, vaddr_t ubuf,
                        uint32_t size)
{
    char name[XATTR_NAME_MAX + 1];
    int r = get_name(uname, name);
    if (r < 0)
        return r;
    if (size > XATTR_SIZE_MAX)
        size = XATTR_SIZE_MAX;     /* no value is longer (Linux does the same) */
    char *buf = size ? kmalloc(size) : 0;
    if (size && !buf)
        return -ENOMEM;
    struct inode *ip;
    long n = target(how, where, &ip);
    if (n == 0) {
        n = xattr_get(ip, name, buf, size);
        inode_put(ip);
    }
    if (n > 0 && size && copy_to_user(ubuf, buf, (uint32_t)n) < 0)
        n = -EFAULT;
    kfree(buf);
    return n;
}

static long do_listxattr(enum how how, uint32_t where, vaddr_t ubuf, uint32_t size)
{
    if (size > XATTR_LIST_MAX)
        size = XATTR_LIST_MAX;
    char *buf = size ? kmalloc(size) : 0;
    if (size && !buf)
        return -ENOMEM;
    struct inode *ip;
    long n = target(how, where, &ip);
    if (n == 0) {
        n = xattr_list(ip, buf, size);
        inode_put(ip);
    }
    if (n > 0 && size && copy_to_user(ubuf, buf, (uint32_t)n) < 0)
        n = -EFAULT;
    kfree(buf);
    return n;
}

static long do_removexattr(enum how how, uint32_t where, vaddr_t uname)
{
    char name[XATTR_NAME_MAX + 1];
    int r = get_name(uname, name);
    if (r < 0)
        return r;
    struct inode *ip;
    if ((r = target(how, where, &ip)) == 0) {
        r = xattr_remove(ip, name);
        inode_put(ip);
    }
    return r;
}

long sys_setxattr(struct trapframe *tf)
{
    return do_setxattr(BY_PATH, tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi);
}

long sys_lsetxattr(struct trapframe *tf)
{
    return do_setxattr(BY_LINK, tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi);
}

long sys_fsetxattr(struct trapframe *tf)
{
    return do_setxattr(BY_FD, tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi);
}

long sys_getxattr(struct trapframe *tf)
{
    return do_getxattr(BY_PATH, tf->ebx, tf->ecx, tf->edx, tf->esi);
}

long sys_lgetxattr(struct trapframe *tf)
{
    return do_getxattr(BY_LINK, tf->ebx, tf->ecx, tf->edx, tf->esi);
}

long sys_fgetxattr(struct trapframe *tf)
{
    return do_getxattr(BY_FD, tf->ebx, tf->ecx, tf->edx, tf->esi);
}

long sys_listxattr(struct trapframe *tf)
{
    return do_listxattr(BY_PATH, tf->ebx, tf->ecx, tf->edx);
}

long sys_llistxattr(struct trapframe *tf)
{
    return do_listxattr(BY_LINK, tf->ebx, tf->ecx, tf->edx);
}

long sys_flistxattr(struct trapframe *tf)
{
    return do_listxattr(BY_FD, tf->ebx, tf->ecx, tf->edx);
}

long sys_removexattr(struct trapframe *tf)
{
    return do_removexattr(BY_PATH, tf->ebx, tf->ecx);
}

long sys_lremovexattr(struct trapframe *tf)
{
    return do_removexattr(BY_LINK, tf->ebx, tf->ecx);
}

long sys_fremovexattr(struct trapframe *tf)
{
    return do_removexattr(BY_FD, tf->ebx, tf->ecx);
}
