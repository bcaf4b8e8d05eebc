// grep [-vcnilqEF] [-e] PATTERN [FILE...]: print the lines of each FILE (or
// stdin, also for "-") that match PATTERN, a basic regular expression
// (POSIX regcomp: . * ^ $ [...] \( \) ...), an extended one with -E (+ ?
// | ( ) {n,m}), or a fixed string with -F.
//   -v  the lines that do not match     -c  only the number of such lines
//   -n  the line number before each     -i  ignore case
//   -l  only the names of files with a match
//   -q  print nothing; the status tells
// Several FILEs: each line starts with its file's name. Status: 0 if some
// line was selected, 1 if none, 2 on an error.
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int invert, count_only, numbers, icase, names_only, quiet, fixed, extended;
static const char *pattern;
static regex_t re;

static int matches(const char *line)
{
    if (fixed) {
        if (!icase)
            return strstr(line, pattern) != NULL;
        size_t n = strlen(pattern);
        for (const char *p = line; *p; p++)
            if (strncasecmp(p, pattern, n) == 0)
                return 1;
        return n == 0;
    }
    return regexec(&re, line, 0, NULL, 0) == 0;
}

// Returns the number of selected lines, or -1 on a read error.
static long grep_file(FILE *f, const char *name, int show_name)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long selected = 0, lineno = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (matches(line) == invert)
            continue;
        selected++;
        if (quiet)
            break;   // the answer is known
        if (names_only) {
            puts(name);
            break;
        }
        if (count_only)
            continue;
        if (show_name)
            printf("%s:", name);
        if (numbers)
            printf("%ld:", lineno);
        puts(line);
    }
    free(line);
    if (ferror(f))
        return -1;
    if (count_only && !quiet) {
        if (show_name)
            printf("%s:", name);
        printf("%ld\n", selected);
    }
    return selected;
}

static void usage(void)
{
    fprintf(stderr, "usage: grep [-vcnilqEF] [-e] PATTERN [FILE...]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] && !pattern; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (char *f = argv[i] + 1; *f; f++) {
            switch (*f) {
            case 'v': invert = 1; break;
            case 'c': count_only = 1; break;
            case 'n': numbers = 1; break;
            case 'i': icase = 1; break;
            case 'l': names_only = 1; break;
            case 'q': quiet = 1; break;
            case 'E': extended = 1; break;
            case 'F': fixed = 1; break;
            case 'e':
                if (f[1])
                    pattern = f + 1;
                else if (i + 1 < argc)
                    pattern = argv[++i];
                else
                    usage();
                goto next_arg;   // the rest of this word was the pattern
            default:
                fprintf(stderr, "grep: invalid option -- '%c'\n", *f);
                usage();
            }
        }
    next_arg:;
    }
    if (!pattern) {
        if (i == argc)
            usage();
        pattern = argv[i++];
    }
    if (!fixed) {
        int err = regcomp(&re, pattern, (extended ? REG_EXTENDED : 0) |
                                            (icase ? REG_ICASE : 0) | REG_NOSUB);
        if (err) {
            char msg[256];
            regerror(err, &re, msg, sizeof msg);
            fprintf(stderr, "grep: %s: %s\n", pattern, msg);
            return 2;
        }
    }
    int nfiles = argc - i, errors = 0;
    long selected = 0;
    if (nfiles == 0) {
        long n = grep_file(stdin, "(standard input)", 0);
        if (n < 0) {
            fprintf(stderr, "grep: (standard input): %s\n", strerror(errno));
            errors = 1;
        } else {
            selected += n;
        }
    }
    for (; i < argc && !(quiet && selected); i++) {
        int is_stdin = strcmp(argv[i], "-") == 0;
        FILE *f = is_stdin ? stdin : fopen(argv[i], "r");
        const char *name = is_stdin ? "(standard input)" : argv[i];
        if (!f) {
            fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno));
            errors = 1;
            continue;
        }
        long n = grep_file(f, name, nfiles > 1);
        if (n < 0) {
            fprintf(stderr, "grep: %s: %s\n", name, strerror(errno));
            errors = 1;
        } else {
            selected += n;
        }
        if (!is_stdin)
            fclose(f);
    }
    if (fflush(stdout) != 0)
        errors = 1;
    if (quiet && selected)
        return 0;
    return errors ? 2 : selected ? 0 : 1;
}
