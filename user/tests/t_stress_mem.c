// t_stress_mem: memory and files taken away while in use (the pieces all
// t_stress_* tests share: user/lib/stress.c).
//
//   - a process exits with SCM_RIGHTS messages in flight that carry the
//     sockets they sit in (a cycle only the garbage collector can free),
//     and a listening socket sent in its own embryo's queue;
//   - writev's descriptor number is made to name another pipe while it
//     waits: the rest still goes to the first;
//   - a buffer is unmapped while another thread is blocked reading into
//     it: the read fails with EFAULT when the data comes;
//   - a shared memfd mapping whose file is cut to nothing: touching it is
//     SIGBUS, the kernel's own copies into or out of it (read, write,
//     process_vm_readv) are EFAULT, before and after a fork;
//   - a removed System V segment still attached, cut up, moved with mremap
//     and detached by two processes;
//   - a mount with a mount inside it detached while the process works in
//     both through descriptors and its current directory (if it may mount);
//   - inotify watches on a child's /proc files (the child then goes) and on
//     a pipe, a socket, a memfd and an eventfd through /proc/self/fd.
// Each part runs in its own process under an alarm; MemFree is back at the
// end. t_stress_mem WORD... runs the parts whose names hold a WORD.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"
#include "stress.h"

// bunshin-boot: fork=copy
// bunshin-boot: fork=odf

// ---- SCM_RIGHTS messages that carry their own sockets ----

// Each socket of a pair (stream and datagram) sent in messages queued on
// itself and on its peer, a listening socket sent to the socket it is
// about to accept (its embryo's queue), then exit with all of it in
// flight.
static void cycles(void *arg)
{
    (void)arg;
    int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
    for (int t = 0; t < 3; t++) {
        int sv[2];
        if (socketpair(AF_UNIX, types[t], 0, sv) < 0)
            _exit(2);
        if (send_fds(sv[0], sv, 2) < 0 || send_fds(sv[1], sv, 2) < 0 ||
            send_fds(sv[0], (int[]){ sv[0], sv[0], sv[0] }, 3) < 0)
            _exit(3);
    }
    char path[108];
    snprintf(path, sizeof path, "%s", scratch_path("stress-cycle"));
    unlink(path);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 2) < 0 ||
        connect(c, (struct sockaddr *)&a, sizeof a) < 0)
        _exit(4);
    unlink(path);
    if (send_fds(c, (int[]){ l, c }, 2) < 0)
        _exit(5);
    _exit(0);
}

static void part_cycles(void)
{
    for (int i = 0; i < 10; i++) {
        int st = run_child(cycles, NULL);
        if (!exited_with(st, 0)) {
            fail("stress.scm_cycles.sent", "the sender %s", status_str(st));
            return;
        }
    }
    ok("stress.scm_cycles.sent");
}

// ---- writev whose descriptor number is reused during the call ----

static char writev_big[65536 + 100];

static long call_writev(struct blocked *b)
{
    struct iovec iov[2] = { { writev_big, sizeof writev_big }, { (char *)"0123456789", 10 } };
    return neg_errno(writev(b->fd, iov, 2));
}

// A writev to a pipe waits for room in its first buffer; meanwhile its
// descriptor number is made to name another pipe (dup2). Its second
// buffer still goes to the first pipe, as on Linux: the call holds the
// open file description it started with. (It looked the number up again
// for each buffer.)
static void part_writev_reused(void)
{
    int p[2], q[2];
    pipe(p);
    pipe(q);
    memset(writev_big, 'a', sizeof writev_big);
    struct blocked b = { .name = "writev", .call = call_writev, .fd = p[1] };
    pthread_t t;
    start_blocked(&t, &b);
    dup2(q[1], p[1]);
    static char buf[4096];
    long got = 0;
    while (got < (long)sizeof writev_big) {
        long n = read(p[0], buf, sizeof buf < sizeof writev_big - got ? sizeof buf
                                                                     : sizeof writev_big - got);
        if (n <= 0)
            break;
        got += n;
    }
    pthread_join(t, NULL);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    fcntl(q[0], F_SETFL, O_NONBLOCK);
    check_eq("stress.writev_reused.result", (long)sizeof writev_big + 10, b.result);
    check_eq("stress.writev_reused.rest_in_first", 10, neg_errno(read(p[0], buf, sizeof buf)));
    check_eq("stress.writev_reused.none_in_other", -EAGAIN, neg_errno(read(q[0], buf, 16)));
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
}

// ---- a buffer unmapped under a blocked read ----

static void part_munmap_read(void)
{
    char *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int p[2], sv[2];
    pipe(p);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct blocked b = { .name = "read", .call = call_read, .fd = p[0], .buf = buf };
    pthread_t t;
    start_blocked(&t, &b);
    munmap(buf, 4096);
    write(p[1], "data", 4);
    pthread_join(t, NULL);
    check_eq("stress.munmap_read.pipe", -EFAULT, b.result);
    char *buf2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct blocked s = { .name = "read", .call = call_read, .fd = sv[0], .buf = buf2 };
    start_blocked(&t, &s);
    munmap(buf2, 4096);
    write(sv[1], "data", 4);
    pthread_join(t, NULL);
    check_eq("stress.munmap_read.socket", -EFAULT, s.result);
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}

// ---- a mapping whose file is cut short ----

static volatile char *cut_map;

static void touch_cut(void *arg)
{
    (void)arg;
    cut_map[100] = 1;
}

static void part_memfd_cut(void)
{
    int fd = (int)syscall(SYS_memfd_create, "cut", 0);
    ftruncate(fd, 3 * 4096);
    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        fail("stress.memfd_cut.mmap", "%s", errname(errno));
        return;
    }
    memset(m, 'x', 3 * 4096);
    pid_t pid = xfork();
    if (pid == 0) {
        sleep_ms(100);                  // the parent cuts the file meanwhile
        struct caught_fault r;
        cut_map = m;
        run_catching(SIGBUS, touch_cut, NULL, &r);
        _exit(r.caught && r.signo == SIGBUS ? 0 : 1);
    }
    ftruncate(fd, 0);
    struct caught_fault r;
    cut_map = m;
    run_catching(SIGBUS, touch_cut, NULL, &r);
    check(r.caught && r.signo == SIGBUS, "stress.memfd_cut.sigbus", "touching the cut "
          "mapping: %s", r.caught ? signame(r.signo) : status_str(r.status));
    int p[2];
    pipe(p);
    write(p[1], "data", 4);
    check_eq("stress.memfd_cut.read_into", -EFAULT, neg_errno(read(p[0], m + 4096, 4)));
    check_eq("stress.memfd_cut.write_from", -EFAULT, neg_errno(write(p[1], m, 4)));
    char local[16];
    struct iovec l = { local, sizeof local }, rv = { m, sizeof local };
    check_eq("stress.memfd_cut.process_vm_readv", -EFAULT,
             neg_errno(syscall(SYS_process_vm_readv, getpid(), &l, 1, &rv, 1, 0)));
    int st = wait_for(pid);
    check(exited_with(st, 0), "stress.memfd_cut.child_sigbus", "the fork child %s",
          status_str(st));
    ftruncate(fd, 4096);
    check_eq("stress.memfd_cut.grown_again", 0, m[0]);
    munmap(m, 3 * 4096);
    close(fd);
    close(p[0]);
    close(p[1]);
}

// ---- a System V segment cut up, moved and removed while attached ----

// What each call returns is not the point (Linux's answers are checked
// where they are sure); every frame must come back when the processes
// are gone, the segment's too.
static void shm_cut_up(void *arg)
{
    (void)arg;
    int id = shmget(IPC_PRIVATE, 3 * 4096, 0600);
    char *a = shmat(id, NULL, 0);
    if (a == (char *)-1)
        _exit(2);
    memset(a, 'a', 3 * 4096);
    shmctl(id, IPC_RMID, NULL);             // gone once the last attachment goes
    pid_t pid = fork();
    if (pid == 0) {
        a[4096] = 'c';
        munmap(a + 4096, 4096);              // a hole in the middle
        mprotect(a, 4096, PROT_READ);
        shmdt(a);
        _exit(0);
    }
    char *b = mremap(a, 3 * 4096, 6 * 4096, MREMAP_MAYMOVE);
    if (b != MAP_FAILED)
        a = b;
    char *c = shmat(id, NULL, 0);           // removed: Linux says EINVAL... or not
    if (c != (char *)-1)
        shmdt(c);
    munmap(a + 2 * 4096, 4096);
    wait_for(pid);
    _exit(a[0] == 'a' ? 0 : 3);
}

static void part_shm_cut(void)
{
    for (int i = 0; i < 5; i++) {
        int st = run_child(shm_cut_up, NULL);
        if (!exited_with(st, 0)) {
            fail("stress.shm_cut", "the process %s", status_str(st));
            return;
        }
    }
    ok("stress.shm_cut");
}

// ---- a mount taken away while it is in use ----

// A tmpfs with a tmpfs mounted inside it, the process's current directory,
// a directory descriptor and an open file in the inner one, detached
// (MNT_DETACH) at once: the open file goes on working; the calls through
// the directory descriptors and the current directory may fail (bunshin
// takes a detached tmpfs's names away at once: docs/files.md) but must not
// harm; neither mount is listed any more; everything comes back when the
// last use ends.
static void detached_in_use(void *arg)
{
    const char *top = arg;
    char inner[600], path[700], buf[8] = { 0 };
    snprintf(inner, sizeof inner, "%s/inner", top);
    if (mount("none", top, "tmpfs", 0, 0) < 0 || mkdir(inner, 0755) < 0 ||
        mount("none", inner, "tmpfs", 0, 0) < 0)
        _exit(2);
    snprintf(path, sizeof path, "%s/d", inner);
    mkdir(path, 0755);
    int dfd = open(path, O_RDONLY | O_DIRECTORY);
    int tfd = open(top, O_RDONLY | O_DIRECTORY);
    snprintf(path, sizeof path, "%s/d/file", inner);
    int ffd = open(path, O_RDWR | O_CREAT, 0600);
    snprintf(path, sizeof path, "%s/d", inner);
    chdir(path);
    check_eq("stress.detached.busy", -EBUSY, neg_errno(umount2(top, 0)));
    check_eq("stress.detached.umount2", 0, neg_errno(umount2(top, MNT_DETACH)));
    check_eq("stress.detached.file_write", 4, neg_errno(write(ffd, "data", 4)));
    check(pread(ffd, buf, 4, 0) == 4 && !memcmp(buf, "data", 4), "stress.detached.file_read",
          "%s", errname(errno));
    static char mounts[8192];
    read_file("/proc/self/mounts", mounts, sizeof mounts);
    check(!strstr(mounts, top), "stress.detached.unlisted", "%s is still in /proc/mounts",
          top);
    // Whatever these say: no harm.
    mkdirat(dfd, "x", 0755);
    int fd = openat(dfd, "x/f", O_RDWR | O_CREAT, 0600);
    write(fd, "data", 4);
    mkdir("here", 0755);
    mkdirat(tfd, "t", 0755);
    renameat(dfd, "x/f", tfd, "t/f");
    unlinkat(dfd, "x/f", 0);
    fchdir(tfd);
    static char cwd[256];
    getcwd(cwd, sizeof cwd);
    close(fd);
    close(ffd);
    close(dfd);
    close(tfd);
    chdir("/");
    _exit(test_failures() ? 1 : 0);
}

static void part_detached(void)
{
    char top[600];
    snprintf(top, sizeof top, "%s", scratch_path("stress-mnt"));
    rmdir(top);
    mkdir(top, 0755);
    if (geteuid() != 0 || mount("none", top, "tmpfs", 0, 0) < 0) {
        skip("stress.detached", "this process may not mount (%s)", errname(errno));
        rmdir(top);
        return;
    }
    umount(top);
    int st = run_child(detached_in_use, top);
    check(exited_with(st, 0), "stress.detached.child", "the process %s", status_str(st));
    rmdir(top);
}

// ---- inotify watches on things that come and go ----

// Watches on a child's /proc files and directory (the child then exits and
// is reaped), and through /proc/self/fd on a pipe, a socket, a memfd and an
// eventfd, which are then used and closed. What is reported is not the
// point; nothing may be left behind, nothing may break.
static void inotify_odd(void *arg)
{
    (void)arg;
    int in = (int)syscall(SYS_inotify_init1, O_NONBLOCK);
    pid_t kid = fork();
    if (kid == 0) {
        pause();
        _exit(0);
    }
    char path[64];
    static const char *const procfiles[] = { "", "/status", "/fd", "/maps" };
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "/proc/%d%s", (int)kid, procfiles[i]);
        syscall(SYS_inotify_add_watch, in, path, IN_ALL_EVENTS);
    }
    int p[2], sv[2];
    pipe(p);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int mf = (int)syscall(SYS_memfd_create, "w", 0);
    int ev = (int)syscall(SYS_eventfd2, 0, 0);
    int fds[] = { p[0], p[1], sv[0], mf, ev };
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "/proc/self/fd/%d", fds[i]);
        syscall(SYS_inotify_add_watch, in, path, IN_ALL_EVENTS);
    }
    write(p[1], "x", 1);
    write(sv[1], "x", 1);
    write(mf, "x", 1);
    uint64_t one = 1;
    write(ev, &one, sizeof one);
    kill(kid, SIGKILL);
    waitpid(kid, NULL, 0);
    static char buf[4096];
    read(in, buf, sizeof buf);
    for (int i = 0; i < 5; i++)
        close(fds[i]);
    close(sv[1]);
    for (int wd = 1; wd < 12; wd++)
        syscall(SYS_inotify_rm_watch, in, wd);
    read(in, buf, sizeof buf);
    close(in);
    _exit(0);
}

static void part_inotify_odd(void)
{
    int st = run_child(inotify_odd, NULL);
    check(exited_with(st, 0), "stress.inotify_odd", "the process %s", status_str(st));
}

int main(int argc, char **argv)
{
    static const struct stress_part parts[] = {
        { "stress.part.scm_cycles", part_cycles },
        { "stress.part.writev_reused", part_writev_reused },
        { "stress.part.munmap_read", part_munmap_read },
        { "stress.part.memfd_cut", part_memfd_cut },
        { "stress.part.shm_cut", part_shm_cut },
        { "stress.part.detached", part_detached },
        { "stress.part.inotify_odd", part_inotify_odd },
    };
    return stress_main(argc, argv, parts, sizeof parts / sizeof parts[0], NULL);
}
