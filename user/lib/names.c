// names.c: symbolic names for errno values and signals, for test messages.
// "expected ENOEXEC, got EIO" reads better than "expected 8, got 5".
#include <errno.h>
#include <signal.h>
#include <stdio.h>

#include "bunshin.h"

#define N(x) [x] = #x

static const char *const errnames[] = {
    N(EPERM), N(ENOENT), N(ESRCH), N(EINTR), N(EIO), N(ENXIO), N(E2BIG),
    N(ENOEXEC), N(EBADF), N(ECHILD), N(EAGAIN), N(ENOMEM), N(EACCES),
    N(EFAULT), N(ENOTBLK), N(EBUSY), N(EEXIST), N(EXDEV), N(ENODEV),
    N(ENOTDIR), N(EISDIR), N(EINVAL), N(ENFILE), N(EMFILE), N(ENOTTY),
    N(ETXTBSY), N(EFBIG), N(ENOSPC), N(ESPIPE), N(EROFS), N(EMLINK),
    N(EPIPE), N(EDOM), N(ERANGE), N(EDEADLK), N(ENAMETOOLONG), N(ENOLCK),
    N(ENOSYS), N(ENOTEMPTY), N(ELOOP), N(ENOMSG), N(EIDRM), N(EOVERFLOW), N(ELIBBAD),
    N(EOPNOTSUPP), N(ENOTSOCK), N(EDESTADDRREQ), N(EMSGSIZE), N(EPROTOTYPE), N(ENOPROTOOPT),
    N(EPROTONOSUPPORT), N(ESOCKTNOSUPPORT), N(EAFNOSUPPORT), N(EADDRINUSE),
    N(ECONNRESET), N(ENOBUFS), N(EISCONN), N(ENOTCONN), N(ETOOMANYREFS),
    N(ECONNREFUSED),
};

static const char *const signames[] = {
    N(SIGHUP), N(SIGINT), N(SIGQUIT), N(SIGILL), N(SIGTRAP), N(SIGABRT),
    N(SIGBUS), N(SIGFPE), N(SIGKILL), N(SIGUSR1), N(SIGSEGV), N(SIGUSR2),
    N(SIGPIPE), N(SIGALRM), N(SIGTERM), N(SIGSTKFLT), N(SIGCHLD), N(SIGCONT),
    N(SIGSTOP), N(SIGTSTP), N(SIGTTIN), N(SIGTTOU), N(SIGURG), N(SIGXCPU),
    N(SIGXFSZ), N(SIGVTALRM), N(SIGPROF), N(SIGWINCH), N(SIGIO), N(SIGPWR),
    N(SIGSYS),
};

const char *errname(int err)
{
    static char buf[4][24];
    static int next;
    if (err >= 0 && err < (int)(sizeof errnames / sizeof errnames[0]) && errnames[err])
        return errnames[err];
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "errno %d", err);
    return b;
}

const char *signame(int sig)
{
    static char buf[4][24];
    static int next;
    if (sig > 0 && sig < (int)(sizeof signames / sizeof signames[0]) && signames[sig])
        return signames[sig];
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "signal %d", sig);
    return b;
}
