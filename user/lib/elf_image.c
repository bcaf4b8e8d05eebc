// elf_image.c: ELF headers for hand-made executables (elf_image.h).
#include <string.h>

#include "elf_image.h"

void elf32_exec_header(Elf32_Ehdr *eh, Elf32_Addr entry, Elf32_Off phoff, int phnum)
{
    memset(eh, 0, sizeof *eh);
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS32;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_386;
    eh->e_version = EV_CURRENT;
    eh->e_entry = entry;
    eh->e_phoff = phoff;
    eh->e_ehsize = sizeof(Elf32_Ehdr);
    eh->e_phentsize = sizeof(Elf32_Phdr);
    eh->e_phnum = (Elf32_Half)phnum;
}
