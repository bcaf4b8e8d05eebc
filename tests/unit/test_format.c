/* test_format.c: host tests of lib/format.c (ksnprintf, kvsnprintf).
 *
 * Everything printk prints goes through this formatter, and a wrong digit
 * in a panic message or an address sends a person hunting in the wrong
 * place. The C library's snprintf is the reference: for every conversion
 * except %p the two must agree character for character and return the same
 * length. %p is bunshin's own ("0x" and every hex digit of a pointer), so it
 * is checked against that rule instead. On the host long, size_t and
 * pointers are 64 bits wide, which exercises the 64-bit paths too. */
// unit-sources: lib/format.c
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "lib/format.h"

/* Format with both ksnprintf and snprintf; the check passes if the text and
 * the returned length are the same. Arguments are evaluated twice, so they
 * must have no side effects. */
#define SAME(name, fmt, ...) do {                                          \
    char got_[256], want_[256];                                            \
    int gotn_ = ksnprintf(got_, sizeof got_, fmt, ##__VA_ARGS__);          \
    int wantn_ = snprintf(want_, sizeof want_, fmt, ##__VA_ARGS__);        \
    check(gotn_ == wantn_ && strcmp(got_, want_) == 0, name,               \
          "format \"%s\": got \"%s\" (%d), libc \"%s\" (%d)",              \
          fmt, got_, gotn_, want_, wantn_);                                \
} while (0)

/* The same comparison for formats gcc would refuse at compile time: ones
 * whose flags C says are ignored ("%-05d"), which is exactly the rule to
 * test. Without a format attribute gcc leaves fmt alone. */
static void same_unchecked(const char *name, const char *fmt, ...)
{
    char got[256], want[256];
    va_list a, b;

    va_start(a, fmt);
    va_copy(b, a);
    int gotn = kvsnprintf(got, sizeof got, fmt, a);
    int wantn = vsnprintf(want, sizeof want, fmt, b);
    va_end(b);
    va_end(a);
    check(gotn == wantn && strcmp(got, want) == 0, name,
          "format \"%s\": got \"%s\" (%d), libc \"%s\" (%d)", fmt, got, gotn, want, wantn);
}

/* For formats built at run time (the sweeps below): compare one case and
 * describe the mismatch in why. len says how wide the argument must be:
 * 'l' long, 'q' long long, 'z' size_t, anything else int (hh and h take an
 * int too). The format is not a literal, so gcc cannot check it; the
 * sweeps only build valid ones. */
static bool same_int(char *why, size_t whysize, const char *fmt, long long v, int len)
{
    char got[256], want[256];
    int gotn, wantn;

    switch (len) {
    case 'l': gotn = ksnprintf(got, sizeof got, fmt, (long)v);
              wantn = snprintf(want, sizeof want, fmt, (long)v); break;
    case 'q': gotn = ksnprintf(got, sizeof got, fmt, v);
              wantn = snprintf(want, sizeof want, fmt, v); break;
    case 'z': gotn = ksnprintf(got, sizeof got, fmt, (size_t)v);
              wantn = snprintf(want, sizeof want, fmt, (size_t)v); break;
    default:  gotn = ksnprintf(got, sizeof got, fmt, (int)v);
              wantn = snprintf(want, sizeof want, fmt, (int)v); break;
    }
    if (gotn == wantn && strcmp(got, want) == 0)
        return true;
    snprintf(why, whysize, "format \"%s\" value %lld: got \"%s\" (%d), libc \"%s\" (%d)",
             fmt, v, got, gotn, want, wantn);
    return false;
}

/* Every combination of flags, width and precision with one conversion and
 * one length modifier, over a list of values. flags lists the flags that
 * are defined for that conversion (C leaves '#' with %d undefined). */
static void sweep(const char *name, const char *flags, const char *lenmod, int len,
                  char conv, const long long *values, int nvalues)
{
    static const char *widths[] = { "", "1", "6", "25" };
    static const char *precs[] = { "", ".", ".0", ".3", ".12" };
    int nflags = (int)strlen(flags);
    char why[512] = "";
    bool ok = true;

    for (int set = 0; ok && set < (1 << nflags); set++) {
        for (size_t w = 0; ok && w < sizeof widths / sizeof widths[0]; w++) {
            for (size_t p = 0; ok && p < sizeof precs / sizeof precs[0]; p++) {
                char fmt[64], *f = fmt;
                *f++ = '%';
                for (int i = 0; i < nflags; i++)
                    if (set & (1 << i))
                        *f++ = flags[i];
                sprintf(f, "%s%s%s%c", widths[w], precs[p], lenmod, conv);
                for (int v = 0; ok && v < nvalues; v++)
                    ok = same_int(why, sizeof why, fmt, values[v], len);
            }
        }
    }
    check(ok, name, "%s", why);
}

/* A stand-in for a kernel function that takes a va_list, as vprintk does. */
static int vformat(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int vformat(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* What %p must print for p: "0x" and 2*sizeof(void *) hex digits. */
static void pointer_text(char *buf, size_t size, uintptr_t p)
{
    snprintf(buf, size, "0x%0*llx", (int)(2 * sizeof(void *)), (unsigned long long)p);
}

static void test_against_libc(void)
{
    SAME("format.plain_text", "hello, world");
    SAME("format.percent_literal", "100%% sure");
    SAME("format.decimal", "%d %d %i", 42, -42, 7);
    SAME("format.decimal_limits", "%d %i", INT_MIN, INT_MAX);
    SAME("format.unsigned_max", "%u", UINT_MAX);
    SAME("format.hex", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
    SAME("format.octal", "%o", 0755u);
    SAME("format.zero_values", "%d %u %x %o", 0, 0u, 0u, 0u);
    SAME("format.char", "[%c]", 'q');
    SAME("format.string", "[%s]", "bunshin");
    SAME("format.width_right", "[%5d]", 42);
    SAME("format.width_left", "[%-5d]", 42);
    SAME("format.width_zero_pad", "[%05d]", -42);
    SAME("format.width_smaller_than_text", "[%2d]", 12345);
    same_unchecked("format.zero_ignored_when_left", "[%-05d]", 42);
    same_unchecked("format.zero_ignored_with_precision", "[%08.3d]", 42);
    SAME("format.precision_pads_digits", "[%.5d]", -42);
    SAME("format.precision_zero_value_zero", "[%.0d|%.0x|%5.0u]", 0, 0u, 0u);
    SAME("format.plus_flag", "%+d %+d", 5, -5);
    SAME("format.space_flag", "[% d] [% d]", 5, -5);
    same_unchecked("format.plus_beats_space", "[%+ d]", 5);
    SAME("format.alt_hex", "%#x %#X", 255u, 255u);
    SAME("format.alt_hex_zero_no_prefix", "[%#x]", 0u);
    SAME("format.alt_hex_zero_pad", "[%#010x]", 0x1234u);
    SAME("format.alt_octal", "%#o %#o", 8u, 0u);
    SAME("format.alt_octal_precision", "[%#.4o] [%#.0o]", 8u, 0u);
    SAME("format.star_width", "[%*d]", 6, 42);
    SAME("format.star_negative_width_left", "[%*d]", -6, 42);
    SAME("format.star_precision", "[%.*d]", 4, 7);
    same_unchecked("format.star_negative_precision_ignored", "[%0*.*d]", 6, -1, 42);
    SAME("format.length_hh", "%hhd %hhu %hhx", 200, 300, -1);
    SAME("format.length_h", "%hd %hu", 70000, -1);
    SAME("format.length_l", "%ld %lu %lx", LONG_MIN, ULONG_MAX, 0x123456789abcdefUL);
    SAME("format.length_ll", "%lld %llu", LLONG_MIN, ULLONG_MAX);
    SAME("format.length_ll_octal_hex", "%llo %llX", ULLONG_MAX, 0xfedcba9876543210ULL);
    SAME("format.length_z", "%zu %zx %zd", SIZE_MAX, (size_t)0xabc, (ssize_t)-5);
    SAME("format.string_precision", "[%.3s] [%8.3s] [%.0s]", "abcdef", "abcdef", "abc");
    SAME("format.string_width_left", "[%-8s] [%8s]", "ab", "ab");
    SAME("format.string_star", "[%*.*s]", 6, 2, "xyz");
    SAME("format.char_width", "[%3c] [%-3c]", 'a', 'b');
    SAME("format.mixed", "%s=%d (%#x)%c%5.2s|", "pid", 17, 17u, '!', "end");

    /* "(null)" for a null string is what glibc prints too; volatile keeps
     * gcc from warning about the constant null argument. */
    const char *volatile nullstr = NULL;
    SAME("format.string_null", "[%s]", nullstr);

    /* A NUL from %c is part of the output and of the count. */
    char got[8], want[8];
    int gotn = ksnprintf(got, sizeof got, "a%cb", 0);
    int wantn = snprintf(want, sizeof want, "a%cb", 0);
    check(gotn == wantn && memcmp(got, want, 4) == 0, "format.char_nul",
          "got %d bytes, libc %d", gotn, wantn);
}

/* The same comparison over many combinations; each sweep is one check and
 * names the first case that differs. */
static void test_sweeps(void)
{
    static const long long ints[] = { 0, 1, -1, 7, 42, -42, 1000000, INT_MAX, INT_MIN };
    static const long long uints[] = { 0, 1, 8, 255, 0x1234, 0xdeadbeef, UINT_MAX };
    static const long long longs[] = { 0, -1, 99, LLONG_MAX, LLONG_MIN,
                                       (long long)0x8000000000000000ULL + 1 };

    sweep("format.sweep_d", "-0+ ", "", 'i', 'd', ints, 9);
    sweep("format.sweep_i", "-0+ ", "", 'i', 'i', ints, 9);
    sweep("format.sweep_u", "-0", "", 'i', 'u', uints, 7);
    sweep("format.sweep_x", "-0#", "", 'i', 'x', uints, 7);
    sweep("format.sweep_X", "-0#", "", 'i', 'X', uints, 7);
    sweep("format.sweep_o", "-0#", "", 'i', 'o', uints, 7);
    sweep("format.sweep_hhd", "-0+", "hh", 'i', 'd', ints, 9);
    sweep("format.sweep_hx", "-#", "h", 'i', 'x', ints, 9);
    sweep("format.sweep_ld", "-0+ ", "l", 'l', 'd', longs, 6);
    sweep("format.sweep_llx", "-0#", "ll", 'q', 'x', longs, 6);
    sweep("format.sweep_llo", "-0#", "ll", 'q', 'o', longs, 6);
    sweep("format.sweep_zu", "-0", "z", 'z', 'u', longs, 6);
}

/* What ksnprintf does that libc leaves undefined or does differently. */
static void test_own_rules(void)
{
    char buf[128], want[64];

    int n = ksnprintf(buf, sizeof buf, "%p", (void *)0x1234);
    pointer_text(want, sizeof want, 0x1234);
    check(n == (int)strlen(want) && strcmp(buf, want) == 0, "format.p_all_digits",
          "got \"%s\" (%d), want \"%s\"", buf, n, want);

    ksnprintf(buf, sizeof buf, "%p", (void *)0);
    pointer_text(want, sizeof want, 0);
    check_str("format.p_null", buf, want);

    ksnprintf(buf, sizeof buf, "%p", (void *)UINTPTR_MAX);
    pointer_text(want, sizeof want, UINTPTR_MAX);
    check_str("format.p_max", buf, want);

    /* Padding goes around the whole "0x...", as for every other conversion. */
    char w[128];
    pointer_text(want, sizeof want, 0xabc);
    ksnprintf(buf, sizeof buf, "[%-24p]", (void *)0xabc);
    snprintf(w, sizeof w, "[%-24s]", want);
    check_str("format.p_width_left", buf, w);

    ksnprintf(buf, sizeof buf, "[%24p]", (void *)0xabc);
    snprintf(w, sizeof w, "[%24s]", want);
    check_str("format.p_width_right", buf, w);

    /* '#' must not add a second 0x. The format is not a literal because
     * gcc rightly warns about '#' with %p. */
    const char *alt_p = "%#p";
    ksnprintf(buf, sizeof buf, alt_p, (void *)0xabc);
    check_str("format.p_alt_no_double_prefix", buf, want);

    /* An unknown conversion is printed as written, so a typo shows. */
    const char *unknown = "a%qb";
    n = ksnprintf(buf, sizeof buf, unknown, 1);
    check(n == 4 && strcmp(buf, "a%qb") == 0, "format.unknown_conversion_kept",
          "got \"%s\" (%d), want \"a%%qb\" (4)", buf, n);

    /* A '%' at the very end must not make the formatter read on past the
     * terminating NUL: here "XYZ" lies just beyond it. */
    static const char lone_text[] = "ab%\0XYZ";
    const char *lone = lone_text;
    n = ksnprintf(buf, sizeof buf, lone, 0);
    check(n == (int)strlen(buf) && strchr(buf, 'X') == NULL && strncmp(buf, "ab", 2) == 0,
          "format.lone_percent_at_end", "got \"%s\" (%d)", buf, n);

    n = vformat(buf, sizeof buf, "%s:%d:%c", "va", -3, 'z');
    check(n == 7 && strcmp(buf, "va:-3:z") == 0, "format.kvsnprintf_va_list",
          "got \"%s\" (%d), want \"va:-3:z\" (7)", buf, n);
}

/* Output that does not fit: the return value is still the full length, the
 * buffer is always terminated, and nothing is written past size. */
static void test_truncation(void)
{
    char buf[16];
    int n;

    memset(buf, 'X', sizeof buf);
    n = ksnprintf(buf, 5, "%d", 1234567);
    check(n == 7 && strcmp(buf, "1234") == 0, "format.trunc_returns_full_length",
          "got \"%s\" (%d), want \"1234\" (7)", buf, n);
    check(buf[5] == 'X', "format.trunc_no_write_past_size",
          "byte after the buffer changed to %#x", buf[5]);

    memset(buf, 'X', sizeof buf);
    n = ksnprintf(buf, 4, "abc");
    check(n == 3 && strcmp(buf, "abc") == 0, "format.trunc_exact_fit",
          "got \"%s\" (%d), want \"abc\" (3)", buf, n);

    memset(buf, 'X', sizeof buf);
    n = ksnprintf(buf, 3, "abc");
    check(n == 3 && strcmp(buf, "ab") == 0 && buf[3] == 'X', "format.trunc_one_short",
          "got \"%.15s\" (%d), want \"ab\" (3)", buf, n);

    memset(buf, 'X', sizeof buf);
    n = ksnprintf(buf, 1, "abc");
    check(n == 3 && buf[0] == 0 && buf[1] == 'X', "format.trunc_size_one",
          "got first byte %#x, second %#x, length %d", buf[0], buf[1], n);

    memset(buf, 'X', sizeof buf);
    n = ksnprintf(buf, 0, "abc%d", 12);
    check(n == 5 && buf[0] == 'X', "format.trunc_size_zero_writes_nothing",
          "returned %d, first byte %#x", n, buf[0]);

    n = ksnprintf(NULL, 0, "%s-%d", "abc", 12345);
    check_long("format.trunc_null_buffer_counts", n, 9);

    memset(buf, 'X', sizeof buf);
    n = ksnprintf(buf, 4, "%10d", 5);
    check(n == 10 && strcmp(buf, "   ") == 0, "format.trunc_padding_counted",
          "got \"%s\" (%d), want \"   \" (10)", buf, n);

    /* Every buffer size against libc: same text, same length. The size is
     * volatile so gcc does not warn that libc's output will be cut. */
    bool ok = true;
    char why[256] = "";
    for (volatile size_t size = 0; ok && size <= 24; size++) {
        char got[32], want[32];
        memset(got, 'X', sizeof got);
        memset(want, 'X', sizeof want);
        int gn = ksnprintf(got, size, "%-6s|%+5d|%#x", "ab", 12, 255u);
        int wn = snprintf(want, size, "%-6s|%+5d|%#x", "ab", 12, 255u);
        ok = gn == wn && memcmp(got, want, sizeof got) == 0;
        if (!ok)
            snprintf(why, sizeof why, "size %zu: got \"%.31s\" (%d), libc \"%.31s\" (%d)",
                     (size_t)size, got, gn, want, wn);
    }
    check(ok, "format.trunc_every_size_like_libc", "%s", why);
}

/* %.3s of an array of 3 chars with no NUL: C says at most 3 bytes are read.
 * The 3 bytes are put just before an inaccessible page, so reading a 4th
 * one faults. That is tried in a child process, which may die. */
static void test_precision_reads_no_further(void)
{
    long page = sysconf(_SC_PAGESIZE);
    char *mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED || mprotect(mem + page, page, PROT_NONE) != 0) {
        check(false, "format.string_precision_reads_no_further", "mmap/mprotect failed");
        return;
    }
    char *abc = mem + page - 3;
    memcpy(abc, "abc", 3);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        /* Quiet: a sanitizer would report the fault on stderr. */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 2);
        char buf[8];
        ksnprintf(buf, sizeof buf, "%.3s", abc);
        _exit(strcmp(buf, "abc") == 0 ? 0 : 3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    munmap(mem, 2 * page);
    check(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "format.string_precision_reads_no_further",
          "%%.3s of 3 chars without a NUL %s",
          pid < 0 ? "could not fork" :
          WIFEXITED(status) && WEXITSTATUS(status) == 3 ? "printed the wrong text" :
          "read a 4th byte (the child faulted)");
}

int main(void)
{
    test_against_libc();
    test_sweeps();
    test_own_rules();
    test_truncation();
    test_precision_reads_no_further();
    return 0;
}
