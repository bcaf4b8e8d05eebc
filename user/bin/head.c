// head [-n N | -N] [FILE...]: the first N lines (10 unless told) of each
// FILE, or of stdin (also for "-"); with several files, each under a
// "==> NAME <==" heading.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bunshin.h"

// Copy the first n lines of fd to stdout. It reads a block at a time and
// writes what belongs to the first n lines. Returns 0 or -1.
static int head(int fd, long n)
{
    char buf[8192];
    while (n > 0) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        ssize_t end = 0;
        while (end < got && n > 0)
            if (buf[end++] == '\n')
                n--;
        if (fwrite(buf, 1, end, stdout) != (size_t)end)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    return lines_main(argc, argv, "head", head);
}
