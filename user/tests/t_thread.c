// t_thread: musl's pthread_create and pthread_join on clone(CLONE_VM |
// CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
// CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID) and futex.
//
//   - a thread's return value arrives through pthread_join;
//   - threads share memory: a global, the main thread's stack (through a
//     pointer) and the heap, in both directions;
//   - 4 threads and the main thread add to one counter with atomic
//     increments: the sum is exact;
//   - pthread_join waits for a thread that sleeps 50 ms first (the futex
//     wait on the thread id that CLONE_CHILD_CLEARTID clears);
//   - each thread has its own thread-local variable (CLONE_SETTLS);
//   - getpid is the same in every thread, gettid differs from it in a
//     thread (and equals it in the main thread), and the tids differ;
//   - an fd opened by a thread is usable by the main thread (CLONE_FILES).
// On bunshin, MemFree is back where it started at the end (the threads'
// stacks are unmapped at join).
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"

#define NTHREADS 4
#define ADDS 20000

static volatile int shared_global;
static unsigned counter;
static __thread int tls_word = 5;

static pid_t gettid_(void)
{
    return (pid_t)syscall(SYS_gettid);
}

struct job {
    int index;
    int *main_local;            // a local of the main thread
    int *heap;                  // malloc'd by the main thread
    pid_t pid, tid;             // what the thread saw
    int tls_before, tls_after;
    int saw_global;
    int fd;                     // a pipe the thread made
};

static void *worker(void *arg)
{
    struct job *j = arg;
    j->pid = getpid();
    j->tid = gettid_();
    j->tls_before = tls_word;       // its own copy: the initial value
    tls_word = 100 + j->index;
    j->saw_global = shared_global;
    for (int i = 0; i < ADDS; i++) {
        __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
        if (i % 1000 == 999)
            sched_yield();   // interleave the threads, even on one CPU
    }
    __atomic_fetch_or(j->main_local, 1 << j->index, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&j->heap[0], 1, __ATOMIC_SEQ_CST);
    j->heap[1 + j->index] = 1000 + j->index;
    j->tls_after = tls_word;
    return (void *)(intptr_t)(0x100 + j->index);
}

static void test_pair(void)
{
    pthread_t th[NTHREADS];
    static struct job jobs[NTHREADS];
    int main_local = 0;
    int *heap = calloc(1 + NTHREADS, sizeof *heap);
    shared_global = 0x51ab;
    tls_word = 7;
    int made = 0;
    for (int i = 0; i < NTHREADS; i++) {
        jobs[i] = (struct job){ .index = i, .main_local = &main_local, .heap = heap };
        int r = pthread_create(&th[i], NULL, worker, &jobs[i]);
        if (r != 0) {
            fail("thread.create", "pthread_create number %d: %s", i, errname(r));
            break;
        }
        made++;
    }
    if (made == NTHREADS)
        ok("thread.create");
    for (int i = 0; i < ADDS; i++) {
        __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
        if (i % 1000 == 999)
            sched_yield();
    }
    int bad_ret = 0;
    for (int i = 0; i < made; i++) {
        void *ret = NULL;
        int r = pthread_join(th[i], &ret);
        bad_ret += r != 0 || ret != (void *)(intptr_t)(0x100 + i);
    }
    check(bad_ret == 0, "thread.join_return_values",
          "%d of %d joins failed or returned the wrong value", bad_ret, made);
    check(counter == (unsigned)(made + 1) * ADDS, "thread.atomic_counter",
          "%d threads and main added %d each: the counter is %u, not %u", made, ADDS,
          counter, (unsigned)(made + 1) * ADDS);
    int all_bits = (1 << made) - 1;
    check(heap[0] == made && __atomic_load_n(&main_local, __ATOMIC_SEQ_CST) == all_bits,
          "thread.shared_stack_and_heap",
          "after %d threads: the heap counter is %d, the main thread's local %#x (%#x "
          "expected: one bit from each thread)", made, heap[0], main_local, all_bits);
    int heap_ok = 1, global_ok = 1;
    for (int i = 0; i < made; i++) {
        heap_ok &= heap[1 + i] == 1000 + i;
        global_ok &= jobs[i].saw_global == 0x51ab;
    }
    check(heap_ok && global_ok, "thread.shared_writes",
          "the main thread sees the threads' heap writes: %s; the threads saw the main "
          "thread's global: %s", heap_ok ? "yes" : "no", global_ok ? "yes" : "no");

    pid_t pid = getpid(), main_tid = gettid_();
    int pid_ok = 1, tid_ok = 1;
    for (int i = 0; i < made; i++) {
        pid_ok &= jobs[i].pid == pid;
        tid_ok &= jobs[i].tid != pid && jobs[i].tid > 0;
        for (int k = 0; k < i; k++)
            tid_ok &= jobs[i].tid != jobs[k].tid;
    }
    check(pid_ok, "thread.getpid_same", "getpid in the threads: %d %d ... (main: %d)",
          (int)jobs[0].pid, made > 1 ? (int)jobs[1].pid : 0, (int)pid);
    check(tid_ok && main_tid == pid, "thread.gettid_differs",
          "gettid: main %d (pid %d), threads %d %d ...", (int)main_tid, (int)pid,
          (int)jobs[0].tid, made > 1 ? (int)jobs[1].tid : 0);
    int tls_ok = tls_word == 7;
    for (int i = 0; i < made; i++)
        tls_ok &= jobs[i].tls_before == 5 && jobs[i].tls_after == 100 + i;
    check(tls_ok, "thread.tls", "thread-local: main has %d (7 expected); thread 0 started "
          "with %d (5) and ended with %d (100)", tls_word, jobs[0].tls_before,
          jobs[0].tls_after);
    free(heap);
}

// --- pthread_join waits ------------------------------------------------------

static volatile int sleeper_done;

static void *sleeper(void *arg)
{
    (void)arg;
    sleep_ms(50);
    sleeper_done = 1;
    return (void *)0x5eed;
}

static void test_join_waits(void)
{
    pthread_t t;
    sleeper_done = 0;
    long long start = mono_ns();
    int r = pthread_create(&t, NULL, sleeper, NULL);
    if (!check(r == 0, "thread.create_sleeper", "pthread_create: %s", errname(r)))
        return;
    void *ret = NULL;
    r = pthread_join(t, &ret);
    long long waited = mono_ns() - start;
    check(r == 0 && ret == (void *)0x5eed && sleeper_done == 1 && waited >= 50 * 1000000LL,
          "thread.join_waits", "pthread_join returned %s after %lld us with %p; the "
          "thread's flag: %d (the thread sleeps 50 ms, sets the flag, returns 0x5eed)",
          r ? errname(r) : "0", waited / 1000, ret, sleeper_done);
}

// A thread that has already ended is joined at once.
static void *quick(void *arg)
{
    return arg;
}

static void test_join_ended(void)
{
    pthread_t t;
    int r = pthread_create(&t, NULL, quick, (void *)0x77);
    if (r != 0) {
        fail("thread.join_ended", "pthread_create: %s", errname(r));
        return;
    }
    sleep_ms(20);
    void *ret = NULL;
    r = pthread_join(t, &ret);
    check(r == 0 && ret == (void *)0x77, "thread.join_ended",
          "joining a thread that had ended: %s, %p", r ? errname(r) : "0", ret);
}

// --- the fd table is shared ---------------------------------------------------

static void *make_pipe(void *arg)
{
    int *fds = arg;
    if (pipe(fds) < 0)
        return (void *)(intptr_t)errno;
    return NULL;
}

static void test_shared_files(void)
{
    int fds[2] = { -1, -1 };
    pthread_t t;
    void *ret = (void *)1;
    if (pthread_create(&t, NULL, make_pipe, fds) != 0 || pthread_join(t, &ret) != 0 || ret) {
        fail("thread.shared_fds", "the thread's pipe(): %s", errname((int)(intptr_t)ret));
        return;
    }
    char c = 'q', got = 0;
    ssize_t w = write(fds[1], &c, 1), r = read(fds[0], &got, 1);
    check(w == 1 && r == 1 && got == 'q', "thread.shared_fds",
          "the main thread used the pipe a thread opened (fds %d, %d): write %zd, read %zd "
          "(%s)", fds[0], fds[1], w, r, errname(errno));
    close(fds[0]);
    close(fds[1]);
}

static void all_checks(void *arg)
{
    (void)arg;
    test_pair();
    test_join_waits();
    test_join_ended();
    test_shared_files();
    _exit(test_status());
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all_checks, NULL);
    check(st == 0, "thread.checks_passed", "the child doing the checks %s", status_str(st));
    memfree_check("thread.memfree_restored", before);
    return test_status();
}
