// users.c: user and group names, and the ids behind them.
//
// musl's getpwuid, getpwnam, getgrgid and getgrnam read /etc/passwd and
// /etc/group themselves (a static binary needs nothing else), so these are
// thin wrappers: a name given as a number is a number, and a name is
// remembered, because ls -l asks for the same few owners once per file and
// musl reads the whole file for every question.
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bunshin.h"

// A few answers remembered, known names and unknown ids alike.
struct known {
    unsigned id;
    int found;
    char name[64];
};
enum { REMEMBERED = 8 };

// The name for id in cache (looking it up with lookup on a miss), or NULL.
static const char *cached_name(struct known *cache, int *next, unsigned id,
                               const char *(*lookup)(unsigned))
{
    for (int i = 0; i < REMEMBERED && i < *next; i++)
        if (cache[i].id == id)
            return cache[i].found ? cache[i].name : NULL;
    struct known *k = &cache[*next % REMEMBERED];
    (*next)++;
    const char *name = lookup(id);
    k->id = id;
    k->found = name != NULL;
    snprintf(k->name, sizeof k->name, "%s", name ? name : "");
    return name ? k->name : NULL;
}

static const char *lookup_user(unsigned id)
{
    struct passwd *pw = getpwuid(id);
    return pw ? pw->pw_name : NULL;
}

static const char *lookup_group(unsigned id)
{
    struct group *gr = getgrgid(id);
    return gr ? gr->gr_name : NULL;
}

const char *user_name(uid_t uid)
{
    static struct known cache[REMEMBERED];
    static int next;
    return cached_name(cache, &next, uid, lookup_user);
}

const char *group_name(gid_t gid)
{
    static struct known cache[REMEMBERED];
    static int next;
    return cached_name(cache, &next, gid, lookup_group);
}

// s as a decimal id: 0 and *id set, or -1 if it is not all digits or is
// out of range (-1, the "no change" id of setresuid, is never a user).
static int parse_id(const char *s, unsigned *id)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v >= 0xffffffffULL)
        return -1;
    *id = v;
    return 0;
}

// A name is looked up first and a number taken as it is after, as
// coreutils' chown and util-linux's setpriv do.
int user_id(const char *s, uid_t *uid)
{
    struct passwd *pw = getpwnam(s);
    if (pw) {
        *uid = pw->pw_uid;
        return 0;
    }
    return parse_id(s, uid);
}

int group_id(const char *s, gid_t *gid)
{
    struct group *gr = getgrnam(s);
    if (gr) {
        *gid = gr->gr_gid;
        return 0;
    }
    return parse_id(s, gid);
}

// Reads /etc/group with getgrent rather than calling musl's getgrouplist,
// which asks nscd first through a socket and fails outright where the
// socket call is not answered "no such address family".
int user_groups(const char *name, gid_t primary, gid_t *list, int max)
{
    int n = 0;
    if (max > 0)
        list[n++] = primary;
    struct group *gr;
    setgrent();
    while ((gr = getgrent()) != NULL) {
        int member = 0, seen = 0;
        for (char **m = gr->gr_mem; m && *m; m++)
            member |= strcmp(*m, name) == 0;
        for (int i = 0; i < n; i++)
            seen |= list[i] == gr->gr_gid;
        if (!member || seen)
            continue;
        if (n == max) {
            n = -1;
            break;
        }
        list[n++] = gr->gr_gid;
    }
    endgrent();
    return n;
}
