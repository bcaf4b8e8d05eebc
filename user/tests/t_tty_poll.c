// t_tty_poll: poll on terminals, through a pseudo-terminal, as Linux's
// n_tty_poll answers: in canonical mode a half-typed line is not readable
// and a complete one is (and ^D alone is: the read returns 0); in raw mode
// with VMIN and no VTIME, fewer than VMIN bytes are not readable, with
// VTIME any byte is; a poll asleep on the slave is woken by the master's
// write; output stopped by ^S is not writable until ^Q; the master sees
// the slave's output as readable and POLLHUP once the slave's last file is
// closed; a hung-up slave is readable, writable, POLLERR and POLLHUP at
// once. Every poll here looks once (timeout 0) after the bytes are known
// to have arrived (their echo read back), or sleeps until a child types.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "pty_common.h"

static char path[64];

// One look at fd: its revents for events (or -1 and errno).
static int look(int fd, short events)
{
    struct pollfd p = { fd, events, 0 };
    int r = poll(&p, 1, 0);
    return r < 0 ? -1 : p.revents;
}

static void check_revents(const char *name, int fd, short events, int expected)
{
    int got = look(fd, events);
    check(got == expected, name, "revents %#x, expected %#x", got, expected);
}

static void set_mode(int s, int canon, int vmin, int vtime)
{
    struct termios t;
    tcgetattr(s, &t);
    if (canon)
        t.c_lflag |= ICANON;
    else
        t.c_lflag &= ~ICANON;
    t.c_cc[VMIN] = (cc_t)vmin;
    t.c_cc[VTIME] = (cc_t)vtime;
    tcsetattr(s, TCSANOW, &t);
}

static void canonical(int s, int m)
{
    check_revents("ptypoll.nothing_typed", s, POLLIN, 0);
    check_revents("ptypoll.slave_writable", s, POLLOUT, POLLOUT);
    pty_type(m, "ab");
    PTY_EXPECT("ptypoll.partial_echo", m, "ab");
    check_revents("ptypoll.partial_line_not_readable", s, POLLIN, 0);
    pty_type(m, "\n");
    PTY_EXPECT("ptypoll.line_echo", m, "\r\n");
    check_revents("ptypoll.line_readable", s, POLLIN, POLLIN);
    char buf[16];
    check_eq("ptypoll.line_read", 3, read(s, buf, sizeof buf));
    check_revents("ptypoll.read_empties", s, POLLIN, 0);
    pty_type(m, "\004");
    for (int i = 0; i < 1000 && look(s, POLLIN) == 0; i++)   // no echo to wait for
        sleep_ms(2);
    check_revents("ptypoll.eof_readable", s, POLLIN, POLLIN);
    check_eq("ptypoll.eof_read", 0, read(s, buf, sizeof buf));
}

static void raw(int s, int m)
{
    set_mode(s, 0, 3, 0);
    pty_type(m, "xy");
    PTY_EXPECT("ptypoll.raw_echo", m, "xy");
    check_revents("ptypoll.below_vmin_not_readable", s, POLLIN, 0);
    pty_type(m, "z");
    PTY_EXPECT("ptypoll.raw_echo_2", m, "z");
    check_revents("ptypoll.vmin_readable", s, POLLIN, POLLIN);
    set_mode(s, 0, 3, 5);
    char buf[16];
    check_eq("ptypoll.vmin_read", 3, read(s, buf, sizeof buf));
    pty_type(m, "q");
    PTY_EXPECT("ptypoll.raw_echo_3", m, "q");
    check_revents("ptypoll.vtime_any_byte_readable", s, POLLIN, POLLIN);
    read(s, buf, sizeof buf);
    set_mode(s, 1, 1, 0);
}

// A poll asleep on the slave wakes when the master writes a line.
static void wakes(int s, int m)
{
    pid_t me = getpid();
    pid_t c = xfork();
    if (c == 0) {
        pty_wait_sleeping(me, 5000);
        pty_type(m, "w\n");
        _exit(0);
    }
    struct pollfd p = { s, POLLIN, 0 };
    long long t0 = mono_ns();
    int r = poll(&p, 1, 20000);
    long ms = (long)((mono_ns() - t0) / 1000000);
    check(r == 1 && p.revents == POLLIN && ms < 10000, "ptypoll.wakes_on_line",
          "poll %d, revents %#x after %ld ms", r, p.revents, ms);
    wait_for(c);
    char buf[16];
    read(s, buf, sizeof buf);
    pty_collect(m, buf, sizeof buf, 3, 2000);   // the echo "w\r\n"
}

// ^S stops the slave's output: not writable until ^Q.
static void flow(int s, int m)
{
    pty_type(m, "\023");
    for (int i = 0; i < 1000 && look(s, POLLOUT) != 0; i++)
        sleep_ms(2);
    check_revents("ptypoll.stopped_not_writable", s, POLLOUT, 0);
    pty_type(m, "\021");
    for (int i = 0; i < 1000 && look(s, POLLOUT) == 0; i++)
        sleep_ms(2);
    check_revents("ptypoll.started_writable", s, POLLOUT, POLLOUT);
}

static void ends(void)
{
    int m = pty_open(path);
    int s = open(path, O_RDWR | O_NOCTTY);
    if (!check(m >= 0 && s >= 0, "ptypoll.open", "%s", strerror(errno)))
        return;
    check_revents("ptypoll.master_nothing", m, POLLIN, 0);
    write(s, "out", 3);
    for (int i = 0; i < 1000 && look(m, POLLIN) == 0; i++)
        sleep_ms(2);
    check_revents("ptypoll.master_readable", m, POLLIN, POLLIN);
    char buf[16];
    pty_collect(m, buf, sizeof buf, 3, 2000);
    close(s);
    check_revents("ptypoll.master_pollhup", m, POLLIN, POLLHUP);

    m = pty_open(path);
    s = open(path, O_RDWR | O_NOCTTY);
    if (!check(m >= 0 && s >= 0, "ptypoll.open_2", "%s", strerror(errno)))
        return;
    close(m);
    check_revents("ptypoll.hung_up_slave", s, POLLIN | POLLOUT,
                  POLLIN | POLLOUT | POLLERR | POLLHUP);
    close(s);
}

static void all(void *arg)
{
    (void)arg;
    alarm(60);
    int m = pty_open(path);
    int s = m < 0 ? -1 : open(path, O_RDWR | O_NOCTTY);
    if (!check(m >= 0 && s >= 0, "ptypoll.pty", "%s", strerror(errno)))
        _exit(1);
    canonical(s, m);
    raw(s, m);
    wakes(s, m);
    flow(s, m);
    close(s);
    close(m);
    ends();
    if (test_failures())
        _exit(1);
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "ptypoll.checks_passed", "%s", status_str(st));
    memfree_check("ptypoll.memfree_restored", before);
    return test_status();
}
