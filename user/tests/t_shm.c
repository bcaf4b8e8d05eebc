// t_shm: System V shared memory (shmget, shmat, shmdt, shmctl; ipc/shm.c):
//   - a segment is one memory for every process attached: a fork child's
//     store is seen by its parent and the other way round;
//   - shm_nattch counts attaches: fork adds the child's, exit and execve
//     (a child that execs pipe_hold) take them away, shmdt too;
//   - IPC_RMID with attaches marks it SHM_DEST (key gone, still usable and
//     attachable by id);
//     the last detach frees it (IPC_STAT is EINVAL then);
//   - shmat at a given address, SHM_RND rounding, EINVAL for an unaligned
//     address or one already mapped, SHM_REMAP; SHM_RDONLY faults on a
//     store and mprotect cannot add write;
//   - shmdt after part of the attach was unmapped takes the rest;
//   - IPC_STAT (size, creator, mode), IPC_SET (mode), IPC_INFO, SHM_INFO,
//     SHM_STAT, SHM_LOCK and SHM_UNLOCK, /proc/sysvipc/shm, the old layouts
//     of ipc(2) without IPC_64; errors: EINVAL (size 0, bigger than the segment, bad ids and
//     commands), ENOENT, EEXIST, EACCES and EPERM for
//     another user, EFAULT;
//   - the same through ipc(2) (117) and the direct calls (395-398);
//   - MemFree back where it started.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PAGE 4096
#define NR_IPC 117
#define OLD_IPC_STAT 2             // musl's IPC_STAT is 0x102: IPC_64 is in it
#define IPC_SHMAT 21
#define IPC_SHMDT 22
#define IPC_SHMGET 23
#define IPC_SHMCTL 24
#define CMD_64 0x100               // IPC_64: the layouts musl uses

// A key no other program on the host uses.
static key_t test_key(int n)
{
    return (key_t)(0x5b000000 | ((getpid() & 0xffff) << 8) | n);
}

static long nattch(int id)
{
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) < 0)
        return -errno;
    return (long)ds.shm_nattch;
}

static void sharing_across_fork(void)
{
    int id = shmget(IPC_PRIVATE, 2 * PAGE, IPC_CREAT | 0600);
    check(id >= 0, "shm.get_private", "shmget: %s", errname(errno));
    volatile int *p = shmat(id, NULL, 0);
    if (!check(p != (void *)-1, "shm.attach", "shmat: %s", errname(errno)))
        return;
    check_eq("shm.nattch_one", 1, nattch(id));
    p[0] = 1;
    int ready[2], go[2];
    if (pipe(ready) < 0 || pipe(go) < 0)
        return;
    pid_t pid = xfork();
    if (pid == 0) {
        char c;
        close(ready[0]);
        close(go[1]);
        int ok_ = p[0] == 1 && nattch(id) == 2;
        p[1024] = 42;              // second page: first touched here
        write(ready[1], &ok_, sizeof ok_);
        read(go[0], &c, 1);        // the parent stores, then lets us look
        _exit(p[1] == 7 ? 0 : 3);
    }
    close(ready[1]);
    close(go[0]);
    int child_ok = 0;
    read(ready[0], &child_ok, sizeof child_ok);
    check(child_ok, "shm.fork_child_sees_and_counts", "the child saw p[0]=1 and nattch 2: %d", child_ok);
    check_eq("shm.fork_nattch_two", 2, nattch(id));
    check_eq("shm.child_store_seen", 42, p[1024]);
    p[1] = 7;
    write(go[1], "x", 1);
    int st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "shm.parent_store_seen", "child %s", status_str(st));
    check_eq("shm.exit_detaches", 1, nattch(id));
    close(ready[0]);
    close(go[1]);

    // execve detaches: the child execs pipe_hold, which tells its pid once
    // it runs (the old image and its attach are gone by then) and stays.
    int hold[2], told[2];
    if (pipe(hold) < 0 || pipe(told) < 0)
        return;
    pid = xfork();
    if (pid == 0) {
        char rd[16], wr[16];
        close(hold[1]);
        close(told[0]);
        snprintf(rd, sizeof rd, "%d", hold[0]);
        snprintf(wr, sizeof wr, "%d", told[1]);
        execl(rootpath("/tests/pipe_hold"), "pipe_hold", rd, wr, (char *)NULL);
        _exit(127);
    }
    close(hold[0]);
    close(told[1]);
    int held = 0;
    check(read(told[0], &held, sizeof held) == sizeof held && held == pid, "shm.exec_helper_runs",
          "pipe_hold said %d (pid %d)", held, pid);
    check_eq("shm.exec_detaches", 1, nattch(id));
    close(hold[1]);
    close(told[0]);
    wait_for(pid);

    // A split (mprotect of one page) is a second attach, as on Linux; munmap
    // of the first page, then shmdt of the address takes the rest.
    check_eq("shm.mprotect_ok", 0, mprotect((void *)p, PAGE, PROT_READ));
    check_eq("shm.split_counts", 2, nattch(id));
    check_eq("shm.munmap_head", 0, munmap((void *)p, PAGE));
    check_eq("shm.after_munmap", 1, nattch(id));
    check_eq("shm.shmdt_rest", 0, shmdt((void *)p));
    check_eq("shm.after_shmdt", 0, nattch(id));
    check_errno("shm.shmdt_again", shmdt((void *)p), EINVAL);

    // IPC_RMID while attached: marked, still there until the last detach.
    p = shmat(id, NULL, 0);
    check(p != (void *)-1 && p[1024] == 42, "shm.reattach_keeps_data", "shmat: %s", errname(errno));
    check_eq("shm.rmid_attached", 0, shmctl(id, IPC_RMID, NULL));
    struct shmid_ds ds;
    check(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & 01000) && ds.shm_perm.__key == 0 &&
              ds.shm_nattch == 1,
          "shm.rmid_marks_dest", "mode %#o key %d nattch %ld", (unsigned)ds.shm_perm.mode,
          (int)ds.shm_perm.__key, (long)ds.shm_nattch);
    // Linux lets a removed segment be attached again by its id.
    void *again = shmat(id, NULL, SHM_RDONLY);
    check(again != (void *)-1 && nattch(id) == 2, "shm.dest_attach_by_id", "shmat: %s, nattch %ld",
          errname(errno), nattch(id));
    if (again != (void *)-1)
        shmdt(again);
    p[2] = 5;                      // still memory
    check_eq("shm.dest_usable", 5, p[2]);
    check_eq("shm.last_detach", 0, shmdt((void *)p));
    check_errno("shm.gone_after_last_detach", shmctl(id, IPC_STAT, &ds), EINVAL);
}

static void addresses_and_rights(void)
{
    int id = shmget(IPC_PRIVATE, PAGE, 0600);
    char *where = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(where, 4 * PAGE);       // a free range we know
    char *p = shmat(id, where + PAGE + 123, SHM_RND);
    check(p == where + PAGE, "shm.rnd_rounds_down", "shmat at +123 with SHM_RND: %p, wanted %p", (void *)p,
          (void *)(where + PAGE));
    check_errno("shm.unaligned_einval", (long)shmat(id, where + 2 * PAGE + 1, 0), EINVAL);
    check_errno("shm.mapped_einval", (long)shmat(id, p, 0), EINVAL);
    char *q = shmat(id, p, SHM_REMAP);
    check(q == p, "shm.remap", "shmat with SHM_REMAP over itself: %p", (void *)q);
    check_eq("shm.remap_nattch", 1, nattch(id));
    check_errno("shm.remap_needs_address", (long)shmat(id, NULL, SHM_REMAP), EINVAL);
    shmdt(p);

    char *r = shmat(id, NULL, SHM_RDONLY);
    check(r != (void *)-1, "shm.rdonly_attach", "shmat SHM_RDONLY: %s", errname(errno));
    check_errno("shm.rdonly_no_mprotect_write", mprotect(r, PAGE, PROT_READ | PROT_WRITE), EACCES);
    pid_t pid = xfork();
    if (pid == 0) {
        r[0] = 1;
        _exit(0);
    }
    int st = wait_for(pid);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "shm.rdonly_store_faults", "child %s",
          status_str(st));
    shmdt(r);

    // /proc/self/maps names the segment as Linux does.
    r = shmat(id, NULL, 0);
    char maps[8192];
    long n = read_file("/proc/self/maps", maps, sizeof maps);
    check(n > 0 && strstr(maps, "/SYSV00000000 (deleted)"), "shm.maps_name", "no /SYSV00000000 (deleted) line");
    shmdt(r);
    shmctl(id, IPC_RMID, NULL);
}

static void keys_and_errors(void)
{
    key_t key = test_key(1);
    check_errno("shm.enoent", shmget(key, PAGE, 0600), ENOENT);
    int id = shmget(key, 3 * PAGE + 5, IPC_CREAT | IPC_EXCL | 0640);
    check(id >= 0, "shm.create_key", "shmget: %s", errname(errno));
    check_eq("shm.same_key_same_id", id, shmget(key, PAGE, 0));
    check_eq("shm.creat_finds", id, shmget(key, PAGE, IPC_CREAT | 0600));
    check_errno("shm.eexist", shmget(key, PAGE, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
    check_errno("shm.bigger_einval", shmget(key, 4 * PAGE, 0), EINVAL);
    check_errno("shm.size0_einval", shmget(IPC_PRIVATE, 0, 0600), EINVAL);
    check_errno("shm.bad_id", (long)shmat(0x7ffffff0, NULL, 0), EINVAL);
    check_errno("shm.negative_id", (long)shmat(-1, NULL, 0), EINVAL);
    check_errno("shm.bad_cmd", shmctl(id, 1234, NULL), EINVAL);
    // (musl's shmctl writes into the buffer itself: the raw call.)
    check_errno("shm.stat_efault", syscall(NR_IPC, IPC_SHMCTL, id, IPC_STAT | CMD_64, 0, (void *)8, 0),
                EFAULT);
    check_errno("shm.shmdt_unaligned", shmdt((char *)0x1001), EINVAL);

    struct shmid_ds ds;
    check(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_segsz == 3 * PAGE + 5 && ds.shm_cpid == getpid() &&
              (ds.shm_perm.mode & 0777) == 0640 && ds.shm_perm.__key == key && ds.shm_nattch == 0 &&
              ds.shm_perm.uid == geteuid() && ds.shm_perm.cuid == geteuid() && ds.shm_ctime > 0,
          "shm.ipc_stat", "segsz %zu cpid %d mode %#o", (size_t)ds.shm_segsz, (int)ds.shm_cpid,
          (unsigned)ds.shm_perm.mode);
    ds.shm_perm.mode = 0604;
    check_eq("shm.ipc_set", 0, shmctl(id, IPC_SET, &ds));
    check(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & 0777) == 0604, "shm.ipc_set_mode",
          "mode %#o", (unsigned)ds.shm_perm.mode);

    struct shminfo info;
    int max = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
    check(max >= 0 && info.shmmni == 4096 && info.shmmin == 1, "shm.ipc_info", "IPC_INFO %d: shmmni %lu",
          max, (unsigned long)info.shmmni);
    struct shm_info sinfo;
    max = shmctl(0, SHM_INFO, (struct shmid_ds *)&sinfo);
    check(max >= id % 32768 && sinfo.used_ids >= 1, "shm.shm_info", "SHM_INFO %d: used_ids %d", max,
          sinfo.used_ids);
    check_eq("shm.shm_stat", id, shmctl(id % 32768, SHM_STAT, &ds));

    // /proc/sysvipc/shm: Linux's line (the widths differ on a 64-bit host).
    char text[8192];
    long n = read_file("/proc/sysvipc/shm", text, sizeof text);
    int found = 0;
    for (char *line = text; n > 0 && line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        int k, i, cpid, lpid;
        unsigned perms, nat;
        unsigned long size;
        if (sscanf(line, "%d %d %o %lu %d %d %u", &k, &i, &perms, &size, &cpid, &lpid, &nat) == 7 &&
            i == id)
            found = k == key && perms == 0604 && size == 3 * PAGE + 5 && cpid == getpid() && nat == 0;
    }
    check(n > 0 && strncmp(text, "       key      shmid perms ", 27) == 0 && found, "shm.proc_sysvipc",
          "no line for id %d with key, perms 604, size, cpid, nattch 0", id);

    // SHM_LOCK: the pages stay in memory (they never leave in bunshin); the
    // mode shows SHM_LOCKED (02000).
    check_eq("shm.lock", 0, shmctl(id, SHM_LOCK, NULL));
    check(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & 02000), "shm.locked_mode", "mode %#o",
          (unsigned)ds.shm_perm.mode);
    check_eq("shm.unlock", 0, shmctl(id, SHM_UNLOCK, NULL));
    check(shmctl(id, IPC_STAT, &ds) == 0 && !(ds.shm_perm.mode & 02000), "shm.unlocked_mode", "mode %#o",
          (unsigned)ds.shm_perm.mode);

    // Another user: its mode bits count, and only the owner may remove it.
    pid_t pid = xfork();
    if (pid == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(10);
        if (shmget(key, PAGE, 0) != id) // mode 0: asks for nothing
            _exit(11);
        if (shmget(key, PAGE, 0600) != -1 || errno != EACCES)
            _exit(12);
        void *a = shmat(id, NULL, 0);
        if (a != (void *)-1 || errno != EACCES)
            _exit(13);
        a = shmat(id, NULL, SHM_RDONLY); // other may read (0604)
        if (a == (void *)-1)
            _exit(14);
        if (shmctl(id, IPC_RMID, NULL) != -1 || errno != EPERM)
            _exit(15);
        struct shmid_ds d;
        if (shmctl(id, IPC_STAT, &d) != 0)
            _exit(16);
        d.shm_perm.mode = 0666;
        if (shmctl(id, IPC_SET, &d) != -1 || errno != EPERM)
            _exit(17);
        if (shmctl(id, SHM_LOCK, NULL) != -1 || errno != EPERM)
            _exit(18);
        _exit(0);
    }
    int st = wait_for(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "shm.other_user", "child %s (10: setuid, 11-18: a step)",
          status_str(st));
    check_eq("shm.rmid", 0, shmctl(id, IPC_RMID, NULL));
    check_errno("shm.rmid_again", shmctl(id, IPC_RMID, NULL), EINVAL);
    check_errno("shm.key_gone", shmget(key, PAGE, 0), ENOENT);
}

// The same calls through ipc(2), as C libraries make them on i386, and
// through the direct calls.
static void entry_points(void)
{
    long id = syscall(NR_IPC, IPC_SHMGET, IPC_PRIVATE, PAGE, IPC_CREAT | 0600, NULL, 0);
    check(id >= 0, "shm.ipc_shmget", "ipc(SHMGET): %s", errname(errno));
    unsigned long raddr = 0;
    check_eq("shm.ipc_shmat", 0, syscall(NR_IPC, IPC_SHMAT, id, 0, &raddr, NULL, 0));
    check(raddr && raddr % PAGE == 0, "shm.ipc_shmat_result", "address %#lx", raddr);
    check_errno("shm.ipc_shmat_efault", syscall(NR_IPC, IPC_SHMAT, id, 0, (void *)8, NULL, 0), EFAULT);
    check_errno("shm.ipc_shmat_ibcs2", syscall(NR_IPC, IPC_SHMAT | (1 << 16), id, 0, &raddr, NULL, 0),
                EINVAL);
    struct shmid_ds ds;
    check(syscall(NR_IPC, IPC_SHMCTL, id, IPC_STAT | CMD_64, 0, &ds, 0) == 0 && ds.shm_nattch == 2,
          "shm.ipc_shmctl_stat", "nattch %ld (one attach left by the EFAULT)", (long)ds.shm_nattch);
    // Without IPC_64: the old layout, 16-bit ids and counts.
    struct {
        int32_t key;
        uint16_t uid, gid, cuid, cgid, mode, seq;
        int32_t segsz, atime, dtime, ctime;
        uint16_t cpid, lpid, nattch, unused;
        uint32_t unused2, unused3;
    } old = { 0 };
    _Static_assert(sizeof old == 48, "the old struct shmid_ds is 48 bytes");
    check(syscall(NR_IPC, IPC_SHMCTL, id, OLD_IPC_STAT, 0, &old, 0) == 0 && old.nattch == 2 &&
              old.segsz == PAGE && old.mode == 0600 && old.cpid == (uint16_t)getpid(),
          "shm.ipc_old_stat", "nattch %u segsz %d mode %#o", old.nattch, old.segsz, old.mode);
    old.mode = 0640;
    check_eq("shm.ipc_old_set", 0, syscall(NR_IPC, IPC_SHMCTL, id, IPC_SET, 0, &old, 0));
    check(shmctl((int)id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & 0777) == 0640, "shm.ipc_old_set_mode",
          "mode %#o", (unsigned)ds.shm_perm.mode);
    int32_t oldinfo[5] = { 0 };
    check(syscall(NR_IPC, IPC_SHMCTL, 0, IPC_INFO, 0, oldinfo, 0) >= 0 && oldinfo[2] == 4096,
          "shm.ipc_old_info", "shmmni %d", oldinfo[2]);
    check_eq("shm.ipc_shmdt", 0, syscall(NR_IPC, IPC_SHMDT, 0, 0, 0, (void *)raddr, 0));
    check_errno("shm.ipc_bad_call", syscall(NR_IPC, 99, 0, 0, 0, NULL, 0), ENOSYS);

    long a = syscall(SYS_shmat, id, NULL, 0);
    check(a != -1 && a % PAGE == 0, "shm.direct_shmat", "shmat(397): %s", errname(errno));
    check_errno("shm.direct_ipc64_einval", syscall(SYS_shmctl, id, IPC_STAT | CMD_64, &ds), EINVAL);
    // (The host's compat shmctl(396) refuses IPC_STAT: ask for the limits.)
    struct shminfo info;
    check(syscall(SYS_shmctl, 0, IPC_INFO, &info) >= 0 && info.shmmni == 4096, "shm.direct_shmctl",
          "shmctl(396, IPC_INFO): %s", errname(errno));
    check_eq("shm.direct_nattch", 2, nattch(id));
    check_eq("shm.direct_shmdt", 0, syscall(SYS_shmdt, a));
    check(syscall(SYS_shmget, IPC_PRIVATE, PAGE, 0600) >= 0, "shm.direct_shmget", "shmget(395): %s",
          errname(errno));
    // Remove both (the direct one is the next free index, whatever its id).
    check_eq("shm.ipc_rmid", 0, syscall(NR_IPC, IPC_SHMCTL, id, IPC_RMID, 0, NULL, 0));
    for (int i = 0; i < 32768; i++) {
        if (shmctl(i, SHM_STAT, &ds) >= 0 && ds.shm_cpid == getpid())
            shmctl(shmctl(i, SHM_STAT, &ds), IPC_RMID, NULL);
    }
}

static void all(void *arg)
{
    (void)arg;
    sharing_across_fork();
    addresses_and_rights();
    keys_and_errors();
    entry_points();
    _exit(test_status());
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all, NULL);
    if (st < 0 || !WIFEXITED(st))
        fail("shm.run", "the test's process %s", st < 0 ? "was lost" : status_str(st));
    memfree_check("shm.memfree", before);
    return test_status() || (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st));
}
