// t_forktree: chains and trees of processes, and their exit statuses.
//
//   - a chain 20 deep: each process forks the next and waits for it; each
//     level writes its own slot of an array before forking and again after,
//     and the child must see its ancestors' slots as they were at its fork
//     and the parent must never see its descendants' writes. Every level exits with its
//     child's exit code plus one, so the top one sees 20;
//   - a tree: each node of 3 levels forks 3 children and reaps them with
//     wait(-1) in whatever order they end; each node exits with the size of
//     its subtree, so the root's children report 13 each (40 nodes in all)
//     and every process writes its pid into one pipe: 39 distinct pids;
//   - a fan of 30 children alive at once, each exiting with its own code,
//     reaped by wait(-1): every pid comes back once with its own code.
// On bunshin, MemFree is back where it started at the end.
// bunshin-boot: fork=odf
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define DEPTH 20

static int slots[DEPTH + 1];

static int slot_value(int level)
{
    return 1000 + level * 7;
}

// Exit codes of a chain level that found something wrong (above any depth).
enum { BAD_ANCESTORS = 200, BAD_PPID = 201, BAD_FORK = 202, BAD_CHILD = 203,
       BAD_LEAK = 204 };

// Level `level` of the chain: returns the exit code for its process.
static int chain(int level, pid_t parent)
{
    if (level > 0 && getppid() != parent)
        return BAD_PPID;
    // Ancestors' slots as they were when they forked; ours and below zero.
    for (int i = 0; i <= DEPTH; i++)
        if (slots[i] != (i < level ? slot_value(i) : 0))
            return BAD_ANCESTORS;
    if (level == DEPTH)
        return 0;
    // Written before the fork: the child sees it...
    slots[level] = slot_value(level);
    pid_t me = getpid();
    pid_t pid = xfork();
    if (pid == 0)
        _exit(chain(level + 1, me));
    if (pid < 0)
        return BAD_FORK;
    // ...but not this, written after.
    slots[level] = -slot_value(level);
    int st = wait_for(pid);
    for (int i = level + 1; i <= DEPTH; i++)
        if (slots[i] != 0)
            return BAD_LEAK;
    if (!WIFEXITED(st))
        return BAD_CHILD;
    int code = WEXITSTATUS(st);
    return code >= BAD_ANCESTORS ? code : code + 1;
}

static void test_chain(void)
{
    pid_t me = getpid();
    pid_t pid = xfork();
    if (pid == 0)
        _exit(chain(0, me));
    int st = wait_for(pid);
    // The top process is level 0; it exits with its child's code + 1 and
    // the leaf (level 20) with 0: 20 in all.
    check(WIFEXITED(st) && WEXITSTATUS(st) == DEPTH, "forktree.chain",
          "a chain of %d forks: %s (%d expected; 200: a child saw wrong ancestor data, "
          "201: wrong getppid, 202: fork failed, 203: a child was killed, "
          "204: a child's write showed in its parent)",
          DEPTH, status_str(st), DEPTH);
    for (int i = 0; i <= DEPTH; i++)
        if (slots[i] != 0) {
            fail("forktree.chain_no_leak", "slot %d is %d in the test process (the chain "
                 "runs in a child)", i, slots[i]);
            return;
        }
    ok("forktree.chain_no_leak");
}

// --- the tree ----------------------------------------------------------------

#define FANOUT 3
#define LEVELS 3
// Subtree sizes: a leaf is 1; a node at height h has 1 + 3 * size(h-1).
static int subtree_size(int height)
{
    return height == 0 ? 1 : 1 + FANOUT * subtree_size(height - 1);
}

static int pid_pipe[2];

// A node `height` levels above the leaves: write our pid, fork FANOUT
// children (each `height - 1` above the leaves), reap them in any order,
// check each one's status. Returns our exit code: the subtree's size, or
// 255 if something was wrong.
static int node(int height)
{
    pid_t me = getpid();
    write_full(pid_pipe[1], &me, sizeof me);
    if (height == 0)
        return 1;
    pid_t kids[FANOUT];
    for (int i = 0; i < FANOUT; i++) {
        kids[i] = xfork();
        if (kids[i] == 0)
            _exit(node(height - 1));
        if (kids[i] < 0)
            return 255;
    }
    int total = 1, seen = 0;
    for (int n = 0; n < FANOUT; n++) {
        int st;
        pid_t r = wait(&st);
        int which = -1;
        for (int i = 0; i < FANOUT; i++)
            if (kids[i] == r && !(seen & (1 << i)))
                which = i;
        if (which < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != subtree_size(height - 1))
            return 255;
        seen |= 1 << which;
        total += WEXITSTATUS(st);
    }
    if (wait(NULL) != -1 || errno != ECHILD)
        return 255;
    return total;
}

static void test_tree(void)
{
    if (pipe(pid_pipe) < 0) {
        fail("forktree.tree", "pipe: %s", errname(errno));
        return;
    }
    // The root of the tree is a child of the test: the test reads the pids.
    pid_t root = xfork();
    if (root == 0) {
        close(pid_pipe[0]);
        _exit(node(LEVELS));
    }
    close(pid_pipe[1]);
    enum { NODES = 40 };   // subtree_size(3)
    static pid_t pids[NODES + 8];
    ssize_t n = read_full(pid_pipe[0], pids, sizeof pids);
    close(pid_pipe[0]);
    int st = wait_for(root);
    check(WIFEXITED(st) && WEXITSTATUS(st) == subtree_size(LEVELS), "forktree.tree",
          "a tree of %d levels of %d children: the root %s (%d expected; 255: a node saw a "
          "wrong pid or status from wait)",
          LEVELS, FANOUT, status_str(st), subtree_size(LEVELS));
    int count = (int)(n / sizeof(pid_t)), dups = 0;
    for (int i = 0; i < count; i++)
        for (int j = 0; j < i; j++)
            dups += pids[i] == pids[j];
    check(count == NODES && dups == 0 && pids[0] == root, "forktree.tree_pids",
          "%d pids written (%d expected), %d duplicates, the first %d (the root is %d)",
          count, NODES, dups, count ? (int)pids[0] : 0, (int)root);
}

// --- the fan ----------------------------------------------------------------

#define FAN 30

static void test_fan(void)
{
    int go[2];
    if (pipe(go) < 0) {
        fail("forktree.fan", "pipe: %s", errname(errno));
        return;
    }
    pid_t kids[FAN];
    int made = 0;
    for (int i = 0; i < FAN; i++) {
        kids[i] = xfork();
        if (kids[i] == 0) {
            // Stay alive until every sibling exists.
            close(go[1]);
            char c;
            while (read(go[0], &c, 1) > 0)
                ;
            _exit(10 + i);
        }
        if (kids[i] < 0)
            break;
        made++;
    }
    check(made == FAN, "forktree.fan_forks", "%d of %d forks worked (%s)", made, FAN,
          made < FAN ? errname(errno) : "");
    close(go[0]);
    close(go[1]);   // all of them go now
    int got = 0, wrong = 0, seen[FAN] = { 0 };
    for (;;) {
        int st;
        pid_t r = wait(&st);
        if (r < 0)
            break;
        int which = -1;
        for (int i = 0; i < made; i++)
            if (kids[i] == r)
                which = i;
        if (which < 0 || seen[which] || !WIFEXITED(st) || WEXITSTATUS(st) != 10 + which)
            wrong++;
        else
            seen[which] = 1;
        got++;
    }
    check(got == made && wrong == 0 && errno == ECHILD, "forktree.fan_reaped",
          "wait(-1) returned %d children of %d, %d with a wrong pid or status, then %s",
          got, made, wrong, errname(errno));
}

static void all_checks(void *arg)
{
    (void)arg;
    test_chain();
    test_tree();
    test_fan();
    _exit(test_status());
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(all_checks, NULL);
    check(st == 0, "forktree.checks_passed", "the child doing the checks %s", status_str(st));
    memfree_check("forktree.memfree_restored", before);
    return test_status();
}
