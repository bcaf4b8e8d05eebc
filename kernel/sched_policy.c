/* sched_policy.c: scheduling policies, with sched_setscheduler,
 * sched_setparam and the rest of their family. bunshin has one scheduling
 * class, round robin (kernel/sched.c): a policy and a real-time priority
 * are kept, read back and inherited as on Linux, but SCHED_FIFO and
 * SCHED_RR threads run exactly as SCHED_NORMAL ones do.
 *
 * Linux's rules (kernel/sched/syscalls.c): SCHED_NORMAL, SCHED_BATCH and
 * SCHED_IDLE take priority 0, SCHED_FIFO and SCHED_RR 1..99 (else EINVAL);
 * SCHED_DEADLINE needs sched_setattr's parameters, so sched_setscheduler
 * refuses it (EINVAL). Without privilege a thread may change only threads
 * its effective uid owns (EPERM), may take a real-time policy only as far
 * as RLIMIT_RTPRIO allows (0 by default: EPERM), may not leave SCHED_IDLE
 * unless RLIMIT_NICE allows its nice value, and may not clear
 * SCHED_RESET_ON_FORK. pid 0 is the caller; an unknown pid is ESRCH. */
#include "kernel/sched_policy.h"
#include "kernel/cred.h"
#include "kernel/rlimit.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/resource.h"
#include "linux/sched.h"
#include "linux/time.h"
#include "lib/string.h"
#include "param.h"

#define MAX_RT_PRIO   99
#define RR_TIMESLICE_MS 100            /* what Linux answers for SCHED_RR */

void sched_policy_fork(struct proc *child)
{
    if (!child->prio.reset_on_fork)
        return;
    if (child->prio.policy == SCHED_FIFO || child->prio.policy == SCHED_RR) {
        child->prio.policy = SCHED_NORMAL;
        child->prio.rt_priority = 0;
    }
    if (child->prio.nice < 0)
        child->prio.nice = 0;
    child->prio.reset_on_fork = false;
}

static bool rt_policy(int policy)
{
    return policy == SCHED_FIFO || policy == SCHED_RR;
}

static bool valid_policy(int policy)
{
    return policy == SCHED_NORMAL || rt_policy(policy) || policy == SCHED_BATCH ||
           policy == SCHED_IDLE || policy == SCHED_DEADLINE;
}

/* The thread pid names (0: the caller), or NULL. A zombie still answers. */
static struct proc *sched_target(int pid)
{
    struct proc *p = pid ? proc_find(pid) : current_proc();
    return p && p->state != PROC_EMBRYO ? p : 0;
}

/* May the caller give p this policy (and priority, and reset flag)? 0 or
 * -EPERM, by Linux's rules above. */
static int may_set_policy(struct proc *p, int policy, int priority, bool reset)
{
    const struct cred *c = current_cred();
    if (cred_privileged(c))
        return 0;
    if (rt_policy(policy)) {
        uint64_t rtprio = rlimit_cur(current_proc(), RLIMIT_RTPRIO);
        if (policy != p->prio.policy && !rtprio)
            return -EPERM;
        if ((uint64_t)priority > p->prio.rt_priority && (uint64_t)priority > rtprio)
            return -EPERM;
    }
    if (p->prio.policy == SCHED_IDLE && policy != SCHED_IDLE &&
        (uint64_t)(20 - p->prio.nice) > rlimit_cur(current_proc(), RLIMIT_NICE))
        return -EPERM;
    if (c->euid != p->cred.uid && c->euid != p->cred.euid)
        return -EPERM;
    if (p->prio.reset_on_fork && !reset)
        return -EPERM;
    return 0;
}

/* sched_setscheduler(pid, policy, param) and, with policy -1 (keep it),
 * sched_setparam. */
static long do_setscheduler(int pid, int policy, vaddr_t uparam)
{
    if (!uparam || pid < 0)
        return -EINVAL;
    int priority;
    if (copy_from_user(&priority, uparam, sizeof priority) < 0)
        return -EFAULT;
    struct proc *p = sched_target(pid);
    if (!p)
        return -ESRCH;
    bool reset = p->prio.reset_on_fork;
    if (policy == -1) {
        policy = p->prio.policy;
    } else {
        reset = (policy & SCHED_RESET_ON_FORK) != 0;
        policy &= ~SCHED_RESET_ON_FORK;
        if (!valid_policy(policy))
            return -EINVAL;
    }
    if (priority < 0 || priority > MAX_RT_PRIO || rt_policy(policy) != (priority != 0) ||
        policy == SCHED_DEADLINE)
        return -EINVAL;
    int r = may_set_policy(p, policy, priority, reset);
    if (r < 0)
        return r;
    p->prio.policy = (uint8_t)policy;
    p->prio.rt_priority = (uint8_t)priority;
    p->prio.reset_on_fork = reset;
    return 0;
}

/* ---- sched_setattr, sched_getattr ---- */

/* Linux's check of SCHED_DEADLINE's parameters (__checkparam_dl): a
 * runtime of at least 1024 ns, runtime <= deadline <= period, a period
 * from 100 us to about 4 s. */
static bool deadline_params_ok(const struct sched_attr *a)
{
    uint64_t period = a->sched_period ? a->sched_period : a->sched_deadline;
    if (!a->sched_deadline || a->sched_runtime < 1024 || (a->sched_deadline >> 63) ||
        (a->sched_period >> 63))
        return false;
    return period >= a->sched_deadline && a->sched_deadline >= a->sched_runtime &&
           period >= 100000 && period <= (1ull << 22) * 1000;
}

/* sched_setattr(pid, attr, flags): sched_setscheduler with a nice value
 * and flags. The struct is read as openat2's is (size 0: the first
 * version; too small, past a page, or non-zero past what is known: E2BIG,
 * with the known size written back). SCHED_DEADLINE is checked as Linux
 * checks it; with good parameters it is EPERM without privilege and EBUSY
 * with it: bunshin has no deadline class to admit it to. */
long sys_sched_setattr(struct trapframe *tf)
{
    int pid = (int)tf->ebx;
    vaddr_t uattr = tf->ecx;
    if (!uattr || pid < 0 || tf->edx)
        return -EINVAL;
    struct sched_attr a;
    memset(&a, 0, sizeof a);
    uint32_t size;
    if (copy_from_user(&size, uattr, sizeof size) < 0)
        return -EFAULT;
    if (!size)
        size = SCHED_ATTR_SIZE_VER0;
    bool too_big = size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE;
    for (uint32_t at = sizeof a; !too_big && at < size; at++) {
        uint8_t b;
        if (copy_from_user(&b, uattr + at, 1) < 0)
            return -EFAULT;
        too_big = b != 0;
    }
    if (too_big) {
        uint32_t known = sizeof a;
        copy_to_user(uattr, &known, sizeof known);
        return -E2BIG;
    }
    if (copy_from_user(&a, uattr, size < sizeof a ? size : sizeof a) < 0)
        return -EFAULT;
    if ((a.sched_flags & (SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX)) &&
        size < SCHED_ATTR_SIZE_VER1)
        return -EINVAL;
    int nice = a.sched_nice < -20 ? -20 : a.sched_nice > 19 ? 19 : a.sched_nice;
    struct proc *p = sched_target(pid);
    if (!p)
        return -ESRCH;
    int policy = (a.sched_flags & SCHED_FLAG_KEEP_POLICY) ? p->prio.policy : (int)a.sched_policy;
    uint32_t priority = a.sched_priority;
    if (a.sched_flags & SCHED_FLAG_KEEP_PARAMS) {
        priority = p->prio.rt_priority;
        nice = p->prio.nice;
    }
    if (!valid_policy(policy) || (a.sched_flags & ~(uint64_t)SCHED_FLAG_ALL))
        return -EINVAL;
    if (priority > MAX_RT_PRIO || rt_policy(policy) != (priority != 0) ||
        (policy == SCHED_DEADLINE && !deadline_params_ok(&a)))
        return -EINVAL;
    if ((a.sched_flags & SCHED_FLAG_UTIL_CLAMP_MAX) && a.sched_util_max > 1024)
        return -EINVAL;
    if ((a.sched_flags & SCHED_FLAG_UTIL_CLAMP_MIN) &&
        (a.sched_util_min > 1024 ||
         ((a.sched_flags & SCHED_FLAG_UTIL_CLAMP_MAX) && a.sched_util_min > a.sched_util_max)))
        return -EINVAL;
    bool reset = (a.sched_flags & SCHED_FLAG_RESET_ON_FORK) != 0;
    const struct cred *c = current_cred();
    if (!cred_privileged(c)) {
        if (policy == SCHED_DEADLINE)
            return -EPERM;
        if (!rt_policy(policy) && nice < p->prio.nice &&
            (uint64_t)(20 - nice) > rlimit_cur(current_proc(), RLIMIT_NICE))
            return -EPERM;
    }
    int r = may_set_policy(p, policy, (int)priority, reset);
    if (r < 0)
        return r;
    if (policy == SCHED_DEADLINE)
        return -EBUSY;
    p->prio.policy = (uint8_t)policy;
    p->prio.rt_priority = (uint8_t)priority;
    p->prio.reset_on_fork = reset;
    if (!rt_policy(policy))
        p->prio.nice = nice;
    return 0;
}

/* sched_getattr(pid, attr, size, flags): the policy, flags, nice value and
 * priority, as min(size, 56) bytes with that size in attr->size, and
 * zeros after them up to size (Linux's copy_struct_to_user). */
long sys_sched_getattr(struct trapframe *tf)
{
    int pid = (int)tf->ebx;
    uint32_t size = tf->edx;
    if (!tf->ecx || pid < 0 || size > PAGE_SIZE || size < SCHED_ATTR_SIZE_VER0 || tf->esi)
        return -EINVAL;
    struct proc *p = sched_target(pid);
    if (!p)
        return -ESRCH;
    struct sched_attr a;
    memset(&a, 0, sizeof a);
    a.size = size < sizeof a ? size : sizeof a;
    a.sched_policy = p->prio.policy;
    a.sched_flags = p->prio.reset_on_fork ? SCHED_FLAG_RESET_ON_FORK : 0;
    if (rt_policy(p->prio.policy))
        a.sched_priority = p->prio.rt_priority;
    else
        a.sched_nice = p->prio.nice;
    a.sched_util_max = 1024;           /* no clamp: the whole CPU */
    if (copy_to_user(tf->ecx, &a, a.size) < 0)
        return -EFAULT;
    /* A newer program's larger struct: what bunshin does not know is 0. */
    static const uint8_t zero[64];
    for (uint32_t at = a.size; at < size; at += sizeof zero) {
        uint32_t n = size - at < sizeof zero ? size - at : sizeof zero;
        if (copy_to_user(tf->ecx + at, zero, n) < 0)
            return -EFAULT;
    }
    return 0;
}

long sys_sched_setscheduler(struct trapframe *tf)
{
    if ((int)tf->ecx < 0)
        return -EINVAL;
    return do_setscheduler((int)tf->ebx, (int)tf->ecx, tf->edx);
}

long sys_sched_setparam(struct trapframe *tf)
{
    return do_setscheduler((int)tf->ebx, -1, tf->ecx);
}

/* sched_getscheduler(pid): the policy, with SCHED_RESET_ON_FORK if set. */
long sys_sched_getscheduler(struct trapframe *tf)
{
    if ((int)tf->ebx < 0)
        return -EINVAL;
    struct proc *p = sched_target((int)tf->ebx);
    if (!p)
        return -ESRCH;
    return p->prio.policy | (p->prio.reset_on_fork ? SCHED_RESET_ON_FORK : 0);
}

/* sched_getparam(pid, param): the real-time priority (0 for the others). */
long sys_sched_getparam(struct trapframe *tf)
{
    if (!tf->ecx || (int)tf->ebx < 0)
        return -EINVAL;
    struct proc *p = sched_target((int)tf->ebx);
    if (!p)
        return -ESRCH;
    int priority = p->prio.rt_priority;
    return copy_to_user(tf->ecx, &priority, sizeof priority);
}

long sys_sched_get_priority_max(struct trapframe *tf)
{
    int policy = (int)tf->ebx;
    if (rt_policy(policy))
        return MAX_RT_PRIO;
    return valid_policy(policy) ? 0 : -EINVAL;
}

long sys_sched_get_priority_min(struct trapframe *tf)
{
    int policy = (int)tf->ebx;
    if (rt_policy(policy))
        return 1;
    return valid_policy(policy) ? 0 : -EINVAL;
}

/* sched_rr_get_interval(pid, timespec): the round-robin time slice:
 * Linux's 100 ms for SCHED_RR, 0 for every other policy (what Linux 6's
 * fair class answers too). */
static long rr_interval(int pid, vaddr_t uts, bool time64)
{
    if (pid < 0)
        return -EINVAL;
    struct proc *p = sched_target(pid);
    if (!p)
        return -ESRCH;
    uint32_t ns = p->prio.policy == SCHED_RR ? RR_TIMESLICE_MS * 1000000u : 0;
    if (time64) {
        struct __kernel_timespec ts = { 0, ns };
        return copy_to_user(uts, &ts, sizeof ts);
    }
    struct old_timespec32 ts = { 0, (int32_t)ns };
    return copy_to_user(uts, &ts, sizeof ts);
}

long sys_sched_rr_get_interval(struct trapframe *tf)
{
    return rr_interval((int)tf->ebx, tf->ecx, false);
}

long sys_sched_rr_get_interval_time64(struct trapframe *tf)
{
    return rr_interval((int)tf->ebx, tf->ecx, true);
}
