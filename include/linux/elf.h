/* elf.h: the parts of the ELF32 format execve reads (System V ABI, and its
 * i386 supplement), and the auxiliary-vector keys of the start-up stack.
 * Linux: <linux/elf.h> <linux/auxvec.h> */
#ifndef ELF_H
#define ELF_H

#include "types.h"

#define EI_NIDENT 16
#define EI_CLASS  4
#define EI_DATA   5
#define EI_VERSION 6
#define ELFCLASS32  1
#define ELFDATA2LSB 1
#define EV_CURRENT  1
#define ET_EXEC 2
#define ET_DYN  3
#define EM_386  3

typedef struct {
    uint8_t e_ident[EI_NIDENT];  /* "\177ELF", class, data, version, ... */
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint32_t e_entry;            /* where the program starts */
    uint32_t e_phoff;            /* file offset of the program headers */
    uint32_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;        /* size of one program header */
    uint16_t e_phnum;            /* how many */
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
} Elf32_Ehdr;

#define PT_NULL    0
#define PT_LOAD    1
#define PT_DYNAMIC 2
#define PT_INTERP  3
#define PT_PHDR    6
#define PT_TLS     7
#define PT_GNU_STACK 0x6474e551

#define PF_X 1
#define PF_W 2
#define PF_R 4

typedef struct {
    uint32_t p_type;
    uint32_t p_offset;           /* where the segment's bytes start in the file */
    uint32_t p_vaddr;            /* where they go in memory */
    uint32_t p_paddr;
    uint32_t p_filesz;           /* bytes taken from the file */
    uint32_t p_memsz;            /* bytes in memory: the rest is zero (bss) */
    uint32_t p_flags;            /* PF_R, PF_W, PF_X */
    uint32_t p_align;
} Elf32_Phdr;

/* Auxiliary-vector keys (Linux's include/uapi/linux/auxvec.h). */
#define AT_NULL    0
#define AT_PHDR    3
#define AT_PHENT   4
#define AT_PHNUM   5
#define AT_PAGESZ  6
#define AT_BASE    7
#define AT_FLAGS   8
#define AT_ENTRY   9
#define AT_UID     11
#define AT_EUID    12
#define AT_GID     13
#define AT_EGID    14
#define AT_PLATFORM 15
#define AT_HWCAP   16
#define AT_CLKTCK  17
#define AT_SECURE  23
#define AT_RANDOM  25
#define AT_EXECFN  31

#endif
