// libc_probe: an exec target for t_libc_proc. It writes one line on stdout
// describing the process it runs as, which the test compares:
//   cwd=DIR pgrp=self|other mask_usr2=0|1 usr1=dfl|ign|handled fd3=open|closed
//   euid_is_uid=0|1 env=VALUE-of-LIBC_PROBE stdin=FIRST-LINE-OF-STDIN
// With the argument "exit N" it only exits with status N.
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "exit") == 0)
        return atoi(argv[2]);
    char cwd[256] = "?";
    if (!getcwd(cwd, sizeof cwd))
        strcpy(cwd, "?");
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    const char *usr1 = sa.sa_handler == SIG_DFL ? "dfl" :
                       sa.sa_handler == SIG_IGN ? "ign" : "handled";
    const char *env = getenv("LIBC_PROBE");
    char in[64] = "";
    ssize_t n = read(0, in, sizeof in - 1);
    if (n > 0) {
        in[n] = 0;
        in[strcspn(in, "\n")] = 0;
    }
    printf("cwd=%s pgrp=%s mask_usr2=%d usr1=%s fd3=%s euid_is_uid=%d env=%s stdin=%s\n",
           cwd, getpgrp() == getpid() ? "self" : "other", sigismember(&mask, SIGUSR2),
           usr1, fcntl(3, F_GETFD) >= 0 ? "open" : "closed", geteuid() == getuid(),
           env ? env : "(none)", in);
    return 0;
}
