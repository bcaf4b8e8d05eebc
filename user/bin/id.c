// id [-u | -g | -G] [-n] [-r] [USER]: user and group ids, as coreutils' id
// prints them:
//     uid=1000(user) gid=1000(user) groups=1000(user),100(users)
// with " euid=N(name)" and " egid=N(name)" after gid= when the effective ids
// differ from the real ones (a set-user-id program, or setpriv --euid), and
// a number alone where /etc/passwd or /etc/group has no name for it.
//   -u, -g   only the effective user or group id (with -r: the real one)
//   -G       every group: the effective gid first, then the supplementary ones
//   -n       names instead of numbers (with -u, -g or -G)
// With USER (a name or a number): that user's ids and groups as
// /etc/passwd and /etc/group give them, not this process's.
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bunshin.h"

enum { MAX_GROUPS = 64 };

static int status;

// The groups to show: the primary group first, then each other one once (as
// coreutils does, so that groups= always starts with the gid).
static int group_list(const char *user, gid_t primary, gid_t *out)
{
    gid_t got[MAX_GROUPS];
    int n = MAX_GROUPS;
    if (user) {
        if ((n = user_groups(user, primary, got, MAX_GROUPS)) < 0)
            n = MAX_GROUPS;   // too many: show the first ones
    } else if ((n = getgroups(MAX_GROUPS, got)) < 0) {
        fprintf(stderr, "id: cannot get groups: %s\n", strerror(errno));
        status = 1;
        n = 0;
    }
    int count = 0;
    out[count++] = primary;
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int k = 0; k < count; k++)
            seen |= out[k] == got[i];
        if (!seen)
            out[count++] = got[i];
    }
    return count;
}

// "PREFIXN(name)", or "PREFIXN" for an id without a name.
static void show(const char *prefix, unsigned id, const char *name)
{
    printf("%s%u", prefix, id);
    if (name)
        printf("(%s)", name);
}

// One id alone (-u, -g, -G): the number, or with -n its name (the number,
// and a complaint, if it has none).
static void show_one(unsigned id, const char *name, int names, const char *kind)
{
    if (!names) {
        printf("%u", id);
    } else if (name) {
        printf("%s", name);
    } else {
        fprintf(stderr, "id: cannot find name for %s ID %u\n", kind, id);
        printf("%u", id);
        status = 1;
    }
}

int main(int argc, char **argv)
{
    int only = 0, names = 0, real = 0, i;
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (const char *f = argv[i] + 1; *f; f++) {
            if (*f == 'u' || *f == 'g' || *f == 'G') {
                if (only && only != *f) {
                    fprintf(stderr, "id: cannot print \"only\" of more than one choice\n");
                    return 1;
                }
                only = *f;
            } else if (*f == 'n') {
                names = 1;
            } else if (*f == 'r') {
                real = 1;
            } else {
                fprintf(stderr, "id: invalid option -- '%c'\n"
                                "usage: id [-u|-g|-G] [-n] [-r] [USER]\n", *f);
                return 1;
            }
        }
    }
    if ((names || real) && !only) {
        fprintf(stderr, "id: cannot print only names or real IDs in default format\n");
        return 1;
    }
    if (argc - i > 1) {
        fprintf(stderr, "id: extra operand '%s'\n", argv[i + 1]);
        return 1;
    }

    // This process's ids, or USER's from /etc/passwd.
    uid_t ruid = getuid(), euid = geteuid();
    gid_t rgid = getgid(), egid = getegid();
    const char *user = NULL;
    if (i < argc) {
        uid_t uid;
        struct passwd *pw = getpwnam(argv[i]);
        if (!pw && user_id(argv[i], &uid) == 0)
            pw = getpwuid(uid);
        if (!pw) {
            fprintf(stderr, "id: '%s': no such user\n", argv[i]);
            return 1;
        }
        ruid = euid = pw->pw_uid;
        rgid = egid = pw->pw_gid;
        user = pw->pw_name;
    }
    gid_t groups[MAX_GROUPS + 1];
    int n = group_list(user, egid, groups);

    if (only == 'u') {
        uid_t u = real ? ruid : euid;
        show_one(u, user_name(u), names, "user");
    } else if (only == 'g') {
        gid_t g = real ? rgid : egid;
        show_one(g, group_name(g), names, "group");
    } else if (only == 'G') {
        for (int k = 0; k < n; k++) {
            if (k)
                putchar(' ');
            show_one(groups[k], group_name(groups[k]), names, "group");
        }
    } else {
        show("uid=", ruid, user_name(ruid));
        show(" gid=", rgid, group_name(rgid));
        if (euid != ruid)
            show(" euid=", euid, user_name(euid));
        if (egid != rgid)
            show(" egid=", egid, group_name(egid));
        printf(" groups=");
        for (int k = 0; k < n; k++)
            show(k ? "," : "", groups[k], group_name(groups[k]));
    }
    putchar('\n');
    if (fflush(stdout) != 0)
        status = 1;
    return status;
}
