/* elf_check.h: checking an ELF file before anything is loaded from it.
 * Pure functions over bytes already read: tests/unit runs them on the host. */
#ifndef ELF_CHECK_H
#define ELF_CHECK_H

#include "linux/elf.h"

#define ELF_MAX_PHNUM 64    /* more program headers than this: not for us */

/* Check the ELF header of a file of file_size bytes: magic, 32-bit class,
 * little-endian, version, a program (ET_EXEC or ET_DYN), i386, and that the program
 * headers lie inside the file. Returns 0 or -ENOEXEC. */
int elf_check_header(const Elf32_Ehdr *eh, uint32_t file_size);

/* Check one PT_LOAD program header: p_filesz <= p_memsz, the file bytes
 * inside the file, no address overflow, the whole segment below user_top,
 * and p_offset and p_vaddr equal modulo the page size (so the file can be
 * laid out page by page). Returns 0 or -ENOEXEC. (Linux finds a segment in
 * kernel space only after its point of no return and kills the process;
 * bunshin refuses the file instead, and the caller runs on.) */
int elf_check_segment(const Elf32_Phdr *ph, uint32_t file_size, uint32_t user_top);

#endif
