/* wait.h: wait4's options and the status word it stores, as on Linux.
 * Linux: <linux/wait.h>
 *
 * The status word: a process that exited with code c has status c << 8
 * (WIFEXITED, WEXITSTATUS); one killed by signal s has status s in the low
 * seven bits (WIFSIGNALED, WTERMSIG). */
#ifndef WAIT_H
#define WAIT_H

#define WNOHANG     0x00000001u   /* return 0 at once if no child has ended */
#define WUNTRACED   0x00000002u   /* also report stopped children */
#define WSTOPPED    WUNTRACED
#define WEXITED     0x00000004u
#define WCONTINUED  0x00000008u   /* also report continued children */
#define WNOWAIT     0x01000000u   /* report, but leave the child waitable */
#define __WNOTHREAD 0x20000000u   /* only this thread's children */
#define __WALL      0x40000000u   /* every child, whatever its exit signal */
#define __WCLONE    0x80000000u   /* only "clone children" (exit signal not SIGCHLD) */

/* waitid's idtype. */
#define P_ALL   0
#define P_PID   1
#define P_PGID  2
#define P_PIDFD 3

/* The status word (bunshin's names; glibc has W_EXITCODE too). */
#define W_EXITCODE(code) (((code) & 0xFF) << 8)
#define W_SIGNALED(sig)  ((sig) & 0x7F)

#endif
