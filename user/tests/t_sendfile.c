// t_sendfile: moving bytes between descriptors in the kernel, with Linux's
// rules (fs/sys_copy.c).
//
//   - sendfile (187, a 32-bit off_t *) and sendfile64 (239, a loff_t *):
//     from a file to a file or a pipe; with an offset pointer the pointer
//     moves and the file's own offset does not, without one the file's own
//     offset moves; a copy stops at the end of the input; EBADF for a bad or
//     wrongly opened descriptor, ESPIPE for a pipe given an offset, EINVAL for
//     a pipe or a /proc/<pid> file as input, an O_APPEND output or a negative
//     offset, EOVERFLOW at the 32-bit call's 2 GiB limit, EFAULT for a bad
//     offset pointer;
//   - copy_file_range (377): offsets by pointer or the files' own, EINVAL
//     for flags, for an overlap within one file and for a pipe, EISDIR for a
//     directory, EBADF for a read-only output, an O_APPEND one or a
//     write-only input, EXDEV between file systems (/proc to a file), 0 past
//     the input's end;
//   - fallocate (324): mode 0 allocates and extends the size,
//     FALLOC_FL_KEEP_SIZE allocates without, PUNCH_HOLE | KEEP_SIZE zeroes a
//     range, EOPNOTSUPP for PUNCH_HOLE alone, for two operations at once
//     and for what tmpfs cannot do (ZERO_RANGE, COLLAPSE_RANGE), EINVAL for
//     a bad range, EFBIG
//     past RLIMIT_FSIZE (with SIGXFSZ) and for a range that wraps, ESPIPE on
//     a pipe, EBADF on a read-only descriptor, ENODEV on a device;
//   - splice (313): a file into a pipe (the offset pointer moves, not the
//     file's offset), a pipe into a file at an offset (what the pipe holds),
//     a pipe into a pipe; tee (315) copies and leaves the bytes; vmsplice
//     (316) writes buffers into a pipe and reads them out; ESPIPE for an
//     offset on a pipe, EINVAL with no pipe, one pipe at both ends, a bad
//     flag, an O_APPEND file or a /proc/<pid> file, EAGAIN with
//     SPLICE_F_NONBLOCK and nothing there, 0 from a pipe with no writer,
//     EBADF for a bad descriptor, vmsplice on a file;
//   - every frame comes back afterwards.
// The files are in /dev/shm (a tmpfs on Linux, like bunshin's ramfs).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bunshin.h"

#define SIZE 10000

// musl's <fcntl.h> has only KEEP_SIZE and PUNCH_HOLE (Linux's <linux/falloc.h>).
#ifndef FALLOC_FL_COLLAPSE_RANGE
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#endif
#ifndef FALLOC_FL_ZERO_RANGE
#define FALLOC_FL_ZERO_RANGE 0x10
#endif

static char pattern[SIZE];

static const char *path_a(void) { return "/dev/shm/t_sendfile.a"; }
static const char *path_b(void) { return "/dev/shm/t_sendfile.b"; }

// The input file: SIZE bytes of pattern, opened read-only.
static int make_input(void)
{
    for (int i = 0; i < SIZE; i++)
        pattern[i] = (char)('a' + i % 23);
    int fd = open(path_a(), O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, pattern, SIZE) != SIZE)
        fail("sendfile.setup", "cannot make %s: %s", path_a(), errname(errno));
    close(fd);
    return open(path_a(), O_RDONLY);
}

static int make_output(int extra_flags)
{
    return open(path_b(), O_RDWR | O_CREAT | O_TRUNC | extra_flags, 0600);
}

// Does the file at path hold pattern[from, from + n) at offset at?
static int holds(int fd, off_t at, int from, int n)
{
    static char buf[SIZE];
    return pread(fd, buf, (size_t)n, at) == n && memcmp(buf, pattern + from, (size_t)n) == 0;
}

static long sendfile32(int out, int in, int32_t *off, size_t n)
{
    return syscall(SYS_sendfile, out, in, off, n);
}

static long sendfile64(int out, int in, int64_t *off, size_t n)
{
    return syscall(SYS_sendfile64, out, in, off, n);
}

static void sendfile_part(void)
{
    int in = make_input(), out = make_output(0);
    lseek(in, 7, SEEK_SET);
    int32_t off = 100;
    check_eq("sendfile.count", 5000, sendfile32(out, in, &off, 5000));
    check_eq("sendfile.offset_moved", 5100, off);
    check_eq("sendfile.own_offset_kept", 7, lseek(in, 0, SEEK_CUR));
    check_eq("sendfile.out_offset_moved", 5000, lseek(out, 0, SEEK_CUR));
    check(holds(out, 0, 100, 5000), "sendfile.bytes", "the output differs");

    // No offset pointer: the input's own offset is used and moves.
    lseek(in, 0, SEEK_SET);
    check_eq("sendfile.null_offset_count", 300, sendfile32(out, in, NULL, 300));
    check_eq("sendfile.null_offset_moves", 300, lseek(in, 0, SEEK_CUR));
    check(holds(out, 5000, 0, 300), "sendfile.null_offset_bytes", "the output differs");

    off = SIZE - 10;
    check_eq("sendfile.stops_at_end", 10, sendfile32(out, in, &off, 100));
    check_eq("sendfile.at_end", 0, sendfile32(out, in, &off, 100));
    check_eq("sendfile.count_zero", 0, sendfile32(out, in, &off, 0));

    int64_t off64 = 2000;
    check_eq("sendfile64.count", 1000, sendfile64(out, in, &off64, 1000));
    check_eq("sendfile64.offset_moved", 3000, off64);
    check_eq("sendfile64.own_offset_kept", 300, lseek(in, 0, SEEK_CUR));
    off64 = 0x7FFFFFFF;
    check_eq("sendfile64.past_2g_is_eof", 0, sendfile64(out, in, &off64, 10));
    off = 0x7FFFFFFF;
    check_errno("sendfile.eoverflow_2g", sendfile32(out, in, &off, 10), EOVERFLOW);

    // Into a pipe.
    int p[2];
    if (pipe(p) == 0) {
        off64 = 50;
        check_eq("sendfile.to_pipe", 1000, sendfile64(p[1], in, &off64, 1000));
        char buf[1000];
        check(read_full(p[0], buf, 1000) == 1000 && memcmp(buf, pattern + 50, 1000) == 0,
              "sendfile.to_pipe_bytes", "the pipe's bytes differ");
        check_errno("sendfile.from_pipe_einval", sendfile64(out, p[0], NULL, 10), EINVAL);
        off64 = 0;
        check_errno("sendfile.from_pipe_offset_espipe", sendfile64(out, p[0], &off64, 10),
                    ESPIPE);
        close(p[0]);
        close(p[1]);
    }

    // Not from a /proc file about a process: Linux has no splice_read for them.
    int proc = open("/proc/self/status", O_RDONLY);
    check_errno("sendfile.from_proc_einval", sendfile64(out, proc, NULL, 4096), EINVAL);
    close(proc);

    check_errno("sendfile.ebadf_in", sendfile64(out, 999, NULL, 10), EBADF);
    check_errno("sendfile.ebadf_out", sendfile64(999, in, NULL, 10), EBADF);
    check_errno("sendfile.ebadf_out_readonly", sendfile64(in, in, NULL, 10), EBADF);
    int wo = open(path_a(), O_WRONLY);
    check_errno("sendfile.ebadf_in_writeonly", sendfile64(out, wo, NULL, 10), EBADF);
    close(wo);
    off64 = -1;
    check_errno("sendfile.negative_offset", sendfile64(out, in, &off64, 10), EINVAL);
    check_errno("sendfile.efault", sendfile64(out, in, (int64_t *)8, 10), EFAULT);
    check_errno("sendfile32.efault", sendfile32(out, in, (int32_t *)8, 10), EFAULT);
    int app = open(path_b(), O_WRONLY | O_APPEND);
    off64 = 0;
    check_errno("sendfile.append_einval", sendfile64(app, in, &off64, 10), EINVAL);
    close(app);
    close(in);
    close(out);
}

static long cfr(int in, int64_t *off_in, int out, int64_t *off_out, size_t n, unsigned flags)
{
    return syscall(SYS_copy_file_range, in, off_in, out, off_out, n, flags);
}

static void copy_file_range_part(void)
{
    int in = make_input(), out = make_output(0);
    int64_t oi = 10, oo = 0;
    check_eq("copy_file_range.count", 4000, cfr(in, &oi, out, &oo, 4000, 0));
    check(oi == 4010 && oo == 4000, "copy_file_range.offsets_moved", "off_in %lld off_out %lld",
          (long long)oi, (long long)oo);
    check(lseek(in, 0, SEEK_CUR) == 0 && lseek(out, 0, SEEK_CUR) == 0,
          "copy_file_range.own_offsets_kept", "in at %lld, out at %lld",
          (long long)lseek(in, 0, SEEK_CUR), (long long)lseek(out, 0, SEEK_CUR));
    check(holds(out, 0, 10, 4000), "copy_file_range.bytes", "the output differs");

    lseek(in, 100, SEEK_SET);
    lseek(out, 4000, SEEK_SET);
    check_eq("copy_file_range.own_offsets_count", 500, cfr(in, NULL, out, NULL, 500, 0));
    check(lseek(in, 0, SEEK_CUR) == 600 && lseek(out, 0, SEEK_CUR) == 4500,
          "copy_file_range.own_offsets_move", "in at %lld, out at %lld",
          (long long)lseek(in, 0, SEEK_CUR), (long long)lseek(out, 0, SEEK_CUR));
    check(holds(out, 4000, 100, 500), "copy_file_range.own_offsets_bytes", "the output differs");

    oi = SIZE - 5;
    check_eq("copy_file_range.stops_at_end", 5, cfr(in, &oi, out, NULL, 100, 0));
    check_eq("copy_file_range.at_end", 0, cfr(in, &oi, out, NULL, 100, 0));
    oi = 0;
    check_errno("copy_file_range.flags_einval", cfr(in, &oi, out, NULL, 10, 1), EINVAL);
    check_errno("copy_file_range.ebadf", cfr(999, NULL, out, NULL, 10, 0), EBADF);
    check_errno("copy_file_range.ebadf_out", cfr(in, NULL, 999, NULL, 10, 0), EBADF);
    check_errno("copy_file_range.out_readonly", cfr(in, NULL, in, NULL, 10, 0), EBADF);
    int wo = open(path_a(), O_WRONLY);
    check_errno("copy_file_range.in_writeonly", cfr(wo, NULL, out, NULL, 10, 0), EBADF);
    close(wo);
    int app = open(path_b(), O_WRONLY | O_APPEND);
    check_errno("copy_file_range.out_append", cfr(in, &oi, app, NULL, 10, 0), EBADF);
    close(app);
    check_errno("copy_file_range.efault", cfr(in, (int64_t *)8, out, NULL, 10, 0), EFAULT);

    // Within one file: apart is fine, overlapping is not.
    int rw = open(path_b(), O_RDWR);
    oi = 0;
    oo = 6000;
    check_eq("copy_file_range.same_file", 1000, cfr(rw, &oi, rw, &oo, 1000, 0));
    check(holds(rw, 6000, 10, 1000), "copy_file_range.same_file_bytes", "the copy differs");
    oi = 0;
    oo = 500;
    check_errno("copy_file_range.overlap_einval", cfr(rw, &oi, rw, &oo, 1000, 0), EINVAL);
    close(rw);

    int dir = open("/dev/shm", O_RDONLY | O_DIRECTORY);
    check_errno("copy_file_range.dir_eisdir", cfr(dir, NULL, out, NULL, 10, 0), EISDIR);
    close(dir);
    int p[2];
    if (pipe(p) == 0) {
        check_errno("copy_file_range.pipe_einval", cfr(in, NULL, p[1], NULL, 10, 0), EINVAL);
        close(p[0]);
        close(p[1]);
    }
    int proc = open("/proc/self/status", O_RDONLY);
    check_errno("copy_file_range.exdev", cfr(proc, NULL, out, NULL, 10, 0), EXDEV);
    close(proc);
    close(in);
    close(out);
}

static void fallocate_part(void)
{
    int fd = make_output(0);
    struct stat st;
    check_eq("fallocate.extends", 0, fallocate(fd, 0, 0, SIZE));
    fstat(fd, &st);
    check(st.st_size == SIZE && st.st_blocks >= 24, "fallocate.size_and_blocks",
          "size %lld blocks %lld", (long long)st.st_size, (long long)st.st_blocks);
    long long blocks = st.st_blocks;
    check_eq("fallocate.keep_size", 0, fallocate(fd, FALLOC_FL_KEEP_SIZE, SIZE, 3 * 4096));
    fstat(fd, &st);
    check(st.st_size == SIZE && st.st_blocks > blocks, "fallocate.keep_size_allocates",
          "size %lld blocks %lld (were %lld)", (long long)st.st_size,
          (long long)st.st_blocks, blocks);
    char zero[SIZE] = { 0 }, buf[SIZE];
    check(pread(fd, buf, SIZE, 0) == SIZE && memcmp(buf, zero, SIZE) == 0, "fallocate.zeros",
          "allocated bytes are not zero");

    // Punching a hole zeroes the range and keeps the size.
    pwrite(fd, pattern, SIZE, 0);
    check_eq("fallocate.punch", 0,
             fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 100, 5000));
    fstat(fd, &st);
    check(pread(fd, buf, SIZE, 0) == SIZE && memcmp(buf, pattern, 100) == 0 &&
          memcmp(buf + 100, zero, 5000) == 0 && memcmp(buf + 5100, pattern + 5100, SIZE - 5100) == 0
          && st.st_size == SIZE, "fallocate.punch_zeroes", "size %lld", (long long)st.st_size);

    check_errno("fallocate.punch_alone", fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10), EOPNOTSUPP);
    check_errno("fallocate.zero_range", fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 10), EOPNOTSUPP);
    check_errno("fallocate.collapse", fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, 4096),
                EOPNOTSUPP);
    check_errno("fallocate.collapse_keep_size",
                fallocate(fd, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096),
                EOPNOTSUPP);
    check_errno("fallocate.two_ops",
                fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE, 0, 4096), EOPNOTSUPP);
    check_errno("fallocate.unknown_mode", fallocate(fd, 0x1000, 0, 10), EOPNOTSUPP);
    check_errno("fallocate.len_zero", fallocate(fd, 0, 0, 0), EINVAL);
    check_errno("fallocate.offset_negative", fallocate(fd, 0, -1, 10), EINVAL);
    check_errno("fallocate.wraps", fallocate(fd, 0, INT64_MAX - 5, 10), EFBIG);

    int ro = open(path_b(), O_RDONLY);
    check_errno("fallocate.readonly_ebadf", fallocate(ro, 0, 0, 10), EBADF);
    close(ro);
    check_errno("fallocate.ebadf", fallocate(999, 0, 0, 10), EBADF);
    int p[2];
    if (pipe(p) == 0) {
        check_errno("fallocate.pipe_espipe", fallocate(p[1], 0, 0, 10), ESPIPE);
        close(p[0]);
        close(p[1]);
    }
    int null = open("/dev/null", O_WRONLY);
    check_errno("fallocate.device_enodev", fallocate(null, 0, 0, 10), ENODEV);
    close(null);

    // RLIMIT_FSIZE: growing past it is EFBIG (and SIGXFSZ, ignored here).
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = { 4 * SIZE, 4 * SIZE };
    setrlimit(RLIMIT_FSIZE, &rl);
    check_errno("fallocate.rlimit_fsize", fallocate(fd, 0, 0, 8 * SIZE), EFBIG);
    check_errno("fallocate.rlimit_fsize_keep_size",
                fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8 * SIZE), EFBIG);
    check_eq("fallocate.rlimit_fsize_below", 0, fallocate(fd, 0, 0, 2 * SIZE));
    close(fd);
}

static long splice_(int in, int64_t *off_in, int out, int64_t *off_out, size_t n, unsigned fl)
{
    return syscall(SYS_splice, in, off_in, out, off_out, n, fl);
}

static void splice_part(void)
{
    int in = make_input(), out = make_output(0);
    int p[2], q[2];
    if (pipe(p) < 0 || pipe(q) < 0)
        return;
    char buf[2000];
    int64_t off = 100;
    check_eq("splice.file_to_pipe", 1000, splice_(in, &off, p[1], NULL, 1000, 0));
    check_eq("splice.file_to_pipe_offset", 1100, off);
    check_eq("splice.file_to_pipe_own_offset", 0, lseek(in, 0, SEEK_CUR));
    check(read(p[0], buf, sizeof buf) == 1000 && memcmp(buf, pattern + 100, 1000) == 0,
          "splice.file_to_pipe_bytes", "the pipe's bytes differ");
    check_eq("splice.file_own_offset", 500, splice_(in, NULL, p[1], NULL, 500, 0));
    check_eq("splice.file_own_offset_moves", 500, lseek(in, 0, SEEK_CUR));
    read(p[0], buf, sizeof buf);

    write(p[1], "hello world", 11);
    off = 5;
    check_eq("splice.pipe_to_file", 11, splice_(p[0], NULL, out, &off, 100, 0));
    check_eq("splice.pipe_to_file_offset", 16, off);
    check(pread(out, buf, 11, 5) == 11 && memcmp(buf, "hello world", 11) == 0,
          "splice.pipe_to_file_bytes", "the file's bytes differ");
    check_errno("splice.nonblock_empty", splice_(p[0], NULL, out, NULL, 10, SPLICE_F_NONBLOCK),
                EAGAIN);

    write(p[1], "0123456789", 10);
    check_eq("splice.pipe_to_pipe", 10, splice_(p[0], NULL, q[1], NULL, 100, 0));
    check(read(q[0], buf, sizeof buf) == 10 && memcmp(buf, "0123456789", 10) == 0,
          "splice.pipe_to_pipe_bytes", "the second pipe's bytes differ");

    write(p[1], "abcdefghij", 10);
    check_eq("tee.count", 10, syscall(SYS_tee, p[0], q[1], 100, 0));
    check(read(q[0], buf, sizeof buf) == 10 && memcmp(buf, "abcdefghij", 10) == 0,
          "tee.copied", "the second pipe's bytes differ");
    check(read(p[0], buf, sizeof buf) == 10 && memcmp(buf, "abcdefghij", 10) == 0,
          "tee.left_in_first", "the first pipe's bytes differ");
    check_errno("tee.nonblock_empty", syscall(SYS_tee, p[0], q[1], 10, SPLICE_F_NONBLOCK), EAGAIN);
    check_errno("tee.same_pipe", syscall(SYS_tee, p[0], p[1], 10, 0), EINVAL);
    check_errno("tee.file", syscall(SYS_tee, in, q[1], 10, 0), EINVAL);

    off = 0;
    check_errno("splice.pipe_offset_espipe", splice_(p[0], &off, out, NULL, 10, 0), ESPIPE);
    check_errno("splice.pipe_out_offset_espipe", splice_(in, NULL, p[1], &off, 10, 0), ESPIPE);
    check_errno("splice.no_pipe_einval", splice_(in, NULL, out, NULL, 10, 0), EINVAL);
    check_errno("splice.same_pipe_einval", splice_(p[0], NULL, p[1], NULL, 10, 0), EINVAL);
    check_errno("splice.flags_einval", splice_(in, NULL, p[1], NULL, 10, 0x100), EINVAL);
    check_eq("splice.len_zero", 0, splice_(999, NULL, 999, NULL, 0, 0));
    check_errno("splice.ebadf", splice_(999, NULL, p[1], NULL, 10, 0), EBADF);
    int app = open(path_b(), O_WRONLY | O_APPEND);
    write(p[1], "x", 1);
    check_errno("splice.append_einval", splice_(p[0], NULL, app, NULL, 10, 0), EINVAL);
    close(app);
    read(p[0], buf, 1);
    int proc = open("/proc/self/status", O_RDONLY);
    check_errno("splice.from_proc_einval", splice_(proc, NULL, p[1], NULL, 10, 0), EINVAL);
    close(proc);

    struct iovec iov[2] = { { "vm", 2 }, { "splice", 6 } };
    check_eq("vmsplice.to_pipe", 8, syscall(SYS_vmsplice, p[1], iov, 2, 0));
    char a[3] = "", b[10] = "";
    struct iovec out_iov[2] = { { a, 3 }, { b, 10 } };
    check_eq("vmsplice.from_pipe", 8, syscall(SYS_vmsplice, p[0], out_iov, 2, 0));
    check(memcmp(a, "vms", 3) == 0 && memcmp(b, "plice", 5) == 0, "vmsplice.bytes",
          "\"%.3s\" \"%.5s\"", a, b);
    check_errno("vmsplice.file_ebadf", syscall(SYS_vmsplice, out, iov, 2, 0), EBADF);
    check_errno("vmsplice.flags_einval", syscall(SYS_vmsplice, p[1], iov, 2, 0x100), EINVAL);
    check_errno("vmsplice.nonblock_empty",
                syscall(SYS_vmsplice, p[0], out_iov, 2, SPLICE_F_NONBLOCK), EAGAIN);

    close(p[1]);
    check_eq("splice.no_writer_eof", 0, splice_(p[0], NULL, out, NULL, 10, 0));
    close(p[0]);
    close(q[0]);
    close(q[1]);
    close(in);
    close(out);
}

int main(void)
{
    long before = memfree_start();
    int good = run_part("sendfile.part", sendfile_part);
    good &= run_part("copy_file_range.part", copy_file_range_part);
    good &= run_part("fallocate.part", fallocate_part);
    good &= run_part("splice.part", splice_part);
    unlink(path_a());
    unlink(path_b());
    memfree_check("sendfile.memfree_restored", before);
    return test_status() || !good;
}
