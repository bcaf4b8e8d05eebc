// tcpdemo: a TCP connection over 127.0.0.1, step by step (docs/sockets.md,
// "TCP and UDP on the loopback"). The parent listens on a port the kernel
// picks; its child connects and sends a line, then closes. The parent
// accepts, shows both ends' names, reads the line and then end of file;
// its next write still succeeds (on Linux its bytes go out and the peer's
// reset comes back), and the one after fails with EPIPE. Run it on bunshin
// with make qemu-nox ARGS='init=/demo/tcpdemo', or on Linux as it is.
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *name(struct sockaddr_in a)
{
    static char buf[2][32];
    static int which;
    char *b = buf[which++ % 2];
    snprintf(b, 32, "%s:%u", inet_ntoa(a.sin_addr), ntohs(a.sin_port));
    return b;
}

static struct sockaddr_in own(int fd, int peer)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    memset(&a, 0, sizeof a);
    if (peer)
        getpeername(fd, (struct sockaddr *)&a, &len);
    else
        getsockname(fd, (struct sockaddr *)&a, &len);
    return a;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);                    // EPIPE without being killed
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 4) < 0) {
        perror("tcpdemo: listen");
        return 1;
    }
    a = own(l, 0);
    printf("server: listening on %s (port 0 asked: the kernel chose)\n", name(a));
    fflush(stdout);

    pid_t pid = fork();
    if (pid == 0) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) {
            perror("client: connect");
            _exit(1);
        }
        printf("client: connected from %s to %s\n", name(own(c, 0)), name(own(c, 1)));
        fflush(stdout);
        write(c, "hello over TCP\n", 15);
        close(c);
        _exit(0);
    }
    int s = accept(l, 0, 0);
    printf("server: accepted %s <- %s\n", name(own(s, 0)), name(own(s, 1)));
    char buf[64];
    ssize_t n = read(s, buf, sizeof buf);
    printf("server: read %zd bytes: %.*s", n, (int)(n > 0 ? n : 0), buf);
    waitpid(pid, 0, 0);
    printf("server: read again: %zd (end of file: the client closed)\n", read(s, buf, sizeof buf));
    n = write(s, "anyone?", 7);
    printf("server: write after the close: %zd\n", n);
    n = write(s, "anyone?", 7);
    printf("server: and again: %zd (%s)\n", n, n < 0 ? strerror(errno) : "?");
    close(s);
    close(l);
    return 0;
}
