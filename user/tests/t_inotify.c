// t_inotify: inotify_init1, inotify_add_watch, inotify_rm_watch and the
// events a watched file or directory reports, in the test's scratch space:
// create, open, access, modify, attrib, close (write and nowrite), moves
// with a shared cookie, delete, the watched inode's own move and deletion
// (IN_MOVE_SELF, IN_DELETE_SELF and IN_IGNORED), one-shot watches,
// rm_watch, coalescing of identical events, a read buffer too small for
// the next event (EINVAL), FIONREAD, poll and epoll, the errors of
// add_watch, pread/pwrite/getdents/utimensat/chown, /proc/sys/fs/inotify,
// the queue's overflow, and every frame back after instances with watches
// are closed.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bunshin.h"

#define MAXEV 32

struct ev {
    int wd;
    unsigned mask, cookie, len;
    char name[64];
};

static struct ev evs[MAXEV];
static int nev;

// Read every queued event (non-blocking descriptor) into evs.
static void drain(int fd)
{
    char buf[4096] __attribute__((aligned(4)));
    nev = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            return;
        for (ssize_t off = 0; off < n;) {
            struct inotify_event *e = (struct inotify_event *)(buf + off);
            if (nev < MAXEV) {
                evs[nev].wd = e->wd;
                evs[nev].mask = e->mask;
                evs[nev].cookie = e->cookie;
                evs[nev].len = e->len;
                snprintf(evs[nev].name, sizeof evs[nev].name, "%s", e->len ? e->name : "");
                nev++;
            }
            off += (ssize_t)sizeof *e + e->len;
        }
    }
}

static const char *show(void)
{
    static char out[1024];
    size_t n = 0;
    out[0] = 0;
    for (int i = 0; i < nev && n < sizeof out - 64; i++)
        n += (size_t)snprintf(out + n, sizeof out - n, "[wd %d mask %#x cookie %u '%s'] ",
                              evs[i].wd, evs[i].mask, evs[i].cookie, evs[i].name);
    return nev ? out : "no events";
}

struct want {
    int wd;
    unsigned mask;
    const char *name;          // "" for none
};

// Drain fd and check that exactly the events in w[0..n) came, in order.
static void expect(const char *name, int fd, const struct want *w, int n)
{
    drain(fd);
    int good = nev == n;
    for (int i = 0; good && i < n; i++)
        good = evs[i].wd == w[i].wd && evs[i].mask == w[i].mask &&
               strcmp(evs[i].name, w[i].name) == 0;
    check(good, name, "got %s", show());
}

static int inotify_fd;

static void touch_file(const char *path)
{
    int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (f >= 0)
        close(f);
}

// The flags and the descriptor's face: O_NONBLOCK, close-on-exec, the
// /proc link, EAGAIN when empty, bad flags.
static void test_init(int fd)
{
    check(fcntl(fd, F_GETFL) & O_NONBLOCK, "inotify.nonblock", "F_GETFL %#x", fcntl(fd, F_GETFL));
    check(fcntl(fd, F_GETFD) & FD_CLOEXEC, "inotify.cloexec", "F_GETFD %d", fcntl(fd, F_GETFD));
    check_eq("inotify.accmode", O_RDONLY, fcntl(fd, F_GETFL) & O_ACCMODE);
    char link[64] = "", path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n > 0)
        link[n] = 0;
    check_str("inotify.proc_link", "anon_inode:inotify", link);
    char buf[64];
    check_errno("inotify.empty_eagain", read(fd, buf, sizeof buf), EAGAIN);
    check_errno("inotify.init1_einval", inotify_init1(IN_NONBLOCK | 1), EINVAL);
    int plain = inotify_init();
    check(plain >= 0 && !(fcntl(plain, F_GETFL) & O_NONBLOCK), "inotify.init", "inotify_init: %s",
          errname(errno));
    if (plain >= 0)
        close(plain);
}

// add_watch's errors, and the same wd for the same inode.
static void test_add_errors(int fd, const char *dir, const char *file)
{
    int wd = inotify_add_watch(fd, dir, IN_CREATE);
    check(wd > 0, "add.wd", "add_watch: %d %s", wd, errname(errno));
    check_eq("add.same_wd", wd, inotify_add_watch(fd, dir, IN_DELETE));
    check_errno("add.mask_create_eexist", inotify_add_watch(fd, dir, IN_CREATE | IN_MASK_CREATE),
                EEXIST);
    check_errno("add.add_and_create", inotify_add_watch(fd, dir, IN_CREATE | IN_MASK_ADD |
                                                        IN_MASK_CREATE), EINVAL);
    check_errno("add.zero_mask", inotify_add_watch(fd, dir, 0), EINVAL);
    check_errno("add.ebadf", inotify_add_watch(999, dir, IN_CREATE), EBADF);
    check_errno("add.not_inotify", inotify_add_watch(0, dir, IN_CREATE), EINVAL);
    check_errno("add.enoent", inotify_add_watch(fd, scratch_path("inotify.none"), IN_CREATE),
                ENOENT);
    check_errno("add.onlydir", inotify_add_watch(fd, file, IN_ATTRIB | IN_ONLYDIR), ENOTDIR);
    check_errno("add.efault", inotify_add_watch(fd, (const char *)8, IN_CREATE), EFAULT);
    check_errno("rm.ebadf", inotify_rm_watch(999, wd), EBADF);
    check_errno("rm.not_inotify", inotify_rm_watch(0, wd), EINVAL);
    check_errno("rm.no_wd", inotify_rm_watch(fd, wd + 100), EINVAL);
    check_eq("rm.ok", 0, inotify_rm_watch(fd, wd));
    struct want w[] = { { wd, IN_IGNORED, "" } };
    expect("rm.ignored", fd, w, 1);
    check_errno("rm.again", inotify_rm_watch(fd, wd), EINVAL);
    int wd2 = inotify_add_watch(fd, dir, IN_CREATE);
    check(wd2 > wd, "add.new_wd", "wd %d after %d", wd2, wd);
    inotify_rm_watch(fd, wd2);
    drain(fd);
}

// The events of a directory's entries, as the directory's watch sees them.
static void test_dir_events(int fd, const char *dir)
{
    char f[300], g[300], sub[300];
    snprintf(f, sizeof f, "%s/f", dir);
    snprintf(g, sizeof g, "%s/g", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    int wd = inotify_add_watch(fd, dir, IN_ALL_EVENTS);

    int h = open(f, O_WRONLY | O_CREAT | O_EXCL, 0644);
    struct want create[] = { { wd, IN_CREATE, "f" }, { wd, IN_OPEN, "f" } };
    expect("dir.create_open", fd, create, 2);
    write(h, "hello", 5);
    write(h, "hello", 5);              // the same event again: coalesced
    struct want modify[] = { { wd, IN_MODIFY, "f" } };
    expect("dir.modify_coalesced", fd, modify, 1);
    close(h);
    struct want closew[] = { { wd, IN_CLOSE_WRITE, "f" } };
    expect("dir.close_write", fd, closew, 1);

    h = open(f, O_RDONLY);
    char buf[8];
    read(h, buf, 2);
    read(h, buf, 0);                   // nothing read: no event
    close(h);
    struct want reading[] = { { wd, IN_OPEN, "f" }, { wd, IN_ACCESS, "f" },
                              { wd, IN_CLOSE_NOWRITE, "f" } };
    expect("dir.open_access_close", fd, reading, 3);

    chmod(f, 0600);
    struct want attrib[] = { { wd, IN_ATTRIB, "f" } };
    expect("dir.attrib", fd, attrib, 1);
    truncate(f, 1);
    expect("dir.truncate_modify", fd, modify, 1);

    mkdir(sub, 0755);
    struct want mk[] = { { wd, IN_CREATE | IN_ISDIR, "sub" } };
    expect("dir.mkdir", fd, mk, 1);

    rename(f, g);
    drain(fd);
    check(nev == 2 && evs[0].mask == IN_MOVED_FROM && !strcmp(evs[0].name, "f") &&
          evs[1].mask == IN_MOVED_TO && !strcmp(evs[1].name, "g") && evs[0].cookie != 0 &&
          evs[0].cookie == evs[1].cookie, "dir.move_cookie", "got %s", show());

    unlink(g);
    struct want del[] = { { wd, IN_DELETE, "g" } };
    expect("dir.delete", fd, del, 1);
    rmdir(sub);
    struct want rmd[] = { { wd, IN_DELETE | IN_ISDIR, "sub" } };
    expect("dir.rmdir", fd, rmd, 1);

    // The directory's own open and close carry IN_ISDIR and no name.
    h = open(dir, O_RDONLY | O_DIRECTORY);
    close(h);
    struct want self[] = { { wd, IN_OPEN | IN_ISDIR, "" }, { wd, IN_CLOSE_NOWRITE | IN_ISDIR, "" } };
    expect("dir.self_open_close", fd, self, 2);
    inotify_rm_watch(fd, wd);
    drain(fd);
}

// A watched file: its own events, its move, and its end with IN_IGNORED,
// when the last name goes and when the last open file then goes.
static void test_file_events(int fd, const char *dir)
{
    char f[300], g[300];
    snprintf(f, sizeof f, "%s/self", dir);
    snprintf(g, sizeof g, "%s/self2", dir);
    touch_file(f);
    int wd = inotify_add_watch(fd, f, IN_ALL_EVENTS);
    int h = open(f, O_WRONLY);
    write(h, "x", 1);
    struct want own[] = { { wd, IN_OPEN, "" }, { wd, IN_MODIFY, "" } };
    expect("file.open_modify", fd, own, 2);
    rename(f, g);
    struct want moved[] = { { wd, IN_MOVE_SELF, "" } };
    expect("file.move_self", fd, moved, 1);
    unlink(g);                         // still open: only its link count changes
    struct want linkc[] = { { wd, IN_ATTRIB, "" } };
    expect("file.unlink_open", fd, linkc, 1);
    close(h);
    struct want gone[] = { { wd, IN_CLOSE_WRITE, "" }, { wd, IN_DELETE_SELF, "" },
                           { wd, IN_IGNORED, "" } };
    expect("file.delete_self", fd, gone, 3);
    check_errno("file.wd_gone", inotify_rm_watch(fd, wd), EINVAL);

    // A watched directory removed: its end, then its parent's event.
    snprintf(f, sizeof f, "%s/gonedir", dir);
    mkdir(f, 0755);
    int pwd = inotify_add_watch(fd, dir, IN_DELETE);
    wd = inotify_add_watch(fd, f, IN_DELETE_SELF);
    rmdir(f);
    struct want rmd[] = { { wd, IN_DELETE_SELF, "" }, { wd, IN_IGNORED, "" },
                          { pwd, IN_DELETE | IN_ISDIR, "gonedir" } };
    expect("file.rmdir_self", fd, rmd, 3);
    inotify_rm_watch(fd, pwd);
    drain(fd);

    // A file watched directly and through its directory: the directory's
    // event (with the name) first, then the file's.
    snprintf(f, sizeof f, "%s/both", dir);
    touch_file(f);
    pwd = inotify_add_watch(fd, dir, IN_ATTRIB);
    wd = inotify_add_watch(fd, f, IN_ATTRIB);
    chmod(f, 0600);
    struct want both[] = { { pwd, IN_ATTRIB, "both" }, { wd, IN_ATTRIB, "" } };
    expect("file.parent_first", fd, both, 2);
    // A new name: the file's link count, and the directory's IN_CREATE.
    snprintf(g, sizeof g, "%s/both2", dir);
    inotify_add_watch(fd, dir, IN_ATTRIB | IN_CREATE);
    link(f, g);
    struct want ln[] = { { wd, IN_ATTRIB, "" }, { pwd, IN_CREATE, "both2" } };
    expect("file.link", fd, ln, 2);
    inotify_rm_watch(fd, pwd);
    inotify_rm_watch(fd, wd);
    unlink(f);
    unlink(g);
    drain(fd);

    // A watched directory moved.
    snprintf(f, sizeof f, "%s/mvdir", dir);
    snprintf(g, sizeof g, "%s/mvdir2", dir);
    mkdir(f, 0755);
    wd = inotify_add_watch(fd, f, IN_MOVE_SELF);
    rename(f, g);
    struct want mv[] = { { wd, IN_MOVE_SELF, "" } };
    expect("file.dir_move_self", fd, mv, 1);
    rmdir(g);
    drain(fd);
}

// One-shot watches, IN_MASK_ADD, and a symbolic link watched itself.
static void test_flags(int fd, const char *dir)
{
    char f[300], l[300];
    snprintf(f, sizeof f, "%s/one", dir);
    snprintf(l, sizeof l, "%s/link", dir);
    touch_file(f);
    int wd = inotify_add_watch(fd, f, IN_ATTRIB | IN_ONESHOT);
    chmod(f, 0600);
    chmod(f, 0644);
    struct want one[] = { { wd, IN_ATTRIB, "" }, { wd, IN_IGNORED, "" } };
    expect("flags.oneshot", fd, one, 2);

    wd = inotify_add_watch(fd, f, IN_ATTRIB);
    check_eq("flags.mask_add", wd, inotify_add_watch(fd, f, IN_MODIFY | IN_MASK_ADD));
    chmod(f, 0600);
    truncate(f, 0);
    struct want both[] = { { wd, IN_ATTRIB, "" }, { wd, IN_MODIFY, "" } };
    expect("flags.mask_add_events", fd, both, 2);
    inotify_add_watch(fd, f, IN_MODIFY);   // replaces: attrib no more
    chmod(f, 0644);
    truncate(f, 0);
    struct want repl[] = { { wd, IN_MODIFY, "" } };
    expect("flags.mask_replaced", fd, repl, 1);

    symlink("one", l);
    check_eq("flags.follow_same_wd", wd, inotify_add_watch(fd, l, IN_MODIFY));
    int lwd = inotify_add_watch(fd, l, IN_ATTRIB | IN_DONT_FOLLOW | IN_EXCL_UNLINK);
    check(lwd > 0 && lwd != wd, "flags.dont_follow", "wd %d, the file's %d", lwd, wd);
    inotify_rm_watch(fd, lwd);
    inotify_rm_watch(fd, wd);
    unlink(l);
    unlink(f);
    drain(fd);
}

// read's buffer, FIONREAD, poll and epoll.
static void test_reading(int fd, const char *dir)
{
    char f[300];
    snprintf(f, sizeof f, "%s/r", dir);
    int wd = inotify_add_watch(fd, dir, IN_CREATE | IN_DELETE);
    struct pollfd p = { fd, POLLIN, 0 };
    check_eq("read.poll_empty", 0, poll(&p, 1, 0));
    int ep = epoll_create1(0);
    struct epoll_event ee = { EPOLLIN, { .u32 = 7 } }, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee);
    check_eq("read.epoll_empty", 0, epoll_wait(ep, &out, 1, 0));
    touch_file(f);                     // IN_CREATE "r": 16 + 16 bytes
    check(poll(&p, 1, 0) == 1 && p.revents == POLLIN, "read.poll_ready", "revents %#x",
          p.revents);
    check(epoll_wait(ep, &out, 1, 0) == 1 && out.data.u32 == 7, "read.epoll_ready",
          "epoll_wait: %s", errname(errno));
    close(ep);
    int avail = -1;
    check(ioctl(fd, FIONREAD, &avail) == 0 && avail == 32, "read.fionread", "FIONREAD %d",
          avail);
    char buf[64] __attribute__((aligned(4)));
    check_errno("read.too_small", read(fd, buf, 31), EINVAL);
    check_errno("read.zero", read(fd, buf, 0), EINVAL);
    unlink(f);                         // a second event: only the first fits in 40
    check_eq("read.whole_events", 32, read(fd, buf, 40));
    struct inotify_event *e = (struct inotify_event *)buf;
    check(e->wd == wd && e->mask == IN_CREATE && e->len == 16 && !strcmp(e->name, "r") &&
          !memchr(e->name + 1, 1, 15), "read.padded_name", "wd %d mask %#x len %u",
          e->wd, e->mask, e->len);
    check_errno("read.efault", read(fd, (void *)8, 64), EFAULT);
    inotify_rm_watch(fd, wd);
    drain(fd);
}

// The other calls that report: pread, pwrite, getdents, utimensat, chown.
static void test_more_calls(int fd, const char *dir)
{
    char f[300];
    snprintf(f, sizeof f, "%s/more", dir);
    touch_file(f);
    int h = open(f, O_RDWR);
    int wd = inotify_add_watch(fd, f, IN_ACCESS | IN_MODIFY | IN_ATTRIB);
    char c = 'x';
    pwrite(h, &c, 1, 3);
    pread(h, &c, 1, 0);
    struct want prw[] = { { wd, IN_MODIFY, "" }, { wd, IN_ACCESS, "" } };
    expect("more.pwrite_pread", fd, prw, 2);
    struct timespec both[2] = { { 1, 0 }, { 2, 0 } };
    struct timespec atime[2] = { { 1, 0 }, { 0, UTIME_OMIT } };
    struct timespec mtime[2] = { { 0, UTIME_OMIT }, { 2, 0 } };
    utimensat(AT_FDCWD, f, both, 0);
    utimensat(AT_FDCWD, f, atime, 0);
    utimensat(AT_FDCWD, f, mtime, 0);
    struct want ut[] = { { wd, IN_ATTRIB, "" }, { wd, IN_ACCESS, "" }, { wd, IN_MODIFY, "" } };
    expect("more.utimensat", fd, ut, 3);
    fchown(h, getuid(), getgid());
    struct want own[] = { { wd, IN_ATTRIB, "" } };
    expect("more.chown", fd, own, 1);
    close(h);
    inotify_rm_watch(fd, wd);
    drain(fd);

    wd = inotify_add_watch(fd, dir, IN_ACCESS);
    h = open(dir, O_RDONLY | O_DIRECTORY);
    char buf[1024];
    syscall(SYS_getdents64, h, buf, sizeof buf);
    close(h);
    struct want ls[] = { { wd, IN_ACCESS | IN_ISDIR, "" } };
    expect("more.getdents", fd, ls, 1);
    inotify_rm_watch(fd, wd);
    unlink(f);
    drain(fd);
}

// The limits in /proc/sys/fs/inotify, and the queue's overflow: events
// past max_queued_events are lost, and one IN_Q_OVERFLOW says so.
static void test_overflow(const char *dir)
{
    char buf[64];
    long max = -1, inst = -1, watches = -1;
    if (read_file("/proc/sys/fs/inotify/max_queued_events", buf, sizeof buf) > 0)
        max = atol(buf);
    if (read_file("/proc/sys/fs/inotify/max_user_instances", buf, sizeof buf) > 0)
        inst = atol(buf);
    if (read_file("/proc/sys/fs/inotify/max_user_watches", buf, sizeof buf) > 0)
        watches = atol(buf);
    check_eq("limits.max_queued_events", 16384, max);
    check_eq("limits.max_user_instances", 128, inst);
    check(watches >= 8192, "limits.max_user_watches", "%ld", watches);
    if (max != 16384)
        return;
    int fd = inotify_init1(IN_NONBLOCK);
    char f[300];
    snprintf(f, sizeof f, "%s/flood", dir);
    touch_file(f);
    int h = open(f, O_RDWR);
    int wd = inotify_add_watch(fd, f, IN_ACCESS | IN_MODIFY);
    char c = 'x';
    for (long i = 0; i < max / 2 + 4; i++) {    // alternating: none coalesced
        pwrite(h, &c, 1, 0);
        pread(h, &c, 1, 0);
    }
    int avail = -1;
    ioctl(fd, FIONREAD, &avail);
    check_eq("overflow.fionread", (max + 1) * 16, avail);
    static char big[65536] __attribute__((aligned(4)));
    long n = 0, bad = 0;
    struct inotify_event last = { 0, 0, 0, 0 };
    for (;;) {
        ssize_t got = read(fd, big, sizeof big);
        if (got <= 0)
            break;
        for (ssize_t off = 0; off < got; off += 16) {
            struct inotify_event *e = (struct inotify_event *)(big + off);
            if (n < max && (e->wd != wd || e->mask != (n & 1 ? IN_ACCESS : IN_MODIFY)))
                bad++;
            last = *e;
            n++;
        }
    }
    check(n == max + 1 && !bad && last.wd == -1 && last.mask == IN_Q_OVERFLOW, "overflow.events",
          "%ld events, %ld unexpected, the last wd %d mask %#x", n, bad, last.wd, last.mask);
    close(h);
    close(fd);
    unlink(f);
}

// Many instances with watches, closed: every frame comes back.
static void leaky(void *arg)
{
    const char *dir = arg;
    for (int i = 0; i < 20; i++) {
        int fd = inotify_init1(IN_NONBLOCK);
        inotify_add_watch(fd, dir, IN_ALL_EVENTS);
        inotify_add_watch(fd, "/", IN_ALL_EVENTS);
        char f[300];
        snprintf(f, sizeof f, "%s/leak", dir);
        touch_file(f);
        unlink(f);
        if (i & 1)
            close(fd);                 // with events queued
    }
}

int main(void)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s", scratch_path("inotify.d"));
    remove_tree(dir);
    if (mkdir(dir, 0755) < 0) {
        fail("inotify.scratch", "mkdir %s: %s", dir, errname(errno));
        return test_status();
    }
    char file[300];
    snprintf(file, sizeof file, "%s/plain", dir);
    touch_file(file);

    inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (!check(inotify_fd >= 0, "inotify.init1", "inotify_init1: %s", errname(errno)))
        return test_status();
    test_init(inotify_fd);
    test_add_errors(inotify_fd, dir, file);
    unlink(file);
    test_dir_events(inotify_fd, dir);
    test_file_events(inotify_fd, dir);
    test_flags(inotify_fd, dir);
    test_reading(inotify_fd, dir);
    test_more_calls(inotify_fd, dir);
    close(inotify_fd);

    test_overflow(dir);

    long before = memfree_start();
    run_child(leaky, dir);
    memfree_check("inotify.leak", before);
    remove_tree(dir);
    return test_status();
}
