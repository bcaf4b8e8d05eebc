// clonedemo: fork, vfork, posix_spawn and pthread_create, one after the
// other, to see the clone flags each one passes: docs/fork.md follows it
// with gdb, and make qemu-nox ARGS='trace=syscalls init=/demo/clonedemo'
// shows them (on Linux: strace -f build/user/demo/clonedemo).
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void *thread_main(void *arg)
{
    return arg;
}

int main(void)
{
    pid_t pid;
    void *ret;
    char *argv[] = { "true", NULL }, *envp[] = { NULL };
    pthread_t t;

    if ((pid = fork()) == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    if ((pid = vfork()) == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    posix_spawn(&pid, "/bin/true", NULL, NULL, argv, envp);
    waitpid(pid, NULL, 0);
    pthread_create(&t, NULL, thread_main, (void *)42);
    pthread_join(t, &ret);
    dprintf(1, "joined: %ld\n", (long)ret);
    return 0;
}
