// fd_report: an exec target for t_execfds that reports the descriptors it
// was started with, found two ways.
//   fd_report [FD...]
// Prints on stdout:
//   fcntl 0 1 2 5 ...    every fd below 4096 for which fcntl(F_GETFD)
//                        succeeds; "!" after one that has close-on-exec set
//   proc 0 1 2 5 ...     the names in /proc/self/fd, sorted, without the
//                        fd used to read that directory (or "proc ERRNAME")
//   fd N offset O        for each FD given: lseek(N, 0, SEEK_CUR); then it
//                        writes "Z" through N
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bunshin.h"

static int by_number(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

int main(int argc, char **argv)
{
    char line[8192];
    int n = snprintf(line, sizeof line, "fcntl");
    for (int fd = 0; fd < 4096 && n < (int)sizeof line - 16; fd++) {
        int flags = fcntl(fd, F_GETFD);
        if (flags >= 0)
            n += snprintf(line + n, sizeof line - n, " %d%s", fd, flags & FD_CLOEXEC ? "!" : "");
    }
    say("%s", line);

    // Open the directory first, to know which fd is our own.
    int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        say("proc %s", errname(errno));
    } else {
        int fds[4096], count = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL && count < 4096) {
            if (e->d_name[0] < '0' || e->d_name[0] > '9')
                continue;
            int fd = atoi(e->d_name);
            if (fd != dfd)
                fds[count++] = fd;
        }
        closedir(d);
        qsort(fds, count, sizeof *fds, by_number);
        n = snprintf(line, sizeof line, "proc");
        for (int i = 0; i < count && n < (int)sizeof line - 16; i++)
            n += snprintf(line + n, sizeof line - n, " %d", fds[i]);
        say("%s", line);
    }

    for (int i = 1; i < argc; i++) {
        int fd = atoi(argv[i]);
        say("fd %d offset %lld", fd, (long long)lseek(fd, 0, SEEK_CUR));
        write(fd, "Z", 1);
    }
    return 0;
}
