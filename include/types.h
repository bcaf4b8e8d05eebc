/* types.h: the kernel's basic types. Freestanding headers only, so that pure
 * files (the frame allocator, the formatter, the command-line parser) also build
 * for the host and can be unit-tested there. */
#ifndef TYPES_H
#define TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t paddr_t;   /* a physical address */
typedef uint32_t vaddr_t;   /* a virtual address, as a number */

#endif
