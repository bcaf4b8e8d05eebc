/* ldt.h: struct user_desc, the segment descriptor a program hands to
 * set_thread_area and clone(CLONE_SETTLS) for its thread-local storage.
 * Linux: <asm/ldt.h> */
#ifndef LDT_H
#define LDT_H

#include "types.h"

struct user_desc {
    uint32_t entry_number;  /* GDT slot; -1 asks the kernel to choose */
    uint32_t base_addr;
    uint32_t limit;
    uint32_t flags;         /* seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1
                               seg_not_present:1 useable:1 (bit fields in Linux's header) */
};
_Static_assert(sizeof(struct user_desc) == 16, "struct user_desc is 16 bytes");

#define LDT_ENTRY_SIZE 8

#endif
