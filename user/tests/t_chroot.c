// t_chroot: chroot(2) and pivot_root(2) (fs/sys_mount.c).
//
//   - in a child, chroot(jail) makes absolute paths start at the jail: /marker
//     is jail/marker, an absolute symbolic link resolves inside it, "/.."
//     and "/sub/../.." are the jail's top, getcwd there says "/", and the
//     files outside (/proc...) are not found;
//   - a fork of the chrooted child keeps the root; proc mounted inside the
//     jail is the whole /proc;
//   - the parent's root is not changed; /proc/self/root is "/", and a
//     chrooted child's /proc/<pid>/root, read from outside, is the jail;
//   - an unprivileged process gets EPERM; a missing path ENOENT, a file
//     ENOTDIR (before EPERM, as Linux checks);
//   - pivot_root is EPERM for an unprivileged process (before its lookups),
//     and EBUSY for root with directories on the root's file system;
//   - every frame comes back (MemFree).
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

static char jail[600];

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino &&
           sa.st_dev == sb.st_dev;
}

static void inside(void *arg)
{
    (void)arg;
    struct stat top;
    stat(jail, &top);
    if (!check(chroot(jail) == 0, "chroot.call", "chroot(%s): %s", jail, errname(errno)))
        _exit(1);
    check(access("/marker", R_OK) == 0, "chroot.absolute", "/marker: %s", errname(errno));
    char buf[64] = { 0 };
    check(read_file("/ln", buf, sizeof buf) == 6 && strcmp(buf, "inside") == 0,
          "chroot.absolute_symlink", "/ln -> /marker read \"%s\": %s", buf, errname(errno));
    struct stat st;
    check(stat("/..", &st) == 0 && st.st_ino == top.st_ino && st.st_dev == top.st_dev,
          "chroot.dotdot_at_root", "/.. is not the jail");
    check(same_file("/sub/../..", "/") && same_file("/sub/../../../sub", "/sub"),
          "chroot.dotdot_stays", "/sub/../.. left the jail");
    check_errno("chroot.rmdir_root_ebusy", rmdir("/"), EBUSY);
    // proc mounted inside the jail is the whole /proc, whatever the root.
    if (mount("proc", "/p", "proc", 0, 0) == 0) {
        check(access("/p/self/status", R_OK) == 0 && access("/p/meminfo", R_OK) == 0,
              "chroot.proc_inside", "/p/self/status: %s", errname(errno));
        static char mounts[8192];
        check(read_file("/p/mounts", mounts, sizeof mounts) > 0 &&
              strstr(mounts, " /p proc ") != 0, "chroot.proc_mounts_below_root",
              "no \" /p proc \" in /p/mounts");
        check_eq("chroot.proc_inside_umount", 0, umount("/p"));
    } else if (on_bunshin() || errno != EPERM) {
        fail("chroot.proc_inside", "mount proc on /p: %s", errname(errno));
    } else {
        skip("chroot.proc_inside", "this process may not mount here");
    }
    check(access("/proc/self/status", F_OK) < 0 && errno == ENOENT, "chroot.outside_hidden",
          "/proc/self/status: %s", errname(errno));
    // The current directory is still outside until chdir: "/" takes it in.
    char cwd[600];
    check(chdir("/sub") == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, "/sub") == 0 &&
          same_file("../../..", "/"), "chroot.getcwd", "getcwd: %s", errname(errno));
    char link[600] = { 0 };
    check(readlink("/proc/self/root", link, sizeof link - 1) < 0, "chroot.proc_hidden",
          "/proc/self/root is readable in the jail: %s", link);
    pid_t pid = xfork();
    if (pid == 0)
        _exit(access("/marker", R_OK) == 0 && same_file("/..", "/") ? 0 : 1);
    int wst = wait_for(pid);
    check(WIFEXITED(wst) && WEXITSTATUS(wst) == 0, "chroot.fork_keeps_root", "child %s",
          status_str(wst));
    _exit(test_failures() ? 1 : 0);
}

static void as_user(void *arg)
{
    (void)arg;
    if (geteuid() == 0 && setuid(1000) < 0)
        _exit(2);
    check_errno("chroot.eperm", chroot(jail), EPERM);
    check_errno("chroot.enoent_first", chroot("/no/such/dir"), ENOENT);
    check_errno("pivot_root.eperm", syscall(SYS_pivot_root, jail, jail), EPERM);
    check_errno("pivot_root.eperm_first", syscall(SYS_pivot_root, "/no/such", "/no/such"),
                EPERM);
    _exit(test_failures() ? 1 : 0);
}

static void in_child(const char *name, void (*fn)(void *))
{
    int st = run_child(fn, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, name, "child %s", status_str(st));
}

int main(void)
{
    char path[700];
    snprintf(jail, sizeof jail, "%s", scratch_path("chroot.d"));
    remove_tree(jail);
    mkdir(jail, 0755);
    snprintf(path, sizeof path, "%s/sub", jail);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/p", jail);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/marker", jail);
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd >= 0) {
        write(fd, "inside", 6);
        close(fd);
    }
    snprintf(path, sizeof path, "%s/ln", jail);
    symlink("/marker", path);

    char cwd[590], link[700] = { 0 };
    if (chdir(jail) == 0 && getcwd(cwd, sizeof cwd))      // the jail's canonical path
        snprintf(jail, sizeof jail, "%s", cwd);
    chdir("/");
    check(readlink("/proc/self/root", link, sizeof link - 1) == 1 && strcmp(link, "/") == 0,
          "chroot.proc_root_link", "/proc/self/root -> \"%s\"", link);
    if (geteuid() == 0) {
        // A chrooted child's root, read from outside: the jail's path.
        int p[2];
        pipe(p);
        pid_t pid = xfork();
        if (pid == 0) {
            char c = chroot(jail) == 0 ? 'y' : 'n';
            write(p[1], &c, 1);
            sleep(5);
            _exit(0);
        }
        char c = 0, path2[64];
        read(p[0], &c, 1);
        snprintf(path2, sizeof path2, "/proc/%d/root", (int)pid);
        memset(link, 0, sizeof link);
        check(c == 'y' && readlink(path2, link, sizeof link - 1) > 0 && strcmp(link, jail) == 0,
              "chroot.proc_pid_root", "%s -> \"%s\", want \"%s\"", path2, link, jail);
        kill(pid, SIGKILL);
        wait_for(pid);
        close(p[0]);
        close(p[1]);
    }
    check_errno("chroot.enotdir", chroot(rootpath("/bin/true")), ENOTDIR);
    check_errno("chroot.enoent", chroot("/no/such/dir"), ENOENT);
    in_child("chroot.unprivileged", as_user);
    struct stat root_before, root_after;
    stat("/", &root_before);
    if (geteuid() != 0) {
        skip("chroot.inside", "not root here");
    } else {
        // The root cannot be pivoted: a directory on the root's own file
        // system is EBUSY (Linux: "loop, on the same file system").
        check_errno("pivot_root.ebusy", syscall(SYS_pivot_root, jail, jail), EBUSY);
        long before = memfree_start();
        in_child("chroot.child", inside);
        memfree_check("chroot.memfree_restored", before);
    }
    check(stat("/", &root_after) == 0 && root_after.st_ino == root_before.st_ino &&
          root_after.st_dev == root_before.st_dev, "chroot.parent_unchanged",
          "the parent's / changed");
    remove_tree(jail);
    return test_status();
}
