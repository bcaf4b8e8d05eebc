// t_proc_link: a hard link to a /proc file outlives neither the kernel nor
// the file's process.
//
// A child links its /proc/self/status (and maps) into the scratch
// directory and exits. Linux refuses the link (EXDEV: /proc is another
// file system). bunshin may make it; then the name must stay usable after
// the process is reaped: lstat works, reading it fails cleanly or gives
// text, unlink removes it, and every frame comes back. Until issue 9,
// reaping the process freed the file under the name, and the next lookup
// of the name freed it again: a kernel panic (found by the fuzzer,
// t_fuzz).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bunshin.h"

static const char *files[] = { "status", "maps" };
#define NFILES 2

// The names in the scratch directory, made by main before the fork.
static char paths[NFILES][512];

static const char *link_path(int i)
{
    return paths[i];
}

// In the child: link each file, and report each link's errno (0: made).
static void make_links(void *arg)
{
    int *report = arg;
    for (int i = 0; i < NFILES; i++) {
        int r = link(tname("/proc/self/%s", files[i]), link_path(i));
        int err = r == 0 ? 0 : errno;
        write_full(report[1], &err, sizeof err);
    }
    _exit(0);
}

int main(void)
{
    for (int i = 0; i < NFILES; i++) {
        snprintf(paths[i], sizeof paths[i], "%s",
                 scratch_path(tname("proc_link.%d.%s", (int)getpid(), files[i])));
        unlink(link_path(i));
    }
    long before = memfree_start();
    int p[2];
    if (pipe(p) < 0) {
        fail("proc_link.pipe", "%s", errname(errno));
        return test_status();
    }
    int st = run_child(make_links, p);
    close(p[1]);
    for (int i = 0; i < NFILES; i++) {
        const char *name = tname("proc_link.%s", files[i]);
        int err = -1;
        if (read_full(p[0], &err, sizeof err) != sizeof err || st != 0) {
            fail(name, "the child %s and reported nothing", status_str(st));
            continue;
        }
        if (!on_bunshin() || err != 0) {
            check(err == EXDEV, name, "link(/proc/self/%s, scratch): %s, EXDEV expected",
                  files[i], err ? errname(err) : "made");
            continue;
        }
        // bunshin made the link: the process is gone now, the name is not.
        struct stat sb;
        int ls = lstat(link_path(i), &sb);
        int lerr = errno;
        char buf[256];
        long n = read_file(link_path(i), buf, sizeof buf);
        int rerr = errno;
        int un = unlink(link_path(i));
        check(ls == 0 && S_ISREG(sb.st_mode) && un == 0, name,
              "after the process was reaped: lstat %s, read %s, unlink %s",
              ls == 0 ? "ok" : errname(lerr), n >= 0 ? "gave text" : errname(rerr),
              un == 0 ? "ok" : errname(errno));
    }
    close(p[0]);
    memfree_check("proc_link.memfree_restored", before);
    return test_status();
}
