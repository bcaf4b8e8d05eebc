// lines.c: the command line head and tail share: [-n N | -N] [FILE...],
// each FILE (or stdin, also for "-") handed to the program's own function,
// with a "==> NAME <==" heading when there are several.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bunshin.h"

static int parse_count(const char *s, long *n)
{
    char *end;
    errno = 0;
    *n = strtol(s, &end, 10);
    return *s && !*end && !errno && *n >= 0 ? 0 : -1;
}

int lines_main(int argc, char **argv, const char *prog, int (*each)(int fd, long n))
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
            fprintf(stderr, "%s: invalid number of lines: '%s'\nusage: %s [-n N] [FILE...]\n",
                    prog, count, prog);
            return 1;
        }
    }
    int status = 0, nfiles = argc - i;
    if (nfiles == 0 && each(0, n) < 0) {
        fprintf(stderr, "%s: -: %s\n", prog, strerror(errno));
        status = 1;
    }
    for (int k = i; k < argc; k++) {
        int fd = strcmp(argv[k], "-") == 0 ? 0 : open(argv[k], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "%s: cannot open '%s' for reading: %s\n", prog, argv[k], strerror(errno));
            status = 1;
            continue;
        }
        if (nfiles > 1)
            printf("%s==> %s <==\n", k > i ? "\n" : "", argv[k]);
        fflush(stdout);
        if (each(fd, n) < 0) {
            fprintf(stderr, "%s: error reading '%s': %s\n", prog, argv[k], strerror(errno));
            status = 1;
        }
        if (fd > 0)
            close(fd);
    }
    if (fflush(stdout) != 0)
        status = 1;
    return status;
}
