// test EXPRESSION: status 0 if it holds, 1 if not, 2 on a bad expression.
//   -e F  exists        -f F  regular file     -d F  directory
//   -L F  symbolic link (also -h)              -p F  pipe (FIFO)
//   -r/-w/-x F  readable/writable/executable   -s F  not empty
//   -n S  not empty string   -z S  empty string   S  not empty
//   S1 = S2, S1 != S2        N1 -eq -ne -lt -le -gt -ge N2
//   ! E   not E              E1 -a E2  and      E1 -o E2  or    ( E )
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char **args;
static int nargs, pos, bad;

static const char *peek(void)
{
    return pos < nargs ? args[pos] : NULL;
}

static long number(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end) {
        fprintf(stderr, "test: %s: integer expression expected\n", s);
        bad = 1;
    }
    return v;
}

static int unary(const char *op, const char *arg)
{
    struct stat st;
    switch (op[1]) {
    case 'n': return *arg != '\0';
    case 'z': return *arg == '\0';
    case 'e': return stat(arg, &st) == 0;
    case 'f': return stat(arg, &st) == 0 && S_ISREG(st.st_mode);
    case 'd': return stat(arg, &st) == 0 && S_ISDIR(st.st_mode);
    case 'p': return stat(arg, &st) == 0 && S_ISFIFO(st.st_mode);
    case 'L':
    case 'h': return lstat(arg, &st) == 0 && S_ISLNK(st.st_mode);
    case 's': return stat(arg, &st) == 0 && st.st_size > 0;
    case 'r': return access(arg, R_OK) == 0;
    case 'w': return access(arg, W_OK) == 0;
    case 'x': return access(arg, X_OK) == 0;
    }
    return 0;
}

static int is_unary(const char *s)
{
    return s && s[0] == '-' && s[1] && !s[2] && strchr("nzefdpLhsrwx", s[1]);
}

static int binary_op(const char *s)
{
    static const char *const ops[] = { "=", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", NULL };
    for (int i = 0; s && ops[i]; i++)
        if (strcmp(s, ops[i]) == 0)
            return 1;
    return 0;
}

static int expr_or(void);

static int primary(void)
{
    const char *a = peek();
    if (!a) {
        bad = 1;
        return 0;
    }
    if (strcmp(a, "!") == 0 && pos + 1 < nargs) {
        pos++;
        return !primary();
    }
    if (strcmp(a, "(") == 0 && pos + 1 < nargs && !binary_op(args[pos + 1])) {
        pos++;
        int v = expr_or();
        if (!peek() || strcmp(peek(), ")") != 0)
            bad = 1;
        pos++;
        return v;
    }
    if (pos + 2 < nargs && binary_op(args[pos + 1])) {
        const char *l = args[pos], *op = args[pos + 1], *r = args[pos + 2];
        pos += 3;
        if (strcmp(op, "=") == 0)
            return strcmp(l, r) == 0;
        if (strcmp(op, "!=") == 0)
            return strcmp(l, r) != 0;
        long x = number(l), y = number(r);
        if (strcmp(op, "-eq") == 0) return x == y;
        if (strcmp(op, "-ne") == 0) return x != y;
        if (strcmp(op, "-lt") == 0) return x < y;
        if (strcmp(op, "-le") == 0) return x <= y;
        if (strcmp(op, "-gt") == 0) return x > y;
        return x >= y;
    }
    if (is_unary(a) && pos + 1 < nargs) {
        pos += 2;
        return unary(a, args[pos - 1]);
    }
    pos++;
    return *a != '\0';
}

static int expr_and(void)
{
    int v = primary();
    while (peek() && strcmp(peek(), "-a") == 0) {
        pos++;
        v = primary() && v;
    }
    return v;
}

static int expr_or(void)
{
    int v = expr_and();
    while (peek() && strcmp(peek(), "-o") == 0) {
        pos++;
        v = expr_and() || v;
    }
    return v;
}

int main(int argc, char **argv)
{
    args = argv + 1;
    nargs = argc - 1;
    // Called as "[", the last word must be "]".
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    if (strcmp(base, "[") == 0) {
        if (nargs == 0 || strcmp(args[nargs - 1], "]") != 0) {
            fprintf(stderr, "[: missing ']'\n");
            return 2;
        }
        nargs--;
    }
    if (nargs == 0)
        return 1;
    int v = expr_or();
    if (pos != nargs || bad) {
        if (!bad)
            fprintf(stderr, "test: syntax error near '%s'\n", pos < nargs ? args[pos] : "");
        return 2;
    }
    return v ? 0 : 1;
}
