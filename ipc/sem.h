/* sem.h: System V semaphores (ipc/sem.c).
 *
 * A set is an array of counters, each 0 to SEMVMX. semop applies a list of
 * operations to one set all at once or not at all: a positive one adds, a
 * negative one takes (and waits while the value is too small), a zero one
 * waits for the value to be 0. A caller that must wait sleeps on the set
 * and tries its whole list again at each change; IPC_NOWAIT says EAGAIN
 * instead, a signal ends the wait with EINTR, the set's removal with EIDRM.
 *
 * SEM_UNDO: the kernel keeps, per process and set, the sum of the process's
 * SEM_UNDO operations on each semaphore (semadj), and when the process ends
 * (its last thread: threads share it, as C libraries ask with CLONE_SYSVSEM)
 * applies its opposite, clamped to 0..SEMVMX, so that a process that dies
 * holding a semaphore gives it back. SETVAL and SETALL clear the
 * adjustments of what they set. fork's child starts with none; execve keeps
 * them. */
#ifndef IPC_SEM_H
#define IPC_SEM_H

#include "types.h"

/* semget(key, nsems, flags): the set's id or -errno. */
long do_semget(int32_t key, int nsems, int flags);
/* semtimedop(id, sops, nsops, timeout): deadline is a timer tick, 0 for
 * none (semop). 0 or -errno. */
long do_semtimedop(int id, vaddr_t sops, uint32_t nsops, uint64_t deadline);
/* semctl(id, semnum, cmd, arg): arg is the union semun's value (an int or
 * a user address); v64: IPC_64 layouts. */
long do_semctl(int id, int semnum, int cmd, uint32_t arg, bool v64);
/* Process tgid ends: apply and drop its SEM_UNDO adjustments. */
void sem_exit(int tgid);
/* /proc/sysvipc/sem: a line per set, as Linux writes them. */
int sem_proc_show(int pid, char *buf, uint32_t size);

#endif
