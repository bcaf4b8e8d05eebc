// t_futex_pi: priority-inheritance futexes (FUTEX_LOCK_PI 6, UNLOCK_PI 7,
// TRYLOCK_PI 8, LOCK_PI2 13), raw and through musl's PTHREAD_PRIO_INHERIT
// mutexes (kernel/futex_pi.c).
//
// Raw, on a word in MAP_SHARED memory:
//   - TRYLOCK_PI and LOCK_PI on 0 write the caller's tid; again: EDEADLK;
//     UNLOCK_PI by the owner writes 0, by anyone else is EPERM; a word
//     naming a tid nobody has is ESRCH (and gets FUTEX_WAITERS); a free
//     word with FUTEX_OWNER_DIED is taken keeping it; EINVAL for a
//     misaligned word, EFAULT for a bad one, ENOSYS for LOCK_PI with
//     FUTEX_CLOCK_REALTIME;
//   - between threads: TRYLOCK_PI of a held lock is EAGAIN and sets
//     FUTEX_WAITERS; LOCK_PI with an absolute CLOCK_REALTIME timeout is
//     ETIMEDOUT (LOCK_PI2's on CLOCK_MONOTONIC too); a waiter blocked in
//     LOCK_PI gets the lock when the owner unlocks: its tid with
//     FUTEX_WAITERS; its own unlock, with nobody waiting, leaves 0; an owner
//     thread that ends holding the lock hands it to the waiter;
//   - between processes: the same hand-over; a child that ends holding a
//     lock on its robust list (the entry marked PI) leaves it to the parent
//     blocked in LOCK_PI with FUTEX_OWNER_DIED;
// musl's mutexes with PTHREAD_PRIO_INHERIT:
//   - errorcheck: EDEADLK on a second lock, EBUSY for trylock by another
//     thread, EPERM for unlock by another; four threads counting under the
//     mutex lose no count; timedlock times out;
//   - robust: a thread that ends holding it, and a process that ends holding
//     a process-shared one, leave EOWNERDEAD to the next locker;
//   - MemFree back where it started.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

// musl's names for the mutex's words (its pthread_impl.h): the lock word.
#define M_LOCK(m) ((m)->__u.__vi[1])

#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_LOCK_PI2 13
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu
#define NO_SUCH_TID 0x3ffffff0u

struct ts32 {
    int32_t sec, nsec;
};

// What the tests share with their threads and children.
struct shared {
    volatile uint32_t word;
    volatile uint32_t pad;
    volatile int step;          // a child's or thread's progress
    pthread_mutex_t m;
    long counter;
};
static struct shared *sh;

static long futex(volatile uint32_t *w, int op, const struct ts32 *t)
{
    return syscall(SYS_futex, w, op, 0, t, 0, 0);
}

static int tid(void)
{
    return (int)syscall(SYS_gettid);
}

// An absolute time ms from now on clock.
static struct ts32 in_ms(clockid_t clock, long ms)
{
    struct timespec now;
    clock_gettime(clock, &now);
    long long ns = (long long)now.tv_sec * 1000000000 + now.tv_nsec + ms * 1000000;
    struct ts32 t = { (int32_t)(ns / 1000000000), (int32_t)(ns % 1000000000) };
    return t;
}

// Wait (up to 5 s) until the word has FUTEX_WAITERS: someone sleeps on it.
static int wait_for_waiter(void)
{
    for (int i = 0; i < 500 && !(sh->word & FUTEX_WAITERS); i++)
        sleep_ms(10);
    sleep_ms(20);                      // and is asleep by now
    return (sh->word & FUTEX_WAITERS) != 0;
}

static void single_thread(void)
{
    int me = tid();
    sh->word = 0;
    check_eq("pi.trylock_free", 0, futex(&sh->word, FUTEX_TRYLOCK_PI, NULL));
    check_eq("pi.trylock_writes_tid", me, sh->word);
    check_errno("pi.trylock_again_edeadlk", futex(&sh->word, FUTEX_TRYLOCK_PI, NULL), EDEADLK);
    check_errno("pi.lock_again_edeadlk", futex(&sh->word, FUTEX_LOCK_PI, NULL), EDEADLK);
    check_eq("pi.unlock", 0, futex(&sh->word, FUTEX_UNLOCK_PI, NULL));
    check_eq("pi.unlock_writes_0", 0, sh->word);
    check_errno("pi.unlock_free_eperm", futex(&sh->word, FUTEX_UNLOCK_PI, NULL), EPERM);
    sh->word = (uint32_t)getppid();
    check_errno("pi.unlock_other_eperm", futex(&sh->word, FUTEX_UNLOCK_PI, NULL), EPERM);
    check_eq("pi.unlock_other_untouched", getppid(), sh->word);

    sh->word = 0;
    check_eq("pi.lock_free", 0, futex(&sh->word, FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG, NULL));
    check_eq("pi.lock_writes_tid", me, sh->word);
    check_eq("pi.unlock_private", 0, futex(&sh->word, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, NULL));

    sh->word = NO_SUCH_TID;
    check_errno("pi.lock_no_owner_esrch", futex(&sh->word, FUTEX_LOCK_PI, NULL), ESRCH);
    check_eq("pi.esrch_sets_waiters", NO_SUCH_TID | FUTEX_WAITERS, sh->word);
    check_errno("pi.trylock_no_owner_esrch", futex(&sh->word, FUTEX_TRYLOCK_PI, NULL), ESRCH);

    sh->word = FUTEX_OWNER_DIED;
    check_eq("pi.lock_owner_died", 0, futex(&sh->word, FUTEX_LOCK_PI, NULL));
    check_eq("pi.lock_keeps_owner_died", FUTEX_OWNER_DIED | me, sh->word);
    check_eq("pi.unlock_clears_owner_died", 0, futex(&sh->word, FUTEX_UNLOCK_PI, NULL));
    check_eq("pi.unlock_clears_owner_died_word", 0, sh->word);

    check_errno("pi.misaligned", futex((volatile uint32_t *)((char *)&sh->word + 1),
                                       FUTEX_LOCK_PI, NULL), EINVAL);
    check_errno("pi.efault", futex((volatile uint32_t *)8, FUTEX_LOCK_PI, NULL), EFAULT);
    check_errno("pi.unlock_efault", futex((volatile uint32_t *)8, FUTEX_UNLOCK_PI, NULL), EFAULT);
    check_errno("pi.lock_clock_realtime_enosys",
                futex(&sh->word, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, NULL), ENOSYS);
    sh->word = 0;
}

// A thread that takes the lock, says so (step 1), and then unlocks once
// the main thread sleeps for it (step 2: unlock; step 3: end holding it).
static void *holder(void *arg)
{
    (void)arg;
    futex(&sh->word, FUTEX_TRYLOCK_PI, NULL);
    sh->step = 1;
    while (sh->step == 1)
        sleep_ms(5);
    if (sh->step == 2) {
        wait_for_waiter();
        futex(&sh->word, FUTEX_UNLOCK_PI, NULL);
    } else {
        wait_for_waiter();             // step 3: end holding it
    }
    return NULL;
}

static void between_threads(void)
{
    int me = tid();
    sh->word = 0;
    sh->step = 0;
    pthread_t t;
    pthread_create(&t, NULL, holder, NULL);
    while (sh->step == 0)
        sleep_ms(5);
    check_errno("pi.trylock_held_eagain", futex(&sh->word, FUTEX_TRYLOCK_PI, NULL), EAGAIN);
    check(sh->word & FUTEX_WAITERS, "pi.trylock_held_sets_waiters", "word %#x", sh->word);
    struct ts32 t1 = in_ms(CLOCK_REALTIME, 100);
    check_errno("pi.lock_timeout", futex(&sh->word, FUTEX_LOCK_PI, &t1), ETIMEDOUT);
    struct ts32 t2 = in_ms(CLOCK_MONOTONIC, 100);
    check_errno("pi.lock_pi2_timeout", futex(&sh->word, FUTEX_LOCK_PI2, &t2), ETIMEDOUT);
    struct ts32 past = { 1, 0 };
    check_errno("pi.lock_timeout_past", futex(&sh->word, FUTEX_LOCK_PI, &past), ETIMEDOUT);

    sh->step = 2;                      // the holder unlocks once we sleep
    check_eq("pi.lock_waits", 0, futex(&sh->word, FUTEX_LOCK_PI, NULL));
    check_eq("pi.handed_over", FUTEX_WAITERS | me, sh->word);
    pthread_join(t, NULL);
    check_eq("pi.unlock_after_hand_over", 0, futex(&sh->word, FUTEX_UNLOCK_PI, NULL));
    check_eq("pi.unlock_nobody_waits", 0, sh->word);

    // An owner thread that ends holding the lock.
    sh->step = 0;
    pthread_create(&t, NULL, holder, NULL);
    while (sh->step == 0)
        sleep_ms(5);
    sh->step = 3;
    check_eq("pi.owner_thread_ends", 0, futex(&sh->word, FUTEX_LOCK_PI, NULL));
    check_eq("pi.owner_thread_ends_word", me, sh->word & FUTEX_TID_MASK);
    pthread_join(t, NULL);
    futex(&sh->word, FUTEX_UNLOCK_PI, NULL);
    sh->word = 0;
}

// struct robust_list_head and one entry, as i386 lays them out.
struct robust_entry {
    uint32_t next;
    uint32_t lock;
};

static void between_processes(void)
{
    sh->word = 0;
    sh->step = 0;
    pid_t c = xfork();
    if (c == 0) {
        futex(&sh->word, FUTEX_TRYLOCK_PI, NULL);
        sh->step = 1;
        wait_for_waiter();
        futex(&sh->word, FUTEX_UNLOCK_PI, NULL);
        _exit(0);
    }
    while (sh->step == 0)
        sleep_ms(5);
    check_eq("pi.process_lock_waits", 0, futex(&sh->word, FUTEX_LOCK_PI, NULL));
    check_eq("pi.process_handed_over", FUTEX_WAITERS | getpid(), sh->word);
    futex(&sh->word, FUTEX_UNLOCK_PI, NULL);
    wait_for(c);

    // A child that ends holding a lock on its robust list, marked PI.
    struct robust_entry *entry = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    entry->lock = 0;
    sh->step = 0;
    c = xfork();
    if (c == 0) {
        static uint32_t head[3];
        head[0] = (uint32_t)(uintptr_t)entry | 1;          // PI
        head[1] = (uint32_t)offsetof(struct robust_entry, lock);
        head[2] = 0;
        entry->next = (uint32_t)(uintptr_t)head;
        syscall(SYS_set_robust_list, head, 12);
        futex(&entry->lock, FUTEX_TRYLOCK_PI, NULL);
        sh->step = 1;
        for (int i = 0; i < 500 && !(entry->lock & FUTEX_WAITERS); i++)
            sleep_ms(10);
        sleep_ms(20);
        _exit(0);
    }
    while (sh->step == 0)
        sleep_ms(5);
    check_eq("pi.robust_owner_dies", 0, futex(&entry->lock, FUTEX_LOCK_PI, NULL));
    check_eq("pi.robust_owner_died_word", FUTEX_OWNER_DIED | getpid(),
             entry->lock & ~FUTEX_WAITERS);
    futex(&entry->lock, FUTEX_UNLOCK_PI, NULL);
    wait_for(c);
    munmap(entry, 4096);
}

// ---- musl's PTHREAD_PRIO_INHERIT mutexes ----

static void init_mutex(pthread_mutex_t *m, int type, int robust, int pshared)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, type);
    int r = pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    check_eq("mutex_pi.setprotocol", 0, r);
    if (robust)
        pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (pshared)
        pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
}

static void *other_tries(void *arg)
{
    (void)arg;
    sh->step = pthread_mutex_trylock(&sh->m) * 1000 + pthread_mutex_unlock(&sh->m);
    return NULL;
}

static void *count(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&sh->m);
        long v = sh->counter;
        if (i % 100 == 0)
            sched_yield();
        sh->counter = v + 1;
        pthread_mutex_unlock(&sh->m);
    }
    return NULL;
}

static void *lock_and_end(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&sh->m);
    return NULL;
}

static void *lock_and_hold(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&sh->m);
    sh->step = 1;
    while (sh->step == 1)
        sleep_ms(5);
    pthread_mutex_unlock(&sh->m);
    return NULL;
}

static void musl_mutexes(void)
{
    init_mutex(&sh->m, PTHREAD_MUTEX_ERRORCHECK, 0, 0);
    check_eq("mutex_pi.lock", 0, pthread_mutex_lock(&sh->m));
    check_eq("mutex_pi.word_is_tid", tid(), M_LOCK(&sh->m) & FUTEX_TID_MASK);
    check_eq("mutex_pi.relock_edeadlk", EDEADLK, pthread_mutex_lock(&sh->m));
    pthread_t t;
    sh->step = -1;
    pthread_create(&t, NULL, other_tries, NULL);
    pthread_join(t, NULL);
    check_eq("mutex_pi.other_trylock_ebusy_unlock_eperm", EBUSY * 1000 + EPERM, sh->step);
    check_eq("mutex_pi.unlock", 0, pthread_mutex_unlock(&sh->m));

    sh->counter = 0;
    pthread_t ts[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&ts[i], NULL, count, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(ts[i], NULL);
    check_eq("mutex_pi.count", 4000, sh->counter);

    sh->step = 0;
    pthread_create(&t, NULL, lock_and_hold, NULL);
    while (sh->step == 0)
        sleep_ms(5);
    struct timespec at;
    clock_gettime(CLOCK_REALTIME, &at);
    at.tv_nsec += 100000000;
    if (at.tv_nsec >= 1000000000) {
        at.tv_sec++;
        at.tv_nsec -= 1000000000;
    }
    check_eq("mutex_pi.timedlock_etimedout", ETIMEDOUT, pthread_mutex_timedlock(&sh->m, &at));
    sh->step = 2;
    check_eq("mutex_pi.lock_after_holder", 0, pthread_mutex_lock(&sh->m));
    pthread_mutex_unlock(&sh->m);
    pthread_join(t, NULL);
    pthread_mutex_destroy(&sh->m);

    // Robust: a thread that ends holding it.
    init_mutex(&sh->m, PTHREAD_MUTEX_NORMAL, 1, 0);
    pthread_create(&t, NULL, lock_and_end, NULL);
    pthread_join(t, NULL);
    check_eq("mutex_pi.robust_thread_eownerdead", EOWNERDEAD, pthread_mutex_lock(&sh->m));
    pthread_mutex_consistent(&sh->m);
    pthread_mutex_unlock(&sh->m);
    check_eq("mutex_pi.robust_consistent_again", 0, pthread_mutex_lock(&sh->m));
    pthread_mutex_unlock(&sh->m);
    pthread_mutex_destroy(&sh->m);

    // Robust and process-shared: a child that ends holding it.
    init_mutex(&sh->m, PTHREAD_MUTEX_NORMAL, 1, 1);
    pid_t c = xfork();
    if (c == 0) {
        pthread_mutex_lock(&sh->m);
        _exit(0);
    }
    wait_for(c);
    check_eq("mutex_pi.robust_process_eownerdead", EOWNERDEAD, pthread_mutex_lock(&sh->m));
    pthread_mutex_consistent(&sh->m);
    pthread_mutex_unlock(&sh->m);

    // ...and a parent already blocked in the lock when the child ends.
    sh->step = 0;
    c = xfork();
    if (c == 0) {
        pthread_mutex_lock(&sh->m);
        sh->step = 1;
        for (int i = 0; i < 500 && !(M_LOCK(&sh->m) & FUTEX_WAITERS); i++)
            sleep_ms(10);
        sleep_ms(20);
        _exit(0);
    }
    while (sh->step == 0)
        sleep_ms(5);
    check_eq("mutex_pi.robust_waiter_eownerdead", EOWNERDEAD, pthread_mutex_lock(&sh->m));
    pthread_mutex_consistent(&sh->m);
    pthread_mutex_unlock(&sh->m);
    wait_for(c);
    pthread_mutex_destroy(&sh->m);
}

int main(void)
{
    sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) {
        fail("pi.mmap", "%s", errname(errno));
        return 1;
    }
    memset(sh, 0, 4096);               // its frame now, not in a part
    long before = memfree_start();
    int good = run_part("pi.part_single", single_thread);
    good &= run_part("pi.part_threads", between_threads);
    good &= run_part("pi.part_processes", between_processes);
    good &= run_part("mutex_pi.part", musl_mutexes);
    memfree_check("pi.memfree_restored", before);
    return test_status() || !good;
}
