// t_xattr: extended attributes (setxattr, getxattr, listxattr, removexattr
// and their l* and f* forms) on a file, a directory and a symbolic link in
// /dev/shm, a tmpfs on Linux: the namespaces (user. only on regular files
// and directories, trusted. for root alone, security. changed by root
// alone, system. and unknown prefixes refused), the flags, sizes 0 and too
// small, the limits on names and values, a non-root user's rights, ctime
// and inotify's IN_ATTRIB, EFAULT and EBADF, and the memory given back.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

#define XCREATE  1
#define XREPLACE 2

static char big[65537];

static long xset(const char *p, const char *n, const void *v, size_t s, int fl)
{
    return syscall(SYS_setxattr, p, n, v, s, fl);
}

static long xget(const char *p, const char *n, void *b, size_t s)
{
    return syscall(SYS_getxattr, p, n, b, s);
}

// Does the NUL-separated list (len bytes) hold name?
static int listed(const char *list, long len, const char *name)
{
    for (long i = 0; i < len; i += (long)strlen(list + i) + 1)
        if (strcmp(list + i, name) == 0)
            return 1;
    return 0;
}

static void on_file(const char *f)
{
    char buf[300];
    check_eq("file.set", 0, xset(f, "user.a", "v1", 2, 0));
    check_eq("file.get_size0", 2, xget(f, "user.a", 0, 0));
    check_errno("file.get_erange", xget(f, "user.a", buf, 1), ERANGE);
    memset(buf, 0, sizeof buf);
    check(xget(f, "user.a", buf, sizeof buf) == 2 && memcmp(buf, "v1", 2) == 0, "file.get",
          "got '%s'", buf);
    check_errno("file.create_eexist", xset(f, "user.a", "x", 1, XCREATE), EEXIST);
    check_errno("file.replace_enodata", xset(f, "user.no", "x", 1, XREPLACE), ENODATA);
    check_errno("file.both_absent_enodata", xset(f, "user.no", "x", 1, XCREATE | XREPLACE), ENODATA);
    check_errno("file.flags_einval", xset(f, "user.a", "x", 1, 4), EINVAL);
    check_eq("file.replace", 0, xset(f, "user.a", "v22", 3, XREPLACE));
    check_eq("file.replaced_len", 3, xget(f, "user.a", buf, sizeof buf));
    check_eq("file.create_new", 0, xset(f, "user.c", "c", 1, XCREATE));
    check_eq("file.empty_value", 0, xset(f, "user.e", "", 0, 0));
    check_eq("file.get_empty", 0, xget(f, "user.e", buf, sizeof buf));
    check_errno("file.get_absent", xget(f, "user.no", buf, sizeof buf), ENODATA);
    check_eq("file.trusted_root", 0, xset(f, "trusted.t", "t", 1, 0));
    check_eq("file.security_root", 0, xset(f, "security.s", "s", 1, 0));
    check_errno("file.system_set", xset(f, "system.foo", "x", 1, 0), EOPNOTSUPP);
    check_errno("file.acl_get_enodata", xget(f, "system.posix_acl_access", buf, sizeof buf),
                ENODATA);
    check_errno("file.unknown_set", xset(f, "foo.a", "x", 1, 0), EOPNOTSUPP);
    check_errno("file.unknown_get", xget(f, "foo.a", buf, sizeof buf), EOPNOTSUPP);
    check_errno("file.noprefix_set", xset(f, "a", "x", 1, 0), EOPNOTSUPP);
    check_errno("file.bare_prefix_set", xset(f, "user.", "x", 1, 0), EINVAL);
    check_errno("file.bare_prefix_get", xget(f, "user.", buf, sizeof buf), EINVAL);
    check_errno("file.empty_name_set", xset(f, "", "x", 1, 0), ERANGE);
    check_errno("file.empty_name_get", xget(f, "", buf, sizeof buf), ERANGE);
    char name[300] = "user.";
    memset(name + 5, 'n', 250);
    name[255] = 0;
    check_eq("file.name_255", 0, xset(f, name, "x", 1, 0));
    check_eq("file.remove_255", 0, syscall(SYS_removexattr, f, name));
    name[255] = 'n';
    name[256] = 0;
    check_errno("file.name_256_erange", xset(f, name, "x", 1, 0), ERANGE);
    check_errno("file.value_e2big", xset(f, "user.big", big, 65537, 0), E2BIG);
    check_eq("file.value_64k", 0, xset(f, "user.big", big, 65536, 0));
    check_eq("file.get_64k", 65536, xget(f, "user.big", 0, 0));
    check_eq("file.remove_64k", 0, syscall(SYS_removexattr, f, "user.big"));

    // The list: user.a, user.c, user.e, trusted.t, security.s (any order).
    long want = 7 + 7 + 7 + 10 + 11;
    check_eq("list.size0", want, syscall(SYS_listxattr, f, 0, 0));
    check_errno("list.erange", syscall(SYS_listxattr, f, buf, want - 1), ERANGE);
    long n = syscall(SYS_listxattr, f, buf, sizeof buf);
    check(n == want && listed(buf, n, "user.a") && listed(buf, n, "user.c") &&
          listed(buf, n, "user.e") && listed(buf, n, "trusted.t") && listed(buf, n, "security.s"),
          "list.names", "listxattr: %ld", n);

    check_eq("file.remove", 0, syscall(SYS_removexattr, f, "user.c"));
    check_errno("file.remove_again", syscall(SYS_removexattr, f, "user.c"), ENODATA);
    check_errno("file.get_removed", xget(f, "user.c", buf, sizeof buf), ENODATA);
    check_errno("file.remove_unknown", syscall(SYS_removexattr, f, "foo.a"), EOPNOTSUPP);
    check_errno("file.enoent", xget("/dev/shm/no/such", "user.a", buf, sizeof buf), ENOENT);

    // ctime moves on set and on remove.
    struct stat s1, s2;
    struct timespec pause = { 0, 20 * 1000 * 1000 };
    stat(f, &s1);
    nanosleep(&pause, 0);
    xset(f, "user.t", "1", 1, 0);
    stat(f, &s2);
    check(s2.st_ctim.tv_sec * 1000000000LL + s2.st_ctim.tv_nsec >
          s1.st_ctim.tv_sec * 1000000000LL + s1.st_ctim.tv_nsec, "file.ctime_set",
          "ctime did not move");
    nanosleep(&pause, 0);
    syscall(SYS_removexattr, f, "user.t");
    stat(f, &s1);
    check(s1.st_ctim.tv_sec * 1000000000LL + s1.st_ctim.tv_nsec >
          s2.st_ctim.tv_sec * 1000000000LL + s2.st_ctim.tv_nsec, "file.ctime_remove",
          "ctime did not move");

    // inotify hears IN_ATTRIB.
    int in = inotify_init1(IN_NONBLOCK);
    int w = inotify_add_watch(in, f, IN_ATTRIB);
    xset(f, "user.i", "1", 1, 0);
    char ev[256];
    long got = read(in, ev, sizeof ev);
    check(w >= 0 && got >= (long)sizeof(struct inotify_event) &&
          (((struct inotify_event *)ev)->mask & IN_ATTRIB), "file.inotify_attrib",
          "read %ld: %s", got, errname(errno));
    close(in);
    syscall(SYS_removexattr, f, "user.i");

    // EFAULT for each pointer.
    check_errno("efault.set_name", xset(f, (char *)8, "x", 1, 0), EFAULT);
    check_errno("efault.set_value", xset(f, "user.a", (char *)8, 4, 0), EFAULT);
    check_errno("efault.set_path", xset((char *)8, "user.a", "x", 1, 0), EFAULT);
    check_errno("efault.get_buf", xget(f, "user.a", (char *)8, 16), EFAULT);
    check_errno("efault.list_buf", syscall(SYS_listxattr, f, (char *)8, 100), EFAULT);
    check_errno("efault.remove_name", syscall(SYS_removexattr, f, (char *)8), EFAULT);
}

static void on_fd(const char *f)
{
    char buf[64];
    int fd = open(f, O_RDONLY);
    check_eq("fd.set", 0, syscall(SYS_fsetxattr, fd, "user.fd", "fd", 2, 0));
    check_eq("fd.get", 2, syscall(SYS_fgetxattr, fd, "user.fd", buf, sizeof buf));
    long n = syscall(SYS_flistxattr, fd, buf, sizeof buf);
    check(n > 0 && listed(buf, n, "user.fd"), "fd.list", "flistxattr: %ld", n);
    check_eq("fd.remove", 0, syscall(SYS_fremovexattr, fd, "user.fd"));
    check_errno("fd.get_removed", syscall(SYS_fgetxattr, fd, "user.fd", buf, sizeof buf), ENODATA);
    close(fd);
    check_errno("fd.set_ebadf", syscall(SYS_fsetxattr, 999, "user.fd", "x", 1, 0), EBADF);
    check_errno("fd.get_ebadf", syscall(SYS_fgetxattr, 999, "user.fd", buf, sizeof buf), EBADF);
    check_errno("fd.list_ebadf", syscall(SYS_flistxattr, 999, buf, sizeof buf), EBADF);
    check_errno("fd.remove_ebadf", syscall(SYS_fremovexattr, 999, "user.fd"), EBADF);
}

static void on_dir_and_link(const char *d, const char *f, const char *l)
{
    char buf[64];
    check_eq("dir.set", 0, xset(d, "user.d", "d", 1, 0));
    check_eq("dir.list", 7, syscall(SYS_listxattr, d, buf, sizeof buf));
    check_str("dir.list_name", "user.d", buf);

    check_errno("link.user_set_eperm", syscall(SYS_lsetxattr, l, "user.a", "x", 1, 0), EPERM);
    check_eq("link.trusted_set", 0, syscall(SYS_lsetxattr, l, "trusted.l", "l", 1, 0));
    check_eq("link.list", 10, syscall(SYS_llistxattr, l, buf, sizeof buf));
    check_str("link.list_name", "trusted.l", buf);
    check_errno("link.user_get_enodata", syscall(SYS_lgetxattr, l, "user.a", buf, sizeof buf),
                ENODATA);
    check_errno("link.user_remove_eperm", syscall(SYS_lremovexattr, l, "user.a"), EPERM);
    check_eq("link.trusted_remove", 0, syscall(SYS_lremovexattr, l, "trusted.l"));
    // Without l, the link is followed to the file.
    check_eq("link.follow_set", 0, xset(l, "user.via", "v", 1, 0));
    check_eq("link.follow_get_on_file", 1, xget(f, "user.via", buf, sizeof buf));
    check_eq("link.follow_remove", 0, syscall(SYS_removexattr, l, "user.via"));
    check_errno("dev.user_set_eperm", xset("/dev/null", "user.a", "x", 1, 0), EPERM);
    check_errno("dev.user_get_enodata", xget("/dev/null", "user.a", buf, sizeof buf), ENODATA);
    // /proc keeps none.
    check_errno("proc.get", xget("/proc/self/status", "user.a", buf, sizeof buf), EOPNOTSUPP);
    check_errno("proc.set", xset("/proc/self/status", "trusted.a", "x", 1, 0), EOPNOTSUPP);
    check_eq("proc.list", 0, syscall(SYS_listxattr, "/proc/self/status", buf, sizeof buf));
}

// A user's rights: f is root's (0644) with user.u and trusted.t; g is the
// user's own; sd is root's and sticky, writable by all (01777).
static void as_user(const char *f, const char *g, const char *sd)
{
    pid_t pid = fork();
    if (pid == 0) {
        char buf[64];
        if (setuid(1000) != 0)
            _exit(2);
        check_errno("user.set_not_writable", xset(f, "user.a", "x", 1, 0), EACCES);
        check_eq("user.get_readable", 1, xget(f, "user.u", buf, sizeof buf));
        check_errno("user.trusted_get_hidden", xget(f, "trusted.t", buf, sizeof buf), ENODATA);
        check_errno("user.trusted_set_eperm", xset(f, "trusted.a", "x", 1, 0), EPERM);
        check_errno("user.trusted_remove_eperm", syscall(SYS_removexattr, f, "trusted.t"), EPERM);
        check_errno("user.remove_not_writable", syscall(SYS_removexattr, f, "user.u"), EACCES);
        check_errno("user.security_set_eperm", xset(f, "security.a", "x", 1, 0), EPERM);
        check_errno("user.security_set_own_eperm", xset(g, "security.a", "x", 1, 0), EPERM);
        check_eq("user.security_get", 1, xget(f, "security.s", buf, sizeof buf));
        long n = syscall(SYS_listxattr, f, buf, sizeof buf);
        // user.a, user.e, security.s, user.u: trusted.t left out.
        check(n == 7 + 7 + 11 + 7 && listed(buf, n, "user.u") && listed(buf, n, "security.s") &&
              !listed(buf, n, "trusted.t"), "user.list_hides_trusted",
              "listxattr: %ld", n);
        check_errno("user.sticky_dir_eperm", xset(sd, "user.s", "x", 1, 0), EPERM);
        check_errno("user.sticky_dir_get", xget(sd, "user.s", buf, sizeof buf), ENODATA);
        check_eq("user.own_file_set", 0, xset(g, "user.o", "o", 1, 0));
        check_eq("user.own_file_remove", 0, syscall(SYS_removexattr, g, "user.o"));
        _exit(test_status());
    }
    int st = 0;
    waitpid(pid, &st, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "user.child", "%s", status_str(st));
}

int main(void)
{
    long before = memfree_start();
    char dir[64], f[80], g[80], d[80], l[80];
    snprintf(dir, sizeof dir, "/dev/shm/t_xattr.%d", (int)getpid());
    snprintf(f, sizeof f, "%s/f", dir);
    snprintf(g, sizeof g, "%s/g", dir);
    snprintf(d, sizeof d, "%s/d", dir);
    snprintf(l, sizeof l, "%s/l", dir);
    if (!check(mkdir(dir, 0755) == 0, "setup.mkdir", "%s", errname(errno)))
        return test_status();
    close(open(f, O_CREAT | O_WRONLY, 0644));
    close(open(g, O_CREAT | O_WRONLY, 0644));
    chmod(f, 0644);
    chmod(g, 0644);
    chown(g, 1000, 1000);
    mkdir(d, 0755);
    symlink(f, l);

    on_file(f);
    on_fd(f);
    on_dir_and_link(d, f, l);
    xset(f, "user.u", "u", 1, 0);
    chmod(d, 01777);
    as_user(f, g, d);

    // A runaway is stopped: bunshin keeps 256 KiB of attributes in all
    // (Linux's tmpfs charges them to the file system's inode space).
    if (on_bunshin()) {
        int i;
        long r = 0;
        for (i = 0; i < 8 && r == 0; i++)
            r = xset(f, tname("user.run%d", i), big, 65536, 0);
        check(r == -1 && errno == ENOSPC && i > 1, "limit.enospc", "after %d: %ld %s", i, r,
              errname(errno));
        // Removing one makes room again.
        check_eq("limit.room_after_remove", 0, syscall(SYS_removexattr, f, "user.run0"));
        check_eq("limit.set_again", 0, xset(f, "user.run0", big, 65536, 0));
    } else {
        skip("limit.enospc", "bunshin's own limit");
    }

    // Every attribute goes with its inode.
    unlink(l);
    unlink(f);
    unlink(g);
    rmdir(d);
    rmdir(dir);
    memfree_check("memfree", before);
    return test_status();
}
