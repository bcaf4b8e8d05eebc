/* test_cpio.c: the initrd's cpio "newc" reader (fs/cpio.c), against archives
 * made by the host's own cpio, the tool the build uses, and against damaged
 * copies of them. */
// unit-sources: fs/cpio.c
#include "check.h"
#include "fs/cpio.h"
#include <sys/stat.h>
#include <unistd.h>

static uint8_t *read_all(const char *path, uint32_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    static uint8_t buf[1 << 20];
    *len = (uint32_t)fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

/* Build a small tree and archive it exactly as tools/mkinitrd.sh does (GNU
 * cpio drops the leading "./" of the names find gives it). */
static int make_archive(const char *dir, const char *out)
{
    char cmd[2048], cwd[512];
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    snprintf(cmd, sizeof cmd,
             "rm -rf %s && mkdir -p %s/etc %s/bin && printf 'hello\\n' > %s/etc/motd && "
             "head -c 5000 /dev/zero | tr '\\0' 'x' > %s/bin/big && chmod 755 %s/bin/big && "
             "ln -s motd %s/etc/link && : > %s/empty && "
             "cd %s && find . -mindepth 1 | LC_ALL=C sort | "
             "cpio --quiet -o -H newc --reproducible -R 0:0 > %s/%s",
             dir, dir, dir, dir, dir, dir, dir, dir, dir, cwd, out);
    return system(cmd);
}

int main(void)
{
    const char *dir = "build/unit/cpio-tree";
    const char *arc = "build/unit/cpio-test.cpio";
    if (!check(make_archive(dir, arc) == 0, "cpio.host_cpio_made_archive", "cpio failed"))
        return 1;
    uint32_t len;
    uint8_t *buf = read_all(arc, &len);
    if (!check(buf && len > 0, "cpio.archive_read", "cannot read %s", arc))
        return 1;

    /* Walk it: find every entry with the right type, size and contents. */
    uint32_t off = 0;
    struct cpio_entry e;
    int r, n = 0;
    bool saw_motd = false, saw_big = false, saw_link = false, saw_dir = false, saw_empty = false;
    bool aligned = true;
    while ((r = cpio_next(buf, len, &off, &e)) == 1) {
        n++;
        aligned &= ((uintptr_t)(e.data - buf) & 3) == 0 && (off & 3) == 0;
        if (strcmp(e.name, "etc/motd") == 0)
            saw_motd = S_ISREG(e.mode) && e.size == 6 && memcmp(e.data, "hello\n", 6) == 0;
        if (strcmp(e.name, "bin/big") == 0)
            saw_big = S_ISREG(e.mode) && (e.mode & 0777) == 0755 && e.size == 5000 &&
                      e.data[0] == 'x' && e.data[4999] == 'x';
        if (strcmp(e.name, "etc/link") == 0)
            saw_link = S_ISLNK(e.mode) && e.size == 4 && memcmp(e.data, "motd", 4) == 0;
        if (strcmp(e.name, "etc") == 0)
            saw_dir = S_ISDIR(e.mode);
        if (strcmp(e.name, "empty") == 0)
            saw_empty = S_ISREG(e.mode) && e.size == 0;
    }
    check(r == 0, "cpio.ends_at_trailer", "last result %d", r);
    check(n == 6, "cpio.entry_count", "%d entries, expected 6 (bin, bin/big, empty, etc, etc/link, etc/motd)", n);
    check(aligned, "cpio.everything_aligned", "an entry or its data was not 4-byte aligned");
    check(saw_motd, "cpio.regular_file", "etc/motd missing or wrong");
    check(saw_big, "cpio.file_over_a_page_with_mode", "bin/big missing or wrong");
    check(saw_link, "cpio.symlink_target", "etc/link missing or wrong");
    check(saw_dir, "cpio.directory", "etc missing or not a directory");
    check(saw_empty, "cpio.empty_file", "empty missing or wrong");
    check(off <= len, "cpio.offset_within_archive", "offset %u past length %u", off, len);

    /* Damage: each must be refused, never read out of bounds (the
     * sanitizers would catch that). */
    static uint8_t bad[1 << 20];
    memcpy(bad, buf, len);
    bad[0] = 'X';
    off = 0;
    check(cpio_next(bad, len, &off, &e) == -1, "cpio.bad_magic", "accepted");

    memcpy(bad, buf, len);
    bad[6] = 'g';                                 /* a non-hex digit in c_ino */
    off = 0;
    check(cpio_next(bad, len, &off, &e) == -1, "cpio.bad_hex_digit", "accepted");

    off = 0;
    check(cpio_next(buf, 100, &off, &e) == -1, "cpio.truncated_header", "accepted");

    /* Cut the archive inside the big file's data. */
    uint32_t cut = 0;
    off = 0;
    while (cpio_next(buf, len, &off, &e) == 1)
        if (strcmp(e.name, "bin/big") == 0) {
            cut = (uint32_t)(e.data - buf) + 100;
            break;
        }
    off = 0;
    int last = 1;
    while (last == 1)
        last = cpio_next(buf, cut, &off, &e);
    check(cut > 0 && last == -1, "cpio.truncated_data", "result %d", last);

    /* A name size that runs past the end. */
    memcpy(bad, buf, len);
    memcpy(bad + 6 + 8 * 11, "7FFFFFFF", 8);      /* c_namesize */
    off = 0;
    check(cpio_next(bad, len, &off, &e) == -1, "cpio.namesize_past_end", "accepted");

    /* A file size that runs past the end. */
    memcpy(bad, buf, len);
    memcpy(bad + 6 + 8 * 6, "FFFFFFF0", 8);       /* c_filesize */
    off = 0;
    check(cpio_next(bad, len, &off, &e) == -1, "cpio.filesize_past_end", "accepted");

    /* A name without its NUL. */
    memcpy(bad, buf, len);
    memcpy(bad + 6 + 8 * 11, "00000001", 8);      /* namesize 1: the '.' is not a NUL */
    off = 0;
    check(cpio_next(bad, len, &off, &e) == -1, "cpio.name_not_terminated", "accepted");

    /* The checksum variant (070702) is read too. */
    memcpy(bad, buf, len);
    bad[5] = '2';
    off = 0;
    check(cpio_next(bad, len, &off, &e) == 1, "cpio.crc_variant", "refused");

    off = len + 10;
    check(cpio_next(buf, len, &off, &e) == -1, "cpio.offset_past_end", "accepted");
    return 0;
}
