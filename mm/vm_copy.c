/* vm_copy.c: reaching into an address space that may not be the live one.
 *
 * Copies to and from the running program's memory go through usercopy.c,
 * whose loads and stores use the user addresses themselves. execve and
 * clone also need to fill memory of another address space: the new image,
 * before it is switched to, and a fork child's tid word. They do it through
 * the kernel's direct map: the frame behind a user page is also mapped at
 * KERNEL_BASE + its physical address, in every address space.
 * process_vm_readv and process_vm_writev reach another process's memory
 * the same way (vm_copy_in, vm_copy_out).
 */
#include "mm/vm.h"
#include "linux/errno.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

void *vm_kernel_address(struct mm *mm, vaddr_t va)
{
    pte_t *pte = page_walk(mm->pgdir, va, false);
    assert(pte && (*pte & PTE_P));
    return (uint8_t *)P2V(PTE_ADDR(*pte)) + va % PAGE_SIZE;
}

void vm_write(struct mm *mm, vaddr_t va, const void *src, uint32_t n)
{
    const uint8_t *s = src;
    while (n > 0) {
        uint32_t off = va % PAGE_SIZE;
        uint32_t chunk = PAGE_SIZE - off < n ? PAGE_SIZE - off : n;
        memcpy(vm_kernel_address(mm, va), s, chunk);
        s += chunk;
        va += chunk;
        n -= chunk;
    }
}

int vm_copy_out(struct mm *mm, vaddr_t va, const void *src, uint32_t n)
{
    if (va >= USER_TOP || n > USER_TOP - va)
        return -EFAULT;
    /* First make every page present and privately writable, as the
     * program's own write would (a zeroed stack page, a copy-on-write copy),
     * so that a bad address fails before anything is written. */
    for (vaddr_t page = PAGE_ROUND_DOWN(va); page < va + n; page += PAGE_SIZE) {
        struct vm_region *r = vm_find(mm, page);
        if (!r || !(r->prot & VM_WRITE))
            return -EFAULT;
        pte_t *pte = page_walk(mm->pgdir, page, false);
        if (!pte || !(*pte & PTE_P)) {
            if (vm_fault(mm, page, PF_WRITE) < 0)
                return -EFAULT;
        } else if ((*pte & PTE_COW) || table_sharers(mm->pgdir, page) != 1) {
            /* Copy-on-write, or under a shared page table (fork=odf):
             * the write must not reach a frame others see. */
            if (vm_fault(mm, page, PF_WRITE | PF_PRESENT) < 0)
                return -EFAULT;
        }
    }
    vm_write(mm, va, src, n);
    return 0;
}

/* Read n bytes from user address va of mm (need not be the live address
 * space) into dst, as a read by mm's own program would: pages not yet made
 * are faulted in; a page in no region or not readable is -EFAULT. Returns
 * how many bytes were copied before the first bad page (n if none). */
uint32_t vm_copy_in(struct mm *mm, vaddr_t va, void *dst, uint32_t n)
{
    uint8_t *d = dst;
    uint32_t done = 0;
    if (va >= USER_TOP)
        return 0;
    if (n > USER_TOP - va)
        n = USER_TOP - va;
    while (done < n) {
        vaddr_t page = PAGE_ROUND_DOWN(va);
        struct vm_region *r = vm_find(mm, page);
        if (!r || !(r->prot & VM_READ))
            break;
        pte_t *pte = page_walk(mm->pgdir, page, false);
        if ((!pte || !(*pte & PTE_P)) && vm_fault(mm, page, 0) < 0)
            break;
        uint32_t off = va % PAGE_SIZE;
        uint32_t chunk = PAGE_SIZE - off < n - done ? PAGE_SIZE - off : n - done;
        memcpy(d + done, vm_kernel_address(mm, va), chunk);
        done += chunk;
        va += chunk;
    }
    return done;
}
