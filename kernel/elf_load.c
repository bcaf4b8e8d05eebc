/* elf_load.c: reading an ELF executable into a new address space.
 *
 * An executable's program headers say what to put where: each PT_LOAD
 * segment asks for p_memsz bytes at p_vaddr with rights p_flags, of which
 * the first p_filesz come from the file at p_offset and the rest (the bss)
 * are zero. Everything is checked before anything is loaded
 * (kernel/elf_check.c), and the memory work is mm's (vm_map_segment,
 * vm_kernel_address): this file only reads the file into place.
 *
 * A position-independent program (ET_DYN) has addresses counted from 0:
 * execve chooses where it goes, and elf_read relocates the kernel's copy of
 * its headers there, so that everything after works with final addresses.
 */
#include "kernel/exec.h"
#include "kernel/elf_check.h"
#include "kernel/random.h"
#include "fs/fs.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "linux/errno.h"
#include "param.h"

void elf_relocate(struct elf_image *img, uint32_t delta)
{
    img->eh.e_entry += delta;
    for (int i = 0; i < img->eh.e_phnum; i++)
        img->ph[i].p_vaddr += delta;
    img->bias += delta;
}

int elf_read(struct inode *ip, struct elf_image *img, bool randomise)
{
    img->ph = 0;
    img->bias = 0;
    img->interp = -1;
    if (!S_ISREG(ip->mode) || !(ip->mode & 0111))
        return -EACCES;
    if (inode_read(ip, &img->eh, 0, sizeof img->eh, false) != (long)sizeof img->eh)
        return -ENOEXEC;
    int r = elf_check_header(&img->eh, (uint32_t)ip->size);
    if (r < 0)
        return r;
    uint32_t ph_bytes = img->eh.e_phnum * (uint32_t)sizeof(Elf32_Phdr);
    if (!(img->ph = kmalloc(ph_bytes)))
        return -ENOMEM;
    r = -ENOEXEC;
    if (inode_read(ip, img->ph, img->eh.e_phoff, ph_bytes, false) != (long)ph_bytes)
        goto fail;
    /* A position-independent program is checked where it will run. */
    if (img->eh.e_type == ET_DYN) {
        uint32_t dyn_base = ELF_ET_DYN_BASE + (randomise ? random_below(256) * PAGE_SIZE : 0);
        if (img->eh.e_entry > USER_TOP - dyn_base)
            goto fail;
        for (int i = 0; i < img->eh.e_phnum; i++)
            if (img->ph[i].p_type == PT_LOAD && img->ph[i].p_vaddr > USER_TOP - dyn_base)
                goto fail;                /* it would wrap around 4 GiB */
        elf_relocate(img, dyn_base);
    }

    bool any_load = false;
    for (int i = 0; i < img->eh.e_phnum; i++) {
        const Elf32_Phdr *ph = &img->ph[i];
        if (ph->p_type == PT_INTERP && img->interp < 0)
            img->interp = i;              /* dynamically linked: elf_interp.c */
        if (ph->p_type != PT_LOAD)
            continue;
        any_load = true;
        if ((r = elf_check_segment(ph, (uint32_t)ip->size, USER_TOP - STACK_LIMIT)) < 0)
            goto fail;
    }
    r = -ENOEXEC;
    if (!any_load || img->eh.e_entry == img->bias)
        goto fail;
    return 0;

fail:
    elf_release(img);
    return r;
}

void elf_release(struct elf_image *img)
{
    kfree(img->ph);
    img->ph = 0;
}

/* Copy a segment's p_filesz bytes from the file into mm, a page at a time
 * through the direct map. Those pages are already mapped and zeroed, so the
 * rest of the last one reads as zero, and the bss pages past it are the
 * zero page until written. */
static int elf_load_segment(struct mm *mm, struct inode *ip, const Elf32_Phdr *ph)
{
    uint32_t done = 0;
    while (done < ph->p_filesz) {
        vaddr_t va = ph->p_vaddr + done;
        uint32_t chunk = PAGE_SIZE - va % PAGE_SIZE;
        if (chunk > ph->p_filesz - done)
            chunk = ph->p_filesz - done;
        if (inode_read(ip, vm_kernel_address(mm, va), ph->p_offset + done, chunk, false) !=
            (long)chunk)
            return -EIO;
        done += chunk;
    }
    return 0;
}

int elf_load(struct mm *mm, struct inode *ip, const struct elf_image *img, vaddr_t *brk)
{
    *brk = 0;
    for (int i = 0; i < img->eh.e_phnum; i++) {
        const Elf32_Phdr *ph = &img->ph[i];
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
            continue;
        uint32_t prot = VM_READ | ((ph->p_flags & PF_W) ? VM_WRITE : 0) |
                        ((ph->p_flags & PF_X) ? VM_EXEC : 0);
        /* The pages the file fills get frames now; the bss pages past them
         * come on first touch, as any anonymous memory does. */
        /* LAB exec segment_map: begin */
        vaddr_t start = PAGE_ROUND_DOWN(ph->p_vaddr);
        vaddr_t filled = PAGE_ROUND_UP(ph->p_vaddr + ph->p_filesz);
        vaddr_t end = PAGE_ROUND_UP(ph->p_vaddr + ph->p_memsz);
        enum vm_kind kind = (prot & VM_EXEC) ? VM_KIND_TEXT : VM_KIND_DATA;
        if (filled < start)
            filled = start;
        int r = 0;
        if (filled > start)
            r = vm_map_segment(mm, start, filled, prot, kind, true);
        if (r == 0 && end > filled)
            r = vm_map_segment(mm, filled, end, prot, kind, false);
        /* LAB exec segment_map: end */
        if (r < 0)
            return r == -EINVAL ? -ENOEXEC : r;
        if ((r = elf_load_segment(mm, ip, ph)) < 0)
            return r;
        if (ph->p_vaddr + ph->p_memsz > *brk)
            *brk = ph->p_vaddr + ph->p_memsz;
    }
    return 0;
}
