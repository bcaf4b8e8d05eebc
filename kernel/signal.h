/* signal.h: signals, from sending to delivery (kernel/signal.c, kill.c), and the
 * frame a handler runs on (kernel/signal_frame.c).
 *
 * A signal sent to a process (kill) waits in the process's shared pending
 * set; one sent to a thread (tkill, a fault) in the thread's own. On every
 * return to user mode, signal_deliver takes the pending signals the thread
 * does not block, lowest number first, and does what the signal's action
 * says: nothing (ignored), the default action (end the process, stop it,
 * continue it), or run a handler, by building a frame on the user stack so
 * that the program "calls" the handler and the handler's return lands in
 * sigreturn. A standard signal (1-31) is pending or not; a real-time one
 * (32-64) queues, each with its own siginfo.
 */
#ifndef SIGNAL_KERNEL_H
#define SIGNAL_KERNEL_H

#include "kernel/trap.h"
#include "kernel/itimer.h"
#include "kernel/rlimit.h"
#include "linux/signal.h"
#include "linux/siginfo.h"
#include "linux/sigcontext.h"

struct proc;
struct tty;
struct posix_timer;

/* What a blocking system call returns when a signal interrupts it. The way
 * back to user mode turns it into -EINTR or restarts the call, by the rules
 * of each (Linux's kernel-internal numbers; no program ever sees them). */
#define ERESTARTSYS           512   /* restart unless a handler without SA_RESTART ran */
#define ERESTARTNOINTR        513   /* always restart */
#define ERESTARTNOHAND        514   /* restart only if no handler ran (pause, sigsuspend) */
#define ERESTART_RESTARTBLOCK 516   /* go on through restart_syscall (sleeps to a deadline) */

/* The bit of signal sig in a signal set. */
#define SIGMASK(sig) (1ull << ((sig) - 1))
/* SIGKILL and SIGSTOP can be neither caught, blocked nor ignored. */
#define SIG_UNBLOCKABLE (SIGMASK(SIGKILL) | SIGMASK(SIGSTOP))

/* How restart_syscall (system call 0) goes on with a call that a signal
 * interrupted, when restarting it from the start would be wrong: a sleep
 * must end at its first deadline, not sleep its whole time again. */
struct restart_block {
    long (*fn)(struct restart_block *rb);   /* what restart_syscall calls */
    uint64_t deadline;             /* the timer tick the sleep ends at (0: none) */
    vaddr_t uaddr;                 /* nanosleep's rem pointer, futex's word,
                                      poll's array */
    uint32_t val, bits;            /* futex_wait's value and bitset; val: poll's
                                      number of entries */
    bool futex_private;            /* futex_wait: FUTEX_PRIVATE_FLAG was given */
    int clockid;                   /* clock_nanosleep: the clock's kind (clocks.h)... */
    uint64_t expires;              /* ...the time it wakes at (kernel/nanosleep.c) */
    bool rem64;                    /* ...and rem's layout: __kernel_timespec, or
                                      old_timespec32 */
};

/* A pending signal's siginfo, in arrival order. */
struct sigqueue {
    struct sigqueue *next;
    struct siginfo info;
    /* A POSIX timer's signal has a sigqueue of its own, made with the timer
     * and never freed by signal.c: each expiry queues that one, if it is not
     * queued already (kernel/posix_timer.c). NULL for any other signal. */
    struct posix_timer *timer;
    struct sigpending *queued_in;  /* (a timer's: the pending set it waits in) */
};

struct sigpending {
    uint64_t set;                  /* the pending signals */
    struct sigqueue *head;         /* their siginfo (a signal may have none) */
};

/* The handlers; shared by clone(CLONE_SIGHAND), as threads share them. */
struct sighand {
    int refs;
    struct sigaction_rt action[_NSIG];   /* signal sig is action[sig - 1] */
};

/* What the threads of one process share, apart from memory and files. */
struct thread_group {
    int refs;                      /* threads, alive or not yet reaped */
    struct sigpending shared;      /* signals sent to the process */
    int pgid;                      /* process group (kill(-pgid), the tty) */
    int sid;                       /* session */
    bool session_leader;           /* setsid made this process its session's leader */
    bool child_subreaper;          /* prctl(PR_SET_CHILD_SUBREAPER): orphans below it
                                      come to it, not to init (kernel/exit.c) */
    struct tty *tty;               /* the controlling terminal, or NULL */
    int tty_old_pgrp;              /* a leader whose terminal was hung up: the
                                      foreground group then, told when it ends */
    bool execed;                   /* setpgid on a child after its execve: EACCES */
    bool stopped;                  /* a stop signal stopped every thread... */
    int stop_signal;               /* ...this one */
    int wait_report;               /* CLD_STOPPED or CLD_CONTINUED, not yet seen by
                                      the parent's wait (WUNTRACED, WCONTINUED) */
    struct rlimit64_pair rlim[RLIM_NLIMITS];   /* resource limits (kernel/rlimit.h):
                                      one set per process, as on Linux */
    struct itimers itimers;        /* alarm, setitimer (kernel/itimer.h) */
    struct posix_timer *timers;    /* timer_create's (kernel/posix_timer.c) */
    uint32_t timer_next_id;        /* the id the next timer_create tries */
    int cpu_timers_armed;          /* how many of them wait for CPU time */
    uint64_t utime, stime;         /* CPU time of all its threads, the dead ones
                                      too, in ticks (kernel/cputime.c) */
    uint32_t minflt;               /* page faults served without I/O (all of them) */
    uint64_t cutime, cstime;       /* the same of its reaped children (with theirs), */
    uint32_t cminflt;              /* ...for times and getrusage(RUSAGE_CHILDREN) */
    bool exiting;                  /* exit_group or a fatal signal ended it... */
    int exit_status;               /* ...with this wait status, for every thread */
};

/* What a signal does when its handler is SIG_DFL. */
enum default_action {
    ACT_TERM,                      /* end the process */
    ACT_CORE,                      /* end it "with a core dump" (none is written) */
    ACT_IGNORE,                    /* nothing */
    ACT_STOP,                      /* stop it */
    ACT_CONT,                      /* continue it (done when sent) */
};

/* ---- kernel/signal.c ---- */

/* A new thread group in process group pgid and session sid, or NULL. */
struct thread_group *thread_group_new(int pgid, int sid);
/* A forked process's: in parent's process group and session, with its
 * controlling terminal (not its leadership of the session), or NULL. */
struct thread_group *thread_group_copy(const struct thread_group *parent);
/* Drop a reference; the last frees the group's pending signals. */
void thread_group_put(struct thread_group *g);
/* New handlers, all SIG_DFL; a copy of old's (fork); drop a reference. */
struct sighand *sighand_new(void);
struct sighand *sighand_copy(struct sighand *old);
void sighand_put(struct sighand *sh);
/* Forget the signals pending for thread p (it exits). */
void signal_flush(struct proc *p);

enum default_action signal_default_action(int sig);
/* Does p's process throw sig away when it is delivered (SIG_IGN, or
 * SIG_DFL for a signal ignored by default)? */
bool signal_ignored(struct proc *p, int sig);
/* What /proc/<pid>/status shows of thread p's signals (SigQ to SigCgt): the
 * siginfos queued in all (of its RLIMIT_SIGPENDING), the signals its process ignores
 * (SIG_IGN) and catches (a handler). */
struct signal_summary {
    uint32_t queued;
    uint64_t ignored, caught;
};
void signal_summarize(struct proc *p, struct signal_summary *s);
/* Does thread p block sig, or its process set it to SIG_IGN? (What the
 * terminal asks before it sends SIGTTIN or SIGTTOU: Linux's is_ignored.) */
bool signal_blocked_or_ignored(struct proc *p, int sig);
/* Drop the signals of mask pending for p's process and all its threads. */
void signal_discard(struct proc *p, uint64_t mask);
/* Take the next signal of allowed pending for thread p (its own first,
 * then its process's), with its siginfo: its number, or 0 if none. Taking
 * SIGALRM reloads ITIMER_REAL, and a POSIX timer's signal its timer; a timer
 * signal the timer no longer wants (set again or deleted since) is thrown
 * away, as on Linux. */
int signal_dequeue(struct proc *p, uint64_t allowed, struct siginfo *info);
/* The signals pending for thread p: its own and its process's. */
uint64_t signal_pending_set(struct proc *p);

/* Send sig to process p (group true: to the whole thread group, as kill
 * does; false: to thread p only, as tkill does). info may be NULL (then
 * SI_KERNEL). A signal the process ignores is dropped now. 0, or -EAGAIN if
 * a real-time signal cannot be queued (p's RLIMIT_SIGPENDING). */
int signal_send(struct proc *p, int sig, const struct siginfo *info, bool group);
/* The same for a POSIX timer's own sigqueue q (its siginfo says which
 * signal): q is linked into the pending set, never copied, and only if it is
 * not there already. 1 if the target ignores the signal (q is not queued),
 * else 0. */
int signal_send_timer(struct proc *p, struct sigqueue *q, bool group);
/* Count one more (reserve) or one less siginfo against the caller's
 * RLIMIT_SIGPENDING: a POSIX timer's, for as long as the timer lives.
 * reserve fails (false) when none is left. */
bool sigqueue_reserve(void);
void sigqueue_unreserve(void);

/* True if p has a signal to handle now (pending and not blocked), or must
 * stop or die: a sleep that can be interrupted then returns -ERESTARTSYS. */
bool signal_pending(struct proc *p);
/* Make a thread that sleeps interruptibly runnable, to notice a signal. */
void signal_wake(struct proc *p);

/* ---- kernel/kill.c: who a signal goes to ---- */

/* Send sig to the current thread, for something the program did itself
 * (SIGPIPE: a write to a pipe nobody reads): si_code SI_USER, from itself. */
void signal_raise(int sig);
/* Send sig from the kernel (SI_KERNEL) to every process of group pgid:
 * the terminal's ^C, an orphaned group's hangup. 0, or -ESRCH if none. */
int signal_send_pgrp(int pgid, int sig);
/* kill(2): send to pid > 0, to the caller's process group (0), to every
 * process but init and the caller (-1), to process group -pid (< -1). */
int do_kill(int pid, int sig);
/* tkill/tgkill: send to thread tid (of process tgid, if tgid > 0). */
int do_tkill(int tgid, int tid, int sig);
/* rt_sigqueueinfo, rt_tgsigqueueinfo: send to process pid, or to thread
 * tid of process tgid, with the caller's siginfo. */
int do_sigqueue(int pid, int sig, struct siginfo *info);
int do_tgsigqueue(int tgid, int tid, int sig, struct siginfo *info);

/* ---- kernel/signal_deliver.c ---- */

/* On the way back to user mode (trap_dispatch): do what the pending
 * signals say; an interrupted system call is restarted or fails with
 * -EINTR. May not return (the process ends). */
void signal_deliver(struct trapframe *tf);

/* ---- kernel/signal.c ---- */

/* A fault in user mode (trap.c, mm/fault.c): send sig with code and addr
 * to the current thread; if it blocks or ignores sig, it dies of it, as on
 * Linux. why is said on the console when the signal ends the process. */
void signal_fault(struct trapframe *tf, int sig, int code, vaddr_t addr, const char *why);

/* execve: caught signals go back to SIG_DFL (ignored ones stay ignored);
 * no alternate stack. The mask and pending signals are kept. own: a new
 * table for handlers shared with another process (else NULL). */
void signal_exec(struct proc *p, struct sighand *own);

/* Tell the parent of leader, the first thread of a process, that the
 * process ended (why: CLD_EXITED, CLD_KILLED, CLD_DUMPED) or stopped or
 * continued, with its exit signal (SIGCHLD for an ordinary child). Returns
 * true if the parent reaps its children itself (SIGCHLD ignored or
 * SA_NOCLDWAIT): the process then goes at once, never a zombie. */
bool signal_notify_parent(struct proc *leader, int why, int status);

/* ---- kernel/sigaction.c: the workers of the system calls ---- */

/* sigaction: set (act) and/or read (old) signal sig's action. */
int do_sigaction(int sig, const struct sigaction_rt *act, struct sigaction_rt *old);
/* sigprocmask: change the mask by how with *set (if set); the old mask in *old. */
int do_sigprocmask(int how, const uint64_t *set, uint64_t *old);
/* sigpending: the blocked signals pending for the caller. */
uint64_t do_sigpending(void);
/* sigsuspend, pause: sleep (with mask, for sigsuspend) until a signal. */
int do_sigsuspend(uint64_t mask);
int do_pause(void);
/* sigtimedwait: take a signal of set, waiting for one at most *timeout_ns
 * (forever if NULL): its number, -EAGAIN (time up) or -EINTR. */
int do_sigtimedwait(uint64_t set, struct siginfo *info, const uint64_t *timeout_ns);

/* ---- kernel/signal_frame.c ---- */

/* Build a handler's frame for sig on p's user stack (or its alternate
 * stack) and point tf at the handler: the registers, the FPU state, the mask
 * to restore (oldmask) and, for SA_SIGINFO, the siginfo and a ucontext.
 * 0, or -EFAULT if the stack cannot take the frame. */
int signal_frame_setup(struct proc *p, struct trapframe *tf, int sig,
                       const struct siginfo *info, const struct sigaction_rt *ka,
                       uint64_t oldmask);
/* sigreturn (rt false) and rt_sigreturn: put back what the frame below the
 * user's esp saved. Returns the restored eax; a frame that cannot be read
 * sends SIGSEGV, as on Linux. */
long signal_frame_restore(struct proc *p, struct trapframe *tf, bool rt);
/* sigaltstack: set p's alternate stack to *ss (if ss), report the old one
 * in *old (if old); sp is the caller's stack pointer. 0, -EPERM (running on
 * the alternate stack), -EINVAL (bad flags) or -ENOMEM (too small). */
int do_sigaltstack(struct proc *p, const stack_t *ss, stack_t *old, vaddr_t sp);

#endif
