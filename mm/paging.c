/* paging.c: page directories and page tables. */
#include "mm/paging.h"
#include "mm/frame.h"
#include "linux/errno.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

uint32_t smap_enabled;
bool smep_enabled;

/* SMEP and SMAP, where the CPU offers them (CPUID leaf 7): from now on the
 * kernel can neither run code from a user page (a jump through a pointer a
 * program chose) nor read or write one, except between stac and clac, which
 * only the checked copy functions (mm/usercopy.c) use. */
static void protect_user_pages(void)
{
    uint32_t a, b, c, d;
    cpuid(0, 0, &a, &b, &c, &d);
    if (a < 7)
        return;                             /* no leaf 7: an older CPU */
    cpuid(7, 0, &a, &b, &c, &d);
    uint32_t cr4 = read_cr4();
    if (b & CPUID7_SMEP) {
        cr4 |= CR4_SMEP;
        smep_enabled = true;
    }
    if (b & CPUID7_SMAP) {
        cr4 |= CR4_SMAP;
        smap_enabled = 1;
    }
    write_cr4(cr4);
}

/* Linker-script symbols: the kernel image, and where its writable part starts. */
extern char _kernel_end[], _data_start[];

/* Page tables for the direct map's first 8 MiB, where the kernel image is:
 * that stretch is mapped with 4 KiB pages instead of 4 MiB ones, so that
 * the pages of the kernel's code and constants can be read-only. */
#define IMAGE_TABLES 2
static pte_t image_tables[IMAGE_TABLES][1024] __attribute__((aligned(PAGE_SIZE)));

/* Map the start of the direct map, the kernel image among it, with 4 KiB
 * pages: read-only from the kernel's load address up to _data_start (text,
 * rodata, and the Multiboot header before them), writable elsewhere. With
 * CR0.WP on, a kernel write there faults: a stray pointer cannot change the
 * kernel's code. Must run before CR4.PGE: no global 4 MiB entry is cached. */
static void protect_kernel_image(void)
{
    uint32_t ro_start = KERNEL_LOAD_PHYS, ro_end = V2P(_data_start);
    uint32_t ntables = (V2P(_kernel_end) + 0x3FFFFFu) / 0x400000u;
    if (ntables > IMAGE_TABLES)
        panic("paging: the kernel image ends above %u MiB", IMAGE_TABLES * 4);
    for (uint32_t t = 0; t < ntables; t++) {
        for (uint32_t i = 0; i < 1024; i++) {
            paddr_t pa = t * 0x400000u + i * PAGE_SIZE;
            bool ro = pa >= ro_start && pa < ro_end;
            image_tables[t][i] = pa | PTE_P | PTE_G | (ro ? 0 : PTE_W);
        }
        kernel_pgdir[KERNEL_PDX + t] = V2P(image_tables[t]) | PTE_P | PTE_W;
    }
}

void paging_init(uint64_t ram_top)
{
    uint64_t top = ram_top < DIRECT_MAP_LIMIT ? ram_top : DIRECT_MAP_LIMIT;

    /* The identity map was needed only while jumping to the higher half.
     * Without it, a kernel NULL-pointer bug faults instead of reading low memory. */
    kernel_pgdir[0] = 0;

    /* Keep direct-map entries that cover RAM; drop the rest. */
    for (uint32_t i = KERNEL_PDX; i < 1024; i++) {
        uint64_t pa = (uint64_t)(i - KERNEL_PDX) << 22;
        if (pa >= top)
            kernel_pgdir[i] = 0;
    }
    protect_kernel_image();
    write_cr3(V2P(kernel_pgdir));           /* flush the old entries */

    /* Kernel mappings are the same in every address space, so mark them
     * global: a CR3 load at each process switch then keeps them in the TLB. */
    for (uint32_t i = KERNEL_PDX; i < 1024; i++)
        if (kernel_pgdir[i] & PTE_P)
            kernel_pgdir[i] |= PTE_G;
    write_cr4(read_cr4() | CR4_PGE);
    protect_user_pages();
}

paddr_t zero_frame;

void zero_frame_init(void)
{
    zero_frame = frame_alloc();
    if (!zero_frame)
        panic("no frame for the zero page");
    memset(P2V(zero_frame), 0, PAGE_SIZE);
    frame_incref(zero_frame);      /* count 2 for good: always "shared" */
}

void user_frame_get(paddr_t pa)
{
    if (pa != zero_frame)
        frame_incref(pa);
}

void user_frame_put(paddr_t pa)
{
    if (pa != zero_frame)
        frame_decref(pa);
}

pte_t *page_walk(pde_t *pgdir, vaddr_t va, bool create)
{
    assert(va < KERNEL_BASE);
    pde_t *pde = &pgdir[PDX(va)];
    if (!(*pde & PTE_P)) {
        if (!create)
            return 0;
        paddr_t pt = frame_alloc();
        if (!pt)
            return 0;
        memset(P2V(pt), 0, PAGE_SIZE);
        /* The directory entry allows everything; the table entries restrict.
         * (The CPU applies the stricter of the two levels.) */
        *pde = pt | PTE_P | PTE_W | PTE_U;
    } else if (create && table_unshare(pgdir, va) < 0) {
        return 0;
    }
    pte_t *table = P2V(PTE_ADDR(*pde));
    return &table[PTX(va)];
}

/* Drop va's TLB entry if pgdir is the live address space. Any other
 * directory has no TLB entries: loading CR3 flushes non-global entries. */
static void tlb_flush_page(pde_t *pgdir, vaddr_t va)
{
    if (V2P(pgdir) == read_cr3())
        invlpg(va);
}

int page_map(pde_t *pgdir, vaddr_t va, paddr_t pa, uint32_t flags)
{
    pte_t *pte = page_walk(pgdir, PAGE_ROUND_DOWN(va), true);
    if (!pte)
        return -ENOMEM;
    if (*pte & PTE_P)
        return -EEXIST;
    *pte = PTE_ADDR(pa) | (flags & 0xFFF) | PTE_P;
    /* A not-present entry is never cached by the TLB, so no flush is needed. */
    return 0;
}

pte_t page_unmap(pde_t *pgdir, vaddr_t va)
{
    va = PAGE_ROUND_DOWN(va);
    pte_t *pte = page_walk(pgdir, va, false);
    if (!pte || !(*pte & PTE_P))
        return 0;
    /* A shared table: get one of this directory's own. Callers that must
     * not fail half-way called tables_prepare_unmap first; for the others
     * (a file cut short) a page left mapped when memory ran out is only a
     * page the file no longer has. */
    if (table_unshare(pgdir, va) < 0)
        return 0;
    pte = page_walk(pgdir, va, false);
    pte_t old = *pte;
    *pte = 0;
    tlb_flush_page(pgdir, va);
    user_frame_put(PTE_ADDR(old));
    return old;
}

pde_t *pgdir_create(void)
{
    paddr_t pa = frame_alloc();
    if (!pa)
        return 0;
    pde_t *pgdir = P2V(pa);
    memset(pgdir, 0, KERNEL_PDX * sizeof(pde_t));
    memcpy(&pgdir[KERNEL_PDX], &kernel_pgdir[KERNEL_PDX],
           (1024 - KERNEL_PDX) * sizeof(pde_t));
    return pgdir;
}

void pgdir_free(pde_t *pgdir)
{
    assert(V2P(pgdir) != read_cr3());
    for (uint32_t d = 0; d < KERNEL_PDX; d++) {
        if (!(pgdir[d] & PTE_P) || table_drop_shared(pgdir, d))
            continue;
        pte_t *table = P2V(PTE_ADDR(pgdir[d]));
        for (uint32_t t = 0; t < 1024; t++)
            if (table[t] & PTE_P)
                user_frame_put(PTE_ADDR(table[t]));
        frame_decref(PTE_ADDR(pgdir[d]));
    }
    frame_decref(V2P(pgdir));
}

void pgdir_switch(pde_t *pgdir)
{
    write_cr3(V2P(pgdir));
}

pde_t *pgdir_current(void)
{
    return P2V(read_cr3());
}
