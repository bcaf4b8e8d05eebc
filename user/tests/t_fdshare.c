// t_fdshare: one open file description, shared by dup and by fork.
//
//   - two open()s of one file are two descriptions: each has its offset, so
//     their writes overwrite each other; a dup'd fd shares its original's
//     offset, so writes through the two follow each other;
//   - after fork, parent and child share the description: what the child
//     reads or writes moves the parent's offset;
//   - a parent and a child writing records at once through one description
//     (no O_APPEND) never overwrite each other: the file holds every record
//     of both, whole, and its size is the sum;
//   - O_APPEND: 4 processes, each with its own open() of one file, write 300
//     records each at once; none is lost or torn; a write after lseek(0)
//     still lands at the end; O_APPEND set through F_SETFL after fork is
//     seen by the other process (a status flag of the shared description).
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define RECORD 32

static const char *path(const char *name)
{
    return scratch_path(name);
}

static off_t offset(int fd)
{
    return lseek(fd, 0, SEEK_CUR);
}

static long file_size(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static void test_dup_vs_open(void)
{
    const char *p = path("share-open");
    int a = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
    int b = open(p, O_RDWR);
    if (a < 0 || b < 0) {
        fail("share.open", "open %s: %s", p, errname(errno));
        return;
    }
    write(a, "aaaa", 4);
    write(b, "bb", 2);
    char buf[16] = "";
    pread(a, buf, sizeof buf - 1, 0);
    check(strcmp(buf, "bbaa") == 0 && offset(a) == 4 && offset(b) == 2, "share.two_opens",
          "two open()s wrote \"aaaa\" and \"bb\": file \"%s\", offsets %lld and %lld (expected "
          "\"bbaa\", 4, 2: each its own offset)",
          buf, (long long)offset(a), (long long)offset(b));
    close(b);
    int d = dup(a);
    write(d, "cc", 2);
    write(a, "dd", 2);
    memset(buf, 0, sizeof buf);
    pread(a, buf, sizeof buf - 1, 0);
    check(strcmp(buf, "bbaaccdd") == 0 && offset(a) == 8 && offset(d) == 8, "share.dup",
          "after dup, \"cc\" then \"dd\" through the two: file \"%s\", offsets %lld, %lld "
          "(expected \"bbaaccdd\", 8, 8)",
          buf, (long long)offset(a), (long long)offset(d));
    close(a);
    close(d);
    unlink(p);
}

static void test_fork_offset(void)
{
    const char *p = path("share-fork");
    int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fail("share.fork_open", "open %s: %s", p, errname(errno));
        return;
    }
    write(fd, "0123456789abcdef", 16);
    lseek(fd, 0, SEEK_SET);
    pid_t pid = xfork();
    if (pid == 0) {
        char c[4];
        _exit(read(fd, c, 4) == 4 && write(fd, "XY", 2) == 2 ? 0 : 1);
    }
    int st = wait_for(pid);
    check(st == 0 && offset(fd) == 6, "share.fork_offset",
          "the child read 4 and wrote 2 bytes (%s): the parent's offset is %lld, expected 6",
          status_str(st), (long long)offset(fd));
    char buf[4] = "";
    read(fd, buf, 2);
    check(memcmp(buf, "67", 2) == 0, "share.fork_read_on",
          "the parent's next read gave \"%.2s\", expected \"67\"", buf);
    char all[17] = "";
    pread(fd, all, 16, 0);
    check_str("share.fork_write", "0123XY6789abcdef", all);

    // O_APPEND set by the child with F_SETFL is seen by the parent.
    pid = xfork();
    if (pid == 0)
        _exit(fcntl(fd, F_SETFL, O_APPEND) == 0 ? 0 : 1);
    wait_for(pid);
    check(fcntl(fd, F_GETFL) & O_APPEND, "share.fork_status_flags",
          "the child set O_APPEND: the parent's F_GETFL is %#x", fcntl(fd, F_GETFL));
    close(fd);
    unlink(p);
}

// A record: "W<writer> N<number>" padded with dots to RECORD-1, then '\n'.
static void make_record(char *r, int writer, int n)
{
    memset(r, '.', RECORD);
    int len = snprintf(r, RECORD, "W%d N%05d ", writer, n);
    r[len] = '.';
    r[RECORD - 1] = '\n';
}

// Every record of writers 0..nw-1 (n each) present once, whole.
static void check_records(const char *name, const char *p, int nw, int n)
{
    long size = file_size(p);
    char *data = malloc(size > 0 ? size : 1);
    int fd = open(p, O_RDONLY);
    if (!data || fd < 0 || read_full(fd, data, size) != size) {
        fail(name, "cannot read back %s (%ld bytes): %s", p, size, errname(errno));
        free(data);
        if (fd >= 0)
            close(fd);
        return;
    }
    close(fd);
    int *seen = calloc(nw * n, sizeof *seen);
    int bad = 0, dup_or_order = 0;
    int *next = calloc(nw, sizeof *next);
    for (long off = 0; off + RECORD <= size; off += RECORD) {
        char want[RECORD];
        int w, k;
        if (sscanf(data + off, "W%d N%d", &w, &k) != 2 || w < 0 || w >= nw || k < 0 || k >= n) {
            bad++;
            continue;
        }
        make_record(want, w, k);
        if (memcmp(want, data + off, RECORD) != 0) {
            bad++;
            continue;
        }
        if (seen[w * n + k]++ || next[w] != k)
            dup_or_order++;
        next[w] = k + 1;
    }
    int missing = 0;
    for (int i = 0; i < nw * n; i++)
        if (!seen[i])
            missing++;
    check(size == (long)nw * n * RECORD && bad == 0 && missing == 0 && dup_or_order == 0, name,
          "%s: size %ld (expected %ld), %d torn or overwritten records, %d missing, %d out of "
          "order or twice",
          p, size, (long)nw * n * RECORD, bad, missing, dup_or_order);
    free(seen);
    free(next);
    free(data);
}

static void write_records(int fd, int writer, int n)
{
    char r[RECORD];
    for (int k = 0; k < n; k++) {
        make_record(r, writer, k);
        if (write(fd, r, RECORD) != RECORD)
            _exit(1);
        if (k % 16 == 0)
            sched_yield();
    }
}

static void test_fork_concurrent(void)
{
    enum { N = 400 };
    const char *p = path("share-concurrent");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fail("share.concurrent_open", "open %s: %s", p, errname(errno));
        return;
    }
    pid_t pid = xfork();
    if (pid == 0) {
        write_records(fd, 1, N);
        _exit(0);
    }
    write_records(fd, 0, N);
    int st = wait_for(pid);
    check(st == 0, "share.concurrent_child", "the writing child %s", status_str(st));
    check_eq("share.concurrent_offset", 2 * N * RECORD, offset(fd));
    close(fd);
    check_records("share.concurrent_records", p, 2, N);
    unlink(p);
}

static void test_append(void)
{
    enum { WRITERS = 4, N = 300 };
    const char *p = path("share-append");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fail("append.open", "open %s: %s", p, errname(errno));
        return;
    }
    close(fd);
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = xfork();
        if (pids[w] == 0) {
            // Each its own description: only O_APPEND keeps them apart.
            int my = open(p, O_WRONLY | O_APPEND);
            if (my < 0)
                _exit(2);
            write_records(my, w, N);
            _exit(0);
        }
    }
    int failed = 0;
    for (int w = 0; w < WRITERS; w++)
        if (wait_for(pids[w]) != 0)
            failed++;
    check(failed == 0, "append.writers", "%d of %d writers failed", failed, WRITERS);
    check_records("append.no_lost_write", p, WRITERS, N);

    // After lseek to the start, an O_APPEND write still goes to the end.
    fd = open(p, O_RDWR | O_APPEND);
    long before = file_size(p);
    lseek(fd, 0, SEEK_SET);
    write(fd, "END\n", 4);
    char head[4] = "";
    pread(fd, head, 3, 0);
    check(file_size(p) == before + 4 && offset(fd) == before + 4 && memcmp(head, "W", 1) == 0,
          "append.after_lseek",
          "size %ld -> %ld, offset %lld (expected %ld, at the end), first byte '%c'", before,
          file_size(p), (long long)offset(fd), before + 4, head[0]);
    close(fd);
    unlink(p);
}

int main(void)
{
    test_dup_vs_open();
    test_fork_offset();
    test_fork_concurrent();
    test_append();
    return test_status();
}
