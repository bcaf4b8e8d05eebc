// tty_fg: for tests/boot/tty.sh. Job control on the console, done as a
// shell does it, so that the keys the test types (Ctrl-Z, Ctrl-C) can be
// seen to reach the right process group. It runs a child in a process
// group of its own, gives that group the terminal (tcsetpgrp) and says,
// one line each, what waitpid(WUNTRACED) tells of the child:
//   1. the child, in front, reads the terminal: Ctrl-Z stops it (SIGTSTP);
//   2. continued in the background, its read stops it again (SIGTTIN);
//   3. brought to the front and continued, it reads a line and says so;
//      reading again, Ctrl-C ends it (SIGINT).
// tty_fg itself ignores SIGTTOU, as a shell does, to take the terminal
// back while it is in the background; it ends with its own group in front.
//
// "tty_fg pause" just says "fg: pausing" and waits for a signal, in the
// group it was started in: a foreground program for Ctrl-C and Ctrl-\.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

// Wait for the child to stop or end (continuations are skipped) and say how.
static int report(pid_t c)
{
    int st;
    for (;;) {
        if (waitpid(c, &st, WUNTRACED) != c) {
            say("fg: waitpid failed");
            return -1;
        }
        if (WIFSTOPPED(st)) {
            say("fg: stopped by %s", signame(WSTOPSIG(st)));
            return st;
        }
        if (WIFEXITED(st) || WIFSIGNALED(st)) {
            say("fg: %s", status_str(st));
            return st;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "pause") == 0) {
        say("fg: pausing");
        for (;;)
            pause();
    }
    signal(SIGTTOU, SIG_IGN);
    int go[2];
    if (pipe(go) < 0)
        return 1;
    pid_t c = fork();
    if (c < 0)
        return 1;
    if (c == 0) {
        signal(SIGTTOU, SIG_DFL);
        setpgid(0, 0);
        char x;
        read(go[0], &x, 1);          // until the terminal is ours
        say("fg: child reading");
        for (;;) {
            char line[64];
            ssize_t n = read(0, line, sizeof line - 1);
            if (n <= 0) {
                say("fg: child read %s", n == 0 ? "end of file" : strerror(errno));
                _exit(1);
            }
            line[n] = 0;
            line[strcspn(line, "\n")] = 0;
            say("fg: child read '%s'", line);
        }
    }
    setpgid(c, c);
    tcsetpgrp(0, c);
    write(go[1], "g", 1);
    report(c);                       // Ctrl-Z
    tcsetpgrp(0, getpgrp());
    kill(-c, SIGCONT);               // in the background: its read stops it
    report(c);
    tcsetpgrp(0, c);
    say("fg: child in front again");
    kill(-c, SIGCONT);
    report(c);                       // a line, then Ctrl-C
    tcsetpgrp(0, getpgrp());
    say("fg: done");
    return 0;
}
