// ls [-a] [-l] [-d] [-1] [NAME...]: list the names in each directory, sorted,
// one per line (dotfiles only with -a); a NAME that is not a directory (or
// any NAME with -d) is listed as itself. With several NAMEs, files come
// first, then each directory under a "NAME:" heading, as coreutils does.
//
// -l gives one line per name, as coreutils' ls -l does:
//     -rw-r--r-- 1 user user 1234 Jan  5 12:34 notes.txt
//     lrwxrwxrwx 1 root root    4 Jan  5 12:34 link -> notes.txt
// mode string, link count, owner and group (their names from /etc/passwd
// and /etc/group, or the numbers where there is no name), size in bytes
// (for a device, its major, minor numbers), time of the last change of the
// data, name. A directory's list starts with "total N": the space used, in KiB.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

static int show_all, long_format, dir_itself;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

// "drwxr-xr-x": the type, then read/write/execute for owner, group, others
// (with s/S for set-id bits and t/T for the sticky bit).
static void mode_string(mode_t m, char out[11])
{
    out[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b'
           : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++)
        out[1 + i] = m & (0400 >> i) ? rwx[i] : '-';
    if (m & S_ISUID)
        out[3] = m & S_IXUSR ? 's' : 'S';
    if (m & S_ISGID)
        out[6] = m & S_IXGRP ? 's' : 'S';
    if (m & S_ISVTX)
        out[9] = m & S_IXOTH ? 't' : 'T';
    out[10] = '\0';
}

struct entry {
    char *name;   // as shown
    char *path;   // for lstat and readlink
    struct stat st;
    int have_st;
};

static int digits(unsigned long long v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

// The width of an owner or group column entry: its name, else its number.
static int id_width(const char *name, unsigned id)
{
    return name ? (int)strlen(name) : digits(id);
}

// An owner or group as GNU ls prints it: a name padded on the right, or
// (for an id without a name) the number padded on the left, then a blank.
static void print_id(const char *name, unsigned id, int width)
{
    if (name)
        printf("%-*s ", width, name);
    else
        printf("%*u ", width, id);
}

// Print entries (already sorted), one per line or in the long format.
static void print_entries(struct entry *e, size_t n, int with_total)
{
    if (!long_format) {
        for (size_t i = 0; i < n; i++)
            puts(e[i].name);
        return;
    }
    int wl = 1, wu = 1, wg = 1, ws = 1;
    unsigned long long blocks = 0;
    for (size_t i = 0; i < n; i++) {
        if (!e[i].have_st)
            continue;
        struct stat *st = &e[i].st;
        blocks += st->st_blocks;
        if (digits(st->st_nlink) > wl)
            wl = digits(st->st_nlink);
        if (id_width(user_name(st->st_uid), st->st_uid) > wu)
            wu = id_width(user_name(st->st_uid), st->st_uid);
        if (id_width(group_name(st->st_gid), st->st_gid) > wg)
            wg = id_width(group_name(st->st_gid), st->st_gid);
        int s = S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)
                    ? digits(major(st->st_rdev)) + 2 + digits(minor(st->st_rdev))
                    : digits(st->st_size);
        if (s > ws)
            ws = s;
    }
    if (with_total)
        printf("total %llu\n", blocks / 2);
    time_t now = time(NULL);
    for (size_t i = 0; i < n; i++) {
        if (!e[i].have_st) {
            printf("?????????? ? ? ? ? ? %s\n", e[i].name);
            continue;
        }
        struct stat *st = &e[i].st;
        char mode[11], when[32], size[32];
        mode_string(st->st_mode, mode);
        // Recent times (six months) show the hour, older ones the year.
        struct tm tm;
        localtime_r(&st->st_mtime, &tm);
        long age = (long)(now - st->st_mtime);
        strftime(when, sizeof when,
                 age < 183L * 24 * 3600 && age > -3600 ? "%b %e %H:%M" : "%b %e  %Y", &tm);
        if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
            snprintf(size, sizeof size, "%u, %u", major(st->st_rdev), minor(st->st_rdev));
        else
            snprintf(size, sizeof size, "%lld", (long long)st->st_size);
        printf("%s %*lu ", mode, wl, (unsigned long)st->st_nlink);
        print_id(user_name(st->st_uid), st->st_uid, wu);
        print_id(group_name(st->st_gid), st->st_gid, wg);
        printf("%*s %s %s", ws, size, when, e[i].name);
        if (S_ISLNK(st->st_mode)) {
            char target[4096];
            ssize_t len = readlink(e[i].path, target, sizeof target - 1);
            if (len >= 0) {
                target[len] = '\0';
                printf(" -> %s", target);
            }
        }
        putchar('\n');
    }
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void free_entries(struct entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].name);
        free(e[i].path);
    }
    free(e);
}

// List an open directory. Returns 0 or -1.
static int list(DIR *d, const char *path)
{
    struct entry *e = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    int status = 0;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' && !show_all)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            struct entry *bigger = realloc(e, cap * sizeof *e);
            if (!bigger) {
                fprintf(stderr, "ls: %s: out of memory\n", path);
                free_entries(e, n);
                return -1;
            }
            e = bigger;
        }
        e[n].name = strdup(de->d_name);
        size_t len = strlen(path) + strlen(de->d_name) + 2;
        e[n].path = malloc(len);
        if (!e[n].name || !e[n].path) {
            fprintf(stderr, "ls: %s: out of memory\n", path);
            free_entries(e, n + 1);
            return -1;
        }
        snprintf(e[n].path, len, "%s/%s", path, de->d_name);
        e[n].have_st = 0;
        if (long_format) {
            if (lstat(e[n].path, &e[n].st) == 0) {
                e[n].have_st = 1;
            } else {
                fprintf(stderr, "ls: cannot access '%s': %s\n", e[n].path, strerror(errno));
                status = -1;
            }
        }
        n++;
        errno = 0;
    }
    if (errno) {
        fprintf(stderr, "ls: reading directory '%s': %s\n", path, strerror(errno));
        status = -1;
    }
    qsort(e, n, sizeof *e, entry_cmp);
    print_entries(e, n, 1);
    free_entries(e, n);
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
            switch (*f) {
            case 'a': show_all = 1; break;
            case 'l': long_format = 1; break;
            case 'd': dir_itself = 1; break;
            case '1': break;
            default:
                fprintf(stderr, "ls: invalid option -- '%c'\nusage: ls [-adl1] [NAME...]\n", *f);
                return 2;
            }
        }
    }
    char *dot[] = { ".", NULL };
    char **names = first < argc ? argv + first : dot;
    int count = first < argc ? argc - first : 1;
    qsort(names, count, sizeof *names, by_name);

    // Sort the names into files (listed first, together) and directories.
    struct entry *files = calloc(count, sizeof *files);
    char **dirs = calloc(count, sizeof *dirs);
    if (!files || !dirs) {
        fprintf(stderr, "ls: out of memory\n");
        return 2;
    }
    size_t nfiles = 0, ndirs = 0;
    int status = 0;
    for (int i = 0; i < count; i++) {
        struct stat st;
        // A symbolic link given by name is followed, except with -l or -d,
        // which show the link itself (as coreutils does).
        int r = long_format || dir_itself ? lstat(names[i], &st) : stat(names[i], &st);
        if (r < 0 && lstat(names[i], &st) < 0) {
            fprintf(stderr, "ls: cannot access '%s': %s\n", names[i], strerror(errno));
            status = 2;
            continue;
        }
        if (S_ISDIR(st.st_mode) && !dir_itself) {
            dirs[ndirs++] = names[i];
            continue;
        }
        files[nfiles].name = strdup(names[i]);
        files[nfiles].path = strdup(names[i]);
        files[nfiles].st = st;
        files[nfiles].have_st = 1;
        nfiles++;
    }
    print_entries(files, nfiles, 0);
    free_entries(files, nfiles);
    for (size_t i = 0; i < ndirs; i++) {
        DIR *d = opendir(dirs[i]);
        if (count > 1)
            printf("%s%s:\n", nfiles || i ? "\n" : "", dirs[i]);
        if (!d) {
            fprintf(stderr, "ls: cannot open directory '%s': %s\n", dirs[i], strerror(errno));
            status = 2;
            continue;
        }
        if (list(d, dirs[i]) < 0)
            status = 2;
        closedir(d);
    }
    free(dirs);
    if (fflush(stdout) != 0)
        status = 2;
    return status;
}
