/* procfs_sys.c: /proc/sys, the kernel's settings as files (Linux's sysctl).
 *
 *   /proc/sys/vm/overcommit_memory   0 heuristic, 1 always, 2 never
 *   /proc/sys/vm/overcommit_ratio    per cent of memory under mode 2
 *   /proc/sys/kernel/pid_max         pids are below it (read only here)
 *   /proc/sys/kernel/ostype, osrelease, hostname, domainname   what uname says
 *   /proc/sys/kernel/random/boot_id  a random UUID, the same until reboot
 *   /proc/sys/kernel/random/uuid     a new random UUID at each read
 *   /proc/sys/fs/inotify/max_queued_events, max_user_instances,
 *                        max_user_watches   inotify's limits (read only here)
 *   /proc/sys/fs/mqueue/msg_max, msgsize_max, msg_default, msgsize_default,
 *                       queues_max          POSIX message queues' (read only here)
 *
 * Reading a file gives the value in force, a line with a number; writing a
 * number sets it (root only on Linux; every process is root here). A
 * directory here is a fixed list of names. */
#include "fs/procfs.h"
#include "fs/inotify.h"
#include "ipc/mqueue.h"
#include "mm/commit.h"
#include "kernel/proc.h"
#include "kernel/random.h"
#include "kernel/sys_proc.h"
#include "kernel/uts.h"
#include "lib/format.h"
#include "linux/errno.h"
#include "lib/string.h"
#include "printk.h"

/* A sysctl integer, as Linux's proc_dointvec reads one: optional blanks,
 * an optional sign, digits, then only blanks or a newline. */
static int parse_int(const char *text, int *out)
{
    while (*text == ' ' || *text == '\t')
        text++;
    bool neg = *text == '-';
    if (*text == '-' || *text == '+')
        text++;
    if (*text < '0' || *text > '9')
        return -EINVAL;
    long v = 0;
    while (*text >= '0' && *text <= '9') {
        v = v * 10 + (*text++ - '0');
        if (v > 0x7FFFFFFF)
            return -EINVAL;
    }
    while (*text == ' ' || *text == '\t' || *text == '\n')
        text++;
    if (*text)
        return -EINVAL;
    *out = neg ? (int)-v : (int)v;
    return 0;
}

static int gen_overcommit_memory(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%d\n", (int)overcommit_mode);
}

static int store_overcommit_memory(const char *text)
{
    int v;
    if (parse_int(text, &v) < 0 || v < 0 || v > 2)
        return -EINVAL;
    overcommit_mode = (enum overcommit_mode)v;
    return 0;
}

static int gen_overcommit_ratio(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%u\n", overcommit_ratio);
}

static int store_overcommit_ratio(const char *text)
{
    int v;
    if (parse_int(text, &v) < 0 || v < 0)
        return -EINVAL;
    overcommit_ratio = (uint32_t)v;
    return 0;
}

/* ---- /proc/sys/kernel ---- */

static int gen_pid_max(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%d\n", PID_MAX);
}

static int gen_ostype(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%s\n", UTS_SYSNAME);
}

static int gen_osrelease(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%s\n", UTS_RELEASE);
}

static int gen_hostname(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%s\n", uts_nodename());
}

static int gen_domainname(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%s\n", uts_domainname());
}

/* A random (version 4) UUID as Linux prints one: 8-4-4-4-12 hex digits. */
static int put_uuid(const uint8_t u[16], char *buf, uint32_t size)
{
    uint32_t n = 0;
    for (int i = 0; i < 16; i++)
        procfs_put(buf, size, &n, (i == 4 || i == 6 || i == 8 || i == 10) ? "-%02x" : "%02x",
                   u[i]);
    procfs_put(buf, size, &n, "\n");
    return (int)n;
}

static void random_uuid(uint8_t u[16])
{
    random_bytes(u, 16);
    u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);   /* version 4: random */
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);   /* the RFC 4122 variant */
}

static int gen_boot_id(int pid, char *buf, uint32_t size)
{
    (void)pid;
    static uint8_t boot_id[16];
    static bool made;
    if (!made) {                       /* at the first read: random enough by then */
        random_uuid(boot_id);
        made = true;
    }
    return put_uuid(boot_id, buf, size);
}

static int gen_uuid(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint8_t u[16];
    random_uuid(u);
    return put_uuid(u, buf, size);
}

/* ---- /proc/sys/fs/inotify ---- */

static int gen_inotify_queued(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%d\n", INOTIFY_MAX_QUEUED_EVENTS);
}

static int gen_inotify_instances(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%d\n", INOTIFY_MAX_USER_INSTANCES);
}

static int gen_inotify_watches(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%d\n", INOTIFY_MAX_USER_WATCHES);
}

/* ---- /proc/sys/fs/mqueue ---- */

static int gen_mq_msg_max(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%d\n", MQ_MSG_MAX);
}

static int gen_mq_msgsize_max(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%d\n", MQ_MSGSIZE_MAX);
}

static int gen_mq_msg_default(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%d\n", MQ_MSG_DEFAULT);
}

static int gen_mq_msgsize_default(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%d\n", MQ_MSGSIZE_DEFAULT);
}

static int gen_mq_queues_max(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%d\n", MQ_QUEUES_MAX);
}

/* ---- fixed directories ---- */

#define DIR_MAX 6

struct fixed_dir {
    struct inode *parent;          /* a reference */
    uint32_t n;
    const char *names[DIR_MAX];
    struct inode *child[DIR_MAX];  /* references */
};

static struct inode *fixed_lookup(struct inode *dp, const char *name)
{
    struct fixed_dir *d = dp->priv;
    if (strcmp(name, "..") == 0)
        return inode_get(d->parent);
    for (uint32_t i = 0; i < d->n; i++)
        if (strcmp(name, d->names[i]) == 0)
            return inode_get(d->child[i]);
    return 0;
}

static int fixed_readdir(struct inode *dp, uint32_t index, struct dir_entry *out)
{
    struct fixed_dir *d = dp->priv;
    if (index >= d->n)
        return 0;
    strlcpy(out->name, d->names[index], sizeof out->name);
    out->ino = d->child[index]->ino;
    out->type = dirent_type(d->child[index]->mode);
    return 1;
}

static const struct inode_ops fixed_dir_ops = {
    .lookup = fixed_lookup,
    .readdir = fixed_readdir,
};

struct inode *procfs_dir_new(struct inode *parent)
{
    struct inode *dp = procfs_inode_new(S_IFDIR | 0555, &fixed_dir_ops, sizeof(struct fixed_dir));
    if (dp) {
        ((struct fixed_dir *)dp->priv)->parent = inode_get(parent);
        dp->nlink = 2;
    }
    return dp;
}

void procfs_dir_add(struct inode *dp, const char *name, struct inode *ip)
{
    struct fixed_dir *d = dp->priv;
    if (!ip || d->n == DIR_MAX)
        panic("procfs: cannot make %s", name);
    d->names[d->n] = name;
    d->child[d->n++] = ip;
    ip->nlink = S_ISDIR(ip->mode) ? 2 : 1;
}

struct inode *procfs_sys_dir_new(struct inode *parent)
{
    struct inode *sys = procfs_dir_new(parent);
    if (!sys)
        return 0;
    struct inode *vm = procfs_dir_new(sys);
    procfs_dir_add(sys, "vm", vm);
    procfs_dir_add(vm, "overcommit_memory",
                   procfs_setting_new(gen_overcommit_memory, store_overcommit_memory));
    procfs_dir_add(vm, "overcommit_ratio",
                   procfs_setting_new(gen_overcommit_ratio, store_overcommit_ratio));
    struct inode *kernel = procfs_dir_new(sys);
    procfs_dir_add(sys, "kernel", kernel);
    procfs_dir_add(kernel, "pid_max", procfs_file_new(0, gen_pid_max));
    procfs_dir_add(kernel, "ostype", procfs_file_new(0, gen_ostype));
    procfs_dir_add(kernel, "osrelease", procfs_file_new(0, gen_osrelease));
    procfs_dir_add(kernel, "hostname", procfs_file_new(0, gen_hostname));
    procfs_dir_add(kernel, "domainname", procfs_file_new(0, gen_domainname));
    struct inode *random = procfs_dir_new(kernel);
    procfs_dir_add(kernel, "random", random);
    procfs_dir_add(random, "boot_id", procfs_file_new(0, gen_boot_id));
    procfs_dir_add(random, "uuid", procfs_file_new(0, gen_uuid));
    struct inode *fs = procfs_dir_new(sys);
    procfs_dir_add(sys, "fs", fs);
    struct inode *inotify = procfs_dir_new(fs);
    procfs_dir_add(fs, "inotify", inotify);
    procfs_dir_add(inotify, "max_queued_events", procfs_file_new(0, gen_inotify_queued));
    procfs_dir_add(inotify, "max_user_instances", procfs_file_new(0, gen_inotify_instances));
    procfs_dir_add(inotify, "max_user_watches", procfs_file_new(0, gen_inotify_watches));
    struct inode *mqueue = procfs_dir_new(fs);
    procfs_dir_add(fs, "mqueue", mqueue);
    procfs_dir_add(mqueue, "msg_max", procfs_file_new(0, gen_mq_msg_max));
    procfs_dir_add(mqueue, "msgsize_max", procfs_file_new(0, gen_mq_msgsize_max));
    procfs_dir_add(mqueue, "msg_default", procfs_file_new(0, gen_mq_msg_default));
    procfs_dir_add(mqueue, "msgsize_default", procfs_file_new(0, gen_mq_msgsize_default));
    procfs_dir_add(mqueue, "queues_max", procfs_file_new(0, gen_mq_queues_max));
    return sys;
}
