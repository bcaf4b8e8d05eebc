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
//
// With BUNSHIN_USER=NAME in its environment (the kernel's boot option
// user=NAME puts it there), init runs PROGRAM as that user instead of root,
// through setpriv --user=NAME, and leaves the variable out of PROGRAM's
// environment. As pid 1 it first makes the home directory of every user in
// /etc/passwd that has none.
#include <errno.h>
#include <pwd.h>
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

// mkdir -p for the parents of path (root's, mode 0755); the last component
// is left to the caller.
static void make_parents(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(dir, 0755);   // EEXIST is the usual answer
        *slash = '/';
    }
}

// Make the home directory of every user in /etc/passwd that has none, owned
// by the user, mode 0755. The initrd cannot carry them: every file in it is
// root's (tools/mkinitrd.sh packs with cpio -R 0:0, since make runs as an
// ordinary user on a student's machine, who could not make files owned by
// someone else anyway), so the homes are made here at each boot, as an
// installer makes them once on a disk. Only the system's init does this
// (pid 1): run by a test on the Linux host, init must leave the host's
// files alone, and its /etc/passwd is the host's.
static void make_homes(void)
{
    struct passwd *pw;
    setpwent();
    while ((pw = getpwent()) != NULL) {
        struct stat st;
        const char *home = pw->pw_dir;
        if (home[0] != '/' || stat(home, &st) == 0)
            continue;
        make_parents(home);
        // The new directory is init's, root's: hand it over if the user is
        // someone else. chmod too, whatever the umask took away.
        if (mkdir(home, 0755) < 0 || stat(home, &st) < 0 ||
            ((st.st_uid != pw->pw_uid || st.st_gid != pw->pw_gid) &&
             chown(home, pw->pw_uid, pw->pw_gid) < 0) ||
            chmod(home, 0755) < 0)
            fprintf(stderr, "init: cannot make %s the home of %s: %s\n", home, pw->pw_name,
                    strerror(errno));
    }
    endpwent();
}

// Run prog_argv as user NAME: exec setpriv --user=NAME -- PROGRAM ARGS, with
// BUNSHIN_USER taken out of the environment first (it was for init). The
// setpriv is the one next to init (self): /bin/setpriv on bunshin, the
// staged copy in a test on the Linux host, whose own setpriv has no --user.
// Returns only if the exec failed.
static void exec_as_user(const char *self, const char *name, char **prog_argv)
{
    char setpriv[4096], user_opt[256];
    const char *slash = strrchr(self, '/');
    int dir_len = slash ? (int)(slash - self) + 1 : 0;
    snprintf(setpriv, sizeof setpriv, "%.*ssetpriv", dir_len, self);
    snprintf(user_opt, sizeof user_opt, "--user=%s", name);
    unsetenv("BUNSHIN_USER");
    int n = 0;
    while (prog_argv[n])
        n++;
    char **args = calloc(n + 4, sizeof *args);
    if (!args)
        return;
    args[0] = setpriv;
    args[1] = user_opt;
    args[2] = "--";
    memcpy(args + 3, prog_argv, (n + 1) * sizeof *args);
    execv(setpriv, args);
    fprintf(stderr, "init: cannot run %s: %s\n", setpriv, strerror(errno));
}

int main(int argc, char **argv)
{
    char *default_argv[] = { "/bin/sh", NULL };
    char **prog_argv = argc > 1 ? argv + 1 : default_argv;

    // Defaults only: a value the kernel already passed is kept. But PATH
    // is init's to set when the kernel started it (as process 1): the
    // kernel passes PATH=/bin, and init's programs search /bin, bunshin's
    // own, first, then /usr/bin, Debian's busybox (README: "Programs, the
    // initrd and init"). putenv takes the string as it is: nothing to
    // allocate in process 1.
    static char boot_path[] = "PATH=/bin:/usr/bin";
    if (getpid() == 1)
        putenv(boot_path);
    else
        setenv("PATH", "/bin:/usr/bin", 0);
    setenv("HOME", "/", 0);
    setenv("TERM", "vt100", 0);

    // Not pid 1 (a test run on the Linux host): ask Linux to hand us the
    // orphans of our descendants anyway, so reaping can be tested there.
    if (getpid() != 1)
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    else
        make_homes();

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
        // The terminal is set up as root, before the ids change: the open
        // descriptors and the controlling terminal stay the program's
        // whoever it runs as, whatever the mode of /dev/tty1.
        const char *user = getenv("BUNSHIN_USER");
        if (user && *user) {
            exec_as_user(argv[0], user, prog_argv);
            _exit(127);
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
