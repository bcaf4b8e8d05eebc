/* kcmp.h: kcmp's resource types. Linux numbers them in an enum, which the
 * ABI check cannot see: t_sched checks them against the running Linux.
 * Linux: <linux/kcmp.h> */
#ifndef KCMP_H
#define KCMP_H

#define KCMP_FILE      0    /* bunshin: an enum there. Two descriptors' open files */
#define KCMP_VM        1    /* bunshin: an enum there. Address spaces */
#define KCMP_FILES     2    /* bunshin: an enum there. Descriptor tables */
#define KCMP_FS        3    /* bunshin: an enum there. cwd and umask (CLONE_FS) */
#define KCMP_SIGHAND   4    /* bunshin: an enum there. Signal handler tables */
#define KCMP_IO        5    /* bunshin: an enum there. I/O contexts */
#define KCMP_SYSVSEM   6    /* bunshin: an enum there. Semaphore undo lists */
#define KCMP_EPOLL_TFD 7    /* bunshin: an enum there. A file in an epoll */

#endif
