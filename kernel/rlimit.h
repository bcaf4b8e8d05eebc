/* rlimit.h: resource limits (kernel/rlimit.c): getrlimit, setrlimit,
 * ugetrlimit, prlimit64, and what the rest of the kernel asks of them.
 *
 * Each process has a soft and a hard limit per resource (RLIMIT_*). The
 * soft one is what the kernel enforces; the hard one is the ceiling the
 * soft one may be raised to. Linux keeps them per process, not per thread
 * (in signal_struct); bunshin keeps them in struct thread_group, so threads
 * share them, fork copies them, execve keeps them.
 *
 * Who enforces what: fs/ the descriptor limit (RLIMIT_NOFILE: open, dup,
 * pipe, poll...) and the file size (RLIMIT_FSIZE: write, truncate);
 * kernel/fork.c the process count (RLIMIT_NPROC), kernel/signal.c the
 * queued siginfos (RLIMIT_SIGPENDING), kernel/cputime.c the CPU time
 * (RLIMIT_CPU); mm/ the memory limits (RLIMIT_DATA, STACK, AS, MEMLOCK).
 * The others are kept and reported, as Linux reports them.
 * (How a sys_ function is called: kernel/syscall.h.)
 */
#ifndef RLIMIT_H
#define RLIMIT_H

#include "types.h"
#include "kernel/trap.h"
#include "linux/resource.h"

struct proc;

/* One resource's limits, in prlimit64's units: RLIM64_INFINITY is none. */
struct rlimit64_pair {
    uint64_t cur, max;             /* soft, hard */
};

/* Fill lim with the limits of the first process, /bin/init: Linux's
 * defaults, scaled to bunshin (rlimit.c says how each is chosen). */
void rlimit_init(struct rlimit64_pair lim[RLIM_NLIMITS]);

/* Process p's soft (cur) and hard (max) limit of resource (an RLIMIT_*
 * below RLIM_NLIMITS), RLIM64_INFINITY when there is none. Any thread of
 * the process gives the same answer. */
uint64_t rlimit_cur(const struct proc *p, int resource);
uint64_t rlimit_max(const struct proc *p, int resource);

/* RLIMIT_NOFILE's soft limit as a descriptor bound: the lowest descriptor
 * p may not make (never above NOFILE). What fs/ hands the fd allocator. */
int rlimit_nofile(const struct proc *p);

/* Is p above the limits that Linux lifts for privilege (RLIMIT_NPROC's
 * count)? Root's processes and privileged ones are. */
bool rlimit_exempt(const struct proc *p);

/* RLIMIT_FSIZE for a write of n bytes at offset pos of a regular file by
 * the current process: how many it may write, n or fewer (cut at the soft
 * limit). At or past the limit: SIGXFSZ to the caller and -EFBIG. */
long rlimit_fsize_write(uint64_t pos, uint32_t n);
/* The same for making a regular file size bytes long (truncate): growing
 * it past the soft limit gives SIGXFSZ and -EFBIG. old is its size now. */
int rlimit_fsize_truncate(uint64_t old, uint64_t size);

/* A timer tick was charged to p's process (kernel/cputime.c): past
 * RLIMIT_CPU's soft limit in seconds, SIGXCPU (and the soft limit goes up
 * a second, as Linux does, for one more a second later); at the hard
 * limit, SIGKILL. */
void rlimit_cpu_tick(struct proc *p);

/* prlimit64's worker: read (old) and/or set (new) resource of the process
 * with pid (0: the caller). 0, -ESRCH, -EINVAL (bad resource, soft above
 * hard) or -EPERM (RLIMIT_NOFILE's hard limit above NOFILE,
 * the size of the descriptor table: Linux's /proc/sys/fs/nr_open). */
int do_prlimit(int pid, uint32_t resource, const struct rlimit64_pair *new,
               struct rlimit64_pair *old);

long sys_prlimit64(struct trapframe *tf);
long sys_ugetrlimit(struct trapframe *tf);
long sys_getrlimit(struct trapframe *tf);
long sys_setrlimit(struct trapframe *tf);

#endif
