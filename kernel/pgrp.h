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

/* ---- the controlling terminal's side (drivers/tty_jobctl.c calls these) ---- */
struct tty;
/* The session that TIOCSPGRP finds for id, as Linux's session_of_pgrp: of
 * the process group id, else of the process or thread id; -1 if none. */
int pgrp_or_pid_session(int id);
/* tty is hung up: every process of session sid that has it as its
 * controlling terminal loses it, and the session's leader gets SIGHUP and
 * SIGCONT and remembers fg, the foreground group then (Linux's
 * tty_signal_session_leader). */
void session_hangup(int sid, struct tty *tty, int fg);
/* No process of session sid has a controlling terminal any more. */
void session_clear_tty(int sid);
/* No process keeps tty as its controlling terminal (it is being freed). */
void pgrp_forget_tty(struct tty *tty);

#endif
