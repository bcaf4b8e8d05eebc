// t_kernfiles: the files the kernel makes (/proc, /dev) stay put.
//
// Programs may read /proc and use /dev, but not remove, rename or create
// names there where Linux refuses it, and each refusal has Linux's error.
// Every row below was checked against Linux (as root, which is what the
// tests are on both sides): on the host this test is the reference, and on
// bunshin it must give the same answers. Where Linux lets root do something
// harmless (truncate or chmod a /proc file changes nothing there), bunshin
// must let it too.
//
// /dev's device files are not unlinked or renamed here: root may do that on
// Linux (devtmpfs allows it), and doing it on the host would break the host.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "bunshin.h"

enum op { UNLINK, RMDIR, MKDIR, RENAME, LINK, SYMLINK, CREATE, TRUNCATE, CHMOD, OPEN_DIR,
          OPEN_WRITE, WRITE };

struct row {
    const char *name;     // check name: kernfiles.NAME
    enum op op;
    const char *path;
    const char *path2;    // rename, link, symlink: the second path
    int err;              // Linux's errno, or 0 for success
};

static const struct row rows[] = {
    { "unlink_meminfo", UNLINK, "/proc/meminfo", 0, EPERM },
    { "unlink_self", UNLINK, "/proc/self", 0, EPERM },
    { "unlink_status", UNLINK, "/proc/self/status", 0, EPERM },
    { "unlink_fd0", UNLINK, "/proc/self/fd/0", 0, EPERM },
    { "unlink_proc", UNLINK, "/proc", 0, EISDIR },
    { "unlink_dev", UNLINK, "/dev", 0, EISDIR },
    { "rmdir_proc", RMDIR, "/proc", 0, EBUSY },
    { "rmdir_dev", RMDIR, "/dev", 0, EBUSY },
    { "rmdir_self", RMDIR, "/proc/self", 0, ENOTDIR },
    { "rmdir_pid_dir", RMDIR, "/proc/PID", 0, EPERM },
    { "rmdir_fd_dir", RMDIR, "/proc/self/fd", 0, EPERM },
    { "rmdir_devnull", RMDIR, "/dev/null", 0, ENOTDIR },
    { "mkdir_in_proc", MKDIR, "/proc/bunshin_x", 0, ENOENT },
    { "mkdir_in_pid", MKDIR, "/proc/self/bunshin_x", 0, ENOENT },
    { "mkdir_under_devnull", MKDIR, "/dev/null/x", 0, ENOTDIR },
    { "create_in_proc", CREATE, "/proc/bunshin_x", 0, ENOENT },
    { "create_in_fd_dir", CREATE, "/proc/self/fd/77", 0, ENOENT },
    { "symlink_in_proc", SYMLINK, "target", "/proc/bunshin_y", ENOENT },
    { "rename_proc", RENAME, "/proc", "/bunshin_procx", EBUSY },
    { "rename_within_proc", RENAME, "/proc/meminfo", "/proc/bunshin_x", ENOENT },
    { "rename_fd_dir", RENAME, "/proc/self/fd", "/proc/self/bunshin_x", ENOENT },
    { "rename_out_of_proc", RENAME, "/proc/meminfo", "SCRATCH", EXDEV },
    { "link_out_of_proc", LINK, "/proc/meminfo", "SCRATCH", EXDEV },
    { "write_meminfo", WRITE, "/proc/meminfo", 0, EIO },
    { "write_status", WRITE, "/proc/self/status", 0, EINVAL },
    { "write_maps", WRITE, "/proc/self/maps", 0, EINVAL },
    { "open_meminfo_for_writing", OPEN_WRITE, "/proc/meminfo", 0, 0 },
    { "truncate_meminfo", TRUNCATE, "/proc/meminfo", 0, 0 },
    { "truncate_devzero", TRUNCATE, "/dev/zero", 0, EINVAL },
    { "chmod_meminfo_same_mode", CHMOD, "/proc/meminfo", 0, 0 },
    { "chmod_status", CHMOD, "/proc/self/status", 0, EPERM },
    { "open_devnull_as_dir", OPEN_DIR, "/dev/null", 0, ENOTDIR },
};

// Do one row's operation: 0 or the errno it failed with. "/proc/PID" is
// this process's own directory: not init's, whose /proc/1 the kernel would
// keep (made up when first looked up) for as long as init lives, which a
// MemFree check would count.
static int attempt(const struct row *row, const char *scratch)
{
    struct row r1 = *row;
    const struct row *r = &r1;
    if (strcmp(r1.path, "/proc/PID") == 0)
        r1.path = tname("/proc/%d", (int)getpid());
    const char *p2 = r->path2 && strcmp(r->path2, "SCRATCH") == 0 ? scratch : r->path2;
    int fd, ret = -1;
    switch (r->op) {
    case UNLINK: ret = unlink(r->path); break;
    case RMDIR: ret = rmdir(r->path); break;
    case MKDIR: ret = mkdir(r->path, 0755); break;
    case RENAME: ret = rename(r->path, p2); break;
    case LINK: ret = link(r->path, p2); break;
    case SYMLINK: ret = symlink(r->path, p2); break;
    case TRUNCATE: ret = truncate(r->path, 0); break;
    case CHMOD: ret = chmod(r->path, 0444); break;
    case CREATE:
    case OPEN_DIR:
    case OPEN_WRITE:
        fd = r->op == CREATE ? open(r->path, O_CREAT | O_WRONLY, 0644)
           : r->op == OPEN_DIR ? open(r->path, O_RDONLY | O_DIRECTORY) : open(r->path, O_WRONLY);
        if (fd >= 0)
            close(fd);
        ret = fd < 0 ? -1 : 0;
        break;
    case WRITE:
        fd = open(r->path, O_WRONLY);
        if (fd < 0)
            return errno;
        ret = write(fd, "x", 1) == 1 ? 0 : -1;
        int e = errno;
        close(fd);
        errno = e;
        break;
    }
    return ret == 0 ? 0 : errno;
}

// Every row, then a look at what must not have moved. In a child, so that
// the parent's MemFree check sees everything given back.
static void kernfiles(void *arg)
{
    const char *scratch = arg;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct row *r = &rows[i];
        int got = attempt(r, scratch);
        check(got == r->err, tname("kernfiles.%s", r->name), "%s: got %s, Linux gives %s",
              r->path, got ? strerror(got) : "success", r->err ? strerror(r->err) : "success");
        unlink(scratch);                 // in case something was made
    }

    struct stat st;
    check(stat("/proc/meminfo", &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0444,
          "kernfiles.meminfo_still_there", "stat /proc/meminfo: %s, mode %o",
          strerror(errno), st.st_mode);
    check(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode), "kernfiles.devnull_still_there",
          "stat /dev/null: %s", strerror(errno));
    char buf[64];
    check(read_file("/proc/meminfo", buf, sizeof buf) > 0 && strncmp(buf, "MemTotal:", 9) == 0,
          "kernfiles.meminfo_reads", "read /proc/meminfo gave \"%.20s\"", buf);
}

int main(void)
{
    char scratch[256];
    snprintf(scratch, sizeof scratch, "%s", scratch_path(tname("kernfiles.%d", (int)getpid())));
    long before = memfree_start();
    int st = run_child(kernfiles, scratch);
    check(st == 0, "kernfiles.child", "the child that tried everything %s", status_str(st));
    memfree_check("kernfiles.memfree", before);
    return test_status();
}
