// ps: one line for every process, read from /proc as on Linux:
//     USER       PID  PPID S   RSS   PSS COMMAND
//     root         1     0 S   124    70 init
// USER (the real uid's name, as busybox's ps shows it; the number where
// /etc/passwd has no name), PID, parent's PID and state (R running,
// S sleeping, Z zombie...) from /proc/PID/status; RSS (memory in use, in
// KiB) and PSS (the same, with each page shared by N processes counting
// 1/N) from /proc/PID/smaps_rollup;
// COMMAND from /proc/PID/cmdline where it exists, else the Name in status.
// A number that cannot be read (another user's process on Linux) is "-".
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bunshin.h"

// Read a small /proc file into buf (NUL-terminated); its length or -1.
static long slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t len = 0;
    ssize_t n;
    while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
        len += n;
    close(fd);
    buf[len] = '\0';
    return len;
}

// The text after "FIELD:" (blanks skipped) up to the end of its line.
static int field(const char *text, const char *name, char *out, size_t size)
{
    size_t len = strlen(name);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, name, len) == 0 && p[len] == ':') {
            p += len + 1;
            while (*p == ' ' || *p == '\t')
                p++;
            size_t n = strcspn(p, "\n");
            if (n >= size)
                n = size - 1;
            memcpy(out, p, n);
            out[n] = '\0';
            return 0;
        }
    }
    return -1;
}

static int by_number(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

int main(void)
{
    DIR *d = opendir("/proc");
    if (!d) {
        perror("ps: /proc");
        return 1;
    }
    int *pids = NULL, n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        int *bigger = realloc(pids, (n + 1) * sizeof *pids);
        if (!bigger)
            break;
        pids = bigger;
        pids[n++] = atoi(e->d_name);
    }
    closedir(d);
    qsort(pids, n, sizeof *pids, by_number);

    printf("%-8s %5s %5s %s %5s %5s %s\n", "USER", "PID", "PPID", "S", "RSS", "PSS", "COMMAND");
    static char status[8192], rollup[4096], cmd[4096];
    for (int i = 0; i < n; i++) {
        char path[64], ppid[32] = "-", state[32] = "?", rss[32] = "-", pss[32] = "-",
             name[256] = "?";
        snprintf(path, sizeof path, "/proc/%d/status", pids[i]);
        if (slurp(path, status, sizeof status) < 0)
            continue;   // it has gone meanwhile
        field(status, "PPid", ppid, sizeof ppid);
        field(status, "State", state, sizeof state);
        field(status, "Name", name, sizeof name);
        // "Uid:" holds the real, effective, saved and file-system uids: the
        // real one says whose process it is.
        char uid[64] = "?", user[16];
        field(status, "Uid", uid, sizeof uid);
        uid[strcspn(uid, " \t")] = '\0';
        const char *who = isdigit((unsigned char)uid[0]) ? user_name(atol(uid)) : NULL;
        snprintf(user, sizeof user, "%s", who ? who : uid);
        snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pids[i]);
        if (slurp(path, rollup, sizeof rollup) > 0) {
            if (field(rollup, "Rss", rss, sizeof rss) == 0)
                rss[strcspn(rss, " ")] = '\0';
            if (field(rollup, "Pss", pss, sizeof pss) == 0)
                pss[strcspn(pss, " ")] = '\0';
        }
        // cmdline: the arguments, each ended by a NUL.
        snprintf(path, sizeof path, "/proc/%d/cmdline", pids[i]);
        long len = slurp(path, cmd, sizeof cmd);
        if (len > 0) {
            for (long k = 0; k < len - 1; k++)
                if (cmd[k] == '\0')
                    cmd[k] = ' ';
        } else {
            snprintf(cmd, sizeof cmd, "%s", name);
        }
        printf("%-8.8s %5d %5s %c %5s %5s %s\n", user, pids[i], ppid, state[0], rss, pss, cmd);
    }
    free(pids);
    return fflush(stdout) == 0 ? 0 : 1;
}
