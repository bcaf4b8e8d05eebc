// t_time64: file times past 2038 (and before 1970) survive a round trip.
//
//   - utimensat_time64 (412, musl's utimensat) sets 64-bit seconds and
//     nanoseconds; statx (383) reads them back unchanged, for 2^33 seconds
//     (the year 2242) and for a time before 1970;
//   - the 32-bit stat64 (195/197) keeps the low 32 bits of the seconds, as
//     Linux's does, and the nanoseconds whole;
//   - the old utimensat (320, 32-bit seconds) sets times that both read
//     back; UTIME_OMIT leaves a time alone; a nanosecond count of 10^9 is
//     EINVAL.
// The file is in /dev/shm (a tmpfs on Linux, which keeps nanoseconds).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"

// struct statx's parts that are read here (Linux's <linux/stat.h>).
struct sx_time {
    int64_t sec;
    uint32_t nsec;
    int32_t reserved;
};
struct sx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, pad;
    uint64_t ino, size, blocks, attributes_mask;
    struct sx_time atime, btime, ctime, mtime;
    uint8_t rest[256 - 0x80];
};

// struct stat64 of i386 (what the raw stat64 fills).
struct st64 {
    uint64_t dev;
    uint32_t pad0, ino32, mode, nlink, uid, gid;
    uint64_t rdev;
    uint32_t pad1;
    int64_t size;
    uint32_t blksize;
    uint64_t blocks;
    uint32_t atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
    uint64_t ino;
} __attribute__((packed));

// struct timespec with 32-bit seconds, for the old utimensat.
struct ts32 {
    int32_t sec, nsec;
};

static int read_statx(const char *path, struct sx *s)
{
    memset(s, 0, sizeof *s);
    return (int)syscall(SYS_statx, AT_FDCWD, path, 0, 0x7ff, s);
}

static void round_trip(const char *path, const char *name, int64_t asec, long ansec,
                       int64_t msec, long mnsec)
{
    struct timespec t[2] = { { asec, ansec }, { msec, mnsec } };
    check_eq(tname("time64.%s.set", name), 0, utimensat(AT_FDCWD, path, t, 0));
    struct sx s;
    check(read_statx(path, &s) == 0 && s.atime.sec == asec && s.atime.nsec == (uint32_t)ansec &&
          s.mtime.sec == msec && s.mtime.nsec == (uint32_t)mnsec, tname("time64.%s.statx", name),
          "statx: %s, atime %lld.%09u mtime %lld.%09u", errname(errno), (long long)s.atime.sec,
          s.atime.nsec, (long long)s.mtime.sec, s.mtime.nsec);
    struct st64 st;
    memset(&st, 0, sizeof st);
    check(syscall(SYS_stat64, path, &st) == 0 && st.atime == (uint32_t)asec &&
          st.atime_nsec == (uint32_t)ansec && st.mtime == (uint32_t)msec &&
          st.mtime_nsec == (uint32_t)mnsec, tname("time64.%s.stat64_low_bits", name),
          "stat64: %s, atime %u.%09u mtime %u.%09u", errname(errno), st.atime, st.atime_nsec,
          st.mtime, st.mtime_nsec);
}

int main(void)
{
    _Static_assert(sizeof(struct st64) == 96, "stat64 is 96 bytes");
    const char *path = "/dev/shm/t_time64.file";
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    check(fd >= 0, "time64.create", "open %s: %s", path, errname(errno));
    close(fd);

    round_trip(path, "year_2242", (int64_t)1 << 33, 123456789, ((int64_t)1 << 33) + 7, 5);
    round_trip(path, "before_1970", -1000, 0, -86400 * 365LL, 999999999);
    round_trip(path, "year_2000", 946684800, 1, 946684801, 2);

    // The old call, 32-bit seconds.
    struct ts32 t32[2] = { { 1000000, 7 }, { 2000000, 8 } };
    check_eq("time64.utimensat32", 0, syscall(SYS_utimensat, AT_FDCWD, path, t32, 0));
    struct sx s;
    check(read_statx(path, &s) == 0 && s.atime.sec == 1000000 && s.atime.nsec == 7 &&
          s.mtime.sec == 2000000 && s.mtime.nsec == 8, "time64.utimensat32_statx",
          "atime %lld.%u mtime %lld.%u", (long long)s.atime.sec, s.atime.nsec,
          (long long)s.mtime.sec, s.mtime.nsec);

    // UTIME_OMIT leaves the access time; the modification time moves on.
    struct timespec t[2] = { { 0, UTIME_OMIT }, { (int64_t)1 << 34, 42 } };
    check_eq("time64.omit", 0, utimensat(AT_FDCWD, path, t, 0));
    check(read_statx(path, &s) == 0 && s.atime.sec == 1000000 && s.atime.nsec == 7 &&
          s.mtime.sec == (int64_t)1 << 34 && s.mtime.nsec == 42, "time64.omit_kept",
          "atime %lld.%u mtime %lld.%u", (long long)s.atime.sec, s.atime.nsec,
          (long long)s.mtime.sec, s.mtime.nsec);

    struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
    check_errno("time64.nsec_einval", utimensat(AT_FDCWD, path, bad, 0), EINVAL);
    unlink(path);
    return test_status();
}
