// exec_child: an exec target for t_exec. It checks what main sees after
// execve and prints one line per check, then exits 0 if all passed.
//   exec_child full            argv/envp from exec_common.h, auxv, bss
//   exec_child noenv           an empty environment
//   exec_child ids PID PPID    the pid and parent survive execve
//   exec_child fds KEPT CLOSED KEPT is readable, CLOSED (O_CLOEXEC) is gone
//   exec_child quiet           no checks: exit 0
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "bunshin.h"
#include "exec_common.h"

extern char **environ;
extern const Elf32_Ehdr __ehdr_start;   // the ELF header, mapped by the kernel
extern char _start[];                    // musl's entry point

static int bss_word;
static char bss_buf[256];
static int data_word = 0x600df00d;

static void check_args(int argc, char **argv, char **envp)
{
    int same = argc == 1 + EXEC_NARGS && strcmp(argv[0], EXEC_ARGV0) == 0;
    for (int i = 0; same && i < EXEC_NARGS; i++)
        same = strcmp(argv[1 + i], exec_args[i]) == 0;
    check(same, "exec.argv", "argc %d; argv[0] \"%s\", argv[2] \"%s\", argv[3] \"%s\"",
          argc, argv[0], argc > 2 ? argv[2] : "", argc > 3 ? argv[3] : "");
    check(argv[argc] == NULL, "exec.argv_null", "argv[argc] is %p", (void *)argv[argc]);

    static char long_var[EXEC_LONG_LEN + 6];
    exec_long_var(long_var);
    int n = 0;
    while (envp[n])
        n++;
    same = n == EXEC_NENV + 1;
    for (int i = 0; same && i < EXEC_NENV; i++)
        same = strcmp(envp[i], exec_env[i]) == 0;
    same = same && strcmp(envp[EXEC_NENV], long_var) == 0;
    check(same, "exec.envp", "%d variables; first \"%s\"", n, n ? envp[0] : "");
    check(environ == envp && strcmp(getenv("SPACE") ? getenv("SPACE") : "", "x y") == 0,
          "exec.environ", "environ %p, envp %p, SPACE=\"%s\"", (void *)environ, (void *)envp,
          getenv("SPACE") ? getenv("SPACE") : "(unset)");
    // The strings sit at the top of the stack, above main's frame.
    int local;
    check((char *)argv[1] > (char *)&local && (char *)envp[0] > (char *)&local,
          "exec.strings_on_stack", "argv[1] %p, envp[0] %p, a local of main %p",
          (void *)argv[1], (void *)envp[0], (void *)&local);
}

static void check_auxv(void)
{
    check_eq("exec.auxv_pagesz", 4096, getauxval(AT_PAGESZ));

    const Elf32_Ehdr *eh = &__ehdr_start;
    unsigned long phdr = getauxval(AT_PHDR);
    check_eq("exec.auxv_phdr", (unsigned long)eh + eh->e_phoff, phdr);
    check_eq("exec.auxv_phent", sizeof(Elf32_Phdr), getauxval(AT_PHENT));
    check_eq("exec.auxv_phnum", eh->e_phnum, getauxval(AT_PHNUM));
    check_eq("exec.auxv_entry", (unsigned long)_start, getauxval(AT_ENTRY));
    check_eq("exec.e_entry", (unsigned long)_start, eh->e_entry);

    // The headers at AT_PHDR describe this program: a PT_LOAD holds main.
    int found = 0;
    if (phdr) {
        const Elf32_Phdr *ph = (const Elf32_Phdr *)phdr;
        for (unsigned i = 0; i < getauxval(AT_PHNUM); i++) {
            unsigned long m = (unsigned long)check_auxv;
            if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr <= m &&
                m < ph[i].p_vaddr + ph[i].p_memsz && (ph[i].p_flags & PF_X))
                found = 1;
        }
    }
    check(found, "exec.auxv_phdr_describes_text",
          "no executable PT_LOAD at AT_PHDR holds the code");

    // AT_RANDOM: 16 readable bytes, not all zero.
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    int nonzero = 0;
    if (rnd)
        for (int i = 0; i < 16; i++)
            nonzero |= rnd[i];
    check(rnd && nonzero, "exec.auxv_random", "AT_RANDOM %p, %s", (void *)rnd,
          rnd ? "16 zero bytes" : "missing");

    check(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid() &&
              getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid(),
          "exec.auxv_ids", "AT_UID/EUID/GID/EGID %lu %lu %lu %lu; ids %d %d %d %d",
          getauxval(AT_UID), getauxval(AT_EUID), getauxval(AT_GID), getauxval(AT_EGID),
          (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid());
    if (on_bunshin())
        check_eq("exec.auxv_no_sysinfo", 0, getauxval(AT_SYSINFO));
    else
        skip("exec.auxv_no_sysinfo", "Linux gives i386 programs a vDSO (AT_SYSINFO)");
}

static void check_memory(void)
{
    int zero = bss_word == 0;
    for (size_t i = 0; i < sizeof bss_buf; i++)
        zero &= bss_buf[i] == 0;
    check(zero, "exec.bss_zero", "a variable in .bss is not zero");
    check_eq("exec.data_loaded", 0x600df00d, data_word);
}

int main(int argc, char **argv, char **envp)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "full") == 0) {
        check_args(argc, argv, envp);
        check_auxv();
        check_memory();
    } else if (strcmp(mode, "noenv") == 0) {
        check(envp[0] == NULL && environ[0] == NULL && argc == 2, "exec.empty_env",
              "argc %d, envp[0] \"%s\"", argc, envp[0] ? envp[0] : "(null)");
    } else if (strcmp(mode, "ids") == 0 && argc == 4) {
        check_eq("exec.pid_kept", atoi(argv[2]), getpid());
        check_eq("exec.ppid_kept", atoi(argv[3]), getppid());
    } else if (strcmp(mode, "fds") == 0 && argc == 4) {
        char buf[64] = "";
        long n = read(atoi(argv[2]), buf, sizeof buf - 1);
        check(n == (long)strlen(EXEC_FD_TEXT) && strcmp(buf, EXEC_FD_TEXT) == 0,
              "exec.fd_inherited", "read(%s) returned %ld: \"%s\"", argv[2], n, buf);
        check_errno("exec.cloexec_closed", read(atoi(argv[3]), buf, 1), EBADF);
    } else if (strcmp(mode, "quiet") == 0) {
        return 0;
    } else {
        fail("exec.child_usage", "unknown mode \"%s\" (argc %d)", mode, argc);
    }
    return test_status();
}
