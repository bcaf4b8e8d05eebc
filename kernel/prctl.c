/* prctl.c: prctl(2), a process's odds and ends: its thread's name, the
 * signal it gets when its parent ends, whether it may leave a core; and
 * personality and arch_prctl, two more of the kind. Each
 * option decodes its own arguments; an option bunshin does not have is
 * EINVAL, which is what Linux answers for one it does not know. */
#include "kernel/prctl.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "linux/capability.h"
#include "linux/errno.h"
#include "linux/prctl.h"
#include "linux/capability.h"
#include "lib/string.h"

/* personality(persona): the caller's execution domain and flags, returned
 * as they were; 0xffffffff only asks. Linux takes any other value and keeps
 * it; bunshin runs only PER_LINUX programs and looks at one flag,
 * ADDR_NO_RANDOMIZE, at the next execve (kernel/exec.c). */
long sys_personality(struct trapframe *tf)
{
    struct proc *p = current_proc();
    uint32_t old = p->personality;
    if (tf->ebx != 0xFFFFFFFFu)
        p->personality = tf->ebx;
    return old;
}

/* arch_prctl(code, addr) as 32-bit Linux answers it: the x86-64 codes
 * (ARCH_SET_FS...) and unknown ones are EINVAL; ARCH_GET_CPUID says the
 * cpuid instruction works (1); ARCH_SET_CPUID would need CPUID faulting,
 * which bunshin does not set up (ENODEV, as on a CPU without it). */
long sys_arch_prctl(struct trapframe *tf)
{
    switch (tf->ebx) {
    case ARCH_GET_CPUID:
        return 1;
    case ARCH_SET_CPUID:
        return -ENODEV;
    default:
        return -EINVAL;
    }
}

long sys_prctl(struct trapframe *tf)
{
    struct proc *p = current_proc();
    uint32_t arg2 = tf->ecx;
    switch (tf->ebx) {
    case PR_SET_NAME: {
        /* The thread's name, what ps and /proc/<pid>/status show: at most
         * 15 bytes are taken, a longer name is cut. */
        char name[sizeof p->name];
        memset(name, 0, sizeof name);
        for (uint32_t i = 0; i < sizeof name - 1; i++) {
            if (copy_from_user(&name[i], arg2 + i, 1) < 0)
                return -EFAULT;
            if (!name[i])
                break;
        }
        memcpy(p->name, name, sizeof name);
        return 0;
    }
    case PR_GET_NAME: {
        /* All 16 bytes are written, zeros after the name, as Linux pads
         * them. p->name itself may hold an older, longer name's bytes
         * after its NUL (execve writes the new one with strlcpy), which
         * must not show. */
        char name[sizeof p->name];
        memset(name, 0, sizeof name);
        for (uint32_t i = 0; i < sizeof name - 1 && p->name[i]; i++)
            name[i] = p->name[i];
        return copy_to_user(arg2, name, sizeof name) < 0 ? -EFAULT : 0;
    }
    case PR_SET_PDEATHSIG:
        if (arg2 > _NSIG)
            return -EINVAL;
        p->pdeath_signal = (int)arg2;
        return 0;
    case PR_GET_PDEATHSIG:
        return copy_to_user(arg2, &p->pdeath_signal, sizeof p->pdeath_signal) < 0 ? -EFAULT : 0;
    case PR_GET_DUMPABLE:
        return p->mm->undumpable ? 0 : 1;
    case PR_SET_DUMPABLE:
        /* 2 (root-only cores) is refused from prctl, as on Linux. */
        if (arg2 > 1)
            return -EINVAL;
        p->mm->undumpable = arg2 == 0;
        return 0;
    case PR_SET_CHILD_SUBREAPER:
        p->group->child_subreaper = arg2 != 0;
        return 0;
    case PR_GET_CHILD_SUBREAPER: {
        int is = p->group->child_subreaper;
        return copy_to_user(arg2, &is, sizeof is) < 0 ? -EFAULT : 0;
    }
    case PR_GET_SECCOMP:
        return 0;                  /* bunshin has no seccomp filters */
    case PR_CAPBSET_READ:
        /* The bounding set: every capability, as Linux's for a process
         * that never dropped one (nothing in bunshin drops one). libcap,
         * in glibc programs (zsh), reads it to find the last capability
         * this kernel knows: past it is EINVAL. */
        return arg2 <= CAP_LAST_CAP ? 1 : -EINVAL;
    case PR_SET_TIMERSLACK:
        /* 0 (or, as Linux reads it, a negative long) goes back to the slack
         * the thread was born with. */
        p->timer_slack_ns = (int32_t)arg2 <= 0 ? p->default_timer_slack_ns : arg2;
        return 0;
    case PR_GET_TIMERSLACK:
        return p->timer_slack_ns;
    case PR_SET_NO_NEW_PRIVS:
        /* A promise that no execve will ever give more privilege, kept by
         * fork and execve and never taken back. (No execve changes
         * privilege in bunshin yet: there is nothing more to do.) */
        if (arg2 != 1 || tf->edx || tf->esi || tf->edi)
            return -EINVAL;
        p->no_new_privs = true;
        return 0;
    case PR_GET_NO_NEW_PRIVS:
        if (arg2 || tf->edx || tf->esi || tf->edi)
            return -EINVAL;
        return p->no_new_privs;
    default:
        return -EINVAL;
    }
}
