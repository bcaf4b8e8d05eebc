/* shm.h: System V shared memory, as Linux i386 has it: shmget's and
 * shmat's flags, shmctl's commands beyond IPC_*, the limits Linux starts
 * with, and the 64-bit structs shmctl fills (time fields split in low and
 * high words on i386).
 * Linux: <limits.h> <linux/shm.h>
 * Linux struct: shmid64_ds shm_perm shm_segsz shm_atime shm_atime_high shm_dtime shm_dtime_high shm_ctime shm_ctime_high shm_cpid shm_lpid shm_nattch __unused4 __unused5
 * Linux struct: shminfo64 shmmax shmmin shmmni shmseg shmall __unused1 __unused2 __unused3 __unused4
 * Linux struct: shm_info used_ids shm_tot shm_rss shm_swp swap_attempts swap_successes
 * Linux struct: shmid_ds shm_perm shm_segsz shm_atime shm_dtime shm_ctime shm_cpid shm_lpid shm_nattch shm_unused shm_unused2 shm_unused3
 * Linux struct: shminfo shmmax shmmin shmmni shmseg shmall
 */
#ifndef LINUX_SHM_H
#define LINUX_SHM_H

#include "linux/ipc.h"

/* Linux's default limits (its /proc/sys/kernel/shm*). */
#define SHMMIN 1                   /* smallest segment, bytes */
#define SHMMNI 4096                /* segments in the system */
#define SHMMAX 0xfeffffffUL        /* largest segment, bytes (ULONG_MAX - 2^24) */
#define SHMALL 0xfeffffffUL        /* pages of all segments together */
#define SHMSEG SHMMNI              /* attaches per process */

/* shmget: the mode bits a segment may be given. */
#define SHM_R 0400
#define SHM_W 0200
#define SHM_HUGETLB   04000
#define SHM_NORESERVE 010000

/* shmat's flags. */
#define SHM_RDONLY 010000          /* attach for reading only */
#define SHM_RND    020000          /* round the address down to SHMLBA */
#define SHM_REMAP  040000          /* replace what is mapped there */
#define SHM_EXEC   0100000         /* attach executable too */

/* shmctl's own commands. */
#define SHM_LOCK     11
#define SHM_UNLOCK   12
#define SHM_STAT     13
#define SHM_INFO     14
#define SHM_STAT_ANY 15

/* Bits of the mode IPC_STAT shows (Linux's internal ones, not in its uapi
 * headers). */
#define SHM_DEST   01000           /* bunshin: removed, goes at the last detach */
#define SHM_LOCKED 02000           /* bunshin: SHM_LOCK'ed */

/* The attach address's alignment (i386: a page). */
#define SHMLBA 4096                /* bunshin: Linux's is PAGE_SIZE, in <asm/shmparam.h> */

struct shmid64_ds {
    struct ipc64_perm shm_perm;
    uint32_t shm_segsz;            /* size in bytes, as asked */
    uint32_t shm_atime, shm_atime_high;   /* last attach */
    uint32_t shm_dtime, shm_dtime_high;   /* last detach */
    uint32_t shm_ctime, shm_ctime_high;   /* made, or last IPC_SET */
    int32_t shm_cpid;              /* the creator's pid */
    int32_t shm_lpid;              /* the last to attach or detach */
    uint32_t shm_nattch;           /* attaches now */
    uint32_t __unused4, __unused5;
};
_Static_assert(sizeof(struct shmid64_ds) == 84, "struct shmid64_ds is 84 bytes on i386");

/* The old layouts (ipc(2) without IPC_64). */
struct shmid_ds {
    struct ipc_perm shm_perm;
    int32_t shm_segsz;
    int32_t shm_atime, shm_dtime, shm_ctime;
    uint16_t shm_cpid, shm_lpid;
    uint16_t shm_nattch;
    uint16_t shm_unused;
    uint32_t shm_unused2, shm_unused3;
};
struct shminfo {
    int32_t shmmax, shmmin, shmmni, shmseg, shmall;
};

/* IPC_INFO's answer. */
struct shminfo64 {
    uint32_t shmmax, shmmin, shmmni, shmseg, shmall;
    uint32_t __unused1, __unused2, __unused3, __unused4;
};

/* SHM_INFO's answer (sizes in pages). */
struct shm_info {
    int32_t used_ids;
    uint32_t shm_tot, shm_rss, shm_swp;
    uint32_t swap_attempts, swap_successes;
};

#endif
