// t_magiclink.c: /proc/self/fd/N and /dev/fd/N are "magic" links, as on
// Linux: opening one opens again what the descriptor has open, whatever the
// link's text says, so that bash's process substitution <(...), which names
// a pipe /dev/fd/63, works:
//   - a pipe's read end, opened through /proc/self/fd/N, reads what its
//     write end (opened through /dev/fd/M) writes; its text is "pipe:[...]";
//   - a file removed since it was opened still opens, with its bytes;
//   - the new descriptor is a new open file description: its own offset
//     and its own flags (a read-only descriptor opens again for writing);
//   - /dev/fd, /dev/stdin, /dev/stdout and /dev/stderr link to
//     /proc/self/fd(/0, /1, /2);
//   - openat2 with RESOLVE_NO_MAGICLINKS refuses them (ELOOP);
//   - MemFree back where it started.
// The checks run in a child, so that MemFree is measured around it all.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define RESOLVE_NO_MAGICLINKS 0x02

struct open_how_ {
    uint64_t flags, mode, resolve;
};

static void fd_path(char *buf, size_t size, const char *dir, int fd)
{
    snprintf(buf, size, "%s/%d", dir, fd);
}

static void pipes(void)
{
    int p[2];
    if (pipe(p) < 0) {
        fail("magic.pipe", "pipe: errno %d", errno);
        return;
    }
    char path[64], text[64];
    fd_path(path, sizeof path, "/proc/self/fd", p[0]);
    ssize_t n = readlink(path, text, sizeof text - 1);
    text[n > 0 ? n : 0] = 0;
    check(strncmp(text, "pipe:[", 6) == 0, "magic.pipe.text", "readlink says \"%s\"", text);
    int r = open(path, O_RDONLY);
    fd_path(path, sizeof path, "/dev/fd", p[1]);
    int w = open(path, O_WRONLY);
    check(r >= 0 && w >= 0, "magic.pipe.open", "read end %d, write end %d (errno %d)", r, w, errno);
    check_eq("magic.pipe.write", 5, write(w, "hello", 5));
    char buf[16] = { 0 };
    check_eq("magic.pipe.read", 5, read(r, buf, sizeof buf));
    check_str("magic.pipe.bytes", "hello", buf);
    // Both write ends must close for the new read end to see end of file.
    close(w);
    close(p[1]);
    check_eq("magic.pipe.eof", 0, read(r, buf, sizeof buf));
    close(r);
    close(p[0]);
}

static void files(void)
{
    const char *name = "/tmp/t_magiclink.file";
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    check_eq("magic.file.write", 6, write(fd, "abcdef", 6));
    int ro = open(name, O_RDONLY);
    check(ro >= 0, "magic.file.ro", "open: errno %d", errno);
    unlink(name);
    char path[64], buf[16] = { 0 };
    fd_path(path, sizeof path, "/proc/self/fd", fd);
    int again = open(path, O_RDONLY);
    check(again >= 0, "magic.file.deleted_opens", "open %s: errno %d", path, errno);
    check_eq("magic.file.own_offset", 6, read(again, buf, sizeof buf));
    check_str("magic.file.bytes", "abcdef", buf);
    close(again);
    // Opened read-only, opened again for writing: the file's mode decides.
    fd_path(path, sizeof path, "/proc/self/fd", ro);
    int rw = open(path, O_WRONLY | O_APPEND);
    check(rw >= 0, "magic.file.reopen_for_writing", "errno %d", errno);
    check_eq("magic.file.append", 2, write(rw, "gh", 2));
    check_eq("magic.file.size", 8, lseek(fd, 0, SEEK_END));
    close(rw);
    close(ro);
    close(fd);
}

static void dev_links(void)
{
    static const char *const names[][2] = {
        { "/dev/fd", "/proc/self/fd" },
        { "/dev/stdin", "/proc/self/fd/0" },
        { "/dev/stdout", "/proc/self/fd/1" },
        { "/dev/stderr", "/proc/self/fd/2" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char text[64], check_name[64];
        ssize_t n = readlink(names[i][0], text, sizeof text - 1);
        text[n > 0 ? n : 0] = 0;
        snprintf(check_name, sizeof check_name, "magic.dev_link.%s", names[i][0] + 5);
        check_str(check_name, names[i][1], text);
    }
}

static void no_magiclinks(void)
{
    int fd = open("/dev/null", O_RDONLY);
    char path[64];
    fd_path(path, sizeof path, "/proc/self/fd", fd);
    struct open_how_ how = { O_RDONLY, 0, RESOLVE_NO_MAGICLINKS };
    check_errno("magic.openat2_no_magiclinks",
                syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how), ELOOP);
    how.resolve = 0;
    long again = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
    check(again >= 0, "magic.openat2_follows", "errno %d", errno);
    close((int)again);
    close(fd);
}

int main(void)
{
    long before = memfree_start();
    pid_t pid = fork();
    if (pid == 0) {
        pipes();
        files();
        dev_links();
        no_magiclinks();
        _exit(test_status());
    }
    int st = 0;
    waitpid(pid, &st, 0);
    check(WIFEXITED(st), "magic.child", "the child ended with status %#x", st);
    memfree_check("magic.memfree", before);
    return test_status() || !WIFEXITED(st) || WEXITSTATUS(st);
}
