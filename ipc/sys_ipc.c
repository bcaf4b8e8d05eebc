/* sys_ipc.c: System V IPC's system calls (ipc/sys_ipc.h).
 *
 * i386 had one call for all of it, ipc(call, first, second, third, ptr,
 * fifth), until Linux 5.1 gave each its own number; C libraries (musl
 * among them) still use ipc(2). Its quirks, kept as Linux has them:
 *   - the call's high 16 bits are a version; MSGRCV version 0 passes msgp
 *     and msgtyp in a struct ipc_kludge at ptr, SHMAT version 0 stores the
 *     address at third (version 1, iBCS2's, is refused);
 *   - SEMCTL's fourth argument (union semun) is passed by pointer (ptr);
 *   - the control calls take IPC_64 in cmd for the 64-bit layouts, which
 *     the direct calls always use (IPC_64 in their cmd is an error). */
#include "ipc/sys_ipc.h"
#include "ipc/shm.h"
#include "ipc/sem.h"
#include "ipc/msg.h"
#include "ipc/ipc.h"
#include "kernel/clocks.h"
#include "drivers/timer.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/time.h"

/* A relative timeout (sec, nsec) as a timer deadline: 0 or -EINVAL. */
static int timeout_deadline(int64_t sec, int64_t nsec, uint64_t *deadline)
{
    if (sec < 0 || nsec < 0 || nsec >= 1000000000)
        return -EINVAL;
    *deadline = timer_deadline(timespec_to_ns(sec, nsec));
    return 0;
}

/* semtimedop with an old_timespec32 timeout at uts (0: none). */
static long semtimedop32(int id, vaddr_t sops, uint32_t nsops, vaddr_t uts)
{
    uint64_t deadline = 0;
    if (uts) {
        struct old_timespec32 ts;
        if (copy_from_user(&ts, uts, sizeof ts) < 0)
            return -EFAULT;
        int e = timeout_deadline(ts.tv_sec, ts.tv_nsec, &deadline);
        if (e < 0)
            return e;
    }
    return do_semtimedop(id, sops, nsops, deadline);
}

long sys_ipc(struct trapframe *tf)
{
    uint32_t call = tf->ebx & 0xffff, version = tf->ebx >> 16;
    int first = (int)tf->ecx, second = (int)tf->edx, third = (int)tf->esi;
    vaddr_t ptr = tf->edi;
    uint32_t fifth = tf->ebp;
    int cmd;
    switch (call) {
    case SEMOP:
        return do_semtimedop(first, ptr, (uint32_t)second, 0);
    case SEMTIMEDOP:
        return semtimedop32(first, ptr, (uint32_t)second, fifth);
    case SEMGET:
        return do_semget(first, second, third);
    case SEMCTL: {
        uint32_t arg;
        if (!ptr)
            return -EINVAL;
        if (copy_from_user(&arg, ptr, sizeof arg) < 0)
            return -EFAULT;
        cmd = third;
        bool v64 = ipc_parse_version(&cmd);
        return do_semctl(first, second, cmd, arg, v64);
    }
    case MSGSND:
        return do_msgsnd(first, ptr, (uint32_t)second, third);
    case MSGRCV:
        if (version == 0) {
            struct ipc_kludge k;
            if (!ptr)
                return -EINVAL;
            if (copy_from_user(&k, ptr, sizeof k) < 0)
                return -EFAULT;
            return do_msgrcv(first, k.msgp, (uint32_t)second, k.msgtyp, third);
        }
        return do_msgrcv(first, ptr, (uint32_t)second, (int32_t)fifth, third);
    case MSGGET:
        return do_msgget(first, second);
    case MSGCTL: {
        cmd = second;
        bool v64 = ipc_parse_version(&cmd);
        return do_msgctl(first, cmd, ptr, v64);
    }
    case SHMAT: {
        if (version == 1)
            return -EINVAL;
        long addr = do_shmat(first, ptr, second);
        if (addr < 0 && addr >= -4095)
            return addr;
        uint32_t raddr = (uint32_t)addr;
        return copy_to_user((vaddr_t)third, &raddr, sizeof raddr) < 0 ? -EFAULT : 0;
    }
    case SHMDT:
        return do_shmdt(ptr);
    case SHMGET:
        return do_shmget(first, (uint32_t)second, third);
    case SHMCTL: {
        cmd = second;
        bool v64 = ipc_parse_version(&cmd);
        return do_shmctl(first, cmd, ptr, v64);
    }
    default:
        return -ENOSYS;
    }
}

/* semget(key, nsems, semflg) */
long sys_semget(struct trapframe *tf)
{
    return do_semget((int32_t)tf->ebx, (int)tf->ecx, (int)tf->edx);
}

/* semctl(semid, semnum, cmd, arg): arg is the union's value itself. */
long sys_semctl(struct trapframe *tf)
{
    return do_semctl((int)tf->ebx, (int)tf->ecx, (int)tf->edx, tf->esi, true);
}

/* semtimedop_time64(semid, sops, nsops, timeout): a __kernel_timespec
 * (of whose tv_nsec a 32-bit kernel reads the low word). */
long sys_semtimedop_time64(struct trapframe *tf)
{
    uint64_t deadline = 0;
    if (tf->esi) {
        struct __kernel_timespec ts;
        if (copy_from_user(&ts, tf->esi, sizeof ts) < 0)
            return -EFAULT;
        int e = timeout_deadline(ts.tv_sec, (int32_t)ts.tv_nsec, &deadline);
        if (e < 0)
            return e;
    }
    return do_semtimedop((int)tf->ebx, tf->ecx, tf->edx, deadline);
}

/* shmget(key, size, shmflg) */
long sys_shmget(struct trapframe *tf)
{
    return do_shmget((int32_t)tf->ebx, tf->ecx, (int)tf->edx);
}

/* shmctl(shmid, cmd, buf) */
long sys_shmctl(struct trapframe *tf)
{
    return do_shmctl((int)tf->ebx, (int)tf->ecx, tf->edx, true);
}

/* shmat(shmid, shmaddr, shmflg): the address. */
long sys_shmat(struct trapframe *tf)
{
    return do_shmat((int)tf->ebx, tf->ecx, (int)tf->edx);
}

/* shmdt(shmaddr) */
long sys_shmdt(struct trapframe *tf)
{
    return do_shmdt(tf->ebx);
}

/* msgget(key, msgflg) */
long sys_msgget(struct trapframe *tf)
{
    return do_msgget((int32_t)tf->ebx, (int)tf->ecx);
}

/* msgsnd(msqid, msgp, msgsz, msgflg) */
long sys_msgsnd(struct trapframe *tf)
{
    return do_msgsnd((int)tf->ebx, tf->ecx, tf->edx, (int)tf->esi);
}

/* msgrcv(msqid, msgp, msgsz, msgtyp, msgflg) */
long sys_msgrcv(struct trapframe *tf)
{
    return do_msgrcv((int)tf->ebx, tf->ecx, tf->edx, (int32_t)tf->esi, (int)tf->edi);
}

/* msgctl(msqid, cmd, buf) */
long sys_msgctl(struct trapframe *tf)
{
    return do_msgctl((int)tf->ebx, (int)tf->ecx, tf->edx, true);
}
