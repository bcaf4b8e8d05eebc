/* clone3.c: clone3(args, size), clone with its arguments in a struct
 * clone_args whose size says which version the caller knows (64, 80 or 88
 * bytes; a later caller's longer struct is taken if its extra bytes are
 * all zero). It adds to clone: the exit signal in a field of its own, the
 * stack as (lowest address, size), CLONE_PIDFD's descriptor written to
 * args.pidfd, CLONE_CLEAR_SIGHAND, set_tid and CLONE_INTO_CGROUP. The
 * child itself is made by do_clone (kernel/fork.c), with its flag checks.
 * glibc's pthread_create and posix_spawn try clone3 first. */
#include "kernel/clone3.h"
#include "kernel/pidfd.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "kernel/signal.h"
#include "fs/file.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/sched.h"
#include "linux/signal.h"
#include "param.h"

/* Linux's limit on set_tid's length: one pid per pid-namespace level. */
#define MAX_PID_NS_LEVEL 32

/* Read the caller's struct clone_args of size bytes into *args, as Linux's
 * copy_struct_from_user: EINVAL below the first version, E2BIG above a
 * page or for a non-zero byte past the struct this kernel knows, EFAULT. */
static int read_clone_args(vaddr_t uargs, uint32_t size, struct clone_args *args)
{
    if (size > PAGE_SIZE)
        return -E2BIG;
    if (size < CLONE_ARGS_SIZE_VER0)
        return -EINVAL;
    *args = (struct clone_args){ 0 };
    uint32_t known = size < sizeof *args ? size : sizeof *args;
    if (copy_from_user(args, uargs, known) < 0)
        return -EFAULT;
    for (uint32_t at = known; at < size; at++) {
        uint8_t byte;
        if (copy_from_user(&byte, uargs + at, 1) < 0)
            return -EFAULT;
        if (byte)
            return -E2BIG;
    }
    return 0;
}

/* The checks Linux makes of the struct before anything else
 * (copy_clone_args_from_user, clone3_args_valid): each a -EINVAL. */
static int check_clone_args(const struct clone_args *a, uint32_t size)
{
    if (a->set_tid_size > MAX_PID_NS_LEVEL)
        return -EINVAL;
    if (!a->set_tid != !a->set_tid_size)
        return -EINVAL;                /* an array without a length, or the other way */
    if ((a->exit_signal & ~(uint64_t)CSIGNAL) || a->exit_signal > _NSIG)
        return -EINVAL;
    if ((a->flags & CLONE_INTO_CGROUP) &&
        (a->cgroup > 0x7fffffff || size < CLONE_ARGS_SIZE_VER2))
        return -EINVAL;
    if (a->flags & ~(0xffffffffull | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP))
        return -EINVAL;
    /* The low byte is exit_signal's field now (CLONE_NEWTIME aside). */
    if (a->flags & (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME)))
        return -EINVAL;
    if ((a->flags & CLONE_SIGHAND) && (a->flags & CLONE_CLEAR_SIGHAND))
        return -EINVAL;
    if ((a->flags & (CLONE_THREAD | CLONE_PARENT)) && a->exit_signal)
        return -EINVAL;
    /* A stack is an address and a size, both or neither, in user space. */
    if (a->stack ? !a->stack_size || a->stack >= USER_TOP || a->stack_size > USER_TOP - a->stack
                 : a->stack_size != 0)
        return -EINVAL;
    return 0;
}

/* set_tid asks for the child's pid (checkpoint/restore). Linux checks the
 * pids, then wants CAP_CHECKPOINT_RESTORE in the pid namespace's owner;
 * bunshin answers as Linux does a caller without it: EINVAL for more pids
 * than the one namespace level or a pid out of range, EFAULT, then EPERM. */
static int check_set_tid(const struct clone_args *a)
{
    if (a->set_tid_size > 1)
        return -EINVAL;
    int32_t tid;
    if (a->set_tid > USER_TOP || copy_from_user(&tid, (vaddr_t)a->set_tid, sizeof tid) < 0)
        return -EFAULT;
    if (tid < 1 || tid >= PID_MAX)
        return -EINVAL;
    return -EPERM;
}

/* CLONE_CLEAR_SIGHAND: the child's handlers (its own copy) back to
 * SIG_DFL, all but SIG_IGN, as exec does. */
static void clear_handlers(struct proc *child)
{
    for (int i = 0; i < _NSIG; i++) {
        struct sigaction_rt *sa = &child->sighand->action[i];
        if (sa->handler != SIG_IGN)
            *sa = (struct sigaction_rt){ .handler = SIG_DFL };
    }
}

/* clone3(struct clone_args *args, size) */
long sys_clone3(struct trapframe *tf)
{
    struct clone_args a;
    uint32_t size = tf->ecx;
    int r = read_clone_args(tf->ebx, size, &a);
    if (r < 0)
        return r;
    if ((r = check_clone_args(&a, size)) < 0)
        return r;
    if (a.set_tid && (r = check_set_tid(&a)) < 0)
        return r;
    /* bunshin has no cgroup file system: no descriptor names a cgroup
     * directory, which Linux answers with EBADF. */
    if (a.flags & CLONE_INTO_CGROUP)
        return -EBADF;
    /* All user addresses are below 4 GiB on i386. */
    if (a.pidfd > USER_TOP || a.child_tid > USER_TOP || a.parent_tid > USER_TOP ||
        a.tls > USER_TOP)
        return -EFAULT;
    uint32_t flags = (uint32_t)a.flags;
    /* A new time namespace: bunshin has no namespaces, and do_clone
     * refuses the others so. */
    if (flags & CLONE_NEWTIME)
        return -EINVAL;
    if (flags & CLONE_PIDFD) {
        /* A pidfd names a process, not a thread (Linux before 6.9). */
        if (flags & CLONE_THREAD)
            return -EINVAL;
        if (user_range_ok((vaddr_t)a.pidfd, sizeof(int), true) < 0)
            return -EFAULT;
        /* Linux takes the descriptor before making the child: no child
         * if the table is full. */
        struct proc *self = current_proc();
        if (fd_lowest_free(self->files, 0, rlimit_nofile(self)) < 0)
            return -EMFILE;
    }
    /* do_clone takes clone(2)'s flags: the exit signal in the low byte,
     * CLONE_PIDFD done here; the stack pointer starts at the top. */
    uint32_t clone_flags = (flags & ~(CSIGNAL | CLONE_PIDFD)) | (uint32_t)a.exit_signal;
    vaddr_t sp = a.stack ? (vaddr_t)(a.stack + a.stack_size) : 0;
    int tid = do_clone(clone_flags, sp, (vaddr_t)a.parent_tid, (vaddr_t)a.tls,
                       (vaddr_t)a.child_tid, tf);
    if (tid < 0)
        return tid;
    struct proc *child = proc_find(tid);
    if (child && (a.flags & CLONE_CLEAR_SIGHAND))
        clear_handlers(child);
    if (flags & CLONE_PIDFD) {
        /* Made after the child (which has not run yet, unless it was a
         * vfork child); a free slot was seen above, so only -ENOMEM can
         * fail here, and then the child exists all the same, where Linux
         * would have made neither. */
        int fd = child ? pidfd_create(child, 0) : -ESRCH;
        if (fd < 0)
            return fd;
        copy_to_user((vaddr_t)a.pidfd, &fd, sizeof fd);
    }
    return tid;
}
