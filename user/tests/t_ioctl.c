// t_ioctl: the ioctl requests every kind of file answers alike, as Linux's
// do_vfs_ioctl does before a file's own: FIOCLEX and FIONCLEX (the
// descriptor's close-on-exec flag, as F_SETFD sets it), FIONBIO (the open
// file's O_NONBLOCK, as F_SETFL sets it), FIONREAD on a regular file (the
// bytes after the offset) and on a pipe (the bytes waiting); a request a
// file does not know is ENOTTY, a closed descriptor EBADF, a bad pointer
// EFAULT.
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "bunshin.h"

int main(void)
{
    int p[2];
    if (pipe(p) < 0) {
        fail("ioctl.pipe", "pipe: %s", errname(errno));
        return 1;
    }
    check_eq("ioctl.fioclex", 0, ioctl(p[0], FIOCLEX));
    check_eq("ioctl.fioclex_getfd", FD_CLOEXEC, fcntl(p[0], F_GETFD));
    check_eq("ioctl.fionclex", 0, ioctl(p[0], FIONCLEX));
    check_eq("ioctl.fionclex_getfd", 0, fcntl(p[0], F_GETFD));

    int on = 1, off = 0, n = -1;
    check_eq("ioctl.fionbio_on", 0, ioctl(p[0], FIONBIO, &on));
    check((fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0, "ioctl.fionbio_getfl", "F_GETFL %#x",
          fcntl(p[0], F_GETFL));
    char c;
    check_errno("ioctl.fionbio_read", read(p[0], &c, 1), EAGAIN);
    check_eq("ioctl.fionbio_off", 0, ioctl(p[0], FIONBIO, &off));
    check_eq("ioctl.fionbio_off_getfl", 0, fcntl(p[0], F_GETFL) & O_NONBLOCK);
    check_errno("ioctl.fionbio_efault", ioctl(p[0], FIONBIO, (int *)8), EFAULT);

    check_eq("ioctl.fionread_empty", 0, (ioctl(p[0], FIONREAD, &n), n));
    write(p[1], "hello", 5);
    check_eq("ioctl.fionread_pipe", 5, (ioctl(p[0], FIONREAD, &n), n));
    check_eq("ioctl.fionread_write_end", 5, (ioctl(p[1], FIONREAD, &n), n));
    struct termios t;
    check_errno("ioctl.tcgets_pipe", ioctl(p[0], TCGETS, &t), ENOTTY);

    const char *path = scratch_path("t_ioctl.file");
    int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (check(f >= 0, "ioctl.file_open", "open %s: %s", path, errname(errno))) {
        write(f, "0123456789", 10);
        lseek(f, 3, SEEK_SET);
        n = -1;
        check_eq("ioctl.fionread_file", 7, (ioctl(f, FIONREAD, &n), n));
        lseek(f, 20, SEEK_SET);
        n = -1;
        // Past the end: size minus offset, negative (Linux does not clamp).
        check_eq("ioctl.fionread_file_past_end", -10, (ioctl(f, FIONREAD, &n), n));
        check_errno("ioctl.fionread_file_efault", ioctl(f, FIONREAD, (int *)8), EFAULT);
        check_errno("ioctl.tcgets_file", ioctl(f, TCGETS, &t), ENOTTY);
        close(f);
        unlink(path);
    }
    close(p[0]);
    check_errno("ioctl.closed_fd", ioctl(p[0], FIONREAD, &n), EBADF);
    close(p[1]);
    return test_status();
}
