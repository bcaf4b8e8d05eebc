// stress.c: the pieces the t_stress_* tests share (user/lib/include/
// stress.h): a thread blocked in one call, and what takes it away.
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bunshin.h"
#include "stress.h"

uint32_t futex_word;
static void (*timed_fn)(void);

static void on_signal(int sig)
{
    (void)sig;
}

// SIGUSR1 interrupts blocking calls (no SA_RESTART).
void catch_usr1(void)
{
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGUSR1, &sa, NULL);
}

static void *blocked_main(void *arg)
{
    struct blocked *b = arg;
    b->started = 1;
    b->result = b->call(b);
    return NULL;
}

long neg_errno(long r)
{
    return r < 0 ? -errno : r;
}

long call_read(struct blocked *b) { return neg_errno(read(b->fd, b->buf, 64)); }

long call_recvmsg(struct blocked *b)
{
    char data[64];
    struct iovec iov = { data, sizeof data };
    char control[64];
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                        .msg_controllen = sizeof control };
    return neg_errno(recvmsg(b->fd, &m, 0));
}

long call_accept(struct blocked *b) { return neg_errno(accept(b->fd, NULL, NULL)); }

long call_poll(struct blocked *b)
{
    struct pollfd p = { .fd = b->fd, .events = POLLIN };
    return neg_errno(poll(&p, 1, -1));
}

long call_epoll_wait(struct blocked *b)
{
    struct epoll_event ev[4];
    return neg_errno(epoll_wait(b->fd, ev, 4, -1));
}

long call_mq_receive(struct blocked *b)
{
    char msg[64];
    return neg_errno(syscall(SYS_mq_timedreceive, b->fd, msg, sizeof msg, NULL, NULL));
}

long call_msgrcv(struct blocked *b)
{
    struct { long type; char text[16]; } m;
    return neg_errno(msgrcv(b->id, &m, sizeof m.text, 0, 0));
}

long call_semop(struct blocked *b)
{
    struct sembuf op = { 0, -1, 0 };
    return neg_errno(semop(b->id, &op, 1));
}

long call_futex(struct blocked *b)
{
    (void)b;
    return neg_errno(syscall(SYS_futex, &futex_word, FUTEX_WAIT, 0, NULL, NULL, 0));
}

// Start b's thread and wait until it is blocked (started, then a little
// time for it to reach its wait).
int start_blocked(pthread_t *t, struct blocked *b)
{
    b->started = 0;
    b->result = 1234567;
    if (pthread_create(t, NULL, blocked_main, b) != 0)
        return -1;
    while (!b->started)
        sched_yield();
    sleep_ms(50);
    return 0;
}

// Still blocked 50 ms after what should not wake it?
int still_blocked(struct blocked *b)
{
    sleep_ms(50);
    return b->result == 1234567;
}

void expect(struct blocked *b, const char *what, long want)
{
    check(b->result == want, tname("stress.close_blocked.%s", b->name),
          "%s: the call returned %ld, Linux returns %ld", what, b->result, want);
}

// A signal with no SA_RESTART for a thread blocked in call whose
// descriptor (or object) was closed: EINTR.
void close_then_signal(struct blocked *b, void (*take_away)(struct blocked *b))
{
    pthread_t t;
    if (start_blocked(&t, b) < 0) {
        fail(tname("stress.close_blocked.%s", b->name), "pthread_create failed");
        return;
    }
    take_away(b);
    check(still_blocked(b), tname("stress.close_blocked.%s_still", b->name), "returned %ld",
          b->result);
    pthread_kill(t, SIGUSR1);
    pthread_join(t, NULL);
    expect(b, "closed, then a signal", -EINTR);
}

void close_fd(struct blocked *b) { close(b->fd); }

void *sleep_forever(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

int send_fds(int sock, const int *fds, int n)
{
    char c = 'x';
    struct iovec iov = { &c, 1 };
    union { char buf[CMSG_SPACE(8 * sizeof(int))]; struct cmsghdr align; } u;
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                        .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
    struct cmsghdr *h = CMSG_FIRSTHDR(&m);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(n * sizeof(int));
    memcpy(CMSG_DATA(h), fds, n * sizeof(int));
    return sendmsg(sock, &m, MSG_DONTWAIT) < 0 ? -errno : 0;
}

static void timed_body(void)
{
    alarm(PART_SECS);
    timed_fn();
}

// The part in a process of its own (run_part) under an alarm: a hang ends
// as SIGALRM, a FAIL of the part.
static void run_timed(const char *name, void (*fn)(void))
{
    timed_fn = fn;
    run_part(name, timed_body);
}

// t_stress_objs [WORD...]: the parts whose names hold one of the WORDs
// only (all by default).
static int chosen(const char *name, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strstr(name, argv[i]))
            return 1;
    return argc < 2;
}

int stress_main(int argc, char **argv, const struct stress_part *parts, size_t n,
                void (*warm)(void *))
{
    catch_usr1();
    if (warm)
        run_child(warm, NULL);
    long before = memfree_start();
    for (size_t i = 0; i < n; i++)
        if (chosen(parts[i].name, argc, argv))
            run_timed(parts[i].name, parts[i].fn);
    memfree_check("stress.memfree", before);
    return test_status();
}
