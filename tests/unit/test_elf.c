/* test_elf.c: the checks execve makes on an ELF file before loading it
 * (kernel/elf_check.c). Each case starts from a valid header and segment,
 * breaks one thing, and expects the error; the valid ones must pass, or the
 * loader would refuse real programs. */
// unit-sources: kernel/elf_check.c
#include "check.h"
#include "kernel/elf_check.h"
#include "linux/errno.h"

#define FILE_SIZE 0x10000u
#define USER_TOP_TEST 0xBF800000u

static Elf32_Ehdr good_header(void)
{
    Elf32_Ehdr eh;
    memset(&eh, 0, sizeof eh);
    memcpy(eh.e_ident, "\177ELF", 4);
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_386;
    eh.e_version = 1;
    eh.e_entry = 0x08049000;
    eh.e_phoff = sizeof(Elf32_Ehdr);
    eh.e_ehsize = sizeof(Elf32_Ehdr);
    eh.e_phentsize = sizeof(Elf32_Phdr);
    eh.e_phnum = 4;
    return eh;
}

static Elf32_Phdr good_segment(void)
{
    Elf32_Phdr ph;
    memset(&ph, 0, sizeof ph);
    ph.p_type = PT_LOAD;
    ph.p_offset = 0x1000;
    ph.p_vaddr = 0x08049000;
    ph.p_filesz = 0x2000;
    ph.p_memsz = 0x3000;
    ph.p_flags = PF_R | PF_X;
    ph.p_align = 0x1000;
    return ph;
}

static void header_case(const char *name, Elf32_Ehdr eh, uint32_t size, int want)
{
    int got = elf_check_header(&eh, size);
    check(got == want, name, "elf_check_header gave %d, expected %d", got, want);
}

static void segment_case(const char *name, Elf32_Phdr ph, int want)
{
    int got = elf_check_segment(&ph, FILE_SIZE, USER_TOP_TEST);
    check(got == want, name, "elf_check_segment gave %d, expected %d", got, want);
}

int main(void)
{
    Elf32_Ehdr eh;

    header_case("elf.header_valid", good_header(), FILE_SIZE, 0);
    header_case("elf.header_file_too_short", good_header(), sizeof(Elf32_Ehdr) - 1, -ENOEXEC);
    eh = good_header(); eh.e_ident[0] = 0x7E;
    header_case("elf.header_bad_magic0", eh, FILE_SIZE, -ENOEXEC);
    eh = good_header(); eh.e_ident[3] = 'G';
    header_case("elf.header_bad_magic3", eh, FILE_SIZE, -ENOEXEC);
    eh = good_header(); eh.e_ident[EI_CLASS] = 2;
    header_case("elf.header_class64", eh, FILE_SIZE, -ENOEXEC);
    eh = good_header(); eh.e_ident[EI_DATA] = 2;
    header_case("elf.header_big_endian", eh, FILE_SIZE, -ENOEXEC);
    eh = good_header(); eh.e_ident[EI_VERSION] = 0;
    header_case("elf.header_bad_version", eh, FILE_SIZE, -ENOEXEC);
    eh = good_header(); eh.e_type = ET_DYN;             /* a PIE: placed by execve */
    header_case("elf.header_pie", eh, FILE_SIZE, 0);
    eh = good_header(); eh.e_type = 1;                 /* ET_REL */
    header_case("elf.header_relocatable", eh, FILE_SIZE, -ENOEXEC);
    eh = good_header(); eh.e_machine = 62;             /* EM_X86_64 */
    header_case("elf.header_x86_64", eh, FILE_SIZE, -ENOEXEC);
    eh = good_header(); eh.e_machine = 40;             /* EM_ARM */
    header_case("elf.header_arm", eh, FILE_SIZE, -ENOEXEC);
    eh = good_header(); eh.e_phentsize = 56;
    header_case("elf.header_phentsize", eh, FILE_SIZE, -ENOEXEC);
    eh = good_header(); eh.e_phnum = 0;
    header_case("elf.header_no_phdrs", eh, FILE_SIZE, -ENOEXEC);
    eh = good_header(); eh.e_phnum = ELF_MAX_PHNUM + 1;
    header_case("elf.header_too_many_phdrs", eh, FILE_SIZE, -ENOEXEC);
    eh = good_header(); eh.e_phnum = ELF_MAX_PHNUM;
    header_case("elf.header_max_phdrs_ok", eh, FILE_SIZE, 0);
    /* Program headers must fit in the file: exactly fitting is fine. */
    eh = good_header();
    header_case("elf.header_phdrs_fit_exactly", eh, sizeof(Elf32_Ehdr) + 4 * sizeof(Elf32_Phdr), 0);
    header_case("elf.header_phdrs_truncated", eh, sizeof(Elf32_Ehdr) + 4 * sizeof(Elf32_Phdr) - 1,
                -ENOEXEC);
    eh = good_header(); eh.e_phoff = FILE_SIZE + 4;
    header_case("elf.header_phoff_past_end", eh, FILE_SIZE, -ENOEXEC);
    eh = good_header(); eh.e_phoff = 0xFFFFFFF0u;        /* phoff + size would wrap */
    header_case("elf.header_phoff_wraps", eh, FILE_SIZE, -ENOEXEC);

    Elf32_Phdr ph;
    segment_case("elf.segment_valid", good_segment(), 0);
    ph = good_segment(); ph.p_filesz = ph.p_memsz = 0x3000;
    segment_case("elf.segment_filesz_equals_memsz", ph, 0);
    ph = good_segment(); ph.p_filesz = ph.p_memsz + 1;
    segment_case("elf.segment_filesz_gt_memsz", ph, -ENOEXEC);
    ph = good_segment(); ph.p_offset = FILE_SIZE - 0x1000; ph.p_vaddr = 0x08049000;
    ph.p_filesz = 0x1000;
    segment_case("elf.segment_ends_at_file_end", ph, 0);
    ph.p_filesz = 0x1001;
    segment_case("elf.segment_past_file_end", ph, -ENOEXEC);
    ph = good_segment(); ph.p_offset = 0xFFFFF000u;
    segment_case("elf.segment_offset_wraps", ph, -ENOEXEC);
    ph = good_segment(); ph.p_vaddr = 0x08049010;       /* offset 0x1000, vaddr ...010 */
    segment_case("elf.segment_misaligned", ph, -ENOEXEC);
    ph = good_segment(); ph.p_vaddr = 0xC0000000u; ph.p_offset = 0;
    segment_case("elf.segment_in_kernel_space", ph, -ENOEXEC);
    ph = good_segment(); ph.p_vaddr = USER_TOP_TEST - 0x1000; ph.p_offset = 0; ph.p_memsz = 0x1000;
    ph.p_filesz = 0x1000;
    segment_case("elf.segment_ends_at_user_top", ph, 0);
    ph.p_memsz = 0x1001;
    segment_case("elf.segment_crosses_user_top", ph, -ENOEXEC);
    ph = good_segment(); ph.p_vaddr = 0xFFFFF000u; ph.p_offset = 0; ph.p_memsz = 0x2000;
    segment_case("elf.segment_wraps_4g", ph, -ENOEXEC);
    ph = good_segment(); ph.p_vaddr = 0; ph.p_offset = 0;
    segment_case("elf.segment_page_zero", ph, -ENOEXEC);
    ph = good_segment(); ph.p_vaddr = 0x1000; ph.p_offset = 0x1000;
    segment_case("elf.segment_just_above_page_zero", ph, 0);
    ph = good_segment(); ph.p_memsz = 0; ph.p_filesz = 0; ph.p_vaddr = 0; ph.p_offset = 0;
    segment_case("elf.segment_empty_anywhere", ph, 0);
    return 0;
}
