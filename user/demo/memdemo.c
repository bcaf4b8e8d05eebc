// memdemo: pages on demand, and the two kinds of memory fork gives.
//
// An anonymous private mapping of four pages costs nothing when made. Its
// first page is read (the zero page is mapped, read-only), then written (a
// zeroed frame of its own replaces it: copy-on-write with nothing to copy);
// its second page is written at once (a zeroed frame straight away); the
// other two are never touched and never get a frame. Then a private page
// and a MAP_SHARED page are written and the process forks: the child writes
// both. The parent sees the child's store in the shared page, and its own
// old contents in the private one.
// At each step the program prints VmRSS from /proc/self/status.
// docs/memory.md follows it with gdb; on bunshin run it with
// make qemu-nox ARGS='init=/demo/memdemo'. It runs the same on Linux.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static char priv[PAGE] __attribute__((aligned(PAGE)));   // private: the bss

// VmRSS of this process, in kB, from /proc/self/status.
static long rss_kb(void)
{
    char text[4096];
    int fd = open("/proc/self/status", O_RDONLY);
    int n = fd < 0 ? -1 : (int)read(fd, text, sizeof text - 1);
    if (fd >= 0)
        close(fd);
    if (n < 0)
        return -1;
    text[n] = 0;
    char *line = strstr(text, "VmRSS:");
    long kb = -1;
    if (line)
        sscanf(line, "VmRSS: %ld", &kb);
    return kb;
}

int main(void)
{
    char *anon = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (anon == MAP_FAILED || shared == MAP_FAILED) {
        perror("memdemo: mmap");
        return 1;
    }
    dprintf(1, "anon at %p, shared at %p, priv at %p\n", (void *)anon, (void *)shared, (void *)priv);
    dprintf(1, "mapped:          VmRSS %ld kB\n", rss_kb());
    volatile char c = anon[0];                      // read: the zero page
    dprintf(1, "read anon[0]=%d:  VmRSS %ld kB\n", c, rss_kb());
    anon[0] = 'a';                                  // write after read: a frame
    anon[PAGE] = 'b';                               // write first: a frame
    dprintf(1, "wrote 2 pages:   VmRSS %ld kB\n", rss_kb());

    priv[0] = 'p';
    shared[0] = 's';
    pid_t pid = fork();
    if (pid == 0) {
        priv[0] = 'c';                              // copy-on-write: the child's copy
        shared[0] = 'C';                            // shared: the parent sees it
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    dprintf(1, "after the child: priv[0]=%c shared[0]=%c\n", priv[0], shared[0]);
    return 0;
}
