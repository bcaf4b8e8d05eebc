// t_mqueue: POSIX message queues through musl's mq_* (which make the
// system calls directly): mq_open's names, flags, attributes and errors,
// priorities (the highest first, the oldest first within one), blocking
// with timeouts, O_NONBLOCK and mq_setattr, poll and epoll, mq_notify with
// a signal (once, SI_MESGQ, EBUSY for a second process, SIGEV_NONE),
// permissions against the caller's ids, a queue that lives on after
// mq_unlink while open, the _time64 calls, RLIMIT_MSGQUEUE, queues_max,
// /proc/sys/fs/mqueue, and every frame back afterwards.
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

static char qname[64], qname2[64];

static mqd_t make_queue(const char *name, long maxmsg, long msgsize, int flags)
{
    struct mq_attr a;
    memset(&a, 0, sizeof a);
    a.mq_maxmsg = maxmsg;
    a.mq_msgsize = msgsize;
    return mq_open(name, O_CREAT | O_EXCL | flags, 0600, &a);
}

// A CLOCK_REALTIME time ms milliseconds from now.
static struct timespec in_ms(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += (ms % 1000) * 1000000;
    t.tv_sec += ms / 1000 + t.tv_nsec / 1000000000;
    t.tv_nsec %= 1000000000;
    return t;
}

static void test_open(void)
{
    mqd_t q = make_queue(qname, 4, 64, O_RDWR);
    if (!check(q >= 0, "open.create", "mq_open: %s", errname(errno)))
        return;
    struct mq_attr a;
    check(mq_getattr(q, &a) == 0 && a.mq_maxmsg == 4 && a.mq_msgsize == 64 &&
          a.mq_curmsgs == 0 && a.mq_flags == 0, "open.attr", "maxmsg %ld msgsize %ld cur %ld "
          "flags %ld", a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs, a.mq_flags);
    check(fcntl(q, F_GETFD) & FD_CLOEXEC, "open.cloexec", "F_GETFD %d", fcntl(q, F_GETFD));
    char link[80] = "", path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", (int)q);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n > 0)
        link[n] = 0;
    check_str("open.proc_link", qname, link);
    check_errno("open.eexist", make_queue(qname, 4, 64, O_RDWR), EEXIST);
    mqd_t again = mq_open(qname, O_CREAT | O_WRONLY, 0600, NULL);   // exists: opened
    check(again >= 0 && again != q, "open.existing", "mq_open: %s", errname(errno));
    if (again >= 0)
        close(again);
    mqd_t d = mq_open(qname2, O_CREAT | O_RDWR, 0600, NULL);
    check(d >= 0 && mq_getattr(d, &a) == 0 && a.mq_maxmsg == 10 && a.mq_msgsize == 8192,
          "open.default_attr", "maxmsg %ld msgsize %ld", a.mq_maxmsg, a.mq_msgsize);
    if (d >= 0)
        close(d);
    mq_unlink(qname2);
    check_errno("open.enoent", mq_open(qname2, O_RDWR), ENOENT);
    check_errno("open.slash_inside", mq_open("/a/b", O_CREAT | O_RDWR, 0600, NULL), EACCES);
    check_errno("open.empty", mq_open("/", O_CREAT | O_RDWR, 0600, NULL), ENOENT);
    check_errno("open.dot", syscall(SYS_mq_open, ".", O_CREAT | O_RDWR, 0600, NULL), EACCES);
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[0] = '/';
    longname[sizeof longname - 1] = 0;
    check_errno("open.long", mq_open(longname, O_CREAT | O_RDWR, 0600, NULL), ENAMETOOLONG);
    check_errno("open.efault", syscall(SYS_mq_open, (void *)8, O_RDWR, 0, NULL), EFAULT);
    check_errno("open.attr_efault", syscall(SYS_mq_open, qname2 + 1, O_CREAT | O_RDWR, 0600,
                                            (void *)8), EFAULT);
    check_errno("open.maxmsg_zero", make_queue(qname2, 0, 64, O_RDWR), EINVAL);
    check_errno("open.msgsize_neg", make_queue(qname2, 4, -1, O_RDWR), EINVAL);
    check_errno("open.maxmsg_huge", make_queue(qname2, 65537, 64, O_RDWR), EINVAL);
    // RLIMIT_MSGQUEUE (819200 bytes) holds 9 queues of 10 messages of 8192
    // bytes, fewer if this user has others already.
    mqd_t many[12];
    int made = 0;
    char name[80];
    for (; made < 12; made++) {
        snprintf(name, sizeof name, "%s.%d", qname2, made);
        if ((many[made] = make_queue(name, 10, 8192, O_RDWR)) < 0)
            break;
    }
    int err = errno;
    check(made >= 1 && made <= 9 && err == EMFILE, "open.rlimit", "%d made, then %s", made,
          errname(err));
    while (made-- > 0) {
        snprintf(name, sizeof name, "%s.%d", qname2, made);
        mq_unlink(name);
        close(many[made]);
    }
    check_errno("open.accmode3", mq_open(qname, O_RDWR | O_WRONLY), EINVAL);
    check_errno("unlink.enoent", mq_unlink(qname2), ENOENT);
    check_errno("unlink.slash", mq_unlink("/a/b"), EACCES);
    close(q);
}

static void test_send_receive(void)
{
    mqd_t q = mq_open(qname, O_RDWR);
    static const struct { const char *text; unsigned prio; } sent[] = {
        { "a", 1 }, { "b", 5 }, { "c", 5 }, { "d", 0 },
    };
    for (int i = 0; i < 4; i++)
        mq_send(q, sent[i].text, strlen(sent[i].text) + 1, sent[i].prio);
    struct mq_attr a;
    mq_getattr(q, &a);
    check_eq("send.curmsgs", 4, a.mq_curmsgs);
    char buf[64], order[8] = "";
    unsigned prios[4] = { 0 };
    for (int i = 0; i < 4; i++) {
        ssize_t n = mq_receive(q, buf, sizeof buf, &prios[i]);
        order[i] = n == 2 ? buf[0] : '?';
    }
    check_str("receive.priority_order", "bcad", order);
    check(prios[0] == 5 && prios[1] == 5 && prios[2] == 1 && prios[3] == 0, "receive.prios",
          "%u %u %u %u", prios[0], prios[1], prios[2], prios[3]);
    check_errno("receive.emsgsize", mq_receive(q, buf, 63, NULL), EMSGSIZE);
    char big[65] = { 0 };
    check_errno("send.emsgsize", mq_send(q, big, 65, 0), EMSGSIZE);
    check_errno("send.prio_max", mq_send(q, "x", 1, 32768), EINVAL);
    check_eq("send.empty_message", 0, mq_send(q, "", 0, 32767));
    check_eq("receive.empty_message", 0, mq_receive(q, buf, sizeof buf, NULL));
    check_errno("send.ebadf", mq_send(999, "x", 1, 0), EBADF);
    check_errno("send.not_queue", mq_send(0, "x", 1, 0), EBADF);
    mqd_t ro = mq_open(qname, O_RDONLY), wo = mq_open(qname, O_WRONLY);
    check_errno("send.rdonly", mq_send(ro, "x", 1, 0), EBADF);
    check_errno("receive.wronly", mq_receive(wo, buf, sizeof buf, NULL), EBADF);
    close(ro);
    close(wo);
    check_errno("send.efault", mq_send(q, (const char *)8, 1, 0), EFAULT);

    // Full and empty: timeouts, O_NONBLOCK, mq_setattr.
    for (int i = 0; i < 4; i++)
        mq_send(q, "f", 1, 0);
    struct timespec t = in_ms(50);
    long long start = mono_ns();
    check_errno("send.timeout", mq_timedsend(q, "f", 1, 0, &t), ETIMEDOUT);
    long long waited = mono_ns() - start;
    check(waited >= 40000000LL && waited < 2000000000LL, "send.timeout_waited", "%lld ns",
          waited);
    struct timespec bad = { 0, 1000000000 };
    check_errno("send.bad_timespec", mq_timedsend(q, "f", 1, 0, &bad), EINVAL);
    struct timespec past = { 1, 0 };
    check_errno("send.past_timeout", mq_timedsend(q, "f", 1, 0, &past), ETIMEDOUT);
    mqd_t nb = mq_open(qname, O_RDWR | O_NONBLOCK);
    check_errno("send.eagain", mq_send(nb, "f", 1, 0), EAGAIN);
    for (int i = 0; i < 4; i++)
        mq_receive(q, buf, sizeof buf, NULL);
    check_errno("receive.eagain", mq_receive(nb, buf, sizeof buf, NULL), EAGAIN);
    check_errno("receive.past_timeout", mq_timedreceive(q, buf, sizeof buf, NULL, &past),
                ETIMEDOUT);
    struct mq_attr set, old;
    memset(&set, 0, sizeof set);
    set.mq_flags = O_NONBLOCK;
    check(mq_setattr(q, &set, &old) == 0 && old.mq_flags == 0, "setattr.set", "old flags %ld",
          old.mq_flags);
    check_errno("setattr.nonblock", mq_receive(q, buf, sizeof buf, NULL), EAGAIN);
    mq_getattr(q, &a);
    check_eq("setattr.flags", O_NONBLOCK, a.mq_flags);
    set.mq_flags = O_NONBLOCK | O_APPEND;
    check_errno("setattr.einval", mq_setattr(q, &set, NULL), EINVAL);
    set.mq_flags = 0;
    mq_setattr(q, &set, NULL);
    close(nb);

    // The _time64 calls, raw.
    long long t64[2] = { 1, 0 };
    check_eq("time64.send", 0, syscall(418, q, "t", 1, 3, t64));
    unsigned prio = 0;
    check(syscall(419, q, buf, sizeof buf, &prio, t64) == 1 && buf[0] == 't' && prio == 3,
          "time64.receive", "%s", errname(errno));
    check_errno("time64.past", syscall(419, q, buf, sizeof buf, &prio, t64), ETIMEDOUT);

    // A blocked receiver woken by another process's send.
    pid_t pid = xfork();
    if (pid == 0) {
        sleep_ms(50);
        mq_send(q, "w", 1, 7);
        _exit(0);
    }
    t = in_ms(5000);
    ssize_t n = mq_timedreceive(q, buf, sizeof buf, &prio, &t);
    check(n == 1 && buf[0] == 'w' && prio == 7, "receive.woken", "%zd %s", n, errname(errno));
    wait_for(pid);
    close(q);
}

static void test_poll(void)
{
    mqd_t q = mq_open(qname, O_RDWR);
    struct pollfd p = { q, POLLIN | POLLOUT, 0 };
    check(poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "poll.empty", "revents %#x", p.revents);
    int ep = epoll_create1(0);
    struct epoll_event ev = { EPOLLIN, { .u32 = 9 } }, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, q, &ev);
    check_eq("epoll.empty", 0, epoll_wait(ep, &out, 1, 0));
    mq_send(q, "p", 1, 0);
    check(poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLOUT), "poll.some", "revents %#x",
          p.revents);
    check(epoll_wait(ep, &out, 1, 0) == 1 && out.data.u32 == 9, "epoll.ready", "%s",
          errname(errno));
    for (int i = 0; i < 3; i++)
        mq_send(q, "p", 1, 0);
    check(poll(&p, 1, 0) == 1 && p.revents == POLLIN, "poll.full", "revents %#x", p.revents);
    char buf[64];
    for (int i = 0; i < 4; i++)
        mq_receive(q, buf, sizeof buf, NULL);
    close(ep);
    close(q);
}

static void test_notify(void)
{
    mqd_t q = mq_open(qname, O_RDWR);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    sev.sigev_value.sival_int = 42;
    check_eq("notify.register", 0, mq_notify(q, &sev));
    check_errno("notify.again_ebusy", mq_notify(q, &sev), EBUSY);
    pid_t pid = xfork();
    if (pid == 0) {
        _exit(mq_notify(q, &sev) == -1 && errno == EBUSY ? 0 : 1);
    }
    int st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "notify.other_ebusy", "%s", status_str(st));
    mq_send(q, "n", 1, 0);
    siginfo_t si;
    struct timespec zero = { 0, 0 };
    int sig = sigtimedwait(&set, &si, &zero);
    check(sig == SIGUSR1 && si.si_code == SI_MESGQ && si.si_value.sival_int == 42 &&
          si.si_pid == getpid(), "notify.signal", "sig %d code %d value %d pid %d", sig,
          si.si_code, si.si_value.sival_int, (int)si.si_pid);
    mq_send(q, "n", 1, 0);             // not empty before: no signal anyway
    char buf[64];
    mq_receive(q, buf, sizeof buf, NULL);
    mq_receive(q, buf, sizeof buf, NULL);
    mq_send(q, "n", 1, 0);             // empty before, but the registration is gone
    check_errno("notify.once", sigtimedwait(&set, &si, &zero), EAGAIN);
    mq_receive(q, buf, sizeof buf, NULL);
    check_eq("notify.reregister", 0, mq_notify(q, &sev));
    mq_send(q, "s", 1, 0);             // its own send notifies it too
    check_eq("notify.own_send", SIGUSR1, sigtimedwait(&set, &si, &zero));
    mq_receive(q, buf, sizeof buf, NULL);
    check_eq("notify.reregister2", 0, mq_notify(q, &sev));
    check_eq("notify.unregister", 0, mq_notify(q, NULL));
    mq_send(q, "n", 1, 0);
    check_errno("notify.unregistered", sigtimedwait(&set, &si, &zero), EAGAIN);
    mq_receive(q, buf, sizeof buf, NULL);
    // read gives a line of status: the bytes queued, the notification.
    mq_send(q, "abc", 3, 0);
    mq_send(q, "defgh", 5, 0);
    mq_notify(q, &sev);
    char line[128] = "", want[128];
    ssize_t len = read(q, line, sizeof line - 1);
    if (len >= 0)
        line[len] = 0;
    snprintf(want, sizeof want, "QSIZE:%-10u NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", 8,
             SIGEV_SIGNAL, SIGUSR1, (int)getpid());
    check_str("read.status", want, line);
    check_eq("read.end", 0, read(q, line, sizeof line));
    mq_notify(q, NULL);
    mq_receive(q, buf, sizeof buf, NULL);
    mq_receive(q, buf, sizeof buf, NULL);
    sev.sigev_notify = SIGEV_NONE;
    check_eq("notify.none", 0, mq_notify(q, &sev));
    check_errno("notify.none_ebusy", mq_notify(q, &sev), EBUSY);
    mq_notify(q, NULL);
    sev.sigev_notify = 99;
    check_errno("notify.bad_notify", mq_notify(q, &sev), EINVAL);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = 65;
    check_errno("notify.bad_signal", mq_notify(q, &sev), EINVAL);
    sev.sigev_signo = SIGUSR1;
    check_errno("notify.ebadf", mq_notify(999, &sev), EBADF);
    check_errno("notify.not_queue", mq_notify(0, &sev), EBADF);
    // A registration goes when its process closes the queue.
    mq_notify(q, &sev);
    mqd_t q2 = mq_open(qname, O_RDWR);
    close(q);
    check_eq("notify.gone_with_close", 0, mq_notify(q2, &sev));
    mq_notify(q2, NULL);
    close(q2);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

// Another user: no access to a 0600 queue, and no removing it.
static void other_user(void *arg)
{
    (void)arg;
    if (setgid(1000) < 0 || setuid(1000) < 0)
        _exit(2);
    check_errno("perm.open_eacces", mq_open(qname, O_RDONLY), EACCES);
    // The kernel says EPERM (the sticky rule); musl's mq_unlink says EACCES.
    check_errno("perm.unlink_raw_eperm", syscall(SYS_mq_unlink, qname + 1), EPERM);
    check_errno("perm.unlink_eacces", mq_unlink(qname), EACCES);
    check_errno("perm.create_limits", make_queue(qname2, 11, 64, O_RDWR), EINVAL);
    mqd_t q = make_queue(qname2, 10, 8192, O_RDWR);
    check(q >= 0, "perm.create_user", "%s", errname(errno));
    mq_unlink(qname2);
    if (q >= 0)
        close(q);
    // queues_max (256) queues in all, for a user that is not root.
    char name[96];
    int made = 0;
    for (; made < 300; made++) {
        snprintf(name, sizeof name, "%s.q%d", qname2, made);
        q = make_queue(name, 1, 1, O_RDWR);
        if (q < 0)
            break;
        close(q);
    }
    int err = errno;
    check(made >= 1 && made <= 256 && err == ENOSPC, "limits.queues_max_enospc",
          "%d made, then %s", made, errname(err));
    while (made-- > 0) {
        snprintf(name, sizeof name, "%s.q%d", qname2, made);
        mq_unlink(name);
    }
}

static void test_limits(void)
{
    static const struct { const char *file; long value; } want[] = {
        { "msg_max", 10 }, { "msgsize_max", 8192 }, { "msg_default", 10 },
        { "msgsize_default", 8192 }, { "queues_max", 256 },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char path[64], buf[32];
        snprintf(path, sizeof path, "/proc/sys/fs/mqueue/%s", want[i].file);
        long v = read_file(path, buf, sizeof buf) > 0 ? atol(buf) : -1;
        check_eq(tname("limits.%s", want[i].file), want[i].value, v);
    }
}

static void test_unlink(void)
{
    int st = run_child(other_user, NULL);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "perm.child", "%s", status_str(st));
    mqd_t q = mq_open(qname, O_RDWR);
    mq_send(q, "u", 1, 0);
    check_eq("unlink.ok", 0, mq_unlink(qname));
    check_errno("unlink.gone", mq_open(qname, O_RDWR), ENOENT);
    char buf[64];
    check_eq("unlink.still_open", 1, mq_receive(q, buf, sizeof buf, NULL));
    // bunshin lists its named queues in /dev/mqueue (Linux, where the
    // mqueue file system is mounted), and rm removes them.
    if (on_bunshin()) {
        char path[96];
        snprintf(path, sizeof path, "/dev/mqueue%s", qname2);
        mqd_t l = make_queue(qname2, 2, 16, O_RDWR);
        struct stat st;
        check(stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600,
              "devmq.listed", "stat %s: %s", path, errname(errno));
        check_eq("devmq.unlink", 0, unlink(path));
        check_errno("devmq.gone", mq_open(qname2, O_RDWR), ENOENT);
        close(l);
        check_errno("devmq.no_create", open(path, O_CREAT | O_RDWR, 0600), ENOENT);
    } else {
        skip("devmq.listed", "Linux: /dev/mqueue only where mqueue is mounted");
    }
    mqd_t fresh = make_queue(qname, 2, 16, O_RDWR);
    struct mq_attr a;
    check(fresh >= 0 && mq_getattr(fresh, &a) == 0 && a.mq_maxmsg == 2, "unlink.new_queue",
          "%s", errname(errno));
    close(fresh);
    close(q);
    mq_unlink(qname);
}

// Queues made, filled, unlinked and closed: every frame comes back.
static void leaky(void *arg)
{
    (void)arg;
    for (int i = 0; i < 10; i++) {
        mqd_t q = make_queue(qname2, 8, 4000, O_RDWR);
        char buf[4000] = { 0 };
        for (int j = 0; j < 8; j++)
            mq_send(q, buf, sizeof buf, (unsigned)j);
        if (i & 1)
            mq_unlink(qname2);         // then closed at exit, full
        else {
            close(q);
            mq_unlink(qname2);
        }
    }
}

int main(void)
{
    snprintf(qname, sizeof qname, "/bunshin_t_mqueue.%d", (int)getpid());
    snprintf(qname2, sizeof qname2, "/bunshin_t_mqueue2.%d", (int)getpid());
    test_open();
    test_send_receive();
    test_poll();
    test_notify();
    test_limits();
    test_unlink();
    long before = memfree_start();
    run_child(leaky, NULL);
    memfree_check("mqueue.leak", before);
    mq_unlink(qname2);
    return test_status();
}
