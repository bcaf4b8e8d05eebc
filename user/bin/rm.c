// rm [-r] [-f] NAME...: remove files (unlink). -r: directories too, with
// everything in them (depth first: the contents, then rmdir). -f: no
// message and no failure for names that do not exist. A symbolic link is
// removed itself, never followed.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, force;

static int remove_path(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0) {
        if (force && errno == ENOENT)
            return 0;
        fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) < 0) {
            fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (!recursive) {
        fprintf(stderr, "rm: cannot remove '%s': Is a directory\n", path);
        return -1;
    }
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "rm: cannot open '%s': %s\n", path, strerror(errno));
        return -1;
    }
    // Collect the names first: the directory changes while we remove.
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char **bigger = realloc(names, (n + 1) * sizeof *names);
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *full = malloc(len);
        if (!bigger || !full) {
            fprintf(stderr, "rm: out of memory\n");
            exit(1);
        }
        names = bigger;
        snprintf(full, len, "%s/%s", path, e->d_name);
        names[n++] = full;
    }
    closedir(d);
    int status = 0;
    for (size_t i = 0; i < n; i++) {
        if (remove_path(names[i]) < 0)
            status = -1;
        free(names[i]);
    }
    free(names);
    if (status == 0 && rmdir(path) < 0) {
        fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
        status = -1;
    }
    return status;
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (char *f = argv[i] + 1; *f; f++) {
            if (*f == 'r' || *f == 'R')
                recursive = 1;
            else if (*f == 'f')
                force = 1;
            else {
                fprintf(stderr, "rm: invalid option -- '%c'\nusage: rm [-rf] NAME...\n", *f);
                return 1;
            }
        }
    }
    if (i == argc && !force) {
        fprintf(stderr, "usage: rm [-rf] NAME...\n");
        return 1;
    }
    int status = 0;
    for (; i < argc; i++)
        if (remove_path(argv[i]) < 0)
            status = 1;
    return status;
}
