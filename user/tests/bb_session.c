// bb_session: an interactive shell driven at a terminal, as a person would
// drive it: commands typed on a pseudo-terminal, ^C and ^Z among them, and
// what the terminal shows read back. tests/real/busybox.sh runs it with
// Debian's busybox sh, on the Linux host (the reference) and as init in
// bunshin:
//     bb_session SHELL ARG...
// The shell runs on the pty's slave as a session leader with the slave as
// its controlling terminal, as a login gives one, with PS1 set to a prompt
// easy to find. Each step types something and waits (10 s at most) for
// some texts to show, in order: "ok bbtty.NAME" or a FAIL with what the
// terminal showed. Waits before ^C and ^Z give the shell time to start the
// command; no check measures time.
#define _GNU_SOURCE
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "pty_common.h"

#define PROMPT "P> "

static int master;
static char seen[65536];     // what the terminal has shown
static size_t nseen;
static size_t from;          // where the next step looks: after the last one's texts

// Read what the terminal shows for up to ms, adding it to seen.
static void take(int ms)
{
    char buf[1024];
    long n = pty_collect(master, buf, sizeof buf, 1, ms);
    if (n > 0 && nseen + (size_t)n < sizeof seen) {
        memcpy(seen + nseen, buf, (size_t)n);
        nseen += (size_t)n;
        seen[nseen] = 0;
    }
}

// Wait until each of texts (NULL-ended) has shown after from, in this
// order; from moves past them.
static int shows(const char *const *texts)
{
    long long end = mono_ns() + 10000000000LL;
    for (;;) {
        const char *at = seen + from;
        int i;
        for (i = 0; texts[i] && (at = strstr(at, texts[i])); i++)
            at += strlen(texts[i]);
        if (!texts[i]) {
            from = (size_t)(at - seen);
            return 1;
        }
        if (mono_ns() > end)
            return 0;
        take(200);
    }
}

// One step: type input (after pause_ms, if any), then wait for texts.
static void step(const char *name, int pause_ms, const char *input, const char *const *texts)
{
    if (input) {
        take(50);
        from = nseen;          // what came before belongs to the last step
    }
    if (pause_ms)
        sleep_ms(pause_ms);
    if (input && write(master, input, strlen(input)) < 0)
        fail(tname("bbtty.%s", name), "write to the pty: %s", errname(errno));
    else if (shows(texts))
        ok(tname("bbtty.%s", name));
    else
        fail(tname("bbtty.%s", name), "after typing \"%s\", the terminal showed \"%s\"",
             pty_show(input ? input : "", input ? strlen(input) : 0),
             pty_show(seen + from, nseen - from));
}
#define STEP(name, pause, input, ...) \
    step(name, pause, input, (const char *const[]){ __VA_ARGS__, NULL })

int main(int argc, char **argv)
{
    if (argc < 2) {
        warn("usage: bb_session SHELL ARG...");
        return 2;
    }
    char path[64];
    master = pty_open(path);
    if (master < 0) {
        fail("bbtty.pty", "no pseudo-terminal: %s", errname(errno));
        return 1;
    }
    struct winsize ws = { .ws_row = 24, .ws_col = 80 };
    pid_t sh = fork();
    if (sh == 0) {
        setsid();
        int s = open(path, O_RDWR);
        if (s < 0 || ioctl(s, TIOCSCTTY, 0) < 0)
            _exit(126);
        ioctl(s, TIOCSWINSZ, &ws);
        dup2(s, 0), dup2(s, 1), dup2(s, 2);
        if (s > 2)
            close(s);
        close(master);
        // A clean environment: the prompt, a terminal without features, and
        // the directory the shell's applets are in (the shell's own).
        char pathvar[512];
        const char *slash = strrchr(argv[1], '/');
        snprintf(pathvar, sizeof pathvar, "PATH=%.*s", slash ? (int)(slash - argv[1]) : 1,
                 slash ? argv[1] : ".");
        char *env[] = { "PS1=" PROMPT, "TERM=dumb", "HOME=/", pathvar, NULL };
        execve(argv[1], argv + 1, env);
        _exit(127);
    }

    STEP("prompt", 0, NULL, PROMPT);
    STEP("echo", 0, "echo hello\r", "hello\r\n", PROMPT);
    // ^C ends the foreground job, not the shell; its status is 128 + SIGINT.
    STEP("ctrl_c.start", 0, "sleep 100\r", "sleep 100\r\n");
    STEP("ctrl_c", 1000, "\003", PROMPT);
    STEP("ctrl_c.status", 0, "echo rc=$?\r", "rc=130\r\n", PROMPT);
    // ^Z stops it; jobs, bg, kill %1.
    STEP("ctrl_z.start", 0, "sleep 100\r", "sleep 100\r\n");
    STEP("ctrl_z", 1000, "\032", "Stopped", PROMPT);
    STEP("ctrl_z.jobs", 0, "jobs\r", "Stopped", "sleep 100", PROMPT);
    STEP("bg", 0, "bg\r", "sleep 100", PROMPT);
    STEP("bg.jobs", 0, "jobs\r", "Running", "sleep 100", PROMPT);
    // The shell reports a job's end before its next prompt, once it has
    // seen it: the sleep gives it the time.
    STEP("kill_job", 0, "kill %1; sleep 1\r", "Terminated", PROMPT);
    // fg brings a background job back in front, where ^C reaches it.
    STEP("fg.start", 0, "sleep 100 &\r", PROMPT);
    STEP("fg", 0, "fg\r", "sleep 100\r\n");
    STEP("fg.ctrl_c", 1000, "\003", PROMPT);
    STEP("fg.status", 0, "echo rc=$?\r", "rc=130\r\n", PROMPT);
    // read takes a line typed at the terminal.
    STEP("read.start", 0, "read x\r", "read x\r\n");
    STEP("read", 500, "typed line\r", PROMPT);
    STEP("read.value", 0, "echo got:$x\r", "got:typed line\r\n", PROMPT);
    // trap runs its command on a signal.
    STEP("trap", 0, "trap 'echo caught' USR1; kill -USR1 $$\r", "caught\r\n", PROMPT);
    // A background job that reads the terminal is stopped (SIGTTIN).
    STEP("ttin.start", 0, "cat &\r", PROMPT);
    STEP("ttin", 1000, "jobs\r", "Stopped", "cat", PROMPT);
    STEP("ttin.kill", 0, "kill -9 %1; sleep 1\r", "Killed", PROMPT);
    STEP("exit", 500, "exit 3\r", "exit 3");

    take(500);
    int st = wait_for(sh);
    check(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 3, "bbtty.exit_status",
          "the shell %s", st < 0 ? "was lost" : status_str(st));
    return test_status();
}
