// chmod MODE FILE...: change permission bits. MODE is octal (755) or
// symbolic: [ugoa]*[+-=][rwx]* clauses separated by commas (u+x, go-w,
// a=r). With no u, g, o or a, + and - apply to all, less the umask.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

// The new mode for old under the symbolic mode s; -1 if s is not one.
static long symbolic(const char *s, mode_t old, mode_t mask)
{
    mode_t m = old & 07777;
    while (*s) {
        mode_t who = 0;
        for (; strchr("ugoa", *s) && *s; s++)
            who |= *s == 'u' ? 04700 : *s == 'g' ? 02070 : *s == 'o' ? 01007 : 07777;
        int all = who == 0;
        if (all)
            who = 07777 & ~mask;
        if (!*s || !strchr("+-=", *s))
            return -1;
        while (*s && strchr("+-=", *s)) {
            char op = *s++;
            mode_t bits = 0;
            for (; *s && strchr("rwx", *s); s++)
                bits |= *s == 'r' ? 0444 : *s == 'w' ? 0222 : 0111;
            bits &= who;
            if (op == '+')
                m |= bits;
            else if (op == '-')
                m &= ~bits;
            else
                m = (m & ~(all ? 0777 : who & 0777)) | bits;
        }
        if (*s == ',')
            s++;
        else if (*s)
            return -1;
    }
    return m;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: chmod MODE FILE...\n");
        return 1;
    }
    const char *mode = argv[1];
    mode_t mask = umask(0);
    umask(mask);
    int octal = mode[strspn(mode, "01234567")] == '\0';
    int status = 0;
    for (int i = 2; i < argc; i++) {
        long m;
        if (octal) {
            m = strtol(mode, NULL, 8);
        } else {
            struct stat st;
            if (stat(argv[i], &st) < 0) {
                fprintf(stderr, "chmod: cannot access '%s': %s\n", argv[i], strerror(errno));
                status = 1;
                continue;
            }
            m = symbolic(mode, st.st_mode, mask);
        }
        if (m < 0 || m > 07777) {
            fprintf(stderr, "chmod: invalid mode: '%s'\n", mode);
            return 1;
        }
        if (chmod(argv[i], m) < 0) {
            fprintf(stderr, "chmod: changing permissions of '%s': %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
