// t_setid_exec: execve of set-user-ID and set-group-ID programs.
//
// The program run is a copy of this test itself, which with the argument
// "report FD" writes one line to FD: its uids and gids (getresuid,
// getresgid), its fs ids (/proc/self/status) and what the kernel put in its
// auxiliary vector (AT_UID, AT_EUID, AT_GID, AT_EGID, AT_SECURE). The copy
// lives in a scratch directory on a file system without nosuid; the test's
// root process gives it an owner and a mode, and a child that took an
// ordinary user's ids (uid 1000, gid 1000) runs it:
//
//   - S_ISUID (04755, owner 1001): the effective and saved uids become the
//     file's owner, the real uid stays; AT_SECURE is 1;
//   - S_ISGID (02755, group 1001): the same for the gids; 06755 both;
//   - without the bits (0755) nothing changes and AT_SECURE is 0; a
//     set-user-ID program of the runner's own uid changes nothing either;
//   - a set-user-ID-root program run by uid 1000 gives euid 0 (AT_SECURE 1),
//     run by root keeps AT_SECURE 0 (nothing changed); root running one of
//     uid 1001 becomes euid 1001;
//   - every execve copies the effective ids into the saved ones;
//   - after prctl(PR_SET_NO_NEW_PRIVS) the bits are ignored;
//   - the fs ids are the effective ones, in every case.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

static int child_failed;
static char prog[4096];   // the copy's path

// The helper: one line with every id to the descriptor it was given.
static int report(const char *fdarg)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    char line[300];
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    int n = snprintf(line, sizeof line,
                     "uid %u %u %u gid %u %u %u fs %ld %ld aux %lu %lu %lu %lu secure %lu",
                     r, e, s, gr, ge, gs, proc_status_id("Uid", 3), proc_status_id("Gid", 3),
                     getauxval(AT_UID), getauxval(AT_EUID), getauxval(AT_GID),
                     getauxval(AT_EGID), getauxval(AT_SECURE));
    write(atoi(fdarg), line, n);
    return 0;
}

// The line a process with these ids should write.
static const char *expect(uid_t r, uid_t e, uid_t s, gid_t gr, gid_t ge, gid_t gs, int secure)
{
    static char line[300];
    snprintf(line, sizeof line,
             "uid %u %u %u gid %u %u %u fs %u %u aux %u %u %u %u secure %d", r, e, s, gr, ge,
             gs, e, ge, r, e, gr, ge, secure);
    return line;
}

// Give the copy this owner and mode (chmod after chown: chown clears the
// bits), as root.
static int setup(const char *name, uid_t uid, gid_t gid, mode_t mode)
{
    if (chown(prog, uid, gid) < 0 || chmod(prog, mode) < 0) {
        fail(name, "chown/chmod of %s: %s", prog, errname(errno));
        return -1;
    }
    return 0;
}

// A child with these ids (as in become_ids; nnp: PR_SET_NO_NEW_PRIVS
// first) runs the copy; its line, compared with want.
static void run_case(const char *name, const uid_t u[3], const gid_t g[3], int nnp,
                     const char *want)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    pid_t pid = xfork();
    if (pid == 0) {
        close(p[0]);
        if (become_ids(u[0], u[1], u[2], g[0], g[1], g[2], 0, NULL) < 0) {
            fail(name, "could not take the ids: %s", cred_error());
            _exit(1);
        }
        if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
            fail(name, "prctl(PR_SET_NO_NEW_PRIVS): %s", errname(errno));
            _exit(1);
        }
        char fd[16];
        snprintf(fd, sizeof fd, "%d", p[1]);
        char *argv[] = { prog, "report", fd, NULL };
        execve(prog, argv, NULL);
        fail(name, "execve %s: %s", prog, errname(errno));
        _exit(1);
    }
    close(p[1]);
    char line[300] = "";
    ssize_t n = read_full(p[0], line, sizeof line - 1);
    line[n > 0 ? n : 0] = '\0';
    close(p[0]);
    int st = wait_for(pid);
    if (!exited_with(st, 0)) {
        child_failed = 1;
        if (!WIFEXITED(st))
            fail(name, "the child %s", status_str(st));
        return;
    }
    check_str(name, want, line);
}

static const uid_t U1000[3] = { 1000, 1000, 1000 }, ROOT[3] = { 0, 0, 0 };
static const gid_t G1000[3] = { 1000, 1000, 1000 };

static void part_cases(void)
{
    char plain[300];   // (expect's buffer is reused by the next call)
    snprintf(plain, sizeof plain, "%s", expect(1000, 1000, 1000, 1000, 1000, 1000, 0));
    if (setup("setid.plain", 1001, 1001, 0755) == 0)
        run_case("setid.plain_no_change", U1000, G1000, 0, plain);
    if (setup("setid.setuid", 1001, 1001, 04755) == 0)
        run_case("setid.setuid", U1000, G1000, 0, expect(1000, 1001, 1001, 1000, 1000, 1000, 1));
    if (setup("setid.setgid", 1001, 1001, 02755) == 0)
        run_case("setid.setgid", U1000, G1000, 0, expect(1000, 1000, 1000, 1000, 1001, 1001, 1));
    if (setup("setid.both", 1001, 1001, 06755) == 0) {
        run_case("setid.setuid_setgid", U1000, G1000, 0,
                 expect(1000, 1001, 1001, 1000, 1001, 1001, 1));
        // No new privileges: the bits do nothing.
        run_case("setid.no_new_privs", U1000, G1000, 1, plain);
        // Root running a program of uid 1001 becomes it, but for the real uid.
        run_case("setid.root_runs_setuid_user", ROOT, G1000, 0,
                 expect(0, 1001, 1001, 1000, 1001, 1001, 1));
    }
    if (setup("setid.own", 1000, 1000, 06755) == 0)
        run_case("setid.own_ids_no_change", U1000, G1000, 0, plain);
    if (setup("setid.root_prog", 0, 0, 04755) == 0) {
        run_case("setid.setuid_root", U1000, G1000, 0,
                 expect(1000, 0, 0, 1000, 1000, 1000, 1));
        run_case("setid.root_runs_setuid_root", ROOT, ROOT, 0, expect(0, 0, 0, 0, 0, 0, 0));
    }
    // A plain program: the saved ids become the effective ones.
    if (setup("setid.saved", 1001, 1001, 0755) == 0) {
        const uid_t u[3] = { 1000, 1001, 1002 };
        const gid_t g[3] = { 1000, 1001, 1002 };
        run_case("setid.exec_sets_saved", u, g, 0, expect(1000, 1001, 1001, 1000, 1001, 1001, 1));
    }
}

// --- where to put the copy ----------------------------------------------------------

// A directory on a file system that honours set-id bits: the scratch
// directory, else /tmp, else the test's root. (statvfs may not exist: then
// the scratch directory.)
static const char *pick_dir(void)
{
    const char *cand[] = { scratch_dir(), "/tmp", rootpath("/tests") };
    for (int i = 0; i < 3; i++) {
        struct statvfs sv;
        if (statvfs(cand[i], &sv) < 0)
            return i == 0 ? cand[0] : NULL;
        if (!(sv.f_flag & ST_NOSUID) && !(sv.f_flag & ST_RDONLY))
            return cand[i];
    }
    return NULL;
}

static int copy_self(void)
{
    static char buf[65536];
    int in = open(rootpath("/tests/t_setid_exec"), O_RDONLY);
    int out = open(prog, O_WRONLY | O_CREAT | O_TRUNC, 0700);
    if (in < 0 || out < 0)
        return -1;
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write_full(out, buf, n) != n)
            return -1;
    close(in);
    return close(out) == 0 && n == 0 ? 0 : -1;
}

// Run fn in a child (run_part); remember whether any part failed.
static void part(const char *name, void (*fn)(void))
{
    if (!run_part(name, fn))
        child_failed = 1;
}

static void part_copy(void)
{
    check(copy_self() == 0, "setid.copy", "copy of %s to %s: %s",
          rootpath("/tests/t_setid_exec"), prog, errname(errno));
}

static void part_remove(void)
{
    unlink(prog);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "report") == 0)
        return report(argv[2]);
    long before = memfree_start();
    const char *dir = pick_dir();
    if (!dir) {
        skip("setid", "no directory here on a file system without nosuid");
        return 0;
    }
    snprintf(prog, sizeof prog, "%s/setid-%d", dir, (int)getpid());
    part("setid.copy", part_copy);
    part("setid.cases", part_cases);
    part("setid.remove", part_remove);
    memfree_check("setid.memfree", before);
    return test_status() || child_failed;
}
