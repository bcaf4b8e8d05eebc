// t_efault: every system call that takes a pointer answers a bad one with
// EFAULT, and the caller carries on. Calls are made raw with syscall(), so
// musl cannot touch the pointer first. Two bad pointers each: (void *)1,
// in the never-mapped page 0, and 0xC0000000, the start of bunshin's
// kernel (on the Linux host just an unmapped user address).
// Calls that could succeed by mistake (execve) run in a child.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/ipc.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bunshin.h"

static void *const bad[2] = { (void *)1, (void *)0xC0000000 };
static const char *const bad_name[2] = { "low", "kernel" };


static char file_path[4096];
static char stat_buf[128] __attribute__((aligned(8)));

// ok if ret is -1 with errno EFAULT. errno is read first.
static void expect_efault(const char *call, int which, long ret)
{
    check_errno(tname("efault.%s.%s", call, bad_name[which]), ret, EFAULT);
}

static int open_file(int flags)
{
    int fd = open(file_path, flags);
    if (fd < 0)
        fail("efault.setup", "open(%s): %s", file_path, errname(errno));
    return fd;
}

// execve with a bad pointer, in a child: exits with the errno, or 99 if the
// execve succeeded (it runs /bin/true, which exits 0: then 0).
static void execve_child(void *arg)
{
    int which = (int)(intptr_t)arg >> 4, what = (int)(intptr_t)arg & 15;
    const char *path = rootpath("/bin/true");
    char *good_argv[] = { "true", NULL };
    char *bad_argv[] = { "true", bad[which], NULL };
    char *good_envp[] = { NULL };
    long r;
    switch (what) {
    case 0: r = syscall(SYS_execve, bad[which], good_argv, good_envp); break;
    case 1: r = syscall(SYS_execve, path, bad[which], good_envp); break;
    case 2: r = syscall(SYS_execve, path, bad_argv, good_envp); break;
    default: r = syscall(SYS_execve, path, good_argv, bad[which]); break;
    }
    _exit(r == -1 ? errno : 99);
}

// The socket calls, each pointer in turn (a connected pair for the data).
static void socket_efaults(int i)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
        fail("efault.socket_setup", "socketpair: %s", errname(errno));
        return;
    }
    int len = 16;
    expect_efault("socketpair", i, syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, bad[i]));
    expect_efault("bind", i, syscall(SYS_bind, sv[0], bad[i], 16));
    expect_efault("connect", i, syscall(SYS_connect, sv[0], bad[i], 16));
    expect_efault("getsockname_addr", i, syscall(SYS_getsockname, sv[0], bad[i], &len));
    expect_efault("getsockname_len", i, syscall(SYS_getsockname, sv[0], stat_buf, bad[i]));
    expect_efault("getsockopt_len", i, syscall(SYS_getsockopt, sv[0], SOL_SOCKET, SO_TYPE,
                                                stat_buf, bad[i]));
    expect_efault("sendto", i, syscall(SYS_sendto, sv[0], bad[i], 4, 0, NULL, 0));
    expect_efault("sendmsg", i, syscall(SYS_sendmsg, sv[0], bad[i], 0));
    syscall(SYS_sendto, sv[0], "data", 4, 0, NULL, 0);
    expect_efault("recvfrom", i, syscall(SYS_recvfrom, sv[1], bad[i], 4, 0, NULL, NULL));
    expect_efault("recvmsg", i, syscall(SYS_recvmsg, sv[1], bad[i], 0));
    expect_efault("socketcall", i, syscall(SYS_socketcall, 1, bad[i]));
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    snprintf(file_path, sizeof file_path, "%s", rootpath("/etc/motd"));
    const char *scratch = scratch_path(tname("t_efault.%d", (int)getpid()));

    for (int i = 0; i < 2; i++) {
        int fd = open_file(O_RDONLY);
        expect_efault("read", i, syscall(SYS_read, fd, bad[i], 16));
        close(fd);

        fd = open(scratch, O_CREAT | O_TRUNC | O_WRONLY, 0644);
        expect_efault("write", i, syscall(SYS_write, fd, bad[i], 16));
        struct iovec bad_base = { bad[i], 16 };
        expect_efault("writev_iovec", i, syscall(SYS_writev, fd, bad[i], 1));
        expect_efault("writev_base", i, syscall(SYS_writev, fd, &bad_base, 1));
        close(fd);

        fd = open_file(O_RDONLY);
        expect_efault("readv_iovec", i, syscall(SYS_readv, fd, bad[i], 1));
        expect_efault("readv_base", i, syscall(SYS_readv, fd, &bad_base, 1));
        expect_efault("fstat64", i, syscall(SYS_fstat64, fd, bad[i]));
        close(fd);

        expect_efault("open", i, syscall(SYS_open, bad[i], O_RDONLY));
        expect_efault("stat64_path", i, syscall(SYS_stat64, bad[i], stat_buf));
        expect_efault("stat64_buf", i, syscall(SYS_stat64, file_path, bad[i]));
        expect_efault("lstat64_path", i, syscall(SYS_lstat64, bad[i], stat_buf));
        expect_efault("lstat64_buf", i, syscall(SYS_lstat64, file_path, bad[i]));
        expect_efault("getcwd", i, syscall(SYS_getcwd, bad[i], 4096));
        expect_efault("chdir", i, syscall(SYS_chdir, bad[i]));
        expect_efault("access", i, syscall(SYS_access, bad[i], F_OK));
        expect_efault("uname", i, syscall(SYS_uname, bad[i]));
        expect_efault("clock_gettime", i,
                      syscall(SYS_clock_gettime32, CLOCK_MONOTONIC, bad[i]));
        expect_efault("nanosleep", i, syscall(SYS_nanosleep, bad[i], NULL));
        expect_efault("set_thread_area", i, syscall(SYS_set_thread_area, bad[i]));

        socket_efaults(i);
        // System V IPC through ipc(2) (117), as musl makes the calls.
        long sem = syscall(117, 2, IPC_PRIVATE, 1, 0600, NULL, 0);            // SEMGET
        long msq = syscall(117, 13, IPC_PRIVATE, 0600, 0, NULL, 0);           // MSGGET
        expect_efault("ipc_semop", i, syscall(117, 1, sem, 1, 0, bad[i], 0)); // SEMOP
        expect_efault("ipc_semctl_arg", i, syscall(117, 3, sem, 0, 12, bad[i], 0));  // GETVAL
        expect_efault("ipc_semctl_stat", i, syscall(SYS_semctl, sem, 0, 2, bad[i]));  // IPC_STAT
        expect_efault("ipc_msgsnd", i, syscall(117, 11, msq, 4, 0, bad[i], 0));
        expect_efault("ipc_msgctl_stat", i, syscall(117, 14, msq, 2 | 0x100, 0, bad[i], 0));
        expect_efault("ipc_msgrcv_kludge", i, syscall(117, 12, msq, 4, 04000, bad[i], 0));
        syscall(117, 3, sem, 0, 0, &sem, 0);                                  // IPC_RMID
        syscall(SYS_msgctl, msq, 0, NULL);

        // inotify: the path, and a read with an event waiting.
        int in = inotify_init1(IN_NONBLOCK);
        expect_efault("inotify_add_watch", i, syscall(SYS_inotify_add_watch, in, bad[i],
                                                      IN_ATTRIB));
        inotify_add_watch(in, scratch, IN_ATTRIB);
        chmod(scratch, 0600);
        expect_efault("inotify_read", i, syscall(SYS_read, in, bad[i], 4096));
        close(in);

        // POSIX message queues (names without musl's leading slash).
        char mqname[64];
        snprintf(mqname, sizeof mqname, "t_efault.%d", (int)getpid());
        expect_efault("mq_open_name", i, syscall(SYS_mq_open, bad[i], O_RDWR, 0, NULL));
        expect_efault("mq_open_attr", i, syscall(SYS_mq_open, mqname, O_RDWR | O_CREAT, 0600,
                                                 bad[i]));
        expect_efault("mq_unlink", i, syscall(SYS_mq_unlink, bad[i]));
        long mq = syscall(SYS_mq_open, mqname, O_RDWR | O_CREAT | O_NONBLOCK, 0600, NULL);
        expect_efault("mq_timedsend_msg", i, syscall(SYS_mq_timedsend, mq, bad[i], 1, 0, NULL));
        expect_efault("mq_timedsend_time", i, syscall(SYS_mq_timedsend, mq, "m", 1, 0, bad[i]));
        syscall(SYS_mq_timedsend, mq, "m", 1, 0, NULL);
        static char mqbuf[8192];
        expect_efault("mq_timedreceive_msg", i,
                      syscall(SYS_mq_timedreceive, mq, bad[i], sizeof mqbuf, NULL, NULL));
        expect_efault("mq_timedreceive_time", i,
                      syscall(SYS_mq_timedreceive, mq, mqbuf, sizeof mqbuf, NULL, bad[i]));
        expect_efault("mq_notify", i, syscall(SYS_mq_notify, mq, bad[i]));
        expect_efault("mq_getsetattr_new", i, syscall(SYS_mq_getsetattr, mq, bad[i], NULL));
        expect_efault("mq_getsetattr_old", i, syscall(SYS_mq_getsetattr, mq, NULL, bad[i]));
        close((int)mq);
        syscall(SYS_mq_unlink, mqname);

        fd = open(rootpath("/etc"), O_RDONLY | O_DIRECTORY);
        expect_efault("getdents64", i, syscall(SYS_getdents64, fd, bad[i], 4096));
        close(fd);

        // wait4's status pointer, with a child that has exited.
        pid_t pid = xfork();
        if (pid == 0)
            _exit(3);
        long r = syscall(SYS_wait4, pid, bad[i], 0, NULL);
        expect_efault("wait4_status", i, r);
        // Linux reaps the child even so; bunshin may keep it. Either way
        // it must be gone after a second wait with a good pointer.
        int st;
        waitpid(pid, &st, 0);

        static const char *const exec_what[] = { "execve_path", "execve_argv",
                                                 "execve_argv_element", "execve_envp" };
        for (int w = 0; w < 4; w++) {
            st = run_child(execve_child, (void *)(intptr_t)(i << 4 | w));
            check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == EFAULT,
                  tname("efault.%s.%s", exec_what[w], bad_name[i]),
                  "expected execve to fail with EFAULT, but the child %s%s", status_str(st),
                  st != -1 && WIFEXITED(st) && WEXITSTATUS(st) != 99
                      ? tname(" (errno %s)", errname(WEXITSTATUS(st)))
                      : "");
        }
    }

    // Still here, still working: a good call after all the bad ones.
    struct timespec ts;
    check_eq("efault.caller_fine", 0, clock_gettime(CLOCK_MONOTONIC, &ts));
    unlink(scratch);
    return test_status();
}
