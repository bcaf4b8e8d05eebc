/* dev.c: /dev, the device files: console, tty, tty1, ptmx, null, zero, full,
 * random and urandom (and
 * the directory pts, whose nodes drivers/pty.c adds and removes), and the
 * links fd, stdin, stdout and stderr into /proc/self/fd. A device file
 * is an inode with a device number (rdev) whose file_ops are the driver's; it
 * has no private part and no inode_ops of its own: everything it does, it
 * does as an open file. */
#include "fs/fs.h"
#include "fs/file.h"
#include "fs/ramfs.h"
#include "ipc/mqueue.h"
#include "drivers/tty.h"
#include "kernel/random.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "printk.h"
#include "lib/string.h"

static long null_read(struct file *f, void *buf, uint32_t n, bool user)
{
    (void)f, (void)buf, (void)n, (void)user;
    return 0;                                   /* always at end of file */
}

static long null_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    (void)f, (void)buf, (void)user;
    return n;                                   /* swallows everything */
}

static long zero_read(struct file *f, void *buf, uint32_t n, bool user)
{
    (void)f;
    static const uint8_t zeros[256];
    uint32_t done = 0;
    while (done < n) {
        uint32_t chunk = n - done < sizeof zeros ? n - done : sizeof zeros;
        if (user) {
            if (copy_to_user((vaddr_t)buf + done, zeros, chunk) < 0)
                return done ? (long)done : -EFAULT;
        } else {
            memset((uint8_t *)buf + done, 0, chunk);
        }
        done += chunk;
    }
    return done;
}

/* /dev/full: reads as /dev/zero, and every write finds the disk full. */
static long full_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    (void)f, (void)buf, (void)n, (void)user;
    return -ENOSPC;
}

/* /dev/random and /dev/urandom: the kernel's random bytes (kernel/random.c,
 * which getrandom gives too), never waiting, as Linux's since 5.6 once its
 * pool is ready. A write is taken and dropped (Linux mixes it in, with no
 * credit either). */
static long random_read(struct file *f, void *buf, uint32_t n, bool user)
{
    (void)f;
    uint8_t chunk_buf[256];
    uint32_t done = 0;
    while (done < n) {
        uint32_t chunk = n - done < sizeof chunk_buf ? n - done : sizeof chunk_buf;
        if (user) {
            random_bytes(chunk_buf, chunk);
            if (copy_to_user((vaddr_t)buf + done, chunk_buf, chunk) < 0)
                return done ? (long)done : -EFAULT;
        } else {
            random_bytes((uint8_t *)buf + done, chunk);
        }
        done += chunk;
    }
    return done;
}

/* None ever makes a reader or a writer wait: no poll operation, so poll
 * finds them always ready and epoll_ctl refuses them (EPERM), as Linux's
 * /dev/null and /dev/zero, which have none either. */
static const struct file_ops null_ops = {
    .read = null_read, .write = null_write,
};
static const struct file_ops zero_ops = {
    .read = zero_read, .write = null_write,
};
static const struct file_ops full_ops = {
    .read = zero_read, .write = full_write,
};
static const struct file_ops random_ops = {
    .read = random_read, .write = null_write,
};

/* Linux's device numbers, so that stat shows the same as on Linux. */
#define MKDEV(major, minor) (((major) << 8) | (minor))

bool inode_is_dev_zero(const struct inode *ip)
{
    return S_ISCHR(ip->mode) && ip->rdev == MKDEV(1, 5);
}

/* A device inode has nothing of its own to look up, store or free: every
 * function of its table is NULL, and its file_ops do all the work. */
static const struct inode_ops device_inode_ops = { 0 };

int devfs_add(struct inode *dir, const char *name, uint32_t mode, uint32_t rdev,
              const struct file_ops *ops)
{
    struct inode *ip = inode_new(mode, &device_inode_ops, 0);
    if (!ip)
        return -ENOMEM;
    ip->rdev = rdev;
    ip->dev = FS_DEV_DEV;
    ip->fops = ops;
    int r = dir_add_kernel(dir, name, ip);   /* the kernel's own name: no permission check */
    inode_put(ip);                         /* the name holds it now (or it goes) */
    return r;
}

static void add_device(struct inode *dev, const char *name, uint32_t rdev,
                       const struct file_ops *ops)
{
    if (devfs_add(dev, name, S_IFCHR | 0666, rdev, ops) < 0)
        panic("cannot create /dev/%s", name);
}

/* /dev/NAME, a symbolic link to target. */
static void add_link(struct inode *dev, const char *name, const char *target)
{
    struct inode *ip = ramfs_symlink_new(target);
    if (!ip || dir_add_kernel(dev, name, ip) < 0)
        panic("cannot create /dev/%s", name);
    ip->dev = FS_DEV_DEV;
    inode_put(ip);
}

void devfs_init(void)
{
    struct inode *dev;
    if (dir_create(root_inode, "dev", S_IFDIR | 0755, &dev) < 0)
        panic("cannot create /dev");
    dev->dev = FS_DEV_DEV;                 /* a file system of its own, as on Linux */
    add_device(dev, "console", MKDEV(5, 1), &tty_ops);
    add_device(dev, "tty", MKDEV(5, 0), &tty_ops);
    add_device(dev, "tty1", MKDEV(4, 1), &tty_ops);
    add_device(dev, "ptmx", MKDEV(5, 2), &tty_ops);
    pty_init(dev);
    add_device(dev, "null", MKDEV(1, 3), &null_ops);
    add_device(dev, "zero", MKDEV(1, 5), &zero_ops);
    add_device(dev, "full", MKDEV(1, 7), &full_ops);
    add_device(dev, "random", MKDEV(1, 8), &random_ops);
    add_device(dev, "urandom", MKDEV(1, 9), &random_ops);
    /* What a Linux system's /dev has besides its devices (udev makes them):
     * bash's process substitution <(...) names a pipe /dev/fd/63, and
     * /proc/self/fd/63 opens that pipe again (fs/procfs_fd.c). */
    add_link(dev, "fd", "/proc/self/fd");
    add_link(dev, "stdin", "/proc/self/fd/0");
    add_link(dev, "stdout", "/proc/self/fd/1");
    add_link(dev, "stderr", "/proc/self/fd/2");
    /* /dev/shm: where POSIX shared memory objects live (shm_open is open
     * of /dev/shm/NAME in the C library). Linux mounts a tmpfs there; here
     * it is an in-memory directory like any other, writable by all and
     * sticky, as on Linux. */
    struct inode *shm;
    if (dir_create(dev, "shm", S_IFDIR | 01777, &shm) < 0)
        panic("cannot create /dev/shm");
    shm->mode = S_IFDIR | 01777;
    inode_put(shm);
    mqueue_dir_init(dev);                  /* /dev/mqueue (ipc/mqueue.c) */
    inode_put(dev);
}
