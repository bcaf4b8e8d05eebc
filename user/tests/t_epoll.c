// t_epoll: epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait
// and epoll_pwait2, as Linux has them.
//
//   - the instance: epoll_create's size must be positive, epoll_create1
//     takes EPOLL_CLOEXEC only; fstat says mode 0600 and no file type (an
//     anonymous inode), /proc/self/fd says anon_inode:[eventpoll]; read
//     and write are EINVAL;
//   - epoll_ctl's errors in Linux's order: EFAULT (the event is read first,
//     except for EPOLL_CTL_DEL), EBADF, EPERM (files that never wait),
//     EINVAL (the instance itself, not an epoll, a bad op, EPOLLEXCLUSIVE
//     where it may not be), then EEXIST/ENOENT; ELOOP for a loop and for a
//     chain of more than 5 instances, whichever end it grows from;
//   - epoll_wait's errors in the order of Linux 6.18 (the descriptor, then
//     the count); a buffer is only written when there is something to
//     report; an event that cannot be copied out is not lost, and those
//     copied before a fault are counted; more than 64 ready entries come
//     back in one call; timeouts: zero looks once, a short one passes, any
//     negative one and INT_MAX ms wait until woken;
//   - level-triggered entries on a pipe: reported while true, only the bits
//     asked for, plus EPOLLHUP and EPOLLERR unasked (never EPOLLRDHUP);
//     the 64-bit data word;
//   - EPOLLET: once per change (new data, room made in a full pipe,
//     EPOLL_CTL_MOD), not for changes to other entries; EPOLLONESHOT: once,
//     until EPOLL_CTL_MOD;
//   - an entry belongs to the open file: it outlives the descriptor it was
//     added with while a duplicate is open (in this process or a child),
//     and goes with the last one, from every instance; two descriptors of
//     one file are two entries;
//   - one event at a time: every ready entry in turn;
//   - waking: a helper's write or close, or an entry added by another
//     process, wakes epoll_wait(-1);
//   - signals: a handler gives EINTR even with SA_RESTART, so does a stop
//     and a continue (signal(7)); epoll_pwait's mask in force while waiting
//     and the old one back after; a zero timeout does not look at signals;
//     epoll_pwait2's timespec (never written back), EINVAL and EFAULT;
//   - nested instances: poll and epoll see an instance with a ready entry
//     as readable, without taking its events;
//   - fork: parent and child share the instance (entries added, events
//     taken, entries deleted by one are seen by the other);
//   - threads: a descriptor closed by another thread during the wait;
//   - MemFree back where it started.
//
// bunshin wakes every waiter on any change (one channel, fs/poll.c), so an
// edge-triggered entry may be reported again after a change to some other
// object. The edge-triggered checks therefore change nothing else between
// their waits: no output, no process started or ended. A wait that only a
// wake can end is ended after 10 s by a watchdog process, so that a lost
// wake is the FAIL of its check.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"
#include "poll_common.h"

#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif

// Linux's EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event).
#define EP_MAX_EVENTS (0x7fffffff / 12)

// A readable mask for messages.
static unsigned evs(const struct epoll_event *e)
{
    return e->events;
}

// epoll_ctl with an event made of these bits and data word.
static int ctl(int ep, int op, int fd, uint32_t events, uint64_t data)
{
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(ep, op, fd, &ev);
}

// epoll_wait into out[max] with timeout 0 (look once).
static int look(int ep, struct epoll_event *out, int max)
{
    memset(out, 0, (size_t)max * sizeof *out);
    return epoll_wait(ep, out, max, 0);
}

// Check that one look reports exactly one event with these bits and data.
static void check_one(const char *name, int ep, uint32_t events, uint64_t data)
{
    struct epoll_event e[4];
    int r = look(ep, e, 4);
    check(r == 1 && e[0].events == events && e[0].data.u64 == data, name,
          "returned %d, events %#x data %#llx; expected 1, %#x, %#llx", r, evs(&e[0]),
          (unsigned long long)e[0].data.u64, events, (unsigned long long)data);
}

static void check_none(const char *name, int ep)
{
    struct epoll_event e[4];
    int r = look(ep, e, 4);
    check(r == 0, name, "returned %d (%s), events %#x: expected nothing",
          r, r < 0 ? errname(errno) : "-", evs(&e[0]));
}

static int xpipe(int p[2])
{
    if (pipe(p) < 0) {
        fail("epoll.pipe", "pipe: %s", errname(errno));
        return -1;
    }
    return 0;
}

// ---- the instance ----

static void instance(void)
{
    // (musl's epoll_create calls epoll_create1: the system call itself.)
    check_errno("epoll_create.size_zero", syscall(SYS_epoll_create, 0), EINVAL);
    check_errno("epoll_create.size_negative", syscall(SYS_epoll_create, -1), EINVAL);
    check_errno("epoll_create.size_int_min", syscall(SYS_epoll_create, INT_MIN), EINVAL);
    check_errno("epoll_create1.bad_flag", epoll_create1(1), EINVAL);
    check_errno("epoll_create1.nonblock_refused", epoll_create1(O_NONBLOCK), EINVAL);
    check_errno("epoll_create1.cloexec_and_more", epoll_create1(EPOLL_CLOEXEC | 1), EINVAL);

    int ep = syscall(SYS_epoll_create, 1);
    check(ep >= 0, "epoll_create.size_one", "returned %d (%s)", ep, errname(errno));
    check_eq("epoll_create.no_cloexec", 0, fcntl(ep, F_GETFD));
    check_eq("epoll_create.rdwr", O_RDWR, fcntl(ep, F_GETFL) & O_ACCMODE);
    int ep2 = epoll_create1(EPOLL_CLOEXEC);
    check_eq("epoll_create1.cloexec", FD_CLOEXEC, fcntl(ep2, F_GETFD));
    int ep3 = epoll_create1(0);
    check_eq("epoll_create1.zero_no_cloexec", 0, fcntl(ep3, F_GETFD));

    struct stat st;
    int r = fstat(ep, &st);
    check(r == 0 && st.st_mode == 0600, "epoll.fstat_mode",
          "fstat returned %d, st_mode %#o (expected 0600: an anonymous inode, no type)",
          r, (unsigned)st.st_mode);
    char link[64] = "";
    readlink(tname("/proc/self/fd/%d", ep), link, sizeof link - 1);
    check_str("epoll.proc_fd_link", "anon_inode:[eventpoll]", link);
    char c = 0;
    check_errno("epoll.read_einval", read(ep, &c, 1), EINVAL);
    check_errno("epoll.read_zero_einval", read(ep, &c, 0), EINVAL);
    check_errno("epoll.write_einval", write(ep, &c, 1), EINVAL);
    close(ep);
    close(ep2);
    close(ep3);
}

// ---- epoll_ctl's errors ----

static void ctl_errors(void)
{
    int p[2];
    if (xpipe(p) < 0)
        return;
    int ep = epoll_create1(0), other = epoll_create1(0);
    int closed = 200;                  // a number nothing else takes here
    close(closed);
    const char *path = scratch_path("t_epoll.file");
    int file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    int dir = open("/", O_RDONLY);
    int null = open("/dev/null", O_RDWR);
    struct epoll_event ev = { .events = EPOLLIN };

    // EFAULT: the event is read before anything else is looked at.
    check_errno("epoll_ctl.efault.add", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], NULL), EFAULT);
    check_errno("epoll_ctl.efault.mod", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], NULL), EFAULT);
    check_errno("epoll_ctl.efault.bad_op", epoll_ctl(ep, 99, p[0], NULL), EFAULT);
    check_errno("epoll_ctl.efault.kernel", epoll_ctl(ep, EPOLL_CTL_ADD, p[0],
                (struct epoll_event *)0xC0000000u), EFAULT);
    check_errno("epoll_ctl.order.efault_before_ebadf",
                epoll_ctl(-1, EPOLL_CTL_ADD, -1, NULL), EFAULT);
    check_errno("epoll_ctl.del_ignores_event.ebadf",
                epoll_ctl(-1, EPOLL_CTL_DEL, p[0], NULL), EBADF);
    check_errno("epoll_ctl.del_ignores_event.enoent",
                epoll_ctl(ep, EPOLL_CTL_DEL, p[0], (struct epoll_event *)1), ENOENT);

    // EBADF: either descriptor.
    check_errno("epoll_ctl.ebadf.epfd_negative", epoll_ctl(-1, EPOLL_CTL_ADD, p[0], &ev), EBADF);
    check_errno("epoll_ctl.ebadf.epfd_closed", epoll_ctl(closed, EPOLL_CTL_ADD, p[0], &ev), EBADF);
    check_errno("epoll_ctl.ebadf.fd_negative", epoll_ctl(ep, EPOLL_CTL_ADD, -1, &ev), EBADF);
    check_errno("epoll_ctl.ebadf.fd_closed", epoll_ctl(ep, EPOLL_CTL_ADD, closed, &ev), EBADF);
    check_errno("epoll_ctl.ebadf.fd_huge", epoll_ctl(ep, EPOLL_CTL_ADD, 100000, &ev), EBADF);
    check_errno("epoll_ctl.order.ebadf_before_eperm",
                epoll_ctl(closed, EPOLL_CTL_ADD, file, &ev), EBADF);

    // EPERM: kinds of file that are always ready.
    check_errno("epoll_ctl.eperm.regular_file", epoll_ctl(ep, EPOLL_CTL_ADD, file, &ev), EPERM);
    check_errno("epoll_ctl.eperm.directory", epoll_ctl(ep, EPOLL_CTL_ADD, dir, &ev), EPERM);
    check_errno("epoll_ctl.eperm.dev_null", epoll_ctl(ep, EPOLL_CTL_ADD, null, &ev), EPERM);
    check_errno("epoll_ctl.eperm.del_too", epoll_ctl(ep, EPOLL_CTL_DEL, file, NULL), EPERM);
    check_errno("epoll_ctl.order.eperm_before_not_epoll",
                epoll_ctl(p[0], EPOLL_CTL_ADD, file, &ev), EPERM);
    check_errno("epoll_ctl.order.eperm_before_bad_op", epoll_ctl(ep, 99, file, &ev), EPERM);

    // EINVAL.
    check_errno("epoll_ctl.einval.itself", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
    int epdup = dup(ep);
    check_errno("epoll_ctl.einval.itself_through_dup",
                epoll_ctl(ep, EPOLL_CTL_ADD, epdup, &ev), EINVAL);
    close(epdup);
    check_errno("epoll_ctl.einval.not_epoll", epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev), EINVAL);
    check_errno("epoll_ctl.einval.bad_op", epoll_ctl(ep, 99, p[0], &ev), EINVAL);
    check_errno("epoll_ctl.einval.op_zero", epoll_ctl(ep, 0, p[0], &ev), EINVAL);
    check_errno("epoll_ctl.einval.exclusive_mod_missing",
                ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL);
    check_errno("epoll_ctl.einval.exclusive_oneshot",
                ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0), EINVAL);
    check_errno("epoll_ctl.einval.exclusive_rdnorm",
                ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLRDNORM | EPOLLEXCLUSIVE, 0), EINVAL);
    check_errno("epoll_ctl.einval.exclusive_on_epoll",
                ctl(ep, EPOLL_CTL_ADD, other, EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL);
    check_eq("epoll_ctl.exclusive_add", 0,
             ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLET | EPOLLEXCLUSIVE, 0));
    check_errno("epoll_ctl.einval.mod_exclusive_entry",
                ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 0), EINVAL);
    check_errno("epoll_ctl.order.einval_before_eexist",
                ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0), EINVAL);
    check_eq("epoll_ctl.del_exclusive_entry", 0, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));

    // EEXIST and ENOENT.
    check_eq("epoll_ctl.add", 0, ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
    check_errno("epoll_ctl.eexist", ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1), EEXIST);
    check_eq("epoll_ctl.mod", 0, ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET, 2));
    check_errno("epoll_ctl.enoent.mod", ctl(ep, EPOLL_CTL_MOD, p[1], EPOLLOUT, 0), ENOENT);
    check_errno("epoll_ctl.enoent.del", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL), ENOENT);
    int d = dup(p[0]);
    check_eq("epoll_ctl.same_file_other_fd", 0, ctl(ep, EPOLL_CTL_ADD, d, EPOLLIN, 3));
    check_eq("epoll_ctl.del", 0, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
    check_errno("epoll_ctl.enoent.after_del", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
    check_eq("epoll_ctl.add_after_del", 0, ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
    close(d);

    // ELOOP: two instances in each other.
    check_eq("epoll_ctl.epoll_in_epoll", 0, ctl(other, EPOLL_CTL_ADD, ep, EPOLLIN, 0));
    check_errno("epoll_ctl.eloop.a_in_b_in_a", ctl(ep, EPOLL_CTL_ADD, other, EPOLLIN, 0), ELOOP);
    int third = epoll_create1(0);
    check_eq("epoll_ctl.chain_of_three", 0, ctl(third, EPOLL_CTL_ADD, other, EPOLLIN, 0));
    check_errno("epoll_ctl.eloop.a_in_b_in_c_in_a",
                ctl(ep, EPOLL_CTL_ADD, third, EPOLLIN, 0), ELOOP);
    close(third);

    // A chain of instances: 5 may hang from each other (4 links), not 6,
    // built from the bottom up or from the top down.
    int e[6];
    for (int i = 0; i < 6; i++)
        e[i] = epoll_create1(0);
    int ok_links = 0;
    for (int i = 1; i < 5; i++)
        ok_links += ctl(e[i], EPOLL_CTL_ADD, e[i - 1], EPOLLIN, 0) == 0;
    check_eq("epoll_ctl.chain_up.four_links", 4, ok_links);
    check_errno("epoll_ctl.eloop.chain_up.fifth_link",
                ctl(e[5], EPOLL_CTL_ADD, e[4], EPOLLIN, 0), ELOOP);
    for (int i = 0; i < 6; i++)
        close(e[i]);
    for (int i = 0; i < 6; i++)
        e[i] = epoll_create1(0);
    ok_links = 0;
    for (int i = 5; i > 1; i--)
        ok_links += ctl(e[i], EPOLL_CTL_ADD, e[i - 1], EPOLLIN, 0) == 0;
    check_eq("epoll_ctl.chain_down.four_links", 4, ok_links);
    check_errno("epoll_ctl.eloop.chain_down.fifth_link",
                ctl(e[1], EPOLL_CTL_ADD, e[0], EPOLLIN, 0), ELOOP);
    // In the middle: two chains of 3 joined make 6.
    for (int i = 0; i < 6; i++)
        close(e[i]);
    for (int i = 0; i < 6; i++)
        e[i] = epoll_create1(0);
    ctl(e[1], EPOLL_CTL_ADD, e[0], EPOLLIN, 0);
    ctl(e[2], EPOLL_CTL_ADD, e[1], EPOLLIN, 0);
    ctl(e[4], EPOLL_CTL_ADD, e[3], EPOLLIN, 0);
    ctl(e[5], EPOLL_CTL_ADD, e[4], EPOLLIN, 0);
    check_errno("epoll_ctl.eloop.chain_joined_in_the_middle",
                ctl(e[3], EPOLL_CTL_ADD, e[2], EPOLLIN, 0), ELOOP);
    for (int i = 0; i < 6; i++)
        close(e[i]);

    close(ep);
    close(other);
    close(file);
    unlink(path);
    close(dir);
    close(null);
    close(p[0]);
    close(p[1]);
}

// ---- epoll_wait's errors and timeouts ----

static void wait_errors(void)
{
    int p[2];
    if (xpipe(p) < 0)
        return;
    int ep = epoll_create1(0);
    int closed = 200;
    close(closed);
    struct epoll_event e[4];

    check_errno("epoll_wait.einval.maxevents_zero", epoll_wait(ep, e, 0, 0), EINVAL);
    check_errno("epoll_wait.einval.maxevents_negative", epoll_wait(ep, e, -1, 0), EINVAL);
    check_errno("epoll_wait.einval.maxevents_too_many",
                epoll_wait(ep, e, EP_MAX_EVENTS + 1, 0), EINVAL);
    check_errno("epoll_wait.ebadf.negative", epoll_wait(-1, e, 4, 0), EBADF);
    check_errno("epoll_wait.ebadf.closed", epoll_wait(closed, e, 4, 0), EBADF);
    check_errno("epoll_wait.einval.not_epoll", epoll_wait(p[0], e, 4, 0), EINVAL);
    check_errno("epoll_pwait.einval.not_epoll", epoll_pwait(p[0], e, 4, 0, NULL), EINVAL);
    // Linux's order (since 6.15): the descriptor, the count, the buffer's
    // range, the kind of file. (A 32-bit program on a 64-bit Linux can
    // name any address below 4 GiB as its buffer without EFAULT there:
    // the range check is only seen when an event is written.)
    check_errno("epoll_wait.order.ebadf_before_einval", epoll_wait(-1, e, 0, 0), EBADF);
    check_errno("epoll_wait.order.ebadf_before_einval.pwait",
                syscall(SYS_epoll_pwait, -1, e, -1, 0, NULL, 8), EBADF);

    // The buffer is only written when there is something to report.
    check_eq("epoll_wait.null_buffer_nothing_ready", 0, epoll_wait(ep, NULL, 1, 0));
    write(p[1], "x", 1);
    ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLONESHOT, 7);
    check_errno("epoll_wait.efault.null_buffer_ready", epoll_wait(ep, NULL, 1, 0), EFAULT);
    check_errno("epoll_wait.efault.kernel_buffer",
                epoll_wait(ep, (struct epoll_event *)0xC0000000u, 1, 0), EFAULT);
    // ...and the event that could not be copied out is still there.
    check_one("epoll_wait.efault.event_kept", ep, EPOLLIN, 7);

    // A buffer with room for one event before an unmapped page: the first
    // is copied out and counted, the second waits for the next call.
    int q[2];
    if (xpipe(q) < 0)
        return;
    write(q[1], "y", 1);
    ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 7);
    ctl(ep, EPOLL_CTL_ADD, q[0], EPOLLIN, 8);
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    struct epoll_event *last = (struct epoll_event *)(page + 4096) - 1;
    int r = epoll_wait(ep, last, 2, 0);
    check(r == 1 && (last->data.u64 == 7 || last->data.u64 == 8), "epoll_wait.partial_copy",
          "returned %d (%s), data %llu", r, r < 0 ? errname(errno) : "-",
          (unsigned long long)last->data.u64);
    r = look(ep, e, 4);
    check_eq("epoll_wait.partial_copy.both_still_ready", 2, r);
    munmap(page, 4096);

    // Timeouts.
    read(p[0], e, 1);
    read(q[0], e, 1);
    long long t0 = mono_ns();
    r = epoll_wait(ep, e, 4, 0);
    check(r == 0 && ms_since(t0) < 1000, "epoll_wait.timeout.zero",
          "returned %d after %ld ms", r, ms_since(t0));
    t0 = mono_ns();
    r = epoll_wait(ep, e, 4, 100);
    long ms = ms_since(t0);
    check(r == 0 && ms >= 95 && ms < 5000, "epoll_wait.timeout.100ms",
          "returned %d after %ld ms", r, ms);
    int empty = epoll_create1(0);
    t0 = mono_ns();
    r = epoll_wait(empty, e, 4, 50);
    ms = ms_since(t0);
    check(r == 0 && ms >= 45 && ms < 5000, "epoll_wait.timeout.no_entries_sleeps",
          "returned %d after %ld ms", r, ms);
    close(empty);
    close(ep);
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
}

// More ready entries than bunshin's first cut reported in one call: every
// one comes back, up to maxevents.
static void many(void)
{
    int p[2];
    if (xpipe(p) < 0)
        return;
    int ep = epoll_create1(0);
    enum { N = 100 };
    int fds[N], added = 0;
    for (int i = 0; i < N; i++) {
        fds[i] = dup(p[1]);
        if (fds[i] >= 0 && ctl(ep, EPOLL_CTL_ADD, fds[i], EPOLLOUT, (uint64_t)i) == 0)
            added++;
    }
    check_eq("epoll.many.added", N, added);
    static struct epoll_event e[N + 10];
    int r = epoll_wait(ep, e, N + 10, 0);
    check_eq("epoll.many.all_in_one_call", N, r);
    int seen[N];
    memset(seen, 0, sizeof seen);
    int distinct = 0;
    for (int i = 0; i < r && i < N; i++)
        if (e[i].data.u64 < N && !seen[e[i].data.u64]++)
            distinct++;
    check_eq("epoll.many.each_once", N, distinct);
    r = epoll_wait(ep, e, 30, 0);
    check_eq("epoll.many.maxevents_caps", 30, r);
    for (int i = 0; i < N; i++)
        close(fds[i]);
    close(ep);
    close(p[0]);
    close(p[1]);
}

// ---- level-triggered ----

static void level(void)
{
    int p[2];
    if (xpipe(p) < 0)
        return;
    int ep = epoll_create1(0);
    const uint64_t word = 0x0123456789abcdefull;
    ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, word);
    check_none("epoll.level.empty", ep);
    write(p[1], "ab", 2);
    check_one("epoll.level.data", ep, EPOLLIN, word);
    check_one("epoll.level.data.again", ep, EPOLLIN, word);
    check_one("epoll.level.data.third_time", ep, EPOLLIN, word);
    char c;
    read(p[0], &c, 1);
    check_one("epoll.level.some_left", ep, EPOLLIN, word);
    read(p[0], &c, 1);
    check_none("epoll.level.drained", ep);

    // Only the bits asked for, in the flavours asked for.
    write(p[1], "c", 1);
    ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLPRI, ~0ull);
    check_one("epoll.level.rdnorm_too", ep, EPOLLIN | EPOLLRDNORM, ~0ull);
    ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLRDNORM, 1);
    check_one("epoll.level.only_rdnorm", ep, EPOLLRDNORM, 1);
    ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, word);

    // The write end.
    ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT, 2);
    read(p[0], &c, 1);
    check_one("epoll.level.write_end_room", ep, EPOLLOUT, 2);
    long full = fill_pipe(p[1]);
    struct epoll_event e[4];
    int r = look(ep, e, 4);
    check(r == 1 && e[0].data.u64 == word, "epoll.level.full_pipe_not_writable",
          "returned %d, first data %#llx", r, (unsigned long long)e[0].data.u64);
    static char buf[4096];
    while (full > 0) {
        ssize_t n = read(p[0], buf, full < (long)sizeof buf ? (size_t)full : sizeof buf);
        if (n <= 0)
            break;
        full -= n;
    }
    epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL);

    // No writer left: EPOLLHUP, asked for or not.
    write(p[1], "d", 1);
    close(p[1]);
    check_one("epoll.level.hup_with_data", ep, EPOLLIN | EPOLLHUP, word);
    read(p[0], &c, 1);
    check_one("epoll.level.hup", ep, EPOLLHUP, word);
    check_one("epoll.level.hup_again", ep, EPOLLHUP, word);
    ctl(ep, EPOLL_CTL_MOD, p[0], 0, 5);
    check_one("epoll.level.hup_nothing_asked", ep, EPOLLHUP, 5);
    close(p[0]);

    // No reader left: EPOLLERR on the write end, asked for or not.
    if (xpipe(p) < 0)
        return;
    ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT, 6);
    close(p[0]);
    check_one("epoll.level.err_no_reader", ep, EPOLLOUT | EPOLLERR, 6);
    ctl(ep, EPOLL_CTL_MOD, p[1], EPOLLIN, 6);
    check_one("epoll.level.err_unasked", ep, EPOLLERR, 6);
    close(p[1]);

    // A pipe never reports EPOLLRDHUP (sockets do), nor EPOLLPRI.
    if (xpipe(p) < 0)
        return;
    ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLRDHUP | EPOLLPRI, 7);
    close(p[1]);
    check_one("epoll.level.pipe_no_rdhup", ep, EPOLLHUP, 7);
    close(p[0]);
    close(ep);
}

// ---- edge-triggered and one-shot ----

static void edge(void)
{
    int p[2];
    if (xpipe(p) < 0)
        return;
    int ep = epoll_create1(0);
    struct epoll_event e[4];
    char buf[16];
    int r[8];
    uint32_t ev[8];

    // Nothing prints between the waits (see the top of the file): the
    // results are kept and checked afterwards.
    ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLET, 9);
    r[0] = look(ep, e, 4);                 // empty: nothing
    write(p[1], "a", 1);
    r[1] = look(ep, e, 4);                 // the change: once
    ev[1] = e[0].events;
    r[2] = look(ep, e, 4);                 // no change: nothing
    r[3] = look(ep, e, 4);
    write(p[1], "b", 1);
    r[4] = look(ep, e, 4);                 // more data, none read: again
    read(p[0], buf, sizeof buf);
    r[5] = look(ep, e, 4);                 // drained: nothing
    write(p[1], "c", 1);
    r[6] = look(ep, e, 4);                 // new data: again
    r[7] = look(ep, e, 4);
    check_eq("epoll.et.empty", 0, r[0]);
    check(r[1] == 1 && ev[1] == EPOLLIN, "epoll.et.first", "returned %d events %#x", r[1], ev[1]);
    check_eq("epoll.et.not_again", 0, r[2]);
    check_eq("epoll.et.still_not_again", 0, r[3]);
    check_eq("epoll.et.more_data_again", 1, r[4]);
    check_eq("epoll.et.drained", 0, r[5]);
    check_eq("epoll.et.new_data_again", 1, r[6]);
    check_eq("epoll.et.then_quiet", 0, r[7]);

    // Adding, changing and deleting another entry that has nothing to
    // report changes nothing for this one. (bunshin: epoll_ctl wakes
    // waiters only for an entry that can be reported at once.)
    int s[2];
    if (xpipe(s) < 0)
        return;
    r[0] = ctl(ep, EPOLL_CTL_ADD, s[0], EPOLLIN | EPOLLET, 15);
    r[1] = look(ep, e, 4);
    r[2] = ctl(ep, EPOLL_CTL_MOD, s[0], EPOLLIN, 16);
    r[3] = look(ep, e, 4);
    r[4] = epoll_ctl(ep, EPOLL_CTL_DEL, s[0], NULL);
    r[5] = look(ep, e, 4);
    check(r[0] == 0 && r[2] == 0 && r[4] == 0, "epoll.et.other_entry_ctl",
          "ADD %d, MOD %d, DEL %d", r[0], r[2], r[4]);
    check_eq("epoll.et.not_after_other_add", 0, r[1]);
    check_eq("epoll.et.not_after_other_mod", 0, r[3]);
    check_eq("epoll.et.not_after_other_del", 0, r[5]);
    close(s[0]);
    close(s[1]);
    read(p[0], buf, sizeof buf);

    // The write end of a full pipe: reported when a read makes room.
    int w[2];
    if (xpipe(w) < 0)
        return;
    long full = fill_pipe(w[1]);
    static char block[PIPE_BUF];
    ctl(ep, EPOLL_CTL_ADD, w[1], EPOLLOUT | EPOLLET, 17);
    r[0] = look(ep, e, 4);                 // full: nothing
    r[1] = read(w[0], block, sizeof block) == sizeof block;
    r[2] = look(ep, e, 4);                 // room: once
    uint64_t dw = e[0].data.u64;
    ev[2] = e[0].events;
    r[3] = look(ep, e, 4);
    check_eq("epoll.et.write_end_full", 0, r[0]);
    check(r[1] && r[2] == 1 && dw == 17 && ev[2] == EPOLLOUT, "epoll.et.write_end_room",
          "read %s, returned %d, data %llu events %#x", r[1] ? "ok" : "short", r[2],
          (unsigned long long)dw, ev[2]);
    check_eq("epoll.et.write_end_room.once", 0, r[3]);
    (void)full;
    close(w[0]);
    close(w[1]);

    // Added when already ready: reported once at once.
    int q[2];
    if (xpipe(q) < 0)
        return;
    write(q[1], "x", 1);
    ctl(ep, EPOLL_CTL_ADD, q[0], EPOLLIN | EPOLLET, 10);
    r[0] = look(ep, e, 4);
    uint64_t d0 = e[0].data.u64;
    r[1] = look(ep, e, 4);
    // EPOLL_CTL_MOD counts as a change: reported again.
    ctl(ep, EPOLL_CTL_MOD, q[0], EPOLLIN | EPOLLET, 11);
    r[2] = look(ep, e, 4);
    uint64_t d2 = e[0].data.u64;
    r[3] = look(ep, e, 4);
    check(r[0] == 1 && d0 == 10, "epoll.et.added_ready", "returned %d data %llu", r[0],
          (unsigned long long)d0);
    check_eq("epoll.et.added_ready.once", 0, r[1]);
    check(r[2] == 1 && d2 == 11, "epoll.et.mod_rearms", "returned %d data %llu", r[2],
          (unsigned long long)d2);
    check_eq("epoll.et.mod_rearms.once", 0, r[3]);
    epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL);
    read(q[0], buf, sizeof buf);

    // One-shot: once, then nothing whatever happens, until EPOLL_CTL_MOD.
    ctl(ep, EPOLL_CTL_ADD, q[0], EPOLLIN | EPOLLONESHOT, 12);
    r[0] = look(ep, e, 4);
    write(q[1], "x", 1);
    r[1] = look(ep, e, 4);
    r[2] = look(ep, e, 4);
    write(q[1], "y", 1);
    r[3] = look(ep, e, 4);
    int modr = ctl(ep, EPOLL_CTL_MOD, q[0], EPOLLIN | EPOLLONESHOT, 13);
    r[4] = look(ep, e, 4);
    uint64_t d4 = e[0].data.u64;
    r[5] = look(ep, e, 4);
    int addr = ctl(ep, EPOLL_CTL_ADD, q[0], EPOLLIN, 0);
    int addr_err = errno;
    int delr = epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL);
    check_eq("epoll.oneshot.empty", 0, r[0]);
    check_eq("epoll.oneshot.first", 1, r[1]);
    check_eq("epoll.oneshot.not_again", 0, r[2]);
    check_eq("epoll.oneshot.not_after_more_data", 0, r[3]);
    check_eq("epoll.oneshot.mod_ok", 0, modr);
    check(r[4] == 1 && d4 == 13, "epoll.oneshot.mod_rearms", "returned %d data %llu", r[4],
          (unsigned long long)d4);
    check_eq("epoll.oneshot.once_more_only", 0, r[5]);
    check(addr == -1 && addr_err == EEXIST, "epoll.oneshot.disabled_entry_still_there",
          "ADD returned %d (%s)", addr, addr < 0 ? errname(addr_err) : "-");
    check_eq("epoll.oneshot.del", 0, delr);

    // One-shot and level-triggered on the write end: once too.
    ctl(ep, EPOLL_CTL_ADD, q[1], EPOLLOUT | EPOLLONESHOT, 14);
    r[0] = look(ep, e, 4);
    r[1] = look(ep, e, 4);
    check_eq("epoll.oneshot.write_end", 1, r[0]);
    check_eq("epoll.oneshot.write_end.once", 0, r[1]);
    // Disabled, it does not even report the error of a reader gone.
    close(q[0]);
    r[2] = look(ep, e, 4);
    check_eq("epoll.oneshot.disabled_no_err", 0, r[2]);
    close(q[1]);

    // Edge-triggered hang-up: reported once, when the writer goes.
    if (xpipe(q) < 0)
        return;
    ctl(ep, EPOLL_CTL_ADD, q[0], EPOLLIN | EPOLLET, 18);
    r[0] = look(ep, e, 4);
    close(q[1]);
    r[1] = look(ep, e, 4);
    ev[1] = e[0].events;
    r[2] = look(ep, e, 4);
    check_eq("epoll.et.hup.before", 0, r[0]);
    check(r[1] == 1 && ev[1] == EPOLLHUP, "epoll.et.hup", "returned %d events %#x", r[1], ev[1]);
    check_eq("epoll.et.hup.once", 0, r[2]);
    close(q[0]);
    close(ep);
    close(p[0]);
    close(p[1]);
}

// ---- entries belong to the open file ----

static void ownership(void)
{
    int p[2];
    if (xpipe(p) < 0)
        return;
    int ep = epoll_create1(0);
    write(p[1], "x", 1);
    int d = dup(p[0]);
    ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 21);
    int old = p[0];
    close(p[0]);
    check_one("epoll.owner.dup_keeps_entry", ep, EPOLLIN, 21);
    // The entry is (file, fd it was added with): the duplicate is not it.
    check_errno("epoll.owner.dup_is_another_entry", epoll_ctl(ep, EPOLL_CTL_DEL, d, NULL), ENOENT);
    check_errno("epoll.owner.old_fd_closed", epoll_ctl(ep, EPOLL_CTL_DEL, old, NULL), EBADF);
    close(d);
    check_none("epoll.owner.last_close_removes", ep);
    // The number comes back for another pipe: a new entry, none left over.
    int q[2];
    if (xpipe(q) < 0)
        return;
    check_eq("epoll.owner.fd_number_reused", old, q[0]);
    write(q[1], "y", 1);
    check_none("epoll.owner.no_stale_entry", ep);
    check_eq("epoll.owner.add_reused_number", 0, ctl(ep, EPOLL_CTL_ADD, q[0], EPOLLIN, 22));
    check_one("epoll.owner.reused_number_reported", ep, EPOLLIN, 22);
    // An entry is found by file and number: the number alone, naming
    // another file now, finds nothing.
    int keep_q0 = dup(q[0]);
    int num = q[0];
    close(q[0]);
    int moved = dup2(q[1], num);
    check(moved == num, "epoll.owner.number_renamed", "dup2 gave %d, wanted %d", moved, num);
    check_errno("epoll.owner.other_file_same_number",
                ctl(ep, EPOLL_CTL_MOD, num, EPOLLIN, 0), ENOENT);
    close(num);
    q[0] = dup2(keep_q0, num);
    close(keep_q0);
    check_one("epoll.owner.number_back", ep, EPOLLIN, 22);

    // A child's copy keeps the file open: the entry stays after the
    // parent's close, and goes when the child exits.
    int keep[2];
    if (pipe(keep) < 0)
        return;
    pid_t c = xfork();
    if (c == 0) {
        char b;
        close(keep[1]);
        read(keep[0], &b, 1);          // until the parent closes its end
        _exit(0);
    }
    close(keep[0]);
    close(q[0]);
    check_one("epoll.owner.child_copy_keeps_entry", ep, EPOLLIN, 22);
    close(keep[1]);
    wait_for(c);
    check_none("epoll.owner.child_exit_removes", ep);

    // Two descriptors of one file are two entries, each reported.
    int t[2];
    if (xpipe(t) < 0)
        return;
    int t2 = dup(t[0]);
    ctl(ep, EPOLL_CTL_ADD, t[0], EPOLLIN, 23);
    ctl(ep, EPOLL_CTL_ADD, t2, EPOLLIN, 24);
    write(t[1], "x", 1);
    struct epoll_event e[4];
    int r = look(ep, e, 4);
    check(r == 2 && e[0].data.u64 + e[1].data.u64 == 23 + 24, "epoll.owner.two_fds_two_entries",
          "returned %d, data %llu %llu", r, (unsigned long long)e[0].data.u64,
          (unsigned long long)e[1].data.u64);
    // Watched by several instances: the last close takes every entry.
    int more[3];
    for (int i = 0; i < 3; i++) {
        more[i] = epoll_create1(0);
        ctl(more[i], EPOLL_CTL_ADD, t[0], EPOLLIN, 25);
    }
    close(t[0]);
    close(t2);
    int left = look(ep, e, 4);
    for (int i = 0; i < 3; i++)
        left += look(more[i], e, 4);
    check_eq("epoll.owner.last_close_every_instance", 0, left);
    for (int i = 0; i < 3; i++)
        close(more[i]);
    close(t[1]);

    // Closing the instance: its entries go with it (the watched file is
    // then closed with no trouble).
    int ep2 = epoll_create1(0);
    ctl(ep2, EPOLL_CTL_ADD, q[1], EPOLLOUT, 0);
    ctl(ep2, EPOLL_CTL_ADD, ep, EPOLLIN, 0);
    close(ep2);
    close(q[1]);
    check_none("epoll.owner.instance_closed_first", ep);
    close(ep);
}

// ---- one event at a time: every ready entry in turn ----

static void fairness(void)
{
    enum { N = 4 };
    int p[N][2];
    int ep = epoll_create1(0);
    for (int i = 0; i < N; i++) {
        if (xpipe(p[i]) < 0)
            return;
        write(p[i][1], "x", 1);
        ctl(ep, EPOLL_CTL_ADD, p[i][0], EPOLLIN, (uint64_t)i);
    }
    int count[N] = { 0 };
    int first_round = 0, bad = 0;
    for (int k = 0; k < 3 * N; k++) {
        struct epoll_event e;
        if (epoll_wait(ep, &e, 1, 0) != 1 || e.data.u64 >= N) {
            bad++;
            continue;
        }
        if (k < N && count[e.data.u64] == 0)
            first_round++;
        count[e.data.u64]++;
    }
    check_eq("epoll.fair.calls_ok", 0, bad);
    check_eq("epoll.fair.first_round_all_different", N, first_round);
    int each = 1;
    for (int i = 0; i < N; i++)
        each &= count[i] == 3;
    check(each, "epoll.fair.each_three_times", "counts %d %d %d %d", count[0], count[1],
          count[2], count[3]);

    // Two at a time out of four: the next call brings the other two.
    struct epoll_event e[2];
    int r1 = epoll_wait(ep, e, 2, 0);
    uint64_t a = e[0].data.u64, b = e[1].data.u64;
    int r2 = epoll_wait(ep, e, 2, 0);
    int all = r1 == 2 && r2 == 2 && a < N && b < N && e[0].data.u64 < N && e[1].data.u64 < N;
    if (all) {
        int seen[N] = { 0 };
        seen[a]++, seen[b]++, seen[e[0].data.u64]++, seen[e[1].data.u64]++;
        for (int i = 0; i < N; i++)
            all &= seen[i] == 1;
    }
    check(all, "epoll.fair.two_at_a_time", "returned %d and %d", r1, r2);
    for (int i = 0; i < N; i++) {
        close(p[i][0]);
        close(p[i][1]);
    }
    close(ep);
}

// ---- waking ----

static void write_x(pid_t parent, void *arg)
{
    (void)parent;
    write(*(int *)arg, "x", 1);
}

static void close_it(pid_t parent, void *arg)
{
    (void)parent;
    close(*(int *)arg);
}

// A process that sends this one SIGALRM in 10 s, holding no descriptor of
// its own (a pipe end it held would keep the pipe from hanging up). Not
// alarm(): a wait that no wake ends must end with a FAIL here, whatever
// else works or not.
static pid_t watchdog_start(void)
{
    catch_signal(SIGALRM, 0);
    pid_t parent = getpid();
    pid_t pid = xfork();
    if (pid == 0) {
        close_fds_from(3);
        sleep_ms(10000);
        kill(parent, SIGALRM);
        _exit(0);
    }
    return pid;
}

static void watchdog_stop(pid_t pid)
{
    kill(pid, SIGKILL);
    wait_for(pid);
}

// epoll_wait with this timeout (-1: for ever), ended by the watchdog if no
// wake comes: returns what epoll_wait did, *ms the time it took.
static int wait_long(int ep, struct epoll_event *e, int max, int timeout, long *ms)
{
    pid_t wd = watchdog_start();
    long long t0 = mono_ns();
    int r = epoll_wait(ep, e, max, timeout);
    int err = errno;
    *ms = ms_since(t0);
    watchdog_stop(wd);
    errno = err;
    return r;
}

static int wait_forever(int ep, struct epoll_event *e, int max, long *ms)
{
    return wait_long(ep, e, max, -1, ms);
}

static void wakes(void)
{
    int p[2], q[2];
    if (xpipe(p) < 0 || xpipe(q) < 0)
        return;
    int ep = epoll_create1(0);
    ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 31);
    ctl(ep, EPOLL_CTL_ADD, q[0], EPOLLIN | EPOLLET, 32);
    struct epoll_event e[4];
    long ms;
    pid_t h = helper(write_x, &q[1]);
    int r = wait_forever(ep, e, 4, &ms);
    check(r == 1 && e[0].data.u64 == 32 && e[0].events == EPOLLIN && ms < 5000,
          "epoll.wake.write", "returned %d (%s), data %llu after %ld ms", r,
          r < 0 ? errname(errno) : "-", (unsigned long long)e[0].data.u64, ms);
    wait_for(h);
    char c;
    read(q[0], &c, 1);

    // The writer's last copy goes in a helper: EPOLLHUP (not asked for).
    h = helper(close_it, &p[1]);      // the helper's own copy
    close(p[1]);
    r = wait_forever(ep, e, 4, &ms);
    check(r == 1 && e[0].data.u64 == 31 && e[0].events == EPOLLHUP && ms < 5000,
          "epoll.wake.hangup", "returned %d (%s), events %#x data %llu after %ld ms", r,
          r < 0 ? errname(errno) : "-", evs(&e[0]), (unsigned long long)e[0].data.u64, ms);
    wait_for(h);

    // A timeout with a wake in the middle: the event, at once.
    epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
    h = helper(write_x, &q[1]);
    long long t0 = mono_ns();
    r = epoll_wait(ep, e, 4, 10000);
    ms = ms_since(t0);
    check(r == 1 && e[0].data.u64 == 32 && ms < 5000, "epoll.wake.with_timeout",
          "returned %d after %ld ms", r, ms);
    wait_for(h);

    // Any negative timeout waits for ever; INT_MAX ms is a long wait.
    static const int forever[] = { -5, INT_MIN, INT_MAX };
    for (int i = 0; i < 3; i++) {
        read(q[0], &c, 1);
        h = helper(write_x, &q[1]);
        r = wait_long(ep, e, 4, forever[i], &ms);
        check(r == 1 && e[0].data.u64 == 32 && ms < 5000,
              tname("epoll.wake.timeout_%d", forever[i]), "returned %d (%s) after %ld ms", r,
              r < 0 ? errname(errno) : "-", ms);
        wait_for(h);
    }

    // An entry added by another process while this one waits (they share
    // the instance through fork): Linux wakes the waiter.
    read(q[0], &c, 1);
    int s[2];
    if (xpipe(s) < 0)
        return;
    write(s[1], "z", 1);
    pid_t parent = getpid();
    h = xfork();
    if (h == 0) {
        wait_sleeping(parent);
        ctl(ep, EPOLL_CTL_ADD, s[0], EPOLLIN, 33);
        _exit(0);
    }
    r = wait_forever(ep, e, 4, &ms);
    check(r == 1 && e[0].data.u64 == 33 && ms < 5000, "epoll.wake.entry_added",
          "returned %d (%s), data %llu after %ld ms", r, r < 0 ? errname(errno) : "-",
          (unsigned long long)e[0].data.u64, ms);
    wait_for(h);
    close(ep);
    close(p[0]);
    close(q[0]);
    close(q[1]);
    close(s[0]);
    close(s[1]);
}

// ---- signals ----

static void signals(void)
{
    int p[2];
    if (xpipe(p) < 0)
        return;
    int ep = epoll_create1(0);
    ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 41);
    struct epoll_event e[4];

    catch_signal(SIGUSR1, 0);
    caught = 0;
    pid_t h = helper(send_usr1, NULL);
    int r = epoll_wait(ep, e, 4, 10000);
    int err = errno;
    wait_for(h);
    check(r == -1 && err == EINTR && caught == 1, "epoll_wait.signal.handler_eintr",
          "returned %d (%s), handler ran %d times", r, r < 0 ? errname(err) : "-", caught);

    catch_signal(SIGUSR1, SA_RESTART);
    h = helper(send_usr1, NULL);
    r = epoll_wait(ep, e, 4, 10000);
    err = errno;
    wait_for(h);
    check(r == -1 && err == EINTR && caught == 2, "epoll_wait.signal.sa_restart_still_eintr",
          "returned %d (%s), handler ran %d times", r, r < 0 ? errname(err) : "-", caught);

    // Stopped and continued, no handler: EINTR too (signal(7): "even in
    // the absence of signal handlers").
    int stop_ms = 50;
    h = helper(stop_then_continue, &stop_ms);
    long long t0 = mono_ns();
    r = epoll_wait(ep, e, 4, 10000);
    err = errno;
    long ms = ms_since(t0);
    wait_for(h);
    check(r == -1 && err == EINTR && ms < 5000, "epoll_wait.signal.stop_continue_eintr",
          "returned %d (%s) after %ld ms", r, r < 0 ? errname(err) : "-", ms);

    // Events win over a pending signal.
    write(p[1], "x", 1);
    sigset_t usr1, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    caught = 0;
    kill(getpid(), SIGUSR1);
    sigset_t none;
    sigemptyset(&none);
    r = epoll_pwait(ep, e, 4, 1000, &none);
    sigset_t pend;
    sigpending(&pend);
    check(r == 1 && caught == 0 && sigismember(&pend, SIGUSR1), "epoll_pwait.ready_wins",
          "returned %d, handler ran %d times, SIGUSR1 %spending", r, caught,
          sigismember(&pend, SIGUSR1) ? "" : "not ");
    char c;
    read(p[0], &c, 1);
    // A zero timeout returns before looking at signals: 0, still pending.
    r = epoll_pwait(ep, e, 4, 0, &none);
    sigpending(&pend);
    check(r == 0 && caught == 0 && sigismember(&pend, SIGUSR1),
          "epoll_pwait.zero_timeout_ignores_signal",
          "returned %d (%s), handler ran %d times, SIGUSR1 %spending", r,
          r < 0 ? errname(errno) : "-", caught, sigismember(&pend, SIGUSR1) ? "" : "not ");
    // With time to wait, the pending signal interrupts at once.
    r = epoll_pwait(ep, e, 4, 5000, &none);
    err = errno;
    sigset_t now = mask_now();
    check(r == -1 && err == EINTR && caught == 1 && sigismember(&now, SIGUSR1),
          "epoll_pwait.pending_signal_eintr",
          "returned %d (%s), handler ran %d times, SIGUSR1 %sblocked after", r,
          r < 0 ? errname(err) : "-", caught, sigismember(&now, SIGUSR1) ? "" : "not ");
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(p[0]);
    close(p[1]);
    close(ep);
}

struct ts64 { int64_t sec, nsec; };

static long pwait2(int ep, struct epoll_event *e, int max, struct ts64 *t, sigset_t *m,
                   long size)
{
    return syscall(SYS_epoll_pwait2, ep, e, max, t, m, size);
}

static void masks(void)
{
    int p[2];
    if (xpipe(p) < 0)
        return;
    int ep = epoll_create1(0);
    ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 51);
    struct epoll_event e[4];
    // SIGUSR1 blocked outside; the wait's mask lets it in and blocks SIGUSR2.
    sigset_t old, wait_mask;
    wait_mask_setup(&old, &wait_mask);
    caught = 0;
    pid_t h = helper(send_usr1, NULL);
    int r = epoll_pwait(ep, e, 4, 10000, &wait_mask);
    int err = errno;
    wait_for(h);
    check(r == -1 && err == EINTR && caught == 1, "epoll_pwait.mask.delivered_during_wait",
          "returned %d (%s), handler ran %d times", r, r < 0 ? errname(err) : "-", caught);
    check_eq("epoll_pwait.mask.handler_under_wait_mask", 1, usr2_blocked_in_handler);
    sigset_t now = mask_now();
    check(sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2), "epoll_pwait.mask.old_back",
          "after the call: SIGUSR1 %sblocked, SIGUSR2 %sblocked",
          sigismember(&now, SIGUSR1) ? "" : "not ", sigismember(&now, SIGUSR2) ? "" : "not ");

    // The mask's size must be a signal set's (8 bytes); no mask, any size.
    long rr = syscall(SYS_epoll_pwait, ep, e, 4, 0, &wait_mask, 4);
    check_errno("epoll_pwait.einval.sigsetsize", rr, EINVAL);
    rr = syscall(SYS_epoll_pwait, ep, e, 4, 0, NULL, 4);
    check_eq("epoll_pwait.no_mask_any_size", 0, rr);
    rr = syscall(SYS_epoll_pwait, ep, e, 4, 0, (void *)1, 8);
    check_errno("epoll_pwait.efault.mask", rr, EFAULT);
    rr = syscall(SYS_epoll_pwait, ep, e, 0, 0, (void *)1, 8);
    check_errno("epoll_pwait.order.mask_before_maxevents", rr, EFAULT);
    now = mask_now();
    check(sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2),
          "epoll_pwait.mask.old_back_after_error", "SIGUSR1 %sblocked, SIGUSR2 %sblocked",
          sigismember(&now, SIGUSR1) ? "" : "not ", sigismember(&now, SIGUSR2) ? "" : "not ");

    // epoll_pwait2: a timespec (64-bit on i386's 441), never written back.
    struct ts64 t = { 0, 100000000 };
    long long t0 = mono_ns();
    rr = pwait2(ep, e, 4, &t, NULL, 8);
    long ms = ms_since(t0);
    check(rr == 0 && ms >= 95 && ms < 5000, "epoll_pwait2.timeout_100ms",
          "returned %ld after %ld ms", rr, ms);
    check(t.sec == 0 && t.nsec == 100000000, "epoll_pwait2.timeout_not_written",
          "now %lld.%09lld", (long long)t.sec, (long long)t.nsec);
    t = (struct ts64){ 0, 0 };
    t0 = mono_ns();
    rr = pwait2(ep, e, 4, &t, NULL, 8);
    check(rr == 0 && ms_since(t0) < 1000, "epoll_pwait2.zero_looks_once",
          "returned %ld after %ld ms", rr, ms_since(t0));
    write(p[1], "x", 1);
    t = (struct ts64){ 5, 0 };
    rr = pwait2(ep, e, 4, &t, NULL, 8);
    check(rr == 1 && e[0].data.u64 == 51 && t.sec == 5 && t.nsec == 0, "epoll_pwait2.ready",
          "returned %ld, timeout now %lld.%09lld", rr, (long long)t.sec, (long long)t.nsec);
    check_eq("epoll_pwait2.null_timeout_ready", 1, pwait2(ep, e, 4, NULL, NULL, 8));
    char c;
    read(p[0], &c, 1);
    t = (struct ts64){ 0, (1LL << 32) | 5000000 };
    check_eq("epoll_pwait2.nsec_high_half_ignored", 0, pwait2(ep, e, 4, &t, NULL, 8));
    t = (struct ts64){ 0, 1000000000 };
    check_errno("epoll_pwait2.einval.nsec", pwait2(ep, e, 4, &t, NULL, 8), EINVAL);
    t = (struct ts64){ -1, 0 };
    check_errno("epoll_pwait2.einval.negative_sec", pwait2(ep, e, 4, &t, NULL, 8), EINVAL);
    check_errno("epoll_pwait2.efault.timeout", pwait2(ep, e, 4, (void *)1, NULL, 8), EFAULT);
    t = (struct ts64){ 0, 0 };
    check_errno("epoll_pwait2.einval.sigsetsize", pwait2(ep, e, 4, &t, &wait_mask, 4), EINVAL);
    // Linux's order: the timeout, then the mask, then the rest.
    check_errno("epoll_pwait2.order.timeout_before_mask",
                pwait2(ep, e, 4, (void *)1, &wait_mask, 4), EFAULT);
    t = (struct ts64){ 0, 0 };
    check_errno("epoll_pwait2.order.mask_before_maxevents",
                pwait2(ep, e, 0, &t, (void *)1, 8), EFAULT);

    // epoll_pwait2 with a mask, interrupted.
    caught = 0;
    h = helper(send_usr1, NULL);
    t = (struct ts64){ 10, 0 };
    rr = pwait2(ep, e, 4, &t, &wait_mask, 8);
    err = errno;
    wait_for(h);
    now = mask_now();
    check(rr == -1 && err == EINTR && caught == 1 && sigismember(&now, SIGUSR1),
          "epoll_pwait2.mask", "returned %ld (%s), handler ran %d times, SIGUSR1 %sblocked after",
          rr, rr < 0 ? errname(err) : "-", caught, sigismember(&now, SIGUSR1) ? "" : "not ");
    close(p[0]);
    close(p[1]);
    close(ep);
}

// ---- nested instances ----

static void nested(void)
{
    int p[2];
    if (xpipe(p) < 0)
        return;
    int inner = epoll_create1(0), outer = epoll_create1(0);
    ctl(inner, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLET, 61);
    ctl(outer, EPOLL_CTL_ADD, inner, EPOLLIN, 62);
    struct pollfd pf = { inner, POLLIN | POLLOUT | POLLRDNORM | POLLPRI, 0 };
    int r = poll(&pf, 1, 0);
    check(r == 0 && pf.revents == 0, "epoll.nested.poll_nothing_ready",
          "returned %d, revents %#x", r, pf.revents);
    check_none("epoll.nested.epoll_nothing_ready", outer);
    write(p[1], "x", 1);
    r = poll(&pf, 1, 0);
    check(r == 1 && pf.revents == (POLLIN | POLLRDNORM), "epoll.nested.poll_readable",
          "returned %d, revents %#x", r, pf.revents);
    // Looking from outside takes nothing: the edge is still there inside;
    // taken inside, the inner instance has nothing more to report. (No
    // output in between: see the top of the file.)
    struct epoll_event e[4];
    int r1 = look(outer, e, 4);
    uint64_t d1 = e[0].data.u64;
    int r2 = look(outer, e, 4);
    int r3 = look(inner, e, 4);
    uint64_t d3 = e[0].data.u64;
    r = poll(&pf, 1, 0);
    check(r1 == 1 && d1 == 62, "epoll.nested.epoll_readable", "returned %d data %llu", r1,
          (unsigned long long)d1);
    check_eq("epoll.nested.epoll_readable_again", 1, r2);
    check(r3 == 1 && d3 == 61, "epoll.nested.inner_event_kept", "returned %d data %llu", r3,
          (unsigned long long)d3);
    check(r == 0, "epoll.nested.poll_after_taken", "returned %d, revents %#x", r, pf.revents);

    // A waiter on the outer instance is woken by a write to the pipe.
    char c;
    read(p[0], &c, 1);
    ctl(inner, EPOLL_CTL_MOD, p[0], EPOLLIN, 61);
    long ms;
    pid_t h = helper(write_x, &p[1]);
    r = wait_forever(outer, e, 4, &ms);
    check(r == 1 && e[0].data.u64 == 62 && e[0].events == EPOLLIN && ms < 5000,
          "epoll.nested.wake", "returned %d (%s), events %#x data %llu after %ld ms", r,
          r < 0 ? errname(errno) : "-", evs(&e[0]), (unsigned long long)e[0].data.u64, ms);
    wait_for(h);

    // Level-triggered inside: readable as long as the data is there.
    r = poll(&pf, 1, 0);
    check(r == 1 && pf.revents == (POLLIN | POLLRDNORM), "epoll.nested.poll_level",
          "returned %d, revents %#x", r, pf.revents);
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(inner, &rd);
    FD_SET(inner, &wr);
    struct timeval tv = { 0, 0 };
    r = select(inner + 1, &rd, &wr, NULL, &tv);
    check(r == 1 && FD_ISSET(inner, &rd) && !FD_ISSET(inner, &wr), "epoll.nested.select",
          "returned %d, readable %d, writable %d", r, FD_ISSET(inner, &rd) != 0,
          FD_ISSET(inner, &wr) != 0);
    // The inner instance closed: its entry in the outer one goes.
    close(inner);
    check_none("epoll.nested.inner_closed", outer);
    close(outer);
    close(p[0]);
    close(p[1]);
}

// ---- fork ----

static void forked(void)
{
    int p[2];
    if (xpipe(p) < 0)
        return;
    int ep = epoll_create1(0);
    pid_t c = xfork();
    if (c == 0) {
        _exit(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 71) == 0 ? 0 : 1);
    }
    int st = wait_for(c);
    check(st == 0, "epoll.fork.child_adds", "the child %s", status_str(st));
    check_none("epoll.fork.parent_sees_nothing_yet", ep);
    write(p[1], "x", 1);
    check_one("epoll.fork.parent_sees_childs_entry", ep, EPOLLIN, 71);
    check_errno("epoll.fork.parent_eexist", ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 0), EEXIST);

    // The child takes the event; the parent then finds none.
    ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 72);
    c = xfork();
    if (c == 0) {
        struct epoll_event e;
        _exit(epoll_wait(ep, &e, 1, 0) == 1 && e.data.u64 == 72 ? 0 : 1);
    }
    st = wait_for(c);
    check(st == 0, "epoll.fork.child_takes_oneshot", "the child %s", status_str(st));
    check_none("epoll.fork.parent_after_child_took", ep);

    // The child deletes; the parent's entry is gone too.
    c = xfork();
    if (c == 0)
        _exit(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0 ? 0 : 1);
    st = wait_for(c);
    check(st == 0, "epoll.fork.child_deletes", "the child %s", status_str(st));
    check_errno("epoll.fork.parent_enoent", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);

    // A child that closes its descriptor of the instance takes nothing away.
    ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 73);
    c = xfork();
    if (c == 0) {
        close(ep);
        _exit(0);
    }
    wait_for(c);
    check_one("epoll.fork.child_close_keeps_instance", ep, EPOLLIN, 73);
    close(ep);
    close(p[0]);
    close(p[1]);
}

// ---- threads ----

struct closer {
    int ep;                            // the instance the main thread waits on
    volatile int waiting;              // set just before it waits
    int new_ep, q[2];                  // what the thread makes after closing it
};

static void *close_while_waiting(void *arg)
{
    struct closer *c = arg;
    while (!c->waiting)
        sleep_ms(1);
    wait_sleeping(getpid());
    close(c->ep);
    // A new instance, likely at the same number and in the same memory,
    // with an entry ready at once: not the one the main thread waits on.
    c->new_ep = epoll_create1(0);
    if (pipe(c->q) == 0) {
        write(c->q[1], "x", 1);
        ctl(c->new_ep, EPOLL_CTL_ADD, c->q[0], EPOLLIN, 81);
    }
    return NULL;
}

static void threads(void)
{
    // A thread closes the descriptor of the instance the main thread waits
    // on: the wait goes on with the instance it started with (Linux holds
    // the file for the call), and ends at its time limit.
    struct closer c = { .ep = epoll_create1(0), .new_ep = -1, .q = { -1, -1 } };
    pthread_t t;
    if (pthread_create(&t, NULL, close_while_waiting, &c) != 0) {
        fail("epoll.thread.create", "pthread_create failed");
        return;
    }
    struct epoll_event e[4];
    memset(e, 0, sizeof e);
    c.waiting = 1;
    long long t0 = mono_ns();
    int r = epoll_wait(c.ep, e, 4, 500);
    long ms = ms_since(t0);
    pthread_join(t, NULL);
    check(r == 0 && ms >= 450, "epoll.thread.close_while_waiting",
          "returned %d (%s), data %llu after %ld ms (expected 0 at the time limit)", r,
          r < 0 ? errname(errno) : "-", (unsigned long long)e[0].data.u64, ms);
    check_one("epoll.thread.new_instance_fine", c.new_ep, EPOLLIN, 81);
    close(c.new_ep);
    close(c.q[0]);
    close(c.q[1]);
}

int main(void)
{
    long before = memfree_start();
    section("epoll.section.instance", instance);
    section("epoll.section.ctl_errors", ctl_errors);
    section("epoll.section.wait_errors", wait_errors);
    section("epoll.section.many", many);
    section("epoll.section.level", level);
    section("epoll.section.edge", edge);
    section("epoll.section.ownership", ownership);
    section("epoll.section.fairness", fairness);
    section("epoll.section.wakes", wakes);
    section("epoll.section.signals", signals);
    section("epoll.section.masks", masks);
    section("epoll.section.nested", nested);
    section("epoll.section.fork", forked);
    section("epoll.section.threads", threads);
    memfree_check("epoll.memfree", before);
    return test_status();
}
