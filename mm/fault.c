/* fault.c: page faults on user addresses, and the copy-on-write copy.
 *
 * A page fault is the CPU saying "this access cannot be done with these page
 * tables": the page is not present, or it is present but the access is not
 * allowed (a write to a read-only page, a user access to a kernel page). The
 * error code says which, and cr2 holds the address. Most faults are bugs in
 * the program. Two kinds are the kernel's own doing and are served here:
 *   - the stack: the region below the stack grows down on demand, up to
 *     STACK_LIMIT, a page at a time;
 *   - copy-on-write: fork (mm/fork.c) made a writable page read-only and
 *     marked it PTE_COW; the first write copies it (cow_fault).
 */
#include "mm/fault.h"
#include "mm/vm.h"
#include "mm/frame.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "linux/errno.h"
#include "linux/signal.h"
#include "linux/wait.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

/* A write fault on a PTE_COW page at addr (pte is its entry). The frame's
 * reference count tells who else uses it:
 *   count > 1: others still read the frame, so copy it into a new frame,
 *              map the copy writable here, and drop one reference on the old;
 *   count = 1: everyone else has already copied or exited, so this is the
 *              last user: make the page writable again, no copy needed.
 * Returns 0 or -ENOMEM. */
static int cow_fault(struct mm *mm, vaddr_t addr, pte_t *pte)
{
    vaddr_t va = PAGE_ROUND_DOWN(addr);
    paddr_t old = PTE_ADDR(*pte);
    uint32_t flags = (*pte & 0xFFF & ~PTE_COW) | PTE_W;

    mm->cow_faults++;
    if (frame_refcount(old) == 1) {
        *pte = old | flags;               /* the last user: just take it back */
    } else {
        paddr_t copy = frame_alloc();
        if (!copy)
            return -ENOMEM;
        memcpy(P2V(copy), P2V(old), PAGE_SIZE);
        *pte = copy | flags;
        frame_decref(old);
    }
    if (pgdir_current() == mm->pgdir)
        invlpg(va);
    return 0;
}

int vm_fault(struct mm *mm, vaddr_t addr, uint32_t err)
{
    if (addr >= USER_TOP)
        return -EFAULT;
    struct vm_region *r = vm_find(mm, addr);

    /* Below the stack but within its limit: the stack grows down to here. */
    if (!r && !(r = vm_stack_grow(mm, addr)))
        return -EFAULT;

    if (!(r->prot & VM_READ) || ((err & PF_WRITE) && !(r->prot & VM_WRITE)))
        return -EACCES;
    if (err & PF_PRESENT) {
        /* A write to a present page: copy-on-write, or a real violation. */
        pte_t *pte = page_walk(mm->pgdir, addr, false);
        if ((err & PF_WRITE) && pte && (*pte & PTE_COW))
            return cow_fault(mm, addr, pte);
        return -EACCES;
    }

    /* A page of the region that has no frame yet (the stack): a zeroed one. */
    vaddr_t page = PAGE_ROUND_DOWN(addr);
    return vm_populate(mm, page, page + PAGE_SIZE, r->prot);
}

/* A page fault the address space did not serve (r: vm_fault's answer, or
 * -EFAULT for an address it cannot have): end the process, or let the
 * kernel's fault handler decide. Apart from page_fault, which stays short
 * for the faults that are served. */
static void fault_not_served(struct trapframe *tf, struct proc *p, vaddr_t addr, int r)
{
    bool user = trap_from_user(tf);
    if (r == -ENOMEM) {
        /* No frame for a copy-on-write copy or a stack page: this process
         * cannot go on, but only it pays (Linux sends SIGKILL from its OOM
         * killer; we kill the one that asked). */
        printk("bunshin: pid %d (%s): out of memory at %08x, killed\n", p->pid, p->name, addr);
        proc_kill(p, W_SIGNALED(SIGKILL));
        if (!user)
            trap_kernel_fault(tf);        /* the user copy returns -EFAULT first */
        return;
    }
    if (user) {
        /* SEGV_MAPERR: nothing is mapped there; SEGV_ACCERR: something is,
         * but not with the rights this access needs (siginfo's si_code). */
        signal_fault(tf, SIGSEGV, r == -EACCES ? SEGV_ACCERR : SEGV_MAPERR, addr, "page fault");
    } else {
        trap_kernel_fault(tf);
    }
}

void page_fault(struct trapframe *tf)
{
    struct proc *p = current_proc();
    vaddr_t addr = read_cr2();

    /* A fault on a user address, from the program or from the kernel
     * copying to or from it: the address space may serve it (then the
     * access is retried). */
    int r = -EFAULT;
    if (p && p->mm && addr < USER_TOP && (r = vm_fault(p->mm, addr, tf->err)) == 0)
        return;
    fault_not_served(tf, p, addr, r);
}
