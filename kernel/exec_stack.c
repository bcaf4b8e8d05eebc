/* exec_stack.c: the start-up stack execve builds for a new program: argc,
 * argv, envp and the auxiliary vector, where musl's and glibc's _start look
 * for them. */
#include "kernel/exec.h"
#include "kernel/random.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "linux/elf.h"
#include "linux/errno.h"
#include "param.h"
#include "lib/string.h"
#include "x86.h"

/* Where the program headers are in the new image, for AT_PHDR. */
static vaddr_t phdr_address(const Elf32_Ehdr *eh, const Elf32_Phdr *ph)
{
    for (int i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_PHDR)
            return ph[i].p_vaddr;
    for (int i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD && eh->e_phoff >= ph[i].p_offset &&
            eh->e_phoff - ph[i].p_offset < ph[i].p_filesz)
            return ph[i].p_vaddr + (eh->e_phoff - ph[i].p_offset);
    return 0;
}

/*
 * Build the start-up stack in mm and return the initial esp. From the top of
 * the stack down (the i386 System V ABI, as Linux lays it out):
 *
 *  mm->stack_top  -> 4 zero bytes (end marker)
 *                    path of the program (AT_EXECFN points here)
 *                    envp strings, argv strings
 *                    (with randomise: a random gap, 0 to 4080 bytes)
 *                    "i686" (AT_PLATFORM), 16 random bytes (AT_RANDOM)
 *                    (padding to 16 bytes)
 *                    auxv: pairs (key, value) ... AT_NULL, 0
 *                    NULL, envp[envc-1] ... envp[0]
 *                    NULL, argv[argc-1] ... argv[0]
 *     esp         -> argc                         (esp is 16-byte aligned)
 */
int exec_build_stack(struct mm *mm, const struct exec_args *a, const char *path,
                     const Elf32_Ehdr *eh, const Elf32_Phdr *ph, vaddr_t interp_base,
                     const struct cred *c, bool secure, bool randomise, vaddr_t *esp_out)
{
    /* The gap moves esp within the page, on top of the page-sized offset of
     * mm->stack_top (see vm_layout in mm/vm.c); 16-byte steps keep esp
     * aligned. */
    uint32_t gap = randomise ? random_below(PAGE_SIZE / 16) * 16 : 0;
    uint32_t pathlen = strlen(path) + 1;
    uint32_t nvec = 1 + (uint32_t)a->argc + 1 + (uint32_t)a->envc + 1;
    uint32_t nauxv = 2 * 19;
    uint32_t need = 4 + pathlen + a->used + gap + 16 + 16 + 16 + (nvec + nauxv) * 4 + 16;
    uint32_t size = PAGE_ROUND_UP(need) < STACK_INITIAL ? STACK_INITIAL : PAGE_ROUND_UP(need);

    /* The region is STACK_INITIAL or more; only the pages the strings and
     * vectors fill get frames now, the rest on first touch. */
    int r = vm_map(mm, mm->stack_top - size, mm->stack_top, VM_READ | VM_WRITE,
                   VM_KIND_STACK, false);
    if (r < 0)
        return r;

    /* Fill a kernel copy of the stack's top `size` bytes, then copy it in.
     * u(x) turns an offset in the copy into the user address it will have. */
    uint8_t *img = kzalloc(size);
    if (!img)
        return -ENOMEM;
    vaddr_t base = mm->stack_top - size;
#define U(off) (base + (off))
    uint32_t pos = size - 4;                         /* end marker */
    pos -= pathlen;
    memcpy(img + pos, path, pathlen);
    uint32_t execfn = pos;
    pos -= a->used;
    memcpy(img + pos, a->buf, a->used);
    uint32_t strings = pos;
    /* Remember where argv's and envp's strings are, for /proc/<pid>/cmdline
     * and environ (Linux's mm->arg_start... are the same addresses). */
    uint32_t argv_bytes = 0;
    for (int i = 0; i < a->argc; i++)
        argv_bytes += strlen(a->buf + argv_bytes) + 1;
    mm->arg_start = U(strings);
    mm->arg_end = mm->env_start = U(strings + argv_bytes);
    mm->env_end = U(strings + a->used);
    pos -= gap;
    pos -= 5;
    memcpy(img + pos, "i686", 5);
    uint32_t platform = pos;
    pos = (pos - 16) & ~15u;
    random_bytes(img + pos, 16);
    uint32_t rnd = pos;

    uint32_t auxv[2 * 19];
    uint32_t ax = 0;
    uint32_t cpuid_a = 1, cpuid_b, cpuid_c, cpuid_d;
    __asm__ volatile("cpuid" : "+a"(cpuid_a), "=b"(cpuid_b), "=c"(cpuid_c), "=d"(cpuid_d));
#define AUX(k, v) do { auxv[ax++] = (k); auxv[ax++] = (v); } while (0)
    AUX(AT_PHDR, phdr_address(eh, ph));
    AUX(AT_PHENT, sizeof(Elf32_Phdr));
    AUX(AT_PHNUM, eh->e_phnum);
    AUX(AT_PAGESZ, PAGE_SIZE);
    /* LAB exec auxv: begin */
    /* A dynamically linked program starts in its interpreter, which finds
     * itself at AT_BASE and the program by AT_PHDR and AT_ENTRY. */
    AUX(AT_BASE, interp_base);
    AUX(AT_FLAGS, 0);
    AUX(AT_ENTRY, eh->e_entry);
    /* The ids the program runs with, and whether they differ from who ran
     * it: a set-user-ID program's C library then ignores LD_PRELOAD, TZ
     * files, MALLOC_ options... (getauxval(AT_SECURE)). */
    AUX(AT_UID, c->uid);
    AUX(AT_EUID, c->euid);
    AUX(AT_GID, c->gid);
    AUX(AT_EGID, c->egid);
    AUX(AT_SECURE, secure);
    AUX(AT_CLKTCK, HZ);
    AUX(AT_HWCAP, cpuid_d);
    AUX(AT_PLATFORM, U(platform));
    AUX(AT_RANDOM, U(rnd));
    AUX(AT_EXECFN, U(execfn));
    /* LAB exec auxv: end */
    AUX(AT_NULL, 0);
#undef AUX

    uint32_t vec_bytes = (nvec + ax) * 4;
    pos = (pos - vec_bytes) & ~15u;
    uint32_t *vec = (uint32_t *)(img + pos);
    uint32_t k = 0;
    vec[k++] = (uint32_t)a->argc;
    uint32_t s = strings;
    for (int i = 0; i < a->argc; i++) {
        vec[k++] = U(s);
        s += strlen((char *)img + s) + 1;
    }
    vec[k++] = 0;
    for (int i = 0; i < a->envc; i++) {
        vec[k++] = U(s);
        s += strlen((char *)img + s) + 1;
    }
    vec[k++] = 0;
    memcpy(&vec[k], auxv, ax * 4);
#undef U
    vaddr_t used = PAGE_ROUND_DOWN(base + pos);
    r = vm_populate(mm, used, mm->stack_top, VM_READ | VM_WRITE);
    if (r == 0)
        vm_write(mm, used, img + (used - base), mm->stack_top - used);
    kfree(img);
    if (r < 0)
        return r;
    *esp_out = mm->start_stack = base + pos;
    return 0;
}

