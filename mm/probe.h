/* probe.h: touching memory that may not be mapped, without crashing.
 *
 * The page-fault handler knows the one instruction in each probe function
 * that may fault. If a kernel-mode fault happens at exactly that instruction,
 * the handler reports it and resumes at the probe's failure exit instead of
 * panicking, and the probe returns -EFAULT. (Linux does the same for every
 * user-memory access with its exception table.) */
#ifndef PROBE_H
#define PROBE_H

#include "types.h"

/* Read the byte at addr into *out: 0, or -EFAULT if the read faulted. */
int probe_read_byte(const volatile void *addr, uint8_t *out);
/* Write v at addr: 0, or -EFAULT if the write faulted. */
int probe_write_byte(volatile void *addr, uint8_t v);

/* If eip is an instruction allowed to fault (a probe, or a user-copy loop),
 * where to resume after its fault; else 0. *report says whether the fault
 * deserves a report on the console (probes: yes; a bad user pointer: no,
 * the system call just returns -EFAULT). */
uint32_t probe_fixup(uint32_t eip, bool *report);

#endif
