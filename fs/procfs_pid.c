/* procfs_pid.c: the files in /proc/<pid>, in Linux's formats. */
#include "fs/procfs.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "lib/format.h"
#include "param.h"
#include "lib/string.h"
#include "linux/stat.h"

#define KB(pages) ((pages) * (PAGE_SIZE / 1024))

/* Append to buf at *n (kvsnprintf semantics: *n keeps counting past size). */
static void put(char *buf, uint32_t size, uint32_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put(char *buf, uint32_t size, uint32_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    uint32_t room = *n < size ? size - *n : 0;
    *n += (uint32_t)kvsnprintf(room ? buf + *n : 0, room, fmt, ap);
    va_end(ap);
}

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

/* The process, or -ESRCH through *err if it has gone. */
static struct proc *live(struct inode *ip)
{
    struct proc *p = proc_find(ip->proc_pid);
    return p && p->tgid == p->pid ? p : 0;
}

static int gen_status(struct inode *ip, char *buf, uint32_t size)
{
    struct proc *p = live(ip);
    if (!p)
        return -ESRCH;
    uint32_t n = 0;
    int threads = 0;
    for (int i = 0; i < NPROC; i++)
        if (procs[i].state != PROC_UNUSED && procs[i].tgid == p->tgid)
            threads++;
    put(buf, size, &n, "Name:\t%s\n", p->name);
    if (p->fs)
        put(buf, size, &n, "Umask:\t%04o\n", p->fs->umask);
    put(buf, size, &n, "State:\t%s\n", state_name(p->state));
    put(buf, size, &n, "Tgid:\t%d\nPid:\t%d\nPPid:\t%d\n", p->tgid, p->pid,
        p->parent ? p->parent->tgid : 0);
    put(buf, size, &n, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
    put(buf, size, &n, "FDSize:\t%d\n", NOFILE);
    if (p->mm) {
        struct vm_usage u;
        vm_usage(p->mm, &u);
        put(buf, size, &n, "VmSize:\t%8u kB\n", KB(u.size_pages));
        put(buf, size, &n, "VmRSS:\t%8u kB\n", KB(u.rss_pages));
        put(buf, size, &n, "VmData:\t%8u kB\n", KB(u.data_pages));
        put(buf, size, &n, "VmStk:\t%8u kB\n", KB(u.stack_pages));
        put(buf, size, &n, "VmExe:\t%8u kB\n", KB(u.text_pages));
    }
    put(buf, size, &n, "Threads:\t%d\n", threads);
    /* bunshin's own line: the copy-on-write faults this address space took. */
    put(buf, size, &n, "CowFaults:\t%u\n", p->mm ? p->mm->cow_faults : 0);
    return (int)n;
}

static int gen_maps(struct inode *ip, char *buf, uint32_t size)
{
    struct proc *p = live(ip);
    if (!p)
        return -ESRCH;
    if (!p->mm)
        return 0;
    uint32_t n = 0;
    for (struct vm_region *r = p->mm->regions; r; r = r->next) {
        const char *name = "";
        if (r->kind == VM_KIND_TEXT || r->kind == VM_KIND_DATA)
            name = p->mm->exe;
        else if (r->kind == VM_KIND_HEAP)
            name = "[heap]";
        else if (r->kind == VM_KIND_STACK)
            name = "[stack]";
        /* Linux pads the line to column 73 before the name. */
        uint32_t start = n;
        put(buf, size, &n, "%08x-%08x %c%c%cp 00000000 00:00 0", r->start, r->end,
            (r->prot & VM_READ) ? 'r' : '-', (r->prot & VM_WRITE) ? 'w' : '-',
            (r->prot & VM_EXEC) ? 'x' : '-');
        if (name[0]) {
            int pad = 73 - (int)(n - start);
            put(buf, size, &n, "%*s%s", pad > 1 ? pad : 1, "", name);
        }
        put(buf, size, &n, "\n");
    }
    return (int)n;
}

static int gen_smaps_rollup(struct inode *ip, char *buf, uint32_t size)
{
    struct proc *p = live(ip);
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
    put(buf, size, &n, "%08x-%08x ---p 00000000 00:00 0%*s[rollup]\n", lo, hi, 34, "");
    put(buf, size, &n, "Rss:            %8u kB\n", KB(u.rss_pages));
    put(buf, size, &n, "Pss:            %8u kB\n", (uint32_t)(u.pss_4k / 1024));
    put(buf, size, &n, "Shared_Clean:   %8u kB\n", 0u);
    put(buf, size, &n, "Shared_Dirty:   %8u kB\n", KB(u.shared_pages));
    put(buf, size, &n, "Private_Clean:  %8u kB\n", 0u);
    put(buf, size, &n, "Private_Dirty:  %8u kB\n", KB(u.rss_pages - u.shared_pages));
    put(buf, size, &n, "Anonymous:      %8u kB\n", KB(u.rss_pages));
    put(buf, size, &n, "Swap:           %8u kB\n", 0u);
    return (int)n;
}

/* ---- /proc/<pid>/fd: one symbolic link per open descriptor ---- */

static struct file *proc_fd_file(int pid, int fd)
{
    struct proc *p = proc_find(pid);
    if (!p || !p->files)
        return 0;
    return fd_lookup(p->files, fd);
}

/* Where /proc/<pid>/fd/<n> points: the path the file was opened by, or
 * Linux's "pipe:[inode]" for a pipe. */
static void fd_link_target(struct inode *ip, char *buf, uint32_t size)
{
    struct file *f = proc_fd_file(ip->proc_pid, ip->proc_fd);
    if (!f)
        ksnprintf(buf, size, "(closed)");
    else if (f->path)
        strlcpy(buf, f->path, size);
    else if ((f->inode->mode & S_IFMT) == S_IFIFO)
        ksnprintf(buf, size, "pipe:[%u]", f->inode->ino);
    else
        ksnprintf(buf, size, "anon_inode:[%u]", f->inode->ino);
}

static struct inode *fd_dir_lookup(struct inode *dp, const char *name)
{
    int fd = 0;
    if (!*name)
        return 0;
    for (const char *c = name; *c; c++) {
        if (*c < '0' || *c > '9' || fd > NOFILE)
            return 0;
        fd = fd * 10 + (*c - '0');
    }
    if (!proc_fd_file(dp->proc_pid, fd))
        return 0;
    struct inode *ip = inode_new(S_IFLNK | 0700);    /* made up: no name, dies unused */
    if (!ip)
        return 0;
    ip->proc_pid = dp->proc_pid;
    ip->proc_fd = fd;
    ip->link_target = fd_link_target;
    return ip;
}

static int fd_dir_list(struct inode *dp, uint32_t index, char *name, uint32_t *ino, uint8_t *type)
{
    struct proc *p = proc_find(dp->proc_pid);
    if (!p || !p->files)
        return 0;
    uint32_t seen = 0;
    for (int fd = 0; fd < NOFILE; fd++) {
        if (!p->files->fd[fd])
            continue;
        if (seen++ == index) {
            ksnprintf(name, NAME_MAX + 1, "%d", fd);
            *ino = 0x20000u + (uint32_t)fd;
            *type = DT_LNK;
            return 1;
        }
    }
    return 0;
}

int procfs_pid_files(struct inode *dir, int pid)
{
    struct inode *fd_dir;
    if (dir_create(dir, "fd", S_IFDIR | 0500, &fd_dir) < 0)
        return -ENOMEM;
    fd_dir->proc_pid = pid;
    fd_dir->lookup = fd_dir_lookup;
    fd_dir->list = fd_dir_list;
    inode_put(fd_dir);

    static const struct {
        const char *name;
        int (*gen)(struct inode *, char *, uint32_t);
    } files[] = {
        { "status", gen_status },
        { "maps", gen_maps },
        { "smaps_rollup", gen_smaps_rollup },
    };
    for (uint32_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct inode *ip = procfs_add_file(dir, files[i].name, pid, files[i].gen);
        if (!ip)
            return -ENOMEM;
        inode_put(ip);
    }
    return 0;
}
