/* syscall.h: system calls, numbered as on Linux i386.
 *
 * A program puts the call's number in eax and up to six arguments in ebx,
 * ecx, edx, esi, edi, ebp, and executes int $0x80. trap_entry.asm saves all
 * of them in the trap frame; syscall_dispatch looks the number up in the
 * table and calls the sys_ function, which reads its arguments from the
 * frame, and writes the result (or -errno) back into the frame's eax, which
 * is what the program finds in eax after the int instruction.
 *
 * Each sys_ function only decodes its arguments and calls a do_ function (or
 * a subsystem's own) that does the work, as in Linux 0.11.
 */
#ifndef SYSCALL_H
#define SYSCALL_H

#include "kernel/trap.h"

#define T_SYSCALL 0x80

void syscall_dispatch(struct trapframe *tf);

/* Every system call, by the file it lives in. */
/* kernel/sys_proc.c */
long sys_exit(struct trapframe *tf);
long sys_exit_group(struct trapframe *tf);
long sys_fork(struct trapframe *tf);
long sys_clone(struct trapframe *tf);
long sys_vfork(struct trapframe *tf);
long sys_futex(struct trapframe *tf);
long sys_umask(struct trapframe *tf);
long sys_mprotect(struct trapframe *tf);
long sys_execve(struct trapframe *tf);
long sys_wait4(struct trapframe *tf);
long sys_waitpid(struct trapframe *tf);
long sys_getpid(struct trapframe *tf);
long sys_getppid(struct trapframe *tf);
long sys_gettid(struct trapframe *tf);
long sys_set_tid_address(struct trapframe *tf);
long sys_set_thread_area(struct trapframe *tf);
long sys_uname(struct trapframe *tf);
long sys_sched_yield(struct trapframe *tf);
long sys_getuid(struct trapframe *tf);
long sys_rt_sigprocmask(struct trapframe *tf);
long sys_prlimit64(struct trapframe *tf);
long sys_ugetrlimit(struct trapframe *tf);
long sys_kill(struct trapframe *tf);
long sys_reboot(struct trapframe *tf);
long sys_madvise(struct trapframe *tf);
/* kernel/sys_time.c */
long sys_nanosleep(struct trapframe *tf);
long sys_clock_gettime(struct trapframe *tf);
long sys_clock_gettime64(struct trapframe *tf);
long sys_clock_getres(struct trapframe *tf);
long sys_time(struct trapframe *tf);
long sys_gettimeofday(struct trapframe *tf);
/* mm/sys_mm.c */
long sys_brk(struct trapframe *tf);
long sys_mmap2(struct trapframe *tf);
long sys_munmap(struct trapframe *tf);
/* fs/sys_file.c */
long sys_read(struct trapframe *tf);
long sys_write(struct trapframe *tf);
long sys_readv(struct trapframe *tf);
long sys_writev(struct trapframe *tf);
long sys_open(struct trapframe *tf);
long sys_openat(struct trapframe *tf);
long sys_close(struct trapframe *tf);
long sys_lseek(struct trapframe *tf);
long sys_llseek(struct trapframe *tf);
long sys_stat64(struct trapframe *tf);
long sys_lstat64(struct trapframe *tf);
long sys_fstat64(struct trapframe *tf);
long sys_fstatat64(struct trapframe *tf);
long sys_statx(struct trapframe *tf);
long sys_getdents64(struct trapframe *tf);
long sys_getcwd(struct trapframe *tf);
long sys_chdir(struct trapframe *tf);
long sys_fchdir(struct trapframe *tf);
long sys_access(struct trapframe *tf);
long sys_faccessat(struct trapframe *tf);
long sys_faccessat2(struct trapframe *tf);
long sys_ioctl(struct trapframe *tf);
long sys_mkdir(struct trapframe *tf);
long sys_mkdirat(struct trapframe *tf);
long sys_unlink(struct trapframe *tf);
long sys_unlinkat(struct trapframe *tf);
long sys_fcntl64(struct trapframe *tf);
long sys_pipe(struct trapframe *tf);
long sys_dup(struct trapframe *tf);
long sys_dup2(struct trapframe *tf);
long sys_dup3(struct trapframe *tf);
long sys_rmdir(struct trapframe *tf);
long sys_rename(struct trapframe *tf);
long sys_renameat(struct trapframe *tf);
long sys_renameat2(struct trapframe *tf);
long sys_link(struct trapframe *tf);
long sys_linkat(struct trapframe *tf);
long sys_symlink(struct trapframe *tf);
long sys_symlinkat(struct trapframe *tf);
long sys_readlink(struct trapframe *tf);
long sys_readlinkat(struct trapframe *tf);
long sys_truncate(struct trapframe *tf);
long sys_ftruncate(struct trapframe *tf);
long sys_truncate64(struct trapframe *tf);
long sys_ftruncate64(struct trapframe *tf);
long sys_chmod(struct trapframe *tf);
long sys_fchmod(struct trapframe *tf);
long sys_fchmodat(struct trapframe *tf);
long sys_utimensat(struct trapframe *tf);
long sys_utimensat_time64(struct trapframe *tf);
long sys_pread64(struct trapframe *tf);
long sys_pwrite64(struct trapframe *tf);
long sys_pipe2(struct trapframe *tf);

#endif
