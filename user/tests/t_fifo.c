// t_fifo: named pipes (mkfifo, mknod). A FIFO is a name for a pipe: an open
// for reading waits for a writer and one for writing waits for a reader
// (with O_NONBLOCK the reader does not wait, the writer fails with ENXIO),
// O_RDWR never waits; bytes pass as through a pipe, the reader sees end of
// file when the writers have gone, and what is left unread when every end
// has closed is dropped. A signal ends a waiting open (EINTR without
// SA_RESTART). mknod and mknodat make FIFOs and regular files; a directory is EPERM,
// an unknown type EINVAL, a device EPERM for a user that is not root.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "bunshin.h"

#define LONE_UID 54321

static void on_alarm(int sig)
{
    (void)sig;
}

// A child that opens path for writing (waiting for the parent's reader),
// writes "hello" and exits.
static void writer_child(void *path)
{
    int fd = open(path, O_WRONLY);
    _exit(fd >= 0 && write(fd, "hello", 5) == 5 ? 0 : 1);
}

// As user LONE_UID: a device node is EPERM.
static void child_mknod_dev(void *path)
{
    if (setresgid(LONE_UID, LONE_UID, LONE_UID) != 0 || setresuid(LONE_UID, LONE_UID, LONE_UID) != 0)
        _exit(10);
    _exit(mknod(path, S_IFCHR | 0600, makedev(1, 3)) == -1 && errno == EPERM ? 0 : 1);
}

int main(void)
{
    long before = memfree_start();
    umask(022);
    const char *f = scratch_path("fifo.f");
    unlink(f);
    check_eq("fifo.mkfifo", 0, mkfifo(f, 0666));
    struct stat st;
    check(stat(f, &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 07777) == 0644 &&
              st.st_size == 0, "fifo.stat", "mode %#o size %lld", (unsigned)st.st_mode,
          (long long)st.st_size);
    check_errno("fifo.eexist", mkfifo(f, 0600), EEXIST);

    // O_NONBLOCK: a reader opens at once and reads end of file; a writer
    // with no reader is ENXIO.
    int r = open(f, O_RDONLY | O_NONBLOCK);
    char buf[16];
    check(r >= 0 && read(r, buf, sizeof buf) == 0, "fifo.nonblock_reader",
          "open O_RDONLY|O_NONBLOCK: %d (%s)", r, errname(errno));
    if (r >= 0)
        close(r);
    check_errno("fifo.nonblock_writer_enxio", open(f, O_WRONLY | O_NONBLOCK), ENXIO);

    // Blocking opens meet: the child's writer waits for this reader.
    pid_t c = xfork();
    if (c == 0)
        writer_child((void *)f);
    r = open(f, O_RDONLY);
    memset(buf, 0, sizeof buf);
    ssize_t n = r >= 0 ? read_full(r, buf, sizeof buf) : -1;
    check(n == 5 && memcmp(buf, "hello", 5) == 0, "fifo.pass", "read %zd \"%s\"", n, buf);
    check_eq("fifo.writer_status", 0, wait_for(c));
    check_eq("fifo.eof", 0, r >= 0 ? read(r, buf, sizeof buf) : -1);
    if (r >= 0)
        close(r);

    // O_RDWR waits for nobody; bytes left when the last end closes go.
    int rw = open(f, O_RDWR);
    check(rw >= 0 && write(rw, "xy", 2) == 2 && read(rw, buf, 1) == 1 && buf[0] == 'x',
          "fifo.rdwr", "O_RDWR: %d (%s)", rw, errname(errno));
    if (rw >= 0)
        close(rw);
    rw = open(f, O_RDWR | O_NONBLOCK);
    check_errno("fifo.dropped_at_close", rw >= 0 ? read(rw, buf, sizeof buf) : -1, EAGAIN);
    if (rw >= 0)
        close(rw);

    // A signal ends a waiting open.
    struct sigaction sa = { .sa_handler = on_alarm };
    sigaction(SIGALRM, &sa, 0);
    alarm(1);
    long t0 = mono_ns() / 1000000;
    errno = 0;
    int w = open(f, O_WRONLY);
    long waited = mono_ns() / 1000000 - t0;
    check(w == -1 && errno == EINTR && waited >= 500, "fifo.open_interrupted",
          "open for writing with no reader: %d (%s) after %ld ms", w, errname(errno), waited);
    alarm(0);
    if (w >= 0)
        close(w);

    // unlink while open: the pipe goes on.
    rw = open(f, O_RDWR);
    check(rw >= 0 && unlink(f) == 0 && write(rw, "z", 1) == 1 && read(rw, buf, 1) == 1 &&
              buf[0] == 'z', "fifo.unlinked_open", "%s", errname(errno));
    if (rw >= 0)
        close(rw);

    // mknod: a FIFO, a regular file (no type), and what it refuses.
    const char *m = scratch_path("fifo.m");
    unlink(m);
    check(mknod(m, S_IFIFO | 0600, 0) == 0 && stat(m, &st) == 0 && S_ISFIFO(st.st_mode),
          "fifo.mknod_fifo", "%s", errname(errno));
    unlink(m);
    check(syscall(SYS_mknodat, AT_FDCWD, m, S_IFIFO | 0600, 0) == 0 && stat(m, &st) == 0 &&
              S_ISFIFO(st.st_mode), "fifo.mknodat", "%s", errname(errno));
    unlink(m);
    check(mknod(m, 0600, 0) == 0 && stat(m, &st) == 0 && S_ISREG(st.st_mode) &&
              (st.st_mode & 07777) == 0600, "fifo.mknod_regular", "%s, mode %#o", errname(errno),
          (unsigned)st.st_mode);
    unlink(m);
    check_errno("fifo.mknod_dir", mknod(m, S_IFDIR | 0700, 0), EPERM);
    check_errno("fifo.mknod_bad_type", mknod(m, 0170000 | 0600, 0), EINVAL);
    check_errno("fifo.mknod_enoent", mknod(scratch_path("no/such/dir"), S_IFIFO | 0600, 0), ENOENT);
    // (In /tmp, where the user may make names: else EACCES comes first.)
    char dev[64];
    snprintf(dev, sizeof dev, "/tmp/t_fifo.dev.%d", (int)getpid());
    if (!on_bunshin() && geteuid() != 0)
        skip("fifo.mknod_device_user", "changing ids takes root on Linux");
    else
        check_eq("fifo.mknod_device_user", 0, run_child(child_mknod_dev, (void *)dev));
    unlink(m);
    memfree_check("fifo.memfree", before);
    return test_status();
}
