// t_mmap_file: mappings of a regular file (mmap(2), msync(2)):
//   - MAP_PRIVATE shows the file's bytes; a store into it stays private
//     (not in the file, not in another private mapping), but until its
//     first store a page still shows what write(2) puts in the file;
//   - MAP_SHARED: a store is at once in the file (read(2)), in a second
//     mapping, in a forked child's and in another process's own mapping;
//     write(2) shows in the mapping; munmap and close keep the data;
//   - msync's flags; the page past the end of the file: the rest of the last
//     page reads zeros and does not grow the file, a page wholly past the
//     end gives SIGBUS (BUS_ADRERR at the address); ftruncate moves that end
//     under a live mapping;
//   - the offset; the open mode (EACCES), files that cannot be mapped
//     (ENODEV, EBADF), MAP_SHARED_VALIDATE (EOPNOTSUPP);
//   - /proc/self/maps names the file, its offset and 's' or 'p'; an
//     unlinked file stays mapped, "(deleted)".
#define _GNU_SOURCE
// bunshin-boot: fork=odf
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096
#define RW (PROT_READ | PROT_WRITE)

// A new file of size bytes, byte i of page k holding 'A' + k. Returns an
// O_RDWR descriptor, or -1. The path is scratch_path(name).
static int make_file(const char *name, long size)
{
    const char *path = scratch_path(name);
    unlink(path);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    static char page[PAGE];
    for (long off = 0; off < size; off += PAGE) {
        memset(page, 'A' + off / PAGE, PAGE);
        long n = size - off < PAGE ? size - off : PAGE;
        if (write_full(fd, page, n) != n) {
            close(fd);
            return -1;
        }
    }
    return fd;
}

static char byte_at(int fd, long off)
{
    char c = 0;
    return pread(fd, &c, 1, off) == 1 ? c : '?';
}

static void read_at(void *p) { (void)*(volatile char *)p; }
static void write_at(void *p) { *(volatile char *)p = 1; }

static void private_maps(void)
{
    int fd = make_file("private", 2 * PAGE);
    if (!check(fd >= 0, "mmap_file.create", "%s", errname(errno)))
        return;
    char *p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    char *q = mmap(NULL, 2 * PAGE, RW, MAP_PRIVATE, fd, 0);
    if (!check(p != MAP_FAILED && q != MAP_FAILED, "mmap_file.private_map", "mmap: %s",
               errname(errno)))
        return;
    check(p[0] == 'A' && p[PAGE] == 'B' && p[PAGE - 1] == 'A', "mmap_file.private_reads_file",
          "the mapping starts with '%c', page 1 with '%c'", p[0], p[PAGE]);
    // Not written yet: the page is still the file's, so a write(2) shows.
    pwrite(fd, "x", 1, PAGE + 10);
    check(q[PAGE + 10] == 'x', "mmap_file.private_sees_write_before_store",
          "after pwrite of 'x', the private mapping reads '%c'", q[PAGE + 10]);
    q[0] = 'Z';
    check(byte_at(fd, 0) == 'A', "mmap_file.private_write_not_in_file",
          "after a store of 'Z' in a private mapping, the file reads '%c'", byte_at(fd, 0));
    check(p[0] == 'A', "mmap_file.private_write_not_in_other_mapping",
          "another private mapping reads '%c'", p[0]);
    // Once stored to, the page is the process's own copy: the file's
    // later changes no longer show there.
    pwrite(fd, "y", 1, 1);
    check(q[1] == 'A' && q[0] == 'Z', "mmap_file.private_copy_own",
          "after the store, pwrite of 'y' shows as '%c' in the private copy", q[1]);
    munmap(p, 2 * PAGE);
    munmap(q, 2 * PAGE);
    close(fd);
}

// The open mode decides what may be mapped.
static void open_modes(void)
{
    int fd = make_file("modes", PAGE);
    close(fd);
    int ro = open(scratch_path("modes"), O_RDONLY);
    char *p, *q;
    check_errno("mmap_file.rdonly_shared_write_eacces",
                (long)mmap(NULL, PAGE, RW, MAP_SHARED, ro, 0), EACCES);
    q = mmap(NULL, PAGE, RW, MAP_PRIVATE, ro, 0);
    if (check(q != MAP_FAILED, "mmap_file.rdonly_private_write", "mmap: %s", errname(errno))) {
        q[0] = 'W';
        check(byte_at(ro, 0) == 'A', "mmap_file.rdonly_private_write_not_in_file",
              "the file reads '%c'", byte_at(ro, 0));
        munmap(q, PAGE);
    }
    // Nor can a read-only shared mapping be made writable later.
    p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
    if (check(p != MAP_FAILED, "mmap_file.rdonly_shared_read", "mmap: %s", errname(errno))) {
        check_errno("mmap_file.rdonly_shared_mprotect_eacces", mprotect(p, PAGE, RW), EACCES);
        munmap(p, PAGE);
    }
    close(ro);
    int wo = open(scratch_path("modes"), O_WRONLY);
    check_errno("mmap_file.wronly_private_eacces",
                (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
    check_errno("mmap_file.wronly_shared_eacces",
                (long)mmap(NULL, PAGE, RW, MAP_SHARED, wo, 0), EACCES);
    close(wo);
}

// Another process opens and maps the file itself; the two processes take
// turns through pipes. Exit 0: it saw the parent's store of 'P'; 1: it did
// not; 2: it could not open or map.
static void other_process(const char *path, int go, int done)
{
    int fd = open(path, O_RDWR);
    char *m = fd < 0 ? MAP_FAILED : mmap(NULL, PAGE, RW, MAP_SHARED, fd, 0);
    char c = m == MAP_FAILED ? 'x' : 'r';
    write(done, &c, 1);
    if (m == MAP_FAILED)
        _exit(2);
    read(go, &c, 1);        // the parent has stored
    int seen = m[7] == 'P';
    m[8] = 'Q';             // and now this one stores
    _exit(seen ? 0 : 1);
}

static void shared_maps(void)
{
    const char *path = scratch_path("shared");
    int fd = make_file("shared", 2 * PAGE);
    char *s1 = mmap(NULL, 2 * PAGE, RW, MAP_SHARED, fd, 0);
    char *s2 = mmap(NULL, 2 * PAGE, RW, MAP_SHARED, fd, 0);
    if (!check(fd >= 0 && s1 != MAP_FAILED && s2 != MAP_FAILED, "mmap_file.shared_map",
               "open or mmap: %s", errname(errno)))
        return;
    s1[5] = 'S';
    check(byte_at(fd, 5) == 'S', "mmap_file.shared_store_in_file",
          "after a store of 'S', read(2) gives '%c'", byte_at(fd, 5));
    check(s2[5] == 'S', "mmap_file.shared_second_mapping_sees", "it reads '%c'", s2[5]);
    pwrite(fd, "W", 1, 6);
    check(s1[6] == 'W', "mmap_file.write_seen_in_shared",
          "after pwrite of 'W', the mapping reads '%c'", s1[6]);

    pid_t pid = xfork();
    if (pid == 0) {
        s1[PAGE] = 'c';
        _exit(0);
    }
    wait_for(pid);
    check(byte_at(fd, PAGE) == 'c' && s2[PAGE] == 'c', "mmap_file.shared_fork_child_store_seen",
          "after the child's store of 'c': read(2) '%c', the other mapping '%c'",
          byte_at(fd, PAGE), s2[PAGE]);

    int go[2], done[2];
    if (pipe(go) == 0 && pipe(done) == 0) {
        pid = xfork();
        if (pid == 0)
            other_process(path, go[0], done[1]);
        char c = 0;
        read(done[0], &c, 1);   // mapped (or failed to)
        s1[7] = 'P';
        write(go[1], "g", 1);
        int st = pid < 0 ? -1 : wait_for(pid);
        check(exited_with(st, 0), "mmap_file.shared_other_process_sees_store",
              "the other process %s (1: did not see 'P', 2: could not map)", status_str(st));
        check(s1[8] == 'Q', "mmap_file.shared_other_process_store_seen",
              "after the other process stored 'Q', this one reads '%c'", s1[8]);
        close(go[0]), close(go[1]), close(done[0]), close(done[1]);
    }

    // msync: MS_SYNC and MS_ASYNC exclude each other; other bits are EINVAL.
    check_eq("mmap_file.msync_sync", 0, msync(s1, 2 * PAGE, MS_SYNC));
    check_eq("mmap_file.msync_async", 0, msync(s1, 2 * PAGE, MS_ASYNC));
    check_eq("mmap_file.msync_invalidate", 0, msync(s1, 2 * PAGE, MS_INVALIDATE));
    check_errno("mmap_file.msync_sync_async_einval", msync(s1, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
    check_errno("mmap_file.msync_bad_flag_einval", msync(s1, PAGE, 0x100), EINVAL);
    check_errno("mmap_file.msync_unaligned_einval", msync(s1 + 1, PAGE, MS_SYNC), EINVAL);

    // /proc/self/maps: "start-end rw-s 00001000 dev inode   path".
    char *off1 = mmap(NULL, PAGE, RW, MAP_SHARED, fd, PAGE);
    char *offp = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
    char line[512], perms[8] = "", name[400] = "";
    unsigned long offset = 1;
    int at = 0;
    maps_line(off1, line, sizeof line);
    if (sscanf(line, "%*x-%*x %7s %lx %*s %*s %n", perms, &offset, &at) >= 2 && at)
        snprintf(name, sizeof name, "%s", line + at);
    check(strcmp(perms, "rw-s") == 0 && offset == PAGE && strcmp(name, path) == 0,
          "mmap_file.maps_shared_line", "the line is \"%s\" (want rw-s, offset 00001000, %s)",
          line, path);
    maps_line(offp, line, sizeof line);
    check(strncmp(strchr(line, ' ') ? strchr(line, ' ') + 1 : "", "r--p 00001000", 13) == 0 &&
          strstr(line, path), "mmap_file.maps_private_line", "the line is \"%s\"", line);
    munmap(offp, PAGE);

    // munmap keeps the file's data; a closed descriptor keeps the mapping.
    munmap(s2, 2 * PAGE);
    munmap(s1, 2 * PAGE);
    check(byte_at(fd, 5) == 'S' && byte_at(fd, 8) == 'Q', "mmap_file.munmap_keeps_file",
          "after munmap the file holds '%c' '%c'", byte_at(fd, 5), byte_at(fd, 8));
    close(fd);
    off1[9] = 'K';
    fd = open(path, O_RDONLY);
    check(byte_at(fd, PAGE + 9) == 'K', "mmap_file.close_keeps_mapping",
          "a store after close(2) reads back as '%c'", byte_at(fd, PAGE + 9));

    // Unlinked while mapped: the mapping and the open file still work.
    check_eq("mmap_file.unlink", 0, unlink(path));
    off1[10] = 'U';
    check(off1[10] == 'U' && off1[9] == 'K' && byte_at(fd, PAGE + 10) == 'U',
          "mmap_file.unlinked_still_usable", "the mapping reads '%c', the file '%c'", off1[10],
          byte_at(fd, PAGE + 10));
    maps_line(off1, line, sizeof line);
    char want[400];
    snprintf(want, sizeof want, "%s (deleted)", path);
    check(strstr(line, want) != NULL, "mmap_file.maps_deleted", "the line is \"%s\"", line);
    munmap(off1, PAGE);
    close(fd);
    check_errno("mmap_file.msync_unmapped_enomem", msync(s1, PAGE, MS_SYNC), ENOMEM);
}

static void past_eof(void)
{
    int fd = make_file("eof", 5000);   // one page and 904 bytes
    char *p = fd < 0 ? MAP_FAILED : mmap(NULL, 3 * PAGE, RW, MAP_SHARED, fd, 0);
    if (!check(p != MAP_FAILED, "mmap_file.eof_map", "mmap: %s", errname(errno)))
        return;
    check(p[4999] == 'B' && nonzero_pages(p + 5000, 2 * PAGE - 5000) == 0,
          "mmap_file.eof_tail_zero", "byte 4999 is '%c'; bytes 5000-8191 %s", p[4999],
          nonzero_pages(p + 5000, 2 * PAGE - 5000) ? "are not all zero" : "are zero");
    // A store past the end, inside the last page: in memory, not in the file.
    p[6000] = 'T';
    struct stat st;
    fstat(fd, &st);
    char buf[16];
    check(st.st_size == 5000 && pread(fd, buf, sizeof buf, 5000) == 0,
          "mmap_file.eof_tail_write_not_in_file",
          "after a store at 6000 the size is %ld, a read at 5000 gives more", (long)st.st_size);

    // Page 2 is wholly past the end of the file: SIGBUS.
    int s = run_child(read_at, p + 2 * PAGE + 16);
    check(killed_by(s, SIGBUS), "mmap_file.past_eof_sigbus",
          "a read past the last page of the file: the child %s", status_str(s));
    struct caught_fault f;
    run_catching(SIGBUS, write_at, p + 2 * PAGE + 16, &f);
    check(f.caught && f.signo == SIGBUS && f.code == BUS_ADRERR, "mmap_file.past_eof_siginfo_code",
          "the child %s; handler: caught %d, signal %d, si_code %d (BUS_ADRERR is %d)",
          status_str(f.status), f.caught, f.signo, f.code, BUS_ADRERR);
    check(f.caught && f.addr == p + 2 * PAGE + 16, "mmap_file.past_eof_siginfo_addr",
          "si_addr %p, the store was at %p", f.addr, (void *)(p + 2 * PAGE + 16));
    munmap(p, 3 * PAGE);
    close(fd);
    unlink(scratch_path("eof"));
}

static void truncation(void)
{
    int fd = make_file("trunc", 4 * PAGE);
    char *p = fd < 0 ? MAP_FAILED : mmap(NULL, 4 * PAGE, RW, MAP_SHARED, fd, 0);
    if (!check(p != MAP_FAILED, "mmap_file.trunc_map", "mmap: %s", errname(errno)))
        return;
    for (int i = 0; i < 4; i++)
        p[i * PAGE] = 'a' + i;
    check_eq("mmap_file.truncate_shrink", 0, ftruncate(fd, PAGE));
    check(p[0] == 'a' && p[1] == 'A', "mmap_file.truncate_kept_page",
          "the page that stays reads '%c' '%c'", p[0], p[1]);
    int s = run_child(read_at, p + 2 * PAGE);
    check(killed_by(s, SIGBUS), "mmap_file.truncate_cut_sigbus",
          "a read of a page cut off by ftruncate: the child %s", status_str(s));
    check_eq("mmap_file.truncate_grow", 0, ftruncate(fd, 4 * PAGE));
    s = run_child(read_at, p + 2 * PAGE);
    check(exited_with(s, 0), "mmap_file.truncate_grow_accessible", "the child %s",
          status_str(s));
    // The cut pages come back as zeros: their old data is gone.
    check(nonzero_pages(p + PAGE, 3 * PAGE) == 0 && p[0] == 'a', "mmap_file.truncate_grow_zeros",
          "pages 1-3 hold '%c' '%c' '%c'", p[PAGE], p[2 * PAGE], p[3 * PAGE]);
    munmap(p, 4 * PAGE);
    close(fd);
    unlink(scratch_path("trunc"));
}

// i386's old mmap (system call 90) takes its six arguments in a struct
// and the offset in bytes: the way to give the kernel an unaligned offset
// (musl's mmap() refuses one itself, and mmap2 counts in pages).
struct mmap_arg { unsigned long addr, len, prot, flags, fd, offset; };

static void offsets_and_errors(void)
{
    int fd = make_file("offsets", 3 * PAGE);
    if (!check(fd >= 0, "mmap_file.offsets_create", "%s", errname(errno)))
        return;
    char *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 2 * PAGE);
    check(p != MAP_FAILED && p[0] == 'C', "mmap_file.offset_maps_from_there",
          "mmap at offset 8192: %s, first byte '%c'", p == MAP_FAILED ? errname(errno) : "ok",
          p == MAP_FAILED ? '-' : p[0]);
    struct mmap_arg a = { 0, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE };
    p = (char *)syscall(SYS_mmap, &a);
    check(p != MAP_FAILED && p[0] == 'B', "mmap_file.old_mmap_offset",
          "old mmap at offset 4096: %s, first byte '%c'", p == MAP_FAILED ? errname(errno) : "ok",
          p == MAP_FAILED ? '-' : p[0]);
    a.offset = 100;
    check_errno("mmap_file.unaligned_offset_einval", syscall(SYS_mmap, &a), EINVAL);

    int pfd[2];
    pipe(pfd);
    check_errno("mmap_file.pipe_enodev", (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED, pfd[0], 0),
                ENODEV);
    close(pfd[0]), close(pfd[1]);
    int dir = open(scratch_dir(), O_RDONLY | O_DIRECTORY);
    check_errno("mmap_file.directory_enodev",
                (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dir, 0), ENODEV);
    close(dir);
    check_errno("mmap_file.bad_fd_ebadf", (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 999, 0),
                EBADF);
    // MAP_SHARED_VALIDATE refuses flags it does not know, where plain
    // MAP_SHARED ignores them.
    p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE, fd, 0);
    check(p != MAP_FAILED && p[0] == 'A', "mmap_file.shared_validate",
          "MAP_SHARED_VALIDATE alone: %s", p == MAP_FAILED ? errname(errno) : "wrong byte");
    check_errno("mmap_file.shared_validate_unknown_eopnotsupp",
                (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | 0x800000, fd, 0),
                EOPNOTSUPP);
    p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED | 0x800000, fd, 0);
    check(p != MAP_FAILED, "mmap_file.shared_unknown_ignored", "mmap: %s", errname(errno));
    close(fd);
    unlink(scratch_path("offsets"));
}

int main(void)
{
    long before = memfree_start();
    int good = run_part("mmap_file.part_private", private_maps);
    good &= run_part("mmap_file.part_modes", open_modes);
    good &= run_part("mmap_file.part_shared", shared_maps);
    good &= run_part("mmap_file.part_eof", past_eof);
    good &= run_part("mmap_file.part_truncate", truncation);
    good &= run_part("mmap_file.part_offsets", offsets_and_errors);
    // A part that stopped early left its file: its pages count in MemFree.
    const char *files[] = { "private", "modes", "shared", "eof", "trunc", "offsets" };
    for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++)
        unlink(scratch_path(files[i]));
    memfree_check("mmap_file.memfree_restored", before);
    return test_status() || !good;
}
