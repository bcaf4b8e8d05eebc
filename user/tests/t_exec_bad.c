// t_exec_bad: execve of broken files must fail cleanly, the caller running on.
//
// The test writes each broken file itself: a tiny valid i386 ELF (one PT_LOAD
// segment whose code calls exit(42)) with one field spoiled, or a file that
// is not an ELF at all. Each execve runs in a forked child; after a failed
// execve the child checks its own memory (data, bss, heap, stack, code) and
// exits with the errno, so the parent sees both the error and that the
// caller's image survived.
//
// Linux is the reference where it fails cleanly. Where it does not (it
// checks segments only after its point of no return and kills the caller,
// or it loads what bunshin refuses), the check is a skip on Linux that says
// what Linux did, and is enforced on bunshin, whose execve is all-or-nothing
// (README, "What bunshin promises"; docs/exec.md, section 9). If Linux ever
// behaves otherwise, the check fails so that
// the table below gets updated.
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"
#include "elf_image.h"

// The valid program: Ehdr, one Phdr, then the code
//     mov $1, %eax ; mov $42, %ebx ; int $0x80       (exit(42))
struct image {
    Elf32_Ehdr eh;
    Elf32_Phdr ph;
    unsigned char code[12];
} __attribute__((packed));

static const unsigned char exit42[12] = {
    0xb8, 1, 0, 0, 0, 0xbb, 42, 0, 0, 0, 0xcd, 0x80,
};

#define VALID_EXIT 42
#define BASE 0x08048000u

// A valid image loaded at vaddr: the whole file is one R+X segment.
static void valid_image(struct image *m, unsigned vaddr)
{
    memset(m, 0, sizeof *m);
    Elf32_Ehdr eh;              /* m is packed: no pointer into it */
    elf32_exec_header(&eh, vaddr + offsetof(struct image, code), offsetof(struct image, ph), 1);
    memcpy(&m->eh, &eh, sizeof eh);
    m->ph.p_type = PT_LOAD;
    m->ph.p_vaddr = m->ph.p_paddr = vaddr;
    m->ph.p_filesz = m->ph.p_memsz = sizeof *m;
    m->ph.p_flags = PF_R | PF_X;
    m->ph.p_align = 0x1000;
    memcpy(m->code, exit42, sizeof exit42);
}

// What one attempt did, seen from the parent.
enum outcome { RETURNED, RAN, KILLED, BROKEN };
struct result {
    enum outcome what;
    int value;   // errno (RETURNED), exit status (RAN), signal (KILLED)
};

// Exit codes of the child that are not an errno.
#define CHILD_CORRUPT 250   // execve returned but the caller's memory changed

static volatile unsigned data_canary = 0xda7a0001;
static volatile unsigned bss_canary;

static unsigned __attribute__((noinline)) code_still_there(unsigned x)
{
    return x * 3 + 1;
}

// In the child: execve(path, argv, envp); on failure check that the image
// is untouched and exit with errno. Never returns.
static void attempt(const char *path, char *const argv[])
{
    char *envp[] = { "BUNSHIN_TEST=exec_bad", NULL };
    volatile unsigned stack_canary = 0x57ac0001;
    volatile unsigned *heap = malloc(sizeof *heap);
    if (!heap)
        _exit(CHILD_CORRUPT);
    *heap = 0x4ea90001;
    bss_canary = 0xb5500001;

    execve(path, argv, envp);
    int err = errno;
    int intact = data_canary == 0xda7a0001 && bss_canary == 0xb5500001 &&
                 stack_canary == 0x57ac0001 && *heap == 0x4ea90001 &&
                 code_still_there(5) == 16;
    _exit(intact && err < CHILD_CORRUPT ? err : CHILD_CORRUPT);
}

static struct result run_attempt(const char *path, char *const argv[])
{
    struct result r = { BROKEN, 0 };
    pid_t pid = xfork();
    if (pid < 0)
        return r;
    if (pid == 0)
        attempt(path, argv);
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return r;
    if (WIFSIGNALED(st)) {
        r.what = KILLED;
        r.value = WTERMSIG(st);
    } else if (WEXITSTATUS(st) == VALID_EXIT) {
        r.what = RAN;
        r.value = VALID_EXIT;
    } else if (WEXITSTATUS(st) != CHILD_CORRUPT && WEXITSTATUS(st) != 0) {
        r.what = RETURNED;
        r.value = WEXITSTATUS(st);
    } else {
        r.what = BROKEN;
        r.value = WEXITSTATUS(st);
    }
    return r;
}

static const char *describe(struct result r)
{
    switch (r.what) {
    case RETURNED:
        return tname("execve failed with %s and the caller ran on", errname(r.value));
    case RAN:
        return "execve succeeded and the program ran (exit 42)";
    case KILLED:
        return tname("the process was killed by %s", signame(r.value));
    default:
        if (r.value == CHILD_CORRUPT)
            return "execve returned but the caller's memory was changed";
        return tname("no usable outcome (status %d)", r.value);
    }
}

// Write len bytes to a scratch file with the given mode. Returns its path.
static const char *write_file(const char *name, const void *buf, size_t len, int mode)
{
    const char *path = scratch_path(tname("exec_bad.%d.%s", (int)getpid(), name));
    unlink(path);
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, mode);
    if (fd < 0) {
        fail(tname("exec_bad.%s", name), "cannot create %s: %s", path, errname(errno));
        return NULL;
    }
    if (write(fd, buf, len) != (ssize_t)len) {
        fail(tname("exec_bad.%s", name), "cannot write %s: %s", path, errname(errno));
        close(fd);
        return NULL;
    }
    close(fd);
    return path;
}

// How Linux treats a case.
enum linux_way {
    L_ERRNO,     // fails cleanly with the given errno: expected everywhere
    L_KILLS,     // kills the caller after the point of no return
    L_RUNS,      // loads and runs the program
    L_RUNS_OR_KILLS,   // depends on privileges or settings
};

struct bad_case {
    const char *name;
    const char *what;            // what is broken, for messages
    enum linux_way linux_way;
    int err;                     // the errno (Linux's for L_ERRNO, else bunshin's)
    const char *why;             // for the skip on Linux
};

// Check one attempt against the case's expectation.
static void judge(const struct bad_case *c, struct result r)
{
    const char *name = tname("exec_bad.%s", c->name);
    if (c->linux_way == L_ERRNO || on_bunshin()) {
        check(r.what == RETURNED && r.value == c->err, name,
              "%s: expected execve to fail with %s and the caller to run on; %s",
              c->what, errname(c->err), describe(r));
        return;
    }
    int as_known = (c->linux_way == L_KILLS && r.what == KILLED && r.value == SIGSEGV) ||
                   (c->linux_way == L_RUNS && r.what == RAN) ||
                   (c->linux_way == L_RUNS_OR_KILLS &&
                    (r.what == RAN || (r.what == KILLED && r.value == SIGSEGV)));
    if (as_known)
        skip(name, "Linux %s: %s (bunshin must fail with %s, caller intact)", c->why,
             describe(r), errname(c->err));
    else
        fail(name, "%s: this test expected Linux to %s, but %s", c->what, c->why,
             describe(r));
}

static void spoil_and_run(const struct bad_case *c, struct image *m, size_t len)
{
    const char *path = write_file(c->name, m, len, 0755);
    if (!path)
        return;
    char *argv[] = { (char *)path, NULL };
    judge(c, run_attempt(path, argv));
    unlink(path);
}

// An ELF64 header (x86-64 layout) claiming EM_386: a 64-bit file for i386.
static void elf64_case(const struct bad_case *c)
{
    unsigned char buf[256];
    memset(buf, 0, sizeof buf);
    Elf64_Ehdr *e = (Elf64_Ehdr *)buf;
    Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof *e);
    memcpy(e->e_ident, ELFMAG, SELFMAG);
    e->e_ident[EI_CLASS] = ELFCLASS64;
    e->e_ident[EI_DATA] = ELFDATA2LSB;
    e->e_ident[EI_VERSION] = EV_CURRENT;
    e->e_type = ET_EXEC;
    e->e_machine = EM_386;
    e->e_version = EV_CURRENT;
    e->e_entry = BASE + 128;
    e->e_phoff = sizeof *e;
    e->e_ehsize = sizeof *e;
    e->e_phentsize = sizeof *ph;
    e->e_phnum = 1;
    ph->p_type = PT_LOAD;
    ph->p_flags = PF_R | PF_X;
    ph->p_vaddr = ph->p_paddr = BASE;
    ph->p_filesz = ph->p_memsz = sizeof buf;
    ph->p_align = 0x1000;
    memcpy(buf + 128, exit42, sizeof exit42);
    const char *path = write_file(c->name, buf, sizeof buf, 0755);
    if (!path)
        return;
    char *argv[] = { (char *)path, NULL };
    judge(c, run_attempt(path, argv));
    unlink(path);
}

#define KILLED_AFTER_PONR \
    "checks segments after its point of no return and kills the caller"

int main(void)
{
    struct image m;

    // The unspoiled image must run: otherwise every case below would fail
    // for a reason other than the one it names.
    valid_image(&m, BASE);
    const char *path = write_file("valid", &m, sizeof m, 0755);
    if (path) {
        char *argv[] = { (char *)path, NULL };
        struct result r = run_attempt(path, argv);
        check(r.what == RAN, "exec_bad.generator_valid",
              "the unspoiled generated ELF should run and exit 42, but %s", describe(r));
        unlink(path);
    }

#define CASE(field_change, ...)                                         \
    do {                                                                \
        static const struct bad_case c = { __VA_ARGS__ };               \
        valid_image(&m, BASE);                                          \
        size_t len = sizeof m;                                          \
        field_change;                                                   \
        spoil_and_run(&c, &m, len);                                     \
    } while (0)

    CASE(m.eh.e_ident[EI_MAG1] = 'X',
         "bad_magic", "e_ident starts 7f 'X' 'L' 'F'", L_ERRNO, ENOEXEC, NULL);
    CASE(m.eh.e_machine = EM_ARM,
         "wrong_machine", "e_machine is EM_ARM", L_ERRNO, ENOEXEC, NULL);
    CASE(m.eh.e_type = ET_REL,
         "wrong_type", "e_type is ET_REL", L_ERRNO, ENOEXEC, NULL);
    CASE(m.eh.e_phentsize = 40,
         "bad_phentsize", "e_phentsize is 40, not 32", L_ERRNO, ENOEXEC, NULL);
    CASE(m.eh.e_phnum = 0,
         "no_phdrs", "e_phnum is 0", L_ERRNO, ENOEXEC, NULL);
    CASE(m.eh.e_phoff = sizeof m - 16,
         "truncated_phdrs", "the program header table runs past the end of the file",
         L_ERRNO, ENOEXEC, NULL);
    CASE(m.eh.e_phnum = 3,
         "truncated_phdrs_count", "e_phnum is 3 but the file holds one header",
         L_ERRNO, ENOEXEC, NULL);
    CASE(len = 40,
         "truncated_ehdr", "the file ends inside the ELF header", L_ERRNO, ENOEXEC, NULL);

    {
        static const struct bad_case c = {
            "wrong_class", "an ELFCLASS64 file (x86-64 layout) for EM_386", L_ERRNO, ENOEXEC,
            NULL,
        };
        elf64_case(&c);
    }
    CASE(m.eh.e_ident[EI_CLASS] = ELFCLASS64,
         "wrong_class_ident", "e_ident[EI_CLASS] is ELFCLASS64, the rest ELF32",
         L_RUNS, ENOEXEC, "does not look at EI_CLASS in its i386 loader");
    CASE(m.eh.e_ident[EI_DATA] = ELFDATA2MSB,
         "wrong_data", "e_ident[EI_DATA] is ELFDATA2MSB (big-endian)",
         L_RUNS, ENOEXEC, "does not look at EI_DATA on x86");
    CASE(m.ph.p_memsz = m.ph.p_filesz - 1,
         "filesz_gt_memsz", "p_filesz > p_memsz", L_KILLS, ENOEXEC, KILLED_AFTER_PONR);
    CASE(valid_image(&m, 0xC0000000u),
         "kernel_space", "a segment at 0xC0000000 (bunshin's kernel)",
         L_RUNS, ENOEXEC, "gives i386 programs on an x86-64 kernel all 4 GiB, "
         "so 0xC0000000 is user space there");
    CASE((valid_image(&m, 0xBFFFF000u), m.ph.p_memsz = 0x2000),
         "kernel_space_cross", "a segment from 0xBFFFF000 into 0xC0000000",
         L_RUNS, ENOEXEC, "gives i386 programs on an x86-64 kernel all 4 GiB");
    CASE(valid_image(&m, 0xFFFFF000u),
         "kernel_space_top", "a segment in the last page, 0xFFFFF000",
         L_KILLS, ENOEXEC, KILLED_AFTER_PONR);
    CASE((valid_image(&m, 0xFFFFF000u), m.ph.p_memsz = 0x2000),
         "addr_wrap", "p_vaddr + p_memsz wraps past 4 GiB", L_KILLS, ENOEXEC,
         KILLED_AFTER_PONR);
    CASE((valid_image(&m, 0), m.eh.e_entry = offsetof(struct image, code)),
         "page_zero", "a segment at address 0 (page 0 is never mapped)",
         L_RUNS_OR_KILLS, ENOEXEC, "maps page 0 for privileged users (vm.mmap_min_addr)");
    CASE(m.ph.p_filesz = m.ph.p_memsz = 0x100000,
         "filesz_past_eof", "p_filesz reaches 1 MiB past the end of the file",
         L_RUNS, ENOEXEC, "maps the file lazily and never touches the missing part");
#undef CASE

    // Files that are not ELF at all.
    static const char text[] = "echo this is a text file without #!\n";
    static const struct bad_case text_case = {
        "text_file", "a text file without #!", L_ERRNO, ENOEXEC, NULL,
    };
    path = write_file(text_case.name, text, sizeof text - 1, 0755);
    if (path) {
        char *argv[] = { (char *)path, NULL };
        judge(&text_case, run_attempt(path, argv));
        unlink(path);
    }
    static const struct bad_case empty_case = {
        "empty_file", "an empty file", L_ERRNO, ENOEXEC, NULL,
    };
    path = write_file(empty_case.name, "", 0, 0755);
    if (path) {
        char *argv[] = { (char *)path, NULL };
        judge(&empty_case, run_attempt(path, argv));
        unlink(path);
    }

    // A valid ELF that may not be executed: no x bit. (Root too needs one.)
    static const struct bad_case mode_case = {
        "not_executable", "a valid ELF with mode 0644", L_ERRNO, EACCES, NULL,
    };
    valid_image(&m, BASE);
    path = write_file(mode_case.name, &m, sizeof m, 0644);
    if (path) {
        char *argv[] = { (char *)path, NULL };
        judge(&mode_case, run_attempt(path, argv));
        unlink(path);
    }

    // Names that are not files.
    static const struct bad_case missing_case = {
        "missing_file", "a path that does not exist", L_ERRNO, ENOENT, NULL,
    };
    path = scratch_path("exec_bad.no-such-file");
    {
        char *argv[] = { (char *)path, NULL };
        judge(&missing_case, run_attempt(path, argv));
    }
    static const struct bad_case dir_case = {
        "directory", "a directory", L_ERRNO, EACCES, NULL,
    };
    {
        path = rootpath("/etc");
        char *argv[] = { (char *)path, NULL };
        judge(&dir_case, run_attempt(path, argv));
    }

    // Arguments too big: 24 strings of 128 KiB - 1, 3 MiB in all, more than
    // Linux's limit of a quarter of the 8 MiB stack (and bunshin's).
    static const struct bad_case big_case = {
        "e2big", "3 MiB of arguments", L_ERRNO, E2BIG, NULL,
    };
    {
        char *arg = malloc(128 * 1024);
        char *argv[26];
        if (arg) {
            memset(arg, 'x', 128 * 1024 - 1);
            arg[128 * 1024 - 1] = '\0';
            argv[0] = (char *)rootpath("/bin/true");
            for (int i = 1; i <= 24; i++)
                argv[i] = arg;
            argv[25] = NULL;
            judge(&big_case, run_attempt(argv[0], argv));
            free(arg);
        } else {
            fail("exec_bad.e2big", "malloc of 128 KiB failed");
        }
    }
    return test_status();
}
