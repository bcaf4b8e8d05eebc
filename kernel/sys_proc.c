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
#include "linux/sched.h"
#include "linux/utsname.h"
#include "kernel/uts.h"
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

/* execveat(dirfd, path, argv, envp, flags) */
long sys_execveat(struct trapframe *tf)
{
    return do_execveat((int)tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, true);
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

/* Linux gives each thread three TLS slots of the GDT, 6 to 8; bunshin has
 * only the first (GDT_TLS), and the others read back as never set. */
#define LINUX_TLS_FIRST 6
#define LINUX_TLS_LAST  8
#define UD_FLAGS_I386   0x7F     /* seg_32bit ... useable: no lm bit on i386 */
#define UD_EMPTY_FLAGS  0x28     /* an empty slot: read_exec_only, seg_not_present */

/* get_thread_area(struct user_desc *u): the TLS slot u->entry_number as
 * Linux reads it back from the descriptor set_thread_area made (an empty
 * slot, or one cleared, as read-only and not present). EINVAL for a slot
 * that is not a TLS one, EFAULT. */
long sys_get_thread_area(struct trapframe *tf)
{
    uint32_t idx;
    if (copy_from_user(&idx, tf->ebx, sizeof idx) < 0)
        return -EFAULT;
    if (idx < LINUX_TLS_FIRST || idx > LINUX_TLS_LAST)
        return -EINVAL;
    const struct user_desc *set = &current_proc()->tls;
    uint32_t flags = set->flags & UD_FLAGS_I386;
    /* Linux keeps an all-zero descriptor for a slot never set, or set
     * "empty" (all zero, or only read_exec_only and seg_not_present). */
    bool empty = idx != GDT_TLS || (set->base_addr == 0 && set->limit == 0 &&
                                    (flags == 0 || flags == UD_EMPTY_FLAGS));
    struct user_desc u = { idx, 0, 0, UD_EMPTY_FLAGS };
    if (!empty) {
        u.base_addr = set->base_addr;
        u.limit = set->limit & 0xFFFFF;   /* the descriptor keeps 20 bits */
        u.flags = flags;
    }
    return copy_to_user(tf->ebx, &u, sizeof u) < 0 ? -EFAULT : 0;
}

/* Fill *u with the names uname reports (all three layouts start here). */
static void fill_utsname(struct new_utsname *u)
{
    memset(u, 0, sizeof *u);
    strlcpy(u->sysname, UTS_SYSNAME, sizeof u->sysname);
    strlcpy(u->nodename, uts_nodename(), sizeof u->nodename);
    strlcpy(u->release, UTS_RELEASE, sizeof u->release);
    strlcpy(u->version, "#1", sizeof u->version);
    strlcpy(u->machine, "i686", sizeof u->machine);
    strlcpy(u->domainname, uts_domainname(), sizeof u->domainname);
}

/* uname(struct new_utsname *) */
long sys_uname(struct trapframe *tf)
{
    struct new_utsname u;
    fill_utsname(&u);
    return copy_to_user(tf->ebx, &u, sizeof u);
}

/* olduname (109; Linux's sys_uname): struct old_utsname, uname's first
 * five fields. 0 or -EFAULT. */
long sys_olduname(struct trapframe *tf)
{
    struct new_utsname u;
    fill_utsname(&u);
    return copy_to_user(tf->ebx, &u, sizeof(struct old_utsname)) < 0 ? -EFAULT : 0;
}

/* oldolduname (59; Linux's sys_olduname): struct oldold_utsname, each
 * field cut to 8 characters and a NUL. 0 or -EFAULT. */
long sys_oldolduname(struct trapframe *tf)
{
    struct new_utsname u;
    fill_utsname(&u);
    struct oldold_utsname o;
    const char *from[5] = { u.sysname, u.nodename, u.release, u.version, u.machine };
    char *to[5] = { o.sysname, o.nodename, o.release, o.version, o.machine };
    for (int i = 0; i < 5; i++) {
        memcpy(to[i], from[i], __OLD_UTS_LEN);
        to[i][__OLD_UTS_LEN] = 0;
    }
    return copy_to_user(tf->ebx, &o, sizeof o) < 0 ? -EFAULT : 0;
}

long sys_sched_yield(struct trapframe *tf)
{
    (void)tf;
    yield();
    return 0;
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
