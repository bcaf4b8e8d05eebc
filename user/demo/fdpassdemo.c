// fdpassdemo: an open file description handed to another process with
// SCM_RIGHTS (docs/sockets.md). The parent opens a file and reads its first
// 8 bytes (its offset is then 8), and sends the descriptor through a socket
// to its child, which closed its own copy first: all the child has of the
// file is what arrives. The child finds the offset at 8 and reads on; the
// parent then finds its own offset moved by the child's read: one
// description, two processes. Run it on bunshin with
// make qemu-nox ARGS='init=/demo/fdpassdemo' (a path argument picks
// another file than /etc/motd).
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

// Show a descriptor as /proc sees it, with its offset and inode.
static void show(const char *who, int fd)
{
    char path[32], link[128] = { 0 };
    struct stat st;
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    readlink(path, link, sizeof link - 1);
    fstat(fd, &st);
    dprintf(1, "%-7s fd %d -> %s (inode %lu), offset %ld\n", who, fd, link,
            (unsigned long)st.st_ino, (long)lseek(fd, 0, SEEK_CUR));
}

static void child(int sock)
{
    char data[8], ctl[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { data, sizeof data };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                        .msg_controllen = sizeof ctl };
    if (recvmsg(sock, &m, 0) < 0 || !CMSG_FIRSTHDR(&m)) {
        dprintf(1, "child: nothing received\n");
        _exit(1);
    }
    int fd;
    memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof fd);
    show("child", fd);
    char buf[9] = { 0 };
    long n = read(fd, buf, 8);
    dprintf(1, "child   read %ld bytes: \"%s\"\n", n, buf);
    show("child", fd);
    _exit(0);
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/etc/motd";
    int sv[2];
    int fd = open(path, O_RDONLY);
    if (fd < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
        dprintf(2, "fdpassdemo: %s: cannot open it, or no sockets\n", path);
        return 1;
    }
    char buf[9] = { 0 };
    read(fd, buf, 8);
    dprintf(1, "parent  read 8 bytes: \"%s\"\n", buf);
    show("parent", fd);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd);                 // only what arrives connects us to the file
        close(sv[0]);
        child(sv[1]);
    }
    close(sv[1]);
    // One byte of data, and the descriptor as a control message.
    char ctl[CMSG_SPACE(sizeof(int))];
    memset(ctl, 0, sizeof ctl);
    struct iovec iov = { "F", 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                        .msg_controllen = sizeof ctl };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    sendmsg(sv[0], &m, 0);
    waitpid(pid, 0, 0);
    show("parent", fd);
    return 0;
}
