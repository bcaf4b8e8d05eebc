// pipe_hold: an exec target for the fork tests that stays alive on demand.
//   pipe_hold READFD [WRITEFD]
// Writes its pid (4 bytes, binary) to WRITEFD if given and closes it, then
// reads READFD until end of file (the test closes the other end) and exits
// with 0; with 2 if an argument is not a number, 3 if READFD is not open.
#include <stdlib.h>
#include <unistd.h>

static int number(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 0)
        exit(2);
    return (int)v;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    int rfd = number(argv[1]);
    if (argc > 2) {
        int wfd = number(argv[2]);
        pid_t me = getpid();
        write(wfd, &me, sizeof me);
        close(wfd);
    }
    char buf[16];
    ssize_t n;
    while ((n = read(rfd, buf, sizeof buf)) > 0)
        ;
    return n < 0 ? 3 : 0;
}
