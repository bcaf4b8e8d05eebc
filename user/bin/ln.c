// ln [-s] [-f] TARGET LINK | ln [-s] [-f] TARGET... DIR | ln [-s] TARGET:
// make LINK a new name for TARGET: a hard link (another directory entry for
// the same inode) or, with -s, a symbolic link (a small file holding the
// text TARGET). Into a directory (or with no LINK, the current one), the
// link takes TARGET's last name component. -f: remove an existing LINK first.
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int symbolic = 0, force = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (char *f = argv[i] + 1; *f; f++) {
            if (*f == 's')
                symbolic = 1;
            else if (*f == 'f')
                force = 1;
            else {
                fprintf(stderr, "ln: invalid option -- '%c'\nusage: ln [-sf] TARGET [LINK]\n", *f);
                return 1;
            }
        }
    }
    int n = argc - i;
    if (n < 1) {
        fprintf(stderr, "usage: ln [-sf] TARGET LINK | ln [-sf] TARGET... DIR\n");
        return 1;
    }
    const char *dir = NULL;
    struct stat st;
    if (n == 1)
        dir = ".";
    else if (stat(argv[argc - 1], &st) == 0 && S_ISDIR(st.st_mode))
        dir = argv[argc - 1];
    else if (n > 2) {
        fprintf(stderr, "ln: target '%s' is not a directory\n", argv[argc - 1]);
        return 1;
    }
    int status = 0, last = n == 1 ? argc : argc - 1;
    for (; i < last; i++) {
        char name[4096];
        if (dir) {
            char *copy = strdup(argv[i]);
            snprintf(name, sizeof name, "%s/%s", dir, copy ? basename(copy) : argv[i]);
            free(copy);
        } else {
            snprintf(name, sizeof name, "%s", argv[argc - 1]);
        }
        if (force)
            unlink(name);
        int r = symbolic ? symlink(argv[i], name) : link(argv[i], name);
        if (r < 0) {
            fprintf(stderr, "ln: failed to create %s link '%s' -> '%s': %s\n",
                    symbolic ? "symbolic" : "hard", name, argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
