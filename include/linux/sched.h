/* sched.h: clone's flags, with Linux's values.
 * Linux: <linux/sched.h> <linux/sched/types.h>
 * Linux struct: clone_args flags pidfd child_tid parent_tid exit_signal stack stack_size tls set_tid set_tid_size cgroup
 * Linux struct: sched_attr size sched_policy sched_flags sched_nice sched_priority sched_runtime sched_deadline sched_period sched_util_min sched_util_max
 *
 * Each flag names one thing the child shares with its parent instead of
 * getting a copy of it (kernel/fork.c explains each). The low byte is not a
 * flag: it is the signal the child sends its parent when it ends. */
#ifndef SCHED_H
#define SCHED_H

#include "types.h"

#define CSIGNAL              0x000000FFu  /* low byte: the signal sent at exit */
#define CLONE_VM             0x00000100u  /* share the address space */
#define CLONE_FS             0x00000200u  /* share cwd, root and umask */
#define CLONE_FILES          0x00000400u  /* share the descriptor table */
#define CLONE_SIGHAND        0x00000800u  /* share the signal handlers */
#define CLONE_PIDFD          0x00001000u
#define CLONE_PTRACE         0x00002000u
#define CLONE_VFORK          0x00004000u  /* the parent sleeps until the child execs or exits */
#define CLONE_PARENT         0x00008000u
#define CLONE_THREAD         0x00010000u  /* same thread group: a thread, not a process */
#define CLONE_NEWNS          0x00020000u
#define CLONE_SYSVSEM        0x00040000u  /* share System V semaphore undo lists */
#define CLONE_SETTLS         0x00080000u  /* the child's TLS descriptor is given */
#define CLONE_PARENT_SETTID  0x00100000u  /* write the child's tid into the parent's memory */
#define CLONE_CHILD_CLEARTID 0x00200000u  /* zero and futex-wake the tid word at exit */
#define CLONE_DETACHED       0x00400000u  /* ignored, as by Linux */
#define CLONE_UNTRACED       0x00800000u
#define CLONE_CHILD_SETTID   0x01000000u  /* write the child's tid into the child's memory */
#define CLONE_NEWCGROUP      0x02000000u
#define CLONE_NEWUTS         0x04000000u
#define CLONE_NEWIPC         0x08000000u
#define CLONE_NEWUSER        0x10000000u
#define CLONE_NEWPID         0x20000000u
#define CLONE_NEWNET         0x40000000u
#define CLONE_IO             0x80000000u
#define CLONE_NEWTIME        0x00000080u  /* in the low byte: unshare and clone3 only */
#define CLONE_CLEAR_SIGHAND  0x100000000ull /* clone3: handlers back to SIG_DFL */
#define CLONE_INTO_CGROUP    0x200000000ull /* clone3: start in the cgroup args.cgroup */

/* clone3's argument block, versioned by size: the first version is 64
 * bytes, the second (set_tid) 80, the third (cgroup) 88. */
#define CLONE_ARGS_SIZE_VER0 64
#define CLONE_ARGS_SIZE_VER1 80
#define CLONE_ARGS_SIZE_VER2 88

struct clone_args {
    uint64_t flags;
    uint64_t pidfd;                /* where the CLONE_PIDFD descriptor goes */
    uint64_t child_tid;
    uint64_t parent_tid;
    uint64_t exit_signal;
    uint64_t stack;                /* the lowest address of the child's stack */
    uint64_t stack_size;
    uint64_t tls;
    uint64_t set_tid;              /* an array of pids to ask for, one a level */
    uint64_t set_tid_size;
    uint64_t cgroup;               /* a cgroup directory's descriptor */
};

/* Scheduling policies (sched_setscheduler) and the flag that a fork does
 * not pass a real-time policy or a negative nice value on. */
#define SCHED_NORMAL        0
#define SCHED_FIFO          1
#define SCHED_RR            2
#define SCHED_BATCH         3
#define SCHED_IDLE          5
#define SCHED_DEADLINE      6
#define SCHED_RESET_ON_FORK 0x40000000

/* sched_setattr and sched_getattr: struct sched_attr and its flags
 * (<linux/sched/types.h>, <linux/sched.h>). The first version is 48 bytes,
 * the second (utilization clamps) 56. */
#define SCHED_FLAG_RESET_ON_FORK 0x01
#define SCHED_FLAG_KEEP_POLICY   0x08
#define SCHED_FLAG_KEEP_PARAMS   0x10
#define SCHED_FLAG_UTIL_CLAMP_MIN 0x20
#define SCHED_FLAG_UTIL_CLAMP_MAX 0x40
#define SCHED_FLAG_ALL           0x7F
#define SCHED_ATTR_SIZE_VER0     48
#define SCHED_ATTR_SIZE_VER1     56

struct sched_attr {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
    uint32_t sched_util_min;
    uint32_t sched_util_max;
};

#endif
