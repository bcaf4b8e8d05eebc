/* proc.c: the process table, and the birth of the first process. */
#include "kernel/proc.h"
#include "kernel/exec.h"
#include "kernel/fpu.h"
#include "kernel/gdt.h"
#include "drivers/tty.h"
#include "fs/file.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "printk.h"
#include "lib/string.h"

struct proc procs[NPROC];
static int next_pid = 1;

#define KSTACK_SIZE (KSTACK_PAGES * PAGE_SIZE)

/* Where a new process's first swtch lands: trap_return (trap_entry.asm)
 * then pops the trap frame and enters user mode. */
extern void trap_return(void);

struct proc *proc_alloc(void)
{
    struct proc *p = 0;
    for (int i = 0; i < NPROC; i++) {
        if (procs[i].state == PROC_UNUSED) {
            p = &procs[i];
            break;
        }
    }
    if (!p)
        return 0;

    paddr_t stack = frames_alloc_contig(KSTACK_PAGES);
    uint8_t *fpu = kmalloc(FPU_AREA_SIZE);
    if (!stack || !fpu) {
        if (stack)
            for (int i = 0; i < KSTACK_PAGES; i++)
                frame_decref(stack + (uint32_t)i * PAGE_SIZE);
        kfree(fpu);
        return 0;
    }
    memset(p, 0, sizeof *p);
    p->state = PROC_EMBRYO;
    p->pid = next_pid++;
    p->tgid = p->pid;
    p->exit_signal = SIGCHLD;
    p->kstack = P2V(stack);
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
    for (int i = 0; i < KSTACK_PAGES; i++)
        frame_decref(V2P(p->kstack) + (uint32_t)i * PAGE_SIZE);
    kfree(p->fpu);
    memset(p, 0, sizeof *p);
    p->state = PROC_UNUSED;
}

bool proc_table_full(void)
{
    for (int i = 0; i < NPROC; i++)
        if (procs[i].state == PROC_UNUSED)
            return false;
    return true;
}

struct proc *proc_find(int pid)
{
    for (int i = 0; i < NPROC; i++)
        if (procs[i].state != PROC_UNUSED && procs[i].pid == pid)
            return &procs[i];
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
    if (p->state == PROC_SLEEPING)
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
        fd_install(t, f, fd, false);
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
    static char *const envp[] = { "HOME=/", "PATH=/bin", "TERM=vt100", 0 };
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
    if (!p->fs)
        panic("no memory for the first process");
    strlcpy(p->name, "init", sizeof p->name);

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
