// privdemo: what a privileged parent hands its children, by default and
// on purpose (docs/credentials.md).
//
// Run as root. The parent makes a root-only file (/tmp/privdemo.secret,
// mode 0600) and keeps it open. Then:
//   child 1, plain fork: it is root, as its parent, and holds the open
//            secret: it reads it, through the inherited descriptor;
//   child 2 does what a careful server does before running a program for
//            someone else: it closes the descriptor (or it would have been
//            O_CLOEXEC), drops the supplementary groups, then the gid, then
//            the uid (in that order: once the uid is gone, the group calls
//            are refused), and runs /bin/cat on the secret: cat cannot open
//            it (EACCES), and cannot get root back.
// Boot with trace=syscalls to see every call:
//   make qemu-nox ARGS='aslr=off trace=syscalls init=/demo/privdemo'
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SECRET "/tmp/privdemo.secret"

int main(void)
{
    int fd = open(SECRET, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, "root's secret\n", 14) != 14) {
        perror("privdemo: " SECRET);
        return 1;
    }
    dprintf(1, "parent: uid %d, %s open as fd %d\n", (int)getuid(), SECRET, fd);

    // Child 1: fork hands over everything.
    pid_t pid = fork();
    if (pid == 0) {
        char buf[32] = "";
        pread(fd, buf, sizeof buf - 1, 0);
        dprintf(1, "child 1: uid %d, read through fd %d: %s", (int)getuid(), fd, buf);
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    // Child 2: only what it should have.
    pid = fork();
    if (pid == 0) {
        close(fd);
        if (setgroups(0, NULL) < 0 || setresgid(1000, 1000, 1000) < 0 ||
            setresuid(1000, 1000, 1000) < 0) {
            dprintf(1, "child 2: cannot drop privileges: %s\n", strerror(errno));
            _exit(1);
        }
        dprintf(1, "child 2: uid %d; setuid(0) now says %s\n", (int)getuid(),
                setuid(0) < 0 ? strerror(errno) : "yes (!)");
        char *argv[] = { "cat", SECRET, NULL };
        execv("/bin/cat", argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    dprintf(1, "parent: cat exited with %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    unlink(SECRET);
    return 0;
}
