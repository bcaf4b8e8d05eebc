/* tty.h: terminals. One object, struct tty, for every terminal there is:
 * the console (the serial line and the keyboard + screen together) and
 * each side of a pseudo-terminal (drivers/pty.c). A tty holds what Linux's
 * holds: its settings (termios), its window size, the line discipline's
 * input buffer and editing state, and, for job control, the session it is
 * the controlling terminal of and that session's foreground process group.
 * What differs between kinds of terminal is below the line discipline, in
 * a struct tty_driver: where output goes, how much it can take.
 *
 * The files, by idea:
 *   drivers/tty.c        the object, and open/read/write/close of a tty file
 *   drivers/tty_ldisc.c  the line discipline (Linux's N_TTY): input editing,
 *                        echo, signals from INTR/QUIT/SUSP, canonical and
 *                        non-canonical (VMIN/VTIME) reads
 *   drivers/tty_output.c output processing (OPOST), echoes, write(2)
 *   drivers/tty_ioctl.c  the ioctls: termios, window size, flushing, flow
 *   drivers/tty_jobctl.c controlling terminals, the foreground group,
 *                        SIGTTIN/SIGTTOU, hangups
 *   drivers/pty.c        /dev/ptmx and /dev/pts/N
 *
 * The kernel runs with interrupts off, so the console's receive side (an
 * interrupt handler) and a process's read never run at the same time, and
 * no lock is needed.
 */
#ifndef TTY_H
#define TTY_H

#include "types.h"
#include "fs/fs.h"
#include "linux/termios.h"

struct file;
struct tty;
struct thread_group;

/* Linux's line discipline buffer: 4 KiB of input. */
#define TTY_BUF 4096

/* What returns "not one of mine" between the layers of tty_ioctl (Linux's
 * ENOIOCTLCMD); never seen by a program. */
#define TTY_NOIOCTL 515

/* Linux's device numbers, as stat shows them. */
#define TTY_MKDEV(major, minor) (((major) << 8) | (minor))
#define TTY_DEV_TTY     TTY_MKDEV(5, 0)      /* /dev/tty: the caller's terminal */
#define TTY_DEV_CONSOLE TTY_MKDEV(5, 1)
#define TTY_DEV_PTMX    TTY_MKDEV(5, 2)
#define TTY_DEV_TTY1    TTY_MKDEV(4, 1)      /* the console, as a terminal of its own */
#define PTS_MAJOR       136                  /* /dev/pts/N is (136, N) */

struct tty_driver {
    /* Take up to n bytes of output (already through OPOST): how many it took. */
    uint32_t (*write)(struct tty *t, const uint8_t *s, uint32_t n);
    /* How many bytes write would take now, so that a writer can wait
     * rather than lose output; NULL: always enough (the console). */
    uint32_t (*write_room)(struct tty *t);
    /* Throw away output written but not yet taken by the other end (a pty
     * master's unread bytes: ISIG's and TCOFLUSH's flush). May be NULL. */
    void (*flush_output)(struct tty *t);
    /* termios was set: fix what this kind of terminal cannot change. May be NULL. */
    void (*set_termios)(struct tty *t);
    /* A file of the tty is being opened (0 or -errno), the last one closed. May be NULL. */
    int (*open)(struct tty *t);
    void (*close)(struct tty *t);
    /* The driver's own ioctls, or -TTY_NOIOCTL. May be NULL. */
    long (*ioctl)(struct tty *t, uint32_t cmd, vaddr_t arg);
    bool pty;                      /* a pseudo-terminal: Linux's rules differ a little */
};

struct tty {
    const struct tty_driver *driver;
    int index;                     /* N of /dev/pts/N; 0 for the console */
    bool master;                   /* a pty's master side (/dev/ptmx) */
    struct tty *link;              /* a pty's other side, else NULL */
    struct termios termios;
    struct winsize winsize;

    /* The line discipline's input: a ring of TTY_BUF bytes with three
     * indexes that count up forever (positions are modulo TTY_BUF):
     *   r  the next byte a read takes,
     *   w  the end of what reads may take (in canonical mode: of complete lines),
     *   e  the end of what was received (in canonical mode, w..e is the line
     *      being edited, which ERASE and KILL work on).
     * A set bit in eol marks a byte that ends a line (newline, EOL, EOL2, or
     * the EOF character, which is kept as a NUL byte and never read). */
    uint8_t buf[TTY_BUF];
    uint8_t eol[TTY_BUF / 8];
    uint32_t r, w, e;
    uint32_t column;               /* where output has left the cursor, for echoes */
    uint32_t canon_column;         /* the column the line being edited began at */
    bool lnext;                    /* LNEXT was typed: take the next byte as it is */
    bool stopped;                  /* output stopped: STOP typed (IXON)... */
    bool tco_stopped;              /* ...or tcflow(TCOOFF) */

    /* Job control (drivers/tty_jobctl.c): the session this is the
     * controlling terminal of, and its foreground process group; 0: none. */
    int session;
    int pgrp;

    int opens;                     /* open files of it */
    uint32_t hangups;              /* hangups so far: a file opened before the
                                      last one is hung up (tty.c) */
    bool other_closed;             /* pty: the other side's last file closed */
    bool locked;                   /* pty master: the slave cannot be opened yet */
    char read_wait, write_wait;    /* channels: readers wait for input, writers
                                      for room or for output to restart */
};

/* ---- drivers/tty.c ---- */

/* The console's tty. */
extern struct tty console_tty;
/* Set a new tty's termios to Linux's defaults (tty_std_termios) and its
 * window size to ws; driver and the rest are the caller's. */
void tty_setup(struct tty *t, const struct tty_driver *driver, const struct winsize *ws);
/* Start input: serial receive interrupts and the PS/2 keyboard. */
void tty_init(void);
/* One byte typed on the console, from an interrupt handler (serial or
 * keyboard); a sequence of them (an arrow key's escape sequence). */
void tty_input(char c);
void tty_input_string(const char *s);
/* The file operations of every terminal device: /dev/tty, /dev/console,
 * /dev/ptmx, /dev/pts/N (open tells them apart by the device number). */
extern const struct file_ops tty_ops;
/* The tty behind an open file of tty_ops, or NULL for another kind of file. */
struct tty *tty_of_file(struct file *f);
/* Has f's tty been hung up since f was opened? */
bool tty_file_hung_up(struct file *f);
/* Was f opened as /dev/console? (Never hung up, no SIGTTIN or SIGTTOU.) */
bool tty_file_is_console(struct file *f);
/* Is there input for a read of t (a complete line in canonical mode; VMIN
 * bytes, or any when VTIME is set, in raw mode)? Would a write take a byte
 * now? What poll reports (tty_ops.poll adds POLLHUP and the hung-up case). */
bool tty_readable(struct tty *t);
bool tty_writable(struct tty *t);
/* Wake the sleepers on chan (a tty's read_wait or write_wait) and every
 * poller: what a read or write would do may have changed. */
void tty_wake(char *chan);

/* ---- drivers/tty_ldisc.c ---- */

/* Receive one byte from below (the keyboard, the serial line, a pty's other
 * side): input processing, signals, editing, echo. Never sleeps. */
void ldisc_receive(struct tty *t, uint8_t c);
/* read(2) through the line discipline: n bytes to buf (a user address if
 * user), f's O_NONBLOCK honoured. Bytes moved or -errno. */
long ldisc_read(struct tty *t, struct file *f, void *buf, uint32_t n, bool user);
/* Throw away the input not read yet (TCIFLUSH, ISIG without NOFLSH). */
void ldisc_flush_input(struct tty *t);
/* termios changed from old: switching ICANON on or off re-cuts the input. */
void ldisc_termios_changed(struct tty *t, const struct termios *old);
/* Bytes a read could take now (FIONREAD): in canonical mode, the complete
 * lines, their EOF marks not counted. */
uint32_t ldisc_readable_bytes(struct tty *t);
/* Is there input for a read (a complete line in canonical mode)? */
bool ldisc_input_available(struct tty *t);
/* Room left in the input buffer. */
uint32_t ldisc_room(struct tty *t);
/* Restart output stopped by STOP or TCOOFF. */
void ldisc_start_output(struct tty *t);

/* ---- drivers/tty_output.c ---- */

/* write(2) to a terminal: n bytes from buf (a user address if user)
 * through OPOST, waiting while output is stopped or the driver has no
 * room (unless O_NONBLOCK). Bytes written or -errno. */
long ldisc_write(struct tty *t, struct file *f, const void *buf, uint32_t n, bool user);
/* n bytes to the driver as they are (no OPOST, the column not moved). */
void tty_out_raw(struct tty *t, const char *s, uint32_t n);
/* One byte through OPOST to the driver, the column tracked. */
void tty_out_char(struct tty *t, uint8_t c);
/* Echo typed byte c: with ECHOCTL a control character other than tab
 * and newline shows as ^X. */
void tty_echo_char(struct tty *t, uint8_t c);

/* ---- drivers/tty_ioctl.c ---- */

long tty_ioctl(struct file *f, uint32_t cmd, vaddr_t arg);

/* ---- drivers/tty_jobctl.c ---- */

/* May the caller do something to t that changes it (set termios, flush,
 * write with TOSTOP, read when sig is SIGTTIN)? Linux's tty_check_change:
 * 0 if t is not its controlling terminal or it is in the foreground; else
 * -EIO or the signal sig sent to its process group and -ERESTARTSYS. */
int tty_check_change(struct tty *t, int sig);
/* A file of t was opened (not with O_NOCTTY, not through /dev/tty,
 * /dev/console or /dev/ptmx): a session leader without a controlling
 * terminal gets t, if t has no session. readable: opened for reading. */
void tty_open_ctty(struct tty *t, bool readable);
/* The caller's controlling terminal, or NULL. */
struct tty *tty_current(void);
/* TIOCSCTTY, TIOCNOTTY, TIOCGPGRP, TIOCSPGRP, TIOCGSID on a file of t
 * whose pair's slave (or t itself) is real; or -TTY_NOIOCTL. */
long tty_jobctl_ioctl(struct tty *t, struct tty *real, struct file *f, uint32_t cmd,
                      vaddr_t arg);
/* Send sig to t's foreground process group, if it has one. */
void tty_signal_fg(struct tty *t, int sig);
/* Hang t up (Linux's __tty_hangup): its open files stop working, its
 * session's leader gets SIGHUP and SIGCONT (and the foreground group
 * SIGHUP if exit_session), and it has no session any more. */
void tty_hangup(struct tty *t, bool exit_session);
/* The last open file of t closed: its session's processes lose it. */
void tty_last_close(struct tty *t);
/* t is being freed: no process may keep pointing at it. */
void tty_forget(struct tty *t);
/* The process of group g, a session leader, is ending (Linux's
 * disassociate_ctty(1)): hang up its terminal. */
void tty_session_leader_exit(struct thread_group *g);

/* ---- drivers/pty.c ---- */

/* A new pseudo-terminal (opening /dev/ptmx): its master in *out, locked,
 * with /dev/pts/N made. -ENOSPC when all are taken, -ENOMEM. */
int pty_new(struct tty **out);
/* The slave side of /dev/pts/index, or NULL. */
struct tty *pty_slave(int index);
/* Make /dev/pts (at boot). */
void pty_init(struct inode *dev);

#endif
