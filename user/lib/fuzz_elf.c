// fuzz_elf.c: ELF mutants for the fuzzer's execve phase. A mutant is a
// valid static i386 program (the loaded part of /bin/true) with one to
// three changes:
//   - a field of the ELF header or of a program header set to a value that
//     is often wrong in an interesting way (0, 1, -1, 0x7fffffff,
//     0xbffff000, 0xc0000000, page-unaligned, the file size, old +- 1...);
//   - a bit flipped, mostly in the headers;
//   - a byte of the headers set to 0, 0x7f, 0x80 or 0xff;
//   - the file cut short (at a random length, or at a boundary: inside the
//     ELF header, inside the program headers, at a segment's start).
// fuzz_elf_must_fail says when a mutant breaks one of the rules that the
// README promises execve enforces; anything else may run or not, as long
// as the kernel survives it.
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

#define KERNEL_BASE 0xC0000000ull

static uint32_t get(const uint8_t *p, int size)
{
    uint32_t v = 0;
    memcpy(&v, p, size);                  // little-endian, as i386 is
    return v;
}

static void put(uint8_t *p, int size, uint32_t v)
{
    memcpy(p, &v, size);
}

size_t fuzz_elf_loaded_part(const uint8_t *buf, size_t len)
{
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)buf;
    if (len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_machine != EM_386 || eh->e_phentsize != sizeof(Elf32_Phdr) ||
        eh->e_phoff + (size_t)eh->e_phnum * sizeof(Elf32_Phdr) > len)
        return 0;
    size_t need = eh->e_phoff + (size_t)eh->e_phnum * sizeof(Elf32_Phdr);
    for (int i = 0; i < eh->e_phnum; i++) {
        const Elf32_Phdr *ph = (const Elf32_Phdr *)(buf + eh->e_phoff) + i;
        if (ph->p_type == PT_LOAD && (size_t)ph->p_offset + ph->p_filesz > need)
            need = (size_t)ph->p_offset + ph->p_filesz;
    }
    return need <= len ? need : 0;
}

// The fields a mutation edits: where they are and how wide. The program
// header fields are the most interesting (they decide what is mapped where),
// so they are drawn more often.
struct field {
    const char *name;
    uint8_t offset, size;
};
static const struct field ehdr_fields[] = {
    { "ei_class", 4, 1 }, { "ei_data", 5, 1 }, { "ei_version", 6, 1 },
    { "e_type", 16, 2 }, { "e_machine", 18, 2 }, { "e_version", 20, 4 },
    { "e_entry", 24, 4 }, { "e_phoff", 28, 4 }, { "e_ehsize", 40, 2 },
    { "e_phentsize", 42, 2 }, { "e_phnum", 44, 2 }, { "e_entry", 24, 4 },
    { "e_phoff", 28, 4 }, { "e_phnum", 44, 2 },
};
static const struct field phdr_fields[] = {
    { "p_type", 0, 4 }, { "p_offset", 4, 4 }, { "p_vaddr", 8, 4 }, { "p_paddr", 12, 4 },
    { "p_filesz", 16, 4 }, { "p_memsz", 20, 4 }, { "p_flags", 24, 4 }, { "p_align", 28, 4 },
    { "p_vaddr", 8, 4 }, { "p_filesz", 16, 4 }, { "p_memsz", 20, 4 }, { "p_offset", 4, 4 },
};
#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

// A new value for a field that held old, in a file of len bytes.
static uint32_t new_value(struct rng *r, const char *name, uint32_t old, size_t len)
{
    static const uint32_t common[] = {
        0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
        0xFFFFFFFE, 0xBFFFF000, 0xC0000000, 0xBFFFFFFF, 0xBFFFE000, 0x1000, 0xFFF,
        0x08048000, 0x08048001, 0x10000000, 0x40000000, 0xC0100000,
    };
    static const uint32_t types[] = { 0, 1, 2, 3, 4, 5, 6, 7, 0x6474E551, 0x6474E552,
                                      0x70000000, 0xFFFFFFFF };
    static const uint32_t counts[] = { 0, 1, 2, 5, 6, 7, 64, 65, 1000, 0xFFFF };
    static const uint32_t machines[] = { 3, 62, 0, 6, 40, 0xFFFF };
    uint32_t x = rng_below(r, 100);
    if (x < 35) {
        if (!strcmp(name, "p_type"))
            return types[rng_below(r, NELEMS(types))];
        if (!strcmp(name, "e_phnum") || !strcmp(name, "e_phentsize"))
            return rng_percent(r, 70) ? counts[rng_below(r, NELEMS(counts))]
                                      : 31 + rng_below(r, 3);
        if (!strcmp(name, "e_machine"))
            return machines[rng_below(r, NELEMS(machines))];
        if (!strcmp(name, "e_type"))
            return rng_below(r, 5);
        if (!strcmp(name, "p_flags"))
            return rng_below(r, 8);
    }
    if (x < 70)
        return common[rng_below(r, NELEMS(common))];
    if (x < 80) {
        static const int32_t deltas[] = { 1, -1, 0x1000, -0x1000, 0x10, -0x10, 4, -4 };
        return old + (uint32_t)deltas[rng_below(r, NELEMS(deltas))];
    }
    if (x < 90) {
        uint32_t sizes[] = { (uint32_t)len, (uint32_t)len + 1, (uint32_t)len - 1, old * 2,
                             old | 0xFFF, old & ~0xFFFu };
        return sizes[rng_below(r, NELEMS(sizes))];
    }
    return rng_u32(r);
}

// Append to the description, if there is room.
static void describe(char *what, size_t size, const char *fmt, uint32_t a, uint32_t b)
{
    size_t used = strlen(what);
    if (used + 1 < size)
        snprintf(what + used, size - used, fmt, a, b);
}

size_t fuzz_elf_mutate(const uint8_t *base, size_t len, uint64_t seed, uint32_t index,
                       uint8_t *out, char *what, size_t what_size)
{
    struct rng r;
    rng_seed(&r, fuzz_item_seed(seed, FUZZ_KIND_ELF, index));
    memcpy(out, base, len);
    what[0] = 0;
    // The headers of the original: edits aim at its program headers even
    // if an earlier edit moved e_phoff.
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)base;
    uint32_t phoff = eh->e_phoff, phnum = eh->e_phnum;
    uint32_t headers = phoff + phnum * sizeof(Elf32_Phdr);
    size_t cut = len;

    uint32_t ops = 1 + rng_below(&r, 3);
    for (uint32_t op = 0; op < ops; op++) {
        uint32_t x = rng_below(&r, 100);
        if (x < 40) {                                    // a field edit
            const struct field *f;
            uint32_t at;
            char where[8] = "";
            if (rng_percent(&r, 60)) {
                uint32_t i = rng_below(&r, phnum);
                f = &phdr_fields[rng_below(&r, NELEMS(phdr_fields))];
                at = phoff + i * sizeof(Elf32_Phdr) + f->offset;
                snprintf(where, sizeof where, "ph%u.", (unsigned)i);
            } else {
                f = &ehdr_fields[rng_below(&r, NELEMS(ehdr_fields))];
                at = f->offset;
            }
            uint32_t v = new_value(&r, f->name, get(out + at, f->size), len);
            if (f->size < 4)
                v &= (1u << (8 * f->size)) - 1;
            put(out + at, f->size, v);
            size_t used = strlen(what);
            if (used + 1 < what_size)
                snprintf(what + used, what_size - used, "%s%s=%x ", where, f->name,
                         (unsigned)v);
        } else if (x < 75) {                             // a bit flip
            uint32_t at = rng_percent(&r, 80) ? rng_below(&r, headers) : rng_below(&r, len);
            uint32_t bit = rng_below(&r, 8);
            out[at] ^= (uint8_t)(1u << bit);
            describe(what, what_size, "flip@%x.%u ", at, bit);
        } else if (x < 85) {                             // a byte of the headers
            static const uint8_t bytes[] = { 0, 0x7F, 0x80, 0xFF };
            uint32_t at = rng_below(&r, headers);
            out[at] = bytes[rng_below(&r, 4)];
            describe(what, what_size, "byte@%x=%x ", at, out[at]);
        } else {                                         // cut short
            uint32_t y = rng_below(&r, 100);
            if (y < 25) cut = rng_below(&r, sizeof(Elf32_Ehdr));
            else if (y < 50) cut = phoff + rng_below(&r, headers - phoff);
            else if (y < 65) {
                const Elf32_Phdr *ph = (const Elf32_Phdr *)(base + phoff) + rng_below(&r, phnum);
                cut = ph->p_offset < len ? ph->p_offset : len - 1;
            } else cut = rng_below(&r, len);
            describe(what, what_size, "cut@%x ", (uint32_t)cut, 0);
        }
    }
    size_t n = strlen(what);
    if (n && what[n - 1] == ' ')
        what[n - 1] = 0;
    return cut < len ? cut : len;
}

const char *fuzz_elf_must_fail(const uint8_t *img, size_t len)
{
    if (len < sizeof(Elf32_Ehdr))
        return "shorter than an ELF header";
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)img;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        return "no ELF magic";
    if (eh->e_ident[EI_CLASS] != ELFCLASS32 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return "not 32-bit little-endian";
    if (eh->e_machine != EM_386)
        return "not for i386";
    if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
        return "not an executable";
    if (eh->e_phentsize != sizeof(Elf32_Phdr) || eh->e_phnum == 0)
        return "no program headers of i386's size";
    if ((uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr) > len)
        return "program headers past the end of the file";
    for (int i = 0; i < eh->e_phnum; i++) {
        Elf32_Phdr ph;
        memcpy(&ph, img + eh->e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD)
            continue;
        if (ph.p_filesz > ph.p_memsz)
            return "a segment with p_filesz > p_memsz";
        if ((uint64_t)ph.p_offset + ph.p_filesz > len)
            return "a segment past the end of the file";
        if ((uint64_t)ph.p_vaddr + ph.p_memsz > KERNEL_BASE)
            return "a segment that reaches the kernel";
    }
    return NULL;
}
