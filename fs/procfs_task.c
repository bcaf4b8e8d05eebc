/* procfs_task.c: /proc/<pid>/task, one directory per thread of the process
 * (named by its thread id), each holding the thread's own stat, status and
 * comm, and its process's cmdline and statm. ps -T and top's thread view
 * list them.
 *
 * The task directory belongs to its /proc/<pid> (fs/procfs_pid.c), which
 * keeps it; a /proc/<pid>/task/<tid> directory is made at each lookup and
 * goes with its last reference, as it costs little and a thread may end at
 * any time.
 */
#include "fs/procfs.h"
#include "kernel/proc.h"
#include "mm/kheap.h"
#include "linux/errno.h"
#include "linux/stat.h"
#include "lib/format.h"
#include "lib/string.h"

struct proc *procfs_thread(int tid)
{
    struct proc *p = proc_find(tid);
    /* A thread other than the first is gone at its end (only the first
     * stays, a zombie, for its parent's wait). */
    if (!p || (p->state == PROC_ZOMBIE && p->pid != p->tgid))
        return 0;
    return p;
}

/* Is thread tid one of process pid's, and there? */
static bool thread_of(int pid, int tid)
{
    struct proc *p = procfs_thread(tid);
    return p && p->tgid == pid;
}

/* ---- /proc/<pid>/task/<tid> ---- */

/* What the thread's process has: its argv and memory sizes. */
static int gen_task_cmdline(int tid, char *buf, uint32_t size)
{
    struct proc *p = procfs_thread(tid);
    return p ? procfs_gen_cmdline(p->tgid, buf, size) : -ESRCH;
}

static int gen_task_statm(int tid, char *buf, uint32_t size)
{
    struct proc *p = procfs_thread(tid);
    return p ? procfs_gen_statm(p->tgid, buf, size) : -ESRCH;
}

static const char *const tid_names[] = { "stat", "status", "comm", "cmdline", "statm" };
#define NTID (sizeof tid_names / sizeof tid_names[0])

struct tid_dir {
    struct inode *parent;          /* /proc/<pid>/task (a reference) */
    struct inode *child[NTID];     /* references */
};

static struct inode *tid_dir_lookup(struct inode *dp, const char *name)
{
    struct tid_dir *d = dp->priv;
    if (strcmp(name, "..") == 0)
        return inode_get(d->parent);
    for (uint32_t i = 0; i < NTID; i++)
        if (strcmp(name, tid_names[i]) == 0)
            return inode_get(d->child[i]);
    return 0;
}

static int tid_dir_readdir(struct inode *dp, uint32_t index, struct dir_entry *out)
{
    struct tid_dir *d = dp->priv;
    if (index >= NTID)
        return 0;
    strlcpy(out->name, tid_names[index], sizeof out->name);
    out->ino = d->child[index]->ino;
    out->type = DT_REG;
    return 1;
}

static void tid_dir_destroy(struct inode *dp)
{
    struct tid_dir *d = dp->priv;
    for (uint32_t i = 0; i < NTID; i++) {
        if (d->child[i]) {
            d->child[i]->nlink = d->child[i]->nlink ? d->child[i]->nlink - 1 : 0;
            inode_put(d->child[i]);
        }
    }
    inode_put(d->parent);
}

static const struct inode_ops tid_dir_ops = {
    .lookup = tid_dir_lookup,
    .readdir = tid_dir_readdir,
    .destroy = tid_dir_destroy,
    .chmod = procfs_chmod_refused,
};

static struct inode *tid_dir_new(int tid, struct inode *parent)
{
    struct inode *dp = procfs_inode_new(S_IFDIR | 0555, &tid_dir_ops, sizeof(struct tid_dir));
    if (!dp)
        return 0;
    struct tid_dir *d = dp->priv;
    d->parent = inode_get(parent);
    d->child[0] = procfs_file_new(tid, procfs_gen_task_stat);
    d->child[1] = procfs_file_new(tid, procfs_gen_task_status);
    d->child[2] = procfs_comm_new(tid);
    d->child[3] = procfs_file_new(tid, gen_task_cmdline);
    d->child[4] = procfs_file_new(tid, gen_task_statm);
    for (uint32_t i = 0; i < NTID; i++) {
        if (!d->child[i]) {
            inode_put(dp);
            return 0;
        }
        d->child[i]->nlink = 1;
    }
    return dp;
}

/* ---- /proc/<pid>/task ---- */

struct task_dir {
    int pid;
};

/* "..": /proc/<pid>, found again (holding it would be a loop of references:
 * it holds this directory). */
static struct inode *task_dir_lookup(struct inode *dp, const char *name)
{
    struct task_dir *d = dp->priv;
    if (strcmp(name, "..") == 0)
        return procfs_pid_dir(d->pid);
    int tid = 0;
    for (const char *c = name; *c; c++) {
        if (*c < '0' || *c > '9' || tid > 10000000)
            return 0;
        tid = tid * 10 + (*c - '0');
    }
    if (name[0] == '0' || !thread_of(d->pid, tid))
        return 0;
    return tid_dir_new(tid, dp);
}

/* The process's threads, in the process table's order. */
static int task_dir_readdir(struct inode *dp, uint32_t index, struct dir_entry *out)
{
    struct task_dir *d = dp->priv;
    uint32_t seen = 0;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *p = &procs[i];
        if (p->state == PROC_UNUSED || !thread_of(d->pid, p->pid))
            continue;
        if (seen++ == index) {
            ksnprintf(out->name, sizeof out->name, "%d", p->pid);
            out->ino = 0x20000u + (uint32_t)p->pid;
            out->type = DT_DIR;
            return 1;
        }
    }
    return 0;
}

static const struct inode_ops task_dir_ops = {
    .lookup = task_dir_lookup,
    .readdir = task_dir_readdir,
    .chmod = procfs_chmod_refused,
};

struct inode *procfs_task_dir_new(int pid)
{
    struct inode *dp = procfs_inode_new(S_IFDIR | 0555, &task_dir_ops, sizeof(struct task_dir));
    if (dp)
        ((struct task_dir *)dp->priv)->pid = pid;
    return dp;
}
