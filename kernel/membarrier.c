/* membarrier.c: membarrier(cmd, flags, cpu), a memory barrier on every
 * thread of the process (or of the system) at once, which a C runtime or a
 * garbage collector uses instead of a barrier on each fast path. bunshin
 * runs one CPU and switches threads through the kernel, which orders memory
 * already: every barrier is done when the call starts. What is left is
 * Linux's bookkeeping: QUERY lists the commands, an expedited command needs
 * its REGISTER_ command first in this address space (else EPERM), and
 * GET_REGISTRATIONS lists those done. A new address space (execve; fork's
 * copy) starts with none. */
#include "kernel/membarrier.h"
#include "kernel/proc.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/membarrier.h"

#define MEMBARRIER_ALL_COMMANDS 0x3FF      /* every bit above, up to GET_REGISTRATIONS */
#define MEMBARRIER_REGISTER_COMMANDS \
    (MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED | \
     MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE | \
     MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ)

long sys_membarrier(struct trapframe *tf)
{
    uint32_t cmd = tf->ebx, flags = tf->ecx;
    struct mm *mm = current_proc()->mm;
    /* Only the RSEQ command takes a flag (FLAG_CPU: one CPU's threads). */
    uint32_t allowed = cmd == MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ ? MEMBARRIER_CMD_FLAG_CPU : 0;
    if (flags & ~allowed)
        return -EINVAL;
    switch (cmd) {
    case MEMBARRIER_CMD_QUERY:
        return MEMBARRIER_ALL_COMMANDS;
    case MEMBARRIER_CMD_GLOBAL:
    case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
        return 0;              /* GLOBAL_EXPEDITED reaches registered processes: none to wait for */
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ:
        /* Each needs the command one bit up (its REGISTER_) first. */
        return (mm->membarrier_registered & (cmd << 1)) ? 0 : -EPERM;
    case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
    case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
    case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
    case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ:
        mm->membarrier_registered |= (uint16_t)cmd;
        return 0;
    case MEMBARRIER_CMD_GET_REGISTRATIONS:
        return mm->membarrier_registered & MEMBARRIER_REGISTER_COMMANDS;
    default:
        return -EINVAL;
    }
}
