// lex.c: the shell's lexer, which cuts the input into words and operators.
//
// A word keeps its quotes and backslashes exactly as typed ("a b"'c'\d stays
// so): expansion, when the command runs, needs them to know what was quoted.
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

void syntax_error(struct parser *p, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->in->text || !p->in->interactive)
        sh_error("line %d: syntax error: %s", p->in->lineno, msg);
    else
        sh_error("syntax error: %s", msg);
    longjmp(p->on_error, 1);
}

// --- the lexer ----------------------------------------------------------------------

static int get(struct parser *p)
{
    return input_getc(p->in);
}

static void unget(struct parser *p, int c)
{
    input_ungetc(p->in, c);
}

static void add(struct str *b, int c)
{
    str_addc(b, (char)c);
}

static void scan_dquote(struct parser *p, struct str *b);
static void scan_backquote(struct parser *p, struct str *b);

// After "$(" (already in b): up to and including the matching ")".
// Also covers "$((...))", whose parentheses are balanced too.
static void scan_paren(struct parser *p, struct str *b)
{
    int depth = 1;
    for (;;) {
        int c = get(p);
        if (c < 0)
            syntax_error(p, "%s", "missing ')' after '$('");
        add(b, c);
        if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (--depth == 0)
                return;
        } else if (c == '\'') {
            while ((c = get(p)) != '\'') {
                if (c < 0)
                    syntax_error(p, "%s", "unterminated ' quote");
                add(b, c);
            }
            add(b, c);
        } else if (c == '"') {
            scan_dquote(p, b);
        } else if (c == '`') {
            scan_backquote(p, b);
        } else if (c == '\\') {
            c = get(p);
            if (c >= 0)
                add(b, c);
        }
    }
}

// After "${": up to and including "}".
static void scan_brace(struct parser *p, struct str *b)
{
    for (;;) {
        int c = get(p);
        if (c < 0 || c == '\n')
            syntax_error(p, "%s", "missing '}' after '${'");
        add(b, c);
        if (c == '}')
            return;
        if (c == '\'') {
            while ((c = get(p)) != '\'') {
                if (c < 0)
                    syntax_error(p, "%s", "unterminated ' quote");
                add(b, c);
            }
            add(b, c);
        } else if (c == '"') {
            scan_dquote(p, b);
        } else if (c == '\\') {
            c = get(p);
            if (c >= 0)
                add(b, c);
        }
    }
}

// A '$' was just added to b: take what follows it that belongs to it.
static void scan_dollar(struct parser *p, struct str *b)
{
    int c = get(p);
    if (c == '(') {
        add(b, c);
        scan_paren(p, b);
    } else if (c == '{') {
        add(b, c);
        scan_brace(p, b);
    } else {
        unget(p, c);
    }
}

// After '`': up to and including the closing '`'.
static void scan_backquote(struct parser *p, struct str *b)
{
    for (;;) {
        int c = get(p);
        if (c < 0)
            syntax_error(p, "%s", "unterminated ` quote");
        add(b, c);
        if (c == '`')
            return;
        if (c == '\\') {
            c = get(p);
            if (c >= 0)
                add(b, c);
        }
    }
}

// After '"': up to and including the closing '"'.
static void scan_dquote(struct parser *p, struct str *b)
{
    for (;;) {
        int c = get(p);
        if (c < 0)
            syntax_error(p, "%s", "unterminated \" quote");
        add(b, c);
        if (c == '"')
            return;
        if (c == '\\') {
            c = get(p);
            if (c >= 0)
                add(b, c);
        } else if (c == '$') {
            scan_dollar(p, b);
        } else if (c == '`') {
            scan_backquote(p, b);
        }
    }
}

static int is_meta(int c)
{
    return c < 0 || strchr(" \t\n;&|<>()", c) != NULL;
}

// A word starting with c, as typed.
static char *scan_word(struct parser *p, int c)
{
    struct str b = { 0 };
    for (;; c = get(p)) {
        if (is_meta(c)) {
            unget(p, c);
            break;
        }
        if (c == '\\') {
            int n = get(p);
            if (n == '\n')
                continue;   // a line continuation disappears
            add(&b, c);
            if (n < 0)
                break;
            add(&b, n);
        } else if (c == '\'') {
            add(&b, c);
            while ((c = get(p)) != '\'') {
                if (c < 0)
                    syntax_error(p, "%s", "unterminated ' quote");
                add(&b, c);
            }
            add(&b, c);
        } else if (c == '"') {
            add(&b, c);
            scan_dquote(p, &b);
        } else if (c == '$') {
            add(&b, c);
            scan_dollar(p, &b);
        } else if (c == '`') {
            add(&b, c);
            scan_backquote(p, &b);
        } else {
            add(&b, c);
        }
    }
    char *w = arena_strdup(p->a, b.s ? b.s : "", b.len);
    free(b.s);
    return w;
}

// The body lines of a here-document, up to the delimiter line.
static void read_heredoc(struct parser *p, struct redir *r)
{
    // The delimiter is the word with its quotes removed; any quote means
    // the body is taken literally.
    struct str delim = { 0 };
    for (const char *s = r->word; *s; s++) {
        if (*s == '\'' || *s == '"') {
            r->heredoc_quoted = 1;
        } else if (*s == '\\' && s[1]) {
            r->heredoc_quoted = 1;
            str_addc(&delim, *++s);
        } else {
            str_addc(&delim, *s);
        }
    }
    const char *d = delim.s ? delim.s : "";
    struct str body = { 0 }, line = { 0 };
    for (;;) {
        int c;
        line.len = 0;
        if (line.s)
            line.s[0] = '\0';
        while ((c = get(p)) >= 0 && c != '\n')
            str_addc(&line, (char)c);
        const char *text = line.s ? line.s : "";
        if (r->strip_tabs)
            while (*text == '\t')
                text++;
        if (strcmp(text, d) == 0 || (c < 0 && !*text))
            break;
        str_adds(&body, text);
        str_addc(&body, '\n');
        if (c < 0)
            break;
    }
    r->heredoc = arena_strdup(p->a, body.s ? body.s : "", body.len);
    free(body.s);
    free(line.s);
    free(delim.s);
}

struct token lex(struct parser *p)
{
    struct token t = { 0 };
    int c;
    for (;;) {
        c = get(p);
        if (c == ' ' || c == '\t')
            continue;
        if (c == '\\') {
            int n = get(p);
            if (n == '\n')
                continue;
            unget(p, n);
        }
        break;
    }
    if (c == '#') {
        while ((c = get(p)) >= 0 && c != '\n')
            ;
    }
    switch (c) {
    case -1:
        t.type = T_EOF;
        t.text = "end of file";
        return t;
    case '\n':
        t.type = T_NEWLINE;
        t.text = "newline";
        for (int i = 0; i < p->npending; i++)
            read_heredoc(p, p->pending[i]);
        p->npending = 0;
        return t;
    case ';':
        if ((c = get(p)) == ';') {
            t.type = T_DSEMI;
            t.text = ";;";
            return t;
        }
        unget(p, c);
        t.type = T_SEMI;
        t.text = ";";
        return t;
    case '&':
        if ((c = get(p)) == '&') {
            t.type = T_AND;
            t.text = "&&";
            return t;
        }
        unget(p, c);
        t.type = T_AMP;
        t.text = "&";
        return t;
    case '|':
        if ((c = get(p)) == '|') {
            t.type = T_OR;
            t.text = "||";
            return t;
        }
        unget(p, c);
        t.type = T_PIPE;
        t.text = "|";
        return t;
    case '(':
        t.type = T_LPAREN;
        t.text = "(";
        return t;
    case ')':
        t.type = T_RPAREN;
        t.text = ")";
        return t;
    case '<':
    case '>':
        break;
    default: {
        t.type = T_WORD;
        t.text = scan_word(p, c);
        // Digits right before < or > name the descriptor: 2>err.
        int n = get(p);
        unget(p, n);
        if ((n == '<' || n == '>') && t.text[strspn(t.text, "0123456789")] == '\0' &&
            strlen(t.text) < 4) {
            int fd = atoi(t.text);
            t = lex(p);   // the operator itself
            t.rfd = fd;
        }
        return t;
    }
    }
    // A redirection operator.
    t.type = T_REDIR;
    int n = get(p);
    if (c == '<') {
        t.rfd = 0;
        if (n == '<') {
            t.rtype = R_HEREDOC;
            t.text = "<<";
            if ((n = get(p)) == '-') {
                t.strip_tabs = 1;
                t.text = "<<-";
            } else {
                unget(p, n);
            }
        } else if (n == '&') {
            t.rtype = R_DUPIN;
            t.text = "<&";
        } else if (n == '>') {
            t.rtype = R_RDWR;
            t.text = "<>";
        } else {
            unget(p, n);
            t.rtype = R_IN;
            t.text = "<";
        }
    } else {
        t.rfd = 1;
        if (n == '>') {
            t.rtype = R_APPEND;
            t.text = ">>";
        } else if (n == '&') {
            t.rtype = R_DUPOUT;
            t.text = ">&";
        } else if (n == '|') {
            t.rtype = R_OUT;
            t.text = ">|";
        } else {
            unget(p, n);
            t.rtype = R_OUT;
            t.text = ">";
        }
    }
    return t;
}

// --- the parser -----------------------------------------------------------------

