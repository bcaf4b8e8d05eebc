/* syscall_table.c: every system call bunshin has, by its Linux i386 number
 * (Linux's arch/x86/entry/syscalls/syscall_32.tbl). A number with no entry
 * answers -ENOSYS. Where Linux has an old and a new form of a call, both
 * numbers are here; the ids that bunshin does not keep yet (getgid,
 * geteuid...) share sys_getuid. tests/static/syscalls.sh checks each number
 * against Linux's own header and each function's declaration. */
#include "kernel/syscall.h"
#include "kernel/futex.h"
#include "kernel/sys_proc.h"
#include "kernel/sys_time.h"
#include "mm/sys_mm.h"
#include "fs/sys_dirs.h"
#include "fs/sys_file.h"
#include "fs/sys_stat.h"

static const struct syscall syscall_table[] = {
    [1  ] = { "exit", sys_exit, "d", SC_NORETURN },
    [2  ] = { "fork", sys_fork, "", 0 },
    [3  ] = { "read", sys_read, "dpu", 0 },
    [4  ] = { "write", sys_write, "dpu", 0 },
    [5  ] = { "open", sys_open, "sxo", 0 },
    [6  ] = { "close", sys_close, "d", 0 },
    [7  ] = { "waitpid", sys_waitpid, "dpx", 0 },
    [9  ] = { "link", sys_link, "ss", 0 },
    [10 ] = { "unlink", sys_unlink, "s", 0 },
    [11 ] = { "execve", sys_execve, "spp", SC_EXEC },
    [12 ] = { "chdir", sys_chdir, "s", 0 },
    [13 ] = { "time", sys_time, "p", 0 },
    [15 ] = { "chmod", sys_chmod, "so", 0 },
    [19 ] = { "lseek", sys_lseek, "ddd", 0 },
    [20 ] = { "getpid", sys_getpid, "", 0 },
    [24 ] = { "getuid", sys_getuid, "", 0 },
    [33 ] = { "access", sys_access, "so", 0 },
    [37 ] = { "kill", sys_kill, "dd", 0 },
    [38 ] = { "rename", sys_rename, "ss", 0 },
    [39 ] = { "mkdir", sys_mkdir, "so", 0 },
    [40 ] = { "rmdir", sys_rmdir, "s", 0 },
    [41 ] = { "dup", sys_dup, "d", 0 },
    [42 ] = { "pipe", sys_pipe, "p", 0 },
    [45 ] = { "brk", sys_brk, "x", SC_ADDR },
    [47 ] = { "getgid", sys_getuid, "", 0 },
    [49 ] = { "geteuid", sys_getuid, "", 0 },
    [50 ] = { "getegid", sys_getuid, "", 0 },
    [54 ] = { "ioctl", sys_ioctl, "dxx", 0 },
    [60 ] = { "umask", sys_umask, "o", 0 },
    [63 ] = { "dup2", sys_dup2, "dd", 0 },
    [64 ] = { "getppid", sys_getppid, "", 0 },
    [78 ] = { "gettimeofday", sys_gettimeofday, "pp", 0 },
    [83 ] = { "symlink", sys_symlink, "ss", 0 },
    [85 ] = { "readlink", sys_readlink, "spd", 0 },
    [88 ] = { "reboot", sys_reboot, "xxxp", 0 },
    [91 ] = { "munmap", sys_munmap, "xu", 0 },
    [92 ] = { "truncate", sys_truncate, "sd", 0 },
    [93 ] = { "ftruncate", sys_ftruncate, "dd", 0 },
    [94 ] = { "fchmod", sys_fchmod, "do", 0 },
    [114] = { "wait4", sys_wait4, "dpxp", 0 },
    [120] = { "clone", sys_clone, "xxppp", 0 },
    [122] = { "uname", sys_uname, "p", 0 },
    [125] = { "mprotect", sys_mprotect, "xux", 0 },
    [133] = { "fchdir", sys_fchdir, "d", 0 },
    [140] = { "_llseek", sys_llseek, "duupd", 0 },
    [145] = { "readv", sys_readv, "dpd", 0 },
    [146] = { "writev", sys_writev, "dpd", 0 },
    [158] = { "sched_yield", sys_sched_yield, "", 0 },
    [162] = { "nanosleep", sys_nanosleep, "pp", 0 },
    [175] = { "rt_sigprocmask", sys_rt_sigprocmask, "dppu", 0 },
    [180] = { "pread64", sys_pread64, "dpuuu", 0 },
    [181] = { "pwrite64", sys_pwrite64, "dpuuu", 0 },
    [183] = { "getcwd", sys_getcwd, "pu", 0 },
    [190] = { "vfork", sys_vfork, "", 0 },
    [191] = { "ugetrlimit", sys_ugetrlimit, "dp", 0 },
    [192] = { "mmap2", sys_mmap2, "xuxxdx", SC_ADDR },
    [193] = { "truncate64", sys_truncate64, "suu", 0 },
    [194] = { "ftruncate64", sys_ftruncate64, "duu", 0 },
    [195] = { "stat64", sys_stat64, "sp", 0 },
    [196] = { "lstat64", sys_lstat64, "sp", 0 },
    [197] = { "fstat64", sys_fstat64, "dp", 0 },
    [199] = { "getuid32", sys_getuid, "", 0 },
    [200] = { "getgid32", sys_getuid, "", 0 },
    [201] = { "geteuid32", sys_getuid, "", 0 },
    [202] = { "getegid32", sys_getuid, "", 0 },
    [219] = { "madvise", sys_madvise, "xux", 0 },
    [220] = { "getdents64", sys_getdents64, "dpu", 0 },
    [221] = { "fcntl64", sys_fcntl64, "ddx", 0 },
    [224] = { "gettid", sys_gettid, "", 0 },
    [240] = { "futex", sys_futex, "pxdppx", 0 },
    [243] = { "set_thread_area", sys_set_thread_area, "p", 0 },
    [252] = { "exit_group", sys_exit_group, "d", SC_NORETURN },
    [258] = { "set_tid_address", sys_set_tid_address, "p", 0 },
    [265] = { "clock_gettime", sys_clock_gettime, "dp", 0 },
    [266] = { "clock_getres", sys_clock_getres, "dp", 0 },
    [295] = { "openat", sys_openat, "dsxo", 0 },
    [296] = { "mkdirat", sys_mkdirat, "dso", 0 },
    [300] = { "fstatat64", sys_fstatat64, "dspx", 0 },
    [301] = { "unlinkat", sys_unlinkat, "dsx", 0 },
    [302] = { "renameat", sys_renameat, "dsds", 0 },
    [303] = { "linkat", sys_linkat, "dsdsx", 0 },
    [304] = { "symlinkat", sys_symlinkat, "sds", 0 },
    [305] = { "readlinkat", sys_readlinkat, "dspd", 0 },
    [306] = { "fchmodat", sys_fchmodat, "dso", 0 },
    [307] = { "faccessat", sys_faccessat, "dso", 0 },
    [320] = { "utimensat", sys_utimensat, "dspx", 0 },
    [330] = { "dup3", sys_dup3, "ddx", 0 },
    [331] = { "pipe2", sys_pipe2, "px", 0 },
    [340] = { "prlimit64", sys_prlimit64, "ddpp", 0 },
    [353] = { "renameat2", sys_renameat2, "dsdsx", 0 },
    [383] = { "statx", sys_statx, "dsxxp", 0 },
    [403] = { "clock_gettime64", sys_clock_gettime64, "dp", 0 },
    [412] = { "utimensat_time64", sys_utimensat_time64, "dspx", 0 },
    [439] = { "faccessat2", sys_faccessat2, "dsox", 0 },
};
#define NSYSCALLS (sizeof syscall_table / sizeof syscall_table[0])

const struct syscall *syscall_lookup(uint32_t nr)
{
    if (nr < NSYSCALLS && syscall_table[nr].fn)
        return &syscall_table[nr];
    return 0;
}
