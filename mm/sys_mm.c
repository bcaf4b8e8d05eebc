/* sys_mm.c: system calls that change the address space: brk, mmap2 (and the
 * old mmap), munmap, mprotect, madvise, msync, mincore. (Memory locks are in
 * mlock.c, mremap in mremap.c.) */
#include "mm/sys_mm.h"
#include "kernel/proc.h"
#include "mm/vm.h"
#include "mm/vm_internal.h"
#include "mm/usercopy.h"
#include "mm/commit.h"
#include "fs/file.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "linux/mman.h"
#include "param.h"

/* brk(addr): Linux's raw system call returns the new break, or the old one
 * when it cannot move (C libraries compare the two). brk(0) asks where it is. */
long sys_brk(struct trapframe *tf)
{
    return (long)vm_brk(current_proc()->mm, tf->ebx);
}

/* PROT_* bits as region rights. x86 without PAE cannot have write or
 * execute without read, so both imply VM_READ. */
static uint32_t vm_prot(uint32_t prot)
{
    return ((prot & PROT_READ) ? VM_READ : 0) | ((prot & PROT_WRITE) ? VM_WRITE | VM_READ : 0) |
           ((prot & PROT_EXEC) ? VM_EXEC | VM_READ : 0);
}

/* The flags mmap knows. MAP_SHARED_VALIDATE refuses any other with
 * EOPNOTSUPP; MAP_SHARED and MAP_PRIVATE ignore them, as Linux does for
 * old programs. */
#define MAP_KNOWN (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_DENYWRITE | \
                   MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE |         \
                   MAP_NONBLOCK | MAP_STACK | MAP_FIXED_NOREPLACE)

/* Where the mapping goes: addr itself with MAP_FIXED (replacing what is
 * there) or MAP_FIXED_NOREPLACE, else the hint addr if that range is free,
 * else a free range of our choosing. 0 and *at, or -errno. */
static int place_mapping(struct mm *mm, vaddr_t addr, uint32_t len, uint32_t flags, vaddr_t *at)
{
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (addr % PAGE_SIZE || addr == 0 || addr >= USER_TOP || len > USER_TOP - addr)
            return -EINVAL;
        if (flags & MAP_FIXED_NOREPLACE) {
            if (!range_is_free(mm, addr, addr + len))
                return -EEXIST;
        } else {
            int r = vm_unmap(mm, addr, addr + len);
            if (r < 0)
                return r;
        }
        *at = addr;
        return 0;
    }
    bool hint_ok = addr && addr % PAGE_SIZE == 0 && addr < USER_TOP && len <= USER_TOP - addr &&
                   range_is_free(mm, addr, addr + len);
    *at = hint_ok ? addr : vm_find_free(mm, len);
    return *at ? 0 : -ENOMEM;
}

/* May open file f be mapped this way? Linux's checks, in its order. */
static int file_may_map(struct file *f, uint32_t type, uint32_t prot)
{
    uint32_t mode = f->flags & O_ACCMODE;
    if (type != MAP_PRIVATE && (prot & PROT_WRITE)) {
        if (mode != O_WRONLY && mode != O_RDWR)
            return -EACCES;
        if (f->flags & O_APPEND)
            return -EACCES;            /* a store could land before the end */
    }
    if (mode != O_RDONLY && mode != O_RDWR)
        return -EACCES;                /* every mapping reads */
    if (!inode_mappable(f->inode))
        return -ENODEV;                /* a pipe, a directory, most devices */
    return 0;
}

/* The work of mmap: map len bytes at (or near) addr with prot and flags,
 * anonymous memory or fd's file from page pgoff. Returns the address or
 * -errno; on failure nothing has changed (except that MAP_FIXED may have
 * unmapped what was there, as on Linux). */
static long do_mmap(vaddr_t addr, uint32_t len, uint32_t prot, uint32_t flags, int fd,
                    uint32_t pgoff)
{
    struct proc *p = current_proc();
    struct mm *mm = p->mm;
    uint32_t type = flags & MAP_TYPE;
    struct file *f = 0;

    if (!(flags & MAP_ANONYMOUS)) {
        f = fd_lookup(p->files, fd);
        if (!f)
            return -EBADF;
        if (inode_is_dev_zero(f->inode))
            f = 0;                     /* /dev/zero: anonymous memory */
    }
    if (type == MAP_SHARED_VALIDATE && (flags & ~(uint32_t)MAP_KNOWN))
        return -EOPNOTSUPP;
    if (type != MAP_SHARED && type != MAP_PRIVATE && !(type == MAP_SHARED_VALIDATE && f))
        return -EINVAL;                /* anonymous memory cannot be validated */
    if (len == 0 || (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC)))
        return -EINVAL;
    if (len > USER_TOP)
        return -ENOMEM;
    len = PAGE_ROUND_UP(len);
    if (f && pgoff + len / PAGE_SIZE < pgoff)
        return -EOVERFLOW;
    bool shared = type != MAP_PRIVATE;
    if (f) {
        int e = file_may_map(f, type, prot);
        if (e < 0)
            return e;
    }

    vaddr_t at;
    int r = place_mapping(mm, addr, len, flags, &at);
    if (r < 0)
        return r;
    uint32_t vprot = vm_prot(prot);
    if (f) {
        bool no_write = shared && (f->flags & O_ACCMODE) == O_RDONLY;
        r = vm_map_file(mm, at, at + len, vprot, f, pgoff, shared, no_write);
    } else if (shared) {
        /* Shared anonymous memory is a file with no name, as on Linux: its
         * pages must stay one memory for every process that maps them,
         * including pages first touched after a fork. */
        /* Its pages are promised once, to the region that made it (Linux
         * charges the object); a fork child's copy is not charged again. */
        struct file *anon;
        r = commit_charge(len / PAGE_SIZE);
        if (r == 0) {
            r = anon_file_open(len, "/dev/zero", &anon);
            if (r == 0) {
                r = vm_map_file(mm, at, at + len, vprot, anon, 0, true, false);
                file_put(anon);        /* the region holds it now */
            }
            if (r == 0)
                vm_find(mm, at)->accounted = true;
            else
                commit_uncharge(len / PAGE_SIZE);
        }
    } else {
        /* MAP_NORESERVE asks not to be counted, which only the strict mode
         * refuses (Linux's rule). */
        bool account = (vprot & VM_WRITE) &&
                       !((flags & MAP_NORESERVE) && overcommit_mode != OVERCOMMIT_NEVER);
        r = vm_map_anon(mm, at, at + len, vprot, VM_KIND_MMAP, false, account);
    }
    if (r < 0)
        return r == -EINVAL || r == -EFBIG ? -ENOMEM : r;
    if (flags & MAP_LOCKED)
        vm_find(mm, at)->locked = true;
    /* Fault everything in now; like Linux, a shortfall is not an error
     * here (the pages still come on touch, or the OOM killer acts then). */
    if (((flags & MAP_POPULATE) && !(flags & MAP_NONBLOCK)) || vm_find(mm, at)->locked)
        vm_fault_in(mm, at, at + len);
    return (long)at;
}

/* mmap2(addr, len, prot, flags, fd, pgoff): the offset in pages. */
long sys_mmap2(struct trapframe *tf)
{
    return do_mmap(tf->ebx, tf->ecx, tf->edx, tf->esi, (int)tf->edi, tf->ebp);
}

/* mmap (90), the old form: one pointer to the six arguments, the offset
 * in bytes (a whole number of pages). */
long sys_old_mmap(struct trapframe *tf)
{
    uint32_t a[6];
    if (copy_from_user(a, tf->ebx, sizeof a) < 0)
        return -EFAULT;
    if (a[5] % PAGE_SIZE)
        return -EINVAL;
    return do_mmap(a[0], a[1], a[2], a[3], (int)a[4], a[5] / PAGE_SIZE);
}

long sys_munmap(struct trapframe *tf)
{
    vaddr_t addr = tf->ebx;
    uint32_t len = tf->ecx;
    if (addr % PAGE_SIZE || len == 0 || addr >= USER_TOP || len > USER_TOP - addr)
        return -EINVAL;
    return vm_unmap(current_proc()->mm, addr, addr + PAGE_ROUND_UP(len));
}

/* mprotect(addr, len, prot): change the rights of mapped pages. */
long sys_mprotect(struct trapframe *tf)
{
    vaddr_t addr = tf->ebx;
    uint32_t len = tf->ecx, prot = tf->edx;
    if (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC))
        return -EINVAL;
    if (addr % PAGE_SIZE)
        return -EINVAL;
    if (len == 0)
        return 0;
    if (len > USER_TOP - addr || addr >= USER_TOP)
        return -ENOMEM;
    return vm_protect(current_proc()->mm, addr, addr + len, vm_prot(prot));
}

/* madvise(addr, len, advice): hints, except that MADV_DONTNEED and
 * MADV_FREE drop the pages' frames: the next touch gets the zero page, or
 * the file's page again (C libraries' free() gives memory back this way).
 * MADV_WILLNEED faults the pages in. */
long sys_madvise(struct trapframe *tf)
{
    vaddr_t addr = tf->ebx;
    uint32_t len = tf->ecx, advice = tf->edx;
    struct mm *mm = current_proc()->mm;
    if (addr % PAGE_SIZE || addr >= USER_TOP || len > USER_TOP - addr)
        return -EINVAL;
    vaddr_t end = addr + PAGE_ROUND_UP(len);
    switch (advice) {
    case MADV_NORMAL:
    case MADV_RANDOM:
    case MADV_SEQUENTIAL:
    case MADV_DOFORK:
    case MADV_DONTFORK:
        return range_is_mapped(mm, addr, end) ? 0 : -ENOMEM;
    case MADV_WILLNEED:
        if (!range_is_mapped(mm, addr, end))
            return -ENOMEM;
        vm_fault_in(mm, addr, end);
        return 0;
    case MADV_DONTNEED:
    case MADV_FREE:
        return vm_discard(mm, addr, end, advice == MADV_FREE);
    default:
        return -EINVAL;
    }
}

/* msync(addr, len, flags): a shared mapping's stores are already the
 * file's bytes (vm_file.c), so there is nothing to write back; what is left
 * are Linux's checks. */
long sys_msync(struct trapframe *tf)
{
    vaddr_t addr = tf->ebx;
    uint32_t len = tf->ecx, flags = tf->edx;
    if (addr % PAGE_SIZE || (flags & ~(uint32_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC)))
        return -EINVAL;
    if ((flags & MS_ASYNC) && (flags & MS_SYNC))
        return -EINVAL;
    uint32_t rlen = PAGE_ROUND_UP(len);
    if (rlen < len || addr + rlen < addr || addr + rlen > USER_TOP)
        return -ENOMEM;
    struct mm *mm = current_proc()->mm;
    for (vaddr_t va = addr; va < addr + rlen; va += PAGE_SIZE) {
        struct vm_region *r = vm_find(mm, va);
        if (!r)
            return -ENOMEM;
        if ((flags & MS_INVALIDATE) && r->locked)
            return -EBUSY;
    }
    return 0;
}

/* mincore(addr, len, vec): one byte per page, 1 if the page is in memory.
 * An anonymous page is once touched; a file's page whenever the file has it
 * (ramfs keeps every page it has in memory). */
long sys_mincore(struct trapframe *tf)
{
    vaddr_t addr = tf->ebx, vec = tf->edx;
    uint32_t len = tf->ecx;
    struct mm *mm = current_proc()->mm;
    if (addr % PAGE_SIZE)
        return -EINVAL;
    uint32_t rlen = PAGE_ROUND_UP(len);
    if (rlen < len || addr + rlen < addr || addr + rlen > USER_TOP)
        return -ENOMEM;
    for (vaddr_t va = addr; va < addr + rlen; va += PAGE_SIZE) {
        struct vm_region *r = vm_find(mm, va);
        if (!r)
            return -ENOMEM;
        uint8_t in = vm_page_resident(mm, r, va);
        if (copy_to_user(vec + (va - addr) / PAGE_SIZE, &in, 1) < 0)
            return -EFAULT;
    }
    return 0;
}
