/* sys_signal.c: the signal system calls: decode the arguments, copy them
 * in and out, and call the workers (kernel/signal.c, kernel/sigaction.c,
 * kernel/signal_frame.c). The order of the checks is Linux's, so that a
 * call with two things wrong fails with the same error as there.
 */
#include "kernel/sys_signal.h"
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/time.h"
#include "lib/string.h"

/* The size of a signal set in the rt_ calls: 64 signals, 8 bytes. */
#define SIGSET_SIZE 8

/* rt_sigaction(sig, act, oact, sigsetsize) */
long sys_rt_sigaction(struct trapframe *tf)
{
    struct sigaction_rt act, old;
    if (tf->esi != SIGSET_SIZE)
        return -EINVAL;
    if (tf->ecx && copy_from_user(&act, tf->ecx, sizeof act) < 0)
        return -EFAULT;
    int r = do_sigaction((int)tf->ebx, tf->ecx ? &act : 0, tf->edx ? &old : 0);
    if (r == 0 && tf->edx && copy_to_user(tf->edx, &old, sizeof old) < 0)
        return -EFAULT;
    return r;
}

/* sigaction(sig, act, oact): the old call, with a 32-bit mask. */
long sys_sigaction(struct trapframe *tf)
{
    struct old_sigaction uact;
    struct sigaction_rt act, old;
    if (tf->ecx) {
        if (copy_from_user(&uact, tf->ecx, sizeof uact) < 0)
            return -EFAULT;
        act.handler = uact.handler;
        act.flags = uact.flags;
        act.restorer = uact.restorer;
        act.mask = uact.mask;
    }
    int r = do_sigaction((int)tf->ebx, tf->ecx ? &act : 0, tf->edx ? &old : 0);
    if (r == 0 && tf->edx) {
        uact.handler = old.handler;
        uact.flags = old.flags;
        uact.restorer = old.restorer;
        uact.mask = (uint32_t)old.mask;
        if (copy_to_user(tf->edx, &uact, sizeof uact) < 0)
            return -EFAULT;
    }
    return r;
}

/* signal(sig, handler): the oldest call: the handler is reset to SIG_DFL
 * when it runs and the signal is not blocked meanwhile (System V's
 * semantics). Returns the old handler. */
long sys_signal(struct trapframe *tf)
{
    struct sigaction_rt act, old;
    memset(&act, 0, sizeof act);
    act.handler = tf->ecx;
    act.flags = SA_RESETHAND | SA_NODEFER;
    int r = do_sigaction((int)tf->ebx, &act, &old);
    return r < 0 ? r : (long)old.handler;
}

/* rt_sigprocmask(how, set, oldset, sigsetsize) */
long sys_rt_sigprocmask(struct trapframe *tf)
{
    uint64_t set, old;
    if (tf->esi != SIGSET_SIZE)
        return -EINVAL;
    if (tf->ecx && copy_from_user(&set, tf->ecx, sizeof set) < 0)
        return -EFAULT;
    int r = do_sigprocmask((int)tf->ebx, tf->ecx ? &set : 0, &old);
    if (r == 0 && tf->edx && copy_to_user(tf->edx, &old, sizeof old) < 0)
        return -EFAULT;
    return r;
}

/* sigprocmask(how, set, oldset): the old call. Its 32-bit set is the low
 * half of the mask; SIG_SETMASK leaves the real-time half alone. */
long sys_sigprocmask(struct trapframe *tf)
{
    uint32_t set32;
    uint64_t set, old;
    if (tf->ecx && copy_from_user(&set32, tf->ecx, sizeof set32) < 0)
        return -EFAULT;
    set = set32;
    if (tf->ecx && (int)tf->ebx == SIG_SETMASK)
        set |= current_proc()->blocked & 0xFFFFFFFF00000000ull;
    int r = do_sigprocmask((int)tf->ebx, tf->ecx ? &set : 0, &old);
    uint32_t old32 = (uint32_t)old;
    if (r == 0 && tf->edx && copy_to_user(tf->edx, &old32, sizeof old32) < 0)
        return -EFAULT;
    return r;
}

/* sgetmask(), ssetmask(mask): older still; the low 32 bits of the mask. */
long sys_sgetmask(struct trapframe *tf)
{
    (void)tf;
    return (long)(uint32_t)current_proc()->blocked;
}

long sys_ssetmask(struct trapframe *tf)
{
    uint64_t old, set = tf->ebx;          /* the real-time half is cleared */
    do_sigprocmask(SIG_SETMASK, &set, &old);
    return (long)(uint32_t)old;
}

/* rt_sigpending(set, sigsetsize): the blocked signals that wait. */
long sys_rt_sigpending(struct trapframe *tf)
{
    if (tf->ecx > SIGSET_SIZE)
        return -EINVAL;
    uint64_t set = do_sigpending();
    return copy_to_user(tf->ebx, &set, tf->ecx) < 0 ? -EFAULT : 0;
}

long sys_sigpending(struct trapframe *tf)
{
    uint32_t set = (uint32_t)do_sigpending();
    return copy_to_user(tf->ebx, &set, sizeof set) < 0 ? -EFAULT : 0;
}

/* rt_sigsuspend(mask, sigsetsize) */
long sys_rt_sigsuspend(struct trapframe *tf)
{
    uint64_t mask;
    if (tf->ecx != SIGSET_SIZE)
        return -EINVAL;
    if (copy_from_user(&mask, tf->ebx, sizeof mask) < 0)
        return -EFAULT;
    return do_sigsuspend(mask);
}

/* sigsuspend(history0, history1, mask): the old call. Its mask is the
 * third argument (the first two are a leftover of the first i386 ABI) and
 * becomes the whole mask: the real-time half is cleared. */
long sys_sigsuspend(struct trapframe *tf)
{
    return do_sigsuspend(tf->edx);
}

long sys_pause(struct trapframe *tf)
{
    (void)tf;
    return do_pause();
}

/* rt_sigtimedwait(set, info, timeout, sigsetsize), with the timeout as
 * 32-bit (time64 false) or 64-bit seconds. */
static long sigtimedwait(struct trapframe *tf, bool time64)
{
    uint64_t set, ns;
    if (tf->esi != SIGSET_SIZE)
        return -EINVAL;
    if (copy_from_user(&set, tf->ebx, sizeof set) < 0)
        return -EFAULT;
    if (tf->edx) {
        int64_t sec, nsec;
        if (time64) {
            struct __kernel_timespec ts;
            if (copy_from_user(&ts, tf->edx, sizeof ts) < 0)
                return -EFAULT;
            sec = ts.tv_sec;
            nsec = (int32_t)ts.tv_nsec;    /* a 32-bit long: the high half is padding */
        } else {
            struct old_timespec32 ts;
            if (copy_from_user(&ts, tf->edx, sizeof ts) < 0)
                return -EFAULT;
            sec = ts.tv_sec;
            nsec = ts.tv_nsec;
        }
        if (sec < 0 || nsec < 0 || nsec >= 1000000000)
            return -EINVAL;
        ns = (uint64_t)sec * 1000000000u + (uint64_t)nsec;
    }
    struct siginfo info;
    int sig = do_sigtimedwait(set, &info, tf->edx ? &ns : 0);
    if (sig > 0 && tf->ecx && copy_to_user(tf->ecx, &info, sizeof info) < 0)
        return -EFAULT;
    return sig;
}

long sys_rt_sigtimedwait(struct trapframe *tf)
{
    return sigtimedwait(tf, false);
}

long sys_rt_sigtimedwait_time64(struct trapframe *tf)
{
    return sigtimedwait(tf, true);
}

long sys_kill(struct trapframe *tf)
{
    return do_kill((int)tf->ebx, (int)tf->ecx);
}

/* tkill(tid, sig) and tgkill(tgid, tid, sig): to one thread. */
long sys_tkill(struct trapframe *tf)
{
    return do_tkill(0, (int)tf->ebx, (int)tf->ecx);
}

long sys_tgkill(struct trapframe *tf)
{
    if ((int)tf->ebx <= 0)
        return -EINVAL;
    return do_tkill((int)tf->ebx, (int)tf->ecx, (int)tf->edx);
}

/* rt_sigqueueinfo(pid, sig, info), rt_tgsigqueueinfo(tgid, tid, sig, info):
 * send with a siginfo the caller made. */
long sys_rt_sigqueueinfo(struct trapframe *tf)
{
    struct siginfo info;
    if (copy_from_user(&info, tf->edx, sizeof info) < 0)
        return -EFAULT;
    return do_sigqueue((int)tf->ebx, (int)tf->ecx, &info);
}

long sys_rt_tgsigqueueinfo(struct trapframe *tf)
{
    struct siginfo info;
    if (copy_from_user(&info, tf->esi, sizeof info) < 0)
        return -EFAULT;
    return do_tgsigqueue((int)tf->ebx, (int)tf->ecx, (int)tf->edx, &info);
}

/* sigaltstack(ss, old_ss) */
long sys_sigaltstack(struct trapframe *tf)
{
    stack_t ss, old;
    if (tf->ebx && copy_from_user(&ss, tf->ebx, sizeof ss) < 0)
        return -EFAULT;
    int r = do_sigaltstack(current_proc(), tf->ebx ? &ss : 0, tf->ecx ? &old : 0, tf->user_esp);
    if (r == 0 && tf->ecx && copy_to_user(tf->ecx, &old, sizeof old) < 0)
        return -EFAULT;
    return r;
}

/* sigreturn() and rt_sigreturn(): the end of a handler, called by the
 * code its frame returns into. */
long sys_sigreturn(struct trapframe *tf)
{
    return signal_frame_restore(current_proc(), tf, false);
}

long sys_rt_sigreturn(struct trapframe *tf)
{
    return signal_frame_restore(current_proc(), tf, true);
}

/* restart_syscall(): go on with a call a signal interrupted (a sleep),
 * the way it left in its restart block. Without one: EINTR, as on Linux. */
long sys_restart_syscall(struct trapframe *tf)
{
    (void)tf;
    struct restart_block *rb = &current_proc()->restart;
    long (*fn)(struct restart_block *) = rb->fn;
    rb->fn = 0;
    return fn ? fn(rb) : -EINTR;
}
