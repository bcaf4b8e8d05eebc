/* proc.c: the process table, and the birth of the first process. */
#include "kernel/proc.h"
#include "boot/cmdline.h"
#include "lib/format.h"
#include "kernel/exec.h"
#include "kernel/fpu.h"
#include "kernel/gdt.h"
#include "drivers/timer.h"
#include "drivers/tty.h"
#include "fs/file.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/kstack.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "printk.h"
#include "lib/string.h"

struct proc *procs;
int nproc;
int proc_table_end;

/* Pids count up from 1 to PID_MAX - 1 (kernel/proc.h), then start again
 * from PID_RESERVED, skipping the ones still in use, as Linux does (it keeps
 * pids below 300 for daemons after a wrap). */
#define PID_RESERVED 300
static int next_pid = 1;
uint32_t procs_created;
int last_pid;
static bool pids_wrapped;

/* Where a new process's first swtch lands: trap_return (trap_entry.asm)
 * then pops the trap frame and enters user mode. */
extern void trap_return(void);

void proc_init(uint32_t mem_frames)
{
    /* One slot per 128 KiB of memory (at least 1024 on 256 MiB): a process
     * that does nothing costs its kernel stack, FPU area, page directory
     * and a few page tables, some 30 KiB, so the table cannot be what runs
     * out first. Within the room for kernel stacks, and never below 64. */
    uint32_t n = mem_frames / (128 * 1024 / PAGE_SIZE);
    if (n < 64)
        n = 64;
    if (n > KSTACK_MAX_SLOTS)
        n = KSTACK_MAX_SLOTS;
    procs = kzalloc(n * sizeof(struct proc));
    if (!procs)
        panic("no memory for a process table of %u slots", n);
    nproc = (int)n;
    kstack_init(n);
}

/* A pid nobody has: after the first wrap, skip those still in use. */
static int alloc_pid(void)
{
    for (;;) {
        int pid = next_pid++;
        if (next_pid == PID_MAX) {
            next_pid = PID_RESERVED;
            pids_wrapped = true;
        }
        if (!pids_wrapped || !proc_find(pid))
            return pid;
    }
}

struct proc *proc_alloc(void)
{
    /* The lowest free slot, so that the table's in-use part stays short:
     * every loop over processes stops at proc_table_end. */
    int slot = 0;
    while (slot < proc_table_end && procs[slot].state != PROC_UNUSED)
        slot++;
    if (slot == nproc)
        return 0;
    struct proc *p = &procs[slot];

    uint8_t *stack = kstack_alloc((uint32_t)slot);
    uint8_t *fpu = kmalloc(FPU_AREA_SIZE);
    if (!stack || !fpu) {
        if (stack)
            kstack_free((uint32_t)slot);
        kfree(fpu);
        return 0;
    }
    memset(p, 0, sizeof *p);
    if (slot == proc_table_end)
        proc_table_end++;
    p->state = PROC_EMBRYO;
    p->pid = alloc_pid();
    last_pid = p->pid;
    procs_created++;
    p->start_tick = timer_ticks();
    p->tgid = p->pid;
    p->exit_signal = SIGCHLD;
    p->syscall_nr = -1;
    p->altstack.ss_flags = SS_DISABLE;
    p->kstack = stack;
    p->fpu = fpu;
    fpu_init_state(p->fpu);

    /* Lay out the top of the kernel stack: the trap frame, and below it a
     * context whose "return address" is trap_return. The first swtch into
     * this process pops the context and returns straight into trap_return,
     * which pops the trap frame and irets to user mode. */
    uint8_t *sp = p->kstack + KSTACK_SIZE;
    sp -= sizeof(struct trapframe);
    p->tf = (struct trapframe *)sp;
    memset(p->tf, 0, sizeof *p->tf);
    sp -= sizeof(struct context);
    p->context = (struct context *)sp;
    memset(p->context, 0, sizeof *p->context);
    p->context->eip = (uint32_t)trap_return;
    return p;
}

void proc_free(struct proc *p)
{
    procfs_forget(p->pid);
    signal_flush(p);
    if (p->group)
        thread_group_put(p->group);
    if (p->sighand)
        sighand_put(p->sighand);
    kstack_free((uint32_t)(p - procs));
    kfree(p->fpu);
    memset(p, 0, sizeof *p);
    p->state = PROC_UNUSED;
    while (proc_table_end > 0 && procs[proc_table_end - 1].state == PROC_UNUSED)
        proc_table_end--;
}

bool proc_table_full(void)
{
    for (int i = 0; i < nproc; i++)
        if (procs[i].state == PROC_UNUSED)
            return false;
    return true;
}

struct proc *proc_find(int pid)
{
    for (int i = 0; i < proc_table_end; i++)
        if (procs[i].state != PROC_UNUSED && procs[i].pid == pid)
            return &procs[i];
    return 0;
}

struct proc *proc_live_thread(int tgid)
{
    struct proc *leader = proc_find(tgid);
    if (leader && leader->tgid == tgid && leader->state != PROC_ZOMBIE)
        return leader;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *q = &procs[i];
        if (q->tgid == tgid && q->state != PROC_UNUSED && q->state != PROC_ZOMBIE)
            return q;
    }
    return 0;
}

void proc_kill(struct proc *p, int wstatus)
{
    if (p->state == PROC_UNUSED || p->state == PROC_ZOMBIE)
        return;                         /* already dead: nothing to do */
    if (!p->killed) {
        p->killed = true;
        p->kill_status = wstatus;
    }
    if (p->state == PROC_SLEEPING || p->state == PROC_STOPPED)
        p->state = PROC_RUNNABLE;
}

/* Open the console three times, as standard input, output and error. */
static int open_console(struct fdtable *t)
{
    struct inode *ip;
    int r = namei(root_inode, "/dev/console", true, &ip);
    if (r < 0)
        return r;
    for (int fd = 0; fd < 3; fd++) {
        struct file *f;
        r = file_open(ip, O_RDWR, &f);
        if (r < 0)
            break;
        file_set_path(f, root_inode, "/dev/console");
        fd_install(t, f, fd, NOFILE, false);
    }
    inode_put(ip);
    return r;
}

/* The first process runs this in the kernel, as itself, before it ever
 * reaches user mode: it execs /bin/init, which fills in its trap frame. */
static const char *init_path;
static char *const *init_argv;

static void init_first_exec(void)
{
    /* With user=NAME on the command line, init is told whom to run its
     * program as (init itself stays root: it must reap, and make the
     * terminal the program's). */
    static char user_env[48];
    static char *envp[] = { "HOME=/", "PATH=/bin", "TERM=vt100", 0, 0 };
    if (boot_options.user[0]) {
        ksnprintf(user_env, sizeof user_env, "BUNSHIN_USER=%s", boot_options.user);
        envp[3] = user_env;
    }
    int r = exec_kernel(init_path, init_argv, envp);
    if (r < 0)
        panic("cannot run %s: error %d", init_path, r);
    /* Return into trap_return: the context's next word (see proc_start_init). */
}

void proc_start_init(const char *path, char *const argv[])
{
    struct proc *p = proc_alloc();
    if (!p)
        panic("no memory for the first process");
    p->mm = mm_create();
    p->files = fdtable_new();
    if (!p->mm || !p->files)
        panic("no memory for the first process");
    if (open_console(p->files) < 0)
        panic("cannot open /dev/console");
    p->fs = fs_info_new(root_inode, 022);
    /* Process group 1 in session 1: init leads both, as on Linux. */
    p->sighand = sighand_new();
    p->group = thread_group_new(1, 1);
    if (!p->fs || !p->sighand || !p->group)
        panic("no memory for the first process");
    p->group->session_leader = true;
    strlcpy(p->name, "init", sizeof p->name);
    p->timer_slack_ns = p->default_timer_slack_ns = TIMER_SLACK_NS;

    /* Start in init_first_exec, which returns into trap_return: push its
     * address where init_first_exec's return address will be found. */
    init_path = path;
    init_argv = argv;
    uint32_t *sp = (uint32_t *)p->tf;
    *--sp = (uint32_t)trap_return;
    sp -= sizeof(struct context) / 4;
    p->context = (struct context *)sp;
    memset(p->context, 0, sizeof *p->context);
    p->context->eip = (uint32_t)init_first_exec;
    p->state = PROC_RUNNABLE;
}
