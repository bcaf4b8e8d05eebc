/* sys_poll.c: the system calls that wait for several descriptors: poll,
 * ppoll, select (old and new), pselect6, and the epoll family. They decode
 * their arguments, copy them in and out, and call the workers of fs/poll.c
 * and fs/epoll.c. The order of the
 * checks is Linux's, so that a call with two things wrong fails with the
 * same error as there.
 *
 * Two Linux habits show here. select, pselect6 and ppoll write the time
 * that was left back into the caller's timeout, on every way out (but not
 * for a zero timeout); a call restarted after a signal then waits only for
 * the rest. poll takes its timeout in milliseconds, by value, so it goes on
 * after a signal through restart_syscall, to the same deadline.
 */
#include "fs/sys_poll.h"
#include "fs/poll.h"
#include "fs/epoll.h"
#include "fs/sys_common.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/time.h"
#include "lib/string.h"

/* ---- poll and ppoll ---- */

/* poll's work on the user's array ufds of nfds entries: copy it in, wait,
 * copy each revents back. */
static long poll_user(vaddr_t ufds, uint32_t nfds, uint64_t deadline)
{
    if (nfds > (uint32_t)fd_limit())       /* RLIMIT_NOFILE, as on Linux */
        return -EINVAL;
    struct pollfd *fds = 0;
    if (nfds) {
        fds = kmalloc(nfds * sizeof *fds);
        if (!fds)
            return -ENOMEM;
    }
    long r = -EFAULT;
    if (copy_from_user(fds, ufds, nfds * sizeof *fds) == 0) {
        r = do_poll(fds, nfds, deadline);
        /* Only revents is written, as on Linux: fd and events stay the
         * caller's. Even an interrupted poll tells what it saw. */
        for (uint32_t i = 0; i < nfds; i++) {
            vaddr_t at = ufds + i * sizeof *fds + offsetof(struct pollfd, revents);
            if (copy_to_user(at, &fds[i].revents, sizeof fds[i].revents) < 0) {
                r = -EFAULT;
                break;
            }
        }
    }
    kfree(fds);
    return r;
}

static long poll_restart(struct restart_block *rb);

/* poll, first or restarted: a signal with no handler to run makes
 * restart_syscall call poll_restart, which goes on to the same deadline;
 * after a handler, the program sees EINTR (even with SA_RESTART). */
static long poll_until(vaddr_t ufds, uint32_t nfds, uint64_t deadline)
{
    long r = poll_user(ufds, nfds, deadline);
    if (r == -ERESTARTNOHAND) {
        struct restart_block *rb = &current_proc()->restart;
        rb->fn = poll_restart;
        rb->uaddr = ufds;
        rb->val = nfds;
        rb->deadline = deadline;
        r = -ERESTART_RESTARTBLOCK;
    }
    return r;
}

static long poll_restart(struct restart_block *rb)
{
    return poll_until(rb->uaddr, rb->val, rb->deadline);
}

/* poll(ufds, nfds, timeout): timeout in milliseconds, negative for ever. */
long sys_poll(struct trapframe *tf)
{
    int32_t ms = (int32_t)tf->edx;
    uint64_t deadline = ms < 0 ? 0 : poll_deadline(ms / 1000, (ms % 1000) * 1000000);
    return poll_until(tf->ebx, tf->ecx, deadline);
}

/* ---- timeouts that are written back ---- */

enum time_kind {
    TIME_TIMEVAL32,            /* select: struct old_timeval32 */
    TIME_TIMESPEC32,           /* ppoll, pselect6: struct old_timespec32 */
    TIME_TIMESPEC64,           /* ppoll_time64, pselect6_time64: __kernel_timespec */
};

/* A timeout as the caller gave it, and its deadline. */
struct timeout {
    vaddr_t at;                /* the caller's copy (0: none, wait for ever) */
    enum time_kind kind;
    int64_t sec;               /* the time asked */
    int32_t nsec;
    uint64_t deadline;         /* for the workers (0: none) */
};

/* Read the timeout at user address at (may be 0): 0, -EFAULT, or -EINVAL
 * for negative seconds or nanoseconds outside [0, 10^9). */
static int timeout_get(struct timeout *t, vaddr_t at, enum time_kind kind)
{
    memset(t, 0, sizeof *t);
    t->at = at;
    t->kind = kind;
    if (!at)
        return 0;
    if (kind == TIME_TIMEVAL32) {
        struct old_timeval32 tv;
        if (copy_from_user(&tv, at, sizeof tv) < 0)
            return -EFAULT;
        /* Linux lets microseconds carry into seconds (1500000 us is 1.5 s),
         * and their sign into the nanoseconds (then invalid). */
        t->sec = (int64_t)tv.tv_sec + tv.tv_usec / 1000000;
        t->nsec = (tv.tv_usec % 1000000) * 1000;
    } else if (kind == TIME_TIMESPEC32) {
        struct old_timespec32 ts;
        if (copy_from_user(&ts, at, sizeof ts) < 0)
            return -EFAULT;
        t->sec = ts.tv_sec;
        t->nsec = ts.tv_nsec;
    } else {
        struct __kernel_timespec ts;
        if (copy_from_user(&ts, at, sizeof ts) < 0)
            return -EFAULT;
        t->sec = ts.tv_sec;
        t->nsec = (int32_t)ts.tv_nsec;     /* a 32-bit long: the high half is padding */
    }
    if (t->sec < 0 || t->nsec < 0 || t->nsec >= 1000000000)
        return -EINVAL;
    t->deadline = poll_deadline(t->sec, t->nsec);
    return 0;
}

/* The way out of select, pselect6 and ppoll (Linux's poll_select_finish):
 * write the time left into the caller's timeout, unless there was none or
 * it was zero. If it cannot be written, an interrupted call cannot be
 * restarted for the rest of its time: it fails with EINTR. */
static long timeout_finish(const struct timeout *t, long r)
{
    if (!t->at || (t->sec == 0 && t->nsec == 0) || !t->deadline)
        return r;                          /* (no deadline: over 124 days, kept) */
    uint64_t asked = (uint64_t)t->sec * 1000000000u + (uint32_t)t->nsec;
    uint64_t left = poll_time_left(t->deadline);
    if (left > asked)
        left = asked;                      /* never more than asked */
    int32_t sec = (int32_t)(left / 1000000000u), nsec = (int32_t)(left % 1000000000u);
    int w;
    if (t->kind == TIME_TIMEVAL32) {
        struct old_timeval32 tv = { sec, nsec / 1000 };
        w = copy_to_user(t->at, &tv, sizeof tv);
    } else if (t->kind == TIME_TIMESPEC32) {
        struct old_timespec32 ts = { sec, nsec };
        w = copy_to_user(t->at, &ts, sizeof ts);
    } else {
        struct __kernel_timespec ts = { sec, nsec };
        w = copy_to_user(t->at, &ts, sizeof ts);
    }
    if (w < 0 && r == -ERESTARTNOHAND)
        r = -EINTR;
    return r;
}

/* ppoll's and pselect6's mask, at user address set with size bytes: put it
 * in force for the call (*began) if there is one. 0, -EINVAL (a size that
 * is not a signal set's: 8 bytes) or -EFAULT. */
static int mask_begin(vaddr_t set, uint32_t size, bool *began)
{
    uint64_t mask;
    *began = false;
    if (!set)
        return 0;
    if (size != sizeof mask)
        return -EINVAL;
    if (copy_from_user(&mask, set, sizeof mask) < 0)
        return -EFAULT;
    poll_mask_begin(mask);
    *began = true;
    return 0;
}

/* ppoll(ufds, nfds, timeout, sigmask, sigsetsize) */
static long ppoll(struct trapframe *tf, enum time_kind kind)
{
    struct timeout t;
    bool masked = false;
    int e = timeout_get(&t, tf->edx, kind);
    if (e == 0)
        e = mask_begin(tf->esi, tf->edi, &masked);
    if (e < 0)
        return e;
    long r = poll_user(tf->ebx, tf->ecx, t.deadline);
    if (masked)
        poll_mask_end(r == -ERESTARTNOHAND);
    return timeout_finish(&t, r);
}

long sys_ppoll(struct trapframe *tf)
{
    return ppoll(tf, TIME_TIMESPEC32);
}

long sys_ppoll_time64(struct trapframe *tf)
{
    return ppoll(tf, TIME_TIMESPEC64);
}

/* ---- select and pselect6 ---- */

/* select's work on the user's sets inp, outp, exp (each may be 0): copy
 * in the bits below n, wait, copy the ready ones back (not after a signal). */
static long select_user(int n, vaddr_t inp, vaddr_t outp, vaddr_t exp, uint64_t deadline)
{
    if (n < 0)
        return -EINVAL;
    if (n > NOFILE)
        n = NOFILE;                        /* as Linux cuts it to its fd table's size */
    uint32_t bytes = (uint32_t)(n + 31) / 32 * 4;
    struct fdsets want, ready;
    memset(&want, 0, sizeof want);
    if ((inp && copy_from_user(want.in, inp, bytes) < 0) ||
        (outp && copy_from_user(want.out, outp, bytes) < 0) ||
        (exp && copy_from_user(want.ex, exp, bytes) < 0))
        return -EFAULT;
    int r = do_select(n, &want, &ready, deadline);
    if (r < 0)
        return r;
    if ((inp && copy_to_user(inp, ready.in, bytes) < 0) ||
        (outp && copy_to_user(outp, ready.out, bytes) < 0) ||
        (exp && copy_to_user(exp, ready.ex, bytes) < 0))
        return -EFAULT;
    return r;
}

/* select with a struct old_timeval32 timeout at tvp (0: for ever). */
static long select_timeval(int n, vaddr_t inp, vaddr_t outp, vaddr_t exp, vaddr_t tvp)
{
    struct timeout t;
    int e = timeout_get(&t, tvp, TIME_TIMEVAL32);
    if (e < 0)
        return e;
    return timeout_finish(&t, select_user(n, inp, outp, exp, t.deadline));
}

/* _newselect(n, inp, outp, exp, tvp): what C libraries call select. Linux
 * calls its function sys_select, as here. */
long sys_select(struct trapframe *tf)
{
    return select_timeval((int)tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi);
}

/* The first i386 select took its five arguments in a struct (int $0x80
 * passed at most five registers then). */
struct sel_arg_struct {
    uint32_t n;
    uint32_t inp, outp, exp;
    uint32_t tvp;
};

/* select(args): number 82, Linux's sys_old_select. */
long sys_old_select(struct trapframe *tf)
{
    struct sel_arg_struct a;
    if (copy_from_user(&a, tf->ebx, sizeof a) < 0)
        return -EFAULT;
    return select_timeval((int)a.n, a.inp, a.outp, a.exp, a.tvp);
}

/* pselect6(n, inp, outp, exp, timeout, sig): sig points to a pair
 * { const sigset_t *ss; size_t ss_len } (a sixth register could not hold
 * both). */
static long pselect6(struct trapframe *tf, enum time_kind kind)
{
    struct { uint32_t ss, ss_len; } pack = { 0, 0 };
    struct timeout t;
    bool masked = false;
    if (tf->ebp && copy_from_user(&pack, tf->ebp, sizeof pack) < 0)
        return -EFAULT;
    int e = timeout_get(&t, tf->edi, kind);
    if (e == 0)
        e = mask_begin(pack.ss, pack.ss_len, &masked);
    if (e < 0)
        return e;
    long r = select_user((int)tf->ebx, tf->ecx, tf->edx, tf->esi, t.deadline);
    if (masked)
        poll_mask_end(r == -ERESTARTNOHAND);
    return timeout_finish(&t, r);
}

long sys_pselect6(struct trapframe *tf)
{
    return pselect6(tf, TIME_TIMESPEC32);
}

long sys_pselect6_time64(struct trapframe *tf)
{
    return pselect6(tf, TIME_TIMESPEC64);
}

/* ---- epoll ---- */

/* The most events one epoll_wait can ask for (Linux's EP_MAX_EVENTS). */
#define EP_MAX_EVENTS (0x7fffffff / sizeof(struct epoll_event))

/* A new epoll instance on the lowest free descriptor: it, or -ENOMEM,
 * -EMFILE. */
static long epoll_new(bool cloexec)
{
    struct file *f;
    int r = epoll_create(&f);
    if (r < 0)
        return r;
    r = fd_install(fds(), f, 0, fd_limit(), cloexec);
    if (r < 0)
        file_put(f);
    return r;
}

/* epoll_create(size): size is a hint from before the list could grow, but
 * must still be positive. */
long sys_epoll_create(struct trapframe *tf)
{
    if ((int32_t)tf->ebx <= 0)
        return -EINVAL;
    return epoll_new(false);
}

/* epoll_create1(flags): EPOLL_CLOEXEC or nothing. */
long sys_epoll_create1(struct trapframe *tf)
{
    if (tf->ebx & ~(uint32_t)EPOLL_CLOEXEC)
        return -EINVAL;
    return epoll_new(tf->ebx & EPOLL_CLOEXEC);
}

/* epoll_ctl(epfd, op, fd, event): the event is read first, except for
 * EPOLL_CTL_DEL, which needs none (Linux's order). */
long sys_epoll_ctl(struct trapframe *tf)
{
    int op = (int)tf->ecx;
    struct epoll_event ev = { 0, 0 };
    if (op != EPOLL_CTL_DEL && copy_from_user(&ev, tf->esi, sizeof ev) < 0)
        return -EFAULT;
    struct fdtable *t = current_proc()->files;
    struct file *ep = fd_lookup(t, (int)tf->ebx);
    struct file *target = fd_lookup(t, (int)tf->edx);
    if (!ep || !target)
        return -EBADF;
    return epoll_control(ep, op, (int)tf->edx, target, &ev);
}

/* The work of the epoll_wait family: check the arguments in the order of
 * today's Linux (6.18, the reference host: the descriptor first, then the
 * count, the buffer's range, the kind of file), then wait. The events are
 * copied out one by one as they are taken, so one call reports as many as
 * are ready, up to maxevents. */
static long epoll_wait_user(int epfd, vaddr_t uevents, int max, uint64_t deadline)
{
    struct file *ep = fd_lookup(current_proc()->files, epfd);
    if (!ep)
        return -EBADF;
    if (max <= 0 || (uint32_t)max > EP_MAX_EVENTS)
        return -EINVAL;
    uint32_t size = (uint32_t)max * sizeof(struct epoll_event);
    if (uevents >= USER_TOP || size > USER_TOP - uevents)
        return -EFAULT;
    if (!file_is_epoll(ep))
        return -EINVAL;
    /* A thread sharing the descriptor table may close epfd while this one
     * sleeps: the instance must stay until the wait ends (Linux's fdget). */
    file_get(ep);
    long r = epoll_wait_events(ep, uevents, max, deadline);
    file_put(ep);
    return r;
}

/* A timeout in milliseconds: negative waits for ever. */
static uint64_t ms_deadline(int32_t ms)
{
    return ms < 0 ? 0 : poll_deadline(ms / 1000, (ms % 1000) * 1000000);
}

/* epoll_wait(epfd, events, maxevents, timeout_ms) */
long sys_epoll_wait(struct trapframe *tf)
{
    return epoll_wait_user((int)tf->ebx, tf->ecx, (int)tf->edx, ms_deadline((int32_t)tf->esi));
}

/* epoll_pwait's and epoll_pwait2's end: with a mask, in force while waiting. */
static long epoll_pwait_user(struct trapframe *tf, uint64_t deadline)
{
    bool masked;
    int e = mask_begin(tf->edi, tf->ebp, &masked);
    if (e < 0)
        return e;
    long r = epoll_wait_user((int)tf->ebx, tf->ecx, (int)tf->edx, deadline);
    if (masked)
        poll_mask_end(r == -EINTR);
    return r;
}

/* epoll_pwait(epfd, events, maxevents, timeout_ms, sigmask, sigsetsize) */
long sys_epoll_pwait(struct trapframe *tf)
{
    return epoll_pwait_user(tf, ms_deadline((int32_t)tf->esi));
}

/* epoll_pwait2(epfd, events, maxevents, timeout, sigmask, sigsetsize): the
 * timeout is a struct __kernel_timespec (NULL: for ever), never written. */
long sys_epoll_pwait2(struct trapframe *tf)
{
    struct timeout t;
    int e = timeout_get(&t, tf->esi, TIME_TIMESPEC64);
    if (e < 0)
        return e;
    return epoll_pwait_user(tf, t.deadline);
}
