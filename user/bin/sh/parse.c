// parse.c: from text to a tree of nodes.
//
// The lexer (lex.c) cuts the input into words and operators; this parser is
// recursive descent over this grammar (a subset of POSIX sh):
//
//   complete  : list NEWLINE
//   list      : and_or ((';' | '&' | NEWLINE) and_or)*
//   and_or    : pipeline (('&&' | '||') pipeline)*
//   pipeline  : ['!'] command ('|' command)*
//   command   : simple | '(' list ')' | '{' list '}' | if | while | until | for
//               | case, followed by redirections for the compound ones
//               | NAME '(' ')' command      (a function)
//   simple    : (NAME=VALUE | redirection)* (WORD | redirection)*
//   redirection: [N] ('<' | '>' | '>>' | '>|' | '<>' | '<&' | '>&' | '<<' | '<<-') WORD
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

static struct token *peek(struct parser *p)
{
    if (!p->have_tok) {
        p->tok = lex(p);
        p->have_tok = 1;
    }
    return &p->tok;
}

static void next(struct parser *p)
{
    p->have_tok = 0;
}

static int is_word(struct token *t, const char *w)
{
    return t->type == T_WORD && strcmp(t->text, w) == 0;
}

static int is_reserved(struct token *t)
{
    static const char *const words[] = {
        "if", "then", "else", "elif", "fi", "do", "done", "while", "until",
        "for", "in", "{", "}", "!", "case", "esac", NULL,
    };
    for (int i = 0; words[i]; i++)
        if (is_word(t, words[i]))
            return 1;
    return 0;
}

// Words that end a list inside a compound command.
static int ends_list(struct token *t)
{
    static const char *const words[] = { "then", "else", "elif", "fi", "do", "done", "}",
                                         "esac", NULL };
    if (t->type == T_RPAREN || t->type == T_EOF || t->type == T_DSEMI)
        return 1;
    for (int i = 0; words[i]; i++)
        if (is_word(t, words[i]))
            return 1;
    return 0;
}

static void unexpected(struct parser *p)
{
    struct token *t = peek(p);
    if (t->type == T_EOF || t->type == T_NEWLINE)
        syntax_error(p, "unexpected %s", t->text);
    syntax_error(p, "unexpected '%s'", t->text);
}

static void expect(struct parser *p, const char *w)
{
    struct token *t = peek(p);
    if (t->type == T_EOF)
        syntax_error(p, "'%s' expected", w);
    if (!is_word(t, w))
        unexpected(p);
    next(p);
}

static void skip_newlines(struct parser *p)
{
    while (peek(p)->type == T_NEWLINE)
        next(p);
}

static struct node *new_node(struct parser *p, enum node_type type)
{
    struct node *n = arena_alloc(p->a, sizeof *n);
    n->type = type;
    return n;
}

static struct node *pair(struct parser *p, enum node_type type, struct node *l, struct node *r)
{
    struct node *n = new_node(p, type);
    n->left = l;
    n->right = r;
    return n;
}

static struct node *parse_list(struct parser *p, int top);

// A redirection; the operator is the current token.
static struct redir *parse_redir(struct parser *p)
{
    struct token op = *peek(p);
    next(p);
    struct token *w = peek(p);
    if (w->type != T_WORD)
        syntax_error(p, "'%s' needs a file name", op.text);
    struct redir *r = arena_alloc(p->a, sizeof *r);
    r->type = op.rtype;
    r->fd = op.rfd;
    r->word = w->text;
    r->strip_tabs = op.strip_tabs;
    next(p);
    if (r->type == R_HEREDOC) {
        if (p->npending == (int)(sizeof p->pending / sizeof p->pending[0]))
            syntax_error(p, "%s", "too many here-documents on one line");
        p->pending[p->npending++] = r;
    }
    return r;
}

// Redirections after a compound command.
static void parse_redirs(struct parser *p, struct node *n)
{
    struct redir **tail = &n->redirs;
    while (*tail)
        tail = &(*tail)->next;
    while (peek(p)->type == T_REDIR) {
        *tail = parse_redir(p);
        tail = &(*tail)->next;
    }
}

static char **to_arena(struct parser *p, char **v, int n)
{
    char **out = arena_alloc(p->a, (n + 1) * sizeof *out);
    if (n > 0)                 /* v is NULL when there is nothing: memcpy wants a pointer */
        memcpy(out, v, n * sizeof *out);
    out[n] = NULL;
    free(v);
    return out;
}

// first: a word already taken (by the check for a function), or NULL.
static struct node *parse_simple(struct parser *p, char *first)
{
    struct node *n = new_node(p, N_CMD);
    char **words = NULL, **assigns = NULL;
    int nw = 0, na = 0;
    struct redir **tail = &n->redirs;
    if (first) {
        words = xmalloc(sizeof *words);
        words[nw++] = first;
    }
    for (;;) {
        struct token *t = peek(p);
        if (t->type == T_REDIR) {
            *tail = parse_redir(p);
            tail = &(*tail)->next;
        } else if (t->type == T_WORD) {
            if (nw == 0 && assignment_len(t->text) > 0) {
                assigns = xrealloc(assigns, (na + 1) * sizeof *assigns);
                assigns[na++] = t->text;
            } else {
                words = xrealloc(words, (nw + 1) * sizeof *words);
                words[nw++] = t->text;
            }
            next(p);
        } else {
            break;
        }
    }
    if (nw == 0 && na == 0 && !n->redirs) {
        free(words);
        free(assigns);
        unexpected(p);
    }
    n->words = to_arena(p, words, nw);
    n->nwords = nw;
    n->assigns = to_arena(p, assigns, na);
    n->nassigns = na;
    return n;
}

// A list inside a compound command must not be empty.
static struct node *parse_body(struct parser *p)
{
    struct node *n = parse_list(p, 0);
    if (!n)
        unexpected(p);
    return n;
}

// "if" or "elif" is the current token; consumes everything up to "fi".
static struct node *parse_if(struct parser *p)
{
    next(p);
    struct node *n = new_node(p, N_IF);
    n->left = parse_body(p);
    expect(p, "then");
    n->right = parse_body(p);
    if (is_word(peek(p), "elif")) {
        n->els = parse_if(p);
        return n;
    }
    if (is_word(peek(p), "else")) {
        next(p);
        n->els = parse_body(p);
    }
    expect(p, "fi");
    return n;
}

static struct node *parse_loop(struct parser *p, enum node_type type)
{
    next(p);
    struct node *n = new_node(p, type);
    n->left = parse_body(p);
    expect(p, "do");
    n->right = parse_body(p);
    expect(p, "done");
    return n;
}

static struct node *parse_for(struct parser *p)
{
    next(p);
    struct node *n = new_node(p, N_FOR);
    struct token *t = peek(p);
    if (t->type != T_WORD || !is_name(t->text, strlen(t->text)))
        syntax_error(p, "bad variable name '%s' after 'for'", t->text);
    n->var = t->text;
    next(p);
    skip_newlines(p);
    if (is_word(peek(p), "in")) {
        next(p);
        n->for_has_in = 1;
        char **words = NULL;
        int nw = 0;
        while ((t = peek(p))->type == T_WORD) {
            words = xrealloc(words, (nw + 1) * sizeof *words);
            words[nw++] = t->text;
            next(p);
        }
        n->words = to_arena(p, words, nw);
        n->nwords = nw;
        if (t->type != T_SEMI && t->type != T_NEWLINE)
            unexpected(p);
        next(p);
    } else if (peek(p)->type == T_SEMI) {
        next(p);
    }
    skip_newlines(p);
    expect(p, "do");
    n->right = parse_body(p);
    expect(p, "done");
    return n;
}

// case WORD in [(]PATTERN[|PATTERN]...) LIST ;; ... esac
static struct node *parse_case(struct parser *p)
{
    next(p);
    struct node *n = new_node(p, N_CASE);
    struct token *t = peek(p);
    if (t->type != T_WORD)
        unexpected(p);
    n->var = t->text;
    next(p);
    skip_newlines(p);
    expect(p, "in");
    skip_newlines(p);
    struct node **items = NULL;
    int ni = 0;
    while (!is_word(peek(p), "esac")) {
        struct node *item = new_node(p, N_CASE);
        if (peek(p)->type == T_LPAREN)
            next(p);
        char **pats = NULL;
        int np = 0;
        for (;;) {
            t = peek(p);
            if (t->type != T_WORD)
                unexpected(p);
            pats = xrealloc(pats, (np + 1) * sizeof *pats);
            pats[np++] = t->text;
            next(p);
            if (peek(p)->type != T_PIPE)
                break;
            next(p);
        }
        item->words = to_arena(p, pats, np);
        item->nwords = np;
        if (peek(p)->type != T_RPAREN)
            unexpected(p);
        next(p);
        item->left = parse_list(p, 0);   // may be empty
        items = xrealloc(items, (ni + 1) * sizeof *items);
        items[ni++] = item;
        if (peek(p)->type == T_DSEMI) {
            next(p);
            skip_newlines(p);
        } else if (!is_word(peek(p), "esac")) {
            free(items);
            unexpected(p);
        }
    }
    next(p);
    n->cmds = arena_alloc(p->a, (ni ? ni : 1) * sizeof *items);
    if (ni)
        memcpy(n->cmds, items, ni * sizeof *items);
    n->ncmds = ni;
    free(items);
    return n;
}

static struct node *parse_command_unit(struct parser *p)
{
    struct token *t = peek(p);
    struct node *n;
    if (t->type == T_LPAREN) {
        next(p);
        n = new_node(p, N_SUBSHELL);
        n->left = parse_body(p);
        if (peek(p)->type != T_RPAREN)
            unexpected(p);
        next(p);
    } else if (is_word(t, "if")) {
        n = parse_if(p);
    } else if (is_word(t, "while")) {
        n = parse_loop(p, N_WHILE);
    } else if (is_word(t, "until")) {
        n = parse_loop(p, N_UNTIL);
    } else if (is_word(t, "for")) {
        n = parse_for(p);
    } else if (is_word(t, "{")) {
        next(p);
        n = new_node(p, N_GROUP);
        n->left = parse_body(p);
        expect(p, "}");
    } else if (is_word(t, "case")) {
        n = parse_case(p);
    } else if (is_reserved(t)) {
        unexpected(p);
    } else if (t->type == T_WORD && is_name(t->text, strlen(t->text))) {
        // NAME() COMMAND defines a function; otherwise NAME is a command.
        char *name = t->text;
        next(p);
        if (peek(p)->type != T_LPAREN)
            return parse_simple(p, name);
        next(p);
        if (peek(p)->type != T_RPAREN)
            unexpected(p);
        next(p);
        skip_newlines(p);
        n = new_node(p, N_FUNC);
        n->var = name;
        n->left = parse_command_unit(p);
        if (n->left->type == N_CMD)
            syntax_error(p, "the body of function %s must be a compound command", name);
        return n;
    } else {
        return parse_simple(p, NULL);
    }
    parse_redirs(p, n);
    return n;
}

static struct node *parse_pipeline(struct parser *p)
{
    int negate = 0;
    if (is_word(peek(p), "!")) {
        next(p);
        negate = 1;
    }
    struct node *first = parse_command_unit(p);
    struct node *n = first;
    if (peek(p)->type == T_PIPE) {
        struct node **cmds = xmalloc(sizeof *cmds);
        int nc = 1;
        cmds[0] = first;
        while (peek(p)->type == T_PIPE) {
            next(p);
            skip_newlines(p);
            cmds = xrealloc(cmds, (nc + 1) * sizeof *cmds);
            cmds[nc++] = parse_command_unit(p);
        }
        n = new_node(p, N_PIPE);
        n->cmds = arena_alloc(p->a, nc * sizeof *cmds);
        memcpy(n->cmds, cmds, nc * sizeof *cmds);
        n->ncmds = nc;
        free(cmds);
    }
    if (negate)
        n = pair(p, N_NOT, n, NULL);
    return n;
}

static struct node *parse_and_or(struct parser *p)
{
    struct node *n = parse_pipeline(p);
    for (;;) {
        enum tok t = peek(p)->type;
        if (t != T_AND && t != T_OR)
            return n;
        next(p);
        skip_newlines(p);
        n = pair(p, t == T_AND ? N_AND : N_OR, n, parse_pipeline(p));
    }
}

// top: a complete command, which a newline ends; otherwise the list inside
// a compound command, where newlines separate commands and a reserved word
// (then, do, fi, ...) or ')' ends it.
static struct node *parse_list(struct parser *p, int top)
{
    struct node *list = NULL;
    for (;;) {
        if (!top)
            skip_newlines(p);
        struct token *t = peek(p);
        if (t->type == T_EOF || (top && t->type == T_NEWLINE) || (!top && ends_list(t)))
            break;
        struct node *n = parse_and_or(p);
        t = peek(p);
        int more = 1;
        if (t->type == T_AMP) {
            n = pair(p, N_BG, n, NULL);
            next(p);
        } else if (t->type == T_SEMI) {
            next(p);
        } else if (t->type != T_NEWLINE) {
            more = 0;
        }
        list = list ? pair(p, N_SEQ, list, n) : n;
        if (!more)
            break;
    }
    return list;
}

static struct node *parse_top(struct parser *p, int *status)
{
    if (setjmp(p->on_error)) {
        *status = 2;
        // Forget the rest of the line (interactive use goes on after it).
        if (!p->in->at_eof && !(p->have_tok && p->tok.type == T_NEWLINE)) {
            int c;
            while ((c = input_getc(p->in)) >= 0 && c != '\n')
                ;
        }
        return NULL;
    }
    struct token *t = peek(p);
    if (t->type == T_EOF) {
        *status = 1;
        return NULL;
    }
    *status = 0;
    struct node *n = parse_list(p, 1);
    t = peek(p);
    if (t->type != T_NEWLINE && t->type != T_EOF)
        unexpected(p);
    if (t->type == T_NEWLINE)
        next(p);   // and nothing more is read before the command runs
    return n;
}

struct node *parse_command(struct input *in, struct arena *a, int *status)
{
    struct parser *p = xmalloc(sizeof *p);
    memset(p, 0, sizeof *p);
    p->in = in;
    p->a = a;
    struct node *n = parse_top(p, status);
    free(p);
    return n;
}

struct node *parse_string(const char *text, struct arena *a, int *status)
{
    struct input in;
    input_string(&in, text, strlen(text));
    struct node *all = NULL;
    for (;;) {
        int st;
        struct node *n = parse_command(&in, a, &st);
        if (st == 1)
            break;
        if (st == 2) {
            *status = 2;
            return NULL;
        }
        if (n) {
            struct node *seq = arena_alloc(a, sizeof *seq);
            seq->type = N_SEQ;
            seq->left = all;
            seq->right = n;
            all = all ? seq : n;
        }
    }
    *status = 0;
    return all;
}

int is_name(const char *s, size_t len)
{
    if (len == 0 || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

int assignment_len(const char *word)
{
    const char *eq = strchr(word, '=');
    if (!eq || !is_name(word, eq - word))
        return 0;
    return eq - word;
}
