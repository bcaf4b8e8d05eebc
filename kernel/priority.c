/* priority.c: nice values, with getpriority and setpriority. Every thread
 * has one, from -20 (wants the CPU most) to 19 (least), 0 at boot; fork and
 * clone copy it. bunshin's scheduler is round robin and does not look at it
 * (kernel/sched.c): a nice value here is what a program sets and reads back,
 * and what /proc/<pid>/stat shows (fields 18 and 19, which ps and top read),
 * so that nice, renice and ps -o nice behave as on Linux.
 *
 * "who" names threads three ways (which): PRIO_PROCESS a thread id (0: the
 * caller), PRIO_PGRP every thread of a process group (0: the caller's),
 * PRIO_USER every thread whose real uid is who (0: the caller's). Linux's
 * rules, from kernel/sys.c: anyone may read; one may set another's value
 * when one's effective uid is its real or effective uid, or when privileged;
 * lowering a value needs RLIMIT_NICE to allow it (20 - nice <= the limit)
 * or privilege. */
#include "kernel/priority.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "linux/errno.h"
#include "linux/resource.h"

/* Does thread p answer to (which, who)? who 0 was already made the
 * caller's own id by the caller. */
static bool prio_matches(const struct proc *p, int which, int who)
{
    /* A zombie still answers, until it is reaped, as on Linux. */
    if (p->state == PROC_UNUSED || p->state == PROC_EMBRYO)
        return false;
    switch (which) {
    case PRIO_PROCESS: return p->pid == who;
    case PRIO_PGRP:    return p->group && p->group->pgid == who;
    default:           return p->cred.uid == (uint32_t)who;
    }
}

/* The id "who" stands for: itself, or for 0 the caller's thread, process
 * group or real uid. -EINVAL for an unknown which. */
static int prio_target(int which, int who, int *id)
{
    struct proc *me = current_proc();
    if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER)
        return -EINVAL;
    if (who)
        *id = who;
    else if (which == PRIO_PROCESS)
        *id = me->pid;
    else if (which == PRIO_PGRP)
        *id = me->group->pgid;
    else
        *id = (int)me->cred.uid;
    return 0;
}

/* getpriority(which, who): the lowest nice value among the threads named,
 * as 20 - nice (1..40: the raw call never returns a negative value; the C
 * library turns it back). -ESRCH if none. */
long sys_getpriority(struct trapframe *tf)
{
    int which = (int)tf->ebx, id;
    int r = prio_target(which, (int)tf->ecx, &id);
    if (r < 0)
        return r;
    long best = -ESRCH;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *p = &procs[i];
        if (prio_matches(p, which, id) && 20 - p->nice > best)
            best = 20 - p->nice;
    }
    return best;
}

/* May the caller give thread p the nice value nice? 0, -EPERM (not its
 * owner) or -EACCES (a lower value, not allowed by RLIMIT_NICE). */
static int may_set_nice(struct proc *p, int nice)
{
    struct proc *me = current_proc();
    const struct cred *c = current_cred();
    bool privileged = cred_privileged(c);
    if (!privileged && c->euid != p->cred.uid && c->euid != p->cred.euid)
        return -EPERM;
    if (nice < p->nice && !privileged && (uint64_t)(20 - nice) > rlimit_cur(me, RLIMIT_NICE))
        return -EACCES;
    return 0;
}

/* setpriority(which, who, nice): nice (clamped to -20..19) for every thread
 * named that the caller may change. As Linux: -ESRCH if none is named; else
 * the error of the last thread that refused, if one did (the others took
 * the value all the same); else 0. */
long sys_setpriority(struct trapframe *tf)
{
    int which = (int)tf->ebx, id, nice = (int)tf->edx;
    int r = prio_target(which, (int)tf->ecx, &id);
    if (r < 0)
        return r;
    if (nice < PRIO_MIN)
        nice = PRIO_MIN;
    if (nice > PRIO_MAX - 1)
        nice = PRIO_MAX - 1;
    long err = -ESRCH;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *p = &procs[i];
        if (!prio_matches(p, which, id))
            continue;
        int refused = may_set_nice(p, nice);
        if (refused) {
            err = refused;
            continue;
        }
        if (err == -ESRCH)
            err = 0;
        p->nice = nice;
    }
    return err;
}
