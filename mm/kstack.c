/* kstack.c: kernel stacks in slots of their own, with guard pages (kstack.h).
 *
 * The area starts at KSTACK_AREA and holds slot after slot:
 *
 *     KSTACK_AREA + slot * KSTACK_SLOT:   guard page (never mapped)
 *                                   + 4K: the stack's KSTACK_PAGES pages
 *
 * Its page tables are made once, at boot, and never freed, so that every
 * page directory (each copies the kernel's entries when it is made) sees
 * the same stacks. Entries are global, like the rest of the kernel's.
 */
#include "mm/kstack.h"
#include "mm/frame.h"
#include "mm/paging.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

static uint32_t nslots;

/* The page-table entry for a page of the area. */
static pte_t *area_pte(vaddr_t va)
{
    pte_t *table = P2V(PTE_ADDR(kernel_pgdir[PDX(va)]));
    return &table[PTX(va)];
}

static vaddr_t stack_bottom(uint32_t slot)
{
    return KSTACK_AREA + slot * KSTACK_SLOT + PAGE_SIZE;
}

void kstack_init(uint32_t n)
{
    uint64_t bytes = (uint64_t)n * KSTACK_SLOT;
    if (bytes > KSTACK_AREA_END - KSTACK_AREA)
        panic("kstack: %u slots do not fit above %#x", n, KSTACK_AREA);
    for (vaddr_t va = KSTACK_AREA; va < KSTACK_AREA + bytes; va += 0x400000u) {
        paddr_t pt = frame_alloc();
        if (!pt)
            panic("kstack: no frame for a page table");
        memset(P2V(pt), 0, PAGE_SIZE);
        kernel_pgdir[PDX(va)] = pt | PTE_P | PTE_W;
    }
    nslots = n;
}

uint8_t *kstack_alloc(uint32_t slot)
{
    vaddr_t base = stack_bottom(slot);
    for (uint32_t i = 0; i < KSTACK_PAGES; i++) {
        paddr_t pa = frame_alloc();
        if (!pa) {
            while (i-- > 0) {               /* undo: nothing half made */
                pte_t *pte = area_pte(base + i * PAGE_SIZE);
                frame_decref(PTE_ADDR(*pte));
                *pte = 0;
                invlpg(base + i * PAGE_SIZE);
            }
            return 0;
        }
        *area_pte(base + i * PAGE_SIZE) = pa | PTE_P | PTE_W | PTE_G;
    }
    return (uint8_t *)base;
}

void kstack_free(uint32_t slot)
{
    vaddr_t base = stack_bottom(slot);
    for (uint32_t i = 0; i < KSTACK_PAGES; i++) {
        pte_t *pte = area_pte(base + i * PAGE_SIZE);
        frame_decref(PTE_ADDR(*pte));
        *pte = 0;
        /* Global entries survive CR3 loads: drop this one by hand. */
        invlpg(base + i * PAGE_SIZE);
    }
}

int kstack_guard_slot(vaddr_t addr)
{
    if (addr < KSTACK_AREA || addr - KSTACK_AREA >= nslots * KSTACK_SLOT)
        return -1;
    uint32_t slot = (addr - KSTACK_AREA) / KSTACK_SLOT;
    return (addr - KSTACK_AREA) % KSTACK_SLOT < PAGE_SIZE ? (int)slot : -1;
}

bool kstack_contains(vaddr_t addr, uint32_t n)
{
    if (addr < KSTACK_AREA || addr - KSTACK_AREA >= nslots * KSTACK_SLOT)
        return false;
    uint32_t slot = (addr - KSTACK_AREA) / KSTACK_SLOT;
    vaddr_t bottom = stack_bottom(slot);
    if (addr < bottom || addr + n > bottom + KSTACK_SIZE)
        return false;
    return (*area_pte(addr) & PTE_P) && (*area_pte(addr + n - 1) & PTE_P);
}
