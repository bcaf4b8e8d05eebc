// init: the first user process. The kernel starts it as pid 1 with fds 0, 1
// and 2 open on the console and argv = ["/bin/init", PROGRAM, ARGS...]
// (PROGRAM from the boot option init=, /bin/sh when there is none).
//
// init runs PROGRAM in a child (the leader of a new session, whose
// controlling terminal is the console) and then reaps every child it gets: the
// program itself and the orphans the kernel hands to it. When the program
// ends, init reaps whatever else has exited already and exits with the
// program's status (128 + signal number if it was killed), which the
// kernel turns into QEMU's exit status.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char *default_argv[] = { "/bin/sh", NULL };
    char **prog_argv = argc > 1 ? argv + 1 : default_argv;

    // Defaults only: a value the kernel already passed is kept.
    setenv("PATH", "/bin", 0);
    setenv("HOME", "/", 0);
    setenv("TERM", "vt100", 0);

    // Not pid 1 (a test run on the Linux host): ask Linux to hand us the
    // orphans of our descendants anyway, so reaping can be tested there.
    if (getpid() != 1)
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

    fflush(NULL);
    pid_t prog = fork();
    if (prog < 0) {
        fprintf(stderr, "init: fork: %s\n", strerror(errno));
        return 127;
    }
    if (prog == 0) {
        // A session of its own with the console as its controlling
        // terminal, as getty gives a login shell: then ^C reaches it and a
        // shell can do job control. Files of /dev/console are spared job
        // control (a background read of one is not stopped, on Linux or
        // here), so, as busybox's cttyhack does, the program gets the
        // terminal by its own name, /dev/tty1, as fds 0, 1 and 2; a
        // session leader's open makes it the controlling terminal, and
        // TIOCSCTTY says so again. Where fd 0 is no terminal (the Linux
        // host's test runner), nothing changes.
        if (isatty(0) && setsid() >= 0) {
            struct stat st;
            int fd = -1;
            if (fstat(0, &st) == 0 && st.st_rdev == makedev(5, 1))
                fd = open("/dev/tty1", O_RDWR);
            if (fd >= 0) {
                for (int i = 0; i < 3; i++)
                    dup2(fd, i);
                if (fd > 2)
                    close(fd);
            }
            ioctl(0, TIOCSCTTY, 0);
        }
        execvp(prog_argv[0], prog_argv);
        fprintf(stderr, "init: cannot run %s: %s\n", prog_argv[0], strerror(errno));
        _exit(127);
    }

    // Reap every child until the program itself has ended.
    int status;
    for (;;) {
        int st;
        pid_t pid = wait4(-1, &st, 0, NULL);
        if (pid == prog) {
            status = st;
            break;
        }
        if (pid < 0 && errno != EINTR) {
            // Cannot happen while the program runs; say so rather than spin.
            fprintf(stderr, "init: wait4: %s\n", strerror(errno));
            return 127;
        }
    }
    // Orphans that have already exited are reaped too; running ones are not
    // waited for, so a stray background process cannot keep the system up.
    int st;
    while (wait4(-1, &st, WNOHANG, NULL) > 0)
        ;
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
