// wc [-l] [-w] [-c] [FILE...]: count lines (newlines), words (runs of
// characters other than space, tab, newline...) and bytes of each FILE (or
// stdin, also for "-"), with a "total" line when there are several files.
// No option means -l -w -c; the counts come in that order, as coreutils
// prints them (one count of one input: just the number).
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int want_lines, want_words, want_bytes, width;

struct counts {
    unsigned long long lines, words, bytes;
};

static int count(int fd, struct counts *c)
{
    char buf[8192];
    int in_word = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        c->bytes += n;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char ch = buf[i];
            if (ch == '\n')
                c->lines++;
            if (isspace(ch)) {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                c->words++;
            }
        }
    }
}

static void print(const struct counts *c, const char *name)
{
    const char *sep = "";
    if (want_lines) {
        printf("%*llu", width, c->lines);
        sep = " ";
    }
    if (want_words) {
        printf("%s%*llu", sep, width, c->words);
        sep = " ";
    }
    if (want_bytes)
        printf("%s%*llu", sep, width, c->bytes);
    if (name)
        printf(" %s", name);
    putchar('\n');
}

static int digits(unsigned long long v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
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
            if (*f == 'l')
                want_lines = 1;
            else if (*f == 'w')
                want_words = 1;
            else if (*f == 'c')
                want_bytes = 1;
            else {
                fprintf(stderr, "wc: invalid option -- '%c'\nusage: wc [-lwc] [FILE...]\n", *f);
                return 1;
            }
        }
    }
    if (!want_lines && !want_words && !want_bytes)
        want_lines = want_words = want_bytes = 1;
    int nfiles = argc - i;
    int ncounts = want_lines + want_words + want_bytes;

    // Column width as coreutils chooses it: enough for the total size of
    // the files, at least 7 when some input is not a regular file.
    if (ncounts == 1 && nfiles <= 1) {
        width = 1;
    } else {
        unsigned long long size = 0;
        int unsized = nfiles == 0;
        for (int k = i; k < argc; k++) {
            struct stat st;
            if (strcmp(argv[k], "-") != 0 && stat(argv[k], &st) == 0 && S_ISREG(st.st_mode))
                size += st.st_size;
            else
                unsized = 1;
        }
        width = digits(size);
        if (unsized && width < 7)
            width = 7;
    }

    int status = 0;
    struct counts total = { 0, 0, 0 };
    if (nfiles == 0) {
        struct counts c = { 0, 0, 0 };
        if (count(0, &c) < 0) {
            fprintf(stderr, "wc: -: %s\n", strerror(errno));
            return 1;
        }
        print(&c, NULL);
    }
    for (; i < argc; i++) {
        struct counts c = { 0, 0, 0 };
        int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
        if (fd < 0 || count(fd, &c) < 0) {
            fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            if (fd > 0)
                close(fd);
            continue;
        }
        if (fd > 0)
            close(fd);
        print(&c, argv[i]);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if (nfiles > 1)
        print(&total, "total");
    if (fflush(stdout) != 0)
        status = 1;
    return status;
}
