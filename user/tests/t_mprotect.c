/* t_mprotect.c: mprotect, alone and across fork.
 *
 * The fork case is a regression test: a page that is read-only when fork
 * shares the page tables is shared without a copy-on-write mark (there was
 * nothing to copy on write); if either process later makes it writable,
 * its first write must still copy, or it would write into the other
 * process's page (here, even into the parent's program text). */
// bunshin-boot: fork=odf
#include <bunshin.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int child_status(pid_t pid)
{
    int st = 0;
    waitpid(pid, &st, 0);
    return st;
}

/* The checks, in a child of main, so that main's own memory does not move
 * while it measures MemFree. */
static void body(void *arg)
{
    (void)arg;
    char *m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!check(m != MAP_FAILED, "mprotect.mmap", "mmap failed"))
        _exit(test_status());
    strcpy(m, "parent");
    check_eq("mprotect.readonly", 0, mprotect(m, 4096, PROT_READ));

    /* A write to the read-only page kills a child with SIGSEGV. */
    pid_t pid = xfork();
    if (pid == 0) {
        m[0] = 'X';
        _exit(0);
    }
    int st = child_status(pid);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "mprotect.write_faults",
          "the child's write to a read-only page gave %s", status_str(st));

    /* Made writable in a child after fork: the parent's page must not change. */
    pid = xfork();
    if (pid == 0) {
        if (mprotect(m, 4096, PROT_READ | PROT_WRITE) != 0)
            _exit(2);
        strcpy(m, "child");
        _exit(strcmp(m, "child") == 0 ? 0 : 3);
    }
    st = child_status(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "mprotect.child_can_write",
          "the child gave %s", status_str(st));
    check_str("mprotect.shared_readonly_page_stays_private", "parent", m);

    /* The same with the program's own text (the page holding this function). */
    unsigned char *text = (unsigned char *)((unsigned long)body & ~4095ul);
    unsigned char before = text[0];
    pid = xfork();
    if (pid == 0) {
        if (mprotect(text, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
            _exit(2);
        text[0] ^= 0xff;
        _exit(0);
    }
    st = child_status(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "mprotect.child_writes_text",
          "the child gave %s", status_str(st));
    check_eq("mprotect.parent_text_unchanged", before, text[0]);

    /* And the parent itself may make its page writable again. */
    check_eq("mprotect.rw_again", 0, mprotect(m, 4096, PROT_READ | PROT_WRITE));
    strcpy(m, "again");
    check_str("mprotect.parent_writes", "again", m);
    /* Raw: musl's mprotect() rounds the address down itself. */
    check_errno("mprotect.unaligned", syscall(SYS_mprotect, m + 1, 4096, PROT_READ), EINVAL);
    munmap(m, 2 * 4096);
    _exit(test_status());
}

int main(void)
{
    long mem0 = memfree_start();
    int st = run_child(body, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "mprotect.checks_passed",
          "the child doing the checks gave %s", status_str(st));
    memfree_check("mprotect.memfree_back", mem0);
    return test_status();
}
