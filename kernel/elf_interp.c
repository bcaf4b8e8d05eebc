/* elf_interp.c: the program interpreter of a dynamically linked program.
 *
 * A program linked against shared libraries cannot start by itself: its
 * calls into the C library are still to be resolved. Its PT_INTERP header
 * names the program that does that, the dynamic loader (musl's is its
 * libc.so, installed as /lib/ld-musl-i386.so.1). execve loads both, the
 * program where it is linked to go (or at ELF_ET_DYN_BASE for a PIE) and
 * the loader in the mmap area, and starts the loader, which finds itself
 * at AT_BASE and the program through AT_PHDR and AT_ENTRY, maps the
 * libraries, relocates, and jumps to the program's entry.
 *
 * The kernel knows nothing of libraries or symbols: this file only reads a
 * second ELF file into the same address space.
 */
#include "kernel/exec.h"
#include "fs/fs.h"
#include "fs/mount.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "linux/limits.h"
#include "param.h"

/* The interpreter's path, from the program's PT_INTERP: a NUL-terminated
 * string (kmalloc'd) or NULL with *err set. */
static char *interp_path(struct inode *ip, const Elf32_Phdr *ph, int *err)
{
    *err = -ENOEXEC;
    if (ph->p_filesz < 2 || ph->p_filesz > PATH_MAX || ph->p_offset > ip->size ||
        ph->p_filesz > ip->size - ph->p_offset)
        return 0;
    char *path = kmalloc(ph->p_filesz);
    if (!path) {
        *err = -ENOMEM;
        return 0;
    }
    if (inode_read(ip, path, ph->p_offset, ph->p_filesz, false) != (long)ph->p_filesz ||
        path[ph->p_filesz - 1] != 0) {
        kfree(path);
        return 0;
    }
    return path;
}

/* The lowest and highest addresses of an image's PT_LOAD segments, pages
 * rounded. */
static void image_span(const struct elf_image *img, vaddr_t *lo, vaddr_t *hi)
{
    *lo = 0xffffffffu;
    *hi = 0;
    for (int i = 0; i < img->eh.e_phnum; i++) {
        const Elf32_Phdr *ph = &img->ph[i];
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
            continue;
        if (PAGE_ROUND_DOWN(ph->p_vaddr) < *lo)
            *lo = PAGE_ROUND_DOWN(ph->p_vaddr);
        if (PAGE_ROUND_UP(ph->p_vaddr + ph->p_memsz) > *hi)
            *hi = PAGE_ROUND_UP(ph->p_vaddr + ph->p_memsz);
    }
}

int elf_load_interp(struct mm *mm, struct inode *ip, const struct elf_image *program,
                    vaddr_t *base, vaddr_t *entry)
{
    int r;
    char *path = interp_path(ip, &program->ph[program->interp], &r);
    if (!path)
        return r;
    struct inode *iip;
    r = namei(0, path, true, &iip);
    kfree(path);
    if (r < 0)
        return r;
    /* The interpreter is run as the program is: a regular file, executable
     * by us, not on a noexec mount (Linux's open_exec). */
    if (!S_ISREG(iip->mode) || mount_noexec(iip))
        r = -EACCES;
    else if ((r = inode_permission(iip, MAY_EXEC)) == 0 && iip->size < sizeof(Elf32_Ehdr))
        r = -EIO;                          /* Linux: its header cannot be read */
    struct elf_image interp;
    if (r == 0 && (r = elf_read(iip, &interp, false)) < 0 && r == -ENOEXEC)
        r = -ELIBBAD;                      /* Linux's word for a bad interpreter */
    if (r < 0) {
        inode_put(iip);
        return r;
    }
    /* A position-independent loader (they all are) goes where mmap would put
     * a mapping of its size: below the stack, top down. */
    if (interp.eh.e_type == ET_DYN) {
        vaddr_t lo, hi, at;
        image_span(&interp, &lo, &hi);
        if (!(at = vm_find_free(mm, hi - lo))) {
            r = -ENOMEM;
            goto out;
        }
        elf_relocate(&interp, at - lo);
    }
    vaddr_t end;
    if ((r = elf_load(mm, iip, &interp, &end)) < 0)
        goto out;
    /* Its segments are another file's mapping, not the program's text and
     * data (/proc/<pid>/maps and VmExe count only the program's). */
    vaddr_t lo, hi;
    image_span(&interp, &lo, &hi);
    vm_set_kind(mm, lo, hi, VM_KIND_MMAP);
    *base = interp.eh.e_type == ET_DYN ? interp.bias : 0;
    *entry = interp.eh.e_entry;
out:
    elf_release(&interp);
    inode_put(iip);
    return r;
}
