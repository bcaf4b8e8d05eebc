// dyn_probe: what a program sees of how execve loaded it. t_dynamic runs
// it in four forms (user/user.mk): static at a fixed address (dyn_probe),
// a PIE started by musl's dynamic loader (dyn_probe_pie), a dynamically
// linked program at a fixed address (dyn_probe_exec), and a static PIE
// that relocates itself (dyn_probe_spie). It prints one "key value" line
// per fact that must not depend on the form, then lines t_dynamic reads
// for the addresses; it uses no project library, so that every form links
// the same way.
#include <elf.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static __thread int tls_counter = 7;        // a TLS initial value (PT_TLS)
static int data_value = 1234;               // .data
static char bss_buf[65536];                 // .bss: zero
static const char *rodata = "read-only";    // .rodata, through a relocated pointer

static void *thread_main(void *arg)
{
    tls_counter += (int)(long)arg;          // its own copy
    return (void *)(long)tls_counter;
}

// The program's own ELF header and first instruction, as the linker
// placed them: wherever the program was loaded, AT_PHDR and AT_ENTRY must
// point at them.
extern const Elf32_Ehdr __ehdr_start;
extern char _start[];

int main(int argc, char **argv)
{
    pthread_t t;
    void *ret = 0;
    int zero = 1;
    for (size_t i = 0; i < sizeof bss_buf; i++)
        zero = zero && bss_buf[i] == 0;
    printf("argc %d\n", argc);
    printf("argv1 %s\n", argc > 1 ? argv[1] : "-");
    printf("env %s\n", getenv("DYN_PROBE") ? getenv("DYN_PROBE") : "-");
    printf("data %d\n", data_value);
    printf("bss_zero %d\n", zero);
    printf("rodata %s\n", rodata);
    printf("tls %d\n", tls_counter);
    printf("thread %d\n", pthread_create(&t, 0, thread_main, (void *)5) == 0 &&
                          pthread_join(t, &ret) == 0 ? (int)(long)ret : -1);
    printf("tls_after %d\n", tls_counter);
    errno = 0;
    printf("errno %s\n", close(-1) < 0 && errno == EBADF ? "EBADF" : "?");
    char *m = malloc(1 << 20);
    printf("malloc %d\n", m != 0);
    free(m);
    printf("at_entry_is_start %d\n", getauxval(AT_ENTRY) == (unsigned long)_start);
    printf("at_phdr_is_ours %d\n",
           getauxval(AT_PHDR) == (unsigned long)&__ehdr_start + __ehdr_start.e_phoff);
    printf("at_phnum %d\n", getauxval(AT_PHNUM) == __ehdr_start.e_phnum);
    fflush(stdout);
    // The addresses, for t_dynamic (they differ from form to form).
    fprintf(stderr, "at_base %#lx\nmain %p\nentry %#lx\n", getauxval(AT_BASE), (void *)main,
            getauxval(AT_ENTRY));
    return 0;
}
