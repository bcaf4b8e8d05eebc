/* sys_mm.c: system calls that change the address space: brk, mmap2, munmap. */
#include "mm/sys_mm.h"
#include "kernel/proc.h"
#include "mm/vm.h"
#include "linux/errno.h"
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

/* mmap2(addr, len, prot, flags, fd, pgoff): anonymous memory, private (what
 * C libraries use for large mallocs and thread stacks) or shared (what a
 * parent and its fork children use to talk: the same frames in all of them,
 * never copy-on-write). Returns the address, or -errno. The pages are
 * allocated and zeroed now. */
long sys_mmap2(struct trapframe *tf)
{
    vaddr_t addr = tf->ebx;
    uint32_t len = tf->ecx, prot = tf->edx, flags = tf->esi;
    struct mm *mm = current_proc()->mm;

    uint32_t known = MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE |
                     MAP_POPULATE | MAP_STACK | MAP_FIXED_NOREPLACE;
    uint32_t type = flags & MAP_TYPE;
    if (len == 0 || (flags & ~known) || (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC)))
        return -EINVAL;
    /* Anonymous memory is MAP_SHARED or MAP_PRIVATE; MAP_SHARED_VALIDATE
     * is for files, and Linux refuses it here with EINVAL too. */
    if (type != MAP_SHARED && type != MAP_PRIVATE)
        return -EINVAL;
    bool shared = type == MAP_SHARED;
    if (!(flags & MAP_ANONYMOUS))
        return -ENODEV;                /* no file mappings yet */
    if (len > USER_TOP)
        return -ENOMEM;
    len = PAGE_ROUND_UP(len);

    uint32_t vprot = vm_prot(prot);
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (addr % PAGE_SIZE || addr == 0 || addr >= USER_TOP || len > USER_TOP - addr)
            return -EINVAL;
        if (flags & MAP_FIXED_NOREPLACE) {
            for (vaddr_t va = addr; va < addr + len; va += PAGE_SIZE)
                if (vm_find(mm, va))
                    return -EEXIST;
        } else {
            int r = vm_unmap(mm, addr, addr + len);
            if (r < 0)
                return r;
        }
    } else {
        /* A hint is used if the range there is free; otherwise we choose. */
        bool hint_ok = addr && addr % PAGE_SIZE == 0 && addr < USER_TOP &&
                       len <= USER_TOP - addr;
        for (vaddr_t va = addr; hint_ok && va < addr + len; va += PAGE_SIZE)
            if (vm_find(mm, va))
                hint_ok = false;
        if (!hint_ok)
            addr = vm_find_free(mm, len);
        if (!addr)
            return -ENOMEM;
    }
    /* PROT_NONE private memory (guard pages) gets no frames: any touch
     * faults. Shared memory always gets its frames, made inaccessible for
     * PROT_NONE: a page first made after a fork would be one process's own. */
    int r = vm_map(mm, addr, addr + len, vprot, VM_KIND_MMAP, vprot != 0 || shared);
    if (r < 0)
        return r == -EINVAL ? -ENOMEM : r;
    if (shared) {
        vm_find(mm, addr)->shared = true;
        if (vprot == 0)
            vm_protect(mm, addr, addr + len, 0);
    }
    return (long)addr;
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
 * MADV_FREE may drop the pages' frames: the next touch gets a zeroed page
 * (C libraries' free() gives memory back this way). */
long sys_madvise(struct trapframe *tf)
{
    vaddr_t addr = tf->ebx;
    uint32_t len = tf->ecx, advice = tf->edx;
    if (addr % PAGE_SIZE || addr >= USER_TOP || len > USER_TOP - addr)
        return -EINVAL;
    switch (advice) {
    case MADV_NORMAL:
    case MADV_RANDOM:
    case MADV_SEQUENTIAL:
    case MADV_WILLNEED:
        return 0;
    case MADV_DONTNEED:
    case MADV_FREE:
        return vm_discard(current_proc()->mm, addr, addr + PAGE_ROUND_UP(len),
                          advice == MADV_FREE);
    default:
        return -EINVAL;
    }
}
