// head [-n N | -N] [FILE...]: the first N lines (10 unless told) of each
// FILE, or of stdin (also for "-"); with several files, each under a
// "==> NAME <==" heading.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static int parse_count(const char *s, long *n)
{
    char *end;
    errno = 0;
    *n = strtol(s, &end, 10);
    return *s && !*end && !errno && *n >= 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    long n = 10;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *count = NULL;
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            count = argv[++i];
        } else if (strncmp(argv[i], "-n", 2) == 0) {
            count = argv[i] + 2;
        } else {
            count = argv[i] + 1;   // -N
        }
        if (parse_count(count, &n) < 0) {
            fprintf(stderr, "head: invalid number of lines: '%s'\nusage: head [-n N] [FILE...]\n",
                    count);
            return 1;
        }
    }
    int status = 0, nfiles = argc - i;
    if (nfiles == 0 && head(0, n) < 0) {
        fprintf(stderr, "head: -: %s\n", strerror(errno));
        status = 1;
    }
    for (int k = i; k < argc; k++) {
        int fd = strcmp(argv[k], "-") == 0 ? 0 : open(argv[k], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "head: cannot open '%s' for reading: %s\n", argv[k], strerror(errno));
            status = 1;
            continue;
        }
        if (nfiles > 1)
            printf("%s==> %s <==\n", k > i ? "\n" : "", argv[k]);
        if (head(fd, n) < 0) {
            fprintf(stderr, "head: error reading '%s': %s\n", argv[k], strerror(errno));
            status = 1;
        }
        if (fd > 0)
            close(fd);
    }
    if (fflush(stdout) != 0)
        status = 1;
    return status;
}
