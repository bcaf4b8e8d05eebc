// cp [-r] SOURCE DEST | cp [-r] SOURCE... DIR: copy files. The copy gets
// the source's permission bits (less the umask). Into an existing
// directory, each copy keeps its source's last name component.
// -r: copy directories with all they contain (symbolic links are copied
// as links).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive;

static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *s = malloc(len);
    if (!s) {
        fprintf(stderr, "cp: out of memory\n");
        exit(1);
    }
    snprintf(s, len, "%s/%s", dir, name);
    return s;
}

static int copy_data(int in, int out)
{
    char buf[16384];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, n - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return -1;
            done += w;
        }
    }
}

static int copy(const char *src, const char *dst);

static int copy_dir(const char *src, const char *dst, mode_t mode)
{
    if (mkdir(dst, mode | 0700) < 0 && errno != EEXIST) {
        fprintf(stderr, "cp: cannot create directory '%s': %s\n", dst, strerror(errno));
        return -1;
    }
    DIR *d = opendir(src);
    if (!d) {
        fprintf(stderr, "cp: cannot open '%s': %s\n", src, strerror(errno));
        return -1;
    }
    int status = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *s = join(src, e->d_name), *t = join(dst, e->d_name);
        if (copy(s, t) < 0)
            status = -1;
        free(s);
        free(t);
    }
    closedir(d);
    chmod(dst, mode);
    return status;
}

static int copy(const char *src, const char *dst)
{
    struct stat st;
    if ((recursive ? lstat(src, &st) : stat(src, &st)) < 0) {
        fprintf(stderr, "cp: cannot stat '%s': %s\n", src, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (!recursive) {
            fprintf(stderr, "cp: -r not specified; omitting directory '%s'\n", src);
            return -1;
        }
        return copy_dir(src, dst, st.st_mode & 07777);
    }
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlink(src, target, sizeof target - 1);
        if (n < 0 || (target[n] = '\0', symlink(target, dst) < 0)) {
            fprintf(stderr, "cp: cannot copy link '%s': %s\n", src, strerror(errno));
            return -1;
        }
        return 0;
    }
    int in = open(src, O_RDONLY);
    if (in < 0) {
        fprintf(stderr, "cp: cannot open '%s' for reading: %s\n", src, strerror(errno));
        return -1;
    }
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st.st_mode & 07777);
    if (out < 0) {
        fprintf(stderr, "cp: cannot create regular file '%s': %s\n", dst, strerror(errno));
        close(in);
        return -1;
    }
    int r = copy_data(in, out);
    if (r < 0)
        fprintf(stderr, "cp: error copying '%s' to '%s': %s\n", src, dst, strerror(errno));
    close(in);
    if (close(out) < 0 && r == 0) {
        fprintf(stderr, "cp: error writing '%s': %s\n", dst, strerror(errno));
        r = -1;
    }
    return r;
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
            if (*f == 'r' || *f == 'R') {
                recursive = 1;
            } else {
                fprintf(stderr, "cp: invalid option -- '%c'\n", *f);
                return 1;
            }
        }
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: cp [-r] SOURCE DEST | cp [-r] SOURCE... DIR\n");
        return 1;
    }
    const char *dest = argv[argc - 1];
    struct stat st;
    int into_dir = stat(dest, &st) == 0 && S_ISDIR(st.st_mode);
    if (argc - i > 2 && !into_dir) {
        fprintf(stderr, "cp: target '%s' is not a directory\n", dest);
        return 1;
    }
    int status = 0;
    for (; i < argc - 1; i++) {
        if (into_dir) {
            char *copy_name = strdup(argv[i]);
            char *t = join(dest, basename(copy_name));
            if (copy(argv[i], t) < 0)
                status = 1;
            free(t);
            free(copy_name);
        } else if (copy(argv[i], dest) < 0) {
            status = 1;
        }
    }
    return status;
}
