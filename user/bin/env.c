// env [-i] [NAME=VALUE...] [COMMAND [ARG...]]: print the environment, or run
// COMMAND with the given variables added (-i: starting from an empty one).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    int i = 1;
    if (i < argc && strcmp(argv[i], "-i") == 0) {
        static char *empty[] = { NULL };
        environ = empty;
        i++;
    }
    for (; i < argc && strchr(argv[i], '='); i++) {
        if (argv[i][0] == '=') {
            fprintf(stderr, "env: invalid variable '%s'\n", argv[i]);
            return 125;
        }
        putenv(argv[i]);
    }
    if (i == argc) {
        for (char **e = environ; *e; e++)
            puts(*e);
        return fflush(stdout) == 0 ? 0 : 1;
    }
    execvp(argv[i], argv + i);
    // Like coreutils: 127 if the command is missing, 126 if it cannot run.
    int err = errno;
    fprintf(stderr, "env: '%s': %s\n", argv[i], strerror(err));
    return err == ENOENT ? 127 : 126;
}
