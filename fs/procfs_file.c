/* procfs_file.c: /proc files, whose text the kernel writes when they are
 * opened. Each open takes a snapshot of the text, kept as the open file's
 * private part; reads then come from that snapshot, so a reader never sees
 * half of one state and half of another. The inode's private part says what
 * to write: the generating function and the process it is about. */
#include "fs/procfs.h"
#include "fs/file.h"
#include "fs/poll.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "lib/string.h"
#include "lib/format.h"

struct proc_file {                 /* the inode's part */
    int pid;
    int (*generate)(int pid, char *buf, uint32_t size);
    int (*store)(const char *text);    /* a setting's file: take a new value */
    /* A process's file that takes writes (comm): the text written, cut to
     * PROC_WRITE_MAX bytes; returns 0 or -errno. */
    int (*write)(int pid, const char *text, uint32_t n);
};

#define PROC_WRITE_MAX 31

struct snapshot {                  /* the open file's part */
    uint32_t len;
    char text[];
};

/* Generate the text into the open file's snapshot. */
static int proc_open(struct file *f)
{
    struct proc_file *pf = f->inode->priv;
    /* Generate into a buffer; if the text did not fit, once more with a
     * buffer of the size it said it needed. */
    uint32_t size = 1024;
    for (int attempt = 0; attempt < 2; attempt++) {
        struct snapshot *s = kmalloc(sizeof *s + size);
        if (!s)
            return -ENOMEM;
        int n = pf->generate(pf->pid, s->text, size);
        if (n < 0) {
            kfree(s);
            return n;
        }
        if ((uint32_t)n < size) {
            s->len = (uint32_t)n;
            f->priv = s;
            return 0;
        }
        kfree(s);
        size = (uint32_t)n + 1;
    }
    return -ENOMEM;
}

static long proc_read(struct file *f, void *buf, uint32_t n, bool user)
{
    struct snapshot *s = f->priv;
    if (f->pos >= s->len)
        return 0;
    uint32_t left = s->len - (uint32_t)f->pos;
    if (n > left)
        n = left;
    if (user) {
        if (copy_to_user((vaddr_t)buf, s->text + f->pos, n) < 0)
            return -EFAULT;
    } else {
        memcpy(buf, s->text + f->pos, n);
    }
    f->pos += n;
    return n;
}

/* A setting's file (/proc/sys) takes what is written as its new value, in
 * one write, as Linux's sysctl files do. Other files are not written: Linux
 * answers EIO for a file about the whole system (its proc_reg_write finds
 * no write function) and EINVAL for a file about one process (the VFS finds
 * none); so does bunshin. */
static long proc_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    struct proc_file *pf = f->inode->priv;
    if (pf->write) {
        /* Linux's comm_write reads only what it keeps, and says the whole
         * count was written. */
        char text[PROC_WRITE_MAX + 1];
        uint32_t take = n < PROC_WRITE_MAX ? n : PROC_WRITE_MAX;
        if (user) {
            if (copy_from_user(text, (vaddr_t)buf, take) < 0)
                return -EFAULT;
        } else {
            memcpy(text, buf, take);
        }
        text[take] = 0;
        int r = pf->write(pf->pid, text, take);
        return r < 0 ? r : (long)n;
    }
    if (!pf->store)
        return pf->pid ? -EINVAL : -EIO;
    char text[32];
    if (n >= sizeof text)
        return -EINVAL;
    if (user) {
        if (copy_from_user(text, (vaddr_t)buf, n) < 0)
            return -EFAULT;
    } else {
        memcpy(text, buf, n);
    }
    text[n] = 0;
    int r = pf->store(text);
    return r < 0 ? r : (long)n;
}

static void proc_release(struct file *f)
{
    kfree(f->priv);
}

/* lseek(SEEK_END) goes to the end of the snapshot. */
static uint64_t proc_size(struct file *f)
{
    struct snapshot *s = f->priv;
    return s->len;
}

void procfs_put(char *buf, uint32_t size, uint32_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    uint32_t room = *n < size ? size - *n : 0;
    *n += (uint32_t)kvsnprintf(room ? buf + *n : 0, room, fmt, ap);
    va_end(ap);
}

static const struct file_ops proc_file_ops = {
    .read = proc_read,
    .write = proc_write,
    .open = proc_open,
    .release = proc_release,
    .size = proc_size,
    .poll = file_poll_ready,           /* a snapshot: reading never waits */
};

/* truncate(2) of a /proc file: Linux accepts it (root may), and it changes
 * nothing, as here. */
static int proc_truncate(struct inode *ip, uint64_t size)
{
    (void)ip, (void)size;
    return 0;
}

/* chmod: a file about the whole system takes the new mode, as on Linux; one
 * about a process refuses, as Linux's /proc/<pid> files do. */
static int proc_chmod(struct inode *ip, uint32_t mode)
{
    struct proc_file *pf = ip->priv;
    if (pf->pid)
        return -EPERM;
    ip->mode = (ip->mode & S_IFMT) | (mode & 07777);
    return 0;
}

static const struct inode_ops proc_inode_ops = {
    .truncate = proc_truncate,
    .chmod = proc_chmod,
};

struct inode *procfs_setting_new(int (*gen)(int pid, char *buf, uint32_t size),
                                 int (*store)(const char *text))
{
    struct inode *ip = procfs_file_new(0, gen);
    if (ip) {
        ((struct proc_file *)ip->priv)->store = store;
        ip->mode = S_IFREG | 0644;
    }
    return ip;
}

struct inode *procfs_writable_new(int pid, int (*gen)(int pid, char *buf, uint32_t size),
                                  int (*write)(int pid, const char *text, uint32_t n))
{
    struct inode *ip = procfs_file_new(pid, gen);
    if (ip) {
        ((struct proc_file *)ip->priv)->write = write;
        ip->mode = S_IFREG | 0644;
    }
    return ip;
}

struct inode *procfs_file_new(int pid, int (*gen)(int pid, char *buf, uint32_t size))
{
    struct inode *ip = procfs_inode_new(S_IFREG | 0444, &proc_inode_ops, sizeof(struct proc_file));
    if (!ip)
        return 0;
    struct proc_file *pf = ip->priv;
    pf->pid = pid;
    pf->generate = gen;
    ip->fops = &proc_file_ops;
    return ip;
}
