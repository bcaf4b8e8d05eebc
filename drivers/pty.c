/* pty.c: pseudo-terminals, Linux's Unix 98 kind. Opening /dev/ptmx makes
 * a pair of ttys: the master, which that open file is on, and the slave,
 * /dev/pts/N, which a program opens as its terminal (posix_openpt,
 * grantpt, unlockpt, ptsname: musl does them with TIOCGPTN and
 * TIOCSPTLCK). What the slave's programs write, after its line
 * discipline's output processing, is what the master reads; what the
 * master writes is what the slave receives, as if typed: echoed, edited,
 * ^C sending SIGINT to the slave's foreground group.
 *
 * Life cycle, as on Linux:
 *   - /dev/pts/N appears when ptmx is opened; the slave cannot be opened
 *     (EIO) until the master unlocks it;
 *   - when the slave's last file closes, the master reads what is left,
 *     then EIO; the master's writes still go into the slave's input, for
 *     whoever opens the slave next;
 *   - when the master's last file closes, /dev/pts/N goes and the slave is
 *     hung up (its session's leader gets SIGHUP): its reads give end of
 *     file (EIO for one that was waiting), its writes EIO;
 *   - the pair is freed when neither side has an open file left.
 * /dev/pts is a directory of the in-memory /dev whose nodes this file adds
 * and removes (Linux's devpts is a file system of its own).
 */
#include "drivers/tty.h"
#include "fs/fs.h"
#include "kernel/proc.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "lib/format.h"
#include "printk.h"

#define PTY_MAX 64                  /* pseudo-terminals at once */

struct pty {
    struct tty master, slave;
};

static struct pty *ptys[PTY_MAX];   /* by N, while either side is open */
static struct inode *pts_dir;       /* /dev/pts */

static void pts_name(int index, char *buf)
{
    ksnprintf(buf, 12, "%d", index);
}

/* One side's output is the other side's input. A master set to echo what
 * it receives would bounce bytes back and forth for ever; past a few
 * levels of that, the bytes are dropped. */
static uint32_t pty_write(struct tty *t, const uint8_t *s, uint32_t n)
{
    static int depth;
    if (depth > 2)
        return n;
    depth++;
    for (uint32_t i = 0; i < n; i++)
        ldisc_receive(t->link, s[i]);
    depth--;
    return n;
}

/* What this side wrote and the other has not read yet. */
static void pty_flush_output(struct tty *t)
{
    ldisc_flush_input(t->link);
}

static uint32_t pty_write_room(struct tty *t)
{
    return ldisc_room(t->link);
}

/* A pty has no line to set: 8 bits, receiving, no parity, always. */
static void pty_set_termios(struct tty *t)
{
    t->termios.c_cflag &= ~(uint32_t)(CSIZE | PARENB);
    t->termios.c_cflag |= CS8 | CREAD;
}

/* Opening /dev/pts/N: not while locked; it tells the master someone is
 * there again. */
static int pts_open(struct tty *t)
{
    if (t->link->opens == 0 || t->link->locked)
        return -EIO;
    t->link->other_closed = false;
    return 0;
}

static void pty_free_if_unused(struct tty *t)
{
    struct pty *p = ptys[t->index];
    if (p->master.opens || p->slave.opens)
        return;
    tty_forget(&p->master);
    tty_forget(&p->slave);
    ptys[t->index] = 0;
    kfree(p);
}

static void pty_close(struct tty *t)
{
    struct tty *other = t->link;
    other->other_closed = true;
    if (t->master) {
        char name[12];
        pts_name(t->index, name);
        dir_remove_kernel(pts_dir, name);
        tty_hangup(other, false);
    }
    tty_wake(&other->read_wait);
    tty_wake(&other->write_wait);
    pty_free_if_unused(t);
}

/* The master's own requests: its number, and the slave's lock. */
static long ptm_ioctl(struct tty *t, uint32_t cmd, vaddr_t arg)
{
    int v;
    switch (cmd) {
    case TIOCGPTN:
        v = t->index;
        return copy_to_user(arg, &v, sizeof v);
    case TIOCSPTLCK:
        if (copy_from_user(&v, arg, sizeof v) < 0)
            return -EFAULT;
        t->locked = v != 0;
        return 0;
    case TIOCGPTLCK:
        v = t->locked;
        return copy_to_user(arg, &v, sizeof v);
    }
    return -TTY_NOIOCTL;
}

static const struct tty_driver ptm_driver = {
    .write = pty_write,
    .write_room = pty_write_room,
    .flush_output = pty_flush_output,
    .set_termios = pty_set_termios,
    .close = pty_close,
    .ioctl = ptm_ioctl,
    .pty = true,
};

static const struct tty_driver pts_driver = {
    .write = pty_write,
    .write_room = pty_write_room,
    .flush_output = pty_flush_output,
    .set_termios = pty_set_termios,
    .open = pts_open,
    .close = pty_close,
    .pty = true,
};

int pty_new(struct tty **out)
{
    int n = 0;
    while (n < PTY_MAX && ptys[n])
        n++;
    if (n == PTY_MAX)
        return -ENOSPC;
    struct pty *p = kzalloc(sizeof *p);
    if (!p)
        return -ENOMEM;
    /* The slave starts as every terminal does, less HUPCL; the master is
     * raw and never changes (its termios requests are the slave's). */
    tty_setup(&p->slave, &pts_driver, 0);
    p->slave.termios.c_cflag &= ~(uint32_t)HUPCL;
    tty_setup(&p->master, &ptm_driver, 0);
    p->master.termios.c_iflag = 0;
    p->master.termios.c_oflag = 0;
    p->master.termios.c_lflag = 0;
    p->master.termios.c_cflag &= ~(uint32_t)HUPCL;
    p->master.master = true;
    p->master.locked = true;
    p->master.index = p->slave.index = n;
    p->master.link = &p->slave;
    p->slave.link = &p->master;
    char name[12];
    pts_name(n, name);
    int r = devfs_add(pts_dir, name, S_IFCHR | 0620, TTY_MKDEV(PTS_MAJOR, n), &tty_ops);
    if (r < 0) {
        kfree(p);
        return r;
    }
    /* The slave belongs to whoever opened /dev/ptmx (Linux's devpts does
     * the same by default), so that it may open its own terminal. */
    struct inode *node = dir_lookup(pts_dir, name);
    if (node) {
        inode_init_owner(node, 0);
        inode_put(node);
    }
    ptys[n] = p;
    *out = &p->master;
    return 0;
}

struct tty *pty_slave(int index)
{
    if (index < 0 || index >= PTY_MAX || !ptys[index])
        return 0;
    return &ptys[index]->slave;
}

void pty_init(struct inode *dev)
{
    if (dir_create(dev, "pts", S_IFDIR | 0755, &pts_dir) < 0)
        panic("cannot create /dev/pts");
    pts_dir->dev = FS_DEV_DEV;
}
