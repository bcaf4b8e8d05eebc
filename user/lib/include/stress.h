// stress.h: what the t_stress_* tests share (user/lib/stress.c): a thread
// blocked in one call, its descriptor or object taken away under it, and
// the parts each test runs, each in a process of its own under an alarm.
#ifndef STRESS_H
#define STRESS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define PART_SECS 10          // a part that takes longer has hung

// futex(2)'s operations (no <linux/futex.h> in the C library's headers).
#define FUTEX_WAIT       0
#define FUTEX_LOCK_PI    6
#define FUTEX_UNLOCK_PI  7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_TID_MASK   0x3fffffffu

struct blocked {
    const char *name;
    long (*call)(struct blocked *b);   // the blocking call: its result, or -errno
    int fd, fd2, id;
    void *buf;
    volatile int started;
    long result;
};

// r, or -errno if r < 0.
long neg_errno(long r);
// SIGUSR1 interrupts blocking calls (no SA_RESTART).
void catch_usr1(void);
// Blocking calls for struct blocked: read 64 bytes of fd into buf,
// recvmsg, accept, poll and epoll_wait with no time limit, mq_receive,
// msgrcv and semop on id, FUTEX_WAIT on futex_word (0).
long call_read(struct blocked *b);
long call_recvmsg(struct blocked *b);
long call_accept(struct blocked *b);
long call_poll(struct blocked *b);
long call_epoll_wait(struct blocked *b);
long call_mq_receive(struct blocked *b);
long call_msgrcv(struct blocked *b);
long call_semop(struct blocked *b);
long call_futex(struct blocked *b);
extern uint32_t futex_word;
// Start b's thread and wait until it is blocked. 0 or -1.
int start_blocked(pthread_t *t, struct blocked *b);
// Still blocked 50 ms later?
int still_blocked(struct blocked *b);
// The check "stress.close_blocked.NAME": b's call returned want.
void expect(struct blocked *b, const char *what, long want);
// Block b, take_away(b), then SIGUSR1: the call must say EINTR.
void close_then_signal(struct blocked *b, void (*take_away)(struct blocked *b));
void close_fd(struct blocked *b);
// A thread that only waits for signals.
void *sleep_forever(void *arg);
// sendmsg of n descriptors in one SCM_RIGHTS message (MSG_DONTWAIT): 0 or -errno.
int send_fds(int sock, const int *fds, int n);

struct stress_part {
    const char *name;
    void (*fn)(void);
};
// The whole test: warm (if any) in a child first, then MemFree, then each
// part chosen by the arguments (names holding one of them; all if none)
// in a process of its own under an alarm, then MemFree must be back.
int stress_main(int argc, char **argv, const struct stress_part *parts, size_t n,
                void (*warm)(void *));

#endif
