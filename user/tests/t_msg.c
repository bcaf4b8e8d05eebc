// t_msg: System V message queues (msgget, msgsnd, msgrcv, msgctl; ipc/msg.c):
//   - messages come out in the order sent: msgtyp 0 takes the first, > 0
//     the first of that type (MSG_EXCEPT: of any other), < 0 the first of
//     the lowest type up to -msgtyp;
//   - a message longer than the buffer is E2BIG and stays, unless
//     MSG_NOERROR cuts it; IPC_NOWAIT: ENOMSG on an empty queue, EAGAIN on
//     a full one;
//   - a blocked msgrcv is woken by another process's msgsnd, a blocked
//     msgsnd by a msgrcv that makes room; removal wakes a waiter with EIDRM,
//     a signal with EINTR (SA_RESTART or not);
//   - IPC_STAT (counts, pids), IPC_SET (room: more than MSGMNB only for
//     root), IPC_INFO, /proc/sysvipc/msg, the old layout of ipc(2) without
//     IPC_64; errors: EINVAL (type < 1, too long), EFAULT, ENOENT,
//     EEXIST, EACCES and EPERM for another user;
//   - ipc(2) (117): MSGRCV's version 0 with its struct ipc_kludge and
//     version 1 with msgtyp in the fifth argument; the direct calls 399-402;
//   - MemFree back where it started.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define NR_IPC 117
#define OLD_IPC_STAT 2             // musl's IPC_STAT is 0x102: IPC_64 is in it
#define IPC_MSGSND 11
#define IPC_MSGRCV 12
#define IPC_MSGCTL 14

struct message {
    long type;
    char text[64];
};

static key_t test_key(int n)
{
    return (key_t)(0x5d000000 | ((getpid() & 0xffff) << 8) | n);
}

static int send_text(int id, long type, const char *text, int flags)
{
    struct message m = { .type = type };
    snprintf(m.text, sizeof m.text, "%s", text);
    return msgsnd(id, &m, strlen(text), flags);
}

// Receive with msgtyp and flags: the text (in a rotating buffer) and its
// type, or "error NAME".
static const char *recv_text(int id, long msgtyp, int flags, long *type)
{
    static char out[4][80];
    static int turn;
    char *o = out[turn++ % 4];
    struct message m = { 0 };
    long n = msgrcv(id, &m, sizeof m.text - 1, msgtyp, flags);
    if (n < 0) {
        strcpy(o, "error ");
        strcat(o, errname(errno));
        return o;
    }
    m.text[n] = 0;
    if (type)
        *type = m.type;
    strcpy(o, m.text);
    return o;
}

static void ordering(void)
{
    int id = msgget(IPC_PRIVATE, 0600);
    check(id >= 0, "msg.get", "msgget: %s", errname(errno));
    send_text(id, 3, "three", 0);
    send_text(id, 1, "one-a", 0);
    send_text(id, 2, "two", 0);
    send_text(id, 1, "one-b", 0);
    send_text(id, 5, "five", 0);
    struct msqid_ds ds;
    check(msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 5 && ds.msg_cbytes == 5 + 5 + 3 + 5 + 4 &&
              ds.msg_lspid == getpid() && ds.msg_qbytes == 16384,
          "msg.stat_counts", "qnum %lu cbytes %lu qbytes %lu", (unsigned long)ds.msg_qnum,
          (unsigned long)ds.msg_cbytes, (unsigned long)ds.msg_qbytes);
    check_str("msg.type0_first", "three", recv_text(id, 0, 0, NULL));
    check_str("msg.type1_first", "one-a", recv_text(id, 1, 0, NULL));
    long type = 0;
    check_str("msg.except", "two", recv_text(id, 1, MSG_EXCEPT, &type));
    check_eq("msg.except_type", 2, type);
    send_text(id, 2, "two-again", 0);
    check_str("msg.lowest_upto", "one-b", recv_text(id, -4, 0, &type));
    check_str("msg.lowest_upto_next", "two-again", recv_text(id, -4, 0, NULL));
    check_str("msg.none_upto", "error ENOMSG", recv_text(id, -4, IPC_NOWAIT, NULL));
    check_str("msg.none_of_type", "error ENOMSG", recv_text(id, 9, IPC_NOWAIT, NULL));
    check_str("msg.last", "five", recv_text(id, 0, 0, NULL));
    check_str("msg.empty_enomsg", "error ENOMSG", recv_text(id, 0, IPC_NOWAIT, NULL));
    check(msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 0 && ds.msg_cbytes == 0 &&
              ds.msg_lrpid == getpid() && ds.msg_rtime > 0,
          "msg.stat_empty", "qnum %lu cbytes %lu", (unsigned long)ds.msg_qnum, (unsigned long)ds.msg_cbytes);

    // Too long for the buffer: E2BIG, and it stays; MSG_NOERROR cuts it.
    send_text(id, 7, "0123456789", 0);
    struct message m;
    check_errno("msg.e2big", msgrcv(id, &m, 4, 0, 0), E2BIG);
    check_eq("msg.noerror_cuts", 4, msgrcv(id, &m, 4, 0, MSG_NOERROR));
    check(memcmp(m.text, "0123", 4) == 0 && m.type == 7, "msg.noerror_text", "type %ld", m.type);
    check_str("msg.cut_gone", "error ENOMSG", recv_text(id, 0, IPC_NOWAIT, NULL));
    check_eq("msg.empty_message", 0, msgsnd(id, &m, 0, 0));
    check_eq("msg.empty_received", 0, msgrcv(id, &m, sizeof m.text, 0, 0));

    // Room: IPC_SET shrinks it; a full queue is EAGAIN with IPC_NOWAIT.
    check_eq("msg.stat", 0, msgctl(id, IPC_STAT, &ds));
    ds.msg_qbytes = 100;
    check_eq("msg.set_qbytes", 0, msgctl(id, IPC_SET, &ds));
    static struct { long type; char text[8192]; } big = { 1, { 0 } };
    check_eq("msg.fill", 0, msgsnd(id, &big, 60, 0));
    check_errno("msg.full_eagain", msgsnd(id, &big, 60, IPC_NOWAIT), EAGAIN);
    check_eq("msg.fits", 0, msgsnd(id, &big, 40, IPC_NOWAIT));
    char text[8192];
    long n = read_file("/proc/sysvipc/msg", text, sizeof text);
    char want[80];
    snprintf(want, sizeof want, "\n         0 %10d   600         100          2 %5d ", id, (int)getpid());
    check(n > 0 && strncmp(text, "       key      msqid perms      cbytes       qnum", 50) == 0 && strstr(text, want),
          "msg.proc_sysvipc", "no line '%s'", want + 1);
    check_errno("msg.too_long", msgsnd(id, &big, 8193, 0), EINVAL);
    check_eq("msg.rmid", 0, msgctl(id, IPC_RMID, NULL));
    check_errno("msg.rmid_again", msgctl(id, IPC_RMID, NULL), EINVAL);
}

static void on_signal(int sig)
{
    (void)sig;
}

static void waiting(void)
{
    int id = msgget(IPC_PRIVATE, 0600);
    // A receiver sleeps until a message of its type comes.
    pid_t pid = xfork();
    if (pid == 0) {
        long type = 0;
        const char *t = recv_text(id, 2, 0, &type);
        _exit(strcmp(t, "wake") == 0 && type == 2 ? 0 : 1);
    }
    sleep_ms(30);
    send_text(id, 1, "not-yet", 0);
    sleep_ms(30);
    send_text(id, 2, "wake", 0);
    int st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "msg.receiver_woken", "child %s", status_str(st));
    check_str("msg.other_left", "not-yet", recv_text(id, 0, IPC_NOWAIT, NULL));

    // A sender sleeps until there is room.
    struct msqid_ds ds;
    msgctl(id, IPC_STAT, &ds);
    ds.msg_qbytes = 10;
    msgctl(id, IPC_SET, &ds);
    send_text(id, 1, "12345678", 0);
    pid = xfork();
    if (pid == 0)
        _exit(send_text(id, 1, "abcdef", 0) == 0 ? 0 : 1);
    sleep_ms(30);
    check(msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 1, "msg.sender_waits", "qnum %lu",
          (unsigned long)ds.msg_qnum);
    check_str("msg.make_room", "12345678", recv_text(id, 0, 0, NULL));
    st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "msg.sender_woken", "child %s", status_str(st));
    check_str("msg.sent_after_wait", "abcdef", recv_text(id, 0, IPC_NOWAIT, NULL));

    // A signal with a handler ends the wait with EINTR, even with
    // SA_RESTART (System V IPC calls are never restarted after a handler).
    pid = xfork();
    if (pid == 0) {
        struct sigaction sa = { 0 };
        sa.sa_handler = on_signal;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGUSR1, &sa, NULL);
        struct message m;
        _exit(msgrcv(id, &m, sizeof m.text, 0, 0) == -1 && errno == EINTR ? 0 : 1);
    }
    sleep_ms(30);
    kill(pid, SIGUSR1);
    st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "msg.eintr", "child %s", status_str(st));

    // A stop and a continue (no handler runs) restart the wait unseen.
    pid = xfork();
    if (pid == 0) {
        const char *t = recv_text(id, 0, 0, NULL);
        _exit(strcmp(t, "after-stop") == 0 ? 0 : 1);
    }
    sleep_ms(30);
    kill(pid, SIGSTOP);
    sleep_ms(30);
    kill(pid, SIGCONT);
    sleep_ms(30);
    send_text(id, 1, "after-stop", 0);
    st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "msg.stop_restarts", "child %s", status_str(st));

    // Removal: the waiter sees EIDRM.
    pid = xfork();
    if (pid == 0) {
        struct message m;
        _exit(msgrcv(id, &m, sizeof m.text, 0, 0) == -1 && errno == EIDRM ? 0 : 1);
    }
    sleep_ms(30);
    check_eq("msg.rmid_with_waiter", 0, msgctl(id, IPC_RMID, NULL));
    st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "msg.eidrm", "child %s", status_str(st));
}

static void errors_and_entry_points(void)
{
    key_t key = test_key(1);
    check_errno("msg.enoent", msgget(key, 0600), ENOENT);
    int id = msgget(key, IPC_CREAT | IPC_EXCL | 0640);
    check(id >= 0, "msg.create_key", "msgget: %s", errname(errno));
    check_eq("msg.same_key", id, msgget(key, 0));
    check_errno("msg.eexist", msgget(key, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
    struct message m = { .type = 0 };
    check_errno("msg.type0_einval", msgsnd(id, &m, 1, 0), EINVAL);
    m.type = -3;
    check_errno("msg.negative_type_einval", msgsnd(id, &m, 1, 0), EINVAL);
    check_errno("msg.send_efault", msgsnd(id, (void *)8, 1, 0), EFAULT);
    check_errno("msg.bad_id", msgsnd(0x7ffffff0, &m, 1, 0), EINVAL);
    check_errno("msg.bad_cmd", msgctl(id, 1234, NULL), EINVAL);
    check_errno("msg.negative_size", msgrcv(id, &m, (size_t)-1, 0, IPC_NOWAIT), EINVAL);
    struct msginfo info;
    check(msgctl(0, IPC_INFO, (struct msqid_ds *)&info) >= 0 && info.msgmax == 8192 && info.msgmnb == 16384,
          "msg.ipc_info", "msgmax %d msgmnb %d", info.msgmax, info.msgmnb);

    // ipc(2): MSGSND, MSGRCV version 0 (the kludge) and version 1.
    m.type = 4;
    memcpy(m.text, "ipc", 3);
    check_eq("msg.ipc_msgsnd", 0, syscall(NR_IPC, IPC_MSGSND, id, 3, 0, &m, 0));
    check_eq("msg.ipc_msgsnd2", 0, syscall(NR_IPC, IPC_MSGSND, id, 3, 0, &m, 0));
    struct message r = { 0 };
    struct { void *msgp; long msgtyp; } kludge = { &r, 4 };
    check_eq("msg.ipc_msgrcv_kludge", 3, syscall(NR_IPC, IPC_MSGRCV, id, sizeof r.text, 0, &kludge, 0));
    check(r.type == 4 && memcmp(r.text, "ipc", 3) == 0, "msg.ipc_kludge_text", "type %ld", r.type);
    check_errno("msg.ipc_kludge_null", syscall(NR_IPC, IPC_MSGRCV, id, sizeof r.text, 0, NULL, 0), EINVAL);
    r.type = 0;
    check_eq("msg.ipc_msgrcv_v1", 3,
             syscall(NR_IPC, IPC_MSGRCV | (1 << 16), id, sizeof r.text, 0, &r, 4));
    check_eq("msg.ipc_v1_type", 4, r.type);
    // Without IPC_64: the old layout, the counts in shorts. (A native i386
    // Linux also fills msg_lcbytes and msg_lqbytes, where pointers were; the
    // host's 64-bit Linux, running this program in compat mode, does not.)
    struct {
        int32_t key;
        uint16_t uid, gid, cuid, cgid, mode, seq;
        uint32_t first, last;
        int32_t stime, rtime, ctime;
        uint32_t lcbytes, lqbytes;
        uint16_t cbytes, qnum, qbytes, lspid, lrpid;
    } old = { 0 };
    _Static_assert(sizeof old == 56, "the old struct msqid_ds is 56 bytes");
    check_eq("msg.ipc_old_send", 0, syscall(NR_IPC, IPC_MSGSND, id, 3, 0, &m, 0));
    long ret = syscall(NR_IPC, IPC_MSGCTL, id, OLD_IPC_STAT, 0, &old, 0);
    check(ret == 0 && old.qnum == 1 && old.cbytes == 3 && old.qbytes == 16384 && old.mode == 0640 &&
              old.lspid == (uint16_t)getpid(),
          "msg.ipc_old_stat", "%ld: qnum %u cbytes %u qbytes %u mode %#o", ret, old.qnum, old.cbytes,
          old.qbytes, old.mode);
    old.qbytes = 1000;
    check_eq("msg.ipc_old_set", 0, syscall(NR_IPC, IPC_MSGCTL, id, IPC_SET, 0, &old, 0));
    struct msqid_ds cur;
    check(msgctl(id, IPC_STAT, &cur) == 0 && cur.msg_qbytes == 1000, "msg.ipc_old_set_qbytes",
          "qbytes %lu", (unsigned long)cur.msg_qbytes);
    check_eq("msg.ipc_old_drain", 3, syscall(SYS_msgrcv, id, &r, sizeof r.text, 0, 0));
    check_eq("msg.direct_msgsnd", 0, syscall(SYS_msgsnd, id, &m, 3, 0));
    check_eq("msg.direct_msgrcv", 3, syscall(SYS_msgrcv, id, &r, sizeof r.text, -10, 0));
    check(syscall(SYS_msgget, key, 0) == id, "msg.direct_msgget", "msgget(399): %s", errname(errno));

    // Another user: mode 0640 gives it nothing; only the owner removes,
    // and only root gives a queue more room than MSGMNB.
    pid_t pid = xfork();
    if (pid == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(10);
        if (msgget(key, 0) != id)
            _exit(11);
        if (msgget(key, 0200) != -1 || errno != EACCES)
            _exit(12);
        if (msgsnd(id, &m, 1, IPC_NOWAIT) != -1 || errno != EACCES)
            _exit(13);
        if (msgrcv(id, &r, 8, 0, IPC_NOWAIT) != -1 || errno != EACCES)
            _exit(14);
        if (msgctl(id, IPC_RMID, NULL) != -1 || errno != EPERM)
            _exit(15);
        _exit(0);
    }
    int st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "msg.other_user", "child %s (10: setuid, 11-15: a step)",
          status_str(st));
    // The owner, not root, may not pass MSGMNB.
    struct msqid_ds ds;
    msgctl(id, IPC_STAT, &ds);
    ds.msg_perm.uid = 65534;
    ds.msg_perm.mode = 0600;
    check_eq("msg.give_away", 0, msgctl(id, IPC_SET, &ds));
    pid = xfork();
    if (pid == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(10);
        struct msqid_ds d;
        if (msgctl(id, IPC_STAT, &d) != 0)
            _exit(11);
        d.msg_qbytes = 16385;
        if (msgctl(id, IPC_SET, &d) != -1 || errno != EPERM)
            _exit(12);
        d.msg_qbytes = 200;
        if (msgctl(id, IPC_SET, &d) != 0)
            _exit(13);
        _exit(0);
    }
    st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "msg.owner_room", "child %s (10: setuid, 11-13: a step)",
          status_str(st));
    // Messages left in a removed queue come back with it.
    send_text(id, 1, "left behind", 0);
    check_eq("msg.rmid_key", 0, msgctl(id, IPC_RMID, NULL));
    check_errno("msg.key_gone", msgget(key, 0), ENOENT);
}

static void all(void *arg)
{
    (void)arg;
    ordering();
    waiting();
    errors_and_entry_points();
    _exit(test_status());
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all, NULL);
    if (st < 0 || !WIFEXITED(st))
        fail("msg.run", "the test's process %s", st < 0 ? "was lost" : status_str(st));
    memfree_check("msg.memfree", before);
    return test_status() || (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st));
}
