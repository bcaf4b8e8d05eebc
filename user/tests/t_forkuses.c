// t_forkuses: the three demos of fork used without exec (docs/fork-uses.md)
// do what they promise, with small sizes:
//   /demo/zygote      the forked workers and the exec'd ones give the same
//                     answers (known primes), a forked worker costs less
//                     and shares the tables (Pss well under Rss), except
//                     under fork=copy, where it has a copy of its own;
//   /demo/forkserver  every child starts from the clean state, even the one
//                     after a child scribbled on it; the crash and abort
//                     inputs end in SIGSEGV and SIGABRT, the others with
//                     their exit status; fork + execve agrees;
//   /demo/snapshot    the child's file has the table as it was at the fork,
//                     while the parent's table moved on; on bunshin the
//                     parent's copy-on-write faults cover the pages it
//                     changed (none under fork=copy, which copied them all).
// Each demo runs in a child (run_part), and MemFree must come back.
// bunshin-boot: fork=odf
// bunshin-boot: fork=copy
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "bunshin.h"

#define TIMEOUT_MS 60000

// Run /demo/PROG with up to 6 arguments; NAME.runs: it exited 0.
// Returns 1 with c filled (free it with captured_free), 0 if it did not run.
static int run_demo(const char *name, const char *prog, const char *input,
                    const char *const *args, int expect_status, struct captured *c)
{
    char path[4096];
    char *argv[8] = { path };
    snprintf(path, sizeof path, "%s", rootpath(tname("/demo/%s", prog)));
    for (int i = 0; args[i] && i < 6; i++)
        argv[i + 1] = (char *)args[i];
    if (run_capture(argv, NULL, NULL, input, TIMEOUT_MS, c) < 0) {
        fail(tname("%s.runs", name), "could not run %s", path);
        return 0;
    }
    if (!check(c->status != -1 && WIFEXITED(c->status) && WEXITSTATUS(c->status) == expect_status,
               tname("%s.runs", name), "%s: expected exit %d, got %s; stderr: %s", path,
               expect_status, c->status == -1 ? "no end" : status_str(c->status), c->err))
        say("# its output:\n%s", c->out);
    return 1;
}

// NAME ok if the output has this text.
static void has(const char *name, const struct captured *c, const char *text)
{
    check(strstr(c->out, text) != NULL, name, "no \"%s\" in the output", text);
}

// The number after the first key in text (NULL: none), or -1.
static long long number_after(const char *text, const char *key)
{
    const char *p = text ? strstr(text, key) : NULL;
    return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

static void zygote_args(void)
{
    static const char *const args[] = { "-m", "1", "7919", "7920", "100", NULL };
    struct captured c;
    if (!run_demo("zygote", "zygote", NULL, args, 0, &c))
        return;
    has("zygote.prime", &c, "request 7919: prime=yes next_prime=7919 ");
    has("zygote.composite", &c, "request 7920: prime=no next_prime=7927 ");
    has("zygote.next_prime", &c, "request 100: prime=no next_prime=101 ");
    has("zygote.agree", &c, "answers: fork and exec agree on 3 of 3 requests\n");
    long long f = number_after(c.out, "cost fork_worker: median ");
    long long e = number_after(c.out, "cost exec_worker: median ");
    check(f > 0 && e > f, "zygote.fork_cheaper", "fork worker %lld cycles, exec worker %lld", f, e);
    long long fpss = number_after(strstr(c.out, "memory fork_worker: "), "pss_kb=");
    long long epss = number_after(strstr(c.out, "memory exec_worker: "), "pss_kb=");
    check(epss >= 1024, "zygote.exec_pss", "the exec worker's Pss %lld kB: its own 1 MiB tables", epss);
    if (!strcmp(fork_mode(), "copy")) {
        has("zygote.not_shared", &c, "tables shared with the fork worker: no");
    } else {
        has("zygote.shared", &c, "tables shared with the fork worker: yes\n");
        check(fpss > 0 && fpss < epss, "zygote.fork_pss", "fork worker Pss %lld kB, exec worker %lld",
              fpss, epss);
    }
    captured_free(&c);
}

static void zygote_stdin(void)
{
    static const char *const args[] = { "-m", "1", NULL };
    struct captured c;
    if (!run_demo("zygote_stdin", "zygote", "5\n17\n", args, 0, &c))
        return;
    has("zygote_stdin.first", &c, "request 5: prime=yes next_prime=5 ");
    has("zygote_stdin.agree", &c, "answers: fork and exec agree on 2 of 2 requests\n");
    captured_free(&c);
}

static void forkserver_default(void)
{
    static const char *const args[] = { "-m", "1", NULL };
    struct captured c;
    if (!run_demo("forkserver", "forkserver", NULL, args, 0, &c))
        return;
    has("forkserver.plain", &c, "input 1 \"hello world\": start=clean outcome=exit 0 exec=same\n");
    has("forkserver.segv", &c, "input 2 \"crash\": start=clean outcome=signal SIGSEGV exec=same\n");
    has("forkserver.abort", &c, "input 3 \"abort\": start=clean outcome=signal SIGABRT exec=same\n");
    has("forkserver.scribble", &c, "input 4 \"scribble\": start=clean outcome=exit 3 exec=same\n");
    has("forkserver.after_scribble", &c,
        "input 5 \"hello again\": start=clean outcome=exit 0 exec=same\n");
    has("forkserver.exit_status", &c, "input 6 \"exit 7\": start=clean outcome=exit 7 exec=same\n");
    has("forkserver.server_clean", &c, "server state after 6 children: clean\n");
    long long f = number_after(c.out, "cost fork_input: median ");
    long long e = number_after(c.out, "cost exec_input: median ");
    check(f > 0 && e > f, "forkserver.fork_cheaper", "fork %lld cycles, exec %lld", f, e);
    captured_free(&c);
}

static void forkserver_inputs(void)
{
    static const char *const args[] = { "-m", "1", "scribble", "exit 9", NULL };
    struct captured c;
    if (!run_demo("forkserver_args", "forkserver", NULL, args, 0, &c))
        return;
    has("forkserver_args.second_clean", &c, "input 2 \"exit 9\": start=clean outcome=exit 9 exec=same\n");
    captured_free(&c);
}

static void snapshot(void)
{
    static const char *const args[] = { "-k", "256", NULL };
    struct captured c;
    if (!run_demo("snapshot", "snapshot", NULL, args, 0, &c))
        return;
    has("snapshot.child_sum", &c, "child wrote the table: checksum 1663ffffc3278001 equals the parent's at fork\n");
    has("snapshot.file_sum", &c, "file read back: 262144 bytes, checksum 1663ffffc3278001 equals the parent's at fork\n");
    has("snapshot.moved_on", &c, "parent changed 32 pages meanwhile: checksum now 16747fffc3278021, moved on\n");
    has("snapshot.consistent", &c, "snapshot consistent: yes\n");
    const char *mode = fork_mode();
    long long cow = number_after(c.out, "cow faults: parent ");
    long long taken = number_after(strstr(c.out, "the file written: "), "kB (");
    if (!on_bunshin()) {
        has("snapshot.no_cowfaults", &c, "cow faults: not shown: no CowFaults line");
    } else if (!strcmp(mode, "copy")) {
        // fork copied the whole table (256 kB); the file takes 256 kB more.
        check_eq("snapshot.cow_faults_copy", 0, cow);
        check(taken >= 512, "snapshot.frames_taken", "%lld kB taken, expected at least 512", taken);
    } else {
        // Each changed page is copied once, at the parent's first write.
        check(cow >= 32 && cow <= 40, "snapshot.cow_faults", "parent's CowFaults %lld, expected 32 and a few", cow);
        // 32 pages copied (128 kB) and the file in memory (256 kB).
        check(taken >= 384, "snapshot.frames_taken", "%lld kB taken, expected at least 384", taken);
    }
    captured_free(&c);
}

int main(void)
{
    long before = memfree_start();
    run_part("zygote", zygote_args);
    run_part("zygote_stdin", zygote_stdin);
    run_part("forkserver", forkserver_default);
    run_part("forkserver_args", forkserver_inputs);
    run_part("snapshot", snapshot);
    memfree_check("forkuses.memfree", before);
    return test_status();
}
