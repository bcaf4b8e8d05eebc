// fuzz.h: the pieces of bunshin's own fuzzer, driven by user/tests/t_fuzz.c.
//
//   fuzz_rand.c   the random numbers: one fixed seed gives one campaign
//   fuzz_table.c  what the fuzzer knows of each Linux i386 system call: its
//                 name and the kind of each argument
//   fuzz_args.c   arguments of each kind: valid descriptors and buffers,
//                 buffers that end at an unmapped page, NULL, kernel
//                 addresses, random words...
//   fuzz_child.c  one fuzz child: K random calls, each logged before it is
//                 made, with a raw int $0x80 that passes all six registers
//   fuzz_elf.c    ELF mutants: bit flips, field edits, truncation
//
// The random phases are only ever started on bunshin: t_fuzz checks
// on_bunshin() first, and fuzz_child() refuses to run anywhere else.
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

// ---- random numbers (fuzz_rand.c) ----------------------------------------

// splitmix64: tiny, fast on i386, and every 64-bit seed gives a good stream.
struct rng {
    uint64_t state;
};
void rng_seed(struct rng *r, uint64_t seed);
uint32_t rng_u32(struct rng *r);
// 0 .. n-1 (n > 0).
uint32_t rng_below(struct rng *r, uint32_t n);
// 1 with probability percent/100.
int rng_percent(struct rng *r, uint32_t percent);
// The seed of item `index` of the campaign `seed` (a fuzz child, a mutant):
// each item can be replayed alone from (seed, index).
uint64_t fuzz_item_seed(uint64_t seed, uint32_t kind, uint32_t index);
#define FUZZ_KIND_CALLS 1
#define FUZZ_KIND_ELF   2
#define FUZZ_KIND_THREAD 3       // whether a fuzz child has a second thread

// ---- system calls (fuzz_table.c) -----------------------------------------

#define FUZZ_MAX_NR 450          // numbers 0 .. 450 are called
#define FUZZ_NR_REBOOT 88        // never called: it would end the test
#define FUZZ_NR_MOUNT  21        // called with flags that cannot mount (fuzz_args.c)
// Is nr one that a root fuzz child must not call: it would set the system's
// clock (stime, settimeofday, clock_settime, clock_settime64) or its names
// (sethostname, setdomainname) to random values under every other test?
// A child that dropped to an ordinary user (fuzz_drop_uid) calls them: EPERM.
int fuzz_root_must_skip(uint32_t nr);

// The kind of one argument; each is a letter in fuzz_call.args.
//   f  a file descriptor           d  a directory fd for *at() calls
//   b  a buffer (pointer)          n  a length or count
//   p  a path (pointer)            o  a mode (permission bits)
//   x  flags                       l  a file offset
//   k  a pid to send a signal to: only the child's own, its own children's,
//      or one that cannot exist (never 0, -1 or another process's)
//   i  a pid for wait             s  a signal number
//   a  an address for mmap/munmap/mprotect
//   h  a new break for brk
//   v  an iovec array             V  an argv/envp array
//   c  clone flags                t  a timespec (mostly short)
//   C  a struct clone_args (clone3)
//   w  any word                    -  unused (a random word, as garbage)
// and the kinds of fuzz_objs.c, for the kernel's objects:
//   S  a struct sockaddr_un (its length goes in a following 'n')
//   M  a struct msghdr (with SCM_RIGHTS and SCM_CREDENTIALS messages)
//   m  an array of struct mmsghdr   B  an array of struct sembuf
//   I  a System V IPC id the child made (or a bad one)
//   Q  a POSIX message queue name
struct fuzz_call {
    const char *name;
    const char *args;            // six letters, e.g. "fbn---" for read
    uint8_t weight;              // how often it is drawn (0: never)
};
// The entry of number nr, or NULL for numbers the fuzzer knows nothing of
// (they get arguments of every kind).
const struct fuzz_call *fuzz_call_info(uint32_t nr);
// A number to call: one the table knows (weighted) or any of 0..450.
uint32_t fuzz_pick_nr(struct rng *r);
// fork, vfork, clone, clone3: a new process returns 0 from them.
int fuzz_is_forklike(uint32_t nr);

// ---- arguments (fuzz_args.c) ---------------------------------------------

#define FUZZ_LOG_FD      200     // the console, for the log of calls
#define FUZZ_PROGRESS_FD 201     // a pipe to the driver: one message per call
#define FUZZ_MAX_FDS     40
#define FUZZ_MAX_IPC     8
#define FUZZ_MAX_KIDS    16
#define FUZZ_MAX_MADE    12

// What a fuzz child owns: the values arguments are drawn from.
struct fuzz_state {
    struct rng rng;
    int pid;
    int fds[FUZZ_MAX_FDS];       // descriptors it has open (valid fds)
    int nfds;
    int kids[FUZZ_MAX_KIDS];     // pids its fork-like calls returned
    int nkids;
    uint8_t *arena;              // read-write buffers, then an unmapped page
    uint32_t arena_len;
    char *paths;                 // path strings made for one call, then an
    uint32_t paths_len;          // unmapped page
    uint32_t paths_used;
    uint32_t brk0;               // the break at the start
    char *made[FUZZ_MAX_MADE];   // the strings made for this call
    uint32_t nmade;
    int ipc[FUZZ_MAX_IPC];       // System V IPC ids it made
    int nipc;
    uint32_t last_sockaddr_len;  // the length of the last 'S' made
    uint32_t last_sembuf_count;  // the count of the last 'B' made
    uint32_t tid;                // the thread making the calls (0: the main one)
    int forked;                  // 1 in a process a fork call made
};
// Fill a[0..5] for a call of nr.
void fuzz_make_args(struct fuzz_state *st, uint32_t nr, uint32_t a[6]);
// After a call: remember a new descriptor or child the call returned.
void fuzz_note_result(struct fuzz_state *st, uint32_t nr, const uint32_t a[6], long ret);
// One argument of a kind (a letter above), and two of the kinds by name
// (fuzz_args.c).
uint32_t fuzz_gen_kind(struct fuzz_state *st, char kind);
uint32_t fuzz_gen_buf(struct fuzz_state *st);
uint32_t fuzz_gen_len(struct fuzz_state *st);
// The kinds for the kernel's objects (fuzz_objs.c).
uint32_t fuzz_gen_sockaddr(struct fuzz_state *st, uint32_t *len_out);
uint32_t fuzz_gen_msghdr(struct fuzz_state *st);
uint32_t fuzz_gen_mmsghdr(struct fuzz_state *st);
uint32_t fuzz_gen_sembuf(struct fuzz_state *st);
uint32_t fuzz_gen_ipc_id(struct fuzz_state *st);
uint32_t fuzz_gen_mq_name(struct fuzz_state *st);
void fuzz_note_ipc_id(struct fuzz_state *st, long id);
// Arguments some calls need made as a whole (socketcall's array, socket's
// domain, a futex word's owner, openat2's struct open_how...): fixes a[]
// after the kinds were drawn.
void fuzz_fix_args(struct fuzz_state *st, uint32_t nr, uint32_t a[6]);
// Is this a path the fuzzer may hand to the kernel? (no '/', no "..", or
// one of the fixed /proc paths): checked before each call, so that nothing
// that changed the fuzzer's own memory can aim a call outside its scratch
// directory.
int fuzz_paths_intact(void);

// ---- one fuzz child (fuzz_child.c) ---------------------------------------

// One message on FUZZ_PROGRESS_FD per call, written before the call.
struct fuzz_progress {
    uint32_t index;              // calls made before this one
    uint32_t nr;
};
// Exit codes of a fuzz child that ended by itself.
#define FUZZ_EXIT_DONE      0    // made its K calls
#define FUZZ_EXIT_NOT_HERE  90   // not on bunshin: refused to start
#define FUZZ_EXIT_SETUP     91   // could not set itself up
#define FUZZ_EXIT_LOST_LOG  92   // its log or progress pipe went away
#define FUZZ_EXIT_PATHS     93   // its path strings were changed
#define FUZZ_EXIT_ROOT      94   // run as an ordinary user, it ended up root, or
                                 // could open FUZZ_SECRET (a root-only file)

// The root-only file (mode 0600, owned by root) that a fuzz child run as an
// ordinary user must never be able to open.
#define FUZZ_SECRET "/tmp/fuzz/secret"
// Not 0: every fuzz child drops to this uid and gid (and no supplementary
// groups) before its first call, and checks at its end that it is still
// that user and cannot open FUZZ_SECRET (t_fuzz user=UID).
extern uint32_t fuzz_drop_uid;

// Run in a forked child whose cwd is its own scratch directory and whose
// FUZZ_LOG_FD and FUZZ_PROGRESS_FD are open: K random calls, then exit.
void fuzz_child(uint64_t seed, uint32_t index, uint32_t ncalls) __attribute__((noreturn));

// The raw calls (assembly in fuzz_child.c). fuzz_raw passes nr and a[0..5]
// in eax, ebx, ecx, edx, esi, edi, ebp and returns eax. fuzz_raw_fork does
// the same, but a new process or thread, which returns 0, calls exit(0) at
// once without touching memory: its stack may be anything clone was given.
long fuzz_raw(uint32_t nr, const uint32_t a[6]);
long fuzz_raw_fork(uint32_t nr, const uint32_t a[6]);

// ---- ELF mutants (fuzz_elf.c) --------------------------------------------

// The part of an ELF executable that execve reads: the file cut after the
// end of its last PT_LOAD segment's bytes. Returns that length, or 0 if
// buf does not hold an i386 executable.
size_t fuzz_elf_loaded_part(const uint8_t *buf, size_t len);
// Mutant `index` of campaign `seed`: base with bit flips, field edits and
// perhaps a truncation, into out (size >= len). Returns its length; what
// says what was done, e.g. "ph1.p_memsz=ffffffff flip@2c.3".
size_t fuzz_elf_mutate(const uint8_t *base, size_t len, uint64_t seed, uint32_t index,
                       uint8_t *out, char *what, size_t what_size);
// If the image breaks a rule that makes execve fail on bunshin (README,
// "What bunshin promises"), the rule; else NULL (it may run or not).
const char *fuzz_elf_must_fail(const uint8_t *img, size_t len);

#endif
