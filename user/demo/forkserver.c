// forkserver: initialise once, then run every input in a fresh fork.
//
// The pattern. A coverage-guided fuzzer (AFL, libFuzzer's fork mode) runs
// the program under test millions of times, each time on a new input that
// may crash it or leave its memory in a mess. Starting the program afresh
// for every input (fork + execve, then the dynamic linker, the program's own
// set-up) would cost more than the input itself; so AFL's "fork server"
// lets the target initialise once, stops it just before it reads its input,
// and from then on forks a child for each input: the child starts from the
// initialised state, runs the input, and whatever it does to its memory, or
// however it dies, the server is untouched and forks the next one.
//
// Why fork fits. fork gives the child a copy of the server's memory as it
// is at that moment, and copy-on-write makes the copy cheap: only the pages
// the child writes are copied, for the child alone. So a child may scribble
// on the state or crash halfway through a write, and the next child still
// starts from the clean state; the server learns how the child ended from
// waitpid (exit status, or the signal that killed it).
//
// The target here is a toy "parser" whose initialisation is costly: it fills
// a keyword table of a few MiB and checksums it. The input decides what the
// child does:
//   "crash"     writes through a null pointer: SIGSEGV
//   "abort"     calls abort(): SIGABRT
//   "scribble"  overwrites the whole state, then exits 3
//   "exit N"    exits with status N
//   other text  looks each word up in the table and exits 0
// Each child first checksums the state it starts from and sends the sum to
// the server, which checks it is the sum it computed after init ("clean").
// Then the same inputs again, each by fork + execve of this program in run
// mode (--run INPUT), which must initialise again; the outcomes must agree.
// Exit status 0 iff every child started clean and both ways agreed.
//
//   forkserver [-m MIB] [INPUT ...]   (default: the inputs listed below)
//   forkserver --bench [-m MIB] [-n RUNS]
//   forkserver --run -m MIB INPUT     one input after a full init (exec'd)
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "fork_uses.h"

extern char **environ;

// The target's initialised state: a table of keyword hashes, filled by a
// slow loop, and its checksum.
static uint32_t *table;
static uint32_t table_len;      // entries
static unsigned table_mib;
static uint64_t clean_sum;      // the checksum right after init

static uint64_t checksum(void)
{
    uint64_t a = 1, b = 0;
    for (uint32_t i = 0; i < table_len; i++) {
        a += table[i];
        b += a;
    }
    return (b << 32) ^ a;
}

// The costly initialisation: every entry is the hash of its index,
// iterated (a stand-in for parsing a configuration, building tries...).
static void target_init(unsigned mib)
{
    table_mib = mib;
    table_len = mib * MIB / sizeof *table;
    table = mmap(NULL, (size_t)table_len * sizeof *table, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (table == MAP_FAILED) {
        warn("forkserver: mmap: %s", errname(errno));
        exit(2);
    }
    for (uint32_t i = 0; i < table_len; i++) {
        uint32_t h = i;
        for (int r = 0; r < 32; r++)
            h = (h ^ (h >> 15)) * 2246822519u + 0x9e3779b9u;
        table[i] = h;
    }
    clean_sum = checksum();
}

static int volatile *volatile null_pointer;   // volatile: the crash happens

// The target's run on one input; returns its exit status, if it returns.
static int target_run(const char *input)
{
    if (!strcmp(input, "crash"))
        *null_pointer = 1;
    if (!strcmp(input, "abort"))
        abort();
    if (!strcmp(input, "scribble")) {
        memset(table, 0xAB, (size_t)table_len * sizeof *table);
        return 3;
    }
    if (!strncmp(input, "exit ", 5))
        return atoi(input + 5);
    uint32_t hits = 0;                   // look each letter's hash up
    for (const char *p = input; *p; p++)
        hits += table[(unsigned char)*p % table_len] & 1;
    return hits > 1000 ? 1 : 0;          // never: the outcome is exit 0
}

// A child's life: send the checksum of the state it starts from on
// report_fd, then run the input and exit with its status.
static void child(const char *input, int report_fd)
{
    uint64_t sum = checksum();
    write_full(report_fd, &sum, sizeof sum);
    close(report_fd);
    _exit(target_run(input));
}

// --- the server -----------------------------------------------------------

struct outcome {
    int status;                 // wait status, or -1
    int clean;                  // the child's state was the clean one
    uint64_t cycles;            // fork to child reaped
};

static const char *self;

static void exec_run(const char *input, int report_fd)
{
    char mib[16];
    snprintf(mib, sizeof mib, "%u", table_mib);
    char *argv[] = { "forkserver", "--run", "-m", mib, (char *)input, NULL };
    if (dup2(report_fd, 1) < 0)
        _exit(126);
    execve(self, argv, environ);
    _exit(127);
}

// Run one input in a forked child (use_exec 0) or by fork + execve + init
// (use_exec 1).
static struct outcome run_input(const char *input, int use_exec)
{
    struct outcome o = { -1, 0, 0 };
    int rep[2];
    if (pipe2(rep, O_CLOEXEC) < 0)
        return o;
    uint64_t t0 = cycles();
    pid_t pid = fork();
    if (pid == 0) {
        close(rep[0]);
        if (use_exec)
            exec_run(input, rep[1]);
        child(input, rep[1]);
    }
    close(rep[1]);
    uint64_t sum = 0;
    int got = pid > 0 && read_all(rep[0], &sum, sizeof sum) == sizeof sum;
    close(rep[0]);
    if (pid > 0)
        o.status = wait_for(pid);
    o.cycles = cycles() - t0;
    o.clean = got && sum == clean_sum;
    return o;
}

// "exit 0", "signal SIGSEGV".
static const char *outcome_str(int st)
{
    static char buf[64];
    if (st != -1 && WIFEXITED(st))
        snprintf(buf, sizeof buf, "exit %d", WEXITSTATUS(st));
    else if (st != -1 && WIFSIGNALED(st))
        snprintf(buf, sizeof buf, "signal %s", signame(WTERMSIG(st)));
    else
        snprintf(buf, sizeof buf, "lost");
    return buf;
}

static const char *default_inputs[] = {
    "hello world", "crash", "abort", "scribble", "hello again", "exit 7", NULL
};

// Every input both ways; prints a line per input. Returns 1 if all started
// clean and the outcomes agreed.
static int serve(const char **inputs, uint64_t *fork_costs, uint64_t *exec_costs, int *n)
{
    int good = 1;
    for (*n = 0; inputs[*n]; (*n)++) {
        struct outcome f = run_input(inputs[*n], 0), e = run_input(inputs[*n], 1);
        char fs[64];
        snprintf(fs, sizeof fs, "%s", outcome_str(f.status));
        int agree = f.status == e.status && f.status != -1;
        say("input %d \"%s\": start=%s outcome=%s exec=%s", *n + 1, inputs[*n],
            f.clean ? "clean" : "DIRTY", fs, agree ? "same" : outcome_str(e.status));
        good &= f.clean && e.clean && agree;
        if (*n < MAX_RUNS) {
            fork_costs[*n] = f.cycles;
            exec_costs[*n] = e.cycles;
        }
    }
    return good;
}

// --bench: forkserver_input and forkserver_exec_input on a harmless input.
static void bench(int runs)
{
    for (int way = 0; way < 2; way++) {
        uint64_t v[MAX_RUNS];
        int n = 0;
        for (int i = -1; i < runs; i++) {
            struct outcome o = run_input("hello", way);
            if (o.clean && o.status == 0 && i >= 0)
                v[n++] = o.cycles;
        }
        const char *name = way ? "forkserver_exec_input" : "forkserver_input";
        if (n == runs)
            bench_line(name, table_mib, v, n);
        else
            say("bench %s size_mib=%u error=child", name, table_mib);
    }
}

int main(int argc, char **argv)
{
    unsigned mib = 4;
    int runs = 5, mode_bench = 0, mode_run = 0, i = 1;
    self = self_path(argv[0]);
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--bench"))
            mode_bench = 1;
        else if (!strcmp(argv[i], "--run"))
            mode_run = 1;
        else if (!strcmp(argv[i], "-m") && i + 1 < argc)
            mib = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-n") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else {
            warn("usage: forkserver [--bench] [-m MIB] [-n RUNS] [INPUT ...]");
            return 2;
        }
    }
    if (mib < 1)
        mib = 1;
    if (runs < 1 || runs > MAX_RUNS)
        runs = 5;
    uint64_t t0 = cycles();
    target_init(mib);
    uint64_t init_cycles = cycles() - t0;
    if (mode_run)
        child(i < argc ? argv[i] : "", 1);
    if (mode_bench) {
        bench(runs);
        return 0;
    }
    say("forkserver: target initialised: %u MiB table", table_mib);
    say("cost init: %llu cycles", (unsigned long long)init_cycles);
    const char **inputs = i < argc ? (const char **)argv + i : default_inputs;
    uint64_t fork_costs[MAX_RUNS], exec_costs[MAX_RUNS];
    int n;
    int good = serve(inputs, fork_costs, exec_costs, &n);
    int still_clean = checksum() == clean_sum;
    say("server state after %d children: %s", n, still_clean ? "clean" : "DIRTY");
    say("every child started clean and both ways agree: %s", good ? "yes" : "no");
    if (n > MAX_RUNS)
        n = MAX_RUNS;
    if (n > 0) {
        say("cost fork_input: median %llu cycles", (unsigned long long)median_of(fork_costs, n));
        say("cost exec_input: median %llu cycles", (unsigned long long)median_of(exec_costs, n));
    }
    return good && still_clean ? 0 : 1;
}
