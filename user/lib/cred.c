// cred.c: taking the ids of an ordinary user in a child (see bunshin.h).
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bunshin.h"

static char why[200];

const char *cred_error(void)
{
    return why;
}

int become_ids(uid_t ruid, uid_t euid, uid_t suid, gid_t rgid, gid_t egid, gid_t sgid,
               int ngroups, const gid_t *groups)
{
    why[0] = '\0';
    if (setgroups(ngroups, groups) < 0) {
        snprintf(why, sizeof why, "setgroups(%d): %s", ngroups, errname(errno));
        return -1;
    }
    if (setresgid(rgid, egid, sgid) < 0) {
        snprintf(why, sizeof why, "setresgid: %s", errname(errno));
        return -1;
    }
    if (setresuid(ruid, euid, suid) < 0) {
        snprintf(why, sizeof why, "setresuid: %s", errname(errno));
        return -1;
    }
    uid_t r, e, s;
    gid_t gr, ge, gs;
    if (getresuid(&r, &e, &s) < 0 || getresgid(&gr, &ge, &gs) < 0) {
        snprintf(why, sizeof why, "getresuid/getresgid: %s", errname(errno));
        return -1;
    }
    if (r != ruid || e != euid || s != suid || gr != rgid || ge != egid || gs != sgid) {
        snprintf(why, sizeof why, "asked for uids %u/%u/%u gids %u/%u/%u, have %u/%u/%u %u/%u/%u",
                 ruid, euid, suid, rgid, egid, sgid, r, e, s, gr, ge, gs);
        return -1;
    }
    gid_t have[64];
    int n = getgroups(64, have);
    int same = n == ngroups;
    for (int i = 0; same && i < n; i++) {
        int found = 0;
        for (int j = 0; j < ngroups; j++)
            found |= have[i] == groups[j];
        same = found;
    }
    if (!same) {
        snprintf(why, sizeof why, "asked for %d supplementary groups, getgroups gives %d", ngroups, n);
        return -1;
    }
    return 0;
}

int become(uid_t uid, gid_t gid)
{
    return become_ids(uid, uid, uid, gid, gid, gid, 0, NULL);
}

long proc_status_id(const char *field, int index)
{
    char buf[4096];
    if (read_file("/proc/self/status", buf, sizeof buf) < 0)
        return -1;
    size_t len = strlen(field);
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, field, len) != 0 || line[len] != ':')
            continue;
        char *p = line + len + 1, *end;
        for (int i = 0; i <= index; i++) {
            long v = strtol(p, &end, 10);
            if (end == p)
                return -1;
            if (i == index)
                return v;
            p = end;
        }
    }
    return -1;
}
