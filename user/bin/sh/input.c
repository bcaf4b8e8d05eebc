// input.c: where the shell's text comes from, and small memory helpers.
//
// A string source is a script read whole, the text of sh -c, or the inside
// of $(...). Standard input is read one byte at a time, so that nothing
// after the current line is taken away from a command that reads the rest
// of it (sh < script, where the script runs "cat" or "read").
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

// --- memory --------------------------------------------------------------------

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) {
        sh_error("out of memory");
        _exit(2);
    }
    return p;
}

void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (!p) {
        sh_error("out of memory");
        _exit(2);
    }
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

struct arena {
    struct block {
        struct block *next;
        size_t used, size;
        char data[];
    } *blocks;
};

struct arena *arena_new(void)
{
    struct arena *a = xmalloc(sizeof *a);
    a->blocks = NULL;
    return a;
}

void *arena_alloc(struct arena *a, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    struct block *b = a->blocks;
    if (!b || b->size - b->used < size) {
        size_t want = size > 4000 ? size : 4000;
        b = xmalloc(sizeof *b + want);
        b->size = want;
        b->used = 0;
        b->next = a->blocks;
        a->blocks = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strdup(struct arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    while (a->blocks) {
        struct block *next = a->blocks->next;
        free(a->blocks);
        a->blocks = next;
    }
    free(a);
}

void str_addc(struct str *b, char c)
{
    if (b->len + 2 > b->cap) {
        b->cap = b->cap ? 2 * b->cap : 64;
        b->s = xrealloc(b->s, b->cap);
    }
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
}

void str_add(struct str *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        str_addc(b, s[i]);
}

void str_adds(struct str *b, const char *s)
{
    str_add(b, s, strlen(s));
}

char *str_take(struct str *b)
{
    char *s = b->s ? b->s : xstrdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

void sh_error(const char *fmt, ...)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, "sh: ");
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(buf + n, sizeof buf - n - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    // One write, so that messages from several processes do not mix.
    (void)!write(2, buf, n);
}

// --- input ---------------------------------------------------------------------

void input_string(struct input *in, const char *text, size_t len)
{
    memset(in, 0, sizeof *in);
    in->text = text;
    in->len = len;
    in->fd = -1;
    in->lineno = 1;
}

void input_fd(struct input *in, int fd, int interactive)
{
    memset(in, 0, sizeof *in);
    in->fd = fd;
    in->interactive = interactive;
    in->prompt = "$ ";
    in->lineno = 1;
}

int input_getc(struct input *in)
{
    if (in->nback > 0) {
        int c = in->back[--in->nback];
        if (c == '\n')
            in->lineno++;
        return c;
    }
    if (in->at_eof)
        return -1;
    int c;
    if (in->text) {
        if (in->pos >= in->len) {
            in->at_eof = 1;
            return -1;
        }
        c = (unsigned char)in->text[in->pos++];
    } else {
        if (in->prompt) {
            // The first byte of a line: show the prompt first.
            if (in->interactive)
                (void)!write(2, in->prompt, strlen(in->prompt));
            in->prompt = NULL;
        }
        unsigned char ch;
        ssize_t n;
        while ((n = read(in->fd, &ch, 1)) < 0 && errno == EINTR)
            ;
        if (n <= 0) {
            in->at_eof = 1;
            return -1;
        }
        c = ch;
        if (c == '\n')
            in->prompt = "> ";   // a further line belongs to the same command
    }
    if (c == '\n')
        in->lineno++;
    return c;
}

void input_ungetc(struct input *in, int c)
{
    if (c < 0)
        return;   // end of input stays the end
    if (c == '\n')
        in->lineno--;
    in->back[in->nback++] = c;
}
