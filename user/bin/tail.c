// tail [-n N | -N] [FILE...]: the last N lines (10 unless told) of each
// FILE, or of stdin (also for "-"); with several files, each under a
// "==> NAME <==" heading. The whole input is read, keeping the last N lines.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Read all of fd; print its last n lines. Returns 0 or -1.
static int tail(int fd, long n)
{
    size_t len = 0, cap = 0;
    char *data = NULL;
    for (;;) {
        if (cap - len < 8192) {
            cap = cap ? 2 * cap : 65536;
            char *bigger = realloc(data, cap);
            if (!bigger) {
                free(data);
                errno = ENOMEM;
                return -1;
            }
            data = bigger;
        }
        ssize_t got = read(fd, data + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            free(data);
            return -1;
        }
        if (got == 0)
            break;
        len += got;
    }
    // Walk back over n line ends (a last line without one counts too).
    size_t start = len;
    long lines = 0;
    if (start > 0 && data[start - 1] == '\n')
        start--;
    while (start > 0) {
        if (data[start - 1] == '\n' && ++lines == n)
            break;
        start--;
    }
    if (n == 0)
        start = len;
    fwrite(data + start, 1, len - start, stdout);
    free(data);
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
            fprintf(stderr, "tail: invalid number of lines: '%s'\nusage: tail [-n N] [FILE...]\n",
                    count);
            return 1;
        }
    }
    int status = 0, nfiles = argc - i;
    if (nfiles == 0 && tail(0, n) < 0) {
        fprintf(stderr, "tail: -: %s\n", strerror(errno));
        status = 1;
    }
    for (int k = i; k < argc; k++) {
        int fd = strcmp(argv[k], "-") == 0 ? 0 : open(argv[k], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "tail: cannot open '%s' for reading: %s\n", argv[k], strerror(errno));
            status = 1;
            continue;
        }
        if (nfiles > 1)
            printf("%s==> %s <==\n", k > i ? "\n" : "", argv[k]);
        fflush(stdout);
        if (tail(fd, n) < 0) {
            fprintf(stderr, "tail: error reading '%s': %s\n", argv[k], strerror(errno));
            status = 1;
        }
        if (fd > 0)
            close(fd);
    }
    if (fflush(stdout) != 0)
        status = 1;
    return status;
}
