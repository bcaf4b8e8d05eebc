/* cmdline.c: split the kernel command line into words and read the options. */
#include "boot/cmdline.h"
#include "lib/format.h"
#include "lib/string.h"

struct boot_options boot_options;

static void add_error(struct boot_options *opt, const char *fmt, const char *word)
{
    if (opt->nerrors < CMDLINE_MAX_ERRORS)
        ksnprintf(opt->errors[opt->nerrors], CMDLINE_ERROR_LEN, fmt, word);
    opt->nerrors++;
}

/* Read the next word of *pos into word (size bytes): skip blanks, take
 * characters up to the next blank outside double quotes, drop the quotes.
 * Returns 0 at the end of the line, 1 for a word, -1 for a word that was cut
 * short or lost its closing quote (reported by the caller). *quoted tells
 * whether any part of the word was quoted, so that "--" is not a separator. */
static int next_word(const char **pos, char *word, size_t size, bool *quoted)
{
    const char *p = *pos;
    size_t n = 0;
    bool in_quotes = false, too_long = false;

    *quoted = false;
    while (*p == ' ' || *p == '\t' || *p == '\n')
        p++;
    if (*p == 0) {
        *pos = p;
        return 0;
    }
    for (; *p; p++) {
        if (*p == '"') {
            in_quotes = !in_quotes;
            *quoted = true;
            continue;
        }
        if (!in_quotes && (*p == ' ' || *p == '\t' || *p == '\n'))
            break;
        if (n + 1 < size)
            word[n++] = *p;
        else
            too_long = true;
    }
    word[n] = 0;
    *pos = p;
    return (in_quotes || too_long) ? -1 : 1;
}

/* Add one word to init's argument list. Once one word does not fit, it
 * and every later word are dropped, with one error: init must never get its
 * arguments out of position. */
static void add_init_arg(struct boot_options *opt, const char *word, size_t *used,
                         bool *dropping)
{
    size_t len = strlen(word) + 1;
    if (*dropping)
        return;
    if (opt->init_argc >= CMDLINE_MAX_ARGS || *used + len > sizeof opt->argbuf) {
        add_error(opt, "too many arguments for init: dropped '%.40s' and the rest", word);
        *dropping = true;
        return;
    }
    char *dst = opt->argbuf + *used;
    memcpy(dst, word, len);
    *used += len;
    opt->init_argv[opt->init_argc++] = dst;
    opt->init_argv[opt->init_argc] = 0;
}

/* Read one option word (not after --). */
static void parse_option(struct boot_options *opt, const char *word)
{
    const char *eq = strchr(word, '=');
    size_t keylen = eq ? (size_t)(eq - word) : strlen(word);
    const char *value = eq ? eq + 1 : 0;

    if (keylen == 4 && strncmp(word, "init", 4) == 0 && value) {
        if (value[0] != '/')
            add_error(opt, "%s: the init program needs an absolute path", word);
        else if (strlcpy(opt->init, value, sizeof opt->init) >= sizeof opt->init) {
            add_error(opt, "init path too long: %.60s...", word);
            opt->init[0] = 0;
        }
    } else if (keylen == 4 && strncmp(word, "fork", 4) == 0 && value) {
        if (strcmp(value, "cow") == 0)
            opt->fork_mode = FORK_COW;
        else if (strcmp(value, "copy") == 0)
            opt->fork_mode = FORK_COPY;
        else if (strcmp(value, "odf") == 0)
            opt->fork_mode = FORK_ODF;
        else
            add_error(opt, "%s: expected fork=cow, fork=copy or fork=odf", word);
    } else if (keylen == 5 && strncmp(word, "trace", 5) == 0 && value) {
        if (strcmp(value, "syscalls") == 0)
            opt->trace_syscalls = true;
        else if (strcmp(value, "none") == 0)
            opt->trace_syscalls = false;
        else
            add_error(opt, "%s: expected trace=syscalls or trace=none", word);
    } else if (keylen == 8 && strncmp(word, "selftest", 8) == 0) {
        opt->selftest = true;
        opt->selftest_names[0] = 0;
        if (value && strlcpy(opt->selftest_names, value, sizeof opt->selftest_names)
                         >= sizeof opt->selftest_names)
            add_error(opt, "selftest list too long: %.60s...", word);
    } else if (keylen == 5 && strncmp(word, "panic", 5) == 0 && value) {
        if (strcmp(value, "halt") == 0)
            opt->panic_exit = false;
        else if (strcmp(value, "exit") == 0)
            opt->panic_exit = true;
        else
            add_error(opt, "%s: expected panic=halt or panic=exit", word);
    } else if (keylen == 10 && strncmp(word, "overcommit", 10) == 0 && value) {
        if (strcmp(value, "heuristic") == 0)
            opt->overcommit = OVERCOMMIT_GUESS;
        else if (strcmp(value, "always") == 0)
            opt->overcommit = OVERCOMMIT_ALWAYS;
        else if (strcmp(value, "never") == 0)
            opt->overcommit = OVERCOMMIT_NEVER;
        else
            add_error(opt, "%s: expected overcommit=heuristic, always or never", word);
    } else if (keylen == 4 && strncmp(word, "user", 4) == 0 && value) {
        if (!value[0] || strlcpy(opt->user, value, sizeof opt->user) >= sizeof opt->user) {
            add_error(opt, "%s: expected user=NAME (a name of /etc/passwd)", word);
            opt->user[0] = 0;
        }
    } else if (keylen == 4 && strncmp(word, "aslr", 4) == 0 && value) {
        if (strcmp(value, "on") == 0)
            opt->aslr = true;
        else if (strcmp(value, "off") == 0)
            opt->aslr = false;
        else
            add_error(opt, "%s: expected aslr=on or aslr=off", word);
    } else {
        add_error(opt, "unknown option '%s'", word);
    }
}

void cmdline_parse(const char *line, struct boot_options *opt)
{
    char word[256];
    bool quoted, after_separator = false, dropping = false;
    size_t used = 0;
    int r;

    memset(opt, 0, sizeof *opt);
    opt->fork_mode = FORK_COW;
    opt->aslr = true;
    opt->overcommit = OVERCOMMIT_GUESS;

    /* Skip the kernel's own file name, if the loader put it first. */
    const char *rest = line;
    r = next_word(&rest, word, sizeof word, &quoted);
    if (r > 0 && !strchr(word, '=') && (strchr(word, '/') || strchr(word, '.')))
        line = rest;

    while ((r = next_word(&line, word, sizeof word, &quoted)) != 0) {
        if (r < 0) {
            add_error(opt, "unterminated quote or word too long: %.50s...", word);
            continue;
        }
        if (after_separator)
            add_init_arg(opt, word, &used, &dropping);
        else if (!quoted && strcmp(word, "--") == 0)
            after_separator = true;
        else
            parse_option(opt, word);
    }
}
