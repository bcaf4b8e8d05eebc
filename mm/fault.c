/* fault.c: page faults on user addresses: where pages come from.
 *
 * A page fault is the CPU saying "this access cannot be done with these page
 * tables": the page is not present, or it is present but the access is not
 * allowed (a write to a read-only page, a user access to a kernel page). The
 * error code says which, and cr2 holds the address. A fault outside every
 * region, or against a region's rights, is a bug in the program (SIGSEGV).
 * Inside a region, most faults are the kernel's own doing, because regions
 * get their frames on first touch:
 *   - demand-zero: anonymous memory never touched. A read maps the zero
 *     page (paging.h), read-only; a write takes a fresh zeroed frame
 *     (anon_fault);
 *   - copy-on-write: fork (mm/fork.c) made a writable page read-only and
 *     marked it PTE_COW, and so did a read of the zero page or of a file's
 *     page in a private mapping; the first write copies it (cow_fault);
 *   - file pages: a file mapping's page is the file's own frame, shared
 *     (MAP_SHARED) or copy-on-write (MAP_PRIVATE); a page wholly past the
 *     end of the file has nothing behind it (SIGBUS) (mm/vm_file.c);
 *   - the stack: the region below the stack grows down on demand, up to
 *     its limit, a page at a time.
 * A fault that needs a frame when none is free calls the out-of-memory
 * killer (mm/oom.c).
 */
#include "mm/fault.h"
#include "mm/vm.h"
#include "mm/frame.h"
#include "mm/oom.h"
#include "mm/paging.h"
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
 *              the zero page needs no copy, only a zeroed frame;
 *   count = 1: everyone else has already copied or exited, so this is the
 *              last user: make the page writable again, no copy needed.
 * In a shared region, the page just becomes writable again.
 * Returns 0 or -ENOMEM. */
static int cow_fault(struct mm *mm, struct vm_region *r, vaddr_t addr, pte_t *pte)
{
    vaddr_t va = PAGE_ROUND_DOWN(addr);
    paddr_t old = PTE_ADDR(*pte);
    uint32_t flags = (*pte & 0xFFF & ~PTE_COW) | PTE_W;

    mm->cow_faults++;
    /* A shared region's page is one memory for all: never copied. It is
     * copy-on-write only because a shared page table was copied
     * (mm/table_share.c), which marks every writable entry. */
    if (r->shared || frame_refcount(old) == 1) {
        *pte = old | flags;               /* the last user: just take it back */
    } else {
        paddr_t copy = frame_alloc();
        if (!copy)
            return -ENOMEM;
        if (old == zero_frame)
            memset(P2V(copy), 0, PAGE_SIZE);
        else
            memcpy(P2V(copy), P2V(old), PAGE_SIZE);
        *pte = copy | flags;
        if (old != zero_frame)            /* the zero page is never counted */
            frame_decref(old);
    }
    if (pgdir_current() == mm->pgdir)
        invlpg(va);
    return 0;
}

/* A first touch of page va of anonymous private region r. A read maps the
 * zero page: reading memory costs none. Where r is writable the zero page
 * is marked copy-on-write, so a later write takes a frame of its own. A
 * write takes that frame now. 0 or -ENOMEM. */
static int anon_fault(struct mm *mm, struct vm_region *r, vaddr_t va, bool write)
{
    /* LAB lazy anon_fault: begin */
    if (!write) {
        uint32_t flags = PTE_U | ((r->prot & VM_WRITE) ? PTE_COW : 0);
        return page_map(mm->pgdir, va, zero_frame, flags);
    }
    return vm_populate(mm, va, va + PAGE_SIZE, r->prot);
    /* LAB lazy anon_fault: end */
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
    /* Every fault served below changes an entry: under fork=odf the page
     * table may be shared, and this address space needs its own first. */
    int unshared = table_unshare(mm->pgdir, addr);
    if (unshared < 0)
        return -ENOMEM;
    pte_t *pte = page_walk(mm->pgdir, addr, false);
    if (pte && (*pte & PTE_P)) {
        /* A write to a present page: copy-on-write, or a real violation. */
        if ((err & PF_WRITE) && (*pte & PTE_COW))
            return cow_fault(mm, r, addr, pte);
        /* Present and allowed: the kernel asked on behalf of a copy that
         * found it so, or the table was read-only and is this address
         * space's own now. Nothing more to do. */
        if ((!(err & PF_PRESENT) || unshared) && ((*pte & PTE_W) || !(err & PF_WRITE)))
            return 0;
        return -EACCES;
    }

    /* The first touch of a page of the region. */
    vaddr_t page = PAGE_ROUND_DOWN(addr);
    bool write = (err & PF_WRITE) != 0;
    if (r->file)
        return file_fault(mm, r, page, write);
    return anon_fault(mm, r, page, write);
}

/* A page fault the address space did not serve (r: vm_fault's answer, or
 * -EFAULT for an address it cannot have): end the process, or let the
 * kernel's fault handler decide. Apart from page_fault, which stays short
 * for the faults that are served. */
static void fault_not_served(struct trapframe *tf, struct proc *p, vaddr_t addr, int r)
{
    bool user = trap_from_user(tf);
    if (r == -ENOMEM) {
        /* No frame for a page this process was promised. Someone must
         * give memory back: the out-of-memory killer chooses who. If it is
         * another process, this one retries the access once the victim is
         * gone; if it is this one, it dies here. */
        if (oom_kill(p, addr))
            return;                       /* retry */
        if (!user)
            trap_kernel_fault(tf);        /* the user copy returns -EFAULT first */
        return;
    }
    if (r == -ENXIO) {
        /* A file mapping's page past the end of the file. */
        if (user)
            signal_fault(tf, SIGBUS, BUS_ADRERR, addr, "page past the end of a mapped file");
        else
            trap_kernel_fault(tf);
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
    if (p && p->mm && addr < USER_TOP && (r = vm_fault(p->mm, addr, tf->err)) == 0) {
        p->group->minflt++;               /* getrusage's ru_minflt */
        return;
    }
    fault_not_served(tf, p, addr, r);
}
