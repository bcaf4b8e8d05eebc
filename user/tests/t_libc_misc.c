// t_libc_misc: more of musl's functions that lean on the kernel.
//
//   - pseudo-terminals through musl: posix_openpt, grantpt, unlockpt,
//     ptsname, openpty; ttyname of the slave names /dev/pts/N, isatty;
//     tcgetattr/tcsetattr/cfmakeraw, tcgetsid, tcgetpgrp, the window size,
//     tcflush, tcdrain; forkpty/login_tty make the slave the child's
//     controlling terminal (tcgetsid there is its own session);
//   - POSIX AIO (musl: threads): aio_write, aio_read, aio_suspend,
//     aio_error/aio_return, lio_listio with LIO_WAIT, aio_fsync;
//   - getauxval: AT_PAGESZ, AT_RANDOM, AT_SECURE, AT_EXECFN, and
//     dl_iterate_phdr finds the program's own PT_LOAD headers;
//   - times(), clock(), getrusage of self, children and the thread;
//   - getcwd's ERANGE and getcwd(NULL, 0); sched_getcpu;
//   - posix_fallocate, posix_fadvise, mincore, msync, madvise;
//   - the pipe size (F_GETPIPE_SZ/F_SETPIPE_SZ): rounded up to a power of
//     two pages, EBUSY when the bytes in it would not fit, EBADF for a
//     file that is not a pipe; packet mode (pipe2 O_DIRECT) keeps writes
//     apart, a page at most each, until fcntl takes O_DIRECT away.
// On bunshin, MemFree is back where it started at the end.
#define _GNU_SOURCE
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>

#include "bunshin.h"

// --- pseudo-terminals -----------------------------------------------------------

static void test_pty(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) {
        fail("pty.openpt", "posix_openpt: %s", errname(errno));
        return;
    }
    int g = grantpt(m), u = unlockpt(m);
    char *name = ptsname(m);
    char pname[64] = "";
    if (name)
        snprintf(pname, sizeof pname, "%s", name);
    int s = name ? open(pname, O_RDWR | O_NOCTTY) : -1;
    char *tn = s >= 0 ? ttyname(s) : NULL;
    char tname_buf[64] = "";
    if (tn)
        snprintf(tname_buf, sizeof tname_buf, "%s", tn);
    check(g == 0 && u == 0 && strncmp(pname, "/dev/pts/", 9) == 0 && s >= 0 &&
          strcmp(tname_buf, pname) == 0 && isatty(s) == 1 && isatty(m) == 1, "pty.openpt",
          "grantpt %d unlockpt %d ptsname %s open %d ttyname %s", g, u, pname, s, tname_buf);

    struct termios t;
    int ga = tcgetattr(s, &t);
    cfmakeraw(&t);
    cfsetospeed(&t, B9600);
    int sa = tcsetattr(s, TCSANOW, &t);
    struct termios back;
    tcgetattr(s, &back);
    int raw = !(back.c_lflag & (ICANON | ECHO)) && cfgetospeed(&back) == B9600;
    struct winsize ws = { .ws_row = 33, .ws_col = 99 }, wb = { 0 };
    int w1 = ioctl(m, TIOCSWINSZ, &ws), w2 = ioctl(s, TIOCGWINSZ, &wb);
    write(m, "abc", 3);
    int fl = tcflush(s, TCIFLUSH);
    errno = 0;
    int nb = fcntl(s, F_SETFL, O_NONBLOCK);
    char c;
    ssize_t rd = read(s, &c, 1);
    int e_rd = errno;
    int dr = tcdrain(s);
    errno = 0;
    pid_t sid = tcgetsid(s);        // not our controlling terminal: ENOTTY
    int e_sid = errno;
    check(ga == 0 && sa == 0 && raw && w1 == 0 && w2 == 0 && wb.ws_row == 33 &&
          wb.ws_col == 99 && fl == 0 && nb == 0 && rd == -1 && e_rd == EAGAIN && dr == 0 &&
          sid == -1 && e_sid == ENOTTY, "pty.termios",
          "get %d set %d raw %d winsz %d %d %ux%u flush %d read %zd %s drain %d sid %d %s", ga,
          sa, raw, w1, w2, wb.ws_row, wb.ws_col, fl, rd, errname(e_rd), dr, (int)sid,
          errname(e_sid));
    close(s);
    close(m);

    int am, as;
    char oname[64] = "";
    int op = openpty(&am, &as, oname, NULL, NULL);
    check(op == 0 && strncmp(oname, "/dev/pts/", 9) == 0 && isatty(as), "pty.openpty",
          "openpty %d name %s", op, oname);
    if (op == 0) {
        close(am);
        close(as);
    }

    int fm;
    pid_t pid = forkpty(&fm, NULL, NULL, NULL);
    if (pid == 0) {
        // A new session with the slave as its controlling terminal.
        int ok_ = getsid(0) == getpid() && tcgetsid(0) == getpid() &&
                  tcgetpgrp(0) == getpgrp() && isatty(0) && isatty(1);
        printf("%s\n", ok_ ? "child-ok" : "child-bad");
        fflush(stdout);
        _exit(0);
    }
    char buf[64] = "";
    size_t got = 0;
    if (pid > 0) {
        for (int i = 0; i < 100 && got < sizeof buf - 1; i++) {
            ssize_t n = read(fm, buf + got, sizeof buf - 1 - got);
            if (n <= 0)
                break;
            got += (size_t)n;
            if (strchr(buf, '\n'))
                break;
        }
    }
    int st = pid > 0 ? wait_for(pid) : -1;
    if (pid > 0)
        close(fm);
    check(pid > 0 && strstr(buf, "child-ok") != NULL && exited_with(st, 0), "pty.forkpty",
          "forkpty %d, read \"%s\", child %s", (int)pid, buf, status_str(st));
}

// --- POSIX AIO ----------------------------------------------------------------------

static void test_aio(void)
{
    const char *f = scratch_path("aio");
    int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0644);
    static char wbuf[8192], rbuf[8192];
    for (size_t i = 0; i < sizeof wbuf; i++)
        wbuf[i] = (char)('a' + i % 26);
    struct aiocb w = { .aio_fildes = fd, .aio_buf = wbuf, .aio_nbytes = sizeof wbuf,
                       .aio_offset = 100 };
    int r1 = aio_write(&w);
    const struct aiocb *list[1] = { &w };
    while (aio_error(&w) == EINPROGRESS)
        aio_suspend(list, 1, NULL);
    int e1 = aio_error(&w);
    ssize_t n1 = aio_return(&w);
    struct aiocb r = { .aio_fildes = fd, .aio_buf = rbuf, .aio_nbytes = sizeof rbuf,
                       .aio_offset = 100 };
    int r2 = aio_read(&r);
    list[0] = &r;
    while (aio_error(&r) == EINPROGRESS)
        aio_suspend(list, 1, NULL);
    ssize_t n2 = aio_return(&r);
    check(r1 == 0 && e1 == 0 && n1 == (ssize_t)sizeof wbuf && r2 == 0 &&
          n2 == (ssize_t)sizeof rbuf && memcmp(wbuf, rbuf, sizeof wbuf) == 0, "aio.write_read",
          "aio_write %d error %d return %zd, aio_read %d return %zd", r1, e1, n1, r2, n2);

    static char a[10] = "0123456789", b[10];
    struct aiocb l1 = { .aio_fildes = fd, .aio_buf = a, .aio_nbytes = 10, .aio_offset = 0,
                        .aio_lio_opcode = LIO_WRITE };
    struct aiocb l2 = { .aio_fildes = fd, .aio_buf = b, .aio_nbytes = 10, .aio_offset = 110,
                        .aio_lio_opcode = LIO_READ };
    struct aiocb *ll[2] = { &l1, &l2 };
    int li = lio_listio(LIO_WAIT, ll, 2, NULL);
    struct aiocb sy = { .aio_fildes = fd };
    int fs = aio_fsync(O_SYNC, &sy);
    const struct aiocb *sl[1] = { &sy };
    while (fs == 0 && aio_error(&sy) == EINPROGRESS)
        aio_suspend(sl, 1, NULL);
    check(li == 0 && aio_return(&l1) == 10 && aio_return(&l2) == 10 &&
          memcmp(b, "klmnopqrst", 10) == 0 && fs == 0 && aio_return(&sy) == 0, "aio.lio_listio",
          "lio %d, fsync %d", li, fs);
    close(fd);
    unlink(f);
    // Let musl's helper threads finish before MemFree is read.
    sleep_ms(50);
}

// --- the auxiliary vector, program headers ----------------------------------------------

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    int loads = 0;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_LOAD)
            loads++;
    *(int *)data += loads;
    return 0;
}

static void test_auxv(void)
{
    unsigned long pg = getauxval(AT_PAGESZ), rnd = getauxval(AT_RANDOM);
    unsigned long sec = getauxval(AT_SECURE);
    const char *fn = (const char *)getauxval(AT_EXECFN);
    errno = 0;
    unsigned long none = getauxval(12345);
    int e_none = errno;
    int loads = 0;
    dl_iterate_phdr(phdr_cb, &loads);
    check(pg == 4096 && rnd != 0 && sec == 0 && fn && strstr(fn, "t_libc_misc") && none == 0 &&
          e_none == ENOENT && loads >= 1, "auxv.getauxval",
          "pagesz %lu random %#lx secure %lu execfn %s, unknown %lu %s, PT_LOADs %d", pg, rnd,
          sec, fn ? fn : "NULL", none, errname(e_none), loads);
}

// --- times, rusage -------------------------------------------------------------------------

// Use ms of CPU time (not of the wall clock: the machine may be busy).
static void spin_cpu_ms(long ms)
{
    struct timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    do
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void test_times(void)
{
    struct tms a, b;
    clock_t t0 = times(&a);
    spin_cpu_ms(200);
    pid_t pid = xfork();
    if (pid == 0) {
        spin_cpu_ms(200);
        _exit(0);
    }
    wait_for(pid);
    clock_t t1 = times(&b);
    long hz = sysconf(_SC_CLK_TCK);
    long el = (long)(t1 - t0);
    long mine = (long)((b.tms_utime + b.tms_stime) - (a.tms_utime + a.tms_stime));
    long kids = (long)(b.tms_cutime + b.tms_cstime);
    clock_t c = clock();
    struct rusage self, children, thread;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    int rt = getrusage(RUSAGE_THREAD, &thread);
    long self_ms = self.ru_utime.tv_sec * 1000 + self.ru_utime.tv_usec / 1000 +
                   self.ru_stime.tv_sec * 1000 + self.ru_stime.tv_usec / 1000;
    long kid_ms = children.ru_utime.tv_sec * 1000 + children.ru_utime.tv_usec / 1000 +
                  children.ru_stime.tv_sec * 1000 + children.ru_stime.tv_usec / 1000;
    check(hz == 100 && t0 != (clock_t)-1 && el >= 30 && el < 3000 && mine >= 15 && kids >= 15 &&
          c >= 190000 && self_ms >= 190 && kid_ms >= 190 && rt == 0,
          "times.rusage", "hz %ld elapsed %ld ticks, mine %ld children %ld, clock %ld, "
          "rusage self %ld ms children %ld ms thread %d", hz, el, mine, kids,
          (long)c, self_ms, kid_ms, rt);
}

// --- getcwd, sched_getcpu, file hints, memory calls, pipes --------------------------------------

static void test_small(void)
{
    char small[1];              // even "/" needs two bytes
    errno = 0;
    char *r = getcwd(small, sizeof small);
    int e = errno;
    char *dyn = getcwd(NULL, 0);
    char want[4096];
    char *w = getcwd(want, sizeof want);
    check(r == NULL && e == ERANGE && dyn && w && strcmp(dyn, want) == 0, "getcwd.erange_null",
          "small %s %s, dynamic %s", r ? r : "NULL", errname(e), dyn ? dyn : "NULL");
    free(dyn);
    int cpu = sched_getcpu();
    cpu_set_t set;
    CPU_ZERO(&set);
    sched_getaffinity(0, sizeof set, &set);
    check(cpu >= 0 && CPU_ISSET(cpu, &set), "sched_getcpu", "cpu %d", cpu);

    const char *f = scratch_path("hints");
    int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0644);
    int pf = posix_fallocate(fd, 0, 100000);
    struct stat st;
    fstat(fd, &st);
    int pa = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    int pb = posix_fadvise(fd, 0, 0, 999);
    int pc = posix_fadvise(-1, 0, 0, POSIX_FADV_NORMAL);
    int pipefd[2];
    pipe(pipefd);
    int pd = posix_fadvise(pipefd[0], 0, 0, POSIX_FADV_NORMAL);
    check(pf == 0 && st.st_size == 100000 && st.st_blocks >= 100000 / 512 && pa == 0 &&
          pb == EINVAL && pc == EBADF && pd == ESPIPE, "posix_fallocate.fadvise",
          "fallocate %d size %lld blocks %lld, fadvise %d, bad advice %d, bad fd %d, pipe %d",
          pf, (long long)st.st_size, (long long)st.st_blocks, pa, pb, pc, pd);

    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    m[0] = 'x';
    unsigned char vec[4] = { 9, 9, 9, 9 };
    int mc = mincore(m, 8192, vec);
    int ms = msync(m, 8192, MS_SYNC);
    errno = 0;
    int ms_bad = msync(m + 1, 4096, MS_SYNC);
    int e_ms = errno;
    int ma = madvise(m, 8192, MADV_WILLNEED);
    int md = madvise(m, 8192, MADV_DONTNEED);
    char again = m[0];          // a shared file page: the file's byte comes back
    munmap(m, 8192);
    char *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    anon[0] = 'y';
    madvise(anon, 4096, MADV_DONTNEED);
    char zero = anon[0];        // a private anonymous page: zero again
    munmap(anon, 4096);
    check(mc == 0 && (vec[0] & 1) && ms == 0 && ms_bad == -1 && e_ms == EINVAL && ma == 0 &&
          md == 0 && again == 'x' && zero == 0, "mincore.msync.madvise",
          "mincore %d vec %d %d, msync %d, unaligned %d %s, madvise %d %d, file byte %d anon %d",
          mc, vec[0], vec[1], ms, ms_bad, errname(e_ms), ma, md, again, zero);
    close(fd);
    unlink(f);

    // A new pipe holds 64 KiB on Linux, 16 KiB on bunshin (fs/pipe.c).
    int sz = fcntl(pipefd[1], F_GETPIPE_SZ);
    int want_sz = on_bunshin() ? 16384 : 65536;
    int set_sz = fcntl(pipefd[1], F_SETPIPE_SZ, 100000);
    int sz2 = fcntl(pipefd[0], F_GETPIPE_SZ);
    // Bytes in the pipe stay through a resize; a size they do not fit is EBUSY.
    static char fill[20000];
    memset(fill, 'q', sizeof fill);
    ssize_t wr = write(pipefd[1], fill, sizeof fill);
    errno = 0;
    int small_sz = fcntl(pipefd[1], F_SETPIPE_SZ, 4096);
    int e_small = errno;
    int mid = fcntl(pipefd[1], F_SETPIPE_SZ, 32768);
    static char back[20000];
    ssize_t rd = read_full(pipefd[0], back, sizeof back);
    int one = fcntl(pipefd[1], F_SETPIPE_SZ, 1);
    errno = 0;
    int notpipe = fcntl(0 + open("/dev/null", O_RDONLY), F_GETPIPE_SZ);
    int e_np = errno;
    check(sz == want_sz && set_sz == 131072 && sz2 == 131072 && wr == (ssize_t)sizeof fill &&
          small_sz == -1 && e_small == EBUSY && mid == 32768 && rd == (ssize_t)sizeof fill &&
          memcmp(fill, back, sizeof fill) == 0 && one == 4096 && notpipe == -1 && e_np == EBADF,
          "pipe.size", "size %d, set 100000 gives %d, now %d; with %zd bytes in, 4096 %d %s, "
          "32768 %d, read back %zd; 1 gives %d; not a pipe %d %s", sz, set_sz, sz2, wr, small_sz,
          errname(e_small), mid, rd, one, notpipe, errname(e_np));
    close(pipefd[0]);
    close(pipefd[1]);

    // Packet mode: each write is a packet, a read takes one and drops its
    // rest; a write longer than a page is split into pages.
    int pk[2];
    int p2 = pipe2(pk, O_DIRECT);
    int flp = fcntl(pk[1], F_GETFL), flr = fcntl(pk[0], F_GETFL);   // the write end's flag
    write(pk[1], "one", 3);
    write(pk[1], "three", 5);
    char b[16] = "";
    ssize_t r1 = read(pk[0], b, sizeof b);
    ssize_t r2 = read(pk[0], b, 2);
    int th = memcmp(b, "th", 2) == 0;
    write(pk[1], "x", 1);
    ssize_t r3 = read(pk[0], b, sizeof b);
    static char big[6000], bigback[8192];
    memset(big, 'b', sizeof big);
    ssize_t w4 = write(pk[1], big, sizeof big);
    ssize_t r4 = read(pk[0], bigback, sizeof bigback);
    ssize_t r5 = read(pk[0], bigback, sizeof bigback);
    // Stream writes again after fcntl takes O_DIRECT away: they merge.
    fcntl(pk[1], F_SETFL, fcntl(pk[1], F_GETFL) & ~O_DIRECT);
    write(pk[1], "ab", 2);
    write(pk[1], "cd", 2);
    ssize_t r6 = read(pk[0], b, sizeof b);
    check(p2 == 0 && (flp & O_DIRECT) && !(flr & O_DIRECT) && r1 == 3 && r2 == 2 && th &&
          r3 == 1 && w4 == 6000 && r4 == 4096 && r5 == 6000 - 4096 && r6 == 4,
          "pipe.packet_mode", "pipe2 %d O_DIRECT %d %d, reads %zd %zd %zd, 6000 written %zd read "
          "%zd + %zd, stream again %zd", p2, !!(flp & O_DIRECT), !!(flr & O_DIRECT), r1, r2, r3, w4, r4, r5, r6);
    if (p2 == 0) {
        close(pk[0]);
        close(pk[1]);
    }
}

static void all_parts(void)
{
    test_pty();
    test_aio();
    test_auxv();
    test_times();
    test_small();
}

int main(void)
{
    long before = memfree_start();
    run_part("libc_misc", all_parts);
    memfree_check("libc_misc.memfree", before);
    return test_status();
}
