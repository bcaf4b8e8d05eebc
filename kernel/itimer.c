/* itimer.c: alarm and setitimer: ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF
 * (itimer.h). */
#include "kernel/itimer.h"
#include "kernel/clocks.h"
#include "kernel/cputime.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "drivers/timer.h"
#include "drivers/clock.h"
#include "linux/errno.h"
#include "linux/time.h"
#include "mm/usercopy.h"

#define NS_PER_SEC 1000000000u

/* ---- ITIMER_REAL: real time, on a kernel timer ---- */

/* The timer interrupt: ITIMER_REAL is due. Send SIGALRM to the process
 * (si_code SI_KERNEL, as Linux's). It is reloaded only once the signal is
 * taken (itimer_sigalrm_taken). */
static void real_fire(struct ktimer *kt)
{
    struct thread_group *g = kt->data;
    struct proc *p = proc_live_thread(g->itimers.tgid);
    if (p)
        signal_send(p, SIGALRM, 0, true);
}

/* ITIMER_REAL's time left (ns): 0 if it is not counting; 1 us if it is due
 * within this tick (Linux's answer: still counting, but only just). */
static uint64_t real_left(const struct itimers *it)
{
    if (!it->real.armed)
        return 0;
    uint64_t now = ktimer_now();
    return it->real_expires > now ? it->real_expires - now : 1000;
}

static void real_set(struct itimers *it, const struct timer_setting *v, struct timer_setting *old)
{
    if (old) {
        old->value = real_left(it);
        old->interval = it->real_interval;
    }
    ktimer_disarm(&it->real);
    if (!v->value) {
        it->real_interval = 0;
        return;
    }
    it->tgid = current_proc()->tgid;
    it->real_interval = v->interval;
    it->real_expires = ns_add(ktimer_now(), v->value);
    it->real.fn = real_fire;
    it->real.data = current_proc()->group;
    ktimer_arm(&it->real, it->real_expires);
}

void itimer_sigalrm_taken(struct proc *p)
{
    struct itimers *it = &p->group->itimers;
    if (it->real.armed || !it->real_interval)
        return;
    /* The next expiry after now, whole periods after the last one: those
     * missed while the signal waited are skipped (Linux's hrtimer_forward). */
    ktimer_forward(&it->real_expires, clock_monotonic_ns(), it->real_interval);
    ktimer_arm(&it->real, it->real_expires);
}

void itimer_exit(struct thread_group *g)
{
    ktimer_disarm(&g->itimers.real);
    g->itimers.real_interval = 0;
}

/* ---- ITIMER_VIRTUAL and ITIMER_PROF: CPU time, checked at each tick ---- */

/* The CPU clock each one counts: user time, or all of it. */
static uint64_t cpu_clock(const struct thread_group *g, int which)
{
    return which == ITIMER_VIRTUAL ? cputime_process_user_ns(g) : cputime_process_ns(g);
}

static void cpu_get(const struct cpu_itimer *t, uint64_t now, struct timer_setting *cur)
{
    cur->interval = t->interval;
    if (!t->expires)
        cur->value = 0;
    else if (t->expires < now)
        cur->value = TICK_NS;              /* due at this tick: Linux says one tick */
    else
        cur->value = t->expires - now;
}

static void cpu_set(struct cpu_itimer *t, uint64_t now, const struct timer_setting *v,
                    struct timer_setting *old)
{
    if (old) {
        old->interval = t->interval;
        old->value = !t->expires ? 0 : t->expires <= now ? TICK_NS : t->expires - now;
    }
    /* One tick more than asked, as Linux adds: the clock counts whole
     * ticks, and the tick under way may have been used only in part. The
     * interval is kept even when the timer is disarmed (Linux does). */
    t->expires = v->value ? ns_add(ns_add(v->value, TICK_NS), now) : 0;
    t->interval = v->interval;
}

/* Fire t if clock now has reached it: reload it (or stop it) and send sig
 * to p's process. */
static void cpu_check(struct proc *p, struct cpu_itimer *t, uint64_t now, int sig)
{
    if (!t->expires || now < t->expires)
        return;
    t->expires = t->interval ? ns_add(t->expires, t->interval) : 0;
    signal_send(p, sig, 0, true);
}

void itimer_cpu_tick(struct proc *p)
{
    struct thread_group *g = p->group;
    cpu_check(p, &g->itimers.virt, cpu_clock(g, ITIMER_VIRTUAL), SIGVTALRM);
    cpu_check(p, &g->itimers.prof, cpu_clock(g, ITIMER_PROF), SIGPROF);
}

/* ---- the system calls' workers ---- */

int do_setitimer(int which, const struct timer_setting *v, struct timer_setting *old)
{
    struct thread_group *g = current_proc()->group;
    switch (which) {
    case ITIMER_REAL:
        real_set(&g->itimers, v, old);
        return 0;
    case ITIMER_VIRTUAL:
        cpu_set(&g->itimers.virt, cpu_clock(g, which), v, old);
        return 0;
    case ITIMER_PROF:
        cpu_set(&g->itimers.prof, cpu_clock(g, which), v, old);
        return 0;
    default:
        return -EINVAL;
    }
}

int do_getitimer(int which, struct timer_setting *cur)
{
    struct thread_group *g = current_proc()->group;
    switch (which) {
    case ITIMER_REAL:
        cur->value = real_left(&g->itimers);
        cur->interval = g->itimers.real_interval;
        return 0;
    case ITIMER_VIRTUAL:
        cpu_get(&g->itimers.virt, cpu_clock(g, which), cur);
        return 0;
    case ITIMER_PROF:
        cpu_get(&g->itimers.prof, cpu_clock(g, which), cur);
        return 0;
    default:
        return -EINVAL;
    }
}

unsigned int do_alarm(unsigned int seconds)
{
    struct timer_setting v = { (uint64_t)seconds * NS_PER_SEC, 0 }, old;
    do_setitimer(ITIMER_REAL, &v, &old);
    uint64_t sec = old.value / NS_PER_SEC, nsec = old.value % NS_PER_SEC;
    if ((sec == 0 && nsec) || nsec >= NS_PER_SEC / 2)
        sec++;
    return (unsigned int)sec;
}

bool timespec_ns_ok(int64_t sec, int64_t nsec, uint64_t *ns)
{
    if (sec < 0 || nsec < 0 || nsec >= NS_PER_SEC)
        return false;
    *ns = timespec_to_ns(sec, nsec);
    return true;
}

long timer_setting_put(vaddr_t u, const struct timer_setting *c, bool wide)
{
    if (wide) {
        struct __kernel_itimerspec o = {
            { (int64_t)(c->interval / NS_PER_SEC), (int64_t)(c->interval % NS_PER_SEC) },
            { (int64_t)(c->value / NS_PER_SEC), (int64_t)(c->value % NS_PER_SEC) } };
        return copy_to_user(u, &o, sizeof o) < 0 ? -EFAULT : 0;
    }
    struct old_itimerspec32 o = {
        { (int32_t)(c->interval / NS_PER_SEC), (int32_t)(c->interval % NS_PER_SEC) },
        { (int32_t)(c->value / NS_PER_SEC), (int32_t)(c->value % NS_PER_SEC) } };
    return copy_to_user(u, &o, sizeof o) < 0 ? -EFAULT : 0;
}
