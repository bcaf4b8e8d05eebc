/* syscall.h: system calls, numbered as on Linux i386.
 *
 * A program puts the call's number in eax and up to six arguments in ebx,
 * ecx, edx, esi, edi, ebp, and executes int $0x80. trap_entry.asm saves all
 * of them in the trap frame; syscall_dispatch looks the number up in the
 * table (kernel/syscall_table.c) and calls the sys_ function, which reads its
 * arguments from the frame; the dispatcher writes the result (or -errno)
 * into the frame's eax, which is what the program finds in eax after the
 * int instruction.
 *
 * Each sys_ function only decodes its arguments and calls a do_ function (or
 * a subsystem's own) that does the work, as in Linux 0.11. It is declared in
 * the header next to the file that defines it (fs/sys_file.h for
 * fs/sys_file.c...); tests/static/syscalls.sh checks that this holds and that
 * every number is Linux's.
 */
#ifndef SYSCALL_H
#define SYSCALL_H

#include "kernel/trap.h"

#define T_SYSCALL 0x80

/* What the tracer (boot option trace=syscalls) must know about a call. */
#define SC_NORETURN 0x1     /* never returns (exit): print the call before it */
#define SC_EXEC     0x2     /* execve: on success, name the new program */
#define SC_ADDR     0x4     /* returns an address (brk, mmap2): print it in hex */

/* One entry of the table. `args` says how the tracer prints each argument:
 *   d signed   u unsigned   x hex   o octal   p pointer   s user string   */
struct syscall {
    const char *name;
    long (*fn)(struct trapframe *tf);
    const char *args;
    uint32_t flags;              /* SC_* */
};

/* The entry for Linux i386 system-call number nr, or NULL if bunshin has
 * no such call (kernel/syscall_table.c). */
const struct syscall *syscall_lookup(uint32_t nr);

/* Run the system call tf asks for (trap_dispatch calls it for int $0x80). */
void syscall_dispatch(struct trapframe *tf);

/* Run sc (NULL for a number with no call) for tf as syscall_dispatch does,
 * printing "[pid] name(args) = result" on the console
 * (kernel/syscall_trace.c). */
void syscall_trace(uint32_t nr, const struct syscall *sc, struct trapframe *tf);

#endif
