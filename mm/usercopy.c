/* usercopy.c: checked copies between kernel and user memory. */
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "kernel/proc.h"
#include "linux/errno.h"
#include "param.h"
#include "x86.h"

uint32_t user_copy_bytes(void *dst, const void *src, uint32_t n);
int user_strncpy_bytes(char *dst, const char *src, uint32_t max);

int user_range_ok(vaddr_t addr, uint32_t n, bool write)
{
    if (n == 0)
        return 0;
    if (addr >= USER_TOP || n > USER_TOP - addr)
        return -EFAULT;
    struct mm *mm = current_proc()->mm;
    vaddr_t end = addr + n;
    vaddr_t va = addr;
    while (va < end) {
        struct vm_region *r = vm_find(mm, va);
        if (!r) {
            /* Just below the stack is valid too: the stack grows there. */
            if (vm_fault(mm, va, write ? PF_WRITE : 0) < 0)
                return -EFAULT;
            r = vm_find(mm, va);
        }
        /* The kernel runs in ring 0, where the CPU ignores the user bit of a
         * PROT_NONE page: the region's rights must be checked here. */
        if (!(r->prot & VM_READ) || (write && !(r->prot & VM_WRITE)))
            return -EFAULT;
        va = r->end;
    }
    return 0;
}

int copy_from_user(void *dst, vaddr_t src, uint32_t n)
{
    if (user_range_ok(src, n, false) < 0)
        return -EFAULT;
    user_access_begin();
    uint32_t left = user_copy_bytes(dst, (const void *)src, n);
    user_access_end();
    return left == 0 ? 0 : -EFAULT;
}

int copy_to_user(vaddr_t dst, const void *src, uint32_t n)
{
    if (user_range_ok(dst, n, true) < 0)
        return -EFAULT;
    user_access_begin();
    uint32_t left = user_copy_bytes((void *)dst, src, n);
    user_access_end();
    return left == 0 ? 0 : -EFAULT;
}

/* How many bytes from addr on are readable user memory, in a row (at most
 * max): the copy loop may not go further, even where pages are mapped
 * (PROT_NONE pages are mapped, but not for the program). */
static uint32_t readable_run(vaddr_t addr, uint32_t max)
{
    struct mm *mm = current_proc()->mm;
    vaddr_t va = addr;
    while (va - addr < max) {
        struct vm_region *r = vm_find(mm, va);
        if (!r || !(r->prot & VM_READ))
            break;
        va = r->end;
    }
    return va - addr < max ? va - addr : max;
}

int strncpy_from_user(char *dst, vaddr_t src, uint32_t max)
{
    if (src >= USER_TOP)
        return -EFAULT;
    /* Never read past the end of user space, whatever max says. */
    if (max > USER_TOP - src)
        max = USER_TOP - src;
    uint32_t can = readable_run(src, max);
    int n = 0;
    if (can) {
        user_access_begin();
        n = user_strncpy_bytes(dst, (const char *)src, can);
        user_access_end();
    }
    if (n < 0)
        return -EFAULT;
    if ((uint32_t)n == can)
        return can < max ? -EFAULT : -ENAMETOOLONG;   /* no NUL where we may read */
    return n;
}
