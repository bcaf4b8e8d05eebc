/* ipc_old.h: the control calls' structs to and from user memory in either
 * layout (ipc/ipc_old.c): the 64-bit one (IPC_64, what every C library of
 * this century asks for, and the direct calls' only one) or the old one of
 * ipc(2) without IPC_64 (16-bit ids and counts, Linux 1.x's). The kernel
 * keeps its objects in the 64-bit form; these convert at the boundary, as
 * Linux's copy_*_to_user do. Each returns 0 or -EFAULT. */
#ifndef IPC_IPC_OLD_H
#define IPC_IPC_OLD_H

#include "types.h"
#include "linux/shm.h"
#include "linux/sem.h"
#include "linux/msg.h"

int shmid_to_user(vaddr_t buf, const struct shmid64_ds *ds, bool v64);
int semid_to_user(vaddr_t buf, const struct semid64_ds *ds, bool v64);
int msqid_to_user(vaddr_t buf, const struct msqid64_ds *ds, bool v64);
/* IPC_SET's input: fills the perm's uid, gid and mode (and msg_qbytes). */
int shmid_from_user(vaddr_t buf, struct shmid64_ds *ds, bool v64);
int semid_from_user(vaddr_t buf, struct semid64_ds *ds, bool v64);
int msqid_from_user(vaddr_t buf, struct msqid64_ds *ds, bool v64);
/* shmctl(IPC_INFO): struct shminfo64 or the old struct shminfo. */
int shminfo_to_user(vaddr_t buf, const struct shminfo64 *info, bool v64);

#endif
