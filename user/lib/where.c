// where.c: which system the program runs on, and where its files are.
// The same binary runs on bunshin and on the Linux host; these helpers
// hide the two differences that matter: the root prefix and /tmp.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bunshin.h"

int on_bunshin(void)
{
    static int cached = -1;
    if (cached < 0) {
        struct utsname u;
        cached = uname(&u) == 0 && strcmp(u.sysname, "bunshin") == 0;
    }
    return cached;
}

const char *fork_mode(void)
{
    static char line[512];
    if (!on_bunshin() || read_file("/proc/cmdline", line, sizeof line) < 0)
        return "";
    if (strstr(line, "fork=odf"))
        return "odf";
    if (strstr(line, "fork=copy"))
        return "copy";
    return "cow";
}

const char *test_root(void)
{
    const char *r = getenv("TEST_ROOT");
    return r ? r : "";
}

static char *path_buffer(void)
{
    static char bufs[8][4096];
    static int next;
    return bufs[next++ % 8];
}

const char *rootpath(const char *abs_path)
{
    char *buf = path_buffer();
    snprintf(buf, 4096, "%s%s", test_root(), abs_path);
    return buf;
}

const char *scratch_dir(void)
{
    const char *t = getenv("TMPDIR");
    struct stat st;
    if (t && *t)
        return t;
    if (stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode))
        return "/tmp";
    return ".";
}

const char *scratch_path(const char *name)
{
    char *buf = path_buffer();
    snprintf(buf, 4096, "%s/%s", scratch_dir(), name);
    return buf;
}

long read_file(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t len = 0;
    while (len + 1 < size) {
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n < 0) {
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        len += n;
    }
    buf[len] = '\0';
    close(fd);
    return len;
}

long meminfo_free_kb(void)
{
    char buf[4096];
    if (read_file("/proc/meminfo", buf, sizeof buf) < 0)
        return -1;
    // Lines look like "MemFree:          123456 kB".
    char *p = buf;
    while (strncmp(p, "MemFree:", 8) != 0) {
        p = strchr(p, '\n');
        if (!p)
            return -1;
        p++;
    }
    char *end;
    long kb = strtol(p + 8, &end, 10);
    return end == p + 8 ? -1 : kb;
}
