/* commit.h: how much memory the kernel has promised (overcommit).
 *
 * With pages on demand, mmap, brk and fork hand out promises, not frames:
 * a region gets its frames when it is touched. A promise that cannot be
 * kept shows up late, in a page fault that finds no free frame, where the
 * only way out is to kill a process (the out-of-memory killer, mm/oom.c).
 * So the kernel counts what it has promised, the commit total (Linux's
 * Committed_AS): the pages of every region that may come to need frames of
 * its own (private writable memory, the heap, the stack; not read-only or
 * shared file pages, nor MAP_NORESERVE), and fork counts the child's copy
 * again. The overcommit mode says what to do with the count, as Linux's
 * vm.overcommit_memory does:
 *
 *   OVERCOMMIT_GUESS  (0, "heuristic", the default) refuse only a single
 *                     request bigger than all of memory; promise the rest
 *   OVERCOMMIT_ALWAYS (1) never refuse
 *   OVERCOMMIT_NEVER  (2, strict) refuse any request that would take the
 *                     total past the commit limit, overcommit_ratio per
 *                     cent of memory: then no page fault can run out
 *
 * Chosen at boot (overcommit=) and at run time through
 * /proc/sys/vm/overcommit_memory and overcommit_ratio.
 */
#ifndef COMMIT_H
#define COMMIT_H

#include "types.h"

enum overcommit_mode {
    OVERCOMMIT_GUESS = 0,
    OVERCOMMIT_ALWAYS = 1,
    OVERCOMMIT_NEVER = 2,
};

extern enum overcommit_mode overcommit_mode;
extern uint32_t overcommit_ratio;      /* per cent of memory, for NEVER (Linux: 50) */

/* Promise pages more pages: 0, or -ENOMEM if the mode refuses (then
 * nothing is counted). */
int commit_charge(uint32_t pages);
/* Take back a promise of pages pages (a region unmapped or shrunk). */
void commit_uncharge(uint32_t pages);

uint32_t commit_limit_pages(void);     /* CommitLimit */
uint32_t committed_pages(void);        /* Committed_AS */

#endif
