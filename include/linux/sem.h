/* sem.h: System V semaphores, as Linux i386 has them: semop's flag,
 * semctl's commands, the limits Linux starts with, and the structs.
 * Linux: <linux/sem.h>
 * Linux struct: semid64_ds sem_perm sem_otime sem_otime_high sem_ctime sem_ctime_high sem_nsems __unused3 __unused4
 * Linux struct: sembuf sem_num sem_op sem_flg
 * Linux struct: seminfo semmap semmni semmns semmnu semmsl semopm semume semusz semvmx semaem
 * Linux struct: semid_ds sem_perm sem_otime sem_ctime sem_base sem_pending sem_pending_last undo sem_nsems
 */
#ifndef LINUX_SEM_H
#define LINUX_SEM_H

#include "linux/ipc.h"

/* A semop flag (with IPC_NOWAIT): undo this operation when the process ends. */
#define SEM_UNDO 0x1000

/* semctl's commands. */
#define GETPID  11                 /* the pid of the last to change it */
#define GETVAL  12
#define GETALL  13
#define GETNCNT 14                 /* waiting for it to grow */
#define GETZCNT 15                 /* waiting for it to be 0 */
#define SETVAL  16
#define SETALL  17
#define SEM_STAT 18
#define SEM_INFO 19
#define SEM_STAT_ANY 20

/* Linux's default limits (its /proc/sys/kernel/sem). */
#define SEMMNI 32000               /* sets in the system */
#define SEMMSL 32000               /* semaphores in a set */
#define SEMMNS (SEMMNI * SEMMSL)   /* semaphores in the system */
#define SEMOPM 500                 /* operations in one semop */
#define SEMVMX 32767               /* the largest value */
#define SEMAEM SEMVMX              /* the largest undo adjustment */
#define SEMUME SEMOPM
#define SEMMNU SEMMNS
#define SEMMAP SEMMNS
#define SEMUSZ 20

struct semid64_ds {
    struct ipc64_perm sem_perm;
    uint32_t sem_otime, sem_otime_high;   /* last semop */
    uint32_t sem_ctime, sem_ctime_high;   /* made, or last changed by semctl */
    uint32_t sem_nsems;
    uint32_t __unused3, __unused4;
};
_Static_assert(sizeof(struct semid64_ds) == 64, "struct semid64_ds is 64 bytes on i386");

/* The old layout (ipc(2) without IPC_64); the pointers are Linux 1.x's. */
struct semid_ds {
    struct ipc_perm sem_perm;
    int32_t sem_otime, sem_ctime;
    uint32_t sem_base, sem_pending, sem_pending_last, undo;
    uint16_t sem_nsems;
};

/* One operation of semop. */
struct sembuf {
    uint16_t sem_num;
    int16_t sem_op;                /* > 0 add, < 0 take (may wait), 0 wait for 0 */
    int16_t sem_flg;               /* IPC_NOWAIT, SEM_UNDO */
};

/* IPC_INFO and SEM_INFO's answer. */
struct seminfo {
    int32_t semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem;
};

#endif
