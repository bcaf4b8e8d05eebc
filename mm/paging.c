/* paging.c: page directories and page tables. */
#include "mm/paging.h"
#include "mm/frame.h"
#include "linux/errno.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

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
    write_cr3(V2P(kernel_pgdir));           /* flush the old entries */

    /* Kernel mappings are the same in every address space, so mark them
     * global: a CR3 load at each process switch then keeps them in the TLB. */
    for (uint32_t i = KERNEL_PDX; i < 1024; i++)
        if (kernel_pgdir[i] & PTE_P)
            kernel_pgdir[i] |= PTE_G;
    write_cr4(read_cr4() | CR4_PGE);
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
    pte_t old = *pte;
    *pte = 0;
    tlb_flush_page(pgdir, va);
    frame_decref(PTE_ADDR(old));
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
        if (!(pgdir[d] & PTE_P))
            continue;
        pte_t *table = P2V(PTE_ADDR(pgdir[d]));
        for (uint32_t t = 0; t < 1024; t++)
            if (table[t] & PTE_P)
                frame_decref(PTE_ADDR(table[t]));
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
