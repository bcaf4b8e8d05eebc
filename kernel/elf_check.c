/* elf_check.c: the ELF checks execve makes before its point of no return. */
#include "kernel/elf_check.h"
#include "linux/errno.h"
#include "param.h"

int elf_check_header(const Elf32_Ehdr *eh, uint32_t file_size)
{
    if (file_size < sizeof(Elf32_Ehdr))
        return -ENOEXEC;
    if (eh->e_ident[0] != 0x7F || eh->e_ident[1] != 'E' || eh->e_ident[2] != 'L' ||
        eh->e_ident[3] != 'F')
        return -ENOEXEC;
    if (eh->e_ident[EI_CLASS] != ELFCLASS32 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
        eh->e_ident[EI_VERSION] != EV_CURRENT)
        return -ENOEXEC;
    /* A program linked for its address (ET_EXEC), or one that runs at any
     * (ET_DYN: a PIE, a static PIE, a dynamic loader), which execve places. */
    if ((eh->e_type != ET_EXEC && eh->e_type != ET_DYN) || eh->e_machine != EM_386)
        return -ENOEXEC;
    if (eh->e_phentsize != sizeof(Elf32_Phdr) || eh->e_phnum == 0 ||
        eh->e_phnum > ELF_MAX_PHNUM)
        return -ENOEXEC;
    uint32_t ph_bytes = (uint32_t)eh->e_phnum * sizeof(Elf32_Phdr);
    if (eh->e_phoff > file_size || ph_bytes > file_size - eh->e_phoff)
        return -ENOEXEC;
    return 0;
}

int elf_check_segment(const Elf32_Phdr *ph, uint32_t file_size, uint32_t user_top)
{
    if (ph->p_filesz > ph->p_memsz)
        return -ENOEXEC;
    if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
        return -ENOEXEC;
    if (ph->p_offset % PAGE_SIZE != ph->p_vaddr % PAGE_SIZE)
        return -ENOEXEC;
    /* vaddr + memsz must neither wrap around 4 GiB nor reach user_top. */
    if (ph->p_memsz > user_top || ph->p_vaddr > user_top - ph->p_memsz)
        return -ENOEXEC;
    /* Page 0 stays unmapped, so that NULL pointers fault. */
    if (ph->p_memsz > 0 && ph->p_vaddr < PAGE_SIZE)
        return -ENOEXEC;
    return 0;
}
