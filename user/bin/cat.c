// cat [FILE...]: copy each file (or stdin, also for "-") to stdout.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

// Copy everything from fd to stdout. Returns 0, or -1 with errno set.
static int copy(int fd)
{
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(1, buf + done, n - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return -1;
            done += w;
        }
    }
}

int main(int argc, char **argv)
{
    int status = 0;
    if (argc == 1 && copy(0) < 0) {
        fprintf(stderr, "cat: -: %s\n", strerror(errno));
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
        if (fd < 0 || copy(fd) < 0) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
        if (fd > 0)
            close(fd);
    }
    return status;
}
