/* t_futex.c: the futex operations, called raw (musl's pthreads use them
 * underneath): WAIT/WAKE, timeouts, the BITSET forms and REQUEUE. */
#include <bunshin.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Linux's operation numbers (include/uapi/linux/futex.h; musl ships no copy). */
#define FUTEX_WAIT              0
#define FUTEX_WAKE              1
#define FUTEX_REQUEUE           3
#define FUTEX_CMP_REQUEUE       4
#define FUTEX_WAIT_BITSET       9
#define FUTEX_WAKE_BITSET       10
#define FUTEX_PRIVATE_FLAG      128
#define FUTEX_BITSET_MATCH_ANY  0xffffffff

static long futex(volatile int *uaddr, int op, int val, const void *timeout_or_val2,
                  volatile int *uaddr2, int val3)
{
    return syscall(SYS_futex, uaddr, op | FUTEX_PRIVATE_FLAG, val, timeout_or_val2, uaddr2, val3);
}

static volatile int word_a, word_b, started, done_count;

/* A thread that waits on *arg (word_a or word_b, with bitset 1 on word_a
 * through WAIT_BITSET) until woken, then counts itself done. */
static void *waiter(void *arg)
{
    volatile int *w = arg;
    __sync_fetch_and_add(&started, 1);
    while (*w == 0) {
        if (w == &word_a)
            futex(w, FUTEX_WAIT_BITSET, 0, NULL, NULL, 1);
        else
            futex(w, FUTEX_WAIT, 0, NULL, NULL, 0);
    }
    __sync_fetch_and_add(&done_count, 1);
    return NULL;
}

/* Wait (a bounded time) until *counter reaches n. */
static int wait_until_count(volatile int *counter, int n)
{
    for (int i = 0; i < 500 && *counter < n; i++)
        usleep(2000);
    return *counter >= n;
}

/* Give sleepers time to reach the kernel before the operation under test. */
static void let_them_sleep(void)
{
    usleep(50000);
}

int main(void)
{
    volatile int w = 5;
    struct timespec rel = { 0, 30 * 1000 * 1000 };

    check_errno("futex.wait_value_changed", futex(&w, FUTEX_WAIT, 4, NULL, NULL, 0), EAGAIN);
    check_errno("futex.wait_relative_timeout", futex(&w, FUTEX_WAIT, 5, &rel, NULL, 0), ETIMEDOUT);

    struct timespec now, abs;
    clock_gettime(CLOCK_MONOTONIC, &now);
    abs = now;
    abs.tv_nsec += 30 * 1000 * 1000;
    if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
    }
    check_errno("futex.wait_bitset_absolute_timeout",
                futex(&w, FUTEX_WAIT_BITSET, 5, &abs, NULL, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT);
    check_errno("futex.wait_bitset_past_deadline",
                futex(&w, FUTEX_WAIT_BITSET, 5, &now, NULL, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT);
    check_errno("futex.wait_bitset_zero", futex(&w, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0), EINVAL);
    check_eq("futex.wake_nobody", 0, futex(&w, FUTEX_WAKE, 1, NULL, NULL, 0));
    check_errno("futex.cmp_requeue_value_changed",
                futex(&w, FUTEX_CMP_REQUEUE, 0, (void *)1, &word_b, 4), EAGAIN);
    check_errno("futex.unknown_op", futex(&w, 99, 0, NULL, NULL, 0), ENOSYS);

    /* WAKE_BITSET with a bitset that does not meet the sleeper's wakes no one;
     * one that does wakes it. */
    pthread_t t1;
    pthread_create(&t1, NULL, waiter, (void *)&word_a);
    wait_until_count(&started, 1);
    let_them_sleep();
    check_eq("futex.wake_bitset_other_bits", 0, futex(&word_a, FUTEX_WAKE_BITSET, 1, NULL, NULL, 2));
    word_a = 1;
    check_eq("futex.wake_bitset_matching", 1, futex(&word_a, FUTEX_WAKE_BITSET, 1, NULL, NULL, 1));
    pthread_join(t1, NULL);
    check_eq("futex.bitset_waiter_done", 1, done_count);

    /* REQUEUE: two sleepers on word_b move to word_a (nobody woken); a wake
     * on word_b then finds no one, a wake on word_a finds both. */
    pthread_t t2, t3;
    started = done_count = 0;
    word_a = 0;
    pthread_create(&t2, NULL, waiter, (void *)&word_b);
    pthread_create(&t3, NULL, waiter, (void *)&word_b);
    wait_until_count(&started, 2);
    let_them_sleep();
    /* The result counts the woken and the moved: 0 + 2. */
    check_eq("futex.requeue_moves_two", 2, futex(&word_b, FUTEX_REQUEUE, 0, (void *)2, &word_a, 0));
    check_eq("futex.after_requeue_old_word_empty", 0, futex(&word_b, FUTEX_WAKE, 2, NULL, NULL, 0));
    word_b = 1;
    check_eq("futex.after_requeue_new_word_has_both", 2, futex(&word_a, FUTEX_WAKE, 2, NULL, NULL, 0));
    pthread_join(t2, NULL);
    pthread_join(t3, NULL);
    check_eq("futex.requeued_waiters_done", 2, done_count);
    return test_status();
}
