/* statfs.h: what statfs and fstatfs say about a file system, with Linux's
 * i386 layouts, and the magic numbers that name the kinds bunshin has.
 * Linux: <asm/statfs.h> <linux/magic.h>
 * Linux struct: statfs f_type f_bsize f_blocks f_bfree f_bavail f_files f_ffree f_fsid f_namelen f_frsize f_flags f_spare
 * Linux struct: statfs64 f_type f_bsize f_blocks f_bfree f_bavail f_files f_ffree f_fsid f_namelen f_frsize f_flags f_spare
 */
#ifndef STATFS_H
#define STATFS_H

#include "types.h"

#define RAMFS_MAGIC 0x858458f6u
#define TMPFS_MAGIC 0x01021994u
#define PROC_SUPER_MAGIC 0x9fa0u

typedef struct {
    int32_t val[2];
} __kernel_fsid_t;

/* statfs (99), fstatfs (100): 32-bit counts. */
struct statfs {
    uint32_t f_type, f_bsize;
    uint32_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    __kernel_fsid_t f_fsid;
    uint32_t f_namelen, f_frsize, f_flags;
    uint32_t f_spare[4];
};
_Static_assert(sizeof(struct statfs) == 64, "struct statfs is 64 bytes on i386");

/* statfs64 (268), fstatfs64 (269): 64-bit counts, packed to 4 bytes on
 * i386 (84 bytes), which the caller passes as the size it expects. */
struct statfs64 {
    uint32_t f_type, f_bsize;
    uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    __kernel_fsid_t f_fsid;
    uint32_t f_namelen, f_frsize, f_flags;
    uint32_t f_spare[4];
} __attribute__((packed, aligned(4)));
_Static_assert(sizeof(struct statfs64) == 84, "struct statfs64 is 84 bytes on i386");

#endif
