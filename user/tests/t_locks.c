// t_locks: advisory file locks, with Linux's rules (fs/lock.c).
//
//   - POSIX record locks (fcntl F_SETLK/F_SETLKW/F_GETLK): byte ranges, read
//     locks shared and write locks exclusive between processes; F_GETLK
//     names the first conflicting lock (its type, range and the holder's
//     pid) or says F_UNLCK; a process's own locks are replaced, merged and
//     split (unlocking the middle of a range leaves two); l_len 0 runs to
//     the end, a negative l_len covers the bytes before l_start; F_SETLK
//     with a conflict is EAGAIN, F_SETLKW waits until the holder unlocks,
//     is interrupted by a signal (EINTR) and finds a two-process deadlock
//     (EDEADLK); closing ANY descriptor of the file drops all the process's
//     locks on it; exit drops them; a fork child does not inherit them (it
//     sees its parent's lock as another's); threads share their process's;
//   - OFD locks (F_OFD_*): owned by the open file description, so shared
//     with a fork child through the inherited descriptor, held until the
//     description's last descriptor closes, conflicting with POSIX locks
//     (even the same process's); l_pid must be 0; F_GETLK shows l_pid -1;
//   - flock(2): whole file, owned by the description (shared across fork),
//     LOCK_NB gives EWOULDBLOCK, SH and EX convert, released at the last
//     close; flock and fcntl locks do not see each other;
//   - EBADF (a write lock on a read-only descriptor, a read lock on a
//     write-only one, a bad descriptor) and EINVAL (l_type, l_whence, a
//     start before the file, flock's operation, F_GETLK with F_UNLCK) and
//     EOVERFLOW (a range past the largest offset);
//   - the old fcntl (55) reads a 32-bit struct flock;
//   - processes that took locks give back all the memory when they exit.
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define OWN (-1)   // a child's fd argument: open the file itself, a new description

static const char *path;

static int open_rw(void)
{
    int fd = open(path, O_RDWR);
    if (fd < 0)
        fail("locks.open", "open %s: %s", path, errname(errno));
    return fd;
}

static int lk(int fd, int cmd, short type, off_t start, off_t len)
{
    struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
    return fcntl(fd, cmd, &fl) < 0 ? errno : 0;
}

// Fork: the child runs fn(fd) (fd OWN: on a new open of the file) and exits
// with what it returns (an errno, or 0); the result is that, or -1.
static int in_child(int fd, int (*fn)(int fd, void *arg), void *arg)
{
    pid_t pid = xfork();
    if (pid == 0) {
        if (fd == OWN)
            fd = open(path, O_RDWR);
        _exit(fn(fd, arg) & 0xff);
    }
    int st = wait_for(pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

struct req { int cmd; short type; off_t start, len; struct flock *out; int pipe_w; };

static int do_lk(int fd, void *a)
{
    struct req *r = a;
    struct flock fl = { .l_type = r->type, .l_whence = SEEK_SET, .l_start = r->start, .l_len = r->len };
    int e = fcntl(fd, r->cmd, &fl) < 0 ? errno : 0;
    if (r->pipe_w >= 0)
        write(r->pipe_w, &fl, sizeof fl);
    return e;
}

// A child's fcntl(cmd) of type on start/len: its errno or 0.
static int child_lk(int fd, int cmd, short type, off_t start, off_t len)
{
    struct req r = { cmd, type, start, len, 0, -1 };
    return in_child(fd, do_lk, &r);
}

// A child's F_GETLK (or F_OFD_GETLK) of a write lock on start/len, into *out.
static int child_getlk(int fd, int cmd, off_t start, off_t len, struct flock *out)
{
    int p[2];
    if (pipe(p) < 0)
        return -1;
    struct req r = { cmd, F_WRLCK, start, len, 0, p[1] };
    int e = in_child(fd, do_lk, &r);
    memset(out, 0, sizeof *out);
    if (read(p[0], out, sizeof *out) != sizeof *out)
        e = -1;
    close(p[0]);
    close(p[1]);
    return e;
}

static int do_flock(int fd, void *a)
{
    return flock(fd, *(int *)a) < 0 ? errno : 0;
}

static int child_flock(int fd, int op)
{
    return in_child(fd, do_flock, &op);
}

static void test_conflicts(void)
{
    int fd = open_rw();
    check_eq("locks.setlk", 0, lk(fd, F_SETLK, F_WRLCK, 0, 100));
    check_eq("locks.child_write_conflict", EAGAIN, child_lk(fd, F_SETLK, F_WRLCK, 50, 10));
    check_eq("locks.child_read_conflict", EAGAIN, child_lk(OWN, F_SETLK, F_RDLCK, 99, 1));
    check_eq("locks.child_beyond", 0, child_lk(fd, F_SETLK, F_WRLCK, 100, 10));
    struct flock fl;
    check_eq("locks.getlk", 0, child_getlk(fd, F_GETLK, 0, 0, &fl));
    check_eq("locks.getlk_type", F_WRLCK, fl.l_type);
    check_eq("locks.getlk_pid", getpid(), fl.l_pid);
    check_eq("locks.getlk_start", 0, fl.l_start);
    check_eq("locks.getlk_len", 100, fl.l_len);
    check_eq("locks.getlk_whence", SEEK_SET, fl.l_whence);
    check_eq("locks.getlk_free", 0, child_getlk(fd, F_GETLK, 100, 5, &fl));
    check_eq("locks.getlk_free_type", F_UNLCK, fl.l_type);
    // Our own lock is no conflict for us.
    fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    check(fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK, "locks.getlk_own",
          "F_GETLK on our own lock: type %d", fl.l_type);
    // Read locks are shared; a read lock replaces our write lock.
    check_eq("locks.downgrade", 0, lk(fd, F_SETLK, F_RDLCK, 0, 100));
    check_eq("locks.read_shared", 0, child_lk(OWN, F_SETLK, F_RDLCK, 10, 10));
    check_eq("locks.read_excludes_write", EAGAIN, child_lk(OWN, F_SETLK, F_WRLCK, 10, 10));
    check_eq("locks.unlock_all", 0, lk(fd, F_SETLK, F_UNLCK, 0, 0));
    check_eq("locks.unlocked", 0, child_lk(OWN, F_SETLK, F_WRLCK, 0, 0));
    close(fd);
}

static void test_ranges(void)
{
    int fd = open_rw();
    struct flock fl;
    check_eq("locks.split_lock", 0, lk(fd, F_SETLK, F_WRLCK, 0, 100));
    check_eq("locks.split_unlock_middle", 0, lk(fd, F_SETLK, F_UNLCK, 40, 20));
    check_eq("locks.split_hole_free", 0, child_lk(fd, F_SETLK, F_WRLCK, 45, 10));
    check_eq("locks.split_left_held", EAGAIN, child_lk(fd, F_SETLK, F_WRLCK, 39, 1));
    check_eq("locks.split_right_held", EAGAIN, child_lk(fd, F_SETLK, F_WRLCK, 60, 1));
    child_getlk(fd, F_GETLK, 0, 0, &fl);
    check(fl.l_type == F_WRLCK && fl.l_start == 0 && fl.l_len == 40, "locks.split_left_range",
          "type %d start %lld len %lld, want 0 len 40", fl.l_type, (long long)fl.l_start, (long long)fl.l_len);
    child_getlk(fd, F_GETLK, 40, 0, &fl);
    check(fl.l_type == F_WRLCK && fl.l_start == 60 && fl.l_len == 40, "locks.split_right_range",
          "type %d start %lld len %lld, want 60 len 40", fl.l_type, (long long)fl.l_start, (long long)fl.l_len);
    // Filling the hole merges the three into one.
    check_eq("locks.merge", 0, lk(fd, F_SETLK, F_WRLCK, 40, 20));
    child_getlk(fd, F_GETLK, 0, 0, &fl);
    check(fl.l_start == 0 && fl.l_len == 100, "locks.merge_range",
          "start %lld len %lld, want 0 len 100", (long long)fl.l_start, (long long)fl.l_len);
    lk(fd, F_SETLK, F_UNLCK, 0, 0);
    // l_len 0: to the end of the file and beyond.
    check_eq("locks.to_end", 0, lk(fd, F_SETLK, F_WRLCK, 1000, 0));
    check_eq("locks.to_end_far", EAGAIN, child_lk(fd, F_SETLK, F_WRLCK, 1000000000, 1));
    child_getlk(fd, F_GETLK, 0, 0, &fl);
    check(fl.l_start == 1000 && fl.l_len == 0, "locks.to_end_range",
          "start %lld len %lld, want 1000 len 0", (long long)fl.l_start, (long long)fl.l_len);
    lk(fd, F_SETLK, F_UNLCK, 0, 0);
    // A negative l_len: the bytes before l_start.
    check_eq("locks.negative_len", 0, lk(fd, F_SETLK, F_WRLCK, 100, -10));
    child_getlk(fd, F_GETLK, 0, 0, &fl);
    check(fl.l_start == 90 && fl.l_len == 10, "locks.negative_len_range",
          "start %lld len %lld, want 90 len 10", (long long)fl.l_start, (long long)fl.l_len);
    check_eq("locks.negative_len_end_free", 0, child_lk(fd, F_SETLK, F_WRLCK, 100, 1));
    lk(fd, F_SETLK, F_UNLCK, 0, 0);
    // SEEK_CUR and SEEK_END.
    write(fd, "0123456789", 10);                        // offset 10, size >= 10
    struct flock cur = { .l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = -2, .l_len = 1 };
    check_eq("locks.seek_cur", 0, fcntl(fd, F_SETLK, &cur) < 0 ? errno : 0);
    check_eq("locks.seek_cur_held", EAGAIN, child_lk(fd, F_SETLK, F_WRLCK, 8, 1));
    check_eq("locks.seek_cur_next_free", 0, child_lk(fd, F_SETLK, F_WRLCK, 9, 1));
    off_t size = lseek(fd, 0, SEEK_END);
    struct flock end = { .l_type = F_WRLCK, .l_whence = SEEK_END, .l_start = 5, .l_len = 1 };
    check_eq("locks.seek_end", 0, fcntl(fd, F_SETLK, &end) < 0 ? errno : 0);
    check_eq("locks.seek_end_held", EAGAIN, child_lk(fd, F_SETLK, F_WRLCK, size + 5, 1));
    lk(fd, F_SETLK, F_UNLCK, 0, 0);
    close(fd);
}

static void test_errors(void)
{
    int rd = open(path, O_RDONLY), wr = open(path, O_WRONLY), rw = open_rw();
    struct flock fl;
    check_eq("locks.ebadf_write_on_rdonly", EBADF, lk(rd, F_SETLK, F_WRLCK, 0, 1));
    check_eq("locks.ebadf_read_on_wronly", EBADF, lk(wr, F_SETLK, F_RDLCK, 0, 1));
    check_eq("locks.read_on_rdonly", 0, lk(rd, F_SETLK, F_RDLCK, 0, 1));
    check_eq("locks.write_on_wronly", 0, lk(wr, F_SETLK, F_WRLCK, 5, 1));
    check_eq("locks.unlock_on_rdonly", 0, lk(rd, F_SETLK, F_UNLCK, 0, 0));
    check_eq("locks.ebadf_fd", EBADF, lk(999, F_SETLK, F_WRLCK, 0, 1));
    check_eq("locks.einval_type", EINVAL, lk(rw, F_SETLK, 7, 0, 1));
    fl = (struct flock){ .l_type = F_WRLCK, .l_whence = 5, .l_start = 0, .l_len = 1 };
    check_errno("locks.einval_whence", fcntl(rw, F_SETLK, &fl), EINVAL);
    check_eq("locks.einval_negative_start", EINVAL, lk(rw, F_SETLK, F_WRLCK, -5, 1));
    check_eq("locks.einval_len_before_0", EINVAL, lk(rw, F_SETLK, F_WRLCK, 5, -10));
    check_eq("locks.eoverflow_end", EOVERFLOW, lk(rw, F_SETLK, F_WRLCK, INT64_MAX, 2));
    check_eq("locks.last_byte", 0, lk(rw, F_SETLK, F_WRLCK, INT64_MAX, 1));
    check_eq("locks.last_byte_held", EAGAIN, child_lk(OWN, F_SETLK, F_WRLCK, INT64_MAX - 1, 0));
    lk(rw, F_SETLK, F_UNLCK, 0, 0);
    fl = (struct flock){ .l_type = F_UNLCK, .l_whence = SEEK_SET };
    check_errno("locks.einval_getlk_unlck", fcntl(rw, F_GETLK, &fl), EINVAL);
    fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_pid = 1 };
    check_errno("locks.einval_ofd_pid", fcntl(rw, F_OFD_SETLK, &fl), EINVAL);
    check_errno("locks.efault", fcntl(rw, F_SETLK, (void *)8), EFAULT);
    check_errno("locks.flock_einval", flock(rw, 0), EINVAL);
    check_errno("locks.flock_einval_both", flock(rw, LOCK_SH | LOCK_EX), EINVAL);
    check_errno("locks.flock_ebadf", flock(999, LOCK_SH), EBADF);
    close(rd);
    close(wr);
    close(rw);
}

// The old fcntl (55) with Linux's 32-bit struct flock.
struct flock32 { short l_type, l_whence; int l_start, l_len, l_pid; };

static void test_old_fcntl(void)
{
    int fd = open_rw();
    lk(fd, F_SETLK, F_WRLCK, 30, 7);
    pid_t pid = xfork();
    if (pid == 0) {
        struct flock32 f = { F_WRLCK, SEEK_SET, 0, 0, 0 };
        long r = syscall(SYS_fcntl, fd, 5 /* F_GETLK */, &f);
        _exit(r == 0 && f.l_type == F_WRLCK && f.l_start == 30 && f.l_len == 7 &&
              f.l_pid == getppid() ? 0 : 1);
    }
    int st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "locks.old_fcntl_getlk",
          "fcntl(55, F_GETLK) with struct flock: child %s", status_str(st));
    struct flock32 f = { F_RDLCK, SEEK_SET, 0, 0, 0 };
    check_eq("locks.old_fcntl_setlk", 0, syscall(SYS_fcntl, fd, 6 /* F_SETLK */, &f) < 0 ? errno : 0);
    check_eq("locks.old_fcntl_setlk_took", EAGAIN, child_lk(OWN, F_SETLK, F_WRLCK, 500, 1));
    close(fd);
}

static void test_close_rule(void)
{
    int fd1 = open_rw(), fd2 = open_rw();
    check_eq("locks.close_lock", 0, lk(fd1, F_SETLK, F_WRLCK, 0, 10));
    check_eq("locks.close_before", EAGAIN, child_lk(OWN, F_SETLK, F_WRLCK, 0, 1));
    close(fd2);   // another descriptor, another description: still drops the lock
    check_eq("locks.close_other_fd_drops", 0, child_lk(OWN, F_SETLK, F_WRLCK, 0, 1));
    // dup, then close the dup: the same.
    lk(fd1, F_SETLK, F_WRLCK, 0, 10);
    close(dup(fd1));
    check_eq("locks.close_dup_drops", 0, child_lk(OWN, F_SETLK, F_WRLCK, 0, 1));
    // A child's close does not drop the parent's locks (another process).
    lk(fd1, F_SETLK, F_WRLCK, 0, 10);
    pid_t pid = xfork();
    if (pid == 0) {
        close(fd1);
        _exit(0);
    }
    wait_for(pid);
    check_eq("locks.child_close_keeps", EAGAIN, child_lk(OWN, F_SETLK, F_WRLCK, 0, 1));
    close(fd1);
}

static void test_fork_exit(void)
{
    int fd = open_rw();
    lk(fd, F_SETLK, F_WRLCK, 0, 10);
    struct flock fl;
    // The child's F_GETLK sees its parent's lock as another's: not inherited.
    child_getlk(fd, F_GETLK, 0, 10, &fl);
    check(fl.l_type == F_WRLCK && fl.l_pid == getpid(), "locks.fork_not_inherited",
          "child's F_GETLK: type %d pid %d (parent %d)", fl.l_type, fl.l_pid, getpid());
    lk(fd, F_SETLK, F_UNLCK, 0, 0);
    // A child that takes a lock and exits: the lock goes with it.
    check_eq("locks.exit_child_locked", 0, child_lk(fd, F_SETLK, F_WRLCK, 0, 0));
    check_eq("locks.exit_drops", 0, lk(fd, F_SETLK, F_WRLCK, 0, 0));
    lk(fd, F_SETLK, F_UNLCK, 0, 0);
    close(fd);
}

static int thread_fd;

static void *thread_locks(void *arg)
{
    (void)arg;
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
    long seen = fcntl(thread_fd, F_GETLK, &fl) < 0 ? -errno : fl.l_type;
    long took = lk(thread_fd, F_SETLK, F_WRLCK, 0, 20);
    return (void *)(seen * 100 + took);
}

// Threads are one process: they share its record locks.
static void test_threads(void)
{
    thread_fd = open_rw();
    lk(thread_fd, F_SETLK, F_WRLCK, 0, 10);
    pthread_t th;
    void *ret = 0;
    if (pthread_create(&th, 0, thread_locks, 0) != 0) {
        fail("locks.thread", "pthread_create failed");
        close(thread_fd);
        return;
    }
    pthread_join(th, &ret);
    long r = (long)ret;
    check_eq("locks.thread_sees_own_process", F_UNLCK, r / 100);
    check_eq("locks.thread_takes_over", 0, r % 100);
    check_eq("locks.thread_lock_is_process", EAGAIN, child_lk(OWN, F_SETLK, F_WRLCK, 15, 1));
    close(thread_fd);
}

static void on_alarm(int sig)
{
    (void)sig;
}

static void test_wait(void)
{
    int fd = open_rw();
    lk(fd, F_SETLK, F_WRLCK, 0, 10);
    int ready[2], done[2];
    pipe(ready);
    pipe(done);
    pid_t pid = xfork();
    if (pid == 0) {
        int e = open(path, O_RDWR);
        write(ready[1], "r", 1);
        char c = lk(e, F_SETLKW, F_WRLCK, 5, 1) == 0 ? 'y' : 'n';
        write(done[1], &c, 1);
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    sleep_ms(150);
    fcntl(done[0], F_SETFL, O_NONBLOCK);
    check_errno("locks.setlkw_blocks", read(done[0], &c, 1), EAGAIN);
    lk(fd, F_SETLK, F_UNLCK, 0, 0);
    fcntl(done[0], F_SETFL, 0);
    c = 0;
    read(done[0], &c, 1);
    check_eq("locks.setlkw_wakes", 'y', c);
    wait_for(pid);

    // EINTR: a handler without SA_RESTART interrupts F_SETLKW.
    lk(fd, F_SETLK, F_WRLCK, 0, 10);
    pid = xfork();
    if (pid == 0) {
        struct sigaction sa = { .sa_handler = on_alarm };
        sigaction(SIGALRM, &sa, 0);
        int e = open(path, O_RDWR);
        struct itimerval it = { .it_value = { 0, 100000 } };
        setitimer(ITIMER_REAL, &it, 0);
        _exit(lk(e, F_SETLKW, F_WRLCK, 0, 1));
    }
    int st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == EINTR, "locks.setlkw_eintr",
          "child %s, want exit %d (EINTR)", status_str(st), EINTR);
    lk(fd, F_SETLK, F_UNLCK, 0, 0);

    // EDEADLK: we hold byte 0 and want byte 1; the child holds byte 1 and
    // waits for byte 0.
    lk(fd, F_SETLK, F_WRLCK, 0, 1);
    pid = xfork();
    if (pid == 0) {
        int e = open(path, O_RDWR);
        lk(e, F_SETLK, F_WRLCK, 1, 1);
        write(ready[1], "r", 1);
        int r = lk(e, F_SETLKW, F_WRLCK, 0, 1);
        _exit(r);
    }
    read(ready[0], &c, 1);
    sleep_ms(150);   // the child is asleep in F_SETLKW
    check_eq("locks.edeadlk", EDEADLK, lk(fd, F_SETLKW, F_WRLCK, 1, 1));
    lk(fd, F_SETLK, F_UNLCK, 0, 1);   // the child gets byte 0
    st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "locks.edeadlk_other_proceeds",
          "child %s", status_str(st));
    close(ready[0]);
    close(ready[1]);
    close(done[0]);
    close(done[1]);
    close(fd);
}

static void test_ofd(void)
{
    int fd = open_rw();
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    check_eq("locks.ofd_setlk", 0, fcntl(fd, F_OFD_SETLK, &fl) < 0 ? errno : 0);
    check_eq("locks.ofd_child_shares", 0, child_lk(fd, F_OFD_SETLK, F_WRLCK, 0, 0));
    check_eq("locks.ofd_other_description", EAGAIN, child_lk(OWN, F_OFD_SETLK, F_WRLCK, 0, 1));
    check_eq("locks.ofd_vs_posix", EAGAIN, child_lk(OWN, F_SETLK, F_RDLCK, 0, 1));
    int fd2 = open_rw();
    check_eq("locks.ofd_vs_own_posix", EAGAIN, lk(fd2, F_SETLK, F_WRLCK, 0, 1));
    struct flock g;
    check_eq("locks.ofd_getlk", 0, child_getlk(OWN, F_OFD_GETLK, 0, 0, &g));
    check(g.l_type == F_WRLCK && g.l_pid == -1, "locks.ofd_getlk_pid",
          "type %d pid %d, want F_WRLCK and -1", g.l_type, g.l_pid);
    // Closing another descriptor does not drop an OFD lock.
    close(fd2);
    check_eq("locks.ofd_survives_close_other", EAGAIN, child_lk(OWN, F_OFD_SETLK, F_WRLCK, 0, 1));
    // Held until the last descriptor of the description closes: a child
    // keeps the inherited descriptor open while we close ours.
    int hold[2], go[2];
    pipe(hold);
    pipe(go);
    pid_t pid = xfork();
    if (pid == 0) {
        char c;
        close(go[1]);
        write(hold[1], "h", 1);
        read(go[0], &c, 1);
        _exit(0);
    }
    char c;
    read(hold[0], &c, 1);
    close(fd);
    check_eq("locks.ofd_held_by_child", EAGAIN, child_lk(OWN, F_OFD_SETLK, F_WRLCK, 0, 1));
    write(go[1], "g", 1);
    wait_for(pid);
    check_eq("locks.ofd_last_close_drops", 0, child_lk(OWN, F_OFD_SETLK, F_WRLCK, 0, 1));
    close(hold[0]);
    close(hold[1]);
    close(go[0]);
    close(go[1]);
}

static void test_flock(void)
{
    int fd = open_rw();
    check_eq("locks.flock_ex", 0, flock(fd, LOCK_EX) < 0 ? errno : 0);
    check_eq("locks.flock_child_shares", 0, child_flock(fd, LOCK_EX | LOCK_NB));
    check_eq("locks.flock_nb_ewouldblock", EWOULDBLOCK, child_flock(OWN, LOCK_SH | LOCK_NB));
    check_eq("locks.flock_vs_fcntl", 0, child_lk(OWN, F_SETLK, F_WRLCK, 0, 0));
    check_eq("locks.flock_to_sh", 0, flock(fd, LOCK_SH) < 0 ? errno : 0);
    check_eq("locks.flock_sh_shared", 0, child_flock(OWN, LOCK_SH | LOCK_NB));
    check_eq("locks.flock_sh_excludes_ex", EWOULDBLOCK, child_flock(OWN, LOCK_EX | LOCK_NB));
    check_eq("locks.flock_un", 0, flock(fd, LOCK_UN) < 0 ? errno : 0);
    check_eq("locks.flock_unlocked", 0, child_flock(OWN, LOCK_EX | LOCK_NB));
    // fcntl locks do not stop flock.
    lk(fd, F_SETLK, F_WRLCK, 0, 0);
    check_eq("locks.fcntl_vs_flock", 0, child_flock(OWN, LOCK_EX | LOCK_NB));
    lk(fd, F_SETLK, F_UNLCK, 0, 0);
    // Released at the last close of the description, not before.
    flock(fd, LOCK_EX);
    int d = dup(fd);
    close(fd);
    check_eq("locks.flock_dup_keeps", EWOULDBLOCK, child_flock(OWN, LOCK_EX | LOCK_NB));
    close(d);
    check_eq("locks.flock_last_close_drops", 0, child_flock(OWN, LOCK_EX | LOCK_NB));
    // A blocking flock waits for the holder.
    fd = open_rw();
    flock(fd, LOCK_EX);
    int ready[2], done[2];
    pipe(ready);
    pipe(done);
    pid_t pid = xfork();
    if (pid == 0) {
        int e = open(path, O_RDWR);
        write(ready[1], "r", 1);
        char c = flock(e, LOCK_EX) == 0 ? 'y' : 'n';
        write(done[1], &c, 1);
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    sleep_ms(150);
    fcntl(done[0], F_SETFL, O_NONBLOCK);
    check_errno("locks.flock_blocks", read(done[0], &c, 1), EAGAIN);
    flock(fd, LOCK_UN);
    fcntl(done[0], F_SETFL, 0);
    c = 0;
    read(done[0], &c, 1);
    check_eq("locks.flock_wakes", 'y', c);
    wait_for(pid);
    close(ready[0]);
    close(ready[1]);
    close(done[0]);
    close(done[1]);
    close(fd);
}

static void all_locks(void *arg)
{
    (void)arg;
    // Locks of every kind, left for exit to take.
    int fd = open(path, O_RDWR);
    lk(fd, F_SETLK, F_WRLCK, 0, 10);
    lk(fd, F_SETLK, F_RDLCK, 20, 10);
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 40, .l_len = 5 };
    fcntl(fd, F_OFD_SETLK, &fl);
    flock(fd, LOCK_EX);
    dup(fd);
}

static void test_memory(void)
{
    long before = memfree_start();
    for (int i = 0; i < 20; i++)
        run_child(all_locks, 0);
    check_eq("locks.exit_frees_all", 0, child_lk(OWN, F_SETLK, F_WRLCK, 0, 0));
    check_eq("locks.exit_frees_flock", 0, child_flock(OWN, LOCK_EX | LOCK_NB));
    memfree_check("locks.memfree", before);
}

int main(void)
{
    path = strdup(scratch_path("locks-file"));
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fail("locks.create", "open %s: %s", path, errname(errno));
        return test_status();
    }
    close(fd);
    test_conflicts();
    test_ranges();
    test_errors();
    test_old_fcntl();
    test_close_rule();
    test_fork_exit();
    test_threads();
    test_wait();
    test_ofd();
    test_flock();
    test_memory();
    unlink(path);
    return test_status();
}
