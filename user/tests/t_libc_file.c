// t_libc_file: musl's file functions, where they lean on the kernel.
//
//   - fcntl record locks across fork: F_GETLK in the child sees the
//     parent's lock with its pid, type, start and length; F_SETLK is
//     EAGAIN; an unlock lets F_SETLKW in the child through;
//   - stat/fstat/lstat fields of a file, a symlink, a directory, a pipe;
//   - utime/utimes/futimens/utimensat with UTIME_NOW and UTIME_OMIT;
//   - lseek and ftello past 2 GiB (a sparse file, _llseek);
//   - ftello after a write with O_APPEND; fdopen's modes and their errors;
//   - tmpfile, mkstemp, mkdtemp, mkostemp, and their failures;
//   - statvfs and fstatvfs agree and are sane;
//   - fgets at EOF on a pipe, then again after more is written;
//   - getpwnam/getpwuid/getgrnam/getgrgid from /etc/passwd and /etc/group;
//   - getmntent on /proc/mounts finds "/";
//   - opendir/readdir/telldir/seekdir/rewinddir over many entries;
//   - realpath through a symlink and "..", and ENOENT;
//   - ttyname and isatty on a pipe and a file: ENOTTY;
//   - mmap/munmap/mprotect/mremap through musl; open_memstream and fmemopen;
//   - an empty path without AT_EMPTY_PATH is ENOENT whatever the dirfd;
//     linkat(fd, "", ..., AT_EMPTY_PATH) names an open file (root);
//     lseek's SEEK_DATA and SEEK_HOLE (ENXIO at the end; a sparse tmpfs
//     file's holes, page by page);
//   - fcntl F_SETOWN/F_GETOWN (musl asks F_GETOWN_EX first), the _EX forms,
//     F_SETSIG/F_GETSIG, with their ESRCH and EINVAL.
// On bunshin, MemFree is back where it started at the end.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <mntent.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "bunshin.h"

// --- record locks across fork -------------------------------------------------------

static void test_locks(void)
{
    const char *path = scratch_path("locks");
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 5 };
    int r = fcntl(fd, F_SETLK, &fl);
    int p[2];
    pipe(p);
    pid_t pid = xfork();
    if (pid == 0) {
        int cfd = open(path, O_RDWR);
        struct flock q = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
        fcntl(cfd, F_GETLK, &q);
        long v[8] = { q.l_type, q.l_pid, (long)q.l_start, (long)q.l_len, 0, 0, 0, 0 };
        struct flock w = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 4, .l_len = 1 };
        v[4] = fcntl(cfd, F_SETLK, &w) == -1 ? errno : 0;
        struct flock free_part = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 8,
                                   .l_len = 2 };
        v[5] = fcntl(cfd, F_SETLK, &free_part);
        // Wait for the parent's unlock.
        write(p[1], v, sizeof v);
        v[6] = fcntl(cfd, F_SETLKW, &w);
        struct flock q2 = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
        fcntl(cfd, F_GETLK, &q2);
        v[7] = q2.l_type;       // our own locks never conflict: F_UNLCK
        write(p[1], v, sizeof v);
        _exit(0);
    }
    long v[8];
    ssize_t n = read_full(p[0], v, sizeof v);
    check(r == 0 && n == sizeof v && v[0] == F_WRLCK && v[1] == getpid() && v[2] == 2 &&
          v[3] == 5 && (v[4] == EAGAIN || v[4] == EACCES) && v[5] == 0, "lock.getlk_fork",
          "type %ld pid %ld (mine %d) start %ld len %ld, setlk %s, free part %ld", v[0],
          v[1], (int)getpid(), v[2], v[3], errname((int)v[4]), v[5]);
    sleep_ms(20);
    fl.l_type = F_UNLCK;
    fcntl(fd, F_SETLK, &fl);
    n = read_full(p[0], v, sizeof v);
    int st = wait_for(pid);
    check(n == sizeof v && v[6] == 0 && v[7] == F_UNLCK && exited_with(st, 0),
          "lock.setlkw_after_unlock", "setlkw %ld own getlk %ld, child %s", v[6], v[7],
          status_str(st));
    // The child's locks went with it: F_GETLK now sees nothing.
    struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    fcntl(fd, F_GETLK, &q);
    check_eq("lock.released_at_exit", F_UNLCK, q.l_type);
    close(p[0]);
    close(p[1]);
    close(fd);
    unlink(path);
}

// --- stat --------------------------------------------------------------------------

static void test_stat(void)
{
    const char *f = scratch_path("st.file"), *l = scratch_path("st.link");
    unlink(f);
    unlink(l);
    int fd = open(f, O_RDWR | O_CREAT | O_EXCL, 0640);
    write(fd, "hello", 5);
    symlink("st.file", l);
    struct stat a, b, c, d;
    int r1 = stat(f, &a), r2 = fstat(fd, &b), r3 = lstat(l, &c), r4 = stat(l, &d);
    check(r1 == 0 && r2 == 0 && r3 == 0 && r4 == 0 && S_ISREG(a.st_mode) &&
          (a.st_mode & 07777) == (0640 & ~0 & 0777 & ~(mode_t)0) && a.st_size == 5 &&
          a.st_nlink == 1 && a.st_ino == b.st_ino && a.st_dev == b.st_dev &&
          a.st_uid == geteuid() && S_ISLNK(c.st_mode) && c.st_size == 7 &&
          c.st_ino != a.st_ino && d.st_ino == a.st_ino && a.st_blksize > 0 &&
          a.st_mtim.tv_sec > 1000000000, "stat.fields",
          "rc %d %d %d %d mode %o size %lld nlink %d ino %llu/%llu link mode %o size %lld",
          r1, r2, r3, r4, (unsigned)a.st_mode, (long long)a.st_size, (int)a.st_nlink,
          (unsigned long long)a.st_ino, (unsigned long long)b.st_ino, (unsigned)c.st_mode,
          (long long)c.st_size);
    int p[2];
    pipe(p);
    struct stat ps;
    fstat(p[0], &ps);
    struct stat ds;
    stat(scratch_dir(), &ds);
    check(S_ISFIFO(ps.st_mode) && S_ISDIR(ds.st_mode) && ds.st_nlink >= 2, "stat.kinds",
          "pipe mode %o dir mode %o nlink %d", (unsigned)ps.st_mode, (unsigned)ds.st_mode,
          (int)ds.st_nlink);
    close(p[0]);
    close(p[1]);
    errno = 0;
    check_errno("stat.enoent", stat(scratch_path("no-such"), &a), ENOENT);
    errno = 0;
    check_errno("stat.enotdir", stat(tname("%s/x", f), &a), ENOTDIR);

    // Times.
    struct utimbuf ub = { 1000000, 2000000 };
    int u1 = utime(f, &ub);
    stat(f, &a);
    struct timeval tv[2] = { { 3000000, 500000 }, { 4000000, 250000 } };
    int u2 = utimes(f, tv);
    stat(f, &b);
    check(u1 == 0 && a.st_atime == 1000000 && a.st_mtime == 2000000 && u2 == 0 &&
          b.st_atim.tv_sec == 3000000 && b.st_atim.tv_nsec == 500000000 &&
          b.st_mtim.tv_sec == 4000000 && b.st_mtim.tv_nsec == 250000000, "utime.utimes",
          "utime %d -> %lld %lld, utimes %d -> %lld.%09ld %lld.%09ld", u1,
          (long long)a.st_atime, (long long)a.st_mtime, u2, (long long)b.st_atim.tv_sec,
          b.st_atim.tv_nsec, (long long)b.st_mtim.tv_sec, b.st_mtim.tv_nsec);
    struct timespec ts[2] = { { 0, UTIME_OMIT }, { 5000000, 123456789 } };
    int u3 = futimens(fd, ts);
    stat(f, &a);
    struct timespec ts2[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
    time_t now = time(NULL);
    int u4 = utimensat(AT_FDCWD, f, ts2, 0);
    stat(f, &b);
    // On the symlink itself.
    struct timespec ts3[2] = { { 6000000, 0 }, { 7000000, 0 } };
    int u5 = utimensat(AT_FDCWD, l, ts3, AT_SYMLINK_NOFOLLOW);
    lstat(l, &c);
    stat(f, &d);
    check(u3 == 0 && a.st_atim.tv_sec == 3000000 && a.st_mtim.tv_sec == 5000000 &&
          a.st_mtim.tv_nsec == 123456789 && u4 == 0 && b.st_atime >= now - 1 &&
          b.st_atime <= now + 2 && b.st_mtim.tv_sec == 5000000 && u5 == 0 &&
          c.st_mtime == 7000000 && d.st_mtime == 5000000, "utimensat.now_omit",
          "futimens %d -> %lld %lld.%09ld; utimensat %d -> atime %lld (now %lld) mtime %lld;"
          " nofollow %d -> link %lld file %lld", u3, (long long)a.st_atime,
          (long long)a.st_mtim.tv_sec, a.st_mtim.tv_nsec, u4, (long long)b.st_atime,
          (long long)now, (long long)b.st_mtime, u5, (long long)c.st_mtime,
          (long long)d.st_mtime);
    struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
    errno = 0;
    check_errno("utimensat.bad_nsec", utimensat(AT_FDCWD, f, bad, 0), EINVAL);
    close(fd);
    unlink(f);
    unlink(l);
}

// --- big offsets, append, fdopen ----------------------------------------------------

static void test_offsets(void)
{
    const char *f = scratch_path("big");
    int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0644);
    off_t far = (off_t)3 << 30;             // 3 GiB
    off_t r = lseek(fd, far, SEEK_SET);
    ssize_t w = write(fd, "end", 3);
    struct stat st;
    fstat(fd, &st);
    off_t cur = lseek(fd, 0, SEEK_CUR);
    off_t end = lseek(fd, -1, SEEK_END);
    char c = 0;
    ssize_t rd = read(fd, &c, 1);
    char z = 1;
    ssize_t rz = pread(fd, &z, 1, far - 100);
    check(r == far && w == 3 && st.st_size == far + 3 && cur == far + 3 &&
          end == far + 2 && rd == 1 && c == 'd' && rz == 1 && z == 0, "lseek.past_2g",
          "seek %lld write %zd size %lld cur %lld end %lld read %zd '%c' hole %zd %d",
          (long long)r, w, (long long)st.st_size, (long long)cur, (long long)end, rd, c,
          rz, z);
    FILE *fp = fdopen(fd, "r+");
    int sk = fseeko(fp, far + 1, SEEK_SET);
    int ch = fgetc(fp);
    off_t t = ftello(fp);
    check(sk == 0 && ch == 'n' && t == far + 2, "ftello.past_2g", "fseeko %d char %c tell %lld",
          sk, ch, (long long)t);
    fclose(fp);
    errno = 0;
    check_errno("lseek.negative", lseek(open(f, O_RDONLY), -1, SEEK_SET), EINVAL);
    unlink(f);

    fd = open(f, O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0644);
    write(fd, "abc", 3);
    lseek(fd, 0, SEEK_SET);
    fp = fdopen(fd, "a+");
    fputs("defg", fp);
    fflush(fp);
    off_t at = ftello(fp);
    rewind(fp);
    char buf[16] = "";
    fgets(buf, sizeof buf, fp);
    check(at == 7 && strcmp(buf, "abcdefg") == 0, "ftello.append", "tell %lld text \"%s\"",
          (long long)at, buf);
    fclose(fp);

    unlink(f);
}

// --- temporary files ------------------------------------------------------------------

static void test_temps(void)
{
    FILE *t = tmpfile();
    int ok1 = t && fputs("tmp", t) >= 0 && fflush(t) == 0;
    struct stat st;
    int links = -1;
    if (t) {
        fstat(fileno(t), &st);
        links = (int)st.st_nlink;
        rewind(t);
    }
    char b[8] = "";
    if (t)
        fgets(b, sizeof b, t);
    check(ok1 && links == 0 && strcmp(b, "tmp") == 0, "tmpfile", "ok %d nlink %d read \"%s\"",
          ok1, links, b);
    if (t)
        fclose(t);

    char tmpl[256];
    snprintf(tmpl, sizeof tmpl, "%s", scratch_path("mkstempXXXXXX"));
    int fd = mkstemp(tmpl);
    fstat(fd, &st);
    int excl = open(tmpl, O_RDWR | O_CREAT | O_EXCL, 0600);
    check(fd >= 0 && strstr(tmpl, "XXXXXX") == NULL && (st.st_mode & 0777) == 0600 &&
          excl == -1 && errno == EEXIST, "mkstemp", "fd %d name %s mode %o", fd, tmpl,
          (unsigned)st.st_mode);
    close(fd);
    unlink(tmpl);
    snprintf(tmpl, sizeof tmpl, "%s", scratch_path("mkostempXXXXXX"));
    fd = mkostemp(tmpl, O_CLOEXEC);
    int fl = fcntl(fd, F_GETFD);
    check(fd >= 0 && fl == FD_CLOEXEC, "mkostemp.cloexec", "fd %d flags %d", fd, fl);
    close(fd);
    unlink(tmpl);
    snprintf(tmpl, sizeof tmpl, "%s", scratch_path("mkdtempXXXXXX"));
    char *d = mkdtemp(tmpl);
    struct stat ds;
    int sr = d ? stat(d, &ds) : -1;
    check(d != NULL && sr == 0 && S_ISDIR(ds.st_mode) && (ds.st_mode & 0777) == 0700,
          "mkdtemp", "dir %s stat %d mode %o", d ? d : "(null)", sr, (unsigned)ds.st_mode);
    if (d)
        rmdir(d);
    // A failure leaves the template as it was (its X's back).
    snprintf(tmpl, sizeof tmpl, "%s", scratch_path("no-dir/dXXXXXX"));
    errno = 0;
    d = mkdtemp(tmpl);
    int e_d = errno;
    int kept_d = strcmp(tmpl + strlen(tmpl) - 7, "dXXXXXX") == 0;
    snprintf(tmpl, sizeof tmpl, "%s", scratch_path("no-dir/fXXXXXX"));
    errno = 0;
    fd = mkstemp(tmpl);
    int e_f = errno;
    int kept_f = strcmp(tmpl + strlen(tmpl) - 7, "fXXXXXX") == 0;
    check(d == NULL && e_d == ENOENT && kept_d && fd == -1 && e_f == ENOENT && kept_f,
          "mkdtemp.mkstemp_failure", "mkdtemp %s kept %d, mkstemp %d %s kept %d",
          errname(e_d), kept_d, fd, errname(e_f), kept_f);
    snprintf(tmpl, sizeof tmpl, "%s", scratch_path("badtemplate"));
    errno = 0;
    check_errno("mkstemp.einval", mkstemp(tmpl), EINVAL);
}

// --- statvfs -----------------------------------------------------------------------

static void test_statvfs(void)
{
    struct statvfs a, b;
    int fd = open(scratch_dir(), O_RDONLY | O_DIRECTORY);
    int r1 = statvfs(scratch_dir(), &a), r2 = fstatvfs(fd, &b);
    close(fd);
    check(r1 == 0 && r2 == 0 && a.f_bsize > 0 && a.f_frsize > 0 && a.f_blocks >= a.f_bfree &&
          a.f_bfree >= a.f_bavail && a.f_namemax >= 255 && a.f_fsid == b.f_fsid &&
          a.f_blocks == b.f_blocks && a.f_namemax == b.f_namemax, "statvfs.fields",
          "rc %d %d bsize %lu frsize %lu blocks %llu free %llu avail %llu namemax %lu", r1,
          r2, a.f_bsize, a.f_frsize, (unsigned long long)a.f_blocks,
          (unsigned long long)a.f_bfree, (unsigned long long)a.f_bavail, a.f_namemax);
    errno = 0;
    check_errno("statvfs.enoent", statvfs(scratch_path("no-such"), &a), ENOENT);
}

// --- pipes through stdio ------------------------------------------------------------------

static void test_pipe_stdio(void)
{
    int p[2];
    pipe(p);
    FILE *r = fdopen(p[0], "r");
    write(p[1], "line1\npart", 10);
    char b[32] = "";
    char *g1 = fgets(b, sizeof b, r);
    int first = g1 && strcmp(b, "line1\n") == 0;
    close(p[1]);
    char *g2 = fgets(b, sizeof b, r);
    int second = g2 && strcmp(b, "part") == 0;
    char *g3 = fgets(b, sizeof b, r);
    int eof = g3 == NULL && feof(r) && !ferror(r);
    check(first && second && eof, "fgets.pipe_eof", "first %d partial %d eof %d", first,
          second, eof);
    fclose(r);
}

// --- users, mounts --------------------------------------------------------------------

static void test_pw_mnt(void)
{
    const char *root = test_root();
    if (root[0]) {
        // The host's /etc is not the image's: look up root only.
        struct passwd *pw = getpwnam("root");
        check(pw && pw->pw_uid == 0 && pw->pw_gid == 0, "getpwnam.root", "%s",
              pw ? pw->pw_dir : "no entry");
    } else {
        struct passwd *pw = getpwnam("user");
        int good = pw && pw->pw_uid == 1000 && pw->pw_gid == 1000 &&
                   strcmp(pw->pw_dir, "/home/user") == 0 && strcmp(pw->pw_shell, "/bin/sh") == 0;
        struct passwd *pu = getpwuid(65534);
        check(good && pu && strcmp(pu->pw_name, "nobody") == 0, "getpwnam.user",
              "user %s, 65534 %s", pw ? pw->pw_dir : "none", pu ? pu->pw_name : "none");
    }
    struct group *g = getgrgid(0);
    struct group *gn = g ? getgrnam(g->gr_name) : NULL;
    check(g && gn && gn->gr_gid == 0, "getgrnam.root", "getgrgid(0) %s",
          g ? g->gr_name : "none");
    errno = 0;
    struct passwd *none = getpwnam("no-such-user-xyz");
    check(none == NULL, "getpwnam.missing", "found one");

    FILE *m = setmntent("/proc/mounts", "r");
    int found_root = 0, entries = 0;
    struct mntent *e;
    while (m && (e = getmntent(m)) != NULL) {
        entries++;
        if (strcmp(e->mnt_dir, "/") == 0 && e->mnt_fsname[0] && e->mnt_type[0])
            found_root = 1;
    }
    if (m)
        endmntent(m);
    check(found_root, "getmntent.root", "%d entries, no / among them", entries);
}

// --- directories ------------------------------------------------------------------------

static void test_dirent(void)
{
    enum { N = 150 };
    const char *d = scratch_path("dir");
    remove_tree(d);
    mkdir(d, 0755);
    for (int i = 0; i < N; i++) {
        int fd = open(tname("%s/entry-with-a-long-name-%03d", d, i), O_CREAT | O_WRONLY, 0644);
        close(fd);
    }
    DIR *dir = opendir(d);
    if (!dir) {
        fail("dirent.all", "opendir: %s", errname(errno));
        return;
    }
    static char seen[N];
    memset(seen, 0, sizeof seen);
    int total = 0, dots = 0, bad = 0;
    long mark = -1;
    char mark_name[256] = "";
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        total++;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            dots++;
            continue;
        }
        int i;
        if (sscanf(e->d_name, "entry-with-a-long-name-%d", &i) != 1 || i < 0 || i >= N ||
            seen[i]++ || e->d_type != DT_REG)
            bad++;
        if (total == 77) {
            mark = telldir(dir);            // the position after this entry
        }
        if (total == 78)
            snprintf(mark_name, sizeof mark_name, "%s", e->d_name);
    }
    int all = 1;
    for (int i = 0; i < N; i++)
        all &= seen[i] == 1;
    check(total == N + 2 && dots == 2 && bad == 0 && all, "dirent.all",
          "total %d dots %d bad %d all %d", total, dots, bad, all);
    seekdir(dir, mark);
    e = readdir(dir);
    check(e && strcmp(e->d_name, mark_name) == 0, "dirent.seekdir", "after seekdir: %s, want %s",
          e ? e->d_name : "(end)", mark_name);
    rewinddir(dir);
    int again = 0;
    while (readdir(dir))
        again++;
    check_eq("dirent.rewinddir", N + 2, again);
    closedir(dir);
    errno = 0;
    DIR *nd = opendir(tname("%s/entry-with-a-long-name-000", d));
    check(nd == NULL && errno == ENOTDIR, "opendir.enotdir", "got %p %s", (void *)nd,
          errname(errno));
    remove_tree(d);
}

// --- realpath, ttys ---------------------------------------------------------------------

static void test_paths_ttys(void)
{
    const char *d = scratch_path("rp");
    remove_tree(d);
    mkdir(d, 0755);
    mkdir(tname("%s/a", d), 0755);
    symlink("a", tname("%s/link", d));
    char want[PATH_MAX], got[PATH_MAX];
    if (!realpath(d, want))
        want[0] = 0;
    strcat(want, "/a");
    char *r = realpath(tname("%s/link/../link/.", d), got);
    check(r && strcmp(got, want) == 0, "realpath.symlink", "got %s, want %s", r ? got : "NULL",
          want);
    errno = 0;
    r = realpath(tname("%s/missing/x", d), got);
    check(r == NULL && errno == ENOENT, "realpath.enoent", "got %s %s", r ? r : "NULL",
          errname(errno));
    remove_tree(d);

    int p[2];
    pipe(p);
    errno = 0;
    int t = isatty(p[0]);
    int e1 = errno;
    errno = 0;
    char *n = ttyname(p[0]);
    int e2 = errno;
    char buf[64];
    int rr = ttyname_r(p[0], buf, sizeof buf);
    int fd = open(scratch_path("notty"), O_CREAT | O_RDWR, 0644);
    errno = 0;
    int t2 = isatty(fd);
    int e3 = errno;
    errno = 0;
    int t3 = isatty(99);
    int e4 = errno;
    check(t == 0 && e1 == ENOTTY && n == NULL && e2 == ENOTTY && rr == ENOTTY && t2 == 0 &&
          e3 == ENOTTY && t3 == 0 && e4 == EBADF, "isatty.ttyname_not_tty",
          "pipe isatty %d %s ttyname %s %s ttyname_r %s; file %d %s; bad fd %d %s", t,
          errname(e1), n ? n : "NULL", errname(e2), errname(rr), t2, errname(e3), t3,
          errname(e4));
    close(p[0]);
    close(p[1]);
    close(fd);
    unlink(scratch_path("notty"));
}

// --- memory maps, memory streams -------------------------------------------------------

static void test_maps_streams(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 'a';
    m[3 * pg] = 'b';
    char *g = mremap(m, 4 * pg, 64 * pg, MREMAP_MAYMOVE);
    int kept = g != MAP_FAILED && g[0] == 'a' && g[3 * pg] == 'b';
    int pr = -1;
    if (g != MAP_FAILED) {
        g[63 * pg] = 'c';
        pr = mprotect(g + pg, pg, PROT_NONE);
    }
    // Shrinking in place keeps the start.
    char *s2 = g != MAP_FAILED ? mremap(g, 64 * pg, 8 * pg, 0) : MAP_FAILED;
    int un = munmap(g, 8 * pg);
    errno = 0;
    void *z = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int ez = errno;
    check(m != MAP_FAILED && pr == 0 && kept && s2 == g && un == 0 && z == MAP_FAILED &&
          ez == EINVAL, "mmap.mprotect_mremap",
          "map %p grown %p kept %d mprotect %d shrunk %p munmap %d zero-length %s",
          (void *)m, (void *)g, kept, pr, (void *)s2, un, errname(ez));
    errno = 0;
    check_errno("munmap.unaligned", munmap(m + 1, pg), EINVAL);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fprintf(f, "hello %d", 42);
    fflush(f);
    size_t l1 = len;
    for (int i = 0; i < 1000; i++)
        fputc('x', f);
    fclose(f);
    check(l1 == 8 && len == 1008 && buf && strncmp(buf, "hello 42x", 9) == 0 &&
          buf[len] == 0, "memstream", "len %zu then %zu", l1, len);
    free(buf);
    char fixed[16] = "abcdef";
    f = fmemopen(fixed, 6, "r");
    char rb[8] = "";
    size_t got = f ? fread(rb, 1, 7, f) : 0;
    if (f)
        fclose(f);
    check(got == 6 && strcmp(rb, "abcdef") == 0, "fmemopen", "read %zu \"%s\"", got, rb);
}


// --- *at() corners: empty paths, linkat of a descriptor, SEEK_DATA/SEEK_HOLE ------------

static void test_at_corners(void)
{
    const char *f = scratch_path("at.file"), *l = scratch_path("at.link");
    unlink(f);
    unlink(l);
    int fd = open(f, O_RDWR | O_CREAT, 0644);
    struct stat st;
    errno = 0;
    int r1 = fstatat(fd, "", &st, 0);          // no AT_EMPTY_PATH: "" names nothing
    int e1 = errno;
    errno = 0;
    int r2 = fstatat(AT_FDCWD, "", &st, 0);
    int e2 = errno;
    errno = 0;
    int r3 = openat(fd, "", O_RDONLY);
    int e3 = errno;
    int r4 = fstatat(fd, "", &st, AT_EMPTY_PATH);
    check(r1 == -1 && e1 == ENOENT && r2 == -1 && e2 == ENOENT && r3 == -1 && e3 == ENOENT &&
          r4 == 0, "at.empty_path_enoent", "fstatat(file fd, \"\") %d %s, (AT_FDCWD) %d %s, "
          "openat %d %s, with AT_EMPTY_PATH %d", r1, errname(e1), r2, errname(e2), r3,
          errname(e3), r4);

    if (geteuid() == 0) {
        // A second name for the file open on fd (root: CAP_DAC_READ_SEARCH).
        int r5 = linkat(fd, "", AT_FDCWD, l, AT_EMPTY_PATH);
        struct stat a, b;
        stat(f, &a);
        int r6 = stat(l, &b);
        check(r5 == 0 && r6 == 0 && a.st_ino == b.st_ino && a.st_nlink == 2,
              "linkat.empty_path", "linkat %d (%s), stat %d, same inode %d, nlink %d", r5,
              errname(errno), r6, a.st_ino == b.st_ino, (int)a.st_nlink);
    } else {
        skip("linkat.empty_path", "not root");
    }

    write(fd, "0123456789", 10);
    off_t d0 = lseek(fd, 0, SEEK_DATA), d5 = lseek(fd, 5, SEEK_DATA);
    off_t h0 = lseek(fd, 0, SEEK_HOLE);
    errno = 0;
    off_t dend = lseek(fd, 10, SEEK_DATA);
    int e_dend = errno;
    errno = 0;
    off_t hend = lseek(fd, 11, SEEK_HOLE);
    int e_hend = errno;
    int p[2];
    pipe(p);
    errno = 0;
    off_t pd = lseek(p[0], 0, SEEK_DATA);
    int e_pd = errno;
    close(p[0]);
    close(p[1]);
    check(d0 == 0 && d5 == 5 && h0 == 10 && dend == -1 && e_dend == ENXIO && hend == -1 &&
          e_hend == ENXIO && pd == -1 && e_pd == ESPIPE, "lseek.data_hole",
          "data at 0 %lld, at 5 %lld, hole %lld, data at end %lld %s, hole past end %lld %s, "
          "pipe %lld %s", (long long)d0, (long long)d5, (long long)h0, (long long)dend,
          errname(e_dend), (long long)hend, errname(e_hend), (long long)pd, errname(e_pd));
    close(fd);

    // A sparse file on tmpfs (/dev/shm on both): its holes are the pages
    // never written, and SEEK_DATA/SEEK_HOLE find them, page by page.
    char sparse[64];
    snprintf(sparse, sizeof sparse, "/dev/shm/t_libc_file.%d", (int)getpid());
    int sf = open(sparse, O_RDWR | O_CREAT | O_TRUNC, 0600);
    pwrite(sf, "a", 1, 0);
    pwrite(sf, "b", 1, 1 << 20);                     // pages 1..255 are a hole
    pwrite(sf, "c", 1, (8 << 20) + 100);             // and 8 MiB more, past a whole leaf
    off_t sh0 = lseek(sf, 0, SEEK_HOLE), sd1 = lseek(sf, 4096, SEEK_DATA);
    off_t sh1 = lseek(sf, 1 << 20, SEEK_HOLE), sd2 = lseek(sf, (1 << 20) + 4096, SEEK_DATA);
    off_t sh2 = lseek(sf, (8 << 20) + 5, SEEK_HOLE), sd3 = lseek(sf, 100, SEEK_DATA);
    check(sh0 == 4096 && sd1 == (1 << 20) && sh1 == (1 << 20) + 4096 && sd2 == (8 << 20) &&
          sh2 == (8 << 20) + 101 && sd3 == 100, "lseek.sparse",
          "hole after the first page %lld, data at %lld, hole after it %lld, data %lld, "
          "the end %lld, data at 100 %lld", (long long)sh0, (long long)sd1, (long long)sh1,
          (long long)sd2, (long long)sh2, (long long)sd3);
    close(sf);
    unlink(sparse);
    unlink(f);
    unlink(l);
}


// --- an open file's owner --------------------------------------------------------------

static void test_owner(void)
{
    int p[2];
    pipe(p);
    int o0 = fcntl(p[0], F_GETOWN);
    struct f_owner_ex ex = { -1, -1 };
    int x0 = fcntl(p[0], F_GETOWN_EX, &ex);
    int none_ok = o0 == 0 && x0 == 0 && ex.type == F_OWNER_TID && ex.pid == 0;
    int s1 = fcntl(p[0], F_SETOWN, getpid());
    int o1 = fcntl(p[0], F_GETOWN);
    int dupd = dup(p[0]);
    int o1d = fcntl(dupd, F_GETOWN);            // the description's, so the dup's too
    close(dupd);
    int s2 = fcntl(p[0], F_SETOWN, -getpgrp());
    int o2 = fcntl(p[0], F_GETOWN);
    fcntl(p[0], F_GETOWN_EX, &ex);
    int pg_ok = ex.type == F_OWNER_PGRP && ex.pid == getpgrp();
    struct f_owner_ex tid = { F_OWNER_TID, gettid() };
    int s3 = fcntl(p[0], F_SETOWN_EX, &tid);
    fcntl(p[0], F_GETOWN_EX, &ex);
    int tid_ok = ex.type == F_OWNER_TID && ex.pid == gettid();
    errno = 0;
    int s4 = fcntl(p[0], F_SETOWN, 0x7ffffff0);   // no such process
    int e4 = errno;
    struct f_owner_ex bad = { 7, getpid() };
    errno = 0;
    int s5 = fcntl(p[0], F_SETOWN_EX, &bad);
    int e5 = errno;
    int g0 = fcntl(p[0], F_GETSIG);
    int s6 = fcntl(p[0], F_SETSIG, SIGUSR1);
    int g1 = fcntl(p[0], F_GETSIG);
    errno = 0;
    int s7 = fcntl(p[0], F_SETSIG, 65);
    int e7 = errno;
    close(p[0]);
    close(p[1]);
    check(none_ok && s1 == 0 && o1 == getpid() && o1d == getpid() && s2 == 0 &&
          o2 == -getpgrp() && pg_ok && s3 == 0 && tid_ok && s4 == -1 && e4 == ESRCH &&
          s5 == -1 && e5 == EINVAL && g0 == 0 && s6 == 0 && g1 == SIGUSR1 && s7 == -1 &&
          e7 == EINVAL, "fcntl.owner_sig",
          "none %d (%d %d), pid %d -> %d (dup %d), pgrp %d -> %d ok %d, tid %d ok %d, "
          "missing %d %s, bad type %d %s, sig %d, set %d -> %d, 65 %d %s", none_ok, o0, x0, s1,
          o1, o1d, s2, o2, pg_ok, s3, tid_ok, s4, errname(e4), s5, errname(e5), g0, s6, g1, s7,
          errname(e7));
}

static void all_parts(void)
{
    test_locks();
    test_stat();
    test_offsets();
    test_temps();
    test_statvfs();
    test_pipe_stdio();
    test_pw_mnt();
    test_dirent();
    test_paths_ttys();
    test_maps_streams();
    test_at_corners();
    test_owner();
}

int main(void)
{
    long before = memfree_start();
    run_part("libc_file", all_parts);
    memfree_check("libc_file.memfree", before);
    return test_status();
}
