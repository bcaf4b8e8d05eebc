/* tty_ioctl.c: the ioctls of a terminal, in Linux's layers: the ones of
 * every tty (window size, break), job control (tty_jobctl.c), the
 * driver's own (a pty master's TIOCGPTN...), then the line discipline's
 * (termios, flushing, flow control, FIONREAD). Each layer answers
 * -TTY_NOIOCTL for what is not its own; what no layer knows is ENOTTY.
 *
 * On a pty master, the termios, window size and job-control requests are
 * about the slave (the "real" tty), as on Linux: the master's own
 * settings are fixed (raw) and never seen.
 */
#include "drivers/tty.h"
#include "fs/file.h"
#include "kernel/signal.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "lib/string.h"

static long put_int(vaddr_t arg, int v)
{
    return copy_to_user(arg, &v, sizeof v);
}

/* TCSETS, TCSETSW, TCSETSF: a background process gets SIGTTOU first.
 * Output is never queued below the line discipline here, so TCSETSW has
 * nothing to wait for; TCSETSF throws away the unread input. */
static long set_termios(struct tty *t, uint32_t cmd, vaddr_t arg)
{
    int r = tty_check_change(t, SIGTTOU);
    if (r)
        return r;
    struct termios nt;
    if (copy_from_user(&nt, arg, sizeof nt) < 0)
        return -EFAULT;
    if (cmd == TCSETSF)
        ldisc_flush_input(t);
    struct termios old = t->termios;
    t->termios = nt;
    if (t->driver->set_termios)
        t->driver->set_termios(t);
    ldisc_termios_changed(t, &old);
    return 0;
}

/* TIOCSWINSZ: a new size is news for the foreground group (SIGWINCH). */
static long set_winsize(struct tty *real, vaddr_t arg)
{
    struct winsize ws;
    if (copy_from_user(&ws, arg, sizeof ws) < 0)
        return -EFAULT;
    if (memcmp(&ws, &real->winsize, sizeof ws) == 0)
        return 0;
    real->winsize = ws;
    if (real->link)
        real->link->winsize = ws;
    tty_signal_fg(real, SIGWINCH);
    return 0;
}

/* tcflow: TCOOFF and TCOON stop and restart output; TCIOFF and TCION
 * send the STOP and START characters to the other end. */
static long flow(struct tty *t, uint32_t arg)
{
    int r = tty_check_change(t, SIGTTOU);
    if (r)
        return r;
    uint8_t c;
    switch (arg) {
    case TCOOFF:
        t->tco_stopped = t->stopped = true;
        return 0;
    case TCOON:
        if (t->tco_stopped) {
            t->tco_stopped = false;
            ldisc_start_output(t);
        }
        return 0;
    case TCIOFF:
    case TCION:
        c = t->termios.c_cc[arg == TCIOFF ? VSTOP : VSTART];
        if (c)
            t->driver->write(t, &c, 1);
        return 0;
    }
    return -EINVAL;
}

/* tcflush: the input not read yet, the output not taken yet (a pty's). */
static long flush(struct tty *t, uint32_t arg)
{
    int r = tty_check_change(t, SIGTTOU);
    if (r)
        return r;
    switch (arg) {
    case TCIFLUSH:
    case TCIOFLUSH:
        ldisc_flush_input(t);
        break;
    case TCOFLUSH:
        break;
    default:
        return -EINVAL;
    }
    if (arg != TCIFLUSH && t->driver->flush_output)
        t->driver->flush_output(t);
    return 0;
}

long tty_ioctl(struct file *f, uint32_t cmd, vaddr_t arg)
{
    struct tty *t = tty_of_file(f);
    if (tty_file_hung_up(f))
        return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
    struct tty *real = t->master ? t->link : t;
    long r;
    switch (cmd) {
    case TCSBRK:
        /* tcdrain and tcsendbreak: nothing is queued, no line to break. */
        return tty_check_change(t, SIGTTOU);
    case TIOCGWINSZ:
        return copy_to_user(arg, &real->winsize, sizeof real->winsize);
    case TIOCSWINSZ:
        return set_winsize(real, arg);
    }
    if ((r = tty_jobctl_ioctl(t, real, f, cmd, arg)) != -TTY_NOIOCTL)
        return r;
    if (t->driver->ioctl && (r = t->driver->ioctl(t, cmd, arg)) != -TTY_NOIOCTL)
        return r;
    switch (cmd) {
    case TIOCOUTQ:
        return put_int(arg, 0);            /* output goes out at once */
    case FIONREAD:
        return put_int(arg, (int)ldisc_readable_bytes(t));
    case TCXONC:
        return flow(t, arg);
    case TCFLSH:
        return flush(t, arg);
    case TCGETS:
        return copy_to_user(arg, &real->termios, sizeof real->termios);
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
        return set_termios(real, cmd, arg);
    }
    return -ENOTTY;
}
