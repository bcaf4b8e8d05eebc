/* syscall.c: the system-call dispatcher. */
#include "kernel/syscall.h"
#include "boot/cmdline.h"
#include "linux/errno.h"

void syscall_dispatch(struct trapframe *tf)
{
    uint32_t nr = tf->eax;
    const struct syscall *sc = syscall_lookup(nr);

    if (boot_options.trace_syscalls) {
        syscall_trace(nr, sc, tf);
        return;
    }
    /* The result goes where the program will find it: the saved eax. */
    tf->eax = sc ? (uint32_t)sc->fn(tf) : (uint32_t)-ENOSYS;
}
