/* procfs.c: /proc, files whose text the kernel writes when they are opened,
 * with Linux's names and formats, so that a program reads its statistics the
 * same way on bunshin and on Linux. Each open takes a snapshot of the text;
 * reads then come from that snapshot, so a reader never sees half of one
 * state and half of another.
 *
 *   /proc/meminfo            MemTotal, MemFree, MemAvailable
 *   /proc/self               a link to the reader's own /proc/<pid>
 *   /proc/<pid>/status       Name, State, Pid, PPid, VmSize, VmRSS, ..., CowFaults
 *   /proc/<pid>/maps         one line per region
 *   /proc/<pid>/smaps_rollup Rss and Pss of the whole address space
 *   /proc/<pid>/fd/<n>       a link to what descriptor n has open
 *
 * /proc/<pid> directories are made up when looked up (and listed from the
 * process table), not kept for every process: they cost nothing until used.
 */
#include "fs/fs.h"
#include "fs/file.h"
#include "fs/procfs.h"
#include "kernel/proc.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "lib/format.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"

static struct inode *proc_root;

/* ---- /proc files: generate at open, read from the snapshot ---- */

static int proc_open(struct file *f)
{
    /* Generate into a buffer; if the text did not fit, once more with a
     * buffer of the size it said it needed. */
    uint32_t size = 1024;
    for (int attempt = 0; attempt < 2; attempt++) {
        f->text = kmalloc(size);
        if (!f->text)
            return -ENOMEM;
        int n = f->inode->generate(f->inode, f->text, size);
        if (n < 0) {
            kfree(f->text);
            f->text = 0;
            return n;
        }
        if ((uint32_t)n < size) {
            f->text_len = (uint32_t)n;
            return 0;
        }
        kfree(f->text);
        f->text = 0;
        size = (uint32_t)n + 1;
    }
    return -ENOMEM;
}

static long proc_read(struct file *f, void *buf, uint32_t n, bool user)
{
    if (f->pos >= f->text_len)
        return 0;
    uint32_t left = f->text_len - (uint32_t)f->pos;
    if (n > left)
        n = left;
    if (user) {
        if (copy_to_user((vaddr_t)buf, f->text + f->pos, n) < 0)
            return -EFAULT;
    } else {
        memcpy(buf, f->text + f->pos, n);
    }
    f->pos += n;
    return n;
}

static long proc_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    (void)f, (void)buf, (void)n, (void)user;
    return -EACCES;
}

static const struct file_ops proc_file_ops = {
    .read = proc_read,
    .write = proc_write,
    .open = proc_open,
};

struct inode *procfs_add_file(struct inode *dir, const char *name, int pid,
                              int (*gen)(struct inode *, char *, uint32_t))
{
    struct inode *ip;
    if (dir_create(dir, name, S_IFREG | 0444, &ip) < 0)
        return 0;
    ip->fops = &proc_file_ops;
    ip->generate = gen;
    ip->proc_pid = pid;
    return ip;
}

/* ---- /proc/meminfo ---- */

static int gen_meminfo(struct inode *ip, char *buf, uint32_t size)
{
    (void)ip;
    uint32_t total = frames_total() * (PAGE_SIZE / 1024);
    uint32_t free = frames_free() * (PAGE_SIZE / 1024);
    return ksnprintf(buf, size,
                     "MemTotal:       %8u kB\n"
                     "MemFree:        %8u kB\n"
                     "MemAvailable:   %8u kB\n",
                     total, free, free);
}

/* ---- /proc/self ---- */

static void self_target(struct inode *ip, char *buf, uint32_t size)
{
    (void)ip;
    ksnprintf(buf, size, "%d", current_proc()->tgid);
}

/* ---- /proc/<pid> ---- */

/* The made-up directories that exist now, so that two lookups of one pid
 * give the same inode. Each holds one reference, dropped by procfs_forget. */
struct pid_dir {
    int pid;
    struct inode *dir;
    struct pid_dir *next;
};
static struct pid_dir *pid_dirs;

/* A live process (not a thread) with this pid. */
static struct proc *process_with_pid(int pid)
{
    struct proc *p = proc_find(pid);
    if (!p || p->tgid != p->pid)
        return 0;
    return p;
}

static struct inode *make_pid_dir(int pid)
{
    struct inode *dp = inode_new(S_IFDIR | 0555);
    if (!dp)
        return 0;
    dp->nlink = 2;
    dp->parent = proc_root;
    dp->proc_pid = pid;
    if (procfs_pid_files(dp, pid) < 0) {
        dp->nlink = 0;
        inode_put(dp);
        return 0;
    }
    dp->nlink = 0;              /* no name in /proc's list: lives by references */
    return dp;
}

static bool parse_pid(const char *name, int *pid)
{
    int v = 0;
    if (!*name || *name == '0')
        return false;
    for (; *name; name++) {
        if (*name < '0' || *name > '9' || v > 10000000)
            return false;
        v = v * 10 + (*name - '0');
    }
    *pid = v;
    return true;
}

static struct inode *proc_root_lookup(struct inode *dp, const char *name)
{
    (void)dp;
    int pid;
    if (!parse_pid(name, &pid) || !process_with_pid(pid))
        return 0;
    for (struct pid_dir *d = pid_dirs; d; d = d->next)
        if (d->pid == pid)
            return inode_get(d->dir);
    struct pid_dir *d = kmalloc(sizeof *d);
    struct inode *dir = d ? make_pid_dir(pid) : 0;
    if (!dir) {
        kfree(d);
        return 0;
    }
    d->pid = pid;
    d->dir = dir;               /* the list's reference */
    d->next = pid_dirs;
    pid_dirs = d;
    return inode_get(dir);
}

/* The index-th live process, as a directory entry. */
static int proc_root_list(struct inode *dp, uint32_t index, char *name, uint32_t *ino, uint8_t *type)
{
    (void)dp;
    uint32_t seen = 0;
    for (int i = 0; i < NPROC; i++) {
        struct proc *p = &procs[i];
        if (p->state == PROC_UNUSED || p->tgid != p->pid)
            continue;
        if (seen++ == index) {
            ksnprintf(name, NAME_MAX + 1, "%d", p->pid);
            *ino = 0x10000u + (uint32_t)p->pid;
            *type = DT_DIR;
            return 1;
        }
    }
    return 0;
}

void procfs_forget(int pid)
{
    for (struct pid_dir **pp = &pid_dirs; *pp; pp = &(*pp)->next) {
        struct pid_dir *d = *pp;
        if (d->pid == pid) {
            *pp = d->next;
            inode_put(d->dir);
            kfree(d);
            return;
        }
    }
}

void procfs_init(void)
{
    if (dir_create(root_inode, "proc", S_IFDIR | 0555, &proc_root) < 0)
        panic("procfs: cannot create /proc");
    proc_root->lookup = proc_root_lookup;
    proc_root->list = proc_root_list;
    struct inode *ip = procfs_add_file(proc_root, "meminfo", 0, gen_meminfo);
    if (!ip)
        panic("procfs: cannot create /proc/meminfo");
    inode_put(ip);
    if (dir_create(proc_root, "self", S_IFLNK | 0777, &ip) < 0)
        panic("procfs: cannot create /proc/self");
    ip->link_target = self_target;
    inode_put(ip);
}
