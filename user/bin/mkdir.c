// mkdir [-p] [-m MODE] DIR...: make directories (mode 0777 less the umask,
// or MODE in octal). -p: make missing parents too, and say nothing when a
// directory exists already.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int parents;

// mkdir -p: every prefix of path ending at a '/', then path itself.
static int make_parents(char *path, mode_t mode)
{
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        struct stat st;
        int r = mkdir(path, saved ? 0777 : mode);
        if (r < 0 && errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            r = 0;
        else if (r < 0 && errno == EEXIST)
            errno = ENOTDIR;
        *p = saved;
        if (r < 0)
            return -1;
        while (*p == '/')
            p++;
        if (!*p)
            return 0;
    }
}

int main(int argc, char **argv)
{
    mode_t mode = 0777;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "-p") == 0) {
            parents = 1;
        } else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc) {
            char *end;
            mode = strtol(argv[++i], &end, 8);
            if (*end || mode > 07777) {
                fprintf(stderr, "mkdir: invalid mode '%s'\n", argv[i]);
                return 1;
            }
        } else {
            fprintf(stderr, "mkdir: invalid option '%s'\nusage: mkdir [-p] [-m MODE] DIR...\n",
                    argv[i]);
            return 1;
        }
    }
    if (i == argc) {
        fprintf(stderr, "usage: mkdir [-p] [-m MODE] DIR...\n");
        return 1;
    }
    int status = 0;
    for (; i < argc; i++) {
        int r = parents ? make_parents(argv[i], mode) : mkdir(argv[i], mode);
        if (r < 0) {
            fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
