/* tty.c: the terminal object and what the file system sees of it: open,
 * read, write and close of /dev/tty, /dev/console, /dev/tty1, /dev/ptmx
 * and /dev/pts/N. The work is done by the line discipline (tty_ldisc.c), the
 * ioctls (tty_ioctl.c) and job control (tty_jobctl.c).
 *
 * An open file of a terminal remembers which tty it is on and how many
 * hangups that tty had when it was opened. A hangup (the session leader
 * left, the pty master closed) counts one more, and every file opened
 * before it is "hung up" for good, as Linux's hung_up_tty_fops make it:
 * read gives end of file, write and most ioctls EIO. Files opened after
 * the hangup work again, and so do the files of /dev/console.
 *
 * The console has two names, as on Linux: /dev/console, the kernel's
 * console, whose files are never hung up, never acquire it as a
 * controlling terminal and are spared job control's SIGTTIN and SIGTTOU
 * (a program started by the kernel may use it whatever its session); and
 * /dev/tty1, the terminal itself, which a session opens to have it as its
 * controlling terminal, with job control (init does, for the shell).
 */
#include "drivers/tty.h"
#include "drivers/console.h"
#include "drivers/keyboard.h"
#include "drivers/serial.h"
#include "fs/file.h"
#include "fs/poll.h"
#include "kernel/proc.h"
#include "mm/kheap.h"
#include "linux/errno.h"
#include "linux/fcntl.h"
#include "lib/string.h"

/* What an open file of a terminal keeps (its struct file's priv). */
struct tty_file {
    struct tty *tty;
    uint32_t hangups;              /* the tty's count of hangups at open */
    bool console;                  /* opened as /dev/console (see above) */
};

struct tty console_tty;

/* The console's output: the serial line and the screen, bytes as they
 * are (the line discipline has already turned \n into \r\n if ONLCR). */
static uint32_t console_tty_write(struct tty *t, const uint8_t *s, uint32_t n)
{
    (void)t;
    console_put((const char *)s, n);
    return n;
}

static const struct tty_driver console_driver = {
    .write = console_tty_write,
};

/* Linux's tty_std_termios: what every terminal starts with. */
void tty_setup(struct tty *t, const struct tty_driver *driver, const struct winsize *ws)
{
    struct termios *tio = &t->termios;
    memset(tio, 0, sizeof *tio);
    tio->c_iflag = ICRNL | IXON;
    tio->c_oflag = OPOST | ONLCR;
    tio->c_cflag = B38400 | CS8 | CREAD | HUPCL;
    tio->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    tio->c_cc[VINTR] = 0x03;               /* ^C */
    tio->c_cc[VQUIT] = 0x1C;               /* ^\ */
    tio->c_cc[VERASE] = 0x7F;              /* DEL, what the Backspace key sends */
    tio->c_cc[VKILL] = 0x15;               /* ^U */
    tio->c_cc[VEOF] = 0x04;                /* ^D */
    tio->c_cc[VTIME] = 0;
    tio->c_cc[VMIN] = 1;
    tio->c_cc[VSTART] = 0x11;              /* ^Q */
    tio->c_cc[VSTOP] = 0x13;               /* ^S */
    tio->c_cc[VSUSP] = 0x1A;               /* ^Z */
    tio->c_cc[VREPRINT] = 0x12;            /* ^R */
    tio->c_cc[VDISCARD] = 0x0F;            /* ^O */
    tio->c_cc[VWERASE] = 0x17;             /* ^W */
    tio->c_cc[VLNEXT] = 0x16;              /* ^V */
    t->driver = driver;
    if (ws)
        t->winsize = *ws;
}

struct tty *tty_of_file(struct file *f)
{
    if (f->ops != &tty_ops || !f->priv)
        return 0;
    return ((struct tty_file *)f->priv)->tty;
}

/* A file opened as /dev/console is not hung up, as on Linux (its files are
 * not the tty's own): init's descriptors outlive the session that had the
 * console as its terminal. */
bool tty_file_hung_up(struct file *f)
{
    struct tty_file *tf = f->priv;
    return !tf->console && tf->hangups != tf->tty->hangups;
}

bool tty_file_is_console(struct file *f)
{
    return ((struct tty_file *)f->priv)->console;
}

/* open(2) of a terminal device: find the tty the device number means,
 * let its driver agree, and make it the caller's controlling terminal if
 * Linux would (tty_jobctl.c decides). */
static int tty_open(struct file *f)
{
    uint32_t rdev = f->inode->rdev;
    bool noctty = (f->flags & O_NOCTTY) != 0;
    struct tty *t;
    struct tty_file *tf = kmalloc(sizeof *tf);
    if (!tf)
        return -ENOMEM;
    int r = 0;
    if (rdev == TTY_DEV_TTY) {
        t = tty_current();                 /* /dev/tty: our own terminal */
        noctty = true;
        if (!t)
            r = -ENXIO;
    } else if (rdev == TTY_DEV_CONSOLE) {
        t = &console_tty;
        noctty = true;                     /* never acquired by opening, as on Linux */
    } else if (rdev == TTY_DEV_TTY1) {
        t = &console_tty;                  /* the same terminal, by its own name */
    } else if (rdev == TTY_DEV_PTMX) {
        r = pty_new(&t);                   /* a new pseudo-terminal's master */
        noctty = true;
    } else if ((rdev >> 8) == PTS_MAJOR) {
        t = pty_slave((int)(rdev & 0xFF));
        if (!t)
            r = -EIO;
    } else {
        r = -ENXIO;
    }
    if (r == 0 && t->driver->open)
        r = t->driver->open(t);
    if (r < 0) {
        kfree(tf);
        return r;
    }
    t->opens++;
    tf->tty = t;
    tf->hangups = t->hangups;
    tf->console = rdev == TTY_DEV_CONSOLE;
    f->priv = tf;
    if (!noctty)
        tty_open_ctty(t, (f->flags & O_ACCMODE) != O_WRONLY);
    return 0;
}

/* The last descriptor of an open file is closed. The driver hears of the
 * tty's last file (a pty's side closing); it may free the tty. */
static void tty_release(struct file *f)
{
    struct tty_file *tf = f->priv;
    struct tty *t = tf->tty;
    kfree(tf);
    f->priv = 0;
    if (--t->opens == 0 && t->driver->close)
        t->driver->close(t);
}

/* read(2): a hung-up file reads end of file, as on Linux. */
static long tty_read(struct file *f, void *buf, uint32_t n, bool user)
{
    if (tty_file_hung_up(f))
        return 0;
    return ldisc_read(tty_of_file(f), f, buf, n, user);
}

static long tty_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    if (tty_file_hung_up(f))
        return -EIO;
    return ldisc_write(tty_of_file(f), f, buf, n, user);
}

/* Linux's input_available_p as poll asks it: in non-canonical mode with
 * VMIN > 0 and no VTIME, a read waits for VMIN bytes, so fewer are not
 * "readable" yet. */
bool tty_readable(struct tty *t)
{
    const struct termios *tio = &t->termios;
    if (!(tio->c_lflag & ICANON) && tio->c_cc[VTIME] == 0 && tio->c_cc[VMIN] > 0)
        return t->w - t->r >= tio->c_cc[VMIN];
    return ldisc_input_available(t);
}

bool tty_writable(struct tty *t)
{
    if (t->stopped)
        return false;
    return !t->driver->write_room || t->driver->write_room(t) >= 2;
}

void tty_wake(char *chan)
{
    wakeup(chan);
    poll_wake();
}

/* poll(2), as Linux's n_tty_poll: readable by tty_readable, POLLHUP once the
 * other side of a pty has closed, writable by tty_writable; a hung-up file
 * is everything at once (hung_up_tty_poll). */
static uint32_t tty_poll(struct file *f)
{
    if (tty_file_hung_up(f))
        return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLERR | POLLHUP;
    struct tty *t = tty_of_file(f);
    uint32_t mask = 0;
    if (tty_readable(t))
        mask |= POLLIN | POLLRDNORM;
    if (t->other_closed)
        mask |= POLLHUP;
    if (tty_writable(t))
        mask |= POLLOUT | POLLWRNORM;
    return mask;
}

const struct file_ops tty_ops = {
    .read = tty_read,
    .write = tty_write,
    .ioctl = tty_ioctl,
    .poll = tty_poll,
    .open = tty_open,
    .release = tty_release,
};

/* Console input, from the keyboard's and the serial line's interrupts. */
void tty_input(char c)
{
    ldisc_receive(&console_tty, (uint8_t)c);
}

void tty_input_string(const char *s)
{
    while (*s)
        tty_input(*s++);
}

/* The console's tty is set up before input is turned on, so that the
 * bytes the keyboard and the serial line already hold (typed before the
 * kernel was ready) find it and are not lost. */
void tty_init(void)
{
    static const struct winsize vga_size = { 25, 80, 0, 0 };
    tty_setup(&console_tty, &console_driver, &vga_size);
    serial_enable_input();
    keyboard_init();
}
