/* oom.h: the out-of-memory killer (mm/oom.c). */
#ifndef OOM_H
#define OOM_H

#include "types.h"

struct proc;

/* A page fault of p at addr needed a frame and none was free. Choose the
 * process with the most resident memory and kill it with SIGKILL, saying so
 * on the console. true: the victim is another process, and p should retry
 * the access once it has let go of its memory (p has yielded the CPU to
 * let it); false: p itself was chosen and is killed. */
bool oom_kill(struct proc *p, vaddr_t addr);

#endif
