// t_dynamic: programs that are not linked for a fixed address
// (kernel/elf_load.c, kernel/elf_interp.c), checked against Linux. One
// program, dyn_probe, in four forms (user/user.mk):
//   - dyn_probe       static, at a fixed address (ET_EXEC): the usual;
//   - dyn_probe_exec  at a fixed address, but dynamically linked: execve
//                     loads musl's loader (/lib/ld-musl-i386.so.1, its
//                     PT_INTERP) and starts it, with AT_BASE saying where;
//   - dyn_probe_pie   a PIE (ET_DYN) with the loader: execve chooses where
//                     both go;
//   - dyn_probe_spie  a static PIE: no loader, it relocates itself.
// Each must print the same facts (arguments, environment, .data, .bss,
// relocated pointers, TLS, a thread, malloc, AT_ENTRY and AT_PHDR pointing
// at its own _start and headers); AT_BASE must be 0 without a loader and
// not without; a PIE must not sit at the fixed programs' address, and moves
// from one run to the next when addresses are randomised. dyn_libuser
// uses a shared library of its own (found by its $ORIGIN run path: code,
// data and TLS the loader maps and relocates) and loads another with
// dlopen. An interpreter that is not an ELF program is EIO or ELIBBAD. And
// 150 mutants of the dynamic PIE (bunshin only) leave the kernel running
// and take no frame with them.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"
#include "fuzz.h"

static const char *expected =
    "argc 2\n"
    "argv1 hello\n"
    "env yes\n"
    "data 1234\n"
    "bss_zero 1\n"
    "rodata read-only\n"
    "tls 7\n"
    "thread 12\n"
    "tls_after 7\n"
    "errno EBADF\n"
    "malloc 1\n"
    "at_entry_is_start 1\n"
    "at_phdr_is_ours 1\n"
    "at_phnum 1\n";

// A value from the probe's stderr ("key 0x..."), or -1.
static long long addr_of(const char *err, const char *key)
{
    const char *p = strstr(err, key);
    return p ? strtoll(p + strlen(key) + 1, 0, 0) : -1;
}

// Run one form; its main's address in *main_addr. 1 if it ran.
static int run_form(const char *form, int has_loader, long long *main_addr)
{
    char path[128];
    snprintf(path, sizeof path, "%s", rootpath(tname("/tests/%s", form)));
    char *argv[] = { path, "hello", 0 };
    char *envp[] = { "DYN_PROBE=yes", 0 };
    struct captured c;
    if (!check(run_capture(argv, envp, 0, 0, 10000, &c) == 0 && c.status == 0,
               tname("%s.runs", form), "status %s, stderr: %s", status_str(c.status), c.err))
        return 0;
    const char *d = first_difference(expected, c.out);
    check(!d, tname("%s.facts", form), "%s", d ? d : "");
    long long base = addr_of(c.err, "at_base");
    if (has_loader)
        check(base > 0, tname("%s.at_base", form), "AT_BASE %#llx: where the loader is", base);
    else
        check_eq(tname("%s.at_base", form), 0, base);
    *main_addr = addr_of(c.err, "main");
    captured_free(&c);
    return 1;
}

// Shared libraries: one the program is linked against, one it dlopens.
static void test_libraries(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s", rootpath("/tests/dyn_libuser"));
    char *argv[] = { path, 0 };
    struct captured c;
    if (!check(run_capture(argv, 0, 0, 0, 10000, &c) == 0 && c.status == 0, "libs.runs",
               "status %s, stderr: %s", status_str(c.status), c.err))
        return;
    const char *d = first_difference("dynlib_twice(20) 46\ndynplugin_add(3) 103\ndlclose 0\n", c.out);
    check(!d, "libs.output", "%s", d ? d : "");
    captured_free(&c);
}

// A program whose interpreter is a file that is not an ELF program: a
// script of len bytes. Shorter than an ELF header, Linux cannot read the
// header (EIO); longer, the header is wrong (ELIBBAD).
static void test_bad_interp(int len, int want)
{
    const char *fake = "/tmp/t_dynamic-fake";   // short enough to fit
    int fd = open(fake, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    char script[256];
    memset(script, '#', sizeof script);
    memcpy(script, "#!/bin/sh\necho hi\n", 18);
    write(fd, script, (size_t)len);
    close(fd);
    // The program: dyn_probe_exec with its PT_INTERP path overwritten (the
    // new path is no longer than /lib/ld-musl-i386.so.1).
    const char *prog = scratch_path("bad-interp");
    char src[128];
    snprintf(src, sizeof src, "%s", rootpath("/tests/dyn_probe_exec"));
    struct captured c;
    char *cp[] = { "/bin/cp", src, (char *)prog, 0 };
    if (run_capture(cp, 0, 0, 0, 10000, &c) < 0 || c.status != 0) {
        fail("bad_interp.setup", "cp failed");
        return;
    }
    captured_free(&c);
    fd = open(prog, O_RDWR);
    enum { BUF = 1 << 20 };
    char *buf = malloc(BUF);             // given back (a static one would stay, and count)
    ssize_t n = buf ? read(fd, buf, BUF) : -1;
    char *at = n > 0 ? memmem(buf, (size_t)n, "/lib/ld-musl-i386.so.1", 23) : 0;
    if (!at || strlen(fake) > 22) {
        skip("bad_interp", "no room for the path %s", fake);
        close(fd);
        free(buf);
        return;
    }
    memset(at, 0, 23);
    memcpy(at, fake, strlen(fake));
    pwrite(fd, buf, (size_t)n, 0);
    close(fd);
    free(buf);
    pid_t pid = xfork();
    if (pid == 0) {
        char *argv[] = { (char *)prog, 0 };
        execv(prog, argv);
        _exit(errno);
    }
    int st = wait_for(pid);
    check(exited_with(st, want), tname("bad_interp.%s", errname(want)), "execv gave %s",
          status_str(st));
    unlink(prog);
    unlink(fake);
}

// Run every form once, unchecked: the kernel's first exec of a loader and
// of each file takes blocks of kernel heap that stay (slabs of each size),
// which the MemFree check below is not about.
static void warm_up(void)
{
    // The scratch directory, and cp's first run, for test_bad_interp.
    const char *copy = scratch_path("warm-up");
    char src[128];
    snprintf(src, sizeof src, "%s", rootpath("/tests/dyn_probe_exec"));
    char *cp[] = { "/bin/cp", src, (char *)copy, 0 };
    struct captured cc;
    if (run_capture(cp, 0, 0, 0, 10000, &cc) == 0)
        captured_free(&cc);
    unlink(copy);
    const char *forms[] = { "dyn_probe", "dyn_probe_exec", "dyn_probe_pie", "dyn_probe_spie",
                            "dyn_libuser" };
    for (int i = 0; i < 5; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s", rootpath(tname("/tests/%s", forms[i])));
        char *argv[] = { path, 0 };
        struct captured c;
        if (run_capture(argv, 0, 0, 0, 10000, &c) == 0)
            captured_free(&c);
    }
}

// Mutants of the PIE with its loader (user/lib/fuzz_elf.c: fields edited,
// bits flipped, cut short), each run in a child: whatever happens to
// them, the kernel carries on and every frame comes back. bunshin only, as
// t_fuzz's mutants (Linux kills a process whose image fails late).
static void test_mutants(int count)
{
    static uint8_t base[1 << 16], image[1 << 16];
    long n = read_file(rootpath("/tests/dyn_probe_pie"), (char *)base, sizeof base);
    size_t len = n > 0 ? fuzz_elf_loaded_part(base, (size_t)n) : 0;
    if (!check(len > 0, "mutants.base", "dyn_probe_pie: %s", n < 0 ? errname(errno) : "too big"))
        return;
    const char *path = "/tmp/t_dynamic-mutant";
    int ran = 0, refused = 0;
    for (int j = 0; j < count; j++) {
        char what[200];
        size_t m = fuzz_elf_mutate(base, len, 4242, (uint32_t)j, image, what, sizeof what);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
        write_full(fd, image, m);
        close(fd);
        char *argv[] = { (char *)path, 0 };
        struct captured c;
        if (run_capture(argv, 0, 0, 0, 2000, &c) == 0) {
            ran += c.status != 127 << 8;
            refused += c.status == 127 << 8;
            captured_free(&c);
        }
    }
    unlink(path);
    check(ran + refused == count, "mutants.all_ended", "%d ran, %d refused of %d", ran, refused,
          count);
}

int main(void)
{
    warm_up();
    long before = memfree_start();
    long long m_static = 0, m_exec = 0, m_pie = 0, m_spie = 0, again = 0;
    run_form("dyn_probe", 0, &m_static);
    run_form("dyn_probe_exec", 1, &m_exec);
    run_form("dyn_probe_spie", 0, &m_spie);
    if (run_form("dyn_probe_pie", 1, &m_pie)) {
        // Linked at 0x08048000, the fixed programs' main is near there;
        // a PIE's is wherever execve put it, which is elsewhere.
        check(m_pie > 0 && (m_pie >> 24) != (m_static >> 24), "pie.placed",
              "main at %#llx (the static program's at %#llx)", m_pie, m_static);
        long aslr = file_long("/proc/sys/kernel/randomize_va_space");
        int moved = 0;
        for (int i = 0; i < 5 && !moved; i++) {
            run_form("dyn_probe_pie", 1, &again);
            moved = again != m_pie;
        }
        if (aslr == 0)
            skip("pie.moves", "addresses are not randomised here");
        else
            check(moved, "pie.moves", "main stayed at %#llx in six runs", m_pie);
    }
    test_libraries();
    test_bad_interp(18, EIO);
    test_bad_interp(200, ELIBBAD);
    if (on_bunshin())
        test_mutants(150);
    else
        skip("mutants", "Linux: mutants only ever run on bunshin");
    memfree_check("dynamic.memfree", before);
    return test_status();
}
