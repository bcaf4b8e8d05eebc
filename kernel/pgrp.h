/* pgrp.h: process groups and sessions (kernel/pgrp.c). The ids live in each
 * process's struct thread_group (kernel/signal.h): pgid, sid, and whether
 * it leads its session. */
#ifndef PGRP_H
#define PGRP_H

#include "types.h"

struct proc;

/* setpgid, getpgid, setsid, getsid, with Linux's rules and errors. */
int do_setpgid(int pid, int pgid);
int do_getpgid(int pid);
int do_setsid(void);
int do_getsid(int pid);

/* The session of process group pgid, or -1 if no such group exists. */
int pgrp_session(int pgid);
/* Is group pgid orphaned: no member has a parent outside the group in the
 * same session? The terminal's stop signals are not sent to such a group
 * (nobody could continue it), and its background reads fail with EIO. */
bool pgrp_orphaned(int pgid);
/* The process of last, its last thread, is ending: hang up (SIGHUP, then
 * SIGCONT) the groups its end orphans that have stopped processes: its
 * own, and its children's. Call before the children are given away. */
void pgrp_exit_check(struct proc *last);

#endif
