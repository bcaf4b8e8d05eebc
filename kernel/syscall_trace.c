/* syscall_trace.c: the system-call tracer, boot option trace=syscalls.
 * Each call is printed as strace prints it, "[pid] name(args) = result",
 * with string arguments read from the caller and errors by name, so that a
 * student can watch what a program asks of the kernel. */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "lib/format.h"
#include "printk.h"

/* Names of the errors, for the trace: "= -2 ENOENT" reads better than "-2". */
static const char *const errno_names[] = {
    [EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR",
    [EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC",
    [EBADF] = "EBADF", [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
    [EACCES] = "EACCES", [EFAULT] = "EFAULT", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST",
    [EXDEV] = "EXDEV", [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
    [EINVAL] = "EINVAL", [ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY",
    [EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC", [ESPIPE] = "ESPIPE", [EROFS] = "EROFS",
    [EMLINK] = "EMLINK", [EPIPE] = "EPIPE", [ERANGE] = "ERANGE",
    [ENAMETOOLONG] = "ENAMETOOLONG", [ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY",
    [ELOOP] = "ELOOP", [EOVERFLOW] = "EOVERFLOW", [ETIMEDOUT] = "ETIMEDOUT",
};

static const char *errno_name(long e)
{
    if (e > 0 && e < (long)(sizeof errno_names / sizeof errno_names[0]) && errno_names[e])
        return errno_names[e];
    return "";
}

/* Format one call like strace: name(arg, arg, ...). Strings are read from the
 * caller's memory now, before the call can change or replace it (execve). */
static void trace_format(char *buf, size_t size, const struct syscall *sc, struct trapframe *tf)
{
    uint32_t args[6] = { tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp };
    size_t n = (size_t)ksnprintf(buf, size, "%s(", sc->name);
    for (int i = 0; sc->args[i] && n < size; i++) {
        const char *sep = i ? ", " : "";
        char s[48];
        switch (sc->args[i]) {
        case 'd': n += (size_t)ksnprintf(buf + n, size - n, "%s%d", sep, (int)args[i]); break;
        case 'u': n += (size_t)ksnprintf(buf + n, size - n, "%s%u", sep, args[i]); break;
        case 'o': n += (size_t)ksnprintf(buf + n, size - n, "%s0%o", sep, args[i]); break;
        case 's': {
            int len = strncpy_from_user(s, args[i], sizeof s);
            if (len == -EFAULT)
                n += (size_t)ksnprintf(buf + n, size - n, "%s%#x", sep, args[i]);
            else
                n += (size_t)ksnprintf(buf + n, size - n, "%s\"%s\"%s", sep, s,
                                       len < 0 ? "..." : "");
            break;
        }
        case 'p':
            if (args[i] == 0)
                n += (size_t)ksnprintf(buf + n, size - n, "%sNULL", sep);
            else
                n += (size_t)ksnprintf(buf + n, size - n, "%s%#x", sep, args[i]);
            break;
        default: n += (size_t)ksnprintf(buf + n, size - n, "%s%#x", sep, args[i]); break;
        }
    }
    if (n < size)
        ksnprintf(buf + n, size - n, ")");
}

void syscall_trace(uint32_t nr, const struct syscall *sc, struct trapframe *tf)
{
    struct proc *p = current_proc();
    int pid = p->pid;
    char line[160];

    if (!sc) {
        printk("[%d] syscall_%u(...) = -%d ENOSYS\n", pid, nr, ENOSYS);   /* no such call */
        tf->eax = (uint32_t)-ENOSYS;
        return;
    }
    /* Format before the call: execve replaces the strings, exit never returns. */
    trace_format(line, sizeof line, sc, tf);
    if (sc->flags & SC_NORETURN)
        printk("[%d] %s = ?\n", pid, line);
    long r = sc->fn(tf);
    tf->eax = (uint32_t)r;
    if (r < 0 && r >= -4095)
        printk("[%d] %s = -%ld %s\n", pid, line, -r, errno_name(-r));
    else if ((sc->flags & SC_EXEC) && r == 0)
        printk("[%d] %s = 0 (now %s)\n", pid, line, p->name);
    else if (sc->flags & SC_ADDR)
        printk("[%d] %s = %#lx\n", pid, line, (unsigned long)r);
    else
        printk("[%d] %s = %ld\n", pid, line, r);
}
