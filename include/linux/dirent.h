/* dirent.h: the records getdents64 writes, as on Linux.
 * Linux: <dirent.h> */
#ifndef DIRENT_H
#define DIRENT_H

#include "types.h"

/* One directory entry (Linux's include/linux/dirent.h, which is not
 * exported to user space: C libraries define the same layout). */
struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;
    char d_name[];
} __attribute__((packed));
/* The old record of getdents (141): 32-bit number and offset; the type is
 * the record's last byte, after the name's NUL. */
struct linux_dirent {
    uint32_t d_ino;
    uint32_t d_off;
    uint16_t d_reclen;
    char d_name[];
} __attribute__((packed));

/* d_type: the file's type, so that ls need not stat every entry. */
#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10
#define DT_SOCK    12

#endif
