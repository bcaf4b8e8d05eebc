// t_fs: the writable file system, and the devices in /dev.
//
//   - create: O_CREAT|O_EXCL makes a file (EEXIST the second time), with the
//     mode less the umask; without O_CREAT, ENOENT; O_TRUNC empties a file;
//     O_DIRECTORY on a file is ENOTDIR, a directory opened for writing EISDIR;
//   - write/read/lseek: data back as written; writing past the end leaves a
//     hole that reads as zeros; SEEK_END; EINVAL for a negative offset;
//   - truncate and ftruncate, shrinking and growing (zeros);
//   - unlink of an open file: the name goes (ENOENT), the file lives on
//     through the fd (fstat says 0 links), also in a forked child, until
//     the last close;
//   - mkdir (EEXIST, ENOENT, ENOTDIR), rmdir (ENOTEMPTY, ENOTDIR, EINVAL for
//     "."), nlink of directories (2, and one more per subdirectory);
//     getdents lists exactly what was made;
//   - rename: a file (same inode, old name gone), over an existing file
//     (replaced), a directory; EINVAL into itself, ENOENT, EISDIR, ENOTDIR,
//     ENOTEMPTY; renameat2's RENAME_EXCHANGE (two files, a directory with a
//     file across directories) and its errors;
//   - link: same inode, link count 2, data through either; EEXIST; EPERM for
//     a directory;
//   - symlink/readlink: the link's text, lstat S_ISLNK with that size, stat
//     and open follow it; a dangling one is ENOENT; readlink of a file
//     EINVAL; a short buffer truncates; a loop is ELOOP;
//   - times in stat: utimensat sets them exactly; a write moves mtime and
//     ctime forward; a new entry moves its directory's mtime;
//   - /dev/null, /dev/zero, /dev/tty (on Linux there may be no terminal:
//     skipped when it says ENXIO); /dev/console on bunshin.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

static char dir[4096];   // everything happens in here

static const char *p(const char *name)
{
    return tname("%s/%s", dir, name);
}

static long size_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void test_create(void)
{
    mode_t old = umask(022);
    int fd = open(p("new"), O_RDWR | O_CREAT | O_EXCL, 0666);
    struct stat st;
    check(fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644 &&
              st.st_size == 0 && st.st_nlink == 1,
          "fs.create", "open(O_CREAT|O_EXCL, 0666) with umask 022: fd %d, mode %#o, size %lld, "
          "nlink %ld (expected 0100644, 0, 1)",
          fd, (unsigned)st.st_mode, (long long)st.st_size, (long)st.st_nlink);
    close(fd);
    check_errno("fs.create_excl", open(p("new"), O_RDWR | O_CREAT | O_EXCL, 0666), EEXIST);
    umask(077);
    fd = open(p("private"), O_WRONLY | O_CREAT, 0666);
    check(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0600, "fs.umask",
          "umask 077: mode %#o", (unsigned)st.st_mode);
    close(fd);
    umask(old);
    check_errno("fs.enoent", open(p("missing"), O_RDONLY), ENOENT);
    check_errno("fs.enoent_parent", open(p("nodir/file"), O_WRONLY | O_CREAT, 0644), ENOENT);
    check_errno("fs.o_directory_file", open(p("new"), O_RDONLY | O_DIRECTORY), ENOTDIR);
    check_errno("fs.dir_for_writing", open(dir, O_WRONLY), EISDIR);
    check_errno("fs.enotdir_path", open(p("new/x"), O_RDONLY), ENOTDIR);

    fd = open(p("new"), O_WRONLY);
    write(fd, "0123456789", 10);
    close(fd);
    fd = open(p("new"), O_RDWR | O_TRUNC);
    check(fd >= 0 && size_of(p("new")) == 0, "fs.o_trunc", "size after O_TRUNC: %ld",
          size_of(p("new")));
    close(fd);
}

static void test_rw(void)
{
    int fd = open(p("rw"), O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fail("fs.rw_open", "%s", errname(errno));
        return;
    }
    char buf[64] = "";
    ssize_t w = write(fd, "hello, world", 12);
    lseek(fd, 0, SEEK_SET);
    ssize_t r = read(fd, buf, sizeof buf);
    check(w == 12 && r == 12 && memcmp(buf, "hello, world", 12) == 0, "fs.write_read",
          "wrote %zd, read %zd: \"%.*s\"", w, r, (int)(r > 0 ? r : 0), buf);
    check_eq("fs.read_at_end", 0, read(fd, buf, sizeof buf));
    check_eq("fs.seek_end", 12, lseek(fd, 0, SEEK_END));
    check_errno("fs.seek_negative", lseek(fd, -100, SEEK_SET), EINVAL);
    // Past the end: a hole of zeros.
    lseek(fd, 100, SEEK_SET);
    write(fd, "X", 1);
    memset(buf, 0x55, sizeof buf);
    pread(fd, buf, 20, 12);
    int zeros = 1;
    for (int i = 0; i < 20; i++)
        zeros &= buf[i] == 0;
    check(size_of(p("rw")) == 101 && zeros, "fs.hole",
          "size %ld (expected 101); the hole reads as zeros: %s", size_of(p("rw")),
          zeros ? "yes" : "no");
    // In place.
    pwrite(fd, "HELLO", 5, 0);
    pread(fd, buf, 12, 0);
    check(memcmp(buf, "HELLO, world", 12) == 0, "fs.overwrite", "\"%.12s\"", buf);

    check(ftruncate(fd, 5) == 0 && size_of(p("rw")) == 5, "fs.ftruncate_shrink",
          "ftruncate 5: %s, size %ld", errname(errno), size_of(p("rw")));
    check(truncate(p("rw"), 8000) == 0 && size_of(p("rw")) == 8000, "fs.truncate_grow",
          "truncate 8000: %s, size %ld", errname(errno), size_of(p("rw")));
    static char big[8000];
    memset(big, 0x55, sizeof big);
    ssize_t n = pread(fd, big, sizeof big, 0);
    zeros = n == 8000 && memcmp(big, "HELLO", 5) == 0;
    for (int i = 5; zeros && i < 8000; i++)
        zeros = big[i] == 0;
    check(zeros, "fs.truncate_zeros", "after shrinking to 5 and growing to 8000: read %zd, "
                                      "first bytes \"%.5s\", the rest zeros: %s",
          n, big, zeros ? "yes" : "no");
    // The offset is not moved by truncation.
    check_eq("fs.truncate_keeps_offset", 101, lseek(fd, 0, SEEK_CUR));
    check_errno("fs.ftruncate_readonly", ftruncate(open(p("rw"), O_RDONLY), 0), EINVAL);
    check_errno("fs.truncate_negative", ftruncate(fd, -1), EINVAL);
    close(fd);
}

static void test_unlink_open(void)
{
    int fd = open(p("doomed"), O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "still here", 10);
    int u = unlink(p("doomed"));
    struct stat st;
    check(u == 0 && stat(p("doomed"), &st) < 0 && errno == ENOENT, "fs.unlink_name_gone",
          "unlink: %d; stat afterwards: %s", u, errname(errno));
    check(fstat(fd, &st) == 0 && st.st_nlink == 0 && st.st_size == 10, "fs.unlink_fstat",
          "fstat of the open, unlinked file: nlink %ld, size %lld (expected 0, 10)",
          (long)st.st_nlink, (long long)st.st_size);
    char buf[32] = "";
    pread(fd, buf, sizeof buf - 1, 0);
    check_str("fs.unlink_data", "still here", buf);
    // A child holds it too; the parent closes first.
    pid_t pid = xfork();
    if (pid == 0) {
        sleep_ms(50);
        char b[32] = "";
        pwrite(fd, "!", 1, 10);
        pread(fd, b, sizeof b - 1, 0);
        _exit(strcmp(b, "still here!") == 0 ? 0 : 1);
    }
    int st2 = wait_for(pid);
    check(st2 == 0, "fs.unlink_child", "the child reading and writing the unlinked file: %s",
          status_str(st2));
    check_eq("fs.unlink_grew", 11, fstat(fd, &st) == 0 ? st.st_size : -1);
    // A new file under the old name is a different one.
    int fd2 = open(p("doomed"), O_RDWR | O_CREAT | O_EXCL, 0644);
    struct stat st3;
    check(fd2 >= 0 && fstat(fd2, &st3) == 0 && st3.st_size == 0 && st3.st_ino != st.st_ino,
          "fs.unlink_name_free", "a new file under the name: fd %d, size %lld", fd2,
          (long long)st3.st_size);
    close(fd2);
    close(fd);
    unlink(p("doomed"));
    check_errno("fs.unlink_missing", unlink(p("doomed")), ENOENT);
    check_errno("fs.unlink_dir", unlink(dir), EISDIR);
}

static void test_dirs(void)
{
    struct stat st;
    int r = mkdir(p("d"), 0755);
    check(r == 0 && stat(p("d"), &st) == 0 && S_ISDIR(st.st_mode) && st.st_nlink == 2,
          "fs.mkdir", "mkdir: %d (%s), mode %#o, nlink %ld (expected a directory, 2 links)", r,
          r ? errname(errno) : "", (unsigned)st.st_mode, (long)st.st_nlink);
    check_errno("fs.mkdir_exists", mkdir(p("d"), 0755), EEXIST);
    check_errno("fs.mkdir_no_parent", mkdir(p("nope/d"), 0755), ENOENT);
    close(open(p("plain"), O_WRONLY | O_CREAT, 0644));
    check_errno("fs.mkdir_under_file", mkdir(p("plain/d"), 0755), ENOTDIR);
    mkdir(p("d/sub1"), 0755);
    mkdir(p("d/sub2"), 0755);
    close(open(p("d/file"), O_WRONLY | O_CREAT, 0644));
    check_eq("fs.dir_nlink", 4, stat(p("d"), &st) == 0 ? (long)st.st_nlink : -1);

    // getdents: exactly what is there.
    DIR *d = opendir(p("d"));
    char names[256] = "";
    int count = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        count++;
        if (strcmp(e->d_name, "sub1") == 0)
            strcat(names, e->d_type == DT_DIR ? "sub1/ " : "sub1? ");
        else if (strcmp(e->d_name, "sub2") == 0)
            strcat(names, "sub2 ");
        else if (strcmp(e->d_name, "file") == 0)
            strcat(names, e->d_type == DT_REG ? "file " : "file? ");
        else if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            strcat(names, "dot ");
        else
            strcat(names, "other ");
    }
    if (d)
        closedir(d);
    check(count == 5 && strstr(names, "sub1/ ") && strstr(names, "sub2 ") &&
              strstr(names, "file ") && !strstr(names, "other"),
          "fs.getdents", "%d entries: %s(expected . .. sub1/ sub2 file)", count, names);

    check_errno("fs.rmdir_not_empty", rmdir(p("d")), ENOTEMPTY);
    check_errno("fs.rmdir_file", rmdir(p("d/file")), ENOTDIR);
    check_errno("fs.rmdir_dot", rmdir(p("d/sub1/.")), EINVAL);
    check_errno("fs.rmdir_missing", rmdir(p("d/none")), ENOENT);
    r = rmdir(p("d/sub2"));
    check(r == 0 && stat(p("d/sub2"), &st) < 0 && errno == ENOENT, "fs.rmdir",
          "rmdir of an empty directory: %d (%s)", r, r ? errname(errno) : "still there");
    check_eq("fs.rmdir_nlink", 3, stat(p("d"), &st) == 0 ? (long)st.st_nlink : -1);

    // The current directory.
    char cwd[4096];
    getcwd(cwd, sizeof cwd);
    if (chdir(p("d/sub1")) == 0) {
        close(open("here", O_WRONLY | O_CREAT, 0644));
        char now[4096] = "";
        getcwd(now, sizeof now);
        check(strcmp(now + strlen(now) - 7, "/d/sub1") == 0 && size_of(p("d/sub1/here")) == 0,
              "fs.chdir", "getcwd after chdir: \"%s\"", now);
        chdir(cwd);
    } else {
        fail("fs.chdir", "chdir: %s", errname(errno));
    }
}

static ino_t ino(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 ? st.st_ino : 0;
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, text, strlen(text));
    close(fd);
}

static const char *contents(const char *path)
{
    static char buf[256];
    buf[0] = '\0';
    if (read_file(path, buf, sizeof buf) < 0)
        return errname(errno);
    return buf;
}

static void test_rename(void)
{
    write_file(p("r1"), "first");
    ino_t i1 = ino(p("r1"));
    int r = rename(p("r1"), p("r2"));
    check(r == 0 && ino(p("r1")) == 0 && ino(p("r2")) == i1 && strcmp(contents(p("r2")), "first") == 0,
          "fs.rename", "rename r1 r2: %d (%s); r2 has \"%s\"", r, r ? errname(errno) : "",
          contents(p("r2")));
    write_file(p("r3"), "other");
    ino_t i3 = ino(p("r3"));
    r = rename(p("r3"), p("r2"));
    check(r == 0 && ino(p("r2")) == i3 && strcmp(contents(p("r2")), "other") == 0 && ino(p("r3")) == 0,
          "fs.rename_replace", "rename over an existing file: %d (%s); r2 has \"%s\"", r,
          r ? errname(errno) : "", contents(p("r2")));
    check_errno("fs.rename_missing", rename(p("r9"), p("r8")), ENOENT);
    check(rename(p("r2"), p("r2")) == 0 && ino(p("r2")) == i3, "fs.rename_same",
          "rename to itself: %s", errname(errno));

    mkdir(p("rd"), 0755);
    mkdir(p("rd/in"), 0755);
    write_file(p("rd/in/f"), "deep");
    r = rename(p("rd"), p("rd2"));
    check(r == 0 && strcmp(contents(p("rd2/in/f")), "deep") == 0, "fs.rename_dir",
          "rename of a directory: %d (%s)", r, r ? errname(errno) : "");
    check_errno("fs.rename_into_itself", rename(p("rd2"), p("rd2/in/x")), EINVAL);
    check_errno("fs.rename_file_over_dir", rename(p("r2"), p("rd2")), EISDIR);
    check_errno("fs.rename_dir_over_file", rename(p("rd2"), p("r2")), ENOTDIR);
    mkdir(p("full"), 0755);
    write_file(p("full/x"), "x");
    check_errno("fs.rename_over_nonempty", rename(p("rd2"), p("full")), ENOTEMPTY);
    mkdir(p("emptydir"), 0755);
    r = rename(p("rd2/in"), p("emptydir"));
    check(r == 0 && strcmp(contents(p("emptydir/f")), "deep") == 0, "fs.rename_over_empty_dir",
          "a directory over an empty one: %d (%s)", r, r ? errname(errno) : "");
}

// renameat2(RENAME_EXCHANGE): two names swap what they name, a directory
// with a file too, across directories (the directory's ".." and both
// parents' link counts follow).
static long exchange(const char *a, const char *b, unsigned flags)
{
    return syscall(353, AT_FDCWD, a, AT_FDCWD, b, flags);   // renameat2
}

static void test_exchange(void)
{
    write_file(p("xa"), "alpha");
    write_file(p("xb"), "beta");
    ino_t a = ino(p("xa")), b = ino(p("xb"));
    check(exchange(p("xa"), p("xb"), 2) == 0 && ino(p("xa")) == b && ino(p("xb")) == a &&
          strcmp(contents(p("xa")), "beta") == 0, "fs.exchange", "%s", errname(errno));
    check_errno("fs.exchange_missing", exchange(p("xa"), p("xnone"), 2), ENOENT);
    check_errno("fs.exchange_noreplace", exchange(p("xa"), p("xb"), 3), EINVAL);
    check_errno("fs.exchange_bad_flag", exchange(p("xa"), p("xb"), 8), EINVAL);
    mkdir(p("xd1"), 0755);
    mkdir(p("xd2"), 0755);
    mkdir(p("xd1/sub"), 0755);
    write_file(p("xd2/file"), "f");
    struct stat sub;
    int r = exchange(p("xd1/sub"), p("xd2/file"), 2);
    // The names stay; what they name swaps: xd1/sub is now the file, and
    // xd2/file the directory, whose ".." is xd2.
    struct stat d1a, d2a, dotdot, file;
    stat(p("xd1"), &d1a);
    stat(p("xd2"), &d2a);
    stat(p("xd2/file/.."), &dotdot);
    stat(p("xd2/file"), &sub);
    stat(p("xd1/sub"), &file);
    check(r == 0 && S_ISDIR(sub.st_mode) && S_ISREG(file.st_mode) &&
          dotdot.st_ino == d2a.st_ino && d1a.st_nlink == 2 && d2a.st_nlink == 3,
          "fs.exchange_dir_file", "r %d (%s); xd1 nlink %ld, xd2 nlink %ld", r,
          r ? errname(errno) : "", (long)d1a.st_nlink, (long)d2a.st_nlink);
    check_errno("fs.exchange_into_itself", exchange(p("xd2"), p("xd2/file"), 2), EINVAL);
}

static void test_link(void)
{
    write_file(p("l1"), "shared");
    int r = link(p("l1"), p("l2"));
    struct stat st;
    check(r == 0 && ino(p("l1")) == ino(p("l2")) && stat(p("l1"), &st) == 0 && st.st_nlink == 2,
          "fs.link", "link: %d (%s), nlink %ld", r, r ? errname(errno) : "", (long)st.st_nlink);
    write_file(p("l2"), "changed");
    check_str("fs.link_same_data", "changed", contents(p("l1")));
    unlink(p("l1"));
    check(stat(p("l2"), &st) == 0 && st.st_nlink == 1 && strcmp(contents(p("l2")), "changed") == 0,
          "fs.link_unlink_one", "after unlinking the first name: nlink %ld", (long)st.st_nlink);
    write_file(p("l3"), "x");
    check_errno("fs.link_exists", link(p("l2"), p("l3")), EEXIST);
    check_errno("fs.link_missing", link(p("l9"), p("l8")), ENOENT);
    mkdir(p("ldir"), 0755);
    check_errno("fs.link_dir", link(p("ldir"), p("ldir2")), EPERM);
}

static void test_symlink(void)
{
    write_file(p("target"), "pointed at");
    int r = symlink("target", p("sym"));
    char buf[64];
    memset(buf, 0, sizeof buf);
    ssize_t n = readlink(p("sym"), buf, sizeof buf);
    check(r == 0 && n == 6 && memcmp(buf, "target", 6) == 0, "fs.symlink_readlink",
          "symlink: %d (%s); readlink: %zd \"%s\"", r, r ? errname(errno) : "", n, buf);
    struct stat st;
    check(lstat(p("sym"), &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 6, "fs.symlink_lstat",
          "lstat: mode %#o, size %lld (expected a link of 6 bytes)", (unsigned)st.st_mode,
          (long long)st.st_size);
    check(stat(p("sym"), &st) == 0 && S_ISREG(st.st_mode) && st.st_ino == ino(p("target")),
          "fs.symlink_stat_follows", "stat through the link: mode %#o", (unsigned)st.st_mode);
    check_str("fs.symlink_open", "pointed at", contents(p("sym")));
    memset(buf, 0, sizeof buf);
    check(readlink(p("sym"), buf, 3) == 3 && memcmp(buf, "tar", 3) == 0 && buf[3] == 0,
          "fs.readlink_short", "readlink into 3 bytes: \"%s\"", buf);
    check_errno("fs.readlink_not_link", readlink(p("target"), buf, sizeof buf), EINVAL);
    symlink("nowhere", p("dangling"));
    check_errno("fs.symlink_dangling", open(p("dangling"), O_RDONLY), ENOENT);
    check(lstat(p("dangling"), &st) == 0 && S_ISLNK(st.st_mode), "fs.symlink_dangling_lstat",
          "lstat of a dangling link: %s", errname(errno));
    check_errno("fs.symlink_exists", symlink("x", p("sym")), EEXIST);
    // A directory through a link, and an absolute link.
    mkdir(p("realdir"), 0755);
    write_file(p("realdir/f"), "in dir");
    symlink(p("realdir"), p("dirlink"));
    check_str("fs.symlink_dir", "in dir", contents(p("dirlink/f")));
    // A trailing slash names a directory: lstat follows the link to it, and
    // a file (or a link to one) with a slash after it is ENOTDIR.
    check(lstat(p("dirlink/"), &st) == 0 && S_ISDIR(st.st_mode), "fs.symlink_slash_lstat",
          "lstat(\"dirlink/\"): %s, mode %#o", errname(errno), (unsigned)st.st_mode);
    check_errno("fs.symlink_slash_readlink", readlink(p("dirlink/"), buf, sizeof buf), EINVAL);
    check_errno("fs.file_slash_open", open(p("target/"), O_RDONLY), ENOTDIR);
    check_errno("fs.file_slash_stat", stat(p("target/"), &st), ENOTDIR);
    symlink("target", p("filelink"));
    check_errno("fs.file_link_slash_lstat", lstat(p("filelink/"), &st), ENOTDIR);
    symlink("loop2", p("loop1"));
    symlink("loop1", p("loop2"));
    check_errno("fs.symlink_loop", open(p("loop1"), O_RDONLY), ELOOP);
    // unlink removes the link, not the target.
    unlink(p("sym"));
    check(lstat(p("sym"), &st) < 0 && strcmp(contents(p("target")), "pointed at") == 0,
          "fs.symlink_unlink", "after unlinking the link: target has \"%s\"",
          contents(p("target")));
}

static void test_times(void)
{
    write_file(p("timed"), "t");
    struct timespec ts[2] = { { 1000000000, 0 }, { 1100000000, 0 } };
    int r = utimensat(AT_FDCWD, p("timed"), ts, 0);
    struct stat st;
    check(r == 0 && stat(p("timed"), &st) == 0 && st.st_atime == 1000000000 &&
              st.st_mtime == 1100000000,
          "fs.utimensat", "utimensat: %d (%s); atime %lld, mtime %lld", r, r ? errname(errno) : "",
          (long long)st.st_atime, (long long)st.st_mtime);
    time_t now = time(NULL);
    int fd = open(p("timed"), O_WRONLY | O_APPEND);
    write(fd, "more", 4);
    close(fd);
    stat(p("timed"), &st);
    check(st.st_mtime >= now - 2 && st.st_ctime >= now - 2, "fs.write_mtime",
          "after a write: mtime %lld, ctime %lld, now %lld", (long long)st.st_mtime,
          (long long)st.st_ctime, (long long)now);
    // A new entry changes its directory's mtime.
    mkdir(p("tdir"), 0755);
    utimensat(AT_FDCWD, p("tdir"), ts, 0);
    write_file(p("tdir/new"), "n");
    stat(p("tdir"), &st);
    check(st.st_mtime >= now - 2, "fs.dir_mtime",
          "after creating an entry: the directory's mtime %lld, now %lld",
          (long long)st.st_mtime, (long long)now);
    // A new file's times are now.
    write_file(p("fresh"), "f");
    stat(p("fresh"), &st);
    check(st.st_mtime >= now - 2 && st.st_mtime <= now + 2 && st.st_atime >= now - 2,
          "fs.new_times", "a new file: atime %lld, mtime %lld, now %lld",
          (long long)st.st_atime, (long long)st.st_mtime, (long long)now);
}

static void test_devices(void)
{
    int fd = open("/dev/null", O_RDWR);
    char buf[64];
    check(fd >= 0 && write(fd, "gone", 4) == 4 && read(fd, buf, sizeof buf) == 0, "dev.null",
          "/dev/null: open %d (%s)", fd, fd < 0 ? errname(errno) : "");
    close(fd);
    fd = open("/dev/zero", O_RDWR);
    memset(buf, 0x55, sizeof buf);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
    int zeros = n == (ssize_t)sizeof buf;
    for (int i = 0; zeros && i < (int)sizeof buf; i++)
        zeros = buf[i] == 0;
    check(zeros && write(fd, "x", 1) == 1, "dev.zero", "/dev/zero: read %zd, zeros: %s", n,
          zeros ? "yes" : "no");
    close(fd);
    struct stat st;
    check(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode), "dev.null_is_chr",
          "/dev/null mode %#o", (unsigned)st.st_mode);
    // /dev/full: zeros to read, no room to write.
    fd = open("/dev/full", O_RDWR);
    memset(buf, 0x55, sizeof buf);
    n = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
    check(n == (ssize_t)sizeof buf && buf[0] == 0 && buf[sizeof buf - 1] == 0, "dev.full_read",
          "/dev/full: open %d, read %zd (%s)", fd, n, errname(errno));
    check_errno("dev.full_write", fd >= 0 ? write(fd, "x", 1) : -1, ENOSPC);
    if (fd >= 0)
        close(fd);
    // /dev/urandom and /dev/random: as many bytes as asked, not all alike;
    // Linux's device numbers 1,9 and 1,8.
    const char *rnd[] = { "/dev/urandom", "/dev/random" };
    for (int i = 0; i < 2; i++) {
        fd = open(rnd[i], O_RDWR);
        memset(buf, 0, sizeof buf);
        n = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
        int same = 1;
        for (int j = 1; j < (int)sizeof buf; j++)
            same &= buf[j] == buf[0];
        check(n == (ssize_t)sizeof buf && !same && write(fd, "seed", 4) == 4,
              tname("dev.%s", rnd[i] + 5), "%s: open %d, read %zd (%s), all alike: %d", rnd[i],
              fd, n, errname(errno), same);
        if (fd >= 0)
            close(fd);
        check(stat(rnd[i], &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
                  minor(st.st_rdev) == 9u - i, tname("dev.%s_number", rnd[i] + 5),
              "%s: mode %#o, rdev %#llx", rnd[i], (unsigned)st.st_mode,
              (unsigned long long)st.st_rdev);
    }

    fd = open("/dev/tty", O_RDWR);
    if (fd < 0 && !on_bunshin() && (errno == ENXIO || errno == ENODEV)) {
        skip("dev.tty", "no controlling terminal here (%s)", errname(errno));
    } else {
        check(fd >= 0 && isatty(fd) && write(fd, "", 0) == 0, "dev.tty",
              "/dev/tty: open %d (%s), isatty %d", fd, fd < 0 ? errname(errno) : "",
              fd >= 0 ? isatty(fd) : -1);
    }
    if (fd >= 0)
        close(fd);
    if (on_bunshin()) {
        fd = open("/dev/console", O_WRONLY);
        check(fd >= 0 && isatty(fd), "dev.console", "/dev/console: %s",
              fd < 0 ? errname(errno) : "not a tty");
        close(fd);
    } else {
        skip("dev.console", "bunshin's console; on Linux only root may open it");
    }
}

// rmdir of a directory that is a process's current directory works (Linux
// refuses only a mount point or the process's root); the process is then in
// a directory with no name: nothing can be made in it (ENOENT), getcwd
// fails with ENOENT, and ".." still leads out.
static void test_rmdir_cwd(void)
{
    char path[PATH_MAX + 8];
    snprintf(path, sizeof path, "%s/gone", dir);
    if (mkdir(path, 0755) < 0) {
        fail("rmdir_cwd.setup", "mkdir %s: %s", path, errname(errno));
        return;
    }
    pid_t pid = xfork();
    if (pid == 0) {
        char buf[PATH_MAX];
        int ok = chdir(path) == 0 && rmdir(path) == 0;
        int create = open("new", O_CREAT | O_WRONLY, 0644);
        int create_errno = errno;
        int mk = mkdir("sub", 0755), mk_errno = errno;
        char *cwd = getcwd(buf, sizeof buf);
        int cwd_errno = errno;
        int up = chdir("..");
        _exit(!ok ? 1 : create >= 0 || create_errno != ENOENT ? 2
                  : mk == 0 || mk_errno != ENOENT ? 3
                  : cwd || cwd_errno != ENOENT ? 4
                  : up != 0 ? 5 : 0);
    }
    int st = wait_for(pid);
    check(exited_with(st, 0), "fs.rmdir_cwd", "a child in %s: %s (1: chdir or rmdir failed; "
          "2, 3: a file or directory could be made in it; 4: getcwd; 5: ..)", path,
          status_str(st));
    struct stat sb;
    check(stat(path, &sb) < 0 && errno == ENOENT, "fs.rmdir_cwd_gone", "%s still there", path);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s", scratch_path("t_fs"));
    remove_tree(dir);
    if (mkdir(dir, 0755) < 0) {
        fail("fs.setup", "mkdir %s: %s", dir, errname(errno));
        return test_status();
    }
    test_create();
    test_rw();
    test_unlink_open();
    test_dirs();
    test_rename();
    test_exchange();
    test_link();
    test_symlink();
    test_times();
    test_devices();
    test_rmdir_cwd();
    check(remove_tree(dir) == 0, "fs.cleanup", "rm -r %s: %s", dir, errname(errno));
    return test_status();
}
