// t_cred: user and group ids, with Linux's rules, through the system calls
// themselves (syscall(2) with the i386 numbers), once with the 32-bit calls
// (getuid32 199 ... setfsgid32 216: names cred32.*) and once with the old
// 16-bit ones (getuid 24 ... setfsgid 139: cred16.*, where an id is 16 bits,
// -1 is 0xffff, and an id above 65535 reads back as 65534, the overflow id).
//
//   - the rules, one forked child per case, each starting from ids set as
//     root: a process whose effective id is 0 may set any id; any other
//     only to one of its real, effective or saved ids; setuid then sets only
//     the effective id (and only to the real or saved one: not even to the
//     effective id it has); setreuid may set the real id only to the real or
//     effective one, and sets the saved id to the new effective id when the
//     real id was given or the effective id set to anything but the old real
//     id; setresuid leaves an id given as -1 alone; setuid(-1) is EINVAL;
//     every call but setfsuid sets the fs id to the effective id; setfsuid
//     returns the old fs id and changes it only to one of the four ids
//     (or anything, privileged); the same for the group ids, where the
//     privilege is still the effective uid 0;
//   - dropping all three uids is for good (setuid(0) EPERM); with the saved
//     uid still 0, the effective uid goes back to 0 (a temporary drop);
//   - supplementary groups: setgroups needs privilege (EPERM), more than
//     NGROUPS_MAX (65536) is EINVAL; getgroups(0, NULL) counts them, a
//     smaller size is EINVAL; Linux keeps them sorted;
//   - bad pointers are EFAULT (getresuid, getresgid, getgroups, setgroups);
//     the 16-bit getresuid writes three 16-bit ids and nothing more;
//   - /proc/self/status (Uid:, Gid: real, effective, saved, fs; Groups:)
//     says what was set;
//   - a fork child and a new thread inherit every id; on Linux the ids
//     belong to each thread (the raw call changes only the caller), and
//     musl's setresuid sets them in every thread.
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define BAD ((void *)0xC0000000u)   // a kernel address: EFAULT

enum { GETUID, GETEUID, GETGID, GETEGID, SETUID, SETGID, SETREUID, SETREGID, SETRESUID,
       GETRESUID, SETRESGID, GETRESGID, SETFSUID, SETFSGID, GETGROUPS, SETGROUPS, NCALLS };

struct width {
    const char *tag;
    int bits;
    long nr[NCALLS];
};
static const struct width w32 = { "cred32", 32,
    { 199, 201, 200, 202, 213, 214, 203, 204, 208, 209, 210, 211, 215, 216, 205, 206 } };
static const struct width w16 = { "cred16", 16,
    { 24, 49, 47, 50, 23, 46, 70, 71, 164, 165, 170, 171, 138, 139, 80, 81 } };

static int child_failed;   // a child said FAIL: the test's own status says so too

// An id as the call takes it: -1 is 0xffff for the 16-bit calls.
static long arg(const struct width *w, long id)
{
    return id == -1 && w->bits == 16 ? 0xffff : id;
}

// getresuid or getresgid (g) through this width, as three longs; -1 each
// if the call failed.
static int getres(const struct width *w, int g, long out[3])
{
    long nr = w->nr[g ? GETRESGID : GETRESUID];
    int r;
    if (w->bits == 32) {
        uint32_t a = 0, b = 0, c = 0;
        r = syscall(nr, &a, &b, &c);
        out[0] = a, out[1] = b, out[2] = c;
    } else {
        uint16_t a = 0, b = 0, c = 0;
        r = syscall(nr, &a, &b, &c);
        out[0] = a, out[1] = b, out[2] = c;
    }
    if (r < 0)
        out[0] = out[1] = out[2] = -1;
    return r;
}

// getgroups through this width into gids (up to 32).
static int getgroups_w(const struct width *w, int size, gid_t *gids)
{
    if (w->bits == 32)
        return syscall(w->nr[GETGROUPS], size, gids);
    uint16_t g16[32];
    int n = syscall(w->nr[GETGROUPS], size, size ? g16 : NULL);
    for (int i = 0; i < n && size; i++)
        gids[i] = g16[i];
    return n;
}

static int setgroups_w(const struct width *w, int n, const gid_t *gids)
{
    if (w->bits == 32)
        return syscall(w->nr[SETGROUPS], n, gids);
    uint16_t g16[32];
    for (int i = 0; i < n && i < 32; i++)
        g16[i] = gids[i];
    return syscall(w->nr[SETGROUPS], n, g16);
}

// Wait for a child that prints its own checks; a child that did not exit
// is a FAIL here.
static void reap(const char *name, pid_t pid)
{
    int st = wait_for(pid);
    if (!WIFEXITED(st))
        fail(name, "the child %s", status_str(st));
    else if (WEXITSTATUS(st) != 0)
        child_failed = 1;
}

// --- the rules, one child per case --------------------------------------------------

enum { C_SET, C_SETRE, C_SETRES, C_SETFS };
struct rule {
    const char *name;     // "%s" is "u" or "g": setuid_... / setgid_...
    long r, e, s;         // the ids to start from (set as root)
    int call;
    long a, b, c;         // its arguments
    int err;              // the errno expected, or 0 for success
    long ret;             // what it returns on success (setfsuid: the old fs id)
    long xr, xe, xs, xfs; // the ids after (unchanged after an error)
};

#define U 1000, 1001, 1002   // an unprivileged process with three different ids
static const struct rule rules[] = {
    // Privileged (effective id 0): anything, and setuid sets all four ids.
    { "set%sid_root_sets_all", 0, 0, 0, C_SET, 1000, 0, 0, 0, 0, 1000, 1000, 1000, 1000 },
    { "set%sid_effective_root_sets_all", 1000, 0, 1000, C_SET, 5, 0, 0, 0, 0, 5, 5, 5, 5 },
    { "set%sid_minus_one_einval", 0, 0, 0, C_SET, -1, 0, 0, EINVAL, 0, 0, 0, 0, 0 },
    { "setres%sid_root_any", 0, 0, 0, C_SETRES, 1, 2, 3, 0, 0, 1, 2, 3, 2 },
    // Unprivileged setuid: the effective id only, to the real or saved id.
    { "set%sid_unprivileged_to_saved", U, C_SET, 1002, 0, 0, 0, 0, 1000, 1002, 1002, 1002 },
    { "set%sid_unprivileged_to_real", U, C_SET, 1000, 0, 0, 0, 0, 1000, 1000, 1002, 1000 },
    { "set%sid_unprivileged_to_effective_eperm", U, C_SET, 1001, 0, 0, EPERM, 0, U, 1001 },
    { "set%sid_unprivileged_other_eperm", U, C_SET, 1003, 0, 0, EPERM, 0, U, 1001 },
    { "set%sid_dropped_for_good_eperm", 1000, 1000, 1000, C_SET, 0, 0, 0, EPERM, 0,
      1000, 1000, 1000, 1000 },
    { "set%sid_temporary_drop_back", 0, 1000, 0, C_SET, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    // setreuid: the real id to the real or effective one; the saved id follows.
    { "setre%sid_root_effective_sets_saved", 0, 0, 0, C_SETRE, -1, 1000, 0, 0, 0,
      0, 1000, 1000, 1000 },
    { "setre%sid_back_to_real_keeps_saved", 0, 1000, 0, C_SETRE, -1, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "setre%sid_real_to_effective", U, C_SETRE, 1001, -1, 0, 0, 0, 1001, 1001, 1001, 1001 },
    { "setre%sid_real_to_saved_eperm", U, C_SETRE, 1002, -1, 0, EPERM, 0, U, 1001 },
    { "setre%sid_effective_to_saved", U, C_SETRE, -1, 1002, 0, 0, 0, 1000, 1002, 1002, 1002 },
    { "setre%sid_effective_to_real_keeps_saved", U, C_SETRE, -1, 1000, 0, 0, 0,
      1000, 1000, 1002, 1000 },
    { "setre%sid_swap", U, C_SETRE, 1001, 1000, 0, 0, 0, 1001, 1000, 1000, 1000 },
    { "setre%sid_nothing", U, C_SETRE, -1, -1, 0, 0, 0, U, 1001 },
    { "setre%sid_other_eperm", U, C_SETRE, -1, 1003, 0, EPERM, 0, U, 1001 },
    // setresuid: each to any of the three; -1 leaves one alone.
    { "setres%sid_permute", U, C_SETRES, 1002, 1000, 1001, 0, 0, 1002, 1000, 1001, 1000 },
    { "setres%sid_effective_only", U, C_SETRES, -1, 1002, -1, 0, 0, 1000, 1002, 1002, 1002 },
    { "setres%sid_nothing", U, C_SETRES, -1, -1, -1, 0, 0, U, 1001 },
    { "setres%sid_other_eperm", U, C_SETRES, 1003, -1, -1, EPERM, 0, U, 1001 },
    { "setres%sid_temporary_drop_back", 1000, 1000, 0, C_SETRES, -1, 0, -1, 0, 0,
      1000, 0, 0, 0 },
    // setfsuid: returns the old fs id; changes it only if allowed.
    { "setfs%sid_root_any", 0, 0, 0, C_SETFS, 1005, 0, 0, 0, 0, 0, 0, 0, 1005 },
    { "setfs%sid_unprivileged_refused", U, C_SETFS, 1003, 0, 0, 0, 1001, U, 1001 },
    { "setfs%sid_unprivileged_to_saved", U, C_SETFS, 1002, 0, 0, 0, 1001, U, 1002 },
    { "setfs%sid_minus_one_reads", U, C_SETFS, -1, 0, 0, 0, 1001, U, 1001 },
};

static const struct width *cur_w;
static int cur_g;   // 1: the group-id version of the rules

static void run_rule(void *arg_)
{
    const struct rule *ru = arg_;
    const struct width *w = cur_w;
    int g = cur_g;
    char base[64];
    snprintf(base, sizeof base, ru->name, g ? "g" : "u");
    const char *name = tname("%s.%s", w->tag, base);
    // The start, set as root. For the group rules the process is privileged
    // exactly when the rule starts with effective id 0: then it stays root,
    // else it becomes uid 1000.
    int r = g ? setresgid(ru->r, ru->e, ru->s) : setresuid(ru->r, ru->e, ru->s);
    if (r == 0 && g && ru->e != 0)
        r = setresuid(1000, 1000, 1000);
    long start[3];
    getres(&w32, g, start);
    if (r < 0 || start[0] != ru->r || start[1] != ru->e || start[2] != ru->s) {
        fail(name, "could not start from %ld/%ld/%ld: %s, have %ld/%ld/%ld", ru->r, ru->e,
             ru->s, r < 0 ? errname(errno) : "no error", start[0], start[1], start[2]);
        _exit(1);
    }
    long ret;
    errno = 0;
    switch (ru->call) {
    case C_SET: ret = syscall(w->nr[g ? SETGID : SETUID], arg(w, ru->a)); break;
    case C_SETRE: ret = syscall(w->nr[g ? SETREGID : SETREUID], arg(w, ru->a), arg(w, ru->b)); break;
    case C_SETRES:
        ret = syscall(w->nr[g ? SETRESGID : SETRESUID], arg(w, ru->a), arg(w, ru->b), arg(w, ru->c));
        break;
    default: ret = syscall(w->nr[g ? SETFSGID : SETFSUID], arg(w, ru->a)); break;
    }
    int err = ret < 0 ? errno : 0;
    long ids[3];
    getres(w, g, ids);
    long fs = proc_status_id(g ? "Gid" : "Uid", 3);
    check(err == ru->err && (err || ret == ru->ret) && ids[0] == ru->xr && ids[1] == ru->xe &&
          ids[2] == ru->xs && fs == ru->xfs, name,
          "expected %s%ld, ids %ld/%ld/%ld fs %ld; got %s%ld, ids %ld/%ld/%ld fs %ld",
          ru->err ? errname(ru->err) : "", ru->err ? 0 : ru->ret, ru->xr, ru->xe, ru->xs,
          ru->xfs, err ? errname(err) : "", err ? 0 : ret, ids[0], ids[1], ids[2], fs);
    _exit(test_status());
}

static void test_rules(const struct width *w)
{
    cur_w = w;
    for (cur_g = 0; cur_g < 2; cur_g++)
        for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
            int st = run_child(run_rule, (void *)&rules[i]);
            if (!WIFEXITED(st))
                fail(tname("%s.rule_%zu", w->tag, i), "the child %s", status_str(st));
            else if (WEXITSTATUS(st) != 0)
                child_failed = 1;
        }
}

// --- the simple calls, the overflow id, groups, bad pointers ----------------------

static void part_basic(void *arg_)
{
    const struct width *w = arg_;
    const char *t = w->tag;
    // The test starts as root: every id 0.
    long ids[3], gids[3];
    getres(w, 0, ids);
    getres(w, 1, gids);
    check(ids[0] == 0 && ids[1] == 0 && ids[2] == 0 && gids[0] == 0 && gids[1] == 0 &&
          gids[2] == 0, tname("%s.starts_as_root", t), "uids %ld/%ld/%ld gids %ld/%ld/%ld",
          ids[0], ids[1], ids[2], gids[0], gids[1], gids[2]);
    // The four one-id calls read what setres*id set.
    syscall(w->nr[SETRESGID], 20, 21, 22);
    syscall(w->nr[SETRESUID], 10, 11, 12);
    long u = syscall(w->nr[GETUID]), eu = syscall(w->nr[GETEUID]);
    long gg = syscall(w->nr[GETGID]), eg = syscall(w->nr[GETEGID]);
    check(u == 10 && eu == 11 && gg == 20 && eg == 21, tname("%s.get_one_id", t),
          "getuid %ld geteuid %ld getgid %ld getegid %ld, expected 10 11 20 21", u, eu, gg, eg);
    getres(w, 0, ids);
    getres(w, 1, gids);
    check(ids[0] == 10 && ids[1] == 11 && ids[2] == 12 && gids[0] == 20 && gids[1] == 21 &&
          gids[2] == 22, tname("%s.getres", t), "uids %ld/%ld/%ld gids %ld/%ld/%ld",
          ids[0], ids[1], ids[2], gids[0], gids[1], gids[2]);
    check_errno(tname("%s.getresuid_efault", t), syscall(w->nr[GETRESUID], BAD, BAD, BAD),
                EFAULT);
    uint32_t ok1, ok2;
    check_errno(tname("%s.getresgid_efault_third", t),
                syscall(w->nr[GETRESGID], &ok1, &ok2, BAD), EFAULT);
    _exit(test_status());
}

// 16-bit only: ids above 65535 read back as 65534, and getresuid writes
// three 16-bit numbers, not 32-bit ones.
static void part_overflow(void *arg_)
{
    (void)arg_;
    gid_t big = 70000;
    if (become_ids(100000, 100001, 100002, 70000, 70001, 70002, 1, &big) < 0) {
        fail("cred16.overflow.setup", "%s", cred_error());
        _exit(1);
    }
    long v[6] = { syscall(24), syscall(49), syscall(47), syscall(50) };
    check(v[0] == 65534 && v[1] == 65534 && v[2] == 65534 && v[3] == 65534,
          "cred16.overflow.get_one_id", "getuid %ld geteuid %ld getgid %ld getegid %ld", v[0],
          v[1], v[2], v[3]);
    uint16_t buf[8];
    memset(buf, 0xAA, sizeof buf);
    long r = syscall(165, &buf[0], &buf[2], &buf[4]);
    check(r == 0 && buf[0] == 65534 && buf[2] == 65534 && buf[4] == 65534 && buf[1] == 0xAAAA &&
          buf[3] == 0xAAAA && buf[5] == 0xAAAA, "cred16.overflow.getresuid_16bit",
          "ret %ld, words %x %x %x %x %x %x", r, buf[0], buf[1], buf[2], buf[3], buf[4], buf[5]);
    memset(buf, 0xAA, sizeof buf);
    r = syscall(80, 4, buf);
    check(r == 1 && buf[0] == 65534 && buf[1] == 0xAAAA, "cred16.overflow.getgroups",
          "ret %ld, words %x %x", r, buf[0], buf[1]);
    // The 32-bit calls see the whole ids.
    uint32_t a, b, c;
    syscall(209, &a, &b, &c);
    check(a == 100000 && b == 100001 && c == 100002, "cred32.big_ids", "%u/%u/%u", a, b, c);
    _exit(test_status());
}

static void part_groups(void *arg_)
{
    const struct width *w = arg_;
    const char *t = w->tag;
    gid_t set[3] = { 30, 10, 20 }, got[32];
    check_eq(tname("%s.setgroups_root", t), 0, setgroups_w(w, 3, set));
    check_eq(tname("%s.getgroups_count", t), 3, getgroups_w(w, 0, NULL));
    int n = getgroups_w(w, 32, got);
    // Linux sorts them (it looks a group up by bisection).
    check(n == 3 && got[0] == 10 && got[1] == 20 && got[2] == 30, tname("%s.getgroups_sorted", t),
          "%d groups: %u %u %u", n, got[0], got[1], got[2]);
    check_errno(tname("%s.getgroups_too_small", t), getgroups_w(w, 2, got), EINVAL);
    check_errno(tname("%s.getgroups_negative", t), getgroups_w(w, -1, got), EINVAL);
    check_errno(tname("%s.getgroups_efault", t), syscall(w->nr[GETGROUPS], 3, BAD), EFAULT);
    check_errno(tname("%s.setgroups_efault", t), syscall(w->nr[SETGROUPS], 2, BAD), EFAULT);
    check_errno(tname("%s.setgroups_over_ngroups_max", t),
                syscall(w->nr[SETGROUPS], 65537, NULL), EINVAL);
    check_eq(tname("%s.setgroups_none", t), 0, setgroups_w(w, 0, NULL));
    check_eq(tname("%s.getgroups_none", t), 0, getgroups_w(w, 0, NULL));
    // Not root: EPERM, even to set the same list.
    syscall(w->nr[SETRESUID], 1000, 1000, 1000);
    check_errno(tname("%s.setgroups_unprivileged_eperm", t), setgroups_w(w, 1, set), EPERM);
    check_errno(tname("%s.setgroups_unprivileged_empty_eperm", t), setgroups_w(w, 0, NULL),
                EPERM);
    _exit(test_status());
}

// --- dropping root: for good, or for a while -----------------------------------------

static void part_drop(void *arg_)
{
    (void)arg_;
    // A temporary drop: the effective uid only, the saved uid stays 0.
    check_eq("cred.drop.seteuid", 0, seteuid(1000));
    check_errno("cred.drop.temporary_setgroups_eperm", setgroups(0, NULL), EPERM);
    check_eq("cred.drop.seteuid_back", 0, seteuid(0));
    check_eq("cred.drop.back_setgroups", 0, setgroups(0, NULL));
    // All three: the privilege is gone for good.
    if (become(1000, 1000) < 0) {
        fail("cred.drop.become", "%s", cred_error());
        _exit(1);
    }
    check_errno("cred.drop.setuid_0_eperm", setuid(0), EPERM);
    check_errno("cred.drop.seteuid_0_eperm", seteuid(0), EPERM);
    check_errno("cred.drop.setresuid_0_eperm", setresuid(0, 0, 0), EPERM);
    check_errno("cred.drop.setgid_0_eperm", setgid(0), EPERM);
    check_eq("cred.drop.still_1000", 1000, (long)geteuid());
    _exit(test_status());
}

// --- /proc/self/status, fork and threads ----------------------------------------------

static int groups_line(char *out, size_t size)
{
    char buf[4096];
    if (read_file("/proc/self/status", buf, sizeof buf) < 0)
        return -1;
    char *p = strstr(buf, "\nGroups:");
    if (!p)
        return -1;
    p += 8;
    char *end = strchr(p, '\n');
    snprintf(out, size, "%.*s", end ? (int)(end - p) : (int)strlen(p), p);
    return 0;
}

// Every id, as a line to compare: "u 1000 1001 1002 fs 1003 g ... groups 5 6 7".
static void all_ids(char *out, size_t size)
{
    uint32_t u[3] = { 0 }, g[3] = { 0 }, grp[16];
    syscall(209, &u[0], &u[1], &u[2]);
    syscall(211, &g[0], &g[1], &g[2]);
    int n = syscall(205, 16, grp);
    int len = snprintf(out, size, "u %u %u %u fs %ld g %u %u %u fs %ld groups", u[0], u[1], u[2],
                       proc_status_id("Uid", 3), g[0], g[1], g[2], proc_status_id("Gid", 3));
    for (int i = 0; i < n && len < (int)size; i++)
        len += snprintf(out + len, size - len, " %u", grp[i]);
}

static const char *want_ids = "u 1000 1001 1002 fs 1001 g 2000 2001 2002 fs 2003 groups 5 6 7";

static int go[2], back[2];

static void *thread_reports(void *arg_)
{
    (void)arg_;
    char c, line[200];
    for (;;) {
        if (read(go[0], &c, 1) != 1 || c == 'q')
            return NULL;
        uint32_t u[3] = { 0 }, g[3] = { 0 };
        syscall(209, &u[0], &u[1], &u[2]);   // this thread's own ids
        syscall(211, &g[0], &g[1], &g[2]);
        snprintf(line, sizeof line, "%u %u %u g %u %u %u", u[0], u[1], u[2], g[0], g[1], g[2]);
        write(back[1], line, sizeof line);
    }
}

static const char *ask_thread(void)
{
    static char line[200];
    write(go[1], "?", 1);
    if (read_full(back[0], line, sizeof line) != sizeof line)
        return "no answer";
    return line;
}

static void part_proc(void *arg_)
{
    (void)arg_;
    gid_t grp[3] = { 5, 6, 7 };
    check_eq("cred.proc.setgroups", 0, setgroups(3, grp));
    check_eq("cred.proc.setresgid", 0, setresgid(2000, 2001, 2002));
    check_eq("cred.proc.setfsgid", 2001, setfsgid(2003));   // (returns the old fs gid)
    check_eq("cred.proc.setresuid", 0, setresuid(1000, 1001, 1002));
    check_eq("cred.proc.uid", 1000, proc_status_id("Uid", 0));
    char line[200], grl[100];
    all_ids(line, sizeof line);
    check_str("cred.proc.status", want_ids, line);
    check(groups_line(grl, sizeof grl) == 0 && strcmp(grl, "\t5 6 7 ") == 0,
          "cred.proc.groups_line", "Groups:%s, expected Linux's \"\\t5 6 7 \"", grl);
    pid_t pid = xfork();
    if (pid == 0) {
        char mine[200];
        all_ids(mine, sizeof mine);
        check_str("cred.fork.inherits", want_ids, mine);
        _exit(test_status());
    }
    reap("cred.fork.child", pid);
    _exit(test_status());
}

static void part_thread(void *arg_)
{
    (void)arg_;
    pthread_t th;
    // Ids a new thread can only have from its creator (still privileged:
    // the effective uid is 0).
    check_eq("cred.thread.setresgid", 0, setresgid(3, 4, 5));
    check_eq("cred.thread.saved_44", 0, syscall(208, -1, -1, 44));
    if (pipe(go) < 0 || pipe(back) < 0 || pthread_create(&th, NULL, thread_reports, NULL) != 0) {
        fail("cred.thread.create", "%s", errname(errno));
        _exit(1);
    }
    check_str("cred.thread.inherits", "0 0 44 g 3 4 5", ask_thread());
    // The raw call changes the calling thread's ids only.
    check_eq("cred.thread.raw_seteuid", 0, syscall(208, -1, 5000, -1));
    check_str("cred.thread.raw_call_is_per_thread", "0 0 44 g 3 4 5", ask_thread());
    check_eq("cred.thread.raw_seteuid_back", 0, syscall(208, -1, 0, -1));
    // musl's setresuid makes every thread make the call.
    check_eq("cred.thread.libc_setresuid", 0, setresuid(7, 8, 9));
    check_str("cred.thread.libc_sets_all_threads", "7 8 9 g 3 4 5", ask_thread());
    write(go[1], "q", 1);
    pthread_join(th, NULL);
    _exit(test_status());
}

static void part(const char *name, void (*fn)(void *), const void *arg_)
{
    int st = run_child(fn, (void *)arg_);
    if (!WIFEXITED(st))
        fail(name, "the part's process %s", status_str(st));
    else if (WEXITSTATUS(st) != 0)
        child_failed = 1;
}

int main(void)
{
    long before = memfree_start();
    part("cred32.basic", part_basic, &w32);
    part("cred16.basic", part_basic, &w16);
    part("cred16.overflow", part_overflow, NULL);
    part("cred32.groups", part_groups, &w32);
    part("cred16.groups", part_groups, &w16);
    test_rules(&w32);
    test_rules(&w16);
    part("cred.drop", part_drop, NULL);
    part("cred.proc", part_proc, NULL);
    part("cred.thread", part_thread, NULL);
    memfree_check("cred.memfree", before);
    return test_status() || child_failed;
}
