// t_statfs: statfs, fstatfs and their 64-bit forms, and the sync family.
// Checked where Linux and bunshin agree: /proc is procfs (0x9fa0), /dev/shm
// a tmpfs (0x01021994), blocks of a page with free ones no more than all;
// the 64-bit call refuses a size that is not its struct's; bad descriptors
// are EBADF; fsync works on a file and is EINVAL on a pipe; sync succeeds.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"

#define PROC_MAGIC  0x9fa0
#define TMPFS_MAGIC 0x01021994

int main(void)
{
    struct statfs st = { 0 };
    check(statfs("/proc", &st) == 0 && st.f_type == PROC_MAGIC, "statfs.proc",
          "statfs(/proc): %s, type %#lx", errname(errno), (unsigned long)st.f_type);
    check(statfs("/dev/shm", &st) == 0 && st.f_type == TMPFS_MAGIC, "statfs.dev_shm",
          "statfs(/dev/shm): %s, type %#lx", errname(errno), (unsigned long)st.f_type);
    check(st.f_bsize == 4096 && st.f_blocks > 0 && st.f_bfree <= st.f_blocks &&
          st.f_bavail <= st.f_blocks && st.f_namelen == 255, "statfs.counts",
          "bsize %ld blocks %llu bfree %llu bavail %llu namelen %ld", (long)st.f_bsize,
          (unsigned long long)st.f_blocks, (unsigned long long)st.f_bfree,
          (unsigned long long)st.f_bavail, (long)st.f_namelen);
    int fd = open("/dev/shm", O_RDONLY | O_DIRECTORY);
    struct statfs fst = { 0 };
    check(fd >= 0 && fstatfs(fd, &fst) == 0 && fst.f_type == TMPFS_MAGIC, "statfs.fstatfs",
          "fstatfs: %s", errname(errno));
    if (fd >= 0)
        close(fd);
    // The raw 64-bit call takes the struct's size (84 on i386).
    char buf[128];
    check_eq("statfs.statfs64_size", 0, syscall(SYS_statfs64, "/proc", 84, buf));
    check_errno("statfs.statfs64_bad_size", syscall(SYS_statfs64, "/proc", 80, buf), EINVAL);
    check_errno("statfs.fstatfs_ebadf", fstatfs(999, &fst), EBADF);
    check_errno("statfs.enoent", statfs("/no/such/path", &st), ENOENT);
    check_errno("statfs.efault", syscall(SYS_statfs64, "/proc", 84, (void *)8), EFAULT);

    const char *path = scratch_path("statfs.file");
    int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    check(f >= 0 && write(f, "x", 1) == 1 && fsync(f) == 0 && fdatasync(f) == 0, "sync.fsync_file",
          "fsync of a file: %s", errname(errno));
    if (f >= 0)
        close(f);
    unlink(path);
    int p[2];
    if (pipe(p) == 0) {
        check_errno("sync.fsync_pipe", fsync(p[0]), EINVAL);
        close(p[0]);
        close(p[1]);
    }
    check_errno("sync.fsync_ebadf", fsync(999), EBADF);
    check_eq("sync.sync", 0, syscall(SYS_sync));
    check_errno("sync.syncfs_ebadf", syscall(SYS_syncfs, 999), EBADF);
    return test_status();
}
