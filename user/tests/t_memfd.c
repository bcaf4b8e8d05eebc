// t_memfd: files that live only in memory (memfd_create(2), shm_open(3)):
//   - memfd_create gives a regular file without a name in any directory:
//     /proc/self/fd shows it as "/memfd:NAME (deleted)"; MFD_CLOEXEC sets
//     FD_CLOEXEC; unknown flags and names of more than 249 bytes are EINVAL;
//   - it is read, written, sized (ftruncate, fstat) like a file, and a
//     MAP_SHARED mapping of it is shared with a fork child;
//   - shm_open (musl: open of /dev/shm/NAME): a second process that opens
//     the name maps the same bytes; after shm_unlink the name is gone
//     (ENOENT) but the mapping stays; /dev/shm is a directory with mode 1777.
#define _GNU_SOURCE
// bunshin-boot: fork=odf
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096
#define NR_memfd_create 356     // i386
#define MFD_CLOEXEC_ 1
#define RW (PROT_READ | PROT_WRITE)

static int memfd(const char *name, unsigned flags)
{
    return syscall(NR_memfd_create, name, flags);
}

static void names_and_flags(void)
{
    int fd = memfd("bunshin_test", 0);
    if (!check(fd >= 0, "memfd.create", "memfd_create: %s", errname(errno)))
        return;
    char link[256] = "";
    ssize_t n = readlink(tname("/proc/self/fd/%d", fd), link, sizeof link - 1);
    link[n > 0 ? n : 0] = '\0';
    check_str("memfd.proc_fd_link", "/memfd:bunshin_test (deleted)", link);
    check_eq("memfd.no_cloexec", 0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
    struct stat st;
    check(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0, "memfd.empty_regular",
          "fstat: mode %#o, size %ld", (unsigned)st.st_mode, (long)st.st_size);
    close(fd);

    fd = memfd("cloexec", MFD_CLOEXEC_);
    check(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC), "memfd.cloexec",
          "fd %d, F_GETFD %d", fd, fd >= 0 ? fcntl(fd, F_GETFD) : -1);
    close(fd);
    check_errno("memfd.bad_flags_einval", memfd("bad", 0x100), EINVAL);

    // The name becomes "memfd:NAME", at most NAME_MAX (255) bytes: 249 for NAME.
    static char name[300];
    memset(name, 'n', 249);
    fd = memfd(name, 0);
    check(fd >= 0, "memfd.name_249", "a name of 249 bytes: %s", errname(errno));
    close(fd);
    name[249] = 'n';
    check_errno("memfd.name_250_einval", memfd(name, 0), EINVAL);
}

static void as_a_file(void)
{
    int fd = memfd("data", 0);
    if (!check(fd >= 0, "memfd.data_create", "memfd_create: %s", errname(errno)))
        return;
    char buf[16] = "";
    check_eq("memfd.write", 5, write(fd, "hello", 5));
    check_eq("memfd.lseek", 0, lseek(fd, 0, SEEK_SET));
    check(read(fd, buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0, "memfd.read",
          "read back \"%.5s\"", buf);
    struct stat st;
    fstat(fd, &st);
    check_eq("memfd.size_after_write", 5, st.st_size);
    check_eq("memfd.ftruncate", 0, ftruncate(fd, 2 * PAGE));
    fstat(fd, &st);
    check_eq("memfd.size_after_ftruncate", 2 * PAGE, st.st_size);

    char *m = mmap(NULL, 2 * PAGE, RW, MAP_SHARED, fd, 0);
    if (!check(m != MAP_FAILED, "memfd.mmap", "mmap: %s", errname(errno)))
        return;
    check(memcmp(m, "hello", 5) == 0 && m[5] == 0, "memfd.mmap_sees_written",
          "the mapping starts with \"%.5s\"", m);
    pid_t pid = xfork();
    if (pid == 0) {
        m[PAGE] = 'c';
        _exit(0);
    }
    wait_for(pid);
    check(m[PAGE] == 'c', "memfd.fork_child_store_seen",
          "the parent reads '%c' where its child stored 'c'", m[PAGE]);
    char c = 0;
    pread(fd, &c, 1, PAGE);
    check(c == 'c', "memfd.store_in_file", "read(2) gives '%c'", c);
    munmap(m, 2 * PAGE);
    close(fd);
}

static const char *shm_name(void)
{
    static char name[64];
    if (!name[0])
        snprintf(name, sizeof name, "/bunshin_t_memfd.%d", (int)getpid());
    return name;
}

static void posix_shm(void)
{
    struct stat st;
    int r = stat("/dev/shm", &st);
    check(r == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777, "shm.dev_shm_dir",
          "stat(/dev/shm): %s, mode %#o", r ? errname(errno) : "ok", r ? 0 : (unsigned)st.st_mode);

    const char *name = shm_name();
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (!check(fd >= 0, "shm.create", "shm_open(%s): %s", name, errname(errno)))
        return;
    check_errno("shm.excl_eexist", shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600), EEXIST);
    check_eq("shm.ftruncate", 0, ftruncate(fd, 2 * PAGE));
    r = stat(tname("/dev/shm%s", name), &st);
    check(r == 0 && st.st_size == 2 * PAGE, "shm.file_in_dev_shm", "stat: %s, size %ld",
          r ? errname(errno) : "ok", r ? 0L : (long)st.st_size);
    char *m = mmap(NULL, 2 * PAGE, RW, MAP_SHARED, fd, 0);
    if (!check(m != MAP_FAILED, "shm.mmap", "mmap: %s", errname(errno)))
        return;
    m[0] = 'p';

    // Another process opens the object by its name and maps it.
    // Exit 0: it saw 'p'; 1: it did not; 2: could not open or map.
    pid_t pid = xfork();
    if (pid == 0) {
        int fd2 = shm_open(name, O_RDWR, 0);
        char *m2 = fd2 < 0 ? MAP_FAILED : mmap(NULL, 2 * PAGE, RW, MAP_SHARED, fd2, 0);
        if (m2 == MAP_FAILED)
            _exit(2);
        m2[PAGE] = 'c';
        _exit(m2[0] == 'p' ? 0 : 1);
    }
    int s = wait_for(pid);
    check(exited_with(s, 0), "shm.other_process_sees",
          "the child %s (1: it did not read 'p', 2: could not open or map)", status_str(s));
    check(m[PAGE] == 'c', "shm.other_process_store_seen",
          "the parent reads '%c' where the other process stored 'c'", m[PAGE]);

    check_eq("shm.unlink", 0, shm_unlink(name));
    check_errno("shm.open_after_unlink_enoent", shm_open(name, O_RDWR, 0), ENOENT);
    check_errno("shm.unlink_again_enoent", shm_unlink(name), ENOENT);
    m[1] = 'q';
    check(m[0] == 'p' && m[1] == 'q', "shm.mapping_outlives_name", "it reads '%c' '%c'", m[0],
          m[1]);
    munmap(m, 2 * PAGE);
    close(fd);
}

int main(void)
{
    long before = memfree_start();
    shm_name();   // made here, so every child uses the same name
    int good = run_part("memfd.part_names", names_and_flags);
    good &= run_part("memfd.part_file", as_a_file);
    good &= run_part("shm.part", posix_shm);
    shm_unlink(shm_name());   // in case the part stopped before its own unlink
    memfree_check("memfd.memfree_restored", before);
    return test_status() || !good;
}
