/* exec.h: execve, replacing a process's program with one from a file.
 *
 * execve is all or nothing, in two steps with a function boundary between
 * them (kernel/exec.c): exec_load builds the complete new image (address
 * space, segments, start-up stack) without touching the caller, and can
 * fail; exec_commit, past the point of no return, makes it the caller's and
 * cannot fail. Its helpers: the ELF loader (kernel/elf_load.c, on top of the
 * pure checks of kernel/elf_check.c) and the start-up stack
 * (kernel/exec_stack.c).
 */
#ifndef EXEC_H
#define EXEC_H

#include "types.h"
#include "kernel/cred.h"
#include "linux/elf.h"

struct inode;
struct mm;

/* execve(2) with user pointers: path, argv[], envp[] in the caller's memory. */
int do_execve(vaddr_t path, vaddr_t argv, vaddr_t envp);
/* execveat(2): the program from dirfd and path, with AT_EMPTY_PATH and
 * AT_SYMLINK_NOFOLLOW (at false: execve's plain look-up, flags unused). */
int do_execveat(int dirfd, vaddr_t path, vaddr_t argv, vaddr_t envp, uint32_t flags, bool at);
/* The same with kernel strings: how the kernel starts /bin/init. */
int exec_kernel(const char *path, char *const argv[], char *const envp[]);

/* ---- between the files of execve ---- */

/* The argument and environment strings, copied into the kernel. */
struct exec_args {
    char *buf;            /* argc strings, then envc strings, each NUL-ended */
    uint32_t used;
    int argc, envc;
};

/* An ELF executable's headers, read and checked (kernel/elf_load.c). For a
 * position-independent one (ET_DYN) the kernel's copy is relocated: bias is
 * added to e_entry and to every p_vaddr, so that the loader and the
 * auxiliary vector read final addresses, whatever the type. */
struct elf_image {
    Elf32_Ehdr eh;
    Elf32_Phdr *ph;       /* eh.e_phnum program headers (kmalloc'd) */
    uint32_t bias;        /* what was added (0 for ET_EXEC) */
    int interp;           /* the index of its PT_INTERP header, or -1 */
};

/* Read and check the headers of the executable ip: a regular file with an x
 * bit (-EACCES otherwise), an i386 ELF executable whose loadable segments
 * are all valid (-ENOEXEC otherwise). An ET_DYN one is relocated to
 * ELF_ET_DYN_BASE, plus up to 1 MiB if randomise (Linux's 8 bits of
 * pages), and checked there. 0, or -errno with nothing to free. */
int elf_read(struct inode *ip, struct elf_image *img, bool randomise);
/* Move an ET_DYN image's addresses by delta (kernel/elf_load.c). */
void elf_relocate(struct elf_image *img, uint32_t delta);
/* The program interpreter (kernel/elf_interp.c): load the file that
 * program's PT_INTERP names (read from ip) into mm's mmap area (vm_layout
 * has run): *base gets where it went (AT_BASE), *entry its first
 * instruction. 0, or -ENOENT, -EACCES (no such file, or not to be run),
 * -ELIBBAD (not an i386 ELF program), -EIO (too short to be one), -ENOEXEC
 * (a bad PT_INTERP), -ENOMEM. */
int elf_load_interp(struct mm *mm, struct inode *ip, const struct elf_image *program,
                    vaddr_t *base, vaddr_t *entry);
/* Free what elf_read took. */
void elf_release(struct elf_image *img);
/* Load every PT_LOAD segment of img from ip into mm (not the live address
 * space): the pages mapped with the segment's rights, p_filesz bytes read
 * from the file, the rest to p_memsz zero. *brk is set to the end of the
 * highest segment, where the heap starts. 0, -ENOMEM, -ENOEXEC or -EIO. */
int elf_load(struct mm *mm, struct inode *ip, const struct elf_image *img, vaddr_t *brk);

/* Map the stack below mm->stack_top and write the start-up stack (argc,
 * argv, envp, the auxiliary vector and the strings) into it; *esp is where
 * the program's esp starts (kernel/exec_stack.c). The auxiliary vector's
 * AT_UID... come from c, AT_SECURE from secure, AT_BASE is interp_base
 * (where the interpreter was loaded, or 0). With randomise, a random gap of
 * less than a page lies below the strings. 0 or -ENOMEM. */
int exec_build_stack(struct mm *mm, const struct exec_args *a, const char *path,
                     const Elf32_Ehdr *eh, const Elf32_Phdr *ph, vaddr_t interp_base,
                     const struct cred *c, bool secure, bool randomise, vaddr_t *esp);

#endif
