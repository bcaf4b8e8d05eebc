// bunshin.h: the project library for user programs and tests (libbunshin.a).
//
// Tests print one line per check, and nothing else on stdout:
//     ok NAME
//     FAIL NAME: what went wrong (expected ..., got ...)
//     skip NAME: why this check does not apply here
// NAME looks like "exec.bss_zero": subject, dot, check. A test exits with
// test_status(): 0 if it printed no FAIL, 1 otherwise.
//
// Lines are written with one write(2) each, never through stdio's buffer,
// so a fork() can never duplicate them and lines from a parent and its
// children never mix inside a line.
#ifndef BUNSHIN_H
#define BUNSHIN_H

#include <stddef.h>
#include <sys/types.h>

// --- reporting -------------------------------------------------------------

void ok(const char *name);
void fail(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void skip(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

// ok if cond, else FAIL with the message. Returns cond.
int check(int cond, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
// ok if actual == expected, else "expected E, got A". Returns 1 if ok.
int check_eq(const char *name, long long expected, long long actual);
// ok if a call returned -1 with errno == expected_errno (call it right
// after the call, before anything can change errno). Returns 1 if ok.
int check_errno(const char *name, long ret, int expected_errno);
// ok if the strings are equal (NULL allowed). Returns 1 if ok.
int check_str(const char *name, const char *expected, const char *actual);

// Exit status for main: 0 if no check failed in this process, else 1.
int test_status(void);
// How many checks this process has failed so far.
int test_failures(void);

// A name built with printf formatting, e.g. tname("efault.%s.p1", call).
// The result lives in one of a few rotating static buffers.
const char *tname(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Print a whole line (a newline is added) with a single write(2).
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
// The same on stderr, for programs' error messages.
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// "ENOEXEC", "EFAULT"... or "errno 123" for ones not in the table.
const char *errname(int err);
// "exited with status 1", "killed by signal 11 (SIGSEGV)"; rotating buffer.
const char *status_str(int wstatus);
// "SIGSEGV" or "signal 40".
const char *signame(int sig);

// --- where am I -------------------------------------------------------------

// 1 when running on bunshin (uname's sysname is "bunshin"), 0 on Linux.
int on_bunshin(void);

// The fork design bunshin was booted with (its fork= option, read from
// /proc/cmdline): "cow", "copy" or "odf"; "" on Linux.
const char *fork_mode(void);

// The root file system's prefix: $TEST_ROOT, or "" when unset (on bunshin
// the programs live at /bin and /tests; on the Linux host the runner sets
// TEST_ROOT to the absolute path of a staged copy of that root).
const char *test_root(void);
// test_root() + abs_path, e.g. rootpath("/tests/exec_child"). Rotating buffer.
const char *rootpath(const char *abs_path);

// A writable directory for the test's own files: $TMPDIR, else /tmp if it
// exists, else the current directory.
const char *scratch_dir(void);
// scratch_dir() + "/" + name. Rotating buffer.
const char *scratch_path(const char *name);

// MemFree from /proc/meminfo in KiB, or -1 if there is no such file or line.
// Uses no malloc, so calling it does not change the number it reads.
long meminfo_free_kb(void);

// --- processes --------------------------------------------------------------

// Run fn(arg) in a forked child, which then exits with status 0 (fn may
// call _exit itself). Returns the child's wait status, or -1 if fork or
// wait failed. stdio buffers are flushed first so nothing is printed twice.
int run_child(void (*fn)(void *), void *arg);

// fork(), with stdio flushed first. Use instead of fork() in tests.
pid_t xfork(void);

// Read a whole small file into buf (NUL-terminated). Returns the length
// or -1 with errno set.
long read_file(const char *path, char *buf, size_t size);

#endif

// --- /proc numbers and fork-test helpers (procstat.c) -------------------------
// Appended after the block above so that everything before stays as it was.
#ifndef BUNSHIN_PROCSTAT_H
#define BUNSHIN_PROCSTAT_H

#include <stddef.h>
#include <sys/types.h>

// MemTotal from /proc/meminfo in KiB, or -1.
long meminfo_total_kb(void);
// Any line of /proc/meminfo ("CommitLimit", "Committed_AS"...), in KiB, or -1.
long meminfo_kb(const char *field);
// The number after "FIELD:" in /proc/PID/status (PID 0: /proc/self), e.g.
// proc_status_value(0, "VmRSS") in kB, or -1 if there is no such line.
long proc_status_value(pid_t pid, const char *field);
// The same for /proc/PID/smaps_rollup ("Rss", "Pss"), in kB, or -1.
long smaps_rollup_kb(pid_t pid, const char *field);

// Every fork test ends with MemFree where it started. memfree_start()
// warms up (stack, a pipe, a fork, /proc) and returns MemFree in kB;
// memfree_check(NAME, before) is then an exact check on bunshin and a skip
// on Linux. The measuring process must not grow its own memory in between:
// do the work in a child (run_child) and measure in the parent.
long memfree_start(void);
void memfree_check(const char *name, long before);
// Touch this many bytes of stack now, so that it does not grow later.
void prefault_stack(size_t bytes);
// Give the program's own data, bss and heap their frames now (pages come on
// first touch, and this library's rotating buffers would otherwise take a
// new page between two readings of MemFree). memfree_start() does it.
void prefault_data(void);

// waitpid(pid) retried on EINTR: the status, or -1.
int wait_for(pid_t pid);
// CLOCK_MONOTONIC in nanoseconds.
long long mono_ns(void);
void sleep_ms(long ms);
// read()/write() until len bytes (or end of file / error). Returns the
// count done, or -1 if nothing was.
ssize_t read_full(int fd, void *buf, size_t len);
ssize_t write_full(int fd, const void *buf, size_t len);

#endif

// --- running programs with their output captured (capture.c) -----------------
#ifndef BUNSHIN_CAPTURE_H
#define BUNSHIN_CAPTURE_H

#include <stddef.h>

struct captured {
    int status;         // the wait status, or -1 (could not run, or timed out)
    int timed_out;      // killed with SIGKILL at the time limit
    char *out, *err;    // what it wrote on stdout and stderr, NUL-terminated
    size_t out_len, err_len;
};

// Run the program argv[0] (a path) with envp (NULL: this environment), in
// the directory cwd (NULL: this one), stdin reading stdin_text (NULL:
// /dev/null), every fd above 2 closed. stdout and stderr go to scratch files
// that are read back. After timeout_ms it is killed. Returns 0, or -1 if it
// could not be started or its output not read. Free with captured_free.
int run_capture(char *const argv[], char *const envp[], const char *cwd,
                const char *stdin_text, int timeout_ms, struct captured *c);
void captured_free(struct captured *c);
// Close every descriptor from lowest up to the RLIMIT_NOFILE limit.
void close_fds_from(int lowest);
// NULL if the texts are equal, else a message naming the first line where
// they differ, with both versions of it (a static buffer).
const char *first_difference(const char *expected, const char *actual);
// rm -rf path: 0, or -1 if something stayed.
int remove_tree(const char *path);

// The whole command line of head and tail ([-n N | -N] [FILE...]): each
// input goes to each(fd, n). Returns the exit status. (user/lib/lines.c)
int lines_main(int argc, char **argv, const char *prog, int (*each)(int fd, long n));

#endif

// --- helpers of the memory tests (memtest.c) ---------------------------------
#ifndef BUNSHIN_MEMTEST_H
#define BUNSHIN_MEMTEST_H

#include <stddef.h>

// Write v into the first byte of every 4 KiB page of [p, p+len): one store
// per page, so every page is faulted in for writing.
void write_pages(void *p, size_t len, unsigned char v);
// Read every 32-bit word of [p, p+len) (len a multiple of 4): returns how
// many 4 KiB pages hold a byte that is not zero (0: all zero). Reading
// faults every page in for reading only.
size_t nonzero_pages(const void *p, size_t len);

// 1 if the wait status says the child was killed by signal sig.
int killed_by(int wstatus, int sig);
// 1 if the wait status says the child exited with this code.
int exited_with(int wstatus, int code);

// What run_catching saw. status is the child's wait status (-1: fork or
// wait failed). caught is 1 if the handler ran; then signo, code and addr
// are the siginfo's si_signo, si_code and si_addr.
struct caught_fault {
    int status;
    int caught;
    int signo, code;
    void *addr;
};
// Run fn(arg) in a child that catches sig with an SA_SIGINFO handler; the
// handler sends its siginfo to the parent through a pipe and exits the child
// with status 99. If fn returns, the child exits 0. Returns r->status.
int run_catching(int sig, void (*fn)(void *), void *arg, struct caught_fault *r);

// Run fn() in a forked child that then exits with test_status(), so that
// a part of a test starts from the parent's memory and gives back all it
// used when it ends. If the child does not exit (killed by a signal, or
// lost), says FAIL NAME with what happened. Returns 1 if the child exited
// 0 (no check of its failed), else 0.
int run_part(const char *name, void (*fn)(void));

// The line of /proc/self/maps whose range holds addr, without its newline,
// copied into line. Returns 1 if found, 0 if not (line is then "").
int maps_line(const void *addr, char *line, size_t size);

// The first number in a small file (e.g. "/proc/sys/vm/overcommit_memory"),
// or -1 if it cannot be read or holds no number.
long file_long(const char *path);
// Write the string s to the file path (one write(2)). Returns 0, or -1
// with errno (e.g. EINVAL for a value a /proc/sys file refuses).
int write_str_file(const char *path, const char *s);

#endif

// --- credentials: dropping privileges in a child (cred.c) ---------------------
#ifndef BUNSHIN_CRED_H
#define BUNSHIN_CRED_H

#include <sys/types.h>

// Take these ids, as root: setgroups(ngroups, groups) first, then
// setresgid(rgid, egid, sgid), then setresuid(ruid, euid, suid) (the group
// ids before the user ids: once the effective uid is not 0 the process may
// no longer change them). Call it in a forked child, never in a test's own
// process. Returns 0 if getresuid, getresgid and getgroups then read back
// exactly these ids, else -1 with a reason for a FAIL message in
// cred_error() (a call failed, or a kernel without credentials said yes and
// kept other ids). Prints nothing.
int become_ids(uid_t ruid, uid_t euid, uid_t suid, gid_t rgid, gid_t egid, gid_t sgid,
               int ngroups, const gid_t *groups);
// become_ids(uid, uid, uid, gid, gid, gid, 0, NULL): an ordinary user with no
// supplementary groups.
int become(uid_t uid, gid_t gid);
// Why the last become_ids returned -1 (a static buffer).
const char *cred_error(void);
// The fourth number of the "Uid:" or "Gid:" line of /proc/self/status (the
// fs id; field "Uid" or "Gid", index 0..3: real, effective, saved, fs), or
// -1 if there is no such line.
long proc_status_id(const char *field, int index);

#endif

// --- users and groups (users.c) ----------------------------------------------
#ifndef BUNSHIN_USERS_H
#define BUNSHIN_USERS_H

#include <sys/types.h>

// The name of a user or group from /etc/passwd or /etc/group, or NULL if
// the id has none. Names are kept in a small cache: the string stays valid
// until eight other ids have been looked up.
const char *user_name(uid_t uid);
const char *group_name(gid_t gid);
// A user or group given by name or by number (as chown and setpriv take
// them): 0 with the id set, or -1 if it is neither a known name nor a number.
int user_id(const char *s, uid_t *uid);
int group_id(const char *s, gid_t *gid);
// The groups a login gives user name (getgrouplist's list): primary first,
// then every group of /etc/group that lists name as a member, each once.
// Returns how many went into list, or -1 if there are more than max.
int user_groups(const char *name, gid_t primary, gid_t *list, int max);

#endif
