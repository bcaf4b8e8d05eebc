// tty_poll: poll on the terminal, for tests/boot/ttypoll.sh, which boots it
// as init's program and types on the serial line when it asks:
//   1. nothing typed yet: standard input is not readable;
//   2. "waiting for a partial line": the script types "ab" and no Enter;
//      a poll of 1 s must time out, since a read would still wait;
//   3. "waiting for the line": the script types "c" and Enter; the poll,
//      woken by the serial line's interrupt (not by its time limit),
//      reports POLLIN, and the read gives "abc\n";
//   4. "waiting for end of file": the script types ^D; POLLIN, and the
//      read gives 0.
// Prints ok/FAIL lines; exits with the test status.
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "bunshin.h"

// poll standard input for POLLIN: revents, or poll's result if not 1.
static int wait_in(int ms)
{
    struct pollfd p = { 0, POLLIN, 0 };
    int r = poll(&p, 1, ms);
    return r == 1 ? p.revents : r;
}

// Wait (20 s at most) for what the script types (some 0.3 s after the
// prompt): POLLIN, well before the time limit. Woken only by the time
// limit, the last look would find the input too, so the time tells.
static void wait_typed(const char *name)
{
    long long t0 = mono_ns();
    int rev = wait_in(20000);
    long ms = (long)((mono_ns() - t0) / 1000000);
    check(rev == POLLIN && ms < 10000, name, "revents %#x after %ld ms (woken by the typing?)",
          rev, ms);
}

int main(void)
{
    check_eq("ttypoll.nothing_typed", 0, wait_in(0));
    say("ttypoll: waiting for a partial line");
    check_eq("ttypoll.partial_line_not_readable", 0, wait_in(1000));
    say("ttypoll: waiting for the line");
    wait_typed("ttypoll.line_wakes");
    char buf[16] = "";
    ssize_t n = read(0, buf, sizeof buf - 1);
    check(n == 4 && memcmp(buf, "abc\n", 4) == 0, "ttypoll.line_read", "read %zd bytes '%s'",
          n, buf);
    say("ttypoll: waiting for end of file");
    wait_typed("ttypoll.eof_wakes");
    check_eq("ttypoll.eof_read", 0, read(0, buf, sizeof buf));
    return test_status();
}
