/* tty.c: the line discipline between the keyboard/serial line and programs.
 *
 * In canonical mode (the only one so far) characters collect in an edit
 * buffer as they are typed, echoed to the screen, and a program's read sees
 * nothing until Enter completes the line. The buffer is a ring with three
 * indexes, all counting up forever (taken modulo its size):
 *     r  the next character a read will take
 *     w  the end of the completed lines (what reads may take)
 *     e  the end of the line being edited (erase works between w and e)
 */
#include "drivers/tty.h"
#include "drivers/console.h"
#include "drivers/keyboard.h"
#include "kernel/proc.h"
#include "drivers/serial.h"
#include "fs/file.h"
#include "fs/poll.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/termios.h"
#include "lib/string.h"

#define TTY_BUF 1024
#define CTRL(c) ((c) - '@')

static struct {
    char buf[TTY_BUF];
    uint32_t r, w, e;
} in;

static void echo(const char *s, size_t n)
{
    console_write(s, n);
}

void tty_input(char c)
{
    switch (c) {
    case CTRL('U'):                          /* kill the line being typed */
        while (in.e != in.w && in.buf[(in.e - 1) % TTY_BUF] != '\n') {
            in.e--;
            echo("\b \b", 3);
        }
        break;
    case '\b':
    case 0x7F:                               /* erase one character */
        if (in.e != in.w) {
            in.e--;
            echo("\b \b", 3);
        }
        break;
    case CTRL('C'):                          /* interrupt: drop the line */
        echo("^C\n", 3);
        in.e = in.w;
        break;
    case CTRL('D'):                          /* end of file: finish the line as is */
        if (in.e - in.r < TTY_BUF) {
            in.buf[in.e++ % TTY_BUF] = CTRL('D');
            in.w = in.e;
            wakeup(&in.r);
            poll_wake();
        }
        break;
    default:
        if (c == '\r')
            c = '\n';
        if (in.e - in.r >= TTY_BUF - 1 && c != '\n')
            break;                           /* full: keep room for the newline */
        in.buf[in.e++ % TTY_BUF] = c;
        echo(&c, 1);
        if (c == '\n') {
            in.w = in.e;
            wakeup(&in.r);
            poll_wake();
        }
        break;
    }
}

/* read(2) on the console: wait for a complete line, return up to n bytes of
 * it. ^D at the start of a line gives 0 bytes: end of file. */
static long tty_read(struct file *f, void *buf, uint32_t n, bool user)
{
    (void)f;
    while (in.r == in.w) {
        if (signal_pending(current_proc()))
            return -ERESTARTSYS;
        sleep_on(&in.r);
    }
    char kbuf[TTY_BUF];
    uint32_t got = 0;
    while (got < n && in.r != in.w) {
        char c = in.buf[in.r % TTY_BUF];
        if (c == CTRL('D')) {
            if (got == 0)
                in.r++;                      /* ^D alone: consume it, report EOF */
            break;                           /* else: leave it for the next read */
        }
        in.r++;
        kbuf[got++] = c;
        if (c == '\n')
            break;
    }
    if (user) {
        if (copy_to_user((vaddr_t)buf, kbuf, got) < 0)
            return -EFAULT;
    } else {
        memcpy(buf, kbuf, got);
    }
    return got;
}

static long tty_write(struct file *f, const void *buf, uint32_t n, bool user)
{
    (void)f;
    if (!user) {
        console_write(buf, n);
        return n;
    }
    char kbuf[256];
    uint32_t done = 0;
    while (done < n) {
        uint32_t chunk = n - done < sizeof kbuf ? n - done : sizeof kbuf;
        if (copy_from_user(kbuf, (vaddr_t)buf + done, chunk) < 0)
            return done ? (long)done : -EFAULT;
        console_write(kbuf, chunk);
        done += chunk;
    }
    return done;
}

/* poll: readable once a line (or a ^D) is complete, as read then returns
 * at once; output never waits. */
static uint32_t tty_poll(struct file *f)
{
    (void)f;
    uint32_t mask = POLLOUT | POLLWRNORM;
    if (in.r != in.w)
        mask |= POLLIN | POLLRDNORM;
    return mask;
}

static long tty_ioctl(struct file *f, uint32_t cmd, vaddr_t arg)
{
    (void)f;
    if (cmd == TCGETS) {
        /* What this line discipline does, in termios terms: ICRNL in input,
         * OPOST|ONLCR in output, 8 bits, ISIG|ICANON|ECHO|ECHOE|ECHOK. */
        struct termios t;
        memset(&t, 0, sizeof t);
        t.c_iflag = ICRNL;
        t.c_oflag = OPOST | ONLCR;
        t.c_cflag = CS8 | CREAD;
        t.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK;
        t.c_cc[VINTR] = CTRL('C');
        t.c_cc[VERASE] = 0x7F;
        t.c_cc[VKILL] = CTRL('U');
        t.c_cc[VEOF] = CTRL('D');
        t.c_cc[VMIN] = 1;
        return copy_to_user(arg, &t, sizeof t);
    }
    if (cmd == TIOCGWINSZ) {
        struct winsize ws = { 25, 80, 0, 0 };
        return copy_to_user(arg, &ws, sizeof ws);
    }
    return -ENOTTY;
}

const struct file_ops tty_ops = {
    .read = tty_read,
    .write = tty_write,
    .ioctl = tty_ioctl,
    .poll = tty_poll,
};

void tty_init(void)
{
    serial_enable_input();
    keyboard_init();
}
