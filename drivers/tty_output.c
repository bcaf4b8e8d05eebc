/* tty_output.c: the terminal's output side. Every byte a program writes
 * to a terminal, and every echo of a typed one, goes through OPOST's
 * mapping here (ONLCR, OCRNL, ONOCR, ONLRET, OLCUC, XTABS) on its way to
 * the driver (the console's screen and serial line, or a pty's other
 * side). The column the cursor is left at is tracked, so that the line
 * discipline (tty_ldisc.c) knows how far back to move when a tab is
 * erased. write(2) waits here while output is stopped (^S, tcflow) or the
 * other side of a pty has no room.
 */
#include "drivers/tty.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "lib/string.h"

static bool oflag(struct tty *t, uint32_t f) { return (t->termios.c_oflag & f) != 0; }
static bool lflag(struct tty *t, uint32_t f) { return (t->termios.c_lflag & f) != 0; }

static bool is_cntrl(uint8_t c)
{
    return c < 32 || c == 127;
}

/* Hand bytes to the driver; a full pty just loses echoes. */
void tty_out_raw(struct tty *t, const char *s, uint32_t n)
{
    t->driver->write(t, (const uint8_t *)s, n);
}

/* One byte of output through OPOST, keeping track of the column. */
void tty_out_char(struct tty *t, uint8_t c)
{
    if (!oflag(t, OPOST)) {
        tty_out_raw(t, (const char *)&c, 1);
        return;
    }
    switch (c) {
    case '\n':
        if (oflag(t, ONLRET))
            t->column = 0;
        if (oflag(t, ONLCR)) {
            t->canon_column = t->column = 0;
            tty_out_raw(t, "\r\n", 2);
            return;
        }
        t->canon_column = t->column;
        break;
    case '\r':
        if (oflag(t, ONOCR) && t->column == 0)
            return;                         /* already at the start of a line */
        if (oflag(t, OCRNL)) {
            c = '\n';
            if (oflag(t, ONLRET))
                t->canon_column = t->column = 0;
            break;
        }
        t->canon_column = t->column = 0;
        break;
    case '\t': {
        uint32_t spaces = 8 - (t->column & 7);
        t->column += spaces;
        if ((t->termios.c_oflag & TABDLY) == XTABS) {
            tty_out_raw(t, "        ", spaces);
            return;
        }
        break;
    }
    case '\b':
        if (t->column > 0)
            t->column--;
        break;
    default:
        if (!is_cntrl(c)) {
            if (oflag(t, OLCUC) && c >= 'a' && c <= 'z')
                c = (uint8_t)(c - 'a' + 'A');
            t->column++;
        }
        break;
    }
    tty_out_raw(t, (const char *)&c, 1);
}

/* How many bytes output_char will send for c. */
static uint32_t output_size(struct tty *t, uint8_t c)
{
    if (!oflag(t, OPOST))
        return 1;
    if (c == '\n' && oflag(t, ONLCR))
        return 2;
    if (c == '\t' && (t->termios.c_oflag & TABDLY) == XTABS)
        return 8;
    return 1;
}

/* Echo c as a program would see it shown: with ECHOCTL a control
 * character other than tab and newline shows as ^X (DEL as ^?). */
void tty_echo_char(struct tty *t, uint8_t c)
{
    if (lflag(t, ECHOCTL) && is_cntrl(c) && c != '\t') {
        char two[2] = { '^', (char)(c ^ 0x40) };
        tty_out_raw(t, two, 2);
        t->column += 2;
        return;
    }
    tty_out_char(t, c);
}

/* ---- writing ---- */

/* write(2): through OPOST to the driver, a byte at a time, waiting for
 * room (a pty whose reader is behind) and while output is stopped (^S). */
long ldisc_write(struct tty *t, struct file *f, const void *buf, uint32_t n, bool user)
{
    if (lflag(t, TOSTOP) && !tty_file_is_console(f)) {   /* as a read's check */
        int r = tty_check_change(t, SIGTTOU);
        if (r)
            return r;
    }
    uint8_t kbuf[256];
    uint32_t done = 0;
    while (done < n) {
        uint32_t chunk = n - done < sizeof kbuf ? n - done : sizeof kbuf;
        if (user) {
            if (copy_from_user(kbuf, (vaddr_t)buf + done, chunk) < 0)
                return done ? (long)done : -EFAULT;
        } else {
            memcpy(kbuf, (const uint8_t *)buf + done, chunk);
        }
        for (uint32_t k = 0; k < chunk; k++) {
            for (;;) {
                if (tty_file_hung_up(f))
                    return done ? (long)done : -EIO;
                bool room = !t->driver->write_room ||
                            t->driver->write_room(t) >= output_size(t, kbuf[k]);
                if (!t->stopped && room)
                    break;
                if (f->flags & O_NONBLOCK)
                    return done ? (long)done : -EAGAIN;
                if (signal_pending(current_proc()))
                    return done ? (long)done : -ERESTARTSYS;
                sleep_on(&t->write_wait);
            }
            tty_out_char(t, kbuf[k]);
            done++;
        }
    }
    return done;
}
