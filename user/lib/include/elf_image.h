// elf_image.h: small ELF executables built by hand, for the tests of execve.
#ifndef BUNSHIN_ELF_IMAGE_H
#define BUNSHIN_ELF_IMAGE_H

#include <elf.h>

// Fill eh as the ELF header of a static i386 executable (ELF32,
// little-endian, ET_EXEC, EM_386) that starts at entry, with phnum program
// headers at file offset phoff. Everything else is zero.
void elf32_exec_header(Elf32_Ehdr *eh, Elf32_Addr entry, Elf32_Off phoff, int phnum);

#endif
