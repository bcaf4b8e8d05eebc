/* vm_internal.h: between the files of mm/ that work on regions (vm.c,
 * vm_layout.c, vm_change.c), not for the rest of the kernel. */
#ifndef VM_INTERNAL_H
#define VM_INTERNAL_H

#include "mm/vm.h"

/* Does every page of [start, end) lie in some region of mm? (Calls that
 * act on mapped memory only answer ENOMEM for a hole, as Linux does.) */
bool range_is_mapped(struct mm *mm, vaddr_t start, vaddr_t end);

/* Unmap every page in [start, end) of mm, giving back the frames;
 * stretches with no page table are skipped whole. */
void unmap_pages(struct mm *mm, vaddr_t start, vaddr_t end);

#endif
