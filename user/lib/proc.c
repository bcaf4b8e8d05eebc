// proc.c: forking helpers for tests. A check that may crash or replace
// the process image runs in a child, so the test itself always survives.
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

pid_t xfork(void)
{
    // Anything still in stdio's buffers would be written twice otherwise.
    fflush(NULL);
    return fork();
}

int run_child(void (*fn)(void *), void *arg)
{
    pid_t pid = xfork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        fn(arg);
        fflush(NULL);
        _exit(0);
    }
    int st;
    pid_t r;
    while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
        ;
    return r == pid ? st : -1;
}
