// expand.c: turning a word as typed into the strings a command receives.
//
// In order, as POSIX says: ~ at the start becomes $HOME; $NAME, ${NAME},
// ${NAME:-word} and friends, ${#NAME}, ${NAME#pattern} (also ##, %, %%),
// $?, $$, $!, $#, $0..$9, $@, $*; $(command)
// and `command` (run in a child, its output read through a pipe);
// $((arithmetic)). What an unquoted expansion produced is then split into
// fields at the characters of $IFS, and fields with unquoted * ? [ are
// replaced by the file names they match (when any do). Quotes and
// backslashes are removed last.
//
// Each character of the field being built carries a mark: quoted or not.
// Only unquoted characters can split a field or act as a pattern.
#include <ctype.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

int expand_error;

struct exp {
    struct str cur;     // the field being built
    struct str quoted;  // one byte per character of cur: 1 if quoted
    int have;           // the field exists even if empty ("" was seen)
    struct argv *out;   // where fields go; NULL: one string, no splitting
    int heredoc;        // a here-document body: quotes are ordinary characters
};

void argv_add(struct argv *a, char *s)
{
    if (a->n + 2 > a->cap) {
        a->cap = a->cap ? 2 * a->cap : 16;
        a->v = xrealloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = s;
    a->v[a->n] = NULL;
}

void argv_free(struct argv *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

static void add_char(struct exp *e, char c, int quoted)
{
    str_addc(&e->cur, c);
    str_addc(&e->quoted, quoted ? 1 : 0);
}

static int has_pattern(struct exp *e)
{
    for (size_t i = 0; i < e->cur.len; i++)
        if (!e->quoted.s[i] && strchr("*?[", e->cur.s[i]))
            return 1;
    return 0;
}

// The field is complete: add it (or the file names it matches) to out.
static void emit(struct exp *e)
{
    if (!e->out)
        return;
    if (e->cur.len == 0 && !e->have)
        return;
    if (has_pattern(e)) {
        // Quoted characters lose their pattern meaning: escape them.
        struct str pat = { 0 };
        for (size_t i = 0; i < e->cur.len; i++) {
            char c = e->cur.s[i];
            if (e->quoted.s[i] && strchr("*?[]\\", c))
                str_addc(&pat, '\\');
            str_addc(&pat, c);
        }
        glob_t g;
        if (glob(pat.s, 0, NULL, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc; i++)
                argv_add(e->out, xstrdup(g.gl_pathv[i]));
            globfree(&g);
            free(pat.s);
            free(str_take(&e->cur));
            free(str_take(&e->quoted));
            e->have = 0;
            return;
        }
        free(pat.s);
    }
    argv_add(e->out, str_take(&e->cur));
    free(str_take(&e->quoted));
    e->have = 0;
}

static const char *ifs(void)
{
    const char *s = var_get("IFS");
    return s ? s : " \t\n";
}

// The result of an expansion: quoted, it is taken as it is; unquoted, it
// is split at $IFS (when splitting at all).
static void add_value(struct exp *e, const char *s, int quoted)
{
    const char *sep = ifs();
    for (; *s; s++) {
        if (!quoted && e->out && *s && strchr(sep, *s)) {
            if (strchr(" \t\n", *s)) {
                emit(e);
            } else {
                e->have = 1;   // a non-blank separator always ends a field
                emit(e);
            }
            continue;
        }
        add_char(e, *s, quoted);
    }
}

static void expand_text(struct exp *e, const char *s, size_t len, int dq);
static void all_params(struct exp *e, char which, int quoted);

// The end of a construct that starts at s[0] == '(' : the index just past
// the matching ')'.
static size_t match_paren(const char *s, size_t len)
{
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\\') {
            i++;
        } else if (c == '\'') {
            while (++i < len && s[i] != '\'')
                ;
        } else if (c == '"') {
            while (++i < len && s[i] != '"')
                if (s[i] == '\\')
                    i++;
        } else if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (--depth == 0)
                return i + 1;
        }
    }
    return len;
}

static size_t match_brace(const char *s, size_t len)
{
    for (size_t i = 1; i < len; i++) {
        char c = s[i];
        if (c == '\\') {
            i++;
        } else if (c == '\'') {
            while (++i < len && s[i] != '\'')
                ;
        } else if (c == '"') {
            while (++i < len && s[i] != '"')
                if (s[i] == '\\')
                    i++;
        } else if (c == '}') {
            return i + 1;
        }
    }
    return len;
}

// --- parameters ---------------------------------------------------------------------

// The value of a special or named parameter, or NULL if unset. *tmp is
// set to a malloc'ed buffer when the value had to be made.
static const char *param(const char *name, char **tmp)
{
    char buf[32];
    *tmp = NULL;
    if (name[1] == '\0') {
        switch (name[0]) {
        case '?': snprintf(buf, sizeof buf, "%d", sh.status); break;
        case '$': snprintf(buf, sizeof buf, "%d", (int)sh.pid); break;
        case '#': snprintf(buf, sizeof buf, "%d", sh.nparams); break;
        case '!':
            if (!sh.last_bg)
                return NULL;
            snprintf(buf, sizeof buf, "%d", (int)sh.last_bg);
            break;
        case '-': snprintf(buf, sizeof buf, "%s%s", sh.trace ? "x" : "", sh.interactive ? "i" : ""); break;
        case '0': return sh.arg0;
        case '@':
        case '*': {
            struct str b = { 0 };
            for (int i = 0; i < sh.nparams; i++) {
                if (i)
                    str_addc(&b, ' ');
                str_adds(&b, sh.params[i]);
            }
            return *tmp = str_take(&b);
        }
        default:
            goto named;
        }
        return *tmp = xstrdup(buf);
    }
named:
    if (isdigit((unsigned char)name[0])) {
        int n = atoi(name);
        return n >= 1 && n <= sh.nparams ? sh.params[n - 1] : NULL;
    }
    return var_get(name);
}

static int is_special(char c)
{
    return strchr("?$#!-@*", c) || isdigit((unsigned char)c);
}

// ${NAME#pattern} ${NAME##pattern}: the value without its shortest (longest)
// prefix matching pattern; % and %% the same for a suffix.
static void remove_affix(struct exp *e, const char *v, const char *op, const char *end,
                         int quoted)
{
    int longest = op[1] == op[0];
    int prefix = op[0] == '#';
    const char *w = op + 1 + longest;
    char *wtext = xmalloc(end - w + 1);
    memcpy(wtext, w, end - w);
    wtext[end - w] = '\0';
    char *pat = expand_pattern(wtext);
    size_t len = strlen(v);
    char *copy = xstrdup(v);
    const char *result = v;
    size_t rlen = len;
    for (size_t k = 0; k <= len; k++) {
        // Try prefix lengths (suffix starts) from the short end or the long end.
        size_t cut = prefix ? (longest ? len - k : k) : (longest ? k : len - k);
        if (prefix) {
            char c = copy[cut];
            copy[cut] = '\0';
            int m = fnmatch(pat, copy, 0) == 0;
            copy[cut] = c;
            if (m) {
                result = v + cut;
                rlen = len - cut;
                break;
            }
        } else if (fnmatch(pat, copy + cut, 0) == 0) {
            rlen = cut;
            break;
        }
    }
    char *out = xmalloc(rlen + 1);
    memcpy(out, result, rlen);
    out[rlen] = '\0';
    add_value(e, out, quoted);
    free(out);
    free(copy);
    free(pat);
    free(wtext);
}

// ${...}: inner is what is between the braces.
static void brace_param(struct exp *e, const char *inner, size_t len, int quoted)
{
    char name[128];
    size_t n = 0;
    int length = 0;
    if (len > 1 && inner[0] == '#') {
        length = 1;
        inner++;
        len--;
    }
    if (len > 0 && is_special(inner[0]) && !isdigit((unsigned char)inner[0])) {
        n = 1;
    } else {
        while (n < len && (isalnum((unsigned char)inner[n]) || inner[n] == '_'))
            n++;
    }
    if (n == 0 || n >= sizeof name || (!isdigit((unsigned char)inner[0]) &&
                                       !is_special(inner[0]) && !is_name(inner, n))) {
        sh_error("${%.*s}: bad substitution", (int)len, inner);
        expand_error = 1;
        return;
    }
    memcpy(name, inner, n);
    name[n] = '\0';
    char *tmp;
    const char *v = param(name, &tmp);
    if (length) {
        if (n != len) {
            sh_error("${#%.*s}: bad substitution", (int)len, inner);
            expand_error = 1;
        } else {
            char buf[32];
            snprintf(buf, sizeof buf, "%zu", v ? strlen(v) : 0);
            add_value(e, buf, quoted);
        }
        free(tmp);
        return;
    }
    if (n == len) {
        if (name[0] == '@' || name[0] == '*')
            all_params(e, name[0], quoted);   // ${@} is $@
        else if (v)
            add_value(e, v, quoted);
        free(tmp);
        return;
    }
    const char *op = inner + n;
    if (*op == '#' || *op == '%') {
        remove_affix(e, v ? v : "", op, inner + len, quoted);
        free(tmp);
        return;
    }
    // ${NAME-word}, ${NAME:-word}, =, +, ?: the colon also counts empty as unset.
    int colon = *op == ':';
    if (colon)
        op++;
    if (!strchr("-=+?", *op)) {
        sh_error("${%.*s}: bad substitution", (int)len, inner);
        expand_error = 1;
        free(tmp);
        return;
    }
    const char *word = op + 1;
    size_t wlen = inner + len - word;
    int unset = !v || (colon && !*v);
    char *wtext = xmalloc(wlen + 1);
    memcpy(wtext, word, wlen);
    wtext[wlen] = '\0';
    switch (*op) {
    case '-':
        if (unset)
            expand_text(e, wtext, wlen, quoted);
        else
            add_value(e, v, quoted);
        break;
    case '=':
        if (unset) {
            char *val = expand_string(wtext);
            var_set(name, val);
            add_value(e, val, quoted);
            free(val);
        } else {
            add_value(e, v, quoted);
        }
        break;
    case '+':
        if (!unset)
            expand_text(e, wtext, wlen, quoted);
        break;
    case '?':
        if (unset) {
            char *msg = expand_string(wtext);
            sh_error("%s: %s", name, *msg ? msg : "parameter not set");
            free(msg);
            expand_error = 1;
        } else {
            add_value(e, v, quoted);
        }
        break;
    }
    free(wtext);
    free(tmp);
}

// $@ and $*: each parameter its own field (quoted $@) or split like any value.
static void all_params(struct exp *e, char which, int quoted)
{
    if (quoted && which == '*') {
        struct str b = { 0 };
        for (int i = 0; i < sh.nparams; i++) {
            if (i)
                str_addc(&b, ifs()[0] ? ifs()[0] : ' ');
            str_adds(&b, sh.params[i]);
        }
        add_value(e, b.s ? b.s : "", 1);
        free(b.s);
        return;
    }
    for (int i = 0; i < sh.nparams; i++) {
        if (i) {
            if (e->out)
                emit(e);
            else
                add_char(e, ' ', quoted);
            if (quoted)
                e->have = 1;
        }
        add_value(e, sh.params[i], quoted);
    }
}

static void command_subst(struct exp *e, const char *text, int quoted)
{
    int status;
    char *out = command_output(text, &status);
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '\n')
        out[--n] = '\0';
    add_value(e, out, quoted);
    free(out);
}

// A '$' at s[0]: expand what it starts; returns how many characters it took.
static size_t dollar(struct exp *e, const char *s, size_t len, int quoted)
{
    if (len >= 3 && s[1] == '(' && s[2] == '(') {
        size_t end = match_paren(s + 1, len - 1) + 1;
        if (end >= 5 && s[end - 2] == ')') {
            char *inner = xmalloc(end);
            snprintf(inner, end, "%.*s", (int)(end - 5), s + 3);
            char *v = arithmetic(inner);
            add_value(e, v, quoted);
            free(v);
            free(inner);
            return end;
        }
    }
    if (len >= 2 && s[1] == '(') {
        size_t end = match_paren(s + 1, len - 1) + 1;
        char *inner = xmalloc(end);
        snprintf(inner, end, "%.*s", (int)(end - 3), s + 2);
        command_subst(e, inner, quoted);
        free(inner);
        return end;
    }
    if (len >= 2 && s[1] == '{') {
        size_t end = match_brace(s + 1, len - 1) + 1;
        brace_param(e, s + 2, end - 3, quoted);
        return end;
    }
    if (len >= 2 && (s[1] == '@' || s[1] == '*')) {
        all_params(e, s[1], quoted);
        return 2;
    }
    if (len >= 2 && is_special(s[1])) {
        char name[2] = { s[1], '\0' }, *tmp;
        const char *v = param(name, &tmp);
        if (v)
            add_value(e, v, quoted);
        free(tmp);
        return 2;
    }
    size_t n = 1;
    while (n < len && (isalnum((unsigned char)s[n]) || s[n] == '_'))
        n++;
    if (n == 1 || !is_name(s + 1, n - 1)) {
        add_char(e, '$', quoted);   // a lone $ is itself
        return 1;
    }
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)(n - 1), s + 1);
    const char *v = var_get(name);
    if (v)
        add_value(e, v, quoted);
    return n;
}

// `...` at s[0]: the command inside, with \$ \` \\ unescaped.
static size_t backquote(struct exp *e, const char *s, size_t len, int quoted)
{
    struct str cmd = { 0 };
    size_t i = 1;
    for (; i < len && s[i] != '`'; i++) {
        if (s[i] == '\\' && i + 1 < len && strchr("$`\\", s[i + 1]))
            i++;
        str_addc(&cmd, s[i]);
    }
    command_subst(e, cmd.s ? cmd.s : "", quoted);
    free(cmd.s);
    return i < len ? i + 1 : len;
}

// dq: the text starts inside "..." (a here-document counts as that too).
static void expand_text(struct exp *e, const char *s, size_t len, int dq)
{
    for (size_t i = 0; i < len;) {
        char c = s[i];
        if (c == '$') {
            i += dollar(e, s + i, len - i, dq);
        } else if (c == '`') {
            i += backquote(e, s + i, len - i, dq);
        } else if (c == '\\') {
            if (i + 1 >= len) {
                add_char(e, c, 1);
                i++;
            } else if (!dq) {
                add_char(e, s[i + 1], 1);
                i += 2;
            } else if (strchr(e->heredoc ? "$`\\\n" : "$`\"\\\n", s[i + 1])) {
                if (s[i + 1] != '\n')
                    add_char(e, s[i + 1], 1);
                i += 2;
            } else {
                add_char(e, c, 1);
                i++;
            }
        } else if (e->heredoc) {
            add_char(e, c, 1);
            i++;
        } else if (c == '"') {
            dq = !dq;
            e->have = 1;
            i++;
        } else if (c == '\'' && !dq) {
            e->have = 1;
            for (i++; i < len && s[i] != '\''; i++)
                add_char(e, s[i], 1);
            i++;
        } else if (c == '~' && i == 0 && !dq && (len == 1 || s[1] == '/')) {
            const char *home = var_get("HOME");
            for (const char *h = home ? home : "~"; *h; h++)
                add_char(e, *h, 1);
            i++;
        } else {
            add_char(e, c, dq);
            i++;
        }
    }
}

void expand_fields(const char *word, struct argv *out)
{
    // "$@" with no parameters is no field at all.
    if ((strcmp(word, "\"$@\"") == 0 || strcmp(word, "\"${@}\"") == 0) && sh.nparams == 0)
        return;
    struct exp e = { 0 };
    e.out = out;
    expand_text(&e, word, strlen(word), 0);
    emit(&e);
    free(e.cur.s);
    free(e.quoted.s);
}

char *expand_string(const char *word)
{
    struct exp e = { 0 };
    expand_text(&e, word, strlen(word), 0);
    free(e.quoted.s);
    return str_take(&e.cur);
}

char *expand_heredoc(const char *body)
{
    struct exp e = { 0 };
    e.heredoc = 1;
    expand_text(&e, body, strlen(body), 1);
    free(e.quoted.s);
    return str_take(&e.cur);
}

char *expand_pattern(const char *word)
{
    struct exp e = { 0 };
    expand_text(&e, word, strlen(word), 0);
    // Quoted characters match themselves only.
    struct str pat = { 0 };
    for (size_t i = 0; i < e.cur.len; i++) {
        if (e.quoted.s[i] && strchr("*?[]\\", e.cur.s[i]))
            str_addc(&pat, '\\');
        str_addc(&pat, e.cur.s[i]);
    }
    free(e.cur.s);
    free(e.quoted.s);
    return str_take(&pat);
}
