/* rlimit.c: resource limits (rlimit.h): their defaults, the system calls
 * that read and set them, and the checks that are not another subsystem's.
 *
 * The values live in each process's struct thread_group (kernel/signal.h),
 * 64 bits wide as prlimit64 gives them, so that a limit set through the
 * 64-bit call reads back the same (a 64-bit Linux does the same for 32-bit
 * programs). The two 32-bit calls convert on the way in and out.
 */
#include "kernel/rlimit.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/signal.h"
#include "param.h"

void rlimit_init(struct rlimit64_pair lim[RLIM_NLIMITS])
{
    for (int r = 0; r < RLIM_NLIMITS; r++)
        lim[r] = (struct rlimit64_pair){ RLIM64_INFINITY, RLIM64_INFINITY };
    /* Linux's INIT_RLIMITS, where they are not "no limit". */
    lim[RLIMIT_STACK].cur = STACK_LIMIT;           /* 8 MiB, as _STK_LIM */
    lim[RLIMIT_CORE].cur = 0;                      /* no cores until asked for */
    lim[RLIMIT_MEMLOCK] = (struct rlimit64_pair){ 8u << 20, 8u << 20 };  /* MLOCK_LIMIT */
    lim[RLIMIT_MSGQUEUE] = (struct rlimit64_pair){ 819200, 819200 };     /* MQ_BYTES_MAX */
    lim[RLIMIT_NICE] = (struct rlimit64_pair){ 0, 0 };
    lim[RLIMIT_RTPRIO] = (struct rlimit64_pair){ 0, 0 };
    /* Linux gives init 1024 descriptors (soft) and 4096 (hard), and no
     * process more than /proc/sys/fs/nr_open. bunshin's table has NOFILE
     * (256) slots, fixed inside struct fdtable (fs/file.h): 1024 would
     * make it 5 KiB, two frames of its own for every process instead of a
     * share of a heap page. So both limits are the table's size, which is
     * also bunshin's nr_open: a hard limit above it is EPERM. */
    lim[RLIMIT_NOFILE] = (struct rlimit64_pair){ NOFILE, NOFILE };
    /* Linux: half of max_threads, the most tasks memory allows (one per
     * 64 KiB on i386), so that one user cannot take them all; the same
     * number bounds the siginfos one user may have queued. bunshin's
     * max_threads is its process table, sized by memory (kernel/proc.c). */
    uint64_t half = (uint64_t)nproc / 2;
    lim[RLIMIT_NPROC] = (struct rlimit64_pair){ half, half };
    lim[RLIMIT_SIGPENDING] = (struct rlimit64_pair){ half, half };
}

uint64_t rlimit_cur(const struct proc *p, int resource)
{
    return p->group->rlim[resource].cur;
}

uint64_t rlimit_max(const struct proc *p, int resource)
{
    return p->group->rlim[resource].max;
}

int rlimit_nofile(const struct proc *p)
{
    uint64_t n = rlimit_cur(p, RLIMIT_NOFILE);
    return n > NOFILE ? NOFILE : (int)n;
}

/* Linux lifts RLIMIT_NPROC for root's own processes (the real user is
 * INIT_USER) and for privileged ones (CAP_SYS_RESOURCE or CAP_SYS_ADMIN:
 * effective uid 0 here). */
bool rlimit_exempt(const struct proc *p)
{
    return p->cred.uid == 0 || cred_privileged(&p->cred);
}

/* ---- checks for the rest of the kernel ---- */

long rlimit_fsize_write(uint64_t pos, uint32_t n)
{
    uint64_t limit = rlimit_cur(current_proc(), RLIMIT_FSIZE);
    if (n == 0 || limit == RLIM64_INFINITY)
        return n;                  /* Linux: a write of nothing checks nothing */
    if (pos >= limit) {
        signal_raise(SIGXFSZ);
        return -EFBIG;
    }
    return n > limit - pos ? (long)(limit - pos) : (long)n;   /* partial, up to the limit */
}

int rlimit_fsize_truncate(uint64_t old, uint64_t size)
{
    uint64_t limit = rlimit_cur(current_proc(), RLIMIT_FSIZE);
    if (size <= old || limit == RLIM64_INFINITY || size <= limit)
        return 0;                  /* shrinking is always allowed */
    signal_raise(SIGXFSZ);
    return -EFBIG;
}

void rlimit_cpu_tick(struct proc *p)
{
    struct rlimit64_pair *cpu = &p->group->rlim[RLIMIT_CPU];
    if (cpu->cur == RLIM64_INFINITY)
        return;
    uint64_t seconds = (p->group->utime + p->group->stime) / HZ;
    if (cpu->max != RLIM64_INFINITY && seconds >= cpu->max) {
        signal_send(p, SIGKILL, 0, true);
        return;
    }
    if (seconds >= cpu->cur) {
        signal_send(p, SIGXCPU, 0, true);
        cpu->cur++;                /* Linux's way to send it again a second later */
    }
}

/* ---- the system calls ---- */

int do_prlimit(int pid, uint32_t resource, const struct rlimit64_pair *new,
               struct rlimit64_pair *old)
{
    /* Any thread's id names its process, as on Linux (find_task_by_vpid). */
    struct proc *p = pid ? proc_find(pid) : current_proc();
    if (!p || !p->group)
        return -ESRCH;
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    if (new && new->cur > new->max)
        return -EINVAL;
    if (new && resource == RLIMIT_NOFILE && new->max > NOFILE)
        return -EPERM;
    /* Raising a hard limit needs CAP_SYS_RESOURCE: every process has it. */
    struct rlimit64_pair *lim = &p->group->rlim[resource];
    if (old)
        *old = *lim;
    if (new)
        *lim = *new;
    return 0;
}

/* prlimit64(pid, resource, new, old): either pointer may be NULL. The old
 * value is written last: a bad old pointer still leaves the new limit set,
 * as on Linux. */
long sys_prlimit64(struct trapframe *tf)
{
    struct rlimit64_pair new, old;
    if (tf->edx && copy_from_user(&new, tf->edx, sizeof new) < 0)
        return -EFAULT;
    int r = do_prlimit((int)tf->ebx, tf->ecx, tf->edx ? &new : 0, tf->esi ? &old : 0);
    if (r < 0)
        return r;
    if (tf->esi && copy_to_user(tf->esi, &old, sizeof old) < 0)
        return -EFAULT;
    return 0;
}

/* A limit in the 32-bit struct rlimit: RLIM_INFINITY for anything that
 * does not fit in 32 bits. */
static uint32_t rlimit32(uint64_t v)
{
    return v > RLIM_INFINITY ? RLIM_INFINITY : (uint32_t)v;
}

/* ugetrlimit(resource, struct rlimit *): the 32-bit form. */
long sys_ugetrlimit(struct trapframe *tf)
{
    struct rlimit64_pair v;
    int r = do_prlimit(0, tf->ebx, 0, &v);
    if (r < 0)
        return r;
    uint32_t out[2] = { rlimit32(v.cur), rlimit32(v.max) };
    return copy_to_user(tf->ecx, out, sizeof out);
}

/* getrlimit(resource, struct rlimit *): the oldest form, from when "no
 * limit" was 0x7fffffff; Linux still caps every value there for the old
 * programs that call it. */
long sys_getrlimit(struct trapframe *tf)
{
    struct rlimit64_pair v;
    int r = do_prlimit(0, tf->ebx, 0, &v);
    if (r < 0)
        return r;
    uint32_t out[2] = { rlimit32(v.cur), rlimit32(v.max) };
    for (int i = 0; i < 2; i++)
        if (out[i] > 0x7FFFFFFFu)
            out[i] = 0x7FFFFFFFu;
    return copy_to_user(tf->ecx, out, sizeof out);
}

/* setrlimit(resource, struct rlimit *): 32-bit values, RLIM_INFINITY
 * meaning no limit. The struct is read before the resource is looked at:
 * EFAULT wins over EINVAL, as on Linux. */
long sys_setrlimit(struct trapframe *tf)
{
    uint32_t in[2];
    if (copy_from_user(in, tf->ecx, sizeof in) < 0)
        return -EFAULT;
    struct rlimit64_pair v = {
        in[0] == RLIM_INFINITY ? RLIM64_INFINITY : in[0],
        in[1] == RLIM_INFINITY ? RLIM64_INFINITY : in[1],
    };
    return do_prlimit(0, tf->ebx, &v, 0);
}
