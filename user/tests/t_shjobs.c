// t_shjobs: job control and signals in bunshin's shell (user/bin/sh).
//
// Scripts first (no terminal): trap in each form (names, SIG prefix,
// numbers, EXIT/0, -, '', the listing read back), what a child inherits
// (trapped signals back to default, ignored ones kept), the kill builtin
// with %N, %%, %+, %-, %string, -s, -l; wait %N and its status, wait cut
// short by a trapped signal (128+N); jobs, bg and fg with set -m; a process
// group per job with set -m and none without; an & list ignoring SIGINT
// without job control. Each runs under bunshin's sh (found as t_sh finds
// it: TEST_ROOT's /bin/sh on Linux, /bin/sh on bunshin) and, on Linux, also
// under a reference shell where the two must agree ("NAME.reference"):
// the host's /bin/sh (dash), or bash where dash lacks the feature.
//
// Then an interactive shell on a terminal: a pseudo-terminal whose slave
// side is the controlling terminal of a new session that the shell leads;
// the test types into the master (^C is \003, ^Z \032) and reads what the
// shell writes there. Where posix_openpt fails on bunshin (no /dev/ptmx
// yet), those checks say skip; on Linux they must run.
//
// Nothing is timed: every wait has a generous limit after which the check
// fails, and nothing depends on how long something took.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "bunshin.h"

#define RUN_MS 30000    // one script
#define TTY_MS 10000    // one expected answer from the terminal

static char path_env[4200];
static char *env[] = { path_env, "HOME=/", NULL };

static const char *our_sh(void)
{
    return rootpath("/bin/sh");
}

// --- scripts -------------------------------------------------------------------

// Run script under shell; stdout must be want and the wait status
// want_status (an exit status N is N << 8).
static void run_one(const char *check, const char *shell, const char *script, const char *want,
                    int want_status)
{
    char *argv[] = { (char *)shell, "-c", (char *)script, NULL };
    struct captured c;
    if (run_capture(argv, env, scratch_dir(), NULL, RUN_MS, &c) < 0) {
        fail(check, "could not run %s", shell);
        return;
    }
    const char *diff = first_difference(want, c.out);
    if (c.timed_out)
        fail(check, "%s -c '%s' did not end within %d s", shell, script, RUN_MS / 1000);
    else if (diff)
        fail(check, "%s -c '%s': stdout %s (stderr: %.200s)", shell, script, diff, c.err);
    else if (c.status != want_status)
        fail(check, "%s -c '%s': %s, expected %s (stderr: %.200s)", shell, script,
             status_str(c.status), status_str(want_status), c.err);
    else
        ok(check);
    captured_free(&c);
}

// The script under bunshin's sh, and on Linux under ref too (if not NULL).
static void script(const char *name, const char *ref, const char *text, const char *want,
                   int want_status)
{
    if (ref) {
        const char *check = tname("%s.reference", name);
        if (on_bunshin())
            skip(check, "the host's %s is the reference; bunshin has only its own sh", ref);
        else
            run_one(check, ref, text, want, want_status);
    }
    run_one(name, our_sh(), text, want, want_status);
}

#define EXITED(n) ((n) << 8)
#define DASH "/bin/sh"
#define BASH "/bin/bash"

// Until the job list shows WHAT, or about 10 s have passed.
#define UNTIL_JOBS(what)                                                                  \
    "i=0; until jobs > jobs.out; grep -q '" what "' jobs.out; do i=$((i+1)); "          \
    "[ $i -gt 1000 ] && break; sleep 0.01; done; "

static void test_trap(void)
{
    script("trap.action", DASH, "trap 'echo got INT' INT; kill -INT $$; echo after",
           "got INT\nafter\n", EXITED(0));
    script("trap.sig_prefix", BASH, "trap 'echo got' SIGUSR1; kill -USR1 $$; echo after",
           "got\nafter\n", EXITED(0));
    script("trap.number", DASH, "trap 'echo got' 10; kill -s USR1 $$; echo after",
           "got\nafter\n", EXITED(0));
    script("trap.several", DASH,
           "trap 'echo got' USR1 USR2; kill -USR1 $$; kill -USR2 $$; echo after",
           "got\ngot\nafter\n", EXITED(0));
    script("trap.exit", DASH, "trap 'echo bye $?' EXIT; echo hi; exit 3", "hi\nbye 3\n",
           EXITED(3));
    script("trap.exit_zero", DASH, "trap 'echo zero' 0; echo hi", "hi\nzero\n", EXITED(0));
    script("trap.exit_in_trap", DASH, "trap 'echo bye; exit 5' EXIT; exit 3", "bye\n",
           EXITED(5));
    script("trap.reset", DASH, "trap 'echo x' USR1; trap - USR1; kill -USR1 $$; echo no", "",
           SIGUSR1);
    script("trap.reset_number_first", DASH, "trap 'echo x' USR1; trap 10; kill -USR1 $$; echo no",
           "", SIGUSR1);
    script("trap.ignore", DASH, "trap '' USR1; kill -USR1 $$; echo survived", "survived\n",
           EXITED(0));
    script("trap.ignore_inherited", DASH,
           "trap '' USR1; sh -c 'kill -USR1 $$; echo child survived'; echo $?",
           "child survived\n0\n", EXITED(0));
    script("trap.default_in_child", DASH,
           "trap 'echo caught' USR1; sh -c 'kill -USR1 $$; echo not reached'; echo child $?",
           "child 138\n", EXITED(0));
    script("trap.default_in_subshell", DASH,
           "trap 'echo caught' USR1; (sh -c 'kill -USR1 $PPID'; echo not reached); echo sub $?",
           "sub 138\n", EXITED(0));
    script("trap.after_command", DASH,
           "trap 'echo trapped' USR1; sh -c 'kill -USR1 $PPID; echo child done'; echo next",
           "child done\ntrapped\nnext\n", EXITED(0));
    script("trap.status_kept", DASH, "trap 'false' USR1; kill -USR1 $$; echo $?", "0\n",
           EXITED(0));
    script("trap.list", DASH, "trap 'echo a' INT; trap '' QUIT; trap 'echo b' EXIT; trap",
           "trap -- 'echo b' EXIT\ntrap -- 'echo a' INT\ntrap -- '' QUIT\nb\n", EXITED(0));
    script("trap.list_read_back", BASH,
           "trap 'echo \"it'\\''s\"' USR1; t=$(trap); trap - USR1; eval \"$t\"; kill -USR1 $$",
           "it's\n", EXITED(0));
    script("trap.p", NULL, "trap 'echo a' USR2; trap '' HUP; trap -p USR2; trap -p",
           "trap -- 'echo a' USR2\ntrap -- '' HUP\ntrap -- 'echo a' USR2\n", EXITED(0));
    script("trap.bad_signal", NULL, "trap 'echo a' NOSUCH; echo $?", "1\n", EXITED(0));
}

static void test_kill_wait(void)
{
    script("kill.job", BASH, "sleep 100 & kill %1; wait %1; echo $?", "143\n", EXITED(0));
    script("kill.current_previous", BASH,
           "sleep 100 & sleep 100 & kill %-; wait %1; echo $?; kill -s KILL %+; wait %2; "
           "echo $?",
           "143\n137\n", EXITED(0));
    script("kill.percent_percent", BASH, "sleep 100 & kill -9 %%; wait $!; echo $?", "137\n",
           EXITED(0));
    script("kill.string", BASH, "sleep 100 & kill -s TERM %sle; wait $!; echo $?", "143\n",
           EXITED(0));
    script("kill.pid", DASH, "sleep 100 & kill -9 $!; wait $!; echo $?", "137\n", EXITED(0));
    script("kill.list", DASH, "kill -l 15; kill -l 143; kill -l 9", "TERM\nTERM\nKILL\n",
           EXITED(0));
    script("kill.no_such_job", NULL, "kill %7; echo $?", "1\n", EXITED(0));
    script("wait.job_status", DASH, "(exit 5) & wait %1; echo $?", "5\n", EXITED(0));
    script("wait.pid_status", DASH, "sh -c 'exit 6' & wait $!; echo $?", "6\n", EXITED(0));
    script("wait.no_operand", DASH, "false & (exit 3) & wait; echo $?", "0\n", EXITED(0));
    script("wait.not_a_child", DASH, "wait $$; echo $?", "127\n", EXITED(0));
    // A USR1 each second until the shell is gone: the first that comes
    // while wait waits cuts it short with 128 + 10.
    script("wait.trapped_signal", DASH,
           "n=0; trap 'n=$((n+1))' USR1; sleep 100 & pid=$!; "
           "(while kill -USR1 $$ 2>/dev/null; do sleep 1; done) & k=$!; "
           "wait $pid; s=$?; kill $k $pid; echo \"status $s\"; [ $n -ge 1 ] && echo trapped",
           "status 138\ntrapped\n", EXITED(0));
}

static void test_jobs_script(void)
{
    script("jobs.states", NULL,
           "sleep 100 & sh -c 'exit 3' & " UNTIL_JOBS("Done(3)")
           "grep -c 'Running.*sleep 100' jobs.out; grep -c '^\\[2\\]+ *Done(3) *sh -c' jobs.out; "
           "kill %1",
           "1\n1\n", EXITED(0));
    script("jobs.p_and_l", NULL,
           "sleep 100 & jobs -p > p.out; read p < p.out; [ \"$p\" = \"$!\" ] && echo pid; "
           "jobs -l > l.out; grep -c \"^\\[1\\]+ $! *Running\" l.out; kill %1",
           "pid\n1\n", EXITED(0));
    script("jobs.no_group_without_m", DASH,
           "sleep 100 & kill -0 -- -$! 2>/dev/null || echo no group of its own; kill $!",
           "no group of its own\n", EXITED(0));
    script("jobs.group_with_m", BASH,
           "set -m; sleep 100 & kill -0 -- -$! && echo own group; kill %1", "own group\n",
           EXITED(0));
    script("jobs.async_ignores_int", DASH, "sh -c 'kill -INT $$; echo survived' & wait",
           "survived\n", EXITED(0));
    script("jobs.async_int_with_m", BASH,
           "set -m; sh -c 'kill -INT $$; echo survived' & wait $!; echo $?", "130\n", EXITED(0));
    script("jobs.bg", BASH,
           "set -m; sleep 100 & kill -STOP %1; " UNTIL_JOBS("Stopped")
           "grep -c Stopped jobs.out; bg > /dev/null; jobs > jobs.out; "
           "grep -c 'Running' jobs.out; kill %1; wait %1; echo $?",
           "1\n1\n143\n", EXITED(0));
    script("jobs.fg", BASH,
           "set -m; sh -c 'kill -STOP $$; echo resumed; exit 4' & " UNTIL_JOBS("Stopped")
           "fg %1; echo fg $?",
           "sh -c 'kill -STOP $$; echo resumed; exit 4'\nresumed\nfg 4\n", EXITED(0));
    script("jobs.fg_without_m", NULL, "sleep 0 & fg; echo $?; wait", "1\n", EXITED(0));
}

// sh -m: the option at start, as set -m.
static void test_sh_m(void)
{
    char *argv[] = { (char *)our_sh(), "-m", "-c",
                     "sleep 100 & kill -0 -- -$! && echo own group; kill %1", NULL };
    struct captured c;
    if (run_capture(argv, env, scratch_dir(), NULL, RUN_MS, &c) < 0) {
        fail("jobs.sh_m", "could not run %s", our_sh());
        return;
    }
    check(strcmp(c.out, "own group\n") == 0 && c.status == 0, "jobs.sh_m",
          "sh -m -c ...: stdout \"%s\", %s (stderr %.200s)", c.out, status_str(c.status), c.err);
    captured_free(&c);
}

// --- a terminal -------------------------------------------------------------------

struct term {
    int master;
    pid_t shell;
    char out[1 << 16];   // everything the shell wrote
    size_t len, seen;    // expect() looks after seen
};

// Start the shell on a new pseudo-terminal: 1, 0 (failed), or -1 (no ptys
// here: the checks are skipped).
static int term_start(struct term *t)
{
    memset(t, 0, sizeof *t);
    t->master = posix_openpt(O_RDWR | O_NOCTTY);
    if (t->master < 0) {
        int err = errno;
        if (on_bunshin() && (err == ENOENT || err == ENXIO))
            return -1;
        fail("tty.open", "posix_openpt: %s", errname(err));
        return 0;
    }
    char *slave = ptsname(t->master);
    if (grantpt(t->master) < 0 || unlockpt(t->master) < 0 || !slave) {
        fail("tty.open", "grantpt/unlockpt/ptsname: %s", errname(errno));
        close(t->master);
        return 0;
    }
    t->shell = xfork();
    if (t->shell == 0) {
        // A session of its own, with the slave as its controlling terminal.
        setsid();
        int fd = open(slave, O_RDWR);
        if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0)
            _exit(126);
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        close_fds_from(3);
        for (int sig = 1; sig < 32; sig++)
            signal(sig, SIG_DFL);
        execle(our_sh(), "sh", (char *)NULL, env);
        _exit(127);
    }
    fcntl(t->master, F_SETFL, O_NONBLOCK);
    return 1;
}

static void term_read(struct term *t)
{
    for (;;) {
        ssize_t n = read(t->master, t->out + t->len, sizeof t->out - 1 - t->len);
        if (n <= 0)
            break;
        t->len += n;
        t->out[t->len] = '\0';
    }
}

static void term_send(struct term *t, const char *s)
{
    write_full(t->master, s, strlen(s));
}

// Wait until the shell has written text (after what was seen before): 1.
static int expect(struct term *t, const char *text)
{
    long long end = mono_ns() + TTY_MS * 1000000LL;
    for (;;) {
        term_read(t);
        char *at = strstr(t->out + t->seen, text);
        if (at) {
            t->seen = at + strlen(text) - t->out;
            return 1;
        }
        if (mono_ns() > end)
            return 0;
        sleep_ms(5);
    }
}

// The last bytes written, for messages.
static const char *tail(struct term *t)
{
    static char buf[200];
    size_t from = t->len > 150 ? t->len - 150 : 0;
    size_t k = 0;
    for (size_t i = from; i < t->len && k < sizeof buf - 5; i++) {
        char c = t->out[i];
        if (c == '\n' || c == '\r') {
            buf[k++] = '\\';
            buf[k++] = c == '\n' ? 'n' : 'r';
        } else if ((unsigned char)c >= ' ') {
            buf[k++] = c;
        }
    }
    buf[k] = '\0';
    return buf;
}

static const char *wstr_(int st)
{
    return st == -1 ? "did not end" : status_str(st);
}

// Wait until a group other than the shell's has the terminal: its id, or 0.
static pid_t wait_job_in_front(struct term *t)
{
    long long end = mono_ns() + TTY_MS * 1000000LL;
    for (;;) {
        pid_t fg = tcgetpgrp(t->master);
        if (fg > 0 && fg != t->shell)
            return fg;
        if (mono_ns() > end)
            return 0;
        sleep_ms(5);
    }
}

// Type line, then ask for a marker the shell prints only by running it.
static int shell_answers(struct term *t, const char *name)
{
    term_send(t, tname("echo %s-$((40+2))\n", name));
    return expect(t, tname("%s-42", name));
}

static void tty_interrupt(struct term *t)
{
    term_send(t, "sleep 100\n");
    pid_t fg = wait_job_in_front(t);
    check(fg > 0 && getpgid(fg) == fg, "tty.job_own_group",
          "with sleep 100 running, the terminal's group is %d (the shell is %d)", (int)fg,
          (int)t->shell);
    term_send(t, "\003");
    check(expect(t, "$ "), "tty.ctrl_c_prompt", "no prompt after ^C; the terminal shows: %s",
          tail(t));
    check(tcgetpgrp(t->master) == t->shell, "tty.terminal_back",
          "after ^C the terminal's group is %d, not the shell's %d", (int)tcgetpgrp(t->master),
          (int)t->shell);
    check(shell_answers(t, "alive") && kill(t->shell, 0) == 0, "tty.ctrl_c_shell_lives",
          "the shell did not answer after ^C: %s", tail(t));

    term_send(t, "\032");   // at the prompt: the shell ignores ^Z
    check(shell_answers(t, "still"), "tty.shell_ignores_ctrl_z",
          "the shell did not answer after ^Z at its prompt: %s", tail(t));

    term_send(t, "sleep 100 | cat\n");
    wait_job_in_front(t);
    term_send(t, "\003");
    check(expect(t, "$ ") && shell_answers(t, "pipe"), "tty.ctrl_c_pipeline",
          "no answer after ^C in sleep 100 | cat: %s", tail(t));

    // ^C ends the rest of the command line too.
    term_send(t, "sleep 100; echo not-$((1+1))-reached\n");
    wait_job_in_front(t);
    term_send(t, "\003");
    check(shell_answers(t, "next") && !strstr(t->out, "not-2-reached"), "tty.ctrl_c_list",
          "after ^C in 'sleep 100; echo ...': %s", tail(t));
}

static void tty_stop(struct term *t)
{
    term_send(t, "sleep 100\n");
    wait_job_in_front(t);
    term_send(t, "\032");
    check(expect(t, "Stopped") && expect(t, "sleep 100") && expect(t, "$ "), "tty.ctrl_z_stopped",
          "no \"Stopped ... sleep 100\" and prompt after ^Z: %s", tail(t));
    term_send(t, "jobs\n");
    check(expect(t, "[1]+  Stopped") && expect(t, "sleep 100") && expect(t, "$ "),
          "tty.jobs_stopped", "jobs: %s", tail(t));
    term_send(t, "bg\n");
    check(expect(t, "[1]+ sleep 100 &") && expect(t, "$ "), "tty.bg", "bg: %s", tail(t));
    term_send(t, "jobs\n");
    check(expect(t, "[1]+  Running") && expect(t, "$ "), "tty.jobs_running", "jobs: %s",
          tail(t));
    term_send(t, "fg %1\n");
    pid_t fg = expect(t, "sleep 100") ? wait_job_in_front(t) : 0;
    term_send(t, "\032");
    check(fg > 0 && expect(t, "Stopped") && expect(t, "$ "), "tty.fg_then_ctrl_z",
          "fg, then ^Z: %s", tail(t));
    term_send(t, "kill %1; wait %1; echo st=$?\n");
    check(expect(t, "st=143"), "tty.kill_stopped_job", "kill %%1 of a stopped job: %s",
          tail(t));

    // A background job that reads the terminal is stopped by SIGTTIN.
    term_send(t, "cat &\n");
    int stopped = 0;
    long long end = mono_ns() + TTY_MS * 1000000LL;
    while (!stopped && mono_ns() < end) {
        term_send(t, "jobs\n");
        if (!expect(t, "$ "))
            break;
        stopped = strstr(t->out + t->seen - 200 > t->out ? t->out + t->seen - 200 : t->out,
                         "Stopped(SIGTTIN)") != NULL;
        sleep_ms(20);
    }
    check(stopped, "tty.bg_read_stops", "cat & never showed Stopped(SIGTTIN): %s", tail(t));
    term_send(t, "kill -9 %cat\n");
    check(shell_answers(t, "end"), "tty.kill_string", "kill -9 %%cat: %s", tail(t));
}

// The terminal hangs up (the master side is closed): the kernel sends
// SIGHUP to the shell, which passes it on to its jobs before it dies; a
// background job, which the kernel's SIGHUP to the foreground group
// misses, must end too.
static void tty_hangup(struct term *t)
{
    // $((7)) so that the terminal's echo of the line does not match.
    term_send(t, "sleep 100 & echo bgpid=$((7))$!\n");
    long pid = expect(t, "bgpid=7") ? atol(t->out + t->seen) : 0;
    if (!check(pid > 0, "tty.hangup", "no pid for sleep 100 &: %s", tail(t)))
        return;
    close(t->master);
    t->master = -1;
    int st = -1;
    long long end = mono_ns() + TTY_MS * 1000000LL;
    while (waitpid(t->shell, &st, WNOHANG) == 0 && mono_ns() < end)
        sleep_ms(5);
    int gone = 0;
    while (!gone && mono_ns() < end) {
        gone = kill(pid, 0) < 0 && errno == ESRCH;
        sleep_ms(5);
    }
    if (!gone)
        kill(pid, SIGKILL);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGHUP && gone, "tty.hangup",
          "after the hangup the shell %s, its job sleep 100 (pid %ld) %s", wstr_(st), pid,
          gone ? "ended" : "still ran");
}

static void test_terminal(void)
{
    static const char *const checks[] = {
        "tty.start", "tty.job_own_group", "tty.ctrl_c_prompt", "tty.terminal_back",
        "tty.ctrl_c_shell_lives", "tty.shell_ignores_ctrl_z", "tty.ctrl_c_pipeline",
        "tty.ctrl_c_list", "tty.ctrl_z_stopped", "tty.jobs_stopped", "tty.bg",
        "tty.jobs_running", "tty.fg_then_ctrl_z", "tty.kill_stopped_job", "tty.bg_read_stops",
        "tty.kill_string", "tty.exit", "tty.hangup",
    };
    static struct term t;
    int r = term_start(&t);
    if (r < 0) {
        for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
            skip(checks[i], "no ptys in this kernel yet");
        return;
    }
    if (r == 0)
        return;
    if (!check(expect(&t, "$ "), "tty.start", "no prompt from the shell: %s", tail(&t))) {
        kill(t.shell, SIGKILL);
        wait_for(t.shell);
        close(t.master);
        return;
    }
    tty_interrupt(&t);
    tty_stop(&t);
    term_send(&t, "exit\n");
    int st = -1;
    long long end = mono_ns() + TTY_MS * 1000000LL;
    while (waitpid(t.shell, &st, WNOHANG) == 0 && mono_ns() < end)
        sleep_ms(5);
    if (mono_ns() >= end) {
        kill(t.shell, SIGKILL);
        st = wait_for(t.shell);
        fail("tty.exit", "the shell did not end after exit: %s", tail(&t));
    } else {
        check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tty.exit", "the shell %s",
              status_str(st));
    }
    close(t.master);

    // A second shell, for the hangup.
    if (term_start(&t) != 1)
        return;
    if (check(expect(&t, "$ "), "tty.hangup", "no prompt from the second shell: %s", tail(&t)))
        tty_hangup(&t);
    if (t.master >= 0)
        close(t.master);
    if (waitpid(t.shell, NULL, WNOHANG) == 0) {
        kill(t.shell, SIGKILL);
        wait_for(t.shell);
    }
}

int main(void)
{
    snprintf(path_env, sizeof path_env, "PATH=%s", rootpath("/bin"));
    if (chdir(scratch_dir()) < 0)
        fail("shjobs.chdir", "%s: %s", scratch_dir(), errname(errno));
    test_trap();
    test_kill_wait();
    test_jobs_script();
    test_sh_m();
    test_terminal();
    return test_status();
}
