/* proc.h: processes.
 *
 * A struct proc is a process control block: everything the kernel keeps about
 * one process. Its kernel stack holds, at the top, the trap frame with the
 * user registers saved when it last entered the kernel; `context` holds the
 * kernel registers saved when it last gave up the CPU (swtch.asm). What a
 * process may share with others lives in objects of its own, each reference
 * counted: the address space (struct mm) and the file-descriptor table.
 */
#ifndef PROC_H
#define PROC_H

#include "types.h"
#include "kernel/cred.h"
#include "param.h"
#include "kernel/trap.h"
#include "linux/ldt.h"
#include "linux/signal.h"
#include "linux/sigcontext.h"
#include "linux/wait.h"
#include "kernel/signal.h"

struct mm;
struct fdtable;
struct inode;
struct fs_info;

/* Pids (and thread ids) are below this: Linux's pid_max on a 32-bit
 * system (/proc/sys/kernel/pid_max shows it). */
#define PID_MAX 32768

enum proc_state {
    PROC_UNUSED,      /* a free slot */
    PROC_EMBRYO,      /* being set up by fork or the kernel */
    PROC_RUNNABLE,    /* ready, waiting for the CPU */
    PROC_RUNNING,     /* on the CPU now */
    PROC_SLEEPING,    /* waiting for wakeup(chan) */
    PROC_STOPPED,     /* stopped by a signal, waiting for SIGCONT */
    PROC_ZOMBIE,      /* exited, waiting for its parent's wait4 */
};

/* Registers swtch saves: the callee-saved ones and where to resume.
 * The others are already saved by the C code that called swtch. */
struct context {
    uint32_t edi, esi, ebx, ebp;
    uint32_t eip;
};

/* A thread's timer slack at boot, Linux's default (prctl PR_GET_TIMERSLACK). */
#define TIMER_SLACK_NS 50000

struct proc {
    int pid;                       /* also the thread id (gettid) */
    int tgid;                      /* thread group id: what getpid returns */
    enum proc_state state;
    char name[16];                 /* the program's file name, for ps and traces */
    struct proc *parent;

    uint8_t *kstack;               /* bottom of the kernel stack (KSTACK_PAGES) */
    struct trapframe *tf;          /* user registers, at the top of kstack */
    struct context *context;       /* kernel registers, for swtch */
    uint8_t *fpu;                  /* 512-byte fxsave area, 16-byte aligned */

    struct cred cred;              /* user and group ids (kernel/cred.h) */
    struct mm *mm;                 /* address space */
    struct fdtable *files;         /* open file descriptors */
    struct fs_info *fs;            /* current directory and umask */

    void *chan;                    /* what a sleeping process waits for */
    uint64_t wake_tick;            /* if not 0: a timer tick that ends the sleep */
    struct mm *futex_mm;           /* waiting in futex_wait on futex_addr in this
                                      mm (NULL: not waiting, or woken)... */
    vaddr_t futex_addr;
    uint32_t futex_bits;           /* ...for a wake whose bitset meets this one */
    int futex_pi_owner;            /* a FUTEX_LOCK_PI waiter: the lock's owner's
                                      tid (0: not a PI wait)... */
    uint32_t futex_pi_seq;         /* ...and its place in the queue (lower first) */
    int exit_status;               /* wait4's encoding, set at exit */
    bool killed;                   /* die on the way back to user mode (SIGKILL,
                                      exit_group)... */
    int kill_status;               /* ...with this wait status */
    int exit_signal;               /* clone's low byte: SIGCHLD for a plain child
                                      (wait4 without __WCLONE finds it), anything
                                      else a "clone child"; 0 for a thread */
    struct proc *vfork_parent;     /* sleeping until this vfork child execs or exits */
    bool vfork_done;

    /* Signals (kernel/signal.h). */
    struct sighand *sighand;       /* the handlers: shared by threads */
    struct thread_group *group;    /* what the process's threads share */
    struct sigpending pending;     /* signals sent to this thread only */
    uint64_t blocked;              /* rt_sigprocmask's mask */
    uint64_t real_blocked;         /* the mask while sigtimedwait lifts part of it */
    uint64_t saved_mask;           /* sigsuspend's mask to restore... */
    bool restore_mask;             /* ...once a handler has run */
    stack_t altstack;              /* sigaltstack */
    int syscall_nr;                /* the system call being served, or -1:
                                      what an interrupted call restarts with */
    uint32_t fault_trapno;         /* the last fault's vector, error code */
    uint32_t fault_err;            /* and address, for the signal frame */
    vaddr_t fault_addr;
    struct restart_block restart;  /* how restart_syscall goes on */
    uint64_t utime, stime;         /* CPU time, in ticks: user and system mode
                                      (kernel/cputime.c) */
    bool reap_at_exit;             /* nobody will wait: the scheduler frees it */
    struct user_desc tls;          /* the TLS segment (GDT entry 6) */
    vaddr_t clear_child_tid;       /* set_tid_address: zeroed and woken at exit */
    vaddr_t robust_list;           /* set_robust_list: walked at exit and execve */
    int pdeath_signal;             /* prctl(PR_SET_PDEATHSIG): sent when the parent
                                      thread ends (0: none) */
    uint32_t personality;          /* personality(2): PER_LINUX and flags, kept;
                                      exec reads ADDR_NO_RANDOMIZE (kernel/prctl.c) */
    bool no_new_privs;             /* prctl(PR_SET_NO_NEW_PRIVS): kept for good */
    uint32_t timer_slack_ns;       /* prctl(PR_SET_TIMERSLACK); bunshin's timers fire
                                      at ticks, so it changes nothing */
    uint32_t default_timer_slack_ns;  /* what PR_SET_TIMERSLACK 0 goes back to: the
                                      parent's slack at fork */
    uint64_t start_tick;           /* the timer tick it was made at (field 22,
                                      starttime, of /proc/<pid>/stat) */
    struct {                       /* copied by fork and clone; shown, not used by
                                      the scheduler (kernel/priority.c): */
        int nice;                  /* -20..19 */
        uint16_t ioprio;           /* I/O class and level (0: none set) */
        uint8_t policy;            /* SCHED_NORMAL... (kernel/sched_policy.c) */
        uint8_t rt_priority;       /* 1..99 for SCHED_FIFO and SCHED_RR, else 0 */
        bool reset_on_fork;        /* SCHED_RESET_ON_FORK */
    } prio;
};

/* Processes and threads made since boot (/proc/stat's "processes"), and
 * the last pid given out (/proc/loadavg's last field). */
extern uint32_t procs_created;
extern int last_pid;

/* The process table: nproc slots, sized by memory at boot (proc_init). A
 * slot at or above proc_table_end is unused, so every loop over processes
 * stops there: with a few processes, a few slots are looked at. */
extern struct proc *procs;
extern int nproc;
extern int proc_table_end;

/* The process on the CPU (never NULL once init runs). */
struct proc *current_proc(void);

/* ---- kernel/proc.c ---- */

/* Make the process table, one slot per 128 KiB of the mem_frames frames
 * there are, and the kernel stacks' slots (mm/kstack.h). At boot, before
 * any process. */
void proc_init(uint32_t mem_frames);
/* Find a free slot, give it a pid, a kernel stack and an FPU area; state
 * EMBRYO. Returns NULL when the table is full or memory is out. */
struct proc *proc_alloc(void);
/* True if every slot of the process table is taken. */
bool proc_table_full(void);
/* Give back what proc_alloc took (after the process is reaped). */
void proc_free(struct proc *p);
/* Start the first user process, /bin/init, with the given arguments. */
void proc_start_init(const char *path, char *const argv[]);
/* The process with this pid, or NULL. */
struct proc *proc_find(int pid);
/* A thread of process tgid that has not ended (its first thread, if that
 * one is alive), or NULL: where a signal to the process can be sent. */
struct proc *proc_live_thread(int tgid);
/* End thread p with wait status wstatus (W_SIGNALED(sig) or W_EXITCODE)
 * the next time it would return to user mode (SIGKILL, exit_group). The
 * first reason given wins. A sleeping or stopped p is woken so that it
 * notices: its sleep loop sees signal_pending and gives up. A zombie is
 * left alone. */
void proc_kill(struct proc *p, int wstatus);

/* ---- kernel/sched.c ---- */

/* The scheduler: run RUNNABLE processes in turn, forever. */
void scheduler(void) __attribute__((noreturn));
/* Give up the CPU: current must already be in its new state. */
void sched(void);
/* Give up the CPU but stay runnable. */
void yield(void);
/* Sleep until wakeup(chan). The kernel runs with interrupts off, so no
 * wakeup can slip in between the caller's check and the sleep. */
void sleep_on(void *chan);
/* sleep_on, but also woken by the timer once tick (a timer_ticks() value)
 * has come; tick 0 means no limit. The caller checks which it was. */
void sleep_on_until(void *chan, uint64_t tick);
/* Make every process sleeping on chan runnable. */
void wakeup(void *chan);
/* Called on each timer tick (now: timer_ticks()): wake sleepers whose time
 * has come, run the timers that are due, count the tick as CPU time of the
 * running thread (user: it was in user mode) and ask it to yield on its way
 * back to user mode. */
void sched_tick(uint64_t now, bool user);
/* True if the running process should give up the CPU. */
bool sched_need_resched(void);

/* ---- kernel/exit.c ---- */

/* End the current thread with a wait status (W_EXITCODE or W_SIGNALED);
 * the process ends with its last thread. */
void do_exit(int wstatus) __attribute__((noreturn));
/* End every thread of the current process, with this status. */
void do_exit_group(int wstatus) __attribute__((noreturn));
/* Is any thread of p's process other than p still alive? */
bool proc_threads_alive(struct proc *p);

/* ---- kernel/wait.c ---- */

/* wait4: wait for a child to end (or stop, continue), and reap it. */
int do_wait4(int pid, vaddr_t status_addr, int options, vaddr_t rusage_addr);
/* waitid: the same, told in a siginfo; WNOWAIT leaves the child waitable. */
int do_waitid(int idtype, int id, vaddr_t infop, int options, vaddr_t rusage_addr);

/* ---- kernel/fork.c ---- */

/* clone(2): a new process or thread; returns its id to the caller. */
int do_clone(uint32_t flags, vaddr_t stack, vaddr_t parent_tid, vaddr_t tls,
             vaddr_t child_tid, struct trapframe *tf);
/* A vfork child lets go of its parent's memory (execve, exit): wake the parent. */
void vfork_release(struct proc *p);

#endif
