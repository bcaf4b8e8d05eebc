// snapshot: save a consistent copy of a table that keeps changing, by fork.
//
// The pattern. Redis keeps its whole database in memory and saves it to
// disk with BGSAVE: it forks, the child writes the database to a file and
// exits, and the parent goes on serving writes meanwhile. The file holds the
// database exactly as it was at the fork, although the parent changed it
// while the child was writing: a consistent snapshot, with no lock and no
// pause but the fork itself.
//
// Why fork fits. After fork the child sees a frozen copy of the parent's
// memory. Copy-on-write makes that copy lazy: a page is copied only when
// one side writes it, so the snapshot costs what the parent changes while
// the child lives (its copy-on-write faults, one frame per changed page),
// not the size of the table. That cost is what this program prints: the
// parent's and child's CowFaults (a line of bunshin's /proc/self/status;
// Linux has no such line) and MemFree before the fork, while the child
// lives, and after.
//
// Steps: fill the table; checksum it (the sum at the moment of fork); fork;
// the child writes the table to a file, checksumming what it writes, and
// sends its sum; the parent meanwhile changes every other page of the
// table; then it reads the file back and checksums it. The three sums
// before fork, of what the child wrote, of the file, must be equal, and the
// parent's table must have moved on. Exit status 0 iff they all are.
//
//   snapshot [-m MIB | -k KIB] [-o FILE]   (default: 64 MiB, $TMPDIR/snapshot.dat)
//   snapshot --bench [-m MIB] [-n RUNS]
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "fork_uses.h"

#define CHUNK (64u * 1024u)     // bytes per write() and read()

static uint32_t *table;
static size_t table_bytes;
static const char *file_path;

// An order-sensitive checksum (Fletcher's, on 32-bit words), fed in pieces.
struct sum {
    uint64_t a, b;
};

static void sum_add(struct sum *s, const void *p, size_t bytes)
{
    const uint32_t *w = p;
    for (size_t i = 0; i < bytes / 4; i++) {
        s->a += w[i];
        s->b += s->a;
    }
}

static uint64_t sum_of(const void *p, size_t bytes)
{
    struct sum s = { 1, 0 };
    sum_add(&s, p, bytes);
    return (s.b << 32) ^ s.a;
}

static void fill_table(size_t bytes)
{
    table_bytes = bytes;
    table = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (table == MAP_FAILED) {
        warn("snapshot: mmap of %zu bytes: %s", bytes, errname(errno));
        exit(2);
    }
    for (size_t i = 0; i < bytes / 4; i++)
        table[i] = (uint32_t)i * 2654435761u;
}

// The parent's work while the child saves: change the first word of every
// other page. Returns the number of pages changed.
static size_t change_table(void)
{
    size_t pages = 0;
    for (size_t off = 0; off < table_bytes; off += 2 * PAGE, pages++)
        table[off / 4] += 1;
    return pages;
}

// The child: write the table to file_path in chunks, checksumming exactly
// the bytes written; send the sum and its CowFaults on out_fd, wait for
// hold_fd's end of file (the parent reads MemFree meanwhile), exit.
static void save_child(int out_fd, int hold_fd)
{
    struct sum s = { 1, 0 };
    int fd = open(file_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        warn("snapshot: open %s: %s", file_path, errname(errno));
        _exit(3);
    }
    for (size_t off = 0; off < table_bytes; off += CHUNK) {
        size_t n = table_bytes - off < CHUNK ? table_bytes - off : CHUNK;
        const char *p = (const char *)table + off;
        sum_add(&s, p, n);
        if (write_full(fd, p, n) != (ssize_t)n) {
            warn("snapshot: write to %s: %s", file_path, errname(errno));
            _exit(4);
        }
    }
    if (close(fd) < 0)
        _exit(5);
    uint64_t msg[2] = { (s.b << 32) ^ s.a, (uint64_t)proc_status_value(0, "CowFaults") };
    write_full(out_fd, msg, sizeof msg);
    drain(hold_fd);
    _exit(0);
}

// The checksum of file_path read back in chunks; *bytes gets its length.
static uint64_t file_sum(size_t *bytes)
{
    static char buf[CHUNK];
    struct sum s = { 1, 0 };
    size_t n, total = 0;
    int fd = open(file_path, O_RDONLY);
    if (fd < 0)
        return 0;
    while ((n = read_all(fd, buf, sizeof buf)) > 0) {
        sum_add(&s, buf, n);
        total += n;
    }
    close(fd);
    *bytes = total;
    return (s.b << 32) ^ s.a;
}

// One BGSAVE, measured.
struct save {
    uint64_t at_fork, child_sum;
    long cow_parent, cow_child;        // -1: no CowFaults line (Linux)
    long free_before, free_during;     // MemFree (kB) before fork, child alive
    size_t pages_changed;
    uint64_t fork_cycles, save_cycles; // fork alone; fork to child reaped
    int status;                        // the child's wait status
};

static void bgsave(struct save *sv)
{
    int out[2], hold[2];
    memset(sv, 0, sizeof *sv);
    sv->status = -1;
    if (pipe2(out, O_CLOEXEC) < 0)
        return;
    if (pipe2(hold, O_CLOEXEC) < 0) {
        close(out[0]);
        close(out[1]);
        return;
    }
    sv->at_fork = sum_of(table, table_bytes);
    long cow0 = proc_status_value(0, "CowFaults");
    sv->free_before = meminfo_free_kb();
    uint64_t t0 = cycles();
    pid_t pid = fork();
    sv->fork_cycles = cycles() - t0;
    if (pid < 0)
        warn("snapshot: fork: %s", errname(errno));
    if (pid == 0) {
        close(out[0]);
        close(hold[1]);
        save_child(out[1], hold[0]);
    }
    close(out[1]);
    close(hold[0]);
    sv->pages_changed = pid > 0 ? change_table() : 0;
    uint64_t msg[2] = { 0, (uint64_t)-1 };
    if (pid > 0)
        read_all(out[0], msg, sizeof msg);
    sv->free_during = meminfo_free_kb();
    long cow1 = proc_status_value(0, "CowFaults");
    close(hold[1]);
    close(out[0]);
    if (pid > 0)
        sv->status = wait_for(pid);
    sv->save_cycles = cycles() - t0;
    sv->child_sum = msg[0];
    sv->cow_child = (long)msg[1];
    sv->cow_parent = cow0 < 0 ? -1 : cow1 - cow0;
}

static const char *verdict(int same)
{
    return same ? "equals the parent's at fork" : "DIFFERS from the parent's at fork";
}

// The demo: one BGSAVE with everything printed. Returns the exit status.
static int demo(void)
{
    struct save sv;
    say("snapshot: table of %zu pages (%zu KiB), file %s", table_bytes / PAGE,
        table_bytes / 1024, file_path);
    bgsave(&sv);
    if (sv.status == -1 || !WIFEXITED(sv.status) || WEXITSTATUS(sv.status) != 0) {
        say("the saving child failed: %s", sv.status == -1 ? "no child" : status_str(sv.status));
        return 1;
    }
    size_t file_bytes = 0;
    uint64_t back = file_sum(&file_bytes), now = sum_of(table, table_bytes);
    say("checksum at fork: %016llx", (unsigned long long)sv.at_fork);
    say("child wrote the table: checksum %016llx %s", (unsigned long long)sv.child_sum,
        verdict(sv.child_sum == sv.at_fork));
    say("file read back: %zu bytes, checksum %016llx %s", file_bytes,
        (unsigned long long)back, verdict(back == sv.at_fork && file_bytes == table_bytes));
    say("parent changed %zu pages meanwhile: checksum now %016llx, %s", sv.pages_changed,
        (unsigned long long)now, now != sv.at_fork ? "moved on" : "UNCHANGED");
    if (sv.cow_parent < 0)
        say("cow faults: not shown: no CowFaults line in /proc/self/status (bunshin's counter; Linux has none)");
    else
        say("cow faults: parent %ld, child %ld (%ld kB copied)", sv.cow_parent, sv.cow_child,
            (sv.cow_parent + sv.cow_child) * (long)(PAGE / 1024));
    unlink(file_path);
    say("frames: MemFree before fork: %ld kB", sv.free_before);
    say("frames: MemFree with the child alive and the file written: %ld kB (%ld kB taken)",
        sv.free_during, sv.free_before - sv.free_during);
    say("frames: MemFree after the child exited and the file was removed: %ld kB",
        meminfo_free_kb());
    say("cost fork: %llu cycles", (unsigned long long)sv.fork_cycles);
    say("cost bgsave: %llu cycles", (unsigned long long)sv.save_cycles);
    int good = sv.child_sum == sv.at_fork && back == sv.at_fork &&
               file_bytes == table_bytes && now != sv.at_fork;
    say("snapshot consistent: %s", good ? "yes" : "no");
    return good ? 0 : 1;
}

// --bench: snapshot_fork (the fork alone: the parent's pause) and
// snapshot_bgsave (fork to the child reaped, the file written).
static void bench(int runs)
{
    uint64_t f[MAX_RUNS], s[MAX_RUNS];
    int n = 0;
    unsigned mib = table_bytes / MIB;
    for (int i = -1; i < runs; i++) {
        struct save sv;
        bgsave(&sv);
        if (sv.status == -1 || !WIFEXITED(sv.status) || WEXITSTATUS(sv.status) != 0 ||
            sv.child_sum != sv.at_fork)
            break;
        if (i >= 0) {
            f[n] = sv.fork_cycles;
            s[n++] = sv.save_cycles;
        }
    }
    unlink(file_path);
    if (n < runs) {
        say("bench snapshot_fork size_mib=%u error=child", mib);
        return;
    }
    bench_line("snapshot_fork", mib, f, n);
    bench_line("snapshot_bgsave", mib, s, n);
}

int main(int argc, char **argv)
{
    size_t bytes = 64 * (size_t)MIB;
    int runs = 5, mode_bench = 0;
    static char default_path[4096];
    snprintf(default_path, sizeof default_path, "%s", scratch_path("snapshot.dat"));
    file_path = default_path;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--bench"))
            mode_bench = 1;
        else if (!strcmp(argv[i], "-m") && i + 1 < argc)
            bytes = (size_t)atoi(argv[++i]) * MIB;
        else if (!strcmp(argv[i], "-k") && i + 1 < argc)
            bytes = (size_t)atoi(argv[++i]) * 1024;
        else if (!strcmp(argv[i], "-n") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            file_path = argv[++i];
        else {
            warn("usage: snapshot [--bench] [-m MIB | -k KIB] [-n RUNS] [-o FILE]");
            return 2;
        }
    }
    bytes = (bytes + 2 * PAGE - 1) / (2 * PAGE) * (2 * PAGE);   // whole pairs of pages
    if (runs < 1 || runs > MAX_RUNS)
        runs = 5;
    fill_table(bytes);
    if (mode_bench) {
        bench(runs);
        return 0;
    }
    return demo();
}
