// t_mount: mount(2), umount(2) and umount2(2) (fs/mount.c), and /proc/version.
//
//   - an unprivileged process gets EPERM from mount and umount (after the
//     target's lookup: ENOENT first);
//   - a tmpfs mounted on a scratch directory: statfs says TMPFS_MAGIC, its
//     root has the mode= option's mode and a device of its own, files
//     written there read back, ".." at its top is the covered directory's
//     parent, getcwd inside names the path through the mount point,
//     rename out of it is EXDEV, rmdir of the mount point EBUSY, and
//     /proc/mounts and /proc/self/mounts list it (nosuid too), and
//     /proc/self/mountinfo; size=1m is statfs's 256 blocks, of which a
//     file of 64 KiB takes 16;
//   - umount is EBUSY while a file inside is open or a process's current
//     directory is inside, or another mount is on it; EINVAL on a
//     directory that is not a mount point and for unknown flags; ENODEV
//     for an unknown type, ENOTDIR for a tmpfs on a regular file;
//   - once unmounted the directory is the empty one below again, and every
//     frame the tmpfs's files took is back (MemFree);
//   - MNT_DETACH takes a busy mount away at once; its open file still reads;
//     umount2 follows a symbolic link unless UMOUNT_NOFOLLOW (EINVAL then);
//     MNT_FORCE unmounts a tmpfs; MNT_EXPIRE first marks (EAGAIN), then goes;
//   - a bind mount shows a directory at a second place (the same inodes);
//   - a current directory that a mount then covers stays below it (and
//     does not make the mount busy);
//   - proc mounted elsewhere is /proc again (statfs PROC_SUPER_MAGIC);
//   - a tmpfs mounted MS_NOEXEC refuses to run a program (EACCES), and
//     /proc/mounts says noexec; MS_REMOUNT|MS_RDONLY makes it "ro" and
//     every change EROFS (root's too), until a remount without it;
//   - /proc/version begins "SYSNAME version RELEASE " (uname's).
// On a Linux host where the test may not mount (not root, or no
// CAP_SYS_ADMIN), the mounting checks are skips.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define TMPFS_MAGIC 0x01021994
#define PROC_MAGIC  0x9fa0

static char base[512], mnt[600], mnt2[600];

// Is there a line in /proc/mounts (or file) for path with this type, and
// (if opt) with opt among its options?
static int mounts_has(const char *file, const char *path, const char *type, const char *opt)
{
    static char buf[16384];
    if (read_file(file, buf, sizeof buf) < 0)
        return 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(0, "\n")) {
        char src[256], where[600], kind[64], opts[256];
        if (sscanf(line, "%255s %599s %63s %255s", src, where, kind, opts) != 4)
            continue;
        if (strcmp(where, path) == 0 && strcmp(kind, type) == 0 &&
            (!opt || strstr(opts, opt)))
            return 1;
    }
    return 0;
}

// Is there a line in /proc/self/mountinfo whose mount point (field 5) is
// path and whose type (after " - ") is type?
static int mountinfo_has(const char *path, const char *type)
{
    static char buf[16384];
    if (read_file("/proc/self/mountinfo", buf, sizeof buf) < 0)
        return 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(0, "\n")) {
        char where[600], kind[64];
        char *dash = strstr(line, " - ");
        if (dash && sscanf(line, "%*d %*d %*s %*s %599s", where) == 1 &&
            sscanf(dash + 3, "%63s", kind) == 1 && !strcmp(where, path) && !strcmp(kind, type))
            return 1;
    }
    return 0;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino &&
           sa.st_dev == sb.st_dev;
}

// An unprivileged process: EPERM, but ENOENT for a target that is not there.
static void as_user(void *arg)
{
    (void)arg;
    if (geteuid() == 0 && setuid(1000) < 0)
        _exit(2);
    check_errno("mount.eperm", mount("none", mnt, "tmpfs", 0, 0), EPERM);
    check_errno("mount.enoent_before_eperm", mount("none", "/no/such/dir", "tmpfs", 0, 0),
                ENOENT);
    check_errno("umount.eperm", umount2(mnt, 0), EPERM);
    _exit(test_failures() ? 1 : 0);
}

// A tmpfs used and unmounted, in a child (its parent measures MemFree).
static void tmpfs_use(void *arg)
{
    (void)arg;
    char path[700], cwd[700];
    struct stat below, st;
    stat(mnt, &below);
    if (!check(mount("none", mnt, "tmpfs", MS_NOSUID, "mode=700,size=1m") == 0, "tmpfs.mount",
               "mount: %s", errname(errno)))
        _exit(1);
    struct statfs sf;
    check(statfs(mnt, &sf) == 0 && sf.f_type == TMPFS_MAGIC, "tmpfs.statfs_type",
          "statfs: %s, type %#lx", errname(errno), (unsigned long)sf.f_type);
    check(sf.f_blocks == 256 && sf.f_bsize == 4096, "tmpfs.statfs_size",
          "size=1m: %llu blocks of %ld", (unsigned long long)sf.f_blocks, (long)sf.f_bsize);
    check(mountinfo_has(mnt, "tmpfs"), "tmpfs.mountinfo", "no line for %s in mountinfo", mnt);
    check(mounts_has("/proc/mounts", mnt, "tmpfs", "nosuid"), "tmpfs.nosuid_listed",
          "no nosuid for %s", mnt);
    check(stat(mnt, &st) == 0 && (st.st_mode & 07777) == 0700 && st.st_dev != below.st_dev &&
          S_ISDIR(st.st_mode), "tmpfs.root", "mode %o dev %lu (below %lu)", st.st_mode,
          (unsigned long)st.st_dev, (unsigned long)below.st_dev);
    check(mounts_has("/proc/mounts", mnt, "tmpfs", "rw,"), "tmpfs.proc_mounts",
          "no tmpfs line for %s in /proc/mounts", mnt);
    check(mounts_has("/proc/self/mounts", mnt, "tmpfs", 0), "tmpfs.proc_self_mounts",
          "no tmpfs line for %s in /proc/self/mounts", mnt);

    // Files in it: 64 KiB written and read back.
    snprintf(path, sizeof path, "%s/file", mnt);
    static char data[65536], back[65536];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)(i * 7);
    int fd = open(path, O_RDWR | O_CREAT, 0644);
    check(fd >= 0 && write(fd, data, sizeof data) == sizeof data &&
          pread(fd, back, sizeof back, 0) == sizeof back && !memcmp(data, back, sizeof data),
          "tmpfs.file_rw", "open/write/read %s: %s", path, errname(errno));
    check(statfs(mnt, &sf) == 0 && sf.f_blocks - sf.f_bfree == 16, "tmpfs.statfs_used",
          "64 KiB written: %llu of %llu blocks free", (unsigned long long)sf.f_bfree,
          (unsigned long long)sf.f_blocks);
    snprintf(path, sizeof path, "%s/sub", mnt);
    check_eq("tmpfs.mkdir", 0, mkdir(path, 0755));
    snprintf(path, sizeof path, "%s/sub/..", mnt);
    check(same_file(path, mnt), "tmpfs.dotdot_inside", "%s is not %s", path, mnt);
    snprintf(path, sizeof path, "%s/..", mnt);
    check(same_file(path, base), "tmpfs.dotdot_at_top", "%s is not %s", path, base);
    // Directories moved about inside it (rename climbs ".." to its top).
    char from[700], to[700];
    snprintf(from, sizeof from, "%s/d1", mnt);
    snprintf(to, sizeof to, "%s/sub/d1", mnt);
    check(mkdir(from, 0755) == 0 && rename(from, to) == 0 && rename(to, from) == 0,
          "tmpfs.rename_dirs", "%s", errname(errno));
    snprintf(to, sizeof to, "%s/d1/d2", mnt);
    check(mkdir(to, 0755) == 0, "tmpfs.mkdir_deep", "%s", errname(errno));
    check_errno("tmpfs.rename_into_itself", rename(from, to), EINVAL);
    rmdir(to);
    rmdir(from);
    snprintf(path, sizeof path, "%s/sub", mnt);
    check(chdir(path) == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, path) == 0,
          "tmpfs.getcwd", "getcwd in %s: %s", path, errname(errno));
    check(same_file("../..", base), "tmpfs.dotdot_relative", "../.. from %s is not %s", path,
          base);

    // The mount point is busy while in use.
    snprintf(path, sizeof path, "%s/file", mnt);
    char outside[700];
    snprintf(outside, sizeof outside, "%s/moved", base);
    check_errno("tmpfs.rename_exdev", rename(path, outside), EXDEV);
    check_errno("tmpfs.umount_busy_cwd", umount(mnt), EBUSY);
    chdir(base);
    check_errno("tmpfs.rmdir_ebusy", rmdir(mnt), EBUSY);
    check_errno("tmpfs.umount_busy_open", umount(mnt), EBUSY);
    close(fd);
    snprintf(path, sizeof path, "%s/sub", mnt);
    check(mount("none", path, "tmpfs", 0, 0) == 0, "tmpfs.mount_inside", "%s", errname(errno));
    check_errno("tmpfs.umount_busy_mount_on_it", umount(mnt), EBUSY);
    check_eq("tmpfs.umount_inner", 0, umount(path));
    check_errno("tmpfs.umount_bad_flags", umount2(mnt, 0x100), EINVAL);

    check(umount(mnt) == 0, "tmpfs.umount", "umount: %s", errname(errno));
    snprintf(path, sizeof path, "%s/file", mnt);
    check(access(path, F_OK) < 0 && stat(mnt, &st) == 0 && st.st_dev == below.st_dev &&
          st.st_ino == below.st_ino, "tmpfs.gone", "after umount: %s still there or dev %lu",
          path, (unsigned long)st.st_dev);
    check(!mounts_has("/proc/mounts", mnt, "tmpfs", 0), "tmpfs.proc_mounts_gone",
          "%s still in /proc/mounts", mnt);
    check_errno("umount.not_a_mount_point", umount(mnt), EINVAL);
    _exit(test_failures() ? 1 : 0);
}

// MNT_DETACH: a busy mount goes at once; its open file lives on.
static void detach(void *arg)
{
    (void)arg;
    char path[700], buf[8] = { 0 };
    if (!check(mount("none", mnt, "tmpfs", 0, 0) == 0, "detach.mount", "%s", errname(errno)))
        _exit(1);
    snprintf(path, sizeof path, "%s/f", mnt);
    int fd = open(path, O_RDWR | O_CREAT, 0600);
    check(fd >= 0 && write(fd, "kept", 4) == 4, "detach.write", "%s", errname(errno));
    check_errno("detach.busy_without", umount2(mnt, 0), EBUSY);
    check_eq("detach.umount2", 0, umount2(mnt, MNT_DETACH));
    check(access(path, F_OK) < 0, "detach.gone_from_tree", "%s still there", path);
    check(pread(fd, buf, 4, 0) == 4 && !memcmp(buf, "kept", 4), "detach.open_file_reads",
          "read: %s", errname(errno));
    close(fd);
    _exit(test_failures() ? 1 : 0);
}

// A bind mount, proc elsewhere, noexec and remount, the errors.
static void others(void *arg)
{
    (void)arg;
    char src[600], path[700], path2[700];
    snprintf(src, sizeof src, "%s/src", base);
    mkdir(src, 0755);
    snprintf(path, sizeof path, "%s/f", src);
    close(open(path, O_RDWR | O_CREAT, 0644));
    if (check(mount(src, mnt, 0, MS_BIND, 0) == 0, "bind.mount", "%s", errname(errno))) {
        snprintf(path2, sizeof path2, "%s/f", mnt);
        check(same_file(path, path2), "bind.same_inode", "%s is not %s", path2, path);
        snprintf(path2, sizeof path2, "%s/g", mnt);
        close(open(path2, O_RDWR | O_CREAT, 0644));
        snprintf(path, sizeof path, "%s/g", src);
        check(access(path, F_OK) == 0, "bind.shared", "%s made through the bind is not in %s",
              path2, src);
        unlink(path);
        check_eq("bind.umount", 0, umount(mnt));
    }
    // A directory bound onto itself (a common first step before a
    // remount of it): one mount, which one umount takes away.
    if (check(mount(src, src, 0, MS_BIND, 0) == 0, "bind.onto_itself", "%s", errname(errno))) {
        snprintf(path, sizeof path, "%s/f", src);
        check(access(path, F_OK) == 0, "bind.onto_itself_shows", "%s: %s", path, errname(errno));
        check_eq("bind.onto_itself_umount", 0, umount(src));
        check_errno("bind.onto_itself_once", umount(src), EINVAL);
    }
    snprintf(path, sizeof path, "%s/f", src);
    unlink(path);
    rmdir(src);

    struct statfs sf;
    if (check(mount("proc", mnt, "proc", 0, 0) == 0, "proc.mount", "%s", errname(errno))) {
        snprintf(path, sizeof path, "%s/self/status", mnt);
        check(statfs(mnt, &sf) == 0 && sf.f_type == PROC_MAGIC && access(path, R_OK) == 0,
              "proc.elsewhere", "statfs type %#lx, %s: %s", (unsigned long)sf.f_type, path,
              errname(errno));
        check(mounts_has("/proc/mounts", mnt, "proc", 0), "proc.listed", "no proc line for %s",
              mnt);
        check_eq("proc.umount", 0, umount(mnt));
        check(statfs("/proc", &sf) == 0 && sf.f_type == PROC_MAGIC, "proc.still_at_proc",
              "/proc: type %#lx", (unsigned long)sf.f_type);
    }

    // noexec: a copy of /bin/true there does not run.
    if (check(mount("none", mnt, "tmpfs", MS_NOEXEC, 0) == 0, "noexec.mount", "%s",
              errname(errno))) {
        check(mounts_has("/proc/mounts", mnt, "tmpfs", "noexec"), "noexec.listed",
              "no noexec in /proc/mounts for %s", mnt);
        static char prog[1 << 20];
        long n = read_file(rootpath("/bin/true"), prog, sizeof prog);
        snprintf(path, sizeof path, "%s/true", mnt);
        int fd = open(path, O_WRONLY | O_CREAT, 0755);
        check(n > 0 && fd >= 0 && write(fd, prog, (size_t)n) == n, "noexec.copy", "%s",
              errname(errno));
        close(fd);
        pid_t pid = xfork();
        if (pid == 0) {
            char *argv[] = { path, 0 };
            execve(path, argv, 0);
            _exit(errno == EACCES ? 42 : 43);
        }
        int st = wait_for(pid);
        check(WIFEXITED(st) && WEXITSTATUS(st) == 42, "noexec.execve_eacces", "child %s",
              status_str(st));
        check(mount(0, mnt, 0, MS_REMOUNT | MS_RDONLY | MS_NOEXEC, 0) == 0 &&
              mounts_has("/proc/mounts", mnt, "tmpfs", "ro,"), "remount.ro",
              "remount: %s, or no ro in /proc/mounts", errname(errno));
        char other[700];
        snprintf(other, sizeof other, "%s/new", mnt);
        check_errno("remount.ro_create_erofs", open(other, O_WRONLY | O_CREAT, 0644), EROFS);
        check_errno("remount.ro_write_erofs", open(path, O_WRONLY), EROFS);
        check_errno("remount.ro_unlink_erofs", unlink(path), EROFS);
        check_errno("remount.ro_mkdir_erofs", mkdir(other, 0755), EROFS);
        check(mount(0, mnt, 0, MS_REMOUNT, 0) == 0 && unlink(path) == 0, "remount.rw",
              "remount rw, then unlink: %s", errname(errno));
        check_eq("noexec.umount", 0, umount(mnt));
    }
    // A current directory that a mount then covers stays below it.
    if (chdir(mnt) == 0 && check(mount("none", mnt, "tmpfs", 0, 0) == 0, "below.mount", "%s",
                                 errname(errno))) {
        snprintf(path, sizeof path, "%s/above", mnt);
        close(open(path, O_RDWR | O_CREAT, 0644));
        check(access(path, F_OK) == 0 && access("above", F_OK) < 0 && access("./above", F_OK) < 0,
              "below.cwd_stays_below", "the covered cwd sees the mount's files");
        check_eq("below.umount_not_busy", 0, umount(mnt));
    }
    chdir("/");
    // umount2 through a symbolic link: followed, unless UMOUNT_NOFOLLOW;
    // MNT_FORCE on a tmpfs is a plain umount; MNT_EXPIRE marks, then goes.
    snprintf(path, sizeof path, "%s/lnk", base);
    symlink(mnt, path);
    if (check(mount("none", mnt, "tmpfs", 0, 0) == 0, "umount2.mount", "%s", errname(errno))) {
        check_errno("umount2.nofollow", umount2(path, UMOUNT_NOFOLLOW), EINVAL);
        check_eq("umount2.follows_link", 0, umount2(path, 0));
    }
    if (check(mount("none", mnt, "tmpfs", 0, 0) == 0, "umount2.mount_again", "%s",
              errname(errno)))
        check_eq("umount2.force", 0, umount2(mnt, MNT_FORCE));
    if (check(mount("none", mnt, "tmpfs", 0, 0) == 0, "umount2.mount_expire", "%s",
              errname(errno))) {
        check_errno("umount2.expire_marks", umount2(mnt, MNT_EXPIRE), EAGAIN);
        check_eq("umount2.expire_goes", 0, umount2(mnt, MNT_EXPIRE));
        check_errno("umount2.expire_with_detach", umount2(mnt, MNT_EXPIRE | MNT_DETACH), EINVAL);
    }
    unlink(path);
    check_errno("remount.not_a_mount_point", mount(0, mnt, 0, MS_REMOUNT, 0), EINVAL);
    check_errno("mount.enodev", mount("none", mnt, "nosuchfs", 0, 0), ENODEV);
    snprintf(path, sizeof path, "%s/plain", base);
    close(open(path, O_RDWR | O_CREAT, 0644));
    check_errno("mount.enotdir", mount("none", path, "tmpfs", 0, 0), ENOTDIR);
    unlink(path);
    snprintf(path2, sizeof path2, "%s/x", mnt2);
    check_errno("mount.enoent", mount("none", path2, "tmpfs", 0, 0), ENOENT);
    _exit(test_failures() ? 1 : 0);
}

static void in_child(const char *name, void (*fn)(void *))
{
    int st = run_child(fn, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, name, "child %s", status_str(st));
}

int main(void)
{
    snprintf(base, sizeof base, "%s", scratch_path("mount.d"));
    remove_tree(base);
    mkdir(base, 0755);
    // The canonical path (TMPDIR may go through a symbolic link), as
    // /proc/mounts and getcwd name it.
    char real[512];
    if (chdir(base) == 0 && getcwd(real, sizeof real))
        snprintf(base, sizeof base, "%s", real);
    chdir("/");
    snprintf(mnt, sizeof mnt, "%s/m", base);
    snprintf(mnt2, sizeof mnt2, "%s/nothere", base);
    mkdir(mnt, 0755);

    // /proc/version, as uname says.
    struct utsname u;
    char version[512], want[300];
    uname(&u);
    snprintf(want, sizeof want, "%s version %s ", u.sysname, u.release);
    check(read_file("/proc/version", version, sizeof version) > 0 &&
          strncmp(version, want, strlen(want)) == 0, "version.layout",
          "/proc/version: \"%.80s\", want it to begin \"%s\"", version, want);

    in_child("mount.unprivileged", as_user);

    // May this process mount? (Not on a Linux host as a user, or without
    // CAP_SYS_ADMIN.)
    int can = geteuid() == 0 && mount("none", mnt, "tmpfs", 0, 0) == 0;
    if (can)
        umount(mnt);
    if (!can) {
        skip("mount.tmpfs", "this process may not mount here (%s)", errname(errno));
    } else {
        long before = memfree_start();
        in_child("tmpfs.child", tmpfs_use);
        memfree_check("tmpfs.memfree_restored", before);
        before = memfree_start();
        in_child("detach.child", detach);
        memfree_check("detach.memfree_restored", before);
        in_child("others.child", others);
    }
    rmdir(mnt);
    remove_tree(base);
    return test_status();
}
