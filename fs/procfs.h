/* procfs.h: between the files of /proc (inside fs/ only).
 *
 *   fs/procfs.c       the /proc directory, /proc/meminfo, /proc/self
 *   fs/procfs_file.c  /proc files: text made at open, read from a snapshot
 *   fs/procfs_pid.c   the /proc/<pid> directory and its files
 *   fs/procfs_stat.c  /proc/<pid>/stat, statm, cmdline, environ, cwd, exe
 *   fs/procfs_system.c /proc/stat, uptime, loadavg, filesystems, mounts,
 *                     version
 *   fs/procfs_fd.c    the /proc/<pid>/fd directory and its links
 *   fs/procfs_task.c  /proc/<pid>/task/<tid>: each thread's stat, status, comm...
 *   fs/procfs_cpuinfo.c /proc/cpuinfo, from CPUID
 *   fs/procfs_sys.c   /proc/sys, the settings a program may change
 *   fs/procfs_sysvipc.c /proc/sysvipc: System V IPC objects (ipc/)
 *   fs/procfs_net.c   /proc/net: the sockets, as netstat reads them
 *
 * Each constructor returns a new inode with nlink 0 and one reference, or
 * NULL when out of memory.
 */
#ifndef PROCFS_H
#define PROCFS_H

#include "fs/fs.h"

/* inode_new for /proc: an inode on /proc's file system (FS_DEV_PROC). */
struct inode *procfs_inode_new(uint32_t mode, const struct inode_ops *ops, size_t priv_size);

/* The chmod of everything under /proc/<pid>: Linux refuses it (EPERM). */
int procfs_chmod_refused(struct inode *ip, uint32_t mode);

/* A /proc file whose text gen writes at each open: gen(pid, buf, size)
 * writes the text into buf (size bytes) and returns its full length, as
 * ksnprintf does, or -errno. pid is the process the file is about (0 for
 * files about the whole system). */
struct inode *procfs_file_new(int pid, int (*gen)(int pid, char *buf, uint32_t size));

/* Append printf-formatted text to buf (size bytes) at *n, and add its
 * length to *n, as ksnprintf counts: past size too, so that a generator
 * returns the length its text needs even when buf was too small. */
void procfs_put(char *buf, uint32_t size, uint32_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A setting's file (mode 0644): reads as gen writes it, and a write of
 * text calls store(text), which returns 0 or -EINVAL. */
struct inode *procfs_setting_new(int (*gen)(int pid, char *buf, uint32_t size),
                                 int (*store)(const char *text));

/* A file about process pid (mode 0644) that reads as gen writes it and
 * takes a write as write(pid, text, n): the first bytes written (at most
 * 31, NUL-terminated); write returns 0 or -errno, and the write(2) then
 * says the whole count was written. */
struct inode *procfs_writable_new(int pid, int (*gen)(int pid, char *buf, uint32_t size),
                                  int (*write)(int pid, const char *text, uint32_t n));

/* A directory of a fixed list of names (at most 6), in parent; and
 * adding a name for ip (whose reference it takes) to it. */
struct inode *procfs_dir_new(struct inode *parent);
void procfs_dir_add(struct inode *dp, const char *name, struct inode *ip);

/* The directory /proc/net (tcp, udp, unix: fs/procfs_net.c); parent is
 * /proc. */
struct inode *procfs_net_dir_new(struct inode *parent);

/* The directory /proc/sysvipc (shm, sem, msg); parent is /proc. */
struct inode *procfs_sysvipc_dir_new(struct inode *parent);

/* The directory /proc/sys, with its subdirectories; parent is /proc. */
struct inode *procfs_sys_dir_new(struct inode *parent);

/* The directory /proc/<pid>, with its files; parent is /proc. */
struct inode *procfs_pid_dir_new(int pid, struct inode *parent);

/* fs/procfs_stat.c: the files of /proc/<pid> that ps and top read: stat,
 * statm, cmdline, environ (gen functions for procfs_file_new), and the
 * links cwd, exe and root. */
int procfs_gen_stat(int pid, char *buf, uint32_t size);
int procfs_gen_statm(int pid, char *buf, uint32_t size);
int procfs_gen_cmdline(int pid, char *buf, uint32_t size);
int procfs_gen_environ(int pid, char *buf, uint32_t size);
struct inode *procfs_cwd_link_new(int pid);
struct inode *procfs_exe_link_new(int pid);
struct inode *procfs_root_link_new(int pid);
/* The threads of p's process that are not yet reaped. */
struct proc;
int procfs_thread_count(struct proc *p);

/* fs/procfs_system.c: /proc/stat, uptime, loadavg, filesystems, mounts,
 * version; <pid>/mountinfo. */
int procfs_gen_stat_system(int pid, char *buf, uint32_t size);
int procfs_gen_uptime(int pid, char *buf, uint32_t size);
int procfs_gen_loadavg(int pid, char *buf, uint32_t size);
int procfs_gen_filesystems(int pid, char *buf, uint32_t size);
int procfs_gen_mounts(int pid, char *buf, uint32_t size);
int procfs_gen_version(int pid, char *buf, uint32_t size);
int procfs_gen_mountinfo(int pid, char *buf, uint32_t size);

/* Per thread (tid), for /proc/<pid>/task/<tid> and /proc/<pid>/comm:
 * stat (fs/procfs_stat.c), status and comm (fs/procfs_pid.c). */
int procfs_gen_task_stat(int tid, char *buf, uint32_t size);
int procfs_gen_task_status(int tid, char *buf, uint32_t size);
int procfs_gen_task_comm(int tid, char *buf, uint32_t size);
/* The comm file of thread tid (for /proc/<pid> and task/<tid>): writing
 * renames a thread of the writer's own process (pthread_setname_np). */
struct inode *procfs_comm_new(int tid);
/* fs/procfs_task.c: thread tid if it is there (a thread other than the
 * first is gone once it ends), else NULL. */
struct proc *procfs_thread(int tid);
/* The directory /proc/<pid>/task. */
struct inode *procfs_task_dir_new(int pid);

/* /proc/cpuinfo (fs/procfs_cpuinfo.c). */
int procfs_gen_cpuinfo(int pid, char *buf, uint32_t size);

/* The directory /proc/<pid>/fd. */
struct inode *procfs_fd_dir_new(int pid);

/* /proc/<pid> of a live process (not a thread), with a new reference; the
 * same inode at each call while it lives. NULL if there is none. */
struct inode *procfs_pid_dir(int pid);

#endif
