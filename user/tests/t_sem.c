// t_sem: System V semaphores (semget, semop, semtimedop, semctl; ipc/sem.c):
//   - SETVAL/GETVAL, SETALL/GETALL, GETPID, ERANGE past SEMVMX or below 0;
//   - semop applies all its operations or none; IPC_NOWAIT is EAGAIN;
//   - a blocked semop is woken by another process's semop (GETNCNT and
//     GETZCNT count the waiters), ends with EIDRM when the set is removed,
//     with EINTR at a signal (even with SA_RESTART), with EAGAIN at
//     semtimedop's timeout;
//   - SEM_UNDO: a process's adjustments are undone when it exits (not when
//     one of its threads does); SETVAL clears them;
//   - IPC_STAT, IPC_SET, IPC_INFO, SEM_INFO, /proc/sysvipc/sem, the old
//     layout of ipc(2) without IPC_64; errors: EINVAL, ENOENT, EEXIST,
//     E2BIG, EFBIG, EFAULT, EACCES and EPERM for another user;
//   - a semaphore as a lock around a counter in shared memory, four processes;
//   - ipc(2) (117) with SEMCTL's argument by pointer, semctl (394) and
//     semtimedop_time64 (420);
//   - MemFree back where it started.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

#define NR_IPC 117
#define OLD_IPC_STAT 2             // musl's IPC_STAT is 0x102: IPC_64 is in it
#define IPC_SEMOP 1
#define IPC_SEMCTL 3
#define IPC_SEMTIMEDOP 4
#define NR_SEMTIMEDOP_TIME64 420

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

static key_t test_key(int n)
{
    return (key_t)(0x5c000000 | ((getpid() & 0xffff) << 8) | n);
}

static int op(int id, unsigned short num, short delta, short flags)
{
    struct sembuf b = { num, delta, flags };
    return semop(id, &b, 1);
}

// Wait until cmd (GETNCNT or GETZCNT) of semaphore num says n: 1, or 0
// after two seconds.
static int wait_count(int id, int num, int cmd, int n)
{
    for (int i = 0; i < 2000; i++) {
        if (semctl(id, num, cmd) == n)
            return 1;
        sleep_ms(1);
    }
    return 0;
}

static void values(void)
{
    int id = semget(IPC_PRIVATE, 3, 0600);
    check(id >= 0, "sem.get", "semget: %s", errname(errno));
    check_eq("sem.starts_zero", 0, semctl(id, 1, GETVAL));
    check_eq("sem.setval", 0, semctl(id, 1, SETVAL, (union semun){ .val = 5 }));
    check_eq("sem.getval", 5, semctl(id, 1, GETVAL));
    check_eq("sem.getpid", getpid(), semctl(id, 1, GETPID));
    check_errno("sem.setval_erange", semctl(id, 1, SETVAL, (union semun){ .val = 32768 }), ERANGE);
    check_errno("sem.setval_negative", semctl(id, 1, SETVAL, (union semun){ .val = -1 }), ERANGE);
    check_errno("sem.semnum_einval", semctl(id, 3, GETVAL), EINVAL);
    unsigned short all[3] = { 1, 2, 3 }, got[3] = { 0 };
    check_eq("sem.setall", 0, semctl(id, 0, SETALL, (union semun){ .array = all }));
    check(semctl(id, 0, GETALL, (union semun){ .array = got }) == 0 && got[0] == 1 && got[1] == 2 &&
              got[2] == 3,
          "sem.getall", "%u %u %u", got[0], got[1], got[2]);
    all[2] = 40000;
    check_errno("sem.setall_erange", semctl(id, 0, SETALL, (union semun){ .array = all }), ERANGE);
    check_errno("sem.getall_efault", semctl(id, 0, GETALL, (union semun){ .array = (void *)8 }), EFAULT);

    // All or nothing: the second operation cannot go, so the first is not done.
    struct sembuf two[2] = { { 0, 1, 0 }, { 1, -9, IPC_NOWAIT } };
    check_errno("sem.nowait_eagain", semop(id, two, 2), EAGAIN);
    check_eq("sem.all_or_nothing", 1, semctl(id, 0, GETVAL));
    two[1].sem_op = -2;
    check_eq("sem.two_ops", 0, semop(id, two, 2));
    check(semctl(id, 0, GETVAL) == 2 && semctl(id, 1, GETVAL) == 0, "sem.two_ops_done", "%d %d",
          semctl(id, 0, GETVAL), semctl(id, 1, GETVAL));
    struct sembuf zero = { 1, 0, IPC_NOWAIT };
    check_eq("sem.wait_zero_now", 0, semop(id, &zero, 1));
    check_errno("sem.op_erange", op(id, 2, 32767, 0), ERANGE);

    struct semid_ds ds;
    check(semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }) == 0 && ds.sem_nsems == 3 &&
              (ds.sem_perm.mode & 0777) == 0600 && ds.sem_perm.cuid == geteuid() && ds.sem_otime > 0,
          "sem.ipc_stat", "nsems %lu mode %#o", (unsigned long)ds.sem_nsems, (unsigned)ds.sem_perm.mode);
    ds.sem_perm.mode = 0644;
    check_eq("sem.ipc_set", 0, semctl(id, 0, IPC_SET, (union semun){ .buf = &ds }));
    check(semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }) == 0 && (ds.sem_perm.mode & 0777) == 0644,
          "sem.ipc_set_mode", "mode %#o", (unsigned)ds.sem_perm.mode);
    struct seminfo info;
    check(semctl(0, 0, IPC_INFO, (union semun){ .buf = (void *)&info }) >= 0 && info.semmsl == 32000 &&
              info.semvmx == 32767 && info.semopm == 500,
          "sem.ipc_info", "semmsl %d semvmx %d", info.semmsl, info.semvmx);
    check(semctl(0, 0, SEM_INFO, (union semun){ .buf = (void *)&info }) >= 0 && info.semusz >= 1,
          "sem.sem_info", "sets in use %d", info.semusz);
    char text[8192];
    long n = read_file("/proc/sysvipc/sem", text, sizeof text);
    char want[64];
    snprintf(want, sizeof want, "\n         0 %10d   644          3 ", id);
    check(n > 0 && strncmp(text, "       key      semid perms      nsems   uid", 44) == 0 && strstr(text, want),
          "sem.proc_sysvipc", "no line '%s'", want + 1);
    check_eq("sem.rmid", 0, semctl(id, 0, IPC_RMID));
    check_errno("sem.rmid_again", semctl(id, 0, IPC_RMID), EINVAL);
}

static void on_signal(int sig)
{
    (void)sig;
}

static void waiting(void)
{
    int id = semget(IPC_PRIVATE, 2, 0600);
    // A taker sleeps until another process gives.
    pid_t pid = xfork();
    if (pid == 0)
        _exit(op(id, 0, -2, 0) == 0 ? 0 : 1);
    check(wait_count(id, 0, GETNCNT, 1), "sem.ncnt", "GETNCNT never 1: %d", semctl(id, 0, GETNCNT));
    check_eq("sem.one_not_enough", 0, op(id, 0, 1, 0));
    sleep_ms(20);
    check_eq("sem.still_waiting", 1, semctl(id, 0, GETNCNT));
    check_eq("sem.give", 0, op(id, 0, 1, 0));
    int st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sem.woken", "child %s", status_str(st));
    check_eq("sem.taken", 0, semctl(id, 0, GETVAL));
    check_eq("sem.pid_of_taker", pid, semctl(id, 0, GETPID));

    // Waiting for zero.
    semctl(id, 1, SETVAL, (union semun){ .val = 1 });
    pid = xfork();
    if (pid == 0)
        _exit(op(id, 1, 0, 0) == 0 ? 0 : 1);
    check(wait_count(id, 1, GETZCNT, 1), "sem.zcnt", "GETZCNT never 1");
    op(id, 1, -1, 0);
    st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sem.zero_woken", "child %s", status_str(st));

    // A signal ends the wait with EINTR, SA_RESTART or not.
    pid = xfork();
    if (pid == 0) {
        struct sigaction sa = { 0 };
        sa.sa_handler = on_signal;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGUSR1, &sa, NULL);
        int r = op(id, 0, -1, 0);
        _exit(r == -1 && errno == EINTR ? 0 : 1);
    }
    wait_count(id, 0, GETNCNT, 1);
    kill(pid, SIGUSR1);
    st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sem.eintr", "child %s", status_str(st));
    check_eq("sem.eintr_no_waiter_left", 0, semctl(id, 0, GETNCNT));

    // semtimedop: the timeout ends the wait with EAGAIN; through ipc(2)
    // and semtimedop_time64 too.
    struct sembuf take = { 0, -1, 0 };
    struct timespec ts = { 0, 30 * 1000 * 1000 };
    long long t0 = mono_ns();
    check_errno("sem.timedop_eagain", semtimedop(id, &take, 1, &ts), EAGAIN);
    check(mono_ns() - t0 >= 25 * 1000 * 1000, "sem.timedop_waited", "waited %lld ns", mono_ns() - t0);
    struct { int32_t sec, nsec; } ts32 = { 0, 1000000 };
    check_errno("sem.ipc_timedop", syscall(NR_IPC, IPC_SEMTIMEDOP, id, 1, 0, &take, &ts32), EAGAIN);
    struct { int64_t sec, nsec; } ts64 = { 0, 1000000 };
    check_errno("sem.timedop_time64", syscall(NR_SEMTIMEDOP_TIME64, id, &take, 1, &ts64), EAGAIN);
    ts64.nsec = 1000000000;
    check_errno("sem.timedop_bad_nsec", syscall(NR_SEMTIMEDOP_TIME64, id, &take, 1, &ts64), EINVAL);
    check_errno("sem.timedop_efault", syscall(NR_SEMTIMEDOP_TIME64, id, &take, 1, (void *)8), EFAULT);

    // Removal wakes a waiter with EIDRM.
    pid = xfork();
    if (pid == 0) {
        int r = op(id, 0, -1, 0);
        _exit(r == -1 && errno == EIDRM ? 0 : 1);
    }
    wait_count(id, 0, GETNCNT, 1);
    check_eq("sem.rmid_with_waiter", 0, semctl(id, 0, IPC_RMID));
    st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sem.eidrm", "child %s", status_str(st));
}

static void *take_with_undo(void *arg)
{
    op(*(int *)arg, 0, -1, SEM_UNDO);
    return NULL;
}

static void undo(void)
{
    int id = semget(IPC_PRIVATE, 2, 0600);
    semctl(id, 0, SETVAL, (union semun){ .val = 1 });
    pid_t pid = xfork();
    if (pid == 0) {
        if (op(id, 0, -1, SEM_UNDO) < 0 || op(id, 1, 3, SEM_UNDO) < 0 || op(id, 1, -1, SEM_UNDO) < 0)
            _exit(1);
        _exit(semctl(id, 0, GETVAL) == 0 && semctl(id, 1, GETVAL) == 2 ? 0 : 2);
    }
    int st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sem.undo_child", "child %s", status_str(st));
    check(semctl(id, 0, GETVAL) == 1 && semctl(id, 1, GETVAL) == 0, "sem.undo_at_exit",
          "values %d %d, wanted 1 0", semctl(id, 0, GETVAL), semctl(id, 1, GETVAL));
    check_eq("sem.undo_pid", pid, semctl(id, 0, GETPID));

    // Threads share their process's adjustments (C libraries make threads
    // with CLONE_SYSVSEM): a thread's end undoes nothing, the process's does.
    pid = xfork();
    if (pid == 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, take_with_undo, &id) != 0 || pthread_join(t, NULL) != 0)
            _exit(1);
        _exit(semctl(id, 0, GETVAL) == 0 ? 0 : 2);
    }
    st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sem.undo_thread_end_keeps", "child %s", status_str(st));
    check_eq("sem.undo_process_end", 1, semctl(id, 0, GETVAL));

    // A holder that dies gives the semaphore back to a waiter.
    pid = xfork();
    if (pid == 0) {
        op(id, 0, -1, SEM_UNDO);
        pause();
        _exit(0);
    }
    for (int i = 0; i < 2000 && semctl(id, 0, GETVAL) != 0; i++)
        sleep_ms(1);
    kill(pid, SIGKILL);
    wait_for(pid);
    check_eq("sem.undo_killed", 1, semctl(id, 0, GETVAL));

    // SETVAL clears the adjustments: nothing is undone.
    pid = xfork();
    if (pid == 0) {
        op(id, 1, 2, SEM_UNDO);
        semctl(id, 1, SETVAL, (union semun){ .val = 7 });
        _exit(0);
    }
    wait_for(pid);
    check_eq("sem.setval_clears_undo", 7, semctl(id, 1, GETVAL));
    // Clamped at 0: the value fell below what is undone.
    semctl(id, 1, SETVAL, (union semun){ .val = 0 });
    pid = xfork();
    if (pid == 0) {
        op(id, 1, 2, SEM_UNDO);
        semctl(id, 1, SETALL, (union semun){ .array = (unsigned short[]){ 1, 1 } });
        op(id, 1, 1, SEM_UNDO);    // adj -1, value 2
        op(id, 1, -2, 0);          // value 0
        _exit(0);
    }
    wait_for(pid);
    check_eq("sem.undo_clamped", 0, semctl(id, 1, GETVAL));
    semctl(id, 0, IPC_RMID);
}

// A semaphore as a lock around a counter in shared memory: four processes
// each add 200 with a pause inside the lock; none is lost.
static void lock_counter(void)
{
    int sem = semget(IPC_PRIVATE, 1, 0600);
    int shm = shmget(IPC_PRIVATE, 4096, 0600);
    volatile int *counter = shmat(shm, NULL, 0);
    if (sem < 0 || shm < 0 || counter == (void *)-1) {
        fail("sem.lock_setup", "%s", errname(errno));
        return;
    }
    shmctl(shm, IPC_RMID, NULL);   // goes with the last detach
    semctl(sem, 0, SETVAL, (union semun){ .val = 1 });
    pid_t kids[4];
    for (int k = 0; k < 4; k++) {
        kids[k] = xfork();
        if (kids[k] == 0) {
            for (int i = 0; i < 200; i++) {
                if (op(sem, 0, -1, SEM_UNDO) < 0)
                    _exit(1);
                int v = *counter;
                if (i % 16 == 0)
                    sched_yield();
                *counter = v + 1;
                if (op(sem, 0, 1, SEM_UNDO) < 0)
                    _exit(2);
            }
            _exit(0);
        }
    }
    int bad = 0;
    for (int k = 0; k < 4; k++) {
        int st = wait_for(kids[k]);
        bad += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    check(bad == 0 && *counter == 800, "sem.lock_counter", "counter %d, %d children failed", *counter, bad);
    check_eq("sem.lock_free_after", 1, semctl(sem, 0, GETVAL));
    shmdt((void *)counter);
    semctl(sem, 0, IPC_RMID);
}

static void errors(void)
{
    key_t key = test_key(1);
    check_errno("sem.enoent", semget(key, 1, 0600), ENOENT);
    int id = semget(key, 4, IPC_CREAT | IPC_EXCL | 0640);
    check(id >= 0, "sem.create_key", "semget: %s", errname(errno));
    check_eq("sem.same_key", id, semget(key, 2, 0));
    check_eq("sem.same_key_nsems0", id, semget(key, 0, 0));
    check_errno("sem.more_sems_einval", semget(key, 5, 0), EINVAL);
    check_errno("sem.eexist", semget(key, 1, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
    check_errno("sem.nsems0_einval", semget(IPC_PRIVATE, 0, 0600), EINVAL);
    check_errno("sem.nsems_too_many", semget(IPC_PRIVATE, 32001, 0600), EINVAL);
    check_errno("sem.nsems_negative", semget(IPC_PRIVATE, -1, 0600), EINVAL);
    struct sembuf b = { 0, 1, 0 };
    check_errno("sem.nsops0", semop(id, &b, 0), EINVAL);
    static struct sembuf many[501];
    check_errno("sem.nsops_e2big", semop(id, many, 501), E2BIG);
    b.sem_num = 4;
    check_errno("sem.semnum_efbig", semop(id, &b, 1), EFBIG);
    check_errno("sem.sops_efault", semop(id, (struct sembuf *)8, 1), EFAULT);
    check_errno("sem.bad_id", semop(0x7ffffff0, &many[0], 1), EINVAL);
    check_errno("sem.bad_cmd", semctl(id, 0, 1234), EINVAL);

    // ipc(2): SEMCTL's argument comes by pointer; GETVAL ignores it, but
    // it must be there.
    union semun arg = { .val = 9 };
    check_eq("sem.ipc_setval", 0, syscall(NR_IPC, IPC_SEMCTL, id, 2, SETVAL | 0x100, &arg, 0));
    check_eq("sem.ipc_getval", 9, syscall(NR_IPC, IPC_SEMCTL, id, 2, GETVAL | 0x100, &arg, 0));
    check_errno("sem.ipc_semctl_null", syscall(NR_IPC, IPC_SEMCTL, id, 2, GETVAL, NULL, 0), EINVAL);
    check_errno("sem.ipc_semctl_efault", syscall(NR_IPC, IPC_SEMCTL, id, 2, GETVAL, (void *)8, 0), EFAULT);
    struct sembuf take = { 2, -4, 0 };
    check_eq("sem.ipc_semop", 0, syscall(NR_IPC, IPC_SEMOP, id, 1, 0, &take, 0));
    check_eq("sem.direct_semctl", 5, syscall(SYS_semctl, id, 2, GETVAL, 0));
    check_eq("sem.direct_setval", 0, syscall(SYS_semctl, id, 2, SETVAL, 3));
    check_eq("sem.direct_getval", 3, semctl(id, 2, GETVAL));
    // Without IPC_64: the old layout (nsems is a short at 40).
    struct {
        int32_t key;
        uint16_t uid, gid, cuid, cgid, mode, seq;
        int32_t otime, ctime;
        uint32_t base, pending, pending_last, undo;
        uint16_t nsems;
    } old = { 0 };
    _Static_assert(sizeof old == 44, "the old struct semid_ds is 44 bytes");
    union semun oldarg = { .buf = (void *)&old };
    check(syscall(NR_IPC, IPC_SEMCTL, id, 0, OLD_IPC_STAT, &oldarg, 0) == 0 && old.nsems == 4 &&
              old.mode == 0640 && old.key == key,
          "sem.ipc_old_stat", "nsems %u mode %#o", old.nsems, old.mode);

    // Another user: mode 0640 gives it nothing; only the owner removes.
    pid_t pid = xfork();
    if (pid == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(10);
        if (semget(key, 0, 0) != id)
            _exit(11);
        if (semget(key, 0, 0400) != -1 || errno != EACCES)
            _exit(12);
        if (semctl(id, 0, GETVAL) != -1 || errno != EACCES)
            _exit(13);
        if (op(id, 0, 1, IPC_NOWAIT) != -1 || errno != EACCES)
            _exit(14);
        if (semctl(id, 0, IPC_RMID) != -1 || errno != EPERM)
            _exit(15);
        _exit(0);
    }
    int st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sem.other_user", "child %s (10: setuid, 11-15: a step)",
          status_str(st));
    check_eq("sem.rmid_key", 0, semctl(id, 0, IPC_RMID));
    check_errno("sem.key_gone", semget(key, 1, 0), ENOENT);
}

// Waiters are served in the order they came (Linux's queue): four
// processes are made first and then sent to wait in the opposite order, so
// that their order of arrival is not the order of their process slots;
// each give of 1 must wake the one that waited longest.
static void fifo(void)
{
    enum { N = 4 };
    int id = semget(IPC_PRIVATE, 1, 0600);
    int go[N][2], done[2];
    pid_t pid[N];
    if (pipe(done) < 0)
        return;
    for (int i = 0; i < N; i++) {
        pipe(go[i]);
        pid[i] = xfork();
        if (pid[i] == 0) {
            char c;
            close(done[0]);
            if (read(go[i][0], &c, 1) != 1 || op(id, 0, -1, 0) < 0)
                _exit(1);
            c = (char)('0' + i);
            write(done[1], &c, 1);
            _exit(0);
        }
        close(go[i][0]);
    }
    close(done[1]);
    int queued = 1;
    for (int i = N - 1; i >= 0; i--) {     // waits in the order 3, 2, 1, 0
        write(go[i][1], "g", 1);
        queued = queued && wait_count(id, 0, GETNCNT, N - i);
    }
    char order[N + 1] = "";
    for (int i = 0; i < N; i++) {
        op(id, 0, 1, 0);
        if (read(done[0], &order[i], 1) != 1)
            break;
    }
    for (int i = 0; i < N; i++) {
        wait_for(pid[i]);
        close(go[i][1]);
    }
    close(done[0]);
    check(queued && strcmp(order, "3210") == 0, "sem.fifo", "served %s (queued %d), not 3210",
          order, queued);
    semctl(id, 0, IPC_RMID);
}

static void all(void *arg)
{
    (void)arg;
    values();
    waiting();
    fifo();
    undo();
    lock_counter();
    errors();
    _exit(test_status());
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all, NULL);
    if (st < 0 || !WIFEXITED(st))
        fail("sem.run", "the test's process %s", st < 0 ? "was lost" : status_str(st));
    memfree_check("sem.memfree", before);
    return test_status() || (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st));
}
