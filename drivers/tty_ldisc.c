/* tty_ldisc.c: the line discipline, what Linux calls N_TTY: everything a
 * terminal does to the bytes between the device and the programs.
 *
 * Input (ldisc_receive, one byte at a time, from the keyboard's interrupt
 * or a pty master's write): flow control (IXON's STOP and START), signals
 * (ISIG: INTR, QUIT, SUSP), input mapping (ICRNL, INLCR, IGNCR, ISTRIP),
 * then in canonical mode (ICANON) line editing: ERASE, WERASE, KILL,
 * LNEXT, REPRINT, and the line ends (newline, EOL, EOL2, EOF). Echo, if
 * ECHO is on, goes out through the same output path as a program's writes
 * (tty_output.c, which also tracks the cursor's column so that erasing a
 * tab moves back the right amount).
 * Reads (ldisc_read): a line at a time in canonical mode; else by VMIN and
 * VTIME, Linux's four cases.
 *
 * The facts are Linux's (and POSIX's, termios(3)), checked against Linux by
 * user/tests/t_tty*.c; the code is bunshin's own.
 */
#include "drivers/tty.h"
#include "drivers/timer.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "param.h"
#include "lib/string.h"

static bool iflag(struct tty *t, uint32_t f) { return (t->termios.c_iflag & f) != 0; }
static bool lflag(struct tty *t, uint32_t f) { return (t->termios.c_lflag & f) != 0; }

/* Is c the control character c_cc[v]? A c_cc of 0 is disabled, so a NUL
 * byte is never special (Linux's _POSIX_VDISABLE). */
static bool is_char(struct tty *t, uint8_t c, int v)
{
    return c != 0 && c == t->termios.c_cc[v];
}

static bool is_cntrl(uint8_t c)
{
    return c < 32 || c == 127;
}

/* ---- the input ring ---- */

static uint8_t byte_at(struct tty *t, uint32_t i) { return t->buf[i % TTY_BUF]; }

static bool eol_at(struct tty *t, uint32_t i)
{
    i %= TTY_BUF;
    return (t->eol[i / 8] >> (i % 8)) & 1;
}

static void set_eol(struct tty *t, uint32_t i, bool on)
{
    i %= TTY_BUF;
    if (on)
        t->eol[i / 8] |= (uint8_t)(1 << (i % 8));
    else
        t->eol[i / 8] &= (uint8_t)~(1 << (i % 8));
}

static void put(struct tty *t, uint8_t c)
{
    set_eol(t, t->e, false);
    t->buf[t->e % TTY_BUF] = c;
    t->e++;
}

uint32_t ldisc_room(struct tty *t)
{
    /* A canonical line with nowhere to end: what comes is dropped rather
     * than waited for, since nobody can read to make room. */
    if (lflag(t, ICANON) && t->w == t->r)
        return TTY_BUF;
    return TTY_BUF - 1 - (t->e - t->r);
}

/* ---- editing ---- */

enum erase_kind { ERASE, WERASE, KILL };

static bool is_word(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '_';
}

/* Rub a tab out: back to where it began, which depends on what is before
 * it back to the previous tab, or to the line's start (and the column that
 * was at: a prompt). */
static void rub_out_tab(struct tty *t)
{
    uint32_t cols = 0;
    bool after_tab = false;
    for (uint32_t i = t->e; i != t->w;) {
        uint8_t b = byte_at(t, --i);
        if (b == '\t') {
            after_tab = true;
            break;
        }
        if (!is_cntrl(b))
            cols++;
        else if (lflag(t, ECHOCTL))
            cols += 2;
    }
    if (!after_tab)
        cols += t->canon_column;
    uint32_t back = 8 - (cols & 7);
    if (back > t->column)
        back = t->column;
    while (back--) {
        tty_out_raw(t, "\b", 1);
        t->column--;
    }
}

/* Show that b, just taken off the line, is gone. */
static void rub_out(struct tty *t, uint8_t b, uint8_t typed, enum erase_kind kind)
{
    if (kind == ERASE && !lflag(t, ECHOE)) {
        tty_echo_char(t, typed);               /* just show the ERASE character */
        return;
    }
    if (b == '\t') {
        rub_out_tab(t);
        return;
    }
    int cols = !is_cntrl(b) ? 1 : lflag(t, ECHOCTL) ? 2 : 0;
    while (cols--) {
        tty_out_char(t, '\b');
        tty_out_char(t, ' ');
        tty_out_char(t, '\b');
    }
}

/* ERASE takes back one character of the line being edited, WERASE a word
 * (and the blanks after it), KILL the whole line. */
static void erase(struct tty *t, uint8_t typed, enum erase_kind kind)
{
    if (t->e == t->w)
        return;
    if (kind == KILL && (!lflag(t, ECHO) || !lflag(t, ECHOK) || !lflag(t, ECHOKE) ||
                         !lflag(t, ECHOE))) {
        /* Without ECHOKE the line is not rubbed out on the screen: the
         * KILL character shows, then (ECHOK) a new line. */
        t->e = t->w;
        if (lflag(t, ECHO)) {
            tty_echo_char(t, typed);
            if (lflag(t, ECHOK))
                tty_out_char(t, '\n');
        }
        return;
    }
    bool seen_word = false;
    while (t->e != t->w) {
        uint8_t b = byte_at(t, t->e - 1);
        if (kind == WERASE) {
            if (is_word(b))
                seen_word = true;
            else if (seen_word)
                break;
        }
        t->e--;
        if (lflag(t, ECHO))
            rub_out(t, b, typed, kind);
        if (kind == ERASE)
            break;
    }
}

/* A line is complete: c (the newline, EOL, EOL2, or a NUL for EOF) ends
 * it, and reads may take it. */
static void end_line(struct tty *t, uint8_t c)
{
    if (t->e - t->r >= TTY_BUF)
        return;
    put(t, c);
    set_eol(t, t->e - 1, true);
    t->w = t->e;
    tty_wake(&t->read_wait);
}

/* An ordinary byte: echo it and store it. crnl: a newline made from a CR
 * by ICRNL, which echoes as a newline even outside canonical mode (a
 * newline typed as such shows as ^J there). */
static void receive_char(struct tty *t, uint8_t c, bool crnl)
{
    uint32_t limit = lflag(t, ICANON) ? TTY_BUF - 1 : TTY_BUF;
    if (t->e - t->r >= limit)
        return;                             /* full: the byte is lost */
    if (lflag(t, ECHO)) {
        if (crnl) {
            tty_out_char(t, '\n');
        } else {
            if (t->e == t->w)
                t->canon_column = t->column;
            tty_echo_char(t, c);
        }
    }
    put(t, c);
    if (!lflag(t, ICANON)) {
        t->w = t->e;
        tty_wake(&t->read_wait);
    }
}

/* Canonical mode's special characters: true if c was one (and was done). */
static bool canon_special(struct tty *t, uint8_t c)
{
    bool iexten = lflag(t, IEXTEN);
    if (is_char(t, c, VERASE)) {
        erase(t, c, ERASE);
    } else if (is_char(t, c, VKILL)) {
        erase(t, c, KILL);
    } else if (iexten && is_char(t, c, VWERASE)) {
        erase(t, c, WERASE);
    } else if (iexten && is_char(t, c, VLNEXT)) {
        t->lnext = true;
        if (lflag(t, ECHO) && lflag(t, ECHOCTL)) {
            tty_out_char(t, '^');            /* a caret, the cursor back on it */
            tty_out_char(t, '\b');
        }
    } else if (iexten && lflag(t, ECHO) && is_char(t, c, VREPRINT)) {
        tty_echo_char(t, c);
        tty_out_char(t, '\n');
        for (uint32_t i = t->w; i != t->e; i++)
            tty_echo_char(t, byte_at(t, i));
    } else if (c == '\n') {
        if (lflag(t, ECHO) || lflag(t, ECHONL))
            tty_out_char(t, '\n');
        end_line(t, c);
    } else if (is_char(t, c, VEOF)) {
        end_line(t, 0);                     /* not echoed; a NUL marks it */
    } else if (is_char(t, c, VEOL) || (iexten && is_char(t, c, VEOL2))) {
        if (lflag(t, ECHO)) {
            if (t->e == t->w)
                t->canon_column = t->column;
            tty_echo_char(t, c);
        }
        end_line(t, c);
    } else {
        return false;
    }
    return true;
}

/* INTR, QUIT or SUSP: the foreground group gets sig; the input not read
 * yet goes, and so does the output not yet taken (unless NOFLSH: on a pty,
 * the echo of a line typed and interrupted in one go is gone, as on
 * Linux); the character echoes (^C). */
static void signal_char(struct tty *t, int sig, uint8_t c)
{
    if (!lflag(t, NOFLSH)) {
        ldisc_flush_input(t);
        if (t->driver->flush_output)
            t->driver->flush_output(t);
    }
    tty_signal_fg(t, sig);
    if (iflag(t, IXON))
        ldisc_start_output(t);
    if (lflag(t, ECHO))
        tty_echo_char(t, c);
}

void ldisc_receive(struct tty *t, uint8_t c)
{
    if (iflag(t, ISTRIP))
        c &= 0x7F;
    if (t->lnext) {                         /* after LNEXT: taken as it is */
        t->lnext = false;
        receive_char(t, c, false);
        return;
    }
    if (iflag(t, IXON)) {
        if (is_char(t, c, VSTART)) {
            ldisc_start_output(t);
            return;
        }
        if (is_char(t, c, VSTOP)) {
            t->stopped = true;
            return;
        }
    }
    if (lflag(t, ISIG)) {
        int sig = is_char(t, c, VINTR) ? SIGINT : is_char(t, c, VQUIT) ? SIGQUIT :
                  is_char(t, c, VSUSP) ? SIGTSTP : 0;
        if (sig) {
            signal_char(t, sig, c);
            return;
        }
    }
    if (t->stopped && iflag(t, IXON) && iflag(t, IXANY))
        ldisc_start_output(t);
    bool crnl = false;
    if (c == '\r') {
        if (iflag(t, IGNCR))
            return;
        if (iflag(t, ICRNL)) {
            c = '\n';
            crnl = true;
        }
    } else if (c == '\n' && iflag(t, INLCR)) {
        c = '\r';
    }
    if (lflag(t, ICANON) && canon_special(t, c))
        return;
    receive_char(t, c, crnl);
}

void ldisc_flush_input(struct tty *t)
{
    t->r = t->w = t->e;
    t->lnext = false;
    if (t->link)
        tty_wake(&t->link->write_wait);       /* room for the master's writes */
}

void ldisc_start_output(struct tty *t)
{
    if (t->stopped && !t->tco_stopped) {
        t->stopped = false;
        tty_wake(&t->write_wait);
    }
}

/* Switching ICANON re-cuts what is waiting: into canonical mode, all of
 * it becomes one line that a read may take; out of it, the line being
 * edited becomes readable too. */
void ldisc_termios_changed(struct tty *t, const struct termios *old)
{
    if ((old->c_lflag ^ t->termios.c_lflag) & ICANON) {
        memset(t->eol, 0, sizeof t->eol);
        if (lflag(t, ICANON) && t->e != t->r)
            set_eol(t, t->e - 1, true);
        t->w = t->e;
        t->lnext = false;
    }
    if ((old->c_iflag & IXON) && !iflag(t, IXON))
        ldisc_start_output(t);
    tty_wake(&t->read_wait);
}

bool ldisc_input_available(struct tty *t)
{
    return t->w != t->r;
}

uint32_t ldisc_readable_bytes(struct tty *t)
{
    uint32_t n = t->w - t->r;
    if (lflag(t, ICANON))
        for (uint32_t i = t->r; i != t->w; i++)
            if (eol_at(t, i) && byte_at(t, i) == 0)
                n--;                        /* an EOF mark is not read */
    return n;
}

/* ---- reading ---- */

/* Copy n bytes of the ring from index from to dst (a user address if user). */
static int copy_out(struct tty *t, uint8_t *dst, uint32_t from, uint32_t n, bool user)
{
    while (n > 0) {
        uint32_t at = from % TTY_BUF;
        uint32_t chunk = n < TTY_BUF - at ? n : TTY_BUF - at;
        if (user) {
            if (copy_to_user((vaddr_t)dst, t->buf + at, chunk) < 0)
                return -EFAULT;
        } else {
            memcpy(dst, t->buf + at, chunk);
        }
        dst += chunk;
        from += chunk;
        n -= chunk;
    }
    return 0;
}

/* Canonical mode: up to room bytes of the first line. Its end is read
 * with it, except an EOF mark, which is taken but not given. */
static long read_line(struct tty *t, uint8_t *dst, uint32_t room, bool user)
{
    uint32_t end = t->r;
    while (end != t->w && !eol_at(t, end))
        end++;
    uint32_t len = (end != t->w ? end + 1 : t->w) - t->r;
    uint32_t take = len < room ? len : room;
    uint32_t give = take;
    if (take == len && end != t->w && byte_at(t, end) == 0)
        give--;
    if (copy_out(t, dst, t->r, give, user) < 0)
        return -EFAULT;
    t->r += take;
    return give;
}

static bool tick_passed(uint64_t tick)
{
    return timer_ticks() >= tick;
}

/* read(2). In canonical mode: wait for a line, give one line. Else, as
 * Linux does with VMIN and VTIME (in tenths of a second):
 *   MIN > 0, TIME > 0: wait for a first byte, then until MIN bytes or
 *                      until TIME passes with no new byte;
 *   MIN > 0, TIME = 0: wait for MIN bytes;
 *   MIN = 0, TIME > 0: wait at most TIME for any byte;
 *   MIN = 0, TIME = 0: take what is there, maybe nothing.
 * A read that has some bytes returns them even if a signal comes; one
 * that has none returns -ERESTARTSYS, so that SA_RESTART restarts it. */
long ldisc_read(struct tty *t, struct file *f, void *buf, uint32_t n, bool user)
{
    /* Job control first; a file of /dev/console is spared it (Linux's
     * job_control()). */
    int r = tty_file_is_console(f) ? 0 : tty_check_change(t, SIGTTIN);
    if (r)
        return r;
    bool canon = lflag(t, ICANON);
    uint32_t minimum = 0, inter = 0;       /* inter: TIME between bytes, in ticks */
    uint64_t deadline = 0;                 /* a tick to stop waiting at; 0: none */
    bool timed_out = false;
    if (!canon) {
        uint32_t vmin = t->termios.c_cc[VMIN];
        uint32_t vtime = t->termios.c_cc[VTIME] * (HZ / 10);
        if (vmin) {
            minimum = vmin;
            inter = vtime;
        } else {
            minimum = 1;
            if (vtime == 0)
                timed_out = true;          /* do not wait at all */
            else
                deadline = timer_ticks() + vtime;
        }
    }
    uint32_t got = 0;
    long err = 0;
    while (got < n) {
        if (!ldisc_input_available(t)) {
            if (t->other_closed) {
                err = -EIO;                /* a pty whose other side is gone */
                break;
            }
            if (tty_file_hung_up(f))
                break;
            if (timed_out)
                break;
            if (f->flags & O_NONBLOCK) {
                err = -EAGAIN;
                break;
            }
            if (signal_pending(current_proc())) {
                err = -ERESTARTSYS;
                break;
            }
            sleep_on_until(&t->read_wait, deadline);
            if (deadline && !ldisc_input_available(t) && tick_passed(deadline))
                timed_out = true;
            continue;
        }
        if (canon) {
            long k = read_line(t, (uint8_t *)buf + got, n - got, user);
            if (k < 0) {
                err = k;
                break;
            }
            got += (uint32_t)k;
            break;                         /* one line a read */
        }
        uint32_t k = t->w - t->r;
        if (k > n - got)
            k = n - got;
        if (copy_out(t, (uint8_t *)buf + got, t->r, k, user) < 0) {
            err = -EFAULT;
            break;
        }
        t->r += k;
        got += k;
        if (got >= minimum)
            break;
        if (inter) {
            deadline = timer_ticks() + inter;   /* TIME runs again from each byte */
        }
    }
    if (t->link)
        tty_wake(&t->link->write_wait);       /* room for the other side's writes */
    return got ? (long)got : err;
}
