// t_robust: robust mutexes: set_robust_list (311), get_robust_list (312)
// and the kernel's walk of a thread's list when it ends or execs, as Linux
// does it (set_robust_list(2), pthread_mutexattr_setrobust(3)).
//
// With musl's pthreads (pthread_mutexattr_setrobust):
//   - a thread locks and ends with pthread_exit: the next pthread_mutex_lock
//     returns EOWNERDEAD (trylock too); pthread_mutex_consistent, unlock,
//     and the mutex works again; unlocked without consistent, it is
//     ENOTRECOVERABLE for good; a waiter blocked in the lock when the owner
//     ends is woken with EOWNERDEAD. (musl walks a thread's list itself in
//     pthread_exit, for mutexes that are not process-shared: these checks
//     are as much musl's as the kernel's.)
//   - process-shared, in MAP_SHARED | MAP_ANONYMOUS memory: a child that
//     locks and _exits, execs, or is killed leaves EOWNERDEAD to the parent,
//     also to a parent already blocked in the lock. Here only the kernel
//     walks. bunshin has no shared mappings yet: there these say skip.
// Raw, with lists built by hand (the kernel's walk itself, on both):
//   - a thread that registered a list of three owned words ends: each word
//     becomes FUTEX_OWNER_DIED, keeping FUTEX_WAITERS, and a sleeper on it
//     is woken; a word with another owner is left alone; list_op_pending
//     is handled (an owned word marked; a 0 word's sleeper woken); a
//     negative futex_offset; a ring of 2050 words: only the first 2048 are
//     looked at; a ring that loops on itself ends; the walk stops at a
//     misaligned or read-only word (the ones after it stay);
//   - a vfork child (sharing the parent's memory) that registered a list
//     and _exits or execs: the parent finds the words marked when vfork
//     returns; a thread of that child that is ended by the child's _exit
//     or execve: marked too (Linux walks the thread's list before the
//     child's execve goes on);
//   - set_robust_list: a length other than 12 is EINVAL, any head address
//     is taken; get_robust_list(0) gives the head and 12; a new thread, a
//     fork child and a new program (execve) start with no list; another thread's and a child's
//     list can be read; a zombie has none (0); a tid nobody has is ESRCH;
//     EFAULT for bad pointers;
//   - MemFree back where it started.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"
#include "poll_common.h"
#include "sig_common.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define HEAD_LEN 12                 // sizeof(struct robust_list_head) on i386
#define ROBUST_LIMIT 2048
#define PAGE 4096

// The kernel's layout: a ring of "next" words, the head's among them.
struct rhead {
    uint32_t next;
    int32_t offset;                 // from an entry to its lock word
    uint32_t pending;               // list_op_pending
};
struct rmutex {
    uint32_t next;                  // the entry
    volatile uint32_t lock;         // the word: offset 4
};

static long set_list(void *head, size_t len)
{
    return syscall(SYS_set_robust_list, head, len);
}

static long get_list(pid_t tid, void *headp, void *lenp)
{
    return syscall(SYS_get_robust_list, tid, headp, lenp);
}

static pid_t gettid_(void)
{
    return (pid_t)syscall(SYS_gettid);
}

// A futex wait on the lock word, not private (the kernel's owner-died wake
// is on the shared key, as Linux's is), at most ms: 0 if woken, else -1
// with errno (ETIMEDOUT, EAGAIN when the word had changed).
static long wait_word(volatile uint32_t *w, uint32_t val, int ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    return syscall(SYS_futex, w, FUTEX_WAIT, val, &ts, NULL, 0);
}

// Link entries (n of them, given as mutexes) into the ring at h, the lock
// word offset bytes from each entry; pending as given.
static void make_ring(struct rhead *h, struct rmutex *const *ms, int n, int32_t offset,
                      uint32_t pending)
{
    uint32_t *prev = &h->next;
    for (int i = 0; i < n; i++) {
        *prev = (uint32_t)(uintptr_t)&ms[i]->next;
        prev = &ms[i]->next;
    }
    *prev = (uint32_t)(uintptr_t)&h->next;
    h->offset = offset;
    h->pending = pending;
}

// --- musl's robust mutexes between threads ------------------------------------------

static pthread_mutex_t tm;

static void robust_init(pthread_mutex_t *m, int pshared)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (pshared)
        pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
}

static void *lock_and_exit(void *arg)
{
    pthread_mutex_t *m = arg;
    if (pthread_mutex_lock(m) != 0)
        return (void *)1;
    pthread_exit(NULL);
}

// A thread locks m and ends, holding it.
static int die_holding(pthread_mutex_t *m)
{
    pthread_t th;
    if (pthread_create(&th, NULL, lock_and_exit, m) != 0)
        return -1;
    void *r;
    pthread_join(th, &r);
    return r == NULL ? 0 : -1;
}

// A thread that locks m, says so through *locked, waits until the main
// thread sleeps (in the lock), then ends holding m.
static volatile int tm_locked;
static void *lock_wait_exit(void *arg)
{
    pthread_mutex_t *m = arg;
    pthread_mutex_lock(m);
    tm_locked = 1;
    wait_sleeping(getpid());
    pthread_exit(NULL);
}

static int timedlock_s(pthread_mutex_t *m, int s)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += s;
    return pthread_mutex_timedlock(m, &ts);
}

static void part_musl_threads(void)
{
    robust_init(&tm, 0);
    if (die_holding(&tm) < 0) {
        fail("robust.musl.setup", "a thread could not lock the mutex");
        return;
    }
    check_eq("robust.musl.lock_eownerdead", EOWNERDEAD, pthread_mutex_lock(&tm));
    check_eq("robust.musl.consistent", 0, pthread_mutex_consistent(&tm));
    check_eq("robust.musl.unlock", 0, pthread_mutex_unlock(&tm));
    check_eq("robust.musl.lock_again", 0, pthread_mutex_lock(&tm));
    check_eq("robust.musl.consistent_when_fine_einval", EINVAL, pthread_mutex_consistent(&tm));
    check_eq("robust.musl.unlock_again", 0, pthread_mutex_unlock(&tm));

    die_holding(&tm);
    check_eq("robust.musl.trylock_eownerdead", EOWNERDEAD, pthread_mutex_trylock(&tm));
    // Given back without pthread_mutex_consistent: unusable for good.
    pthread_mutex_unlock(&tm);
    check_eq("robust.musl.not_recoverable", ENOTRECOVERABLE, pthread_mutex_lock(&tm));
    check_eq("robust.musl.not_recoverable_trylock", ENOTRECOVERABLE, pthread_mutex_trylock(&tm));
    pthread_mutex_destroy(&tm);

    // A waiter already asleep in the lock when the owner ends.
    robust_init(&tm, 0);
    pthread_t th;
    tm_locked = 0;
    if (pthread_create(&th, NULL, lock_wait_exit, &tm) != 0)
        return;
    while (!tm_locked)
        sched_yield();
    long long t0 = mono_ns();
    int r = timedlock_s(&tm, SIG_WAIT_MS / 1000);
    long ms = (long)((mono_ns() - t0) / 1000000);
    check(r == EOWNERDEAD, "robust.musl.waiter_woken",
          "blocked in pthread_mutex_timedlock (5 s) while the owner thread ended: %s after %ld ms",
          r ? errname(r) : "0", ms);
    pthread_join(th, NULL);
    if (r == EOWNERDEAD) {
        pthread_mutex_consistent(&tm);
        pthread_mutex_unlock(&tm);
    }
}

// --- musl's robust mutexes between processes (MAP_SHARED) -------------------------

// A child that locks m, then ends as how says: 0 _exit, 1 execve /bin/true,
// 2 waits to be killed, 3 waits until the parent sleeps, then _exits.
static pid_t holder(pthread_mutex_t *m, volatile int *ready, int how)
{
    pid_t parent = getpid();
    pid_t pid = xfork();
    if (pid != 0)
        return pid;
    if (pthread_mutex_lock(m) != 0)
        _exit(9);
    *ready = 1;
    if (how == 1) {
        char *argv[] = { "true", NULL };
        execve(rootpath("/bin/true"), argv, environ);
        _exit(8);
    }
    if (how == 2)
        for (;;)
            pause();
    if (how == 3)
        wait_sleeping(parent);
    _exit(0);
}

static void part_musl_shared(void)
{
    struct shared {
        pthread_mutex_t m;
        volatile int ready;
    } *s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED) {
        int e = errno;
        if (on_bunshin() && e == EINVAL) {
            skip("robust.shared", "mmap(MAP_SHARED | MAP_ANONYMOUS) is EINVAL: bunshin has no "
                                  "shared memory yet, and a process-shared robust mutex needs it");
            return;
        }
        fail("robust.shared", "mmap(MAP_SHARED | MAP_ANONYMOUS): %s", errname(e));
        return;
    }
    static const char *const how_name[] = { "exit", "execve", "killed", "waiter_woken" };
    for (int how = 0; how < 4; how++) {
        robust_init(&s->m, 1);
        s->ready = 0;
        pid_t pid = holder(&s->m, &s->ready, how);
        while (!s->ready)
            sched_yield();
        if (how == 2)
            kill(pid, SIGKILL);
        int r;
        if (how == 3) {
            r = timedlock_s(&s->m, SIG_WAIT_MS / 1000);
        } else {
            int st = wait_timed(pid, SIG_WAIT_MS);
            if (how == 1 && st != 0)
                fail("robust.shared.execve_ran", "the child that exec'd /bin/true %s", wstr(st));
            r = pthread_mutex_lock(&s->m);
        }
        check(r == EOWNERDEAD, tname("robust.shared.%s", how_name[how]),
              "a process-shared robust mutex whose owner process ended (%s): lock gave %s",
              how_name[how], r ? errname(r) : "0");
        if (how == 3)
            wait_timed(pid, SIG_WAIT_MS);
        if (r == EOWNERDEAD) {
            pthread_mutex_consistent(&s->m);
            pthread_mutex_unlock(&s->m);
        }
        pthread_mutex_destroy(&s->m);
    }
    munmap(s, PAGE);
}

// --- the kernel's walk, at a thread's end ----------------------------------------

// What a thread does before it ends: fill in words (it knows its tid),
// register head, and, if asked, wait until the main thread sleeps.
struct walk_job {
    struct rhead *head;
    void (*setup)(pid_t tid);
    int wait_main;
};

static void *walk_thread(void *arg)
{
    struct walk_job *j = arg;
    j->setup(gettid_());
    if (set_list(j->head, HEAD_LEN) != 0)
        return (void *)1;
    if (j->wait_main)
        wait_sleeping(getpid());
    pthread_exit(NULL);
}

// Run a thread with job j to its end. 0, or -1 if it could not run or
// could not register its list.
static int run_walk(struct walk_job *j)
{
    pthread_t th;
    if (pthread_create(&th, NULL, walk_thread, j) != 0)
        return -1;
    void *r;
    pthread_join(th, &r);
    return r == NULL ? 0 : -1;
}

static struct rhead h1;
static struct rmutex a, b, c, other, pend;
static pid_t dead_tid;

static void setup_three(pid_t tid)
{
    dead_tid = tid;
    a.lock = (uint32_t)tid;
    b.lock = (uint32_t)tid | FUTEX_WAITERS;
    c.lock = (uint32_t)tid;
    other.lock = (uint32_t)tid + 1;         // somebody else's
    pend.lock = (uint32_t)tid;
    struct rmutex *const ms[] = { &a, &b, &other, &c };
    make_ring(&h1, ms, 4, offsetof(struct rmutex, lock), (uint32_t)(uintptr_t)&pend.next);
}

// The word waited on by the main thread: owned by the thread, FUTEX_WAITERS set.
static struct rmutex w;
static void setup_waited(pid_t tid)
{
    w.lock = (uint32_t)tid | FUTEX_WAITERS;
    struct rmutex *const ms[] = { &w };
    make_ring(&h1, ms, 1, offsetof(struct rmutex, lock), 0);
}

// list_op_pending on a word that is 0 (an unlock in progress) with a sleeper.
static void setup_pending_zero(pid_t tid)
{
    (void)tid;
    w.lock = 0;
    make_ring(&h1, NULL, 0, offsetof(struct rmutex, lock), (uint32_t)(uintptr_t)&w.next);
}

// The lock word 8 bytes before the entry.
static struct {
    volatile uint32_t lock;
    uint32_t pad;
    uint32_t next;
} neg;
static void setup_negative(pid_t tid)
{
    neg.lock = (uint32_t)tid;
    h1.next = (uint32_t)(uintptr_t)&neg.next;
    neg.next = (uint32_t)(uintptr_t)&h1.next;
    h1.offset = -8;
    h1.pending = 0;
}

#define LONG_RING (ROBUST_LIMIT + 2)
static struct rmutex many[LONG_RING];
static void setup_long(pid_t tid)
{
    static struct rmutex *ms[LONG_RING];
    for (int i = 0; i < LONG_RING; i++) {
        many[i].lock = (uint32_t)tid;
        ms[i] = &many[i];
    }
    make_ring(&h1, ms, LONG_RING, offsetof(struct rmutex, lock), 0);
}

// An entry whose next is itself: the walk never gets back to the head.
static void setup_loop(pid_t tid)
{
    a.lock = (uint32_t)tid;
    h1.next = (uint32_t)(uintptr_t)&a.next;
    a.next = (uint32_t)(uintptr_t)&a.next;
    h1.offset = offsetof(struct rmutex, lock);
    h1.pending = 0;
}

// a, then an entry whose word is misaligned, then c.
static uint32_t odd_area[4];
static void setup_misaligned(pid_t tid)
{
    a.lock = (uint32_t)tid;
    c.lock = (uint32_t)tid;
    uint32_t *odd = (uint32_t *)((char *)odd_area + 2);   // entry 2 bytes off
    h1.next = (uint32_t)(uintptr_t)&a.next;
    a.next = (uint32_t)(uintptr_t)odd;
    memcpy(odd, &(uint32_t){ (uint32_t)(uintptr_t)&c.next }, 4);
    memcpy((char *)odd + 4, &(uint32_t){ (uint32_t)tid }, 4);
    c.next = (uint32_t)(uintptr_t)&h1.next;
    h1.offset = offsetof(struct rmutex, lock);
    h1.pending = 0;
}

// a, then an entry in a read-only page (its word owned), then c.
static struct rmutex *ro;
static void setup_read_only(pid_t tid)
{
    dead_tid = tid;
    a.lock = (uint32_t)tid;
    c.lock = (uint32_t)tid;
    ro->lock = (uint32_t)tid;
    struct rmutex *const ms[] = { &a, ro, &c };
    make_ring(&h1, ms, 3, offsetof(struct rmutex, lock), 0);
    mprotect(ro, PAGE, PROT_READ);
}

static void part_walk_thread(void)
{
    struct walk_job j = { &h1, setup_three, 0 };
    if (run_walk(&j) < 0) {
        fail("robust.walk.setup", "the thread could not register its list");
        return;
    }
    check(a.lock == FUTEX_OWNER_DIED && c.lock == FUTEX_OWNER_DIED, "robust.walk.owner_died",
          "words owned by a thread that ended: %#x and %#x, expected %#x", a.lock, c.lock,
          FUTEX_OWNER_DIED);
    check_eq("robust.walk.keeps_waiters", FUTEX_OWNER_DIED | FUTEX_WAITERS, b.lock);
    check_eq("robust.walk.other_owner_untouched", (uint32_t)dead_tid + 1, other.lock);
    check_eq("robust.walk.pending_owned", FUTEX_OWNER_DIED, pend.lock);

    // The main thread asleep on a word the thread owns.
    j.setup = setup_waited;
    j.wait_main = 1;
    pthread_t th;
    w.lock = 0;
    if (pthread_create(&th, NULL, walk_thread, &j) != 0)
        return;
    while (w.lock == 0)
        sched_yield();
    uint32_t v = w.lock;
    long long t0 = mono_ns();
    long r = wait_word(&w.lock, v, SIG_WAIT_MS);
    int e = errno;
    long ms = (long)((mono_ns() - t0) / 1000000);
    pthread_join(th, NULL);
    check(r == 0 || (e == EAGAIN && w.lock == (FUTEX_OWNER_DIED | FUTEX_WAITERS)),
          "robust.walk.waiter_woken",
          "asleep on a word with FUTEX_WAITERS whose owner thread ended: %s after %ld ms",
          r == 0 ? "woken" : errname(e), ms);
    check_eq("robust.walk.waited_word", FUTEX_OWNER_DIED | FUTEX_WAITERS, w.lock);

    // list_op_pending on a word already 0: its sleeper is woken.
    j.setup = setup_pending_zero;
    w.lock = 0;
    dead_tid = 0;
    if (pthread_create(&th, NULL, walk_thread, &j) != 0)
        return;
    t0 = mono_ns();
    r = wait_word(&w.lock, 0, SIG_WAIT_MS);
    e = errno;
    ms = (long)((mono_ns() - t0) / 1000000);
    pthread_join(th, NULL);
    check(r == 0, "robust.walk.pending_zero_woken",
          "asleep on a 0 word that was the ended thread's list_op_pending: %s after %ld ms",
          r == 0 ? "woken" : errname(e), ms);
    check_eq("robust.walk.pending_zero_stays_0", 0, w.lock);

    j.wait_main = 0;
    j.setup = setup_negative;
    run_walk(&j);
    check_eq("robust.walk.negative_offset", FUTEX_OWNER_DIED, neg.lock);

    j.setup = setup_long;
    run_walk(&j);
    int marked = 0, first_unmarked = -1;
    for (int i = 0; i < LONG_RING; i++) {
        if (many[i].lock == FUTEX_OWNER_DIED)
            marked++;
        else if (first_unmarked < 0)
            first_unmarked = i;
    }
    check(marked == ROBUST_LIMIT && first_unmarked == ROBUST_LIMIT, "robust.walk.limit_2048",
          "a ring of %d owned words: %d marked, the first unmarked is number %d (expected the "
          "first %d marked)",
          LONG_RING, marked, first_unmarked, ROBUST_LIMIT);

    j.setup = setup_loop;
    run_walk(&j);
    check_eq("robust.walk.self_loop_ends", FUTEX_OWNER_DIED, a.lock);

    j.setup = setup_misaligned;
    run_walk(&j);
    check(a.lock == FUTEX_OWNER_DIED && c.lock != FUTEX_OWNER_DIED, "robust.walk.stops_at_misaligned",
          "a, a misaligned word, c: a %#x (expected %#x), c %#x (expected still the owner's "
          "tid: Linux ends the walk there)",
          a.lock, FUTEX_OWNER_DIED, c.lock);

    ro = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ro != MAP_FAILED) {
        j.setup = setup_read_only;
        run_walk(&j);
        check(a.lock == FUTEX_OWNER_DIED && ro->lock == (uint32_t)dead_tid &&
                  c.lock == (uint32_t)dead_tid,
              "robust.walk.stops_at_read_only",
              "a, a word in a read-only page, c: a %#x (expected %#x), the read-only word %#x "
              "and c %#x (expected both still the owner's tid %#x: Linux ends the walk there)",
              a.lock, FUTEX_OWNER_DIED, ro->lock, c.lock, (uint32_t)dead_tid);
        munmap(ro, PAGE);
    }
}

// --- set_robust_list and get_robust_list ----------------------------------------------

static void part_calls(void)
{
    uint32_t head = 0x11111111, len = 0x22222222;
    // A fork child starts with no list (this part is one).
    check(get_list(0, &head, &len) == 0 && head == 0 && len == HEAD_LEN, "robust.get.fork_child_none",
          "get_robust_list(0) in a fork child: head %#x len %u (expected 0 and %d)", head, len,
          HEAD_LEN);
    static struct rhead mine;
    make_ring(&mine, NULL, 0, 4, 0);
    check_errno("robust.set.len_0", set_list(&mine, 0), EINVAL);
    check_errno("robust.set.len_11", set_list(&mine, 11), EINVAL);
    check_errno("robust.set.len_13", set_list(&mine, 13), EINVAL);
    check_errno("robust.set.len_24", set_list(&mine, 24), EINVAL);
    check_eq("robust.set.len_12", 0, set_list(&mine, HEAD_LEN));
    head = len = 0;
    check(get_list(0, &head, &len) == 0 && head == (uint32_t)(uintptr_t)&mine && len == HEAD_LEN,
          "robust.get.self", "get_robust_list(0): head %#x len %u, expected %p and %d", head, len,
          (void *)&mine, HEAD_LEN);
    head = 0;
    check(get_list(gettid_(), &head, &len) == 0 && head == (uint32_t)(uintptr_t)&mine,
          "robust.get.own_tid", "get_robust_list(own tid): head %#x", head);
    check_eq("robust.set.any_address", 0, set_list((void *)0x1000, HEAD_LEN));
    get_list(0, &head, &len);
    check_eq("robust.get.any_address", 0x1000, head);
    set_list(&mine, HEAD_LEN);

    // Neither a fork child nor a new program inherits the list.
    pid_t pid = xfork();
    if (pid == 0) {
        uint32_t h = 1, l = 0;
        _exit(get_list(0, &h, &l) == 0 && h == 0 ? 0 : 1);
    }
    int st = wait_timed(pid, SIG_WAIT_MS);
    check(st == 0, "robust.get.fork_child_of_listed_none",
          "a fork child of a thread with a list (exit 1: it had one too) %s", wstr(st));
    pid = xfork();
    if (pid == 0) {
        char *argv[] = { "t_robust", "exec-report", NULL };
        execve(rootpath("/tests/t_robust"), argv, environ);
        fail("robust.exec", "execve %s: %s", rootpath("/tests/t_robust"), errname(errno));
        _exit(1);
    }
    st = wait_timed(pid, SIG_WAIT_MS);
    if (st != 1 << 8)
        check(st == 0, "robust.exec", "the child that exec'd the test %s", wstr(st));

    check_errno("robust.get.no_such_tid", get_list(0x7ffffff0, &head, &len), ESRCH);
    check_errno("robust.get.negative_tid", get_list(-5, &head, &len), ESRCH);
    check_errno("robust.get.efault_head", get_list(0, NULL, &len), EFAULT);
    check_errno("robust.get.efault_len", get_list(0, &head, NULL), EFAULT);
    check_errno("robust.get.efault_kernel", get_list(0, (void *)0xC0000000, &len), EFAULT);
    check_errno("robust.get.esrch_before_efault", get_list(0x7ffffff0, NULL, NULL), ESRCH);

    // A child's list, a zombie's (none), a reaped child's (ESRCH).
    int go[2], ready[2];
    if (pipe(go) < 0 || pipe(ready) < 0)
        return;
    pid = xfork();
    if (pid == 0) {
        static struct rhead childs;
        make_ring(&childs, NULL, 0, 4, 0);
        set_list(&childs, HEAD_LEN);
        uint32_t addr = (uint32_t)(uintptr_t)&childs;
        write(ready[1], &addr, 4);
        char x;
        read(go[0], &x, 1);
        _exit(0);
    }
    uint32_t childs = 0;
    read_full(ready[0], &childs, 4);
    head = 0;
    check(get_list(pid, &head, &len) == 0 && head == childs && childs != 0, "robust.get.child",
          "get_robust_list(child): head %#x, the child set %#x", head, childs);
    write(go[1], "g", 1);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    waitid(P_PID, pid, &si, WEXITED | WNOWAIT);       // a zombie now
    head = 0x33333333;
    long r = get_list(pid, &head, &len);
    check(r == 0 && head == 0, "robust.get.zombie",
          "get_robust_list(zombie child): %s, head %#x (expected 0: its list was walked and "
          "dropped at its end)",
          r == 0 ? "0" : errname(errno), head);
    wait_for(pid);
    check_errno("robust.get.reaped", get_list(pid, &head, &len), ESRCH);
    close(go[0]);
    close(go[1]);
    close(ready[0]);
    close(ready[1]);
}

// Threads: a new one has no list; one's list is readable from another.
static volatile uint32_t thread_saw = 1;
static volatile pid_t thread_tid;
static volatile int thread_go;
static struct rhead thread_head;
static void *list_thread(void *arg)
{
    (void)arg;
    uint32_t head = 1, len = 0;
    get_list(0, &head, &len);
    thread_saw = head;
    set_list(&thread_head, HEAD_LEN);
    thread_tid = gettid_();
    while (!thread_go)
        sched_yield();
    return NULL;
}

static void part_thread_calls(void)
{
    static struct rhead mine;
    make_ring(&mine, NULL, 0, 4, 0);
    make_ring(&thread_head, NULL, 0, 4, 0);
    set_list(&mine, HEAD_LEN);
    pthread_t th;
    if (pthread_create(&th, NULL, list_thread, NULL) != 0)
        return;
    while (!thread_tid)
        sched_yield();
    check_eq("robust.thread.starts_without_list", 0, thread_saw);
    uint32_t head = 0, len = 0;
    check(get_list(thread_tid, &head, &len) == 0 && head == (uint32_t)(uintptr_t)&thread_head,
          "robust.thread.other_thread", "get_robust_list(the other thread's tid): head %#x, it set %p",
          head, (void *)&thread_head);
    get_list(0, &head, &len);
    check(head == (uint32_t)(uintptr_t)&mine, "robust.thread.own_unchanged",
          "the main thread's list is now %#x, it set %p", head, (void *)&mine);
    thread_go = 1;
    pthread_join(th, NULL);
}

// --- the walk in a vfork child: the parent sees its memory --------------------------------

static struct rhead vh;
static struct rmutex vm1, vm2;

// In the vfork child: own vm1 and vm2 (one with FUTEX_WAITERS), register.
static void vfork_own(void)
{
    pid_t tid = gettid_();
    vm1.lock = (uint32_t)tid;
    vm2.lock = (uint32_t)tid | FUTEX_WAITERS;
    struct rmutex *const ms[] = { &vm1, &vm2 };
    make_ring(&vh, ms, 2, offsetof(struct rmutex, lock), 0);
    syscall(SYS_set_robust_list, &vh, HEAD_LEN);
}

// A raw thread of the vfork child (clone, no C library inside): owns vm1
// and vm2 and sleeps until its process ends.
static volatile int raw_ready;
static volatile uint32_t never;
static int raw_thread(void *arg)
{
    (void)arg;
    vfork_own();
    raw_ready = 1;
    for (;;)
        syscall(SYS_futex, &never, FUTEX_WAIT, 0, NULL, NULL, 0);
    return 0;
}
static char raw_stack[16384] __attribute__((aligned(16)));

static void check_marked(const char *name, const char *what)
{
    check(vm1.lock == FUTEX_OWNER_DIED && vm2.lock == (FUTEX_OWNER_DIED | FUTEX_WAITERS), name,
          "%s: the words are %#x and %#x, expected %#x and %#x", what, vm1.lock, vm2.lock,
          FUTEX_OWNER_DIED, FUTEX_OWNER_DIED | FUTEX_WAITERS);
}

// A thread of a vfork child owns the words; the child then _exits (how 0)
// or execs /bin/true (how 1), which ends the thread.
static __attribute__((noinline)) void vfork_thread(int how)
{
    static char *argv[] = { "true", NULL };
    static char *envp[] = { NULL };
    const char *true_path = rootpath("/bin/true");
    vm1.lock = vm2.lock = 0;
    raw_ready = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        if (clone(raw_thread, raw_stack + sizeof raw_stack,
                  CLONE_VM | CLONE_THREAD | CLONE_SIGHAND | CLONE_FS | CLONE_FILES, NULL) < 0)
            _exit(98);
        while (!raw_ready)
            syscall(SYS_sched_yield);
        if (how == 1)
            execve(true_path, argv, envp);
        _exit(0);
    }
    const char *name = how ? "robust.vfork.thread_execve" : "robust.vfork.thread_exit";
    // After an execve, Linux has walked the thread's list before vfork
    // returns; after an _exit, only once the whole child is gone.
    if (how == 1)
        check_marked(name, "a thread of a vfork child owned two words, the child exec'd: "
                           "when vfork returned");
    int st = wait_timed(pid, SIG_WAIT_MS);
    if (how == 0)
        check_marked(name, "a thread of a vfork child owned two words, the child _exited: "
                           "once it was reaped");
    check(st == 0, tname("%s.status", name), "the child %s", wstr(st));
}

static void part_vfork(void)
{
    const char *true_path = rootpath("/bin/true");
    char *argv[] = { "true", NULL };
    char *envp[] = { NULL };

    vm1.lock = vm2.lock = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        vfork_own();
        _exit(0);
    }
    check_marked("robust.vfork.exit", "a vfork child that owned two words _exited");
    wait_timed(pid, SIG_WAIT_MS);

    vm1.lock = vm2.lock = 0;
    pid = vfork();
    if (pid == 0) {
        vfork_own();
        execve(true_path, argv, envp);
        _exit(99);
    }
    check_marked("robust.vfork.execve", "a vfork child that owned two words exec'd /bin/true");
    int st = wait_timed(pid, SIG_WAIT_MS);
    check(st == 0, "robust.vfork.execve_ran", "the child that exec'd /bin/true %s", wstr(st));

    vfork_thread(0);
    vfork_thread(1);
}

int main(int argc, char **argv)
{
    // After an execve from part_calls, whose thread had a list: none now.
    if (argc > 1 && strcmp(argv[1], "exec-report") == 0) {
        uint32_t head = 1, len = 0;
        long r = get_list(0, &head, &len);
        check(r == 0 && head == 0, "robust.exec.list_dropped",
              "get_robust_list(0) after execve: %s, head %#x (expected 0)",
              r == 0 ? "0" : errname(errno), head);
        return test_status();
    }
    static const struct sig_part parts[] = {
        { "musl_threads", part_musl_threads },
        { "musl_shared", part_musl_shared },
        { "walk_thread", part_walk_thread },
        { "calls", part_calls },
        { "thread_calls", part_thread_calls },
        { "vfork", part_vfork },
    };
    return sig_run_parts("robust", parts, sizeof parts / sizeof parts[0]);
}
