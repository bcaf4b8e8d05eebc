/* procfs_pid.c: the directory /proc/<pid> and its files, in Linux's formats.
 *
 * A /proc/<pid> directory is a kind of its own: it holds the same names for
 * every process (fd, status, maps, smaps_rollup, limits, comm, mounts,
 * mountinfo (fs/procfs_system.c), and
 * stat, statm, cmdline, environ, cwd, exe, root from fs/procfs_stat.c, task from
 * fs/procfs_task.c), made with it and kept
 * in its private part, so that each name stays the same inode while the
 * directory lives. fs/procfs.c makes one when it is first looked up and lets
 * it go when the process is reaped.
 */
#include "fs/procfs.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "kernel/signal.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "lib/format.h"
#include "param.h"
#include "lib/string.h"
#include "linux/stat.h"

#define KB(pages) ((pages) * (PAGE_SIZE / 1024))

static const char *state_name(enum proc_state s)
{
    switch (s) {
    case PROC_RUNNING: return "R (running)";
    case PROC_RUNNABLE: return "R (running)";
    case PROC_SLEEPING: return "S (sleeping)";
    case PROC_ZOMBIE: return "Z (zombie)";
    default: return "D (disk sleep)";
    }
}

/* The process, or the thread of /proc/<tid>, or NULL if it has gone. */
static struct proc *live(int pid)
{
    return procfs_thread(pid);
}

/* /proc/<pid>/status, and /proc/<pid>/task/<tid>/status for thread p
 * (Name, State and Pid are the thread's own). */
static int gen_status_of(struct proc *p, char *buf, uint32_t size)
{
    uint32_t n = 0;
    int threads = procfs_thread_count(p);
    procfs_put(buf, size, &n, "Name:\t%s\n", p->name);
    if (p->fs)
        procfs_put(buf, size, &n, "Umask:\t%04o\n", p->fs->umask);
    procfs_put(buf, size, &n, "State:\t%s\n", state_name(p->state));
    procfs_put(buf, size, &n, "Tgid:\t%d\nPid:\t%d\nPPid:\t%d\n", p->tgid, p->pid,
        p->parent ? p->parent->tgid : 0);
    const struct cred *c = &p->cred;
    procfs_put(buf, size, &n, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", c->uid, c->euid,
        c->suid, c->fsuid, c->gid, c->egid, c->sgid, c->fsgid);
    procfs_put(buf, size, &n, "FDSize:\t%d\n", NOFILE);
    /* Groups: separated by spaces, with one after the last (and a lone
     * one when there are none), as Linux prints them. */
    procfs_put(buf, size, &n, "Groups:\t");
    for (uint32_t g = 0; g < c->ngroups; g++)
        procfs_put(buf, size, &n, g ? " %u" : "%u", c->groups[g]);
    procfs_put(buf, size, &n, " \n");
    if (p->mm) {
        struct vm_usage u;
        vm_usage(p->mm, &u);
        procfs_put(buf, size, &n, "VmSize:\t%8u kB\n", KB(u.size_pages));
        procfs_put(buf, size, &n, "VmLck:\t%8u kB\n", KB(u.locked_pages));
        procfs_put(buf, size, &n, "VmRSS:\t%8u kB\n", KB(u.rss_pages));
        procfs_put(buf, size, &n, "RssAnon:\t%8u kB\n", KB(u.anon_pages));
        procfs_put(buf, size, &n, "RssFile:\t%8u kB\n", KB(u.file_pages));
        procfs_put(buf, size, &n, "RssShmem:\t%8u kB\n", 0u);
        procfs_put(buf, size, &n, "VmData:\t%8u kB\n", KB(u.data_pages));
        procfs_put(buf, size, &n, "VmStk:\t%8u kB\n", KB(u.stack_pages));
        procfs_put(buf, size, &n, "VmExe:\t%8u kB\n", KB(u.text_pages));
    }
    procfs_put(buf, size, &n, "Threads:\t%d\n", threads);
    /* The signals, as Linux shows them: pending for the thread and for the
     * process, blocked, ignored and caught, each a mask with bit sig-1. */
    struct signal_summary ss;
    signal_summarize(p, &ss);
    procfs_put(buf, size, &n, "SigQ:\t%u/%llu\n", ss.queued, rlimit_cur(p, RLIMIT_SIGPENDING));
    procfs_put(buf, size, &n, "SigPnd:\t%016llx\nShdPnd:\t%016llx\n", p->pending.set, p->group->shared.set);
    procfs_put(buf, size, &n, "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
        p->blocked, ss.ignored, ss.caught);
    /* bunshin's own line: the copy-on-write faults this address space took. */
    procfs_put(buf, size, &n, "CowFaults:\t%u\n", p->mm ? p->mm->cow_faults : 0);
    return (int)n;
}

static int gen_status(int pid, char *buf, uint32_t size)
{
    struct proc *p = live(pid);
    return p ? gen_status_of(p, buf, size) : -ESRCH;
}

int procfs_gen_task_status(int tid, char *buf, uint32_t size)
{
    struct proc *p = procfs_thread(tid);
    return p ? gen_status_of(p, buf, size) : -ESRCH;
}

/* /proc/<pid>/comm and /proc/<pid>/task/<tid>/comm: the thread's name. */
int procfs_gen_task_comm(int tid, char *buf, uint32_t size)
{
    struct proc *p = procfs_thread(tid);
    return p ? ksnprintf(buf, size, "%s\n", p->name) : -ESRCH;
}

/* A write to comm names the thread as prctl(PR_SET_NAME) does: its first
 * 15 bytes, as they are (a newline too). Linux lets a process name only
 * its own threads: EINVAL for another's. */
static int write_task_comm(int tid, const char *text, uint32_t n)
{
    struct proc *p = procfs_thread(tid);
    if (!p)
        return -ESRCH;
    if (p->group != current_proc()->group)
        return -EINVAL;
    memset(p->name, 0, sizeof p->name);
    memcpy(p->name, text, n < sizeof p->name - 1 ? n : sizeof p->name - 1);
    return 0;
}

struct inode *procfs_comm_new(int tid)
{
    return procfs_writable_new(tid, procfs_gen_task_comm, write_task_comm);
}

static int gen_maps(int pid, char *buf, uint32_t size)
{
    struct proc *p = live(pid);
    if (!p)
        return -ESRCH;
    if (!p->mm)
        return 0;
    uint32_t n = 0;
    char fname[192];                 /* kernel stack: names past this are cut */
    for (struct vm_region *r = p->mm->regions; r; r = r->next) {
        const char *name = "";
        uint32_t dev = 0, ino = 0;
        if (r->file) {
            /* A file mapping: its offset, file system, inode and name. */
            name = file_describe(r->file, fname, sizeof fname);
            dev = r->file->inode->dev;
            ino = r->file->inode->ino;
        } else if (r->kind == VM_KIND_TEXT || r->kind == VM_KIND_DATA) {
            name = p->mm->exe;
        } else if (r->kind == VM_KIND_HEAP) {
            name = "[heap]";
        } else if (r->kind == VM_KIND_STACK) {
            name = "[stack]";
        }
        /* Linux pads the line to column 73 before the name. */
        uint32_t start = n;
        procfs_put(buf, size, &n, "%08x-%08x %c%c%c%c %08x 00:%02x %u", r->start, r->end,
            (r->prot & VM_READ) ? 'r' : '-', (r->prot & VM_WRITE) ? 'w' : '-',
            (r->prot & VM_EXEC) ? 'x' : '-', r->shared ? 's' : 'p',
            r->file ? r->pgoff * PAGE_SIZE : 0, dev, ino);
        if (name[0]) {
            int pad = 73 - (int)(n - start);
            procfs_put(buf, size, &n, "%*s%s", pad > 1 ? pad : 1, "", name);
        }
        procfs_put(buf, size, &n, "\n");
    }
    return (int)n;
}

static int gen_smaps_rollup(int pid, char *buf, uint32_t size)
{
    struct proc *p = live(pid);
    if (!p)
        return -ESRCH;
    uint32_t n = 0;
    struct vm_usage u;
    if (!p->mm)
        return 0;
    vm_usage(p->mm, &u);
    vaddr_t lo = p->mm->regions ? p->mm->regions->start : 0, hi = 0;
    for (struct vm_region *r = p->mm->regions; r; r = r->next)
        hi = r->end;
    procfs_put(buf, size, &n, "%08x-%08x ---p 00000000 00:00 0%*s[rollup]\n", lo, hi, 34, "");
    procfs_put(buf, size, &n, "Rss:            %8u kB\n", KB(u.rss_pages));
    procfs_put(buf, size, &n, "Pss:            %8u kB\n", (uint32_t)(u.pss_4k / 1024));
    procfs_put(buf, size, &n, "Shared_Clean:   %8u kB\n", 0u);
    procfs_put(buf, size, &n, "Shared_Dirty:   %8u kB\n", KB(u.shared_pages));
    procfs_put(buf, size, &n, "Private_Clean:  %8u kB\n", 0u);
    procfs_put(buf, size, &n, "Private_Dirty:  %8u kB\n", KB(u.rss_pages - u.shared_pages));
    procfs_put(buf, size, &n, "Anonymous:      %8u kB\n", KB(u.anon_pages));
    procfs_put(buf, size, &n, "Swap:           %8u kB\n", 0u);
    procfs_put(buf, size, &n, "Locked:         %8u kB\n", KB(u.locked_pages));
    return (int)n;
}

/* /proc/<pid>/limits: a line per resource, soft, hard and unit, in Linux's
 * columns (fs/proc/base.c), "unlimited" for RLIM64_INFINITY. */
static const char *const limit_names[RLIM_NLIMITS][2] = {
    [RLIMIT_CPU] = { "Max cpu time", "seconds" },
    [RLIMIT_FSIZE] = { "Max file size", "bytes" },
    [RLIMIT_DATA] = { "Max data size", "bytes" },
    [RLIMIT_STACK] = { "Max stack size", "bytes" },
    [RLIMIT_CORE] = { "Max core file size", "bytes" },
    [RLIMIT_RSS] = { "Max resident set", "bytes" },
    [RLIMIT_NPROC] = { "Max processes", "processes" },
    [RLIMIT_NOFILE] = { "Max open files", "files" },
    [RLIMIT_MEMLOCK] = { "Max locked memory", "bytes" },
    [RLIMIT_AS] = { "Max address space", "bytes" },
    [RLIMIT_LOCKS] = { "Max file locks", "locks" },
    [RLIMIT_SIGPENDING] = { "Max pending signals", "signals" },
    [RLIMIT_MSGQUEUE] = { "Max msgqueue size", "bytes" },
    [RLIMIT_NICE] = { "Max nice priority", 0 },
    [RLIMIT_RTPRIO] = { "Max realtime priority", 0 },
    [RLIMIT_RTTIME] = { "Max realtime timeout", "us" },
};

static void put_limit(char *buf, uint32_t size, uint32_t *n, uint64_t v)
{
    if (v == RLIM64_INFINITY)
        procfs_put(buf, size, n, "%-20s ", "unlimited");
    else
        procfs_put(buf, size, n, "%-20llu ", v);
}

static int gen_limits(int pid, char *buf, uint32_t size)
{
    struct proc *p = live(pid);
    if (!p)
        return -ESRCH;
    uint32_t n = 0;
    procfs_put(buf, size, &n, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
    for (int r = 0; r < RLIM_NLIMITS; r++) {
        procfs_put(buf, size, &n, "%-25s ", limit_names[r][0]);
        put_limit(buf, size, &n, rlimit_cur(p, r));
        put_limit(buf, size, &n, rlimit_max(p, r));
        if (limit_names[r][1])
            procfs_put(buf, size, &n, "%-10s", limit_names[r][1]);
        procfs_put(buf, size, &n, "\n");         /* (a unitless line ends in a space) */
    }
    return (int)n;
}

/* ---- the directory ---- */

/* Its names, in the order getdents gives them. */
static const char *const names[] = { "fd", "status", "maps", "smaps_rollup", "limits",
                                     "stat", "statm", "cmdline", "environ", "cwd", "exe",
                                     "task", "comm", "mounts", "mountinfo", "root" };
#define NNAMES (sizeof names / sizeof names[0])

struct pid_dir {
    struct inode *parent;          /* /proc (a reference) */
    struct inode *child[NNAMES];   /* the inode of names[i] (a reference) */
};

static struct inode *pid_dir_lookup(struct inode *dp, const char *name)
{
    struct pid_dir *d = dp->priv;
    if (strcmp(name, "..") == 0)
        return inode_get(d->parent);
    for (uint32_t i = 0; i < NNAMES; i++)
        if (strcmp(name, names[i]) == 0)
            return inode_get(d->child[i]);
    return 0;
}

static int pid_dir_readdir(struct inode *dp, uint32_t index, struct dir_entry *out)
{
    struct pid_dir *d = dp->priv;
    if (index >= NNAMES)
        return 0;
    strlcpy(out->name, names[index], sizeof out->name);
    out->ino = d->child[index]->ino;
    out->type = dirent_type(d->child[index]->mode);
    return 1;
}

/* The process was reaped and nothing uses the directory: its files go,
 * unless a process still has one open (then they go at the last close).
 * Only the names this directory gave them go: a file that link(2) also
 * named elsewhere lives on under that name (reading it then fails with
 * ESRCH), instead of being freed under it. */
static void pid_dir_destroy(struct inode *dp)
{
    struct pid_dir *d = dp->priv;
    for (uint32_t i = 0; i < NNAMES; i++) {
        if (d->child[i]) {
            uint32_t own = S_ISDIR(d->child[i]->mode) ? 2 : 1;
            d->child[i]->nlink = d->child[i]->nlink > own ? d->child[i]->nlink - own : 0;
            inode_put(d->child[i]);
        }
    }
    inode_put(d->parent);
}

static const struct inode_ops pid_dir_ops = {
    .lookup = pid_dir_lookup,
    .readdir = pid_dir_readdir,
    .destroy = pid_dir_destroy,
    .chmod = procfs_chmod_refused,
};

struct inode *procfs_pid_dir_new(int pid, struct inode *parent)
{
    struct inode *dp = procfs_inode_new(S_IFDIR | 0555, &pid_dir_ops, sizeof(struct pid_dir));
    if (!dp)
        return 0;
    struct pid_dir *d = dp->priv;
    d->parent = inode_get(parent);
    d->child[0] = procfs_fd_dir_new(pid);
    d->child[1] = procfs_file_new(pid, gen_status);
    d->child[2] = procfs_file_new(pid, gen_maps);
    d->child[3] = procfs_file_new(pid, gen_smaps_rollup);
    d->child[4] = procfs_file_new(pid, gen_limits);
    d->child[5] = procfs_file_new(pid, procfs_gen_stat);
    d->child[6] = procfs_file_new(pid, procfs_gen_statm);
    d->child[7] = procfs_file_new(pid, procfs_gen_cmdline);
    d->child[8] = procfs_file_new(pid, procfs_gen_environ);
    d->child[9] = procfs_cwd_link_new(pid);
    d->child[10] = procfs_exe_link_new(pid);
    d->child[11] = procfs_task_dir_new(pid);
    d->child[12] = procfs_comm_new(pid);
    d->child[13] = procfs_file_new(pid, procfs_gen_mounts);
    d->child[14] = procfs_file_new(pid, procfs_gen_mountinfo);
    d->child[15] = procfs_root_link_new(pid);
    for (uint32_t i = 0; i < NNAMES; i++) {
        if (!d->child[i]) {
            inode_put(dp);                 /* frees those that were made */
            return 0;
        }
        /* Its name here, and a directory's own "." too. */
        d->child[i]->nlink = S_ISDIR(d->child[i]->mode) ? 2 : 1;
    }
    /* The directory itself has no name in /proc's list (nlink 0): it lives
     * by references, which fs/procfs.c holds while the process lives. */
    return dp;
}
