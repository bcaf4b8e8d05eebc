/* string.h: the kernel's own small string and memory functions (lib/string.c).
 * gcc may also call memcpy, memset, memmove and memcmp by itself, for struct
 * copies and the like, so they must exist under these names. */
#ifndef STRING_H
#define STRING_H

#include "types.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Copy src into dst of size bytes, always NUL-terminated (if size > 0);
 * returns strlen(src), so a result >= size means it was cut. */
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
