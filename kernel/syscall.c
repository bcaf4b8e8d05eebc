/* syscall.c: the system-call table, the dispatcher and the tracer. */
#include "kernel/syscall.h"
#include "boot/cmdline.h"
#include "kernel/proc.h"
#include "mm/usercopy.h"
#include "errno.h"
#include "lib/format.h"
#include "printk.h"
#include "lib/string.h"

/* One table entry. `args` says how the tracer prints each argument:
 *   d signed   u unsigned   x hex   o octal   p pointer   s user string   */
struct syscall {
    const char *name;
    long (*fn)(struct trapframe *tf);
    const char *args;
};

/* Indexed by Linux's i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl).
 * A number with no entry here answers -ENOSYS. */
static const struct syscall syscalls[] = {
    [1  ] = { "exit", sys_exit, "d" },
    [2  ] = { "fork", sys_fork, "" },
    [3  ] = { "read", sys_read, "dpu" },
    [4  ] = { "write", sys_write, "dpu" },
    [5  ] = { "open", sys_open, "sxo" },
    [6  ] = { "close", sys_close, "d" },
    [7  ] = { "waitpid", sys_waitpid, "dpx" },
    [9  ] = { "link", sys_link, "ss" },
    [10 ] = { "unlink", sys_unlink, "s" },
    [11 ] = { "execve", sys_execve, "spp" },
    [12 ] = { "chdir", sys_chdir, "s" },
    [13 ] = { "time", sys_time, "p" },
    [15 ] = { "chmod", sys_chmod, "so" },
    [19 ] = { "lseek", sys_lseek, "ddd" },
    [20 ] = { "getpid", sys_getpid, "" },
    [24 ] = { "getuid", sys_getuid, "" },
    [33 ] = { "access", sys_access, "so" },
    [37 ] = { "kill", sys_kill, "dd" },
    [38 ] = { "rename", sys_rename, "ss" },
    [39 ] = { "mkdir", sys_mkdir, "so" },
    [40 ] = { "rmdir", sys_rmdir, "s" },
    [41 ] = { "dup", sys_dup, "d" },
    [42 ] = { "pipe", sys_pipe, "p" },
    [45 ] = { "brk", sys_brk, "x" },
    [47 ] = { "getgid", sys_getuid, "" },
    [49 ] = { "geteuid", sys_getuid, "" },
    [50 ] = { "getegid", sys_getuid, "" },
    [54 ] = { "ioctl", sys_ioctl, "dxx" },
    [60 ] = { "umask", sys_umask, "o" },
    [63 ] = { "dup2", sys_dup2, "dd" },
    [64 ] = { "getppid", sys_getppid, "" },
    [78 ] = { "gettimeofday", sys_gettimeofday, "pp" },
    [83 ] = { "symlink", sys_symlink, "ss" },
    [85 ] = { "readlink", sys_readlink, "spd" },
    [88 ] = { "reboot", sys_reboot, "xxxp" },
    [91 ] = { "munmap", sys_munmap, "xu" },
    [92 ] = { "truncate", sys_truncate, "sd" },
    [93 ] = { "ftruncate", sys_ftruncate, "dd" },
    [94 ] = { "fchmod", sys_fchmod, "do" },
    [114] = { "wait4", sys_wait4, "dpxp" },
    [120] = { "clone", sys_clone, "xxppp" },
    [122] = { "uname", sys_uname, "p" },
    [125] = { "mprotect", sys_mprotect, "xux" },
    [133] = { "fchdir", sys_fchdir, "d" },
    [140] = { "_llseek", sys_llseek, "duupd" },
    [145] = { "readv", sys_readv, "dpd" },
    [146] = { "writev", sys_writev, "dpd" },
    [158] = { "sched_yield", sys_sched_yield, "" },
    [162] = { "nanosleep", sys_nanosleep, "pp" },
    [175] = { "rt_sigprocmask", sys_rt_sigprocmask, "dppu" },
    [180] = { "pread64", sys_pread64, "dpuuu" },
    [181] = { "pwrite64", sys_pwrite64, "dpuuu" },
    [183] = { "getcwd", sys_getcwd, "pu" },
    [190] = { "vfork", sys_vfork, "" },
    [191] = { "ugetrlimit", sys_ugetrlimit, "dp" },
    [192] = { "mmap2", sys_mmap2, "xuxxdx" },
    [193] = { "truncate64", sys_truncate64, "suu" },
    [194] = { "ftruncate64", sys_ftruncate64, "duu" },
    [195] = { "stat64", sys_stat64, "sp" },
    [196] = { "lstat64", sys_lstat64, "sp" },
    [197] = { "fstat64", sys_fstat64, "dp" },
    [199] = { "getuid32", sys_getuid, "" },
    [200] = { "getgid32", sys_getuid, "" },
    [201] = { "geteuid32", sys_getuid, "" },
    [202] = { "getegid32", sys_getuid, "" },
    [219] = { "madvise", sys_madvise, "xux" },
    [220] = { "getdents64", sys_getdents64, "dpu" },
    [221] = { "fcntl64", sys_fcntl64, "ddx" },
    [224] = { "gettid", sys_gettid, "" },
    [240] = { "futex", sys_futex, "pxdppx" },
    [243] = { "set_thread_area", sys_set_thread_area, "p" },
    [252] = { "exit_group", sys_exit_group, "d" },
    [258] = { "set_tid_address", sys_set_tid_address, "p" },
    [265] = { "clock_gettime", sys_clock_gettime, "dp" },
    [266] = { "clock_getres", sys_clock_getres, "dp" },
    [295] = { "openat", sys_openat, "dsxo" },
    [296] = { "mkdirat", sys_mkdirat, "dso" },
    [300] = { "fstatat64", sys_fstatat64, "dspx" },
    [301] = { "unlinkat", sys_unlinkat, "dsx" },
    [302] = { "renameat", sys_renameat, "dsds" },
    [303] = { "linkat", sys_linkat, "dsdsx" },
    [304] = { "symlinkat", sys_symlinkat, "sds" },
    [305] = { "readlinkat", sys_readlinkat, "dspd" },
    [306] = { "fchmodat", sys_fchmodat, "dso" },
    [307] = { "faccessat", sys_faccessat, "dso" },
    [320] = { "utimensat", sys_utimensat, "dspx" },
    [330] = { "dup3", sys_dup3, "ddx" },
    [331] = { "pipe2", sys_pipe2, "px" },
    [340] = { "prlimit64", sys_prlimit64, "ddpp" },
    [353] = { "renameat2", sys_renameat2, "dsdsx" },
    [383] = { "statx", sys_statx, "dsxxp" },
    [403] = { "clock_gettime64", sys_clock_gettime64, "dp" },
    [412] = { "utimensat_time64", sys_utimensat_time64, "dspx" },
    [439] = { "faccessat2", sys_faccessat2, "dsox" },
};
#define NSYSCALLS (sizeof syscalls / sizeof syscalls[0])

/* Names of the errors, for the trace: "= -2 ENOENT" reads better than "-2". */
static const char *const errno_names[] = {
    [EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR",
    [EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC",
    [EBADF] = "EBADF", [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
    [EACCES] = "EACCES", [EFAULT] = "EFAULT", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST",
    [EXDEV] = "EXDEV", [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
    [EINVAL] = "EINVAL", [ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY",
    [EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC", [ESPIPE] = "ESPIPE", [EROFS] = "EROFS",
    [EMLINK] = "EMLINK", [EPIPE] = "EPIPE", [ERANGE] = "ERANGE",
    [ENAMETOOLONG] = "ENAMETOOLONG", [ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY",
    [ELOOP] = "ELOOP", [EOVERFLOW] = "EOVERFLOW", [ETIMEDOUT] = "ETIMEDOUT",
};

static const char *errno_name(long e)
{
    if (e > 0 && e < (long)(sizeof errno_names / sizeof errno_names[0]) && errno_names[e])
        return errno_names[e];
    return "";
}

/* Format one call like strace: name(arg, arg, ...). Strings are read from the
 * caller's memory now, before the call can change or replace it (execve). */
static void trace_format(char *buf, size_t size, const struct syscall *sc, struct trapframe *tf)
{
    uint32_t args[6] = { tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp };
    size_t n = (size_t)ksnprintf(buf, size, "%s(", sc->name);
    for (int i = 0; sc->args[i] && n < size; i++) {
        const char *sep = i ? ", " : "";
        char s[48];
        switch (sc->args[i]) {
        case 'd': n += (size_t)ksnprintf(buf + n, size - n, "%s%d", sep, (int)args[i]); break;
        case 'u': n += (size_t)ksnprintf(buf + n, size - n, "%s%u", sep, args[i]); break;
        case 'o': n += (size_t)ksnprintf(buf + n, size - n, "%s0%o", sep, args[i]); break;
        case 's': {
            int len = strncpy_from_user(s, args[i], sizeof s);
            if (len == -EFAULT)
                n += (size_t)ksnprintf(buf + n, size - n, "%s%#x", sep, args[i]);
            else
                n += (size_t)ksnprintf(buf + n, size - n, "%s\"%s\"%s", sep, s,
                                       len < 0 ? "..." : "");
            break;
        }
        case 'p':
            if (args[i] == 0)
                n += (size_t)ksnprintf(buf + n, size - n, "%sNULL", sep);
            else
                n += (size_t)ksnprintf(buf + n, size - n, "%s%#x", sep, args[i]);
            break;
        default: n += (size_t)ksnprintf(buf + n, size - n, "%s%#x", sep, args[i]); break;
        }
    }
    if (n < size)
        ksnprintf(buf + n, size - n, ")");
}

void syscall_dispatch(struct trapframe *tf)
{
    uint32_t nr = tf->eax;
    struct proc *p = current_proc();
    const struct syscall *sc = nr < NSYSCALLS && syscalls[nr].fn ? &syscalls[nr] : 0;

    if (!boot_options.trace_syscalls) {
        tf->eax = sc ? (uint32_t)sc->fn(tf) : (uint32_t)-ENOSYS;
        return;
    }

    char line[160];
    int pid = p->pid;
    if (!sc) {
        printk("[%d] syscall_%u(...) = -%d ENOSYS\n", pid, nr, ENOSYS);   /* no such call */
        tf->eax = (uint32_t)-ENOSYS;
        return;
    }
    trace_format(line, sizeof line, sc, tf);
    if (nr == 1 || nr == 252)                 /* exit: there is no "after" */
        printk("[%d] %s = ?\n", pid, line);
    long r = sc->fn(tf);
    tf->eax = (uint32_t)r;
    if (r < 0 && r >= -4095)
        printk("[%d] %s = -%ld %s\n", pid, line, -r, errno_name(-r));
    else if (nr == 11 && r == 0)
        printk("[%d] %s = 0 (now %s)\n", pid, line, p->name);
    else if ((unsigned long)r >= 0x10000)     /* an address (brk, mmap2) */
        printk("[%d] %s = %#lx\n", pid, line, (unsigned long)r);
    else
        printk("[%d] %s = %ld\n", pid, line, r);
}
