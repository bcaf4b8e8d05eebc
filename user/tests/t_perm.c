// t_perm: file permissions as Linux checks them. The test's own process
// stays root; each part runs in a child that makes its files as root in a
// scratch directory (mode 0777) and forks children that take an ordinary
// user's ids (uid 1000, gid 1000, no supplementary groups unless a check
// needs one) to try things. Every rule is checked both ways, refused and
// allowed, so that a kernel that checks nothing cannot pass.
//
//   - read, write and execute by the owner, group (also a supplementary
//     group) or other bits; only one class counts: the owner of a file
//     mode 0077 may not read it although everybody else may; root may read
//     and write anything, but execute only a file with some x bit;
//   - directories: x (search) to look a name up through them and to chdir,
//     r to list them, w and x to create and unlink names in them;
//   - access() asks with the real ids (euid 0 but ruid 1000 is refused,
//     while open works), faccessat(AT_EACCESS) with the effective ones;
//   - chmod: only the owner (or root); a non-root owner asking for S_ISGID
//     on a file whose group is not one of its own gets it silently cleared;
//   - chown: only root changes the owner; the owner may change the group to
//     one of its own groups, not to another; chown by root clears S_ISUID
//     and S_ISGID (with group x) of a regular file;
//   - a write by anyone but root clears S_ISUID and S_ISGID (with group x);
//   - a new file belongs to the fs uid and fs gid of its creator, or to the
//     directory's group when the directory has S_ISGID (and a new directory
//     there inherits the bit);
//   - sticky directories (01777): only the file's owner, the directory's
//     owner or root may unlink or rename a name away;
//   - utimensat: explicit times only by the owner (EPERM), "now" also by
//     whoever may write the file (EACCES without);
//   - truncate and O_TRUNC need write permission.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

static int child_failed;

// Fork a child with these ids (supp: one supplementary group, or 0 for
// none). Returns 1 in the child, which runs its checks and ends with
// _exit(test_status()); in the parent waits for it and returns 0. A child
// whose ids did not change says FAIL NAME and checks nothing.
static int as_user(const char *name, uid_t uid, gid_t gid, gid_t supp)
{
    pid_t pid = xfork();
    if (pid == 0) {
        if (become_ids(uid, uid, uid, gid, gid, gid, supp ? 1 : 0, &supp) < 0) {
            fail(name, "could not become %u:%u: %s", uid, gid, cred_error());
            _exit(1);
        }
        return 1;
    }
    int st = wait_for(pid);
    if (!WIFEXITED(st))
        fail(name, "the child %s", status_str(st));
    else if (WEXITSTATUS(st) != 0)
        child_failed = 1;
    return 0;
}

static const char *part_name;   // the part running, for setup_ok

// A failed call while making the part's files is one FAIL for the part
// (not one for each file).
static void setup_ok(const char *path, int ret)
{
    static int said;
    if (ret < 0 && !said++)
        fail(tname("%s.setup", part_name), "%s: %s", path, errname(errno));
}

// As root: a file with some text, this owner and mode (chmod after chown,
// which would clear S_ISUID).
static void mkfile(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
        write(fd, "not a program\n", 14);
        close(fd);
    }
    setup_ok(path, chown(path, uid, gid));
    setup_ok(path, chmod(path, mode));
}

static void mkdir_as(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
    mkdir(path, 0700);
    setup_ok(path, chown(path, uid, gid));
    setup_ok(path, chmod(path, mode));
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_mode & 07777 : (mode_t)-1;
}

// What open for reading, open for writing and execve say: "r w x" with "-"
// for EACCES, or the other errno. execve of a text file that is not a
// program gets past the permission check to ENOEXEC: that is the "x".
static const char *rwx(const char *path)
{
    static char out[64];
    char *argv[] = { (char *)path, NULL };
    int fd = open(path, O_RDONLY);
    int r = fd >= 0 ? 0 : errno;
    if (fd >= 0)
        close(fd);
    fd = open(path, O_WRONLY);
    int w = fd >= 0 ? 0 : errno;
    if (fd >= 0)
        close(fd);
    execve(path, argv, NULL);
    int x = errno == ENOEXEC ? 0 : errno;
    snprintf(out, sizeof out, "%s %s %s", r ? (r == EACCES ? "-" : errname(r)) : "r",
             w ? (w == EACCES ? "-" : errname(w)) : "w", x ? (x == EACCES ? "-" : errname(x)) : "x");
    return out;
}

// --- the mode bits -----------------------------------------------------------------

// The file is 1001:1002. Who asks: its owner, its group (as the primary
// group or a supplementary one), anyone else, root.
enum { OWNER, GROUP, SUPP, OTHER, ROOT };
static const char *who_name[] = { "owner", "group", "supp_group", "other", "root" };
static const struct { mode_t mode; int who; const char *want; } bits[] = {
    { 0400, OWNER, "r - -" }, { 0200, OWNER, "- w -" }, { 0100, OWNER, "- - x" },
    { 0700, OWNER, "r w x" }, { 0077, OWNER, "- - -" },   // only the owner's bits count
    { 0040, GROUP, "r - -" }, { 0020, GROUP, "- w -" }, { 0010, GROUP, "- - x" },
    { 0707, GROUP, "- - -" }, { 0040, SUPP, "r - -" }, { 0007, SUPP, "- - -" },
    { 0004, OTHER, "r - -" }, { 0002, OTHER, "- w -" }, { 0001, OTHER, "- - x" },
    { 0770, OTHER, "- - -" },
    { 0000, ROOT, "r w -" }, { 0001, ROOT, "r w x" },     // root: any x bit at all
};

static void part_bits(void)
{
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        const char *name = tname("perm.bits.%04o_%s", bits[i].mode, who_name[bits[i].who]);
        mkfile("f", 1001, 1002, bits[i].mode);
        int w = bits[i].who, child = 0;
        if (w == ROOT) {
            check_str(name, bits[i].want, rwx("f"));
            continue;
        }
        if (w == OWNER)
            child = as_user(name, 1001, 5000, 0);
        else if (w == GROUP)
            child = as_user(name, 1000, 1002, 0);
        else
            child = as_user(name, 1000, 1000, w == SUPP ? 1002 : 0);
        if (child) {
            check_str(name, bits[i].want, rwx("f"));
            _exit(test_status());
        }
    }
}

// --- directories ----------------------------------------------------------------------

static const char *res(int r)
{
    return r >= 0 ? "ok" : errno == EACCES ? "-" : errname(errno);
}

static int can_list(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n == 4 ? 0 : (errno = EIO, -1);   // ".", "..", "file", "victim"
}

// What a process can do with d (holding "file" and "victim"): look a name
// up, list it, create a name, unlink one, chdir into it (last: it moves).
static const char *dir_ops(void)
{
    static char got[128];
    struct stat st;
    const char *look = res(stat("d/file", &st));
    const char *list = res(can_list("d"));
    int fd = open("d/new", O_WRONLY | O_CREAT, 0644);
    const char *create = res(fd);
    if (fd >= 0)
        close(fd);
    const char *rm = res(unlink("d/victim"));
    snprintf(got, sizeof got, "stat %s list %s create %s unlink %s chdir %s", look, list,
             create, rm, res(chdir("d")));
    return got;
}

static const struct { mode_t mode; const char *want; } dirs[] = {
    { 0755, "stat ok list ok create - unlink - chdir ok" },
    { 0644, "stat - list ok create - unlink - chdir -" },     // r without x: names only
    { 0711, "stat ok list - create - unlink - chdir ok" },    // x without r: no listing
    { 0733, "stat ok list - create ok unlink ok chdir ok" },  // w and x: change names
    { 0766, "stat - list ok create - unlink - chdir -" },     // w without x: nothing
    { 0777, "stat ok list ok create ok unlink ok chdir ok" },
};

static void part_dirs(void)
{
    mkdir_as("d", 0, 0, 0755);
    mkfile("d/file", 0, 0, 0644);
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        const char *name = tname("perm.dir.%04o", dirs[i].mode);
        unlink("d/new");
        mkfile("d/victim", 0, 0, 0644);
        chmod("d", dirs[i].mode);
        if (as_user(name, 1000, 1000, 0)) {
            check_str(name, dirs[i].want, dir_ops());
            _exit(test_status());
        }
    }
    // Root needs no bit on a directory.
    unlink("d/new");
    mkfile("d/victim", 0, 0, 0644);
    chmod("d", 0);
    check_str("perm.dir.0000_root", "stat ok list ok create ok unlink ok chdir ok", dir_ops());
}

// --- access() and faccessat(): real or effective ids --------------------------------

static void part_access(void)
{
    mkfile("secret", 0, 0, 0600);
    pid_t pid = xfork();
    if (pid == 0) {
        // Effective root, real 1000: what a set-user-ID-root program is.
        if (setresuid(1000, 0, 0) < 0 || getuid() != 1000) {
            fail("perm.access.real_1000_effective_0", "setresuid(1000, 0, 0) did not take");
            _exit(1);
        }
        check_errno("perm.access.real_ids_refused", access("secret", R_OK), EACCES);
        check_errno("perm.access.faccessat_real_refused", faccessat(AT_FDCWD, "secret", R_OK, 0),
                    EACCES);
        check_eq("perm.access.eaccess_effective_allowed", 0,
                 faccessat(AT_FDCWD, "secret", R_OK, AT_EACCESS));
        int fd = open("secret", O_RDONLY);
        check(fd >= 0, "perm.access.open_uses_effective", "open: %s", errname(errno));
        // And the other way round: real root, effective 1000.
        if (setresuid(0, 1000, 0) < 0 || geteuid() != 1000) {
            fail("perm.access.real_0_effective_1000", "setresuid(0, 1000, 0) did not take");
            _exit(1);
        }
        check_eq("perm.access.real_root_allowed", 0, access("secret", R_OK | W_OK));
        check_errno("perm.access.eaccess_effective_refused",
                    faccessat(AT_FDCWD, "secret", R_OK, AT_EACCESS), EACCES);
        check_errno("perm.access.open_refused", open("secret", O_RDONLY), EACCES);
        _exit(test_status());
    }
    int st = wait_for(pid);
    if (!exited_with(st, 0))
        child_failed = 1;
    // Plain users: the same answer as open.
    mkfile("mine", 1000, 1000, 0640);
    if (as_user("perm.access.user", 1000, 1000, 0)) {
        check_eq("perm.access.owner_rw", 0, access("mine", R_OK | W_OK));
        check_errno("perm.access.owner_no_x", access("mine", X_OK), EACCES);
        check_errno("perm.access.other_refused", access("secret", R_OK), EACCES);
        check_eq("perm.access.f_ok_exists", 0, access("secret", F_OK));
        _exit(test_status());
    }
}

// --- chmod and chown ------------------------------------------------------------------

static void part_chmod(void)
{
    mkfile("c", 1000, 1000, 0644);
    mkfile("g", 1000, 3000, 0644);   // owned by 1000, group 3000
    if (as_user("perm.chmod.other", 1001, 1001, 0)) {
        check_errno("perm.chmod.non_owner_eperm", chmod("c", 0666), EPERM);
        _exit(test_status());
    }
    check_eq("perm.chmod.unchanged", 0644, mode_of("c"));
    if (as_user("perm.chmod.owner", 1000, 1000, 0)) {
        check_eq("perm.chmod.owner_allowed", 0, chmod("c", 0600));
        check_eq("perm.chmod.owner_mode", 0600, mode_of("c"));
        // Not in group 3000: S_ISGID is dropped, without an error.
        check_eq("perm.chmod.setgid_other_group", 0, chmod("g", 02755));
        check_eq("perm.chmod.setgid_cleared", 0755, mode_of("g"));
        // S_ISGID on a file of its own group stays.
        check_eq("perm.chmod.setgid_own_group", 0, chmod("c", 02755));
        check_eq("perm.chmod.setgid_kept", 02755, mode_of("c"));
        _exit(test_status());
    }
    if (as_user("perm.chmod.supp", 1000, 1000, 3000)) {
        check_eq("perm.chmod.setgid_supp_group", 0, chmod("g", 02755));
        check_eq("perm.chmod.setgid_supp_kept", 02755, mode_of("g"));
        _exit(test_status());
    }
    check_eq("perm.chmod.root_any", 0, chmod("c", 04711));
    check_eq("perm.chmod.root_mode", 04711, mode_of("c"));
}

static const char *owner_of(const char *path)
{
    static char out[40];
    struct stat st;
    if (stat(path, &st) < 0)
        return errname(errno);
    snprintf(out, sizeof out, "%u:%u %04o", st.st_uid, st.st_gid, st.st_mode & 07777);
    return out;
}

static void part_chown(void)
{
    mkfile("o", 1000, 1000, 0644);
    if (as_user("perm.chown.owner", 1000, 1000, 3000)) {
        check_errno("perm.chown.owner_to_other_uid_eperm", chown("o", 1001, -1), EPERM);
        check_eq("perm.chown.owner_to_own_uid", 0, chown("o", 1000, -1));
        check_errno("perm.chown.group_not_mine_eperm", chown("o", -1, 3001), EPERM);
        check_eq("perm.chown.group_supp", 0, chown("o", -1, 3000));
        check_str("perm.chown.group_changed", "1000:3000 0644", owner_of("o"));
        _exit(test_status());
    }
    if (as_user("perm.chown.other", 1001, 3000, 0)) {
        // In the file's group, but not its owner.
        check_errno("perm.chown.non_owner_group_eperm", chown("o", -1, 3000), EPERM);
        _exit(test_status());
    }
    check_eq("perm.chown.root", 0, chown("o", 1001, 1002));
    check_str("perm.chown.root_changed", "1001:1002 0644", owner_of("o"));
    // Root's chown clears the set-id bits of a regular file; S_ISGID
    // without group x (mandatory locking's mark) stays.
    mkfile("s", 1000, 1000, 06755);
    chown("s", 1001, 1001);
    check_str("perm.chown.clears_setid", "1001:1001 0755", owner_of("s"));
    mkfile("s", 1000, 1000, 06745);
    int fd = open("s", O_RDONLY);
    fchown(fd, 1001, 1001);
    close(fd);
    check_str("perm.chown.fchown_keeps_sgid_without_gx", "1001:1001 2745", owner_of("s"));
    // Directories keep them.
    mkdir_as("sd", 1000, 1000, 02755);
    chown("sd", 1001, 1001);
    check_str("perm.chown.directory_keeps_setgid", "1001:1001 2755", owner_of("sd"));
}

// A write by a process without root's privilege clears the set-id bits.
static void part_write(void)
{
    mkfile("w", 1000, 1000, 06757);
    mkfile("w2", 1000, 1000, 06747);
    mkfile("wr", 1000, 1000, 06757);
    if (as_user("perm.write.user", 1000, 1000, 0)) {
        int fd = open("w", O_WRONLY), fd2 = open("w2", O_WRONLY);
        check_eq("perm.write.user_write", 3, write(fd, "abc", 3));
        check_eq("perm.write.clears_setid", 0757, mode_of("w"));
        write(fd2, "abc", 3);
        check_eq("perm.write.keeps_sgid_without_gx", 02747, mode_of("w2"));
        _exit(test_status());
    }
    int fd = open("wr", O_WRONLY);
    check_eq("perm.write.root_write", 3, write(fd, "abc", 3));
    check_eq("perm.write.root_keeps_setid", 06757, mode_of("wr"));
}

// --- new files: whose are they ---------------------------------------------------------

static void part_create(void)
{
    if (as_user("perm.create.user", 1000, 1000, 0)) {
        close(open("u", O_WRONLY | O_CREAT, 0644));
        check_str("perm.create.user_owns", "1000:1000 0644", owner_of("u"));
        _exit(test_status());
    }
    // The fs ids, not the effective ones.
    pid_t pid = xfork();
    if (pid == 0) {
        setfsgid(1006);
        setfsuid(1005);
        close(open("fs", O_WRONLY | O_CREAT, 0600));
        mkdir("fsd", 0700);
        _exit(0);
    }
    wait_for(pid);
    check_str("perm.create.fs_ids", "1005:1006 0600", owner_of("fs"));
    check_str("perm.create.fs_ids_mkdir", "1005:1006 0700", owner_of("fsd"));
    // A set-group-ID directory gives its group; a subdirectory the bit too.
    mkdir_as("sg", 0, 3000, 02777);
    if (as_user("perm.create.setgid_dir", 1000, 1000, 0)) {
        close(open("sg/f", O_WRONLY | O_CREAT, 0644));
        mkdir("sg/sub", 0755);
        check_str("perm.create.setgid_dir_group", "1000:3000 0644", owner_of("sg/f"));
        check_str("perm.create.setgid_dir_subdir", "1000:3000 2755", owner_of("sg/sub"));
        _exit(test_status());
    }
    mkdir_as("nsg", 0, 3000, 0777);
    if (as_user("perm.create.plain_dir", 1000, 1000, 0)) {
        mkdir("nsg/sub", 0755);
        check_str("perm.create.plain_dir_subdir", "1000:1000 0755", owner_of("nsg/sub"));
        _exit(test_status());
    }
}

// --- the sticky bit ---------------------------------------------------------------------

static void part_sticky(void)
{
    mkdir_as("st", 1002, 1002, 01777);
    mkdir_as("ns", 1002, 1002, 0777);
    const char *names[] = { "st/a", "st/b", "st/c", "st/d", "ns/a" };
    for (int i = 0; i < 5; i++)
        mkfile(names[i], 1000, 1000, 0666);
    if (as_user("perm.sticky.other", 1001, 1001, 0)) {
        check_errno("perm.sticky.other_unlink_eperm", unlink("st/a"), EPERM);
        check_errno("perm.sticky.other_rename_eperm", rename("st/a", "st/x"), EPERM);
        close(open("st/mine", O_WRONLY | O_CREAT, 0644));
        check_errno("perm.sticky.other_rename_over_eperm", rename("st/mine", "st/a"), EPERM);
        check_eq("perm.sticky.other_own_file", 0, unlink("st/mine"));
        check_eq("perm.sticky.not_sticky_unlink", 0, unlink("ns/a"));
        _exit(test_status());
    }
    if (as_user("perm.sticky.owner", 1000, 1000, 0)) {
        check_eq("perm.sticky.file_owner_rename", 0, rename("st/a", "st/a2"));
        check_eq("perm.sticky.file_owner_unlink", 0, unlink("st/a2"));
        _exit(test_status());
    }
    if (as_user("perm.sticky.dir_owner", 1002, 1002, 0)) {
        check_eq("perm.sticky.dir_owner_unlink", 0, unlink("st/b"));
        _exit(test_status());
    }
    check_eq("perm.sticky.root_unlink", 0, unlink("st/c"));
}

// --- utimensat, truncate ---------------------------------------------------------------

static void part_utime_truncate(void)
{
    mkfile("open", 1000, 1000, 0666);
    mkfile("closed", 1000, 1000, 0644);
    struct timespec t[2] = { { 1000000, 0 }, { 1000000, 0 } };
    struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
    if (as_user("perm.utime.other", 1001, 1001, 0)) {
        check_errno("perm.utime.explicit_non_owner_eperm", utimensat(AT_FDCWD, "open", t, 0),
                    EPERM);
        check_eq("perm.utime.now_writable", 0, utimensat(AT_FDCWD, "open", NULL, 0));
        check_eq("perm.utime.utime_now_writable", 0, utimensat(AT_FDCWD, "open", now, 0));
        check_errno("perm.utime.now_not_writable_eacces", utimensat(AT_FDCWD, "closed", NULL, 0),
                    EACCES);
        check_errno("perm.truncate.not_writable_eacces", truncate("closed", 0), EACCES);
        check_errno("perm.truncate.o_trunc_eacces", open("closed", O_RDONLY | O_TRUNC), EACCES);
        check_eq("perm.truncate.writable", 0, truncate("open", 2));
        _exit(test_status());
    }
    if (as_user("perm.utime.owner", 1000, 1000, 0)) {
        check_eq("perm.utime.explicit_owner", 0, utimensat(AT_FDCWD, "closed", t, 0));
        struct stat st;
        stat("closed", &st);
        check_eq("perm.utime.explicit_set", 1000000, st.st_mtime);
        _exit(test_status());
    }
}

static void part(const char *name, void (*fn)(void))
{
    part_name = name;
    pid_t pid = xfork();
    if (pid == 0) {
        if (chdir(scratch_path("perm")) < 0) {
            fail(name, "chdir: %s", errname(errno));
            _exit(1);
        }
        fn();
        _exit(test_status() || child_failed);
    }
    int st = wait_for(pid);
    if (!WIFEXITED(st))
        fail(name, "the part's process %s", status_str(st));
    else if (WEXITSTATUS(st) != 0)
        child_failed = 1;
}

static void cleanup(void)
{
    remove_tree(scratch_path("perm"));
}

int main(void)
{
    long before = memfree_start();
    const char *dir = scratch_path("perm");
    remove_tree(dir);
    if (mkdir(dir, 0777) < 0 || chmod(dir, 0777) < 0) {
        fail("perm.scratch", "mkdir %s: %s", dir, errname(errno));
        return 1;
    }
    part("perm.bits", part_bits);
    part("perm.dirs", part_dirs);
    part("perm.access", part_access);
    part("perm.chmod", part_chmod);
    part("perm.chown", part_chown);
    part("perm.write", part_write);
    part("perm.create", part_create);
    part("perm.sticky", part_sticky);
    part("perm.utime", part_utime_truncate);
    part("perm.cleanup", cleanup);
    memfree_check("perm.memfree", before);
    return test_status() || child_failed;
}
