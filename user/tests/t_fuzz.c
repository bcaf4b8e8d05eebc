// t_fuzz: bunshin's own fuzzer. Random system calls in forked children,
// then execve of mutated ELF files; the kernel must survive all of it,
// every process must end and be reaped, and every frame must come back.
//
//   /tests/t_fuzz                      the bounded run of make test (seed 1)
//   /tests/t_fuzz seed=S n=N from=F k=K mutants=M mfrom=G
//                                      a campaign (tools/fuzz.sh, make fuzz)
//   /tests/t_fuzz user=UID ...         the children run as the ordinary user
//                                      UID: none may end up root or open a
//                                      root-only file (FUZZ_SECRET)
//
// make test runs it three times: the bounded run, 40 children as uid 1000,
// and 100 children (other seeds) with the page-table sharing fork:
// bunshin-boot: -- user=1000 n=40 mutants=0
// bunshin-boot: fork=odf -- seed=7 n=100 mutants=20
//
// Random calls: child number i (from F to F+N-1) gets the seed
// fuzz_item_seed(S, calls, i) and makes K calls (user/lib/fuzz_child.c),
// each logged on the console before it is made, in its own scratch
// directory /tmp/fuzz/c<i>. The driver waits with a time limit and kills a
// child that blocks (a read of the console, a long sleep...). After each
// child it kills and waits for any process the child left, removes the
// scratch directory, checks that the files the system needs are still
// there, and that MemFree is back to where it was.
//
// ELF mutants: mutant number j (from G to G+M-1) is /bin/true with a few
// fields edited, bits flipped, or cut short (user/lib/fuzz_elf.c), run
// with execve in a forked child with a time limit. Any outcome is fine
// (execve fails with an errno, or the program runs and exits or dies by a
// signal) but a panic, a hang, a leak, a failed execve that damaged its
// caller, or a file that breaks a rule execve promises to enforce running
// anyway.
//
// Anything found is a FAIL naming the child or mutant and a command that
// runs just that one again: make fuzz SEED=S FROM=i N=1 K=K MUTANTS=0.
//
// On Linux (the reference run of every user test) the random phases are
// skips: they only ever run on bunshin. The two fixed execs of the ELF
// phase (the original runs; a copy cut inside its header is refused) run
// on both.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"
#include "fuzz.h"
#include "fuzz_run.h"

// The bounded run of make test: a fixed seed, so that a failure can be run
// again; sized to take about half a minute in QEMU's plain emulation.
#define TEST_SEED     1
#define TEST_CHILDREN 100
#define TEST_CALLS    300
#define TEST_MUTANTS  2000

#define STALL_MS  100          // a fuzz child with no new call for this long is blocked
#define CHILD_MS  20000        // and none may take longer than this in all
#define MUTANT_MS 1000         // a mutant that runs gets this long

#define SCRATCH "/tmp/fuzz"

static struct {
    unsigned long long seed;
    uint32_t n, from, k, mutants, mfrom, user;
    int campaign;              // arguments were given: a make fuzz run
} opt = { TEST_SEED, TEST_CHILDREN, 0, TEST_CALLS, TEST_MUTANTS, 0, 0, 0 };

// ---- findings: each check counts them and keeps the first ----

struct finding {
    const char *check;
    int count;
    char first[400];
};
static struct finding f_killable = { .check = "fuzz.killable" },
                      f_reaped = { .check = "fuzz.all_reaped" },
                      f_memfree = { .check = "fuzz.memfree_each" },
                      f_files = { .check = "fuzz.files_kept" },
                      f_removed = { .check = "fuzz.scratch_removed_each" },
                      f_setup = { .check = "fuzz.calls.setup" },
                      f_root = { .check = "fuzz.calls.stays_unprivileged" },
                      f_mustfail = { .check = "fuzz.elf.must_fail" },
                      f_caller = { .check = "fuzz.elf.caller_intact" };

static void found(struct finding *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void found(struct finding *f, const char *fmt, ...)
{
    char msg[sizeof f->first];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (f->count++ == 0)
        strcpy(f->first, msg);
    // Every finding gets a line of its own (tools/fuzz.sh collects them).
    say("\nfuzz-found: %s: %s", f->check, msg);
}

static void report(struct finding *f)
{
    if (f->count == 0)
        ok(f->check);
    else
        fail(f->check, "%d time%s; the first: %s", f->count, f->count > 1 ? "s" : "",
             f->first);
}

// "KOPTS=fork=odf " when the kernel runs another fork than the default.
static const char *kopts(void)
{
    const char *m = fork_mode();
    return strcmp(m, "odf") == 0 ? "KOPTS=fork=odf " :
           strcmp(m, "copy") == 0 ? "KOPTS=fork=copy " : "";
}

static const char *replay_child(uint32_t i)
{
    return tname("make fuzz %sSEED=%llu FROM=%u N=1 K=%u MUTANTS=0", kopts(), opt.seed, i,
                 opt.k);
}

static const char *replay_mutant(uint32_t j)
{
    return tname("make fuzz %sSEED=%llu N=0 MFROM=%u MUTANTS=1", kopts(), opt.seed, j);
}

// ---- what every child or mutant must leave behind ----

#define MAX_KEEP 64
static int keep[MAX_KEEP], nkeep;   // processes there were at the start (and
                                    // ones that could not be ended, once reported)
static long mem_base;           // MemFree (kB) with no child running
static uint32_t strays_killed;

static void remove_dir(void *path)
{
    _exit(remove_tree(path) == 0 ? 0 : 1);
}

// The files the rest of the system needs, and /proc's own.
static const char *const kept_files[] = {
    "/proc/meminfo", "/proc/self/status", "/proc/1/status", "/dev/null", "/dev/zero",
    "/dev/console", "/bin/true", "/bin/init", "/tests/t_fuzz", "/tmp", "/proc/self/fd/0",
};

// The first of them that is gone (errno says how), or NULL.
static const char *files_gone(void)
{
    for (size_t i = 0; i < sizeof kept_files / sizeof kept_files[0]; i++) {
        struct stat st;
        if (stat(kept_files[i], &st) < 0)
            return kept_files[i];
    }
    return NULL;
}

// Remove every System V IPC object (as ipcrm -a does): they outlive the
// child that made them, and their memory would read as a leak.
static void clear_sysv_ipc(void)
{
    struct shmid_ds shm;
    struct semid_ds sem;
    struct msqid_ds msq;
    int max = shmctl(0, IPC_INFO, &shm);
    for (int i = 0; i <= max; i++) {
        int id = shmctl(i, SHM_STAT, &shm);
        if (id >= 0)
            shmctl(id, IPC_RMID, NULL);
    }
    max = semctl(0, 0, IPC_INFO, &sem);
    for (int i = 0; i <= max; i++) {
        int id = semctl(i, 0, SEM_STAT, &sem);
        if (id >= 0)
            semctl(id, 0, IPC_RMID);
    }
    max = msgctl(0, IPC_INFO, &msq);
    for (int i = 0; i <= max; i++) {
        int id = msgctl(i, MSG_STAT, &msq);
        if (id >= 0)
            msgctl(id, IPC_RMID, NULL);
    }
}

// Remove every POSIX message queue (bunshin lists them in /dev/mqueue):
// they outlive the child that named them, like System V objects. Read with
// getdents64 into a static buffer: opendir's malloc would move MemFree.
static void clear_posix_mq(void)
{
    static char buf[4096] __attribute__((aligned(8)));
    for (int removed = 1; removed;) {
        removed = 0;
        int fd = open("/dev/mqueue", O_RDONLY | O_DIRECTORY);
        if (fd < 0)
            return;
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        close(fd);
        for (long off = 0; off < n;) {
            struct dirent *e = (struct dirent *)(buf + off);
            char name[NAME_MAX + 2];
            snprintf(name, sizeof name, "/%s", e->d_name);
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && mq_unlink(name) == 0)
                removed = 1;
            off += e->d_reclen;
        }
    }
}

// Drop the locks a child left on the open file descriptions it shared with
// this driver (its standard input, output and error are ours): flock(2)
// and OFD locks belong to the description, not the process, so they
// outlive the child, and their memory would read as a leak. As on Linux,
// unlocking through our own descriptor of the description releases them.
static void clear_shared_locks(void)
{
    for (int fd = 0; fd < 64; fd++) {
        if (fcntl(fd, F_GETFD) < 0)
            continue;
        flock(fd, LOCK_UN);
        struct flock whole = { .l_type = F_UNLCK, .l_whence = SEEK_SET };
        fcntl(fd, F_OFD_SETLK, &whole);
    }
}

// After child or mutant `what`: no process left, its scratch files gone,
// the system's files in place, MemFree back.
static void after_item(const char *what_in, const char *dir, const char *replay_in)
{
    // Copies: tname's buffers are reused by what is called below.
    char what[64], replay[128];
    snprintf(what, sizeof what, "%s", what_in);
    snprintf(replay, sizeof replay, "%s", replay_in);
    struct fuzz_strays s;
    fuzz_clear_strays(keep, nkeep, &s);
    for (int i = 0; i < s.nleft; i++) {
        found(&f_reaped, "after %s, %s was still there 5 s after SIGKILL; replay: %s", what,
              fuzz_describe_pid(s.left[i]), replay);
        // Reported once: from now on it is left alone, and the next
        // children are judged on their own.
        if (nkeep < MAX_KEEP)
            keep[nkeep++] = s.left[i];
    }
    strays_killed += s.found;
    if (on_bunshin()) {
        clear_sysv_ipc();
        clear_posix_mq();
        clear_shared_locks();
    }
    if (dir && run_child(remove_dir, (void *)dir) != 0)
        found(&f_removed, "after %s, %s could not be removed; replay: %s", what, dir, replay);
    const char *gone = files_gone();
    if (gone)
        found(&f_files, "after %s, %s is gone (%s); replay: %s", what, gone, errname(errno),
              replay);
    long mem = meminfo_free_kb();
    if (mem != mem_base) {
        found(&f_memfree, "after %s, MemFree moved by %+ld kB; replay: %s", what,
              mem - mem_base, replay);
        mem_base = mem;        // judge the next one on its own
    }
}

// ---- random calls ----

static uint8_t seen[(FUZZ_MAX_NR + 8) / 8];
static struct {
    uint32_t calls, children, done, stalled, slow, signaled, exited, lost_log, paths;
} cs;

// Run fuzz child i. Returns -1 if it could not be ended (the run stops).
static int calls_child(uint32_t i)
{
    char dir[64];
    snprintf(dir, sizeof dir, SCRATCH "/c%u", (unsigned)i);
    int pp[2];
    if (mkdir(dir, 0755) < 0 || pipe(pp) < 0) {
        found(&f_setup, "child %u: cannot make %s or a pipe: %s", (unsigned)i, dir,
              errname(errno));
        return 0;
    }
    fcntl(pp[0], F_SETFL, O_NONBLOCK);
    if (opt.user)
        chown(dir, opt.user, opt.user);        // the ordinary user's own scratch space
    pid_t pid = xfork();
    if (pid == 0) {
        if (chdir(dir) < 0 || dup2(1, FUZZ_LOG_FD) < 0 || dup2(pp[1], FUZZ_PROGRESS_FD) < 0)
            _exit(FUZZ_EXIT_SETUP);
        fuzz_drop_uid = opt.user;
        close(pp[0]);
        close(pp[1]);
        fuzz_child(opt.seed, i, opt.k);
    }
    close(pp[1]);
    if (pid < 0) {
        close(pp[0]);
        found(&f_setup, "child %u: fork: %s", (unsigned)i, errname(errno));
        return 0;
    }
    struct fuzz_wait w = { .progress_fd = pp[0], .stall_ms = STALL_MS, .limit_ms = CHILD_MS,
                           .seen = seen };
    int r = fuzz_wait_child(pid, &w);
    close(pp[0]);
    cs.children++;
    cs.calls += w.calls;
    const char *what = tname("child %u", (unsigned)i);
    if (r < 0) {
        found(&f_killable, "%s (pid %d) did not end %s after SIGKILL, in call %u (number "
              "%u); replay: %s", what, (int)pid, w.unkillable ? "5 s" : "(waitpid failed)",
              (unsigned)w.last_index, (unsigned)w.last_nr, replay_child(i));
        return -1;
    }
    int st = w.status;
    if (WIFEXITED(st) && WEXITSTATUS(st) == FUZZ_EXIT_DONE && w.calls == opt.k) cs.done++;
    else if (WIFEXITED(st) && WEXITSTATUS(st) == FUZZ_EXIT_SETUP)
        found(&f_setup, "%s could not set itself up; replay: %s", what, replay_child(i));
    else if (WIFEXITED(st) && WEXITSTATUS(st) == FUZZ_EXIT_ROOT)
        found(&f_root, "%s, run as uid %u, ended up root or could open %s; replay: %s", what,
              (unsigned)opt.user, FUZZ_SECRET, replay_child(i));
    else if (WIFEXITED(st) && WEXITSTATUS(st) == FUZZ_EXIT_LOST_LOG) cs.lost_log++;
    else if (WIFEXITED(st) && WEXITSTATUS(st) == FUZZ_EXIT_PATHS) cs.paths++;
    else if (WIFEXITED(st)) cs.exited++;
    else if (w.killed && WTERMSIG(st) == SIGKILL) w.stalled ? cs.stalled++ : cs.slow++;
    else cs.signaled++;
    say("\nfz %u end: %s after %u calls", (unsigned)i,
        w.killed ? (w.stalled ? "blocked, killed" : "too slow, killed") : status_str(st),
        (unsigned)w.calls);
    after_item(what, dir, replay_child(i));
    return 0;
}

static void calls_phase(void)
{
    if (!on_bunshin()) {
        skip("fuzz.calls", "Linux: the random calls only ever run on bunshin");
        return;
    }
    for (uint32_t i = opt.from; i < opt.from + opt.n; i++)
        if (calls_child(i) < 0)
            break;
    uint32_t distinct = 0, skipped = 0;     // skipped: fuzz_root_must_skip's numbers
    for (uint32_t nr = 0; nr <= FUZZ_MAX_NR; nr++) {
        distinct += (seen[nr / 8] >> (nr % 8)) & 1;
        skipped += fuzz_root_must_skip(nr) != 0;
    }
    say("\nfuzz: %u calls in %u children, %u of the %u numbers 0-%u but reboot; children: "
        "%u made all their calls, %u blocked and were killed, %u were too slow, %u died "
        "by a signal, %u exited (exit, or an execve of prog), %u lost their log, %u had "
        "their paths changed; %u stray processes killed",
        (unsigned)cs.calls, (unsigned)cs.children, (unsigned)distinct, FUZZ_MAX_NR,
        FUZZ_MAX_NR, (unsigned)cs.done, (unsigned)cs.stalled, (unsigned)cs.slow,
        (unsigned)cs.signaled, (unsigned)cs.exited, (unsigned)cs.lost_log,
        (unsigned)cs.paths, (unsigned)strays_killed);
    char never[1000] = "";
    for (uint32_t nr = 0; nr <= FUZZ_MAX_NR; nr++)
        if (nr != FUZZ_NR_REBOOT && !fuzz_root_must_skip(nr) &&
            !((seen[nr / 8] >> (nr % 8)) & 1) &&
            strlen(never) + 5 < sizeof never)
            snprintf(never + strlen(never), sizeof never - strlen(never), "%s%u",
                     never[0] ? " " : "", (unsigned)nr);
    say("fuzz: numbers never called: %s", never[0] ? never : "none");     // for tools/fuzz.sh
    // The fuzzer itself works: many of the calls asked for were made, and
    // in the bounded run every number was called. Children end early by
    // design (a random exit, a fatal signal, a read that blocks): one lives
    // for some 300 calls on average, and fewer as the calls that can block
    // grow in number (accept, recv, PI futexes...), so the check asks for a
    // quarter of the calls, or 75 a child when each was asked for more than
    // 300. A fuzzer that no longer works makes a few calls a child at most.
    // (A replay of a few children says nothing of it: skipped.)
    uint64_t wanted = (uint64_t)opt.n * (opt.k < 300 ? opt.k : 300) / 4;
    if (opt.n < 20)
        skip("fuzz.calls.made", "%u children are too few to judge", (unsigned)opt.n);
    else
        check(cs.calls >= wanted, "fuzz.calls.made",
              "%u calls made in %u children, fewer than the %llu expected",
              (unsigned)cs.calls, (unsigned)cs.children, (unsigned long long)wanted);
    if (!opt.campaign)
        check(distinct == FUZZ_MAX_NR - skipped, "fuzz.calls.every_number",
              "%u of the numbers 0-%u but reboot and %u root must skip were called",
              (unsigned)distinct, FUZZ_MAX_NR, (unsigned)skipped);
}

// ---- ELF mutants ----

static uint8_t base[64 * 1024], image[64 * 1024];
static size_t base_len;

// What one execve of an image did.
struct exec_result {
    int ran;                   // execve succeeded (the program ran)
    int err;                   // else its errno
    int damaged;               // execve failed and the caller's memory changed
    int status;                // the wait status
    int killed;                // killed at the time limit
};

// Canaries a failed execve must leave as they were, in data, bss and on
// the stack (t_exec_bad checks more of the caller; this is the cheap part).
static volatile uint32_t data_canary = 0xDA7A0001u;
static volatile uint32_t bss_canary;

#define CHILD_DAMAGED (-1)

// Write img to path, run it in a forked child with stdio on /dev/null, and
// wait with a time limit. The child reports a failed execve's errno through
// a close-on-exec pipe: bytes on it mean execve returned, none that it ran.
// -1 if the child could not be ended (the run stops).
static int run_image(const uint8_t *img, size_t len, const char *path, struct exec_result *r)
{
    memset(r, 0, sizeof *r);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0 || write_full(fd, img, len) != (ssize_t)len || close(fd) < 0) {
        r->err = errno;
        return 0;
    }
    int ep[2];
    if (pipe2(ep, O_CLOEXEC) < 0) {
        r->err = errno;
        return 0;
    }
    fcntl(ep[0], F_SETFL, O_NONBLOCK);
    bss_canary = 0xB55B55u;
    pid_t pid = xfork();
    if (pid == 0) {
        volatile uint32_t stack_canary = 0x57ACu;
        close(ep[0]);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        char *argv[] = { "mutant", NULL }, *envp[] = { NULL };
        execve(path, argv, envp);
        int msg = errno;
        if (data_canary != 0xDA7A0001u || bss_canary != 0xB55B55u || stack_canary != 0x57ACu)
            msg = CHILD_DAMAGED;
        write(ep[1], &msg, sizeof msg);
        _exit(127);
    }
    close(ep[1]);
    if (pid < 0) {
        close(ep[0]);
        r->err = errno;
        return 0;
    }
    struct fuzz_wait w = { .progress_fd = -1, .limit_ms = MUTANT_MS };
    int rc = fuzz_wait_child(pid, &w);
    int msg;
    ssize_t n = rc == 0 ? read(ep[0], &msg, sizeof msg) : -1;
    close(ep[0]);
    unlink(path);
    if (rc < 0)
        return -1;
    r->status = w.status;
    r->killed = w.killed;
    if (n == sizeof msg) {
        r->damaged = msg == CHILD_DAMAGED;
        r->err = r->damaged ? 0 : msg;
    } else {
        r->ran = !w.killed || WIFEXITED(w.status);
    }
    return 0;
}

static const char *outcome(const struct exec_result *r)
{
    if (r->damaged) return "execve failed and damaged its caller";
    if (r->err) return tname("refused with %s", errname(r->err));
    if (r->killed) return "killed at the time limit";
    return tname("ran and %s", status_str(r->status));
}

// The two fixed execs: the pipeline works on both systems.
static int elf_fixed(void)
{
    long n = read_file(rootpath("/bin/true"), (char *)base, sizeof base);
    base_len = n > 0 ? fuzz_elf_loaded_part(base, (size_t)n) : 0;
    if (!check(base_len > 0, "fuzz.elf.base", "%s: %s", rootpath("/bin/true"),
               n < 0 ? errname(errno) : "not an i386 executable of at most 64 KiB"))
        return -1;
    struct exec_result r;
    const char *path = scratch_path("fuzz-elf");
    if (run_image(base, base_len, path, &r) < 0)
        return -1;
    check(r.ran && WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0, "fuzz.elf.original_runs",
          "the loaded part of /bin/true (%zu bytes): %s", base_len, outcome(&r));
    if (run_image(base, 40, path, &r) < 0)
        return -1;
    check(r.err == ENOEXEC, "fuzz.elf.cut_refused",
          "its first 40 bytes (inside the ELF header): %s, ENOEXEC expected", outcome(&r));
    return 0;
}

static struct {
    uint32_t run, refused, ran, killed;
    uint32_t err[134];         // refused, by errno
    uint32_t sig[65];          // ran and died by a signal
    uint32_t exit0, exit_other;
} es;

// The log of mutants, several to a line as the fuzz children's calls are
// (user/lib/fuzz_child.c says why): "fe 12: flip@2c.3 | 13: cut@1a0".
static void log_mutant(uint32_t j, const char *what)
{
    static size_t column;
    char buf[300];
    int n;
    if (column == 0 || column + strlen(what) + 12 > 79)
        n = snprintf(buf, sizeof buf, "\nfe %u: %s", (unsigned)j, what);
    else
        n = snprintf(buf, sizeof buf, " | %u: %s", (unsigned)j, what);
    if (n > (int)sizeof buf - 1)
        n = sizeof buf - 1;
    column = buf[0] == '\n' ? (size_t)n - 1 : column + n;
    write_full(1, buf, n);
}

static void elf_phase(void)
{
    if (elf_fixed() < 0)
        return;
    if (!on_bunshin()) {
        skip("fuzz.elf", "Linux: the ELF mutants only ever run on bunshin");
        return;
    }
    for (uint32_t j = opt.mfrom; j < opt.mfrom + opt.mutants; j++) {
        char what[200];
        size_t len = fuzz_elf_mutate(base, base_len, opt.seed, j, image, what, sizeof what);
        const char *rule = fuzz_elf_must_fail(image, len);
        log_mutant(j, what);                      // the log: before it runs
        struct exec_result r;
        if (run_image(image, len, SCRATCH "/m", &r) < 0) {
            found(&f_killable, "mutant %u (%s) did not end 5 s after SIGKILL; replay: %s",
                  (unsigned)j, what, replay_mutant(j));
            return;
        }
        es.run++;
        if (r.damaged)
            found(&f_caller, "mutant %u (%s): %s; replay: %s", (unsigned)j, what,
                  outcome(&r), replay_mutant(j));
        else if (r.err) {
            es.refused++;
            es.err[r.err < 134 ? r.err : 0]++;
        } else if (r.killed) {
            es.killed++;
        } else {
            es.ran++;
            if (WIFSIGNALED(r.status))
                es.sig[WTERMSIG(r.status) < 65 ? WTERMSIG(r.status) : 0]++;
            else if (WEXITSTATUS(r.status) == 0)
                es.exit0++;
            else
                es.exit_other++;
        }
        if (rule && (r.ran || r.killed))
            found(&f_mustfail, "mutant %u (%s) has %s, yet execve ran it (%s); replay: %s",
                  (unsigned)j, what, rule, outcome(&r), replay_mutant(j));
        after_item(tname("mutant %u", (unsigned)j), NULL, replay_mutant(j));
    }
    char errs[300] = "", sigs[300] = "";
    for (int e = 0; e < 134; e++)
        if (es.err[e])
            snprintf(errs + strlen(errs), sizeof errs - strlen(errs), "%s%s %u",
                     errs[0] ? ", " : "", errname(e), (unsigned)es.err[e]);
    for (int s = 0; s < 65; s++)
        if (es.sig[s])
            snprintf(sigs + strlen(sigs), sizeof sigs - strlen(sigs), ", %s %u", signame(s),
                     (unsigned)es.sig[s]);
    say("\nfuzz: %u mutants: %u refused (%s); %u ran (exit 0: %u, other exits: %u%s); %u "
        "killed at the time limit", (unsigned)es.run, (unsigned)es.refused, errs,
        (unsigned)es.ran, (unsigned)es.exit0, (unsigned)es.exit_other, sigs,
        (unsigned)es.killed);
    check(es.run == opt.mutants, "fuzz.elf.all_run", "%u of %u mutants run",
          (unsigned)es.run, (unsigned)opt.mutants);
    report(&f_mustfail);
    report(&f_caller);
}

// ---- the whole run ----

// Write every page of the driver's bss once: bunshin gives a bss page its
// frame at the first touch, and the first child must not be blamed for the
// driver's own pages (findings, counters, tname's and rootpath's buffers).
static void touch_bss(void)
{
    extern char __bss_start[], end[];
    for (volatile char *p = __bss_start; p < end; p += 4096)
        *p = *p;
    end[-1] = end[-1];
}

// seed=S n=N from=F k=K mutants=M mfrom=G; returns -1 on a bad word.
static int parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '='), *end;
        if (!eq)
            return -1;
        unsigned long long v = strtoull(eq + 1, &end, 0);
        if (*end || end == eq + 1)
            return -1;
        size_t klen = eq - argv[i];
        if (!strncmp(argv[i], "seed", klen) && klen == 4) opt.seed = v;
        else if (!strncmp(argv[i], "n", klen) && klen == 1) opt.n = v;
        else if (!strncmp(argv[i], "from", klen) && klen == 4) opt.from = v;
        else if (!strncmp(argv[i], "k", klen) && klen == 1) opt.k = v;
        else if (!strncmp(argv[i], "mutants", klen) && klen == 7) opt.mutants = v;
        else if (!strncmp(argv[i], "mfrom", klen) && klen == 5) opt.mfrom = v;
        else if (!strncmp(argv[i], "user", klen) && klen == 4) opt.user = v;
        else return -1;
        opt.campaign = 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (parse_args(argc, argv) < 0) {
        warn("usage: t_fuzz [seed=S] [n=CHILDREN] [from=FIRST] [k=CALLS] [mutants=M] "
             "[mfrom=FIRST]");
        return 2;
    }
    long t0 = (long)(mono_ns() / 1000000);
    // Everything the driver will touch is touched now, before MemFree is
    // read: its buffers, its stack, the kernel's first pipe and fork.
    touch_bss();
    // Looking at /proc/self and /proc/1 makes the kernel keep their
    // directories while those processes live: done once before MemFree
    // is read.
    if (on_bunshin() && files_gone())
        fail("fuzz.files", "%s is missing at the start", files_gone());
    long before = memfree_start();
    if (on_bunshin()) {
        nkeep = fuzz_list_pids(keep, MAX_KEEP);
        if (mkdir(SCRATCH, 0755) < 0 && errno != EEXIST)
            fail("fuzz.scratch", "mkdir %s: %s", SCRATCH, errname(errno));
        if (opt.user) {
            // The file the ordinary user's children must never open.
            int fd = open(FUZZ_SECRET, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            check(fd >= 0 && write(fd, "root only\n", 10) == 10, "fuzz.secret",
                  "cannot write %s: %s", FUZZ_SECRET, errname(errno));
            if (fd >= 0)
                close(fd);
        }
        mem_base = meminfo_free_kb();
        say("fuzz: seed %llu, %u children from %u with %u calls each, %u mutants from %u",
            opt.seed, (unsigned)opt.n, (unsigned)opt.from, (unsigned)opt.k,
            (unsigned)opt.mutants, (unsigned)opt.mfrom);
    }
    calls_phase();
    elf_phase();

    if (on_bunshin()) {
        // A clean line for the checks, whatever the children wrote last.
        say("\nfuzz: done in %ld s", ((long)(mono_ns() / 1000000) - t0 + 500) / 1000);
        report(&f_setup);
        if (opt.user)
            report(&f_root);
        report(&f_killable);
        report(&f_reaped);
        report(&f_removed);
        report(&f_files);
        report(&f_memfree);
        check(run_child(remove_dir, SCRATCH) == 0, "fuzz.scratch_removed",
              "%s could not be removed", SCRATCH);
        // No process of ours is left: none in /proc but those of the start,
        // no child to wait for.
        int pids[64], st, extra = 0;
        int n = fuzz_list_pids(pids, 64);
        for (int i = 0; i < n; i++) {
            int known = pids[i] == getpid();
            for (int j = 0; j < nkeep; j++)
                known |= pids[i] == keep[j];
            extra += !known;
        }
        pid_t w = waitpid(-1, &st, WNOHANG | __WALL);
        check(n > 0 && extra == 0 && w < 0 && errno == ECHILD, "fuzz.none_left",
              "%d processes in /proc, %d of them new; waitpid(-1, WNOHANG | __WALL): %d",
              n, extra, (int)w);
    }
    memfree_check("fuzz.memfree_restored", before);
    return test_status();
}
