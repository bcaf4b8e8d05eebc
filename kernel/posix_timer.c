/* posix_timer.c: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete (posix_timer.h).
 *
 * A timer on a real-time clock (REALTIME, MONOTONIC, BOOTTIME, TAI) waits
 * on the kernel's timer list (kernel/ktimer.c), its expiry kept on the
 * monotonic clock: nothing sets bunshin's time of day, so an absolute
 * CLOCK_REALTIME time is a fixed distance from a monotonic one. A timer on a
 * CPU-time clock is looked at on each tick of CPU time the process is
 * charged (posix_timer_cpu_tick), while any such timer is armed.
 */
#include "kernel/posix_timer.h"
#include "kernel/clocks.h"
#include "kernel/cputime.h"
#include "kernel/proc.h"
#include "drivers/clock.h"
#include "mm/kheap.h"
#include "linux/errno.h"
#include "linux/time.h"
#include "lib/string.h"

#define INT_MAX 0x7fffffff

static bool is_cpu_clock(int clockid)
{
    enum clock_kind k = clock_kind(clockid);
    return k == CLOCK_PROCESS_CPU || k == CLOCK_THREAD_CPU;
}

/* The time now on the clock t's expiry is kept on: monotonic ns ("now" as
 * ktimer_now has it: never early), or its CPU clock. */
static uint64_t timer_clock_now(const struct posix_timer *t)
{
    if (clock_kind(t->clockid) == CLOCK_THREAD_CPU) {
        struct proc *p = proc_find(t->cpu_tid);
        return p && p->group == t->group ? cputime_thread_ns(p) : 0;
    }
    if (clock_kind(t->clockid) == CLOCK_PROCESS_CPU)
        return cputime_process_ns(t->group);
    return ktimer_now();
}

static struct posix_timer *timer_find(struct thread_group *g, int id)
{
    for (struct posix_timer *t = g->timers; t; t = t->next)
        if (t->id == id)
            return t;
    return 0;
}

static void timer_arm(struct posix_timer *t)
{
    if (is_cpu_clock(t->clockid)) {
        if (!t->armed)
            t->group->cpu_timers_armed++;
    } else {
        ktimer_arm(&t->kt, t->expires);
    }
    t->armed = true;
}

static void timer_disarm(struct posix_timer *t)
{
    if (!t->armed)
        return;
    if (is_cpu_clock(t->clockid))
        t->group->cpu_timers_armed--;
    else
        ktimer_disarm(&t->kt);
    t->armed = false;
}

/* t has expired (from the timer interrupt): queue its signal. A periodic
 * timer waits for the signal to be taken before it goes on; if the process
 * ignores the signal, nothing would ever take it, so the timer goes on at
 * once (Linux before 6.13 did the same; later ones park it until a handler
 * is set). */
static void timer_expired(struct posix_timer *t)
{
    timer_disarm(t);
    if (t->notify == SIGEV_NONE)
        return;
    struct proc *p;
    if (t->notify == SIGEV_THREAD_ID) {
        p = proc_find(t->tid);
        if (p && (p->group != t->group || p->state == PROC_ZOMBIE))
            p = 0;
    } else {
        p = proc_live_thread(t->tid);
    }
    if (!p)
        return;                    /* the thread it names is gone */
    t->requeue = t->interval != 0;
    t->queued_seq = t->seq;
    t->q.info.f.timer.overrun = 0;
    if (signal_send_timer(p, &t->q, t->notify != SIGEV_THREAD_ID) && t->interval) {
        t->overrun += ktimer_forward(&t->expires, timer_clock_now(t), t->interval);
        t->requeue = false;
        timer_arm(t);
    }
}

static void ktimer_expired(struct ktimer *kt)
{
    timer_expired(kt->data);
}

void posix_timer_cpu_tick(struct proc *p)
{
    struct thread_group *g = p->group;
    if (!g->cpu_timers_armed)
        return;
    for (struct posix_timer *t = g->timers; t; t = t->next)
        if (t->armed && is_cpu_clock(t->clockid) && timer_clock_now(t) >= t->expires)
            timer_expired(t);
}

/* The overrun count as an int, as Linux cuts it. */
static int overrun_int(int64_t n)
{
    return n > INT_MAX ? INT_MAX : (int)n;
}

bool posix_timer_deliver(struct posix_timer *t, struct siginfo *info)
{
    if (t->queued_seq != t->seq)
        return false;              /* queued before timer_settime: stale */
    if (t->requeue) {
        /* The periods missed while the signal waited (hrtimer_forward). */
        uint64_t now = is_cpu_clock(t->clockid) ? timer_clock_now(t) : clock_monotonic_ns();
        t->overrun += ktimer_forward(&t->expires, now, t->interval);
        timer_arm(t);
        t->requeue = false;
        t->overrun_last = overrun_int(t->overrun);
        t->overrun = -1;
        info->f.timer.overrun = t->overrun_last;
    }
    return true;
}

void posix_timer_unqueued(struct posix_timer *t)
{
    /* Dropped undelivered (sigprocmask can't do that; a SIG_IGN set while
     * it waited, or the thread's end, can): a periodic timer goes on. */
    if (t->requeue && t->queued_seq == t->seq) {
        uint64_t now = timer_clock_now(t);
        t->overrun += ktimer_forward(&t->expires, now, t->interval);
        t->requeue = false;
        timer_arm(t);
    }
}

int do_timer_create(int clockid, const struct sigevent_head *ev, int *id)
{
    struct proc *me = current_proc();
    struct thread_group *g = me->group;
    enum clock_kind kind = clock_kind(clockid);
    if (kind == CLOCK_NONE)
        return -EINVAL;
    if (kind == CLOCK_READ_ONLY)
        return -EOPNOTSUPP;
    if (ev) {
        int notify = ev->sigev_notify;
        if (notify == SIGEV_THREAD_ID) {
            struct proc *p = proc_find(ev->sigev_tid);
            if (!p || p->state == PROC_ZOMBIE || p->group != g)
                return -EINVAL;
        }
        if (notify != SIGEV_NONE && notify != SIGEV_SIGNAL && notify != SIGEV_THREAD &&
            notify != SIGEV_THREAD_ID)
            return -EINVAL;
        if (notify != SIGEV_NONE && (ev->sigev_signo <= 0 || ev->sigev_signo > SIGRTMAX))
            return -EINVAL;
    }
    if (kind == CLOCK_ALARM)
        return -EOPNOTSUPP;        /* no wake-up clock device (clocks.h) */
    /* Each timer holds one siginfo of the queue's limit for its life. */
    if (!sigqueue_reserve())
        return -EAGAIN;
    struct posix_timer *t = kzalloc(sizeof *t);
    if (!t) {
        sigqueue_unreserve();
        return -EAGAIN;
    }
    /* Ids count up from 0 in each process and are not reused until they
     * wrap at INT_MAX, as on Linux. */
    do {
        t->id = (int)(g->timer_next_id++ & INT_MAX);
    } while (timer_find(g, t->id));
    t->group = g;
    t->clockid = clockid;
    t->cpu_tid = me->pid;
    t->tid = me->tgid;
    t->overrun = -1;
    t->kt.fn = ktimer_expired;
    t->kt.data = t;
    t->q.timer = t;
    t->q.info.si_code = SI_TIMER;
    t->q.info.f.timer.tid = t->id;
    if (ev) {
        t->notify = ev->sigev_notify == SIGEV_THREAD ? SIGEV_SIGNAL : ev->sigev_notify;
        if (t->notify == SIGEV_THREAD_ID)
            t->tid = ev->sigev_tid;
        t->q.info.si_signo = ev->sigev_signo;
        t->q.info.f.timer.value = ev->sigev_value;
    } else {
        t->notify = SIGEV_SIGNAL;
        t->q.info.si_signo = SIGALRM;
        t->q.info.f.timer.value = (uint32_t)t->id;
    }
    /* At the end of the list: it stays sorted by id until the ids wrap. */
    struct posix_timer **pp = &g->timers;
    while (*pp)
        pp = &(*pp)->next;
    *pp = t;
    *id = t->id;
    return 0;
}

/* t's setting now, as timer_gettime gives it. A SIGEV_NONE timer is never
 * armed, so its expiry is moved on here, past now, as Linux does. */
static void timer_get(struct posix_timer *t, struct timer_setting *cur)
{
    cur->interval = t->interval;
    cur->value = 0;
    bool none = t->notify == SIGEV_NONE;
    if (!t->interval && !t->armed && !none)
        return;                    /* a one-shot timer that has fired, or off */
    if (!t->expires)
        return;                    /* (a SIGEV_NONE timer never set) */
    uint64_t now = timer_clock_now(t);
    if (t->interval && (t->requeue || none))
        t->overrun += ktimer_forward(&t->expires, now, t->interval);
    if (t->expires > now)
        cur->value = t->expires - now;
    else if (!none)
        cur->value = 1;            /* due, its signal not yet taken: 1 ns */
}

int do_timer_settime(int id, int flags, const struct timer_setting *v,
                     struct timer_setting *old)
{
    struct posix_timer *t = timer_find(current_proc()->group, id);
    if (!t)
        return -EINVAL;
    if (old)
        timer_get(t, old);
    timer_disarm(t);
    /* A signal of the old setting still queued is stale now: dropped when
     * taken (the seq no longer matches), so neither counts nor delivers. */
    t->seq++;
    t->requeue = false;
    t->overrun = -1;
    t->overrun_last = 0;
    t->interval = v->value ? v->interval : 0;
    t->expires = 0;
    if (!v->value)
        return 0;
    if (flags & TIMER_ABSTIME) {
        /* On the timer's own clock; for a real-time one, moved onto the
         * monotonic clock the kernel timers count on. */
        uint64_t off = clock_offset(t->clockid);
        t->expires = v->value > off ? v->value - off : 0;
    } else {
        t->expires = ns_add(timer_clock_now(t), v->value);
    }
    if (t->notify == SIGEV_NONE)
        return 0;                  /* it only counts: nothing to fire */
    uint64_t now = is_cpu_clock(t->clockid) ? timer_clock_now(t) : clock_monotonic_ns();
    if (t->expires <= now)
        timer_expired(t);          /* already past: at once */
    else
        timer_arm(t);
    return 0;
}

int do_timer_gettime(int id, struct timer_setting *cur)
{
    struct posix_timer *t = timer_find(current_proc()->group, id);
    if (!t)
        return -EINVAL;
    timer_get(t, cur);
    return 0;
}

int do_timer_getoverrun(int id)
{
    struct posix_timer *t = timer_find(current_proc()->group, id);
    return t ? t->overrun_last : -EINVAL;
}

/* Take t's signal out of the pending set it waits in, if it does. */
static void timer_unqueue(struct posix_timer *t)
{
    struct sigpending *sp = t->q.queued_in;
    if (!sp)
        return;
    struct sigqueue **pp = &sp->head;
    while (*pp != &t->q)
        pp = &(*pp)->next;
    *pp = t->q.next;
    t->q.next = 0;
    t->q.queued_in = 0;
    /* The signal stays pending only if another siginfo of it waits. */
    int sig = t->q.info.si_signo;
    bool more = false;
    for (struct sigqueue *o = sp->head; o; o = o->next)
        more |= o->info.si_signo == sig;
    if (!more)
        sp->set &= ~SIGMASK(sig);
}

/* Unlink t from g's list and free it, with its signal if queued. */
static void timer_free(struct thread_group *g, struct posix_timer *t)
{
    struct posix_timer **pp = &g->timers;
    while (*pp != t)
        pp = &(*pp)->next;
    *pp = t->next;
    timer_disarm(t);
    timer_unqueue(t);
    kfree(t);
    sigqueue_unreserve();
}

int do_timer_delete(int id)
{
    struct thread_group *g = current_proc()->group;
    struct posix_timer *t = timer_find(g, id);
    if (!t)
        return -EINVAL;
    timer_free(g, t);
    return 0;
}

void posix_timer_delete_all(struct thread_group *g)
{
    while (g->timers)
        timer_free(g, g->timers);
}
