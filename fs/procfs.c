/* procfs.c: /proc, files whose text the kernel writes when they are opened,
 * with Linux's names and formats, so that a program reads its statistics the
 * same way on bunshin and on Linux.
 *
 *   /proc/meminfo            MemTotal, MemFree, ..., CommitLimit, Committed_AS
 *   /proc/cpuinfo            the processor, from CPUID (procfs_cpuinfo.c)
 *   /proc/cmdline            the kernel's command line
 *   /proc/stat               CPU ticks, ctxt, btime, processes (procfs_system.c)
 *   /proc/uptime, loadavg    time since boot and idle; 0.00 loads, threads
 *   /proc/filesystems, mounts  the kinds of file system, what is mounted
 *   /proc/version            "bunshin version 0.1 (...) #1 ...", Linux's layout
 *   /proc/self               a link to the reader's own /proc/<pid>
 *   /proc/<pid>/status       Name, State, Pid, PPid, VmSize, VmRSS, ..., CowFaults
 *   /proc/<pid>/maps         one line per region
 *   /proc/<pid>/smaps_rollup Rss and Pss of the whole address space
 *   /proc/<pid>/limits       the resource limits
 *   /proc/<pid>/stat, statm  ps's one-line formats (fs/procfs_stat.c)
 *   /proc/<pid>/cmdline      argv; environ: envp (NUL-separated)
 *   /proc/<pid>/cwd, exe     links to the current directory and the program
 *   /proc/<pid>/fd/<n>       a link to what descriptor n has open
 *   /proc/<pid>/comm, mounts the thread's name; the mounts, as /proc/mounts
 *   /proc/<pid>/mountinfo, root  the mounts in the long form; the root (chroot)
 *   /proc/<pid>/task/<tid>   each thread's stat, status, comm (procfs_task.c);
 *                            /proc/<tid> also, unlisted, as on Linux
 *   /proc/sys/vm/...         settings a program may change (fs/procfs_sys.c)
 *   /proc/sys/kernel/...     pid_max, ostype, osrelease, hostname, random/
 *   /proc/sysvipc/shm, sem, msg  System V IPC objects (fs/procfs_sysvipc.c)
 *   /proc/net/tcp, udp, unix  sockets (fs/procfs_net.c)
 *
 * This file is the /proc directory itself (a kind of directory of its own:
 * two names it always has, then one per process), /proc/meminfo and
 * /proc/self. /proc/<pid> directories are made up when looked up (and listed
 * from the process table), not kept for every process: they cost nothing
 * until used.
 */
#include "fs/fs.h"
#include "fs/procfs.h"
#include "kernel/proc.h"
#include "boot/bootinfo.h"
#include "mm/frame.h"
#include "mm/commit.h"
#include "mm/kheap.h"
#include "lib/format.h"
#include "linux/errno.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"

static struct inode *proc_root;

struct inode *procfs_inode_new(uint32_t mode, const struct inode_ops *ops, size_t priv_size)
{
    struct inode *ip = inode_new(mode, ops, priv_size);
    if (ip)
        ip->dev = FS_DEV_PROC;
    return ip;
}

int procfs_chmod_refused(struct inode *ip, uint32_t mode)
{
    (void)ip, (void)mode;
    return -EPERM;
}

/* ---- /proc/meminfo ---- */

static int gen_meminfo(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint32_t total = frames_total() * (PAGE_SIZE / 1024);
    uint32_t free = frames_free() * (PAGE_SIZE / 1024);
    /* The lines programs read (free, top, the C library's sysinfo
     * fallbacks) in Linux's order; bunshin has no swap and no page cache
     * apart from its files, which are memory anyway. busybox's free
     * believes MemAvailable only when Cached and SReclaimable are there
     * too (else it prints a "-/+ buffers/cache" line, as for a Linux
     * before 3.14). CommitLimit and Committed_AS: mm/commit.h. */
    return ksnprintf(buf, size,
                     "MemTotal:       %8u kB\n"
                     "MemFree:        %8u kB\n"
                     "MemAvailable:   %8u kB\n"
                     "Buffers:        %8u kB\n"
                     "Cached:         %8u kB\n"
                     "SwapCached:     %8u kB\n"
                     "SwapTotal:      %8u kB\n"
                     "SwapFree:       %8u kB\n"
                     "SReclaimable:   %8u kB\n"
                     "CommitLimit:    %8u kB\n"
                     "Committed_AS:   %8u kB\n",
                     total, free, free, 0u, 0u, 0u, 0u, 0u, 0u,
                     commit_limit_pages() * (PAGE_SIZE / 1024),
                     committed_pages() * (PAGE_SIZE / 1024));
}

/* ---- /proc/cmdline: the kernel's command line, as the boot loader gave
 * it (with QEMU's -kernel, the kernel's file name comes first) ---- */

static int gen_cmdline(int pid, char *buf, uint32_t size)
{
    (void)pid;
    return ksnprintf(buf, size, "%s\n", bootinfo.cmdline);
}

/* ---- /proc/self: a symbolic link made up when followed ---- */

static const char *self_get_link(struct inode *ip, char *buf, uint32_t size)
{
    (void)ip;
    ksnprintf(buf, size, "%d", current_proc()->tgid);
    return buf;
}

static const struct inode_ops self_link_ops = {
    .get_link = self_get_link,
};

/* ---- /proc/<pid> ---- */

/* The made-up directories that exist now, so that two lookups of one pid
 * give the same inode. Each holds one reference, dropped by procfs_forget. */
struct pid_dir {
    int pid;
    struct inode *dir;
    struct pid_dir *next;
};
static struct pid_dir *pid_dirs;

/* A process with this pid, or a thread with this id: as on Linux, /proc
 * lists only processes, but /proc/<tid> of a thread is there when looked
 * up (ps -T reads /proc/<tid>/cmdline), about that thread. */
static struct proc *process_with_pid(int pid)
{
    return procfs_thread(pid);
}

/* The cached directory of pid, or a new one put in the cache. */
struct inode *procfs_pid_dir(int pid)
{
    if (!process_with_pid(pid))
        return 0;
    for (struct pid_dir *d = pid_dirs; d; d = d->next)
        if (d->pid == pid)
            return inode_get(d->dir);
    struct pid_dir *d = kmalloc(sizeof *d);
    struct inode *dir = d ? procfs_pid_dir_new(pid, proc_root) : 0;
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

/* ---- the /proc directory ---- */
/* (Files about the whole machine, besides meminfo and cmdline, are in
 * fs/procfs_system.c.) */

/* The names /proc always has, in the order getdents gives them. */
static struct {
    const char *name;
    struct inode *ip;
} fixed[13];
#define NFIXED (sizeof fixed / sizeof fixed[0])

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

/* ".." is /, then the fixed names, then a live process's directory. */
static struct inode *proc_root_lookup(struct inode *dp, const char *name)
{
    (void)dp;
    if (strcmp(name, "..") == 0)
        return inode_get(root_inode);      /* /proc is made in / and stays there */
    for (uint32_t i = 0; i < NFIXED; i++)
        if (strcmp(name, fixed[i].name) == 0)
            return inode_get(fixed[i].ip);
    int pid;
    if (!parse_pid(name, &pid))
        return 0;
    return procfs_pid_dir(pid);
}

/* The fixed names, then one directory per live process. */
static int proc_root_readdir(struct inode *dp, uint32_t index, struct dir_entry *out)
{
    (void)dp;
    if (index < NFIXED) {
        strlcpy(out->name, fixed[index].name, sizeof out->name);
        out->ino = fixed[index].ip->ino;
        out->type = dirent_type(fixed[index].ip->mode);
        return 1;
    }
    uint32_t seen = NFIXED;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *p = &procs[i];
        if (p->state == PROC_UNUSED || p->tgid != p->pid)
            continue;
        if (seen++ == index) {
            ksnprintf(out->name, sizeof out->name, "%d", p->pid);
            out->ino = 0x10000u + (uint32_t)p->pid;
            out->type = DT_DIR;
            return 1;
        }
    }
    return 0;
}

static const struct inode_ops proc_root_ops = {
    .lookup = proc_root_lookup,
    .readdir = proc_root_readdir,
};

void procfs_init(void)
{
    proc_root = procfs_inode_new(S_IFDIR | 0555, &proc_root_ops, 0);
    /* The names in readdir's order; each with a generator is a file made
     * up when opened, the three without are made here. */
    static const struct {
        const char *name;
        int (*gen)(int pid, char *buf, uint32_t size);
    } names[NFIXED] = {
        { "meminfo", gen_meminfo },       { "self", 0 },
        { "sys", 0 },                     { "cmdline", gen_cmdline },
        { "stat", procfs_gen_stat_system }, { "uptime", procfs_gen_uptime },
        { "loadavg", procfs_gen_loadavg }, { "filesystems", procfs_gen_filesystems },
        { "mounts", procfs_gen_mounts },  { "cpuinfo", procfs_gen_cpuinfo },
        { "sysvipc", 0 },                 { "version", procfs_gen_version },
        { "net", 0 },
    };
    for (uint32_t i = 0; i < NFIXED; i++) {
        fixed[i].name = names[i].name;
        if (names[i].gen)
            fixed[i].ip = procfs_file_new(0, names[i].gen);
    }
    fixed[1].ip = procfs_inode_new(S_IFLNK | 0777, &self_link_ops, 0);
    fixed[2].ip = procfs_sys_dir_new(proc_root);
    fixed[10].ip = procfs_sysvipc_dir_new(proc_root);
    fixed[12].ip = procfs_net_dir_new(proc_root);
    if (!proc_root)
        panic("procfs: out of memory");
    for (uint32_t i = 0; i < NFIXED; i++)
        if (!fixed[i].ip)
            panic("procfs: out of memory");
    proc_root->nlink = 1;                  /* its "." */
    for (uint32_t i = 0; i < NFIXED; i++)
        fixed[i].ip->nlink = 1;            /* the name here; never removed */
    /* The name /proc is made like any other, then the directory becomes
     * the start of a file system of its own (Linux mounts procfs there):
     * dir_link would refuse a name for an inode of another one. */
    proc_root->dev = FS_DEV_ROOT;
    if (dir_link(root_inode, "proc", proc_root) < 0)
        panic("procfs: cannot create /proc");
    proc_root->dev = FS_DEV_PROC;
}
