/* sys_common.c: what the file-system calls share: the caller's descriptor
 * table, paths copied in from user memory, the start of *at() lookups. */
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/sys_common.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "param.h"
#include "lib/string.h"

struct fdtable *fds(void)
{
    return current_proc()->files;
}

int fd_limit(void)
{
    return rlimit_nofile(current_proc());
}

/* Copy a path from user memory into a kmalloc'd buffer (freed by the caller). */
int get_path(vaddr_t upath, char **out)
{
    char *buf = kmalloc(PATH_MAX);
    if (!buf)
        return -ENOMEM;
    int r = strncpy_from_user(buf, upath, PATH_MAX);
    if (r < 0) {
        kfree(buf);
        return r;
    }
    *out = buf;
    return 0;
}

/* The directory a *at() call starts from: the cwd for AT_FDCWD, else the
 * directory open on dirfd. Returns a borrowed pointer (NULL = cwd). */
int at_start(int dirfd, const char *path, struct inode **start)
{
    *start = 0;
    if (path[0] == 0)
        return -ENOENT;            /* Linux reads the path first: "" is ENOENT
                                      whatever dirfd is (AT_EMPTY_PATH callers
                                      look at dirfd before coming here) */
    if (path[0] == '/' || dirfd == AT_FDCWD)
        return 0;
    struct file *f = fd_lookup(fds(), dirfd);
    if (!f)
        return -EBADF;
    if (!S_ISDIR(f->inode->mode))
        return -ENOTDIR;
    *start = f->inode;
    return 0;
}


int lookup_at(int dirfd, vaddr_t upath, bool follow, struct inode **out)
{
    char *path;
    struct inode *start;
    int r = get_path(upath, &path);
    if (r < 0)
        return r;
    if ((r = at_start(dirfd, path, &start)) == 0)
        r = namei(start, path, follow, out);
    kfree(path);
    return r;
}

int parent_at(int dirfd, vaddr_t upath, struct inode **dir, char *name)
{
    char *path;
    struct inode *start;
    int r = get_path(upath, &path);
    if (r < 0)
        return r;
    if ((r = at_start(dirfd, path, &start)) == 0)
        r = namei_parent(start, path, dir, name);
    kfree(path);
    return r;
}
