// t_syscall: the basic system calls behave as on Linux.
//
// Process ids, uname, clocks and sleeping, files on the root file system
// (open, read, write, lseek, close, stat64, fstat64, getdents64, getcwd,
// chdir, access), writev/readv, and -ENOSYS for numbers that name no call.
// Files are read from the root file system ($TEST_ROOT on the host) and
// written in the scratch directory. Where musl would hide the kernel's own
// answer (it prefers statx and the 64-bit-time calls when they exist), the
// call is made raw with syscall() to check the i386 structure layouts.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

// The kernel's i386 structures, as Linux defines them.
struct timespec32 {
    int32_t tv_sec;
    int32_t tv_nsec;
};

struct kstat64 {                 // struct stat64, 96 bytes
    uint64_t st_dev;
    uint8_t pad0[4];
    uint32_t st_ino32;
    uint32_t st_mode;
    uint32_t st_nlink;
    uint32_t st_uid;
    uint32_t st_gid;
    uint64_t st_rdev;
    uint8_t pad3[4];
    int64_t st_size;
    uint32_t st_blksize;
    uint64_t st_blocks;
    uint32_t st_atime_, st_atime_nsec;
    uint32_t st_mtime_, st_mtime_nsec;
    uint32_t st_ctime_, st_ctime_nsec;
    uint64_t st_ino;
} __attribute__((packed));

struct dirent64 {                // struct linux_dirent64
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;
    char d_name[];
} __attribute__((packed));

static long long ns_between(struct timespec a, struct timespec b)
{
    return (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
}

static void test_ids(void)
{
    pid_t pid = getpid();
    check(pid > 0, "sys.getpid", "getpid() returned %d", (int)pid);
    pid_t ppid = getppid();
    check(ppid > 0 && ppid != pid, "sys.getppid", "getppid() returned %d (getpid %d)",
          (int)ppid, (int)pid);
    check_eq("sys.gettid", pid, syscall(SYS_gettid));
    static int tid_word;
    check_eq("sys.set_tid_address", pid, syscall(SYS_set_tid_address, &tid_word));
    check_eq("sys.sched_yield", 0, sched_yield());

    // A child sees the parent's pid as its parent.
    pid_t child = xfork();
    if (child == 0)
        _exit(getppid() == pid ? 0 : 1);
    int st = -1;
    waitpid(child, &st, 0);
    check(child > 0 && child != pid && st == 0, "sys.fork_getppid",
          "child %d: %s (1 means its getppid() was not %d)", (int)child, status_str(st),
          (int)pid);

    if (on_bunshin()) {
        int all_zero = getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0;
        check(all_zero, "sys.uid_gid_zero", "uid %d euid %d gid %d egid %d", (int)getuid(),
              (int)geteuid(), (int)getgid(), (int)getegid());
    } else {
        skip("sys.uid_gid_zero", "Linux: the ids are those of whoever runs the test");
    }
}

static void test_uname(void)
{
    struct utsname u;
    check_eq("sys.uname", 0, uname(&u));
    check_str("sys.uname_sysname", on_bunshin() ? "bunshin" : "Linux", u.sysname);

    // Raw, into a buffer full of 0xff: every field must be NUL-terminated
    // inside its 65 bytes, and sysname, release and machine not empty.
    char raw[6][65];
    memset(raw, 0xff, sizeof raw);
    long r = syscall(SYS_uname, raw);
    int terminated = r == 0;
    for (int i = 0; i < 6 && terminated; i++)
        terminated = memchr(raw[i], '\0', 65) != NULL;
    check(terminated && raw[0][0] && raw[2][0] && raw[4][0], "sys.uname_fields",
          "uname returned %ld; a field is unterminated or sysname/release/machine empty", r);
}

static void test_clocks(void)
{
    struct timespec prev, now;
    int ok_all = clock_gettime(CLOCK_MONOTONIC, &prev) == 0;
    int backwards = 0, bad_nsec = 0;
    for (int i = 0; i < 1000 && ok_all; i++) {
        ok_all = clock_gettime(CLOCK_MONOTONIC, &now) == 0;
        if (now.tv_nsec < 0 || now.tv_nsec >= 1000000000)
            bad_nsec++;
        if (ns_between(prev, now) < 0)
            backwards++;
        prev = now;
    }
    check(ok_all && !backwards && !bad_nsec, "sys.clock_monotonic",
          "1000 readings: calls ok %d, went backwards %d times, tv_nsec out of range %d times",
          ok_all, backwards, bad_nsec);

    // The 32-bit-time call (265) that musl falls back to, made directly.
    struct timespec32 t32;
    struct timespec ref;
    clock_gettime(CLOCK_MONOTONIC, &ref);
    long r = syscall(SYS_clock_gettime32, CLOCK_MONOTONIC, &t32);
    check(r == 0 && t32.tv_nsec >= 0 && t32.tv_nsec < 1000000000 &&
              t32.tv_sec >= ref.tv_sec && t32.tv_sec <= ref.tv_sec + 5,
          "sys.clock_gettime32", "returned %ld with %d.%09d; clock_gettime said %lld.%09ld", r,
          t32.tv_sec, t32.tv_nsec, (long long)ref.tv_sec, ref.tv_nsec);
    errno = 0;
    check_errno("sys.clock_bad_id", syscall(SYS_clock_gettime32, 1234, &t32), EINVAL);

    // nanosleep sleeps at least as long as asked (never shorter).
    struct timespec a, b, req = { 0, 50 * 1000000 };
    clock_gettime(CLOCK_MONOTONIC, &a);
    r = nanosleep(&req, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    check(r == 0 && ns_between(a, b) >= 50000000, "sys.nanosleep",
          "nanosleep(50 ms) returned %ld after %lld ns", r, ns_between(a, b));
    struct timespec32 req32 = { 0, 20 * 1000000 };
    clock_gettime(CLOCK_MONOTONIC, &a);
    r = syscall(SYS_nanosleep, &req32, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    check(r == 0 && ns_between(a, b) >= 20000000, "sys.nanosleep_raw",
          "nanosleep (162) of 20 ms returned %ld after %lld ns", r, ns_between(a, b));
    req32.tv_nsec = 1000000000;
    check_errno("sys.nanosleep_bad_nsec", syscall(SYS_nanosleep, &req32, NULL), EINVAL);
    req32.tv_sec = -1;
    req32.tv_nsec = 0;
    check_errno("sys.nanosleep_negative", syscall(SYS_nanosleep, &req32, NULL), EINVAL);
}

// Read a root file system file: read, lseek, fstat, stat and the raw stat64.
static void test_read_files(void)
{
    const char *motd = rootpath("/etc/motd");
    int fd = open(motd, O_RDONLY);
    if (!check(fd >= 0, "sys.open", "open(%s): %s", motd, errname(errno)))
        return;
    struct stat st;
    check(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0, "sys.fstat",
          "fstat: %s, mode %#o, size %lld", errname(errno), (unsigned)st.st_mode,
          (long long)st.st_size);

    // Reading in small pieces gives exactly st_size bytes, then 0 (EOF).
    char buf[4096], piece[7];
    long total = 0, n;
    while ((n = read(fd, piece, sizeof piece)) > 0) {
        if (total + n < (long)sizeof buf)
            memcpy(buf + total, piece, n);
        total += n;
    }
    check(n == 0 && total == st.st_size, "sys.read_to_eof",
          "read %ld bytes of %lld, last read returned %ld (%s)", total,
          (long long)st.st_size, n, n < 0 ? errname(errno) : "");
    check_eq("sys.read_at_eof", 0, read(fd, piece, sizeof piece));

    check_eq("sys.lseek_end", st.st_size, lseek(fd, 0, SEEK_END));
    check_eq("sys.lseek_set", 3, lseek(fd, 3, SEEK_SET));
    check_eq("sys.lseek_cur", 5, lseek(fd, 2, SEEK_CUR));
    n = read(fd, piece, 4);
    check(n == 4 && memcmp(piece, buf + 5, 4) == 0, "sys.read_after_lseek",
          "read %ld bytes at offset 5, not the file's bytes 5..8", n);
    check_errno("sys.lseek_negative", lseek(fd, -100, SEEK_SET), EINVAL);
    check_errno("sys.lseek_bad_whence", lseek(fd, 0, 12345), EINVAL);

    struct stat st2;
    check(stat(motd, &st2) == 0 && st2.st_ino == st.st_ino && st2.st_size == st.st_size &&
              st2.st_mode == st.st_mode,
          "sys.stat_matches_fstat", "stat: ino %llu size %lld mode %#o; fstat: %llu %lld %#o",
          (unsigned long long)st2.st_ino, (long long)st2.st_size, (unsigned)st2.st_mode,
          (unsigned long long)st.st_ino, (long long)st.st_size, (unsigned)st.st_mode);

    // The kernel's struct stat64 itself, as musl would read it without statx.
    struct kstat64 k;
    memset(&k, 0xa5, sizeof k);
    long r = syscall(SYS_stat64, motd, &k);
    check(r == 0 && k.st_size == st.st_size && k.st_ino == st.st_ino &&
              k.st_mode == st.st_mode && (uint32_t)k.st_ino == k.st_ino32 && k.st_nlink >= 1,
          "sys.stat64_layout",
          "stat64 returned %ld: size %lld ino %llu/%u mode %#o nlink %u; expected size %lld "
          "ino %llu mode %#o",
          r, (long long)k.st_size, (unsigned long long)k.st_ino, k.st_ino32, k.st_mode,
          k.st_nlink, (long long)st.st_size, (unsigned long long)st.st_ino,
          (unsigned)st.st_mode);
    memset(&k, 0xa5, sizeof k);
    r = syscall(SYS_fstat64, fd, &k);
    check(r == 0 && k.st_size == st.st_size && k.st_mode == st.st_mode, "sys.fstat64_layout",
          "fstat64 returned %ld: size %lld mode %#o", r, (long long)k.st_size, k.st_mode);
    memset(&k, 0xa5, sizeof k);
    r = syscall(SYS_lstat64, motd, &k);
    check(r == 0 && k.st_size == st.st_size && k.st_mode == st.st_mode, "sys.lstat64_layout",
          "lstat64 returned %ld: size %lld mode %#o", r, (long long)k.st_size, k.st_mode);
    check_eq("sys.close", 0, close(fd));
    check_errno("sys.close_twice", close(fd), EBADF);
    check_errno("sys.read_closed", read(fd, piece, 1), EBADF);
    check_errno("sys.read_bad_fd", read(9999, piece, 1), EBADF);
    check_errno("sys.read_negative_fd", read(-1, piece, 1), EBADF);

    check(stat(rootpath("/etc"), &st) == 0 && S_ISDIR(st.st_mode), "sys.stat_dir",
          "stat(/etc): %s, mode %#o", errname(errno), (unsigned)st.st_mode);
    check_errno("sys.stat_missing", stat(rootpath("/etc/no-such-file"), &st), ENOENT);
    check_errno("sys.open_missing", open(rootpath("/etc/no-such-file"), O_RDONLY), ENOENT);
    check_errno("sys.open_through_file", open(rootpath("/etc/motd/x"), O_RDONLY), ENOTDIR);
    check_errno("sys.open_file_as_dir", open(motd, O_RDONLY | O_DIRECTORY), ENOTDIR);
    fd = open(rootpath("/etc"), O_RDONLY | O_DIRECTORY);
    check(fd >= 0, "sys.open_dir", "open(/etc, O_DIRECTORY): %s", errname(errno));
    check_errno("sys.read_dir", read(fd, piece, 1), EISDIR);
    close(fd);
}

// Write a scratch file: create, write, read back, truncate, holes, fd numbers.
static void test_write_files(void)
{
    const char *path = scratch_path(tname("t_syscall.%d", (int)getpid()));
    unlink(path);
    int fd = open(path, O_CREAT | O_EXCL | O_RDWR, 0644);
    if (!check(fd >= 0, "sys.create", "open(%s, O_CREAT|O_EXCL|O_RDWR): %s", path,
               errname(errno)))
        return;
    check_errno("sys.create_excl", open(path, O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST);
    check_eq("sys.write", 11, write(fd, "hello world", 11));
    check_eq("sys.lseek_start", 0, lseek(fd, 0, SEEK_SET));
    char buf[64] = "";
    long n = read(fd, buf, sizeof buf);
    check(n == 11 && memcmp(buf, "hello world", 11) == 0, "sys.read_back",
          "read %ld bytes: \"%.*s\"", n, n > 0 ? (int)n : 0, buf);
    struct stat st;
    check(fstat(fd, &st) == 0 && st.st_size == 11 && S_ISREG(st.st_mode), "sys.fstat_written",
          "size %lld mode %#o", (long long)st.st_size, (unsigned)st.st_mode);

    // Writing past the end leaves a hole that reads as zeros.
    check_eq("sys.lseek_past_end", 20, lseek(fd, 20, SEEK_SET));
    check_eq("sys.write_past_end", 1, write(fd, "!", 1));
    memset(buf, 'x', sizeof buf);
    lseek(fd, 0, SEEK_SET);
    n = read(fd, buf, sizeof buf);
    static const char zeros[9];
    check(n == 21 && memcmp(buf + 11, zeros, 9) == 0 && buf[20] == '!', "sys.hole_reads_zero",
          "read %ld bytes; the 9 bytes between the two writes should be zero", n);
    close(fd);

    // The lowest free descriptor is the one open() returns.
    int a = open(path, O_RDONLY), b = open(path, O_RDONLY);
    close(a);
    int c = open(path, O_RDONLY);
    check(a >= 3 && b > a && c == a, "sys.open_lowest_fd",
          "opened %d and %d, closed %d, then open returned %d", a, b, a, c);
    check_errno("sys.write_readonly_fd", write(c, "x", 1), EBADF);
    close(b);
    close(c);
    fd = open(path, O_WRONLY | O_TRUNC);
    check(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "sys.truncate",
          "open(O_TRUNC) gave fd %d, size %lld", fd, (long long)st.st_size);
    check_errno("sys.read_writeonly_fd", read(fd, buf, 1), EBADF);
    close(fd);

    // writev gathers, readv scatters (an empty iovec in the middle is fine).
    fd = open(path, O_RDWR | O_TRUNC);
    struct iovec out[3] = {
        { "abc", 3 },
        { (void *)"", 0 },
        { "defgh", 5 },
    };
    check_eq("sys.writev", 8, writev(fd, out, 3));
    check_eq("sys.writev_none", 0, writev(fd, out, 0));
    check_errno("sys.writev_negative_count", writev(fd, out, -1), EINVAL);
    lseek(fd, 0, SEEK_SET);
    char x[2] = "", y[16] = "";
    struct iovec in[2] = { { x, 2 }, { y, sizeof y } };
    n = readv(fd, in, 2);
    check(n == 8 && memcmp(x, "ab", 2) == 0 && memcmp(y, "cdefgh", 6) == 0, "sys.readv",
          "readv returned %ld: \"%.2s\" + \"%.6s\"", n, x, y);
    close(fd);
    unlink(path);
}

// getdents64 on a root file system directory, raw, with Linux's layout.
static void test_getdents(void)
{
    int fd = open(rootpath("/etc"), O_RDONLY | O_DIRECTORY);
    if (!check(fd >= 0, "sys.getdents_open", "open(/etc): %s", errname(errno)))
        return;
    char small[8];
    check_errno("sys.getdents_small_buffer", syscall(SYS_getdents64, fd, small, sizeof small),
                EINVAL);
    static char buf[8192] __attribute__((aligned(8)));
    int dot = -1, dotdot = -1, motd = -1, bad_reclen = 0, calls = 0;
    long n;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0 && ++calls < 100) {
        for (long off = 0; off < n;) {
            struct dirent64 *d = (struct dirent64 *)(buf + off);
            size_t len = strnlen(d->d_name, d->d_reclen);
            if (d->d_reclen % 8 || d->d_reclen < 19 + len + 1 || off + d->d_reclen > n) {
                bad_reclen++;
                break;
            }
            if (strcmp(d->d_name, ".") == 0)
                dot = d->d_type;
            else if (strcmp(d->d_name, "..") == 0)
                dotdot = d->d_type;
            else if (strcmp(d->d_name, "motd") == 0)
                motd = d->d_type;
            off += d->d_reclen;
        }
    }
    check(n == 0 && !bad_reclen, "sys.getdents", "last call returned %ld (%s), %d bad records",
          n, n < 0 ? errname(errno) : "", bad_reclen);
    check(dot == DT_DIR && dotdot == DT_DIR && motd == DT_REG, "sys.getdents_entries",
          "d_type of \".\" %d, \"..\" %d, \"motd\" %d; expected %d, %d, %d (-1: missing)", dot,
          dotdot, motd, DT_DIR, DT_DIR, DT_REG);
    close(fd);
    fd = open(rootpath("/etc/motd"), O_RDONLY);
    check_errno("sys.getdents_file", syscall(SYS_getdents64, fd, buf, sizeof buf), ENOTDIR);
    close(fd);
}

static void test_cwd(void)
{
    char saved[4096], cwd[4096];
    if (!check(getcwd(saved, sizeof saved) != NULL, "sys.getcwd", "getcwd: %s",
               errname(errno)))
        return;
    check(saved[0] == '/', "sys.getcwd_absolute", "getcwd gave \"%s\"", saved);
    check_errno("sys.getcwd_small", syscall(SYS_getcwd, cwd, 1), ERANGE);

    const char *etc = rootpath("/etc");
    check_eq("sys.chdir", 0, chdir(etc));
    check_str("sys.getcwd_after_chdir", etc, getcwd(cwd, sizeof cwd));
    int fd = open("motd", O_RDONLY);
    check(fd >= 0, "sys.open_relative", "open(\"motd\") in /etc: %s", errname(errno));
    close(fd);
    check_eq("sys.chdir_dotdot", 0, chdir(".."));
    const char *root = *test_root() ? test_root() : "/";
    check_str("sys.getcwd_dotdot", root, getcwd(cwd, sizeof cwd));
    check_errno("sys.chdir_file", chdir(rootpath("/etc/motd")), ENOTDIR);
    check_errno("sys.chdir_missing", chdir(rootpath("/no-such-dir")), ENOENT);
    check_str("sys.cwd_kept_after_errors", root, getcwd(cwd, sizeof cwd));
    chdir(saved);
}

static void test_access(void)
{
    const char *motd = rootpath("/etc/motd");
    check_eq("sys.access_read", 0, access(motd, R_OK));
    check_eq("sys.access_exec", 0, access(rootpath("/bin/true"), X_OK));
    check_errno("sys.access_not_exec", access(motd, X_OK), EACCES);
    check_errno("sys.access_missing", access(rootpath("/etc/no-such-file"), F_OK), ENOENT);
    check_errno("sys.access_through_file", access(rootpath("/etc/motd/x"), F_OK), ENOTDIR);
}

static void test_isatty(void)
{
    int fd = open(rootpath("/etc/motd"), O_RDONLY);
    errno = 0;
    int r = isatty(fd);
    check(r == 0 && errno == ENOTTY, "sys.isatty_file", "isatty(file) = %d, errno %s", r,
          errname(errno));
    close(fd);
}

// Numbers that name no system call: past the table, huge, negative.
static void test_enosys(void)
{
    check_errno("sys.enosys_9999", syscall(9999), ENOSYS);
    check_errno("sys.enosys_huge", syscall(0x7fffffff), ENOSYS);
    check_errno("sys.enosys_negative", syscall(-1), ENOSYS);
}

int main(void)
{
    test_ids();
    test_uname();
    test_clocks();
    test_read_files();
    test_write_files();
    test_getdents();
    test_cwd();
    test_access();
    test_isatty();
    test_enosys();
    return test_status();
}
