/* format.c: the formatter behind printk and ksnprintf. */
#include "lib/format.h"

/* An output buffer that counts every character, stored or not. */
struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_repeat(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

/* How one conversion was asked for. */
struct spec {
    bool left;        /* '-': pad on the right */
    bool zero;        /* '0': pad numbers with zeros */
    bool plus;        /* '+': always show a sign */
    bool space;       /* ' ': a space where a '+' would be */
    bool alt;         /* '#': 0x before hex, 0 before octal */
    int width;        /* -1: none */
    int precision;    /* -1: none */
};

/* Print a number given as magnitude and sign, honouring the whole spec. */
static void put_number(struct out *o, const struct spec *sp, uint64_t value,
                       bool negative, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];                       /* 2^64 in octal has 22 digits */
    int n = 0;

    /* C rule: a precision of 0 prints no digits for the value 0. */
    if (!(value == 0 && sp->precision == 0)) {
        do {
            tmp[n++] = digits[value % base];
            value /= base;
        } while (value != 0);
    }

    const char *prefix = "";
    if (negative)
        prefix = "-";
    else if (sp->plus)
        prefix = "+";
    else if (sp->space)
        prefix = " ";
    if (sp->alt && base == 16 && n > 0 && !(n == 1 && tmp[0] == '0'))
        prefix = upper ? "0X" : "0x";

    int zeros = 0;                      /* leading zeros from the precision */
    if (sp->precision > n)
        zeros = sp->precision - n;
    if (sp->alt && base == 8 && zeros == 0 && (n == 0 || tmp[n - 1] != '0'))
        zeros = 1;                      /* '#' with octal: start with a 0 */

    int prefix_len = 0;
    while (prefix[prefix_len])
        prefix_len++;
    int pad = sp->width - (prefix_len + zeros + n);

    /* The '0' flag pads with zeros after the sign, unless a precision is given. */
    bool zero_pad = sp->zero && !sp->left && sp->precision < 0;
    if (zero_pad) {
        zeros += pad > 0 ? pad : 0;
        pad = 0;
    }
    if (!sp->left)
        put_repeat(o, ' ', pad);
    for (int i = 0; i < prefix_len; i++)
        put(o, prefix[i]);
    put_repeat(o, '0', zeros);
    while (n > 0)
        put(o, tmp[--n]);
    if (sp->left)
        put_repeat(o, ' ', pad);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
    if (s == 0)
        s = "(null)";
    int len = 0;
    /* Test the precision first: with one, s need not be NUL-terminated. */
    while ((sp->precision < 0 || len < sp->precision) && s[len])
        len++;
    int pad = sp->width - len;
    if (!sp->left)
        put_repeat(o, ' ', pad);
    for (int i = 0; i < len; i++)
        put(o, s[i]);
    if (sp->left)
        put_repeat(o, ' ', pad);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        p++;

        struct spec sp = { false, false, false, false, false, -1, -1 };
        for (;; p++) {
            if (*p == '-') sp.left = true;
            else if (*p == '0') sp.zero = true;
            else if (*p == '+') sp.plus = true;
            else if (*p == ' ') sp.space = true;
            else if (*p == '#') sp.alt = true;
            else break;
        }
        if (*p == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {         /* C rule: a negative width means '-' */
                sp.left = true;
                sp.width = -sp.width;
            }
            p++;
        } else {
            while (*p >= '0' && *p <= '9') {
                if (sp.width < 0)
                    sp.width = 0;
                sp.width = sp.width * 10 + (*p++ - '0');
            }
        }
        if (*p == '.') {
            p++;
            sp.precision = 0;
            if (*p == '*') {
                sp.precision = va_arg(ap, int);
                if (sp.precision < 0)
                    sp.precision = -1;  /* negative precision: as if none */
                p++;
            } else {
                while (*p >= '0' && *p <= '9')
                    sp.precision = sp.precision * 10 + (*p++ - '0');
            }
        }

        /* Length: how wide the argument is. 2 = long long, -1 = char, -2 = short */
        int length = 0;
        if (*p == 'h') {
            length = -2;
            if (*++p == 'h') { length = -1; p++; }
        } else if (*p == 'l') {
            length = 1;
            if (*++p == 'l') { length = 2; p++; }
        } else if (*p == 'z') {
            length = 3;
            p++;
        }

        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v;
            if (length == 2) v = va_arg(ap, long long);
            else if (length == 1) v = va_arg(ap, long);
            else if (length == 3) v = va_arg(ap, ptrdiff_t);   /* signed, size_t's width */
            else v = va_arg(ap, int);
            if (length == -1) v = (signed char)v;
            if (length == -2) v = (short)v;
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            put_number(&o, &sp, mag, v < 0, 10, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v;
            if (length == 2) v = va_arg(ap, unsigned long long);
            else if (length == 1) v = va_arg(ap, unsigned long);
            else if (length == 3) v = va_arg(ap, size_t);
            else v = va_arg(ap, unsigned int);
            if (length == -1) v = (unsigned char)v;
            if (length == -2) v = (unsigned short)v;
            sp.plus = sp.space = false;         /* unsigned: never a sign */
            unsigned base = *p == 'u' ? 10 : *p == 'o' ? 8 : 16;
            put_number(&o, &sp, v, false, base, *p == 'X');
            break;
        }
        case 'p': {
            /* Always 0x and all the digits of a pointer: easy to compare by
             * eye. Format it whole, then pad it like a string. */
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            char digits[2 + 2 * sizeof(void *) + 1];
            struct out d = { digits, sizeof digits, 0 };
            struct spec ds = { false, false, false, false, false, -1, (int)(2 * sizeof(void *)) };
            put(&d, '0');
            put(&d, 'x');
            put_number(&d, &ds, v, false, 16, false);
            digits[d.len] = 0;
            sp.precision = -1;
            put_string(&o, &sp, digits);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            int pad = sp.width - 1;
            if (!sp.left) put_repeat(&o, ' ', pad);
            put(&o, c);
            if (sp.left) put_repeat(&o, ' ', pad);
            break;
        }
        case 's':
            put_string(&o, &sp, va_arg(ap, const char *));
            break;
        case '%':
            put(&o, '%');
            break;
        case 0:                         /* a lone % at the end */
            p--;
            break;
        default:                        /* unknown: print it as written */
            put(&o, '%');
            put(&o, *p);
            break;
        }
    }

    if (o.size > 0)
        o.buf[o.len < o.size ? o.len : o.size - 1] = 0;
    return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
