/* mlock.c: memory locks: mlock, mlock2, munlock, mlockall, munlockall.
 *
 * A locked region has a frame on every page and keeps it: bunshin has no
 * swap, so "keeps it" already holds for every page; what locking changes is
 * that the pages are faulted in at once (vm_fault_in) and that MADV_DONTNEED
 * may not drop them. /proc/<pid>/status counts them as VmLck.
 *
 * fork(2): "The child does not inherit its parent's memory locks": mm_fork
 * clears every region's lock and MCL_FUTURE; execve's new address space
 * starts without them too.
 *
 * RLIMIT_MEMLOCK bounds how much a process may lock; as on Linux, a
 * privileged process (CAP_IPC_LOCK) is not bound (mlock_allowed).
 */
#include "mm/mlock.h"
#include "mm/vm.h"
#include "mm/vm_internal.h"
#include "mm/kheap.h"
#include "kernel/proc.h"
#include "kernel/rlimit.h"
#include "linux/errno.h"
#include "linux/mman.h"
#include "param.h"

#define MLOCK_ONFAULT 0x01         /* mlock2: lock pages as they are touched */

/* Split regions so that [start, end) is made of whole regions: the lock
 * bit belongs to a region. Every page must be in a region: -ENOMEM. */
static int cut_to_range(struct mm *mm, vaddr_t start, vaddr_t end)
{
    if (!range_is_mapped(mm, start, end))
        return -ENOMEM;
    return vm_split_at(mm, start) < 0 || vm_split_at(mm, end) < 0 ? -ENOMEM : 0;
}

/* May the caller lock pages more pages of mm? Past RLIMIT_MEMLOCK only if
 * privileged (Linux's CAP_IPC_LOCK: effective uid 0 here). 0, or -ENOMEM
 * (-EPERM with a limit of 0). */
static int mlock_allowed(struct mm *mm, uint32_t pages)
{
    struct proc *p = current_proc();
    if (cred_privileged(&p->cred))
        return 0;
    uint64_t limit = rlimit_cur(p, RLIMIT_MEMLOCK);
    if (limit == 0)
        return -EPERM;
    uint64_t locked = pages;
    for (struct vm_region *r = mm->regions; r; r = r->next)
        if (r->locked)
            locked += (r->end - r->start) / PAGE_SIZE;
    return locked * PAGE_SIZE > limit ? -ENOMEM : 0;
}

/* Lock or unlock [start, end) of the caller's address space. Locking
 * faults the pages in unless onfault. */
static int do_mlock(vaddr_t start, uint32_t len, bool lock, bool onfault)
{
    struct mm *mm = current_proc()->mm;
    if (len == 0)
        return 0;
    vaddr_t end = PAGE_ROUND_UP(start + len);
    start = PAGE_ROUND_DOWN(start);
    if (end < start || end > USER_TOP)
        return -ENOMEM;
    int r = cut_to_range(mm, start, end);
    if (r < 0)
        return r;
    if (lock && (r = mlock_allowed(mm, (end - start) / PAGE_SIZE)) < 0)
        return r;
    for (struct vm_region *reg = vm_find(mm, start); reg && reg->start < end; reg = reg->next)
        reg->locked = lock;
    if (lock && !onfault)
        vm_fault_in(mm, start, end);   /* a page that cannot come stays on demand */
    return 0;
}

long sys_mlock(struct trapframe *tf)
{
    return do_mlock(tf->ebx, tf->ecx, true, false);
}

long sys_mlock2(struct trapframe *tf)
{
    if (tf->edx & ~(uint32_t)MLOCK_ONFAULT)
        return -EINVAL;
    return do_mlock(tf->ebx, tf->ecx, true, (tf->edx & MLOCK_ONFAULT) != 0);
}

long sys_munlock(struct trapframe *tf)
{
    return do_mlock(tf->ebx, tf->ecx, false, false);
}

/* mlockall(flags): lock every region (MCL_CURRENT) and/or every region made
 * from now on (MCL_FUTURE); MCL_ONFAULT only with one of them. */
long sys_mlockall(struct trapframe *tf)
{
    uint32_t flags = tf->ebx;
    if (!flags || (flags & ~(uint32_t)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
        flags == MCL_ONFAULT)
        return -EINVAL;
    struct mm *mm = current_proc()->mm;
    if (flags & MCL_CURRENT) {
        uint32_t pages = 0;
        for (struct vm_region *r = mm->regions; r; r = r->next)
            if (!r->locked)
                pages += (r->end - r->start) / PAGE_SIZE;
        int e = mlock_allowed(mm, pages);
        if (e < 0)
            return e;
    }
    mm->lock_future = (flags & MCL_FUTURE) != 0;
    if (flags & MCL_CURRENT) {
        for (struct vm_region *r = mm->regions; r; r = r->next) {
            r->locked = true;
            if (!(flags & MCL_ONFAULT))
                vm_fault_in(mm, r->start, r->end);
        }
    }
    return 0;
}

long sys_munlockall(struct trapframe *tf)
{
    (void)tf;
    struct mm *mm = current_proc()->mm;
    mm->lock_future = false;
    for (struct vm_region *r = mm->regions; r; r = r->next)
        r->locked = false;
    return 0;
}
