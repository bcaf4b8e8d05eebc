/* format.h: printf-style formatting into a buffer (lib/format.c).
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, with the flags - 0 + space #,
 * a width and a precision (numbers or *), and the length modifiers hh h l ll z.
 * The kernel has no floating point, so no %f.
 *
 * Pure code: it touches nothing but its arguments, so tests/unit builds it
 * for the host and checks it against the C library's printf. */
#ifndef FORMAT_H
#define FORMAT_H

#include "types.h"

/* Format into buf (at most size bytes, always NUL-terminated when size > 0).
 * Returns the length the whole result has, as C99's vsnprintf does, so a
 * return value >= size means the output was cut short. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
