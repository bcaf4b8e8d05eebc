// cowdemo: 1 MiB of private pages, shared copy-on-write by fork; the child
// writes every page (each first write copies a page: the kernel's write for
// read() into the last page, the child's own stores for the others), then,
// once the child is gone, the parent writes the first page (no copy: it is
// the last user).
// At each step both processes print their CowFaults, VmRSS, Rss and Pss from
// /proc/self. docs/fork.md follows it with gdb; on bunshin run it with
// make qemu-nox ARGS='init=/demo/cowdemo'. On Linux (build/user/demo/cowdemo)
// the CowFaults lines are missing: that counter is bunshin's own.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define NPAGES 256
static char buf[NPAGES * PAGE] __attribute__((aligned(PAGE)));

// Print the lines of /proc/self/FILE that start with one of the fields.
static void show(const char *who, const char *file, const char *f1, const char *f2)
{
    char path[64], text[4096];
    snprintf(path, sizeof path, "/proc/self/%s", file);
    int fd = open(path, O_RDONLY);
    int n = fd < 0 ? -1 : (int)read(fd, text, sizeof text - 1);
    if (fd >= 0)
        close(fd);
    if (n < 0)
        return;
    text[n] = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        if (!strncmp(line, f1, strlen(f1)) || (f2 && !strncmp(line, f2, strlen(f2))))
            dprintf(1, "%-8s %-13s %s\n", who, file, line);
}

static void report(const char *who)
{
    show(who, "status", "CowFaults:", "VmRSS:");
    show(who, "smaps_rollup", "Rss:", "Pss:");
}

int main(void)
{
    int down[2], up[2];
    char c;
    memset(buf, 'p', sizeof buf);                 // every page private and mapped
    dprintf(1, "buf at %p, %d pages; pid %d\n", (void *)buf, NPAGES, getpid());
    report("parent");
    pipe(down);
    pipe(up);
    pid_t pid = fork();
    if (pid == 0) {
        // Wait for the parent's report. The byte goes into the last page of
        // buf: read() itself, in the kernel, makes that page's copy.
        read(down[0], &buf[NPAGES * PAGE - 1], 1);
        for (int i = 0; i < NPAGES; i++)
            buf[i * PAGE] = 'c';                  // 255 more copies, one per page
        report("child");
        write(up[1], "w", 1);
        read(down[0], &c, 1);
        _exit(0);
    }
    dprintf(1, "fork returned %d\n", pid);
    report("parent");                             // every page of buf shared by two
    write(down[1], "g", 1);
    read(up[0], &c, 1);
    report("parent");                             // the child has its own copies now
    write(down[1], "x", 1);
    waitpid(pid, NULL, 0);
    buf[0] = 'P';                                 // the last user: no copy
    report("parent");
    dprintf(1, "parent sees buf[0]=%c buf[%d]=%c\n", buf[0], PAGE, buf[PAGE]);
    return 0;
}
