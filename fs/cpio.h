/* cpio.h: reading the "newc" cpio format (the initrd's, as Linux's initramfs).
 *
 * An archive is a list of entries, each a 110-byte header of ASCII fields,
 * then the name, then the data; name and data are each padded to a multiple
 * of 4 bytes. The header starts with the magic "070701" followed by 13
 * eight-digit hexadecimal numbers: ino, mode, uid, gid, nlink, mtime,
 * filesize, devmajor, devminor, rdevmajor, rdevminor, namesize (counting the
 * NUL), check. An entry named "TRAILER!!!" ends the archive.
 *
 * Pure code: tests/unit checks it against archives made by the host's cpio. */
#ifndef CPIO_H
#define CPIO_H

#include "types.h"

struct cpio_entry {
    const char *name;          /* NUL-terminated, inside the archive */
    uint32_t mode;             /* file type and permission bits */
    uint32_t uid, gid, nlink, mtime;
    const uint8_t *data;       /* inside the archive */
    uint32_t size;
};

/* Read the entry at *off in archive buf of len bytes and move *off past it.
 * Returns 1 for an entry, 0 at the trailer, -1 if the archive is malformed
 * (bad magic or field, or sizes that run past the end). */
int cpio_next(const uint8_t *buf, uint32_t len, uint32_t *off, struct cpio_entry *e);

#endif
