// uname [-snrvma]: print system information (default -s), fields in the
// order sysname, nodename, release, version, machine, like coreutils.
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

int main(int argc, char **argv)
{
    enum { S = 1, N = 2, R = 4, V = 8, M = 16, ALL = 31 };
    int want = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-' || !argv[i][1])
            goto usage;
        for (char *f = argv[i] + 1; *f; f++) {
            const char *flags = "snrvma";
            const char *p = strchr(flags, *f);
            if (!p)
                goto usage;
            want |= *f == 'a' ? ALL : 1 << (p - flags);
        }
    }
    if (!want)
        want = S;

    struct utsname u;
    if (uname(&u) < 0) {
        perror("uname");
        return 1;
    }
    const char *fields[] = { u.sysname, u.nodename, u.release, u.version, u.machine };
    const char *sep = "";
    for (int i = 0; i < 5; i++) {
        if (want & (1 << i)) {
            printf("%s%s", sep, fields[i]);
            sep = " ";
        }
    }
    putchar('\n');
    return fflush(stdout) == 0 ? 0 : 1;
usage:
    fprintf(stderr, "usage: uname [-snrvma]\n");
    return 1;
}
