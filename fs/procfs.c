/* procfs.c: /proc, files whose text the kernel writes when they are opened,
 * with Linux's names and formats, so that a program reads its statistics the
 * same way on bunshin and on Linux. Each open takes a snapshot of the text;
 * reads then come from that snapshot, so a reader never sees half of one
 * state and half of another. */
#include "fs/fs.h"
#include "fs/file.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "errno.h"
#include "format.h"
#include "param.h"
#include "printk.h"
#include "string.h"

#define PROC_TEXT_MAX 4096

static int gen_meminfo(char *buf, uint32_t size)
{
    uint32_t total = frames_total() * (PAGE_SIZE / 1024);
    uint32_t free = frames_free() * (PAGE_SIZE / 1024);
    return ksnprintf(buf, size,
                     "MemTotal:       %8u kB\n"
                     "MemFree:        %8u kB\n"
                     "MemAvailable:   %8u kB\n",
                     total, free, free);
}

static int proc_open(struct file *f)
{
    f->text = kmalloc(PROC_TEXT_MAX);
    if (!f->text)
        return -ENOMEM;
    int n = f->inode->generate(f->text, PROC_TEXT_MAX);
    if (n < 0) {
        kfree(f->text);
        f->text = 0;
        return n;
    }
    f->text_len = (uint32_t)n < PROC_TEXT_MAX ? (uint32_t)n : PROC_TEXT_MAX - 1;
    return 0;
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

static void add_proc_file(struct inode *dir, const char *name, int (*gen)(char *, uint32_t))
{
    struct inode *ip;
    if (dir_create(dir, name, S_IFREG | 0444, &ip) < 0)
        panic("procfs: cannot create %s", name);
    ip->fops = &proc_file_ops;
    ip->generate = gen;
    inode_put(ip);
}

void procfs_init(void)
{
    struct inode *proc;
    if (dir_create(root_inode, "proc", S_IFDIR | 0555, &proc) < 0)
        panic("procfs: cannot create /proc");
    add_proc_file(proc, "meminfo", gen_meminfo);
    inode_put(proc);
}
