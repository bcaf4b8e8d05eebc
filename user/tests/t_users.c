// t_users: the users of the image and the programs that use them.
//   - /etc/passwd and /etc/group hold root, user (1000:1000, /home/user) and
//     the group users with user as a member; /etc/passwd is 0644;
//   - setpriv gives its command the ids asked for, in id's words, and takes
//     root away for good: the command (this test again, "regain") cannot get
//     uid 0 or gid 0 back, nor change its groups;
//   - setpriv --user sets HOME, USER and LOGNAME; init with BUNSHIN_USER runs
//     its program as that user and leaves the variable out;
//   - ls -l and ps show names where /etc/passwd and /etc/group have them;
//   - on bunshin, init made /home/user, user's own, at boot.
// On the Linux host, musl reads the host's /etc/passwd, not the image's, so
// checks there compare numbers (names stripped) or names found the way the
// programs find them; the checks of the image's names are bunshin's. Changing
// ids needs root: as another user on Linux those checks say skip.
#define _GNU_SOURCE   // getresuid and friends
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define TIMEOUT_MS 10000

static const char *self;   // this test's own path, for "regain"

// Run argv (argv[0] under the root) with envp (NULL: this one): its stdout,
// or NULL (with a FAIL) if it did not exit 0.
static char *run(const char *name, char **argv, char **envp)
{
    static struct captured c;
    captured_free(&c);
    if (run_capture(argv, envp, NULL, NULL, TIMEOUT_MS, &c) < 0) {
        fail(name, "could not run %s", argv[0]);
        return NULL;
    }
    if (c.status != 0) {
        fail(name, "%s %s: %s, stderr \"%s\"", argv[0], argv[1] ? argv[1] : "",
             status_str(c.status), c.err);
        return NULL;
    }
    return c.out;
}

// id's line with every "(name)" taken out: "uid=1000 gid=1000 groups=1000,100\n".
static const char *numbers_only(const char *s)
{
    static char buf[1024];
    size_t n = 0;
    for (int in = 0; *s && n < sizeof buf - 1; s++) {
        if (*s == '(')
            in = 1;
        else if (*s == ')')
            in = 0;
        else if (!in)
            buf[n++] = *s;
    }
    buf[n] = '\0';
    return buf;
}

static char *bin(const char *name)
{
    return (char *)rootpath(tname("/bin/%s", name));
}

// The line of a text file that starts with prefix, without its newline.
static const char *line_of(const char *path, const char *prefix)
{
    static char text[8192], line[512];
    if (read_file(path, text, sizeof text) < 0)
        return "(unreadable)";
    for (char *p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "") {
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
            return line;
        }
    }
    return "(none)";
}

static void test_files(void)
{
    const char *pw = rootpath("/etc/passwd"), *gr = rootpath("/etc/group");
    check_str("users.passwd_root", "root:x:0:0:root:/root:/bin/sh", line_of(pw, "root:"));
    check_str("users.passwd_user", "user:x:1000:1000:user:/home/user:/bin/sh",
              line_of(pw, "user:"));
    check_str("users.group_user", "user:x:1000:", line_of(gr, "user:"));
    check_str("users.group_users", "users:x:100:user", line_of(gr, "users:"));
    struct stat st;
    check(stat(pw, &st) == 0 && (st.st_mode & 07777) == 0644, "users.passwd_mode",
          "expected mode 0644, got %o", stat(pw, &st) == 0 ? st.st_mode & 07777 : 0);
}

// "regain": run as the command of setpriv; every way back to root must fail
// with EPERM, and all three uids and gids must be the ones given.
static int regain(void)
{
    uid_t r, e, s;
    gid_t rg, eg, sg, zero = 0;
    int bad = 0;
    if (getresuid(&r, &e, &s) < 0 || r != 1000 || e != 1000 || s != 1000)
        bad |= 1;
    if (getresgid(&rg, &eg, &sg) < 0 || rg != 1000 || eg != 1000 || sg != 1000)
        bad |= 2;
    if (setuid(0) == 0 || errno != EPERM || setresuid(-1, 0, -1) == 0 || errno != EPERM)
        bad |= 4;
    if (setgid(0) == 0 || errno != EPERM || setresgid(-1, 0, -1) == 0 || errno != EPERM)
        bad |= 8;
    if (setgroups(1, &zero) == 0 || errno != EPERM)
        bad |= 16;
    return bad;
}

static void test_setpriv(void)
{
    char *out = run("users.setpriv_ids",
                    (char *[]){ bin("setpriv"), "--reuid=1000", "--regid=1000",
                                "--groups=1000,100", "--", bin("id"), NULL }, NULL);
    if (out)
        check_str("users.setpriv_ids", "uid=1000 gid=1000 groups=1000,100\n", numbers_only(out));
    out = run("users.setpriv_euid", (char *[]){ bin("setpriv"), "--euid=1000", bin("id"), NULL },
              NULL);
    if (out)
        check_str("users.setpriv_euid", "uid=0 gid=0 euid=1000 groups=0\n", numbers_only(out));

    struct captured c = { 0 };
    char *argv[] = { bin("setpriv"), "--reuid=1000", "--regid=1000", "--clear-groups", "--",
                     (char *)self, "regain", NULL };
    int r = run_capture(argv, NULL, NULL, NULL, TIMEOUT_MS, &c);
    check(r == 0 && c.status == 0, "users.setpriv_for_good",
          "expected exit 0, got %s (1: uids, 2: gids not all 1000; 4: uid 0, 8: gid 0, "
          "16: groups taken back), stderr \"%s\"", status_str(c.status), c.err ? c.err : "");
    captured_free(&c);

    // Not root any more, setpriv cannot change ids: 127, as util-linux's.
    char *again[] = { bin("setpriv"), "--reuid=1000", "--regid=1000", "--clear-groups", "--",
                      bin("setpriv"), "--reuid=0", bin("true"), NULL };
    r = run_capture(again, NULL, NULL, NULL, TIMEOUT_MS, &c);
    check(r == 0 && c.status != -1 && WIFEXITED(c.status) && WEXITSTATUS(c.status) == 127 &&
              strstr(c.err, "setresuid failed: Operation not permitted"),
          "users.setpriv_refused", "expected exit 127 and EPERM, got %s, stderr \"%s\"",
          status_str(c.status), c.err ? c.err : "");
    captured_free(&c);

    // --user: nobody is 65534 here and on Debian's Linux alike.
    out = run("users.setpriv_user_env",
              (char *[]){ bin("setpriv"), "--user=nobody", bin("env"), NULL },
              (char *[]){ "PATH=/bin", NULL });
    if (out)
        check(strstr(out, "\nUSER=nobody\n") && strstr(out, "\nLOGNAME=nobody\n") &&
                  strstr(out, "HOME=/"), "users.setpriv_user_env",
              "expected HOME, USER=nobody, LOGNAME=nobody, got \"%s\"", out);
    out = run("users.init_as_user", (char *[]){ bin("init"), bin("id"), "-u", NULL },
              (char *[]){ "BUNSHIN_USER=nobody", NULL });
    if (out)
        check_str("users.init_as_user", "65534\n", out);
    out = run("users.init_drops_variable", (char *[]){ bin("init"), bin("env"), NULL },
              (char *[]){ "BUNSHIN_USER=nobody", NULL });
    if (out)
        check(!strstr(out, "BUNSHIN_USER"), "users.init_drops_variable",
              "the program's environment: \"%s\"", out);
}

// Names in bunshin's image: only bunshin's programs read it.
static void test_names(void)
{
    char *out = run("users.setpriv_user",
                    (char *[]){ bin("setpriv"), "--user=user", "--", bin("id"), NULL }, NULL);
    if (out)
        check_str("users.setpriv_user",
                  "uid=1000(user) gid=1000(user) groups=1000(user),100(users)\n", out);
    out = run("users.setpriv_user_home",
              (char *[]){ bin("setpriv"), "--user=user", bin("sh"), "-c", "echo $HOME", NULL },
              NULL);
    if (out)
        check_str("users.setpriv_user_home", "/home/user\n", out);
    out = run("users.id_of_user", (char *[]){ bin("id"), "user", NULL }, NULL);
    if (out)
        check_str("users.id_of_user",
                  "uid=1000(user) gid=1000(user) groups=1000(user),100(users)\n", out);
    out = run("users.id_Gn", (char *[]){ bin("id"), "-Gn", "user", NULL }, NULL);
    if (out)
        check_str("users.id_Gn", "user users\n", out);
    struct stat st;
    int got = stat("/home/user", &st);
    check(got == 0 && S_ISDIR(st.st_mode) && st.st_uid == 1000 && st.st_gid == 1000 &&
              (st.st_mode & 07777) == 0755, "users.home_made_by_init",
          "expected a directory of 1000:1000, mode 0755; got %s, %u:%u, mode %o",
          got == 0 ? "one" : errname(errno), (unsigned)st.st_uid, (unsigned)st.st_gid,
          got == 0 ? st.st_mode & 07777 : 0);
}

// ls -l shows the owner's and group's names (the ones /etc/passwd and
// /etc/group give where ls runs) and numbers where they have none.
static void test_ls_ps(void)
{
    // /etc/passwd, whoever owns it here (root on bunshin).
    struct stat st;
    char *passwd = (char *)rootpath("/etc/passwd");
    if (stat(passwd, &st) == 0) {
        const char *u = user_name(st.st_uid), *gr = group_name(st.st_gid);
        char want[512];
        snprintf(want, sizeof want, " 1 %s %s ", u ? u : tname("%u", (unsigned)st.st_uid),
                 gr ? gr : tname("%u", (unsigned)st.st_gid));
        char *out = run("users.ls_owner", (char *[]){ bin("ls"), "-l", passwd, NULL }, NULL);
        if (out)
            check(strstr(out, want) != NULL, "users.ls_owner", "expected \"%s\" in \"%s\"",
                  want, out);
    }

    char f[4096], g[4096];   // copies: scratch_path's buffers rotate
    snprintf(f, sizeof f, "%s", scratch_path("t_users.owned"));
    snprintf(g, sizeof g, "%s", scratch_path("t_users.unknown"));
    close(open(f, O_CREAT | O_WRONLY, 0644));
    close(open(g, O_CREAT | O_WRONLY, 0644));
    if (chown(f, 1000, 100) < 0 || chown(g, 43210, 43210) < 0) {
        fail("users.ls_names", "chown: %s", errname(errno));
    } else {
        const char *u = user_name(1000), *gr = group_name(100);
        const char *u2 = user_name(43210), *g2 = group_name(43210);
        char want[512];
        snprintf(want, sizeof want, " 1 %s %s 0 ", u ? u : "1000", gr ? gr : "100");
        char *out = run("users.ls_names", (char *[]){ bin("ls"), "-l", f, NULL }, NULL);
        if (out)
            check(strstr(out, want) != NULL, "users.ls_names", "expected \"%s\" in \"%s\"",
                  want, out);
        snprintf(want, sizeof want, " 1 %s %s 0 ", u2 ? u2 : "43210", g2 ? g2 : "43210");
        out = run("users.ls_numbers", (char *[]){ bin("ls"), "-l", g, NULL }, NULL);
        if (out)
            check(strstr(out, want) != NULL, "users.ls_numbers", "expected \"%s\" in \"%s\"",
                  want, out);
        if (on_bunshin())
            check(u && gr && strcmp(u, "user") == 0 && strcmp(gr, "users") == 0,
                  "users.ls_image_names", "1000 and 100 are %s and %s", u ? u : "?",
                  gr ? gr : "?");
    }
    unlink(f);
    unlink(g);

    // ps run as 1000 shows its own line with that user.
    char *out = run("users.ps_user", (char *[]){ bin("setpriv"), "--reuid=1000", bin("ps"), NULL },
                    NULL);
    if (out) {
        const char *u = user_name(1000);
        char want[256];
        snprintf(want, sizeof want, "%-8.8s ", u ? u : "1000");
        // ps shows the command line where /proc has one (Linux), else the
        // program's name (bunshin, which has no /proc/PID/cmdline yet).
        const char *line = strstr(out, bin("ps"));
        if (!line)
            line = strstr(out, " ps\n");
        while (line && line > out && line[-1] != '\n')
            line--;
        check(line && strncmp(line, want, strlen(want)) == 0, "users.ps_user",
              "expected ps's own line to start with \"%s\": \"%s\"", want, out);
    }
}

int main(int argc, char **argv)
{
    self = argv[0];
    if (argc > 1 && strcmp(argv[1], "regain") == 0)
        return regain();
    test_files();
    if (!on_bunshin() && geteuid() != 0) {
        skip("users.setpriv", "changing ids takes root on Linux");
        return test_status();
    }
    test_setpriv();
    test_ls_ps();
    if (on_bunshin())
        test_names();
    else
        skip("users.image_names", "musl reads the host's /etc/passwd on Linux");
    return test_status();
}
