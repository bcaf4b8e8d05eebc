/* sys_copy.h: the system calls of fs/sys_copy.c, that move bytes between
 * descriptors inside the kernel (sendfile, copy_file_range) or reserve
 * them (fallocate). (How a sys_ function is called: kernel/syscall.h.) */
#ifndef SYS_COPY_H
#define SYS_COPY_H

#include "kernel/trap.h"
#include "types.h"

struct file;

/* sendfile's copy, splice's too: count bytes of the in-memory file in, at
 * *pos, to out through its write (at out's offset, or into its pipe),
 * through one kernel page. Stops at in's end or a short write. Returns the
 * bytes moved (and moves *pos), or -errno if none were. */
long file_send_bytes(struct file *in, uint64_t *pos, struct file *out, uint32_t count);

long sys_sendfile(struct trapframe *tf);
long sys_sendfile64(struct trapframe *tf);
long sys_copy_file_range(struct trapframe *tf);
long sys_fallocate(struct trapframe *tf);

#endif
