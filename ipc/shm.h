/* shm.h: System V shared memory (ipc/shm.c).
 *
 * A segment is memory with an id: shmget makes it (or finds it by key),
 * shmat maps it into the caller's address space, shmdt takes it out. Its
 * pages are an unnamed in-memory file's, as shared anonymous mmap's are
 * (fs: anon_file_open), and an attach is a MAP_SHARED region of that file:
 * whatever one process stores, every other attach sees. The region tells
 * the segment when it is copied (fork, a split) and when it goes (shmdt,
 * munmap, execve, exit) through its vm_region_ops, which keeps the attach
 * count (shm_nattch); a segment removed with IPC_RMID goes with its last
 * attach. */
#ifndef IPC_SHM_H
#define IPC_SHM_H

#include "types.h"

/* shmget(key, size, flags): the segment's id, or -EINVAL, -ENOENT,
 * -EEXIST, -EACCES, -ENOSPC, -ENOMEM. */
long do_shmget(int32_t key, uint32_t size, int flags);
/* shmat(id, addr, flags): the address it is attached at, or -errno. */
long do_shmat(int id, vaddr_t addr, int flags);
/* shmdt(addr): detach the segment attached at addr. 0 or -EINVAL. */
long do_shmdt(vaddr_t addr);
/* shmctl(id, cmd, buf); v64: buf is in the 64-bit layouts (IPC_64). */
long do_shmctl(int id, int cmd, vaddr_t buf, bool v64);
/* /proc/sysvipc/shm: a line per segment, as Linux's (32-bit) writes
 * them, into buf (size bytes); returns the text's whole length. */
int shm_proc_show(int pid, char *buf, uint32_t size);

#endif
