/* selftest.c: in-kernel tests of frames, paging, shared page tables, the
 * heap, the timer and the exception report. They run on the real kernel in
 * QEMU (boot option selftest), where host unit tests cannot reach: real
 * page tables, real faults, the real memory map. */
#include "kernel/selftest.h"
#include "drivers/timer.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/kstack.h"
#include "mm/paging.h"
#include "mm/probe.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "param.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

static int failures;

/* One check: "ok name" or "FAIL name: details". Returns cond. */
static bool check(bool cond, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool check(bool cond, const char *name, const char *fmt, ...)
{
    if (cond) {
        printk("ok %s\n", name);
        return true;
    }
    va_list ap;
    printk("FAIL %s: ", name);
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    failures++;
    return false;
}

/* A check whose subject this machine does not have: "skip name: why". */
static void skip(const char *name, const char *why)
{
    printk("skip %s: %s\n", name, why);
}

/* A small pseudo-random sequence (a linear congruential generator), so the
 * tests free things in an order that is mixed up but the same every run. */
static uint32_t rand_state = 12345;
static uint32_t next_rand(void)
{
    rand_state = rand_state * 1103515245u + 12345u;
    return rand_state >> 8;
}

extern char _kernel_end[];

/* ---- frames -------------------------------------------------------------- */

#define NTEST_FRAMES 1024
static paddr_t test_frames[NTEST_FRAMES];

static void test_frames_suite(void)
{
    uint32_t free0 = frames_free();
    check(free0 > NTEST_FRAMES && free0 <= frames_total(), "frames.counts",
          "free %u of total %u", free0, frames_total());

    /* Take many frames: each must be page aligned, above the kernel image,
     * counted once, and distinct: tag each with its own number and read the
     * tags back after all are taken. */
    bool aligned = true, outside_kernel = true, count_one = true;
    int taken = 0;
    for (int i = 0; i < NTEST_FRAMES; i++) {
        paddr_t pa = frame_alloc();
        if (!pa)
            break;
        taken++;
        test_frames[i] = pa;
        aligned &= (pa % PAGE_SIZE) == 0;
        outside_kernel &= pa >= V2P(_kernel_end) || pa + PAGE_SIZE <= KERNEL_LOAD_PHYS;
        outside_kernel &= pa >= 0x100000;
        count_one &= frame_refcount(pa) == 1;
        *(uint32_t *)P2V(pa) = (uint32_t)i;
    }
    check(taken == NTEST_FRAMES, "frames.alloc_many", "got %d of %d frames", taken, NTEST_FRAMES);
    check(aligned, "frames.aligned", "a frame was not page aligned");
    check(outside_kernel, "frames.not_kernel", "a frame overlapped low memory or the kernel");
    check(count_one, "frames.fresh_count_is_1", "a fresh frame's count was not 1");
    check(frames_free() == free0 - (uint32_t)taken, "frames.free_count_drops",
          "free %u, expected %u", frames_free(), free0 - (uint32_t)taken);
    bool distinct = true;
    for (int i = 0; i < taken; i++)
        distinct &= *(uint32_t *)P2V(test_frames[i]) == (uint32_t)i;
    check(distinct, "frames.distinct", "two allocations returned the same frame");

    /* Reference counts: a shared frame stays allocated until its last user. */
    paddr_t pa = test_frames[0];
    frame_incref(pa);
    frame_incref(pa);
    check(frame_refcount(pa) == 3, "frames.incref", "count %u, expected 3", frame_refcount(pa));
    uint32_t before = frames_free();
    frame_decref(pa);
    frame_decref(pa);
    check(frame_refcount(pa) == 1 && frames_free() == before, "frames.decref_keeps_shared",
          "count %u, free %u (was %u)", frame_refcount(pa), frames_free(), before);

    /* Give them back in a mixed order. */
    for (int i = taken - 1; i > 0; i--) {
        int j = (int)(next_rand() % (uint32_t)(i + 1));
        paddr_t t = test_frames[i];
        test_frames[i] = test_frames[j];
        test_frames[j] = t;
    }
    for (int i = 0; i < taken; i++)
        frame_decref(test_frames[i]);
    check(frames_free() == free0, "frames.all_back", "free %u, expected %u", frames_free(), free0);
    check(frame_refcount(pa) == 0, "frames.freed_count_is_0", "count %u", frame_refcount(pa));

    /* Contiguous runs. */
    paddr_t run = frames_alloc_contig(8);
    bool contiguous = run != 0;
    for (uint32_t i = 0; i < 8 && run; i++)
        contiguous &= frame_refcount(run + i * PAGE_SIZE) == 1;
    check(contiguous && frames_free() == free0 - 8, "frames.contig",
          "run at %#x, free %u", run, frames_free());
    for (uint32_t i = 0; i < 8 && run; i++)
        frame_decref(run + i * PAGE_SIZE);
    check(frames_alloc_contig(frames_free() + 1) == 0, "frames.contig_too_big",
          "a run longer than free memory was granted");
    check(frames_free() == free0, "frames.contig_back", "free %u, expected %u",
          frames_free(), free0);
}

/* ---- paging -------------------------------------------------------------- */

#define TEST_VA  0x40000000u      /* an ordinary user address */
#define TEST_VA2 0x40401000u      /* another, under another page table */

static void test_paging_suite(void)
{
    uint32_t free0 = frames_free();

    check((read_cr0() & CR0_WP) && (read_cr4() & CR4_PSE) && (read_cr4() & CR4_PGE),
          "paging.control_bits", "cr0 %#x cr4 %#x", read_cr0(), read_cr4());
    check(kernel_pgdir[0] == 0, "paging.no_identity_map", "pgdir[0] = %#x", kernel_pgdir[0]);

    uint8_t byte;
    check(probe_read_byte((void *)0, &byte) == -EFAULT, "paging.null_faults",
          "reading address 0 in the kernel did not fault");

    pde_t *pgdir = pgdir_create();
    if (!check(pgdir != 0, "paging.pgdir_create", "no frame for a directory"))
        return;
    check(memcmp(&pgdir[KERNEL_PDX], &kernel_pgdir[KERNEL_PDX], 256 * sizeof(pde_t)) == 0,
          "paging.kernel_half_shared", "kernel entries differ");
    pgdir_switch(pgdir);

    /* Map a fresh frame, write through the new mapping, and see the bytes
     * arrive in that frame through the direct map. */
    paddr_t pa = frame_alloc();
    memset(P2V(pa), 0, PAGE_SIZE);
    int r = page_map(pgdir, TEST_VA, pa, PTE_W | PTE_U);
    check(r == 0, "paging.map", "page_map returned %d", r);

    /* SMAP: the kernel may not touch a user page, even a mapped one, unless
     * it says so with stac (user_access_begin). */
    if (smap_enabled) {
        check(probe_read_byte((void *)TEST_VA, &byte) == -EFAULT, "paging.smap_blocks_kernel",
              "the kernel read a user page outside user_access_begin/end");
    } else {
        skip("paging.smap_blocks_kernel", "this CPU has no SMAP (QEMU: -cpu qemu32,+smap)");
    }
    user_access_begin();        /* from here on, the test touches user pages */
    volatile uint32_t *p = (volatile uint32_t *)TEST_VA;
    for (int i = 0; i < 1024; i++)
        p[i] = 0xB0000000u + (uint32_t)i;
    uint32_t *direct = P2V(pa);
    bool same = true;
    for (int i = 0; i < 1024; i++)
        same &= direct[i] == 0xB0000000u + (uint32_t)i;
    check(same, "paging.write_through_mapping", "frame contents differ from what was written");

    /* The same frame at a second address: an alias with its own reference. */
    frame_incref(pa);
    r = page_map(pgdir, TEST_VA2, pa, 0 /* read-only */);
    check(r == 0 && *(volatile uint32_t *)(TEST_VA2 + 8) == 0xB0000002u,
          "paging.alias", "second mapping returned %d", r);
    check(frame_refcount(pa) == 2, "paging.alias_refcount", "count %u", frame_refcount(pa));
    check(page_map(pgdir, TEST_VA, pa, PTE_W) == -EEXIST, "paging.map_twice_refused",
          "mapping over a present page was allowed");

    /* CR0.WP: the kernel, too, may not write to a read-only page. */
    check(probe_write_byte((void *)TEST_VA2, 1) == -EFAULT, "paging.readonly_write_faults",
          "a kernel write to a read-only page went through");

    /* Unmap: the next access faults, the handler reports it, the probe returns. */
    pte_t old = page_unmap(pgdir, TEST_VA);
    check(PTE_ADDR(old) == pa && frame_refcount(pa) == 1, "paging.unmap",
          "old entry %#x, count %u", old, frame_refcount(pa));
    check(probe_read_byte((void *)TEST_VA, &byte) == -EFAULT, "paging.unmapped_read_faults",
          "reading an unmapped page did not fault");
    check(probe_write_byte((void *)TEST_VA, 7) == -EFAULT, "paging.unmapped_write_faults",
          "writing an unmapped page did not fault");
    byte = 0;
    r = probe_read_byte((void *)(TEST_VA2 + 8), &byte);
    check(r == 0 && byte == 0x02, "paging.alias_survives_unmap", "probe %d, byte %#x", r, byte);

    user_access_end();

    /* Back to the kernel's directory; freeing the test directory drops the
     * alias mapping, the page tables and the directory itself. */
    pgdir_switch(kernel_pgdir);
    pgdir_free(pgdir);
    check(frames_free() == free0, "paging.frames_back", "free %u, expected %u",
          frames_free(), free0);
}

/* ---- page tables shared by fork=odf (mm/table_share.c) --------------------- */

/* Take every free frame, chained through their first words; NULL-ended. */
static paddr_t hoard_all_frames(void)
{
    paddr_t head = 0, pa;
    while ((pa = frame_alloc()) != 0) {
        *(paddr_t *)P2V(pa) = head;
        head = pa;
    }
    return head;
}

static void release_hoard(paddr_t head)
{
    while (head) {
        paddr_t next = *(paddr_t *)P2V(head);
        frame_decref(head);
        head = next;
    }
}

/* Two directories sharing one table: unsharing with no frame to be had
 * fails and changes nothing; with frames it copies the table, marks the
 * writable page copy-on-write in both, and the last sharer takes its table
 * back without a copy. Every frame comes back. */
static void test_tables_suite(void)
{
    uint32_t free0 = frames_free();
    pde_t *a = pgdir_create(), *b = pgdir_create();
    paddr_t p1 = frame_alloc(), p2 = frame_alloc();
    if (!check(a && b && p1 && p2, "tables.setup", "out of frames"))
        return;
    page_map(a, TEST_VA, p1, PTE_U | PTE_W);
    page_map(a, TEST_VA + PAGE_SIZE, p2, PTE_U);
    uint32_t d = PDX(TEST_VA);
    table_share(a, b, d);
    check(table_sharers(a, TEST_VA) == 2 && table_sharers(b, TEST_VA) == 2 &&
          a[d] == b[d] && !(a[d] & PTE_W), "tables.shared",
          "sharers %u and %u, entries %#x and %#x", table_sharers(a, TEST_VA),
          table_sharers(b, TEST_VA), a[d], b[d]);
    check(frame_refcount(p1) == 1, "tables.frames_untouched", "count %u", frame_refcount(p1));

    /* No frame for the copy: -ENOMEM, and both still share, untouched. */
    paddr_t hoard = hoard_all_frames();
    int r = table_unshare(b, TEST_VA);
    pte_t *e = page_walk(a, TEST_VA, false);
    check(r == -ENOMEM && a[d] == b[d] && table_sharers(a, TEST_VA) == 2 && e &&
          (*e & PTE_W) && frame_refcount(p1) == 1, "tables.unshare_enomem_changes_nothing",
          "returned %d, entries %#x %#x, page entry %#x", r, a[d], b[d], e ? *e : 0);
    release_hoard(hoard);

    /* With a frame: b gets a copy; p1 is copy-on-write in both tables. */
    r = table_unshare(b, TEST_VA);
    pte_t *ea = page_walk(a, TEST_VA, false), *eb = page_walk(b, TEST_VA, false);
    check(r == 1 && a[d] != b[d] && (b[d] & PTE_W) && table_sharers(a, TEST_VA) == 1,
          "tables.unshare_copies", "returned %d, entries %#x %#x", r, a[d], b[d]);
    check(ea && eb && (*ea & PTE_COW) && !(*ea & PTE_W) && *ea == *eb &&
          frame_refcount(p1) == 2 && frame_refcount(p2) == 2, "tables.copy_is_cow_in_both",
          "entries %#x %#x, counts %u %u", ea ? *ea : 0, eb ? *eb : 0,
          frame_refcount(p1), frame_refcount(p2));

    /* a is the last user of the old table: it takes it back, no frame. */
    uint32_t before = frames_free();
    r = table_unshare(a, TEST_VA);
    check(r == 1 && (a[d] & PTE_W) && frames_free() == before, "tables.last_user_takes_back",
          "returned %d, entry %#x, free %u then %u", r, a[d], before, frames_free());
    check(table_unshare(a, TEST_VA) == 0, "tables.own_table_nothing_to_do", "not 0");

    pgdir_free(a);                     /* page_map took over our references */
    pgdir_free(b);
    check(frames_free() == free0, "tables.frames_back", "free %u, expected %u",
          frames_free(), free0);
}

/* ---- heap ---------------------------------------------------------------- */

#define NBLOCKS 600
static uint8_t *blocks[NBLOCKS];
static uint32_t sizes[NBLOCKS];

static void test_heap_suite(void)
{
    uint32_t free0 = frames_free();
    uint32_t inuse0 = kheap_blocks_in_use();

    check(kmalloc(0) == 0, "heap.zero_size", "kmalloc(0) returned a block");

    /* Many blocks of mixed sizes, from 1 byte to 3 pages; fill each with its
     * own byte, then check that no block overwrote another. */
    bool got_all = true, aligned = true;
    for (int i = 0; i < NBLOCKS; i++) {
        uint32_t r = next_rand();
        sizes[i] = (i % 50 == 0) ? 4096 + r % 8192 : 1 + r % 700;
        blocks[i] = kmalloc(sizes[i]);
        got_all &= blocks[i] != 0;
        if (!blocks[i])
            continue;
        aligned &= ((uintptr_t)blocks[i] & 15) == 0;
        memset(blocks[i], i & 0xFF, sizes[i]);
    }
    check(got_all, "heap.alloc_mixed", "a kmalloc failed");
    check(aligned, "heap.aligned_16", "a block was not 16-byte aligned");
    bool intact = true;
    for (int i = 0; i < NBLOCKS && intact; i++)
        for (uint32_t j = 0; blocks[i] && j < sizes[i]; j++)
            if (blocks[i][j] != (i & 0xFF)) {
                intact = false;
                break;
            }
    check(intact, "heap.no_overlap", "a block's bytes were overwritten by another");

    /* Free every other block, allocate again into the holes, free the rest. */
    for (int i = 0; i < NBLOCKS; i += 2) {
        kfree(blocks[i]);
        blocks[i] = 0;
    }
    for (int i = 0; i < NBLOCKS; i += 2) {
        blocks[i] = kzalloc(sizes[i]);
        bool zero = blocks[i] != 0;
        for (uint32_t j = 0; blocks[i] && j < sizes[i]; j++)
            zero &= blocks[i][j] == 0;
        if (!zero) {
            check(false, "heap.kzalloc_zeroes", "block %d not zeroed", i);
            break;
        }
    }
    for (int i = NBLOCKS - 1; i > 0; i--) {
        int j = (int)(next_rand() % (uint32_t)(i + 1));
        uint8_t *t = blocks[i];
        blocks[i] = blocks[j];
        blocks[j] = t;
    }
    for (int i = 0; i < NBLOCKS; i++)
        kfree(blocks[i]);
    check(kheap_blocks_in_use() == inuse0, "heap.blocks_back", "%u blocks in use, expected %u",
          kheap_blocks_in_use(), inuse0);
    check(frames_free() == free0, "heap.frames_back", "free %u, expected %u",
          frames_free(), free0);

    /* A block too big for memory fails cleanly. */
    check(kmalloc((size_t)(frames_free() + 1) * PAGE_SIZE) == 0, "heap.too_big_fails",
          "an impossible allocation succeeded");
    check(frames_free() == free0, "heap.too_big_leaks_nothing", "free %u, expected %u",
          frames_free(), free0);
}

/* ---- timer --------------------------------------------------------------- */

static void test_timer_suite(void)
{
    uint64_t t0 = timer_ticks();
    uint64_t c0 = rdtsc();
    while (timer_ticks() < t0 + 5)
        sti_hlt();
    check(timer_ticks() >= t0 + 5 && rdtsc() > c0, "timer.ticks_advance",
          "ticks %u -> %u", (uint32_t)t0, (uint32_t)timer_ticks());
}

/* ---- panic: a deliberate kernel fault ------------------------------------ */

static volatile uint32_t zero;

/* Divide by zero in the kernel: the trap handler must print the full report
 * and panic. Only run when named (selftest=panic); it ends the kernel. */
static void test_panic_suite(void)
{
    printk("selftest: dividing by zero in the kernel on purpose\n");
    /* In assembly, because gcc turns "1 / x" into a comparison with no
     * divide instruction at all. */
    uint32_t quotient, remainder;
    __asm__ volatile("divl %2" : "=a"(quotient), "=d"(remainder) : "r"(zero), "a"(1), "d"(0));
    (void)quotient;
    (void)remainder;
    check(false, "panic.divide", "the divide error did not stop the kernel");
}

/* ---- protections: each fires on purpose and ends the kernel ------------- */

/* A user page (TEST_VA) in a fresh address space, full of "ret"
 * instructions, for the SMAP and SMEP suites. */
static volatile uint8_t *user_test_page(void)
{
    pde_t *pgdir = pgdir_create();
    paddr_t pa = frame_alloc();
    if (!pgdir || !pa)
        panic("selftest: no memory for a user page");
    memset(P2V(pa), 0xC3, PAGE_SIZE);
    if (page_map(pgdir, TEST_VA, pa, PTE_W | PTE_U) < 0)
        panic("selftest: cannot map a user page");
    pgdir_switch(pgdir);
    return (volatile uint8_t *)TEST_VA;
}

/* SMAP: a kernel read of a user page outside user_access_begin/end. */
static void test_smap_suite(void)
{
    if (!smap_enabled) {
        skip("smap.fires", "this CPU has no SMAP (QEMU: -cpu qemu32,+smap)");
        return;
    }
    volatile uint8_t *page = user_test_page();
    printk("selftest: the kernel reads a user page on its own, on purpose\n");
    (void)page[0];
    check(false, "smap.fires", "the kernel read a user page and nothing stopped it");
}

/* SMEP: the kernel calls code in a user page. */
static void test_smep_suite(void)
{
    if (!smep_enabled) {
        skip("smep.fires", "this CPU has no SMEP (QEMU: -cpu qemu32,+smep)");
        return;
    }
    void (*code)(void) = (void (*)(void))(uintptr_t)user_test_page();
    printk("selftest: the kernel jumps into a user page, on purpose\n");
    code();
    check(false, "smep.fires", "the kernel ran code from a user page");
}

/* Read-only kernel text: a write into the kernel's own code. */
static void test_rotext_suite(void)
{
    printk("selftest: the kernel writes into its own code, on purpose\n");
    *(volatile uint8_t *)(uintptr_t)test_rotext_suite = 0x90;
    check(false, "rotext.fires", "the kernel changed its own code");
}

/* A kernel stack overflow: recurse with big frames until the guard page.
 * The array is used after the call, so that the call stays a real call. */
static void __attribute__((noinline)) recurse_deeper(int depth)
{
    volatile char frame[512];
    frame[0] = (char)depth;
    if (depth < 1000000)             /* never reached: 8 KiB run out first */
        recurse_deeper(depth + 1);
    frame[1] = frame[0];
}

static void test_stack_suite(void)
{
    /* Slot 0's stack: no process has it yet (the self tests run before
     * the first one). Switch to its top and recurse down into its guard. */
    uint8_t *stack = kstack_alloc(0);
    if (!stack)
        panic("selftest: no memory for a kernel stack");
    printk("selftest: overflowing a kernel stack [%p, %p), on purpose\n", stack,
           stack + KSTACK_SIZE);
    __asm__ volatile("mov %0, %%esp\n\t"
                     "xor %%ebp, %%ebp\n\t"
                     "push $0\n\t"
                     "call *%1"
                     : : "r"(stack + KSTACK_SIZE), "r"(recurse_deeper) : "memory");
    check(false, "stack.fires", "the recursion came back");
}

/* ---- runner -------------------------------------------------------------- */

struct suite {
    const char *name;
    void (*run)(void);
    bool by_default;      /* run when no names are given */
};

static const struct suite suites[] = {
    { "frames", test_frames_suite, true },
    { "paging", test_paging_suite, true },
    { "tables", test_tables_suite, true },
    { "heap", test_heap_suite, true },
    { "timer", test_timer_suite, true },
    { "panic", test_panic_suite, false },
    { "smap", test_smap_suite, false },
    { "smep", test_smep_suite, false },
    { "rotext", test_rotext_suite, false },
    { "stack", test_stack_suite, false },
};
#define NSUITES (int)(sizeof suites / sizeof suites[0])

static void run_suite(const struct suite *s)
{
    printk("selftest: %s\n", s->name);
    s->run();
}

int selftest_run(const char *names)
{
    failures = 0;
    if (names[0] == 0) {
        for (int i = 0; i < NSUITES; i++)
            if (suites[i].by_default)
                run_suite(&suites[i]);
        return failures;
    }
    /* Walk the comma-separated list. */
    const char *p = names;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        bool found = false;
        for (int i = 0; i < NSUITES; i++) {
            if (strlen(suites[i].name) == len && strncmp(suites[i].name, p, len) == 0) {
                run_suite(&suites[i]);
                found = true;
            }
        }
        if (!found) {
            printk("FAIL selftest.name: no suite called '%.*s'\n", (int)len, p);
            failures++;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return failures;
}
