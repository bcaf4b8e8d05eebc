// t_exec_interp: execve of a program whose PT_INTERP names a file that is
// not there fails with ENOENT, and the caller runs on, whatever the order
// of its program headers.
//
// Until issue 9, a PT_INTERP after a valid PT_LOAD made the ELF check
// return success with the program headers already freed, and the loader
// then read them through a NULL pointer: a kernel panic (found by the
// fuzzer, t_fuzz). Then bunshin refused every PT_INTERP (ENOEXEC); now it
// loads the interpreter (kernel/elf_interp.c, t_dynamic), and, as Linux,
// looks for it first: a path that does not exist here is ENOENT, and the
// caller must be left as it was.
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"
#include "elf_image.h"

#define BASE 0x08048000u
#define INTERP "/no/such/ld.so"

// Ehdr, two Phdrs (a PT_LOAD of the whole file and a PT_INTERP naming
// INTERP, in either order), the code (exit(42)), then the path.
struct image {
    Elf32_Ehdr eh;
    Elf32_Phdr ph[2];
    unsigned char code[12];
    char interp[sizeof INTERP];
} __attribute__((packed));

static const unsigned char exit42[12] = {
    0xb8, 1, 0, 0, 0, 0xbb, 42, 0, 0, 0, 0xcd, 0x80,
};

static void make_image(struct image *m, int interp_first)
{
    memset(m, 0, sizeof *m);
    Elf32_Ehdr eh;              /* m is packed: no pointer into it */
    elf32_exec_header(&eh, BASE + offsetof(struct image, code), offsetof(struct image, ph), 2);
    memcpy(&m->eh, &eh, sizeof eh);
    Elf32_Phdr load = { 0 }, interp = { 0 };
    load.p_type = PT_LOAD;
    load.p_vaddr = load.p_paddr = BASE;
    load.p_filesz = load.p_memsz = sizeof *m;
    load.p_flags = PF_R | PF_X;
    load.p_align = 0x1000;
    interp.p_type = PT_INTERP;
    interp.p_offset = offsetof(struct image, interp);
    interp.p_vaddr = interp.p_paddr = BASE + offsetof(struct image, interp);
    interp.p_filesz = interp.p_memsz = sizeof INTERP;
    interp.p_flags = PF_R;
    interp.p_align = 1;
    memcpy(&m->ph[interp_first ? 1 : 0], &load, sizeof load);
    memcpy(&m->ph[interp_first ? 0 : 1], &interp, sizeof interp);
    memcpy(m->code, exit42, sizeof exit42);
    memcpy(m->interp, INTERP, sizeof INTERP);
}

static volatile unsigned data_canary = 0xda7a0002;

#define CHILD_CORRUPT 250

static void one_order(int interp_first)
{
    const char *name = interp_first ? "exec_interp.interp_first" : "exec_interp.load_first";
    struct image m;
    make_image(&m, interp_first);
    const char *path = scratch_path(tname("exec_interp.%d", (int)getpid()));
    unlink(path);
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0755);
    if (fd < 0 || write(fd, &m, sizeof m) != (ssize_t)sizeof m || close(fd) < 0) {
        fail(name, "cannot write %s: %s", path, errname(errno));
        return;
    }
    pid_t pid = xfork();
    if (pid == 0) {
        volatile unsigned stack_canary = 0x57ac0002;
        char *argv[] = { "interp", NULL }, *envp[] = { NULL };
        execve(path, argv, envp);
        int err = errno;
        _exit(data_canary == 0xda7a0002 && stack_canary == 0x57ac0002 && err < CHILD_CORRUPT
                  ? err : CHILD_CORRUPT);
    }
    int st = pid > 0 ? wait_for(pid) : -1;
    unlink(path);
    int want = ENOENT;
    check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == want, name,
          "expected execve to fail with %s and the caller to run on; the child %s (%d: %s)",
          errname(want), status_str(st), WIFEXITED(st) ? WEXITSTATUS(st) : 0,
          WIFEXITED(st) && WEXITSTATUS(st) == CHILD_CORRUPT ? "caller damaged"
          : WIFEXITED(st) && WEXITSTATUS(st) == 42 ? "the program ran"
          : WIFEXITED(st) ? errname(WEXITSTATUS(st)) : "");
}

int main(void)
{
    long before = memfree_start();
    one_order(0);
    one_order(1);
    memfree_check("exec_interp.memfree_restored", before);
    return test_status();
}
