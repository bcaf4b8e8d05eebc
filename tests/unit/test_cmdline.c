/* test_cmdline.c: host tests of boot/cmdline.c (cmdline_parse).
 *
 * The command line is the only way to steer bunshin at boot, and the test
 * runners steer every QEMU run through it (selftest, panic=exit, init=...).
 * A word misread there quietly runs the wrong test, so each rule of
 * boot/cmdline.h is checked here: the kernel name is skipped, options and
 * their values, "--" and init's arguments, quoting, and that every bad word
 * ends up in errors[] instead of being ignored. */
// unit-sources: boot/cmdline.c lib/format.c
#include <stdint.h>

#include "check.h"
#include "boot/cmdline.h"

/* cmdline.c uses the kernel's strlcpy, which glibc 2.36 does not have (and
 * lib/string.c is i386 code). This one follows lib/string.h. */
size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size > 0) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = 0;
    }
    return len;
}

static struct boot_options opt;

/* Parse into opt after filling it with junk, so that anything the parser
 * forgets to set shows up. */
static void parse(const char *line)
{
    memset(&opt, 0xA5, sizeof opt);
    cmdline_parse(line, &opt);
}

/* All errors, joined, for failure messages. */
static const char *errors(void)
{
    static char all[CMDLINE_MAX_ERRORS * (CMDLINE_ERROR_LEN + 3) + 1];
    all[0] = 0;
    for (int i = 0; i < opt.nerrors && i < CMDLINE_MAX_ERRORS; i++) {
        strcat(all, i ? " | " : "");
        strcat(all, opt.errors[i]);
    }
    return opt.nerrors ? all : "(none)";
}

/* No errors at all. */
static void no_errors(const char *name)
{
    check(opt.nerrors == 0, name, "%d errors: %s", opt.nerrors, errors());
}

/* Exactly one error, and its text contains each of the given words. */
static void one_error(const char *name, const char *word1, const char *word2)
{
    check(opt.nerrors == 1 && strstr(opt.errors[0], word1) != NULL &&
          (word2 == NULL || strstr(opt.errors[0], word2) != NULL), name,
          "want 1 error mentioning \"%s\"%s%s; got %d: %s", word1,
          word2 ? " and " : "", word2 ? word2 : "", opt.nerrors, errors());
}

/* init's arguments are exactly want[0..n-1], and init_argv ends with NULL. */
static void argv_is(const char *name, const char *const *want, int n)
{
    char why[256] = "";
    bool ok = opt.init_argc == n;
    if (!ok)
        snprintf(why, sizeof why, "argc %d, want %d", opt.init_argc, n);
    for (int i = 0; ok && i < n; i++) {
        ok = opt.init_argv[i] != NULL && strcmp(opt.init_argv[i], want[i]) == 0;
        if (!ok)
            snprintf(why, sizeof why, "argv[%d] is \"%s\", want \"%s\"", i,
                     opt.init_argv[i] ? opt.init_argv[i] : "(null)", want[i]);
    }
    if (ok && opt.init_argv[n] != NULL) {
        ok = false;
        snprintf(why, sizeof why, "argv[%d] is not NULL", n);
    }
    check(ok, name, "%s (errors: %s)", why, errors());
}

/* A line that sets nothing: every option has its default. */
static bool all_defaults(void)
{
    return opt.init[0] == 0 && opt.init_argc == 0 && opt.init_argv[0] == NULL &&
           opt.fork_mode == FORK_COW && !opt.trace_syscalls && !opt.selftest &&
           opt.selftest_names[0] == 0 && !opt.panic_exit && opt.aslr && opt.nerrors == 0;
}

static void test_defaults(void)
{
    parse("");
    check(all_defaults(), "cmdline.empty_line_defaults", "errors: %s", errors());

    parse("/boot/kernel.elf");
    check(all_defaults(), "cmdline.kernel_name_only_defaults", "errors: %s", errors());

    parse("   \t \n ");
    check(all_defaults(), "cmdline.blank_line_defaults", "errors: %s", errors());

    /* QEMU puts the kernel's file name first, GRUB 2 does not: a first
     * word is skipped only if it looks like a file name ('/' or '.', no '='). */
    parse("kernel.elf fork=copy");
    check(opt.fork_mode == FORK_COPY && opt.nerrors == 0, "cmdline.kernel_name_with_dot_skipped",
          "fork_mode %d, errors: %s", opt.fork_mode, errors());

    parse("selftest panic=exit");
    check(opt.selftest && opt.panic_exit && opt.nerrors == 0, "cmdline.grub_line_first_word_used",
          "selftest %d panic_exit %d, errors: %s", opt.selftest, opt.panic_exit, errors());

    parse("init=/bin/sh");
    check(strcmp(opt.init, "/bin/sh") == 0 && opt.nerrors == 0,
          "cmdline.first_word_with_equals_used", "init \"%s\", errors: %s", opt.init, errors());

    parse("-- a");
    argv_is("cmdline.first_word_separator", (const char *[]){ "a" }, 1);

    parse("vmlinuz");
    one_error("cmdline.first_word_plain_is_option", "'vmlinuz'", NULL);

    parse("\"/boot/my kernel\" fork=copy");
    check(opt.fork_mode == FORK_COPY && opt.nerrors == 0, "cmdline.quoted_kernel_name_skipped",
          "fork_mode %d, errors: %s", opt.fork_mode, errors());

    /* The same struct, used twice: the second parse starts from scratch. */
    parse("build/kernel.elf fork=copy trace=syscalls selftest=a panic=exit init=/x -- y bogus");
    cmdline_parse("build/kernel.elf", &opt);
    check(all_defaults(), "cmdline.parse_clears_old_values", "errors: %s", errors());

    cmdline_parse("build/kernel.elf panic=exit", &boot_options);
    check(boot_options.panic_exit && boot_options.nerrors == 0, "cmdline.global_boot_options",
          "panic_exit %d, %d errors", boot_options.panic_exit, boot_options.nerrors);
}

static void test_init(void)
{
    parse("build/kernel.elf init=/bin/hello");
    check(strcmp(opt.init, "/bin/hello") == 0 && opt.nerrors == 0, "cmdline.init_absolute",
          "init \"%s\", errors: %s", opt.init, errors());

    parse("build/kernel.elf init=bin/sh");
    one_error("cmdline.init_relative_rejected", "bin/sh", "absolute");
    check_str("cmdline.init_relative_not_kept", opt.init, "");

    parse("build/kernel.elf init=");
    one_error("cmdline.init_empty_rejected", "init=", NULL);

    parse("build/kernel.elf init");
    one_error("cmdline.init_without_value_unknown", "unknown option 'init'", NULL);

    /* opt.init holds 127 characters and the NUL. */
    char line[400], path[200];
    memset(path, 'p', sizeof path);
    path[0] = '/';
    path[127] = 0;
    snprintf(line, sizeof line, "build/kernel.elf init=%s", path);
    parse(line);
    check(strcmp(opt.init, path) == 0 && opt.nerrors == 0, "cmdline.init_longest_path",
          "init has %zu chars, want 127; errors: %s", strlen(opt.init), errors());

    path[127] = 'p';
    path[128] = 0;
    snprintf(line, sizeof line, "build/kernel.elf init=%s", path);
    parse(line);
    one_error("cmdline.init_path_too_long_reported", "init=/ppp", NULL);
    /* The message is cut at CMDLINE_ERROR_LEN; the reason must survive. */
    check(strstr(opt.errors[0], "too long") != NULL, "cmdline.init_path_too_long_says_why",
          "message \"%s\" does not say \"too long\"", opt.errors[0]);
    check_str("cmdline.init_too_long_not_kept", opt.init, "");

    parse("build/kernel.elf init=\"/bin/my prog\"");
    check(strcmp(opt.init, "/bin/my prog") == 0 && opt.nerrors == 0,
          "cmdline.init_quoted_path", "init \"%s\", errors: %s", opt.init, errors());
}

static void test_options(void)
{
    parse("build/kernel.elf fork=odf");
    check(opt.fork_mode == FORK_ODF && opt.nerrors == 0, "cmdline.fork_odf",
          "fork_mode %d, errors: %s", opt.fork_mode, errors());
    parse("build/kernel.elf fork=copy");
    check(opt.fork_mode == FORK_COPY && opt.nerrors == 0, "cmdline.fork_copy",
          "fork_mode %d, errors: %s", opt.fork_mode, errors());

    parse("build/kernel.elf fork=copy fork=cow");
    check(opt.fork_mode == FORK_COW && opt.nerrors == 0, "cmdline.fork_cow_last_wins",
          "fork_mode %d, errors: %s", opt.fork_mode, errors());

    parse("build/kernel.elf fork=lazy");
    check(opt.fork_mode == FORK_COW, "cmdline.fork_bad_keeps_default",
          "fork_mode %d", opt.fork_mode);
    one_error("cmdline.fork_bad_value", "fork=lazy", NULL);

    parse("build/kernel.elf trace=syscalls");
    check(opt.trace_syscalls && opt.nerrors == 0, "cmdline.trace_syscalls",
          "trace_syscalls %d, errors: %s", opt.trace_syscalls, errors());

    parse("build/kernel.elf trace=syscalls trace=none");
    check(!opt.trace_syscalls && opt.nerrors == 0, "cmdline.trace_none",
          "trace_syscalls %d, errors: %s", opt.trace_syscalls, errors());

    parse("build/kernel.elf trace=all");
    one_error("cmdline.trace_bad_value", "trace=all", NULL);

    parse("build/kernel.elf selftest");
    check(opt.selftest && opt.selftest_names[0] == 0 && opt.nerrors == 0,
          "cmdline.selftest_all", "selftest %d names \"%s\", errors: %s",
          opt.selftest, opt.selftest_names, errors());

    parse("build/kernel.elf selftest=frame,heap");
    check(opt.selftest && strcmp(opt.selftest_names, "frame,heap") == 0 && opt.nerrors == 0,
          "cmdline.selftest_named", "selftest %d names \"%s\", errors: %s",
          opt.selftest, opt.selftest_names, errors());

    parse("build/kernel.elf selftest=frame selftest");
    check(opt.selftest && opt.selftest_names[0] == 0, "cmdline.selftest_plain_means_all",
          "names \"%s\"", opt.selftest_names);

    char line[400], list[200];
    memset(list, 'a', sizeof list);
    list[150] = 0;
    snprintf(line, sizeof line, "build/kernel.elf selftest=%s", list);
    parse(line);
    one_error("cmdline.selftest_list_too_long_reported", "selftest=aaa", NULL);
    check(strstr(opt.errors[0], "too long") != NULL, "cmdline.selftest_list_too_long_says_why",
          "message \"%s\" does not say \"too long\"", opt.errors[0]);

    parse("build/kernel.elf panic=exit");
    check(opt.panic_exit && opt.nerrors == 0, "cmdline.panic_exit",
          "panic_exit %d, errors: %s", opt.panic_exit, errors());

    parse("build/kernel.elf panic=exit panic=halt");
    check(!opt.panic_exit && opt.nerrors == 0, "cmdline.panic_halt",
          "panic_exit %d, errors: %s", opt.panic_exit, errors());

    parse("build/kernel.elf panic=reboot");
    one_error("cmdline.panic_bad_value", "panic=reboot", NULL);

    /* aslr is on unless the line says otherwise; the last word wins. */
    parse("build/kernel.elf aslr=off");
    check(!opt.aslr && opt.nerrors == 0, "cmdline.aslr_off",
          "aslr %d, errors: %s", opt.aslr, errors());

    parse("build/kernel.elf aslr=off aslr=on");
    check(opt.aslr && opt.nerrors == 0, "cmdline.aslr_on",
          "aslr %d, errors: %s", opt.aslr, errors());

    parse("build/kernel.elf aslr=no");
    one_error("cmdline.aslr_bad_value", "aslr=no", "aslr=off");
    check(opt.aslr, "cmdline.aslr_bad_value_keeps_default", "aslr %d", opt.aslr);

    parse("build/kernel.elf aslr");
    one_error("cmdline.aslr_without_value", "aslr", NULL);

    parse("build/kernel.elf \tfork=copy\n\ntrace=syscalls   panic=exit  ");
    check(opt.fork_mode == FORK_COPY && opt.trace_syscalls && opt.panic_exit &&
          opt.nerrors == 0, "cmdline.blanks_separate_words",
          "fork %d trace %d panic %d, errors: %s", opt.fork_mode, opt.trace_syscalls,
          opt.panic_exit, errors());
}

static void test_unknown(void)
{
    parse("build/kernel.elf quiet");
    one_error("cmdline.unknown_option", "unknown option 'quiet'", NULL);

    parse("build/kernel.elf FORK=copy");
    check(opt.fork_mode == FORK_COW, "cmdline.names_case_sensitive", "fork_mode %d",
          opt.fork_mode);

    parse("build/kernel.elf forks=copy trac=none");
    check(opt.nerrors == 2 && strstr(opt.errors[0], "forks=copy") &&
          strstr(opt.errors[1], "trac=none"), "cmdline.near_names_unknown",
          "errors: %s", errors());

    parse("build/kernel.elf fork");
    one_error("cmdline.option_without_value", "fork", NULL);

    /* A bad word does not stop the parse: later options still count. */
    parse("build/kernel.elf bogus fork=copy panic=never trace=syscalls");
    check(opt.fork_mode == FORK_COPY && opt.trace_syscalls && opt.nerrors == 2,
          "cmdline.errors_do_not_stop_parsing", "fork %d trace %d, errors: %s",
          opt.fork_mode, opt.trace_syscalls, errors());

    /* More errors than fit: all are counted, the first few are kept. */
    parse("build/kernel.elf e1 e2 e3 e4 e5 e6 e7 e8 e9 e10");
    check(opt.nerrors == 10 && strstr(opt.errors[0], "'e1'") &&
          strstr(opt.errors[CMDLINE_MAX_ERRORS - 1], "'e8'"), "cmdline.errors_counted_past_max",
          "nerrors %d, errors: %s", opt.nerrors, errors());

    /* A long bad word makes a long message; it is cut, and terminated. */
    char line[300];
    memset(line, 'w', sizeof line);
    memcpy(line, "kernel.elf ", 11);
    line[260] = 0;
    parse(line);
    check(opt.nerrors == 1 && strlen(opt.errors[0]) == CMDLINE_ERROR_LEN - 1,
          "cmdline.error_message_cut", "nerrors %d, message length %zu",
          opt.nerrors, strnlen(opt.errors[0], CMDLINE_ERROR_LEN));
}

static void test_init_args(void)
{
    parse("build/kernel.elf init=/bin/echo -- a b c");
    argv_is("cmdline.init_args", (const char *[]){ "a", "b", "c" }, 3);
    check_str("cmdline.init_with_args", opt.init, "/bin/echo");

    parse("build/kernel.elf init=/bin/sh -- -c \"ls /\"");
    argv_is("cmdline.init_args_quoted", (const char *[]){ "-c", "ls /" }, 2);

    parse("build/kernel.elf -- a\"b c\"d \"\"");
    argv_is("cmdline.init_args_quote_inside_word", (const char *[]){ "ab cd", "" }, 2);

    parse("build/kernel.elf --");
    argv_is("cmdline.separator_alone", NULL, 0);
    no_errors("cmdline.separator_alone_no_error");

    /* After --, words are init's, even ones that look like options. */
    parse("build/kernel.elf -- fork=copy bogus");
    argv_is("cmdline.options_after_separator_are_args",
            (const char *[]){ "fork=copy", "bogus" }, 2);
    check(opt.fork_mode == FORK_COW && opt.nerrors == 0, "cmdline.options_after_separator_ignored",
          "fork_mode %d, errors: %s", opt.fork_mode, errors());

    parse("build/kernel.elf -- a -- b");
    argv_is("cmdline.second_separator_is_arg", (const char *[]){ "a", "--", "b" }, 3);

    /* A quoted "--" is a word, not the separator. */
    parse("build/kernel.elf \"--\" fork=copy");
    check(opt.init_argc == 0 && opt.fork_mode == FORK_COPY && opt.nerrors == 1 &&
          strstr(opt.errors[0], "--"), "cmdline.quoted_separator_not_separator",
          "argc %d fork_mode %d, errors: %s", opt.init_argc, opt.fork_mode, errors());

    /* The words live in argbuf, which belongs to opt. */
    parse("build/kernel.elf -- one two");
    bool inside = opt.init_argc == 2;
    for (int i = 0; inside && i < 2; i++)
        inside = opt.init_argv[i] >= opt.argbuf &&
                 opt.init_argv[i] < opt.argbuf + sizeof opt.argbuf;
    check(inside, "cmdline.argv_points_into_argbuf", "argc %d", opt.init_argc);
}

static void test_limits(void)
{
    char line[2048];

    /* CMDLINE_MAX_ARGS arguments fit. */
    strcpy(line, "build/kernel.elf --");
    for (int i = 0; i < CMDLINE_MAX_ARGS; i++)
        sprintf(line + strlen(line), " a%d", i);
    parse(line);
    check(opt.init_argc == CMDLINE_MAX_ARGS && opt.nerrors == 0 &&
          strcmp(opt.init_argv[CMDLINE_MAX_ARGS - 1], "a15") == 0 &&
          opt.init_argv[CMDLINE_MAX_ARGS] == NULL, "cmdline.max_args_fit",
          "argc %d, errors: %s", opt.init_argc, errors());

    /* One more is reported, naming the first word dropped. */
    strcat(line, " extra");
    parse(line);
    check(opt.init_argc == CMDLINE_MAX_ARGS && opt.init_argv[CMDLINE_MAX_ARGS] == NULL,
          "cmdline.too_many_args_kept_max", "argc %d", opt.init_argc);
    one_error("cmdline.too_many_args_reported", "too many", "extra");

    /* The message says "'w' and the rest dropped": four more words are
     * still one problem, and must not crowd other errors out of errors[]. */
    strcat(line, " more1 more2 more3");
    parse(line);
    one_error("cmdline.too_many_args_one_error", "extra", NULL);

    /* argbuf (512 bytes) full: two 255-character words take 2 * 256. */
    char w255[256];
    memset(w255, 'x', 255);
    w255[255] = 0;
    snprintf(line, sizeof line, "build/kernel.elf -- %s %s", w255, w255);
    parse(line);
    check(opt.init_argc == 2 && strlen(opt.init_argv[1]) == 255 && opt.nerrors == 0,
          "cmdline.argbuf_exactly_full", "argc %d, errors: %s", opt.init_argc, errors());

    /* Past the end of argbuf: that word and the ones after it are dropped.
     * 2 * 201 bytes are used, the 256 of the next word do not fit, but a
     * short word after it would: it must not slip in, or init would see its
     * arguments out of place. */
    char w200[201];
    memset(w200, 'y', 200);
    w200[200] = 0;
    snprintf(line, sizeof line, "build/kernel.elf -- %s %s %s short", w200, w200, w255);
    parse(line);
    check(opt.nerrors >= 1 && strstr(opt.errors[0], "too many"), "cmdline.argbuf_overflow_reported",
          "errors: %s", errors());
    argv_is("cmdline.argbuf_overflow_drops_rest", (const char *[]){ w200, w200 }, 2);

    /* A word of 255 characters is whole; 256 is reported as too long. */
    snprintf(line, sizeof line, "build/kernel.elf -- %s", w255);
    parse(line);
    check(opt.init_argc == 1 && strlen(opt.init_argv[0]) == 255 && opt.nerrors == 0,
          "cmdline.longest_word", "argc %d, errors: %s", opt.init_argc, errors());

    snprintf(line, sizeof line, "build/kernel.elf -- %sy next", w255);
    parse(line);
    argv_is("cmdline.word_too_long_dropped", (const char *[]){ "next" }, 1);
    one_error("cmdline.word_too_long_reported", "xxxx", NULL);
    check(strstr(opt.errors[0], "too long") != NULL, "cmdline.word_too_long_says_why",
          "message \"%s\" does not say \"too long\"", opt.errors[0]);
}

static void test_quotes(void)
{
    parse("build/kernel.elf -- \"abc");
    argv_is("cmdline.unterminated_quote_dropped", NULL, 0);
    one_error("cmdline.unterminated_quote_reported", "unterminated", "abc");

    parse("build/kernel.elf fork=\"copy");
    check(opt.fork_mode == FORK_COW, "cmdline.unterminated_quote_option_not_used",
          "fork_mode %d", opt.fork_mode);

    /* The quote runs to the end of the line, taking the blanks with it. */
    parse("build/kernel.elf \"fork=copy trace=syscalls");
    check(opt.fork_mode == FORK_COW && !opt.trace_syscalls && opt.nerrors == 1,
          "cmdline.unterminated_quote_eats_rest", "fork %d trace %d, errors: %s",
          opt.fork_mode, opt.trace_syscalls, errors());

    parse("build/kernel.elf \"fork\"=\"copy\"");
    check(opt.fork_mode == FORK_COPY && opt.nerrors == 0, "cmdline.quotes_in_option",
          "fork_mode %d, errors: %s", opt.fork_mode, errors());
}

int main(void)
{
    test_defaults();
    test_init();
    test_options();
    test_unknown();
    test_init_args();
    test_limits();
    test_quotes();
    return 0;
}
