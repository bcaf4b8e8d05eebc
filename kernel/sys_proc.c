/* sys_proc.c: system calls about processes. Each decodes its arguments from
 * the trap frame (ebx, ecx, edx, esi, edi, ebp) and calls the worker. */
#include "kernel/sys_proc.h"
#include "kernel/exec.h"
#include "kernel/gdt.h"
#include "kernel/proc.h"
#include "kernel/pgrp.h"
#include "mm/usercopy.h"
#include "drivers/qemu.h"
#include "linux/errno.h"
#include "linux/reboot.h"
#include "linux/resource.h"
#include "linux/sched.h"
#include "linux/utsname.h"
#include "printk.h"
#include "x86.h"
#include "lib/string.h"

/* exit ends only the calling thread; exit_group (what C's exit() uses)
 * ends every thread of the process. */
long sys_exit(struct trapframe *tf)
{
    do_exit(W_EXITCODE(tf->ebx));
}

long sys_exit_group(struct trapframe *tf)
{
    do_exit_group(W_EXITCODE(tf->ebx));
}

long sys_fork(struct trapframe *tf)
{
    return do_clone(SIGCHLD, 0, 0, 0, 0, tf);
}

long sys_vfork(struct trapframe *tf)
{
    return do_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0, tf);
}

/* clone(flags, stack, parent_tid, tls, child_tid): the i386 order. */
long sys_clone(struct trapframe *tf)
{
    return do_clone(tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf);
}

long sys_execve(struct trapframe *tf)
{
    return do_execve(tf->ebx, tf->ecx, tf->edx);
}

long sys_wait4(struct trapframe *tf)
{
    return do_wait4((int)tf->ebx, tf->ecx, (int)tf->edx, tf->esi);
}

long sys_waitpid(struct trapframe *tf)
{
    return do_wait4((int)tf->ebx, tf->ecx, (int)tf->edx, 0);
}

/* waitid(idtype, id, infop, options, rusage) */
long sys_waitid(struct trapframe *tf)
{
    return do_waitid((int)tf->ebx, (int)tf->ecx, tf->edx, (int)tf->esi, tf->edi);
}

/* The process id is the thread group's id; each thread has its own tid. */
long sys_getpid(struct trapframe *tf)
{
    (void)tf;
    return current_proc()->tgid;
}

long sys_getppid(struct trapframe *tf)
{
    (void)tf;
    struct proc *parent = current_proc()->parent;
    return parent ? parent->tgid : 0;
}

/* Process groups and sessions (kernel/pgrp.c). */
long sys_setpgid(struct trapframe *tf)
{
    return do_setpgid((int)tf->ebx, (int)tf->ecx);
}

long sys_getpgid(struct trapframe *tf)
{
    return do_getpgid((int)tf->ebx);
}

long sys_getpgrp(struct trapframe *tf)
{
    (void)tf;
    return do_getpgid(0);
}

long sys_setsid(struct trapframe *tf)
{
    (void)tf;
    return do_setsid();
}

long sys_getsid(struct trapframe *tf)
{
    return do_getsid((int)tf->ebx);
}

long sys_gettid(struct trapframe *tf)
{
    (void)tf;
    return current_proc()->pid;
}

long sys_set_tid_address(struct trapframe *tf)
{
    current_proc()->clear_child_tid = tf->ebx;
    return current_proc()->pid;
}

/* set_thread_area(struct user_desc *): install a TLS segment. An
 * entry_number of -1 asks the kernel to choose: bunshin has one TLS slot,
 * GDT entry 6, and writes that number back for the program to load into gs. */
long sys_set_thread_area(struct trapframe *tf)
{
    struct user_desc u;
    if (copy_from_user(&u, tf->ebx, sizeof u) < 0)
        return -EFAULT;
    if (u.entry_number == (uint32_t)-1) {
        u.entry_number = GDT_TLS;
        if (copy_to_user(tf->ebx, &u.entry_number, 4) < 0)
            return -EFAULT;
    } else if (u.entry_number != GDT_TLS) {
        return -EINVAL;
    }
    if (!gdt_tls_valid(&u))
        return -EINVAL;
    current_proc()->tls = u;
    gdt_set_tls(&u);
    return 0;
}

/* uname(struct new_utsname *) */
long sys_uname(struct trapframe *tf)
{
    struct new_utsname u;
    memset(&u, 0, sizeof u);
    strlcpy(u.sysname, "bunshin", sizeof u.sysname);   /* tests tell Linux from bunshin by it */
    strlcpy(u.nodename, "bunshin", sizeof u.nodename);
    strlcpy(u.release, "0.1", sizeof u.release);
    strlcpy(u.version, "#1", sizeof u.version);
    strlcpy(u.machine, "i686", sizeof u.machine);
    strlcpy(u.domainname, "(none)", sizeof u.domainname);
    return copy_to_user(tf->ebx, &u, sizeof u);
}

long sys_sched_yield(struct trapframe *tf)
{
    (void)tf;
    yield();
    return 0;
}

/* Everyone is root: bunshin has no users yet. */
long sys_getuid(struct trapframe *tf)
{
    (void)tf;
    return 0;
}

/* Resource limits: what the kernel enforces. They are fixed, except
 * RLIMIT_CORE, which only says whether a fatal signal's wait status gets
 * the core bit (kernel/signal_deliver.c). soft and hard. */
static void rlimit_get(uint32_t resource, uint64_t v[2])
{
    struct thread_group *g = current_proc()->group;
    switch (resource) {
    case RLIMIT_STACK: v[0] = v[1] = STACK_LIMIT; break;
    case RLIMIT_NPROC: v[0] = v[1] = (uint64_t)nproc; break;
    case RLIMIT_NOFILE: v[0] = v[1] = NOFILE; break;
    case RLIMIT_CORE: v[0] = g->core_cur; v[1] = g->core_max; break;
    case RLIMIT_SIGPENDING: v[0] = v[1] = SIGQUEUE_MAX; break;
    default: v[0] = v[1] = RLIM64_INFINITY; break;
    }
}

/* Set a limit (soft, hard); the caller checked soft <= hard. Everyone is
 * root, so a hard limit may be raised. -EPERM for the fixed ones, unless
 * the value does not change. */
static int rlimit_set(uint32_t resource, const uint64_t v[2])
{
    uint64_t old[2];
    rlimit_get(resource, old);
    if (resource == RLIMIT_CORE) {
        current_proc()->group->core_cur = v[0];
        current_proc()->group->core_max = v[1];
        return 0;
    }
    return v[0] == old[0] && v[1] == old[1] ? 0 : -EPERM;
}

/* prlimit64(pid, resource, new, old), for this process only. */
long sys_prlimit64(struct trapframe *tf)
{
    uint64_t v[2], old[2];
    if (tf->edx && copy_from_user(v, tf->edx, sizeof v) < 0)
        return -EFAULT;
    if (tf->ebx != 0 && (int)tf->ebx != current_proc()->tgid)
        return -ESRCH;
    if (tf->ecx >= RLIM_NLIMITS)
        return -EINVAL;
    if (tf->edx && v[0] > v[1])
        return -EINVAL;
    rlimit_get(tf->ecx, old);
    if (tf->edx) {
        int r = rlimit_set(tf->ecx, v);
        if (r < 0)
            return r;
    }
    if (tf->esi && copy_to_user(tf->esi, old, sizeof old) < 0)
        return -EFAULT;
    return 0;
}

/* A limit in the 32-bit struct rlimit: RLIM_INFINITY for anything that
 * does not fit. */
static uint32_t rlimit32(uint64_t v)
{
    return v > RLIM_INFINITY ? RLIM_INFINITY : (uint32_t)v;
}

/* ugetrlimit(resource, struct rlimit *): the 32-bit form. */
long sys_ugetrlimit(struct trapframe *tf)
{
    if (tf->ebx >= RLIM_NLIMITS)
        return -EINVAL;
    uint64_t v[2];
    rlimit_get(tf->ebx, v);
    uint32_t r[2] = { rlimit32(v[0]), rlimit32(v[1]) };
    return copy_to_user(tf->ecx, r, sizeof r);
}

/* getrlimit(resource, struct rlimit *): the oldest form, whose "infinity"
 * was 0x7fffffff (Linux keeps it so for old programs). */
long sys_getrlimit(struct trapframe *tf)
{
    if (tf->ebx >= RLIM_NLIMITS)
        return -EINVAL;
    uint64_t v[2];
    rlimit_get(tf->ebx, v);
    uint32_t r[2] = { rlimit32(v[0]), rlimit32(v[1]) };
    for (int i = 0; i < 2; i++)
        if (r[i] > 0x7FFFFFFFu)
            r[i] = 0x7FFFFFFFu;
    return copy_to_user(tf->ecx, r, sizeof r);
}

/* setrlimit(resource, struct rlimit *): 32-bit values, RLIM_INFINITY
 * meaning no limit. */
long sys_setrlimit(struct trapframe *tf)
{
    uint32_t r[2];
    if (copy_from_user(r, tf->ecx, sizeof r) < 0)
        return -EFAULT;
    if (tf->ebx >= RLIM_NLIMITS)
        return -EINVAL;
    uint64_t v[2];
    for (int i = 0; i < 2; i++)
        v[i] = r[i] == RLIM_INFINITY ? RLIM64_INFINITY : r[i];
    if (v[0] > v[1])
        return -EINVAL;
    return rlimit_set(tf->ebx, v);
}

/* reboot(magic1, magic2, cmd, arg): Linux's checks and commands. Powering
 * off leaves QEMU (status 0), as init's end does; a restart does the same,
 * since QEMU runs with -no-reboot; halt stops the CPU. */
long sys_reboot(struct trapframe *tf)
{
    if (tf->ebx != LINUX_REBOOT_MAGIC1 ||
        (tf->ecx != LINUX_REBOOT_MAGIC2 && tf->ecx != LINUX_REBOOT_MAGIC2A &&
         tf->ecx != LINUX_REBOOT_MAGIC2B && tf->ecx != LINUX_REBOOT_MAGIC2C))
        return -EINVAL;
    switch (tf->edx) {
    case LINUX_REBOOT_CMD_POWER_OFF:
    case LINUX_REBOOT_CMD_RESTART:
        printk("bunshin: %s requested by pid %d; leaving QEMU\n",
               tf->edx == LINUX_REBOOT_CMD_RESTART ? "restart" : "power off", current_proc()->pid);
        qemu_exit(0);
    case LINUX_REBOOT_CMD_HALT:
        printk("bunshin: halt requested by pid %d\n", current_proc()->pid);
        for (;;)
            hlt();
    default:
        return -EINVAL;
    }
}
