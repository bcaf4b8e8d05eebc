// t_small_calls: small Linux i386 calls, by number (musl may not wrap them):
// futex_time64 (422), the futex call with a struct __kernel_timespec
// timeout: waits time out, a changed word is EAGAIN, bad times EINVAL, bad
// pointers EFAULT, wakes count.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"

#define NR_futex_time64 422

// Linux's futex operations (uapi linux/futex.h; musl has no such header).
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define FUTEX_WAIT_BITSET_PRIVATE (9 | 128)
#define FUTEX_TRYLOCK_PI_PRIVATE (8 | 128)
#define FUTEX_UNLOCK_PI_PRIVATE (7 | 128)
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu
#define FUTEX_TID_MASK 0x3fffffffu

struct kernel_timespec64 {
    int64_t tv_sec;
    int64_t tv_nsec;
};

static long futex64(uint32_t *word, int op, uint32_t val, const void *timeout)
{
    return syscall(NR_futex_time64, word, op, val, timeout, 0, 0);
}

static void test_futex_time64(void)
{
    static uint32_t word = 7;
    struct kernel_timespec64 ten_ms = { 0, 10000000 };
    long long t0 = mono_ns();
    check_errno("futex64.wait_timeout", futex64(&word, FUTEX_WAIT_PRIVATE, 7, &ten_ms), ETIMEDOUT);
    long long took = mono_ns() - t0;
    check(took >= 9000000 && took < 2000000000LL, "futex64.wait_slept", "slept %lld ns", took);
    check_errno("futex64.wait_changed", futex64(&word, FUTEX_WAIT_PRIVATE, 8, &ten_ms), EAGAIN);
    struct kernel_timespec64 bad_nsec = { 0, 1000000000 };
    check_errno("futex64.bad_nsec", futex64(&word, FUTEX_WAIT_PRIVATE, 7, &bad_nsec), EINVAL);
    struct kernel_timespec64 negative = { -1, 0 };
    check_errno("futex64.negative", futex64(&word, FUTEX_WAIT_PRIVATE, 7, &negative), EINVAL);
    check_errno("futex64.timeout_efault", futex64(&word, FUTEX_WAIT_PRIVATE, 7, (void *)8), EFAULT);
    check_errno("futex64.word_efault", futex64((uint32_t *)8, FUTEX_WAIT_PRIVATE, 7, &ten_ms),
                EFAULT);
    // An absolute BITSET timeout already past, on CLOCK_MONOTONIC: at once.
    struct kernel_timespec64 past = { 1, 0 };
    check_errno("futex64.bitset_past",
                syscall(NR_futex_time64, &word, FUTEX_WAIT_BITSET_PRIVATE, 7, &past, 0,
                        FUTEX_BITSET_MATCH_ANY),
                ETIMEDOUT);
    // Beyond 2^32 seconds ahead is a valid absolute time (the point of the
    // 64-bit field): the word has changed, so EAGAIN rather than a wait.
    struct kernel_timespec64 far = { (int64_t)1 << 40, 0 };
    check_errno("futex64.far_future",
                syscall(NR_futex_time64, &word, FUTEX_WAIT_BITSET_PRIVATE, 8, &far, 0,
                        FUTEX_BITSET_MATCH_ANY),
                EAGAIN);
    check_eq("futex64.wake_none", 0, futex64(&word, FUTEX_WAKE_PRIVATE, 1, 0));
    // A trylock of a free PI word takes it; unlock gives it back.
    static uint32_t pi = 0;
    check_eq("futex64.trylock_pi", 0, futex64(&pi, FUTEX_TRYLOCK_PI_PRIVATE, 0, 0));
    check_eq("futex64.pi_owner", (long long)gettid(), (long long)(pi & FUTEX_TID_MASK));
    check_eq("futex64.unlock_pi", 0, futex64(&pi, FUTEX_UNLOCK_PI_PRIVATE, 0, 0));
    check_eq("futex64.pi_free", 0, pi);
}

int main(void)
{
    test_futex_time64();
    return test_status();
}
