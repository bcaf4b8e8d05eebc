/* priority.c: nice values, with getpriority and setpriority, and I/O
 * priorities, with ioprio_get and ioprio_set (ionice). Every thread
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
 * or privilege.
 *
 * An I/O priority is a class and a level (include/linux/ioprio.h), none at
 * boot; bunshin has no disk to share, so it too is only kept and read back.
 * The same three ways to name threads; setting takes a real-time class only
 * with privilege, and another user's threads only with privilege (their
 * real uid must be the caller's real or effective uid); reading several
 * threads answers the best of theirs. */
#include "kernel/priority.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "linux/errno.h"
#include "linux/ioprio.h"
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
        if (prio_matches(p, which, id) && 20 - p->prio.nice > best)
            best = 20 - p->prio.nice;
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
    if (nice < p->prio.nice && !privileged && (uint64_t)(20 - nice) > rlimit_cur(me, RLIMIT_NICE))
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
        p->prio.nice = nice;
    }
    return err;
}

/* nice(inc): the caller's nice value moved by inc (-40..40), clamped to
 * -20..19; returns 0 (the C library reads the new value back). Lowering it
 * needs RLIMIT_NICE or privilege (EPERM, not setpriority's EACCES). */
long sys_nice(struct trapframe *tf)
{
    struct proc *me = current_proc();
    int inc = (int)tf->ebx;
    if (inc < -40)
        inc = -40;
    if (inc > 40)
        inc = 40;
    int nice = me->prio.nice + inc;
    if (nice < PRIO_MIN)
        nice = PRIO_MIN;
    if (nice > PRIO_MAX - 1)
        nice = PRIO_MAX - 1;
    if (inc < 0 && !cred_privileged(current_cred()) &&
        (uint64_t)(20 - nice) > rlimit_cur(me, RLIMIT_NICE))
        return -EPERM;
    me->prio.nice = nice;
    return 0;
}

/* ---- I/O priorities ---- */

/* Is ioprio a class and level Linux takes? 0, -EINVAL, or -EPERM for the
 * real-time class without privilege. Bits above the 16 kept are ignored. */
static int ioprio_check(uint32_t ioprio)
{
    uint32_t class = (ioprio >> IOPRIO_CLASS_SHIFT) & IOPRIO_CLASS_MASK;
    uint32_t level = ioprio & ((1u << IOPRIO_CLASS_SHIFT) - 1);
    if (class == IOPRIO_CLASS_RT && !cred_privileged(current_cred()))
        return -EPERM;
    if (class == IOPRIO_CLASS_RT || class == IOPRIO_CLASS_BE)
        return level < IOPRIO_NR_LEVELS ? 0 : -EINVAL;
    if (class == IOPRIO_CLASS_NONE)
        return level ? -EINVAL : 0;
    return class == IOPRIO_CLASS_IDLE ? 0 : -EINVAL;
}

/* The better of two priorities (the smaller value: RT before BE before
 * IDLE, level 0 first), "none" counting as best effort at its normal level,
 * as Linux's ioprio_best. */
static uint32_t ioprio_best(uint32_t a, uint32_t b)
{
    uint32_t none = (IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT) | IOPRIO_NORM;
    if (!(a >> IOPRIO_CLASS_SHIFT))
        a = none;
    if (!(b >> IOPRIO_CLASS_SHIFT))
        b = none;
    return a < b ? a : b;
}

/* ioprio_get(which, who): the priority of the thread named, or the best of
 * several (IOPRIO_WHO_PGRP, IOPRIO_WHO_USER); -ESRCH if none. */
long sys_ioprio_get(struct trapframe *tf)
{
    int which = (int)tf->ebx, id;
    if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
        return -EINVAL;
    /* IOPRIO_WHO_* are PRIO_* + 1. */
    int r = prio_target(which - 1, (int)tf->ecx, &id);
    if (r < 0)
        return r;
    long best = -ESRCH;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *p = &procs[i];
        if (prio_matches(p, which - 1, id))
            best = best == -ESRCH ? p->prio.ioprio : (long)ioprio_best(best, p->prio.ioprio);
    }
    return best;
}

/* ioprio_set(which, who, ioprio): the priority checked first (EINVAL,
 * EPERM), then set on every thread named, until one the caller may not
 * change (EPERM; those before it keep the new one, as on Linux). */
long sys_ioprio_set(struct trapframe *tf)
{
    int which = (int)tf->ebx, id;
    uint32_t ioprio = tf->edx;
    int r = ioprio_check(ioprio);
    if (r < 0)
        return r;
    if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
        return -EINVAL;
    if ((r = prio_target(which - 1, (int)tf->ecx, &id)) < 0)
        return r;
    const struct cred *c = current_cred();
    long err = -ESRCH;
    for (int i = 0; i < proc_table_end; i++) {
        struct proc *p = &procs[i];
        if (!prio_matches(p, which - 1, id))
            continue;
        if (!cred_privileged(c) && p->cred.uid != c->euid && p->cred.uid != c->uid)
            return -EPERM;
        p->prio.ioprio = (uint16_t)ioprio;
        err = 0;
    }
    return err;
}
