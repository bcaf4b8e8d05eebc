// t_libc_thread: musl's thread functions, where they lean on the kernel.
//
//   - pthread_cancel, deferred, of a thread blocked in read on a pipe, in
//     sem_wait, pthread_cond_wait, nanosleep, sleep, accept, recv, sigwait,
//     pause, pthread_join, the open of a FIFO, sem_timedwait,
//     pthread_cond_timedwait, poll, select, waitpid, msgrcv, a write to a
//     full pipe, fcntl F_SETLKW and sigsuspend: musl sends SIGCANCEL (33) and its handler
//     reads the interrupted eip from the signal frame's ucontext, so the
//     frame must be Linux's to the byte; the cleanup handler runs, and the
//     join sees PTHREAD_CANCELED;
//   - asynchronous cancel of a thread spinning in user code;
//   - cancel while disabled waits until it is enabled again (testcancel);
//   - pthread_once whose init routine is cancelled runs again next time;
//   - thread-specific data destructors run at thread exit with the value;
//   - pthread_cond_timedwait times out (ETIMEDOUT), on CLOCK_REALTIME and
//     on a CLOCK_MONOTONIC condattr, after no less than the time asked;
//   - rwlock: trywrlock EBUSY while read-held, timedwrlock ETIMEDOUT;
//   - mutex types: errorcheck (EDEADLK, EPERM), recursive counts; trylock
//     EBUSY and timedlock ETIMEDOUT from another thread;
//   - robust mutexes: the owner thread exits holding it -> EOWNERDEAD,
//     pthread_mutex_consistent, then without it ENOTRECOVERABLE; a robust
//     mutex in shared memory whose owner process dies;
//   - PTHREAD_PRIO_INHERIT mutexes, normal, errorcheck and recursive, also
//     robust: trylock EBUSY and timedlock ETIMEDOUT from another thread,
//     EPERM unlocks, and an owner that dies while another thread waits in
//     FUTEX_LOCK_PI: the waiter gets EOWNERDEAD;
//   - eight threads pass a token with one condition variable and
//     broadcasts (musl requeues waiters); a barrier's serial thread;
//   - sem_init/sem_timedwait/sem_trywait; sem_open/sem_close/sem_unlink
//     (files of /dev/shm), shared across fork;
//   - TLS: initial values and an aligned(64) variable in every thread;
//   - pthread_attr_setstacksize / setguardsize are honoured (a thread can
//     use its big stack), pthread_getattr_np reads them back;
//   - 200 threads created and joined, 40 at a time; detached threads;
//   - pthread_atfork handlers run in order; errno is per thread;
//   - pthread_exit from main while another thread runs: the process goes on
//     until that thread calls exit(7), the status the parent sees. (Not the
//     last thread returning: musl then waits for the main thread's tid word,
//     which never clears, on Linux too.)
// On bunshin, MemFree is back where it started at the end.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

// --- cancellation of a thread blocked in a call ------------------------------

enum blocker { B_READ, B_SEM, B_COND, B_NANOSLEEP, B_SLEEP, B_ACCEPT, B_RECV,
               B_SIGWAIT, B_PAUSE, B_JOIN, B_FIFO_OPEN, B_SEM_TIMED, B_COND_TIMED,
               B_POLL, B_SELECT, B_WAITPID, B_MSGRCV, B_WRITE_FULL, B_LOCKW, B_SIGSUSPEND,
               B_COUNT };
static const char *blocker_name[B_COUNT] = {
    "read", "sem_wait", "cond_wait", "nanosleep", "sleep", "accept", "recv",
    "sigwait", "pause", "join", "fifo_open", "sem_timedwait", "cond_timedwait", "poll",
    "select", "waitpid", "msgrcv", "write_full", "fcntl_setlkw", "sigsuspend"
};

struct block_job {
    enum blocker kind;
    int fd;                     // the pipe's read end, the socket
    sem_t sem;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t other;            // B_JOIN: a thread that never ends by itself
    pid_t child;                // B_WAITPID, B_LOCKW: a child that waits to be killed
    int q;                      // B_MSGRCV: a message queue
    char path[128];             // B_FIFO_OPEN, B_LOCKW
    volatile int started;
    volatile int cleaned;
    volatile int returned;      // the call came back (it must not)
};

static void cleanup_mark(void *arg)
{
    struct block_job *j = arg;
    if (j->kind == B_COND || j->kind == B_COND_TIMED)
        pthread_mutex_unlock(&j->mu);   // cond_wait re-took it before cleanup
    j->cleaned = 1;
}

static void *never_ending(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

static void *blocked_thread(void *arg)
{
    struct block_job *j = arg;
    char c;
    pthread_cleanup_push(cleanup_mark, j);
    if (j->kind == B_COND)
        pthread_mutex_lock(&j->mu);
    j->started = 1;
    switch (j->kind) {
    case B_READ: read(j->fd, &c, 1); break;
    case B_SEM: sem_wait(&j->sem); break;
    case B_COND: pthread_cond_wait(&j->cv, &j->mu); break;
    case B_NANOSLEEP: {
        struct timespec ts = { 30, 0 };
        nanosleep(&ts, NULL);
        break;
    }
    case B_SLEEP: sleep(30); break;
    case B_ACCEPT: accept(j->fd, NULL, NULL); break;
    case B_RECV: recv(j->fd, &c, 1, 0); break;
    case B_SIGWAIT: {
        sigset_t set;
        int sig;
        sigemptyset(&set);
        sigaddset(&set, SIGUSR2);
        sigwait(&set, &sig);
        break;
    }
    case B_PAUSE: pause(); break;
    case B_JOIN: pthread_join(j->other, NULL); break;
    case B_FIFO_OPEN: open(j->path, O_RDONLY); break;      // no writer: waits
    case B_SEM_TIMED: {
        struct timespec ts = { time(NULL) + 30, 0 };
        sem_timedwait(&j->sem, &ts);
        break;
    }
    case B_COND_TIMED: {
        struct timespec ts = { time(NULL) + 30, 0 };
        pthread_cond_timedwait(&j->cv, &j->mu, &ts);
        break;
    }
    case B_POLL: {
        struct pollfd pf = { .fd = j->fd, .events = POLLIN };
        poll(&pf, 1, 30000);
        break;
    }
    case B_SELECT: {
        fd_set rs;
        FD_ZERO(&rs);
        FD_SET(j->fd, &rs);
        struct timeval tv = { 30, 0 };
        select(j->fd + 1, &rs, NULL, NULL, &tv);
        break;
    }
    case B_WAITPID: waitpid(j->child, NULL, 0); break;
    case B_MSGRCV: {
        struct { long type; char text[8]; } m;
        msgrcv(j->q, &m, sizeof m.text, 0, 0);
        break;
    }
    case B_WRITE_FULL: {
        static char chunk[4096];
        for (;;)
            write(j->fd, chunk, sizeof chunk);      // blocks once the pipe is full
    }
    case B_LOCKW: {
        int fd = open(j->path, O_RDWR);
        struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
        fcntl(fd, F_SETLKW, &fl);                   // the child holds it
        break;
    }
    case B_SIGSUSPEND: {
        sigset_t none;
        sigemptyset(&none);
        sigaddset(&none, SIGUSR2);
        sigsuspend(&none);
        break;
    }
    default: break;
    }
    j->returned = 1;
    pthread_cleanup_pop(0);
    return NULL;
}

static void cancel_blocked(enum blocker kind)
{
    const char *n = blocker_name[kind];
    struct block_job j;
    memset(&j, 0, sizeof j);
    j.kind = kind;
    int pfd[2] = { -1, -1 }, sv[2] = { -1, -1 };
    if (kind == B_READ) {
        if (pipe(pfd) != 0) {
            fail(tname("cancel.%s", n), "pipe: %s", errname(errno));
            return;
        }
        j.fd = pfd[0];
    }
    if (kind == B_SEM)
        sem_init(&j.sem, 0, 0);
    if (kind == B_COND) {
        pthread_mutex_init(&j.mu, NULL);
        pthread_cond_init(&j.cv, NULL);
    }
    if (kind == B_ACCEPT) {
        j.fd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un a = { .sun_family = AF_UNIX };
        snprintf(a.sun_path, sizeof a.sun_path, "%s", scratch_path("cancel.sock"));
        unlink(a.sun_path);
        if (j.fd < 0 || bind(j.fd, (struct sockaddr *)&a, sizeof a) != 0 ||
            listen(j.fd, 1) != 0) {
            fail(tname("cancel.%s", n), "socket: %s", errname(errno));
            return;
        }
    }
    if (kind == B_RECV) {
        socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
        j.fd = sv[0];
    }
    if (kind == B_JOIN)
        pthread_create(&j.other, NULL, never_ending, NULL);
    if (kind == B_SEM_TIMED)
        sem_init(&j.sem, 0, 0);
    if (kind == B_COND_TIMED) {
        pthread_mutex_init(&j.mu, NULL);
        pthread_cond_init(&j.cv, NULL);
    }
    if (kind == B_POLL || kind == B_SELECT || kind == B_WRITE_FULL) {
        if (pipe(pfd) != 0) {
            fail(tname("cancel.%s", n), "pipe: %s", errname(errno));
            return;
        }
        j.fd = kind == B_WRITE_FULL ? pfd[1] : pfd[0];
    }
    if (kind == B_FIFO_OPEN) {
        snprintf(j.path, sizeof j.path, "%s", scratch_path("cancel.fifo"));
        unlink(j.path);
        mkfifo(j.path, 0600);
    }
    if (kind == B_WAITPID || kind == B_LOCKW) {
        snprintf(j.path, sizeof j.path, "%s", scratch_path("cancel.lock"));
        int fd = open(j.path, O_RDWR | O_CREAT | O_TRUNC, 0600);
        int ready[2];
        pipe(ready);
        j.child = xfork();
        if (j.child == 0) {
            struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
            fcntl(fd, F_SETLK, &fl);
            write(ready[1], "r", 1);
            for (;;)
                pause();
        }
        char c;
        read(ready[0], &c, 1);
        close(ready[0]);
        close(ready[1]);
        close(fd);
    }
    if (kind == B_MSGRCV)
        j.q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    pthread_t t;
    if (pthread_create(&t, NULL, blocked_thread, &j) != 0) {
        fail(tname("cancel.%s", n), "pthread_create failed");
        return;
    }
    while (!j.started)
        sched_yield();
    sleep_ms(30);               // let it block in the call
    int rc = pthread_cancel(t);
    void *res = NULL;
    int jr = pthread_join(t, &res);
    if (check(rc == 0 && jr == 0 && res == PTHREAD_CANCELED && j.cleaned &&
              !j.returned, tname("cancel.%s", n),
              "cancel %d join %d res %p cleaned %d returned %d", rc, jr, res,
              j.cleaned, j.returned)) {
    }
    if (kind == B_READ) {
        close(pfd[0]);
        close(pfd[1]);
    }
    if (kind == B_SEM)
        sem_destroy(&j.sem);
    if (kind == B_ACCEPT) {
        close(j.fd);
        unlink(scratch_path("cancel.sock"));
    }
    if (kind == B_RECV) {
        close(sv[0]);
        close(sv[1]);
    }
    if (kind == B_JOIN) {
        pthread_cancel(j.other);
        pthread_join(j.other, NULL);
    }
    if (kind == B_SEM_TIMED)
        sem_destroy(&j.sem);
    if (kind == B_POLL || kind == B_SELECT || kind == B_WRITE_FULL) {
        close(pfd[0]);
        close(pfd[1]);
    }
    if (kind == B_FIFO_OPEN || kind == B_LOCKW || kind == B_WAITPID)
        unlink(j.path);
    if (kind == B_WAITPID || kind == B_LOCKW) {
        kill(j.child, SIGKILL);
        waitpid(j.child, NULL, 0);
    }
    if (kind == B_MSGRCV)
        msgctl(j.q, IPC_RMID, NULL);
}

static void test_cancel_blocked(void)
{
    // sigwait needs SIGUSR2 blocked in the waiting thread: block it here,
    // threads inherit the mask.
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    for (int k = 0; k < B_COUNT; k++)
        cancel_blocked(k);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

// --- asynchronous cancel, disabled cancel ------------------------------------

static volatile unsigned long spins;

static void *async_spinner(void *arg)
{
    (void)arg;
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    for (;;)
        spins++;
    return NULL;
}

struct disabled_job {
    volatile int stage;
    volatile int after_enable;
};

static void *disabled_thread(void *arg)
{
    struct disabled_job *d = arg;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    d->stage = 1;
    while (d->stage != 2)       // the main thread cancels us meanwhile
        sched_yield();
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    int r = nanosleep(&ts, NULL);   // a cancellation point, but disabled
    d->stage = r == 0 ? 3 : 4;
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
    pthread_testcancel();
    d->after_enable = 1;
    return NULL;
}

static void test_cancel_modes(void)
{
    pthread_t t;
    void *res = NULL;
    spins = 0;
    pthread_create(&t, NULL, async_spinner, NULL);
    while (spins < 1000)
        sched_yield();
    pthread_cancel(t);
    pthread_join(t, &res);
    check(res == PTHREAD_CANCELED, "cancel.async", "join gave %p", res);

    struct disabled_job d = { 0, 0 };
    pthread_create(&t, NULL, disabled_thread, &d);
    while (d.stage != 1)
        sched_yield();
    pthread_cancel(t);
    d.stage = 2;
    pthread_join(t, &res);
    check(res == PTHREAD_CANCELED && d.stage == 3 && !d.after_enable,
          "cancel.disabled", "res %p stage %d after %d", res, d.stage,
          d.after_enable);
}

// --- pthread_once with cancel ------------------------------------------------

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int once_runs, once_in;

static void once_init(void)
{
    once_runs++;
    if (once_runs == 1) {
        once_in = 1;
        for (;;)
            pause();            // cancelled here the first time
    }
}

static void *once_thread(void *arg)
{
    (void)arg;
    pthread_once(&once, once_init);
    return NULL;
}

static void test_once_cancel(void)
{
    pthread_t t;
    void *res = NULL;
    pthread_create(&t, NULL, once_thread, NULL);
    while (!once_in)
        sched_yield();
    sleep_ms(10);
    pthread_cancel(t);
    pthread_join(t, &res);
    pthread_once(&once, once_init);     // must run the routine again
    pthread_once(&once, once_init);     // and not a third time
    check(res == PTHREAD_CANCELED && once_runs == 2, "once.cancel",
          "res %p runs %d", res, once_runs);
}

// --- thread-specific data ---------------------------------------------------

static pthread_key_t key;
static volatile int dtor_calls;
static void *volatile dtor_value;

static void key_dtor(void *v)
{
    dtor_calls++;
    dtor_value = v;
}

static void *tsd_thread(void *arg)
{
    pthread_setspecific(key, arg);
    return pthread_getspecific(key);
}

static void test_tsd(void)
{
    pthread_key_create(&key, key_dtor);
    pthread_t t;
    void *res = NULL;
    static int marker;
    pthread_create(&t, NULL, tsd_thread, &marker);
    pthread_join(t, &res);
    check(res == &marker && dtor_calls == 1 && dtor_value == &marker &&
          pthread_getspecific(key) == NULL, "tsd.destructor",
          "res ok %d calls %d value ok %d", res == &marker, dtor_calls,
          dtor_value == &marker);
    pthread_key_delete(key);
}

// --- condition variables with timeouts --------------------------------------

static long long clock_ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void deadline_in(clockid_t c, long ms, struct timespec *ts)
{
    long long ns = clock_ns(c) + ms * 1000000LL;
    ts->tv_sec = ns / 1000000000LL;
    ts->tv_nsec = ns % 1000000000LL;
}

static void test_cond_timeouts(void)
{
    clockid_t clocks[2] = { CLOCK_REALTIME, CLOCK_MONOTONIC };
    const char *names[2] = { "realtime", "monotonic" };
    for (int i = 0; i < 2; i++) {
        pthread_condattr_t ca;
        pthread_cond_t cv;
        pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
        pthread_condattr_init(&ca);
        int sr = pthread_condattr_setclock(&ca, clocks[i]);
        clockid_t back = -1;
        pthread_condattr_getclock(&ca, &back);
        pthread_cond_init(&cv, &ca);
        struct timespec ts;
        pthread_mutex_lock(&mu);
        long long t0 = clock_ns(CLOCK_MONOTONIC);
        deadline_in(clocks[i], 60, &ts);
        int r = pthread_cond_timedwait(&cv, &mu, &ts);
        long long took = (clock_ns(CLOCK_MONOTONIC) - t0) / 1000000;
        int owned = pthread_mutex_trylock(&mu);     // still ours: EBUSY (normal: EBUSY)
        pthread_mutex_unlock(&mu);
        check(sr == 0 && back == clocks[i] && r == ETIMEDOUT && took >= 59 &&
              took < 2000 && owned == EBUSY, tname("cond.timedwait_%s", names[i]),
              "setclock %d clock %d rc %d after %lld ms relock %d", sr, (int)back,
              r, took, owned);
        // A deadline already past times out at once.
        pthread_mutex_lock(&mu);
        ts.tv_sec = 0;
        ts.tv_nsec = 0;
        r = pthread_cond_timedwait(&cv, &mu, &ts);
        pthread_mutex_unlock(&mu);
        check_eq(tname("cond.past_deadline_%s", names[i]), ETIMEDOUT, r);
        // A bad tv_nsec is EINVAL.
        pthread_mutex_lock(&mu);
        ts.tv_nsec = 1000000000;
        r = pthread_cond_timedwait(&cv, &mu, &ts);
        pthread_mutex_unlock(&mu);
        check_eq(tname("cond.bad_nsec_%s", names[i]), EINVAL, r);
        pthread_cond_destroy(&cv);
        pthread_condattr_destroy(&ca);
    }
}

// A signal wakes one waiter, broadcast wakes all.
struct cond_job {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int go, woke, waiting;
};

static void *cond_waiter(void *arg)
{
    struct cond_job *c = arg;
    pthread_mutex_lock(&c->mu);
    c->waiting++;
    while (!c->go)
        pthread_cond_wait(&c->cv, &c->mu);
    c->go--;
    c->woke++;
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static void test_cond_broadcast(void)
{
    struct cond_job c = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0 };
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, cond_waiter, &c);
    for (;;) {
        pthread_mutex_lock(&c.mu);
        int w = c.waiting;
        pthread_mutex_unlock(&c.mu);
        if (w == 4)
            break;
        sched_yield();
    }
    pthread_mutex_lock(&c.mu);
    c.go = 1;
    pthread_cond_signal(&c.cv);
    pthread_mutex_unlock(&c.mu);
    sleep_ms(30);
    pthread_mutex_lock(&c.mu);
    int one = c.woke;
    c.go = 3;
    pthread_cond_broadcast(&c.cv);
    pthread_mutex_unlock(&c.mu);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    check(one == 1 && c.woke == 4, "cond.signal_broadcast", "after signal %d, at end %d",
          one, c.woke);
}

// --- rwlocks and mutexes, from another thread --------------------------------

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t mx = PTHREAD_MUTEX_INITIALIZER;
static int rw_try, rw_timed, rw_rd, mx_try, mx_timed;

static void *rw_other(void *arg)
{
    (void)arg;
    struct timespec ts;
    rw_try = pthread_rwlock_trywrlock(&rw);
    deadline_in(CLOCK_REALTIME, 40, &ts);
    rw_timed = pthread_rwlock_timedwrlock(&rw, &ts);
    rw_rd = pthread_rwlock_tryrdlock(&rw);
    if (rw_rd == 0)
        pthread_rwlock_unlock(&rw);
    mx_try = pthread_mutex_trylock(&mx);
    deadline_in(CLOCK_REALTIME, 40, &ts);
    mx_timed = pthread_mutex_timedlock(&mx, &ts);
    return NULL;
}

static void test_locks(void)
{
    pthread_rwlock_rdlock(&rw);
    pthread_mutex_lock(&mx);
    pthread_t t;
    pthread_create(&t, NULL, rw_other, NULL);
    pthread_join(t, NULL);
    pthread_rwlock_unlock(&rw);
    pthread_mutex_unlock(&mx);
    check(rw_try == EBUSY && rw_timed == ETIMEDOUT && rw_rd == 0, "rwlock.busy_timeout",
          "trywrlock %d timedwrlock %d tryrdlock %d", rw_try, rw_timed, rw_rd);
    check(mx_try == EBUSY && mx_timed == ETIMEDOUT, "mutex.busy_timeout",
          "trylock %d timedlock %d", mx_try, mx_timed);

    pthread_mutexattr_t a;
    pthread_mutex_t m;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&m, &a);
    int r1 = pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    int r2 = pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    check(r1 == EPERM && r2 == EDEADLK, "mutex.errorcheck", "unlock %d relock %d", r1, r2);
    pthread_mutex_destroy(&m);

    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&m, &a);
    int ok3 = pthread_mutex_lock(&m) == 0 && pthread_mutex_lock(&m) == 0 &&
              pthread_mutex_trylock(&m) == 0 && pthread_mutex_unlock(&m) == 0 &&
              pthread_mutex_unlock(&m) == 0 && pthread_mutex_unlock(&m) == 0;
    int r4 = pthread_mutex_unlock(&m);
    check(ok3 && r4 == EPERM, "mutex.recursive", "ok %d extra unlock %d", ok3, r4);
    pthread_mutex_destroy(&m);
    pthread_mutexattr_destroy(&a);
}

// --- robust and priority-inheritance mutexes ---------------------------------

static pthread_mutex_t robust;

static void *die_holding(void *arg)
{
    pthread_mutex_lock(arg);
    return NULL;                // exits with it held
}

static void test_robust(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &a);
    pthread_t t;
    pthread_create(&t, NULL, die_holding, &robust);
    pthread_join(t, NULL);
    int r1 = pthread_mutex_lock(&robust);
    int rc = pthread_mutex_consistent(&robust);
    pthread_mutex_unlock(&robust);
    int r2 = pthread_mutex_lock(&robust);     // consistent: plain lock
    pthread_mutex_unlock(&robust);
    check(r1 == EOWNERDEAD && rc == 0 && r2 == 0, "robust.thread_dies",
          "lock %d consistent %d relock %d", r1, rc, r2);

    pthread_create(&t, NULL, die_holding, &robust);
    pthread_join(t, NULL);
    r1 = pthread_mutex_lock(&robust);
    pthread_mutex_unlock(&robust);            // not made consistent
    r2 = pthread_mutex_lock(&robust);
    int r3 = pthread_mutex_trylock(&robust);
    check(r1 == EOWNERDEAD && r2 == ENOTRECOVERABLE && r3 == ENOTRECOVERABLE,
          "robust.notrecoverable", "lock %d then %d trylock %d", r1, r2, r3);
    pthread_mutex_destroy(&robust);

    // Shared between processes: the child process dies holding it.
    pthread_mutex_t *pm = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(pm, &a);
    pid_t pid = xfork();
    if (pid == 0) {
        pthread_mutex_lock(pm);
        _exit(0);
    }
    wait_for(pid);
    r1 = pthread_mutex_lock(pm);
    rc = pthread_mutex_consistent(pm);
    pthread_mutex_unlock(pm);
    check(r1 == EOWNERDEAD && rc == 0, "robust.process_dies", "lock %d consistent %d",
          r1, rc);
    munmap(pm, 4096);

    // Priority inheritance: contended by another thread.
    pthread_mutexattr_t pa;
    pthread_mutex_t pim;
    pthread_mutexattr_init(&pa);
    int pr = pthread_mutexattr_setprotocol(&pa, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&pim, &pa);
    pthread_mutex_lock(&pim);
    mx_try = -1;
    struct pi_arg { pthread_mutex_t *m; int rc; } arg = { &pim, -1 };
    void *pi_thread(void *p);
    pthread_create(&t, NULL, pi_thread, &arg);
    sleep_ms(30);
    pthread_mutex_unlock(&pim);
    pthread_join(t, NULL);
    int tr = pthread_mutex_trylock(&pim);
    if (tr == 0)
        pthread_mutex_unlock(&pim);
    check(pr == 0 && arg.rc == 0 && tr == 0, "mutex.prio_inherit",
          "setprotocol %d lock in thread %d trylock %d", pr, arg.rc, tr);
    pthread_mutex_destroy(&pim);
    pthread_mutexattr_destroy(&pa);
    pthread_mutexattr_destroy(&a);
}

void *pi_thread(void *p)
{
    struct pi_arg { pthread_mutex_t *m; int rc; } *a = p;
    a->rc = pthread_mutex_lock(a->m);
    if (a->rc == 0)
        pthread_mutex_unlock(a->m);
    return NULL;
}

// --- semaphores ---------------------------------------------------------------

static sem_t post_sem;

static void *sem_poster(void *arg)
{
    (void)arg;
    sleep_ms(30);
    sem_post(&post_sem);
    return NULL;
}

static void test_sem(void)
{
    sem_t s;
    sem_init(&s, 0, 1);
    int r1 = sem_trywait(&s);
    errno = 0;
    int r2 = sem_trywait(&s);
    int e2 = errno;
    struct timespec ts;
    deadline_in(CLOCK_REALTIME, 50, &ts);
    long long t0 = mono_ns();
    errno = 0;
    int r3 = sem_timedwait(&s, &ts);
    int e3 = errno;
    long long took = (mono_ns() - t0) / 1000000;
    check(r1 == 0 && r2 == -1 && e2 == EAGAIN && r3 == -1 && e3 == ETIMEDOUT &&
          took >= 49, "sem.trywait_timedwait",
          "try %d, then %d (%s), timed %d (%s) after %lld ms", r1, r2, errname(e2), r3,
          errname(e3), took);
    sem_destroy(&s);

    sem_init(&post_sem, 0, 0);
    pthread_t t;
    pthread_create(&t, NULL, sem_poster, NULL);
    deadline_in(CLOCK_REALTIME, 5000, &ts);
    int r4 = sem_timedwait(&post_sem, &ts);
    int v = -1;
    sem_getvalue(&post_sem, &v);
    pthread_join(t, NULL);
    check(r4 == 0 && v == 0, "sem.posted_by_thread", "timedwait %d value %d", r4, v);
    sem_destroy(&post_sem);

    // Named: a file of /dev/shm, shared by a forked child.
    char name[64];
    snprintf(name, sizeof name, "/t_libc_thread.%d", (int)getpid());
    sem_unlink(name);
    sem_t *ns = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
    if (ns == SEM_FAILED) {
        fail("sem.named", "sem_open: %s", errname(errno));
        return;
    }
    errno = 0;
    sem_t *dup = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
    int e_ex = errno;
    pid_t pid = xfork();
    if (pid == 0) {
        sem_t *c = sem_open(name, 0);
        if (c == SEM_FAILED)
            _exit(2);
        sem_post(c);
        sem_post(c);
        sem_close(c);
        _exit(0);
    }
    int st = wait_for(pid);
    int val = -1;
    sem_getvalue(ns, &val);
    int w = sem_wait(ns);
    sem_close(ns);
    int un = sem_unlink(name);
    errno = 0;
    sem_t *gone = sem_open(name, 0);
    int e_gone = errno;
    check(dup == SEM_FAILED && e_ex == EEXIST && exited_with(st, 0) && val == 2 &&
          w == 0 && un == 0 && gone == SEM_FAILED && e_gone == ENOENT, "sem.named",
          "excl %s, child %s, value %d, wait %d, unlink %d, reopen %s",
          errname(e_ex), status_str(st), val, w, un, errname(e_gone));
}

// --- TLS, stacks and many threads -------------------------------------------

static __thread int tls_init = 0x1234567;
static __thread char tls_zero[100];
static __thread int tls_aligned __attribute__((aligned(64))) = 77;

static void *tls_thread(void *arg)
{
    int bad = 0;
    if (tls_init != 0x1234567 || tls_aligned != 77 || ((uintptr_t)&tls_aligned & 63))
        bad |= 1;
    for (size_t i = 0; i < sizeof tls_zero; i++)
        if (tls_zero[i])
            bad |= 2;
    tls_init = (int)(intptr_t)arg;
    tls_zero[5] = 1;
    tls_aligned = 1;
    return (void *)(intptr_t)bad;
}

static void test_tls(void)
{
    tls_init = 5;
    tls_aligned = 9;
    pthread_t t[3];
    int bad = 0;
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, tls_thread, (void *)(intptr_t)i);
    for (int i = 0; i < 3; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad |= (int)(intptr_t)r;
    }
    check(bad == 0 && tls_init == 5 && tls_aligned == 9 && !((uintptr_t)&tls_aligned & 63),
          "tls.initial_aligned", "threads saw %#x, main %d %d", bad, tls_init,
          tls_aligned);
}

static void *stack_user(void *arg)
{
    size_t n = (size_t)arg;
    volatile char *buf = __builtin_alloca(n);
    for (size_t i = 0; i < n; i += 4096)
        buf[i] = (char)i;
    pthread_attr_t a;
    size_t sz = 0, guard = 0;
    pthread_getattr_np(pthread_self(), &a);
    pthread_attr_getstacksize(&a, &sz);
    pthread_attr_getguardsize(&a, &guard);
    pthread_attr_destroy(&a);
    return (void *)sz;
}

static void test_stacks(void)
{
    pthread_attr_t a;
    pthread_attr_init(&a);
    int r1 = pthread_attr_setstacksize(&a, 2 << 20);
    int r2 = pthread_attr_setguardsize(&a, 16384);
    size_t sz = 0, g = 0;
    pthread_attr_getstacksize(&a, &sz);
    pthread_attr_getguardsize(&a, &g);
    pthread_t t;
    void *res = NULL;
    int cr = pthread_create(&t, &a, stack_user, (void *)(size_t)(1536 << 10));
    if (cr == 0)
        pthread_join(t, &res);
    check(r1 == 0 && r2 == 0 && sz == (2 << 20) && g == 16384 && cr == 0 &&
          (size_t)res >= (size_t)(1536 << 10), "attr.stacksize",
          "set %d %d, read %zu %zu, create %d, thread saw %zu", r1, r2, sz, g, cr,
          (size_t)res);
    int r3 = pthread_attr_setstacksize(&a, 100);
    check_eq("attr.stacksize_too_small", EINVAL, r3);
    pthread_attr_destroy(&a);
}

static void *tiny(void *arg)
{
    return arg;
}

static void test_many(void)
{
    enum { TOTAL = 200, AT_ONCE = 40 };
    pthread_t t[AT_ONCE];
    int bad = 0, made = 0;
    for (int round = 0; round < TOTAL / AT_ONCE; round++) {
        int n = 0;
        for (int i = 0; i < AT_ONCE; i++)
            if (pthread_create(&t[n], NULL, tiny, (void *)(intptr_t)(i + 1)) == 0)
                n++;
        made += n;
        for (int i = 0; i < n; i++) {
            void *r;
            if (pthread_join(t[i], &r) != 0 || r != (void *)(intptr_t)(i + 1))
                bad++;
        }
    }
    check(made == TOTAL && bad == 0, "threads.many", "made %d of %d, %d bad joins", made,
          TOTAL, bad);

    // Detached threads: each posts a semaphore and goes away by itself.
    sem_t s;
    sem_init(&s, 0, 0);
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    int started = 0;
    void *poster(void *);
    for (int i = 0; i < 20; i++)
        if (pthread_create(&t[0], &a, poster, &s) == 0)
            started++;
    int got = 0;
    for (int i = 0; i < started; i++) {
        struct timespec ts;
        deadline_in(CLOCK_REALTIME, 5000, &ts);
        if (sem_timedwait(&s, &ts) == 0)
            got++;
    }
    sleep_ms(50);               // let the last ones finish exiting
    check(started == 20 && got == 20, "threads.detached", "started %d posted %d",
          started, got);
    pthread_attr_destroy(&a);
    sem_destroy(&s);
}

void *poster(void *arg)
{
    sem_post(arg);
    return NULL;
}

// --- atfork, errno ------------------------------------------------------------

static char atfork_log[16];
static int atfork_n;

static void af_prepare1(void) { atfork_log[atfork_n++] = 'p'; }
static void af_prepare2(void) { atfork_log[atfork_n++] = 'P'; }
static void af_parent1(void) { atfork_log[atfork_n++] = 'a'; }
static void af_parent2(void) { atfork_log[atfork_n++] = 'A'; }
static void af_child1(void) { atfork_log[atfork_n++] = 'c'; }
static void af_child2(void) { atfork_log[atfork_n++] = 'C'; }

static void *errno_thread(void *arg)
{
    (void)arg;
    errno = 0;
    close(-1);
    return (void *)(intptr_t)errno;
}

static void test_atfork_errno(void)
{
    pthread_atfork(af_prepare1, af_parent1, af_child1);
    pthread_atfork(af_prepare2, af_parent2, af_child2);
    int p[2];
    pipe(p);
    pid_t pid = xfork();
    if (pid == 0) {
        write(p[1], atfork_log, (size_t)atfork_n);
        _exit(0);
    }
    close(p[1]);
    char child[16] = "";
    ssize_t n = read(p[0], child, sizeof child - 1);
    if (n > 0)
        child[n] = 0;
    close(p[0]);
    wait_for(pid);
    atfork_log[atfork_n] = 0;
    // Prepare handlers run in reverse order, parent and child in order.
    check(strcmp(atfork_log, "Ppa" "A") == 0 && strcmp(child, "PpcC") == 0,
          "atfork.order", "parent \"%s\", child \"%s\"", atfork_log, child);

    errno = ENOENT;
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, errno_thread, NULL);
    pthread_join(t, &r);
    check((int)(intptr_t)r == EBADF && errno == ENOENT, "errno.per_thread",
          "thread %s, main %s", errname((int)(intptr_t)r), errname(errno));
}

// --- pthread_exit from main --------------------------------------------------

static void *late_writer(void *arg)
{
    sleep_ms(50);
    int fd = (int)(intptr_t)arg;
    write(fd, "x", 1);
    exit(7);                    // the process's status comes from here
}

static void main_exits(void *arg)
{
    (void)arg;
    int p[2];
    pipe(p);
    pthread_t t;
    pthread_create(&t, NULL, late_writer, (void *)(intptr_t)p[1]);
    pthread_exit(NULL);
}

static void test_main_exit(void)
{
    int st = run_child(main_exits, NULL);
    check(exited_with(st, 7), "main.pthread_exit_then_exit", "child %s", status_str(st));
}


// --- priority inheritance with the other mutex kinds; a smasher ---------------------

struct pi_job {
    pthread_mutex_t *m;
    int rc, rc2;
    volatile int holding;
    volatile int release;
};

static void *pi_die_holding(void *arg)
{
    struct pi_job *j = arg;
    j->rc = pthread_mutex_lock(j->m);
    j->holding = 1;
    while (!j->release)
        sleep_ms(1);
    return NULL;                // dies holding it
}

static void *pi_waiter(void *arg)
{
    struct pi_job *j = arg;
    j->rc2 = pthread_mutex_lock(j->m);     // blocked until the owner dies
    if (j->rc2 == EOWNERDEAD)
        pthread_mutex_consistent(j->m);
    pthread_mutex_unlock(j->m);
    return NULL;
}

static void *pi_try(void *arg)
{
    struct pi_job *j = arg;
    struct timespec ts;
    j->rc = pthread_mutex_trylock(j->m);
    deadline_in(CLOCK_REALTIME, 40, &ts);
    j->rc2 = pthread_mutex_timedlock(j->m, &ts);
    return NULL;
}

static void test_pi_kinds(void)
{
    static const int types[3] = { PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_ERRORCHECK,
                                  PTHREAD_MUTEX_RECURSIVE };
    static const char *names[3] = { "normal", "errorcheck", "recursive" };
    for (int i = 0; i < 3; i++) {
        pthread_mutexattr_t a;
        pthread_mutex_t m;
        pthread_mutexattr_init(&a);
        pthread_mutexattr_settype(&a, types[i]);
        pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
        pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
        pthread_mutex_init(&m, &a);
        // Held here: another thread's trylock is EBUSY, timedlock ETIMEDOUT.
        int l1 = pthread_mutex_lock(&m);
        int again = types[i] == PTHREAD_MUTEX_NORMAL ? -1 : pthread_mutex_trylock(&m);
        struct pi_job tj = { &m, -1, -1, 0, 0 };
        pthread_t t;
        pthread_create(&t, NULL, pi_try, &tj);
        pthread_join(t, NULL);
        if (again == 0)
            pthread_mutex_unlock(&m);
        int u1 = pthread_mutex_unlock(&m);
        int u2 = pthread_mutex_unlock(&m);    // not held: EPERM (normal robust too)
        int want_again = types[i] == PTHREAD_MUTEX_ERRORCHECK ? EBUSY :
                         types[i] == PTHREAD_MUTEX_RECURSIVE ? 0 : -1;
        check(l1 == 0 && again == want_again && tj.rc == EBUSY && tj.rc2 == ETIMEDOUT &&
              u1 == 0 && u2 == EPERM, tname("mutex.pi_%s", names[i]),
              "lock %d relock %d, other's trylock %d timedlock %d, unlock %d then %d", l1,
              again, tj.rc, tj.rc2, u1, u2);

        // The owner dies while another thread waits in FUTEX_LOCK_PI.
        struct pi_job dj = { &m, -1, -1, 0, 0 };
        pthread_t owner, waiter;
        pthread_create(&owner, NULL, pi_die_holding, &dj);
        while (!dj.holding)
            sched_yield();
        pthread_create(&waiter, NULL, pi_waiter, &dj);
        sleep_ms(30);
        dj.release = 1;
        pthread_join(owner, NULL);
        pthread_join(waiter, NULL);
        int after = pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
        check(dj.rc == 0 && dj.rc2 == EOWNERDEAD && after == 0,
              tname("robust.pi_%s_owner_dies", names[i]),
              "owner's lock %d, waiter got %d, lock after %d", dj.rc, dj.rc2, after);
        pthread_mutex_destroy(&m);
        pthread_mutexattr_destroy(&a);
    }
}

// Eight threads pass a token around with one mutex, one condition variable
// and broadcasts: every thread wakes for every broadcast (musl requeues the
// waiters onto the mutex).
enum { SMASH_THREADS = 8, SMASH_ROUNDS = 300 };
static pthread_mutex_t smash_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t smash_cv = PTHREAD_COND_INITIALIZER;
static int smash_turn, smash_done[SMASH_THREADS];

static void *smasher(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int r = 0; r < SMASH_ROUNDS; r++) {
        pthread_mutex_lock(&smash_mu);
        while (smash_turn % SMASH_THREADS != me)
            pthread_cond_wait(&smash_cv, &smash_mu);
        smash_turn++;
        smash_done[me]++;
        pthread_cond_broadcast(&smash_cv);
        pthread_mutex_unlock(&smash_mu);
    }
    return NULL;
}

static void test_smasher(void)
{
    pthread_t t[SMASH_THREADS];
    long long t0 = mono_ns();
    for (int i = 0; i < SMASH_THREADS; i++)
        pthread_create(&t[i], NULL, smasher, (void *)(intptr_t)i);
    for (int i = 0; i < SMASH_THREADS; i++)
        pthread_join(t[i], NULL);
    int bad = 0;
    for (int i = 0; i < SMASH_THREADS; i++)
        bad += smash_done[i] != SMASH_ROUNDS;
    check(smash_turn == SMASH_THREADS * SMASH_ROUNDS && bad == 0, "cond.smasher",
          "turns %d, %d threads short, %lld ms", smash_turn, bad, (mono_ns() - t0) / 1000000);

    pthread_barrier_t b;
    pthread_barrier_init(&b, NULL, 5);
    void *barrier_thread(void *);
    pthread_t bt[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&bt[i], NULL, barrier_thread, &b);
    int serial = 0;
    for (int r = 0; r < 50; r++)
        serial += pthread_barrier_wait(&b) == PTHREAD_BARRIER_SERIAL_THREAD;
    for (int i = 0; i < 4; i++) {
        void *res;
        pthread_join(bt[i], &res);
        serial += (int)(intptr_t)res;
    }
    pthread_barrier_destroy(&b);
    check_eq("barrier.serial_once_per_round", 50, serial);
}

void *barrier_thread(void *arg)
{
    int serial = 0;
    for (int r = 0; r < 50; r++)
        serial += pthread_barrier_wait(arg) == PTHREAD_BARRIER_SERIAL_THREAD;
    return (void *)(intptr_t)serial;
}

static void all_parts(void)
{
    test_cancel_blocked();
    test_cancel_modes();
    test_once_cancel();
    test_tsd();
    test_cond_timeouts();
    test_cond_broadcast();
    test_locks();
    test_robust();
    test_pi_kinds();
    test_smasher();
    test_sem();
    test_tls();
    test_stacks();
    test_many();
    test_atfork_errno();
    test_main_exit();
}

int main(void)
{
    long before = memfree_start();
    run_part("libc_thread", all_parts);
    memfree_check("libc_thread.memfree", before);
    return test_status();
}
