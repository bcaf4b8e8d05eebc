// t_oldcalls: the older file system calls i386 programs still make: creat,
// the 32-bit stat family (stat, lstat, fstat) and the oldest one (oldstat,
// oldlstat, oldfstat), getdents with its old records, utime, utimes and
// futimesat, and preadv/pwritev with their "2" forms (RWF_ flags, offset
// -1). Each with its errors; the scratch files are made and removed, and
// every frame comes back.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

// i386's struct stat (64 bytes) and struct __old_kernel_stat (32).
struct stat32 {
    uint32_t dev, ino;
    uint16_t mode, nlink, uid, gid;
    uint32_t rdev, size, blksize, blocks;
    uint32_t atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
    uint32_t unused[2];
};
struct stat16 {
    uint16_t dev, ino, mode, nlink, uid, gid, rdev;
    uint32_t size, atime, mtime, ctime;
};

static void test_creat_stat(const char *path, const char *link)
{
    int fd = syscall(SYS_creat, path, 0640);
    check(fd >= 0 && fcntl(fd, F_GETFL) == (O_WRONLY | (fcntl(fd, F_GETFL) & O_LARGEFILE)),
          "creat.wronly", "creat: fd %d %s, flags %#x", fd, errname(errno), fcntl(fd, F_GETFL));
    check_eq("creat.write", 5, write(fd, "hello", 5));
    char c;
    check_errno("creat.not_readable", read(fd, &c, 1), EBADF);
    close(fd);
    fd = syscall(SYS_creat, path, 0600);         // truncates; the mode stays
    struct stat st64;
    check(fd >= 0 && fstat(fd, &st64) == 0 && st64.st_size == 0 && (st64.st_mode & 0777) == 0640,
          "creat.truncates", "size %lld mode %o", (long long)st64.st_size, st64.st_mode & 0777);
    check_eq("creat.refill", 3, write(fd, "abc", 3));
    check_errno("creat.enoent", syscall(SYS_creat, "/no/such/dir/x", 0600), ENOENT);
    check_errno("creat.eisdir", syscall(SYS_creat, "/", 0600), EISDIR);
    check_errno("creat.efault", syscall(SYS_creat, (void *)8, 0600), EFAULT);

    struct stat32 s;
    memset(&s, 0xAA, sizeof s);
    check(syscall(SYS_stat, path, &s) == 0 && s.size == 3 && (s.mode & 0170777) == 0100640 &&
          s.nlink == 1 && s.ino == (uint32_t)st64.st_ino && s.uid == st64.st_uid,
          "stat.fields", "size %u mode %o nlink %u ino %u", s.size, s.mode, s.nlink, s.ino);
    check(s.mtime == (uint32_t)st64.st_mtime && s.blksize == (uint32_t)st64.st_blksize,
          "stat.times", "mtime %u vs %lld", s.mtime, (long long)st64.st_mtime);
    check(symlink(path, link) == 0, "stat.symlink", "symlink: %s", errname(errno));
    memset(&s, 0, sizeof s);
    check(syscall(SYS_lstat, link, &s) == 0 && (s.mode & 0170000) == 0120000 &&
          s.size == strlen(path), "stat.lstat_link", "mode %o size %u", s.mode, s.size);
    check(syscall(SYS_stat, link, &s) == 0 && (s.mode & 0170000) == 0100000 && s.size == 3,
          "stat.stat_follows", "mode %o size %u", s.mode, s.size);
    memset(&s, 0, sizeof s);
    check(syscall(SYS_fstat, fd, &s) == 0 && s.size == 3 && (s.mode & 0170000) == 0100000,
          "stat.fstat", "fstat: %s size %u", errname(errno), s.size);
    check_errno("stat.enoent", syscall(SYS_stat, "/no/such", &s), ENOENT);
    check_errno("stat.efault_buf", syscall(SYS_stat, path, (void *)8), EFAULT);
    check_errno("stat.efault_path", syscall(SYS_lstat, (void *)8, &s), EFAULT);
    check_errno("stat.fstat_ebadf", syscall(SYS_fstat, 999, &s), EBADF);
    // A file past 2 GiB does not fit the 32-bit size: EOVERFLOW.
    if (ftruncate(fd, 0x80000000LL) == 0) {
        check_errno("stat.eoverflow", syscall(SYS_fstat, fd, &s), EOVERFLOW);
        check_errno("stat.eoverflow_path", syscall(SYS_stat, path, &s), EOVERFLOW);
        check(ftruncate(fd, 3) == 0, "stat.shrink", "ftruncate: %s", errname(errno));
    } else {
        skip("stat.eoverflow", "no file of 2 GiB here (%s; bunshin's files stop below 2 GiB)",
             errname(errno));
    }

    // The oldest form: 16-bit numbers. tmpfs inode numbers may pass 65535
    // (then EOVERFLOW, as Linux's cp_old_stat): either answer is checked.
    struct stat16 o;
    memset(&o, 0, sizeof o);
    long r = syscall(SYS_oldfstat, fd, &o);
    if (r == 0)
        check(o.size == 3 && (o.mode & 0170000) == 0100000 && o.ino == (uint16_t)st64.st_ino,
              "oldstat.fstat", "size %u mode %o", o.size, o.mode);
    else
        check(errno == EOVERFLOW && st64.st_ino > 0xFFFF, "oldstat.fstat", "%s, ino %llu",
              errname(errno), (unsigned long long)st64.st_ino);
    r = syscall(SYS_oldlstat, link, &o);
    check(r == 0 ? (o.mode & 0170000) == 0120000 : errno == EOVERFLOW, "oldstat.lstat",
          "%ld %s mode %o", r, errname(errno), o.mode);
    r = syscall(SYS_oldstat, "/", &o);
    check(r == 0 && (o.mode & 0170000) == 0040000, "oldstat.root", "%ld %s mode %o", r,
          errname(errno), o.mode);
    check_errno("oldstat.ebadf", syscall(SYS_oldfstat, 999, &o), EBADF);
    check_errno("oldstat.efault", syscall(SYS_oldstat, "/", (void *)8), EFAULT);
    close(fd);
}

// The old getdents record: d_ino, d_off (32 bits), d_reclen, the name, and
// the type in the record's last byte.
static void test_getdents(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    char buf[4096];
    long n = syscall(SYS_getdents, fd, buf, sizeof buf);
    int dot = 0, file = 0, bad = 0;
    for (long at = 0; n > 0 && at < n;) {
        uint16_t reclen;
        memcpy(&reclen, buf + at + 8, 2);
        const char *name = buf + at + 10;
        unsigned char type = (unsigned char)buf[at + reclen - 1];
        if (reclen % 4 || reclen < 12 || (long)(at + reclen) > n) {
            bad = 1;
            break;
        }
        if (!strcmp(name, ".") && type == 4)
            dot = 1;
        if (!strcmp(name, "old.file") && type == 8)
            file = 1;
        at += reclen;
    }
    check(n > 0 && dot && file && !bad, "getdents.records", "n %ld dot %d file %d bad %d", n,
          dot, file, bad);
    check_eq("getdents.end", 0, syscall(SYS_getdents, fd, buf, sizeof buf));
    lseek(fd, 0, SEEK_SET);
    check_errno("getdents.too_small", syscall(SYS_getdents, fd, buf, 8), EINVAL);
    check_errno("getdents.efault", syscall(SYS_getdents, fd, (void *)8, 4096), EFAULT);
    check_errno("getdents.ebadf", syscall(SYS_getdents, 999, buf, sizeof buf), EBADF);
    close(fd);
    int f = open(scratch_path("old.file"), O_RDONLY);
    check_errno("getdents.enotdir", syscall(SYS_getdents, f, buf, sizeof buf), ENOTDIR);
    close(f);
}

static void test_times(const char *path)
{
    struct stat st;
    int32_t ut[2] = { 1000000, 2000000 };               // actime, modtime
    check(syscall(SYS_utime, path, ut) == 0 && stat(path, &st) == 0 &&
          st.st_atime == 1000000 && st.st_mtime == 2000000 && st.st_mtim.tv_nsec == 0,
          "utime.set", "%s atime %lld mtime %lld", errname(errno), (long long)st.st_atime,
          (long long)st.st_mtime);
    time_t before = time(0);
    check(syscall(SYS_utime, path, 0) == 0 && stat(path, &st) == 0 && st.st_mtime >= before - 1,
          "utime.now", "%s mtime %lld", errname(errno), (long long)st.st_mtime);
    check_errno("utime.enoent", syscall(SYS_utime, "/no/such", ut), ENOENT);
    check_errno("utime.efault", syscall(SYS_utime, path, (void *)8), EFAULT);

    int32_t tv[4] = { 3000000, 250000, 4000000, 999999 };   // sec, usec, sec, usec
    check(syscall(SYS_utimes, path, tv) == 0 && stat(path, &st) == 0 &&
          st.st_atime == 3000000 && st.st_atim.tv_nsec == 250000000 &&
          st.st_mtime == 4000000 && st.st_mtim.tv_nsec == 999999000,
          "utimes.set", "%s atime %lld.%ld mtime %lld.%ld", errname(errno),
          (long long)st.st_atime, st.st_atim.tv_nsec, (long long)st.st_mtime, st.st_mtim.tv_nsec);
    int32_t bad[4] = { 0, 1000000, 0, 0 };
    check_errno("utimes.einval_usec", syscall(SYS_utimes, path, bad), EINVAL);
    bad[1] = -1;
    check_errno("utimes.einval_negative", syscall(SYS_utimes, path, bad), EINVAL);
    check_errno("utimes.efault", syscall(SYS_utimes, path, (void *)8), EFAULT);

    int dfd = open(scratch_dir(), O_RDONLY | O_DIRECTORY);
    tv[0] = 5000000;
    check(syscall(SYS_futimesat, dfd, "old.file", tv) == 0 && stat(path, &st) == 0 &&
          st.st_atime == 5000000, "futimesat.relative", "%s atime %lld", errname(errno),
          (long long)st.st_atime);
    check_errno("futimesat.ebadf", syscall(SYS_futimesat, 999, "old.file", tv), EBADF);
    check_errno("futimesat.enotdir", syscall(SYS_futimesat, dfd, "old.file/x", tv), ENOTDIR);
    check(syscall(SYS_futimesat, AT_FDCWD, path, 0) == 0, "futimesat.now", "%s", errname(errno));
    close(dfd);
}

static void test_preadv(const char *path)
{
    int fd = open(path, O_RDWR | O_TRUNC);
    char a[4] = "abcd", b[4] = "efgh", x[4], y[4];
    struct iovec w[2] = { { a, 4 }, { b, 4 } }, rd[2] = { { x, 4 }, { y, 4 } };
    check_eq("preadv.pwritev", 8, syscall(SYS_pwritev, fd, w, 2, 100, 0));
    check_eq("preadv.offset_kept", 0, lseek(fd, 0, SEEK_CUR));
    check(syscall(SYS_preadv, fd, rd, 2, 100, 0) == 8 && !memcmp(x, "abcd", 4) &&
          !memcmp(y, "efgh", 4), "preadv.read_back", "%s", errname(errno));
    check_eq("preadv.short", 4, syscall(SYS_preadv, fd, rd, 2, 104, 0));
    check_eq("preadv.past_end", 0, syscall(SYS_preadv, fd, rd, 2, 200, 0));
    check_eq("preadv.zero_count", 0, syscall(SYS_preadv, fd, rd, 0, 0, 0));
    check_errno("preadv.negative", syscall(SYS_preadv, fd, rd, 2, -1, -1), EINVAL);
    check_errno("preadv.negative_before_ebadf", syscall(SYS_preadv, 999, rd, 2, -1, -1), EINVAL);
    check_errno("preadv.ebadf", syscall(SYS_preadv, 999, rd, 2, 0, 0), EBADF);
    check_errno("preadv.count", syscall(SYS_preadv, fd, rd, 1025, 0, 0), EINVAL);
    check_errno("preadv.count_negative", syscall(SYS_preadv, fd, rd, -1, 0, 0), EINVAL);
    check_errno("preadv.efault", syscall(SYS_preadv, fd, (void *)8, 1, 0, 0), EFAULT);
    int ro = open(path, O_RDONLY);
    check_errno("preadv.pwritev_rdonly", syscall(SYS_pwritev, ro, w, 2, 0, 0), EBADF);
    close(ro);
    int p[2];
    pipe(p);
    check_errno("preadv.espipe", syscall(SYS_preadv, p[0], rd, 2, 0, 0), ESPIPE);
    int d = open("/", O_RDONLY);
    check_errno("preadv.eisdir", syscall(SYS_preadv, d, rd, 2, 0, 0), EISDIR);
    close(d);

    // The 2 forms: flags, and offset -1 for the file's own position.
    check_eq("preadv2.flags_zero", 8, syscall(SYS_preadv2, fd, rd, 2, 100, 0, 0));
    int sync_flags[] = { 1, 2, 4 };        // RWF_HIPRI, RWF_DSYNC, RWF_SYNC
    for (int i = 0; i < 3; i++) {
        check_eq(tname("preadv2.flag_%d", sync_flags[i]), 8,
                 syscall(SYS_preadv2, fd, rd, 2, 100, 0, sync_flags[i]));
        check_eq(tname("pwritev2.flag_%d", sync_flags[i]), 8,
                 syscall(SYS_pwritev2, fd, w, 2, 100, 0, sync_flags[i]));
    }
    int shm = open("/dev/shm/t_oldcalls.nowait", O_RDWR | O_CREAT | O_TRUNC, 0600);
    check_errno("preadv2.nowait_tmpfs", syscall(SYS_preadv2, shm, rd, 2, 0, 0, 8), EOPNOTSUPP);
    close(shm);
    unlink("/dev/shm/t_oldcalls.nowait");
    check_errno("preadv2.unknown_flag", syscall(SYS_preadv2, fd, rd, 2, 0, 0, 0x40000), EOPNOTSUPP);
    check_errno("preadv2.negative", syscall(SYS_preadv2, fd, rd, 2, -2, -1, 0), EINVAL);
    check_eq("pwritev2.at_position", 8, syscall(SYS_pwritev2, fd, w, 2, -1, -1, 0));
    check_eq("pwritev2.position_moved", 8, lseek(fd, 0, SEEK_CUR));
    lseek(fd, 4, SEEK_SET);
    check(syscall(SYS_preadv2, fd, rd, 1, -1, -1, 0) == 4 && !memcmp(x, "efgh", 4) &&
          lseek(fd, 0, SEEK_CUR) == 8, "preadv2.at_position", "%s", errname(errno));
    check_errno("preadv2.ebadf", syscall(SYS_preadv2, 999, rd, 2, -1, -1, 0), EBADF);
    // On a pipe, offset -1 and RWF_NOWAIT: no waiting, EAGAIN when empty.
    check_eq("preadv2.pipe_write", 8, syscall(SYS_pwritev2, p[1], w, 2, -1, -1, 8));
    check_eq("preadv2.pipe_nowait", 8, syscall(SYS_preadv2, p[0], rd, 2, -1, -1, 8));
    check_errno("preadv2.pipe_empty", syscall(SYS_preadv2, p[0], rd, 2, -1, -1, 8), EAGAIN);
    close(p[0]);
    close(p[1]);
    close(fd);
}

// fadvise64, fadvise64_64, readahead, sync_file_range: checks only (a file
// in memory has no cache to advise), in Linux's order.
static void test_hints(const char *path)
{
    int f = open(path, O_RDWR), wo = open(path, O_WRONLY), d = open("/", O_RDONLY);
    int p[2];
    pipe(p);
    for (int advice = 0; advice <= 5; advice++)
        check_eq(tname("fadvise.advice_%d", advice), 0, syscall(SYS_fadvise64, f, 0, 0, 100, advice));
    check_errno("fadvise.bad_advice", syscall(SYS_fadvise64, f, 0, 0, 100, 6), EINVAL);
    check_errno("fadvise.negative_advice", syscall(SYS_fadvise64, f, 0, 0, 100, -1), EINVAL);
    check_errno("fadvise.pipe", syscall(SYS_fadvise64, p[0], 0, 0, 100, 0), ESPIPE);
    check_errno("fadvise.pipe_before_advice", syscall(SYS_fadvise64, p[0], 0, 0, 100, 9), ESPIPE);
    check_errno("fadvise.ebadf", syscall(SYS_fadvise64, 999, 0, 0, 100, 9), EBADF);
    check_eq("fadvise.dir", 0, syscall(SYS_fadvise64, d, 0, 0, 100, 0));
    check_eq("fadvise.write_only", 0, syscall(SYS_fadvise64, wo, 0, 0, 100, 0));
    check_eq("fadvise64_64.willneed", 0, syscall(SYS_fadvise64_64, f, 0, 0, 100, 0, 3));
    check_errno("fadvise64_64.negative_len", syscall(SYS_fadvise64_64, f, 0, 0, -1, -1, 0), EINVAL);
    check_errno("fadvise64_64.bad_advice", syscall(SYS_fadvise64_64, f, 0, 0, 1, 0, 7), EINVAL);
    check_eq("readahead.file", 0, syscall(SYS_readahead, f, 0, 0, 100));
    check_errno("readahead.write_only", syscall(SYS_readahead, wo, 0, 0, 100), EBADF);
    check_errno("readahead.pipe", syscall(SYS_readahead, p[0], 0, 0, 100), EINVAL);
    check_errno("readahead.dir", syscall(SYS_readahead, d, 0, 0, 100), EINVAL);
    check_errno("readahead.ebadf", syscall(SYS_readahead, 999, 0, 0, 100), EBADF);
    check_eq("sync_file_range.file", 0, syscall(SYS_sync_file_range, f, 0, 0, 0, 0, 7));
    check_errno("sync_file_range.flags", syscall(SYS_sync_file_range, f, 0, 0, 0, 0, 8), EINVAL);
    check_errno("sync_file_range.negative_offset",
                syscall(SYS_sync_file_range, f, -1, -1, 0, 0, 0), EINVAL);
    check_errno("sync_file_range.negative_len",
                syscall(SYS_sync_file_range, f, 0, 0, -1, -1, 0), EINVAL);
    check_errno("sync_file_range.pipe", syscall(SYS_sync_file_range, p[0], 0, 0, 0, 0, 0), ESPIPE);
    check_errno("sync_file_range.ebadf", syscall(SYS_sync_file_range, 999, 0, 0, 0, 0, 8), EBADF);
    check_eq("sync_file_range.dir", 0, syscall(SYS_sync_file_range, d, 0, 0, 0, 0, 0));
    close(p[0]);
    close(p[1]);
    close(d);
    close(wo);
    close(f);
}

static void test_close_range(void)
{
    int a = dup(0), b = dup(0), c = dup(0);
    check(a >= 0 && b == a + 1 && c == a + 2, "close_range.setup", "fds %d %d %d", a, b, c);
    check_eq("close_range.cloexec", 0, syscall(SYS_close_range, a, b, 4));
    check(fcntl(a, F_GETFD) == FD_CLOEXEC && fcntl(b, F_GETFD) == FD_CLOEXEC &&
          fcntl(c, F_GETFD) == 0, "close_range.cloexec_set", "%d %d %d", fcntl(a, F_GETFD),
          fcntl(b, F_GETFD), fcntl(c, F_GETFD));
    check_eq("close_range.close", 0, syscall(SYS_close_range, a, b, 0));
    check(fcntl(a, F_GETFD) < 0 && fcntl(b, F_GETFD) < 0 && fcntl(c, F_GETFD) == 0,
          "close_range.closed", "c is %d", fcntl(c, F_GETFD));
    check_eq("close_range.unshare_to_end", 0, syscall(SYS_close_range, c, ~0u, 2));
    check(fcntl(c, F_GETFD) < 0 && fcntl(0, F_GETFD) >= 0, "close_range.to_end",
          "c %d, 0 %d", fcntl(c, F_GETFD), fcntl(0, F_GETFD));
    check_eq("close_range.none_open", 0, syscall(SYS_close_range, 900, 1000, 0));
    check_errno("close_range.first_after_last", syscall(SYS_close_range, 10, 5, 0), EINVAL);
    check_errno("close_range.bad_flag", syscall(SYS_close_range, 5, 10, 8), EINVAL);
}

// execveat: a path from a directory descriptor, the file open on a
// descriptor (AT_EMPTY_PATH: fexecve), a final symbolic link refused with
// AT_SYMLINK_NOFOLLOW; each run in a child that exits with the program's
// status (bin/true: 0).
static int execveat_status(int dirfd, const char *path, int flags)
{
    char *argv[] = { "true", 0 }, *envp[] = { 0 };
    pid_t c = xfork();
    if (c == 0) {
        syscall(SYS_execveat, dirfd, path, argv, envp, flags);
        _exit(100 + errno);
    }
    return wait_for(c);
}

static void test_execveat(void)
{
    char true_path[512], bin[512];
    strcpy(true_path, rootpath("/bin/true"));
    strcpy(bin, rootpath("/bin"));
    int st = execveat_status(AT_FDCWD, true_path, 0);
    check(exited_with(st, 0), "execveat.absolute", "%s", status_str(st));
    int d = open(bin, O_RDONLY | O_DIRECTORY);
    st = execveat_status(d, "true", 0);
    check(exited_with(st, 0), "execveat.relative_to_dirfd", "%s", status_str(st));
    int f = open(true_path, O_RDONLY);
    st = execveat_status(f, "", AT_EMPTY_PATH);
    check(exited_with(st, 0), "execveat.empty_path", "%s", status_str(st));
    int pf = open(true_path, O_PATH);
    st = execveat_status(pf, "", AT_EMPTY_PATH);
    check(exited_with(st, 0), "execveat.o_path", "%s", status_str(st));
    const char *link = scratch_path("old.true_link");
    unlink(link);
    symlink(true_path, link);
    st = execveat_status(AT_FDCWD, link, 0);
    check(exited_with(st, 0), "execveat.follows_link", "%s", status_str(st));
    char *argv[] = { "true", 0 }, *envp[] = { 0 };
    check_errno("execveat.nofollow", syscall(SYS_execveat, AT_FDCWD, link, argv, envp,
                                             AT_SYMLINK_NOFOLLOW), ELOOP);
    unlink(link);
    check_errno("execveat.empty_no_flag", syscall(SYS_execveat, f, "", argv, envp, 0), ENOENT);
    check_errno("execveat.bad_flag", syscall(SYS_execveat, d, "true", argv, envp, 1), EINVAL);
    check_errno("execveat.ebadf", syscall(SYS_execveat, 999, "true", argv, envp, 0), EBADF);
    check_errno("execveat.enotdir", syscall(SYS_execveat, f, "true", argv, envp, 0), ENOTDIR);
    check_errno("execveat.enoent", syscall(SYS_execveat, d, "no-such", argv, envp, 0), ENOENT);
    check_errno("execveat.dir_itself", syscall(SYS_execveat, d, "", argv, envp, AT_EMPTY_PATH),
                EACCES);
    check_errno("execveat.efault", syscall(SYS_execveat, d, (void *)8, argv, envp, 0), EFAULT);
    close(pf);
    close(f);
    close(d);
}

// openat2: the size rules of its struct, the strict flag checks, and the
// RESOLVE_ limits on the walk.
struct open_how_v0 { uint64_t flags, mode, resolve; };

static long openat2_(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
    struct open_how_v0 how = { flags, mode, resolve };
    return syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

static void check_same_file(const char *name, long fd, const char *path)
{
    struct stat a, b;
    check(fd >= 0 && fstat((int)fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino,
          name, "fd %ld: %s", fd, errname(errno));
    if (fd >= 0)
        close((int)fd);
}

static void test_openat2(const char *path)
{
    long fd = openat2_(AT_FDCWD, path, O_RDONLY, 0, 0);
    check_same_file("openat2.plain", fd, path);
    uint8_t big[40];
    memset(big, 0, sizeof big);
    struct open_how_v0 how = { O_RDONLY, 0, 0 };
    memcpy(big, &how, sizeof how);
    fd = syscall(SYS_openat2, AT_FDCWD, path, big, 40);
    check_same_file("openat2.larger_zeroed", fd, path);
    big[39] = 1;
    check_errno("openat2.larger_nonzero", syscall(SYS_openat2, AT_FDCWD, path, big, 40), E2BIG);
    check_errno("openat2.too_small", syscall(SYS_openat2, AT_FDCWD, path, &how, 16), EINVAL);
    check_errno("openat2.past_page", syscall(SYS_openat2, AT_FDCWD, path, big, 8192), E2BIG);
    check_errno("openat2.efault", syscall(SYS_openat2, AT_FDCWD, path, (void *)8, 24), EFAULT);
    check_errno("openat2.unknown_flag", openat2_(AT_FDCWD, path, 1ULL << 40, 0, 0), EINVAL);
    check_errno("openat2.mode_without_creat", openat2_(AT_FDCWD, path, O_RDONLY, 0644, 0), EINVAL);
    check_errno("openat2.bad_mode", openat2_(AT_FDCWD, path, O_RDWR | O_CREAT, 010000, 0), EINVAL);
    check_errno("openat2.path_flags", openat2_(AT_FDCWD, path, O_PATH | O_RDWR, 0, 0), EINVAL);
    check_errno("openat2.unknown_resolve", openat2_(AT_FDCWD, path, O_RDONLY, 0, 0x40), EINVAL);
    check_errno("openat2.beneath_and_in_root", openat2_(AT_FDCWD, path, O_RDONLY, 0, 0x18), EINVAL);
    check_errno("openat2.cached_creat", openat2_(AT_FDCWD, path, O_RDWR | O_CREAT, 0600, 0x20),
                EAGAIN);

    const char *link = scratch_path("old.openat2_link");
    unlink(link);
    symlink(path, link);
    check_errno("openat2.no_symlinks", openat2_(AT_FDCWD, link, O_RDONLY, 0, 0x04), ELOOP);
    // Not following the last link is no symlink resolution: openat2 answers
    // as openat does (Linux: an O_PATH descriptor of the link).
    long plain = openat(AT_FDCWD, link, O_PATH | O_NOFOLLOW);
    int plain_errno = errno;
    fd = openat2_(AT_FDCWD, link, O_PATH | O_NOFOLLOW, 0, 0x04);
    check((fd >= 0) == (plain >= 0) && (fd >= 0 || errno == plain_errno),
          "openat2.no_symlinks_nofollow", "openat2 %ld %s, openat %ld %s", fd, errname(errno),
          plain, errname(plain_errno));
    if (fd >= 0)
        close((int)fd);
    if (plain >= 0)
        close((int)plain);
    unlink(link);

    int dir = open(scratch_dir(), O_RDONLY | O_DIRECTORY);
    fd = openat2_(dir, "old.file", O_RDONLY, 0, 0x08);
    check_same_file("openat2.beneath", fd, path);
    fd = openat2_(dir, "./old.file", O_RDONLY, 0, 0x08);
    check_same_file("openat2.beneath_dot", fd, path);
    check_errno("openat2.beneath_dotdot", openat2_(dir, "../x", O_RDONLY, 0, 0x08), EXDEV);
    check_errno("openat2.beneath_absolute", openat2_(dir, "/", O_RDONLY, 0, 0x08), EXDEV);
    fd = openat2_(dir, "/old.file", O_RDONLY, 0, 0x10);
    check_same_file("openat2.in_root_absolute", fd, path);
    fd = openat2_(dir, "../../../old.file", O_RDONLY, 0, 0x10);
    check_same_file("openat2.in_root_dotdot", fd, path);
    close(dir);
    int root = open("/", O_RDONLY | O_DIRECTORY);
    check_errno("openat2.no_xdev", openat2_(root, "proc/self", O_RDONLY, 0, 0x01), EXDEV);
    fd = openat2_(root, "proc", O_RDONLY, 0, 0);
    check(fd >= 0, "openat2.xdev_allowed", "%s", errname(errno));
    if (fd >= 0)
        close((int)fd);
    close(root);
}

int main(void)
{
    long before = memfree_start();
    const char *path = scratch_path("old.file");
    char link[256];
    strcpy(link, scratch_path("old.link"));
    unlink(path);
    unlink(link);
    test_creat_stat(path, link);
    test_getdents(scratch_dir());
    test_times(path);
    test_preadv(path);
    test_hints(path);
    test_close_range();
    test_execveat();
    test_openat2(path);
    unlink(link);
    unlink(path);
    memfree_check("oldcalls.memfree", before);
    return test_status();
}
