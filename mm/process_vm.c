/* process_vm.c: process_vm_readv and process_vm_writev, copying between
 * the caller's memory (the local iovecs) and another process's (the remote
 * ones) without going through a pipe or ptrace. The other address space is
 * reached through the direct map (mm/vm_copy.c): a read faults its pages
 * in as its own program's read would, a write copies copy-on-write pages
 * and refuses pages that are not writable, as its own write would.
 * Each chunk stays within one page on both sides, so that a transfer
 * stopped by a bad page reports exactly the bytes before it, as Linux
 * does; the error is returned only when nothing was copied. */
#include "mm/process_vm.h"
#include "kernel/kcmp.h"
#include "kernel/proc.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/socket.h"
#include "param.h"

/* Linux's limits: at most 1024 iovecs (UIO_MAXIOV), and a transfer of at
 * most MAX_RW_COUNT bytes (INT_MAX rounded down to a page). */
#define IOVECS_MAX   1024
#define TRANSFER_MAX 0x7ffff000u

/* Read an iovec array of cnt entries from user address uiov into a
 * kmalloc'd copy *out (the caller frees it), lengths cut so that they add
 * up to at most TRANSFER_MAX, their sum in *total. EINVAL for too many or
 * a negative length; EFAULT for an unreadable array, or a local buffer
 * (is_local) outside user space. */
static int read_iovecs(vaddr_t uiov, uint32_t cnt, bool is_local, struct iovec_32 **out,
                       uint32_t *total)
{
    *out = 0;
    *total = 0;
    if (cnt > IOVECS_MAX)
        return -EINVAL;
    if (cnt == 0)
        return 0;
    struct iovec_32 *v = kmalloc(cnt * sizeof *v);
    if (!v)
        return -ENOMEM;
    if (copy_from_user(v, uiov, cnt * sizeof *v) < 0) {
        kfree(v);
        return -EFAULT;
    }
    for (uint32_t i = 0; i < cnt; i++) {
        if (v[i].len > 0x7fffffffu) {
            kfree(v);
            return -EINVAL;
        }
        if (v[i].len > TRANSFER_MAX - *total)
            v[i].len = TRANSFER_MAX - *total;
        *total += v[i].len;
        if (is_local && v[i].len && (v[i].base >= USER_TOP || v[i].len > USER_TOP - v[i].base)) {
            kfree(v);
            return -EFAULT;
        }
    }
    *out = v;
    return 0;
}

static uint32_t min3(uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Move the bytes: from the remote iovecs of mm into the local ones (or
 * back if write), through bounce, a page of kernel memory. The bytes
 * moved, or -EFAULT if none could be. */
static long transfer(struct mm *mm, struct iovec_32 *lv, uint32_t lcnt, struct iovec_32 *rv,
                     uint32_t rcnt, bool write, uint8_t *bounce)
{
    uint32_t done = 0, li = 0, loff = 0;
    for (uint32_t ri = 0; ri < rcnt; ri++) {
        vaddr_t raddr = rv[ri].base;
        uint32_t rlen = rv[ri].len;
        while (rlen > 0) {
            while (li < lcnt && loff == lv[li].len) {
                li++;
                loff = 0;
            }
            if (li == lcnt)
                return done;
            vaddr_t laddr = lv[li].base + loff;
            uint32_t chunk = min3(rlen, lv[li].len - loff, PAGE_SIZE - raddr % PAGE_SIZE);
            if (chunk > PAGE_SIZE - laddr % PAGE_SIZE)
                chunk = PAGE_SIZE - laddr % PAGE_SIZE;
            bool ok;
            if (write)
                ok = copy_from_user(bounce, laddr, chunk) == 0 &&
                     vm_copy_out(mm, raddr, bounce, chunk) == 0;
            else
                ok = vm_copy_in(mm, raddr, bounce, chunk) == chunk &&
                     copy_to_user(laddr, bounce, chunk) == 0;
            if (!ok)
                return done ? (long)done : -EFAULT;
            done += chunk;
            raddr += chunk;
            rlen -= chunk;
            loff += chunk;
        }
    }
    return done;
}

/* process_vm_readv/writev(pid, local_iov, liovcnt, remote_iov, riovcnt,
 * flags): Linux's order of checks: EINVAL for flags, the iovecs (EINVAL,
 * EFAULT), 0 if there is nothing to move, ESRCH for no such process (or
 * one without memory: a zombie), EPERM unless the caller may look into it
 * as ptrace would (kcmp's rule; its own process always). */
static long do_process_vm(int pid, vaddr_t liov, uint32_t lcnt, vaddr_t riov, uint32_t rcnt,
                          uint32_t flags, bool write)
{
    if (flags)
        return -EINVAL;
    struct iovec_32 *lv, *rv = 0;
    uint32_t ltotal, rtotal;
    long r = read_iovecs(liov, lcnt, true, &lv, &ltotal);
    if (r == 0)
        r = read_iovecs(riov, rcnt, false, &rv, &rtotal);
    if (r < 0 || ltotal == 0)
        goto out;
    struct proc *self = current_proc();
    struct proc *p = proc_find(pid);
    if (pid <= 0 || !p || p->state == PROC_EMBRYO) {
        r = -ESRCH;
        goto out;
    }
    if (p->tgid != self->tgid && !may_inspect_process(p)) {
        r = -EPERM;
        goto out;
    }
    if (!p->mm) {
        r = -ESRCH;
        goto out;
    }
    uint8_t *bounce = kmalloc(PAGE_SIZE);
    if (!bounce) {
        r = -ENOMEM;
        goto out;
    }
    r = transfer(p->mm, lv, lcnt, rv, rcnt, write, bounce);
    kfree(bounce);
out:
    kfree(lv);
    kfree(rv);
    return r;
}

long sys_process_vm_readv(struct trapframe *tf)
{
    return do_process_vm((int)tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp, false);
}

long sys_process_vm_writev(struct trapframe *tf)
{
    return do_process_vm((int)tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp, true);
}
