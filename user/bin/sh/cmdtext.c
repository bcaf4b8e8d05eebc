// cmdtext.c: a tree turned back into shell text, for jobs, fg and the
// "Stopped" line to show what a job is. The words are as they were typed
// (unexpanded, quotes kept); the layout is the shell's own.
#include <stdio.h>
#include <string.h>

#include "sh.h"

static void text(struct str *b, struct node *n);

static void redirs(struct str *b, struct redir *r)
{
    static const char *const ops[] = {
        [R_IN] = "<", [R_OUT] = ">", [R_APPEND] = ">>", [R_RDWR] = "<>",
        [R_DUPIN] = "<&", [R_DUPOUT] = ">&", [R_HEREDOC] = "<<",
    };
    for (; r; r = r->next) {
        char fd[16] = "";
        int dflt = r->type == R_IN || r->type == R_RDWR || r->type == R_DUPIN ||
                   r->type == R_HEREDOC ? 0 : 1;
        if (r->fd != dflt)
            snprintf(fd, sizeof fd, "%d", r->fd);
        str_addc(b, ' ');
        str_adds(b, fd);
        str_adds(b, ops[r->type]);
        if (r->type == R_HEREDOC && r->strip_tabs)
            str_addc(b, '-');
        str_adds(b, r->word ? r->word : "");
    }
}

// "left OP right", the parts as text.
static void binary(struct str *b, struct node *n, const char *op)
{
    text(b, n->left);
    str_adds(b, op);
    text(b, n->right);
}

// "KEYWORD list; " for the parts of if, while, for...
static void part(struct str *b, const char *keyword, struct node *n)
{
    str_adds(b, keyword);
    text(b, n);
    str_adds(b, "; ");
}

static void text(struct str *b, struct node *n)
{
    if (!n)
        return;
    switch (n->type) {
    case N_CMD: {
        int first = 1;
        for (int i = 0; i < n->nassigns; i++, first = 0) {
            str_adds(b, first ? "" : " ");
            str_adds(b, n->assigns[i]);
        }
        for (int i = 0; i < n->nwords; i++, first = 0) {
            str_adds(b, first ? "" : " ");
            str_adds(b, n->words[i]);
        }
        redirs(b, n->redirs);
        return;
    }
    case N_PIPE:
        for (int i = 0; i < n->ncmds; i++) {
            str_adds(b, i ? " | " : "");
            text(b, n->cmds[i]);
        }
        return;
    case N_AND: binary(b, n, " && "); return;
    case N_OR: binary(b, n, " || "); return;
    case N_SEQ: binary(b, n, "; "); return;
    case N_BG:
        text(b, n->left);
        str_adds(b, " &");
        if (n->right) {
            str_adds(b, " ");
            text(b, n->right);
        }
        return;
    case N_NOT:
        str_adds(b, "! ");
        text(b, n->left);
        return;
    case N_SUBSHELL:
        str_adds(b, "(");
        text(b, n->left);
        str_adds(b, ")");
        break;
    case N_GROUP:
        part(b, "{ ", n->left);
        str_adds(b, "}");
        break;
    case N_IF:
        part(b, "if ", n->left);
        part(b, "then ", n->right);
        if (n->els)
            part(b, "else ", n->els);
        str_adds(b, "fi");
        break;
    case N_WHILE:
    case N_UNTIL:
        part(b, n->type == N_WHILE ? "while " : "until ", n->left);
        part(b, "do ", n->right);
        str_adds(b, "done");
        break;
    case N_FOR:
        str_adds(b, "for ");
        str_adds(b, n->var);
        if (n->for_has_in) {
            str_adds(b, " in");
            for (int i = 0; i < n->nwords; i++) {
                str_addc(b, ' ');
                str_adds(b, n->words[i]);
            }
        }
        str_adds(b, "; ");
        part(b, "do ", n->right);
        str_adds(b, "done");
        break;
    case N_CASE:
        str_adds(b, "case ");
        str_adds(b, n->var);
        str_adds(b, " in ... esac");
        break;
    case N_FUNC:
        str_adds(b, n->var);
        str_adds(b, "() ");
        text(b, n->left);
        return;
    }
    redirs(b, n->redirs);
}

char *node_text(struct node *n)
{
    struct str b = { 0 };
    text(&b, n);
    str_addc(&b, '\0');
    return b.s;
}
