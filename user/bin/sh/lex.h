// lex.h: between the shell's lexer (lex.c) and its parser (parse.c).
#ifndef SH_LEX_H
#define SH_LEX_H

#include <setjmp.h>

#include "sh.h"

enum tok {
    T_WORD, T_NEWLINE, T_EOF, T_SEMI, T_AMP, T_PIPE, T_AND, T_OR,
    T_LPAREN, T_RPAREN, T_REDIR, T_DSEMI,
};

struct token {
    enum tok type;
    char *text;                // T_WORD: as typed; otherwise the operator
    enum redir_type rtype;     // T_REDIR
    int rfd;                   // T_REDIR: the descriptor (default or N>)
    int strip_tabs;            // T_REDIR: <<-
};

struct parser {
    struct input *in;
    struct arena *a;
    struct token tok;
    int have_tok;
    struct redir *pending[16];   // here-documents whose bodies come after the line
    int npending;
    jmp_buf on_error;
};

// Report a syntax error at the parser's line and jump back to its on_error.
void syntax_error(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

// The next token from the input: a word (quotes kept as typed), an operator,
// a newline or the end. Here-document bodies are read after their line.
struct token lex(struct parser *p);

#endif
