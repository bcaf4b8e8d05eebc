/* cpio.c: walk a newc cpio archive (see cpio.h). */
#include "fs/cpio.h"

#define CPIO_HEADER 110

/* Parse 8 hexadecimal digits; -1 if one is not a hex digit. */
static int64_t hex8(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 8; i++) {
        uint8_t c = p[i];
        uint32_t d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return -1;
        v = v << 4 | d;
    }
    return v;
}

static uint32_t align4(uint32_t x)
{
    return (x + 3) & ~3u;
}

int cpio_next(const uint8_t *buf, uint32_t len, uint32_t *off, struct cpio_entry *e)
{
    uint32_t at = *off;
    if (at > len || len - at < CPIO_HEADER)
        return -1;
    const uint8_t *h = buf + at;
    /* 070701 is plain newc; 070702 is newc with a checksum we do not check. */
    if (h[0] != '0' || h[1] != '7' || h[2] != '0' || h[3] != '7' || h[4] != '0' ||
        (h[5] != '1' && h[5] != '2'))
        return -1;
    int64_t f[13];
    for (int i = 0; i < 13; i++) {
        f[i] = hex8(h + 6 + 8 * i);
        if (f[i] < 0)
            return -1;
    }
    uint32_t namesize = (uint32_t)f[11];
    uint32_t filesize = (uint32_t)f[6];
    if (namesize == 0 || namesize > len - at - CPIO_HEADER)
        return -1;
    const char *name = (const char *)h + CPIO_HEADER;
    if (name[namesize - 1] != 0)
        return -1;
    uint32_t data_at = align4(at + CPIO_HEADER + namesize);
    if (data_at > len || filesize > len - data_at)
        return -1;

    e->name = name;
    e->mode = (uint32_t)f[1];
    e->uid = (uint32_t)f[2];
    e->gid = (uint32_t)f[3];
    e->nlink = (uint32_t)f[4];
    e->mtime = (uint32_t)f[5];
    e->data = buf + data_at;
    e->size = filesize;
    *off = align4(data_at + filesize);

    const char *trailer = "TRAILER!!!";
    for (int i = 0;; i++) {
        if (name[i] != trailer[i])
            return 1;
        if (name[i] == 0)
            return 0;
    }
}
