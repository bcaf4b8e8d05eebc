// setpriv [OPTION...] [--] COMMAND [ARG...]: run COMMAND with other user and
// group ids. A subset of util-linux's setpriv, with its option names:
//   --ruid=U  --euid=U  --reuid=U   the real, the effective or both user ids
//   --rgid=G  --egid=G  --regid=G   the same for the group ids
//   --clear-groups                  no supplementary groups
//   --keep-groups                   the supplementary groups as they are
//   --init-groups                   the groups of the new real uid's user in
//                                   /etc/group (and its own group from /etc/passwd)
//   --groups=G,G...                 these supplementary groups
//   -d, --dump                      print this process's ids; run nothing
// U and G are names (/etc/passwd, /etc/group) or numbers. And bunshin's own:
//   --user=NAME                     become NAME as a login would: --reuid=NAME
//                                   --regid=(NAME's group) --init-groups, and
//                                   HOME, USER and LOGNAME set for NAME
//
// As util-linux does: the saved id is set to the new effective id, so the
// command cannot switch back; a gid needs a word on the supplementary groups
// (one of the group options), since root's would silently stay otherwise; an
// option that cannot be applied exits 127 and runs nothing; a COMMAND that
// cannot be run exits 127 if it does not exist, else 126, as a shell does.
#define _GNU_SOURCE   // setresuid, getresuid and the gid ones are GNU extensions
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bunshin.h"

enum { MAX_GROUPS = 64 };

// What to do with the supplementary groups.
enum groups { GROUPS_UNSAID, GROUPS_CLEAR, GROUPS_KEEP, GROUPS_INIT, GROUPS_LIST };

// What the options ask for. have_* says whether an id is to change.
struct privs {
    int have_ruid, have_euid, have_rgid, have_egid;
    uid_t ruid, euid;
    gid_t rgid, egid;
    enum groups groups;
    gid_t list[MAX_GROUPS];
    int nlist;
    const char *login;   // --user's NAME: also set HOME, USER and LOGNAME
};

// A command line that makes no sense: say why and leave with status 1.
static void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "setpriv: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    exit(1);
}

// Leave with util-linux's status for an option that could not be applied.
static void privilege_error(const char *what)
{
    fprintf(stderr, "setpriv: %s failed: %s\n", what, strerror(errno));
    exit(127);
}

// "--groups=4,100,users" into p->list. Exits on a bad entry.
static void parse_groups(struct privs *p, const char *arg)
{
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", arg);
    for (char *save, *g = strtok_r(copy, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
        if (p->nlist == MAX_GROUPS)
            usage_error("too many groups in '%s'", arg);
        if (group_id(g, &p->list[p->nlist++]) < 0)
            usage_error("unknown group '%s'", g);
    }
}

// NAME's ids from /etc/passwd, as a login would set them.
static void parse_login(struct privs *p, const char *name)
{
    struct passwd *pw = getpwnam(name);
    if (!pw)
        usage_error("no user '%s' in /etc/passwd", name);
    p->login = name;
    p->have_ruid = p->have_euid = p->have_rgid = p->have_egid = 1;
    p->ruid = p->euid = pw->pw_uid;
    p->rgid = p->egid = pw->pw_gid;
    p->groups = GROUPS_INIT;
}

static void set_groups_choice(struct privs *p, enum groups choice)
{
    if (p->groups != GROUPS_UNSAID && p->groups != choice)
        usage_error("%s", "only one of --clear-groups, --keep-groups, --init-groups or --groups");
    p->groups = choice;
}

// The groups --init-groups gives: the user's groups in /etc/group, with the
// user's own group (from /etc/passwd) among them, as login does.
static int init_groups(uid_t uid, gid_t *list)
{
    struct passwd *pw = getpwuid(uid);
    if (!pw) {
        fprintf(stderr, "setpriv: uid %u is not in /etc/passwd\n", (unsigned)uid);
        exit(127);
    }
    int n = user_groups(pw->pw_name, pw->pw_gid, list, MAX_GROUPS);
    if (n < 0) {
        fprintf(stderr, "setpriv: %s is in too many groups\n", pw->pw_name);
        exit(127);
    }
    return n;
}

// Hand the command only what it should have, in this order:
//   1. the supplementary groups (setgroups),
//   2. the group ids (setresgid),
//   3. the user ids (setresuid), last.
// Changing groups takes privilege (uid 0 here, CAP_SETGID on Linux), and it
// is the user id that carries the privilege: once the uid is an ordinary
// user's, setgroups and setresgid fail with EPERM. In any other order the
// group calls would fail, or, with their errors ignored, the command would
// keep root's groups while everything looked dropped. The saved ids are set
// too (to the new effective ones): a saved uid of 0 would let the command
// take root back with setresuid(-1, 0, -1).
static void apply(struct privs *p)
{
    if (p->groups == GROUPS_CLEAR && setgroups(0, NULL) < 0)
        privilege_error("setgroups");
    if (p->groups == GROUPS_INIT || p->groups == GROUPS_LIST) {
        gid_t mine[MAX_GROUPS];
        int n = p->groups == GROUPS_INIT ? init_groups(p->ruid, mine) : p->nlist;
        if (setgroups(n, p->groups == GROUPS_INIT ? mine : p->list) < 0)
            privilege_error("setgroups");
    }
    if (p->have_rgid || p->have_egid) {
        gid_t r, e, s;
        if (getresgid(&r, &e, &s) < 0)
            privilege_error("getresgid");
        r = p->have_rgid ? p->rgid : r;
        e = p->have_egid ? p->egid : e;
        if (setresgid(r, e, e) < 0)
            privilege_error("setresgid");
    }
    if (p->have_ruid || p->have_euid) {
        uid_t r, e, s;
        if (getresuid(&r, &e, &s) < 0)
            privilege_error("getresuid");
        r = p->have_ruid ? p->ruid : r;
        e = p->have_euid ? p->euid : e;
        if (setresuid(r, e, e) < 0)
            privilege_error("setresuid");
    }
    if (p->login) {
        struct passwd *pw = getpwnam(p->login);
        setenv("HOME", pw ? pw->pw_dir : "/", 1);
        setenv("USER", p->login, 1);
        setenv("LOGNAME", p->login, 1);
    }
}

// -d: the ids, in util-linux's words (the lines about capabilities left out).
static int dump(void)
{
    uid_t ru, eu, su;
    gid_t rg, eg, sg, list[MAX_GROUPS];
    int n = getgroups(MAX_GROUPS, list);
    if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0 || n < 0) {
        perror("setpriv: reading the ids");
        return 1;
    }
    printf("uid: %u\neuid: %u\ngid: %u\negid: %u\nSupplementary groups:", (unsigned)ru,
           (unsigned)eu, (unsigned)rg, (unsigned)eg);
    if (n == 0)
        printf(" [none]");
    for (int i = 0; i < n; i++)
        printf(" %u", (unsigned)list[i]);
    printf("\n");
    return fflush(stdout) == 0 ? 0 : 1;
}

static void help(void)
{
    printf("usage: setpriv [--ruid|--euid|--reuid=USER] [--rgid|--egid|--regid=GROUP]\n"
           "               [--clear-groups|--keep-groups|--init-groups|--groups=G,G...]\n"
           "               [--] COMMAND [ARG...]\n"
           "       setpriv --user=NAME [--] COMMAND [ARG...]   (bunshin's own)\n"
           "       setpriv -d\n");
}

// The value of "--name=VALUE" or "--name VALUE" (then *i moves on), or NULL
// if argv[*i] is not the option name.
static const char *value_of(const char *name, int argc, char **argv, int *i)
{
    size_t len = strlen(name);
    if (strncmp(argv[*i], name, len) != 0)
        return NULL;
    if (argv[*i][len] == '=')
        return argv[*i] + len + 1;
    if (argv[*i][len] != '\0')
        return NULL;
    if (*i + 1 >= argc)
        usage_error("option '%s' requires an argument", name);
    return argv[++*i];
}

int main(int argc, char **argv)
{
    struct privs p = { 0 };
    int i, want_dump = 0;
    const char *v;
    uid_t uid;
    gid_t gid;
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "-d") == 0 || strcmp(a, "--dump") == 0) {
            want_dump = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            help();
            return 0;
        } else if (strcmp(a, "--clear-groups") == 0) {
            set_groups_choice(&p, GROUPS_CLEAR);
        } else if (strcmp(a, "--keep-groups") == 0) {
            set_groups_choice(&p, GROUPS_KEEP);
        } else if (strcmp(a, "--init-groups") == 0) {
            set_groups_choice(&p, GROUPS_INIT);
        } else if ((v = value_of("--groups", argc, argv, &i))) {
            set_groups_choice(&p, GROUPS_LIST);
            parse_groups(&p, v);
        } else if ((v = value_of("--user", argc, argv, &i))) {
            parse_login(&p, v);
        } else if ((v = value_of("--ruid", argc, argv, &i)) ||
                   (v = value_of("--euid", argc, argv, &i)) ||
                   (v = value_of("--reuid", argc, argv, &i))) {
            if (user_id(v, &uid) < 0)
                usage_error("unknown user '%s'", v);
            if (a[2] != 'e') {
                p.have_ruid = 1;
                p.ruid = uid;
            }
            if (a[2] != 'r' || a[3] == 'e') {
                p.have_euid = 1;
                p.euid = uid;
            }
        } else if ((v = value_of("--rgid", argc, argv, &i)) ||
                   (v = value_of("--egid", argc, argv, &i)) ||
                   (v = value_of("--regid", argc, argv, &i))) {
            if (group_id(v, &gid) < 0)
                usage_error("unknown group '%s'", v);
            if (a[2] != 'e') {
                p.have_rgid = 1;
                p.rgid = gid;
            }
            if (a[2] != 'r' || a[3] == 'e') {
                p.have_egid = 1;
                p.egid = gid;
            }
        } else {
            usage_error("unrecognized option '%s'\nTry 'setpriv --help' for more information.", a);
        }
    }
    if (want_dump)
        return dump();
    if ((p.have_rgid || p.have_egid) && p.groups == GROUPS_UNSAID)
        usage_error("%s", "--[re]gid requires --keep-groups, --clear-groups, "
                          "--init-groups, or --groups");
    if (p.groups == GROUPS_INIT && !p.have_ruid)
        usage_error("%s", "--init-groups requires --ruid or --reuid");
    if (i >= argc)
        usage_error("%s", "No program specified");

    apply(&p);
    execvp(argv[i], argv + i);
    int err = errno;
    fprintf(stderr, "setpriv: failed to execute %s: %s\n", argv[i], strerror(err));
    return err == ENOENT ? 127 : 126;
}
