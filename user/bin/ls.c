// ls [-a] [NAME...]: list the names in each directory, sorted, one per line
// (dotfiles only with -a); a NAME that is not a directory is printed as is.
// With several NAMEs, files come first, then each directory under a
// "NAME:" heading, as coreutils does. (-l comes with a later issue.)
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int show_all;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

// Print the sorted entries of an open directory. Returns 0 or -1.
static int list(DIR *d, const char *path)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' && !show_all)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **bigger = realloc(names, cap * sizeof *names);
            if (!bigger) {
                fprintf(stderr, "ls: %s: out of memory\n", path);
                return -1;
            }
            names = bigger;
        }
        names[n++] = strdup(e->d_name);
    }
    int status = 0;
    if (errno) {
        fprintf(stderr, "ls: reading directory '%s': %s\n", path, strerror(errno));
        status = -1;
    }
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        puts(names[i]);
        free(names[i]);
    }
    free(names);
    return status;
}

int main(int argc, char **argv)
{
    int first = 1;
    for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
        if (strcmp(argv[first], "--") == 0) {
            first++;
            break;
        }
        for (char *f = argv[first] + 1; *f; f++) {
            if (*f != 'a') {
                fprintf(stderr, "ls: invalid option -- '%c'\nusage: ls [-a] [NAME...]\n", *f);
                return 2;
            }
            show_all = 1;
        }
    }
    char *dot[] = { ".", NULL };
    char **names = first < argc ? argv + first : dot;
    int count = first < argc ? argc - first : 1;

    // Open everything first: files are printed before any directory.
    DIR **dirs = calloc(count, sizeof *dirs);
    if (!dirs) {
        fprintf(stderr, "ls: out of memory\n");
        return 2;
    }
    int status = 0, printed = 0;
    for (int i = 0; i < count; i++) {
        dirs[i] = opendir(names[i]);
        if (dirs[i])
            continue;
        if (errno == ENOTDIR) {
            puts(names[i]);
            printed = 1;
        } else {
            fprintf(stderr, "ls: cannot access '%s': %s\n", names[i], strerror(errno));
            status = 2;
        }
    }
    for (int i = 0; i < count; i++) {
        if (!dirs[i])
            continue;
        if (count > 1)
            printf("%s%s:\n", printed ? "\n" : "", names[i]);
        if (list(dirs[i], names[i]) < 0)
            status = 2;
        closedir(dirs[i]);
        printed = 1;
    }
    if (fflush(stdout) != 0)
        status = 2;
    return status;
}
