// zygote: load the state once, then fork a ready worker for each request.
//
// The pattern. Android starts every app from one process, the zygote, that
// loaded the framework's classes and resources once at boot; a new app is
// a fork of it, so it starts with all of that already in memory instead of
// loading it again. Preforking web servers and language runtimes (Python's
// multiprocessing "forkserver", Ruby's Unicorn) do the same for their workers.
//
// Why fork fits. fork copies the parent's whole state, tables included, at
// the cost of its page tables (copy-on-write) or less (fork=odf): nothing is
// read, computed or sorted again. The tables stay shared between the zygote
// and every worker for as long as nobody writes them, so a hundred workers
// cost one copy of the tables. execve is the opposite: it throws the
// address space away, and the new program must build its state from
// nothing, into private memory of its own.
//
// This program builds a few MiB of tables (a prime sieve, a CRC-32 table,
// a sorted dictionary of made-up words), then serves each request (a
// number: from the arguments, else one per line of stdin) twice:
//   - by a forked worker, which answers from the tables it shares;
//   - by fork + execve of this program in worker mode (--worker N), which
//     builds the tables again before it can answer.
// It prints each answer, checks that both ways gave the same one, and the
// cost of one worker each way: cycles from fork to the answer, and the
// worker's Rss and Pss (/proc/self/smaps_rollup: a shared page counts in
// full in Rss, and divided by its sharers in Pss) and how much MemFree fell
// while it lived. Exit status 0 iff every answer agreed.
//
//   zygote [-m MIB] [N ...]       serve requests (default tables: 8 MiB)
//   zygote --bench [-m MIB] [-n RUNS]   bench lines for make bench
//   zygote --worker -m MIB N      the exec'd worker (used by the above)
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "fork_uses.h"

extern char **environ;

#define WORD_LEN 16             // a dictionary entry: up to 15 letters and NUL

// The state the zygote loads once. Half of the MiB go to the sieve (one byte
// per number), half to the dictionary.
struct tables {
    unsigned mib;
    unsigned char *composite;   // composite[i] != 0: i is not a prime
    uint32_t sieve_n;
    uint32_t crc[256];          // CRC-32 (reflected, polynomial 0xEDB88320)
    char (*words)[WORD_LEN];    // sorted
    uint32_t nwords;
};

static struct tables T;

// --- building the state (the costly part) ---------------------------------

static void *zeroed(size_t len)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        warn("zygote: mmap of %zu bytes: %s", len, errname(errno));
        exit(2);
    }
    return p;
}

// Eratosthenes' sieve of [0, n).
static void build_sieve(void)
{
    T.sieve_n = T.mib * MIB / 2;
    T.composite = zeroed(T.sieve_n);
    T.composite[0] = T.composite[1] = 1;
    for (uint32_t i = 2; (uint64_t)i * i < T.sieve_n; i++)
        if (!T.composite[i])
            for (uint32_t j = i * i; j < T.sieve_n; j += i)
                T.composite[j] = 1;
}

static void build_crc(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        T.crc[i] = c;
    }
}

static int word_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

// nwords made-up words of 6 to 15 letters from a fixed pseudo-random
// sequence (the same on every run), sorted.
static void build_dictionary(void)
{
    T.nwords = T.mib * MIB / 2 / WORD_LEN;
    T.words = zeroed((size_t)T.nwords * WORD_LEN);
    uint32_t x = 2463534242u;                       // xorshift32's state
    for (uint32_t w = 0; w < T.nwords; w++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        int len = 6 + x % 10;
        for (int i = 0; i < len; i++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            T.words[w][i] = 'a' + x % 26;
        }
    }
    qsort(T.words, T.nwords, WORD_LEN, word_cmp);
}

static void build_tables(unsigned mib)
{
    T.mib = mib;
    build_sieve();
    build_crc();
    build_dictionary();
}

// --- answering a request from the tables ----------------------------------

static uint32_t crc32_of(const char *s)
{
    uint32_t c = 0xFFFFFFFFu;
    for (; *s; s++)
        c = T.crc[(c ^ (unsigned char)*s) & 0xFF] ^ (c >> 8);
    return ~c;
}

// The answer to request n, one line (no newline) in buf.
static void answer(unsigned long n, char *buf, size_t size)
{
    uint32_t i = n % T.sieve_n, p = i;
    while (p < T.sieve_n && T.composite[p])
        p++;
    const char *word = T.words[n % T.nwords];
    char next[16];
    if (p < T.sieve_n)
        snprintf(next, sizeof next, "%u", p);
    else
        snprintf(next, sizeof next, "none");
    snprintf(buf, size, "request %lu: prime=%s next_prime=%s word=%s crc32=%08x", n,
             T.composite[i] ? "no" : "yes", next, word, crc32_of(word));
}

// A worker's whole life once it has the tables: send the answer and its
// Rss and Pss (kB) on out_fd as "ANSWER\nrss_kb pss_kb\n", then wait for
// hold_fd's end of file (so that the zygote can read MemFree while the
// worker is alive) and exit.
static void serve(unsigned long n, int out_fd, int hold_fd)
{
    char line[256], msg[320];
    answer(n, line, sizeof line);
    int len = snprintf(msg, sizeof msg, "%s\n%ld %ld\n", line, smaps_rollup_kb(0, "Rss"),
                       smaps_rollup_kb(0, "Pss"));
    write_full(out_fd, msg, len);
    drain(hold_fd);
    _exit(0);
}

// --- the zygote: one worker each way ----------------------------------------

struct worker {
    char answer[256];
    long rss_kb, pss_kb;        // the worker's, as it reported them
    long memfree_drop_kb;       // MemFree before the fork minus while it lived
    uint64_t cycles;            // fork to answer received
};

static const char *self;

// The child's side of the exec way: the pipes on stdout and stdin, then
// this program again in worker mode.
static void exec_worker(unsigned long n, int out_w, int hold_r)
{
    char mib[16], num[24];
    snprintf(mib, sizeof mib, "%u", T.mib);
    snprintf(num, sizeof num, "%lu", n);
    char *argv[] = { "zygote", "--worker", "-m", mib, num, NULL };
    if (dup2(out_w, 1) < 0 || dup2(hold_r, 0) < 0)
        _exit(126);
    execve(self, argv, environ);
    _exit(127);
}

// Read a worker's message (two lines) into buf, NUL-terminated: the
// worker keeps its end open until it may exit, so end of file comes late.
static size_t read_message(int fd, char *buf, size_t size)
{
    size_t got = 0;
    int lines = 0;
    while (lines < 2 && got < size - 1) {
        ssize_t r = read(fd, buf + got, size - 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        for (ssize_t k = 0; k < r; k++)
            lines += buf[got + k] == '\n';
        got += r;
    }
    buf[got] = 0;
    return got;
}

// Serve request n by a forked worker (use_exec 0) or by fork + execve
// (use_exec 1); fill w. Returns 0, or -1 if the worker gave no answer.
static int run_worker(unsigned long n, int use_exec, struct worker *w)
{
    int out[2], hold[2];
    if (pipe2(out, O_CLOEXEC) < 0)
        return -1;
    if (pipe2(hold, O_CLOEXEC) < 0) {
        close(out[0]);
        close(out[1]);
        return -1;
    }
    long free_before = meminfo_free_kb();
    uint64_t t0 = cycles();
    pid_t pid = fork();
    if (pid == 0) {
        close(out[0]);
        close(hold[1]);
        if (use_exec)
            exec_worker(n, out[1], hold[0]);
        serve(n, out[1], hold[0]);
    }
    close(out[1]);
    close(hold[0]);
    char msg[320];
    msg[0] = 0;
    if (pid > 0)
        read_message(out[0], msg, sizeof msg);
    w->cycles = cycles() - t0;
    w->memfree_drop_kb = free_before - meminfo_free_kb();
    close(hold[1]);                                 // the worker may exit now
    close(out[0]);
    if (pid > 0)
        wait_for(pid);
    char *nl = strchr(msg, '\n');
    if (!nl || sscanf(nl + 1, "%ld %ld", &w->rss_kb, &w->pss_kb) != 2)
        return -1;
    *nl = 0;
    msg[sizeof w->answer - 1] = 0;
    strcpy(w->answer, msg);
    return 0;
}

// --- main modes ----------------------------------------------------------------

static uint64_t fork_costs[MAX_RUNS], exec_costs[MAX_RUNS];
static int nreq, nagree;
static struct worker last_fork, last_exec;

// One request both ways: print the answer and whether the ways agree.
static void request(unsigned long n)
{
    struct worker f, e;
    int ok_f = run_worker(n, 0, &f) == 0, ok_e = run_worker(n, 1, &e) == 0;
    if (nreq < MAX_RUNS) {
        fork_costs[nreq] = f.cycles;
        exec_costs[nreq] = e.cycles;
    }
    nreq++;
    if (!ok_f || !ok_e) {
        say("request %lu: no answer from the %s worker", n, ok_f ? "exec" : "fork");
        return;
    }
    last_fork = f, last_exec = e;
    int same = strcmp(f.answer, e.answer) == 0;
    nagree += same;
    say("%s", f.answer);
    if (!same)
        say("request %lu: the exec worker answered differently: %s", n, e.answer);
}

static void serve_requests(int argc, char **argv, int first)
{
    if (first < argc) {
        for (int i = first; i < argc; i++)
            request(strtoul(argv[i], NULL, 10));
        return;
    }
    char line[64];
    while (fgets(line, sizeof line, stdin))
        if (line[0] >= '0' && line[0] <= '9')
            request(strtoul(line, NULL, 10));
}

static void report(void)
{
    int n = nreq < MAX_RUNS ? nreq : MAX_RUNS;
    say("answers: fork and exec agree on %d of %d requests", nagree, nreq);
    if (n == 0 || nagree == 0)
        return;
    say("cost fork_worker: median %llu cycles", (unsigned long long)median_of(fork_costs, n));
    say("cost exec_worker: median %llu cycles", (unsigned long long)median_of(exec_costs, n));
    say("memory fork_worker: rss_kb=%ld pss_kb=%ld memfree_drop_kb=%ld", last_fork.rss_kb,
        last_fork.pss_kb, last_fork.memfree_drop_kb);
    say("memory exec_worker: rss_kb=%ld pss_kb=%ld memfree_drop_kb=%ld", last_exec.rss_kb,
        last_exec.pss_kb, last_exec.memfree_drop_kb);
    // Shared pages are split between the zygote and the worker in Pss: a
    // worker that shares its tables has a Pss well under its Rss.
    int shares = last_fork.pss_kb * 4 < last_fork.rss_kb * 3;
    say("tables shared with the fork worker: %s", shares ? "yes" : "no (a copy of its own)");
}

// --bench: NAME zygote_worker and zygote_exec_worker, each one warm-up run
// and runs timed requests.
static void bench(int runs)
{
    struct worker w;
    for (int way = 0; way < 2; way++) {
        uint64_t v[MAX_RUNS];
        int n = 0;
        for (int i = -1; i < runs; i++)
            if (run_worker(1000 + i, way, &w) == 0 && i >= 0)
                v[n++] = w.cycles;
        const char *name = way ? "zygote_exec_worker" : "zygote_worker";
        if (n == runs)
            bench_line(name, T.mib, v, n);
        else
            say("bench %s size_mib=%u error=worker", name, T.mib);
    }
}

int main(int argc, char **argv)
{
    unsigned mib = 8;
    int runs = 5, mode_bench = 0, mode_worker = 0, i = 1;
    self = self_path(argv[0]);
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--bench"))
            mode_bench = 1;
        else if (!strcmp(argv[i], "--worker"))
            mode_worker = 1;
        else if (!strcmp(argv[i], "-m") && i + 1 < argc)
            mib = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-n") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else {
            warn("usage: zygote [--bench] [-m MIB] [-n RUNS] [N ...]");
            return 2;
        }
    }
    if (mib < 1)
        mib = 1;
    if (runs < 1 || runs > MAX_RUNS)
        runs = 5;
    uint64_t t0 = cycles();
    build_tables(mib);
    uint64_t built = cycles() - t0;
    if (mode_worker)
        serve(i < argc ? strtoul(argv[i], NULL, 10) : 0, 1, 0);
    if (mode_bench) {
        bench(runs);
        return 0;
    }
    say("zygote: tables loaded: sieve of %u numbers, CRC-32 table, %u sorted words (%u MiB)",
        T.sieve_n, T.nwords, T.mib);
    say("cost tables: %llu cycles", (unsigned long long)built);
    serve_requests(argc, argv, i);
    report();
    return nreq > 0 && nagree == nreq ? 0 : 1;
}
