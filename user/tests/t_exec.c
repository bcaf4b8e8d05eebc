// t_exec: execve of valid programs. The exec targets (exec_child,
// exec_probe) check what they see themselves and print their own lines;
// this test runs them and checks how they ended. See exec_common.h for the
// argv and envp they expect.
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"
#include "exec_common.h"

// fork, execve(path, argv, envp) in the child, wait. Returns the wait
// status; a failed execve exits with 100 + errno.
static int spawn(const char *path, char *const argv[], char *const envp[])
{
    pid_t pid = xfork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execve(path, argv, envp);
        _exit(100 + errno);
    }
    int st;
    return waitpid(pid, &st, 0) == pid ? st : -1;
}

// ok if the program exited with `code`.
static void check_exit(const char *name, int st, int code, const char *what)
{
    check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == code, name,
          "%s: expected exit status %d, got: %s%s", what, code, status_str(st),
          st != -1 && WIFEXITED(st) && WEXITSTATUS(st) > 100
              ? tname(" (execve failed with %s?)", errname(WEXITSTATUS(st) - 100))
              : "");
}

// The bss test means something only if the file has non-zero bytes after
// the data, in the page where the bss starts: a loader that copied whole
// file pages would put them into the bss.
static void check_probe_file(const char *path)
{
    static unsigned char file[256 * 1024];
    int fd = open(path, O_RDONLY);
    long len = fd < 0 ? -1 : read(fd, file, sizeof file);
    close(fd);
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)file;
    long nonzero = -1;
    if (len > (long)sizeof *eh && eh->e_phoff + eh->e_phnum * sizeof(Elf32_Phdr) <= (size_t)len) {
        const Elf32_Phdr *ph = (const Elf32_Phdr *)(file + eh->e_phoff);
        for (int i = 0; i < eh->e_phnum; i++) {
            if (ph[i].p_type != PT_LOAD || ph[i].p_memsz <= ph[i].p_filesz)
                continue;
            unsigned long from = ph[i].p_offset + ph[i].p_filesz;
            unsigned long to = (from + 4095) & ~4095ul;
            nonzero = 0;
            for (unsigned long o = from; o < to && o < (unsigned long)len; o++)
                nonzero += file[o] != 0;
        }
    }
    check(nonzero > 0, "exec.probe_file_has_tail",
          "read %ld bytes of %s; %ld non-zero bytes follow the data in its last page", len, path,
          nonzero);
}

int main(void)
{
    const char *child = rootpath("/tests/exec_child");
    const char *probe = rootpath("/tests/exec_probe");
    static char long_var[EXEC_LONG_LEN + 6];
    char *env[EXEC_NENV + 2];
    for (int i = 0; i < EXEC_NENV; i++)
        env[i] = (char *)exec_env[i];
    env[EXEC_NENV] = exec_long_var(long_var);
    env[EXEC_NENV + 1] = NULL;
    char *noenv[] = { NULL };

    // argv, envp, the auxiliary vector and the bss as main sees them.
    char *argv_full[2 + EXEC_NARGS] = { EXEC_ARGV0 };
    for (int i = 0; i < EXEC_NARGS; i++)
        argv_full[1 + i] = (char *)exec_args[i];
    argv_full[1 + EXEC_NARGS] = NULL;
    check_exit("exec.child_full", spawn(child, argv_full, env), 0, "exec_child full");

    char *argv_noenv[] = { (char *)child, "noenv", NULL };
    check_exit("exec.child_noenv", spawn(child, argv_noenv, noenv), 0, "exec_child noenv");

    // The registers, the stack at entry and the whole bss (4 MiB of it).
    char *argv_probe[] = { (char *)probe, "x", "y", NULL };
    check_exit("exec.probe", spawn(probe, argv_probe, env), 0, "exec_probe");
    check_probe_file(probe);

    // execve keeps the process: same pid, same parent.
    pid_t pid = xfork();
    if (pid == 0) {
        char me[16], parent[16];
        snprintf(me, sizeof me, "%d", (int)getpid());
        snprintf(parent, sizeof parent, "%d", (int)getppid());
        char *argv[] = { (char *)child, "ids", me, parent, NULL };
        execve(child, argv, noenv);
        _exit(100 + errno);
    }
    int st = -1;
    waitpid(pid, &st, 0);
    check_exit("exec.child_ids", st, 0, "exec_child ids");

    // Descriptors survive execve unless they are close-on-exec.
    const char *path = scratch_path(tname("t_exec.%d", (int)getpid()));
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    write(fd, EXEC_FD_TEXT, strlen(EXEC_FD_TEXT));
    close(fd);
    int kept = open(path, O_RDONLY);
    int closed = open(path, O_RDONLY | O_CLOEXEC);
    if (check(kept >= 0 && closed >= 0, "exec.fd_setup", "open(%s): %s", path,
              errname(errno))) {
        char k[16], c[16];
        snprintf(k, sizeof k, "%d", kept);
        snprintf(c, sizeof c, "%d", closed);
        char *argv[] = { (char *)child, "fds", k, c, NULL };
        check_exit("exec.child_fds", spawn(child, argv, noenv), 0, "exec_child fds");
        // The parent's own descriptors are untouched by the child's execve.
        char buf[4];
        check_eq("exec.parent_fd_still_open", 4, read(closed, buf, 4));
    }
    close(kept);
    close(closed);
    unlink(path);

    // A relative path is looked up from the current directory.
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) && chdir(rootpath("/tests")) == 0) {
        char *argv[] = { "./exec_child", "quiet", NULL };
        check_exit("exec.relative_path", spawn("./exec_child", argv, noenv), 0,
                   "./exec_child from /tests");
        chdir(cwd);
    } else {
        fail("exec.relative_path", "cannot chdir to %s: %s", rootpath("/tests"),
             errname(errno));
    }

    // Real programs from /bin.
    char *argv_true[] = { "true", NULL };
    check_exit("exec.bin_true", spawn(rootpath("/bin/true"), argv_true, noenv), 0, "/bin/true");
    char *argv_false[] = { "false", NULL };
    check_exit("exec.bin_false", spawn(rootpath("/bin/false"), argv_false, noenv), 1,
               "/bin/false");
    return test_status();
}
