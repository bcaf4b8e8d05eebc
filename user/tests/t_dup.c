// t_dup: the dup family and fcntl, with Linux's rules.
//
//   - dup takes the lowest free slot, with close-on-exec off even when the
//     original has it on; both slots name one open file description, so the
//     offset and the status flags (O_APPEND) are shared, the close-on-exec
//     flag is not; closing one leaves the other working; EBADF for a bad fd;
//   - dup2 closes newfd first (the write end of a pipe put there is closed:
//     its reader sees end of file), returns newfd, clears close-on-exec on
//     it; with oldfd == newfd it returns newfd and changes nothing (not even
//     close-on-exec), but still EBADF when that fd is not open; a bad oldfd
//     fails with EBADF and leaves newfd open as it was; newfd out of range
//     (negative, or at the RLIMIT_NOFILE limit) is EBADF;
//   - dup3 with O_CLOEXEC sets the flag, with 0 does not (and clears it on
//     newfd); EINVAL for equal fds and for any flag other than O_CLOEXEC;
//     EBADF for a bad oldfd, which leaves newfd open;
//   - fcntl: F_DUPFD and F_DUPFD_CLOEXEC take the lowest free slot at or
//     above the argument (EINVAL at the limit); F_GETFD/F_SETFD;
//     F_GETFL gives the access mode and O_APPEND/O_NONBLOCK; F_SETFL changes
//     O_APPEND and O_NONBLOCK but never the access mode; an appending write
//     after F_SETFL lands at the end; EBADF and EINVAL;
//   - the descriptor table's limit: getrlimit(RLIMIT_NOFILE) (256 on
//     bunshin); filling every slot gives EMFILE from dup, open and pipe,
//     and exactly `limit` slots were usable; a freed slot is reused; a pipe
//     with a single free slot fails without taking it.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"

// musl's dup3() answers EINVAL for equal fds itself, and for flags without
// O_CLOEXEC it calls dup2 and drops them; its F_DUPFD_CLOEXEC and its open()
// with O_CLOEXEC set FD_CLOEXEC once more with F_SETFD. The kernel's own
// answers are what is tested here: these go straight to it.
static int raw_dup3(int oldfd, int newfd, int flags)
{
    return syscall(SYS_dup3, oldfd, newfd, flags);
}

static int raw_fcntl(int fd, int cmd, long arg)
{
    return syscall(SYS_fcntl64, fd, cmd, arg);
}

static int raw_open(const char *path, int flags, int mode)
{
    return syscall(SYS_open, path, flags | O_LARGEFILE, mode);
}

static int nofile;   // the RLIMIT_NOFILE soft limit in use

static int open_scratch(const char *name, int flags)
{
    int fd = open(scratch_path(name), flags | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        fail(tname("dup.open_%s", name), "open %s: %s", scratch_path(name), errname(errno));
    return fd;
}

static int is_open(int fd)
{
    return fcntl(fd, F_GETFD) >= 0;
}

static ino_t inode_of(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

// The lowest fd above 2 that is free, for choosing slots to test with.
static int lowest_free(void)
{
    int fd = dup(0);
    if (fd >= 0)
        close(fd);
    return fd;
}

static void test_dup(void)
{
    int fd = raw_open(scratch_path("dup-a"), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        fail("dup.open", "open %s: %s", scratch_path("dup-a"), errname(errno));
        return;
    }
    // Make a hole below two open slots: dup must take the hole.
    int h1 = dup(fd), h2 = dup(fd);
    close(h1);
    int d = dup(fd);
    check(d == h1, "dup.lowest", "with slot %d free (and %d taken), dup gave %d", h1, h2, d);
    check(fcntl(d, F_GETFD) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "dup.cloexec_off",
          "original opened with O_CLOEXEC: F_GETFD original %d, copy %d (expected 1, 0)",
          fcntl(fd, F_GETFD), fcntl(d, F_GETFD));

    // One description: offset and status flags are shared.
    write(fd, "hello", 5);
    off_t o1 = lseek(fd, 0, SEEK_CUR), o2 = lseek(d, 0, SEEK_CUR);
    check(o1 == 5 && o2 == 5, "dup.offset_shared",
          "after writing 5 bytes through fd %d: offsets %lld and %lld (expected 5, 5)", fd,
          (long long)o1, (long long)o2);
    write(d, "world", 5);
    lseek(fd, 0, SEEK_SET);
    check_eq("dup.seek_shared", 0, lseek(d, 0, SEEK_CUR));
    char buf[16] = "";
    read(d, buf, 10);
    check_str("dup.data", "helloworld", buf);
    fcntl(fd, F_SETFL, O_APPEND);
    check(fcntl(d, F_GETFL) & O_APPEND, "dup.status_flags_shared",
          "F_SETFL O_APPEND on fd %d: F_GETFL of its copy is %#x", fd, fcntl(d, F_GETFL));
    fcntl(d, F_SETFD, FD_CLOEXEC);
    fcntl(fd, F_SETFD, 0);
    check(fcntl(d, F_GETFD) == FD_CLOEXEC && fcntl(fd, F_GETFD) == 0, "dup.cloexec_per_slot",
          "F_SETFD on each slot: %d and %d", fcntl(fd, F_GETFD), fcntl(d, F_GETFD));
    close(fd);
    check(write(d, "!", 1) == 1, "dup.close_one", "after closing fd %d, writing its copy: %s",
          fd, errname(errno));
    close(d);
    close(h2);

    check_errno("dup.ebadf_closed", dup(d), EBADF);
    check_errno("dup.ebadf_negative", dup(-1), EBADF);
}

static void test_dup2(void)
{
    int a = open_scratch("dup2-a", O_RDWR);
    int b = open_scratch("dup2-b", O_RDWR);
    if (a < 0 || b < 0)
        return;
    // newfd holds the write end of a pipe: after dup2 onto it, that end is
    // closed, so the reader sees end of file.
    int p[2];
    if (pipe(p) < 0) {
        fail("dup2.pipe", "pipe: %s", errname(errno));
        return;
    }
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    int r = dup2(a, p[1]);
    check(r == p[1], "dup2.returns_newfd", "dup2(%d, %d) returned %d", a, p[1], r);
    char c;
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    ssize_t n = read(p[0], &c, 1);
    check(n == 0, "dup2.closes_newfd",
          "after dup2 onto the pipe's only write end, read gave %zd (%s), expected 0 (end of file)",
          n, n < 0 ? errname(errno) : "data");
    check(inode_of(p[1]) == inode_of(a), "dup2.same_file",
          "fd %d should now be the file of fd %d", p[1], a);
    check_eq("dup2.cloexec_cleared", 0, fcntl(p[1], F_GETFD));
    close(p[0]);

    // oldfd == newfd: returned as is, flags untouched.
    fcntl(b, F_SETFD, FD_CLOEXEC);
    r = dup2(b, b);
    check(r == b && fcntl(b, F_GETFD) == FD_CLOEXEC, "dup2.equal",
          "dup2(%d, %d) returned %d, F_GETFD now %d (expected %d and 1: nothing changes)", b, b,
          r, fcntl(b, F_GETFD), b);
    int closed = lowest_free();
    check_errno("dup2.equal_ebadf", dup2(closed, closed), EBADF);

    // A bad oldfd: EBADF, and newfd stays open on its file.
    ino_t before = inode_of(b);
    r = dup2(closed, b);
    int err = errno;
    check(r == -1 && err == EBADF && is_open(b) && inode_of(b) == before, "dup2.bad_oldfd",
          "dup2(closed %d, %d): returned %d (%s), newfd %s", closed, b, r, errname(err),
          is_open(b) ? (inode_of(b) == before ? "still its file" : "changed") : "closed");

    check_errno("dup2.newfd_negative", dup2(a, -1), EBADF);
    check_errno("dup2.newfd_at_limit", dup2(a, nofile), EBADF);
    // The last slot is usable.
    r = dup2(a, nofile - 1);
    check(r == nofile - 1, "dup2.last_slot", "dup2(%d, %d) returned %d (%s)", a, nofile - 1, r,
          r < 0 ? errname(errno) : "");
    close(nofile - 1);
    close(p[1]);
    close(a);
    close(b);
}

static void test_dup3(void)
{
    int a = open_scratch("dup3-a", O_RDWR);
    if (a < 0)
        return;
    int target = lowest_free() + 5;
    int r = raw_dup3(a, target, O_CLOEXEC);
    check(r == target && fcntl(target, F_GETFD) == FD_CLOEXEC, "dup3.cloexec",
          "dup3(%d, %d, O_CLOEXEC) returned %d, F_GETFD %d", a, target, r, fcntl(target, F_GETFD));
    r = raw_dup3(a, target, 0);
    check(r == target && fcntl(target, F_GETFD) == 0, "dup3.no_flags",
          "dup3(%d, %d, 0) onto a close-on-exec slot returned %d, F_GETFD %d", a, target, r,
          fcntl(target, F_GETFD));
    check_errno("dup3.equal", raw_dup3(a, a, 0), EINVAL);
    check_errno("dup3.equal_cloexec", raw_dup3(a, a, O_CLOEXEC), EINVAL);
    check_errno("dup3.bad_flags", raw_dup3(a, target, O_NONBLOCK), EINVAL);
    check_errno("dup3.bad_flags_mixed", raw_dup3(a, target, O_CLOEXEC | O_APPEND), EINVAL);
    int closed = lowest_free();
    check_errno("dup3.bad_oldfd", raw_dup3(closed, target, 0), EBADF);
    check(is_open(target), "dup3.bad_oldfd_keeps_newfd", "fd %d was closed", target);
    close(target);
    close(a);
}

static void test_fcntl(void)
{
    int a = open_scratch("fcntl-a", O_WRONLY);
    if (a < 0)
        return;
    int base = lowest_free();
    // Lowest free at or above the argument; a taken one is skipped.
    int taken = dup2(a, base + 10);
    int r = fcntl(a, F_DUPFD, base + 10);
    check(r == base + 11 && fcntl(r, F_GETFD) == 0, "fcntl.dupfd",
          "F_DUPFD %d with %d taken gave %d (F_GETFD %d), expected %d", base + 10, taken, r,
          fcntl(r, F_GETFD), base + 11);
    close(r);
    close(taken);
    r = fcntl(a, F_DUPFD, 0);
    check(r == base, "fcntl.dupfd_lowest", "F_DUPFD 0 gave %d, expected %d", r, base);
    close(r);
    r = raw_fcntl(a, F_DUPFD_CLOEXEC, base + 3);
    check(r == base + 3 && fcntl(r, F_GETFD) == FD_CLOEXEC, "fcntl.dupfd_cloexec",
          "F_DUPFD_CLOEXEC %d gave %d, F_GETFD %d", base + 3, r, fcntl(r, F_GETFD));
    close(r);
    check_errno("fcntl.dupfd_at_limit", fcntl(a, F_DUPFD, nofile), EINVAL);
    check_errno("fcntl.dupfd_cloexec_at_limit", raw_fcntl(a, F_DUPFD_CLOEXEC, nofile), EINVAL);
    check_errno("fcntl.dupfd_negative", fcntl(a, F_DUPFD, -1), EINVAL);

    check_eq("fcntl.getfd_default", 0, fcntl(a, F_GETFD));
    fcntl(a, F_SETFD, FD_CLOEXEC);
    check_eq("fcntl.setfd", FD_CLOEXEC, fcntl(a, F_GETFD));
    fcntl(a, F_SETFD, 0);
    check_eq("fcntl.setfd_clear", 0, fcntl(a, F_GETFD));

    // Access modes and status flags.
    int ro = open(scratch_path("fcntl-a"), O_RDONLY);
    int rw = open(scratch_path("fcntl-a"), O_RDWR | O_APPEND | O_NONBLOCK);
    check((fcntl(ro, F_GETFL) & O_ACCMODE) == O_RDONLY &&
              (fcntl(a, F_GETFL) & O_ACCMODE) == O_WRONLY &&
              (fcntl(rw, F_GETFL) & O_ACCMODE) == O_RDWR,
          "fcntl.getfl_accmode", "access modes %#x %#x %#x", fcntl(ro, F_GETFL),
          fcntl(a, F_GETFL), fcntl(rw, F_GETFL));
    int fl = fcntl(rw, F_GETFL);
    check((fl & O_APPEND) && (fl & O_NONBLOCK), "fcntl.getfl_flags",
          "opened with O_APPEND|O_NONBLOCK: F_GETFL %#x", fl);
    check(!(fcntl(a, F_GETFL) & (O_APPEND | O_NONBLOCK)), "fcntl.getfl_plain",
          "F_GETFL %#x", fcntl(a, F_GETFL));
    fcntl(ro, F_SETFL, O_RDWR | O_APPEND);
    fl = fcntl(ro, F_GETFL);
    check((fl & O_ACCMODE) == O_RDONLY && (fl & O_APPEND), "fcntl.setfl_not_accmode",
          "F_SETFL O_RDWR|O_APPEND on a read-only fd: F_GETFL %#x (access mode must stay "
          "O_RDONLY, O_APPEND be set)", fl);
    check_errno("fcntl.setfl_still_readonly", write(ro, "x", 1), EBADF);
    fcntl(rw, F_SETFL, 0);
    fl = fcntl(rw, F_GETFL);
    check(!(fl & (O_APPEND | O_NONBLOCK)) && (fl & O_ACCMODE) == O_RDWR, "fcntl.setfl_clear",
          "F_SETFL 0: F_GETFL %#x", fl);

    // O_APPEND by F_SETFL: writes land at the end whatever the offset.
    write(a, "0123456789", 10);
    fcntl(a, F_SETFL, O_APPEND);
    lseek(a, 0, SEEK_SET);
    write(a, "AB", 2);
    char buf[16] = "";
    pread(rw, buf, 12, 0);
    check_str("fcntl.setfl_append_writes", "0123456789AB", buf);
    close(ro);
    close(rw);

    int closed = lowest_free();
    check_errno("fcntl.ebadf", fcntl(closed, F_GETFD), EBADF);
    check_errno("fcntl.ebadf_getfl", fcntl(closed, F_GETFL), EBADF);
    check_errno("fcntl.einval", fcntl(a, 9999), EINVAL);
    close(a);
}

static void test_emfile(void)
{
    int a = open_scratch("emfile", O_RDWR);
    if (a < 0)
        return;
    // Fill every slot.
    int count_open = 0;
    for (int fd = 0; fd < nofile; fd++)
        if (is_open(fd))
            count_open++;
    int *made = calloc(nofile + 16, sizeof *made);
    if (!made) {
        fail("emfile.malloc", "out of memory");
        return;
    }
    int n = 0, err = 0;
    for (;;) {
        int d = dup(a);
        if (d < 0) {
            err = errno;
            break;
        }
        made[n++] = d;
        if (n > nofile + 10)
            break;
    }
    int last = n ? made[n - 1] : -1;
    check(err == EMFILE, "emfile.dup", "dup failed with %s after %d copies", errname(err), n);
    check_eq("emfile.slots", nofile, count_open + n);
    check_eq("emfile.last_slot", nofile - 1, last);
    check_errno("emfile.open", open(scratch_path("emfile"), O_RDONLY), EMFILE);
    int p[2];
    check_errno("emfile.pipe", pipe(p), EMFILE);
    check_errno("emfile.fcntl_dupfd", fcntl(a, F_DUPFD, 0), EMFILE);
    // dup2 onto a taken slot still works at the limit (no new slot).
    check_eq("emfile.dup2_taken_slot", last, dup2(a, last));

    if (n > 10) {
        // A freed slot is taken again.
        int s1 = made[n - 4], s2 = made[n - 8];
        close(s1);
        check_eq("emfile.reuse", s1, dup(a));
        // One free slot: pipe needs two, fails, and leaves the slot free.
        close(s2);
        int r = pipe(p);
        int perr = errno;
        int again = dup(a);
        check(r == -1 && perr == EMFILE && again == s2, "emfile.pipe_one_slot",
              "pipe with one free slot: %d (%s); then dup gave %d (expected %d)", r,
              r < 0 ? errname(perr) : "success", again, s2);
    }

    // Give everything back.
    for (int i = 0; i < n; i++)
        close(made[i]);
    free(made);
    int d = dup(a);
    check(d >= 0, "emfile.after_close", "dup after closing them all: %s", errname(errno));
    close(d);
    close(a);
}

int main(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
        fail("dup.rlimit", "getrlimit(RLIMIT_NOFILE): %s", errname(errno));
        return test_status();
    }
    if (on_bunshin()) {
        check_eq("dup.rlimit_nofile", 256, (long long)rl.rlim_cur);
    } else if (rl.rlim_cur > 1024) {
        // Linux may allow a million: use a limit that is quick to fill.
        rl.rlim_cur = 1024;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    nofile = (int)rl.rlim_cur;
    test_dup();
    test_dup2();
    test_dup3();
    test_fcntl();
    test_emfile();
    return test_status();
}
