// tail [-n N | -N] [FILE...]: the last N lines (10 unless told) of each
// FILE, or of stdin (also for "-"); with several files, each under a
// "==> NAME <==" heading. The whole input is read, keeping the last N lines.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bunshin.h"

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

int main(int argc, char **argv)
{
    return lines_main(argc, argv, "tail", tail);
}
