// t_sigfork: signals across fork and execve, as fork(2) and execve(2) say.
//
//   - fork: the child starts with no pending signals (one pending in the
//     parent, blocked, is still pending there only) and no timers (an
//     alarm set in the parent, with its default action, does not end the
//     child when it expires in the parent; alarm(0) and getitimer say
//     none), and keeps the handlers, the ignored signals, the mask and the
//     alternate stack;
//   - execve (of sig_report, which prints what it finds): caught signals
//     are back to SIG_DFL, ignored ones stay ignored, the mask and the
//     pending signals stay, the alternate stack is gone, and an alarm set
//     before execve still runs and arrives in the new program.
#define _GNU_SOURCE
// bunshin-boot: fork=odf
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"

static volatile sig_atomic_t hits, alarms;
static void counting(int sig)
{
    (void)sig;
    hits++;
}
static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static char alt[16384] __attribute__((aligned(16)));

static void fork_child_checks(void *arg)
{
    (void)arg;
    check(!is_pending(SIGUSR1), "sigfork.child_no_pending",
          "SIGUSR1, pending in the parent, is pending in the child too");
    check(is_blocked(SIGUSR1) && is_blocked(SIGHUP), "sigfork.child_keeps_mask",
          "blocked in the child: SIGUSR1 %d, SIGHUP %d (both were in the parent)",
          is_blocked(SIGUSR1), is_blocked(SIGHUP));
    struct sigaction sa;
    sigaction(SIGUSR2, NULL, &sa);
    hits = 0;
    raise(SIGUSR2);
    check(sa.sa_handler == counting && hits == 1, "sigfork.child_keeps_handler",
          "SIGUSR2's handler in the child is %p (the parent's %p), it ran %d times",
          (void *)sa.sa_handler, (void *)counting, (int)hits);
    raise(SIGTERM);   // ignored in the parent: must not end the child
    ok("sigfork.child_keeps_ignored");
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    sigaltstack(NULL, &ss);
    check(ss.ss_sp == alt && ss.ss_size == sizeof alt && ss.ss_flags == 0,
          "sigfork.child_keeps_altstack", "the child's alternate stack: %p, %zu bytes, flags %d",
          ss.ss_sp, ss.ss_size, ss.ss_flags);
}

static void part_fork(void)
{
    set_handler(SIGUSR1, counting, 0);
    set_handler(SIGUSR2, counting, 0);
    signal(SIGTERM, SIG_IGN);
    stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    block_one(SIGHUP);
    block_one(SIGUSR1);
    kill(getpid(), SIGUSR1);
    int st = child_timed(fork_child_checks, NULL, SIG_WAIT_MS);
    check(st == 0 || st == 1 << 8, "sigfork.child_ran", "the child %s", wstr(st));
    check(is_pending(SIGUSR1) && hits == 0, "sigfork.parent_still_pending",
          "after the fork SIGUSR1 pending in the parent %d, handled %d times",
          is_pending(SIGUSR1), (int)hits);

    // An alarm in the parent is the parent's alone.
    set_handler(SIGALRM, on_alarm, 0);
    alarm(1);
    int p[2];
    if (pipe(p) < 0)
        return;
    pid_t pid = xfork();
    if (pid == 0) {
        close(p[1]);
        signal(SIGALRM, SIG_DFL);      // a timer of ours would end us
        struct itimerval it;
        memset(&it, 0, sizeof it);
        getitimer(ITIMER_REAL, &it);
        check(it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0, "sigfork.child_no_itimer",
              "getitimer in the child: %ld.%06ld s left", (long)it.it_value.tv_sec,
              (long)it.it_value.tv_usec);
        unsigned left = alarm(0);
        check(left == 0, "sigfork.child_no_alarm", "alarm(0) in the child: %u s were left", left);
        // Wait until the parent's alarm has gone off, and a little more.
        fcntl(p[0], F_SETFL, O_NONBLOCK);
        char c;
        long long end = mono_ns() + 10000000000LL;
        while (read(p[0], &c, 1) != 1 && mono_ns() < end)
            sleep_ms(5);
        sleep_ms(200);
        _exit(test_status());
    }
    close(p[0]);
    int came = wait_count(&alarms, 1, SIG_WAIT_MS);
    write(p[1], "a", 1);
    close(p[1]);
    st = wait_timed(pid, SIG_WAIT_MS * 3);
    check(came, "sigfork.parent_alarm", "the parent's alarm(1) did not go off in %d ms",
          SIG_WAIT_MS);
    check(st == 0 || st == 1 << 8, "sigfork.child_alarm_never_fires",
          "the child, with SIGALRM's default action, %s after the parent's alarm went off",
          wstr(st));
}

// --- execve ------------------------------------------------------------------------

// The rest of the line of sig_report's output that starts with key, as a
// string of its own (in a rotating buffer), or NULL.
static const char *report_line(const char *text, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, key, n) == 0 && p[n] == ' ')
            return tname("%.*s", (int)strcspn(p + n + 1, "\n"), p + n + 1);
    return NULL;
}

static void part_exec(void)
{
    const char *out = scratch_path(tname("t_sigfork.%d.out", (int)getpid()));
    pid_t pid = xfork();
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0)
            _exit(30);
        set_handler(SIGUSR1, counting, 0);
        set_handler(SIGALRM, on_alarm, 0);
        signal(SIGUSR2, SIG_IGN);
        signal(SIGPIPE, SIG_IGN);
        block_one(SIGHUP);
        block_one(SIGRTMIN + 2);
        block_one(SIGWINCH);
        raise(SIGWINCH);
        stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0 };
        sigaltstack(&ss, NULL);
        alarm(1);
        char *argv[] = { "sig_report", "wait-alarm", NULL };
        execve(rootpath("/tests/sig_report"), argv, (char *[]){ NULL });
        _exit(31);
    }
    int st = wait_timed(pid, SIG_WAIT_MS * 3);
    char text[2048] = "";
    read_file(out, text, sizeof text);
    unlink(out);
    if (!check(st == 0, "sigexec.report_ran", "sig_report %s (31: execve failed)", wstr(st)))
        return;
    const char *d = report_line(text, "disp");
    if (!check(d && strlen(d) >= 64, "sigexec.report_disp", "no disp line in: %s", text))
        return;
    check(d[SIGUSR1 - 1] == 'D' && d[SIGALRM - 1] == 'D', "sigexec.caught_reset",
          "after execve SIGUSR1 is %c and SIGALRM %c (caught before; D is SIG_DFL)",
          d[SIGUSR1 - 1], d[SIGALRM - 1]);
    check(d[SIGUSR2 - 1] == 'I' && d[SIGPIPE - 1] == 'I', "sigexec.ignored_kept",
          "after execve SIGUSR2 is %c and SIGPIPE %c (ignored before; I is SIG_IGN)",
          d[SIGUSR2 - 1], d[SIGPIPE - 1]);
    check(strchr(d, 'H') == NULL || strchr(d, 'H') >= d + 64, "sigexec.no_handlers",
          "a handler survived execve: %.64s", d);
    unsigned long m0 = 0, m1 = 0, p0 = 0, p1 = 0;
    const char *m = report_line(text, "mask"), *p = report_line(text, "pending");
    if (m)
        sscanf(m, "%lx %lx", &m0, &m1);
    if (p)
        sscanf(p, "%lx %lx", &p0, &p1);
    unsigned long w0 = KSIGBIT(SIGHUP) | KSIGBIT(SIGWINCH), w1 = KSIGBIT(SIGRTMIN + 2);
    check(m0 == w0 && m1 == w1, "sigexec.mask_kept", "the mask after execve %#lx %#lx, before "
                                                  "%#lx %#lx",
          m0, m1, w0, w1);
    check(p0 == KSIGBIT(SIGWINCH) && p1 == 0, "sigexec.pending_kept",
          "pending after execve %#lx %#lx, expected SIGWINCH's %#lx", p0, p1,
          KSIGBIT(SIGWINCH));
    const char *a = report_line(text, "altstack");
    check(a && atoi(a) == SS_DISABLE, "sigexec.altstack_gone",
          "sigaltstack's ss_flags after execve: %s (expected %d, SS_DISABLE)", a ? a : "none",
          SS_DISABLE);
    const char *it = report_line(text, "itimer");
    check(it && atol(it) > 0 && atol(it) <= 1000, "sigexec.alarm_kept",
          "ITIMER_REAL after execve: %s ms left (alarm(1) was set before)", it ? it : "none");
    const char *arrived = report_line(text, "alarm");
    check(arrived && strncmp(arrived, "yes", 3) == 0, "sigexec.alarm_arrives",
          "the alarm set before execve, in the new program: %s", arrived ? arrived : "none");
}

int main(void)
{
    static const struct sig_part parts[] = {
        { "fork", part_fork },
        { "exec", part_exec },
    };
    return sig_run_parts("sigfork", parts, sizeof parts / sizeof parts[0]);
}
