// t_tty: a terminal's settings and line discipline, through a
// pseudo-terminal: what the master writes is "typed" on the slave, and
// what the slave's line discipline echoes or writes is what the master
// reads, byte for byte as Linux produces it. Checked: the default termios,
// /dev/ptmx and /dev/pts/N (device numbers, the lock, the node going away),
// canonical editing (ERASE of characters, control characters and tabs,
// WERASE, KILL, REPRINT, LNEXT, EOF, EOL) and its echoes, ^C's echo and
// flush, input and output mapping (ICRNL, INLCR, IGNCR, ISTRIP, OPOST,
// ONLCR, OCRNL), the four VMIN/VTIME cases, switching ICANON with input
// waiting, flushing, FIONREAD, STOP/START and tcflow (a write they hold
// fails with EINTR when a signal comes), the window size, the
// ends of a pty (slave closed: master reads EIO; master closed: the slave
// is hung up), and MemFree back where it started once the ptys are gone.
//
// Job control (the controlling terminal, signals to the foreground
// group, SIGTTIN/SIGTTOU, hangups) is t_tty_jobctl's.
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "pty_common.h"

static char path[64];

// The slave's line: blocking read of up to n bytes.
static long sread(int s, char *buf, size_t n)
{
    ssize_t r = read(s, buf, n);
    if (r >= 0)
        buf[r] = 0;
    return r < 0 ? -errno : r;
}

static void check_read(const char *name, int s, const char *expected)
{
    char buf[256];
    long r = sread(s, buf, sizeof buf - 1);
    if (r < 0)
        fail(name, "read: %s", errname((int)-r));
    else if ((size_t)r != strlen(expected) || memcmp(buf, expected, (size_t)r) != 0)
        fail(name, "expected \"%s\", got \"%s\"", pty_show(expected, strlen(expected)),
             pty_show(buf, (size_t)r));
    else
        ok(name);
}

// Wait (up to 2 s) until the slave s has at least n bytes to read: on
// Linux what the master writes arrives a moment later.
static void wait_input(int s, int n)
{
    for (int i = 0; i < 1000; i++) {
        int have = 0;
        if (ioctl(s, FIONREAD, &have) < 0 || have >= n)
            return;
        sleep_ms(2);
    }
}

static int open_pair(int *s)
{
    int m = pty_open(path);
    if (m < 0) {
        fail("tty.open", "posix_openpt/grantpt/unlockpt: %s", strerror(errno));
        return -1;
    }
    *s = open(path, O_RDWR | O_NOCTTY);
    if (*s < 0) {
        fail("tty.open_slave", "%s: %s", path, strerror(errno));
        close(m);
        return -1;
    }
    return m;
}

static void devices(void)
{
    struct stat st;
    if (check(stat("/dev/ptmx", &st) == 0, "tty.ptmx_exists", "%s", strerror(errno))) {
        check(S_ISCHR(st.st_mode), "tty.ptmx_is_char", "mode %o", st.st_mode);
        check(major(st.st_rdev) == 5 && minor(st.st_rdev) == 2, "tty.ptmx_rdev",
              "%u,%u", major(st.st_rdev), minor(st.st_rdev));
    }
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (!check(m >= 0, "tty.posix_openpt", "%s", strerror(errno)))
        return;
    unsigned n = 999;
    check_eq("tty.tiocgptn", 0, ioctl(m, TIOCGPTN, &n));
    char name[64];
    snprintf(name, sizeof name, "/dev/pts/%u", n);
    check_str("tty.ptsname", name, ptsname(m));
    if (check(stat(name, &st) == 0, "tty.pts_node_exists", "%s", strerror(errno)))
        check(major(st.st_rdev) == 136 && minor(st.st_rdev) == n, "tty.pts_rdev", "%u,%u",
              major(st.st_rdev), minor(st.st_rdev));
    int lk = 0;
    check(ioctl(m, TIOCGPTLCK, &lk) == 0 && lk == 1, "tty.starts_locked", "lock %d", lk);
    check_errno("tty.locked_open_eio", open(name, O_RDWR | O_NOCTTY), EIO);
    check_eq("tty.unlockpt", 0, unlockpt(m));
    int s = open(name, O_RDWR | O_NOCTTY);
    check(s >= 0, "tty.unlocked_open", "%s", strerror(errno));
    check_errno("tty.slave_tiocgptn_enotty", ioctl(s, TIOCGPTN, &n), ENOTTY);
    check(isatty(s) && isatty(m), "tty.isatty", "slave %d master %d", isatty(s), isatty(m));
    int p[2];
    if (pipe(p) == 0) {
        struct termios t;
        check_errno("tty.pipe_tcgetattr_enotty", tcgetattr(p[0], &t), ENOTTY);
        close(p[0]);
        close(p[1]);
    }
    close(s);
    close(m);
    check_errno("tty.node_gone_with_master", stat(name, &st), ENOENT);
}

static void defaults(int s, int m)
{
    struct termios t;
    if (!check(tcgetattr(s, &t) == 0, "tty.tcgetattr", "%s", strerror(errno)))
        return;
    check_eq("tty.default_iflag", ICRNL | IXON, t.c_iflag);
    check_eq("tty.default_oflag", OPOST | ONLCR, t.c_oflag);
    check_eq("tty.default_cflag", B38400 | CS8 | CREAD, t.c_cflag);
    check_eq("tty.default_lflag",
             ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN, t.c_lflag);
    static const struct { int v; int c; const char *name; } cc[] = {
        { VINTR, 3, "intr" }, { VQUIT, 034, "quit" }, { VERASE, 0177, "erase" },
        { VKILL, 025, "kill" }, { VEOF, 4, "eof" }, { VTIME, 0, "time" }, { VMIN, 1, "min" },
        { VSTART, 021, "start" }, { VSTOP, 023, "stop" }, { VSUSP, 032, "susp" },
        { VEOL, 0, "eol" }, { VREPRINT, 022, "reprint" }, { VDISCARD, 017, "discard" },
        { VWERASE, 027, "werase" }, { VLNEXT, 026, "lnext" }, { VEOL2, 0, "eol2" },
    };
    for (size_t i = 0; i < sizeof cc / sizeof cc[0]; i++)
        check_eq(tname("tty.default_cc_%s", cc[i].name), cc[i].c, t.c_cc[cc[i].v]);
    struct termios mt;
    memset(&mt, 0, sizeof mt);
    tcgetattr(m, &mt);
    check(mt.c_iflag == t.c_iflag && mt.c_oflag == t.c_oflag && mt.c_cflag == t.c_cflag &&
          mt.c_lflag == t.c_lflag && memcmp(mt.c_cc, t.c_cc, VEOL2 + 1) == 0,
          "tty.master_tcgetattr_is_slaves", "differs");
    // A pty's line is always 8 bits, no parity.
    t.c_cflag = (t.c_cflag & ~CSIZE) | CS7 | PARENB;
    tcsetattr(s, TCSANOW, &t);
    tcgetattr(s, &t);
    check_eq("tty.pty_cflag_forced_cs8", B38400 | CS8 | CREAD, t.c_cflag);
    struct winsize ws = { 1, 1, 1, 1 };
    check(ioctl(s, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 0 && ws.ws_col == 0,
          "tty.pty_winsize_zero", "%dx%d", ws.ws_row, ws.ws_col);
    struct winsize set = { 24, 80, 0, 0 };
    ioctl(m, TIOCSWINSZ, &set);
    ioctl(s, TIOCGWINSZ, &ws);
    check(ws.ws_row == 24 && ws.ws_col == 80, "tty.master_sets_winsize", "%dx%d", ws.ws_row,
          ws.ws_col);
    int q = -1;
    check(ioctl(s, TIOCOUTQ, &q) == 0 && q == 0, "tty.tiocoutq", "%d", q);
}

// Canonical mode: editing and its echoes.
static void canonical(int s, int m)
{
    pty_type(m, "ab\177c\n");
    PTY_EXPECT("tty.erase_echo", m, "ab\b \bc\r\n");
    check_read("tty.erase_line", s, "ac\n");

    pty_type(m, "x\001\177q\n");       // ^A shows as two cells, rubbed out as two
    PTY_EXPECT("tty.erase_ctl_echo", m, "x^A\b \b\b \bq\r\n");
    check_read("tty.erase_ctl_line", s, "xq\n");

    pty_type(m, "a\tb\177\177\177x\n");   // the line starts at column 0
    PTY_EXPECT("tty.erase_tab_echo", m, "a\tb\b \b\b\b\b\b\b\b\b\b \bx\r\n");
    check_read("tty.erase_tab_line", s, "x\n");

    pty_type(m, "foo bar  \027z\n");
    PTY_EXPECT("tty.werase_echo", m, "foo bar  \b \b\b \b\b \b\b \b\b \bz\r\n");
    check_read("tty.werase_line", s, "foo z\n");

    pty_type(m, "abc\025z\n");
    PTY_EXPECT("tty.kill_echoke", m, "abc\b \b\b \b\b \bz\r\n");
    check_read("tty.kill_line", s, "z\n");

    pty_lflag(s, 0, ECHOKE);
    pty_type(m, "abc\025z\n");
    PTY_EXPECT("tty.kill_no_echoke", m, "abc^U\r\nz\r\n");
    check_read("tty.kill_no_echoke_line", s, "z\n");
    pty_lflag(s, ECHOKE, 0);

    pty_type(m, "ab\022c\n");
    PTY_EXPECT("tty.reprint_echo", m, "ab^R\r\nabc\r\n");
    check_read("tty.reprint_line", s, "abc\n");

    pty_type(m, "a\026\003b\n");
    PTY_EXPECT("tty.lnext_echo", m, "a^\b^Cb\r\n");
    check_read("tty.lnext_line", s, "a\003b\n");

    pty_type(m, "abc\004");
    PTY_EXPECT("tty.eof_not_echoed", m, "abc");
    check_read("tty.eof_ends_line", s, "abc");
    pty_type(m, "\004");
    check_read("tty.eof_alone_reads_0", s, "");

    pty_type(m, "ab\ncd");
    PTY_EXPECT("tty.two_lines_echo", m, "ab\r\ncd");
    int n = -1;
    ioctl(s, FIONREAD, &n);
    check_eq("tty.fionread_complete_lines", 3, n);
    pty_type(m, "\004");
    wait_input(s, 5);
    ioctl(s, FIONREAD, &n);
    check_eq("tty.fionread_eof_not_counted", 5, n);
    check_read("tty.one_line_a_read", s, "ab\n");
    check_read("tty.then_the_next", s, "cd");

    // A short read takes part of the line; the rest comes next.
    pty_type(m, "hello\n");
    PTY_EXPECT("tty.short_read_echo", m, "hello\r\n");
    char buf[8];
    check_eq("tty.short_read", 2, sread(s, buf, 2));
    check_read("tty.short_read_rest", s, "llo\n");

    struct termios t;
    tcgetattr(s, &t);
    t.c_cc[VEOL] = '!';
    tcsetattr(s, TCSANOW, &t);
    pty_type(m, "hi!there\n");
    PTY_EXPECT("tty.eol_echo", m, "hi!there\r\n");
    check_read("tty.eol_ends_line", s, "hi!");
    check_read("tty.after_eol", s, "there\n");
    t.c_cc[VEOL] = 0;
    tcsetattr(s, TCSANOW, &t);

    pty_lflag(s, 0, ECHO);
    pty_type(m, "quiet\n");
    check_read("tty.noecho_line", s, "quiet\n");
    pty_lflag(s, ECHONL, 0);
    pty_type(m, "nl\n");
    check_read("tty.echonl_line", s, "nl\n");
    PTY_EXPECT("tty.noecho_but_echonl", m, "\r\n");
    pty_lflag(s, ECHO, ECHONL);

    pty_lflag(s, 0, ECHOE);
    pty_type(m, "ab\177\n");
    PTY_EXPECT("tty.erase_without_echoe", m, "ab^?\r\n");
    check_read("tty.erase_without_echoe_line", s, "a\n");
    pty_lflag(s, ECHOE, 0);

    // ^C: echoed as ^C (no newline); the line typed so far is thrown away,
    // and so is the output the master had not read yet: the echo of "ab".
    pty_type(m, "ab\003cd\n");
    PTY_EXPECT("tty.intr_echo", m, "^Ccd\r\n");
    check_read("tty.intr_flushes_line", s, "cd\n");
    pty_type(m, "x\034");
    PTY_EXPECT("tty.quit_echo", m, "^\\");
    pty_type(m, "y\032");
    PTY_EXPECT("tty.susp_echo", m, "^Z");
    pty_lflag(s, NOFLSH, 0);
    pty_type(m, "ab\003cd\n");
    PTY_EXPECT("tty.noflsh_echo", m, "ab^Ccd\r\n");
    check_read("tty.noflsh_keeps_line", s, "abcd\n");
    pty_lflag(s, 0, NOFLSH | ISIG);
    pty_type(m, "a\003\n");
    PTY_EXPECT("tty.no_isig_echo", m, "a^C\r\n");
    check_read("tty.no_isig_literal", s, "a\003\n");
    pty_lflag(s, ISIG, 0);
}

static void set_iflag(int s, tcflag_t on, tcflag_t off)
{
    struct termios t;
    tcgetattr(s, &t);
    t.c_iflag = (t.c_iflag | on) & ~off;
    tcsetattr(s, TCSANOW, &t);
}

static void set_oflag(int s, tcflag_t on, tcflag_t off)
{
    struct termios t;
    tcgetattr(s, &t);
    t.c_oflag = (t.c_oflag | on) & ~off;
    tcsetattr(s, TCSANOW, &t);
}

static void mapping(int s, int m)
{
    pty_type(m, "a\rb\n");                   // ICRNL: CR ends the line
    PTY_EXPECT("tty.icrnl_echo", m, "a\r\nb\r\n");
    check_read("tty.icrnl", s, "a\n");
    check_read("tty.icrnl_2", s, "b\n");
    set_iflag(s, IGNCR, 0);
    pty_type(m, "a\rb\n");
    PTY_EXPECT("tty.igncr_echo", m, "ab\r\n");
    check_read("tty.igncr", s, "ab\n");
    set_iflag(s, INLCR, IGNCR | ICRNL);
    pty_type(m, "a\nb\r");                   // INLCR: NL becomes CR, no line end
    PTY_EXPECT("tty.inlcr_echo", m, "a^Mb^M");
    set_iflag(s, ICRNL, INLCR);
    pty_type(m, "\n");
    check_read("tty.inlcr", s, "a\rb\r\n");
    PTY_EXPECT("tty.inlcr_then_nl", m, "\r\n");
    set_iflag(s, ISTRIP, 0);
    pty_type(m, "\xe1\n");
    check_read("tty.istrip", s, "a\n");
    PTY_EXPECT("tty.istrip_echo", m, "a\r\n");
    set_iflag(s, 0, ISTRIP);

    check_eq("tty.write_onlcr", 3, write(s, "a\nb", 3));
    PTY_EXPECT("tty.onlcr", m, "a\r\nb");
    set_oflag(s, 0, ONLCR);
    write(s, "a\nb", 3);
    PTY_EXPECT("tty.no_onlcr", m, "a\nb");
    set_oflag(s, OCRNL, 0);
    write(s, "a\rb", 3);
    PTY_EXPECT("tty.ocrnl", m, "a\nb");
    set_oflag(s, ONLCR, OPOST | OCRNL);
    write(s, "a\n\rb", 4);
    PTY_EXPECT("tty.no_opost", m, "a\n\rb");
    set_oflag(s, OPOST, 0);
    write(s, "\tA\n", 3);
    PTY_EXPECT("tty.tab_written_as_is", m, "\tA\r\n");
}

// Non-canonical mode: VMIN and VTIME, echoes of line ends.
static void set_raw(int s, int vmin, int vtime, int echo)
{
    struct termios t;
    tcgetattr(s, &t);
    t.c_lflag &= ~ICANON;
    if (echo)
        t.c_lflag |= ECHO;
    else
        t.c_lflag &= ~ECHO;
    t.c_cc[VMIN] = (cc_t)vmin;
    t.c_cc[VTIME] = (cc_t)vtime;
    tcsetattr(s, TCSANOW, &t);
}

// Write s to the master after ms, from a child.
static pid_t type_later(int m, const char *s, int ms)
{
    pid_t pid = xfork();
    if (pid == 0) {
        sleep_ms(ms);
        pty_type(m, s);
        _exit(0);
    }
    return pid;
}

static void noncanonical(int s, int m)
{
    char buf[64];
    set_raw(s, 1, 0, 1);
    pty_type(m, "q\nr\r");
    PTY_EXPECT("tty.raw_echo_nl_as_ctl", m, "q^Jr\r\n");
    check_eq("tty.raw_read_all", 4, sread(s, buf, sizeof buf));

    // MIN 0, TIME 0: whatever is there, at once; nothing is 0.
    set_raw(s, 0, 0, 0);
    long long t0 = mono_ns();
    check_eq("tty.min0_time0_empty", 0, sread(s, buf, sizeof buf));
    check((mono_ns() - t0) < 2000000000LL, "tty.min0_time0_at_once", "took %lld ms",
          (mono_ns() - t0) / 1000000);
    pty_type(m, "xy");
    wait_input(s, 2);
    check_eq("tty.min0_time0_data", 2, sread(s, buf, sizeof buf));

    // MIN 0, TIME 2: wait at most 0.2 s for a byte.
    set_raw(s, 0, 2, 0);
    t0 = mono_ns();
    check_eq("tty.min0_time2_empty", 0, sread(s, buf, sizeof buf));
    long long ms = (mono_ns() - t0) / 1000000;
    check(ms >= 100 && ms < 3000, "tty.min0_time2_waited", "%lld ms", ms);
    pid_t w = type_later(m, "z", 50);
    check_eq("tty.min0_time2_byte", 1, sread(s, buf, sizeof buf));
    wait_for(w);

    // MIN 3, TIME 0: wait for three bytes (then take all there are).
    set_raw(s, 3, 0, 0);
    pty_type(m, "ab");
    w = type_later(m, "cd", 100);
    long r = sread(s, buf, sizeof buf);
    check(r >= 3, "tty.min3_time0", "read %ld", r);
    wait_for(w);
    if (r == 3)
        sread(s, buf, 1);
    // Fewer asked for than MIN: the read ends with what was asked.
    pty_type(m, "abc");
    wait_input(s, 3);
    check_eq("tty.min3_asked_2", 2, sread(s, buf, 2));
    check_eq("tty.min3_asked_2_rest", 1, sread(s, buf, 1));

    // MIN 5, TIME 2: after the first byte, 0.2 s without one ends the read.
    set_raw(s, 5, 2, 0);
    w = type_later(m, "a", 50);
    t0 = mono_ns();
    check_eq("tty.min5_time2_one_byte", 1, sread(s, buf, sizeof buf));
    ms = (mono_ns() - t0) / 1000000;
    check(ms >= 150 && ms < 3000, "tty.min5_time2_waited", "%lld ms", ms);
    wait_for(w);

    // O_NONBLOCK: EAGAIN for MIN > 0, but 0 for MIN 0 TIME 0.
    int fl = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, fl | O_NONBLOCK);
    set_raw(s, 1, 0, 0);
    check_errno("tty.nonblock_eagain", read(s, buf, sizeof buf), EAGAIN);
    set_raw(s, 0, 0, 0);
    check_eq("tty.nonblock_min0_returns_0", 0, read(s, buf, sizeof buf));
    fcntl(s, F_SETFL, fl);

    // Switching ICANON: raw input becomes a line, a half line readable.
    pty_lflag(s, ICANON | ECHO, 0);
    pty_type(m, "xyz");
    PTY_EXPECT("tty.half_line_echo", m, "xyz");
    set_raw(s, 1, 0, 1);
    check_read("tty.half_line_after_icanon_off", s, "xyz");
    pty_type(m, "uvw");
    PTY_EXPECT("tty.raw_echo", m, "uvw");   // echoed: so it is in the buffer
    pty_lflag(s, ICANON, 0);
    check_read("tty.raw_input_is_a_line", s, "uvw");

    // TCSETSF and tcflush throw input away.
    pty_type(m, "gone\n");
    PTY_EXPECT("tty.flush_echo", m, "gone\r\n");
    struct termios t;
    tcgetattr(s, &t);
    tcsetattr(s, TCSAFLUSH, &t);
    int n = -1;
    ioctl(s, FIONREAD, &n);
    check_eq("tty.tcsetsf_flushes", 0, n);
    pty_type(m, "gone\n");
    PTY_EXPECT("tty.flush_echo_2", m, "gone\r\n");
    check_eq("tty.tcflush", 0, tcflush(s, TCIFLUSH));
    ioctl(s, FIONREAD, &n);
    check_eq("tty.tcflush_flushes", 0, n);
    check_errno("tty.tcflush_bad", tcflush(s, 7), EINVAL);
    check_errno("tty.tcflow_bad", tcflow(s, 7), EINVAL);
    check_eq("tty.tcdrain", 0, tcdrain(s));
}

static void on_usr1(int sig)
{
    (void)sig;
}

// ^S stops the slave's output until ^Q; tcflow does the same from inside.
// A write that waits for output to restart is interrupted by a signal.
static void flow_control(int s, int m)
{
    char buf[64];
    pty_type(m, "\023");
    sleep_ms(200);                     // Linux: the master's bytes arrive a moment later
    pid_t w = xfork();
    if (w == 0) {
        write(s, "later", 5);
        _exit(0);
    }
    long r = pty_collect(m, buf, sizeof buf, 1, 300);
    check_eq("tty.stop_holds_output", 0, r);
    pty_type(m, "\021");
    PTY_EXPECT("tty.start_releases_output", m, "later");
    wait_for(w);

    pty_type(m, "\023");
    sleep_ms(200);
    w = xfork();
    if (w == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;         // no SA_RESTART
        sigaction(SIGUSR1, &sa, 0);
        ssize_t n = write(s, "held", 4);
        _exit(n < 0 && errno == EINTR ? 0 : n < 0 ? 2 : 1);
    }
    pty_wait_sleeping(w, 5000);          // blocked in its write, then the signal
    kill(w, SIGUSR1);
    int st = wait_for(w);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tty.stopped_write_eintr",
          "%s (1: it wrote, 2: another error)", status_str(st));
    pty_type(m, "\021");
    check_eq("tty.eintr_write_wrote_nothing", 0, pty_collect(m, buf, sizeof buf, 0, 200));
    check_eq("tty.tcflow_tcioff", 0, tcflow(s, TCIOFF));
    PTY_EXPECT("tty.tcioff_sends_stop", m, "\023");
    tcflow(s, TCION);
    PTY_EXPECT("tty.tcion_sends_start", m, "\021");
    tcflow(s, TCOOFF);
    w = xfork();
    if (w == 0) {
        write(s, "on", 2);
        _exit(0);
    }
    r = pty_collect(m, buf, sizeof buf, 1, 300);
    check_eq("tty.tcooff_holds_output", 0, r);
    tcflow(s, TCOON);
    PTY_EXPECT("tty.tcoon_releases_output", m, "on");
    wait_for(w);
}

// The ends: slave closed, then master closed.
static void ends(void)
{
    int s, m = open_pair(&s);
    if (m < 0)
        return;
    char buf[64];
    write(s, "xy\n", 3);
    close(s);
    PTY_EXPECT("tty.master_reads_rest", m, "xy\r\n");
    check_eq("tty.master_eio_after_slave_close", -EIO, pty_collect(m, buf, sizeof buf, 1, 200));
    pty_type(m, "kept\n");
    // With the slave gone a read with nothing to give is EIO: until the
    // echo is there (on Linux, a moment later), try again.
    long got = -EIO;
    for (int i = 0; i < 400 && got == -EIO; i++) {
        sleep_ms(5);
        got = pty_collect(m, buf, sizeof buf, 6, 2000);
    }
    check(got == 6 && memcmp(buf, "kept\r\n", 6) == 0, "tty.echo_with_slave_closed",
          "expected \"kept\\r\\n\", got %ld bytes \"%s\"", got,
          got > 0 ? pty_show(buf, (size_t)got) : "");
    s = open(path, O_RDWR | O_NOCTTY);
    check(s >= 0, "tty.slave_reopens", "%s", strerror(errno));
    check_read("tty.input_kept_for_reopen", s, "kept\n");
    close(m);
    check_eq("tty.hung_up_read_eof", 0, sread(s, buf, sizeof buf));
    check_errno("tty.hung_up_write_eio", write(s, "x", 1), EIO);
    struct termios t;
    check_errno("tty.hung_up_tcgetattr_eio", tcgetattr(s, &t), EIO);
    check_errno("tty.node_gone", open(path, O_RDWR | O_NOCTTY), ENOENT);
    close(s);

    // A read that waits when the master goes fails with EIO.
    m = open_pair(&s);
    if (m < 0)
        return;
    pid_t reader = xfork();
    if (reader == 0) {
        close(m);
        long r = sread(s, buf, sizeof buf);
        _exit(r == -EIO ? 0 : r == 0 ? 2 : 1);
    }
    pty_wait_sleeping(reader, 5000);   // it waits in its read; now the master goes
    close(m);
    int st = wait_for(reader);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tty.waiting_read_eio_on_master_close",
          "%s (2: end of file, 1: other)", status_str(st));
    close(s);

    // Many ptys at once, then all gone.
    int ms[8], ss[8], opened = 0;
    for (int i = 0; i < 8; i++) {
        ms[i] = open_pair(&ss[i]);
        if (ms[i] >= 0)
            opened++;
    }
    check_eq("tty.eight_at_once", 8, opened);
    for (int i = 0; i < 8; i++)
        if (ms[i] >= 0) {
            close(ss[i]);
            close(ms[i]);
        }
}

static void all(void *arg)
{
    (void)arg;
    alarm(60);
    int s, m = open_pair(&s);
    if (m < 0)
        return;
    defaults(s, m);
    canonical(s, m);
    mapping(s, m);
    noncanonical(s, m);
    flow_control(s, m);
    close(s);
    close(m);
    ends();
    if (test_failures())
        _exit(1);
}

int main(void)
{
    long before = memfree_start();
    devices();
    int st = run_child(all, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tty.checks_passed", "%s", status_str(st));
    memfree_check("tty.memfree_restored", before);
    return test_status();
}
