/* usercopy.h: moving bytes between the kernel and the current process.
 *
 * Every pointer a program passes to a system call is checked here: the range
 * must lie below USER_TOP (so a program can never make the kernel read or
 * write kernel memory for it) and inside the regions of its address space.
 * The copy itself runs in a routine whose faults the page-fault handler
 * understands: a fault there either is served (the stack grows, a
 * copy-on-write page is copied) or makes the copy stop and return -EFAULT.
 * A bad pointer therefore never crashes the kernel.
 */
#ifndef USERCOPY_H
#define USERCOPY_H

#include "types.h"
#include "mm/paging.h"
#include "x86.h"

/* Between these two, the kernel may touch user pages itself: with SMAP on,
 * they set and clear EFLAGS.AC; without it, they do nothing. Only the copy
 * functions below (and the self tests) use them, so a stray access anywhere
 * else in the kernel faults at once, with a report naming the place. */
static inline void user_access_begin(void)
{
    if (smap_enabled)
        stac();
}

static inline void user_access_end(void)
{
    if (smap_enabled)
        clac();
}

/* Copy n bytes from user address src into dst. 0 or -EFAULT. */
int copy_from_user(void *dst, vaddr_t src, uint32_t n);
/* Copy n bytes from src to user address dst. 0 or -EFAULT. */
int copy_to_user(vaddr_t dst, const void *src, uint32_t n);
/* Copy a NUL-terminated string of at most max bytes (NUL included) from
 * user address src. Returns its length, -EFAULT, or -ENAMETOOLONG if no NUL
 * came within max bytes. */
int strncpy_from_user(char *dst, vaddr_t src, uint32_t max);
/* 0 if [addr, addr+n) is valid user memory (writable if write), else -EFAULT. */
int user_range_ok(vaddr_t addr, uint32_t n, bool write);

#endif
