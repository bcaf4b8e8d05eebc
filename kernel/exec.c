/* exec.c: execve. Load an ELF program into a new address space and start it.
 *
 * All or nothing. Everything that can fail is done before the point of no
 * return: reading and checking the file, copying the arguments, building the
 * complete new address space with its stack. Only then is the old address
 * space thrown away; until then, any error leaves the caller running its old
 * program, with an error code. (Linux checks less up front and kills the
 * process when a late step fails; bunshin promises more.)
 */
#include "kernel/exec.h"
#include "kernel/elf_check.h"
#include "kernel/fpu.h"
#include "kernel/gdt.h"
#include "kernel/proc.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "linux/elf.h"
#include "linux/errno.h"
#include "linux/limits.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

/* The argument and environment strings, copied into the kernel. */
struct exec_args {
    char *buf;            /* argc strings, then envc strings, each NUL-ended */
    uint32_t used;
    int argc, envc;
};

static int args_add(struct exec_args *a, const char *s)
{
    uint32_t len = strlen(s) + 1;
    if (len > ARG_MAX - a->used)
        return -E2BIG;
    memcpy(a->buf + a->used, s, len);
    a->used += len;
    return 0;
}

/* Copy the strings of a user vector (argv or envp: an array of pointers
 * ending with NULL). A NULL vector counts as empty, as on Linux. */
static int args_add_user(struct exec_args *a, vaddr_t uvec, int *count)
{
    *count = 0;
    if (!uvec)
        return 0;
    for (uint32_t i = 0;; i++) {
        uint32_t ptr;
        if (copy_from_user(&ptr, uvec + 4 * i, 4) < 0)
            return -EFAULT;
        if (!ptr)
            return 0;
        int n = strncpy_from_user(a->buf + a->used, ptr, ARG_MAX - a->used);
        if (n == -ENAMETOOLONG)
            return -E2BIG;
        if (n < 0)
            return n;
        a->used += (uint32_t)n + 1;
        (*count)++;
    }
}

/* Make the pages [start, end) of mm valid for a segment with prot. Two
 * segments may share pages (in either order in the file): pages already in
 * a region keep it, and that region gets the union of the rights (so a
 * shared page is writable if either segment is; the whole earlier region
 * is widened, a simplification). The other pages get new regions. */
static int map_segment_pages(struct mm *mm, vaddr_t start, vaddr_t end, uint32_t prot)
{
    vaddr_t va = start;
    while (va < end) {
        struct vm_region *r = vm_find(mm, va);
        if (r) {
            r->prot |= prot;
            for (; va < r->end && va < end; va += PAGE_SIZE) {
                pte_t *pte = page_walk(mm->pgdir, va, false);
                if (pte && (r->prot & VM_WRITE))
                    *pte |= PTE_W;
            }
            continue;
        }
        vaddr_t run = va;                       /* a run of pages in no region */
        while (run < end && !vm_find(mm, run))
            run += PAGE_SIZE;
        int e = vm_map(mm, va, run, prot, (prot & VM_EXEC) ? VM_KIND_TEXT : VM_KIND_DATA, true);
        if (e < 0)
            return e == -EINVAL ? -ENOEXEC : e;
        va = run;
    }
    return 0;
}

/* Copy a segment's p_filesz bytes from the file into mm. The pages are
 * already mapped and zeroed, so the rest up to p_memsz (bss) reads as zero. */
static int load_segment(struct mm *mm, struct inode *ip, const Elf32_Phdr *ph)
{
    uint32_t done = 0;
    while (done < ph->p_filesz) {
        vaddr_t va = ph->p_vaddr + done;
        pte_t *pte = page_walk(mm->pgdir, va, false);
        assert(pte && (*pte & PTE_P));
        uint32_t off = va % PAGE_SIZE;
        uint32_t chunk = PAGE_SIZE - off;
        if (chunk > ph->p_filesz - done)
            chunk = ph->p_filesz - done;
        uint8_t *dst = (uint8_t *)P2V(PTE_ADDR(*pte)) + off;
        if (inode_read(ip, dst, ph->p_offset + done, chunk, false) != (long)chunk)
            return -EIO;
        done += chunk;
    }
    return 0;
}

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

/* 16 bytes for AT_RANDOM. glibc and musl take their stack-protector canary
 * and pointer guard from them. Mixed from the time-stamp counter: different
 * at every exec, but not cryptographically strong. */
static void random_bytes(uint8_t out[16])
{
    static uint64_t state = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 16; i += 8) {
        state ^= rdtsc();
        state *= 0xBF58476D1CE4E5B9ull;
        state ^= state >> 31;
        memcpy(out + i, &state, 8);
    }
}

/*
 * Build the start-up stack in mm and return the initial esp. From the top of
 * user space down (the i386 System V ABI, as Linux lays it out):
 *
 *     0xC0000000  -> 4 zero bytes (end marker)
 *                    path of the program (AT_EXECFN points here)
 *                    envp strings, argv strings
 *                    "i686" (AT_PLATFORM), 16 random bytes (AT_RANDOM)
 *                    (padding to 16 bytes)
 *                    auxv: pairs (key, value) ... AT_NULL, 0
 *                    NULL, envp[envc-1] ... envp[0]
 *                    NULL, argv[argc-1] ... argv[0]
 *     esp         -> argc                         (esp is 16-byte aligned)
 */
static int build_stack(struct mm *mm, const struct exec_args *a, const char *path,
                       const Elf32_Ehdr *eh, const Elf32_Phdr *ph, vaddr_t *esp_out)
{
    uint32_t pathlen = strlen(path) + 1;
    uint32_t nvec = 1 + (uint32_t)a->argc + 1 + (uint32_t)a->envc + 1;
    uint32_t nauxv = 2 * 19;
    uint32_t need = 4 + pathlen + a->used + 16 + 16 + 16 + (nvec + nauxv) * 4 + 16;
    uint32_t size = PAGE_ROUND_UP(need) < STACK_INITIAL ? STACK_INITIAL : PAGE_ROUND_UP(need);

    int r = vm_map(mm, USER_STACK_TOP - size, USER_STACK_TOP, VM_READ | VM_WRITE,
                   VM_KIND_STACK, true);
    if (r < 0)
        return r;

    /* Fill a kernel copy of the stack's top `size` bytes, then copy it in.
     * u(x) turns an offset in the copy into the user address it will have. */
    uint8_t *img = kzalloc(size);
    if (!img)
        return -ENOMEM;
    vaddr_t base = USER_STACK_TOP - size;
#define U(off) (base + (off))
    uint32_t pos = size - 4;                         /* end marker */
    pos -= pathlen;
    memcpy(img + pos, path, pathlen);
    uint32_t execfn = pos;
    pos -= a->used;
    memcpy(img + pos, a->buf, a->used);
    uint32_t strings = pos;
    pos -= 5;
    memcpy(img + pos, "i686", 5);
    uint32_t platform = pos;
    pos = (pos - 16) & ~15u;
    random_bytes(img + pos);
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
    AUX(AT_BASE, 0);
    AUX(AT_FLAGS, 0);
    AUX(AT_ENTRY, eh->e_entry);
    AUX(AT_UID, 0);
    AUX(AT_EUID, 0);
    AUX(AT_GID, 0);
    AUX(AT_EGID, 0);
    AUX(AT_SECURE, 0);
    AUX(AT_CLKTCK, HZ);
    AUX(AT_HWCAP, cpuid_d);
    AUX(AT_PLATFORM, U(platform));
    AUX(AT_RANDOM, U(rnd));
    AUX(AT_EXECFN, U(execfn));
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
    vm_write(mm, base, img, size);
    kfree(img);
    *esp_out = base + pos;
    return 0;
}

/* Everything after the arguments are in the kernel: load path into a new
 * address space and, if that all worked, switch the current process to it. */
static int exec_image(const char *path, struct exec_args *a)
{
    struct proc *p = current_proc();
    struct inode *ip;
    int r = namei(0, path, true, &ip);
    if (r < 0)
        return r;
    Elf32_Ehdr eh;
    Elf32_Phdr *ph = 0;
    struct mm *mm = 0;
    vaddr_t esp = 0;

    if (S_ISDIR(ip->mode) || !S_ISREG(ip->mode) || !(ip->mode & 0111)) {
        r = -EACCES;
        goto out;
    }
    r = -ENOEXEC;
    if (inode_read(ip, &eh, 0, sizeof eh, false) != (long)sizeof eh)
        goto out;
    if ((r = elf_check_header(&eh, (uint32_t)ip->size)) < 0)
        goto out;
    uint32_t ph_bytes = eh.e_phnum * (uint32_t)sizeof(Elf32_Phdr);
    ph = kmalloc(ph_bytes);
    r = -ENOMEM;
    if (!ph)
        goto out;
    r = -ENOEXEC;
    if (inode_read(ip, ph, eh.e_phoff, ph_bytes, false) != (long)ph_bytes)
        goto out;

    bool any_load = false;
    for (int i = 0; i < eh.e_phnum; i++) {
        if (ph[i].p_type == PT_INTERP) {
            r = -ENOEXEC;             /* dynamically linked: no loader here */
            goto out;
        }
        if (ph[i].p_type != PT_LOAD)
            continue;
        any_load = true;
        if ((r = elf_check_segment(&ph[i], (uint32_t)ip->size, USER_TOP - STACK_LIMIT)) < 0)
            goto out;
    }
    r = -ENOEXEC;
    if (!any_load || eh.e_entry == 0)
        goto out;

    r = -ENOMEM;
    if (!(mm = mm_create()))
        goto out;
    vaddr_t brk = 0;
    for (int i = 0; i < eh.e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
            continue;
        uint32_t prot = VM_READ | ((ph[i].p_flags & PF_W) ? VM_WRITE : 0) |
                        ((ph[i].p_flags & PF_X) ? VM_EXEC : 0);
        vaddr_t start = PAGE_ROUND_DOWN(ph[i].p_vaddr);
        vaddr_t end = PAGE_ROUND_UP(ph[i].p_vaddr + ph[i].p_memsz);
        if ((r = map_segment_pages(mm, start, end, prot)) < 0)
            goto out;
        if ((r = load_segment(mm, ip, &ph[i])) < 0)
            goto out;
        if (ph[i].p_vaddr + ph[i].p_memsz > brk)
            brk = ph[i].p_vaddr + ph[i].p_memsz;
    }
    mm->brk_start = mm->brk = brk;
    if ((r = build_stack(mm, a, path, &eh, ph, &esp)) < 0)
        goto out;

    /* ---- the point of no return: nothing below can fail ---- */
    /* Other threads of this process end (Linux does the same); a vfork
     * parent may run again, now that its memory is its own. */
    for (int i = 0; i < NPROC; i++) {
        struct proc *q = &procs[i];
        if (q != p && q->tgid == p->tgid && q->state != PROC_UNUSED && q->state != PROC_ZOMBIE) {
            q->killed = true;
            q->kill_status = W_SIGNALED(SIGKILL);
            if (q->state == PROC_SLEEPING)
                q->state = PROC_RUNNABLE;
        }
    }
    vfork_release(p);
    struct mm *old = p->mm;
    p->mm = mm;
    mm = 0;
    pgdir_switch(p->mm->pgdir);
    if (old)
        mm_put(old);
    fd_close_on_exec(p->files);
    const char *base = path;
    for (const char *c = path; *c; c++)
        if (*c == '/' && c[1])
            base = c + 1;
    strlcpy(p->name, base, sizeof p->name);
    strlcpy(p->mm->exe, path, sizeof p->mm->exe);
    memset(&p->tls, 0, sizeof p->tls);
    p->clear_child_tid = 0;
    gdt_set_tls(&p->tls);
    fpu_init_state(p->fpu);
    fpu_restore(p->fpu);               /* this process's registers are live */

    struct trapframe *tf = p->tf;
    memset(tf, 0, sizeof *tf);
    tf->cs = USER_CS;
    tf->ds = tf->es = tf->fs = tf->gs = tf->user_ss = USER_DS;
    tf->eflags = EFLAGS_IF | 0x2;      /* bit 1 is always set */
    tf->eip = eh.e_entry;
    tf->user_esp = esp;
    /* edx = 0: a program may register edx as an exit handler (glibc does). */
    tf->edx = 0;
    r = 0;

out:
    if (mm)
        mm_put(mm);
    kfree(ph);
    inode_put(ip);
    return r;
}

int do_execve(vaddr_t upath, vaddr_t uargv, vaddr_t uenvp)
{
    char *path = kmalloc(PATH_MAX);
    struct exec_args a = { kmalloc(ARG_MAX), 0, 0, 0 };
    int r = -ENOMEM;
    if (!path || !a.buf)
        goto out;
    r = strncpy_from_user(path, upath, PATH_MAX);
    if (r < 0)
        goto out;
    if ((r = args_add_user(&a, uargv, &a.argc)) < 0)
        goto out;
    if ((r = args_add_user(&a, uenvp, &a.envc)) < 0)
        goto out;
    r = exec_image(path, &a);
out:
    kfree(path);
    kfree(a.buf);
    return r;
}

int exec_kernel(const char *path, char *const argv[], char *const envp[])
{
    struct exec_args a = { kmalloc(ARG_MAX), 0, 0, 0 };
    int r = -ENOMEM;
    if (!a.buf)
        return r;
    for (; argv && argv[a.argc]; a.argc++)
        if ((r = args_add(&a, argv[a.argc])) < 0)
            goto out;
    for (; envp && envp[a.envc]; a.envc++)
        if ((r = args_add(&a, envp[a.envc])) < 0)
            goto out;
    r = exec_image(path, &a);
out:
    kfree(a.buf);
    return r;
}
