/* sys_file.h: the system calls of fs/sys_file.c, on descriptors: read,
 * write, open, close, seeking, ioctl, fcntl, pipes, the dup family.
 * (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_FILE_H
#define SYS_FILE_H

#include "kernel/trap.h"
#include "types.h"

#define MAX_RW 0x7FFFF000u            /* Linux's largest single read or write */

/* readv/writev's work: count struct iovecs at uiov, one buffer after
 * another through read or write, stopping at a short transfer. The bytes
 * moved, or -errno if none were. (preadv's offset -1 uses it too.) */
long do_rwv(int fd, vaddr_t uiov, int count, bool write);

struct file;
/* One buffer's transfer for iov_walk: len bytes at base on f, after the
 * buffers before it moved done bytes. Bytes moved or -errno. */
typedef long (*iov_one_fn)(struct file *f, vaddr_t base, uint32_t len, long done, void *arg);
/* Walk count struct iovecs at uiov (user memory), calling one for each
 * buffer that is not empty, and stop at an error or a short transfer: the
 * bytes moved, or the error if none were (-EFAULT: the array). readv,
 * writev, preadv and pwritev each give their own one; the caller holds f. */
long iov_walk(struct file *f, vaddr_t uiov, int count, iov_one_fn one, void *arg);

long sys_read(struct trapframe *tf);
long sys_write(struct trapframe *tf);
long sys_readv(struct trapframe *tf);
long sys_writev(struct trapframe *tf);
long sys_open(struct trapframe *tf);
long sys_openat(struct trapframe *tf);
long sys_openat2(struct trapframe *tf);
long sys_close(struct trapframe *tf);
long sys_close_range(struct trapframe *tf);
long sys_lseek(struct trapframe *tf);
long sys_llseek(struct trapframe *tf);
long sys_ioctl(struct trapframe *tf);
long sys_fcntl64(struct trapframe *tf);
long sys_fcntl(struct trapframe *tf);
long sys_pipe(struct trapframe *tf);
long sys_pipe2(struct trapframe *tf);
long sys_dup(struct trapframe *tf);
long sys_dup2(struct trapframe *tf);
long sys_dup3(struct trapframe *tf);
long sys_creat(struct trapframe *tf);

#endif
