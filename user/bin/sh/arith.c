// arith.c: $((...)), the shell's arithmetic: the text is expanded first
// ($x and $(...) inside), then read as a C-like expression of longs by
// precedence climbing (ar_binary), with variables named bare. An error
// says so and makes the command fail, as POSIX asks.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct arith {
    const char *s;
    int err;
};

static void ar_space(struct arith *a)
{
    while (isspace((unsigned char)*a->s))
        a->s++;
}

static long ar_binary(struct arith *a, int min_prec);

static long ar_unary(struct arith *a)
{
    ar_space(a);
    char c = *a->s;
    if (c == '-' || c == '+' || c == '!' || c == '~') {
        a->s++;
        long v = ar_unary(a);
        return c == '-' ? -v : c == '+' ? v : c == '!' ? !v : ~v;
    }
    if (c == '(') {
        a->s++;
        long v = ar_binary(a, 1);
        ar_space(a);
        if (*a->s != ')')
            a->err = 1;
        else
            a->s++;
        return v;
    }
    if (isdigit((unsigned char)c)) {
        char *end;
        long v = strtol(a->s, &end, 0);
        a->s = end;
        return v;
    }
    if (isalpha((unsigned char)c) || c == '_') {
        const char *start = a->s;
        while (isalnum((unsigned char)*a->s) || *a->s == '_')
            a->s++;
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(a->s - start), start);
        const char *v = var_get(name);
        long value = v ? strtol(v, NULL, 0) : 0;
        // NAME = expr, and NAME op= expr for op in + - * / %.
        ar_space(a);
        char op = 0;
        if (a->s[0] == '=' && a->s[1] != '=')
            op = '=';
        else if (a->s[0] && strchr("+-*/%", a->s[0]) && a->s[1] == '=')
            op = a->s[0];
        if (!op)
            return value;
        a->s += op == '=' ? 1 : 2;
        long right = ar_binary(a, 1);
        if (a->err)
            return 0;
        if ((op == '/' || op == '%') && right == 0) {
            sh_error("arithmetic: division by zero");
            a->err = 2;
            return 0;
        }
        switch (op) {
        case '=': value = right; break;
        case '+': value += right; break;
        case '-': value -= right; break;
        case '*': value *= right; break;
        case '/': value /= right; break;
        case '%': value %= right; break;
        }
        char buf[32];
        snprintf(buf, sizeof buf, "%ld", value);
        var_set(name, buf);
        return value;
    }
    a->err = 1;
    return 0;
}

static const struct {
    const char *op;
    int prec;
} ar_ops[] = {
    { "||", 1 }, { "&&", 2 }, { "==", 6 }, { "!=", 6 }, { "<=", 7 }, { ">=", 7 },
    { "<<", 8 }, { ">>", 8 }, { "|", 3 }, { "^", 4 }, { "&", 5 }, { "<", 7 },
    { ">", 7 }, { "+", 9 }, { "-", 9 }, { "*", 10 }, { "/", 10 }, { "%", 10 },
};

static long ar_binary(struct arith *a, int min_prec)
{
    long left = ar_unary(a);
    for (;;) {
        ar_space(a);
        int found = -1;
        for (size_t i = 0; i < sizeof ar_ops / sizeof ar_ops[0]; i++)
            if (strncmp(a->s, ar_ops[i].op, strlen(ar_ops[i].op)) == 0) {
                found = i;
                break;
            }
        if (found < 0 || ar_ops[found].prec < min_prec)
            return left;
        const char *op = ar_ops[found].op;
        a->s += strlen(op);
        long right = ar_binary(a, ar_ops[found].prec + 1);
        if (a->err)
            return 0;
        if ((op[0] == '/' || op[0] == '%') && right == 0) {
            sh_error("arithmetic: division by zero");
            a->err = 2;
            return 0;
        }
        switch (op[0] * 256 + op[1]) {
        case '|' * 256 + '|': left = left || right; break;
        case '&' * 256 + '&': left = left && right; break;
        case '=' * 256 + '=': left = left == right; break;
        case '!' * 256 + '=': left = left != right; break;
        case '<' * 256 + '=': left = left <= right; break;
        case '>' * 256 + '=': left = left >= right; break;
        case '<' * 256 + '<': left = left << right; break;
        case '>' * 256 + '>': left = left >> right; break;
        case '|' * 256: left = left | right; break;
        case '^' * 256: left = left ^ right; break;
        case '&' * 256: left = left & right; break;
        case '<' * 256: left = left < right; break;
        case '>' * 256: left = left > right; break;
        case '+' * 256: left = left + right; break;
        case '-' * 256: left = left - right; break;
        case '*' * 256: left = left * right; break;
        case '/' * 256: left = left / right; break;
        case '%' * 256: left = left % right; break;
        }
    }
}

char *arithmetic(const char *text)
{
    char *expanded = expand_heredoc(text);   // $x and $(...) inside
    struct arith a = { expanded, 0 };
    long v = ar_binary(&a, 1);
    ar_space(&a);
    if (a.err || *a.s) {
        if (a.err != 2)
            sh_error("arithmetic: syntax error in '%s'", expanded);
        expand_error = 1;
        v = 0;
    }
    free(expanded);
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    return xstrdup(buf);
}
