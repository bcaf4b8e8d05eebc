/* kheap.h: kmalloc and kfree, the kernel's allocator for small objects. */
#ifndef KHEAP_H
#define KHEAP_H

#include "types.h"

/* Allocate size bytes (not zeroed), aligned to 16 bytes. Returns NULL when no
 * frame is free or size is 0. Blocks up to KHEAP_MAX_SMALL bytes share frames
 * with others of their size class; larger ones get contiguous frames of
 * their own. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);               /* kmalloc, then zero */

/* Give back a block from kmalloc. NULL is allowed and does nothing. Frames
 * whose blocks are all free go back to the frame allocator at once, so after
 * everything is freed the free-frame count is what it was. */
void kfree(void *p);

#define KHEAP_MAX_SMALL 2048

/* Statistics for the self tests and /proc: blocks in use, frames held. */
uint32_t kheap_blocks_in_use(void);
uint32_t kheap_frames_held(void);

#endif
