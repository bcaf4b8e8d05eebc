// mv SOURCE DEST | mv SOURCE... DIR: rename (move) files and directories;
// into an existing directory, each keeps its last name component. One
// rename(2) each: the name changes, the inode and its data stay.
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
    int i = 1;
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (argc - i < 2) {
        fprintf(stderr, "usage: mv SOURCE DEST | mv SOURCE... DIR\n");
        return 1;
    }
    const char *dest = argv[argc - 1];
    struct stat st;
    int into_dir = stat(dest, &st) == 0 && S_ISDIR(st.st_mode);
    if (argc - i > 2 && !into_dir) {
        fprintf(stderr, "mv: target '%s' is not a directory\n", dest);
        return 1;
    }
    int status = 0;
    for (; i < argc - 1; i++) {
        char target[4096];
        if (into_dir) {
            char *copy = strdup(argv[i]);
            snprintf(target, sizeof target, "%s/%s", dest, copy ? basename(copy) : argv[i]);
            free(copy);
        } else {
            snprintf(target, sizeof target, "%s", dest);
        }
        if (rename(argv[i], target) < 0) {
            fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", argv[i], target,
                    strerror(errno));
            status = 1;
        }
    }
    return status;
}
