/* procfs_stat.c: the files of /proc/<pid> that ps, top and pgrep read, in
 * Linux's formats (man 5 proc; Linux's fs/proc/array.c and base.c):
 *
 *   stat     one line of 52 fields: pid (comm) state ppid pgrp session ...
 *   statm    size resident shared text lib data dt, in pages
 *   cmdline  the argv strings, each ended by a NUL
 *   environ  the envp strings, the same way (only its owner or root may
 *            open it: the check is at open, since bunshin's /proc files
 *            belong to root, not to the process as on Linux)
 *   cwd      a link to the current directory
 *   exe      a link to the program's file
 *   root     a link to its root directory (chroot)
 *
 * cmdline and environ are read from the process's own memory, where execve
 * put the strings (mm->arg_start...: kernel/exec_stack.c): a program that
 * rewrites its argv strings is shown rewritten, as on Linux.
 */
#include "fs/procfs.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "kernel/signal.h"
#include "drivers/tty.h"
#include "mm/paging.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/stat.h"
#include "lib/format.h"
#include "lib/string.h"
#include "param.h"

/* Linux's task flags that bunshin has a meaning for (include/linux/sched.h). */
#define PF_EXITING    0x00000004u      /* ending: a zombie */
#define PF_FORKNOEXEC 0x00000040u      /* forked, has not called execve since */

#define USER_HZ 100                    /* the unit of clock_t for programs on i386 */

/* The process, or the thread of /proc/<tid>, or NULL if it has gone. */
static struct proc *live(int pid)
{
    return procfs_thread(pid);
}

int procfs_thread_count(struct proc *p)
{
    int threads = 0;
    for (int i = 0; i < proc_table_end; i++)
        if (procs[i].state != PROC_UNUSED && procs[i].tgid == p->tgid)
            threads++;
    return threads;
}

/* May the reader see p's addresses and environment? Linux asks ptrace's
 * read permission; bunshin has no ptrace, so: root, or the same user. */
static bool permitted(const struct proc *p)
{
    const struct cred *c = &current_proc()->cred;
    return c->euid == 0 || (c->euid == p->cred.uid && c->euid == p->cred.euid);
}

static char state_letter(enum proc_state s)
{
    switch (s) {
    case PROC_RUNNING: case PROC_RUNNABLE: return 'R';
    case PROC_SLEEPING: return 'S';
    case PROC_STOPPED: return 'T';
    case PROC_ZOMBIE: return 'Z';
    default: return 'D';
    }
}

static uint64_t ticks_to_clock_t(uint64_t ticks)
{
    return ticks * USER_HZ / HZ;
}

/* The controlling terminal as Linux's new_encode_dev writes a device number:
 * minor's low byte, major, then minor's other bits; 0 without one. */
static uint32_t tty_number(const struct tty *t)
{
    if (!t)
        return 0;
    uint32_t major = t->driver->pty ? PTS_MAJOR : (TTY_DEV_TTY1 >> 8);
    uint32_t minor = t->driver->pty ? (uint32_t)t->index : (TTY_DEV_TTY1 & 0xff);
    return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/* The program's first region of a kind with all the bits of prot, for
 * start_code (text) and start_data (data that is written: a read-only data
 * segment before the text, as static musl programs have, is not it). */
static struct vm_region *first_of(struct mm *mm, enum vm_kind kind, uint32_t prot)
{
    for (struct vm_region *r = mm->regions; r; r = r->next)
        if (r->kind == kind && !r->file && (r->prot & prot) == prot)
            return r;
    return 0;
}

/* /proc/<pid>/stat: Linux's do_task_stat, field by field. What bunshin does
 * not keep (page-fault counts, children's times, scheduling classes, swap)
 * is 0, as Linux shows for a kernel without the feature. The old signal
 * fields are decimal masks of signals 1-31, as Linux prints them. task:
 * the file is /proc/<pid>/task/<tid>/stat, about thread p alone: its own
 * CPU times, not its process's. */
static int gen_stat_of(struct proc *p, bool task, char *buf, uint32_t size)
{
    struct thread_group *g = p->group;
    struct mm *mm = p->mm;
    bool ok = permitted(p);
    uint32_t n = 0;
    struct vm_usage u = { 0 };
    if (mm)
        vm_usage(mm, &u);
    struct signal_summary ss = { 0 };
    signal_summarize(p, &ss);
    uint32_t flags = (p->state == PROC_ZOMBIE ? PF_EXITING : 0) |
                     (g && !g->execed ? PF_FORKNOEXEC : 0);

    /* 1-9: pid (comm) state ppid pgrp session tty_nr tpgid flags */
    procfs_put(buf, size, &n, "%d (%s) %c %d %d %d %u %d %u", p->pid, p->name,
               state_letter(p->state), p->parent ? p->parent->tgid : 0, g ? g->pgid : 0,
               g ? g->sid : 0, tty_number(g ? g->tty : 0), g && g->tty ? g->tty->pgrp : -1,
               flags);
    /* 10-17: minflt cminflt majflt cmajflt utime stime cutime cstime */
    bool own = task || !g;
    procfs_put(buf, size, &n, " %u %u 0 0 %llu %llu %llu %llu", g ? g->minflt : 0,
               g ? g->cminflt : 0, ticks_to_clock_t(own ? p->utime : g->utime),
               ticks_to_clock_t(own ? p->stime : g->stime), ticks_to_clock_t(g ? g->cutime : 0),
               ticks_to_clock_t(g ? g->cstime : 0));
    /* 18-25: priority nice num_threads itrealvalue starttime vsize rss rsslim
     * (priority: Linux's 20 + nice for a task that is not real-time) */
    procfs_put(buf, size, &n, " %d %d %d 0 %llu %u %u %u", 20 + p->prio.nice, p->prio.nice,
               procfs_thread_count(p),
               ticks_to_clock_t(p->start_tick), u.size_pages * PAGE_SIZE, u.rss_pages,
               (uint32_t)rlimit_cur(p, RLIMIT_RSS));
    /* 26-30: startcode endcode startstack kstkesp kstkeip (Linux shows 1 1 0
     * for an address space the reader may not see, 0 0 0 for none). */
    struct vm_region *text = mm ? first_of(mm, VM_KIND_TEXT, 0) : 0;
    if (!mm)
        procfs_put(buf, size, &n, " 0 0 0");
    else if (!ok)
        procfs_put(buf, size, &n, " 1 1 0");
    else
        procfs_put(buf, size, &n, " %u %u %u", text ? text->start : 0, text ? text->end : 0,
                   mm->start_stack);
    procfs_put(buf, size, &n, " 0 0");
    /* 31-34: signal blocked sigignore sigcatch */
    procfs_put(buf, size, &n, " %u %u %u %u", (uint32_t)p->pending.set & 0x7fffffffu,
               (uint32_t)p->blocked & 0x7fffffffu, (uint32_t)ss.ignored & 0x7fffffffu,
               (uint32_t)ss.caught & 0x7fffffffu);
    /* 35-44: wchan (0: no /proc/<pid>/wchan to read) nswap cnswap
     * exit_signal processor rt_priority policy delayacct_blkio_ticks
     * guest_time cguest_time */
    procfs_put(buf, size, &n, " 0 0 0 %d 0 0 0 0 0 0", p->exit_signal);
    /* 45-52: start_data end_data start_brk arg_start arg_end env_start
     * env_end exit_code, only for a reader who may see them. */
    struct vm_region *data = mm ? first_of(mm, VM_KIND_DATA, VM_WRITE) : 0;
    if (mm && ok)
        procfs_put(buf, size, &n, " %u %u %u %u %u %u %u %d\n", data ? data->start : 0,
                   data ? data->end : 0, mm->brk_start, mm->arg_start, mm->arg_end,
                   mm->env_start, mm->env_end, p->state == PROC_ZOMBIE ? p->exit_status : 0);
    else
        procfs_put(buf, size, &n, " 0 0 0 0 0 0 0 %d\n",
                   p->state == PROC_ZOMBIE && ok ? p->exit_status : 0);
    return (int)n;
}

int procfs_gen_stat(int pid, char *buf, uint32_t size)
{
    struct proc *p = live(pid);
    return p ? gen_stat_of(p, false, buf, size) : -ESRCH;
}

int procfs_gen_task_stat(int tid, char *buf, uint32_t size)
{
    struct proc *p = procfs_thread(tid);
    return p ? gen_stat_of(p, true, buf, size) : -ESRCH;
}

/* /proc/<pid>/statm: Linux's task_statm, in pages: shared is what is in a
 * file's frames, data the private writable memory and the stack, lib and
 * dt always 0. */
int procfs_gen_statm(int pid, char *buf, uint32_t size)
{
    struct proc *p = live(pid);
    if (!p)
        return -ESRCH;
    struct vm_usage u = { 0 };
    if (p->mm)
        vm_usage(p->mm, &u);
    return ksnprintf(buf, size, "%u %u %u %u 0 %u 0\n", u.size_pages, u.rss_pages,
                     u.file_pages, u.text_pages, u.data_pages + u.stack_pages);
}

/* Copy [start, end) of p's memory into buf (up to size bytes); returns the
 * length, or what it would be. Reads through the kernel's direct map
 * (mm/vm_copy.c) and stops at a page that has no frame: the strings were
 * written at execve, so only a program that unmapped them loses them. */
static int copy_strings(struct mm *mm, vaddr_t start, vaddr_t end, char *buf, uint32_t size)
{
    if (!mm || end <= start)
        return 0;
    uint32_t n = 0;
    for (vaddr_t va = start; va < end;) {
        pte_t *pte = page_walk(mm->pgdir, va, false);
        if (!pte || !(*pte & PTE_P))
            break;
        uint32_t chunk = PAGE_SIZE - va % PAGE_SIZE;
        if (chunk > end - va)
            chunk = end - va;
        if (n < size)
            memcpy(buf + n, vm_kernel_address(mm, va), n + chunk <= size ? chunk : size - n);
        n += chunk;
        va += chunk;
    }
    return (int)n;
}

int procfs_gen_cmdline(int pid, char *buf, uint32_t size)
{
    struct proc *p = live(pid);
    if (!p)
        return -ESRCH;
    return p->mm ? copy_strings(p->mm, p->mm->arg_start, p->mm->arg_end, buf, size) : 0;
}

/* environ may hold secrets: like Linux, only its owner (or root) reads it. */
int procfs_gen_environ(int pid, char *buf, uint32_t size)
{
    struct proc *p = live(pid);
    if (!p)
        return -ESRCH;
    if (!permitted(p))
        return -EACCES;
    return p->mm ? copy_strings(p->mm, p->mm->env_start, p->mm->env_end, buf, size) : 0;
}

/* ---- the links cwd, exe and root, made up when followed ---- */

struct pid_link {
    int pid;
};

/* /proc/<pid>/cwd: the path of the current directory; none (ENOENT) for a
 * zombie or a directory that was removed. */
static const char *cwd_get_link(struct inode *ip, char *buf, uint32_t size)
{
    struct proc *p = live(((struct pid_link *)ip->priv)->pid);
    if (!p || !p->fs || !p->fs->cwd || dir_path(p->fs->cwd, buf, size) < 0)
        return 0;
    return buf;
}

/* /proc/<pid>/root: the path of its root directory (chroot), as the
 * reader sees it; none for a zombie. */
static const char *root_get_link(struct inode *ip, char *buf, uint32_t size)
{
    struct proc *p = live(((struct pid_link *)ip->priv)->pid);
    if (!p || !p->fs || dir_path(p->fs->root, buf, size) < 0)
        return 0;
    return buf;
}

/* /proc/<pid>/exe: the path execve was given; none for a zombie. */
static const char *exe_get_link(struct inode *ip, char *buf, uint32_t size)
{
    struct proc *p = live(((struct pid_link *)ip->priv)->pid);
    if (!p || !p->mm || !p->mm->exe[0])
        return 0;
    strlcpy(buf, p->mm->exe, size);
    return buf;
}

static const struct inode_ops cwd_link_ops = {
    .get_link = cwd_get_link,
    .chmod = procfs_chmod_refused,
};

static const struct inode_ops root_link_ops = {
    .get_link = root_get_link,
    .chmod = procfs_chmod_refused,
};

static const struct inode_ops exe_link_ops = {
    .get_link = exe_get_link,
    .chmod = procfs_chmod_refused,
};

static struct inode *link_new(int pid, const struct inode_ops *ops)
{
    struct inode *ip = procfs_inode_new(S_IFLNK | 0777, ops, sizeof(struct pid_link));
    if (ip)
        ((struct pid_link *)ip->priv)->pid = pid;
    return ip;
}

struct inode *procfs_cwd_link_new(int pid)
{
    return link_new(pid, &cwd_link_ops);
}

struct inode *procfs_root_link_new(int pid)
{
    return link_new(pid, &root_link_ops);
}

struct inode *procfs_exe_link_new(int pid)
{
    return link_new(pid, &exe_link_ops);
}
