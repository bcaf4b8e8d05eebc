/* falloc.h: fallocate's mode bits, with Linux's values.
 * Linux: <linux/falloc.h>
 *
 * Mode 0 allocates the range and makes the file at least offset + len
 * long; the bits below change that. ramfs (fs/ramfs_file.c) does what
 * Linux's tmpfs does: KEEP_SIZE and PUNCH_HOLE | KEEP_SIZE, and says
 * EOPNOTSUPP to the rest. */
#ifndef LINUX_FALLOC_H
#define LINUX_FALLOC_H

#define FALLOC_FL_KEEP_SIZE      0x01   /* allocate, but leave the size alone */
#define FALLOC_FL_PUNCH_HOLE     0x02   /* make the range a hole (with KEEP_SIZE) */
#define FALLOC_FL_NO_HIDE_STALE  0x04   /* reserved */
#define FALLOC_FL_COLLAPSE_RANGE 0x08   /* cut the range out, the rest moves down */
#define FALLOC_FL_ZERO_RANGE     0x10   /* zeroes, allocated */
#define FALLOC_FL_INSERT_RANGE   0x20   /* a hole inserted, the rest moves up */
#define FALLOC_FL_UNSHARE_RANGE  0x40   /* unshare shared extents */

#endif
